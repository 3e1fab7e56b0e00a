import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineObserver } from './types/index.ts';

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

/**
 * The engine's counters, registered on `registry`, behind the observer the engine reports
 * to: turns by outcome and state, with their latency by assistant; model tokens; tickets
 * created; handoffs opened and their time to claim; rate-limited messages. The event loop
 * lag is among the default process metrics (`nodejs_eventloop_lag_*`).
 */
export function registerEngineMetrics(registry: Registry): EngineObserver {
  const turns = new Counter({
    name: 'switchboard_turns_total',
    help: 'Customer turns answered, by how they were answered and the state they ended in',
    labelNames: ['outcome', 'state'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'switchboard_turn_duration_seconds',
    help: 'Time from taking a turn to its reply being sent, by assistant (model or offline)',
    labelNames: ['assistant'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 60],
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'switchboard_model_tokens_total',
    help: 'Tokens used by model turns, by kind (prompt or completion)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const tickets = new Counter({
    name: 'switchboard_tickets_created_total',
    help: 'Tickets filed from conversations',
    registers: [registry],
  });
  const handoffs = new Counter({
    name: 'switchboard_handoffs_opened_total',
    help: 'Conversations handed to a person',
    registers: [registry],
  });
  const claim = new Histogram({
    name: 'switchboard_handoff_time_to_claim_seconds',
    help: 'Time from a handoff being opened to an agent claiming it',
    buckets: [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 86_400],
    registers: [registry],
  });
  const limited = new Counter({
    name: 'switchboard_rate_limited_messages_total',
    help: 'Messages not answered because their author or conversation was over the rate limit',
    labelNames: ['scope'] as const,
    registers: [registry],
  });
  return {
    turn({ outcome, state, seconds, usage }) {
      turns.inc({ outcome, state });
      latency.observe(
        {
          assistant: outcome === 'offline' || outcome === 'offline_fallback' ? 'offline' : 'model',
        },
        seconds,
      );
      if (usage) {
        tokens.inc({ kind: 'prompt' }, usage.promptTokens);
        tokens.inc({ kind: 'completion' }, usage.completionTokens);
      }
    },
    rateLimited: (scope) => limited.inc({ scope }),
    ticketCreated: () => tickets.inc(),
    handoffOpened: () => handoffs.inc(),
    handoffClaimed: (seconds) => claim.observe(seconds),
  };
}
