/**
 * A model outage is invisible to customers (issue 17). Switchboard runs the model path
 * against the fake OpenAI server, which first answers 500 to everything, then hangs, then
 * recovers. Through both outages every turn must be answered (primary model, fallback model,
 * then the offline assistant) within the budget the retry policy allows, with no error
 * string; once the provider is back, the model answers again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryPolicyFrom } from '../../src/ai/retry.ts';
import type { Switchboard } from '../../src/main.ts';
import { modelTurn } from '../fakes/openai/chat.ts';
import { type FakeOpenAI, type FakeRequestBody, startFakeOpenAI } from '../fakes/openai/server.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const PRIMARY = 'primary-model';
const FALLBACK = 'backup-model';
/** The shortest per-attempt timeout the config accepts (`LLM_TIMEOUT_MS` ≥ 1000). */
const TIMEOUT_MS = 1000;
/** Retrieval, the offline assistant, triage and the HTTP round trips, on a busy 2-core box. */
const OVERHEAD_MS = 1500;

// Their doc sections don't use any of the words below, so a match can only be a leak.
const QUESTIONS = [
  'How do I reset my password?',
  'How do I turn on 2FA?',
  'How do I track an order?',
  'How do I print a shipping label?',
  'How do I change my notification settings?',
];
const BUG_REPORTS = [
  'Checkout crashes at the payment step, iPhone 15, app 3.2.1',
  'Barcode scanning freezes the camera on my Pixel 8, Android 14, app 3.3.0',
  'Photos stop syncing after the update, Galaxy S23, Android 14, app 3.2.0',
  'The app crashes when I open settings, iPhone 14 on iOS 17, app version 3.2.1',
  'Order notifications arrive hours late, Pixel 7, Android 14, app 3.2.1',
];
const ERROR_STRING =
  /error|\b500\b|timeout|timed out|ECONN|internal|undefined|\[object|\bat \S+ \(|:\d+:\d+\)|went wrong/i;

/** The model's recognisable answer once the provider is back. */
const RECOVERED_TURN = modelTurn(
  'Model answer: open Settings › Security and choose Reset password.',
  {
    tags: ['login'],
    productArea: 'Accounts and login › Resetting your password',
  },
);

/** The longest one model call may take under `policy`: every attempt to the end, every backoff step in full. */
function worstCaseMs(policy: RetryPolicy, attemptMs: number): number {
  let backoff = 0;
  for (let n = 1; n <= policy.maxRetries; n++) {
    backoff += Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  }
  return (policy.maxRetries + 1) * attemptMs + backoff;
}

/**
 * A turn's budget (src/ai): the assistant tries the primary and then the fallback model, each
 * with DEFAULT_RETRY_POLICY; a ticket's turn then asks the area chooser (one retry) when the
 * docs match the report weakly. The cluster title is written after the reply, off its path.
 */
function turnBudgetMs(attemptMs: number, ticket: boolean): number {
  const assistant = 2 * worstCaseMs(DEFAULT_RETRY_POLICY, attemptMs);
  const chooser = ticket ? worstCaseMs(retryPolicyFrom({ maxRetries: 1 }), attemptMs) : 0;
  return assistant + chooser + OVERHEAD_MS;
}

const isTurnCall = (body: FakeRequestBody) =>
  body.response_format?.json_schema?.name === 'turn_result';

describe('a model outage, as customers see it', () => {
  const data = tempDataDir();
  let fake: FakeOpenAI;
  let sb: Switchboard;
  /** What each phase measured, printed once at the end. */
  const figures: string[] = [];
  /** When the first reply to each conversation was stored. */
  const answeredAt = new Map<string, number>();

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    sb = await startTestSwitchboard({
      DATA_DIR: data.dir,
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: fake.url,
      LLM_MODEL: PRIMARY,
      LLM_FALLBACK_MODEL: FALLBACK,
      LLM_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    sb.engine.on('message', (m) => {
      if (m.role !== 'customer' && !answeredAt.has(m.conversationId)) {
        answeredAt.set(m.conversationId, performance.now());
      }
    });
  });
  afterAll(async () => {
    console.log(`outage suite (LLM_TIMEOUT_MS ${TIMEOUT_MS}): ${figures.join('; ')}`);
    await sb?.stop();
    await fake?.close();
    data.remove();
  });

  /** Sends every text in its own new conversation, all at once; one reply each, timed. */
  async function turns(texts: string[]) {
    const client = webClient(sb.url);
    const sent = await Promise.all(
      texts.map(async (text) => {
        const startedAt = performance.now();
        const { status, body } = await client.send(text);
        expect(status).toBe(202);
        return { text, startedAt, conversationId: body.conversationId };
      }),
    );
    await sb.engine.idle();
    return Promise.all(
      sent.map(async ({ text, startedAt, conversationId }) => {
        const { messages } = await client.messages(conversationId);
        const replies = messages.filter((m) => m.role !== 'customer');
        expect(replies, text).toHaveLength(1);
        const tookMs = (answeredAt.get(conversationId) ?? Number.POSITIVE_INFINITY) - startedAt;
        return { text, conversationId, reply: replies[0] as (typeof replies)[number], tookMs };
      }),
    );
  }

  /** Every turn answered by the offline assistant in time, without an error string. */
  async function outage(mode: '500' | 'hang', attemptMs: number) {
    fake.reset();
    fake.setMode(mode);
    const answered = await turns([...QUESTIONS, ...BUG_REPORTS]);
    for (const { text, reply, tookMs } of answered) {
      const ticket = BUG_REPORTS.includes(text);
      expect(reply.role, text).toBe('bot');
      expect(reply.text, text).not.toMatch(ERROR_STRING);
      // The offline assistant's answers: a cited doc section, or a filed ticket.
      expect(reply.text, text).toMatch(ticket ? /ticket reference is \*\*T-\d{4}\*\*/ : /Source: /);
      expect(tookMs, `${text}: ${Math.round(tookMs)} ms`).toBeLessThanOrEqual(
        turnBudgetMs(attemptMs, ticket),
      );
    }
    // Each turn tried both models with every retry before answering offline.
    const calls = fake.requests.filter((r) => isTurnCall(r.body));
    const attempts = DEFAULT_RETRY_POLICY.maxRetries + 1;
    expect(calls.filter((r) => r.model === PRIMARY)).toHaveLength(answered.length * attempts);
    expect(calls.filter((r) => r.model === FALLBACK)).toHaveLength(answered.length * attempts);
    const usage = sb.store.db.prepare('SELECT COUNT(*) AS n FROM model_usage').get() as {
      n: number;
    };
    expect(usage.n, 'no turn was answered by a model').toBe(0);
    const ms = (ticket: boolean) =>
      answered
        .filter((a) => BUG_REPORTS.includes(a.text) === ticket)
        .map((a) => Math.round(a.tookMs));
    return (
      `questions ${show(ms(false))} (budget ${turnBudgetMs(attemptMs, false)} ms), ` +
      `bug reports ${show(ms(true))} (budget ${turnBudgetMs(attemptMs, true)} ms), ` +
      `${fake.requests.length} provider requests`
    );
  }

  const show = (ms: number[]) =>
    `${ms.length} answered in ${Math.min(...ms)}–${Math.max(...ms)} ms`;

  it('answers every turn offline, in time and without an error string, while the provider answers 500', async () => {
    // A 500 comes back at once: the turn waits for the backoff, never for a timeout.
    figures.push(`500s: ${await outage('500', 100)}`);
  }, 30_000);

  it('answers every turn offline within the timeout budget while the provider hangs', async () => {
    figures.push(`hang: ${await outage('hang', TIMEOUT_MS)}`);
    // The fake really held the requests: each one ended by the client's timeout.
    expect(fake.requests.every((r) => r.outcome === 'hang')).toBe(true);
  }, 60_000);

  it('answers with the model again once the provider recovers', async () => {
    fake.reset();
    fake.setHandler((request) => (isTurnCall(request.body) ? RECOVERED_TURN : undefined));
    const [answered] = await turns(['How do I reset my password?']);
    expect(answered?.reply.text).toBe(RECOVERED_TURN.reply);
    expect(answered?.tookMs).toBeLessThanOrEqual(TIMEOUT_MS + OVERHEAD_MS);
    const calls = fake.requests.filter((r) => isTurnCall(r.body));
    expect(calls.map((r) => r.model)).toEqual([PRIMARY]);
    const usage = sb.store.db
      .prepare('SELECT model FROM model_usage WHERE conversation_id = ?')
      .all(answered?.conversationId) as Array<{ model: string }>;
    expect(usage).toEqual([{ model: PRIMARY }]);
    figures.push(`recovered: ${show([Math.round(answered?.tookMs ?? 0)])} by the model`);
  }, 30_000);
});
