import { type Db, inTransaction } from './db.ts';
import type { EventType } from './events.ts';

/** Where a delivery stands: waiting (or retrying), done, or given up and kept for replay. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One HTTP attempt of a delivery, as logged. */
export interface WebhookAttempt {
  id: number;
  deliveryId: number;
  attemptedAt: number;
  /** Null when no response arrived (timeout, refused connection, reset). */
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** The first 500 characters of the response body. */
  responseExcerpt: string | null;
}

/** One event on its way to one endpoint. */
export interface WebhookDelivery {
  id: number;
  eventId: string;
  eventType: EventType;
  endpoint: string;
  status: DeliveryStatus;
  /** Attempts since the delivery was created or last replayed. */
  attemptCount: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  replayedAt: number | null;
}

export interface WebhookDeliveryWithAttempts extends WebhookDelivery {
  attempts: WebhookAttempt[];
}

/** A delivery claimed for sending, with the event it carries. */
export interface DueDelivery {
  id: number;
  eventId: string;
  eventType: EventType;
  eventData: Record<string, unknown>;
  eventCreatedAt: number;
  endpoint: string;
  attemptCount: number;
}

/** An endpoint and, optionally, the only event types it receives. */
export interface EndpointSubscription {
  url: string;
  events?: readonly EventType[];
}

/** What an attempt produced; the dispatcher decides the outcome from the retry schedule. */
export interface AttemptRecord {
  attemptedAt: number;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
  outcome: DeliveryStatus;
  /** When to try again; only for outcome `pending`. */
  nextAttemptAt: number | null;
}

/** Filters of `GET /api/webhooks/deliveries`. Newest first. */
export interface DeliveryFilter {
  status?: DeliveryStatus;
  type?: EventType;
  endpoint?: string;
  limit?: number;
  offset?: number;
}

const EXCERPT_LIMIT = 500;

interface DeliveryRow {
  id: number;
  event_id: string;
  event_type: EventType;
  endpoint: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  replayed_at: number | null;
}

interface AttemptRow {
  id: number;
  delivery_id: number;
  attempted_at: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
}

const DELIVERY_COLUMNS = `d.id, d.event_id, e.type AS event_type, d.endpoint, d.status, d.attempt_count,
  d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at, d.replayed_at`;

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.event_type,
  endpoint: r.endpoint,
  status: r.status,
  attemptCount: r.attempt_count,
  nextAttemptAt: r.next_attempt_at,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
  replayedAt: r.replayed_at,
});

const toAttempt = (r: AttemptRow): WebhookAttempt => ({
  id: r.id,
  deliveryId: r.delivery_id,
  attemptedAt: r.attempted_at,
  statusCode: r.status_code,
  error: r.error,
  latencyMs: r.latency_ms,
  responseExcerpt: r.response_excerpt,
});

/**
 * Webhook deliveries and their attempt log. Events reach endpoints in three steps:
 * `fanOut` turns new outbox events into one pending delivery per endpoint (idempotent by
 * UNIQUE(event_id, endpoint) and a per-endpoint cursor over `events.rowid`, which grows in
 * commit order), `claimDue` leases due deliveries to the dispatcher, and `recordAttempt`
 * logs the attempt and its outcome in one transaction. A lease left by a crashed process
 * expires, or is released at startup by `releaseClaims`, so the delivery is sent again.
 */
export class WebhookStore {
  constructor(readonly db: Db) {}

  /**
   * Makes the endpoint table match the configuration. A new endpoint's cursor starts at
   * the newest event, so it receives events from now on; older ones only through
   * `replayEvent`. A removed endpoint's cursor is forgotten (re-adding it starts afresh);
   * its pending deliveries stay in the table and resume if it comes back.
   */
  syncEndpoints(urls: readonly string[], now = Date.now()): void {
    inTransaction(this.db, () => {
      this.db
        .prepare('DELETE FROM webhook_endpoints WHERE url NOT IN (SELECT value FROM json_each(?))')
        .run(JSON.stringify(urls));
      const add = this.db.prepare(
        `INSERT OR IGNORE INTO webhook_endpoints (url, event_cursor, added_at)
         VALUES (?, (SELECT COALESCE(MAX(rowid), 0) FROM events), ?)`,
      );
      for (const url of urls) add.run(url, now);
    });
  }

  /**
   * Creates a pending delivery for every event committed since each endpoint's cursor
   * (skipping types the endpoint does not subscribe to) and advances the cursors.
   * Returns the number of deliveries created.
   */
  fanOut(endpoints: readonly EndpointSubscription[], now = Date.now()): number {
    return inTransaction(this.db, () => {
      const newest = this.db
        .prepare<[], { n: number }>('SELECT COALESCE(MAX(rowid), 0) AS n FROM events')
        .get()?.n;
      if (newest === undefined) return 0;
      let created = 0;
      for (const { url, events } of endpoints) {
        const cursor = this.db
          .prepare<[string], { c: number }>(
            'SELECT event_cursor AS c FROM webhook_endpoints WHERE url = ?',
          )
          .get(url)?.c;
        if (cursor === undefined || cursor >= newest) continue;
        created += this.db
          .prepare(
            `INSERT OR IGNORE INTO webhook_deliveries (event_id, endpoint, next_attempt_at, created_at)
             SELECT id, @url, @now, @now FROM events
             WHERE rowid > @cursor AND rowid <= @newest
               AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
             ORDER BY rowid`,
          )
          .run({ url, now, cursor, newest, types: events ? JSON.stringify(events) : null }).changes;
        this.db
          .prepare('UPDATE webhook_endpoints SET event_cursor = ? WHERE url = ?')
          .run(newest, url);
      }
      return created;
    });
  }

  /**
   * Leases up to `limit` due deliveries of one endpoint, oldest due first, until
   * `now + leaseMs`. Per-endpoint claims let the dispatcher share its slots fairly.
   */
  claimDue(endpoint: string, limit: number, now: number, leaseMs: number): DueDelivery[] {
    if (limit <= 0) return [];
    return inTransaction(this.db, () => {
      const rows = this.db
        .prepare<
          [{ endpoint: string; now: number; limit: number }],
          {
            id: number;
            event_id: string;
            type: EventType;
            payload: string;
            event_created_at: number;
            attempt_count: number;
          }
        >(
          `SELECT d.id, d.event_id, e.type, e.payload, e.created_at AS event_created_at, d.attempt_count
           FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
           WHERE d.status = 'pending' AND d.endpoint = @endpoint AND d.next_attempt_at <= @now
             AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
           ORDER BY d.next_attempt_at, d.id LIMIT @limit`,
        )
        .all({ endpoint, now, limit });
      const lease = this.db.prepare('UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ?');
      for (const r of rows) lease.run(now + leaseMs, r.id);
      return rows.map((r) => ({
        id: r.id,
        eventId: r.event_id,
        eventType: r.type,
        eventData: JSON.parse(r.payload) as Record<string, unknown>,
        eventCreatedAt: r.event_created_at,
        endpoint,
        attemptCount: r.attempt_count,
      }));
    });
  }

  /** The earliest time a pending delivery of these endpoints becomes claimable, if any. */
  nextDueAt(endpoints: readonly string[]): number | null {
    const row = this.db
      .prepare<[string], { t: number | null }>(
        `SELECT MIN(MAX(next_attempt_at, COALESCE(claimed_until, 0))) AS t
         FROM webhook_deliveries
         WHERE status = 'pending' AND endpoint IN (SELECT value FROM json_each(?))`,
      )
      .get(JSON.stringify(endpoints));
    return row?.t ?? null;
  }

  /** Logs one attempt and applies its outcome to the delivery, in one transaction. */
  recordAttempt(deliveryId: number, a: AttemptRecord): void {
    inTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO webhook_attempts
             (delivery_id, attempted_at, status_code, error, latency_ms, response_excerpt)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          deliveryId,
          a.attemptedAt,
          a.statusCode,
          a.error,
          Math.round(a.latencyMs),
          a.responseExcerpt?.slice(0, EXCERPT_LIMIT) ?? null,
        );
      this.db
        .prepare(
          `UPDATE webhook_deliveries SET status = @status, attempt_count = attempt_count + 1,
             next_attempt_at = @next, claimed_until = NULL, last_status_code = @code,
             last_error = @error,
             delivered_at = CASE WHEN @status = 'delivered' THEN @finished ELSE delivered_at END
           WHERE id = @id`,
        )
        .run({
          status: a.outcome,
          next: a.outcome === 'pending' ? a.nextAttemptAt : null,
          code: a.statusCode,
          error: a.error,
          finished: a.attemptedAt + Math.round(a.latencyMs),
          id: deliveryId,
        });
    });
  }

  /** Drops leases (all, or the given deliveries) so those deliveries are due again. */
  releaseClaims(ids?: readonly number[]): number {
    return this.db
      .prepare(
        `UPDATE webhook_deliveries SET claimed_until = NULL
         WHERE claimed_until IS NOT NULL AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`,
      )
      .run({ ids: ids ? JSON.stringify(ids) : null }).changes;
  }

  /** Deliveries, newest first, each with its attempts; `total` counts all that match. */
  list(filter: DeliveryFilter = {}): { deliveries: WebhookDeliveryWithAttempts[]; total: number } {
    const where = `(@status IS NULL OR d.status = @status) AND (@type IS NULL OR e.type = @type)
      AND (@endpoint IS NULL OR d.endpoint = @endpoint)`;
    const params = {
      status: filter.status ?? null,
      type: filter.type ?? null,
      endpoint: filter.endpoint ?? null,
    };
    const rows = this.db
      .prepare<[typeof params & { limit: number; offset: number }], DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
         WHERE ${where} ORDER BY d.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: filter.limit ?? 50, offset: filter.offset ?? 0 });
    const total =
      this.db
        .prepare<[typeof params], { n: number }>(
          `SELECT COUNT(*) AS n FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
           WHERE ${where}`,
        )
        .get(params)?.n ?? 0;
    return { deliveries: this.withAttempts(rows.map(toDelivery)), total };
  }

  /** One delivery with its attempts, or undefined. */
  get(id: number): WebhookDeliveryWithAttempts | undefined {
    const row = this.db
      .prepare<[number], DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.id = ?`,
      )
      .get(id);
    return row ? this.withAttempts([toDelivery(row)])[0] : undefined;
  }

  /**
   * Resets a delivery (whatever its status) to pending and due now, with a fresh retry
   * schedule. Its attempts stay in the log. Undefined for an unknown id.
   */
  replay(id: number, now = Date.now()): WebhookDeliveryWithAttempts | undefined {
    const changed = this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'pending', attempt_count = 0,
           next_attempt_at = @now, claimed_until = NULL, replayed_at = @now WHERE id = @id`,
      )
      .run({ now, id }).changes;
    return changed ? this.get(id) : undefined;
  }

  /**
   * Queues an event again for every endpoint that subscribes to its type, creating
   * deliveries that never existed (e.g. for an event older than the endpoint) and
   * resetting existing ones. Undefined for an unknown event.
   */
  replayEvent(
    eventId: string,
    endpoints: readonly EndpointSubscription[],
    now = Date.now(),
  ): WebhookDeliveryWithAttempts[] | undefined {
    const event = this.db
      .prepare<[string], { type: EventType }>('SELECT type FROM events WHERE id = ?')
      .get(eventId);
    if (!event) return undefined;
    const urls = endpoints
      .filter((e) => !e.events || e.events.includes(event.type))
      .map((e) => e.url);
    return inTransaction(this.db, () => {
      const upsert = this.db.prepare<
        [{ eventId: string; url: string; now: number }],
        { id: number }
      >(
        `INSERT INTO webhook_deliveries (event_id, endpoint, next_attempt_at, created_at, replayed_at)
         VALUES (@eventId, @url, @now, @now, @now)
         ON CONFLICT (event_id, endpoint) DO UPDATE SET status = 'pending', attempt_count = 0,
           next_attempt_at = @now, claimed_until = NULL, replayed_at = @now
         RETURNING id`,
      );
      const ids = urls.map((url) => upsert.get({ eventId, url, now })?.id);
      return ids.flatMap((id) => (id === undefined ? [] : (this.get(id) ?? [])));
    });
  }

  /**
   * The deliveries of a ticket's events (`ticket.created`, `ticket.updated`), oldest first,
   * found through the index on the events' ticket id, so the cost is the ticket's events.
   */
  forTicket(ticketId: number): WebhookDelivery[] {
    return this.db
      .prepare<[number], DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM events e JOIN webhook_deliveries d ON d.event_id = e.id
         WHERE json_extract(e.payload, '$.ticket.id') = ? ORDER BY d.id`,
      )
      .all(ticketId)
      .map(toDelivery);
  }

  /** Pending deliveries per endpoint, for the `webhook_pending` gauge. */
  pendingByEndpoint(): Map<string, number> {
    const rows = this.db
      .prepare<[], { endpoint: string; n: number }>(
        `SELECT endpoint, COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'
         GROUP BY endpoint`,
      )
      .all();
    return new Map(rows.map((r) => [r.endpoint, r.n]));
  }

  private withAttempts(deliveries: WebhookDelivery[]): WebhookDeliveryWithAttempts[] {
    if (deliveries.length === 0) return [];
    const rows = this.db
      .prepare<[string], AttemptRow>(
        `SELECT * FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(?))
         ORDER BY id`,
      )
      .all(JSON.stringify(deliveries.map((d) => d.id)));
    const byDelivery = new Map<number, WebhookAttempt[]>();
    for (const r of rows) {
      const list = byDelivery.get(r.delivery_id) ?? [];
      list.push(toAttempt(r));
      byDelivery.set(r.delivery_id, list);
    }
    return deliveries.map((d) => ({ ...d, attempts: byDelivery.get(d.id) ?? [] }));
  }
}
