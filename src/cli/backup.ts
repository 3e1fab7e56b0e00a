/**
 * Takes a consistent copy of the database at `DATA_DIR`, while the server runs:
 *
 *   npm run backup -- <file>
 *
 * SQLite's online backup (see src/store/backup.ts). Restore: stop the server, put the copy
 * in place of `DATA_DIR/switchboard.db` (removing any `switchboard.db-wal` and `-shm`
 * beside it), start. Exits 2 on a bad argument, 1 when the configuration or the database
 * cannot be read or the file exists.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfigFromEnvironment } from '../../config/index.ts';
import { backupDatabase } from '../store/backup.ts';
import { DatabaseUnavailableError } from '../store/read-only.ts';

const USAGE = 'usage: npm run backup -- <file>';

async function main(args: string[]): Promise<number> {
  const [target, ...rest] = args;
  if (!target || rest.length > 0 || target.startsWith('-')) {
    process.stderr.write(`backup: give one file to write the copy to\n${USAGE}\n`);
    return 2;
  }
  try {
    const config = loadConfigFromEnvironment();
    const destination = resolve(target);
    const started = performance.now();
    const pages = await backupDatabase(config.databaseFile, destination);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `backup: ${config.databaseFile} copied to ${destination} (${pages} pages, ${seconds} s, integrity ok)\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
      process.stderr.write(`backup: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
