import type { ClusterMember, ClusterRecord, Store } from '../../../store/index.ts';
import type { ClusterSettings } from './settings.ts';
import { rebuildCluster } from './upkeep.ts';
import { cosine, dot, unit } from './vector-math.ts';

/** A cluster's mean and size while its tickets are being reconsidered. */
interface Working {
  id: number;
  mean: Float64Array;
  n: number;
  dir: Float32Array;
}

const working = (c: ClusterRecord): Working => ({
  id: c.id,
  mean: Float64Array.from(c.centroid),
  n: c.reports,
  dir: unit(c.centroid),
});

/**
 * Re-files tickets that now fit a neighbouring cluster better: a k-means step over one
 * cluster that gained tickets since the last pass. A cluster's early tickets joined it when
 * its centroid was one or two reports; once neighbours have formed, a ticket whose vector
 * is closer (cosine) to a neighbour's centroid than to its own moves there. Clusters are
 * never emptied, and clusters above `refine.maxReports` are left as they are (their
 * centroids barely move). Each move is logged as `reassigned` by `system` on both
 * clusters, the moved tickets' similarities are re-recorded, and both clusters' centroids
 * and counts are recomputed. Runs in the caller's transaction; returns how many tickets moved.
 */
export function refineCluster(
  store: Store,
  settings: Readonly<ClusterSettings>,
  id: number,
  now: number,
): number {
  const c = store.clusters.get(id);
  if (c?.status !== 'open' || c.reports < 2 || c.reports > settings.refine.maxReports) return 0;
  const own = working(c);
  const neighbours = store.clusters
    .nearest(own.dir, settings.candidates)
    .filter((n) => n.id !== id)
    .map((n) => store.clusters.get(n.id))
    .filter((b): b is ClusterRecord => b?.status === 'open')
    .map(working);
  const moves = new Map<number, number[]>();
  for (const m of store.clusters.members(id)) {
    if (own.n < 2) break;
    // A person put this ticket here (a merge or a split); it stays.
    if (m.pinned) continue;
    const to = betterHome(m, own, neighbours);
    if (!to || !m.vector) continue;
    shift(own, m.vector, -1);
    shift(to, m.vector, 1);
    moves.set(to.id, [...(moves.get(to.id) ?? []), m.id]);
  }
  if (moves.size === 0) return 0;
  let moved = 0;
  for (const [to, ticketIds] of moves) {
    for (const ticketId of ticketIds) store.clusters.assignTicket(ticketId, to, 0);
    rebuildCluster(store, to, now);
    const target = store.clusters.get(to) as ClusterRecord;
    for (const [ticketId, v] of store.clusters.ticketVectors(ticketIds)) {
      store.clusters.assignTicket(ticketId, to, cosine(v, target.centroid));
    }
    store.clusters.audit(id, 'reassigned', 'system', { ticketIds, to }, now);
    store.clusters.audit(to, 'reassigned', 'system', { ticketIds, from: id }, now);
    moved += ticketIds.length;
  }
  rebuildCluster(store, id, now);
  return moved;
}

function betterHome(m: ClusterMember, own: Working, neighbours: Working[]): Working | undefined {
  if (!m.vector) return undefined;
  let best = dot(m.vector, own.dir);
  let home: Working | undefined;
  for (const b of neighbours) {
    const s = dot(m.vector, b.dir);
    if (s > best) {
      best = s;
      home = b;
    }
  }
  return home;
}

/** Adds (sign 1) or removes (sign -1) one vector from a working mean. */
function shift(w: Working, v: Float32Array, sign: 1 | -1): void {
  const n = w.n + sign;
  for (let i = 0; i < w.mean.length; i++) {
    w.mean[i] = ((w.mean[i] as number) * w.n + sign * (v[i] as number)) / n;
  }
  w.n = n;
  w.dir = unit(w.mean);
}
