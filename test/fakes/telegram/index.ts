import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, User, UserFromGetMe } from 'grammy/types';
import { Recorder } from '../recorder.ts';
import { readCallParams } from './body.ts';
import type { InlineKeyboard } from './keyboards.ts';
import { type SentTelegramMessage, TelegramMethods } from './methods.ts';
import { type ApiReply, fail } from './reply.ts';
import { type UpdateInput, UpdateQueue } from './updates.ts';
import { DEFAULT_BOT, readTelegramFixture, TelegramWorld } from './world.ts';

export type { CallbackAnswer, InlineKeyboard, KeyboardEdit } from './keyboards.ts';
export type { ChatActionRecord, SentTelegramMessage } from './methods.ts';
export type { ConfirmedUpdate, UpdateInput } from './updates.ts';
export type { WebhookState } from './webhook.ts';
export { DEFAULT_BOT, readTelegramFixture } from './world.ts';

/** A failure answered instead of running the method. */
export type TelegramFailure =
  /** 429 `Too Many Requests: retry after N` with `parameters.retry_after` (seconds). */
  | { kind: 'rate-limit'; retryAfter?: number }
  /** 500 `Internal Server Error`. */
  | { kind: 'server-error' }
  /** Anything else, e.g. `{ kind: 'error', code: 403, description: 'Forbidden: bot was blocked by the user' }`. */
  | { kind: 'error'; code: number; description: string };

/** Every Bot API call the fake answered. */
export interface TelegramCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
}

export interface TelegramFakeOptions {
  token?: string;
  bot?: UserFromGetMe;
}

/**
 * A loopback Telegram Bot API. Point grammY at it with
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`.
 */
export interface TelegramFake {
  readonly token: string;
  /** `http://127.0.0.1:<port>`, for grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  readonly bot: UserFromGetMe;
  readonly world: TelegramWorld;
  readonly updates: UpdateQueue;
  readonly methods: TelegramMethods;
  readonly calls: Recorder<TelegramCall>;
  /** Messages the bot sent. */
  readonly sent: SentTelegramMessage[];
  waitFor(
    predicate?: (sent: SentTelegramMessage) => boolean,
    timeoutMs?: number,
  ): Promise<SentTelegramMessage>;
  /** Answers the next `times` calls of `method` with `failure`. */
  failNext(method: string, failure: TelegramFailure, times?: number): void;
  /** Queues an update for getUpdates (assigning the next `update_id`) and wakes a waiting poll. */
  pushUpdate(update: UpdateInput): Update;
  /**
   * The `callback_query` update a press of the button labelled `label` under one of the bot's
   * messages makes (queue it with `pushUpdate`, or post it with `postWebhookUpdate`; either
   * again for a redelivery). `from` defaults to the customer; throws when there is no such
   * button on the message now.
   */
  pressButton(
    sent: Pick<SentTelegramMessage, 'chatId' | 'message'>,
    label: string,
    from?: User,
  ): UpdateInput;
  /** The inline keyboard a message of the bot's has now (after edits), if any. */
  keyboardOf(sent: Pick<SentTelegramMessage, 'chatId' | 'message'>): InlineKeyboard | undefined;
  /** Queues a fixture from `test/fixtures/telegram/` with a fresh `update_id`. */
  pushFixture(name: string): Update;
  /** Delivers an update to a webhook like Telegram does (JSON POST, secret token header). */
  postWebhookUpdate(
    url: string,
    update: UpdateInput,
    secretToken?: string,
  ): Promise<{ status: number; body: string }>;
  /** Answers pending long polls with `[]`, then stops listening. */
  close(): Promise<void>;
}

function failureReply(failure: TelegramFailure): ApiReply {
  if (failure.kind === 'server-error') return fail(500, 'Internal Server Error');
  if (failure.kind === 'error') return fail(failure.code, failure.description);
  const retryAfter = failure.retryAfter ?? 1;
  const description = `Too Many Requests: retry after ${retryAfter}`;
  const parameters = { retry_after: retryAfter };
  return { status: 429, body: { ok: false, error_code: 429, description, parameters } };
}

export async function createTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const token = options.token ?? '7312549086:AAFakeTokenForLoopbackTests_0123456789';
  const world = new TelegramWorld(options.bot ?? DEFAULT_BOT);
  const updates = new UpdateQueue();
  const methods = new TelegramMethods(world, updates);
  const calls = new Recorder<TelegramCall>('telegram calls');
  const failures = new Map<string, TelegramFailure[]>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    let reply: ApiReply;
    let method = url.pathname;
    let params: Record<string, unknown> = {};
    try {
      const call = await readCallParams(req, url);
      params = call.params;
      if (!match?.[2] || !methods.has(match[2])) {
        reply = fail(404, 'Not Found');
      } else if (match[1] !== token) {
        method = match[2];
        reply = fail(401, 'Unauthorized');
      } else {
        method = match[2];
        const failure = failures.get(method.toLowerCase())?.shift();
        reply = failure
          ? failureReply(failure)
          : await methods.call(method, params, call.files, (cancel) => res.on('close', cancel));
      }
    } catch (error) {
      reply = fail(400, `Bad Request: ${String(error)}`);
    }
    calls.push({ method, params, status: reply.status });
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pushUpdate = (input: UpdateInput): Update => {
    world.observe(input);
    return updates.push(input);
  };

  return {
    token,
    apiRoot,
    bot: world.bot,
    world,
    updates,
    methods,
    calls,
    sent: methods.sent.items,
    waitFor: (predicate, timeoutMs) => methods.sent.waitFor(predicate, timeoutMs),
    failNext(method, failure, times = 1) {
      const queue = failures.get(method.toLowerCase()) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method.toLowerCase(), queue);
    },
    pushUpdate,
    pressButton: (sent, label, from) => ({
      callback_query: methods.keyboards.press(sent.chatId, sent.message.message_id, label, from),
    }),
    keyboardOf: (sent) =>
      world.findMessage(sent.chatId, sent.message.message_id)?.reply_markup?.inline_keyboard,
    pushFixture: (name) => pushUpdate(readTelegramFixture(name)),
    async postWebhookUpdate(url, input, secretToken) {
      world.observe(input);
      const update = { ...input, update_id: updates.nextId() };
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secretToken !== undefined && { 'X-Telegram-Bot-Api-Secret-Token': secretToken }),
        },
        body: JSON.stringify(update),
      });
      return { status: response.status, body: await response.text() };
    },
    async close() {
      updates.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Let the answers to pending polls flush before dropping keep-alive sockets.
        setImmediate(() => server.closeAllConnections());
      });
    },
  };
}
