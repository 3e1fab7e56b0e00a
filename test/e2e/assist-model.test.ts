/**
 * Drafted replies on the model path: the real `openai` client against the loopback fake.
 * With a model, the card's draft is the model's, only sections it was given count as
 * sources, personal data never reaches the prompt, and the tokens are recorded; when the
 * provider fails, the draft falls back to the offline extract and no error reaches anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { plausibleAnswer } from '../fakes/openai/chat.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { startTestSwitchboard, webClient } from '../helpers/switchboard.ts';

const ANA = { id: 'ana', name: 'Ana' };

describe('drafted replies through the model', () => {
  let fake: FakeOpenAI;
  let sb: Switchboard;
  let conversationId: string;
  let handoffId: number;

  const say = async (text: string) => {
    const { body } = await webClient(sb.url).send(text, conversationId);
    conversationId = body.conversationId;
    await sb.engine.idle();
  };
  const suggestionPrompts = () =>
    fake.requests.filter(
      (r) =>
        (r.body as { response_format?: { json_schema?: { name?: string } } }).response_format
          ?.json_schema?.name === 'suggestion',
    );

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    fake.setHandler((request) => plausibleAnswer(request.body as never));
    sb = await startTestSwitchboard({
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: fake.url,
      LLM_MODEL: 'primary-model',
      LLM_TIMEOUT_MS: '1000',
    });
    await say(
      'My reset email never arrives, my address is maya@example.com. I want to talk to a person',
    );
    handoffId = sb.store.handoffs.activeFor(conversationId)?.id as number;
    await sb.engine.desk.claim(handoffId, ANA);
    await sb.engine.idle();
  });
  afterAll(async () => {
    await sb?.stop();
    await fake?.close();
  });

  it("shows the model's draft with the sections it was given, redacted and counted", () => {
    const suggestion = sb.engine.desk.card(handoffId)?.suggestion;
    expect(suggestion?.text).toMatch(/^Thanks for the details\./);
    expect(suggestion?.sources.length).toBe(1);
    const prompt = JSON.stringify(suggestionPrompts().at(-1)?.body);
    expect(prompt).toContain(suggestion?.sources[0]);
    expect(prompt).not.toContain('maya@example.com');
    const row = sb.store.db
      .prepare<[number], { model: string; prompt_tokens: number; completion_tokens: number }>(
        'SELECT model, prompt_tokens, completion_tokens FROM suggestions WHERE id = ?',
      )
      .get(suggestion?.id as number);
    expect(row?.model).toBe('primary-model');
    expect(row?.prompt_tokens).toBeGreaterThan(0);
    expect(row?.completion_tokens).toBeGreaterThan(0);
  });

  it('drafts offline when the provider fails, and the relay does not wait for it', async () => {
    fake.setMode('500');
    const before = sb.engine.desk.card(handoffId)?.suggestion?.id as number;
    await say('I also checked the spam folder, how do I reset my password?');
    const after = sb.engine.desk.card(handoffId)?.suggestion;
    expect(after?.id).toBeGreaterThan(before);
    expect(after?.text).toMatch(/^Thanks for waiting! Here is what our docs say/);
    expect(after?.text).not.toMatch(/error|500|unavailable/i);
    // The customer's message reached the agent's desk as it came, model or not.
    const relayed = sb.store.conversations.messages(conversationId).at(-1);
    expect(relayed?.role).toBe('customer');
    fake.setMode('ok');
  });
});
