import type { ClusterRecord, Store } from '../../../store/index.ts';
import { titleFromPhrase } from '../titles.ts';
import { ClusterError } from './errors.ts';
import { resolvedEventData } from './events.ts';
import { decay } from './impact.ts';
import { retitleCluster } from './retitle.ts';
import { rebuildCluster, refreshImpact } from './upkeep.ts';
import { combineMeans, cosine, meanOf, unit } from './vector-math.ts';

/** The actor of the machine's own changes (assignment, consolidation, regrouping). */
export const SYSTEM = 'system';

/** Who to tell that the fix is out: one entry per reporter, where they last reported. */
export interface ReporterToNotify {
  conversationId: string;
  platform: string;
  /** Their ticket references in the cluster. */
  refs: string[];
}

function openCluster(store: Store, id: number): ClusterRecord {
  const c = store.clusters.get(id);
  if (!c) throw new ClusterError('not_found', `no cluster ${id}`);
  if (c.status !== 'open') throw new ClusterError('conflict', `cluster ${id} is ${c.status}`);
  return c;
}

/** Re-records each moved ticket's similarity to the centroid of the cluster it is now in. */
function rescoreMoved(store: Store, clusterId: number, ticketIds: readonly number[]): void {
  const c = store.clusters.get(clusterId) as ClusterRecord;
  for (const [id, vector] of store.clusters.ticketVectors(ticketIds)) {
    store.clusters.assignTicket(id, clusterId, cosine(vector, c.centroid));
  }
}

const addCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
};

/**
 * Moves every ticket of the sources into the target; the sources become `merged` (and
 * leave the centroid index), and each cluster gets an audit row. The target's centroid is
 * the size-weighted mean of the two means (the exact mean of all their tickets), and its
 * counters are added up, so a merge costs time in the size of the sources, not the target.
 * Used by the API (`actor` = the developer) and by live clustering (`actor` = `system`,
 * with its `reason`). Runs in the caller's transaction.
 */
export function mergeClusters(
  store: Store,
  targetId: number,
  sourceIds: readonly number[],
  actor: string,
  now = Date.now(),
  reason?: string,
): ClusterRecord {
  const sources = [...new Set(sourceIds)];
  if (sources.length === 0) throw new ClusterError('invalid', 'name at least one cluster to merge');
  if (sources.includes(targetId)) {
    throw new ClusterError('invalid', 'a cluster cannot merge into itself');
  }
  let target = openCluster(store, targetId);
  const absorbed = sources.map((id) => openCluster(store, id));
  // What a person merged is one problem for good: the machine moves none of it apart.
  if (actor !== SYSTEM) store.clusters.pin([targetId, ...sources]);
  const moved: number[] = [];
  const why = reason ? { reason } : {};
  for (const source of absorbed) {
    const tickets = store.clusters.memberIds(source.id);
    moved.push(...tickets);
    store.clusters.moveAll(source.id, targetId);
    const newReporters = store.clusters.moveReporters(source.id, targetId);
    store.clusters.close(source.id, 'merged', now, targetId);
    store.clusters.carryApart(source.id, targetId, now);
    store.clusters.audit(
      source.id,
      'merged',
      actor,
      { into: targetId, tickets: tickets.length, ...why },
      now,
    );
    const mean = combineMeans(target.centroid, target.reports, source.centroid, source.reports);
    store.clusters.saveCentroid(targetId, mean, unit(mean));
    store.clusters.update(
      targetId,
      {
        reports: target.reports + source.reports,
        uniqueReporters: target.uniqueReporters + newReporters,
        platforms: addCounts(target.platforms, source.platforms),
        priorityMix: addCounts(target.priorityMix, source.priorityMix),
        productArea: target.productArea ?? source.productArea,
        // Someone who reported in both is counted twice here; acceptable until the next rebuild.
        weight:
          decay(target.weight, target.weightAt, now) + decay(source.weight, source.weightAt, now),
        weightAt: now,
        firstSeen: Math.min(target.firstSeen, source.firstSeen),
        lastSeen: Math.max(target.lastSeen, source.lastSeen),
        lastTicketId: Math.max(target.lastTicketId, source.lastTicketId),
      },
      now,
    );
    target = store.clusters.get(targetId) as ClusterRecord;
  }
  rescoreMoved(store, targetId, moved);
  store.clusters.audit(targetId, 'merged', actor, { sources, tickets: moved.length, ...why }, now);
  retitleCluster(store, targetId, now);
  return refreshImpact(store, targetId, now);
}

/**
 * Moves the given tickets of a cluster into a new open cluster, titled after the earliest
 * of them. Both centroids are recomputed from their tickets' vectors, so future tickets go
 * to whichever half they resemble. Returns the new cluster's id.
 */
export function splitCluster(
  store: Store,
  clusterId: number,
  ticketIds: readonly number[],
  actor: string,
  now = Date.now(),
): number {
  const c = openCluster(store, clusterId);
  const wanted = new Set(ticketIds);
  const members = store.clusters.members(clusterId);
  const moving = members.filter((m) => wanted.has(m.id));
  const missing = [...wanted].filter((id) => !moving.some((m) => m.id === id));
  if (missing.length > 0) {
    throw new ClusterError(
      'invalid',
      `tickets ${missing.join(', ')} are not in cluster ${clusterId}`,
    );
  }
  if (moving.length === 0 || moving.length === members.length) {
    throw new ClusterError('invalid', 'a split must leave at least one ticket in each cluster');
  }
  const vectors = moving.map((m) => m.vector).filter((v): v is Float32Array => v !== null);
  const mean = vectors.length > 0 ? meanOf(vectors, c.centroid.length) : c.centroid;
  const first = moving[0] as (typeof moving)[number];
  const created = store.clusters.create(
    {
      title: titleFromPhrase(first.canonical ?? '') || c.title,
      productArea: first.productArea ?? c.productArea,
      centroid: mean,
      reports: 0,
      uniqueReporters: 0,
      platforms: {},
      priorityMix: {},
      weight: 0,
      weightAt: now,
      firstSeen: first.createdAt,
      lastSeen: first.createdAt,
      lastTicketId: 0,
    },
    unit(mean),
    now,
  );
  for (const m of moving) store.clusters.assignTicket(m.id, created.id, 0);
  // What a person split apart stays apart: no regrouping rejoins the halves.
  if (actor !== SYSTEM) {
    store.clusters.pin([clusterId, created.id]);
    store.clusters.setApart(clusterId, created.id, now);
  }
  store.clusters.audit(created.id, 'created', actor, { splitFrom: clusterId }, now);
  rebuildCluster(store, clusterId, now);
  rebuildCluster(store, created.id, now);
  const ids = moving.map((m) => m.id);
  rescoreMoved(store, created.id, ids);
  retitleCluster(store, created.id, now, true);
  retitleCluster(store, clusterId, now);
  store.clusters.audit(clusterId, 'split', actor, { ticketIds: ids, into: created.id }, now);
  store.clusters.audit(created.id, 'split', actor, { ticketIds: ids, from: clusterId }, now);
  return created.id;
}

/**
 * Marks a cluster resolved: it leaves the centroid index (a new report of the same problem
 * starts a new cluster), its tickets become resolved, `cluster.resolved` goes to the
 * outbox and an audit row is written. Returns the reporters to tell that the fix is out.
 */
export function resolveCluster(
  store: Store,
  clusterId: number,
  options: { actor: string; resolution?: string | undefined; notifyReporters: boolean },
  now = Date.now(),
): ReporterToNotify[] {
  const c = openCluster(store, clusterId);
  store.clusters.close(clusterId, 'resolved', now);
  const tickets = store.clusters.resolveTickets(clusterId);
  store.events.append('cluster.resolved', resolvedEventData(c, now, options), now);
  store.clusters.audit(
    clusterId,
    'resolved',
    options.actor,
    { resolution: options.resolution ?? null, notifyReporters: options.notifyReporters, tickets },
    now,
  );
  return store.clusterViews.reporters(clusterId);
}

/**
 * Renames an open cluster as a person chose: the title is kept from then on (the model and
 * the extractive titles never write over it), and the audit log has both names.
 */
export function renameCluster(
  store: Store,
  clusterId: number,
  title: string,
  actor: string,
  now = Date.now(),
): void {
  const c = openCluster(store, clusterId);
  const clean = title.replace(/\s+/g, ' ').trim();
  if (!clean) throw new ClusterError('invalid', 'a title needs some words');
  store.clusters.update(
    clusterId,
    { title: clean, titleSource: 'manual', titledAtReports: c.reports },
    now,
  );
  store.clusters.audit(clusterId, 'renamed', actor, { from: c.title, to: clean }, now);
}
