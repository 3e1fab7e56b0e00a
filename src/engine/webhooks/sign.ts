import { createHmac } from 'node:crypto';
import { WebhookError } from './errors.ts';

/** The three Standard Webhooks headers every delivery carries. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes a `whsec_<base64>` secret into the HMAC key bytes. Throws a
 * {@link WebhookError} `invalid_secret` (without echoing the secret) when it is malformed.
 */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new WebhookError('invalid_secret', 'The webhook secret must look like whsec_<base64>');
  }
  return Buffer.from(encoded, 'base64');
}

/**
 * Signs one delivery the Standard Webhooks way: `v1,` + base64(HMAC-SHA256(key,
 * `${id}.${timestamp}.${body}`)) with the timestamp in unix seconds. `body` must be the
 * exact bytes sent; receivers verify against the raw body, so re-serialising breaks it.
 */
export function signWebhook(
  key: Buffer,
  id: string,
  body: string,
  at: Date = new Date(),
): StandardWebhookHeaders {
  const timestamp = Math.floor(at.getTime() / 1000).toString();
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}
