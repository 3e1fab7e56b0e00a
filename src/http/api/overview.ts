import { Router } from 'express';
import type { OverviewStore } from '../../store/overview.ts';
import { parseOr400 } from '../errors.ts';
import { daysQuery } from './params.ts';

/**
 * Mounted under `/api` behind bearer auth, constant time in the number of tickets (read
 * from counters the ticket transaction keeps):
 * - `GET /overview`: ticket counts by priority, category, sentiment, product area, status
 *   and platform, plus the total.
 * - `GET /overview/daily?days=30`: tickets per UTC day (1 to 90 days, oldest first) by
 *   priority, platform and product area.
 */
export function overviewRoutes({ overview }: { overview: OverviewStore }): Router {
  const router = Router();
  router.get('/overview', (_req, res) => {
    res.json(overview.get());
  });
  router.get('/overview/daily', (req, res) => {
    const { days } = parseOr400(daysQuery, req.query);
    res.json({ days: overview.daily(days, Date.now()) });
  });
  return router;
}
