import type { Db } from './db.ts';

/** vec0 tables whose dimension follows the embedder. */
const VECTOR_TABLES = ['knowledge_vec', 'cluster_vec'] as const;

/**
 * Creates the sqlite-vec tables for the embedder's dimension. When the embedder changes
 * (say from offline to an OpenAI model), vectors from the old space are meaningless, so
 * the tables are rebuilt and knowledge files are marked for re-embedding.
 * Returns true when the embedder changed.
 */
export function prepareVectorTables(db: Db, embedder: string, dimensions: number): boolean {
  const key = `${embedder}:${dimensions}`;
  const current = db
    .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'embedder'")
    .get()?.value;
  const changed = current !== undefined && current !== key;
  db.transaction(() => {
    for (const table of VECTOR_TABLES) {
      if (changed) db.exec(`DROP TABLE IF EXISTS ${table}`);
      db.exec(
        `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(embedding float[${dimensions}] distance_metric=cosine)`,
      );
    }
    if (changed) db.exec('DELETE FROM knowledge_files');
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('embedder', ?)").run(key);
  })();
  return changed;
}
