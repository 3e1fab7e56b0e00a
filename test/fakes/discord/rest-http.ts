import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A REST answer: status, JSON body (none for 204) and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Discord's error body: `{ message, code, errors? }`. */
export const error = (status: number, code: number, message: string, errors?: unknown): Reply => ({
  status,
  body: { message, code, ...(errors !== undefined && { errors }) },
});

/** 400 Invalid Form Body (50035) with the per-field error Discord nests under `errors`. */
export const formError = (field: string, code: string, message: string): Reply =>
  error(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });

/** A stable bucket hash per route, like Discord's `x-ratelimit-bucket`. */
export function bucketOf(route: string): string {
  return createHash('sha1').update(route).digest('hex').slice(0, 32);
}

export function rateLimitHeaders(bucket: string): Record<string, string> {
  // A bucket that never runs dry: real headers, so @discordjs/rest takes its normal path.
  return {
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': String(Date.now() / 1000 + 5),
    'x-ratelimit-reset-after': '5',
    'x-ratelimit-bucket': bucket,
  };
}

/** JSON, or multipart with `payload_json` + `files[n]` as @discordjs/rest sends uploads. */
export async function readBody(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown>; files: string[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: string[] = [];
    let body: Record<string, unknown> = {};
    for (const [key, value] of form) {
      if (typeof value !== 'string') files.push(value.name);
      else if (key === 'payload_json') body = JSON.parse(value) as Record<string, unknown>;
      else body[key] = value;
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
}
