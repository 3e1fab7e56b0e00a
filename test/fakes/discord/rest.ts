import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIChannel, APIThreadChannel } from 'discord.js';
import { FailurePlan, failureResponse, routeKey } from './failures.ts';
import { buildBotMessage, type CreateMessageBody } from './messages.ts';
import { Recorder } from './recorder.ts';
import { type DiscordWorld, discordTimestamp, type StoredMessage } from './world.ts';

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

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (params: string[], body: Record<string, unknown>, files: string[]) => Reply;

const error = (status: number, code: number, message: string, errors?: unknown): Reply => ({
  status,
  body: { message, code, ...(errors !== undefined && { errors }) },
});

const formError = (field: string, code: string, message: string): Reply =>
  error(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });

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
      ['POST /channels/:id/messages', ([id = ''], body, files) => this.#createMessage(id, body, files)],
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
      reply = failure ? failureResponse(failure, bucketOf(match.key)) : match.handler(match.params, body, files);
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
    const parent = this.#world.channels.get(channelId);
    if (!parent) return error(404, 10003, 'Unknown Channel');
    if (parent.type !== 0 && parent.type !== 5) {
      return error(400, 50024, 'Cannot execute action on this channel type');
    }
    if (this.#world.messages.get(messageId)?.channel_id !== channelId) {
      return error(404, 10008, 'Unknown Message');
    }
    const name = body.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      return formError('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (this.#world.channels.has(messageId)) {
      return error(400, 160004, 'A thread has already been created for this message');
    }
    const now = discordTimestamp();
    const defaultArchive =
      'default_auto_archive_duration' in parent ? parent.default_auto_archive_duration : undefined;
    const thread: APIThreadChannel & { guild_id?: string } = {
      id: messageId,
      type: 11,
      guild_id: this.#world.guildIdOf(channelId),
      parent_id: channelId,
      owner_id: this.#world.bot.id,
      name,
      last_message_id: null,
      rate_limit_per_user: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
      flags: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: body.auto_archive_duration ?? defaultArchive ?? 4320,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
      },
      member: { id: messageId, user_id: this.#world.bot.id, join_timestamp: now, flags: 1 },
    };
    this.#world.channels.set(thread.id, thread);
    this.threads.push({ parentId: channelId, messageId, name, thread });
    this.#hooks.onThreadCreated(thread);
    return { status: 201, body: thread };
  }
}

function bucketOf(route: string): string {
  return createHash('sha1').update(route).digest('hex').slice(0, 32);
}

function rateLimitHeaders(bucket: string): Record<string, string> {
  // A bucket that never runs dry: real headers, so @discordjs/rest takes its normal path.
  return {
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': String(Date.now() / 1000 + 5),
    'x-ratelimit-reset-after': '5',
    'x-ratelimit-bucket': bucket,
  };
}

/** JSON, or multipart with `payload_json` + `files[n]` as @discordjs/rest sends uploads. */
async function readBody(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown>; files: string[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: string[] = [];
    let body: Record<string, unknown> = {};
    for (const [key, value] of form) {
      if (typeof value !== 'string') files.push(value.name);
      else if (key === 'payload_json') body = JSON.parse(value) as Record<string, unknown>;
      else body[key] = value;
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
}
