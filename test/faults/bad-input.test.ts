/**
 * Bad input never gets a 5xx (issue 17): a seeded corpus of over a thousand bad requests
 * against every route of a running Switchboard with the web chat, Slack (HTTP mode),
 * Telegram (webhook mode) and Discord on, then what a user or an operator would notice:
 * no 5xx, refusals that say why and show no internals, every admin route behind its token,
 * no conversation served to another channel, nothing created by what was refused, each
 * refusal logged once, and everything still working afterwards.
 *
 * `BAD_INPUT_SUMMARY=1` prints the requests sent by kind and the answers by status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import { createDiscordFake, type DiscordFake, readDiscordFixture } from '../fakes/discord/index.ts';
import {
  buildDirectMessage,
  type FakeSlack,
  postSignedEvent,
  startFakeSlack,
} from '../fakes/slack/index.ts';
import {
  createTelegramFake,
  readTelegramFixture,
  type TelegramFake,
} from '../fakes/telegram/index.ts';
import { startTestSwitchboard, webClient } from '../helpers/switchboard.ts';
import { type BadRequest, badRequests } from './bad-requests.ts';
import { inPool, type ProbeResponse, probe, probeAgent } from './http-probe.ts';
import { ADMIN_ROUTES, routeName, SLACK_EVENTS, TELEGRAM_WEBHOOK } from './routes.ts';

const SEED = 17;
const CONCURRENCY = 8;
const SLACK_SECRET = 'bad-input-signing-secret';
const TELEGRAM_SECRET = 'bad-input_webhook-secret_01';
const MAYA = 5123409876;

/** Internals a body must never show: stack frames, file paths, source locations. */
const INTERNALS = /\bat \S+ \(|\/work\/|node_modules|\.ts:\d|\.js:\d|\bstack\b/;
/** What an unchecked payload used to leave in the log. */
const UNCHECKED =
  /is not a function|Cannot read properties|update failed|event failed|inbound message failed|request failed/;

interface LogEntry {
  level: number;
  msg?: string;
  method?: string;
  path?: string;
  status?: number;
  reason?: string;
  problem?: string;
}

/** A pino destination keeping every line, raw and parsed. */
function memoryLog() {
  const raw: string[] = [];
  const entries: LogEntry[] = [];
  return {
    raw,
    entries,
    write(line: string) {
      raw.push(line);
      entries.push(JSON.parse(line) as LogEntry);
    },
  };
}

interface Outcome {
  req: BadRequest;
  res: ProbeResponse;
}

/** Answered by Bolt's receiver, which refuses with an empty body, not by Switchboard's app. */
const toBolt = (req: BadRequest) => req.method === 'POST' && req.path.startsWith(SLACK_EVENTS);

/**
 * Refusals logged by Switchboard: the app's and Bolt's (both pass the rejection log), not
 * those of Node's HTTP parser, which never reach a route.
 */
const logged = (req: BadRequest) => !req.raw;

/**
 * The platform libraries answer some refusals in their own words: Bolt with an empty body,
 * grammY with text; a raw request the parser closed got no answer at all.
 */
const platformAnswer = ({ req, res }: Outcome) =>
  toBolt(req) ||
  (req.path === TELEGRAM_WEBHOOK && res.status === 401) ||
  (req.raw !== undefined && res.status === 0);

/** The reason in a refusal's body: `{ error, message }`. */
function reasonOf(body: string): string | undefined {
  try {
    const reason = (JSON.parse(body) as { message?: unknown }).message;
    return typeof reason === 'string' && reason.length > 0 ? reason : undefined;
  } catch {
    return undefined;
  }
}

const tally = <T>(items: readonly T[], key: (item: T) => string | number) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describe('bad input never gets a 5xx', () => {
  const log = memoryLog();
  let telegram: TelegramFake;
  let slack: FakeSlack;
  let discord: DiscordFake;
  let sb: Switchboard;
  let webConversationId: string;
  let corpus: BadRequest[];
  let outcomes: Outcome[];
  let corpusLog: { from: number; to: number };
  let conversationsBefore: Set<string>;
  let ticketsBefore: number;
  let handoffsBefore: number;
  let elapsedMs = 0;

  const count = (table: string) =>
    (sb.store.db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const conversationIds = () =>
    (sb.store.db.prepare('select id from conversations').all() as Array<{ id: string }>).map(
      (r) => r.id,
    );
  const deliverTelegram = (update: object, secret = TELEGRAM_SECRET) =>
    fetch(`${sb.url}${TELEGRAM_WEBHOOK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
  const corpusLines = () => log.entries.slice(corpusLog.from, corpusLog.to);
  const settle = async () => {
    // Bolt acks before its listener runs; give listeners a moment, then let turns finish.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sb.engine.idle();
  };

  beforeAll(async () => {
    [telegram, slack, discord] = await Promise.all([
      createTelegramFake(),
      startFakeSlack(),
      createDiscordFake(),
    ]);
    sb = await startTestSwitchboard(
      {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: slack.apiUrl,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
        PUBLIC_URL: 'https://support.acme.example/',
        DISCORD_BOT_TOKEN: discord.token,
        DISCORD_API_URL: discord.restOptions.api,
      },
      { logger: createLogger('info', log) },
    );

    // One real conversation per channel: the leak probes ask for the foreign ones.
    webConversationId = (await webClient(sb.url).send('How do I reset my password?')).body
      .conversationId;
    const maya = readTelegramFixture('private-message.json');
    telegram.world.observe(maya);
    expect((await deliverTelegram(maya)).status).toBe(200);
    await telegram.waitFor((s) => s.chatId === MAYA);
    const slackDm = await postSignedEvent(
      `${sb.url}${SLACK_EVENTS}`,
      buildDirectMessage({ text: 'Where do I find my invoices?' }),
      { signingSecret: SLACK_SECRET },
    );
    expect(slackDm.status).toBe(200);
    await slack.waitFor((p) => p.channel === slack.ids.customerDm);
    const discordDm = discord.sendMessageCreate({ content: 'How do I export to CSV?', dm: true });
    await discord.waitFor((s) => s.channelId === discordDm.channel_id);
    await settle();
    const foreign = conversationIds().filter((id) => !id.startsWith('web:'));
    expect(foreign).toHaveLength(3);

    corpus = badRequests(SEED, {
      adminToken: sb.adminToken,
      slackSigningSecret: SLACK_SECRET,
      telegramSecret: TELEGRAM_SECRET,
      webConversationId,
      foreignConversationIds: foreign,
    });
    // The fake Telegram knows the chats of the updates that are valid by design, as it would.
    for (const req of corpus) {
      if (req.creates?.startsWith('telegram:') && req.body)
        telegram.world.observe(JSON.parse(req.body.toString()));
    }
    conversationsBefore = new Set(conversationIds());
    ticketsBefore = count('tickets');
    handoffsBefore = count('handoffs');
    const base = new URL(sb.url);
    const agent = probeAgent(CONCURRENCY);
    const from = log.entries.length;
    const started = performance.now();
    const answers = await inPool(corpus, CONCURRENCY, (req) => probe(base, req, agent));
    elapsedMs = performance.now() - started;
    agent.destroy();
    await settle();
    corpusLog = { from, to: log.entries.length };
    outcomes = corpus.map((req, i) => ({ req, res: answers[i] as ProbeResponse }));

    if (process.env.BAD_INPUT_SUMMARY) {
      console.info(
        JSON.stringify(
          {
            sent: corpus.length,
            seconds: Math.round(elapsedMs / 100) / 10,
            byKind: tally(corpus, (r) => r.kind),
            byStatus: tally(outcomes, (o) => o.res.status),
          },
          null,
          1,
        ),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await sb?.stop();
    await Promise.all([telegram?.close(), slack?.close(), discord?.close()]);
  });

  it('sends over a thousand bad requests across every route, and none gets a 5xx', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    const routes = new Set(corpus.map((r) => r.route));
    for (const route of ADMIN_ROUTES) expect(routes).toContain(routeName(route));
    for (const route of [
      'POST /web/messages',
      'GET /web/conversations/:id/messages',
      'GET /web/conversations/:id/stream',
      `POST ${SLACK_EVENTS}`,
      `POST ${TELEGRAM_WEBHOOK}`,
    ]) {
      expect(routes).toContain(route);
    }
    const failed = outcomes.filter(({ res }) => res.status >= 500 || res.status === 0);
    const show = (o: Outcome) =>
      `${o.req.kind} ${o.req.method} ${o.req.path.slice(0, 80)} → ${o.res.status} ${o.res.error ?? o.res.body.slice(0, 120)}`;
    // A raw request Node's parser refuses may be closed without an answer; none may be a 5xx.
    expect(failed.filter((o) => !(o.req.raw && o.res.status === 0)).map(show)).toEqual([]);
    const unexpected = outcomes.filter((o) => o.req.expect && !o.req.expect.includes(o.res.status));
    expect(unexpected.map(show)).toEqual([]);
    expect(elapsedMs).toBeLessThan(45_000);
  });

  it('answers every refusal with a JSON reason, and no answer shows a stack trace or a file path', () => {
    const leaks = outcomes.filter(
      ({ res }) =>
        INTERNALS.test(res.body) ||
        res.body.includes(sb.adminToken) ||
        res.body.includes('"name": "switchboard"'),
    );
    expect(leaks.map((o) => `${o.req.method} ${o.req.path} → ${o.res.body.slice(0, 200)}`)).toEqual(
      [],
    );
    const refusals = outcomes.filter(
      (o) => o.res.status >= 400 && o.res.status < 500 && !platformAnswer(o),
    );
    expect(refusals.length).toBeGreaterThan(900);
    const unexplained = refusals.filter(
      ({ res }) => !res.contentType.startsWith('application/json') || !reasonOf(res.body),
    );
    expect(
      unexplained.map(
        (o) => `${o.req.method} ${o.req.path} → ${o.res.status} ${o.res.body.slice(0, 100)}`,
      ),
    ).toEqual([]);
  });

  it('answers 401 on every /api and /desk/api route without the token or with a wrong one', () => {
    for (const route of ADMIN_ROUTES) {
      const tried = outcomes.filter(
        (o) => o.req.kind === 'bearer' && o.req.route === routeName(route),
      );
      expect(tried.length, routeName(route)).toBeGreaterThanOrEqual(16);
      expect(new Set(tried.map((o) => o.res.status)), routeName(route)).toEqual(new Set([401]));
    }
  });

  it("serves a conversation only to its own channel: the web chat's routes never show another platform's", () => {
    const probes = outcomes.filter((o) => o.req.kind === 'conversation-leak');
    expect(probes.length).toBeGreaterThanOrEqual(60);
    for (const o of probes) expect([400, 404], o.req.path).toContain(o.res.status);
    const served = outcomes.filter(
      (o) =>
        o.req.path.startsWith('/web/conversations/') &&
        o.res.status === 200 &&
        !o.req.path.includes(webConversationId),
    );
    expect(served.map((o) => o.req.path)).toEqual([]);
  });

  it('creates nothing from what it refused: only requests valid by design opened conversations', () => {
    const created = conversationIds().filter((id) => !conversationsBefore.has(id));
    const accepted = outcomes.filter((o) => o.res.status >= 200 && o.res.status < 300);
    const webAccepted = accepted.filter((o) => o.req.route === 'POST /web/messages');
    // A web message is taken in only when it was meant to be.
    expect(
      webAccepted
        .filter((o) => o.req.creates !== 'web')
        .map((o) => o.req.body?.toString().slice(0, 80)),
    ).toEqual([]);
    const expected = new Set([
      ...webAccepted.map(
        (o) => (JSON.parse(o.res.body) as { conversationId: string }).conversationId,
      ),
      ...corpus.flatMap((r) => (r.creates && r.creates !== 'web' ? [r.creates] : [])),
    ]);
    expect(new Set(created)).toEqual(expected);
    expect(created.filter((id) => /object|undefined|null|NaN|\[|\s/.test(id))).toEqual([]);
    // Tickets and handoffs: none but in the conversations valid requests opened.
    const inOthers = (table: string) =>
      (
        sb.store.db.prepare(`select conversation_id as id from ${table}`).all() as Array<{
          id: string;
        }>
      ).filter((r) => !expected.has(r.id)).length;
    expect(inOthers('tickets')).toBe(ticketsBefore);
    expect(inOthers('handoffs')).toBe(handoffsBefore);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as { text?: string }).text).toBeUndefined();
  });

  it('drops a Telegram update of the wrong types, acks it, and logs why, with no error', () => {
    const malformed = outcomes.filter(
      (o) => o.req.path === TELEGRAM_WEBHOOK && o.res.status === 200 && !o.req.creates,
    );
    expect(malformed.length).toBeGreaterThanOrEqual(40);
    const dropped = corpusLines().filter((l) => l.msg?.startsWith('telegram: update dropped'));
    expect(dropped).toHaveLength(malformed.length);
    expect(dropped.every((l) => l.level === 40)).toBe(true);
    expect(dropped.map((l) => l.problem)).toContain(
      'message.chat.id: Invalid input: expected number, received object',
    );
    expect(dropped.map((l) => l.problem)).toContain(
      'message.text: Invalid input: expected string, received number',
    );
    expect(conversationIds()).not.toContain('telegram:[object Object]');
    expect(
      conversationIds()
        .filter((id) => id.startsWith('telegram:88'))
        .sort(),
    ).toEqual(
      corpus.flatMap((r) => (r.creates?.startsWith('telegram:') ? [r.creates] : [])).sort(),
    );
  });

  it('never lets a signed Slack event of the wrong shape open a conversation, or Bolt answer 5xx', () => {
    const signed = outcomes.filter((o) => o.req.kind === 'slack-malformed');
    expect(signed.length).toBeGreaterThanOrEqual(40);
    expect(signed.filter((o) => o.res.status >= 500)).toEqual([]);
    const valid = corpus.flatMap((r) => (r.creates?.startsWith('slack:') ? [r.creates] : []));
    expect(valid).toHaveLength(1);
    expect(
      conversationIds().filter(
        (id) => id.startsWith('slack:') && id !== `slack:${slack.ids.customerDm}`,
      ),
    ).toEqual(valid);
    // The bot answered the valid one, and only it, of the probes' channels.
    const answered = new Set(
      slack.posts.filter((p) => p.channel.startsWith('D0BAD')).map((p) => `slack:${p.channel}`),
    );
    expect([...answered]).toEqual(valid);
    const dropped = corpusLines().filter(
      (l) => l.msg === 'Slack request dropped: Bolt could not process it',
    );
    expect(dropped.length).toBeGreaterThan(0);
  });

  it('logs each refusal once, with method, path, status and reason, never its body or a secret', async () => {
    const lines = corpusLines();
    const rejected = lines.filter((l) => l.msg?.startsWith('rejected '));
    const refusals = outcomes.filter(
      (o) => logged(o.req) && o.res.status >= 400 && o.res.status < 500 && o.res.status !== 404,
    );
    expect(rejected).toHaveLength(refusals.length);
    for (const l of rejected) {
      expect(l.level === 40 ? l.status === 401 : l.level === 30).toBe(true);
      expect(l.method && l.path && l.status && l.reason).toBeTruthy();
    }
    const raw = log.raw.slice(corpusLog.from, corpusLog.to).join('');
    for (const secret of [sb.adminToken, TELEGRAM_SECRET, SLACK_SECRET])
      expect(raw).not.toContain(secret);
    expect(lines.filter((l) => UNCHECKED.test(l.msg ?? '')).map((l) => l.msg)).toEqual([]);
    // Bolt answers 404 to a signed body nothing in it handles (no Slack request looks so),
    // after its 3 s ack timeout, and says so as an error: its words, not a failure of ours.
    const boltUnhandled = (l: LogEntry) =>
      l.msg?.startsWith('An incoming event was not acknowledged');
    expect(lines.filter((l) => l.level >= 50 && !boltUnhandled(l)).map((l) => l.msg)).toEqual([]);

    // One refusal of each kind, as the operator reads it.
    const at = log.entries.length;
    const marker = 'body-marker-0f3c';
    const unsupported = await fetch(`${sb.url}/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: marker,
    });
    const unauthorized = await fetch(`${sb.url}/api/tickets`, {
      headers: { authorization: `Bearer token-marker-77a1` },
    });
    expect([unsupported.status, unauthorized.status]).toEqual([415, 401]);
    const after = log.raw.slice(at).join('');
    expect(after).not.toContain(marker);
    expect(after).not.toContain('token-marker-77a1');
    expect(log.entries.slice(at)).toEqual([
      expect.objectContaining({
        level: 30,
        method: 'POST',
        path: '/web/messages',
        status: 415,
        reason: 'send the body as JSON (application/json)',
        msg: 'rejected POST /web/messages: 415 send the body as JSON (application/json)',
      }),
      expect.objectContaining({
        level: 40,
        method: 'GET',
        path: '/api/tickets',
        status: 401,
        reason: 'missing or wrong bearer token (ADMIN_TOKEN)',
      }),
    ]);
  });

  it('drops a Discord message without an author or with a content that is not text', async () => {
    const dm = readDiscordFixture<{ d: Record<string, unknown> }>('message-create-dm.json').d;
    const at = log.entries.length;
    const defects: Array<Record<string, unknown>> = [
      { content: 42 },
      { content: { text: 'hi' } },
      { content: null },
      { content: undefined },
      { author: undefined },
      { author: { username: 'no-id' } },
      { author: { id: 42, username: 'numeric' } },
    ];
    defects.forEach((defect, i) => {
      discord.dispatch('MESSAGE_CREATE', {
        ...dm,
        id: `12627073093275${String(i).padStart(5, '0')}`,
        channel_id: `55500000000000${String(i).padStart(5, '0')}`,
        ...defect,
      });
    });
    // A valid message after them is answered: the client survived what came before.
    const valid = discord.sendMessageCreate({ content: 'How do I reset my password?', dm: true });
    await discord.waitFor(
      (s) => s.channelId === valid.channel_id && /password/i.test(s.body.content ?? ''),
    );
    await settle();
    expect(conversationIds().filter((id) => id.startsWith('discord:dm:555'))).toEqual([]);
    const lines = log.entries.slice(at);
    expect(
      lines.filter((l) => UNCHECKED.test(l.msg ?? '') || l.level >= 50).map((l) => l.msg),
    ).toEqual([]);
  });

  it('is alive afterwards, and normal use still works on every channel', async () => {
    const health = await fetch(`${sb.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');

    const client = webClient(sb.url);
    const sent = await client.send('How do I reset my password?');
    expect(sent.status).toBe(202);
    await expect
      .poll(
        async () => (await client.messages(sent.body.conversationId)).messages.map((m) => m.role),
        {
          timeout: 10_000,
        },
      )
      .toContain('bot');

    const auth = { authorization: `Bearer ${sb.adminToken}` };
    expect((await fetch(`${sb.url}/api/tickets`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${sb.url}/desk/api/handoffs`, { headers: auth })).status).toBe(200);

    const update = readTelegramFixture('private-message.json');
    const again = {
      ...update,
      update_id: update.update_id + 1,
      message: { ...update.message, message_id: 9001, text: 'How do I reset my password?' },
    };
    expect((await deliverTelegram(again)).status).toBe(200);
    await telegram.waitFor((s) => s.chatId === MAYA && /password/i.test(s.text));

    const dm = buildDirectMessage({ text: 'How do I reset my password?' });
    expect(
      (await postSignedEvent(`${sb.url}${SLACK_EVENTS}`, dm, { signingSecret: SLACK_SECRET }))
        .status,
    ).toBe(200);
    await slack.waitFor(
      (p) => p.channel === slack.ids.customerDm && /password/i.test(p.text ?? ''),
    );
  });
});
