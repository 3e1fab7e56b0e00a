import { Router } from 'express';
import type { Notify } from '../../engine/cluster-notify.ts';
import type { ClusterActions } from '../../engine/clusters/index.ts';
import type { Store } from '../../store/index.ts';
import { clusterRoutes } from './clusters.ts';
import { digestRoutes } from './digest.ts';
import { overviewRoutes } from './overview.ts';
import { ticketRoutes } from './tickets.ts';

/** What the triage routes need from the composition root. */
export interface TriageRoutesDeps {
  store: Store;
  /** Merge, split and resolve, from the cluster engine (without them, clusters are read-only). */
  clusterActions?: ClusterActions;
  /** `engine.notify`: tells a reporter the fix is out on their platform. */
  notify: Notify;
  /** `config.digest`: the default top N and the time zone Markdown digests use. */
  digest: { topN: number; timezone: string };
  /** Called after a change committed outbox events (wakes the webhook dispatcher). */
  onCommit?: () => void;
}

/**
 * The triage admin API, to mount under `/api` behind bearer auth: `/clusters`,
 * `/tickets`, `/overview`, `/digest` and `/digests` (see each router for its routes).
 */
export function triageRoutes(deps: TriageRoutesDeps): Router {
  const router = Router();
  router.use(
    clusterRoutes({
      store: deps.store,
      ...(deps.clusterActions ? { actions: deps.clusterActions } : {}),
      notify: deps.notify,
      ...(deps.onCommit ? { onCommit: deps.onCommit } : {}),
    }),
  );
  router.use(ticketRoutes(deps.store));
  router.use(overviewRoutes(deps.store));
  router.use(
    digestRoutes({ store: deps.store, topN: deps.digest.topN, timezone: deps.digest.timezone }),
  );
  return router;
}
