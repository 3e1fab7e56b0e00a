import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from '../../src/engine/webhooks/dispatcher.ts';
import { createMetrics } from '../../src/metrics.ts';
import { EVENT_TYPES, type EventType } from '../../src/store/events.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { WebhookStore } from '../../src/store/webhooks.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { SAMPLE_EVENTS } from './sample-events.ts';
import { newSecret, settled, silentLogger } from './setup.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  options: Partial<WebhookDispatcherOptions> & { receivers?: number } = {},
): Promise<{
  store: Store;
  webhooks: WebhookStore;
  receivers: WebhookReceiver[];
  dispatcher: WebhookDispatcher;
  secret: string;
  commit: (type: EventType, data?: Record<string, unknown>) => string;
}> {
  const store = createStore(':memory:');
  cleanups.push(() => store.close());
  const receivers: WebhookReceiver[] = [];
  for (let i = 0; i < (options.receivers ?? 1); i++) {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receivers.push(receiver);
  }
  const secret = newSecret();
  const webhooks = new WebhookStore(store.db);
  const dispatcher = createWebhookDispatcher({
    store: webhooks,
    endpoints: receivers.map((r) => `${r.url}/hooks`),
    secret,
    retryScheduleMs: [50, 100, 200],
    timeoutMs: 1_000,
    logger: silentLogger,
    ...options,
  });
  dispatcher.start();
  cleanups.push(() => dispatcher.stop());
  const commit = (type: EventType, data = SAMPLE_EVENTS[type]) => {
    const event = store.transaction(() => store.events.append(type, data));
    dispatcher.kick();
    return event.id;
  };
  return { store, webhooks, receivers, dispatcher, secret, commit };
}

describe('webhook dispatcher', () => {
  it('delivers every event type, signed so a Standard Webhooks library verifies it', async () => {
    const metrics = createMetrics();
    const { receivers, secret, commit, webhooks, dispatcher } = await setup({ metrics });
    const receiver = receivers[0] as WebhookReceiver;
    const ids = EVENT_TYPES.map((type) => commit(type));

    const requests = await receiver.waitFor(EVENT_TYPES.length);
    const verifier = new Webhook(secret);
    const seen = requests.map((r) => {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/hooks');
      expect(r.headers['content-type']).toBe('application/json');
      const payload = verifier.verify(r.body, r.headers) as Record<string, unknown>;
      expect(Date.parse(String(payload.timestamp))).toBeGreaterThan(Date.now() - 60_000);
      expect(payload.data).toEqual(SAMPLE_EVENTS[payload.type as EventType]);
      return { id: r.headers['webhook-id'], type: payload.type };
    });
    expect(seen.map((s) => s.type).sort()).toEqual([...EVENT_TYPES].sort());
    expect(seen.map((s) => s.id).sort()).toEqual([...ids].sort());

    await dispatcher.idle();
    const { deliveries } = webhooks.list({ status: 'delivered' });
    expect(deliveries).toHaveLength(EVENT_TYPES.length);
    expect(deliveries.every((d) => d.attempts[0]?.statusCode === 200)).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      `switchboard_webhook_deliveries_total{endpoint="${receiver.url}/hooks",event="ticket.created",outcome="delivered"} 1`,
    );
    expect(text).toContain(`switchboard_webhook_pending{endpoint="${receiver.url}/hooks"} 0`);
  });

  it('fails verification when the body was tampered with or the secret is wrong', async () => {
    const { receivers, secret, commit } = await setup();
    commit('ticket.created');
    const [request] = await (receivers[0] as WebhookReceiver).waitFor(1);
    if (!request) throw new Error('no request');
    const tampered = request.body.replace('"priority":"high"', '"priority":"low"');
    expect(tampered).not.toBe(request.body);
    expect(() => new Webhook(secret).verify(tampered, request.headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(newSecret()).verify(request.body, request.headers)).toThrow(
      WebhookVerificationError,
    );
  });

  it('retries a receiver answering 500 until it recovers, with backoff', async () => {
    const { receivers, commit, webhooks, secret } = await setup();
    const receiver = receivers[0] as WebhookReceiver;
    receiver.reply((_, i) => (i < 2 ? { status: 500, body: 'database is down' } : {}));
    const id = commit('ticket.created');

    const delivery = await settled(webhooks, id, `${receiver.url}/hooks`);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivery.attempts[0]?.responseExcerpt).toBe('database is down');
    const times = receiver.requests.map((r) => r.receivedAt);
    // schedule [50, 100] with ±20% jitter
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(38);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(78);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([id]));
    for (const r of receiver.requests)
      expect(() => new Webhook(secret).verify(r.body, r.headers)).not.toThrow();
  });

  it('times out a slow receiver and retries it', async () => {
    const { receivers, commit, webhooks } = await setup({ timeoutMs: 150 });
    const receiver = receivers[0] as WebhookReceiver;
    receiver.reply((_, i) => (i === 0 ? { delayMs: 600 } : {}));
    const id = commit('handoff.created');

    const delivery = await settled(webhooks, id, `${receiver.url}/hooks`);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts).toHaveLength(2);
    expect(delivery.attempts[0]?.statusCode).toBeNull();
    expect(delivery.attempts[0]?.error).toMatch(/^timeout/);
    expect(delivery.attempts[0]?.latencyMs).toBeLessThan(500);
  });

  it('marks a delivery failed once the schedule is exhausted, keeping every attempt', async () => {
    const { receivers, commit, webhooks } = await setup({ retryScheduleMs: [20, 20] });
    const receiver = receivers[0] as WebhookReceiver;
    receiver.reply(() => ({ status: 503 }));
    const id = commit('cluster.escalated');

    const delivery = await settled(webhooks, id, `${receiver.url}/hooks`);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(delivery.lastError).toBe('http_status: HTTP 503');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests).toHaveLength(3);
  });

  it('gives up at once when the receiver answers 410 Gone', async () => {
    const { receivers, commit, webhooks } = await setup();
    const receiver = receivers[0] as WebhookReceiver;
    receiver.reply(() => ({ status: 410, body: 'endpoint removed' }));
    const id = commit('ticket.created');
    const delivery = await settled(webhooks, id, `${receiver.url}/hooks`);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]?.responseExcerpt).toBe('endpoint removed');
  });

  it('retries a refused connection as a network error, then fails', async () => {
    const { receivers, commit, webhooks } = await setup({ retryScheduleMs: [10] });
    const receiver = receivers[0] as WebhookReceiver;
    receiver.reply(() => 'drop');
    const id = commit('ticket.created');
    const delivery = await settled(webhooks, id, `${receiver.url}/hooks`);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([null, null]);
    expect(delivery.attempts.map((a) => a.error?.split(':')[0])).toEqual(['network', 'network']);
  });

  it('replays a delivery with the same webhook-id', async () => {
    const { receivers, commit, webhooks, dispatcher, secret } = await setup();
    const receiver = receivers[0] as WebhookReceiver;
    const id = commit('handoff.resolved');
    const first = await settled(webhooks, id, `${receiver.url}/hooks`);

    const replayed = webhooks.replay(first.id);
    expect(replayed?.status).toBe('pending');
    dispatcher.kick();
    const [a, b] = await receiver.waitFor(2);
    expect(b?.headers['webhook-id']).toBe(a?.headers['webhook-id']);
    expect(b?.body).toBe(a?.body);
    expect(() => new Webhook(secret).verify(b?.body ?? '', b?.headers ?? {})).not.toThrow();
    const after = await settled(webhooks, id, `${receiver.url}/hooks`);
    expect(after.attempts).toHaveLength(2);
    expect(after.replayedAt).not.toBeNull();
  });

  it('sends an endpoint only the event types it subscribes to', async () => {
    const a = await startWebhookReceiver();
    const b = await startWebhookReceiver();
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const { commit, dispatcher } = await setup({
      receivers: 0,
      endpoints: [{ url: a.url, events: ['ticket.created'] }, { url: b.url }],
    });
    commit('handoff.created');
    const ticket = commit('ticket.created');
    await b.waitFor(2);
    await dispatcher.idle();
    expect(a.requests.map((r) => r.headers['webhook-id'])).toEqual([ticket]);
  });

  it('keeps delivering to a live endpoint while another one hangs', async () => {
    const live = await startWebhookReceiver();
    const dead = await startWebhookReceiver();
    cleanups.push(
      () => live.close(),
      () => dead.close(),
    );
    dead.reply(() => 'hang');
    const { commit } = await setup({
      receivers: 0,
      concurrency: 4,
      timeoutMs: 5_000,
      endpoints: [dead.url, live.url],
    });
    const started = performance.now();
    for (let i = 0; i < 10; i++) commit('ticket.created');
    await live.waitFor(10, 2_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(dead.requests.length).toBeLessThanOrEqual(2);
  });

  it('delivers events from when an endpoint is added; older ones on replay', async () => {
    const store = createStore(':memory:');
    cleanups.push(() => store.close());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const old = store.transaction(() => store.events.append('ticket.created', { n: 1 }));
    const dispatcher = createWebhookDispatcher({
      store: store.db,
      endpoints: [receiver.url],
      secret: newSecret(),
      retryScheduleMs: [50],
      logger: silentLogger,
    });
    const fresh = store.transaction(() => store.events.append('ticket.created', { n: 2 }));
    dispatcher.start();
    cleanups.push(() => dispatcher.stop());
    await receiver.waitFor(1);
    await dispatcher.idle();
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([fresh.id]);

    expect(dispatcher.replayEvent('msg_unknown')).toBeUndefined();
    expect(dispatcher.replayEvent(old.id)).toHaveLength(1);
    await receiver.waitFor(2);
    expect(receiver.requests[1]?.headers['webhook-id']).toBe(old.id);
  });
});
