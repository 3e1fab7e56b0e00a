/**
 * Turns texts into unit-length vectors. Batch first: callers embed many texts at once.
 * Implementations: the offline GloVe-SIF embedder and the OpenAI-compatible one.
 */
export interface Embedder {
  /** e.g. `offline:glove-sg-100d-sif` or `openai:text-embedding-3-small`. */
  readonly name: string;
  readonly dimensions: number;
  /** Load whatever the embedder needs (the offline one converts/caches its vectors). */
  init(): Promise<void>;
  /** Returns one L2-normalized vector per input text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
