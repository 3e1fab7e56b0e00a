import { Router } from 'express';
import { z } from 'zod';
import { ticketView } from '../../engine/triage/tickets.ts';
import type { TicketStore } from '../../store/tickets.ts';
import { PLATFORMS, PRIORITIES } from '../../types/index.ts';
import { HttpError, parseOr400 } from '../errors.ts';

const listQuery = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  priority: z.enum(PRIORITIES).optional(),
  category: z.string().trim().min(1).max(60).optional(),
  productArea: z.string().trim().min(1).max(120).optional(),
  clusterId: z.coerce.number().int().positive().optional(),
  platform: z.enum(PLATFORMS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
const ref = z.string().regex(/^T-\d{1,15}$/i, 'a ticket reference looks like T-1042');

/**
 * Tickets, mounted under `/api` behind bearer auth:
 * - `GET /tickets?status=&priority=&category=&productArea=&clusterId=&platform=&limit=&offset=`:
 *   newest first; `hasMore` says whether another page follows.
 * - `GET /tickets/:ref`: one ticket by reference (`T-1042`).
 */
export function ticketRoutes({ tickets }: { tickets: TicketStore }): Router {
  const router = Router();

  router.get('/tickets', (req, res) => {
    const { limit, offset, ...filter } = parseOr400(listQuery, req.query);
    const page = tickets.list({ ...filter, limit: limit + 1, offset });
    res.json({
      tickets: page.slice(0, limit).map(ticketView),
      limit,
      offset,
      hasMore: page.length > limit,
    });
  });

  router.get('/tickets/:ref', (req, res) => {
    const wanted = parseOr400(ref, req.params.ref).toUpperCase();
    const ticket = tickets.byRef(wanted);
    if (!ticket) throw new HttpError(404, 'not_found', `no ticket ${wanted}`);
    res.json({ ticket: ticketView(ticket) });
  });

  return router;
}
