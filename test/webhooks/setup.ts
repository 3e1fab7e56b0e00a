/** Shared pieces of the webhook suites: a fresh secret, a silent logger, and waiting. */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { WebhookDeliveryWithAttempts, WebhookStore } from '../../src/store/webhooks.ts';

/** A random `whsec_` secret, as an operator would generate one. */
export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export const silentLogger = pino({ level: 'silent' });

/** Polls until `check` returns a value (not undefined), or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the delivery of `eventId` to `endpoint` has left `pending`. */
export function settled(
  webhooks: WebhookStore,
  eventId: string,
  endpoint: string,
  timeoutMs = 5_000,
): Promise<WebhookDeliveryWithAttempts> {
  return eventually(
    () =>
      webhooks
        .list({ endpoint, limit: 200 })
        .deliveries.find((d) => d.eventId === eventId && d.status !== 'pending'),
    timeoutMs,
    `delivery of ${eventId} to settle`,
  );
}
