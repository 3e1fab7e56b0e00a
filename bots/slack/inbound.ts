import { z } from 'zod';
import type { InboundMessage } from '../../src/types/index.ts';
import { fromMrkdwn } from './format.ts';
import { slackConversationId, slackMessageId } from './ids.ts';

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
