import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelUnavailableError } from '../../src/ai/errors.ts';
import { createModelAssistant, type ModelAssistantOptions } from '../../src/ai/model-assistant.ts';
import { createOpenAIClient } from '../../src/ai/openai-client.ts';
import { withOfflineFallback } from '../../src/ai/with-fallback.ts';
import type { Assistant, TurnInput, TurnResult } from '../../src/types/index.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';

const API_KEY = 'sk-test-do-not-log-0123456789';
const PRIMARY = 'primary-model';
const FALLBACK = 'fallback-model';

const input: TurnInput = {
  history: [
    { role: 'customer', text: 'Hi, I forgot my password' },
    { role: 'bot', text: 'I can help. Which app are you using?' },
    { role: 'customer', text: 'The iOS app. How do I reset it?' },
  ],
  text: 'The iOS app. How do I reset it?',
  knowledge: [
    {
      chunkId: 7,
      file: 'accounts.md',
      section: 'Accounts › Resetting your password',
      text: 'Open Settings, then Security, and tap "Reset password". A link arrives by email.',
      score: 0.91,
    },
  ],
};

const good: TurnResult = {
  reply:
    'Open Settings › Security and tap "Reset password". (see: Accounts › Resetting your password)',
  state: 'CONTINUE',
  kind: 'account',
  category: 'password-reset',
  priority: 'low',
  sentiment: 'neutral',
  summary: 'Customer asks how to reset their password in the iOS app.',
  tags: ['password', 'ios'],
  productArea: 'Accounts',
  confidence: 0.9,
};

const offlineResult: TurnResult = {
  ...good,
  reply: 'Offline answer from the docs.',
  confidence: 0.4,
};
const offline: Assistant = {
  name: 'offline',
  respond: async () => ({ result: offlineResult }),
  suggest: async () => ({ text: 'Offline draft from the docs.', sources: [], confidence: null }),
};

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function assistant(overrides: Partial<ModelAssistantOptions> = {}) {
  const client = createOpenAIClient({ apiKey: API_KEY, baseURL: fake.url, timeoutMs: 2_000 });
  return createModelAssistant({
    client,
    model: PRIMARY,
    fallbackModel: FALLBACK,
    timeoutMs: 300,
    maxRetries: 2,
    baseDelayMs: 5,
    ...overrides,
  });
}

const modelsSeen = () => fake.requests.map((r) => r.model);

describe('createModelAssistant', () => {
  it('parses a structured reply and records the usage of the call', async () => {
    fake.reply(good);

    const { result, usage } = await assistant().respond(input);

    expect(result).toEqual(good);
    expect(usage).toEqual({
      model: PRIMARY,
      promptTokens: expect.any(Number),
      completionTokens: Math.ceil(JSON.stringify(good).length / 4),
      path: 'first_try',
    });
    expect(usage?.promptTokens).toBeGreaterThan(100);
    expect(modelsSeen()).toEqual([PRIMARY]);
  });

  it('sends a strict json_schema response format, the knowledge with its section, and the history', async () => {
    fake.reply(good);
    await assistant().respond(input);

    const body = fake.requests[0]?.body;
    expect(body?.response_format?.type).toBe('json_schema');
    const format = body?.response_format?.json_schema;
    expect(format?.strict).toBe(true);
    expect(format?.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: Object.keys(good),
      properties: { productArea: { type: ['string', 'null'] } },
    });
    expect(JSON.stringify(format?.schema)).not.toMatch(/maxLength|minLength|\$schema|anyOf/);

    const [system, ...conversation] = body?.messages ?? [];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Section: Accounts › Resetting your password');
    expect(system?.content).toContain('tap "Reset password"');
    expect(system?.content).toContain('(see: ');
    expect(system?.content).toMatch(/RAISE_TICKET/);
    expect(conversation.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(conversation.at(-1)?.content).toBe(input.text);
  });

  it('retries after a 429 and succeeds', async () => {
    fake.setMode('429', { times: 1, retryAfterMs: 20 });
    fake.reply(good);

    const { result, usage } = await assistant().respond(input);

    expect(result).toEqual(good);
    expect(usage).toMatchObject({ model: PRIMARY, path: 'retried' });
    expect(fake.requests.map((r) => r.outcome)).toEqual(['429', 'ok']);
  });

  it('moves to the fallback model when a 429 asks for a longer wait than the cap', async () => {
    fake.setMode('429', { model: PRIMARY, retryAfterMs: 60_000 });
    fake.reply(good);

    const { usage } = await assistant().respond(input);

    expect(usage?.model).toBe(FALLBACK);
    expect(modelsSeen()).toEqual([PRIMARY, FALLBACK]);
  });

  it('answers from the fallback model when the primary keeps failing with 500', async () => {
    fake.setMode('500', { model: PRIMARY });
    fake.reply(good);

    const { result, usage } = await assistant().respond(input);

    expect(result).toEqual(good);
    expect(usage).toMatchObject({ model: FALLBACK, path: 'fallback_model' });
    expect(modelsSeen()).toEqual([PRIMARY, PRIMARY, PRIMARY, FALLBACK]);
  });

  it('retries a slow primary after its timeout, then falls back', async () => {
    fake.setMode('slow', { model: PRIMARY, delayMs: 2_000 });
    fake.reply(good);

    const { usage } = await assistant({ timeoutMs: 100 }).respond(input);

    expect(usage).toMatchObject({ model: FALLBACK, path: 'fallback_model' });
    expect(modelsSeen()).toEqual([PRIMARY, PRIMARY, PRIMARY, FALLBACK]);
  });

  it('retries output that is not JSON', async () => {
    fake.setMode('badJson', { times: 1 });
    fake.reply(good);

    const { result } = await assistant().respond(input);

    expect(result).toEqual(good);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['badJson', 'ok']);
    expect(modelsSeen()).toEqual([PRIMARY, PRIMARY]);
  });

  it('retries JSON that fails the schema', async () => {
    const fenced = ['```json', JSON.stringify(good), '```'].join('\n');
    fake.reply({ reply: 'Hello', state: 'MAYBE' }, fenced);

    const { result } = await assistant().respond(input);

    expect(result).toEqual(good);
    expect(modelsSeen()).toEqual([PRIMARY, PRIMARY]);
  });

  it('throws ModelUnavailableError with a cause when every model fails', async () => {
    fake.setMode('500');

    const error = await assistant({ maxRetries: 1 })
      .respond(input)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error).toMatchObject({ code: 'model_unavailable', cause: expect.any(Error) });
    expect((error as ModelUnavailableError).failures.map((f) => f.model)).toEqual([
      PRIMARY,
      FALLBACK,
    ]);
    expect(modelsSeen()).toEqual([PRIMARY, PRIMARY, FALLBACK, FALLBACK]);
  });
});

describe('withOfflineFallback', () => {
  it('answers with the offline assistant during a total outage, logging no secrets', async () => {
    fake.setMode('down');
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });

    const safe = withOfflineFallback(assistant({ logger }), offline, logger);
    const answer = await safe.respond(input);

    expect(answer.result).toEqual(offlineResult);
    expect(answer.usage).toBeUndefined();
    expect(modelsSeen()).toEqual([PRIMARY, PRIMARY, PRIMARY, FALLBACK, FALLBACK, FALLBACK]);
    expect(lines.some((l) => l.includes('answering offline'))).toBe(true);
    expect(lines.join('\n')).not.toContain(API_KEY);
    expect(lines.join('\n')).not.toContain('iOS app');
  });

  it('passes the primary answer through when it works', async () => {
    fake.reply(good);

    const answer = await withOfflineFallback(assistant(), offline).respond(input);

    expect(answer.result).toEqual(good);
    expect(answer.usage?.model).toBe(PRIMARY);
  });
});
