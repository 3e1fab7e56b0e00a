import { Router } from 'express';
import type { Triage } from '../../engine/triage/index.ts';
import type { Store } from '../../store/index.ts';
import type { Digest } from '../../types/index.ts';
import { clusterRoutes } from './clusters.ts';
import { digestRoutes } from './digest.ts';
import { overviewRoutes } from './overview.ts';
import { ticketRoutes } from './tickets.ts';

/** What the triage routes need from the composition root. */
export interface TriageRoutesDeps {
  store: Store;
  /** Cluster and ticket actions and digests: triage's front door. */
  triage: Pick<Triage, 'merge' | 'split' | 'resolve' | 'rename' | 'digest' | 'updateTicket'>;
  /** `config.digest`: the default top N and the time zone Markdown digests use. */
  digest: { topN: number; timezone: string };
  /** A digest as the Slack messages that post it (`GET /digests/:id?format=slack`). */
  slackDigest?: (digest: Digest) => unknown[];
}

/**
 * The triage admin API, to mount under `/api` behind bearer auth: `/clusters`,
 * `/tickets`, `/overview`, `/digest` and `/digests` (see each router for its routes).
 */
export function triageRoutes(deps: TriageRoutesDeps): Router {
  const router = Router();
  router.use(clusterRoutes({ store: deps.store, triage: deps.triage }));
  router.use(ticketRoutes({ store: deps.store, triage: deps.triage }));
  router.use(overviewRoutes(deps.store));
  router.use(
    digestRoutes({
      store: deps.store,
      triage: deps.triage,
      topN: deps.digest.topN,
      timezone: deps.digest.timezone,
      ...(deps.slackDigest ? { slack: deps.slackDigest } : {}),
    }),
  );
  return router;
}
