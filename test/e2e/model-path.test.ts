import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { modelTurn } from '../fakes/openai/chat.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { startTestSwitchboard, webClient } from '../helpers/switchboard.ts';

const turn = modelTurn(
  'Open Settings › Security and choose Reset password (see: Accounts and login › Resetting your password).',
  { tags: ['login'], productArea: 'Accounts and login › Resetting your password' },
);

describe('the model path behind the web chat', () => {
  let fake: FakeOpenAI;
  let sb: Switchboard;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    sb = await startTestSwitchboard({
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: fake.url,
      LLM_MODEL: 'primary-model',
      LLM_FALLBACK_MODEL: 'backup-model',
      LLM_TIMEOUT_MS: '1000',
    });
  });
  afterAll(async () => {
    await sb?.stop();
    await fake?.close();
  });

  it('answers with the model, sends it the docs, and records token usage', async () => {
    fake.setMode('ok');
    fake.reply(turn);
    const client = webClient(sb.url);
    const { body } = await client.send(
      'How do I reset my password? My email is jane.doe@example.com',
    );
    await sb.engine.idle();
    const { messages } = await client.messages(body.conversationId);
    expect(messages.at(-1)?.text).toBe(turn.reply);
    const sent = JSON.stringify(fake.requests.at(-1)?.body);
    expect(sent).toContain('Resetting your password');
    // Personal data never reaches the model.
    expect(sent).not.toContain('jane.doe@example.com');
    const usage = sb.store.db
      .prepare('SELECT model, prompt_tokens FROM model_usage WHERE conversation_id = ?')
      .get(body.conversationId) as { model: string; prompt_tokens: number };
    expect(usage.model).toBe('primary-model');
    expect(usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('falls back to the second model when the first keeps failing', async () => {
    fake.setMode('500', { model: 'primary-model' });
    fake.reply({ ...turn, reply: 'Answer from the backup model.' });
    const client = webClient(sb.url);
    const { body } = await client.send('How do I reset my password?');
    await sb.engine.idle();
    const { messages } = await client.messages(body.conversationId);
    expect(messages.at(-1)?.text).toBe('Answer from the backup model.');
    expect(fake.requests.some((r) => r.model === 'backup-model')).toBe(true);
  });

  it('still gives a useful offline answer, with no error string, when the provider is down', async () => {
    fake.setMode('down');
    const client = webClient(sb.url);
    const { body } = await client.send('How do I reset my password?');
    await sb.engine.idle();
    const { messages } = await client.messages(body.conversationId);
    const answer = messages.at(-1);
    expect(answer?.role).toBe('bot');
    expect(answer?.text).toMatch(/Source: Accounts and login › Resetting your password/);
    expect(answer?.text).not.toMatch(/error|exception|ECONN|500/i);
  });
});
