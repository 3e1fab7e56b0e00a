/**
 * A loopback fake of Slack for tests of a Bolt app: the Web API (point `slackApiUrl` at
 * `fake.apiUrl`) and Socket Mode (the URL `apps.connections.open` returns is served here too).
 *
 * @example
 * const slack = await startFakeSlack();
 * const app = new App({ token: slack.botToken, appToken: slack.appToken, socketMode: true,
 *   clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } } });
 * await app.start();
 * await slack.socket.sendEvent(buildDirectMessage({ text: 'hi' }));
 * const post = await slack.waitFor((p) => p.channel === slack.ids.customerDm);
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSocketMode } from './socket-mode.ts';
import {
  FAKE_IDS,
  type FailureOptions,
  type FakeChannel,
  type FakeUser,
  type RecordedCall,
  type RecordedMessage,
  type RecordedResponse,
  type RecordedView,
  SlackState,
} from './state.ts';
import { createWebApiListener } from './web-api.ts';

export * from './builders.ts';
export * from './signer.ts';
export type {
  EnvelopeOptions,
  EnvelopeType,
  SocketAck,
  SocketEnvelope,
} from './socket-frames.ts';
export type { FakeSocketMode } from './socket-mode.ts';
export { FAKE_IDS } from './state.ts';
export type {
  FailureOptions,
  FakeChannel,
  FakeUser,
  RecordedCall,
  RecordedMessage,
  RecordedResponse,
  RecordedView,
};

/** Tokens the fake accepts; the defaults are fine for most tests. */
export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
}

/** A running fake. Always `await fake.close()` (after stopping the app). */
export class FakeSlack {
  readonly ids = FAKE_IDS;
  readonly state = new SlackState();
  readonly socket: FakeSocketMode;
  private readonly server: Server;

  constructor(
    readonly botToken: string,
    readonly appToken: string,
  ) {
    this.socket = new FakeSocketMode(() => this.origin, FAKE_IDS.appId);
    const tokens = { botToken, appToken };
    const ctx = { state: this.state, openSocketUrl: () => this.socket.issueUrl() };
    this.server = createServer(createWebApiListener(this.state, tokens, ctx));
    this.server.on('upgrade', (req, socket, head) => this.socket.handleUpgrade(req, socket, head));
  }

  /** Listens on an ephemeral loopback port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return this;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The Web API base URL, for `clientOptions.slackApiUrl` (ends with `/api/`). */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** Successful `chat.postMessage` calls, in order. */
  get posts(): readonly RecordedMessage[] {
    return this.state.posts;
  }

  /** Successful `chat.update` calls, in order. */
  get updates(): readonly RecordedMessage[] {
    return this.state.updates;
  }

  /** Successful `chat.postEphemeral` calls, in order. */
  get ephemerals(): readonly RecordedMessage[] {
    return this.state.ephemerals;
  }

  /** Successful `views.open` calls (modals), in order. */
  get views(): readonly RecordedView[] {
    return this.state.views;
  }

  /** Resolves with the first modal opened (past or future) matching `predicate`. */
  waitForView(
    predicate: (view: RecordedView) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedView> {
    const find = () => this.state.views.find(predicate);
    return this.state.waitUntil(find, timeoutMs, 'a matching views.open');
  }

  /** POSTs to `responseUrl()`s (Bolt's `respond()`), in order. */
  get responses(): readonly RecordedResponse[] {
    return this.state.responses;
  }

  /** Every request to `method` (or to any method), including failed ones. */
  calls(method?: string): RecordedCall[] {
    return this.state.callLog.filter((c) => method === undefined || c.method === method);
  }

  /** Resolves with the first post (past or future) matching `predicate`. */
  waitFor(
    predicate: (post: RecordedMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedMessage> {
    const find = () => this.state.posts.find(predicate);
    return this.state.waitUntil(find, timeoutMs, 'a matching chat.postMessage');
  }

  /** Resolves with the first update (past or future) matching `predicate`. */
  waitForUpdate(
    predicate: (u: RecordedMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedMessage> {
    const find = () => this.state.updates.find(predicate);
    return this.state.waitUntil(find, timeoutMs, 'a matching chat.update');
  }

  /** Resolves with the first call to `method` (past or future) matching `predicate`. */
  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    const find = () => this.state.callLog.find((c) => c.method === method && predicate(c));
    return this.state.waitUntil(find, timeoutMs, `a call to ${method}`);
  }

  /**
   * Makes the next call(s) to `method` fail: any Slack error code (`channel_not_found`,
   * `not_in_channel`, ...) as `{ ok: false }`, `'ratelimited'` as HTTP 429 with `Retry-After`,
   * or `'drop'` to destroy the connection without a response.
   */
  failNext(method: string, error: string, options?: FailureOptions): void {
    this.state.failNext(method, error, options);
  }

  clearFailures(): void {
    this.state.clearFailures();
  }

  addUser(user: FakeUser): void {
    this.state.addUser(user);
  }

  addChannel(channel: Partial<FakeChannel> & { id: string }): FakeChannel {
    return this.state.addChannel(channel);
  }

  /** Sets who `conversations.members` lists; drop the bot to get `not_in_channel` on posts. */
  setMembers(channelId: string, members: string[]): void {
    const channel = this.state.channels.get(channelId) ?? this.state.addChannel({ id: channelId });
    channel.members = [...members];
  }

  /** Stores a bot message that was "posted earlier", so `chat.update` can find it. */
  seedMessage(channel: string, text: string, ts = this.state.nextTs()): string {
    const message = { channel, ts, text, thread_ts: undefined, blocks: undefined };
    this.state.messages.set(`${channel}:${ts}`, { ...message, user: undefined, args: {}, at: 0 });
    return ts;
  }

  /** A fresh `response_url` served by the fake; what the app posts there lands in `responses`. */
  responseUrl(): string {
    return `${this.origin}/actions/${FAKE_IDS.teamId}/${randomUUID()}`;
  }

  /** Clears logs, stored messages and failure rules. */
  reset(): void {
    this.state.reset();
  }

  /**
   * Lets Socket Mode clients finish closing (stop the app first), cuts what is left and the
   * keep-alive sockets, then stops listening.
   */
  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a fake Slack on 127.0.0.1 with an ephemeral port. */
export function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? 'xoxb-fake-switchboard-bot-token';
  const appToken = options.appToken ?? 'xapp-1-A07SWAPP01-fake-app-token';
  return new FakeSlack(botToken, appToken).listen();
}
