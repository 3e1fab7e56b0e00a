import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
} from '../../src/engine/webhooks/dispatcher.ts';
import { webhookRoutes } from '../../src/http/api/webhooks.ts';
import { errorHandler } from '../../src/http/errors.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { WebhookStore } from '../../src/store/webhooks.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { SAMPLE_EVENTS } from './sample-events.ts';
import { eventually, newSecret, silentLogger } from './setup.ts';

let store: Store;
let webhooks: WebhookStore;
let receiver: WebhookReceiver;
let dispatcher: WebhookDispatcher;
let api: string;
let closeServer: () => Promise<void>;
const eventIds: string[] = [];

beforeEach(async () => {
  store = createStore(':memory:');
  webhooks = new WebhookStore(store.db);
  receiver = await startWebhookReceiver();
  // `/ok` accepts everything; `/gone` answers 410, so its deliveries fail at once.
  receiver.reply((r) => (r.path === '/gone' ? { status: 410, body: 'gone' } : {}));
  dispatcher = createWebhookDispatcher({
    store: webhooks,
    endpoints: [`${receiver.url}/ok`, `${receiver.url}/gone`],
    secret: newSecret(),
    retryScheduleMs: [50],
    logger: silentLogger,
  });
  dispatcher.start();
  eventIds.length = 0;
  for (const type of ['ticket.created', 'handoff.created', 'ticket.created'] as const) {
    eventIds.push(store.transaction(() => store.events.append(type, SAMPLE_EVENTS[type])).id);
  }
  dispatcher.kick();
  await receiver.waitFor(6);
  await dispatcher.idle();

  const app = express();
  app.use('/api', webhookRoutes({ webhooks, dispatcher }));
  // Refusals are answered as the app answers them (errors.ts).
  app.use(errorHandler(silentLogger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  closeServer = () => new Promise((resolve) => server.close(() => resolve()));
});

afterEach(async () => {
  await closeServer();
  await dispatcher.stop();
  await receiver.close();
  store.close();
});

/** A delivery as the API returns it. */
interface DeliveryJson {
  id: number;
  eventId: string;
  eventType: string;
  endpoint: string;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  attempts: Array<{
    attemptedAt: string;
    statusCode: number | null;
    latencyMs: number;
    responseExcerpt: string | null;
  }>;
}

/** Every field any of the routes answers with. */
interface ApiJson {
  deliveries: DeliveryJson[];
  delivery: DeliveryJson;
  total: number;
  limit: number;
  offset: number;
  error: string;
  message: string;
}

async function call(path: string, method = 'GET'): Promise<{ status: number; body: ApiJson }> {
  const res = await fetch(`${api}${path}`, { method });
  return { status: res.status, body: (await res.json()) as ApiJson };
}

const get = (path: string) => call(path);
const post = (path: string) => call(path, 'POST');

describe('webhook delivery API', () => {
  it('lists deliveries newest first, each with its attempts', async () => {
    const { status, body } = await get('/webhooks/deliveries');
    expect(status).toBe(200);
    expect(body.total).toBe(6);
    expect(body.deliveries).toHaveLength(6);
    const ids = body.deliveries.map((d) => d.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const gone = body.deliveries.find((d) => d.endpoint.endsWith('/gone'));
    expect(gone).toMatchObject({ status: 'failed', attemptCount: 1, lastStatusCode: 410 });
    expect(gone?.attempts[0]).toMatchObject({ statusCode: 410, responseExcerpt: 'gone' });
    expect(gone?.attempts[0]?.latencyMs).toBeTypeOf('number');
    expect(Date.parse(gone?.attempts[0]?.attemptedAt ?? '')).not.toBeNaN();
    const ok = body.deliveries.find((d) => d.endpoint.endsWith('/ok'));
    expect(ok).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
  });

  it('filters by status and event type, and paginates', async () => {
    const failed = await get('/webhooks/deliveries?status=failed');
    expect(failed.body.total).toBe(3);
    expect(failed.body.deliveries.every((d) => d.status === 'failed')).toBe(true);

    const tickets = await get('/webhooks/deliveries?type=ticket.created&status=delivered');
    expect(tickets.body.total).toBe(2);
    expect(tickets.body.deliveries.map((d) => d.eventType)).toEqual([
      'ticket.created',
      'ticket.created',
    ]);

    const page = await get('/webhooks/deliveries?limit=4&offset=4');
    expect(page.body).toMatchObject({ total: 6, limit: 4, offset: 4 });
    expect(page.body.deliveries).toHaveLength(2);
  });

  it('rejects an unknown status or a bad limit with 400', async () => {
    expect((await get('/webhooks/deliveries?status=lost')).status).toBe(400);
    const bad = await get('/webhooks/deliveries?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_query');
  });

  it('replays a failed delivery: pending again, sent again with the same webhook-id', async () => {
    const { body } = await get('/webhooks/deliveries?status=failed&limit=1');
    const failed = body.deliveries[0];
    if (!failed) throw new Error('no failed delivery');
    receiver.reply(() => ({}));

    const replay = await post(`/webhooks/deliveries/${failed.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.delivery).toMatchObject({
      id: failed.id,
      status: 'pending',
      attemptCount: 0,
    });
    const resent = await receiver.waitFor(7);
    expect(resent[6]?.headers['webhook-id']).toBe(failed.eventId);
    expect(resent[6]?.path).toBe('/gone');
    const delivered = await eventually(() =>
      webhooks.get(failed.id)?.status === 'delivered' ? webhooks.get(failed.id) : undefined,
    );
    expect(delivered.attempts.map((a) => a.statusCode)).toEqual([410, 200]);
  });

  it('answers 404 for an unknown delivery and 400 for a non-numeric id', async () => {
    const unknown = await post('/webhooks/deliveries/9999/replay');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('not_found');
    const bad = await post('/webhooks/deliveries/abc/replay');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_id');
    expect((await get('/webhooks/deliveries/12x')).status).toBe(400);
  });

  it('replays an event to every endpoint, or 404 for an unknown event', async () => {
    const replay = await post(`/webhooks/events/${eventIds[1]}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.deliveries).toHaveLength(2);
    await receiver.waitFor(8);
    expect((await post('/webhooks/events/msg_nope/replay')).status).toBe(404);
  });
});
