/**
 * The Socket Mode half of the fake: a `ws` server behind the URL `apps.connections.open` hands
 * out. It greets with `hello`, pushes envelopes, and resolves when the app acks them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
  buildEnvelope,
  disconnectFrame,
  type EnvelopeOptions,
  type EnvelopeType,
  helloFrame,
  type SocketAck,
  type SocketEnvelope,
} from './socket-frames.ts';

interface Pending {
  type: EnvelopeType;
  sentAt: number;
  timer: NodeJS.Timeout;
  resolve: (ack: SocketAck) => void;
}

const LINK_PATH = '/link/';

/** A loopback Socket Mode endpoint. Wire `handleUpgrade` to the HTTP server's `upgrade` event. */
export class FakeSocketMode {
  /** Every envelope pushed, in order. */
  readonly sent: SocketEnvelope[] = [];
  /** Every ack received, in order. */
  readonly acks: SocketAck[] = [];
  /** How many `hello`s were sent (one per successful connection, reconnects included). */
  helloCount = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly helloWaiters = new Set<() => void>();

  constructor(
    private readonly origin: () => string,
    private readonly appId: string,
  ) {}

  /** A one-use `ws://` URL, as `apps.connections.open` returns (Slack: `wss://.../link/?ticket=`). */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.origin().replace('http', 'ws')}${LINK_PATH}?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Open connections, i.e. what Slack would report as `num_connections`. */
  get connections(): number {
    return [...this.wss.clients].filter((c) => c.readyState === WebSocket.OPEN).length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== LINK_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    ws.on('message', (data) => this.onFrame(data.toString()));
    ws.send(helloFrame(this.appId, this.connections));
    this.helloCount += 1;
    for (const waiter of [...this.helloWaiters]) waiter();
  }

  private onFrame(text: string): void {
    let frame: { envelope_id?: unknown; payload?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    const id = typeof frame.envelope_id === 'string' ? frame.envelope_id : '';
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const ackedAt = Date.now();
    const ack: SocketAck = {
      envelopeId: id,
      type: pending.type,
      payload: frame.payload,
      sentAt: pending.sentAt,
      ackedAt,
      ackMs: ackedAt - pending.sentAt,
    };
    this.acks.push(ack);
    pending.resolve(ack);
  }

  /** Resolves once `count` hellos have been sent in total (reconnects count too). */
  waitForHello(count = 1, timeoutMs = 5000): Promise<void> {
    if (this.helloCount >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.helloCount < count) return;
        this.helloWaiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.helloWaiters.delete(check);
        reject(new Error(`fake Slack: fewer than ${count} Socket Mode hellos in ${timeoutMs} ms`));
      }, timeoutMs);
      this.helloWaiters.add(check);
    });
  }

  /** Pushes an `events_api` envelope; `payload` is the full `event_callback` body. */
  sendEvent(payload: unknown, options: EnvelopeOptions = {}): Promise<SocketAck> {
    return this.send('events_api', payload, options);
  }

  /** Pushes an `interactive` envelope (block_actions, view_submission, ...). */
  sendInteractive(payload: unknown, options: EnvelopeOptions = {}): Promise<SocketAck> {
    return this.send('interactive', payload, options);
  }

  /** Pushes an envelope to the newest open connection and resolves with the app's ack. */
  send(type: EnvelopeType, payload: unknown, options: EnvelopeOptions = {}): Promise<SocketAck> {
    const ws = [...this.wss.clients].reverse().find((c) => c.readyState === WebSocket.OPEN);
    if (!ws) return Promise.reject(new Error('fake Slack: no open Socket Mode connection'));
    const envelope = buildEnvelope(type, payload, options);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(
          new Error(`fake Slack: envelope ${envelope.envelope_id} not acked in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(envelope.envelope_id, { type, sentAt: Date.now(), timer, resolve });
      this.sent.push(envelope);
      ws.send(JSON.stringify(envelope));
    });
  }

  /**
   * Sends Slack's `disconnect` message to every connection; the SDK closes the socket and
   * reconnects through `apps.connections.open`. Reasons: `refresh_requested`, `warning`,
   * `link_disabled`.
   */
  requestDisconnect(reason = 'refresh_requested'): void {
    const frame = disconnectFrame(reason);
    for (const ws of this.wss.clients) ws.send(frame);
  }

  /** Cuts every connection without a close frame, like a network failure. */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /**
   * Waits up to `graceMs` for clients to finish their close handshake (Bolt's `app.stop()`
   * starts one but does not wait for it), then cuts whatever is left.
   */
  async close(graceMs = 1000): Promise<void> {
    const open = [...this.wss.clients].filter((c) => c.readyState !== WebSocket.CLOSED);
    const closed = open.map((ws) => new Promise((resolve) => ws.once('close', resolve)));
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => setTimeout(resolve, graceMs)),
    ]);
    this.dropAll();
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
    this.wss.close();
  }
}
