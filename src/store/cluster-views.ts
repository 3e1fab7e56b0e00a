import type { Environment } from '../types/index.ts';
import type { Db } from './db.ts';

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

/**
 * Read views of clusters for the admin API: ranked lists, one cluster's tickets with
 * their similarity, its audit log and its reporters. Changes to clusters (assignment,
 * merge, split, resolve) live in the cluster store.
 */
const DAY_MS = 86_400_000;

export class ClusterViewStore {
  constructor(private readonly db: Db) {}

  /** Clusters with a status, ranked by impact (highest first), and how many there are. */
  list(
    status: ClusterStatus,
    limit: number,
    offset: number,
  ): { clusters: ClusterView[]; total: number } {
    const clusters = this.db
      .prepare<[string, number, number], ClusterRow>(
        `SELECT ${COLUMNS} FROM clusters WHERE status = ? ORDER BY impact DESC, id LIMIT ? OFFSET ?`,
      )
      .all(status, limit, offset)
      .map(toView);
    const total =
      this.db
        .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM clusters WHERE status = ?')
        .get(status)?.n ?? 0;
    return { clusters, total };
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
    const total =
      this.db
        .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE cluster_id = ?')
        .get(clusterId)?.n ?? 0;
    return { tickets, total };
  }

  /** The cluster's audit log, oldest first. */
  /**
   * Reports per UTC day for the cluster's tickets, for the `days` days ending with the one
   * `now` falls in, oldest first; days without a report are 0.
   */
  timeline(clusterId: number, days: number, now: number): Array<{ date: string; reports: number }> {
    const from = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
    const counts = new Map(
      this.db
        .prepare<{ id: number; from: number }, { day: number; n: number }>(
          `SELECT CAST((created_at - @from) / ${DAY_MS} AS INTEGER) AS day, count(*) AS n FROM tickets
            WHERE cluster_id = @id AND created_at >= @from GROUP BY day`,
        )
        .all({ id: clusterId, from })
        .map((r) => [r.day, r.n]),
    );
    return Array.from({ length: days }, (_, day) => ({
      date: new Date(from + day * DAY_MS).toISOString().slice(0, 10),
      reports: counts.get(day) ?? 0,
    }));
  }

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
