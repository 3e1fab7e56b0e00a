import { APIError } from 'openai';

/** Machine-readable codes of the errors the model path throws. */
export type AiErrorCode =
  | 'model_unavailable'
  | 'invalid_model_output'
  | 'embedding_unavailable'
  | 'embedder_not_ready';

/** Base class of every error thrown from `src/ai/`. */
export class AiError extends Error {
  readonly code: AiErrorCode;

  constructor(code: AiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One model that was tried and why it gave up. */
export interface ModelFailure {
  model: string;
  error: unknown;
}

/**
 * Every configured chat model failed for this turn, after retries and the fallback model.
 * `cause` is the last model's last error; `failures` has one entry per model tried.
 * Callers answer with the offline assistant instead (see `withOfflineFallback`).
 */
export class ModelUnavailableError extends AiError {
  readonly failures: readonly ModelFailure[];

  constructor(failures: readonly ModelFailure[]) {
    const tried = failures.map((f) => `${f.model} (${describeError(f.error).message})`);
    super('model_unavailable', `No chat model answered: ${tried.join('; ')}`, {
      cause: failures.at(-1)?.error,
    });
    this.failures = failures;
  }
}

/** Why a model's answer could not be used. */
export type InvalidOutputReason =
  | 'empty'
  | 'refusal'
  | 'not_json'
  | 'schema_mismatch'
  | 'wrong_shape';

/**
 * The endpoint answered, but not with something we can use: empty content, a refusal,
 * text that is not JSON, JSON that fails the schema, or embeddings of the wrong shape.
 * Treated as transient: a second sample from the model usually conforms.
 */
export class InvalidModelOutputError extends AiError {
  readonly model: string;
  readonly reason: InvalidOutputReason;

  constructor(model: string, reason: InvalidOutputReason, options?: { cause?: unknown }) {
    super('invalid_model_output', `Model ${model} returned unusable output (${reason})`, options);
    this.model = model;
    this.reason = reason;
  }
}

/** The embeddings endpoint failed after retries. `cause` is the last error. */
export class EmbeddingUnavailableError extends AiError {
  readonly model: string;

  constructor(model: string, options: { cause: unknown }) {
    super(
      'embedding_unavailable',
      `Embedding model ${model} failed: ${describeError(options.cause).message}`,
      options,
    );
    this.model = model;
  }
}

/** `dimensions` was read before `init()` discovered it. */
export class EmbedderNotReadyError extends AiError {
  constructor(model: string) {
    super(
      'embedder_not_ready',
      `Embedder openai:${model} has no dimensions yet; call init() first`,
    );
  }
}

/** A log-safe summary of an error: no headers, bodies, prompts or keys. */
export interface ErrorSummary {
  name: string;
  message: string;
  code?: string;
  status?: number;
}

const SECRET_PATTERN = /\b(sk|key|whsec)[-_][A-Za-z0-9_*-]{6,}/g;

/**
 * Summarises an error for a log line. OpenAI errors carry response headers and bodies,
 * so they are never logged whole; anything that looks like a key is redacted.
 */
export function describeError(error: unknown): ErrorSummary {
  if (!(error instanceof Error)) return { name: 'NonError', message: redact(String(error)) };
  const summary: ErrorSummary = { name: error.name, message: redact(error.message).slice(0, 300) };
  if (error instanceof AiError) summary.code = error.code;
  if (error instanceof APIError) {
    if (typeof error.status === 'number') summary.status = error.status;
    if (typeof error.code === 'string') summary.code = error.code;
  }
  return summary;
}

function redact(text: string): string {
  return text.replace(SECRET_PATTERN, '[redacted]');
}
