import { setTimeout as sleep } from 'node:timers/promises';
import { APIConnectionError, APIError } from 'openai';
import { InvalidModelOutputError } from './errors.ts';

/**
 * How one model call is retried. The `openai` client's own retries are off
 * (see `createOpenAIClient`), so this is the only retry loop on the model path.
 */
export interface RetryPolicy {
  /** Retries after the first attempt: a call is tried at most `maxRetries + 1` times. */
  maxRetries: number;
  /** First backoff step; step n waits about `baseDelayMs * 2^(n-1)`, with jitter. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /**
   * The longest `retry-after` we are willing to sleep. A server asking for more ends the
   * retries at once, so the caller can move on to the fallback model or the offline answer
   * instead of keeping a customer waiting.
   */
  maxRetryAfterMs: number;
}

/** Defaults sized for a chat turn a customer is waiting on. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 5_000,
});

/** The retry knobs callers may override; the rest comes from `DEFAULT_RETRY_POLICY`. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number | undefined;
  /** First backoff step. Default 500 ms. */
  baseDelayMs?: number | undefined;
  /** Longest `retry-after` honoured; a longer one ends the retries. Default 5 s. */
  maxRetryAfterMs?: number | undefined;
}

/** Fills unset knobs from `DEFAULT_RETRY_POLICY`. */
export function retryPolicyFrom(options: RetryOptions): RetryPolicy {
  const d = DEFAULT_RETRY_POLICY;
  return {
    maxRetries: options.maxRetries ?? d.maxRetries,
    baseDelayMs: options.baseDelayMs ?? d.baseDelayMs,
    maxDelayMs: Math.max(d.maxDelayMs, options.baseDelayMs ?? 0),
    maxRetryAfterMs: options.maxRetryAfterMs ?? d.maxRetryAfterMs,
  };
}

/** Reported before each sleep, for logging. */
export interface RetryEvent {
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

/**
 * Runs `operation` until it succeeds, the error is not transient, the attempts run out,
 * or the server asks for a longer wait than the policy accepts. Rethrows the last error.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > policy.maxRetries || !isTransient(error)) throw error;
      const delayMs = retryDelayMs(error, attempt, policy);
      if (delayMs === undefined) throw error;
      onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/**
 * Whether another attempt may succeed: rate limits (except an exhausted quota), 408/409,
 * 5xx, timeouts, connection failures, and unusable model output.
 * Auth, bad-request and not-found errors are permanent.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof InvalidModelOutputError) return true;
  // Timeouts are APIConnectionTimeoutError, a subclass.
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError) || error.status === undefined) return false;
  if (error.status === 429) return error.code !== 'insufficient_quota';
  return error.status === 408 || error.status === 409 || error.status >= 500;
}

/**
 * The wait before the next attempt: exponential backoff with equal jitter, raised to the
 * server's `retry-after` when it sent one. `undefined` when that exceeds `maxRetryAfterMs`.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
): number | undefined {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const backoff = Math.round(step / 2 + (Math.random() * step) / 2);
  const requested = error instanceof APIError ? retryAfterMs(error.headers) : undefined;
  if (requested === undefined) return backoff;
  if (requested > policy.maxRetryAfterMs) return undefined;
  return Math.max(requested, backoff);
}

/** Reads `retry-after-ms` (OpenAI) or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
