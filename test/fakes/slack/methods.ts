/**
 * Web API method handlers. Each takes the parsed arguments and returns the JSON body Slack
 * would send: `{ ok: true, ... }` or `{ ok: false, error }`, always with HTTP 200.
 */
import { messageBlocksProblem, modalProblem } from './block-kit.ts';
import { FAKE_IDS, type FakeChannel, type RecordedMessage, type SlackState } from './state.ts';

export type Args = Record<string, unknown>;
export type Reply = { ok: boolean } & Record<string, unknown>;

/** What a handler can reach besides its arguments. */
export interface MethodContext {
  state: SlackState;
  /** Issues a one-use Socket Mode URL (for `apps.connections.open`). */
  openSocketUrl: () => string;
}

/** Which kind of token a method accepts: bot tokens (`xoxb-`) or app-level tokens (`xapp-`). */
export type TokenKind = 'bot' | 'app';

interface MethodSpec {
  token: TokenKind;
  handle: (args: Args, ctx: MethodContext) => Reply;
}

const fail = (error: string): Reply => ({ ok: false, error });

function str(args: Args, key: string): string | undefined {
  const value = args[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function botMessage(m: RecordedMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: FAKE_IDS.botUserId,
    bot_id: FAKE_IDS.botId,
    app_id: FAKE_IDS.appId,
    team: FAKE_IDS.teamId,
    text: m.text ?? '',
    ts: m.ts,
    ...(m.thread_ts === undefined ? {} : { thread_ts: m.thread_ts }),
    ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
  };
}

function channelInfo(c: FakeChannel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.is_im && !c.is_private,
    is_group: false,
    is_im: c.is_im,
    is_mpim: false,
    is_private: c.is_private,
    is_archived: false,
    is_general: false,
    is_member: c.members.includes(FAKE_IDS.botUserId),
    created: 1700000000,
    ...(c.user === undefined ? {} : { user: c.user }),
  };
}

/** Finds the target conversation; a user id posts to the bot's DM with that user, like Slack. */
function resolveChannel(state: SlackState, args: Args): FakeChannel | string | undefined {
  const id = str(args, 'channel');
  if (id === undefined) return undefined;
  if (/^[UW]/.test(id)) return state.openDm(id);
  return state.channels.get(id) ?? id;
}

function messageFrom(args: Args, channel: string, ts: string, user?: string): RecordedMessage {
  const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
  return {
    channel,
    ts,
    text: str(args, 'text'),
    thread_ts: str(args, 'thread_ts'),
    blocks,
    user,
    args,
    at: Date.now(),
  };
}

const hasContent = (args: Args): boolean =>
  str(args, 'text') !== undefined || Array.isArray(args.blocks) || Array.isArray(args.attachments);

/** Slack's answer to blocks over its limits: `invalid_blocks`, with the reason. */
function blocksRefusal(args: Args): Reply | undefined {
  const problem = Array.isArray(args.blocks) ? messageBlocksProblem(args.blocks) : undefined;
  return problem ? { ok: false, error: 'invalid_blocks', errors: [problem] } : undefined;
}

function postMessage(args: Args, { state }: MethodContext): Reply {
  const target = resolveChannel(state, args);
  if (target === undefined) return fail('channel_not_found');
  if (!hasContent(args)) return fail('no_text');
  if (typeof target !== 'string' && !target.members.includes(FAKE_IDS.botUserId)) {
    return fail('not_in_channel');
  }
  const refusal = blocksRefusal(args);
  if (refusal) return refusal;
  const channel = typeof target === 'string' ? target : target.id;
  const message = messageFrom(args, channel, state.nextTs());
  state.messages.set(`${channel}:${message.ts}`, message);
  state.record(state.posts, message);
  return { ok: true, channel, ts: message.ts, message: botMessage(message) };
}

function update(args: Args, { state }: MethodContext): Reply {
  const channel = str(args, 'channel');
  const ts = str(args, 'ts');
  if (channel === undefined) return fail('channel_not_found');
  const existing = state.messages.get(`${channel}:${ts}`);
  if (ts === undefined || existing === undefined) return fail('message_not_found');
  if (!hasContent(args)) return fail('no_text');
  const refusal = blocksRefusal(args);
  if (refusal) return refusal;
  const message = { ...messageFrom(args, channel, ts), thread_ts: existing.thread_ts };
  state.messages.set(`${channel}:${ts}`, message);
  state.record(state.updates, message);
  return { ok: true, channel, ts, text: message.text ?? '', message: botMessage(message) };
}

function postEphemeral(args: Args, { state }: MethodContext): Reply {
  const target = resolveChannel(state, args);
  const user = str(args, 'user');
  if (target === undefined) return fail('channel_not_found');
  if (user === undefined) return fail('user_not_found');
  if (!hasContent(args)) return fail('no_text');
  if (typeof target !== 'string' && !target.members.includes(user)) {
    return fail('user_not_in_channel');
  }
  const channel = typeof target === 'string' ? target : target.id;
  const message = messageFrom(args, channel, state.nextTs(), user);
  state.record(state.ephemerals, message);
  return { ok: true, message_ts: message.ts };
}

/** Slack's trigger_ids are good for 3 seconds after the interaction. */
const TRIGGER_TTL_MS = 3000;

/**
 * Opens a modal. Like Slack, it needs a `trigger_id`, refuses one older than 3 seconds
 * (`expired_trigger_id`; the builders' ids start with the time they were made), and checks
 * the modal against Block Kit's limits (see block-kit.ts).
 */
function viewsOpen(args: Args, { state }: MethodContext): Reply {
  const triggerId = str(args, 'trigger_id');
  const view = args.view;
  if (triggerId === undefined) return fail('invalid_arguments');
  const madeAt = Number(/^(\d{13})\./.exec(triggerId)?.[1]);
  if (Number.isFinite(madeAt) && Date.now() - madeAt > TRIGGER_TTL_MS) {
    return fail('expired_trigger_id');
  }
  if (typeof view !== 'object' || view === null) return fail('invalid_arguments');
  const v = view as Record<string, unknown>;
  const problem = modalProblem(v);
  if (problem) return { ok: false, error: 'invalid_arguments', errors: [problem] };
  const id = `V${String(state.views.length + 1).padStart(10, '0')}`;
  state.record(state.views, { id, triggerId, view: v, at: Date.now() });
  return {
    ok: true,
    view: {
      ...v,
      id,
      team_id: FAKE_IDS.teamId,
      app_id: FAKE_IDS.appId,
      bot_id: FAKE_IDS.botId,
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
      root_view_id: id,
      previous_view_id: null,
    },
  };
}

function knownChannel(state: SlackState, args: Args): FakeChannel | undefined {
  const id = str(args, 'channel');
  return id === undefined ? undefined : state.channels.get(id);
}

/** The methods the fake implements; anything else answers `unknown_method`. */
export const METHODS: Record<string, MethodSpec> = {
  'auth.test': {
    token: 'bot',
    handle: () => ({
      ok: true,
      url: 'https://switchboard-dev.slack.com/',
      team: 'Switchboard Dev',
      user: 'switchboard',
      team_id: FAKE_IDS.teamId,
      user_id: FAKE_IDS.botUserId,
      bot_id: FAKE_IDS.botId,
      is_enterprise_install: false,
    }),
  },
  'chat.postMessage': { token: 'bot', handle: postMessage },
  'chat.update': { token: 'bot', handle: update },
  'chat.postEphemeral': { token: 'bot', handle: postEphemeral },
  'views.open': { token: 'bot', handle: viewsOpen },
  'conversations.members': {
    token: 'bot',
    handle: (args, { state }) => {
      const channel = knownChannel(state, args);
      if (!channel) return fail('channel_not_found');
      return { ok: true, members: [...channel.members], response_metadata: { next_cursor: '' } };
    },
  },
  'conversations.info': {
    token: 'bot',
    handle: (args, { state }) => {
      const channel = knownChannel(state, args);
      return channel ? { ok: true, channel: channelInfo(channel) } : fail('channel_not_found');
    },
  },
  'conversations.open': {
    token: 'bot',
    handle: (args, { state }) => {
      const users = (str(args, 'users') ?? '').split(',').filter(Boolean);
      const [user, ...others] = users;
      if (user === undefined) return fail('users_list_not_supplied');
      // Group DMs (several users) are not modelled.
      if (others.length > 0) return fail('fake_does_not_support_mpim');
      if (!state.users.has(user)) return fail('user_not_found');
      const existed = [...state.channels.values()].some((c) => c.is_im && c.user === user);
      const channel = state.openDm(user);
      return { ok: true, already_open: existed, no_op: existed, channel: { id: channel.id } };
    },
  },
  'users.info': {
    token: 'bot',
    handle: (args, { state }) => {
      const user = state.users.get(str(args, 'user') ?? '');
      if (!user) return fail('user_not_found');
      const profile = { real_name: user.real_name, display_name: user.name };
      return {
        ok: true,
        user: { team_id: FAKE_IDS.teamId, deleted: false, is_bot: false, ...user, profile },
      };
    },
  },
  'apps.connections.open': {
    token: 'app',
    handle: (_args, { openSocketUrl }) => ({ ok: true, url: openSocketUrl() }),
  },
};
