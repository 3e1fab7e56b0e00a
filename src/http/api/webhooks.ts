import { Router } from 'express';
import { z } from 'zod';
import type { WebhookDispatcher } from '../../engine/webhooks/dispatcher.ts';
import { EVENT_TYPES } from '../../store/events.ts';
import {
  DELIVERY_STATUSES,
  type WebhookDeliveryWithAttempts,
  type WebhookStore,
} from '../../store/webhooks.ts';
import { HttpError } from '../errors.ts';

/** What the webhook routes need: the delivery log and a dispatcher to wake. */
export interface WebhookRoutesDeps {
  webhooks: WebhookStore;
  dispatcher: Pick<WebhookDispatcher, 'kick' | 'replayEvent'>;
}

const listQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const numericId = /^[1-9][0-9]{0,15}$/;

/**
 * The delivery log and replay, mounted by the app under `/api` (behind bearer auth):
 * - `GET /webhooks/deliveries?status=&type=&limit=&offset=`: newest first, with attempts.
 * - `GET /webhooks/deliveries/:id`: one delivery with its attempts.
 * - `POST /webhooks/deliveries/:id/replay`: pending again now, fresh retry schedule.
 * - `POST /webhooks/events/:eventId/replay`: the event again to every subscribed endpoint,
 *   including endpoints added after it was created.
 * Times are ISO strings. Errors are the API's `{ error, message }` (see errors.ts).
 */
export function webhookRoutes({ webhooks, dispatcher }: WebhookRoutesDeps): Router {
  const router = Router();

  router.get('/webhooks/deliveries', (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) {
      const issue = query.error.issues[0];
      const field = String(issue?.path[0] ?? 'query');
      throw new HttpError(400, 'invalid_query', `${field}: ${issue?.message ?? 'is invalid'}`);
    }
    const { status, type, limit, offset } = query.data;
    const page = webhooks.list({ status, type, limit, offset });
    res.json({ deliveries: page.deliveries.map(toJson), total: page.total, limit, offset });
  });

  router.get('/webhooks/deliveries/:id', (req, res) => {
    if (!numericId.test(req.params.id)) throw badId();
    const delivery = webhooks.get(Number(req.params.id));
    if (!delivery) throw new HttpError(404, 'not_found', 'No such delivery');
    res.json({ delivery: toJson(delivery) });
  });

  router.post('/webhooks/deliveries/:id/replay', (req, res) => {
    if (!numericId.test(req.params.id)) throw badId();
    const delivery = webhooks.replay(Number(req.params.id));
    if (!delivery) throw new HttpError(404, 'not_found', 'No such delivery');
    dispatcher.kick();
    res.status(202).json({ delivery: toJson(delivery) });
  });

  router.post('/webhooks/events/:eventId/replay', (req, res) => {
    const deliveries = dispatcher.replayEvent(req.params.eventId);
    if (!deliveries) throw new HttpError(404, 'not_found', 'No such event');
    res.status(202).json({ deliveries: deliveries.map(toJson) });
  });

  return router;
}

const badId = () => new HttpError(400, 'invalid_id', 'The delivery id must be a positive integer');

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toJson(d: WebhookDeliveryWithAttempts) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    endpoint: d.endpoint,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: iso(d.createdAt),
    deliveredAt: iso(d.deliveredAt),
    replayedAt: iso(d.replayedAt),
    attempts: d.attempts.map((a) => ({
      attemptedAt: iso(a.attemptedAt),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      responseExcerpt: a.responseExcerpt,
    })),
  };
}
