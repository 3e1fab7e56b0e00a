/**
 * Cluster titles written by the model (the fake OpenAI server behind the real client):
 * from the cluster's redacted phrases, after the ticket's commit, again only when the
 * cluster has grown materially, tidied and redacted like an extracted title; a failing
 * model leaves the title the cluster has.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIClient } from '../../src/ai/openai-client.ts';
import { createModelTitleWriter } from '../../src/ai/write-title.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { SETTINGS_CRASH, startTriage, type TriageKit } from './triage-kit.ts';

let fake: FakeOpenAI;
let kit: TriageKit | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  kit?.close();
  kit = undefined;
  fake.reset();
});

const writer = () =>
  createModelTitleWriter({
    client: createOpenAIClient({ apiKey: 'sk-test-titles-0123456789', baseURL: fake.url }),
    model: 'title-model',
    timeoutMs: 2_000,
    maxRetries: 0,
    baseDelayMs: 5,
  });

/** The descriptions the model was sent, from the last title request. */
const sentPhrases = () =>
  JSON.stringify(fake.requests.filter((r) => r.body.model === 'title-model').at(-1)?.body.messages);

describe('cluster titles by the model', () => {
  it('titles a cluster from its phrases, and asks again only when it has grown', async () => {
    fake.setHandler(() => ({ title: 'App crashes when opening Settings.' }));
    kit = await startTriage({ titleWriter: writer() });
    const first = await kit.report({
      text: `${SETTINGS_CRASH[0]} since 3.2.1, mail me at ann@example.com`,
      reporter: 'a',
    });
    await kit.triage.idle();
    const cluster = () => kit?.store.clusters.get(first.clusterId as number);
    expect(cluster()).toMatchObject({
      title: 'App crashes when opening Settings',
      titleSource: 'model',
    });
    expect(sentPhrases()).not.toContain('ann@example.com');
    const asked = () => fake.requests.filter((r) => r.body.model === 'title-model').length;
    expect(asked()).toBe(1);

    // Grown to 2, 3 and 5 reports: retitled at each; at 4 not.
    for (const [i, text] of SETTINGS_CRASH.slice(1).entries()) {
      await kit.report({ text, reporter: `r${i}` });
      await kit.triage.idle();
    }
    expect(cluster()?.reports).toBe(5);
    expect(asked()).toBe(4);
  });

  it('keeps the title it has when the model fails', async () => {
    fake.setHandler(() => {
      throw new Error('model down');
    });
    kit = await startTriage({ titleWriter: writer() });
    const t = await kit.report({ text: SETTINGS_CRASH[2] as string, reporter: 'a' });
    await kit.triage.idle();
    expect(kit.store.clusters.get(t.clusterId as number)).toMatchObject({
      title: 'The app crashes whenever I tap Settings',
      titleSource: 'extract',
    });
  });
});
