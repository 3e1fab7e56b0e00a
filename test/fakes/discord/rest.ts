import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIChannel } from 'discord.js';
import { Recorder } from '../recorder.ts';
import { componentsProblem } from './components.ts';
import { FailurePlan, failureResponse, routeKey } from './failures.ts';
import { FakeInteractions } from './interactions.ts';
import {
  buildBotMessage,
  type CreateMessageBody,
  type EditMessageBody,
  editBotMessage,
} from './messages.ts';
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

/** An edit of one of the bot's messages Discord accepted (REST or an interaction's update). */
export interface EditedDiscordMessage {
  channelId: string;
  messageId: string;
  body: EditMessageBody;
  /** The message as it is after the edit. */
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
  /** ...and its edits as MESSAGE_UPDATE. */
  onMessageUpdated: (message: StoredMessage) => void;
  onThreadCreated: (thread: APIChannel) => void;
}

type Handler = (
  params: string[],
  body: Record<string, unknown>,
  files: string[],
  query: URLSearchParams,
) => Reply;

// Interaction callbacks are authorized by the interaction's token, not the bot's.
const NO_BOT_TOKEN = new Set(['POST /interactions/:id/:id/callback']);

/** Discord's REST API for the routes a support bot uses; unknown routes answer 404 like Discord. */
export class FakeRest {
  readonly calls = new Recorder<RestCall>('discord REST calls');
  readonly sent = new Recorder<SentDiscordMessage>('discord sent messages');
  readonly threads = new Recorder<StartedThread>('discord threads');
  readonly edits = new Recorder<EditedDiscordMessage>('discord message edits');
  readonly interactions: FakeInteractions;
  readonly failures = new FailurePlan();
  readonly #world: DiscordWorld;
  readonly #hooks: FakeRestHooks;
  readonly #routes: [string, Handler][];

  constructor(world: DiscordWorld, hooks: FakeRestHooks) {
    this.#world = world;
    this.#hooks = hooks;
    this.interactions = new FakeInteractions(world);
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
        'PATCH /channels/:id/messages/:id',
        ([id = '', messageId = ''], body) => this.#editMessage(id, messageId, body),
      ],
      [
        'POST /interactions/:id/:token/callback',
        ([id = '', token = ''], body, _, query) =>
          this.interactions.callback(id, token, body, query.get('with_response') === 'true', {
            post: (channelId, data) => this.#createMessage(channelId, data, []),
            edit: (message, data) => this.#editMessage(message.channel_id, message.id, data),
          }),
      ],
      [
        'POST /channels/:id/messages/:id/threads',
        ([id = '', messageId = ''], body) => this.#startThread(id, messageId, body),
      ],
    ];
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/api/, '').replace(/^\/v\d+/, '');
    const { body, files } = await readBody(req);
    const match = this.#match(method, path);
    let reply: Reply;
    let route = `${method} ${path}`;
    if (!match) {
      reply = error(404, 0, '404: Not Found');
    } else if (
      !NO_BOT_TOKEN.has(match.key) &&
      req.headers.authorization !== `Bot ${this.#hooks.token}`
    ) {
      route = match.key;
      reply = error(401, 0, '401: Unauthorized');
    } else {
      route = match.key;
      const failure = this.failures.take(match.key);
      reply = failure
        ? failureResponse(failure, bucketOf(match.key))
        : match.handler(match.params, body, files, url.searchParams);
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
    const badComponents = componentsProblem(body.components);
    if (badComponents) return badComponents;
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

  #editMessage(channelId: string, messageId: string, raw: Record<string, unknown>): Reply {
    if (!this.#world.channels.has(channelId)) return error(404, 10003, 'Unknown Channel');
    const message = this.#world.messages.get(messageId);
    if (message?.channel_id !== channelId) return error(404, 10008, 'Unknown Message');
    if (message.author.id !== this.#world.bot.id) {
      return error(403, 50005, 'Cannot edit a message authored by another user');
    }
    const body = raw as EditMessageBody;
    if ((body.content?.length ?? 0) > 2000) {
      return formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    }
    const badComponents = componentsProblem(body.components ?? undefined);
    if (badComponents) return badComponents;
    const edited = editBotMessage(this.#world, message, body);
    this.edits.push({ channelId, messageId, body, message: edited });
    this.#hooks.onMessageUpdated(edited);
    const { guild_id: _, ...restShape } = edited;
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
