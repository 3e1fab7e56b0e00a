import type { Response } from 'express';

/** How often an idle stream sends a comment, so proxies keep it open. */
const PING_MS = 15_000;

/** Turns a response into a server-sent event stream that pings until the client leaves. */
export function openStream(res: Response): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
  res.on('close', () => clearInterval(ping));
}

/** Writes one named event with a JSON payload. */
export function sendEvent(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
