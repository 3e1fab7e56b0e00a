import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Outcomes of one webhook attempt, as counted by `webhookDeliveries`. */
export type WebhookAttemptOutcome = 'delivered' | 'retry' | 'failed';

/**
 * Switchboard's Prometheus metrics. Each call builds its own {@link Registry} (never the
 * global one), so tests and benchmarks can run several side by side. `GET /metrics`
 * serves `registry.metrics()` with `registry.contentType`.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Webhook attempts by endpoint, event type and outcome (`delivered`, `retry`, `failed`). */
  readonly webhookDeliveries: Counter<'endpoint' | 'event' | 'outcome'>;
  /** Seconds from sending a webhook to its response (or timeout), by endpoint and outcome. */
  readonly webhookAttemptLatency: Histogram<'endpoint' | 'outcome'>;
  /** Deliveries waiting to be sent or retried, by endpoint. */
  readonly webhookPending: Gauge<'endpoint'>;
}

/** Builds a fresh registry with the default process metrics and the webhook metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhookDeliveries: new Counter({
      name: 'switchboard_webhook_deliveries_total',
      help: 'Webhook delivery attempts by endpoint, event type and outcome',
      labelNames: ['endpoint', 'event', 'outcome'] as const,
      registers: [registry],
    }),
    webhookAttemptLatency: new Histogram({
      name: 'switchboard_webhook_attempt_duration_seconds',
      help: 'Time from sending a webhook to its response or timeout',
      labelNames: ['endpoint', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    webhookPending: new Gauge({
      name: 'switchboard_webhook_pending',
      help: 'Webhook deliveries waiting to be sent or retried',
      labelNames: ['endpoint'] as const,
      registers: [registry],
    }),
  };
}

/** The normalizer's decision counts, as `createNormalizer(...).stats()` returns them. */
export interface NormalizerCounts {
  byEmbedding: number;
  byModel: number;
  lowConfidence: number;
  modelFailures: number;
  modelSkippedShare: number;
}

/**
 * Exposes how product areas were decided, read at scrape time:
 * `switchboard_normalizer_decisions{path="embedding|model|low_confidence|model_failed"}`
 * (since start) and `switchboard_normalizer_model_skipped_ratio` (0..1), the share of
 * tickets whose area was decided without a model call.
 */
export function registerNormalizerMetrics(registry: Registry, stats: () => NormalizerCounts): void {
  new Gauge({
    name: 'switchboard_normalizer_decisions',
    help: 'Product-area decisions since start, by how they were made',
    labelNames: ['path'] as const,
    registers: [registry],
    collect() {
      const s = stats();
      this.set({ path: 'embedding' }, s.byEmbedding);
      this.set({ path: 'model' }, s.byModel);
      this.set({ path: 'low_confidence' }, s.lowConfidence - s.modelFailures);
      this.set({ path: 'model_failed' }, s.modelFailures);
    },
  });
  new Gauge({
    name: 'switchboard_normalizer_model_skipped_ratio',
    help: 'Share of product-area decisions made without a model call',
    registers: [registry],
    collect() {
      this.set(stats().modelSkippedShare);
    },
  });
}
