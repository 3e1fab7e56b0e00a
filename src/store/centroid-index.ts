import type { Db } from './db.ts';
import { hamming, sketch } from './sketch.ts';
import { blobVector } from './vector-blob.ts';

/** A neighbouring open cluster and its cosine similarity to the query. */
export interface ClusterNeighbour {
  id: number;
  similarity: number;
}

/**
 * The centroid index is scanned exactly while it has at most this many vec0 chunks (1,024
 * rows each, deleted rows included: a scan's cost is its chunks). Beyond it, `nearest`
 * short-lists by sketch first.
 */
const EXACT_SCAN_CHUNKS = 4;
/** Rows per vec0 chunk (sqlite-vec's default `chunk_size`). */
const VEC0_CHUNK_ROWS = 1024;
/** Sketch neighbours compared exactly per query: at least this many, and 2 per result. */
const SHORTLIST = 20;
/**
 * An indexed sketch is rewritten once the centroid's own sketch has drifted more than this
 * many bits from it (of 256: about 5 degrees). A rewrite is a delete and an insert in the
 * vec0 table, which leaves a hole; most joins move a centroid far less than this.
 */
const SKETCH_SLACK = 8;

/** Cosine of a (not unit) mean with a unit vector. */
function cosineToUnit(mean: Float32Array, unit: Float32Array): number {
  let dot = 0;
  let norm = 0;
  for (let d = 0; d < mean.length; d++) {
    const m = mean[d] as number;
    dot += m * (unit[d] as number);
    norm += m * m;
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}

/**
 * How open clusters are found by direction: two sqlite-vec tables keyed by cluster id,
 * `cluster_vec` (unit centroids, L2 distance, which ranks as cosine) and `cluster_sketch`
 * (256-bit SimHash sketches, Hamming distance), and the policy of when each is used,
 * rewritten and rebuilt. The rows themselves (`clusters.centroid`, `clusters.sketch`) are
 * the {@link ClusterStore}'s; this class is the index over them. Runs in the caller's
 * transaction.
 */
export class CentroidIndex {
  constructor(private readonly db: Db) {}

  /** The sketch of a unit direction, as `clusters.sketch` stores it. */
  sketchOf(unit: Float32Array): Buffer {
    return sketch(unit);
  }

  /** Indexes a new open cluster by its unit direction and its sketch. */
  add(id: number, unit: Float32Array, signs: Buffer): void {
    this.db
      .prepare('INSERT INTO cluster_vec (rowid, embedding) VALUES (?, ?)')
      .run(BigInt(id), unit);
    this.indexSketch(id, signs);
  }

  /**
   * Re-indexes a cluster whose centroid moved. The direction always; the sketch only once
   * the centroid's own sketch has drifted past `SKETCH_SLACK` from the indexed one. Returns
   * the new sketch when it was rewritten (the row must store it), else undefined.
   */
  move(id: number, unit: Float32Array, indexed: Buffer | null): Buffer | undefined {
    this.db.prepare('UPDATE cluster_vec SET embedding = ? WHERE rowid = ?').run(unit, BigInt(id));
    const signs = sketch(unit);
    if (indexed && hamming(indexed, signs) <= SKETCH_SLACK) return undefined;
    // sqlite-vec 0.1.9 cannot UPDATE a bit[] vector (the value loses its bit type on the
    // way), so a rewrite is a delete and an insert.
    this.db.prepare('DELETE FROM cluster_sketch WHERE rowid = ?').run(BigInt(id));
    this.indexSketch(id, signs);
    return signs;
  }

  /** Takes a closed cluster out of both tables. */
  remove(id: number): void {
    this.db.prepare('DELETE FROM cluster_vec WHERE rowid = ?').run(BigInt(id));
    this.db.prepare('DELETE FROM cluster_sketch WHERE rowid = ?').run(BigInt(id));
  }

  /**
   * The open clusters whose centroids are nearest to a unit vector, most similar first, by
   * cosine similarity. While the index is small (`EXACT_SCAN_CHUNKS`) sqlite-vec scans every
   * centroid: it holds unit vectors by Euclidean distance d, so the cosine is 1 - d²/2.
   * Beyond that, sqlite-vec finds the `SHORTLIST` nearest sketches by Hamming distance and
   * those centroids are compared exactly; a third of the data and a fraction of the
   * arithmetic of the full scan (docs/clustering.md, "Cost", has the recall).
   */
  nearest(unit: Float32Array, k: number): ClusterNeighbour[] {
    if (this.chunks('cluster_vec') <= EXACT_SCAN_CHUNKS) {
      return this.db
        .prepare<[Float32Array, number], { id: number; distance: number }>(
          'SELECT rowid AS id, distance FROM cluster_vec WHERE embedding MATCH ? AND k = ? ORDER BY distance',
        )
        .all(unit, k)
        .map((r) => ({ id: r.id, similarity: 1 - (r.distance * r.distance) / 2 }));
    }
    return this.db
      .prepare<[Buffer, number], { id: number; centroid: Buffer }>(
        `SELECT s.rowid AS id, c.centroid FROM cluster_sketch s JOIN clusters c ON c.id = s.rowid
         WHERE s.embedding MATCH vec_bit(?) AND s.k = ?`,
      )
      .all(sketch(unit), Math.max(SHORTLIST, 2 * k))
      .map((r) => ({ id: r.id, similarity: cosineToUnit(blobVector(r.centroid), unit) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }

  /**
   * Rebuilds the centroid index or the sketch index once it is more holes than rows. Both
   * are vec0 tables, and sqlite-vec 0.1.9 reuses a deleted row's slot only in the table's
   * newest chunk (asg017/sqlite-vec#184), so clusters closed and sketches rewritten leave
   * holes that every scan still reads. Rebuilt in SQL from the rows they index, inside the
   * caller's transaction. Returns the tables rebuilt.
   */
  compact(): string[] {
    // Indexed clusters have a sketch; after an embedder change, older open ones do not.
    const open =
      this.db
        .prepare<[], { n: number }>(
          "SELECT COUNT(*) AS n FROM clusters WHERE status = 'open' AND sketch IS NOT NULL",
        )
        .get()?.n ?? 0;
    const needed = Math.ceil(open / VEC0_CHUNK_ROWS);
    const refill = {
      cluster_vec:
        "INSERT INTO cluster_vec (rowid, embedding) SELECT id, vec_normalize(centroid) FROM clusters WHERE status = 'open' AND sketch IS NOT NULL",
      cluster_sketch:
        "INSERT INTO cluster_sketch (rowid, embedding) SELECT id, vec_bit(sketch) FROM clusters WHERE status = 'open' AND sketch IS NOT NULL",
    } as const;
    const rebuilt: string[] = [];
    for (const [table, sql] of Object.entries(refill)) {
      if (this.chunks(table as keyof typeof refill) <= 2 * needed + 1) continue;
      const ddl = this.db
        .prepare<[string], { sql: string }>('SELECT sql FROM sqlite_master WHERE name = ?')
        .get(table)?.sql;
      if (!ddl) continue;
      this.db.exec(`DROP TABLE ${table}`);
      this.db.exec(ddl);
      this.db.exec(sql);
      rebuilt.push(table);
    }
    return rebuilt;
  }

  /** Chunks of a vec0 table (its shadow table `<name>_chunks`), deleted rows' included. */
  private chunks(table: 'cluster_vec' | 'cluster_sketch'): number {
    return (
      this.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}_chunks`).get()?.n ?? 0
    );
  }

  private indexSketch(id: number, signs: Buffer): void {
    this.db
      .prepare('INSERT INTO cluster_sketch (rowid, embedding) VALUES (?, vec_bit(?))')
      .run(BigInt(id), signs);
  }
}
