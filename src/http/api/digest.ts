import { type Response, Router } from 'express';
import { z } from 'zod';
import { parseSince, renderDigestMarkdown } from '../../engine/triage/digest/build.ts';
import type { Triage } from '../../engine/triage/index.ts';
import type { Store } from '../../store/index.ts';
import type { Digest } from '../../types/index.ts';
import { HttpError, parseOr400 } from '../errors.ts';

/** What the digest routes need: the store and the configured defaults (`config.digest`). */
export interface DigestRoutesDeps {
  /** The stored digests. */
  store: Pick<Store, 'digests'>;
  /** Builds a digest on request. */
  triage: Pick<Triage, 'digest'>;
  topN: number;
  /** The time zone Markdown shows times in (`DIGEST_TZ`). */
  timezone: string;
  /** The digest as Slack messages (Block Kit), for `format=slack`. */
  slack?: (digest: Digest) => unknown[];
}

const format = z.enum(['json', 'md'], { error: 'must be json or md' }).default('json');
const storedFormat = z
  .enum(['json', 'md', 'slack'], { error: 'must be json, md or slack' })
  .default('json');
const digestQuery = z.strictObject({
  since: z.string().default('24h'),
  format,
  top: z.coerce.number().int().min(1).max(100).optional(),
});
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
const idParam = z.coerce
  .number({ error: 'the digest id must be a number' })
  .int('the digest id must be a whole number')
  .positive('the digest id must be positive');

/**
 * The digest, mounted under `/api` behind bearer auth:
 * - `GET /digest?since=24h&format=json|md&top=N`: built now over `since` until now, not stored.
 * - `GET /digests?limit=&offset=`: the stored (scheduled) digests, newest first.
 * - `GET /digests/:id?format=json|md|slack`: one stored digest; `slack` gives the messages
 *   (text and Block Kit blocks) the digest is posted as.
 */
export function digestRoutes({ store, triage, topN, timezone, slack }: DigestRoutesDeps): Router {
  const router = Router();
  const send = (res: Response, digest: Digest, as: 'json' | 'md') => {
    if (as === 'md')
      res.type('text/markdown; charset=utf-8').send(renderDigestMarkdown(digest, timezone));
    else res.json({ digest });
  };

  router.get('/digest', (req, res) => {
    const q = parseOr400(digestQuery, req.query);
    const now = Date.now();
    const since = parseSince(q.since, now);
    if (since === undefined) {
      throw new HttpError(
        400,
        'invalid_request',
        `since: "${q.since}" is not a window; use a duration such as 24h or 7d (at most 366d) or a past ISO time`,
      );
    }
    send(res, triage.digest({ since, until: now, topN: q.top ?? topN }, now), q.format);
  });

  router.get('/digests', (req, res) => {
    const { limit, offset } = parseOr400(listQuery, req.query);
    const page = store.digests.list(limit, offset);
    res.json({ digests: page.digests, total: page.total, limit, offset });
  });

  router.get('/digests/:id', (req, res) => {
    const id = parseOr400(idParam, req.params.id);
    const as = parseOr400(z.strictObject({ format: storedFormat }), req.query).format;
    const digest = store.digests.get(id);
    if (!digest) throw new HttpError(404, 'not_found', `no digest ${id}`);
    if (as !== 'slack') send(res, digest, as);
    else if (slack) res.json({ id: digest.id, messages: slack(digest) });
    else throw new HttpError(400, 'invalid_request', 'format: slack rendering is not available');
  });

  return router;
}
