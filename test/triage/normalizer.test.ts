/**
 * The normalizer against the fake OpenAI server: a clear match is taken without a model
 * call; an unclear one is decided by the model among the nearest areas (with personal data
 * redacted from the prompt); a failing model leaves a low-confidence best guess. The skip
 * rate it reports is what `/metrics` and the evaluation show.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelAreaChooser } from '../../src/ai/choose-area.ts';
import { createOpenAIClient } from '../../src/ai/openai-client.ts';
import {
  AREA_THRESHOLD,
  createNormalizer,
  type Normalizer,
} from '../../src/engine/triage/normalizer.ts';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fakes/openai/server.ts';
import { startTriage, type TriageKit } from './triage-kit.ts';

const CLEAR = 'settings screen closes the app';
const UNCLEAR = 'the gift wrapping option vanished from my orders, write to jo@shop.io';

let fake: FakeOpenAI;
let kit: TriageKit;
let normalizer: Normalizer;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  kit = await startTriage();
});
afterAll(async () => {
  kit.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  normalizer = createNormalizer({
    store: kit.store,
    embedder: kit.embedder,
    chooser: createModelAreaChooser({
      client: createOpenAIClient({ apiKey: 'sk-test-normalizer-0123456789', baseURL: fake.url }),
      model: 'area-model',
      timeoutMs: 2_000,
      maxRetries: 1,
      baseDelayMs: 5,
    }),
  });
});

/** The area names the model was offered, from the request's strict JSON schema. */
const offeredAreas = (request: RecordedRequest | undefined): string[] => {
  const schema = request?.body.response_format?.json_schema?.schema as
    | { properties: { area: { enum: string[] } } }
    | undefined;
  return schema?.properties.area.enum ?? [];
};

describe('createNormalizer', () => {
  it('takes a clear match from the embeddings, with no model call', async () => {
    const issue = await normalizer.normalize(CLEAR);
    expect(issue).toMatchObject({
      productArea: 'Mobile app › Settings',
      canonical: 'settings screen closes the app',
      source: 'embedding',
    });
    expect(issue.confidence).toBeGreaterThanOrEqual(AREA_THRESHOLD);
    expect(fake.requests).toHaveLength(0);
  });

  it('lets the model choose among the nearest areas when the match is unclear', async () => {
    fake.setHandler((request) => {
      const areas = offeredAreas(request).filter((a) => a !== 'none');
      return {
        area: areas.find((a) => a.startsWith('Orders and shipping')) ?? areas[0],
        canonical: 'gift wrap option missing at checkout for jo@shop.io',
      };
    });
    const issue = await normalizer.normalize(UNCLEAR);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.body.response_format?.json_schema?.strict).toBe(true);
    const offered = offeredAreas(request);
    expect(offered).toHaveLength(6);
    expect(offered).toContain('none');
    expect(JSON.stringify(request?.body.messages)).not.toContain('jo@shop.io');
    expect(JSON.stringify(request?.body.messages)).toContain('[email]');

    expect(issue.source).toBe('model');
    expect(offered).toContain(issue.productArea);
    expect(issue.canonical).toBe('gift wrap option missing at checkout for [email]');
    expect(issue.confidence).toBeLessThan(AREA_THRESHOLD);
  });

  it('records no area when the model says none fits', async () => {
    fake.reply({ area: 'none', canonical: 'gift wrapping option missing' });
    expect(await normalizer.normalize(UNCLEAR)).toMatchObject({
      productArea: null,
      canonical: 'gift wrapping option missing',
      source: 'model',
    });
  });

  it('keeps a low-confidence best guess when the model fails, and counts the skip rate', async () => {
    fake.setMode('500');
    const failed = await normalizer.normalize(UNCLEAR);
    expect(failed.source).toBe('low_confidence');
    expect(failed.productArea).not.toBeNull();
    expect(failed.canonical).toBe(
      'the gift wrapping option vanished from my orders, write to [email]',
    );
    expect(fake.requests).toHaveLength(2); // one retry, then give up

    fake.setMode('ok');
    await normalizer.normalize(CLEAR);
    await normalizer.normalize(CLEAR);
    fake.reply({ area: 'none', canonical: 'x' });
    await normalizer.normalize(UNCLEAR);
    expect(normalizer.stats()).toEqual({
      normalized: 4,
      byEmbedding: 2,
      byModel: 1,
      lowConfidence: 1,
      modelFailures: 1,
      modelSkippedShare: 0.5,
    });
  });

  it('marks unclear matches low-confidence when no model is configured', async () => {
    const offline = createNormalizer({ store: kit.store, embedder: kit.embedder });
    const issue = await offline.normalize(UNCLEAR);
    expect(issue.source).toBe('low_confidence');
    expect(offline.stats().modelSkippedShare).toBe(1);
    expect(fake.requests).toHaveLength(0);
  });
});
