/** A failure the fake REST API answers with instead of doing the work. */
export type DiscordFailure =
  /** 429 with `retry-after` + `x-ratelimit-*` headers and `{ message, retry_after, global }`. */
  | { kind: 'rate-limit'; retryAfter?: number; global?: boolean; scope?: 'user' | 'shared' }
  /** 403 `{ code: 50013, message: 'Missing Permissions' }`. */
  | { kind: 'missing-permissions' }
  /** 5xx; @discordjs/rest retries these itself. */
  | { kind: 'server-error'; status?: number }
  /** Any other JSON error, e.g. `{ status: 403, code: 50007, message: 'Cannot send messages to this user' }`. */
  | { kind: 'error'; status: number; code: number; message: string };

export interface FailureResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Turns "METHOD /path/:param" into a key that ignores parameter names. */
export function routeKey(route: string): string {
  const [method = '', path = ''] = route.trim().split(/\s+/);
  return `${method.toUpperCase()} ${path.replace(/:[^/]+/g, ':id')}`;
}

/** Per-route queues of failures, consumed one request at a time. */
export class FailurePlan {
  readonly #queues = new Map<string, DiscordFailure[]>();

  add(route: string, failure: DiscordFailure, times: number): void {
    const key = routeKey(route);
    const queue = this.#queues.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.#queues.set(key, queue);
  }

  take(key: string): DiscordFailure | undefined {
    return this.#queues.get(key)?.shift();
  }

  clear(): void {
    this.#queues.clear();
  }
}

export function failureResponse(failure: DiscordFailure, bucket: string): FailureResponse {
  switch (failure.kind) {
    case 'rate-limit': {
      const retryAfter = failure.retryAfter ?? 1;
      const headers: Record<string, string> = {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': bucket,
        'x-ratelimit-scope': failure.global ? 'global' : (failure.scope ?? 'user'),
      };
      // @discordjs/rest treats the mere presence of this header as "global".
      if (failure.global) headers['x-ratelimit-global'] = 'true';
      const body = {
        message: 'You are being rate limited.',
        retry_after: retryAfter,
        global: failure.global ?? false,
      };
      return { status: 429, headers, body };
    }
    case 'missing-permissions':
      return { status: 403, headers: {}, body: { message: 'Missing Permissions', code: 50013 } };
    case 'server-error': {
      const status = failure.status ?? 500;
      return {
        status,
        headers: {},
        body: { message: `${status}: Internal Server Error`, code: 0 },
      };
    }
    case 'error':
      return {
        status: failure.status,
        headers: {},
        body: { message: failure.message, code: failure.code },
      };
  }
}
