import { type Db, inTransaction } from './db.ts';
import { SKETCH_BITS, sketch } from './sketch.ts';
import { blobVector } from './vector-blob.ts';

/**
 * The metric each vec0 table is built with. Centroids are stored at unit length, where
 * Euclidean distance ranks exactly as cosine does (|a - b|² = 2 - 2·cos) and sqlite-vec
 * computes it about 30% faster; see `ClusterStore.nearest`.
 */
const VECTOR_TABLES = { knowledge_vec: 'cosine', cluster_vec: 'l2' } as const;

/** The embedder of a set of vectors, as the tables built for them are keyed. */
export interface VectorSpace {
  name: string;
  dimensions: number;
}

/**
 * Creates the sqlite-vec tables: `knowledge_vec` for the retrieval embedder's space, and
 * `cluster_vec` (with the sketch index) for the clustering embedder's, which may differ.
 * When an embedder changes (say from offline to an OpenAI model), vectors from its old space
 * are meaningless, so its tables are rebuilt: knowledge files are marked for re-embedding,
 * and the centroid index starts empty (clusters from before no longer attract tickets). A
 * table built with an older metric is rebuilt from the rows it indexes (open clusters'
 * centroids). Returns which spaces changed.
 */
export function prepareVectorTables(
  db: Db,
  knowledge: VectorSpace,
  clusters: VectorSpace = knowledge,
): { knowledge: boolean; clusters: boolean } {
  const meta = (name: string) =>
    db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(name)
      ?.value;
  const keyOf = (space: VectorSpace) => `${space.name}:${space.dimensions}`;
  // Databases from before the two spaces were apart keep one key for both.
  const before = {
    knowledge: meta('embedder'),
    clusters: meta('cluster_embedder') ?? meta('embedder'),
  };
  const changed = {
    knowledge: before.knowledge !== undefined && before.knowledge !== keyOf(knowledge),
    clusters: before.clusters !== undefined && before.clusters !== keyOf(clusters),
  };
  const spaces = { knowledge_vec: knowledge, cluster_vec: clusters } as const;
  inTransaction(db, () => {
    for (const [table, metric] of Object.entries(VECTOR_TABLES)) {
      const space = spaces[table as keyof typeof spaces];
      const tableChanged = table === 'knowledge_vec' ? changed.knowledge : changed.clusters;
      const built = meta(`${table}.metric`) ?? 'cosine';
      const rebuild = !tableChanged && built !== metric && exists(db, table);
      if (tableChanged || rebuild) db.exec(`DROP TABLE IF EXISTS ${table}`);
      db.exec(
        `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(embedding float[${space.dimensions}] distance_metric=${metric})`,
      );
      if (rebuild && table === 'cluster_vec') reindexOpenClusters(db);
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
        `${table}.metric`,
        metric,
      );
    }
    prepareSketchTable(db, changed.clusters);
    if (changed.knowledge) db.exec('DELETE FROM knowledge_files');
    const save = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    save.run('embedder', keyOf(knowledge));
    save.run('cluster_embedder', keyOf(clusters));
  });
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
