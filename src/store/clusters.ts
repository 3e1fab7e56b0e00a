import type { Platform, Priority } from '../types/index.ts';
import { CentroidIndex, type ClusterNeighbour } from './centroid-index.ts';
import { type ClusterRow, type ClusterStatus, type ClusterView, toView } from './cluster-views.ts';
import type { Db } from './db.ts';
import { blobVector, vectorBlob } from './vector-blob.ts';

export type { ClusterNeighbour } from './centroid-index.ts';

/** Urgency levels of a cluster, lowest first. */
export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * A cluster as the clustering engine reads and writes it: what the admin API shows, plus
 * the centroid and the state impact is computed from; times are epoch ms.
 */
export interface ClusterRecord extends ClusterView {
  /** Running mean of the member vectors (not unit length). */
  centroid: Float32Array;
  urgency: Urgency;
  /** Severity- and reporter-weighted reports, decayed to `weightAt` (see docs/impact.md). */
  weight: number;
  weightAt: number;
  lastTicketId: number;
  /** How the title was written; a `manual` title (a person's) is never rewritten. */
  titleSource: TitleSource;
  /** The reports the cluster had when its title was written. */
  titledAtReports: number;
}

/** How a cluster's title was written: chosen from its tickets, by the model, or by a person. */
export type TitleSource = 'extract' | 'model' | 'manual';

/** The fields a new cluster starts with. */
export type NewClusterRecord = Omit<
  ClusterRecord,
  | 'id'
  | 'status'
  | 'mergedInto'
  | 'resolvedAt'
  | 'impact'
  | 'urgency'
  | 'titleSource'
  | 'titledAtReports'
>;

/** What can change on a cluster row; the centroid goes through `saveCentroid`. */
export type ClusterPatch = Partial<
  Omit<ClusterRecord, 'id' | 'centroid' | 'status' | 'mergedInto' | 'resolvedAt'>
>;

/** A ticket of a cluster, with what clustering and the counters need. */
export interface ClusterMember {
  id: number;
  /** The ticket's canonical issue phrase, if it has one. */
  canonical: string | null;
  vector: Float32Array | null;
  platform: Platform;
  reporterId: string;
  conversationId: string;
  priority: Priority;
  productArea: string | null;
  areaSource: string | null;
  createdAt: number;
  /** A person placed it (merge or split): the machine does not move it on its own. */
  pinned: boolean;
}

interface Row extends ClusterRow {
  centroid: Buffer;
  urgency: Urgency;
  weight: number;
  weight_at: number;
  last_ticket_id: number;
  title_source: TitleSource;
  titled_at_reports: number;
}

interface MemberRow {
  id: number;
  canonical: string | null;
  vector: Buffer | null;
  platform: Platform;
  reporter_id: string;
  conversation_id: string;
  priority: Priority;
  product_area: string | null;
  area_source: string | null;
  created_at: number;
  pinned: number;
}

const toRecord = (r: Row): ClusterRecord => ({
  ...toView(r),
  centroid: blobVector(r.centroid),
  urgency: r.urgency,
  weight: r.weight,
  weightAt: r.weight_at,
  lastTicketId: r.last_ticket_id,
  titleSource: r.title_source,
  titledAtReports: r.titled_at_reports,
});

const PATCH_COLUMNS: Record<keyof ClusterPatch, string> = {
  title: 'title',
  productArea: 'product_area',
  reports: 'reports',
  uniqueReporters: 'unique_reporters',
  platforms: 'platforms',
  priorityMix: 'priority_mix',
  impact: 'impact',
  urgency: 'urgency',
  weight: 'weight',
  weightAt: 'weight_at',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
  lastTicketId: 'last_ticket_id',
  titleSource: 'title_source',
  titledAtReports: 'titled_at_reports',
};

/**
 * Clusters as the clustering engine changes them: rows, the sqlite-vec index of open
 * centroids (`cluster_vec`, rowid = cluster id, cosine distance), ticket membership and the
 * reporters table. Only open clusters are in the index, so resolved and merged clusters
 * never attract new tickets. Callers run each change inside `store.transaction`.
 */
export class ClusterStore {
  /** The sqlite-vec index of open centroids, and when it short-lists by sketch. */
  private readonly index: CentroidIndex;

  constructor(private readonly db: Db) {
    this.index = new CentroidIndex(db);
  }

  /** Inserts an open cluster and indexes its centroid (given unit length as `unit`). */
  create(c: NewClusterRecord, unit: Float32Array, now: number): ClusterRecord {
    const signs = this.index.sketchOf(unit);
    const info = this.db
      .prepare(
        `INSERT INTO clusters (title, product_area, status, centroid, sketch, reports,
           unique_reporters, platforms, priority_mix, impact, urgency, weight, weight_at,
           first_seen, last_seen, created_at, updated_at, last_ticket_id)
         VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, 0, 'normal', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.title,
        c.productArea,
        vectorBlob(c.centroid),
        signs,
        c.reports,
        c.uniqueReporters,
        JSON.stringify(c.platforms),
        JSON.stringify(c.priorityMix),
        c.weight,
        c.weightAt,
        c.firstSeen,
        c.lastSeen,
        now,
        now,
        c.lastTicketId,
      );
    const id = Number(info.lastInsertRowid);
    this.index.add(id, unit, signs);
    return this.get(id) as ClusterRecord;
  }

  get(id: number): ClusterRecord | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM clusters WHERE id = ?').get(id);
    return row ? toRecord(row) : undefined;
  }

  /** The open clusters nearest to a unit vector, most similar first (see CentroidIndex). */
  nearest(unit: Float32Array, k: number): ClusterNeighbour[] {
    return this.index.nearest(unit, k);
  }

  /** Stores the running mean and, when the cluster is open, re-indexes its direction. */
  saveCentroid(id: number, mean: Float32Array, unit: Float32Array): void {
    this.db.prepare('UPDATE clusters SET centroid = ? WHERE id = ?').run(vectorBlob(mean), id);
    const indexed = this.db
      .prepare<[number], { status: ClusterStatus; sketch: Buffer | null }>(
        'SELECT status, sketch FROM clusters WHERE id = ?',
      )
      .get(id);
    if (indexed?.status !== 'open') return;
    const rewritten = this.index.move(id, unit, indexed.sketch);
    if (rewritten)
      this.db.prepare('UPDATE clusters SET sketch = ? WHERE id = ?').run(rewritten, id);
  }

  /** Rebuilds an index that has become more holes than rows; returns the tables rebuilt. */
  compactIndexes(): string[] {
    return this.index.compact();
  }

  update(id: number, patch: ClusterPatch, now: number): void {
    const sets: string[] = ['updated_at = @updatedAt'];
    const params: Record<string, string | number | null> = { id, updatedAt: now };
    for (const [key, value] of Object.entries(patch)) {
      const column = PATCH_COLUMNS[key as keyof ClusterPatch];
      if (!column || value === undefined) continue;
      sets.push(`${column} = @${key}`);
      params[key] = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
    }
    this.db.prepare(`UPDATE clusters SET ${sets.join(', ')} WHERE id = @id`).run(params);
  }

  /** Closes a cluster (`resolved`, or `merged` into another) and takes it out of the index. */
  close(
    id: number,
    status: Exclude<ClusterStatus, 'open'>,
    now: number,
    mergedInto?: number,
  ): void {
    this.db
      .prepare(
        'UPDATE clusters SET status = ?, merged_into = ?, resolved_at = ?, updated_at = ? WHERE id = ?',
      )
      .run(status, mergedInto ?? null, status === 'resolved' ? now : null, now, id);
    this.index.remove(id);
  }

  /** The cluster's tickets, oldest first, with their vectors. */
  members(clusterId: number): ClusterMember[] {
    return this.db
      .prepare<[number], MemberRow>(
        `SELECT id, canonical, vector, platform, reporter_id, conversation_id, priority, product_area,
                area_source, created_at, pinned
         FROM tickets WHERE cluster_id = ? ORDER BY created_at, id`,
      )
      .all(clusterId)
      .map((r) => ({
        id: r.id,
        canonical: r.canonical,
        vector: r.vector ? blobVector(r.vector) : null,
        platform: r.platform,
        reporterId: r.reporter_id,
        conversationId: r.conversation_id,
        priority: r.priority,
        productArea: r.product_area,
        areaSource: r.area_source,
        createdAt: r.created_at,
        pinned: r.pinned === 1,
      }));
  }

  /** The mean product-area match score of the open tickets (0 when there are none). */
  openAreaFit(): number {
    return (
      this.db
        .prepare<[], { fit: number | null }>(
          "SELECT AVG(area_confidence) AS fit FROM tickets WHERE status = 'open'",
        )
        .get()?.fit ?? 0
    );
  }

  /** Pins the tickets of these clusters: a person placed them, and the machine leaves them. */
  pin(clusterIds: readonly number[]): void {
    const pin = this.db.prepare('UPDATE tickets SET pinned = 1 WHERE cluster_id = ?');
    for (const id of clusterIds) pin.run(id);
  }

  /** Records that a person split these two clusters apart; regrouping never rejoins them. */
  setApart(a: number, b: number, now: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO cluster_apart (a, b, created_at) VALUES (?, ?, ?)')
      .run(Math.min(a, b), Math.max(a, b), now);
  }

  /** Whether a person split these two clusters apart. */
  isApart(a: number, b: number): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM cluster_apart WHERE a = ? AND b = ?')
        .get(Math.min(a, b), Math.max(a, b)) !== undefined
    );
  }

  /**
   * After `from` merged into `to`: the pairs `from` was apart from are now `to`'s, and a
   * pair of the two themselves is dropped (whoever merged them decided they are one).
   */
  carryApart(from: number, to: number, now: number): void {
    const rows = this.db
      .prepare<[number, number], { other: number }>(
        'SELECT CASE WHEN a = ? THEN b ELSE a END AS other FROM cluster_apart WHERE ? IN (a, b)',
      )
      .all(from, from);
    this.db.prepare('DELETE FROM cluster_apart WHERE ? IN (a, b)').run(from);
    for (const { other } of rows) if (other !== to) this.setApart(to, other, now);
  }

  /** Records which cluster a ticket is in and how similar it was to the centroid. */
  assignTicket(ticketId: number, clusterId: number, similarity: number): void {
    this.db
      .prepare('UPDATE tickets SET cluster_id = ?, similarity = ? WHERE id = ?')
      .run(clusterId, similarity, ticketId);
  }

  /** Moves every ticket of one cluster into another; returns how many moved. */
  moveAll(fromId: number, toId: number): number {
    return this.db
      .prepare('UPDATE tickets SET cluster_id = ? WHERE cluster_id = ?')
      .run(toId, fromId).changes;
  }

  /** The ids of the cluster's tickets, oldest first. */
  memberIds(clusterId: number): number[] {
    return this.db
      .prepare<[number], { id: number }>(
        'SELECT id FROM tickets WHERE cluster_id = ? ORDER BY created_at, id',
      )
      .all(clusterId)
      .map((r) => r.id);
  }

  /** The stored vectors of the given tickets (tickets without one are left out). */
  ticketVectors(ticketIds: readonly number[]): Map<number, Float32Array> {
    const get = this.db.prepare<[number], { vector: Buffer | null }>(
      'SELECT vector FROM tickets WHERE id = ?',
    );
    const out = new Map<number, Float32Array>();
    for (const id of ticketIds) {
      const row = get.get(id);
      if (row?.vector) out.set(id, blobVector(row.vector));
    }
    return out;
  }

  /**
   * Moves a cluster's reporters to another cluster (keeping the target's row for someone in
   * both); returns how many were new to the target.
   */
  moveReporters(fromId: number, toId: number): number {
    const added = this.db
      .prepare(
        `INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_key, conversation_id, platform, first_at)
         SELECT ?, reporter_key, conversation_id, platform, first_at FROM cluster_reporters WHERE cluster_id = ?`,
      )
      .run(toId, fromId).changes;
    this.db.prepare('DELETE FROM cluster_reporters WHERE cluster_id = ?').run(fromId);
    return added;
  }

  /** Adds a reporter to the cluster; true when they had not reported this problem before. */
  addReporter(
    clusterId: number,
    r: { platform: string; reporterId: string; conversationId: string; at: number },
  ): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_key, conversation_id, platform, first_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(clusterId, `${r.platform}:${r.reporterId}`, r.conversationId, r.platform, r.at)
        .changes > 0
    );
  }

  /** Rebuilds the cluster's reporters from its tickets; returns how many there are. */
  rebuildReporters(clusterId: number): number {
    this.db.prepare('DELETE FROM cluster_reporters WHERE cluster_id = ?').run(clusterId);
    return this.db
      .prepare(
        `INSERT INTO cluster_reporters (cluster_id, reporter_key, conversation_id, platform, first_at)
         SELECT cluster_id, platform || ':' || reporter_id,
                (SELECT t2.conversation_id FROM tickets t2 WHERE t2.cluster_id = t.cluster_id
                   AND t2.platform = t.platform AND t2.reporter_id = t.reporter_id
                 ORDER BY t2.created_at DESC, t2.id DESC LIMIT 1),
                platform, MIN(created_at)
         FROM tickets t WHERE cluster_id = ? GROUP BY platform, reporter_id`,
      )
      .run(clusterId).changes;
  }

  /** How many of the cluster's tickets were created in [since, until). */
  reportsBetween(clusterId: number, since: number, until: number): number {
    return (
      this.db
        .prepare<[number, number, number], { n: number }>(
          'SELECT COUNT(*) AS n FROM tickets WHERE cluster_id = ? AND created_at >= ? AND created_at < ?',
        )
        .get(clusterId, since, until)?.n ?? 0
    );
  }

  /** Appends to the cluster's audit log. */
  audit(
    clusterId: number,
    action: 'created' | 'merged' | 'split' | 'reassigned' | 'resolved' | 'escalated' | 'renamed',
    actor: string | null,
    detail: Record<string, unknown>,
    now: number,
  ): void {
    this.db
      .prepare(
        'INSERT INTO cluster_audit (cluster_id, action, actor, detail, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(clusterId, action, actor, JSON.stringify(detail), now);
  }

  /** Open clusters whose stored impact is at least `minImpact`, highest first. */
  openByImpact(minImpact: number): number[] {
    return this.db
      .prepare<[number], { id: number }>(
        "SELECT id FROM clusters WHERE status = 'open' AND impact >= ? ORDER BY impact DESC",
      )
      .all(minImpact)
      .map((r) => r.id);
  }

  /** Open clusters that gained a ticket after `ticketId`, oldest first. */
  changedSince(ticketId: number): number[] {
    return this.db
      .prepare<[number], { id: number }>(
        "SELECT id FROM clusters WHERE status = 'open' AND last_ticket_id > ? ORDER BY id",
      )
      .all(ticketId)
      .map((r) => r.id);
  }

  /**
   * Open clusters of at most `maxReports` tickets whose newest ticket is in
   * (`fromTicket`, `toTicket`]: the small clusters that went quiet in that span.
   */
  quietSmall(maxReports: number, fromTicket: number, toTicket: number): number[] {
    return this.db
      .prepare<[number, number, number], { id: number }>(
        `SELECT id FROM clusters WHERE status = 'open' AND last_ticket_id > ? AND last_ticket_id <= ?
           AND reports <= ? ORDER BY id`,
      )
      .all(fromTicket, toTicket, maxReports)
      .map((r) => r.id);
  }

  /**
   * Marks the cluster's open and in-progress tickets resolved, keeping the status counters;
   * returns how many. Closed tickets stay closed.
   */
  resolveTickets(clusterId: number): number {
    const bump = this.db.prepare(
      `INSERT INTO ticket_counts (dimension, value, n) VALUES ('status', ?, ?)
       ON CONFLICT (dimension, value) DO UPDATE SET n = n + excluded.n`,
    );
    let resolved = 0;
    for (const status of ['open', 'in_progress']) {
      const n = this.db
        .prepare("UPDATE tickets SET status = 'resolved' WHERE cluster_id = ? AND status = ?")
        .run(clusterId, status).changes;
      if (n === 0) continue;
      bump.run(status, -n);
      resolved += n;
    }
    if (resolved > 0) bump.run('resolved', resolved);
    return resolved;
  }

  /**
   * The newest `limit` tickets of a cluster, with their vectors: where a ticket's neighbours
   * are looked for. Bounded so that a huge cluster costs no more than a large one.
   */
  recentVectors(clusterId: number, limit: number): { id: number; vector: Float32Array }[] {
    return this.db
      .prepare<[number, number], { id: number; vector: Buffer }>(
        `SELECT id, vector FROM tickets WHERE cluster_id = ? AND vector IS NOT NULL
         ORDER BY id DESC LIMIT ?`,
      )
      .all(clusterId, limit)
      .map((r) => ({ id: r.id, vector: blobVector(r.vector) }));
  }

  /** The canonical phrases and vectors of the cluster's newest tickets, for its title. */
  titleCandidates(clusterId: number, limit: number): { canonical: string; vector: Float32Array }[] {
    return this.db
      .prepare<[number, number], { canonical: string; vector: Buffer }>(
        `SELECT canonical, vector FROM tickets WHERE cluster_id = ? AND canonical IS NOT NULL
         AND vector IS NOT NULL ORDER BY id DESC LIMIT ?`,
      )
      .all(clusterId, limit)
      .map((r) => ({ canonical: r.canonical, vector: blobVector(r.vector) }));
  }

  /** Tickets with an id in (`fromTicket`, `toTicket`] that have a vector and an open cluster. */
  clusteredBetween(fromTicket: number, toTicket: number): { id: number; vector: Float32Array }[] {
    return this.db
      .prepare<[number, number], { id: number; vector: Buffer }>(
        `SELECT t.id, t.vector FROM tickets t JOIN clusters c ON c.id = t.cluster_id
         WHERE t.id > ? AND t.id <= ? AND t.vector IS NOT NULL AND c.status = 'open'
         ORDER BY t.id`,
      )
      .all(fromTicket, toTicket)
      .map((r) => ({ id: r.id, vector: blobVector(r.vector) }));
  }

  /** A ticket's neighbours, most similar first. */
  neighbours(ticketId: number): ClusterNeighbour[] {
    return this.db
      .prepare<[number], ClusterNeighbour>(
        `SELECT neighbour_id AS id, similarity FROM ticket_neighbours WHERE ticket_id = ?
         ORDER BY similarity DESC, neighbour_id`,
      )
      .all(ticketId);
  }

  /** Replaces a ticket's neighbours. */
  setNeighbours(ticketId: number, neighbours: readonly ClusterNeighbour[]): void {
    this.db.prepare('DELETE FROM ticket_neighbours WHERE ticket_id = ?').run(ticketId);
    const insert = this.db.prepare(
      'INSERT INTO ticket_neighbours (ticket_id, neighbour_id, similarity) VALUES (?, ?, ?)',
    );
    for (const n of neighbours) insert.run(ticketId, n.id, n.similarity);
  }

  /** The tickets that have this one among their neighbours. */
  listedBy(ticketId: number): number[] {
    return this.db
      .prepare<[number], { id: number }>(
        'SELECT ticket_id AS id FROM ticket_neighbours WHERE neighbour_id = ?',
      )
      .all(ticketId)
      .map((r) => r.id);
  }

  /**
   * Where a ticket's neighbours are: per open cluster, the summed similarity of the
   * neighbours in it and the cluster's size, with the ticket's own open cluster (if any).
   */
  neighbourVotes(ticketId: number): {
    own: { clusterId: number; reports: number } | undefined;
    votes: { clusterId: number; weight: number; reports: number }[];
  } {
    const own = this.db
      .prepare<[number], { clusterId: number; reports: number }>(
        `SELECT t.cluster_id AS clusterId, c.reports FROM tickets t JOIN clusters c ON c.id = t.cluster_id
         WHERE t.id = ? AND c.status = 'open' AND t.pinned = 0`,
      )
      .get(ticketId);
    const votes = this.db
      .prepare<[number], { clusterId: number; weight: number; reports: number }>(
        `SELECT t.cluster_id AS clusterId, SUM(n.similarity) AS weight, c.reports
         FROM ticket_neighbours n JOIN tickets t ON t.id = n.neighbour_id
         JOIN clusters c ON c.id = t.cluster_id AND c.status = 'open'
         WHERE n.ticket_id = ? GROUP BY t.cluster_id`,
      )
      .all(ticketId);
    return { own, votes };
  }

  /** A value of the `meta` table (the consolidation cursor lives there). */
  meta(key: string): string | undefined {
    return this.db
      .prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
      .get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
}
