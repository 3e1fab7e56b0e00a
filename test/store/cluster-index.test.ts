/**
 * The centroid index past a few thousand open clusters, where `nearest` short-lists by
 * SimHash sketch and then compares centroids exactly: it must find the cluster a full
 * comparison finds, follow centroids as they move, drop closed clusters, rebuild itself once
 * it is mostly holes, and be filled for a database from before it existed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/random.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { hamming, SKETCH_BITS, sketch } from '../../src/store/sketch.ts';

const DIMENSIONS = 100;
// Past 4 vec0 chunks of 1,024 rows the index short-lists by sketch (see ClusterStore.nearest).
const MANY = 5000;

let dir: string | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  store = undefined;
  dir = undefined;
});

function open(): Store {
  dir ??= mkdtempSync(join(tmpdir(), 'switchboard-cluster-index-'));
  const s = createStore(join(dir, 'index.db'));
  s.prepareVectors({ name: 'test-embedder', dimensions: DIMENSIONS });
  return s;
}

function randomUnit(rand: () => number, near?: Float32Array, spread = 1): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  for (let d = 0; d < DIMENSIONS; d++) {
    v[d] = (near ? (near[d] as number) : 0) + (rand() - 0.5) * spread;
  }
  return unitOf(v);
}

function unitOf(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((s, x, i) => s + x * (b[i] as number), 0);

/** Opens `n` clusters with random centroids; returns them by id. */
function seed(s: Store, n: number, rand: () => number): Map<number, Float32Array> {
  const centroids = new Map<number, Float32Array>();
  s.transaction(() => {
    for (let i = 0; i < n; i++) {
      const v = randomUnit(rand);
      const c = s.clusters.create(
        {
          title: `problem ${i}`,
          productArea: null,
          centroid: v,
          reports: 1,
          uniqueReporters: 1,
          platforms: { web: 1 },
          priorityMix: { medium: 1 },
          weight: 1,
          weightAt: 0,
          firstSeen: 0,
          lastSeen: 0,
          lastTicketId: 0,
        },
        v,
        0,
      );
      centroids.set(c.id, v);
    }
  });
  return centroids;
}

/** The open cluster a full comparison finds nearest. */
function bestOf(centroids: Map<number, Float32Array>, q: Float32Array) {
  let best = { id: -1, similarity: -2 };
  for (const [id, c] of centroids) {
    const similarity = cosine(c, q);
    if (similarity > best.similarity) best = { id, similarity };
  }
  return best;
}

const chunks = (s: Store, table: string) =>
  (s.db.prepare(`SELECT COUNT(*) AS n FROM ${table}_chunks`).get() as { n: number }).n;

describe('sketches', () => {
  it('differ in about 256·θ/π bits for vectors at angle θ, the same on every call', () => {
    const rand = mulberry32(7);
    for (const spread of [0.3, 1, 3]) {
      let bits = 0;
      let expected = 0;
      for (let i = 0; i < 200; i++) {
        const a = randomUnit(rand);
        const b = randomUnit(rand, a, spread / 10);
        bits += hamming(sketch(a), sketch(b));
        expected += (SKETCH_BITS * Math.acos(Math.min(1, cosine(a, b)))) / Math.PI;
      }
      expect(bits / 200).toBeGreaterThan((expected / 200) * 0.9 - 1);
      expect(bits / 200).toBeLessThan((expected / 200) * 1.1 + 1);
    }
    const v = randomUnit(rand);
    expect(sketch(v).equals(sketch(v.map((x) => x * 3)))).toBe(true);
  });
});

describe('the centroid index past a few thousand open clusters', () => {
  it('finds the cluster a full comparison finds, with its exact similarity', () => {
    store = open();
    const rand = mulberry32(1);
    const centroids = seed(store, MANY, rand);
    expect(chunks(store, 'cluster_vec')).toBeGreaterThan(4);
    const ids = [...centroids.keys()];
    let same = 0;
    const queries = 300;
    for (let i = 0; i < queries; i++) {
      // A new report of a known problem: about 0.6–0.8 similar to its cluster.
      const target = centroids.get(ids[Math.floor(rand() * ids.length)] as number);
      const q = randomUnit(rand, target, 0.25);
      const exact = bestOf(centroids, q);
      const [found] = store.clusters.nearest(q, 10);
      if (found?.id === exact.id) {
        same++;
        expect(found.similarity).toBeCloseTo(exact.similarity, 5);
      }
    }
    expect(same).toBeGreaterThanOrEqual(queries - 3);
  });

  it('follows centroids that move and forgets clusters that close', () => {
    store = open();
    const s = store;
    const rand = mulberry32(2);
    const centroids = seed(s, MANY, rand);
    const ids = [...centroids.keys()];
    // 200 clusters drift to a new problem entirely; 200 others are resolved.
    const moved = ids.slice(0, 200);
    const closed = new Map(ids.slice(200, 400).map((id) => [id, centroids.get(id)]));
    s.transaction(() => {
      for (const id of moved) {
        const v = randomUnit(rand);
        s.clusters.saveCentroid(id, v, v);
        centroids.set(id, v);
      }
      for (const id of closed.keys()) {
        s.clusters.close(id, 'resolved', 1);
        centroids.delete(id);
      }
    });
    for (const id of moved) {
      const q = randomUnit(rand, centroids.get(id), 0.15);
      expect(s.clusters.nearest(q, 10)[0]?.id).toBe(bestOf(centroids, q).id);
    }
    for (const [id, centroid] of closed) {
      // A report of exactly its problem still finds only open clusters.
      expect(s.clusters.nearest(centroid as Float32Array, 10).map((n) => n.id)).not.toContain(id);
    }
  });

  it('is rebuilt once it is mostly holes left by closed clusters, and answers as before', () => {
    store = open();
    const s = store;
    const rand = mulberry32(3);
    const centroids = seed(s, MANY, rand);
    // Closed here and there, as merges and resolutions happen: every chunk keeps some rows.
    s.transaction(() => {
      for (const id of [...centroids.keys()]) {
        if (id % 6 === 0) continue;
        s.clusters.close(id, 'merged', 1);
        centroids.delete(id);
      }
    });
    const survivors = [...centroids.values()];
    const queries = Array.from({ length: 50 }, () =>
      randomUnit(rand, survivors[Math.floor(rand() * survivors.length)], 0.15),
    );
    const nearestIds = () => queries.map((q) => s.clusters.nearest(q, 5)[0]?.id);
    const before = nearestIds();
    expect(before).toEqual(queries.map((q) => bestOf(centroids, q).id));
    expect(chunks(s, 'cluster_vec')).toBe(5);

    expect(s.transaction(() => s.clusters.compactIndexes())).toEqual([
      'cluster_vec',
      'cluster_sketch',
    ]);
    expect(chunks(s, 'cluster_vec')).toBe(1);
    expect(chunks(s, 'cluster_sketch')).toBe(1);
    expect(nearestIds()).toEqual(before);
    // Nothing left to rebuild.
    expect(s.transaction(() => s.clusters.compactIndexes())).toEqual([]);
  });

  it('is filled at startup for a database from before the sketch index', async () => {
    store = open();
    const rand = mulberry32(4);
    const centroids = seed(store, MANY, rand);
    // What the release before it had: no sketch table and no sketches.
    store.db.exec('DROP TABLE cluster_sketch');
    store.db.exec('UPDATE clusters SET sketch = NULL');
    await store.close();
    store = open();
    const ids = [...centroids.keys()];
    for (let i = 0; i < 50; i++) {
      const q = randomUnit(
        rand,
        centroids.get(ids[Math.floor(rand() * ids.length)] as number),
        0.15,
      );
      expect(store.clusters.nearest(q, 10)[0]?.id).toBe(bestOf(centroids, q).id);
    }
  });
});
