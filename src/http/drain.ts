import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

/** How long a client is told to wait before trying again while the server shuts down. */
const RETRY_AFTER_SECONDS = 5;

/**
 * While the process shuts down, every request but `/metrics` is refused with 503 and a
 * `Retry-After`: platforms re-deliver their webhooks, the web chat resends, and a load
 * balancer sees `/health` fail and sends the next request to another instance.
 */
export function refuseWhileDraining(draining: () => boolean): RequestHandler {
  return (req, res, next) => {
    if (!draining() || req.path === '/metrics') {
      next();
      return;
    }
    res.set('retry-after', String(RETRY_AFTER_SECONDS)).set('connection', 'close');
    next(
      new HttpError(
        503,
        'shutting_down',
        `Switchboard is restarting; try again in ${RETRY_AFTER_SECONDS} seconds`,
      ),
    );
  };
}
