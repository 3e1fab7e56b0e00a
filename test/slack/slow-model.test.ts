import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { buildAppMention, buildDirectMessage } from '../fakes/slack/index.ts';
import { type SlackWorld, startSlackWorld } from './helpers.ts';

const MODEL_DELAY_MS = 5000;

describe('Slack acks while the model is slow', () => {
  let openai: FakeOpenAI;
  const worlds: SlackWorld[] = [];

  beforeAll(async () => {
    openai = await startFakeOpenAI();
    openai.setMode('slow', { delayMs: MODEL_DELAY_MS });
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.url, LLM_TIMEOUT_MS: '20000' };
    worlds.push(
      ...(await Promise.all([startSlackWorld('http', env), startSlackWorld('socket', env)])),
    );
  });
  afterAll(async () => {
    await Promise.all(worlds.map((w) => w.stop()));
    await openai?.close();
  });

  it('acks a DM and a mention in under a second in both modes, and answers once the model does', async () => {
    const started = Date.now();
    const acks = await Promise.all(
      worlds.flatMap((w) => [
        w.deliver(buildDirectMessage({ text: 'How do I export my orders?' })),
        w.deliver(buildAppMention({ text: `<@${w.fake.ids.botUserId}> is checkout down?` })),
      ]),
    );
    for (const ms of acks) expect(ms).toBeLessThan(1000);
    // The turn runs after the ack: each answer arrives only when the slow model has answered.
    const answers = await Promise.all(
      worlds.flatMap((w) => [
        w.fake.waitFor((p) => p.channel === w.fake.ids.customerDm, MODEL_DELAY_MS + 3000),
        w.fake.waitFor((p) => p.channel === w.fake.ids.communityChannel, MODEL_DELAY_MS + 3000),
      ]),
    );
    for (const a of answers) expect(a.at - started).toBeGreaterThanOrEqual(MODEL_DELAY_MS - 50);
    expect(openai.requests.filter((r) => r.path.endsWith('/chat/completions')).length).toBe(4);
  });
});
