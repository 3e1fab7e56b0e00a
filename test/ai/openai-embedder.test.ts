import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingUnavailableError } from '../../src/ai/errors.ts';
import { createOpenAIClient } from '../../src/ai/openai-client.ts';
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from '../../src/ai/openai-embedder.ts';
import { hashedEmbedding } from '../fakes/openai/embeddings.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';

const MODEL = 'fake-embedding';
const texts = [
  'How do I reset my password?',
  'The export button crashes the app',
  'Refund for a double charge',
  'Sync stopped working on Android',
  '',
];

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ embeddingDimensions: 48 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function embedder(overrides: Partial<OpenAIEmbedderOptions> = {}) {
  const client = createOpenAIClient({ apiKey: 'sk-test', baseURL: fake.url, timeoutMs: 2_000 });
  return createOpenAIEmbedder({ client, model: MODEL, batchSize: 2, baseDelayMs: 5, ...overrides });
}

const norm = (v: Float32Array) => Math.hypot(...v);

describe('createOpenAIEmbedder', () => {
  it('embeds in batches, in input order, with unit-length vectors', async () => {
    const vectors = await embedder().embed(texts);

    expect(fake.requests.map((r) => r.body.input)).toEqual([
      texts.slice(0, 2),
      texts.slice(2, 4),
      [' '],
    ]);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((vector, i) => {
      expect(norm(vector)).toBeCloseTo(1, 5);
      const expected = hashedEmbedding(texts[i] || ' ', 48);
      expect(Array.from(vector)).toEqual(expected.map((x) => expect.closeTo(x, 5)));
    });
  });

  it('discovers its dimensions with one probe call in init()', async () => {
    const e = embedder();
    expect(() => e.dimensions).toThrow(expect.objectContaining({ code: 'embedder_not_ready' }));

    await e.init();

    expect(e.dimensions).toBe(48);
    expect(fake.requests).toHaveLength(1);
    expect(e.name).toBe(`openai:${MODEL}`);
  });

  it('asks the API for the configured dimensions and skips the probe', async () => {
    const e = embedder({ dimensions: 16 });
    await e.init();
    const [vector] = await e.embed(['hello world']);

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).toMatchObject({ dimensions: 16, encoding_format: 'float' });
    expect(vector).toHaveLength(16);
    expect(e.dimensions).toBe(16);
  });

  it('retries a batch after 500s', async () => {
    fake.setMode('500', { times: 2 });

    const vectors = await embedder().embed(texts.slice(0, 2));

    expect(vectors).toHaveLength(2);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['500', '500', 'ok']);
  });

  it('throws EmbeddingUnavailableError once the retries are spent', async () => {
    fake.setMode('down');

    const error = await embedder({ maxRetries: 1 })
      .embed(['anything'])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EmbeddingUnavailableError);
    expect(error).toMatchObject({ code: 'embedding_unavailable', cause: expect.any(Error) });
    expect(fake.requests).toHaveLength(2);
  });

  it('makes no call for an empty list', async () => {
    expect(await embedder().embed([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});
