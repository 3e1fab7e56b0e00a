import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { inTransaction } from './db.ts';
import { DigestStore } from './digests.ts';
import { OverviewStore } from './overview.ts';

/** The reading side of the store, for command-line tools that run beside the server. */
export interface ReadOnlyStore {
  readonly digests: DigestStore;
  readonly overview: OverviewStore;
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Why a database cannot be read: missing, or not yet migrated to the triage schema. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Opens an existing database read-only. Safe while the server runs: in WAL mode a
 * reader sees the last committed state and never blocks the writer. Never creates or
 * migrates the file.
 */
export function openReadOnlyStore(file: string): ReadOnlyStore {
  if (!existsSync(file)) {
    throw new DatabaseUnavailableError(
      `no database at ${file}; set DATA_DIR to the server's data directory`,
    );
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const hasTriage = db
      .prepare("SELECT 1 FROM pragma_table_info('tickets') WHERE name = 'cluster_id'")
      .get();
    if (!hasTriage) {
      db.close();
      throw new DatabaseUnavailableError(
        `the database at ${file} predates clusters; start Switchboard once to migrate it`,
      );
    }
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw error;
    throw new DatabaseUnavailableError(`cannot read ${file}: ${String(error)}`, { cause: error });
  }
  return {
    digests: new DigestStore(db),
    overview: new OverviewStore(db),
    transaction: (fn) => inTransaction(db, fn),
    close: () => db.close(),
  };
}
