import type OpenAI from 'openai';
import type { Logger } from 'pino';
import {
  describeError,
  EmbedderNotReadyError,
  EmbeddingUnavailableError,
  InvalidModelOutputError,
} from './errors.ts';
import { type RetryOptions, retryPolicyFrom, withRetry } from './retry.ts';
import type { Embedder } from './types.ts';

/** What `createOpenAIEmbedder` needs. Only `client` and `model` are required. */
export interface OpenAIEmbedderOptions extends RetryOptions {
  /** Built by `createOpenAIClient` (its own retries off). */
  client: OpenAI;
  /** e.g. `text-embedding-3-small`, or `nomic-embed-text` on Ollama. */
  model: string;
  /**
   * Sent as the API's `dimensions` parameter (text-embedding-3 models shorten their vectors)
   * and checked on every response. Leave unset for servers without that parameter: `init()`
   * then discovers the size with one probe call.
   */
  dimensions?: number | undefined;
  /** Inputs per request. Default 256 (OpenAI accepts up to 2048). */
  batchSize?: number | undefined;
  /** Per request. Default 30 s. */
  timeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

/**
 * An `Embedder` over any OpenAI-compatible `/embeddings` endpoint. Batches are sent one
 * after another (gentler on rate limits than in parallel), each with `withRetry`; vectors
 * come back in input order and L2-normalized. Throws `EmbeddingUnavailableError` when a
 * batch fails after retries.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const { client, model, logger } = options;
  const batchSize = Math.max(1, options.batchSize ?? 256);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = retryPolicyFrom(options);
  const requested = options.dimensions;
  let known = requested;

  async function embedBatch(batch: string[]): Promise<Float32Array[]> {
    const response = await client.embeddings.create(
      {
        model,
        input: batch,
        encoding_format: 'float',
        ...(requested ? { dimensions: requested } : {}),
      },
      { timeout: timeoutMs, maxRetries: 0 },
    );
    const rows = [...response.data].sort((a, b) => a.index - b.index);
    if (rows.length !== batch.length) throw new InvalidModelOutputError(model, 'wrong_shape');
    return rows.map((row) => {
      const size = known ?? row.embedding.length;
      if (row.embedding.length !== size || size === 0) {
        throw new InvalidModelOutputError(model, 'wrong_shape');
      }
      known = size;
      return normalize(row.embedding);
    });
  }

  async function embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      // Empty strings are rejected by OpenAI; a single space embeds as "nothing".
      const batch = texts.slice(start, start + batchSize).map((t) => (t.trim() ? t : ' '));
      try {
        vectors.push(
          ...(await withRetry(
            () => embedBatch(batch),
            policy,
            (event) =>
              logger?.warn(
                {
                  model,
                  attempt: event.attempt,
                  delayMs: event.delayMs,
                  err: describeError(event.error),
                },
                'embedding call failed; retrying',
              ),
          )),
        );
      } catch (cause) {
        throw new EmbeddingUnavailableError(model, { cause });
      }
    }
    return vectors;
  }

  return {
    name: `openai:${model}`,
    get dimensions() {
      if (known === undefined) throw new EmbedderNotReadyError(model);
      return known;
    },
    async init() {
      if (known === undefined) await embed(['dimension probe']);
    },
    embed,
  };
}

/** Scales a vector to unit length; an all-zero vector stays zero. */
function normalize(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
