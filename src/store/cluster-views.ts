import type { Environment } from '../types/index.ts';
import type { Db } from './db.ts';
import type { EnvironmentRow } from './digests.ts';
import { ftsQuery } from './ticket-list.ts';

/** The cluster statuses of the schema. */
export const CLUSTER_STATUSES = ['open', 'resolved', 'merged'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** A cluster as the admin API shows it; times are epoch ms. */
export interface ClusterView {
  id: number;
  title: string;
  productArea: string | null;
  status: ClusterStatus;
  mergedInto: number | null;
  reports: number;
  uniqueReporters: number;
  platforms: Record<string, number>;
  priorityMix: Record<string, number>;
  impact: number;
  urgency: string;
  firstSeen: number;
  lastSeen: number;
  resolvedAt: number | null;
}

/** A ticket of a cluster, with the similarity that put it there. */
export interface ClusterTicketView {
  id: number;
  ref: string;
  summary: string;
  canonical: string | null;
  productArea: string | null;
  platform: string;
  reporterName: string;
  priority: string;
  status: string;
  similarity: number | null;
  /** What the customer said about their setup; null for tickets from before 0.3. */
  environment: Environment | null;
  createdAt: number;
}

/** One entry of a cluster's audit log. */
export interface ClusterAuditView {
  id: number;
  action: string;
  actor: string | null;
  detail: Record<string, unknown>;
  createdAt: number;
}

/** The columns of a `clusters` row that a view shows. */
export interface ClusterRow {
  id: number;
  title: string;
  product_area: string | null;
  status: ClusterStatus;
  merged_into: number | null;
  reports: number;
  unique_reporters: number;
  platforms: string;
  priority_mix: string;
  impact: number;
  urgency: string;
  first_seen: number;
  last_seen: number;
  resolved_at: number | null;
}

const COLUMNS = `id, title, product_area, status, merged_into, reports, unique_reporters, platforms,
  priority_mix, impact, urgency, first_seen, last_seen, resolved_at`;

/** A `clusters` row as the admin API shows it. */
export const toView = (r: ClusterRow): ClusterView => ({
  id: r.id,
  title: r.title,
  productArea: r.product_area,
  status: r.status,
  mergedInto: r.merged_into,
  reports: r.reports,
  uniqueReporters: r.unique_reporters,
  platforms: JSON.parse(r.platforms) as Record<string, number>,
  priorityMix: JSON.parse(r.priority_mix) as Record<string, number>,
  impact: r.impact,
  urgency: r.urgency,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  resolvedAt: r.resolved_at,
});

const DAY_MS = 86_400_000;

/** What the ranked list can be narrowed to (all given filters apply). */
export interface ClusterFilter {
  status: ClusterStatus;
  productArea?: string;
  urgency?: string;
  platform?: string;
  /** Words of the title or product area. */
  q?: string;
  limit: number;
  offset: number;
}

/**
 * Read views of clusters for the admin API: ranked lists, one cluster's tickets with
 * their similarity, its audit log and its reporters. Changes to clusters (assignment,
 * merge, split, resolve) live in the cluster store.
 */

export class ClusterViewStore {
  constructor(private readonly db: Db) {}

  /**
   * Clusters matching the filter, ranked by impact (highest first), and how many match.
   * `q` matches words of the title or the product area, or their beginnings, in any order.
   */
  list(filter: ClusterFilter): { clusters: ClusterView[]; total: number } {
    const where = ['status = @status'];
    const params: Record<string, string | number> = {
      status: filter.status,
      limit: filter.limit,
      offset: filter.offset,
    };
    if (filter.productArea !== undefined) {
      where.push('product_area = @productArea');
      params.productArea = filter.productArea;
    }
    if (filter.urgency !== undefined) {
      where.push('urgency = @urgency');
      params.urgency = filter.urgency;
    }
    if (filter.platform !== undefined) {
      where.push("coalesce(json_extract(platforms, '$.' || @platform), 0) > 0");
      params.platform = filter.platform;
    }
    // As the person types, every word may be cut short: "crash sett" finds "App crashes
    // when opening Settings".
    const search = ftsQuery(filter.q ?? '');
    if (search) {
      where.push('id IN (SELECT rowid FROM clusters_fts WHERE clusters_fts MATCH @q)');
      params.q = search.replace(/"( |$)/g, '"*$1');
    }
    const condition = where.join(' AND ');
    const clusters = this.db
      .prepare<Record<string, string | number>, ClusterRow>(
        `SELECT ${COLUMNS} FROM clusters WHERE ${condition}
         ORDER BY impact DESC, id LIMIT @limit OFFSET @offset`,
      )
      .all(params)
      .map(toView);
    const { limit: _limit, offset: _offset, ...countParams } = params;
    const total =
      this.db
        .prepare<Record<string, string | number>, { n: number }>(
          `SELECT COUNT(*) AS n FROM clusters WHERE ${condition}`,
        )
        .get(countParams)?.n ?? 0;
    return { clusters, total };
  }

  /**
   * The product areas of open clusters with what they add up to, highest total impact
   * first: the console's area filter and its "top areas by impact".
   */
  openAreas(): Array<{ productArea: string; clusters: number; reports: number; impact: number }> {
    return this.db
      .prepare<[], { productArea: string; clusters: number; reports: number; impact: number }>(
        `SELECT product_area AS productArea, count(*) AS clusters, sum(reports) AS reports,
                round(sum(impact), 2) AS impact
           FROM clusters WHERE status = 'open' AND product_area IS NOT NULL
          GROUP BY product_area ORDER BY sum(impact) DESC, product_area`,
      )
      .all();
  }

  get(id: number): ClusterView | undefined {
    const row = this.db
      .prepare<[number], ClusterRow>(`SELECT ${COLUMNS} FROM clusters WHERE id = ?`)
      .get(id);
    return row ? toView(row) : undefined;
  }

  /** The cluster's tickets, newest first, and how many it has. */
  tickets(
    clusterId: number,
    limit: number,
    offset: number,
  ): { tickets: ClusterTicketView[]; total: number } {
    const tickets = this.db
      .prepare<
        [number, number, number],
        Omit<ClusterTicketView, 'environment'> & { environment: string | null }
      >(
        `SELECT id, ref, summary, canonical, product_area AS productArea, platform,
                reporter_name AS reporterName, priority, status, similarity, environment,
                created_at AS createdAt
         FROM tickets WHERE cluster_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(clusterId, limit, offset)
      .map((t) => ({
        ...t,
        environment: t.environment ? (JSON.parse(t.environment) as Environment) : null,
      }));
    // The per-day counters add up to the cluster's tickets: a few dozen rows, not a count of
    // every ticket of a cluster that may hold a hundred thousand.
    const total =
      this.db
        .prepare<[number], { n: number | null }>(
          'SELECT sum(n) AS n FROM cluster_daily WHERE cluster_id = ?',
        )
        .get(clusterId)?.n ?? 0;
    return { tickets, total };
  }

  /**
   * Reports per UTC day for the cluster's tickets, for the `days` days ending with the one
   * `now` falls in, oldest first; days without a report are 0.
   */
  timeline(clusterId: number, days: number, now: number): Array<{ date: string; reports: number }> {
    const counts = this.dailyReports([clusterId], days, now).get(clusterId) ?? [];
    const first = Math.floor(now / DAY_MS) - days + 1;
    return counts.map((reports, i) => ({
      date: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
      reports,
    }));
  }

  /**
   * Reports per UTC day of several clusters at once (a page of the ranked list), for the
   * `days` days ending with the one `now` falls in, oldest first.
   */
  dailyReports(clusterIds: readonly number[], days: number, now: number): Map<number, number[]> {
    const first = Math.floor(now / DAY_MS) - days + 1;
    const series = new Map(clusterIds.map((id) => [id, new Array<number>(days).fill(0)]));
    if (clusterIds.length === 0) return series;
    const rows = this.db
      .prepare<{ ids: string; first: number }, { id: number; day: number; n: number }>(
        `SELECT cluster_id AS id, day, n FROM cluster_daily
          WHERE cluster_id IN (SELECT value FROM json_each(@ids)) AND day >= @first AND n > 0`,
      )
      .all({ ids: JSON.stringify(clusterIds), first });
    for (const { id, day, n } of rows) {
      const counts = series.get(id);
      if (counts && day - first < days) counts[day - first] = n;
    }
    return series;
  }

  /**
   * The setups a cluster's tickets gave, one row per distinct (app version, OS, device,
   * browser) with how many tickets gave it; tickets without one are left out.
   */
  environment(clusterId: number): EnvironmentRow[] {
    const none = (v: string) => (v === '' ? null : v);
    return this.db
      .prepare<
        [number],
        { app_version: string; os: string; device: string; browser: string; n: number }
      >(
        `SELECT app_version, os, device, browser, n FROM cluster_environments
          WHERE cluster_id = ? AND n > 0`,
      )
      .all(clusterId)
      .map((r) => ({
        appVersion: none(r.app_version),
        os: none(r.os),
        device: none(r.device),
        browser: none(r.browser),
        n: r.n,
      }));
  }

  /** App versions any ticket gave since `since` (epoch ms). */
  appVersionsSince(since: number): string[] {
    return this.db
      .prepare<[number], { version: string }>(
        'SELECT version FROM app_versions WHERE last_at >= ? ORDER BY version',
      )
      .all(since)
      .map((r) => r.version);
  }

  /** The cluster's audit log, oldest first. */
  audit(clusterId: number): ClusterAuditView[] {
    return this.db
      .prepare<
        [number],
        { id: number; action: string; actor: string | null; detail: string; created_at: number }
      >(
        'SELECT id, action, actor, detail, created_at FROM cluster_audit WHERE cluster_id = ? ORDER BY id',
      )
      .all(clusterId)
      .map((r) => ({
        id: r.id,
        action: r.action,
        actor: r.actor,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
        createdAt: r.created_at,
      }));
  }

  /**
   * Who reported the cluster's problem: one row per reporter (platform + reporter id), with
   * the conversation they last reported it in and the references of their tickets.
   */
  reporters(
    clusterId: number,
  ): Array<{ conversationId: string; platform: string; refs: string[] }> {
    return this.db
      .prepare<[number], { conversation_id: string; platform: string; refs: string }>(
        `SELECT platform, MAX(created_at) AS last_at,
                (SELECT t2.conversation_id FROM tickets t2
                 WHERE t2.cluster_id = t.cluster_id AND t2.platform = t.platform
                   AND t2.reporter_id = t.reporter_id
                 ORDER BY t2.created_at DESC, t2.id DESC LIMIT 1) AS conversation_id,
                json_group_array(ref) AS refs
         FROM tickets t WHERE cluster_id = ? GROUP BY platform, reporter_id ORDER BY last_at`,
      )
      .all(clusterId)
      .map((r) => ({
        conversationId: r.conversation_id,
        platform: r.platform,
        refs: JSON.parse(r.refs) as string[],
      }));
  }
}
