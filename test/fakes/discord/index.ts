import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIUser } from 'discord.js';
import type { DiscordFailure } from './failures.ts';
import { FakeGateway } from './gateway.ts';
import { PRIVILEGED_INTENTS } from './intents.ts';
import type { PressInput } from './interactions.ts';
import { buildInboundMessage, type InboundMessageInput, toGatewayMessage } from './messages.ts';
import { FakeRest, type SentDiscordMessage } from './rest.ts';
import { DiscordWorld, readDiscordFixture, type StoredMessage } from './world.ts';

export type { DiscordFailure } from './failures.ts';
export type { InteractionCallback, PendingInteraction, PressInput } from './interactions.ts';
export type { InboundMessageInput } from './messages.ts';
export type {
  EditedDiscordMessage,
  RestCall,
  SentDiscordMessage,
  StartedThread,
} from './rest.ts';
export { readDiscordFixture } from './world.ts';

export interface DiscordFakeOptions {
  /** The bot token the fake accepts (REST `Authorization: Bot <token>` and IDENTIFY). */
  token?: string;
  /** HELLO's heartbeat_interval; Discord sends 41250. */
  heartbeatIntervalMs?: number;
  /** Privileged intents switched on "in the developer portal" (default: all three). */
  privilegedIntents?: number;
}

/**
 * A loopback Discord: REST and gateway on one port. Point discord.js at it with
 * `new Client({ intents, rest: fake.restOptions })`; the gateway URL comes from the fake's
 * `GET /gateway/bot`, so nothing ever leaves 127.0.0.1.
 */
export interface DiscordFake {
  readonly token: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Spread into discord.js `ClientOptions.rest` (or `new REST(...)`): api, cdn and media proxy. */
  readonly restOptions: { api: string; cdn: string; mediaProxy: string };
  /** The fixture world: `bot`, `guild`, `customer`, `supportChannelId`, channels, messages. */
  readonly world: DiscordWorld;
  readonly rest: FakeRest;
  readonly gateway: FakeGateway;
  /** Messages the bot posted. */
  readonly sent: SentDiscordMessage[];
  waitFor(
    predicate?: (sent: SentDiscordMessage) => boolean,
    timeoutMs?: number,
  ): Promise<SentDiscordMessage>;
  /** Answers the next `times` requests to `route` (e.g. `'POST /channels/:id/messages'`) with `failure`. */
  failRoute(route: string, failure: DiscordFailure, times?: number): void;
  /** Sends a dispatch to every session that may receive it; returns how many did. */
  dispatch(event: string, data: unknown): number;
  /** Re-dispatches a fixture file's `{ t, d }` (fresh sequence number). */
  dispatchFixture(name: string): number;
  /** A customer message as MESSAGE_CREATE; ids, member and mentions are filled in like Discord. */
  sendMessageCreate(input: InboundMessageInput): StoredMessage;
  /**
   * A customer presses a button under one of the bot's messages: INTERACTION_CREATE as Discord
   * sends it, answerable for 3 s at `POST /interactions/:id/:token/callback`. Returns the
   * payload (dispatch it again for a redelivery). Throws when the message has no such button.
   */
  pressButton(input: PressInput): Record<string, unknown>;
  /** Closes gateway sockets with `code` (4000 default: the client resumes). */
  disconnect(code?: number): Promise<void>;
  /** Sends op 7 RECONNECT. */
  requestReconnect(): Promise<void>;
  close(): Promise<void>;
}

export async function createDiscordFake(options: DiscordFakeOptions = {}): Promise<DiscordFake> {
  const token = options.token ?? 'fake-discord-token.Gx1234.abcdefghijklmnopqrstuvwxyz012345678';
  const world = new DiscordWorld();
  let url = '';
  const gateway = new FakeGateway(world, {
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    privilegedIntents: options.privilegedIntents ?? PRIVILEGED_INTENTS,
    resumeUrl: () => `${url.replace('http', 'ws')}/resume`,
  });
  const rest = new FakeRest(world, {
    token,
    gatewayUrl: () => url.replace('http', 'ws'),
    identifies: () => gateway.identifyCount,
    onMessageCreated: (message) =>
      gateway.dispatch('MESSAGE_CREATE', toGatewayMessage(world, message)),
    onMessageUpdated: (message) =>
      gateway.dispatch('MESSAGE_UPDATE', toGatewayMessage(world, message)),
    onThreadCreated: (thread) =>
      gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true }),
  });
  const server = createServer((req, res) => {
    rest.handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(error), code: 0 }));
    });
  });
  server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    token,
    url,
    restOptions: { api: `${url}/api`, cdn: `${url}/cdn`, mediaProxy: `${url}/media` },
    world,
    rest,
    gateway,
    sent: rest.sent.items,
    waitFor: (predicate, timeoutMs) => rest.sent.waitFor(predicate, timeoutMs),
    failRoute: (route, failure, times = 1) => rest.failures.add(route, failure, times),
    dispatch: (event, data) => gateway.dispatch(event, data),
    dispatchFixture(name) {
      const { t, d } = readDiscordFixture<{ t: string; d: StoredMessage }>(name);
      if (t === 'MESSAGE_CREATE') {
        world.addUser(d.author as APIUser);
        const dm = d.guild_id === undefined;
        if (dm) world.dmChannelFor(world.users.get(d.author.id) ?? d.author, d.channel_id);
        world.storeMessage(d);
      }
      return gateway.dispatch(t, d);
    },
    sendMessageCreate(input) {
      const message = buildInboundMessage(world, input);
      gateway.dispatch('MESSAGE_CREATE', message);
      return message;
    },
    pressButton(input) {
      const payload = rest.interactions.press(input);
      gateway.dispatch('INTERACTION_CREATE', payload);
      return payload;
    },
    disconnect: (code) => gateway.disconnect(code),
    requestReconnect: () => gateway.requestReconnect(),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
