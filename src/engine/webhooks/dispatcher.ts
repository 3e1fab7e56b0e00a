import type { Logger } from 'pino';
import type { Metrics, WebhookAttemptOutcome } from '../../metrics.ts';
import type { Db } from '../../store/db.ts';
import type { EventType } from '../../store/events.ts';
import {
  type DeliveryStatus,
  type DueDelivery,
  type WebhookDeliveryWithAttempts,
  WebhookStore,
} from '../../store/webhooks.ts';
import { WebhookError } from './errors.ts';
import { endpointLabel, sendWebhook } from './send.ts';
import { decodeWebhookSecret, signWebhook } from './sign.ts';

/** One configured receiver, optionally limited to some event types. */
export interface WebhookEndpoint {
  url: string;
  events?: readonly EventType[];
}

/** What {@link createWebhookDispatcher} needs; only `src/main.ts` builds one for real. */
export interface WebhookDispatcherOptions {
  store: WebhookStore | Db;
  endpoints: readonly (WebhookEndpoint | string)[];
  /** `whsec_<base64>`. */
  secret: string;
  /** Delay before retry n (1-based) is `retryScheduleMs[n-1]` ± jitter; then failed. */
  retryScheduleMs: readonly number[];
  /** Attempts in flight at once, across endpoints. Default 16. */
  concurrency?: number;
  /** Attempts in flight per endpoint. Default: an equal share of `concurrency`. */
  perEndpointConcurrency?: number;
  /** Per attempt, response body included. Default 10 s. */
  timeoutMs?: number;
  /** How often the table is polled when nobody calls `kick()`. Default 1 s. */
  pollIntervalMs?: number;
  /** Relative jitter on retry delays. Default 0.2 (±20%). */
  jitter?: number;
  logger: Logger;
  metrics?: Metrics;
  fetch?: typeof fetch;
}

/** Sends the outbox's events to the configured endpoints; see docs/webhooks.md. */
export interface WebhookDispatcher {
  /** Frees leases a dead process left, then sends due deliveries until `stop()`. */
  start(): void;
  /**
   * Stops claiming new deliveries; attempts in flight may finish for `graceMs` (default 0),
   * then are aborted (an aborted one is re-sent after the next start).
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Looks for new events soon; call after committing a transaction that appended one. */
  kick(): void;
  /** Queues an event again for every subscribed endpoint; undefined for an unknown id. */
  replayEvent(eventId: string): WebhookDeliveryWithAttempts[] | undefined;
  /** Resolves once nothing is in flight and nothing is due (future retries may remain). */
  idle(): Promise<void>;
}

const LEASE_MARGIN_MS = 30_000;

/**
 * Builds the dispatcher and registers its endpoints: from this call on, every committed
 * event is delivered to them (earlier ones only by replay). Each delivery is scheduled on
 * its own by `next_attempt_at`, and each endpoint gets at most its share of the slots, so
 * one dead endpoint never delays another. State lives only in the table, so a restart
 * resumes where the last process stopped; an attempt cut short by a crash is sent again
 * (at least once: receivers dedupe by `webhook-id`). One dispatcher per database file.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const store =
    options.store instanceof WebhookStore ? options.store : new WebhookStore(options.store);
  const endpoints = normalizeEndpoints(options.endpoints);
  const urls = endpoints.map((e) => e.url);
  const key = decodeWebhookSecret(options.secret);
  const schedule = options.retryScheduleMs;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const perEndpoint = Math.max(
    1,
    options.perEndpointConcurrency ?? Math.ceil(concurrency / Math.max(1, endpoints.length)),
  );
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollIntervalMs ?? 1_000;
  const jitter = options.jitter ?? 0.2;
  const doFetch = options.fetch ?? globalThis.fetch;
  const log = options.logger.child({ component: 'webhooks' });
  const metrics = options.metrics;
  // Registered now rather than at start(), so events committed before start() are kept.
  store.syncEndpoints(urls);

  let running = false;
  let stopController = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let inFlightTotal = 0;
  const inFlight = new Map<string, number>();
  const tasks = new Set<Promise<void>>();
  let idleWaiters: Array<() => void> = [];
  let rotation = 0;

  function requestPump(): void {
    if (running && !immediate) immediate = setImmediate(pump);
  }

  function pump(): void {
    immediate = undefined;
    if (!running) return;
    clearTimeout(timer);
    let delay = pollMs;
    try {
      const now = Date.now();
      store.fanOut(endpoints, now);
      for (let i = 0; i < endpoints.length; i++) {
        const url = (endpoints[(rotation + i) % endpoints.length] as WebhookEndpoint).url;
        const room = Math.min(concurrency - inFlightTotal, perEndpoint - (inFlight.get(url) ?? 0));
        for (const due of store.claimDue(url, room, now, timeoutMs + LEASE_MARGIN_MS)) {
          launch(due);
        }
      }
      rotation = (rotation + 1) % Math.max(1, endpoints.length);
      // Endpoints at their cap are pumped again when an attempt finishes.
      const open = urls.filter((u) => (inFlight.get(u) ?? 0) < perEndpoint);
      const next = inFlightTotal < concurrency ? store.nextDueAt(open) : null;
      if (next !== null) delay = Math.min(pollMs, Math.max(0, next - Date.now()));
      updatePendingGauge();
      if (inFlightTotal === 0 && (next === null || next > Date.now())) resolveIdle();
    } catch (error) {
      log.error({ err: error }, 'webhook dispatcher could not read the outbox; will retry');
    }
    timer = setTimeout(pump, delay);
    timer.unref();
  }

  function launch(due: DueDelivery): void {
    inFlightTotal++;
    inFlight.set(due.endpoint, (inFlight.get(due.endpoint) ?? 0) + 1);
    const task = attempt(due)
      .catch((error: unknown) => {
        log.error({ err: error, deliveryId: due.id }, 'webhook attempt could not be recorded');
      })
      .finally(() => {
        inFlightTotal--;
        inFlight.set(due.endpoint, (inFlight.get(due.endpoint) ?? 1) - 1);
        tasks.delete(task);
        requestPump();
      });
    tasks.add(task);
  }

  async function attempt(due: DueDelivery): Promise<void> {
    const body = JSON.stringify({
      type: due.eventType,
      timestamp: new Date(due.eventCreatedAt).toISOString(),
      data: due.eventData,
    });
    const attemptedAt = Date.now();
    const result = await sendWebhook({
      fetch: doFetch,
      url: due.endpoint,
      body,
      headers: signWebhook(key, due.eventId, body, new Date(attemptedAt)),
      timeoutMs,
      stopSignal: stopController.signal,
    });
    if (result.stopped) {
      store.releaseClaims([due.id]);
      return;
    }
    const number = due.attemptCount + 1;
    const { status, nextAttemptAt } = decide(result.statusCode, result.error === null, number);
    store.recordAttempt(due.id, {
      attemptedAt,
      statusCode: result.statusCode,
      error: result.error ? `${result.error.code}: ${result.error.message}` : null,
      latencyMs: result.latencyMs,
      responseExcerpt: result.responseExcerpt,
      outcome: status,
      nextAttemptAt,
    });
    const outcome: WebhookAttemptOutcome = status === 'pending' ? 'retry' : status;
    const endpoint = endpointLabel(due.endpoint);
    metrics?.webhookDeliveries.inc({ endpoint, event: due.eventType, outcome });
    metrics?.webhookAttemptLatency.observe({ endpoint, outcome }, result.latencyMs / 1000);
    const fields = {
      deliveryId: due.id,
      eventId: due.eventId,
      event: due.eventType,
      endpoint,
      attempt: number,
      statusCode: result.statusCode,
      latencyMs: Math.round(result.latencyMs),
      outcome,
      ...(result.error ? { error: result.error.message } : {}),
      ...(nextAttemptAt ? { nextAttemptAt: new Date(nextAttemptAt).toISOString() } : {}),
    };
    if (status === 'delivered') log.info(fields, 'webhook delivered');
    else if (status === 'pending') log.warn(fields, 'webhook attempt failed; will retry');
    else log.error(fields, 'webhook delivery failed; kept for replay');
  }

  /** 2xx delivers; 410 Gone fails at once; anything else retries until the schedule ends. */
  function decide(
    statusCode: number | null,
    ok: boolean,
    attemptNumber: number,
  ): { status: DeliveryStatus; nextAttemptAt: number | null } {
    if (ok) return { status: 'delivered', nextAttemptAt: null };
    const delay = schedule[attemptNumber - 1];
    if (statusCode === 410 || delay === undefined) return { status: 'failed', nextAttemptAt: null };
    const factor = 1 - jitter + 2 * jitter * Math.random();
    return { status: 'pending', nextAttemptAt: Date.now() + Math.round(delay * factor) };
  }

  function updatePendingGauge(): void {
    if (!metrics) return;
    const pending = store.pendingByEndpoint();
    metrics.webhookPending.reset();
    for (const url of new Set([...urls, ...pending.keys()])) {
      metrics.webhookPending.set({ endpoint: endpointLabel(url) }, pending.get(url) ?? 0);
    }
  }

  function resolveIdle(): void {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      const released = store.releaseClaims();
      if (released > 0) log.warn({ released }, 'resending webhook attempts cut short earlier');
      log.info({ endpoints: urls.map(endpointLabel), retryScheduleMs: schedule }, 'webhooks on');
      requestPump();
    },
    async stop({ graceMs = 0 } = {}) {
      running = false;
      clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      immediate = undefined;
      if (graceMs > 0 && tasks.size > 0) {
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...tasks]),
          new Promise((resolve) => {
            grace = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(grace);
      }
      stopController.abort();
      await Promise.allSettled([...tasks]);
      resolveIdle();
    },
    kick: requestPump,
    replayEvent(eventId) {
      const deliveries = store.replayEvent(eventId, endpoints);
      requestPump();
      return deliveries;
    },
    idle() {
      if (!running) return Promise.resolve();
      const done = new Promise<void>((resolve) => idleWaiters.push(resolve));
      requestPump();
      return done;
    },
  };
}

function normalizeEndpoints(list: readonly (WebhookEndpoint | string)[]): WebhookEndpoint[] {
  const byUrl = new Map<string, WebhookEndpoint>();
  for (const item of list) {
    const endpoint = typeof item === 'string' ? { url: item } : item;
    if (!/^https?:\/\//.test(endpoint.url) || !URL.canParse(endpoint.url)) {
      throw new WebhookError(
        'invalid_endpoint',
        `Not an http(s) URL: ${endpointLabelSafe(endpoint.url)}`,
      );
    }
    byUrl.set(endpoint.url, endpoint);
  }
  return [...byUrl.values()];
}

function endpointLabelSafe(url: string): string {
  return URL.canParse(url) ? endpointLabel(url) : '(unparseable)';
}
