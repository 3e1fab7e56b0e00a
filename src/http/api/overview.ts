import { Router } from 'express';
import { z } from 'zod';
import type { OverviewStore } from '../../store/overview.ts';
import { parseOr400 } from '../errors.ts';

const dailyQuery = z.strictObject({
  days: z.coerce
    .number({ error: 'days must be a number' })
    .int('days must be a whole number')
    .min(1, 'days must be at least 1')
    .max(90, 'days may be at most 90')
    .default(30),
});

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
    const { days } = parseOr400(dailyQuery, req.query);
    res.json({ days: overview.daily(days, Date.now()) });
  });
  return router;
}
