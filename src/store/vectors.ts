import type { Db } from './db.ts';
import { SKETCH_BITS, sketch } from './sketch.ts';
import { blobVector } from './vector-blob.ts';

/**
 * The metric each vec0 table is built with. Centroids are stored at unit length, where
 * Euclidean distance ranks exactly as cosine does (|a - b|² = 2 - 2·cos) and sqlite-vec
 * computes it about 30% faster; see `ClusterStore.nearest`.
 */
const VECTOR_TABLES = { knowledge_vec: 'cosine', cluster_vec: 'l2' } as const;

/**
 * Creates the sqlite-vec tables for the embedder's dimension. When the embedder changes
 * (say from offline to an OpenAI model), vectors from the old space are meaningless, so
 * the tables are rebuilt and knowledge files are marked for re-embedding. A table built
 * with an older metric is rebuilt from the rows it indexes (open clusters' centroids).
 * Returns true when the embedder changed.
 */
export function prepareVectorTables(db: Db, embedder: string, dimensions: number): boolean {
  const key = `${embedder}:${dimensions}`;
  const meta = (name: string) =>
    db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(name)
      ?.value;
  const current = meta('embedder');
  const changed = current !== undefined && current !== key;
  db.transaction(() => {
    for (const [table, metric] of Object.entries(VECTOR_TABLES)) {
      const built = meta(`${table}.metric`) ?? 'cosine';
      const rebuild = !changed && built !== metric && exists(db, table);
      if (changed || rebuild) db.exec(`DROP TABLE IF EXISTS ${table}`);
      db.exec(
        `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(embedding float[${dimensions}] distance_metric=${metric})`,
      );
      if (rebuild && table === 'cluster_vec') reindexOpenClusters(db);
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
        `${table}.metric`,
        metric,
      );
    }
    prepareSketchTable(db, changed);
    if (changed) db.exec('DELETE FROM knowledge_files');
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('embedder', ?)").run(key);
  })();
  return changed;
}

/**
 * The sketch index of open centroids (see `ClusterStore.nearest`). Emptied with the centroid
 * index when the embedder changes; filled from the open clusters when it is new (a database
 * from before it existed).
 */
function prepareSketchTable(db: Db, embedderChanged: boolean): void {
  if (embedderChanged) {
    db.exec('DROP TABLE IF EXISTS cluster_sketch');
    db.exec('UPDATE clusters SET sketch = NULL WHERE sketch IS NOT NULL');
  }
  const fill = !embedderChanged && !exists(db, 'cluster_sketch');
  db.exec(
    `CREATE VIRTUAL TABLE IF NOT EXISTS cluster_sketch USING vec0(embedding bit[${SKETCH_BITS}])`,
  );
  if (!fill) return;
  const save = db.prepare('UPDATE clusters SET sketch = ? WHERE id = ?');
  const insert = db.prepare('INSERT INTO cluster_sketch (rowid, embedding) VALUES (?, vec_bit(?))');
  // The open clusters the centroid index holds (after an embedder change, older ones are not).
  const rows = db
    .prepare<[], { id: number; centroid: Buffer }>(
      `SELECT id, centroid FROM clusters c WHERE status = 'open'
         AND EXISTS (SELECT 1 FROM cluster_vec v WHERE v.rowid = c.id)`,
    )
    .all();
  for (const { id, centroid } of rows) {
    const signs = sketch(blobVector(centroid));
    save.run(signs, id);
    insert.run(BigInt(id), signs);
  }
}

function exists(db: Db, table: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
    undefined
  );
}

/** Indexes every open cluster's centroid again, at unit length (as compaction refills it). */
function reindexOpenClusters(db: Db): void {
  db.exec(
    "INSERT INTO cluster_vec (rowid, embedding) SELECT id, vec_normalize(centroid) FROM clusters WHERE status = 'open'",
  );
}
