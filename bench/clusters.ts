/**
 * Cluster assignment benchmark: the synchronous half of raising a ticket (store the ticket,
 * sqlite-vec KNN over the open centroids, join or start a cluster, counters, impact, the
 * outbox event) with 10k and 100k open clusters of random unit vectors of the offline
 * clustering embedder's dimension, inserted directly; and the same with the embedding of a
 * realistic canonical phrase first (one text per call, as live tickets arrive) (with their sketches, so
 * the index short-lists: see ClusterStore.nearest). Beside it, in the same run, the floor
 * of an exact search: a plain scan of the same centroids in one Float32Array. Half the queries
 * are near an existing centroid (they join it), half are random (they start a cluster).
 * Also one consolidation pass, sliced as the engine runs it: re-filing every cluster those
 * tickets touched, and re-homing as if the small clusters they made had gone quiet (a live
 * pass sees about 100 tickets' worth), with the event loop's longest stall during it.
 * Repeated rounds; median (min–max) over rounds. Bounded: a few minutes at 100k.
 *
 * Run: `npm run bench -- clusters`, or directly `npx tsx bench/clusters.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createOfflineClusterEmbedder } from '../src/ai/offline-embedder.ts';
import {
  type ConsolidationReport,
  consolidateIfDue,
  DEFAULT_CLUSTER_SETTINGS,
} from '../src/engine/triage/clusters/index.ts';
import { createTicket, type PreparedTicket } from '../src/engine/triage/tickets.ts';
import { mulberry32 } from '../src/random.ts';
import { createStore, type Store } from '../src/store/index.ts';
import { sketch } from '../src/store/sketch.ts';
import { percentile, summarize } from './stats.ts';

const EMBEDDER = createOfflineClusterEmbedder();
const DIMENSIONS = EMBEDDER.dimensions;
/** Canonical phrases like live tickets' (what clustering embeds), varied per query. */
const PHRASES = [
  'app crashes when opening settings after the update',
  'payment fails at checkout with card declined error',
  'notifications arrive hours late on android',
  'cannot log in since the latest version, password rejected',
  'export to csv button does nothing in the dashboard',
  'shipping label pdf downloads blank when printing',
];
const SIZES = (process.env.BENCH_CLUSTER_SIZES ?? '10000,100000').split(',').map(Number);
const ROUNDS = 5;
const QUERIES = 200;
const DEADLINE_MS = 150_000;

function unitVector(rand: () => number, near?: Float32Array, noise = 0.6): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  let norm = 0;
  for (let d = 0; d < DIMENSIONS; d++) {
    // Box-Muller would be rounder; a centred uniform is enough for random directions.
    const x = (near ? (near[d] as number) * 10 : 0) + (rand() - 0.5) * (near ? noise * 10 : 1);
    v[d] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  for (let d = 0; d < DIMENSIONS; d++) v[d] = (v[d] as number) / norm;
  return v;
}

/** Inserts `n` open clusters with random unit centroids straight into the tables. */
function seedClusters(store: Store, n: number, rand: () => number): Float32Array {
  const all = new Float32Array(n * DIMENSIONS);
  const now = Date.now();
  const cluster = store.db.prepare(
    `INSERT INTO clusters (id, title, product_area, status, centroid, sketch, reports,
       unique_reporters, platforms, priority_mix, impact, urgency, weight, weight_at, first_seen,
       last_seen, created_at, updated_at, last_ticket_id)
     VALUES (?, ?, NULL, 'open', ?, ?, 5, 5, '{"web":5}', '{"medium":5}', 1, 'normal', 1, ?, ?, ?, ?, ?, 0)`,
  );
  const index = store.db.prepare('INSERT INTO cluster_vec (rowid, embedding) VALUES (?, ?)');
  const sketches = store.db.prepare(
    'INSERT INTO cluster_sketch (rowid, embedding) VALUES (?, vec_bit(?))',
  );
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const v = unitVector(rand);
      all.set(v, i * DIMENSIONS);
      const id = i + 1;
      const signs = sketch(v);
      cluster.run(id, `problem ${id}`, Buffer.from(v.buffer), signs, now, now, now, now, now);
      index.run(BigInt(id), v);
      sketches.run(BigInt(id), signs);
    }
  });
  return all;
}

/** The floor: the best centroid by a plain scan of one Float32Array (four sums at a time). */
function scan(all: Float32Array, n: number, q: Float32Array): number {
  let best = -2;
  let bestAt = -1;
  for (let i = 0; i < n; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const base = i * DIMENSIONS;
    for (let d = 0; d < DIMENSIONS; d += 4) {
      s0 += (all[base + d] as number) * (q[d] as number);
      s1 += (all[base + d + 1] as number) * (q[d + 1] as number);
      s2 += (all[base + d + 2] as number) * (q[d + 2] as number);
      s3 += (all[base + d + 3] as number) * (q[d + 3] as number);
    }
    const dot = s0 + s1 + s2 + s3;
    if (dot > best) {
      best = dot;
      bestAt = i;
    }
  }
  return bestAt;
}

/** Milliseconds each call of `fn` took, one per input. */
function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown): number[] {
  return inputs.map((input) => {
    const started = performance.now();
    fn(input);
    return performance.now() - started;
  });
}

function prepared(vector: Float32Array, i: number): PreparedTicket {
  return {
    ticket: {
      conversationId: `web:bench-${i}`,
      platform: 'web',
      reporterId: `bench-${i}`,
      reporterName: 'Bench',
      kind: 'bug',
      category: 'bug',
      priority: 'medium',
      sentiment: 'negative',
      summary: 'benchmark ticket',
      tags: [],
      productArea: null,
      canonical: 'benchmark ticket',
      areaConfidence: 0,
      areaSource: 'low_confidence',
      vector,
      createdAt: Date.now(),
    },
    vector,
  };
}

async function benchSize(n: number, deadline: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-clusters-'));
  const store = createStore(join(dir, 'bench.db'), {
    onCheckpointFailure: (error) => console.error(error),
  });
  try {
    store.prepareVectors(EMBEDDER);
    const rand = mulberry32(n);
    const seeded = performance.now();
    const all = seedClusters(store, n, rand);
    const seedMs = performance.now() - seeded;
    const settings = { ...DEFAULT_CLUSTER_SETTINGS, consolidateEvery: 0 };
    const rounds = { assignP50: [] as number[], assignP99: [] as number[] };
    const embedded = { p50: [] as number[], p99: [] as number[] };
    const floor = { p50: [] as number[], p99: [] as number[] };
    const knn = { p50: [] as number[], p99: [] as number[] };
    let joined = 0;
    let ticket = 0;
    for (let round = 0; round <= ROUNDS && Date.now() < deadline; round++) {
      const queries = Array.from({ length: QUERIES }, (_, q) => {
        const target = Math.floor(rand() * n);
        return q % 2 === 0
          ? unitVector(rand, all.subarray(target * DIMENSIONS, (target + 1) * DIMENSIONS), 0.4)
          : unitVector(rand);
      });
      // Each in its own loop over the same queries, so that one's scan of memory does not
      // leave the CPU caches cold for the next.
      const assign = timeEach(queries, (query) => {
        const { assignment } = store.transaction(() =>
          createTicket(store, prepared(query, ticket++), settings),
        );
        if (assignment && !assignment.created) joined++;
      });
      const knns = timeEach(queries, (query) => store.clusters.nearest(query, 1));
      // The embedding first, then the same assignment: what a live ticket costs.
      const withEmbedding: number[] = [];
      for (const [q, query] of queries.entries()) {
        const started = performance.now();
        await EMBEDDER.embed([`${PHRASES[q % PHRASES.length]} ${ticket % 97}`]);
        store.transaction(() => createTicket(store, prepared(query, ticket++), settings));
        withEmbedding.push(performance.now() - started);
      }
      const scans = timeEach(queries, (query) => scan(all, n, query));
      if (round === 0) continue; // warm-up: page cache and statement cache
      rounds.assignP50.push(percentile(assign, 50));
      rounds.assignP99.push(percentile(assign, 99));
      embedded.p50.push(percentile(withEmbedding, 50));
      embedded.p99.push(percentile(withEmbedding, 99));
      floor.p50.push(percentile(scans, 50));
      floor.p99.push(percentile(scans, 99));
      knn.p50.push(percentile(knns, 50));
      knn.p99.push(percentile(knns, 99));
    }
    // A maintenance pass as if every small cluster the benchmark's tickets made had gone quiet,
    // run as the engine runs it: in slices, with the event loop free in between. The event
    // loop's longest stall is what a customer's turn could wait behind.
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    const started = performance.now();
    const pass = (await consolidateIfDue(
      store,
      { ...DEFAULT_CLUSTER_SETTINGS, consolidateEvery: 1 },
      ticket + DEFAULT_CLUSTER_SETTINGS.rehome.quietTickets,
      Date.now(),
    )) as ConsolidationReport;
    const consolidateMs = performance.now() - started;
    stalls.disable();
    return {
      openClusters: n,
      seedSeconds: Math.round(seedMs / 100) / 10,
      assignTicketMs: {
        p50: summarize(rounds.assignP50, 3).text,
        p99: summarize(rounds.assignP99, 3).text,
      },
      embedAndAssignMs: {
        p50: summarize(embedded.p50, 3).text,
        p99: summarize(embedded.p99, 3).text,
      },
      knnOnlyMs: { p50: summarize(knn.p50, 3).text, p99: summarize(knn.p99, 3).text },
      float32ScanFloorMs: { p50: summarize(floor.p50, 3).text, p99: summarize(floor.p99, 3).text },
      joinedShare: Math.round((joined / Math.max(1, ticket)) * 100) / 100,
      consolidationPass: {
        ms: Math.round(consolidateMs),
        longestEventLoopStallMs: Math.round(stalls.max / 1e5) / 10,
        clustersRefined: pass.refined,
        quietSmallClusters: pass.considered,
        msPerCluster:
          Math.round((consolidateMs / Math.max(1, pass.refined + pass.considered)) * 100) / 100,
      },
      rounds: rounds.assignP50.length,
      queriesPerRound: QUERIES,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark for each size and returns its figures (milliseconds). */
export async function benchClusterAssignment(): Promise<Record<string, unknown>> {
  const deadline = Date.now() + DEADLINE_MS;
  await EMBEDDER.init();
  const results: Record<string, unknown> = {
    setup: `SQLite file (WAL, checkpointed in a background thread), ${DIMENSIONS}-d random unit centroids (${EMBEDDER.name}) in sqlite-vec (past 4,096 rows: 20 nearest SimHash sketches, then an exact comparison; the floor is an exact scan); half the tickets near a centroid, half random; target: embedding and assignment p99 <= 50 ms at 10k`,
  };
  for (const n of SIZES) results[`open${n / 1000}k`] = await benchSize(n, deadline);
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchClusterAssignment(), null, 2));
}
