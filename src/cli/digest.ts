/**
 * Prints the digest of the highest-impact clusters from the database at `DATA_DIR`:
 *
 *   npm run digest -- --since 24h --format md|json [--top N]
 *
 * Read-only, so it can run while the server runs. Exits 2 on a bad argument, 1 when the
 * configuration or the database cannot be read.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFromEnvironment } from '../../config/index.ts';
import { buildDigest, parseSince, renderDigestMarkdown } from '../engine/triage/digest/build.ts';
import { DatabaseUnavailableError, openReadOnlyStore } from '../store/read-only.ts';

const USAGE = 'usage: npm run digest -- [--since 24h|7d|<ISO time>] [--format md|json] [--top N]';

/** A command-line argument the CLI cannot use; the message says what to pass instead. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The parsed command line. */
export interface DigestArgs {
  since: number;
  format: 'md' | 'json';
  top: number | undefined;
}

/** Parses the arguments, or throws a {@link UsageError} naming the bad one. */
export function parseDigestArgs(argv: string[], now = Date.now()): DigestArgs {
  let values: { since?: string; format?: string; top?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { since: { type: 'string' }, format: { type: 'string' }, top: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const sinceText = values.since ?? '24h';
  const since = parseSince(sinceText, now);
  if (since === undefined) {
    throw new UsageError(
      `--since "${sinceText}" is not a window: use a duration such as 90m, 24h or 7d (at most 366d), or a past ISO time such as 2025-03-14T09:00:00Z`,
    );
  }
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') {
    throw new UsageError(`--format "${format}" is not a format: use md or json`);
  }
  let top: number | undefined;
  if (values.top !== undefined) {
    top = Number(values.top);
    if (!/^\d+$/.test(values.top) || top < 1 || top > 100) {
      throw new UsageError(`--top "${values.top}" must be a whole number from 1 to 100`);
    }
  }
  return { since, format, top };
}

function main(): number {
  const now = Date.now();
  try {
    const args = parseDigestArgs(process.argv.slice(2), now);
    const config = loadConfigFromEnvironment();
    const store = openReadOnlyStore(config.databaseFile);
    try {
      const digest = buildDigest(store, {
        since: args.since,
        until: now,
        topN: args.top ?? config.digest.topN,
      });
      process.stdout.write(
        args.format === 'json'
          ? `${JSON.stringify(digest, null, 2)}\n`
          : renderDigestMarkdown(digest, config.digest.timezone),
      );
    } finally {
      store.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`digest: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
      process.stderr.write(`digest: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = main();
}
