import type { Platform, Priority, Sentiment } from '../engine/types.ts';
import type { Db } from './db.ts';

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
  status: 'open' | 'resolved';
  createdAt: number;
}

export type NewTicket = Omit<Ticket, 'id' | 'ref' | 'status' | 'createdAt'> & {
  createdAt?: number;
};

/** Filters of `GET /api/tickets`. */
export interface TicketFilter {
  status?: string;
  priority?: string;
  category?: string;
  productArea?: string;
  platform?: string;
  limit?: number;
  offset?: number;
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
  status: 'open' | 'resolved';
  created_at: number;
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
});

/** Tickets. Callers wrap creation, clustering and events in one transaction. */
export class TicketStore {
  constructor(private readonly db: Db) {}

  create(t: NewTicket): Ticket {
    const info = this.db
      .prepare(
        `INSERT INTO tickets (ref, conversation_id, platform, reporter_id, reporter_name, kind, category,
          priority, sentiment, summary, tags, product_area, created_at)
         VALUES ('pending', @conversationId, @platform, @reporterId, @reporterName, @kind, @category,
          @priority, @sentiment, @summary, @tags, @productArea, @createdAt)`,
      )
      .run({ ...t, tags: JSON.stringify(t.tags), createdAt: t.createdAt ?? Date.now() });
    const id = Number(info.lastInsertRowid);
    this.db.prepare('UPDATE tickets SET ref = ? WHERE id = ?').run(ticketRef(id), id);
    return this.get(id) as Ticket;
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

  list(f: TicketFilter = {}): Ticket[] {
    return this.db
      .prepare<Record<string, string | number | null>, Row>(
        `SELECT * FROM tickets WHERE (@status IS NULL OR status = @status)
         AND (@priority IS NULL OR priority = @priority) AND (@category IS NULL OR category = @category)
         AND (@productArea IS NULL OR product_area = @productArea) AND (@platform IS NULL OR platform = @platform)
         ORDER BY id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({
        status: f.status ?? null,
        priority: f.priority ?? null,
        category: f.category ?? null,
        productArea: f.productArea ?? null,
        platform: f.platform ?? null,
        limit: f.limit ?? 50,
        offset: f.offset ?? 0,
      })
      .map(toTicket);
  }
}
