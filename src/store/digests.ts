import type { Digest, StoredDigest } from '../types/index.ts';
import type { Db } from './db.ts';

/**
 * An open cluster with reports in a window, with its lifetime counters (which equal its
 * window counts when the window covers its whole life, `since <= firstSeen`, `lastSeen < until`).
 */
export interface WindowCluster {
  clusterId: number;
  title: string;
  productArea: string | null;
  urgency: string;
  impact: number;
  firstSeen: number;
  lastSeen: number;
  reports: number;
  uniqueReporters: number;
  platforms: Record<string, number>;
  priorityMix: Record<string, number>;
}

/** A cluster's counts over a window, from its tickets. */
export interface WindowCounts {
  reports: number;
  uniqueReporters: number;
  platforms: Record<string, number>;
  priorityMix: Record<string, number>;
}

/** One sample ticket of a cluster in a window. */
export interface WindowTicket {
  id: number;
  ref: string;
  summary: string;
  reporterKey: string;
}

type Window = { since: number; until: number };

/** One distinct environment of a cluster's tickets, and how many reported it. */
export interface EnvironmentRow {
  appVersion: string | null;
  os: string | null;
  device: string | null;
  browser: string | null;
  n: number;
}

interface ClusterRow {
  id: number;
  title: string;
  product_area: string | null;
  urgency: string;
  impact: number;
  first_seen: number;
  last_seen: number;
  reports: number;
  unique_reporters: number;
  platforms: string;
  priority_mix: string;
}

const toWindowCluster = (r: ClusterRow): WindowCluster => ({
  clusterId: r.id,
  title: r.title,
  productArea: r.product_area,
  urgency: r.urgency,
  impact: r.impact,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  reports: r.reports,
  uniqueReporters: r.unique_reporters,
  platforms: JSON.parse(r.platforms) as Record<string, number>,
  priorityMix: JSON.parse(r.priority_mix) as Record<string, number>,
});

/**
 * Window queries for the digest (which open clusters had reports between `since` and
 * `until`, ranked by impact, with per-cluster counts and samples) and the stored digests.
 * Every window is half-open: `since <= created_at < until`, epoch ms.
 */
export class DigestStore {
  constructor(private readonly db: Db) {}

  /**
   * The open clusters with at least one report in the window: how many there are, and the
   * top `limit` by impact. Walks the open clusters by impact and checks each against the
   * (cluster, time) index, so the cost follows the number of clusters, not of tickets.
   */
  activeClusters(w: Window, limit: number): { total: number; top: WindowCluster[] } {
    const active = `c.status = 'open' AND c.last_seen >= @since AND c.first_seen < @until
      AND EXISTS (SELECT 1 FROM tickets t
                  WHERE t.cluster_id = c.id AND t.created_at >= @since AND t.created_at < @until)`;
    const top = this.db
      .prepare<Window & { limit: number }, ClusterRow>(
        `SELECT c.id, c.title, c.product_area, c.urgency, c.impact, c.first_seen, c.last_seen,
                c.reports, c.unique_reporters, c.platforms, c.priority_mix
         FROM clusters c WHERE ${active} ORDER BY c.impact DESC, c.id LIMIT @limit`,
      )
      .all({ ...w, limit })
      .map(toWindowCluster);
    const total =
      this.db
        .prepare<Window, { n: number }>(`SELECT COUNT(*) AS n FROM clusters c WHERE ${active}`)
        .get(w)?.n ?? 0;
    return { total, top };
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

  /** One cluster's reports, unique reporters, platforms and priority mix in a window. */
  countsIn(clusterId: number, w: Window): WindowCounts {
    const params = { ...w, clusterId };
    const inWindow = 'cluster_id = @clusterId AND created_at >= @since AND created_at < @until';
    const counts: WindowCounts = { reports: 0, uniqueReporters: 0, platforms: {}, priorityMix: {} };
    const mix = this.db
      .prepare<typeof params, { platform: string; priority: string; n: number }>(
        `SELECT platform, priority, COUNT(*) AS n FROM tickets WHERE ${inWindow}
         GROUP BY platform, priority`,
      )
      .all(params);
    for (const { platform, priority, n } of mix) {
      counts.reports += n;
      counts.platforms[platform] = (counts.platforms[platform] ?? 0) + n;
      counts.priorityMix[priority] = (counts.priorityMix[priority] ?? 0) + n;
    }
    counts.uniqueReporters =
      this.db
        .prepare<typeof params, { n: number }>(
          `SELECT COUNT(DISTINCT platform || ':' || reporter_id) AS n FROM tickets WHERE ${inWindow}`,
        )
        .get(params)?.n ?? 0;
    return counts;
  }

  /**
   * How often each environment was reported in one cluster within a window: one row per
   * distinct (app version, OS, device, browser), tickets without an environment left out.
   */
  environmentIn(clusterId: number, w: Window): EnvironmentRow[] {
    return this.db
      .prepare<Window & { clusterId: number }, EnvironmentRow>(
        `SELECT json_extract(environment, '$.appVersion') AS appVersion,
                json_extract(environment, '$.os') AS os,
                json_extract(environment, '$.device') AS device,
                json_extract(environment, '$.browser') AS browser, COUNT(*) AS n
         FROM tickets WHERE cluster_id = @clusterId AND environment IS NOT NULL
           AND created_at >= @since AND created_at < @until
         GROUP BY 1, 2, 3, 4`,
      )
      .all({ ...w, clusterId });
  }

  /** The app versions any ticket reported in a window (to tell "since 3.2.1" from "always"). */
  appVersionsIn(w: Window): string[] {
    return this.db
      .prepare<Window, { v: string }>(
        `SELECT DISTINCT json_extract(environment, '$.appVersion') AS v FROM tickets
         WHERE environment IS NOT NULL AND created_at >= @since AND created_at < @until
           AND json_extract(environment, '$.appVersion') IS NOT NULL`,
      )
      .all(w)
      .map((r) => r.v);
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
