import type { Store } from '../../store/index.ts';
import { mergeClusters, resolveCluster, splitCluster } from './operations.ts';

/**
 * Merge, split and resolve as the admin API calls them, each inside one transaction the
 * route opens: each re-computes centroids and counters, writes the audit log and any
 * outbox event, and throws a `ClusterError` with a `code` of `not_found`, `conflict` or
 * `invalid` when it cannot apply.
 */
export interface ClusterActions {
  /** Moves every ticket of the source clusters into the target; the sources become `merged`. */
  merge(targetId: number, sourceIds: number[], actor: string): void;
  /** Moves the given tickets of a cluster into a new cluster; returns the new cluster's id. */
  split(clusterId: number, ticketIds: number[], actor: string): number;
  /** Marks a cluster resolved and records `cluster.resolved` (the route tells the reporters). */
  resolve(
    clusterId: number,
    options: { actor: string; resolution?: string; notifyReporters: boolean },
  ): void;
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
