import type { ClusterRecord, Store } from '../../../store/index.ts';
import { linkTicket, voteTicket } from './neighbours.ts';
import { mergeClusters } from './operations.ts';
import { refineCluster } from './refine.ts';
import { regroupCluster } from './regroup.ts';
import type { ClusterSettings } from './settings.ts';
import { rebuildCluster } from './upkeep.ts';
import { dot, unit } from './vector-math.ts';

/** What one consolidation pass did. */
export interface ConsolidationReport {
  /** New tickets whose neighbours were found. */
  linked: number;
  /** Clusters that changed since the last pass, whose tickets were reconsidered. */
  refined: number;
  /** Tickets moved to a neighbouring cluster that fits them better. */
  reassigned: number;
  /** Tickets moved (or single-ticket clusters merged) by their neighbours' votes. */
  voted: number;
  /** Clusters merged by average linkage while the open set is small. */
  regrouped: number;
  /** Small clusters that went quiet and were looked at. */
  considered: number;
  rehomed: number;
  /** Centroid indexes rebuilt because they had become more holes than rows. */
  compacted: string[];
}

const CURSOR = 'clusters.consolidated_through';

/**
 * Consolidation: the maintenance step of live clustering, run after every
 * `consolidateEvery`-th ticket, in two steps (see docs/clustering.md):
 *
 * 1. Re-filing (`refineCluster`): tickets of the clusters that changed since the last pass
 *    move to a neighbouring cluster whose centroid they are now closer to.
 * 2. Re-homing: a cluster of at most `rehome.maxReports` tickets that has had no new
 *    ticket for `rehome.quietTickets` tickets is folded into the larger neighbour its
 *    tickets are most similar to on average, when that mean similarity is at least
 *    `rehome.minSimilarity`; otherwise it stays, as the one report of a distinct problem.
 *    Each small cluster is considered once, when it goes quiet; each fold is a merge
 *    logged by `system` with the reason `rehome`.
 *
 * Last, a centroid index that has become more holes than rows is rebuilt
 * (`ClusterStore.compactIndexes`).
 *
 * A generator that yields after each cluster it handles, so that a runner can commit and
 * let other work in between (see {@link consolidateIfDue}); each step reads the cluster
 * afresh, so tickets that arrive in between are taken as they are. The pass ends by moving
 * the cursor; a pass cut short by a crash is simply done again.
 */
export function* consolidationSteps(
  store: Store,
  settings: Readonly<ClusterSettings>,
  throughTicket: number,
  now: number,
): Generator<void, ConsolidationReport> {
  const from = Number(store.clusters.meta(CURSOR) ?? 0);
  const toVisit = new Set<number>();
  const fresh = store.clusters.clusteredBetween(from, throughTicket);
  for (const ticket of fresh) {
    for (const id of linkTicket(store, settings, ticket)) toVisit.add(id);
    yield;
  }
  const changed = store.clusters.changedSince(from);
  let reassigned = 0;
  for (const id of changed) {
    reassigned += refineCluster(store, settings, id, now);
    yield;
  }
  for (const id of changed) {
    // As in re-filing, clusters too large for their centroid to move are left alone.
    if ((store.clusters.get(id)?.reports ?? 0) > settings.refine.maxReports) continue;
    for (const ticketId of store.clusters.memberIds(id)) toVisit.add(ticketId);
  }
  // The graph votes weigh against: every open ticket (a constant-time counter).
  const openTickets = store.overview.get().byStatus.open ?? 0;
  let voted = 0;
  let visits = 0;
  const moved = new Set<number>();
  for (const ticketId of toVisit) {
    if (++visits > settings.neighbours.maxVisits) break;
    toVisit.delete(ticketId);
    const move = voteTicket(store, settings, ticketId, openTickets, now);
    if (move) {
      voted++;
      if (!move.merged) moved.add(move.from).add(move.to);
      // Those who count this ticket as a neighbour may now be outvoted too.
      for (const id of store.clusters.listedBy(ticketId)) toVisit.add(id);
    }
    yield;
  }
  for (const id of moved) {
    if (store.clusters.get(id)?.status === 'open') rebuildCluster(store, id, now);
    yield;
  }
  let regrouped = 0;
  if (openTickets <= settings.regroup.maxOpenTickets) {
    const areasMeaningful = store.clusters.openAreaFit() >= settings.regroup.minAreaFit;
    for (const id of new Set([...changed, ...moved])) {
      regrouped += regroupCluster(store, settings, id, now, areasMeaningful);
      yield;
    }
  }
  const { maxReports, quietTickets, minSimilarity } = settings.rehome;
  const quiet = store.clusters.quietSmall(
    maxReports,
    from - quietTickets,
    throughTicket - quietTickets,
  );
  let rehomed = 0;
  for (const id of quiet) {
    const small = store.clusters.get(id);
    if (small?.status !== 'open' || small.reports > maxReports) continue;
    const home = bestHome(store, small, settings);
    if (home && home.similarity >= minSimilarity) {
      mergeClusters(store, home.id, [id], 'system', now, 'rehome');
      rehomed++;
    }
    yield;
  }
  const compacted = store.clusters.compactIndexes();
  store.clusters.setMeta(CURSOR, String(throughTicket));
  return {
    linked: fresh.length,
    refined: changed.length,
    reassigned,
    voted,
    considered: quiet.length,
    rehomed,
    regrouped,
    compacted,
  };
}

/** A whole consolidation pass at once, in the caller's transaction (benchmarks, tests). */
export function consolidate(
  store: Store,
  settings: Readonly<ClusterSettings>,
  throughTicket: number,
  now: number,
): ConsolidationReport {
  const steps = consolidationSteps(store, settings, throughTicket, now);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The larger open neighbour with the highest mean similarity between the two clusters' tickets. */
function bestHome(
  store: Store,
  small: ClusterRecord,
  settings: Readonly<ClusterSettings>,
): { id: number; similarity: number } | undefined {
  let best: { id: number; similarity: number } | undefined;
  for (const n of store.clusters.nearest(unit(small.centroid), settings.candidates)) {
    if (n.id === small.id) continue;
    const c = store.clusters.get(n.id);
    if (!c || c.reports <= settings.rehome.maxReports) continue;
    // The dot product of two means is the mean similarity over all pairs of their tickets.
    const similarity = dot(small.centroid, c.centroid);
    if (!best || similarity > best.similarity) best = { id: c.id, similarity };
  }
  return best;
}

/**
 * Whether the ticket with this id makes a consolidation pass due: after every
 * `consolidateEvery`-th ticket, and after every ticket while at most
 * `regroup.maxOpenTickets` tickets are open (a young installation's grouping is
 * re-examined from its first tickets; each pass then covers a cluster or two).
 */
export function isConsolidationDue(
  settings: Readonly<ClusterSettings>,
  ticketId: number,
  openTickets: number,
): boolean {
  if (settings.consolidateEvery <= 0) return false;
  return (
    ticketId % settings.consolidateEvery === 0 || openTickets <= settings.regroup.maxOpenTickets
  );
}

const REGROUP_CURSOR = 'clusters.regrouped_through';

/**
 * The light pass run after each ticket between full consolidation passes while the open set
 * is small: regroups the clusters that gained tickets since the last such pass. Yields after
 * each cluster, like a consolidation pass, and reports in the same shape.
 */
function* regroupSteps(
  store: Store,
  settings: Readonly<ClusterSettings>,
  throughTicket: number,
  now: number,
): Generator<void, ConsolidationReport> {
  const from = Number(store.clusters.meta(REGROUP_CURSOR) ?? 0);
  let regrouped = 0;
  const areasMeaningful = store.clusters.openAreaFit() >= settings.regroup.minAreaFit;
  for (const id of store.clusters.changedSince(from)) {
    regrouped += regroupCluster(store, settings, id, now, areasMeaningful);
    yield;
  }
  store.clusters.setMeta(REGROUP_CURSOR, String(throughTicket));
  return {
    linked: 0,
    refined: 0,
    reassigned: 0,
    voted: 0,
    regrouped,
    considered: 0,
    rehomed: 0,
    compacted: [],
  };
}

/** How long one slice of a consolidation pass may hold the event loop, in ms. */
export const CONSOLIDATION_SLICE_MS = 10;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs a consolidation pass when `ticketId` is a multiple of `consolidateEvery`: the engine
 * calls it right after the ticket's transaction commits, and the evaluation does the same,
 * so both see the same clusters. The pass runs in slices of about
 * {@link CONSOLIDATION_SLICE_MS}, each its own transaction, with the event loop free in
 * between: at 100k open clusters a whole pass takes over a second, and customers' turns
 * must not wait for it. Run one pass at a time (the engine chains them). Resolves with what
 * it did, or undefined when no pass was due.
 */
export async function consolidateIfDue(
  store: Store,
  settings: Readonly<ClusterSettings>,
  ticketId: number,
  now = Date.now(),
  sliceMs = CONSOLIDATION_SLICE_MS,
): Promise<ConsolidationReport | undefined> {
  if (!isConsolidationDue(settings, ticketId, store.overview.get().byStatus.open ?? 0)) {
    return undefined;
  }
  // Between full passes, a small installation's passes only regroup what just changed.
  const steps =
    ticketId % settings.consolidateEvery === 0
      ? consolidationSteps(store, settings, ticketId, now)
      : regroupSteps(store, settings, ticketId, now);
  for (;;) {
    const step = store.transaction(() => {
      const started = performance.now();
      let next = steps.next();
      while (!next.done && performance.now() - started < sliceMs) next = steps.next();
      return next;
    });
    if (step.done) return step.value;
    await nextTurn();
  }
}
