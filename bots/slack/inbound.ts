import { z } from 'zod';
import type { InboundMessage } from '../../src/types/index.ts';
import { fromMrkdwn } from './format.ts';
import { slackChoiceId, slackConversationId, slackMessageId } from './ids.ts';

/** A message's `ts`, `seconds.micros`: its id within the channel. */
const ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'not a Slack message ts');

/**
 * The fields of a Slack `message` or `app_mention` event this app reads, checked before
 * routing: Bolt passes events on as Slack sent them. Loose, so Slack's other fields pass.
 */
const slackMessageEvent = z.looseObject({
  type: z.string(),
  subtype: z.string().optional(),
  user: z.string().max(64).optional(),
  bot_id: z.string().optional(),
  /** Slack's own limit on a message. */
  text: z.string().max(40_000).optional(),
  ts,
  thread_ts: ts.optional(),
  channel: z.string().max(64),
  channel_type: z.string().optional(),
});

/** The fields of a Slack `message` or `app_mention` event this app reads. */
export type SlackMessageEvent = z.infer<typeof slackMessageEvent>;

/** What one Slack event means to Switchboard. */
export type RoutedEvent =
  | {
      kind: 'customer';
      conversationId: string;
      messageId: string;
      userId: string;
      text: string;
    }
  | { kind: 'agent'; channel: string; threadTs: string; ts: string; userId: string; text: string }
  | { kind: 'ignore'; reason: string };

/** What routing needs to know about the workspace and the engine. */
export interface RouteContext {
  botUserId: string | undefined;
  agentChannel: string | undefined;
  /** Whether the engine holds a conversation with this id (for thread follow-ups). */
  isKnownConversation(conversationId: string): boolean;
}

const ignore = (reason: string): RoutedEvent => ({ kind: 'ignore', reason });

/**
 * Subtypes that are still someone writing: a thread reply also sent to the channel, and a
 * message with a file (its text is kept; the file is not relayed). Edits, deletions, joins
 * and bot messages are not.
 */
const KEPT_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

/** Removes the leading `<@BOT>` of a mention, so the engine sees only the question. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(`^\\s*<@${botUserId}(\\|[^>]*)?>[\\s,:]*`), '').trim();
}

/** The event if it fits {@link SlackMessageEvent}, else why not (a field, never its value). */
function parseEvent(value: unknown): SlackMessageEvent | string {
  const parsed = slackMessageEvent.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `malformed event: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`;
}

function customer(conversationId: string, e: SlackMessageEvent, ctx: RouteContext): RoutedEvent {
  // A channel or ts of another shape would make an id no reply could be sent to.
  if (!slackConversationId.decode(conversationId)) return ignore('not a Slack conversation id');
  const text = fromMrkdwn(stripBotMention(e.text ?? '', ctx.botUserId));
  if (!text) return ignore('no text');
  return {
    kind: 'customer',
    conversationId,
    messageId: slackMessageId(e.channel, e.ts),
    userId: e.user as string,
    text,
  };
}

/**
 * Routes a `message` event: a DM to the bot is a customer message; a thread reply in the
 * agent channel is an agent's reply (the desk decides whether it belongs to a handoff); a
 * reply in a thread the bot already talks in continues that conversation. Bot messages,
 * edits, events that do not fit {@link SlackMessageEvent} and everything else are ignored.
 */
export function routeMessage(event: unknown, ctx: RouteContext): RoutedEvent {
  const e = parseEvent(event);
  if (typeof e === 'string') return ignore(e);
  if (e.subtype !== undefined && !KEPT_SUBTYPES.has(e.subtype))
    return ignore(`subtype ${e.subtype}`);
  if (e.bot_id !== undefined || !e.user) return ignore('bot message');
  if (e.user === ctx.botUserId) return ignore('own message');
  if (e.channel === ctx.agentChannel) {
    if (e.thread_ts === undefined || e.thread_ts === e.ts) return ignore('agent channel chatter');
    const text = e.text ?? '';
    return {
      kind: 'agent',
      channel: e.channel,
      threadTs: e.thread_ts,
      ts: e.ts,
      userId: e.user,
      text,
    };
  }
  if (e.channel_type === 'im')
    return customer(slackConversationId.encode({ channel: e.channel }), e, ctx);
  if (e.thread_ts !== undefined && e.thread_ts !== e.ts) {
    const id = slackConversationId.encode({ channel: e.channel, threadTs: e.thread_ts });
    if (ctx.isKnownConversation(id)) return customer(id, e, ctx);
  }
  return ignore('channel message without a mention');
}

/**
 * Routes an `app_mention`: a customer message in the thread of the mention (a new thread
 * when the mention is top-level). Mentions in the agent channel are not customer messages.
 */
export function routeMention(event: unknown, ctx: RouteContext): RoutedEvent {
  const e = parseEvent(event);
  if (typeof e === 'string') return ignore(e);
  if (e.bot_id !== undefined || !e.user || e.user === ctx.botUserId) return ignore('bot mention');
  if (e.channel === ctx.agentChannel) return ignore('mention in the agent channel');
  const threadTs = e.thread_ts ?? e.ts;
  return customer(slackConversationId.encode({ channel: e.channel, threadTs }), e, ctx);
}

/** Builds the engine's message from a routed customer event and the author's name. */
export function toInboundMessage(
  routed: Extract<RoutedEvent, { kind: 'customer' }>,
  authorName: string,
  receivedAt = new Date(),
): InboundMessage {
  return {
    platform: 'slack',
    conversationId: routed.conversationId,
    messageId: routed.messageId,
    author: { id: routed.userId, name: authorName },
    text: routed.text,
    receivedAt,
  };
}

/**
 * The fields of a `block_actions` body this app reads when a customer presses a choice
 * button: who, which message (and thread) it was on, the button's label and value.
 */
const choicePress = z.looseObject({
  user: z.looseObject({ id: z.string().max(64) }),
  channel: z.looseObject({ id: z.string().max(64) }),
  container: z.looseObject({ thread_ts: ts.optional() }).optional(),
  message: z.looseObject({
    ts,
    thread_ts: ts.optional(),
    text: z.string().optional(),
    blocks: z.array(z.unknown()).optional(),
  }),
  actions: z
    .array(
      z.looseObject({
        value: z.string().max(2000),
        action_ts: z.string().max(32),
        text: z.looseObject({ text: z.string().max(75) }),
      }),
    )
    .length(1),
});

/** A customer pressed a choice button on one of the bot's messages. */
export interface ChoicePress {
  kind: 'choice';
  conversationId: string;
  messageId: string;
  userId: string;
  label: string;
  value: string;
  /** The message carrying the buttons, to replace them with what was chosen. */
  message: {
    channel: string;
    ts: string;
    text?: string | undefined;
    blocks?: unknown[] | undefined;
  };
}

/**
 * Routes a press on a choice button to the conversation the message was sent in: the DM
 * (`slack:<D…>`), or the thread of a mention (`slack:<C…>:<thread ts>`). A press in the agent
 * channel, or on a body of another shape, is not a customer's choice.
 */
export function routeChoice(
  body: unknown,
  ctx: Pick<RouteContext, 'agentChannel'>,
): ChoicePress | { kind: 'ignore'; reason: string } {
  const parsed = choicePress.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason = `malformed choice: ${issue?.path.join('.') || 'body'}: ${issue?.message}`;
    return { kind: 'ignore', reason };
  }
  const b = parsed.data;
  const action = b.actions[0] as (typeof b.actions)[number];
  const channel = b.channel.id;
  if (channel === ctx.agentChannel)
    return { kind: 'ignore', reason: 'choice in the agent channel' };
  const threadTs = b.message.thread_ts ?? b.container?.thread_ts;
  const conversationId = channel.startsWith('D')
    ? slackConversationId.encode({ channel })
    : slackConversationId.encode({ channel, threadTs: threadTs ?? b.message.ts });
  if (!slackConversationId.decode(conversationId))
    return { kind: 'ignore', reason: 'not a Slack conversation id' };
  return {
    kind: 'choice',
    conversationId,
    messageId: slackChoiceId(channel, b.message.ts, action.action_ts),
    userId: b.user.id,
    label: action.text.text,
    value: action.value,
    message: { channel, ts: b.message.ts, text: b.message.text, blocks: b.message.blocks },
  };
}

/** Builds the engine's message from a choice press: the label as text, the value as `choice`. */
export function choiceToInbound(
  press: ChoicePress,
  authorName: string,
  receivedAt = new Date(),
): InboundMessage {
  return {
    platform: 'slack',
    conversationId: press.conversationId,
    messageId: press.messageId,
    author: { id: press.userId, name: authorName },
    text: press.label,
    choice: press.value,
    receivedAt,
  };
}
