import { type Server, STATUS_CODES } from 'node:http';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.ts';
import { refuseWhileDraining } from './drain.ts';
import { errorHandler, HttpError, logRejections } from './errors.ts';

export interface AppDeps {
  logger: Logger;
  /** Health reports 503 until this returns true (knowledge loaded, embedder ready). */
  isReady: () => boolean;
  /** Each channel's state as /health shows it: `on`, `starting`, `off (why)`, `failed (why)`. */
  channels: () => Readonly<Record<string, string>>;
  /** Routers mounted at the root: web chat and desk, platform webhooks. */
  routes: Router[];
  /**
   * Routers that read the raw body, mounted before the JSON parser: Bolt checks Slack's
   * signature over the bytes as sent.
   */
  rawRoutes?: Router[];
  /** True once shutdown began: every request but `/metrics` is refused, retryable. */
  draining?: () => boolean;
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
  app.use(refuseWhileDraining(deps.draining ?? (() => false)));
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
  for (const router of deps.rawRoutes ?? []) app.use(router);
  app.use(requireJson, express.json({ limit: MAX_BODY_BYTES, type: JSON_TYPES }));
  for (const router of deps.routes) app.use(router);
  app.use('/api', deps.api);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * Serves `app` on `host:port`. A request HTTP itself cannot parse (it never reaches a route)
 * gets a JSON reason too, like every other refusal.
 */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const [status, reason] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'the request headers are too large']
          : [400, 'the request is not valid HTTP'];
      const body = JSON.stringify({ error: 'invalid_request', message: reason });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  });
}
