/**
 * Synthetic triage data for the digest, overview and console benchmarks: tickets spread
 * evenly over a period, assigned to clusters with Zipf-like sizes, six in ten with a setup,
 * with the clusters' counters, `cluster_reporters` and `ticket_counts` consistent with them,
 * as the ticket path keeps them (the per-day and per-setup counters by the store's
 * triggers). One transaction and prepared statements, so 1M tickets take seconds, not minutes.
 */

import { mulberry32 } from '../src/random.ts';
import type { Db } from '../src/store/index.ts';

export interface TriageDataOptions {
  tickets: number;
  clusters: number;
  /** Distinct reporters the tickets come from. */
  reporters: number;
  /** The tickets' creation times span `days` days ending at `now`. */
  days: number;
  now: number;
  seed?: number;
}

const AREAS = [
  'Mobile app › Settings',
  'Mobile app › Sync',
  'Checkout › Payment methods',
  'Checkout › Discount codes',
  'Accounts and login › Two-factor authentication',
  'Accounts and login › Resetting your password',
  'Billing › Invoices',
  'Billing › Refunds',
  'Notifications › Push notifications',
  'Orders and shipping › Tracking',
  'Storefront › Search',
  'Integrations › Webhooks',
] as const;
const PLATFORMS = ['web', 'slack', 'discord', 'telegram'] as const;
const PRIORITIES = ['low', 'medium', 'medium', 'high', 'high', 'critical'] as const;
const SENTIMENTS = ['neutral', 'negative', 'negative', 'angry'] as const;
const CATEGORIES = ['bug', 'crash', 'performance', 'billing', 'login'] as const;

const pick = <T>(items: readonly T[], r: number): T => items[Math.floor(r * items.length)] as T;

// Six in ten reports give their setup, as a ticket's environment column holds it.
const SETUPS = [
  { device: 'Pixel 7', os: 'Android 14', appVersion: '3.2.1', browser: null },
  { device: 'iPhone 14', os: 'iOS 17', appVersion: '3.2.1', browser: null },
  { device: 'Galaxy S23', os: 'Android 13', appVersion: '3.2.0', browser: null },
  { device: null, os: 'Windows 11', appVersion: null, browser: 'Chrome 120' },
  { device: null, os: 'macOS 14', appVersion: null, browser: 'Safari 17' },
  { device: 'iPad Air', os: 'iPadOS 17', appVersion: '3.1.4', browser: null },
].map((setup) => JSON.stringify(setup));
const environmentOf = (r: number): string | null =>
  r < 0.6 ? (SETUPS[Math.floor((r / 0.6) * SETUPS.length)] as string) : null;

interface ClusterAcc {
  reports: number;
  reporters: Map<string, { conversationId: string; platform: string; at: number }>;
  platforms: Record<string, number>;
  priorities: Record<string, number>;
  first: number;
  last: number;
  recent: number;
}

/** Fills an empty, migrated database; returns how long it took (ms). */
export function generateTriageData(db: Db, o: TriageDataOptions): number {
  const started = performance.now();
  const rand = mulberry32(o.seed ?? 42);
  // Zipf-like cluster sizes: cluster k gets weight 1/(k+1)^1.1.
  const cumulative = new Float64Array(o.clusters);
  let sum = 0;
  for (let k = 0; k < o.clusters; k++) {
    sum += 1 / (k + 1) ** 1.1;
    cumulative[k] = sum;
  }
  const clusterOf = (r: number): number => {
    const target = r * sum;
    let lo = 0;
    let hi = o.clusters - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const span = o.days * 86_400_000;
  const start = o.now - span;
  const acc: ClusterAcc[] = Array.from({ length: o.clusters }, () => ({
    reports: 0,
    reporters: new Map(),
    platforms: {},
    priorities: {},
    first: Number.POSITIVE_INFINITY,
    last: 0,
    recent: 0,
  }));
  const counts = new Map<string, number>();
  const count = (dimension: string, value: string) => {
    const key = `${dimension}\u0000${value}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  const insertTicket = db.prepare(
    `INSERT INTO tickets (id, ref, conversation_id, platform, reporter_id, reporter_name, kind, category,
       priority, sentiment, summary, tags, product_area, status, created_at, canonical, area_confidence,
       area_source, cluster_id, similarity, environment)
     VALUES (?, ?, ?, ?, ?, ?, 'bug', ?, ?, ?, ?, '[]', ?, 'open', ?, ?, 0.8, 'embedding', ?, ?, ?)`,
  );
  const insertCluster = db.prepare(
    `INSERT INTO clusters (id, title, product_area, status, centroid, reports, unique_reporters, platforms,
       priority_mix, impact, urgency, first_seen, last_seen, created_at, updated_at)
     VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertReporter = db.prepare(
    `INSERT INTO cluster_reporters (cluster_id, reporter_key, conversation_id, platform, first_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const insertCount = db.prepare(
    'INSERT INTO ticket_counts (dimension, value, n) VALUES (?, ?, ?)',
  );
  const centroid = Buffer.alloc(100 * 4);

  // Building the ticket indexes once at the end is much faster than updating them per row.
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets' AND sql IS NOT NULL",
    )
    .all();
  const cacheSize = db.pragma('cache_size', { simple: true });
  db.pragma('cache_size = -262144');
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
  db.transaction(() => {
    for (let i = 1; i <= o.tickets; i++) {
      const k = clusterOf(rand());
      const c = acc[k] as ClusterAcc;
      const area = AREAS[k % AREAS.length] as string;
      const reporter = Math.floor(rand() * o.reporters);
      const platform = PLATFORMS[reporter % PLATFORMS.length] as string;
      const priority = pick(PRIORITIES, rand());
      const sentiment = pick(SENTIMENTS, rand());
      const category = pick(CATEGORIES, rand());
      const at = Math.floor(start + ((i - 0.5) / o.tickets) * span);
      const conversationId = `${platform}:r${reporter}`;
      const summary = `Problem ${k} reported by customer ${reporter}: it fails on step ${i % 7}`;
      insertTicket.run(
        i,
        `T-${1000 + i}`,
        conversationId,
        platform,
        `r${reporter}`,
        `Customer ${reporter}`,
        category,
        priority,
        sentiment,
        summary,
        area,
        at,
        `problem ${k}`,
        k + 1,
        0.7 + rand() * 0.3,
        environmentOf(rand()),
      );
      c.reports++;
      if (!c.reporters.has(`${platform}:r${reporter}`)) {
        c.reporters.set(`${platform}:r${reporter}`, { conversationId, platform, at });
      }
      c.platforms[platform] = (c.platforms[platform] ?? 0) + 1;
      c.priorities[priority] = (c.priorities[priority] ?? 0) + 1;
      c.first = Math.min(c.first, at);
      c.last = Math.max(c.last, at);
      if (at > o.now - 7 * 86_400_000) c.recent++;
      count('priority', priority);
      count('category', category);
      count('sentiment', sentiment);
      count('product_area', area);
      count('status', 'open');
      count('platform', platform);
    }
    acc.forEach((c, k) => {
      if (c.reports === 0) return;
      const unique = c.reporters.size;
      // A stand-in for the documented formula: reporters, weighted towards recent reports.
      const impact = Math.round(unique * (0.3 + (0.7 * c.recent) / c.reports) * 100) / 100;
      const urgency = impact > 2000 ? 'critical' : impact > 500 ? 'urgent' : 'normal';
      insertCluster.run(
        k + 1,
        `Problem ${k}`,
        AREAS[k % AREAS.length],
        centroid,
        c.reports,
        unique,
        JSON.stringify(c.platforms),
        JSON.stringify(c.priorities),
        impact,
        urgency,
        c.first,
        c.last,
        c.first,
        c.last,
      );
      for (const [key, r] of c.reporters)
        insertReporter.run(k + 1, key, r.conversationId, r.platform, r.at);
    });
    for (const [key, n] of counts) {
      const [dimension, value] = key.split('\u0000');
      insertCount.run(dimension, value, n);
    }
    for (const { sql } of indexes) db.exec(sql);
  })();
  db.pragma(`cache_size = ${cacheSize}`);
  return performance.now() - started;
}
