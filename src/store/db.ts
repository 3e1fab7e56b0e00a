import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';

/** The database handle every store module shares. */
export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens (or creates) the SQLite file with sqlite-vec loaded, WAL on, foreign keys on,
 * and every numbered migration in `migrations/` applied in order, each in a transaction.
 * Pass `:memory:` for a throwaway database.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  sqliteVec.load(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Map the file into memory: sqlite-vec's KNN scans every open centroid, and reading them
  // through the page cache costs about half again as much (1 GiB is address space, not RAM).
  if (file !== ':memory:') db.pragma('mmap_size = 1073741824');
  // Pages of the memory-mapped file cost nothing to cache, but pages still in the WAL are
  // read into the page cache: 64 MiB keeps a KNN scan's worth of them there.
  db.pragma('cache_size = -65536');
  migrate(db);
  cacheStatements(db);
  return db;
}

/** Most distinct SQL texts kept prepared; the store has fewer than this. */
const STATEMENT_CACHE_SIZE = 512;

/**
 * Makes `db.prepare` return the same compiled statement for the same SQL text. The store
 * prepares at the point of use, which reads well; compiling costs tens of microseconds each
 * time, a fifth of a ticket's assignment. Safe because no caller switches a statement's
 * mode (`pluck`, `raw`, `expand`) or holds one open with `iterate`.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

const transactions = new WeakMap<Db, (fn: () => unknown) => unknown>();

/**
 * Runs `fn` in a transaction, or in a savepoint inside one already open: committed when it
 * returns, rolled back when it throws. One wrapper per database serves every call, since
 * better-sqlite3 builds a new one for each `db.transaction(fn)`, which costs several times
 * what a small transaction does.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  let run = transactions.get(db);
  if (!run) {
    run = db.transaction((work: () => unknown) => work());
    transactions.set(db, run);
  }
  return run(fn) as T;
}

function migrate(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  for (const name of files) {
    const version = Number.parseInt(name, 10);
    if (applied.has(version)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, name), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        name,
        Date.now(),
      );
    })();
  }
}
