import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import { errorHandler, HttpError, logRejections } from './errors.ts';

export interface AppDeps {
  logger: Logger;
  /** Health reports 503 until this returns true (knowledge loaded, embedder ready). */
  isReady: () => boolean;
  /** Each channel's state as /health shows it: `on`, `starting`, `off (why)`, `failed (why)`. */
  channels: () => Readonly<Record<string, string>>;
  /** Routers mounted at the root: web chat and desk, platform webhooks. */
  routes: Router[];
  /** Routers mounted under /api behind the bearer token check. */
  api: Router;
  metrics?: Registry;
}

/** Largest JSON body accepted, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The media types every body-taking route of the app reads. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A request that carries a body must carry JSON: every route here reads JSON, so anything
 * else is answered 415 with the fix, before it is read, rather than a misleading 400 about
 * a missing field. An empty body (`Content-Length: 0`) is not checked.
 */
const requireJson: RequestHandler = (req, _res, next) => {
  const length = req.headers['content-length'];
  const carriesBody =
    req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (carriesBody && !req.is(JSON_TYPES)) {
    next(new HttpError(415, 'unsupported_media_type', 'send the body as JSON (application/json)'));
    return;
  }
  next();
};

/**
 * The express app: health, metrics, the web chat and desk, platform webhooks and the
 * admin API. Every error ends in {@link errorHandler}: a 4xx with a reason, or a 500
 * without a stack trace; each refused request is logged once ({@link logRejections}).
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(logRejections(deps.logger));
  app.get('/health', (_req, res) => {
    const ready = deps.isReady();
    const channels = deps.channels();
    // A channel that failed to connect leaves the others running: still 200, but "degraded".
    const failed = Object.values(channels).some((s) => s.startsWith('failed'));
    const status = !ready ? 'starting' : failed ? 'degraded' : 'ok';
    res.status(ready ? 200 : 503).json({ status, channels });
  });
  if (deps.metrics) {
    const registry = deps.metrics;
    app.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.use(requireJson, express.json({ limit: MAX_BODY_BYTES, type: JSON_TYPES }));
  for (const router of deps.routes) app.use(router);
  app.use('/api', deps.api);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
