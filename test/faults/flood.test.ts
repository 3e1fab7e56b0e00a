/**
 * A flood is contained: one customer sending far faster than anyone types gets one polite
 * "slow down" and no model call for the rest, while another customer is answered as usual;
 * a platform's retries of one message are not a flood. Through the real web chat, on the
 * model path against the loopback fake provider, so model calls can be counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW_DOWN } from '../../src/engine/conversation/rate-limit.ts';
import type { Switchboard } from '../../src/main.ts';
import { modelTurn } from '../fakes/openai/chat.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { startTestSwitchboard, webClient } from '../helpers/switchboard.ts';

const LIMIT = 5;
const FLOOD = 40;

const turn = (reply: string) => modelTurn(reply, { summary: 'Asks a question' });

describe('a flood from one customer', () => {
  let fake: FakeOpenAI;
  let sb: Switchboard;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    fake.setHandler(() => turn('Here is how that works.'));
    sb = await startTestSwitchboard({
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: fake.url,
      LLM_MODEL: 'primary-model',
      LLM_TIMEOUT_MS: '2000',
      RATE_LIMIT_PER_AUTHOR: String(LIMIT),
    });
  });
  afterAll(async () => {
    await sb?.stop();
    await fake?.close();
  });

  const chats = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

  it('answers the first messages, says "slow down" once, and calls no model for the rest', async () => {
    const client = webClient(sb.url);
    const before = chats();
    const first = await client.send('How do I reset my password?');
    const id = first.body.conversationId;
    const sends = Array.from({ length: FLOOD - 1 }, (_, i) => client.send(`question ${i + 2}`, id));
    // Meanwhile another customer asks one question.
    const other = await client.send('How do I add a product?');
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    await sb.engine.idle();

    expect(statuses.every((s) => s === 202)).toBe(true);
    const { messages } = await client.messages(id);
    expect(messages.filter((m) => m.role === 'customer')).toHaveLength(FLOOD);
    const answers = messages.filter((m) => m.role === 'bot');
    const notices = messages.filter((m) => m.text === SLOW_DOWN);
    expect(answers).toHaveLength(LIMIT);
    expect(notices).toHaveLength(1);
    // One model call per answered message, plus the other customer's one.
    expect(chats() - before).toBe(LIMIT + 1);
    const theirs = await client.messages(other.body.conversationId);
    expect(theirs.messages.at(-1)?.text).toBe('Here is how that works.');

    const metrics = await (await fetch(`${sb.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`switchboard_rate_limited_messages_total\\{scope="author"\\} ${FLOOD - LIMIT}\\b`),
    );
    expect(metrics).toMatch(
      new RegExp(`switchboard_turns_total\\{outcome="model",state="CONTINUE"\\} ${LIMIT + 1}\\b`),
    );
  });

  it('does not count a platform delivering the same message again', async () => {
    const client = webClient(sb.url);
    const first = await client.send('How do I track an order?', undefined, 'client-msg-1');
    const id = first.body.conversationId;
    const retries = await Promise.all(
      Array.from({ length: 20 }, () => client.send('How do I track an order?', id, 'client-msg-1')),
    );
    expect(retries.every((r) => r.body.duplicate)).toBe(true);
    await client.send('And how do I change my shipping address?', id, 'client-msg-2');
    await sb.engine.idle();
    const { messages } = await client.messages(id);
    expect(messages.filter((m) => m.role === 'customer')).toHaveLength(2);
    expect(messages.filter((m) => m.role === 'bot')).toHaveLength(2);
    expect(messages.some((m) => m.text === SLOW_DOWN)).toBe(false);
  });
});
