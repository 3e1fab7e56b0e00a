import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DatabaseUnavailableError } from './read-only.ts';

/**
 * Copies the database at `file` to `destination` with SQLite's online backup: a consistent
 * snapshot of the last commit, taken page by page while the server goes on writing (in WAL
 * mode the reader never blocks it). The copy is then checked with `PRAGMA integrity_check`.
 * Resolves with the size copied, in pages.
 */
export async function backupDatabase(file: string, destination: string): Promise<number> {
  if (!existsSync(file)) {
    throw new DatabaseUnavailableError(
      `no database at ${file}; set DATA_DIR to the server's data directory`,
    );
  }
  if (existsSync(destination)) {
    throw new DatabaseUnavailableError(`${destination} already exists; choose a new file name`);
  }
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    const { totalPages } = await source.backup(destination);
    const copy = new Database(destination, { readonly: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') {
        throw new DatabaseUnavailableError(`the copy at ${destination} failed its check: ${check}`);
      }
    } finally {
      copy.close();
    }
    return totalPages;
  } finally {
    source.close();
  }
}
