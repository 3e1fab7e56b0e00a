import type { Priority } from './classification.ts';
import type { EnvironmentCounts } from './environment.ts';

/** How a cluster's reports in the window compare with the previous window of equal length. */
export type Trend = 'new' | 'rising' | 'falling' | 'steady';

/** One ranked cluster of a digest. Counts are for the digest's window. */
export interface DigestEntry {
  rank: number;
  clusterId: number;
  title: string;
  productArea: string | null;
  trend: Trend;
  urgency: string;
  impact: number;
  /** Tickets in the window. */
  reports: number;
  /** Distinct reporters (platform + reporter id) in the window. */
  uniqueReporters: number;
  /** Tickets in the previous window of equal length, the basis of `trend`. */
  previousReports: number;
  /** Platforms reported from in the window, sorted. */
  platforms: string[];
  priorityMix: Record<Priority, number>;
  /** Two or three redacted ticket summaries from the window. */
  quotes: string[];
  /** App versions, OS, devices and browsers the window's reports gave. */
  environment: EnvironmentCounts;
  /** The app version the problem appeared from ("since 3.2.1"), when the reports show one. */
  sinceVersion: string | null;
  /** The newest tickets of the window (at most {@link MAX_DIGEST_TICKETS}), oldest first. */
  ticketIds: number[];
  /** The same tickets as references (`T-1042`). */
  ticketRefs: string[];
}

/**
 * The digest of the highest-impact clusters over a window, as stored, served by
 * `GET /api/digest` and sent as `digest.created` (docs/webhooks.md). Times are ISO 8601.
 * `id` is set once the digest is stored.
 */
export interface Digest {
  id?: number;
  since: string;
  until: string;
  generatedAt: string;
  /** Open clusters with at least one report in the window (the entries are the top N). */
  activeClusters: number;
  entries: DigestEntry[];
}

/** The most ticket ids a digest entry lists; `reports` still counts all of them. */
export const MAX_DIGEST_TICKETS = 25;

/** A digest as stored, with its row id: what the schedule posts and `digest.created` carries. */
export interface StoredDigest extends Digest {
  id: number;
}
