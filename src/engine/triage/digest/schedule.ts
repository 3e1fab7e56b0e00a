import { Cron } from 'croner';
import type { Logger } from '../../../log.ts';
import type { Store } from '../../../store/index.ts';
import type { StoredDigest } from '../../../types/index.ts';
import { createDigest, type DigestOptions } from './build.ts';

/** What the digest schedule needs; `cron`/`timezone`/`topN` come from `config.digest`. */
export interface DigestSchedulerDeps {
  store: Store;
  cron: string;
  timezone: string;
  topN: number;
  logger: Logger;
  /**
   * Builds, stores and announces one digest (triage's `publishDigest`); by default it is
   * stored with its `digest.created` event and nothing else.
   */
  publish?: (options: DigestOptions, now: number) => StoredDigest;
}

/** The digest schedule: start, stop, and run one digest now. */
export interface DigestScheduler {
  start(): void;
  stop(): void;
  /** Builds, stores and announces the digest for the period ending now. */
  runOnce(now?: number): StoredDigest;
  /** When the next scheduled digest runs, or null when stopped. */
  nextRun(): Date | null;
}

const DAY_MS = 86_400_000;
/** After a long outage, a digest covers at most this much, not the whole gap. */
const MAX_CATCH_UP_MS = 7 * DAY_MS;

/**
 * Runs the digest on `DIGEST_CRON` in `DIGEST_TZ` (croner). Each run covers the period
 * since the previous digest (the last 24 h for the first one; at most 7 days), so
 * consecutive digests neither overlap nor leave gaps. Overlapping runs are skipped
 * (`protect`), and a failed run is logged and retried at the next tick.
 */
export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const { store, logger } = deps;
  let job: Cron | undefined;

  const runOnce = (now = Date.now()): StoredDigest => {
    const last = store.digests.lastUntil();
    const since =
      last !== undefined && last < now ? Math.max(last, now - MAX_CATCH_UP_MS) : now - DAY_MS;
    const options = { since, until: now, topN: deps.topN };
    const digest = deps.publish?.(options, now) ?? createDigest(store, options, now);
    logger.info(
      { digestId: digest.id, since: digest.since, entries: digest.entries.length },
      'digest created',
    );
    return digest;
  };

  return {
    start() {
      if (job) return;
      job = new Cron(deps.cron, { timezone: deps.timezone, protect: true, unref: true }, () => {
        try {
          runOnce();
        } catch (error) {
          logger.error({ err: error }, 'digest failed; it runs again at the next tick');
        }
      });
      logger.info(
        { cron: deps.cron, timezone: deps.timezone, next: job.nextRun() },
        'digest scheduled',
      );
    },
    stop() {
      job?.stop();
      job = undefined;
    },
    runOnce,
    nextRun: () => job?.nextRun() ?? null,
  };
}
