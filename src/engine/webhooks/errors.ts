/** Machine-readable codes of the errors the webhook path produces. */
export type WebhookErrorCode =
  | 'invalid_secret'
  | 'invalid_endpoint'
  | 'timeout'
  | 'network'
  | 'http_status';

/** Base class of every error thrown or recorded by `src/engine/webhooks/`. */
export class WebhookError extends Error {
  readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * One HTTP attempt did not deliver: no answer within the timeout, a network failure
 * (refused, reset, DNS), or a non-2xx status. Recorded on the attempt, never thrown out of
 * the dispatcher. `statusCode` is set only for `http_status`.
 */
export class WebhookAttemptError extends WebhookError {
  readonly statusCode: number | null;

  constructor(
    code: 'timeout' | 'network' | 'http_status',
    message: string,
    options: { cause?: unknown; statusCode?: number } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.statusCode = options.statusCode ?? null;
  }
}
