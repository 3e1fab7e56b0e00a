import type { Store } from '../../store/index.ts';
import {
  mergeClusters,
  type ReporterToNotify,
  resolveCluster,
  splitCluster,
} from './operations.ts';

/** Merge, split and resolve as the admin API calls them, each inside the route's transaction. */
export interface ClusterActions {
  merge(targetId: number, sourceIds: number[], actor: string): void;
  split(clusterId: number, ticketIds: number[], actor: string): number;
  resolve(
    clusterId: number,
    options: { actor: string; resolution?: string; notifyReporters: boolean },
  ): ReporterToNotify[];
}

/**
 * The cluster operations bound to a store and a clock, for `triageRoutes`. Errors are
 * `ClusterError`s whose `code` (`not_found`, `conflict`, `invalid`) the routes map to 404,
 * 409 and 400.
 */
export function createClusterActions(store: Store, clock: () => number = Date.now): ClusterActions {
  return {
    merge(targetId, sourceIds, actor) {
      mergeClusters(store, targetId, sourceIds, actor, clock());
    },
    split: (clusterId, ticketIds, actor) =>
      splitCluster(store, clusterId, ticketIds, actor, clock()),
    resolve: (clusterId, options) => resolveCluster(store, clusterId, options, clock()),
  };
}
