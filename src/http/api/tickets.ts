import { Router } from 'express';
import { z } from 'zod';
import { TicketError, type Triage, ticketDetail } from '../../engine/triage/index.ts';
import { ticketView } from '../../engine/triage/tickets.ts';
import { type Store, TICKET_STATUSES } from '../../store/index.ts';
import { ftsQuery } from '../../store/ticket-list.ts';
import { PLATFORMS, PRIORITIES } from '../../types/index.ts';
import { HttpError, parseOr400 } from '../errors.ts';

export interface TicketRoutesDeps {
  store: Store;
  /** Ticket changes: triage's front door (one transaction, webhooks woken). */
  triage: Pick<Triage, 'updateTicket'>;
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO date (`2025-03-14`, a UTC day) or time with a zone (`2025-03-14T09:00:00Z`), as
 * epoch ms. A date as the end of a range covers that whole day.
 */
const instant = (end: boolean) =>
  z.string().transform((value, ctx) => {
    const ms = Date.parse(value);
    const date = DATE.test(value);
    // Date.parse rolls 2025-02-30 over into March; a real date reads back the same.
    const real = date ? new Date(ms).toISOString().startsWith(value) : TIME.test(value);
    if (Number.isNaN(ms) || !real) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an ISO date (2025-03-14) or time with a zone (2025-03-14T09:00:00Z)',
      });
      return z.NEVER;
    }
    return date && end ? ms + DAY_MS : ms;
  });

const listQuery = z
  .strictObject({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: z.string().trim().min(1).max(60).optional(),
    productArea: z.string().trim().min(1).max(120).optional(),
    clusterId: z.coerce.number().int().positive().optional(),
    platform: z.enum(PLATFORMS).optional(),
    q: z
      .string()
      .trim()
      .max(200, 'may be at most 200 characters')
      .refine((q) => ftsQuery(q) !== undefined, 'needs a word or a number to search for')
      .optional(),
    from: instant(false).optional(),
    to: instant(true).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, {
    message: 'must be before to',
    path: ['from'],
  });
const ref = z.string().regex(/^T-\d{1,15}$/i, 'a ticket reference looks like T-1042');

/** Trimmed, inner whitespace tidied, duplicates (in any case) dropped, first spelling kept. */
const distinctTags = (tags: string[]) => {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tag.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};
const patchBody = z
  .strictObject(
    {
      status: z.enum(TICKET_STATUSES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      tags: z
        .array(
          z
            .string({ error: 'each tag must be a string' })
            .transform((tag) => tag.trim().replace(/\s+/g, ' '))
            .pipe(
              z
                .string()
                .min(1, 'a tag needs some characters')
                .max(40, 'a tag may be at most 40 characters'),
            ),
          { error: 'must be an array of tags' },
        )
        .max(100, 'may list at most 100 tags')
        .transform(distinctTags)
        .pipe(z.array(z.string()).max(20, 'may name at most 20 different tags'))
        .optional(),
      note: z
        .string({ error: 'must be a string' })
        .trim()
        .max(1000, 'may be at most 1000 characters')
        .optional(),
      actor: z.string().trim().min(1).max(80).default('admin'),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'the body must be a JSON object' : undefined,
    },
  )
  .refine(
    (b) =>
      b.status !== undefined || b.priority !== undefined || b.tags !== undefined || Boolean(b.note),
    'name at least one of status, priority, tags or note',
  );

const STATUS_OF_CODE = { not_found: 404, conflict: 409 } as const;

/**
 * Tickets, mounted under `/api` behind bearer auth:
 * - `GET /tickets?status=&priority=&category=&productArea=&clusterId=&platform=&q=&from=&to=&limit=&offset=`:
 *   newest first; `hasMore` says whether another page follows.
 * - `GET /tickets/:ref`: one ticket by reference (`T-1042`), with its conversation
 *   (redacted), cluster, audit log and webhook deliveries.
 * - `PATCH /tickets/:ref {status?, priority?, tags?, note?, actor?}`: a person's change,
 *   audited and fired as `ticket.updated`; `changed` is false when nothing differed.
 */
export function ticketRoutes({ store, triage }: TicketRoutesDeps): Router {
  const router = Router();
  const refOf = (value: unknown) => parseOr400(ref, value).toUpperCase();

  router.get('/tickets', (req, res) => {
    const { limit, offset, ...filter } = parseOr400(listQuery, req.query);
    const page = store.tickets.list({ ...filter, limit: limit + 1, offset });
    res.json({
      tickets: page.slice(0, limit).map(ticketView),
      limit,
      offset,
      hasMore: page.length > limit,
    });
  });

  router.get('/tickets/:ref', (req, res) => {
    const wanted = refOf(req.params.ref);
    const ticket = store.tickets.byRef(wanted);
    if (!ticket) throw new HttpError(404, 'not_found', `no ticket ${wanted}`);
    res.json(ticketDetail(store, ticket));
  });

  router.patch('/tickets/:ref', (req, res) => {
    const wanted = refOf(req.params.ref);
    // A malformed change is 400 whichever ticket it names, as on the other routes.
    const patch = parseOr400(patchBody, req.body);
    if (!store.tickets.byRef(wanted)) throw new HttpError(404, 'not_found', `no ticket ${wanted}`);
    try {
      const { ticket, changed } = triage.updateTicket(wanted, patch);
      res.json({ ticket: ticketView(ticket), changed });
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      throw new HttpError(STATUS_OF_CODE[error.code], error.code, error.message);
    }
  });

  return router;
}
