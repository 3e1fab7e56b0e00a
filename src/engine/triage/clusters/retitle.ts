import type { Store } from '../../../store/index.ts';
import { chooseTitle, retitleDue } from '../titles.ts';
import { cosine } from './vector-math.ts';

/** Members whose phrases a title is chosen from: the newest, enough to be typical. */
const TITLE_CANDIDATES = 200;

/**
 * Rewrites an open cluster's extracted title from its members' phrases when the cluster
 * has changed materially since it was titled (see `retitleDue`), or at once with `force`
 * (a split made it anew). A title a person wrote, or the model wrote, is left alone here:
 * the model path rewrites its own. In the caller's transaction; true when it changed.
 */
export function retitleCluster(
  store: Store,
  clusterId: number,
  now: number,
  force = false,
): boolean {
  const c = store.clusters.get(clusterId);
  if (c?.status !== 'open' || c.titleSource !== 'extract') return false;
  if (!force && !retitleDue(c.reports, c.titledAtReports)) return false;
  const candidates = store.clusters
    .titleCandidates(clusterId, TITLE_CANDIDATES)
    .map((m) => ({ canonical: m.canonical, similarity: cosine(m.vector, c.centroid) }));
  const title = chooseTitle(candidates, c.title);
  store.clusters.update(clusterId, { title, titledAtReports: c.reports }, now);
  return title !== c.title;
}
