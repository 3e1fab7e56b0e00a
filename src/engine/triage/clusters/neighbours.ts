import type { ClusterNeighbour, Store } from '../../../store/index.ts';
import { mergeClusters } from './operations.ts';
import type { ClusterSettings } from './settings.ts';
import { addToMean, combineMeans, cosine, unit } from './vector-math.ts';

/**
 * Finds a ticket's `k` nearest tickets (at least `minSimilarity` similar: a ticket with
 * nothing close keeps its own cluster) among the newest tickets of its nearest open
 * clusters, stores them as its neighbours, and offers it to each of them: a neighbour whose
 * own list is short, or whose farthest neighbour is less similar, takes it in (dropping its
 * farthest). Returns the tickets whose neighbours changed (this one included). Runs in the
 * caller's transaction.
 */
export function linkTicket(
  store: Store,
  settings: Readonly<ClusterSettings>,
  ticket: { id: number; vector: Float32Array },
): number[] {
  const { k, minSimilarity, clusters, perCluster } = settings.neighbours;
  if (k <= 0) return [];
  const found: ClusterNeighbour[] = [];
  for (const c of store.clusters.nearest(unit(ticket.vector), clusters)) {
    for (const other of store.clusters.recentVectors(c.id, perCluster)) {
      if (other.id === ticket.id) continue;
      const similarity = cosine(ticket.vector, other.vector);
      if (similarity >= minSimilarity) found.push({ id: other.id, similarity });
    }
  }
  const nearest = mostSimilar(found, k);
  store.clusters.setNeighbours(ticket.id, nearest);
  const changed = [ticket.id];
  for (const n of nearest) {
    const theirs = store.clusters.neighbours(n.id);
    const farthest = theirs[theirs.length - 1];
    if (theirs.some((t) => t.id === ticket.id)) continue;
    if (theirs.length < k || (farthest && n.similarity > farthest.similarity)) {
      store.clusters.setNeighbours(
        n.id,
        mostSimilar([...theirs, { id: ticket.id, similarity: n.similarity }], k),
      );
      changed.push(n.id);
    }
  }
  return changed;
}

const mostSimilar = (list: ClusterNeighbour[], k: number) =>
  list.sort((a, b) => b.similarity - a.similarity || a.id - b.id).slice(0, k);

/** Where a neighbour vote sent a ticket. */
export interface NeighbourMove {
  ticketId: number;
  from: number;
  to: number;
  /** The ticket was alone: its cluster merged into `to`. */
  merged: boolean;
}

/**
 * Moves a ticket to the open cluster its neighbours outweigh its own cluster for: each
 * cluster scores the summed similarity of the ticket's neighbours in it, less a penalty
 * for every ticket already there (the ticket itself not counted in its own). The penalty is
 * modularity's expected share: `resolution` × the ticket's summed neighbour similarity ÷
 * `openTickets` (at least `minTickets`) per ticket. It keeps a big cluster from pulling in
 * everything at its edge, and it shrinks as the volume grows, so that a problem reported a
 * hundred times among ten thousand tickets is one cluster, not three. A ticket only moves
 * to a cluster whose centroid it is at least `minCentroidSimilarity` similar to: a report
 * with one loosely related neighbour stays a problem of its own. A ticket alone in its
 * cluster takes the cluster with it (a merge, reason `neighbours`). Otherwise the ticket
 * moves, the two centroids and sizes are updated by that one vector, and the move is logged
 * as `reassigned` by `system` on both clusters; the caller rebuilds the rest of their
 * figures (`rebuildCluster`) once its round of votes is over. Runs in the caller's
 * transaction; returns the move, if any.
 */
export function voteTicket(
  store: Store,
  settings: Readonly<ClusterSettings>,
  ticketId: number,
  openTickets: number,
  now: number,
): NeighbourMove | undefined {
  const { resolution, minTickets, minCentroidSimilarity } = settings.neighbours;
  const { own: mine, votes } = store.clusters.neighbourVotes(ticketId);
  if (!mine || votes.length === 0) return undefined;
  const from = mine.clusterId;
  const strength = votes.reduce((sum, v) => sum + v.weight, 0);
  const perTicket = (resolution * strength) / Math.max(openTickets, minTickets);
  const stay =
    (votes.find((v) => v.clusterId === from)?.weight ?? 0) - perTicket * (mine.reports - 1);
  const rivals = votes
    .map((v) => ({ clusterId: v.clusterId, score: v.weight - perTicket * v.reports }))
    .filter((v) => v.clusterId !== from && v.score > stay)
    .sort((a, b) => b.score - a.score);
  // Most visits end here: nothing outweighs the ticket's own cluster.
  if (rivals.length === 0) return undefined;
  const vector = store.clusters.ticketVectors([ticketId]).get(ticketId);
  const own = store.clusters.get(from);
  if (!vector || !own) return undefined;
  // Neighbours alone are not enough: the ticket must resemble the cluster as a whole.
  const target = rivals
    .map((r) => store.clusters.get(r.clusterId))
    .find((c) => c && cosine(vector, c.centroid) >= minCentroidSimilarity);
  if (!target) return undefined;
  const to = target.id;
  if (own.reports <= 1) {
    mergeClusters(store, to, [from], 'system', now, 'neighbours');
    return { ticketId, from, to, merged: true };
  }
  const left = combineMeans(own.centroid, own.reports, vector, -1);
  store.clusters.saveCentroid(from, left, unit(left));
  store.clusters.update(from, { reports: own.reports - 1 }, now);
  const joined = addToMean(target.centroid, target.reports, vector);
  store.clusters.saveCentroid(to, joined, unit(joined));
  store.clusters.update(
    to,
    { reports: target.reports + 1, lastTicketId: Math.max(target.lastTicketId, ticketId) },
    now,
  );
  store.clusters.assignTicket(ticketId, to, cosine(vector, joined));
  const detail = { ticketIds: [ticketId], reason: 'neighbours' };
  store.clusters.audit(from, 'reassigned', 'system', { ...detail, to }, now);
  store.clusters.audit(to, 'reassigned', 'system', { ...detail, from }, now);
  return { ticketId, from, to, merged: false };
}
