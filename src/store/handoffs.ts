import type { Classification, Handoff, HandoffStatus, Platform } from '../types/index.ts';
import type { Db } from './db.ts';

interface Row {
  id: number;
  conversation_id: string;
  platform: Platform;
  customer_name: string;
  status: HandoffStatus;
  summary: string;
  classification: string;
  agent_id: string | null;
  agent_name: string | null;
  desk_ref: string | null;
  desk_error: string | null;
  announce_count: number;
  created_at: number;
  announced_at: number | null;
  claimed_at: number | null;
  resolved_at: number | null;
}

const toHandoff = (r: Row): Handoff => ({
  id: r.id,
  conversationId: r.conversation_id,
  platform: r.platform,
  customerName: r.customer_name,
  status: r.status,
  summary: r.summary,
  classification: JSON.parse(r.classification) as Classification,
  agentId: r.agent_id,
  agentName: r.agent_name,
  deskRef: r.desk_ref ? (JSON.parse(r.desk_ref) as Record<string, string>) : null,
  deskError: r.desk_error,
  announceCount: r.announce_count,
  createdAt: r.created_at,
  announcedAt: r.announced_at,
  claimedAt: r.claimed_at,
  resolvedAt: r.resolved_at,
});

/** Handoffs and their desk bookkeeping. Callers wrap changes and events in one transaction. */
export class HandoffStore {
  constructor(private readonly db: Db) {}

  create(h: {
    conversationId: string;
    platform: Platform;
    customerName: string;
    summary: string;
    classification: Classification;
  }): Handoff {
    const info = this.db
      .prepare(
        `INSERT INTO handoffs (conversation_id, platform, customer_name, summary, classification, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        h.conversationId,
        h.platform,
        h.customerName,
        h.summary,
        JSON.stringify(h.classification),
        Date.now(),
      );
    return this.get(Number(info.lastInsertRowid)) as Handoff;
  }

  get(id: number): Handoff | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM handoffs WHERE id = ?').get(id);
    return row ? toHandoff(row) : undefined;
  }

  /** The conversation's handoff that is not resolved yet, if any. */
  activeFor(conversationId: string): Handoff | undefined {
    const row = this.db
      .prepare<[string], Row>(
        "SELECT * FROM handoffs WHERE conversation_id = ? AND status != 'resolved' ORDER BY id DESC LIMIT 1",
      )
      .get(conversationId);
    return row ? toHandoff(row) : undefined;
  }

  /** The conversation's newest handoff, resolved or not. */
  latestFor(conversationId: string): Handoff | undefined {
    const row = this.db
      .prepare<[string], Row>(
        'SELECT * FROM handoffs WHERE conversation_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(conversationId);
    return row ? toHandoff(row) : undefined;
  }

  /** Claims an open handoff. Returns false when someone else already holds it. */
  claim(id: number, agent: { id: string; name: string }): boolean {
    return (
      this.db
        .prepare(
          "UPDATE handoffs SET status = 'claimed', agent_id = ?, agent_name = ?, claimed_at = ? WHERE id = ? AND status = 'open'",
        )
        .run(agent.id, agent.name, Date.now(), id).changes === 1
    );
  }

  resolve(id: number): boolean {
    return (
      this.db
        .prepare(
          "UPDATE handoffs SET status = 'resolved', resolved_at = ? WHERE id = ? AND status != 'resolved'",
        )
        .run(Date.now(), id).changes === 1
    );
  }

  /** Records where the desk posted the handoff, or the error that stopped it. */
  markAnnounced(id: number, result: { deskRef?: Record<string, string>; error?: string }): void {
    if (result.error !== undefined) {
      this.db.prepare('UPDATE handoffs SET desk_error = ? WHERE id = ?').run(result.error, id);
      return;
    }
    this.db
      .prepare(
        `UPDATE handoffs SET desk_ref = coalesce(?, desk_ref), desk_error = NULL,
         announce_count = announce_count + 1, announced_at = ? WHERE id = ?`,
      )
      .run(result.deskRef ? JSON.stringify(result.deskRef) : null, Date.now(), id);
  }

  list(options: { status?: HandoffStatus; limit?: number; offset?: number } = {}): Handoff[] {
    return this.db
      .prepare<{ status: string | null; limit: number; offset: number }, Row>(
        'SELECT * FROM handoffs WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit OFFSET @offset',
      )
      .all({
        status: options.status ?? null,
        limit: options.limit ?? 50,
        offset: options.offset ?? 0,
      })
      .map(toHandoff);
  }

  /** Open handoffs not (re)announced since `before`, or never posted successfully. */
  dueForAnnouncement(before: number): Handoff[] {
    return this.db
      .prepare<[number], Row>(
        `SELECT * FROM handoffs WHERE status = 'open'
         AND (announced_at IS NULL OR announced_at < ?) ORDER BY id`,
      )
      .all(before)
      .map(toHandoff);
  }

  /** Open handoff count per agent, for least-loaded assignment. */
  loadByAgent(): Map<string, number> {
    const rows = this.db
      .prepare<[], { agent_id: string; n: number }>(
        "SELECT agent_id, count(*) AS n FROM handoffs WHERE status = 'claimed' GROUP BY agent_id",
      )
      .all();
    return new Map(rows.map((r) => [r.agent_id, r.n]));
  }
}
