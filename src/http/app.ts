import express, { type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import { errorHandler } from './errors.ts';

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

/**
 * The express app: health, metrics, the web chat and desk, platform webhooks and the
 * admin API. Every error ends in {@link errorHandler}: a 4xx with a reason, or a 500
 * without a stack trace.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
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
  app.use(express.json({ limit: MAX_BODY_BYTES }));
  for (const router of deps.routes) app.use(router);
  app.use('/api', deps.api);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
