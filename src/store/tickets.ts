import type { Environment, Platform, Priority, Sentiment } from '../types/index.ts';
import type { Db } from './db.ts';
import { planTicketList, type TicketFilter } from './ticket-list.ts';

export type { TicketFilter } from './ticket-list.ts';

import { vectorBlob } from './vector-blob.ts';

/**
 * Where a ticket stands. A person moves it between `open`, `in_progress` and `closed`
 * (reopening it from `closed` or `resolved`); `resolved` is set when its cluster is marked fixed.
 */
export const TICKET_STATUSES = ['open', 'in_progress', 'closed', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A ticket: a real problem, with its classification and redacted summary. */
export interface Ticket {
  id: number;
  ref: string;
  conversationId: string;
  platform: Platform;
  reporterId: string;
  reporterName: string;
  kind: string;
  category: string;
  priority: Priority;
  sentiment: Sentiment;
  summary: string;
  tags: string[];
  productArea: string | null;
  status: TicketStatus;
  createdAt: number;
  /** The cluster the ticket is in, once assigned. */
  clusterId: number | null;
  /** Similarity to the cluster's centroid when the ticket joined it (why it is there). */
  similarity: number | null;
  /** Device, OS, app version and browser as the customer gave them; null before 0.3. */
  environment: Environment | null;
}

export type NewTicket = Omit<
  Ticket,
  'id' | 'ref' | 'status' | 'createdAt' | 'clusterId' | 'similarity' | 'environment'
> & {
  environment?: Environment;
  createdAt?: number;
  /** The normalizer's short canonical issue phrase (redacted). */
  canonical?: string;
  /** Similarity of the chosen product area, and how it was chosen. */
  areaConfidence?: number;
  areaSource?: 'embedding' | 'model' | 'low_confidence';
  /** The embedding clustering used (of the canonical phrase). */
  vector?: Float32Array;
};

/** What a person may change on a ticket (`PATCH /api/tickets/:ref`). */
export interface TicketFields {
  status?: TicketStatus;
  priority?: Priority;
  tags?: string[];
}

/** One entry of a ticket's audit log: a change a person made, or a note they left. */
export interface TicketAuditEntry {
  id: number;
  action: 'status' | 'priority' | 'tags' | 'note';
  actor: string;
  /** `{from, to}` for a change; empty for a note alone. */
  detail: Record<string, unknown>;
  note: string | null;
  createdAt: number;
}

interface Row {
  id: number;
  ref: string;
  conversation_id: string;
  platform: Platform;
  reporter_id: string;
  reporter_name: string;
  kind: string;
  category: string;
  priority: Priority;
  sentiment: Sentiment;
  summary: string;
  tags: string;
  product_area: string | null;
  status: TicketStatus;
  created_at: number;
  cluster_id: number | null;
  similarity: number | null;
  environment: string | null;
}

/** Ticket references start at T-1001 so they read as references, not row numbers. */
export const ticketRef = (id: number): string => `T-${1000 + id}`;

export const toTicket = (r: Row): Ticket => ({
  id: r.id,
  ref: r.ref,
  conversationId: r.conversation_id,
  platform: r.platform,
  reporterId: r.reporter_id,
  reporterName: r.reporter_name,
  kind: r.kind,
  category: r.category,
  priority: r.priority,
  sentiment: r.sentiment,
  summary: r.summary,
  tags: JSON.parse(r.tags) as string[],
  productArea: r.product_area,
  status: r.status,
  createdAt: r.created_at,
  clusterId: r.cluster_id,
  similarity: r.similarity,
  environment: r.environment ? (JSON.parse(r.environment) as Environment) : null,
});

/** Tickets. Callers wrap creation, clustering and events in one transaction. */
export class TicketStore {
  constructor(private readonly db: Db) {}

  create(t: NewTicket): Ticket {
    const info = this.db
      .prepare(
        `INSERT INTO tickets (ref, conversation_id, platform, reporter_id, reporter_name, kind, category,
          priority, sentiment, summary, tags, product_area, created_at, canonical, area_confidence,
          area_source, vector, environment)
         VALUES ('pending', @conversationId, @platform, @reporterId, @reporterName, @kind, @category,
          @priority, @sentiment, @summary, @tags, @productArea, @createdAt, @canonical,
          @areaConfidence, @areaSource, @vector, @environment)`,
      )
      .run({
        ...t,
        tags: JSON.stringify(t.tags),
        createdAt: t.createdAt ?? Date.now(),
        canonical: t.canonical ?? null,
        areaConfidence: t.areaConfidence ?? null,
        areaSource: t.areaSource ?? null,
        vector: t.vector ? vectorBlob(t.vector) : null,
        environment: t.environment ? JSON.stringify(t.environment) : null,
      });
    const id = Number(info.lastInsertRowid);
    this.db.prepare('UPDATE tickets SET ref = ? WHERE id = ?').run(ticketRef(id), id);
    this.count(t);
    return this.get(id) as Ticket;
  }

  /**
   * Keeps `ticket_counts` (what `GET /api/overview` reads) current, in the caller's
   * transaction. Tickets without a product area are not counted under one.
   */
  private count(t: NewTicket): void {
    const bump = this.db.prepare(
      `INSERT INTO ticket_counts (dimension, value, n) VALUES (?, ?, 1)
       ON CONFLICT (dimension, value) DO UPDATE SET n = n + 1`,
    );
    const values: Array<[string, string | null]> = [
      ['priority', t.priority],
      ['category', t.category],
      ['sentiment', t.sentiment],
      ['product_area', t.productArea],
      ['status', 'open'],
      ['platform', t.platform],
    ];
    for (const [dimension, value] of values) if (value !== null) bump.run(dimension, value);
  }

  get(id: number): Ticket | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM tickets WHERE id = ?').get(id);
    return row ? toTicket(row) : undefined;
  }

  byRef(ref: string): Ticket | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM tickets WHERE ref = ?').get(ref);
    return row ? toTicket(row) : undefined;
  }

  forConversation(conversationId: string): Ticket[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM tickets WHERE conversation_id = ? ORDER BY id')
      .all(conversationId)
      .map(toTicket);
  }

  /**
   * Tickets matching every given filter, newest first (see `planTicketList` for how the
   * rows are walked so that a page costs about the same at a thousand tickets or a million).
   */
  list(f: TicketFilter = {}): Ticket[] {
    const { sql, params } = planTicketList(this.db, f);
    return this.db.prepare<Record<string, string | number>, Row>(sql).all(params).map(toTicket);
  }

  /**
   * Changes a ticket's status, priority or tags and moves the overview counters with them,
   * in the caller's transaction. Returns the ticket as it is now.
   */
  update(ticket: Ticket, fields: TicketFields): Ticket {
    const next = { ...ticket, ...fields };
    this.db
      .prepare('UPDATE tickets SET status = ?, priority = ?, tags = ? WHERE id = ?')
      .run(next.status, next.priority, JSON.stringify(next.tags), ticket.id);
    const move = this.db.prepare(
      `INSERT INTO ticket_counts (dimension, value, n) VALUES (?, ?, ?)
       ON CONFLICT (dimension, value) DO UPDATE SET n = n + excluded.n`,
    );
    for (const dimension of ['status', 'priority'] as const) {
      if (next[dimension] === ticket[dimension]) continue;
      move.run(dimension, ticket[dimension], -1);
      move.run(dimension, next[dimension], 1);
    }
    return this.get(ticket.id) as Ticket;
  }

  /** Appends to the ticket's audit log, in the caller's transaction. */
  audit(ticketId: number, entry: Omit<TicketAuditEntry, 'id' | 'createdAt'>, now: number): void {
    this.db
      .prepare(
        'INSERT INTO ticket_audit (ticket_id, action, actor, detail, note, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(ticketId, entry.action, entry.actor, JSON.stringify(entry.detail), entry.note, now);
  }

  /** The ticket's audit log, oldest first. */
  history(ticketId: number): TicketAuditEntry[] {
    return this.db
      .prepare<
        [number],
        {
          id: number;
          action: TicketAuditEntry['action'];
          actor: string;
          detail: string;
          note: string | null;
          created_at: number;
        }
      >(
        'SELECT id, action, actor, detail, note, created_at FROM ticket_audit WHERE ticket_id = ? ORDER BY id',
      )
      .all(ticketId)
      .map((r) => ({
        id: r.id,
        action: r.action,
        actor: r.actor,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
        note: r.note,
        createdAt: r.created_at,
      }));
  }
}
