import type { ClusterNeighbour, ClusterRecord, Store } from '../../../store/index.ts';
import type { Platform, Priority } from '../../../types/index.ts';
import { decay, reportWeight } from './impact.ts';
import { mergeClusters } from './operations.ts';
import { retitleCluster } from './retitle.ts';
import type { ClusterSettings } from './settings.ts';
import { sharedSymptoms, symptomsAgree, symptomsOf } from './symptoms.ts';
import { majorityArea, refreshImpact } from './upkeep.ts';
import { addToMean, cosine, unit } from './vector-math.ts';

/** What assignment needs to know about a freshly stored ticket. */
export interface TicketToCluster {
  id: number;
  /** The embedding of the canonical phrase. */
  vector: Float32Array;
  /** The title of a cluster this ticket starts (from its canonical phrase). */
  title: string;
  /** The canonical phrase; while the install is young, how it fails is compared too. */
  canonical?: string | undefined;
  productArea: string | null;
  platform: Platform;
  reporterId: string;
  conversationId: string;
  priority: Priority;
  createdAt: number;
}

/** Where a ticket went and why. */
export interface Assignment {
  clusterId: number;
  /** Cosine similarity to the centroid it joined (1 when it started the cluster). */
  similarity: number;
  created: boolean;
}

// Above this size the product area is settled; re-counting it on every report is wasted work.
const AREA_RECOUNT_LIMIT = 50;

/**
 * Puts a ticket into a cluster, inside the caller's transaction (the one that stored the
 * ticket and will record `ticket.created`). The nearest open centroid (sqlite-vec KNN)
 * is joined when its cosine similarity clears `joinSimilarity`, and its running mean moves
 * towards the ticket; otherwise the ticket starts a new cluster. If the cluster's centroid
 * is now at least `mergeSimilarity` similar to another candidate's, the two are one problem
 * that formed apart: the smaller merges into the larger (logged as `system`). Counts,
 * reporters, impact and urgency are updated (an urgency step up records
 * `cluster.escalated`). Re-homing quiet small clusters runs after the commit
 * (`consolidateIfDue`).
 */
export function assignTicket(
  store: Store,
  t: TicketToCluster,
  settings: Readonly<ClusterSettings>,
  now = t.createdAt,
): Assignment {
  const v = unit(t.vector);
  const candidates = store.clusters.nearest(v, settings.candidates);
  const nearest = joinable(store, t, candidates, settings);
  const assignment = nearest
    ? join(store, t, v, store.clusters.get(nearest.id) as ClusterRecord, nearest.similarity, now)
    : start(store, t, v, now);
  const clusterId = mergeNearDuplicates(store, assignment.clusterId, candidates, settings, now);
  retitleCluster(store, clusterId, now);
  refreshImpact(store, clusterId, now);
  if (clusterId === assignment.clusterId) return assignment;
  const similarity = store.tickets.get(t.id)?.similarity ?? assignment.similarity;
  return { clusterId, similarity, created: assignment.created };
}

/**
 * The cluster the ticket joins: the nearest whose centroid clears `joinSimilarity`. While
 * the install is young (at most `regroup.maxOpenTickets` open tickets, when its clusters
 * are a few reports each and one wrong join decides what a cluster becomes), a cluster whose
 * reports fail in another way than this one ("it crashes" against "it resets") is passed
 * over for the next one that clears the threshold.
 */
function joinable(
  store: Store,
  t: TicketToCluster,
  candidates: readonly ClusterNeighbour[],
  settings: Readonly<ClusterSettings>,
): ClusterNeighbour | undefined {
  const above = candidates.filter((n) => n.similarity >= settings.joinSimilarity);
  if (above.length === 0 || t.canonical === undefined) return above[0];
  if ((store.overview.get().byStatus.open ?? 0) > settings.regroup.maxOpenTickets) return above[0];
  const mine = symptomsOf(t.canonical);
  if (mine.size === 0) return above[0];
  return above.find((n) =>
    symptomsAgree(mine, sharedSymptoms(store.clusters.members(n.id).map((m) => m.canonical))),
  );
}

// Candidates much less similar to the ticket than this margin cannot be near-duplicates of
// the cluster it joined, so their centroids are not even read.
const NEAR_DUPLICATE_MARGIN = 0.25;

/** Merges the other candidates that are near-duplicates of the cluster; returns where the ticket ended. */
function mergeNearDuplicates(
  store: Store,
  clusterId: number,
  candidates: readonly ClusterNeighbour[],
  settings: Readonly<ClusterSettings>,
  now: number,
): number {
  let current = clusterId;
  for (const n of candidates) {
    if (n.id === current || n.similarity < settings.mergeSimilarity - NEAR_DUPLICATE_MARGIN)
      continue;
    const mine = store.clusters.get(current) as ClusterRecord;
    const other = store.clusters.get(n.id);
    if (other?.status !== 'open') continue;
    if (cosine(mine.centroid, other.centroid) < settings.mergeSimilarity) continue;
    // The larger cluster (or the older, on a tie) keeps its id and title.
    const [target, source] =
      mine.reports > other.reports || (mine.reports === other.reports && mine.id < other.id)
        ? [mine, other]
        : [other, mine];
    mergeClusters(store, target.id, [source.id], 'system', now, 'near-duplicate');
    current = target.id;
  }
  return current;
}

function start(store: Store, t: TicketToCluster, v: Float32Array, now: number): Assignment {
  const c = store.clusters.create(
    {
      title: t.title,
      productArea: t.productArea,
      centroid: v,
      reports: 1,
      uniqueReporters: 1,
      platforms: { [t.platform]: 1 },
      priorityMix: { [t.priority]: 1 },
      weight: reportWeight(t.priority, true),
      weightAt: now,
      firstSeen: t.createdAt,
      lastSeen: t.createdAt,
      lastTicketId: t.id,
    },
    v,
    now,
  );
  store.clusters.assignTicket(t.id, c.id, 1);
  store.clusters.addReporter(c.id, { ...t, at: t.createdAt });
  store.clusters.audit(c.id, 'created', null, { ticketId: t.id }, now);
  return { clusterId: c.id, similarity: 1, created: true };
}

function join(
  store: Store,
  t: TicketToCluster,
  v: Float32Array,
  c: ClusterRecord,
  similarity: number,
  now: number,
): Assignment {
  const mean = addToMean(c.centroid, c.reports, v);
  store.clusters.saveCentroid(c.id, mean, unit(mean));
  const newReporter = store.clusters.addReporter(c.id, { ...t, at: t.createdAt });
  const count = (counts: Record<string, number>, key: string) => ({
    ...counts,
    [key]: (counts[key] ?? 0) + 1,
  });
  store.clusters.update(
    c.id,
    {
      reports: c.reports + 1,
      uniqueReporters: c.uniqueReporters + (newReporter ? 1 : 0),
      platforms: count(c.platforms, t.platform),
      priorityMix: count(c.priorityMix, t.priority),
      weight: decay(c.weight, c.weightAt, now) + reportWeight(t.priority, newReporter),
      weightAt: now,
      firstSeen: Math.min(c.firstSeen, t.createdAt),
      lastSeen: Math.max(c.lastSeen, t.createdAt),
      lastTicketId: Math.max(c.lastTicketId, t.id),
    },
    now,
  );
  store.clusters.assignTicket(t.id, c.id, similarity);
  if (c.reports < AREA_RECOUNT_LIMIT) {
    const area = majorityArea(store.clusters.members(c.id));
    if (area !== c.productArea) store.clusters.update(c.id, { productArea: area }, now);
  }
  return { clusterId: c.id, similarity, created: false };
}
