import { Router } from 'express';
import { buildStats } from '../../engine/stats.ts';
import type { Store } from '../../store/index.ts';
import { parseOr400 } from '../errors.ts';
import { daysQuery } from './params.ts';

export interface StatsRoutesDeps {
  store: Pick<Store, 'outcomes' | 'assist'>;
  /** `HANDOFF_SLA_MINUTES` in ms: a handoff unclaimed for longer is a breach. */
  handoffSlaMs: number;
}

/**
 * `GET /stats?days=30`, mounted under `/api` behind bearer auth: per UTC day (1 to 90 days
 * ending today, oldest first, zero-filled) the conversations, how many the bot handled
 * alone, how many went to a person or became tickets, the deflection rate, and the
 * handoffs with their time to claim and SLA breaches, the agents' drafted replies (sent,
 * edited, dismissed) and the customers' ratings; plus the totals, and CSAT per agent.
 */
export function statsRoutes({ store, handoffSlaMs }: StatsRoutesDeps): Router {
  const router = Router();
  router.get('/stats', (req, res) => {
    const { days } = parseOr400(daysQuery, req.query);
    res.json(buildStats(store, { days, handoffSlaMs }));
  });
  return router;
}
