/**
 * Sends requests exactly as written, including what `fetch` refuses to send: repeated
 * headers, invalid bytes, bodies of any size (node:http), and raw bytes on a socket for
 * requests that break HTTP itself. Bounded concurrency, bounded reads, no retries that
 * could send a request twice.
 */
import { Agent, type OutgoingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

/** One request as it goes on the wire. */
export interface ProbeRequest {
  method: string;
  /** Already encoded, sent as is. */
  path: string;
  /** In order; a name given twice is sent twice. */
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  /** Leave out `Content-Length`, so node sends the body chunked. */
  chunked?: boolean;
  /** Bytes written to a socket as they are, instead of a request built by node:http. */
  raw?: Buffer;
}

/** What came back. `status` is 0 when the connection closed without an answer. */
export interface ProbeResponse {
  status: number;
  contentType: string;
  /** At most {@link MAX_READ} bytes, as text. */
  body: string;
  /** Set when no answer came: the socket error, or `timeout`. */
  error?: string;
}

const MAX_READ = 256 * 1024;
const LARGE_BODY = 64 * 1024;
const TIMEOUT_MS = 15_000;

/** Sends one request through node:http on `agent`, or as raw bytes. */
export function probe(base: URL, req: ProbeRequest, agent: Agent): Promise<ProbeResponse> {
  return req.raw ? probeRaw(base, req.raw) : probeHttp(base, req, agent);
}

async function probeHttp(base: URL, req: ProbeRequest, agent: Agent): Promise<ProbeResponse> {
  const first = await probeHttpOnce(base, req, agent);
  // A kept-alive socket the server closed just as it was reused: the request never arrived.
  return first.error === 'reused socket reset' ? probeHttpOnce(base, req, agent) : first;
}

function probeHttpOnce(base: URL, req: ProbeRequest, agent: Agent): Promise<ProbeResponse> {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of req.headers) {
    const key = name.toLowerCase();
    const seen = headers[key];
    headers[key] =
      seen === undefined ? value : [...(Array.isArray(seen) ? seen : [String(seen)]), value];
  }
  if (req.body && !req.chunked && headers['content-length'] === undefined) {
    headers['content-length'] = String(req.body.length);
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ProbeResponse) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const outgoing = request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers,
        // A server may answer a large body before reading it and then close the socket:
        // such a body gets a connection of its own, so no other request shares its end.
        agent: (req.body?.length ?? 0) > LARGE_BODY ? false : agent,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          // A stream never ends: its status and type are the answer.
          res.destroy();
          done({ status, contentType, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          if (read < MAX_READ) chunks.push(chunk);
          read += chunk.length;
        });
        res.on('end', () =>
          done({ status, contentType, body: Buffer.concat(chunks).toString('utf8', 0, MAX_READ) }),
        );
        res.on('error', (error) => done({ status, contentType, body: '', error: error.message }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const reused = outgoing.reusedSocket && error.code === 'ECONNRESET';
      done({
        status: 0,
        contentType: '',
        body: '',
        error: reused ? 'reused socket reset' : error.message,
      });
    });
    outgoing.end(req.body);
  });
}

/** Writes bytes to a fresh connection and reads until the server closes it. */
function probeRaw(base: URL, bytes: Buffer): Promise<ProbeResponse> {
  return new Promise((resolve) => {
    const socket = connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.setTimeout(TIMEOUT_MS, () => {
      error = 'timeout';
      socket.destroy();
    });
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e) => {
      error = e.message;
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type: *([^\r\n]*)/i.exec(head)?.[1] ?? '';
      resolve({ status, contentType, body, ...(status ? {} : { error: error ?? 'closed' }) });
    });
  });
}

/** Runs `work` over `items` with at most `limit` at a time; results in the items' order. */
export async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A keep-alive agent with `sockets` connections at most. */
export const probeAgent = (sockets: number) =>
  new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
