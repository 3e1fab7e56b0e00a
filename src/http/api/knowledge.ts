import { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeBase } from '../../engine/knowledge/knowledge-base.ts';
import { HttpError, parseOr400 } from '../errors.ts';

const noQuery = z.strictObject({});
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface KnowledgeRoutesDeps {
  knowledge: KnowledgeBase;
  /** False while startup still indexes the docs: a reindex then is refused, retryable. */
  isReady: () => boolean;
}

/**
 * The product docs, mounted under `/api` behind bearer auth:
 * - `GET /knowledge`: the doc sections (document order) with the tickets filed under each
 *   and the bot answers that cited it, and the indexed files with their hash and time.
 * - `POST /knowledge/reindex`: re-reads KNOWLEDGE_DIR, indexing only the files that changed
 *   and removing those that are gone; calls run one at a time.
 */
export function knowledgeRoutes({ knowledge, isReady }: KnowledgeRoutesDeps): Router {
  const router = Router();
  router.get('/knowledge', (req, res) => {
    parseOr400(noQuery, req.query);
    const { sections, files } = knowledge.catalog();
    res.json({
      sections: sections.map((s) => ({ ...s, lastAnsweredAt: iso(s.lastAnsweredAt) })),
      files: files.map((f) => ({ ...f, ingestedAt: iso(f.ingestedAt) })),
    });
  });
  router.post('/knowledge/reindex', async (req, res) => {
    parseOr400(noQuery, req.query);
    parseOr400(noQuery, req.body ?? {});
    if (!isReady()) {
      res.set('retry-after', '5');
      throw new HttpError(
        503,
        'starting',
        'the docs are still being indexed at startup; try again shortly',
      );
    }
    res.json(await knowledge.reindex());
  });
  return router;
}
