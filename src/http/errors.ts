import type { ErrorRequestHandler, RequestHandler } from 'express';
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

/**
 * The one error boundary of the HTTP app: known errors become their status and reason,
 * malformed JSON a 400, anything else a logged 500 with no stack trace in the body.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: error.code, message: error.message });
      return;
    }
    const e = error as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid_json', message: 'the body is not valid JSON' });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', message: 'the body is too large' });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'bad_request', message: e.message ?? 'bad request' });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res
      .status(500)
      .json({ error: 'internal', message: 'something went wrong; it has been logged' });
  };
}
