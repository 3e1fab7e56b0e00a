import type { ClusterRecord, Store } from '../../../store/index.ts';
import { mergeClusters, SYSTEM } from './operations.ts';
import type { ClusterSettings } from './settings.ts';
import { type Symptom, sharedSymptoms, symptomsAgree } from './symptoms.ts';
import { dot, unit } from './vector-math.ts';

/**
 * Average-linkage regrouping of one cluster that changed: it merges with the open cluster
 * whose tickets are most similar to its own on average, while that mean similarity is at
 * least `regroup.minAverageSimilarity`, and then looks again from the merged cluster.
 *
 * A cluster's centroid is the mean of its tickets' unit vectors, so the dot product of two
 * centroids is exactly the mean cosine similarity over every pair of their tickets: what
 * average linkage merges on (plus `regroup.sameAreaBonus` when both are filed under the
 * same product area, while the docs describe the reports: see `regroup.minAreaFit`, and
 * while the two fail the same way: two problems of one area that show different symptoms,
 * "it crashes" and "it resets", get no bonus; see `symptoms.ts`).
 * Kept after every ticket while the open set is small, this holds the invariant a batch average-linkage pass stops at (no two open clusters on
 * average at least that similar), one changed cluster at a time. The larger cluster (the
 * older on a tie) keeps its id and title; each merge is logged as `system`, reason
 * `regroup`. Clusters a person split apart are never rejoined. Runs in the caller's
 * transaction; returns how many merges it made.
 */
export function regroupCluster(
  store: Store,
  settings: Readonly<ClusterSettings>,
  clusterId: number,
  now: number,
  areasMeaningful = store.clusters.openAreaFit() >= settings.regroup.minAreaFit,
): number {
  const threshold = settings.regroup.minAverageSimilarity;
  const bonus = areasMeaningful ? settings.regroup.sameAreaBonus : 0;
  let current = clusterId;
  let merges = 0;
  // The symptoms each cluster's tickets share, read only where the bonus could decide.
  const symptoms = new Map<number, Set<Symptom>>();
  const symptomsOf = (id: number) => {
    let found = symptoms.get(id);
    if (!found) {
      found = sharedSymptoms(store.clusters.members(id).map((m) => m.canonical));
      symptoms.set(id, found);
    }
    return found;
  };
  for (;;) {
    const c = store.clusters.get(current);
    if (c?.status !== 'open') return merges;
    let best: { cluster: ClusterRecord; similarity: number } | undefined;
    for (const n of store.clusters.nearest(unit(c.centroid), settings.candidates)) {
      if (n.id === current) continue;
      const other = store.clusters.get(n.id);
      if (other?.status !== 'open' || store.clusters.isApart(current, other.id)) continue;
      const mean = dot(c.centroid, other.centroid);
      const sameArea = c.productArea !== null && c.productArea === other.productArea;
      const bonusHolds =
        sameArea &&
        bonus > 0 &&
        mean + bonus >= threshold &&
        symptomsAgree(symptomsOf(current), symptomsOf(other.id));
      const similarity = mean + (bonusHolds ? bonus : 0);
      if (similarity >= threshold && (!best || similarity > best.similarity)) {
        best = { cluster: other, similarity };
      }
    }
    if (!best) return merges;
    const other = best.cluster;
    const [target, source] =
      c.reports > other.reports || (c.reports === other.reports && c.id < other.id)
        ? [c, other]
        : [other, c];
    mergeClusters(store, target.id, [source.id], SYSTEM, now, 'regroup');
    symptoms.delete(target.id);
    current = target.id;
    merges++;
  }
}
