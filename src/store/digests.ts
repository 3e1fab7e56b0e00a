import type { Digest } from '../engine/digest-types.ts';
import type { Db } from './db.ts';

/** An open cluster with reports in a window, and its counts over that window. */
export interface WindowCluster {
  clusterId: number;
  title: string;
  productArea: string | null;
  urgency: string;
  impact: number;
  firstSeen: number;
  reports: number;
  uniqueReporters: number;
}

/** One sample ticket of a cluster in a window. */
export interface WindowTicket {
  id: number;
  ref: string;
  summary: string;
  reporterKey: string;
}

/** A stored digest, as built, with its row id. */
export interface StoredDigest extends Digest {
  id: number;
}

type Window = { since: number; until: number };

/**
 * Window queries for the digest (which open clusters had reports between `since` and
 * `until`, ranked by impact, with per-cluster counts and samples) and the stored digests.
 * Every window is half-open: `since <= created_at < until`, epoch ms.
 */
export class DigestStore {
  constructor(private readonly db: Db) {}

  /**
   * The open clusters with at least one report in the window: how many there are, and the
   * top `limit` ranked by impact (then unique reporters and reports in the window).
   */
  activeClusters(w: Window, limit: number): { total: number; top: WindowCluster[] } {
    const rows = this.db
      .prepare<Window & { limit: number }, WindowCluster & { total: number }>(
        `WITH w AS (
           SELECT cluster_id, COUNT(*) AS reports,
                  COUNT(DISTINCT platform || ':' || reporter_id) AS unique_reporters
           FROM tickets
           WHERE created_at >= @since AND created_at < @until AND cluster_id IS NOT NULL
           GROUP BY cluster_id
         )
         SELECT c.id AS clusterId, c.title, c.product_area AS productArea, c.urgency, c.impact,
                c.first_seen AS firstSeen, w.reports, w.unique_reporters AS uniqueReporters,
                COUNT(*) OVER () AS total
         FROM w JOIN clusters c ON c.id = w.cluster_id
         WHERE c.status = 'open'
         ORDER BY c.impact DESC, w.unique_reporters DESC, w.reports DESC, c.id
         LIMIT @limit`,
      )
      .all({ ...w, limit });
    return {
      total: rows[0]?.total ?? 0,
      top: rows.map(({ total: _total, ...cluster }) => cluster),
    };
  }

  /** Reports of one cluster in a window (the previous window, for the trend). */
  reportsIn(clusterId: number, w: Window): number {
    return (
      this.db
        .prepare<Window & { clusterId: number }, { n: number }>(
          `SELECT COUNT(*) AS n FROM tickets
           WHERE cluster_id = @clusterId AND created_at >= @since AND created_at < @until`,
        )
        .get({ ...w, clusterId })?.n ?? 0
    );
  }

  /** Ticket counts of one cluster in a window by platform and priority. */
  mixIn(clusterId: number, w: Window): Array<{ platform: string; priority: string; n: number }> {
    return this.db
      .prepare<Window & { clusterId: number }, { platform: string; priority: string; n: number }>(
        `SELECT platform, priority, COUNT(*) AS n FROM tickets
         WHERE cluster_id = @clusterId AND created_at >= @since AND created_at < @until
         GROUP BY platform, priority`,
      )
      .all({ ...w, clusterId });
  }

  /** The newest `limit` tickets of one cluster in a window, newest first. */
  newestIn(clusterId: number, w: Window, limit: number): WindowTicket[] {
    return this.db
      .prepare<Window & { clusterId: number; limit: number }, WindowTicket>(
        `SELECT id, ref, summary, platform || ':' || reporter_id AS reporterKey FROM tickets
         WHERE cluster_id = @clusterId AND created_at >= @since AND created_at < @until
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ ...w, clusterId, limit });
  }

  /** Stores a built digest; call inside the transaction that records `digest.created`. */
  insert(digest: Digest, now = Date.now()): StoredDigest {
    const info = this.db
      .prepare('INSERT INTO digests (since, until, content, created_at) VALUES (?, ?, ?, ?)')
      .run(Date.parse(digest.since), Date.parse(digest.until), '{}', now);
    const stored: StoredDigest = { ...digest, id: Number(info.lastInsertRowid) };
    this.db
      .prepare('UPDATE digests SET content = ? WHERE id = ?')
      .run(JSON.stringify(stored), stored.id);
    return stored;
  }

  /** One stored digest. */
  get(id: number): StoredDigest | undefined {
    const row = this.db
      .prepare<[number], { content: string }>('SELECT content FROM digests WHERE id = ?')
      .get(id);
    return row ? (JSON.parse(row.content) as StoredDigest) : undefined;
  }

  /** Stored digests, newest first, and how many there are. */
  list(limit: number, offset: number): { digests: StoredDigest[]; total: number } {
    const digests = this.db
      .prepare<[number, number], { content: string }>(
        'SELECT content FROM digests ORDER BY id DESC LIMIT ? OFFSET ?',
      )
      .all(limit, offset)
      .map((r) => JSON.parse(r.content) as StoredDigest);
    const total =
      this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM digests').get()?.n ?? 0;
    return { digests, total };
  }

  /** The end of the newest stored digest's window (epoch ms), if any. */
  lastUntil(): number | undefined {
    return this.db
      .prepare<[], { until: number }>('SELECT until FROM digests ORDER BY id DESC LIMIT 1')
      .get()?.until;
  }
}
