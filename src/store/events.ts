import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

/** The event types of DESIGN.md's webhook list. */
export const EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'cluster.escalated',
  'cluster.resolved',
  'handoff.created',
  'handoff.claimed',
  'handoff.resolved',
  'digest.created',
  'conversation.rated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One outbox event: it becomes one webhook delivery per endpoint. */
export interface OutboxEvent {
  id: string;
  type: EventType;
  data: Record<string, unknown>;
  createdAt: number;
}

/** A sortable unique id: time first (base36), then randomness. Doubles as `webhook-id`. */
export function newEventId(now = Date.now()): string {
  return `msg_${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

interface EventRow {
  id: string;
  type: EventType;
  payload: string;
  created_at: number;
}

const toEvent = (r: EventRow): OutboxEvent => ({
  id: r.id,
  type: r.type,
  data: JSON.parse(r.payload) as Record<string, unknown>,
  createdAt: r.created_at,
});

/**
 * The event outbox. `append` must be called inside the transaction of the change the
 * event reports, so the change and its event commit together or not at all.
 */
export class EventStore {
  constructor(private readonly db: Db) {}

  append(type: EventType, data: Record<string, unknown>, now = Date.now()): OutboxEvent {
    const event: OutboxEvent = { id: newEventId(now), type, data, createdAt: now };
    this.db
      .prepare('INSERT INTO events (id, type, payload, created_at) VALUES (?, ?, ?, ?)')
      .run(event.id, type, JSON.stringify(data), now);
    return event;
  }

  list(options: { type?: EventType; after?: string; limit?: number } = {}): OutboxEvent[] {
    return this.db
      .prepare<{ type: string | null; after: string; limit: number }, EventRow>(
        'SELECT * FROM events WHERE (@type IS NULL OR type = @type) AND id > @after ORDER BY id LIMIT @limit',
      )
      .all({ type: options.type ?? null, after: options.after ?? '', limit: options.limit ?? 100 })
      .map(toEvent);
  }

  /**
   * Events committed after position `seq` (the table's rowid, in commit order, unlike ids
   * made in the same millisecond), oldest first, each with its position.
   */
  committedAfter(seq: number, limit = 500): Array<OutboxEvent & { seq: number }> {
    return this.db
      .prepare<[number, number], EventRow & { seq: number }>(
        'SELECT rowid AS seq, id, type, payload, created_at FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?',
      )
      .all(seq, limit)
      .map((r) => ({ seq: r.seq, ...toEvent(r) }));
  }

  /** The position of the newest committed event (0 when there is none). */
  lastSeq(): number {
    return (
      this.db.prepare<[], { n: number | null }>('SELECT max(rowid) AS n FROM events').get()?.n ?? 0
    );
  }
}
