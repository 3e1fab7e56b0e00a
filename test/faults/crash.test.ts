/**
 * A crash loses nothing, under load (issue 17). The real server runs as a child process
 * (`node --import tsx src/main.ts`, offline assistant, one Standard Webhooks receiver);
 * web-chat customers hold concurrent conversations with client message ids, the process
 * is SIGKILLed partway through, restarted on the same data, and every message that got no
 * answer is sent again with the same ids, as a real client would. Then the customers, the
 * admin API and the webhook receiver must all tell the same story: every message answered
 * exactly once, every ticket named in a reply, listed by the API, counted by the overview
 * and announced by exactly one `ticket.created` event.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { RATING_QUESTION } from '../../src/engine/conversation/verdict.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { tempDataDir, webClient } from '../helpers/switchboard.ts';
import { freePort, type ServerProcess, spawnServer, waitUntil } from './helpers.ts';

const ADMIN_TOKEN = 'crash-suite-admin-token-0123456789';
const CONVERSATIONS = 40;
const CONCURRENCY = 10;
/** The process is killed when this many messages have been accepted (202). */
const KILL_AFTER = 40;
const REF = /T-\d{4}/g;

/**
 * One customer's conversation. `filedAt` is the index of the message whose reply names the
 * ticket: a bug report with its setup is filed at once, one without after the bot's question.
 */
interface Script {
  lines: string[];
  filedAt?: number;
}

const SCRIPTS: Script[] = [
  { lines: ['How do I reset my password?', 'And how do I turn on 2FA?', 'Thanks, that worked!'] },
  { lines: ['How do I track an order?', 'thanks!'] },
  { lines: ['Checkout crashes at the payment step, iPhone 15, app 3.2.1', 'Thanks'], filedAt: 0 },
  {
    lines: ['Barcode scanning freezes the camera on my Pixel 8, Android 14, app 3.3.0', 'Thanks'],
    filedAt: 0,
  },
  {
    lines: [
      'The app crashes when I open settings',
      'iPhone 14 on iOS 17, app version 3.2.1',
      'thanks',
    ],
    filedAt: 1,
  },
  {
    lines: ['Order notifications arrive hours late', 'Pixel 7, Android 14, app 3.2.1'],
    filedAt: 1,
  },
  {
    lines: [
      'the invoice PDF download shows a blank page',
      'Safari on my MacBook, version 3.2.1',
      'thank you',
    ],
    filedAt: 1,
  },
  {
    lines: ['Photos stop syncing after the update, Galaxy S23, Android 14, app 3.2.0', 'Thanks'],
    filedAt: 0,
  },
];

/** Where one message stands, as its client knows it. */
type TurnState = 'unsent' | 'unknown' | 'accepted' | 'answered';

interface Turn {
  text: string;
  messageId: string;
  state: TurnState;
  /** The stored id the server gave it (from the 202 or the duplicate's 200). */
  storedId?: string;
  /** 202 before the crash. */
  acceptedBeforeCrash: boolean;
  resent: boolean;
  /** The resend was acknowledged as a duplicate. */
  duplicate: boolean;
}

interface Conversation {
  id: string;
  script: Script;
  turns: Turn[];
}

/** The server went away under a request: the crash the test caused. */
class ServerGone extends Error {}

describe('a crash under load', () => {
  const data = tempDataDir();
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const servers: ServerProcess[] = [];
  let receiver: WebhookReceiver | undefined;

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await receiver?.close();
    data.remove();
  });

  it('loses no message, doubles no reply, and announces every ticket once', async () => {
    const started = performance.now();
    receiver = await startWebhookReceiver();
    // A short delay keeps deliveries in flight long enough for the kill to catch some.
    receiver.reply(() => ({ status: 204, delayMs: 25 }));
    const env = {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: data.dir,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN,
      WEBHOOK_URLS: `${receiver.url}/switchboard`,
      WEBHOOK_SECRET: secret,
      WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,500ms',
    };
    const conversations: Conversation[] = Array.from({ length: CONVERSATIONS }, (_, i) => {
      const script = SCRIPTS[i % SCRIPTS.length] as Script;
      const id = `web:crash${String(i).padStart(2, '0')}${randomBytes(6).toString('hex')}`;
      const turns = script.lines.map((text, n) => ({
        text,
        messageId: `c${i}-m${n}`,
        state: 'unsent' as TurnState,
        acceptedBeforeCrash: false,
        resent: false,
        duplicate: false,
      }));
      return { id, script, turns };
    });

    // Before the crash: customers talk until the KILL_AFTER-th message is accepted.
    const first = await spawnServer(env);
    servers.push(first);
    let accepted = 0;
    let posts = 0;
    let killedAt: number | undefined;
    const crash = () => {
      killedAt = Date.now();
      void first.kill();
    };
    await runPool(conversations, (c) =>
      drive(first.url, c, {
        onPost: () => posts++,
        onAccepted: (turn) => {
          turn.acceptedBeforeCrash = true;
          if (++accepted === KILL_AFTER) crash();
        },
        crashed: () => killedAt !== undefined,
      }),
    );
    expect(killedAt, 'the process was killed partway through').toBeDefined();
    await first.kill();
    const inFlightAtCrash = conversations
      .flatMap((c) => c.turns)
      .filter((t) => t.state === 'unknown' || t.state === 'accepted').length;
    expect(inFlightAtCrash, 'messages the crash left unanswered').toBeGreaterThan(0);

    // After the restart: the same customers send again what got no answer, then go on.
    const restartedAt = performance.now();
    const second = await spawnServer(env);
    servers.push(second);
    for (const turn of conversations.flatMap((c) => c.turns)) {
      if (turn.state === 'unknown' || turn.state === 'accepted') turn.resent = true;
    }
    await runPool(conversations, (c) =>
      drive(second.url, c, { onPost: () => posts++, onAccepted: () => {}, crashed: () => false }),
    );

    const api = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${second.url}/api${path}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };
    type Page = { total: number; deliveries: Array<{ eventType: string; status: string }> };
    // Idle: every message answered (above), and the outbox drained and quiet.
    let lastTotal = -1;
    await waitUntil(
      async () => {
        const pending = await api<Page>('/webhooks/deliveries?status=pending&limit=1');
        const all = await api<Page>('/webhooks/deliveries?limit=1');
        const quiet = pending.total === 0 && all.total === lastTotal;
        lastTotal = all.total;
        return quiet ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 300, what: 'the webhook outbox to drain' },
    );

    // 1. Every accepted message has exactly one reply after it, and nothing else was stored.
    const transcripts = new Map<string, Array<{ role: string; text: string; createdAt: string }>>();
    for (const c of conversations) {
      const res = await fetch(`${second.url}/web/conversations/${c.id}/messages`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        messages: Array<{ role: string; text: string; createdAt: string }>;
      };
      // A conversation the bot resolved is asked for a rating, once, after the last reply.
      const asked = body.messages.filter((m) => m.role === 'system' && m.text === RATING_QUESTION);
      expect(asked.length, `${c.id}: rating questions`).toBeLessThanOrEqual(1);
      const said = body.messages.filter((m) => !asked.includes(m));
      transcripts.set(c.id, said);
      expect(
        said.map((m) => (m.role === 'customer' ? m.text : m.role)),
        c.id,
      ).toEqual(c.script.lines.flatMap((line) => [line, 'bot']));
    }
    const replies = [...transcripts.values()].flat().filter((m) => m.role === 'bot');

    // 2. Tickets: one per bug conversation, in the expected reply; the API lists the same.
    const named = new Map<string, string>();
    for (const c of conversations) {
      const bots = (transcripts.get(c.id) ?? []).filter((m) => m.role === 'bot');
      bots.forEach((reply, n) => {
        const refs = reply.text.match(REF) ?? [];
        expect(refs.length, `${c.id} reply ${n}: ${reply.text}`).toBe(
          n === c.script.filedAt ? 1 : 0,
        );
        for (const ref of refs) {
          expect(named.has(ref), `${ref} named in two replies`).toBe(false);
          named.set(ref, c.id);
        }
      });
    }
    const tickets = await api<{
      tickets: Array<{ ref: string; conversationId: string }>;
      hasMore: boolean;
    }>('/tickets?limit=200');
    expect(tickets.hasMore).toBe(false);
    expect(new Map(tickets.tickets.map((t) => [t.ref, t.conversationId]))).toEqual(named);
    const refs = [...named.keys()].sort();
    expect(refs).toHaveLength(conversations.filter((c) => c.script.filedAt !== undefined).length);

    // 3. Webhooks. docs/webhooks.md promises at-least-once: an event "may arrive more than
    // once ... after a crash or shutdown in the middle of an attempt", with the same
    // webhook-id. So each ticket has exactly one event id (a second id would be a doubled
    // event, which no dedupe by webhook-id could hide), and an event arrives once, or twice
    // only when the killed process sent the first copy (the attempt the crash cut short) and
    // the restarted one the second.
    const verifier = new Webhook(secret);
    for (const r of receiver.requests) {
      expect(() => verifier.verify(r.body, r.headers), r.headers['webhook-id']).not.toThrow();
    }
    const created = receiver.requests.filter(
      (r) => (JSON.parse(r.body) as { type: string }).type === 'ticket.created',
    );
    const refByEvent = new Map<string, string>();
    for (const r of created) {
      const ref = (JSON.parse(r.body) as { data: { ticket: { ref: string } } }).data.ticket.ref;
      const id = r.headers['webhook-id'] ?? '';
      expect(refByEvent.get(id) ?? ref, `event ${id} carried two tickets`).toBe(ref);
      refByEvent.set(id, ref);
    }
    expect([...refByEvent.values()].sort(), 'one ticket.created event per ticket').toEqual(refs);
    let redelivered = 0;
    for (const [id, copies] of receiver.byWebhookId()) {
      if (!refByEvent.has(id) || copies.length === 1) continue;
      expect(copies, `${id} arrived ${copies.length} times`).toHaveLength(2);
      const [before, after] = copies.map((r) => r.receivedAt) as [number, number];
      expect(before, `${id}: first copy from the killed process`).toBeLessThan(restartedAt);
      expect(after, `${id}: second copy after the restart`).toBeGreaterThan(restartedAt);
      redelivered++;
    }
    expect(created).toHaveLength(refs.length + redelivered);
    const log = await api<Page>('/webhooks/deliveries?type=ticket.created&limit=200');
    expect(log.total).toBe(refs.length);
    expect(log.deliveries.every((d) => d.status === 'delivered')).toBe(true);

    // 4. The overview counts the same tickets.
    const overview = await api<{
      total: number;
      byStatus: Record<string, number>;
      byPlatform: Record<string, number>;
      byPriority: Record<string, number>;
    }>('/overview');
    expect(overview.total).toBe(refs.length);
    expect(overview.byStatus.open).toBe(refs.length);
    expect(overview.byPlatform.web).toBe(refs.length);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b);
    expect(sum(overview.byPriority)).toBe(refs.length);

    const turns = conversations.flatMap((c) => c.turns);
    const resent = turns.filter((t) => t.resent);
    // Resending a message the server had accepted is acknowledged as a duplicate.
    for (const t of resent.filter((t) => t.acceptedBeforeCrash)) expect(t.duplicate).toBe(true);
    // Replies written by the restarted process to messages the killed one had accepted.
    const answeredByRecovery = conversations.flatMap((c) =>
      c.turns.filter((t, n) => {
        const reply = (transcripts.get(c.id) ?? [])[2 * n + 1];
        return t.acceptedBeforeCrash && Date.parse(reply?.createdAt ?? '') > (killedAt ?? 0);
      }),
    ).length;
    console.log(
      `crash suite: ${CONVERSATIONS} conversations, ${turns.length} messages sent ` +
        `(${posts} POSTs), accepted ${turns.length} (${accepted} before the kill), ` +
        `${inFlightAtCrash} unanswered at the kill, resent after restart ${resent.length} ` +
        `(${resent.filter((t) => t.duplicate).length} acknowledged as duplicates), ` +
        `${answeredByRecovery} accepted before the kill and answered after it, ` +
        `replies ${replies.length}, tickets ${refs.length}, ticket.created deliveries ` +
        `${created.length} (${redelivered} redelivered after the crash), ` +
        `webhook requests ${receiver.requests.length}, ` +
        `${Math.round(performance.now() - started)} ms`,
    );
  }, 90_000);
});

/** Runs `task` over the conversations, at most CONCURRENCY at a time. */
async function runPool(
  conversations: Conversation[],
  task: (c: Conversation) => Promise<void>,
): Promise<void> {
  const queue = [...conversations];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      try {
        await task(c);
      } catch (error) {
        if (!(error instanceof ServerGone)) throw error;
        queue.length = 0;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

interface DriveHooks {
  onPost: () => void;
  onAccepted: (turn: Turn) => void;
  /** True once the test killed the server: a failed request is then the crash. */
  crashed: () => boolean;
}

/**
 * One customer: sends each message not yet answered (again, with the same ids, when it was
 * sent before), and waits for the bot's reply before the next, as a person in the chat does.
 */
async function drive(url: string, c: Conversation, hooks: DriveHooks): Promise<void> {
  const client = webClient(url);
  // Once the test has killed the server, any request that fails failed because of it.
  const gone = (error: unknown): never => {
    if (hooks.crashed()) throw new ServerGone('server killed', { cause: error });
    throw error;
  };
  for (const turn of c.turns) {
    if (turn.state === 'answered') continue;
    if (turn.state === 'unsent') turn.state = 'unknown';
    hooks.onPost();
    const { status, body } = await client.send(turn.text, c.id, turn.messageId).catch(gone);
    expect([200, 202], `${c.id} ${turn.messageId}`).toContain(status);
    turn.storedId = body.messageId;
    if (turn.resent) turn.duplicate = body.duplicate;
    turn.state = 'accepted';
    if (status === 202) hooks.onAccepted(turn);
    await waitUntil(
      async () => {
        const { messages } = await client.messages(c.id, Number(turn.storedId)).catch(gone);
        return messages.some((m) => m.role !== 'customer') ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 50, what: `a reply to ${c.id} ${turn.messageId}` },
    );
    turn.state = 'answered';
  }
}
