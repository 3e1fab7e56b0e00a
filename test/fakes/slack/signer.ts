/**
 * Sends what Slack's HTTP delivery sends: a body signed with the v0 scheme,
 * `X-Slack-Signature: v0=hex(hmac_sha256(secret, 'v0:' + ts + ':' + body))`.
 * Point it at the app's request URL, e.g. Bolt's `/slack/events`.
 */
import { createHmac } from 'node:crypto';

/** Computes the `X-Slack-Signature` value for a raw body. */
export function signSlackBody(signingSecret: string, timestampSec: number, body: string): string {
  const hex = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSec}:${body}`)
    .digest('hex');
  return `v0=${hex}`;
}

/** How to sign and deliver one request. */
export interface SignedRequestOptions {
  signingSecret: string;
  /** Sign with a different secret, so the app must reject it. */
  forgeSignature?: boolean;
  /** Make `X-Slack-Request-Timestamp` this many seconds old (Slack apps reject > 300). */
  ageSec?: number;
  /** Slack's retry headers: `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (e.g. `http_timeout`). */
  retry?: { num: number; reason: string };
  /** Abort the request after this many ms. Default 10000. */
  timeoutMs?: number;
}

/** What the app answered, and how long it took to answer. */
export interface SignedResponse {
  status: number;
  body: string;
  headers: Headers;
  elapsedMs: number;
}

/** POSTs a raw, already-encoded body with Slack's signature headers. */
export async function postSigned(
  url: string,
  rawBody: string,
  contentType: string,
  options: SignedRequestOptions,
): Promise<SignedResponse> {
  const timestampSec = Math.floor(Date.now() / 1000) - (options.ageSec ?? 0);
  const secret = options.forgeSignature ? `${options.signingSecret}-forged` : options.signingSecret;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': signSlackBody(secret, timestampSec, rawBody),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retry) {
    headers['x-slack-retry-num'] = String(options.retry.num);
    headers['x-slack-retry-reason'] = options.retry.reason;
  }
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const body = await res.text();
  return { status: res.status, body, headers: res.headers, elapsedMs: performance.now() - started };
}

/** Delivers an Events API body (`event_callback`, `url_verification`) as JSON. */
export function postSignedEvent(
  url: string,
  payload: unknown,
  options: SignedRequestOptions,
): Promise<SignedResponse> {
  return postSigned(url, JSON.stringify(payload), 'application/json', options);
}

/** Delivers an interactivity payload (block_actions, ...) as the `payload=` form field. */
export function postSignedInteraction(
  url: string,
  payload: unknown,
  options: SignedRequestOptions,
): Promise<SignedResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(url, body, 'application/x-www-form-urlencoded', options);
}
