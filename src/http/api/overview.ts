import { Router } from 'express';
import type { OverviewStore } from '../../store/overview.ts';

/**
 * `GET /overview`, mounted under `/api` behind bearer auth: ticket counts by priority,
 * category, sentiment, product area, status and platform, plus the total. Constant time
 * in the number of tickets (read from counters the ticket transaction keeps).
 */
export function overviewRoutes({ overview }: { overview: OverviewStore }): Router {
  const router = Router();
  router.get('/overview', (_req, res) => {
    res.json(overview.get());
  });
  return router;
}
