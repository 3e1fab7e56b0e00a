import { GrammyError, HttpError } from 'grammy';
import type { ChannelErrorCode } from '../../src/types/index.ts';

/** What went wrong talking to Telegram: the shared codes, and Telegram's own `conflict`. */
export type TelegramErrorCode =
  | ChannelErrorCode
  /** Another instance is polling with this token, or a webhook is set while polling. */
  | 'conflict';

/** A Telegram failure with a machine-readable `code`; the SDK error is the `cause`. */
export class TelegramError extends Error {
  readonly code: TelegramErrorCode;
  /** The Bot API's `error_code`, when Telegram answered. */
  readonly status: number | undefined;
  /** The Bot API method that failed, e.g. `sendMessage`. */
  readonly method: string | undefined;

  constructor(
    code: TelegramErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; method?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'TelegramError';
    this.code = code;
    this.status = options.status;
    this.method = options.method;
  }
}

// What the operator can do about the errors that stop the bot.
const HINTS: Partial<Record<TelegramErrorCode, string>> = {
  unauthorized: ' (check TELEGRAM_BOT_TOKEN: BotFather → /mybots → API Token)',
  conflict: ' (another process polls with this token, or a webhook is set for it)',
};

/**
 * The one place grammY errors become {@link TelegramError}s. grammY keeps "the API refused"
 * (`GrammyError`, with the method and Telegram's description) apart from "the network
 * failed" (`HttpError`); the split survives in `code`.
 */
export function toTelegramError(error: unknown): TelegramError {
  if (error instanceof TelegramError) return error;
  if (error instanceof GrammyError) {
    const code = codeFor(error.error_code, error.description);
    return new TelegramError(
      code,
      `Telegram refused ${error.method}: ${error.description}${HINTS[code] ?? ''}`,
      { cause: error, status: error.error_code, method: error.method },
    );
  }
  if (error instanceof HttpError) {
    return new TelegramError('network', `Could not reach Telegram: ${error.message}`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TelegramError('unknown', `Unexpected error talking to Telegram: ${message}`, {
    cause: error,
  });
}

function codeFor(status: number, description: string): TelegramErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'platform_unavailable';
  // Telegram says "not found" with a 400: "chat not found", "message to be replied not found".
  if (/not found/i.test(description)) return 'not_found';
  return 'invalid_request';
}
