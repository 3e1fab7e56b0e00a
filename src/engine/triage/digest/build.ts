import { parseDuration } from '../../../../config/schema.ts';
import type { Store, WindowTicket } from '../../../store/index.ts';
import {
  type Digest,
  type DigestEntry,
  MAX_DIGEST_TICKETS,
  PRIORITIES,
  type Priority,
  type StoredDigest,
  type Trend,
} from '../../../types/index.ts';
import { countEnvironments, sinceVersion } from '../../environment.ts';
import { redactPII } from '../../redact.ts';

export { renderDigestMarkdown } from './markdown.ts';

/** The window and size of a digest; times are epoch ms, `since` inclusive, `until` exclusive. */
export interface DigestOptions {
  since: number;
  until: number;
  topN: number;
}

/** What building a digest reads: the window queries, in one read transaction. */
export type DigestSource = Pick<Store, 'digests' | 'transaction'>;

/** A relative change in reports beyond which a cluster counts as rising or falling. */
export const TREND_CHANGE = 0.25;
/** The longest window a digest covers. */
export const MAX_DIGEST_WINDOW_MS = 366 * 86_400_000;

const QUOTES = 3;
const QUOTE_CHARS = 200;
const SAMPLE_TICKETS = 50;
/** How far back the versions customers run are looked up, before the window. */
const KNOWN_VERSIONS_MS = 90 * 86_400_000;

/**
 * The trend of a cluster against the previous window of equal length: `new` when the
 * cluster was first seen inside the window; `rising` when its reports grew by more than
 * {@link TREND_CHANGE} (or it is back after a quiet window); `falling` when they shrank by
 * more than that; `steady` otherwise.
 */
export function trendOf(
  reports: number,
  previous: number,
  firstSeen: number,
  since: number,
): Trend {
  if (firstSeen >= since) return 'new';
  if (reports > previous * (1 + TREND_CHANGE)) return 'rising';
  if (reports < previous * (1 - TREND_CHANGE)) return 'falling';
  return 'steady';
}

/**
 * Builds the digest of the top-N open clusters by impact among those with reports in the
 * window: counts, unique reporters, platforms and priority mix over the window, the trend
 * against the previous window, redacted quotes and ticket ids. Reads only; see
 * {@link createDigest} to store it and fire `digest.created`.
 */
export function buildDigest(store: DigestSource, options: DigestOptions, now = Date.now()): Digest {
  const { since, until, topN } = options;
  const window = { since, until };
  const previous = { since: since - (until - since), until: since };
  return store.transaction(() => {
    const { total, top } = store.digests.activeClusters(window, topN);
    // Versions anyone ran lately: a problem seen only from one of them on is "since" it.
    const known = store.digests.appVersionsIn({ since: since - KNOWN_VERSIONS_MS, until });
    const entries = top.map((c, i): DigestEntry => {
      // A cluster whose whole life lies inside the window: its own counters are the window's.
      const counts =
        c.firstSeen >= since && c.lastSeen < until
          ? c
          : store.digests.countsIn(c.clusterId, window);
      const previousReports = store.digests.reportsIn(c.clusterId, previous);
      const newest = store.digests.newestIn(c.clusterId, window, SAMPLE_TICKETS);
      const listed = newest.slice(0, MAX_DIGEST_TICKETS).reverse();
      const environment = countEnvironments(store.digests.environmentIn(c.clusterId, window));
      return {
        rank: i + 1,
        clusterId: c.clusterId,
        title: c.title,
        productArea: c.productArea,
        trend: trendOf(counts.reports, previousReports, c.firstSeen, since),
        urgency: c.urgency,
        impact: Math.round(c.impact * 100) / 100,
        reports: counts.reports,
        uniqueReporters: counts.uniqueReporters,
        previousReports,
        platforms: Object.keys(counts.platforms)
          .filter((p) => (counts.platforms[p] ?? 0) > 0)
          .sort(),
        priorityMix: Object.fromEntries(
          PRIORITIES.map((p) => [p, counts.priorityMix[p] ?? 0]),
        ) as Record<Priority, number>,
        quotes: pickQuotes(newest),
        environment,
        sinceVersion: sinceVersion(environment, known),
        ticketIds: listed.map((t) => t.id),
        ticketRefs: listed.map((t) => t.ref),
      };
    });
    return {
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      generatedAt: new Date(now).toISOString(),
      activeClusters: total,
      entries,
    };
  });
}

/** Stores a digest and records `digest.created` in the outbox, in one transaction. */
export function publishDigest(store: Store, digest: Digest, now = Date.now()): StoredDigest {
  return store.transaction(() => {
    const stored = store.digests.insert(digest, now);
    store.events.append('digest.created', { digest: stored }, now);
    return stored;
  });
}

/** Builds, stores and announces (`digest.created`) a digest in one transaction. */
export function createDigest(store: Store, options: DigestOptions, now = Date.now()): StoredDigest {
  return store.transaction(() => publishDigest(store, buildDigest(store, options, now), now));
}

/**
 * Parses a window start: a duration back from `now` (`90m`, `24h`, `7d`) or an ISO 8601
 * time. Undefined when malformed, not in the past, or longer than {@link MAX_DIGEST_WINDOW_MS}.
 */
export function parseSince(text: string, now = Date.now()): number | undefined {
  const duration = parseDuration(text);
  const since =
    duration !== undefined
      ? now - duration
      : /^\d{4}-\d{2}-\d{2}/.test(text)
        ? Date.parse(text)
        : Number.NaN;
  if (!Number.isFinite(since) || since >= now || now - since > MAX_DIGEST_WINDOW_MS)
    return undefined;
  return since;
}

/**
 * Up to three redacted, distinct summaries, newest first, from different reporters when
 * there are enough of them. Summaries are stored redacted; they are redacted again here
 * so that no quote can carry personal data whatever wrote the ticket.
 */
function pickQuotes(tickets: WindowTicket[]): string[] {
  const quotes: string[] = [];
  const seenText = new Set<string>();
  const seenReporter = new Set<string>();
  for (const distinctReporters of [true, false]) {
    for (const t of tickets) {
      if (quotes.length === QUOTES) return quotes;
      const quote = clip(redactPII(t.summary).replace(/\s+/g, ' ').trim());
      const key = quote.toLowerCase();
      if (!quote || seenText.has(key)) continue;
      if (distinctReporters && seenReporter.has(t.reporterKey)) continue;
      seenText.add(key);
      seenReporter.add(t.reporterKey);
      quotes.push(quote);
    }
  }
  return quotes;
}

function clip(text: string): string {
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS - 1).trimEnd()}…`;
}
