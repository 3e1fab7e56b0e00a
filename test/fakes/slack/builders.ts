/**
 * Builders over the fixtures in `test/fixtures/slack/`: each returns a fresh copy with new
 * ids (event_id, ts, client_msg_id), so tests can send several without tripping dedupe.
 */
import { randomUUID } from 'node:crypto';
import appMention from '../../fixtures/slack/app_mention.json' with { type: 'json' };
import blockActions from '../../fixtures/slack/block_actions.json' with { type: 'json' };
import threadReply from '../../fixtures/slack/message.channels-thread-reply.json' with {
  type: 'json',
};
import messageIm from '../../fixtures/slack/message.im.json' with { type: 'json' };
import urlVerification from '../../fixtures/slack/url_verification.json' with { type: 'json' };
import viewSubmission from '../../fixtures/slack/view_submission.json' with { type: 'json' };
import type { RecordedView } from './state.ts';

/** An inner Events API event (`message`, `app_mention`, ...). */
export interface SlackEvent {
  type: string;
  user?: string;
  text?: string;
  ts?: string;
  channel?: string;
  thread_ts?: string;
  [key: string]: unknown;
}

/** The outer `event_callback` body Slack delivers over HTTP or inside a Socket Mode envelope. */
export interface SlackEventCallback {
  type: 'event_callback';
  team_id: string;
  api_app_id: string;
  event: SlackEvent;
  event_id: string;
  event_time: number;
  [key: string]: unknown;
}

let seq = 0;

/** A unique message ts in Slack's `seconds.micros` form. */
export function freshTs(): string {
  seq += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
}

const freshEventId = (): string =>
  `Ev${randomUUID().replaceAll('-', '').slice(0, 11).toUpperCase()}`;

/** Rebuilds the rich_text block Slack attaches to user messages, so `blocks` matches `text`. */
function richText(text: string): unknown[] {
  const section = { type: 'rich_text_section', elements: [{ type: 'text', text }] };
  return [{ type: 'rich_text', block_id: seq.toString(36), elements: [section] }];
}

/** Wraps any event in an `event_callback` body with a fresh event_id and event_time. */
export function buildEvent(
  event: SlackEvent,
  overrides: Partial<SlackEventCallback> = {},
): SlackEventCallback {
  const base = structuredClone(messageIm) as unknown as SlackEventCallback;
  return {
    ...base,
    event,
    event_id: freshEventId(),
    event_time: Math.floor(Date.now() / 1000),
    ...overrides,
  };
}

function fromFixture(fixture: object, overrides: Partial<SlackEvent>): SlackEventCallback {
  const base = structuredClone(fixture) as SlackEventCallback;
  const ts = overrides.ts ?? freshTs();
  const event: SlackEvent = { ...base.event, ts, event_ts: ts, client_msg_id: randomUUID() };
  if (overrides.text !== undefined && overrides.blocks === undefined) {
    event.blocks = richText(overrides.text);
  }
  return buildEvent({ ...event, ...overrides }, { team_id: base.team_id });
}

/** A customer's DM to the bot (`message` with `channel_type: 'im'`). */
export function buildDirectMessage(overrides: Partial<SlackEvent> = {}): SlackEventCallback {
  return fromFixture(messageIm, overrides);
}

/** An `@bot` mention in a public channel. */
export function buildAppMention(overrides: Partial<SlackEvent> = {}): SlackEventCallback {
  return fromFixture(appMention, overrides);
}

/** An agent's reply in a thread of the agent channel (`message` with `thread_ts`). */
export function buildThreadReply(overrides: Partial<SlackEvent> = {}): SlackEventCallback {
  return fromFixture(threadReply, overrides);
}

/** What varies between button clicks. */
export interface BlockActionOptions {
  actionId?: string;
  value?: string;
  userId?: string;
  channelId?: string;
  /** The ts of the message carrying the button (e.g. a post recorded by the fake). */
  messageTs?: string;
  /** Where `respond()` posts; use `fake.responseUrl()` to record it in the fake. */
  responseUrl?: string;
  /** The clicked message's blocks, which Slack sends along (e.g. a recorded post's). */
  blocks?: unknown[];
  /** The clicked message's text. */
  messageText?: string;
  /** The thread the clicked message is in (Slack sends it on the message and the container). */
  threadTs?: string;
  /** The clicked button's label. */
  label?: string;
  blockId?: string;
}

/** A `block_actions` payload: a button click on a bot message. */
export function buildBlockActions(options: BlockActionOptions = {}): typeof blockActions {
  const payload = structuredClone(blockActions);
  const [action] = payload.actions;
  if (action) {
    action.action_id = options.actionId ?? action.action_id;
    action.value = options.value ?? action.value;
    action.action_ts = freshTs();
    if (options.label !== undefined) action.text.text = options.label;
    if (options.blockId !== undefined) action.block_id = options.blockId;
  }
  payload.user.id = options.userId ?? payload.user.id;
  payload.channel.id = options.channelId ?? payload.channel.id;
  payload.container.channel_id = payload.channel.id;
  const messageTs = options.messageTs ?? payload.message.ts;
  payload.container.message_ts = messageTs;
  payload.message.ts = messageTs;
  payload.response_url = options.responseUrl ?? payload.response_url;
  if (options.blocks) payload.message.blocks = options.blocks as typeof payload.message.blocks;
  if (options.messageText !== undefined) payload.message.text = options.messageText;
  if (options.threadTs !== undefined) {
    Object.assign(payload.message, { thread_ts: options.threadTs });
    Object.assign(payload.container, { thread_ts: options.threadTs });
  }
  if (payload.channel.id.startsWith('D')) payload.channel.name = 'directmessage';
  payload.trigger_id = `${Date.now()}.${seq}.${randomUUID().replaceAll('-', '')}`;
  return payload;
}

/** The one-time challenge Slack sends when a request URL is saved. */
export function buildUrlVerification(challenge: string = randomUUID()): typeof urlVerification {
  return { ...structuredClone(urlVerification), challenge };
}

/** What the person typed or picked: `values[block_id][action_id]` of a submitted modal. */
export type ViewValues = Record<string, Record<string, string>>;

/**
 * A `view_submission` payload: the person pressed Submit on a modal the app opened (pass the
 * fake's recorded view). Text inputs carry `values`, as Slack puts them under `view.state`.
 */
export function buildViewSubmission(
  opened: RecordedView,
  values: ViewValues,
  options: { userId?: string } = {},
): typeof viewSubmission {
  const payload = structuredClone(viewSubmission);
  const sent = opened.view;
  const state: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    state[blockId] = Object.fromEntries(
      Object.entries(actions).map(([id, value]) => [id, { type: 'plain_text_input', value }]),
    );
  }
  Object.assign(payload.view, {
    id: opened.id,
    root_view_id: opened.id,
    blocks: sent.blocks ?? [],
    callback_id: sent.callback_id ?? '',
    private_metadata: sent.private_metadata ?? '',
    title: sent.title,
    ...(sent.submit ? { submit: sent.submit } : {}),
    ...(sent.close ? { close: sent.close } : {}),
    state: { values: state },
  });
  payload.user.id = options.userId ?? payload.user.id;
  payload.trigger_id = `${Date.now()}.${seq}.${randomUUID().replaceAll('-', '')}`;
  return payload;
}
