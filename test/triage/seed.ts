/**
 * Direct inserts of clusters and tickets with chosen timestamps, keeping the counters the
 * ticket path keeps (cluster counts, `cluster_reporters`, `ticket_counts`) consistent.
 * For digest windows and trends, which need tickets at controlled times.
 */
import type { Store } from '../../src/store/index.ts';

export const HOUR = 3_600_000;

export interface SeedCluster {
  title: string;
  productArea?: string | null;
  impact?: number;
  urgency?: 'normal' | 'urgent' | 'critical';
  status?: 'open' | 'resolved';
}

export interface SeedTicket {
  at: number;
  summary: string;
  reporter: string;
  platform?: 'web' | 'slack' | 'discord' | 'telegram';
  priority?: 'low' | 'medium' | 'high' | 'critical';
  similarity?: number;
}

/** Inserts an empty cluster; its counters grow with {@link seedTicket}. */
export function seedCluster(store: Store, c: SeedCluster): number {
  const info = store.db
    .prepare(
      `INSERT INTO clusters (title, product_area, status, centroid, impact, urgency, first_seen, last_seen,
         created_at, updated_at, resolved_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      c.title,
      c.productArea ?? null,
      c.status ?? 'open',
      Buffer.alloc(16),
      c.impact ?? 1,
      c.urgency ?? 'normal',
      Number.MAX_SAFE_INTEGER,
      0,
      Date.now(),
      Date.now(),
      c.status === 'resolved' ? Date.now() : null,
    );
  return Number(info.lastInsertRowid);
}

/** Inserts a ticket into a cluster at a given time and updates every counter. */
export function seedTicket(
  store: Store,
  clusterId: number,
  t: SeedTicket,
): { id: number; ref: string } {
  const platform = t.platform ?? 'web';
  const priority = t.priority ?? 'high';
  const conversationId = `${platform}:${t.reporter}`;
  return store.transaction(() => {
    const cluster = store.db
      .prepare<[number], { product_area: string | null; platforms: string; priority_mix: string }>(
        'SELECT product_area, platforms, priority_mix FROM clusters WHERE id = ?',
      )
      .get(clusterId);
    if (!cluster) throw new Error(`no cluster ${clusterId}`);
    const info = store.db
      .prepare(
        `INSERT INTO tickets (ref, conversation_id, platform, reporter_id, reporter_name, kind, category,
           priority, sentiment, summary, tags, product_area, status, created_at, cluster_id, similarity)
         VALUES ('pending', ?, ?, ?, ?, 'bug', 'bug', ?, 'negative', ?, '[]', ?, 'open', ?, ?, ?)`,
      )
      .run(
        conversationId,
        platform,
        t.reporter,
        `Customer ${t.reporter}`,
        priority,
        t.summary,
        cluster.product_area,
        t.at,
        clusterId,
        t.similarity ?? 0.9,
      );
    const id = Number(info.lastInsertRowid);
    const ref = `T-${1000 + id}`;
    store.db.prepare('UPDATE tickets SET ref = ? WHERE id = ?').run(ref, id);
    const newReporter = store.db
      .prepare(
        `INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_key, conversation_id, platform, first_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(clusterId, `${platform}:${t.reporter}`, conversationId, platform, t.at).changes;
    const platforms = JSON.parse(cluster.platforms) as Record<string, number>;
    const mix = JSON.parse(cluster.priority_mix) as Record<string, number>;
    platforms[platform] = (platforms[platform] ?? 0) + 1;
    mix[priority] = (mix[priority] ?? 0) + 1;
    store.db
      .prepare(
        `UPDATE clusters SET reports = reports + 1, unique_reporters = unique_reporters + ?,
           platforms = ?, priority_mix = ?, first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?)
         WHERE id = ?`,
      )
      .run(newReporter, JSON.stringify(platforms), JSON.stringify(mix), t.at, t.at, clusterId);
    const count = store.db.prepare(
      `INSERT INTO ticket_counts (dimension, value, n) VALUES (?, ?, 1)
       ON CONFLICT (dimension, value) DO UPDATE SET n = n + 1`,
    );
    for (const [dimension, value] of [
      ['priority', priority],
      ['category', 'bug'],
      ['sentiment', 'negative'],
      ['product_area', cluster.product_area ?? ''],
      ['status', 'open'],
      ['platform', platform],
    ] as const) {
      count.run(dimension, value);
    }
    return { id, ref };
  });
}

/** Puts an existing ticket (e.g. one raised in the web chat) into a seeded cluster. */
export function attachTicket(store: Store, ref: string, clusterId: number, similarity = 0.9): void {
  const ticket = store.tickets.byRef(ref);
  if (!ticket) throw new Error(`no ticket ${ref}`);
  store.db
    .prepare('UPDATE tickets SET cluster_id = ?, similarity = ? WHERE id = ?')
    .run(clusterId, similarity, ticket.id);
  store.db
    .prepare(
      `UPDATE clusters SET reports = reports + 1, unique_reporters = unique_reporters + 1,
         first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?) WHERE id = ?`,
    )
    .run(ticket.createdAt, ticket.createdAt, clusterId);
}
