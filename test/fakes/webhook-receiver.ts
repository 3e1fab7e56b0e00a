/**
 * A loopback webhook receiver: a plain node:http server that records every request (headers
 * and the raw body, as a receiver must verify it) and answers however the test says:
 * a status, a slow answer, no answer at all, or a dropped connection.
 */
import { EventEmitter } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string>;
  /** The raw body, byte for byte. */
  body: string;
  /** `performance.now()` when the body had fully arrived. */
  receivedAt: number;
}

/**
 * How to answer one request: a status (default 200) with an optional body after an
 * optional delay; `hang` never answers; `drop` destroys the connection.
 */
export type ReceiverReply = { status?: number; body?: string; delayMs?: number } | 'hang' | 'drop';

export interface WebhookReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`; any path is accepted. */
  readonly url: string;
  readonly requests: ReceivedWebhook[];
  /** Decides the answer to each request; `index` counts requests from 0. */
  reply(decide: (request: ReceivedWebhook, index: number) => ReceiverReply): void;
  /** Resolves with the requests once at least `count` arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  /** Requests grouped by `webhook-id`. */
  byWebhookId(): Map<string, ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 and a free port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const arrivals = new EventEmitter();
  let decide: (request: ReceivedWebhook, index: number) => ReceiverReply = () => ({});
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const received: ReceivedWebhook = {
        method: req.method ?? '',
        path: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: performance.now(),
      };
      const index = requests.length;
      requests.push(received);
      arrivals.emit('request');
      answer(res, decide(received, index));
    });
  });

  function answer(res: ServerResponse, reply: ReceiverReply): void {
    if (reply === 'hang') return;
    if (reply === 'drop') {
      res.socket?.destroy();
      return;
    }
    const send = () => {
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain' });
      res.end(reply.body ?? 'ok');
    };
    if (!reply.delayMs) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send();
    }, reply.delayMs);
    timers.add(timer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(fn) {
      decide = fn;
    },
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          cleanup();
          resolve([...requests]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} webhook requests, got ${requests.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          arrivals.off('request', check);
        };
        arrivals.on('request', check);
        check();
      });
    },
    byWebhookId() {
      const groups = new Map<string, ReceivedWebhook[]>();
      for (const r of requests) {
        const id = r.headers['webhook-id'] ?? '';
        groups.set(id, [...(groups.get(id) ?? []), r]);
      }
      return groups;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
