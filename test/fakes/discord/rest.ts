import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIChannel } from 'discord.js';
import { Recorder } from '../recorder.ts';
import { FailurePlan, failureResponse, routeKey } from './failures.ts';
import { buildBotMessage, type CreateMessageBody } from './messages.ts';
import { bucketOf, error, formError, type Reply, rateLimitHeaders, readBody } from './rest-http.ts';
import { startThread } from './threads.ts';
import type { DiscordWorld, StoredMessage } from './world.ts';

/** Every REST request the fake answered. `route` is e.g. `POST /channels/:id/messages`. */
export interface RestCall {
  method: string;
  route: string;
  path: string;
  body: unknown;
  status: number;
}

/** A message the bot posted (`POST /channels/:id/messages`) and Discord accepted. */
export interface SentDiscordMessage {
  channelId: string;
  guildId: string | undefined;
  /** True for DM channels, false for guild channels and threads. */
  dm: boolean;
  body: CreateMessageBody;
  /** Names of uploaded files (multipart requests). */
  files: string[];
  message: StoredMessage;
}

/** A thread the bot started from a message. Discord gives it the starter message's id. */
export interface StartedThread {
  parentId: string;
  messageId: string;
  name: string;
  thread: APIChannel;
}

export interface FakeRestHooks {
  token: string;
  gatewayUrl: () => string;
  identifies: () => number;
  /** Discord echoes a bot's own messages back over the gateway as MESSAGE_CREATE. */
  onMessageCreated: (message: StoredMessage) => void;
  onThreadCreated: (thread: APIChannel) => void;
}

type Handler = (params: string[], body: Record<string, unknown>, files: string[]) => Reply;

/** Discord's REST API for the routes a support bot uses; unknown routes answer 404 like Discord. */
export class FakeRest {
  readonly calls = new Recorder<RestCall>('discord REST calls');
  readonly sent = new Recorder<SentDiscordMessage>('discord sent messages');
  readonly threads = new Recorder<StartedThread>('discord threads');
  readonly failures = new FailurePlan();
  readonly #world: DiscordWorld;
  readonly #hooks: FakeRestHooks;
  readonly #routes: [string, Handler][];

  constructor(world: DiscordWorld, hooks: FakeRestHooks) {
    this.#world = world;
    this.#hooks = hooks;
    this.#routes = [
      ['GET /gateway/bot', () => this.#gatewayBot()],
      ['GET /users/@me', () => ({ status: 200, body: world.bot })],
      ['POST /users/@me/channels', (_, body) => this.#openDm(body)],
      ['GET /channels/:id', ([id = '']) => this.#getChannel(id)],
      ['POST /channels/:id/typing', ([id = '']) => this.#typing(id)],
      [
        'POST /channels/:id/messages',
        ([id = ''], body, files) => this.#createMessage(id, body, files),
      ],
      [
        'POST /channels/:id/messages/:id/threads',
        ([id = '', messageId = ''], body) => this.#startThread(id, messageId, body),
      ],
    ];
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
      .replace(/^\/api/, '')
      .replace(/^\/v\d+/, '');
    const { body, files } = await readBody(req);
    const match = this.#match(method, path);
    let reply: Reply;
    let route = `${method} ${path}`;
    if (!match) {
      reply = error(404, 0, '404: Not Found');
    } else if (req.headers.authorization !== `Bot ${this.#hooks.token}`) {
      route = match.key;
      reply = error(401, 0, '401: Unauthorized');
    } else {
      route = match.key;
      const failure = this.failures.take(match.key);
      reply = failure
        ? failureResponse(failure, bucketOf(match.key))
        : match.handler(match.params, body, files);
      if (reply.status < 300 && match.key !== 'GET /gateway/bot') {
        reply.headers = { ...rateLimitHeaders(bucketOf(match.key)), ...reply.headers };
      }
    }
    this.calls.push({ method, route, path, body, status: reply.status });
    res.writeHead(reply.status, {
      ...(reply.body !== undefined && { 'content-type': 'application/json' }),
      ...reply.headers,
    });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  #match(method: string, path: string) {
    const segments = path.split('/').filter(Boolean);
    for (const [key, handler] of this.#routes) {
      const [routeMethod, routePath = ''] = key.split(' ');
      const pattern = routePath.split('/').filter(Boolean);
      if (routeMethod !== method || pattern.length !== segments.length) continue;
      const params: string[] = [];
      const fits = pattern.every((part, i) => {
        const segment = segments[i] ?? '';
        if (part.startsWith(':')) params.push(segment);
        return part.startsWith(':') || part === segment;
      });
      if (fits) return { key: routeKey(key), handler, params };
    }
    return undefined;
  }

  #gatewayBot(): Reply {
    const remaining = 1000 - this.#hooks.identifies();
    const session_start_limit = { total: 1000, remaining, reset_after: 0, max_concurrency: 1 };
    return { status: 200, body: { url: this.#hooks.gatewayUrl(), shards: 1, session_start_limit } };
  }

  #openDm(body: Record<string, unknown>): Reply {
    const user =
      typeof body.recipient_id === 'string' ? this.#world.users.get(body.recipient_id) : undefined;
    if (!user) return error(400, 50033, 'Invalid Recipient(s)');
    return { status: 200, body: this.#world.dmChannelFor(user) };
  }

  #getChannel(id: string): Reply {
    const channel = this.#world.channels.get(id);
    return channel ? { status: 200, body: channel } : error(404, 10003, 'Unknown Channel');
  }

  #typing(id: string): Reply {
    return this.#world.channels.has(id) ? { status: 204 } : error(404, 10003, 'Unknown Channel');
  }

  #createMessage(channelId: string, raw: Record<string, unknown>, files: string[]): Reply {
    const channel = this.#world.channels.get(channelId);
    if (!channel) return error(404, 10003, 'Unknown Channel');
    if (channel.type === 4 || channel.type === 2) {
      return error(400, 50008, 'Cannot send messages in a non-text channel');
    }
    const body = raw as CreateMessageBody;
    const hasPayload =
      Boolean(body.content) ||
      Boolean(body.embeds?.length) ||
      Boolean(body.sticker_ids?.length) ||
      Boolean(body.components?.length) ||
      body.poll !== undefined ||
      files.length > 0;
    if (!hasPayload) return error(400, 50006, 'Cannot send an empty message');
    if ((body.content?.length ?? 0) > 2000) {
      return formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    }
    const referenceId = body.message_reference?.message_id;
    let referenced = referenceId ? this.#world.messages.get(referenceId) : undefined;
    if (referenced && referenced.channel_id !== channelId) referenced = undefined;
    if (referenceId && !referenced && body.message_reference?.fail_if_not_exists !== false) {
      return formError('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    }
    const stored = buildBotMessage(this.#world, channelId, body, referenced, files);
    const { guild_id: guildId, ...restShape } = stored;
    this.sent.push({ channelId, guildId, dm: channel.type === 1, body, files, message: stored });
    this.#hooks.onMessageCreated(stored);
    return { status: 200, body: restShape };
  }

  #startThread(channelId: string, messageId: string, body: Record<string, unknown>): Reply {
    const result = startThread(this.#world, channelId, messageId, body);
    if ('status' in result) return result;
    this.threads.push({ parentId: channelId, messageId, name: result.name, thread: result });
    this.#hooks.onThreadCreated(result);
    return { status: 201, body: result };
  }
}
