import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { Recorder } from '../recorder.ts';
import { applyContentIntent, GUILDS, PRIVILEGED_INTENTS, receives } from './intents.ts';
import { type GatewayFrame, GatewayTransport } from './transport.ts';
import type { DiscordWorld, StoredMessage } from './world.ts';

/** A payload the client sent, with the path it connected to (`/` or `/resume`). */
export interface ReceivedGatewayFrame {
  op: number;
  d: unknown;
  path: string;
}

interface Session {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  log: GatewayFrame[];
  connection: Connection | undefined;
  ended: boolean;
}

interface Connection {
  socket: WebSocket;
  transport: GatewayTransport;
  session: Session | undefined;
}

export interface FakeGatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Privileged intents enabled "in the developer portal"; others close with 4014. */
  privilegedIntents: number;
  resumeUrl: () => string;
}

/**
 * The Discord gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay,
 * RECONNECT, intent filtering and the MESSAGE_CONTENT rule. Sessions outlive their sockets so a
 * resumed client gets exactly the events it missed.
 */
export class FakeGateway {
  readonly received = new Recorder<ReceivedGatewayFrame>('discord gateway');
  readonly sessions = new Map<string, Session>();
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #world: DiscordWorld;
  readonly #options: FakeGatewayOptions;

  constructor(world: DiscordWorld, options: FakeGatewayOptions) {
    this.#world = world;
    this.#options = options;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request));
  }

  /** Sends a dispatch to every live session (buffered for disconnected ones). Returns how many got it. */
  dispatch(event: string, data: unknown): number {
    let delivered = 0;
    for (const session of this.sessions.values()) {
      if (session.ended || !receives(event, data, session.intents)) continue;
      this.#dispatchTo(session, event, this.#shape(event, data, session));
      delivered++;
    }
    return delivered;
  }

  /** Closes every socket with `code` (default 4000, which clients resume from). */
  async disconnect(code = 4000): Promise<void> {
    await Promise.all(
      [...this.#connections].map((c) => c.transport.close(code, 'fake disconnect')),
    );
  }

  /** Sends op 7 RECONNECT: the client should close and RESUME on `resume_gateway_url`. */
  async requestReconnect(): Promise<void> {
    await Promise.all(
      [...this.#connections].map((c) => c.transport.send({ op: 7, d: null, s: null, t: null })),
    );
  }

  /** Sends op 9 INVALID_SESSION; with `resumable: false` the session is gone for good. */
  async invalidateSession(resumable = false): Promise<void> {
    for (const connection of this.#connections) {
      if (!resumable && connection.session) connection.session.ended = true;
      await connection.transport.send({ op: 9, d: resumable, s: null, t: null });
    }
  }

  get identifyCount(): number {
    return this.received.items.filter((frame) => frame.op === 2).length;
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
    const connection: Connection = {
      socket,
      transport: new GatewayTransport(socket, url.searchParams.get('compress')),
      session: undefined,
    };
    this.#connections.add(connection);
    socket.on('close', (code) => {
      this.#connections.delete(connection);
      const session = connection.session;
      if (session?.connection === connection) session.connection = undefined;
      // A client closing with 1000/1001 ends its session; any other code keeps it resumable.
      if (session && (code === 1000 || code === 1001)) session.ended = true;
    });
    const version = url.searchParams.get('v');
    if (version !== null && version !== '9' && version !== '10') {
      void connection.transport.close(4012, 'Invalid API version');
      return;
    }
    if ((url.searchParams.get('encoding') ?? 'json') !== 'json') {
      void connection.transport.close(4002, 'the fake gateway only speaks encoding=json');
      return;
    }
    socket.on('message', (raw) => this.#onFrame(connection, String(raw), url.pathname));
    const hello = { heartbeat_interval: this.#options.heartbeatIntervalMs };
    void connection.transport.send({ op: 10, d: hello, s: null, t: null });
  }

  #onFrame(connection: Connection, raw: string, path: string): void {
    let frame: { op?: unknown; d?: unknown };
    try {
      frame = JSON.parse(raw) as { op?: unknown; d?: unknown };
    } catch {
      void connection.transport.close(4002, 'Error while decoding payload.');
      return;
    }
    const op = typeof frame.op === 'number' ? frame.op : -1;
    this.received.push({ op, d: frame.d, path });
    const d = (frame.d ?? {}) as Record<string, unknown>;
    if (op === 1) {
      void connection.transport.send({ op: 11, d: null, s: null, t: null });
    } else if (op === 2) {
      this.#identify(connection, d);
    } else if (op === 6) {
      this.#resume(connection, d);
    } else if (op === 3 || op === 4 || op === 8) {
      if (!connection.session) void connection.transport.close(4003, 'Not authenticated.');
    } else {
      void connection.transport.close(4001, 'Unknown opcode.');
    }
  }

  #identify(connection: Connection, d: Record<string, unknown>): void {
    const { transport } = connection;
    if (connection.session) return void transport.close(4005, 'Already authenticated.');
    if (d.token !== this.#options.token)
      return void transport.close(4004, 'Authentication failed.');
    if (typeof d.intents !== 'number') return void transport.close(4013, 'Invalid intent(s).');
    if ((d.intents & PRIVILEGED_INTENTS & ~this.#options.privilegedIntents) !== 0) {
      return void transport.close(4014, 'Disallowed intent(s).');
    }
    if (d.compress === true) transport.enablePayloadCompression();
    const shard = Array.isArray(d.shard) ? (d.shard as [number, number]) : [0, 1];
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents: d.intents,
      shard: [shard[0] ?? 0, shard[1] ?? 1],
      seq: 0,
      log: [],
      connection,
      ended: false,
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    this.#dispatchTo(session, 'READY', {
      v: 10,
      user: this.#world.bot,
      guilds: [{ id: this.#world.guild.id, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: this.#options.resumeUrl(),
      shard: session.shard,
      application: this.#world.application,
    });
    if ((session.intents & GUILDS) !== 0) {
      this.#dispatchTo(session, 'GUILD_CREATE', this.#world.guildCreatePayload());
    }
  }

  #resume(connection: Connection, d: Record<string, unknown>): void {
    const { transport } = connection;
    if (d.token !== this.#options.token)
      return void transport.close(4004, 'Authentication failed.');
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session || session.ended) {
      void transport.send({ op: 9, d: false, s: null, t: null });
      return;
    }
    // A RESUME on a new socket takes the session over from the old one.
    if (session.connection && session.connection !== connection)
      session.connection.socket.terminate();
    session.connection = connection;
    connection.session = session;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    for (const frame of session.log) if ((frame.s ?? 0) > seq) void transport.send(frame);
    void transport.send({ op: 0, t: 'RESUMED', s: session.seq, d: {} });
  }

  #dispatchTo(session: Session, event: string, data: unknown): void {
    session.seq++;
    const frame: GatewayFrame = { op: 0, t: event, s: session.seq, d: data };
    session.log.push(frame);
    void session.connection?.transport.send(frame);
  }

  #shape(event: string, data: unknown, session: Session): unknown {
    if (event !== 'MESSAGE_CREATE' && event !== 'MESSAGE_UPDATE') return data;
    return applyContentIntent(data as StoredMessage, session.intents, this.#world.bot.id);
  }
}
