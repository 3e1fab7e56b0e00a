import { DiscordAPIError, DiscordjsError, HTTPError, RateLimitError } from 'discord.js';
import type { ChannelErrorCode } from '../../src/types/index.ts';

/**
 * What went wrong talking to Discord (`forbidden` covers missing permissions, closed DMs and
 * intents not enabled).
 */
export type DiscordErrorCode = ChannelErrorCode;

/** A Discord failure with a machine-readable `code`; the SDK error is the `cause`. */
export class DiscordError extends Error {
  readonly code: DiscordErrorCode;
  /** HTTP status, when Discord answered. */
  readonly status: number | undefined;
  /** Discord's JSON error code (e.g. 50013 Missing Permissions) or discord.js's error code. */
  readonly platformCode: number | string | undefined;

  constructor(
    code: DiscordErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; platformCode?: number | string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DiscordError';
    this.code = code;
    this.status = options.status;
    this.platformCode = options.platformCode;
  }
}

// discord.js's own error codes at login, and what to tell the operator.
const CLIENT_CODES: Record<string, DiscordErrorCode> = {
  TokenInvalid: 'unauthorized',
  TokenMissing: 'unauthorized',
  DisallowedIntents: 'forbidden',
};
const CLIENT_HINTS: Partial<Record<DiscordErrorCode, string>> = {
  unauthorized: ': check DISCORD_BOT_TOKEN (Developer Portal → Bot → Reset Token)',
  forbidden:
    ': switch on the Message Content intent (Developer Portal → Bot → Privileged Gateway Intents)',
};

// @discordjs/ws rejects login with plain errors for the gateway's fatal close codes.
const GATEWAY_FATAL: Record<string, DiscordErrorCode> = {
  'Authentication failed': 'unauthorized',
  'Used disallowed intents': 'forbidden',
  'Used invalid intents': 'invalid_request',
};

// Discord JSON error codes that mean "gone" rather than "refused".
const GONE = new Set([10003, 10004, 10008, 10013]);

/**
 * The one place Discord SDK errors become {@link DiscordError}s: `DiscordAPIError` (Discord
 * refused), `HTTPError` (5xx after retries), `RateLimitError`, `DiscordjsError` (e.g. a bad
 * token at login), the gateway's fatal close codes (4004, 4013, 4014) and network failures.
 */
export function toDiscordError(error: unknown, doing = 'calling Discord'): DiscordError {
  if (error instanceof DiscordError) return error;
  if (error instanceof DiscordAPIError) {
    const code = codeForStatus(error.status, Number(error.code));
    return new DiscordError(code, `Discord refused ${doing}: ${error.message} (${error.code})`, {
      cause: error,
      status: error.status,
      platformCode: error.code,
    });
  }
  if (error instanceof RateLimitError) {
    return new DiscordError('rate_limited', `Discord rate limited ${doing}`, {
      cause: error,
      status: 429,
    });
  }
  if (error instanceof HTTPError) {
    const code = error.status >= 500 ? 'platform_unavailable' : 'invalid_request';
    return new DiscordError(code, `Discord answered ${error.status} ${doing}`, {
      cause: error,
      status: error.status,
    });
  }
  if (error instanceof DiscordjsError) {
    const code = CLIENT_CODES[String(error.code)] ?? 'unknown';
    const hint = CLIENT_HINTS[code] ?? '';
    return new DiscordError(code, `${error.message}${hint}`, {
      cause: error,
      platformCode: error.code,
    });
  }
  const fatal = error instanceof Error ? GATEWAY_FATAL[error.message] : undefined;
  if (error instanceof Error && fatal) {
    return new DiscordError(fatal, `${error.message}${CLIENT_HINTS[fatal] ?? ''}`, {
      cause: error,
    });
  }
  if (isNetworkError(error)) {
    return new DiscordError('network', `Could not reach Discord while ${doing}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DiscordError('unknown', `Unexpected error while ${doing}: ${message}`, {
    cause: error,
  });
}

function codeForStatus(status: number, apiCode: number): DiscordErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || GONE.has(apiCode)) return 'not_found';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'platform_unavailable' : 'invalid_request';
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  return (
    (error instanceof TypeError && error.message === 'fetch failed') ||
    (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code))
  );
}
