import type { ClusterMember, ClusterRecord, Store, Urgency } from '../../../store/index.ts';
import { URGENCIES } from '../../../store/index.ts';
import { escalatedEventData } from './events.ts';
import { decay, IMPACT, impactScore, urgencyOf, weightOf } from './impact.ts';
import { retitleCluster } from './retitle.ts';
import { meanOf, unit } from './vector-math.ts';

/**
 * Re-scores a cluster at `now` from its stored weight and the last two windows' reports.
 * When the urgency rises, `cluster.escalated` goes to the outbox and an `escalated` audit
 * row is written, in the caller's transaction. Returns the updated cluster.
 */
export function refreshImpact(store: Store, clusterId: number, now: number): ClusterRecord {
  const c = store.clusters.get(clusterId) as ClusterRecord;
  const last = store.clusters.reportsBetween(clusterId, now - IMPACT.windowMs, now + 1);
  const previous = store.clusters.reportsBetween(
    clusterId,
    now - 2 * IMPACT.windowMs,
    now - IMPACT.windowMs,
  );
  const impact = impactScore(decay(c.weight, c.weightAt, now), last, previous);
  const urgency = c.status === 'open' ? urgencyOf(impact) : c.urgency;
  store.clusters.update(clusterId, { impact, urgency }, now);
  const updated: ClusterRecord = { ...c, impact, urgency };
  if (rank(urgency) > rank(c.urgency)) {
    store.events.append('cluster.escalated', escalatedEventData(updated, c.urgency), now);
    store.clusters.audit(
      clusterId,
      'escalated',
      null,
      { from: c.urgency, to: urgency, impact: Math.round(impact * 100) / 100 },
      now,
    );
  }
  return updated;
}

const rank = (u: Urgency): number => URGENCIES.indexOf(u);

/**
 * Re-scores open clusters at `now`, so time decay shows in the ranking even for clusters
 * that got no new report (a change re-scores its cluster anyway). Clusters already below
 * `minImpact` are skipped: decay only lowers them further. Run it periodically (the
 * composition root does, hourly), in one transaction. Returns how many were re-scored.
 */
export function refreshImpacts(store: Store, now: number, minImpact = 0.5): number {
  const ids = store.clusters.openByImpact(minImpact);
  store.transaction(() => {
    for (const id of ids) refreshImpact(store, id, now);
  });
  return ids.length;
}

/** The product area most of the members were filed under, preferring confident matches. */
export function majorityArea(members: readonly ClusterMember[]): string | null {
  const confident = members.filter((m) => m.productArea && m.areaSource !== 'low_confidence');
  const pool = confident.length > 0 ? confident : members.filter((m) => m.productArea);
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const m of pool) {
    const n = (counts.get(m.productArea as string) ?? 0) + 1;
    counts.set(m.productArea as string, n);
    if (best === null || n > (counts.get(best) ?? 0)) best = m.productArea as string;
  }
  return best;
}

/**
 * Recomputes everything a cluster derives from its tickets after tickets moved in or out
 * (merge, split, consolidation): the centroid (mean of the ticket vectors), reports,
 * reporters, platforms, priority mix, first and last seen, product area and weight; then
 * the impact. A cluster left without tickets keeps its old centroid.
 */
export function rebuildCluster(store: Store, clusterId: number, now: number): ClusterRecord {
  const members = store.clusters.members(clusterId);
  const vectors = members.map((m) => m.vector).filter((v): v is Float32Array => v !== null);
  const c = store.clusters.get(clusterId) as ClusterRecord;
  if (vectors.length > 0) {
    const mean = meanOf(vectors, c.centroid.length);
    store.clusters.saveCentroid(clusterId, mean, unit(mean));
  }
  const platforms: Record<string, number> = {};
  const priorityMix: Record<string, number> = {};
  for (const m of members) {
    platforms[m.platform] = (platforms[m.platform] ?? 0) + 1;
    priorityMix[m.priority] = (priorityMix[m.priority] ?? 0) + 1;
  }
  const weight = weightOf(
    members.map((m) => ({ ...m, reporterKey: `${m.platform}:${m.reporterId}` })),
    now,
  );
  store.clusters.update(
    clusterId,
    {
      reports: members.length,
      uniqueReporters: store.clusters.rebuildReporters(clusterId),
      platforms,
      priorityMix,
      productArea: majorityArea(members) ?? c.productArea,
      weight,
      weightAt: now,
      ...(members.length > 0
        ? {
            firstSeen: members[0]?.createdAt as number,
            lastSeen: Math.max(...members.map((m) => m.createdAt)),
            // Moves never make a cluster look newer or quieter than its own reports did.
            lastTicketId: Math.max(c.lastTicketId, ...members.map((m) => m.id)),
          }
        : {}),
    },
    now,
  );
  retitleCluster(store, clusterId, now);
  return refreshImpact(store, clusterId, now);
}
