import type { ClusterRecord, Urgency } from '../../../store/index.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const platformList = (platforms: Record<string, number>): string[] =>
  Object.keys(platforms)
    .filter((p) => (platforms[p] ?? 0) > 0)
    .sort();
const round = (x: number): number => Math.round(x * 100) / 100;

/** What every cluster event says about its cluster. */
const clusterFields = (c: ClusterRecord) => ({
  id: c.id,
  title: c.title,
  productArea: c.productArea,
  urgency: c.urgency,
  impact: round(c.impact),
  reports: c.reports,
  uniqueReporters: c.uniqueReporters,
});

/** The payload of `cluster.escalated`, as documented in docs/webhooks.md. */
export function escalatedEventData(
  c: ClusterRecord,
  previousUrgency: Urgency,
): Record<string, unknown> {
  return {
    cluster: {
      ...clusterFields(c),
      previousUrgency,
      platforms: platformList(c.platforms),
      firstSeenAt: iso(c.firstSeen),
      lastSeenAt: iso(c.lastSeen),
    },
  };
}

/** The payload of `cluster.resolved`, as documented in docs/webhooks.md. */
export function resolvedEventData(
  c: ClusterRecord,
  resolvedAt: number,
  options: { resolution?: string | undefined; notifyReporters: boolean },
): Record<string, unknown> {
  return {
    cluster: {
      ...clusterFields(c),
      resolvedAt: iso(resolvedAt),
      resolution: options.resolution ?? null,
      notifyReporters: options.notifyReporters,
    },
  };
}
