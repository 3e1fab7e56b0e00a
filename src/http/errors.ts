import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../log.ts';

/** An HTTP error with a status and a reason the client can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Parses a request part with a schema, or throws a 400 that says what is wrong. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'invalid_request', `${where}${issue?.message ?? 'invalid request'}`);
}

/** Requires `Authorization: Bearer <token>`; 401 otherwise. */
export function bearerAuth(token: string): RequestHandler {
  const expected = `Bearer ${token}`;
  return (req, _res, next) => {
    if (req.headers.authorization !== expected) {
      next(new HttpError(401, 'unauthorized', 'missing or wrong bearer token (ADMIN_TOKEN)'));
      return;
    }
    next();
  };
}

/** The longest path or reason a rejection's log line keeps, in characters. */
const LOGGED_CHARS = 200;
const clip = (text: string) =>
  text.length > LOGGED_CHARS ? `${text.slice(0, LOGGED_CHARS)}…` : text;

/** The codes of the 4xx that body parsing and static files raise, by status. */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  415: 'unsupported_media_type',
};

/** Answers a refused request with its reason, and keeps the reason for the rejection log. */
function reject(res: Response, status: number, code: string, message: string): void {
  res.locals.rejection = message;
  res.status(status).json({ error: code, message });
}

/**
 * Logs each request the app refused, once, when its answer is sent: method, path, status
 * and the reason the client was given; never the query, the headers or the body. A 401 is
 * a warning (someone without the token); other refusals are info. A 404 is not logged, so a
 * scanner walking paths cannot flood the log; a 5xx is logged with its error by
 * {@link errorHandler}.
 */
export function logRejections(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const { method } = req;
    const path = clip(req.baseUrl + req.path);
    res.on('finish', () => {
      const status = res.statusCode;
      if (status < 400 || status >= 500 || status === 404) return;
      const given: unknown = res.locals.rejection;
      const reason = clip(typeof given === 'string' ? given : (STATUS_CODES[status] ?? 'refused'));
      logger[status === 401 ? 'warn' : 'info'](
        { method, path, status, reason },
        `rejected ${method} ${path}: ${status} ${reason}`,
      );
    });
    next();
  };
}

/**
 * The one error boundary of the HTTP app: known errors become their status and reason,
 * malformed JSON a 400, anything else a logged 500 with no stack trace in the body.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      // A stream already under way: nothing can be answered any more, only cut off.
      logger.error({ err: error, method: req.method, path: req.path }, 'response failed');
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      reject(res, error.status, error.code, error.message);
      return;
    }
    const e = error as { type?: string; status?: number; expose?: boolean; message?: string };
    if (e.type === 'entity.parse.failed') {
      reject(res, 400, 'invalid_json', 'the body is not valid JSON');
      return;
    }
    if (e.type === 'entity.too.large') {
      reject(res, 413, 'too_large', 'the body is too large');
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      // Only a message its library marked safe to show (http-errors' `expose`) reaches the client.
      const message =
        error instanceof URIError
          ? 'the path is not valid percent-encoding'
          : e.expose && e.message
            ? e.message
            : (STATUS_CODES[e.status] ?? 'bad request');
      reject(res, e.status, CODE_OF_STATUS[e.status] ?? 'bad_request', clip(message));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res
      .status(500)
      .json({ error: 'internal', message: 'something went wrong; it has been logged' });
  };
}
