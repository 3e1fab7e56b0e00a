import { webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';

/** Slack error codes the desk and the adapter act on; others keep Slack's own string. */
export type SlackApiErrorCode =
  | 'channel_not_found'
  | 'not_in_channel'
  | 'ratelimited'
  | 'invalid_auth'
  | (string & {});

/**
 * Slack answered and refused: `{ ok: false, error }`, or HTTP 429. `code` is Slack's error
 * string (`channel_not_found`, `not_in_channel`, `ratelimited`, ...).
 */
export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  constructor(
    readonly code: SlackApiErrorCode,
    readonly method: string,
    /** For `ratelimited`: the seconds Slack asked to wait. */
    readonly retryAfterSec?: number,
    options?: ErrorOptions,
  ) {
    super(`Slack ${method} failed: ${code}`, options);
  }
}

/** Slack could not be reached, or answered with something that is not the Web API. */
export class SlackNetworkError extends Error {
  override readonly name = 'SlackNetworkError';
  readonly code = 'network';
  constructor(
    readonly method: string,
    options?: ErrorOptions,
  ) {
    super(`Slack ${method} failed: network error`, options);
  }
}

export type SlackError = SlackApiError | SlackNetworkError;

const HINTS: Record<string, string> = {
  channel_not_found: 'check the channel id (SLACK_AGENT_CHANNEL / SLACK_DIGEST_CHANNEL)',
  not_in_channel: 'invite the bot to the channel (/invite @Switchboard)',
  invalid_auth: 'check SLACK_BOT_TOKEN',
  ratelimited: 'Slack asked to slow down; the post is retried',
};

// The WebClient waits out a 429 and retries; when its retries run out it throws a plain Error.
const RATE_LIMIT_GAVE_UP = /^A rate limit was exceeded/;

/**
 * The one place `@slack/web-api` errors become ours: platform refusals and 429s become
 * {@link SlackApiError}, transport failures {@link SlackNetworkError}. Logs each with a hint.
 */
export function toSlackError(error: unknown, method: string, logger?: Logger): SlackError {
  if (error instanceof SlackApiError || error instanceof SlackNetworkError) return error;
  const e = error as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown };
  const message = error instanceof Error ? error.message : '';
  let mapped: SlackError;
  if (e.code === webApi.ErrorCode.PlatformError) {
    mapped = new SlackApiError(String(e.data?.error ?? 'unknown'), method, undefined, {
      cause: error,
    });
  } else if (e.code === webApi.ErrorCode.RateLimitedError || RATE_LIMIT_GAVE_UP.test(message)) {
    const retryAfter = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
    mapped = new SlackApiError('ratelimited', method, retryAfter, { cause: error });
  } else {
    mapped = new SlackNetworkError(method, { cause: error });
  }
  logger?.warn(
    { method, code: mapped.code, hint: HINTS[mapped.code] },
    `Slack ${method} failed: ${mapped.code}`,
  );
  return mapped;
}

/** Runs one Web API call, turning whatever it throws into a typed, logged {@link SlackError}. */
export async function slackCall<T>(
  method: string,
  logger: Logger,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toSlackError(error, method, logger);
  }
}
