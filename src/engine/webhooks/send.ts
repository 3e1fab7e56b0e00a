import { WebhookAttemptError } from './errors.ts';
import type { StandardWebhookHeaders } from './sign.ts';

/** The longest response excerpt kept on an attempt. */
export const RESPONSE_EXCERPT_LIMIT = 500;

/** What one POST produced. `error` is null exactly when the receiver answered 2xx. */
export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: WebhookAttemptError | null;
  /** True when `stopSignal` cut the attempt short; such attempts are not recorded. */
  stopped: boolean;
}

/** One signed POST to one endpoint. */
export interface SendRequest {
  fetch: typeof fetch;
  url: string;
  body: string;
  headers: StandardWebhookHeaders;
  timeoutMs: number;
  /** Aborted by the dispatcher's `stop()`. */
  stopSignal: AbortSignal;
}

/**
 * POSTs one webhook and reports what happened without throwing. The timeout covers the
 * whole exchange, response body included. Redirects are not followed: a 3xx counts as a
 * failed attempt, so a signed payload never travels to a host nobody configured.
 */
export async function sendWebhook(req: SendRequest): Promise<AttemptResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const elapsed = () => performance.now() - started;
  try {
    const response = await req.fetch(req.url, {
      method: 'POST',
      headers: {
        ...req.headers,
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhooks/1',
      },
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, req.stopSignal]),
    });
    const responseExcerpt = await readExcerpt(response);
    const ok = response.status >= 200 && response.status < 300;
    return {
      statusCode: response.status,
      latencyMs: elapsed(),
      responseExcerpt,
      error: ok
        ? null
        : new WebhookAttemptError('http_status', `HTTP ${response.status}`, {
            statusCode: response.status,
          }),
      stopped: false,
    };
  } catch (cause) {
    const latencyMs = elapsed();
    const stopped = req.stopSignal.aborted;
    const error = timeout.aborted
      ? new WebhookAttemptError('timeout', `No response within ${req.timeoutMs} ms`, { cause })
      : new WebhookAttemptError('network', `Request failed: ${networkReason(cause)}`, { cause });
    return { statusCode: null, latencyMs, responseExcerpt: null, error, stopped };
  }
}

/**
 * A log- and metric-safe name for an endpoint: origin and path, without credentials or
 * query string, which is where tokens in webhook URLs usually live.
 */
export function endpointLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < RESPONSE_EXCERPT_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The status already decides the outcome; a body cut short only loses the excerpt.
  } finally {
    reader.cancel().catch(() => {});
  }
  return text.slice(0, RESPONSE_EXCERPT_LIMIT);
}

function networkReason(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause;
  if (inner && typeof inner === 'object' && 'code' in inner) {
    return `${cause.message} (${String(inner.code)})`;
  }
  return cause.message;
}
