import type { CallbackQuery, Message, MessageEntity, User, UserFromGetMe } from 'grammy/types';
import type { InboundMessage } from '../../src/types/index.ts';
import {
  type TelegramTarget,
  telegramConversationId,
  telegramMessageId,
  telegramPressId,
} from './ids.ts';

/** What to do with one incoming Telegram message. */
export type TelegramRoute =
  | { kind: 'ignore' }
  /** `/start` or `/help`: greet without involving the engine. */
  | { kind: 'welcome'; chatId: number; topicId?: number }
  | { kind: 'message'; target: TelegramTarget; inbound: InboundMessage };

const IGNORE: TelegramRoute = { kind: 'ignore' };

/**
 * Decides whether the bot answers a message, and in which conversation: every message in a
 * private chat; in groups only messages that mention the bot (`@bot` or a text mention) or
 * reply to one of its messages. Other bots, channels posting as themselves and messages
 * without text are ignored.
 */
export function routeMessage(message: Message, me: UserFromGetMe): TelegramRoute {
  const from = message.from;
  const raw = message.text ?? message.caption;
  if (!from || from.is_bot || message.sender_chat || raw === undefined) return IGNORE;
  const entities = message.entities ?? message.caption_entities ?? [];
  const isPrivate = message.chat.type === 'private';
  const topicId = message.is_topic_message ? message.message_thread_id : undefined;
  const command = commandOf(raw, entities, me);
  if (command === 'start' || command === 'help') {
    return { kind: 'welcome', chatId: message.chat.id, ...(topicId ? { topicId } : {}) };
  }
  if (!isPrivate && !mentionsBot(raw, entities, me) && !repliesToBot(message, me)) return IGNORE;
  const text = withoutBotMention(raw, entities, me);
  // "@bot" alone: greet, and say how to ask.
  if (!text) return { kind: 'welcome', chatId: message.chat.id, ...(topicId ? { topicId } : {}) };
  const target: TelegramTarget = isPrivate
    ? { kind: 'private', chatId: message.chat.id }
    : { kind: 'group', chatId: message.chat.id, userId: from.id, ...(topicId ? { topicId } : {}) };
  const inbound: InboundMessage = {
    platform: 'telegram',
    conversationId: telegramConversationId.encode(target),
    messageId: telegramMessageId(message.chat.id, message.message_id),
    author: authorOf(from),
    text,
    receivedAt: new Date(),
  };
  return { kind: 'message', target, inbound };
}

/** What to do with one button press (a `callback_query`). */
export type TelegramPress =
  /** Not a press of one of our buttons in a chat: only stop the spinner. */
  | { kind: 'ignore'; queryId: string }
  /** Someone else pressed the buttons under an answer to a customer in a group. */
  | { kind: 'not-theirs'; queryId: string }
  | { kind: 'press'; queryId: string; chatId: number; messageId: number; inbound: InboundMessage };

/**
 * Turns a press of a button under one of the bot's messages into the engine's message: `text`
 * is the button's label and `choice` its `callback_data`, uninterpreted (the engine checks
 * it), in the conversation the chat's text messages use, the presser's own in a group. A press
 * whose data is not on the message's keyboard (Telegram warns it can happen), on a message the
 * bot can no longer see, or from an inline-mode message is ignored. In a group, the buttons
 * under an answer to one customer are theirs: another member's press is turned away.
 */
export function routePress(query: CallbackQuery, me: UserFromGetMe): TelegramPress {
  const ignore = { kind: 'ignore', queryId: query.id } as const;
  const message = query.message;
  // An InaccessibleMessage has date 0 and neither its text nor its keyboard.
  if (query.data === undefined || query.from.is_bot || !message || message.date === 0) {
    return ignore;
  }
  const chat = message.chat;
  if (chat.type === 'channel' || message.from?.id !== me.id) return ignore;
  const button = message.reply_markup?.inline_keyboard
    .flat()
    .find((b) => 'callback_data' in b && b.callback_data === query.data);
  if (!button) return ignore;
  const asked = message.reply_to_message?.from;
  if (chat.type !== 'private' && asked && !asked.is_bot && asked.id !== query.from.id) {
    return { kind: 'not-theirs', queryId: query.id };
  }
  const topicId = message.is_topic_message ? message.message_thread_id : undefined;
  const target: TelegramTarget =
    chat.type === 'private'
      ? { kind: 'private', chatId: chat.id }
      : { kind: 'group', chatId: chat.id, userId: query.from.id, ...(topicId ? { topicId } : {}) };
  const inbound: InboundMessage = {
    platform: 'telegram',
    conversationId: telegramConversationId.encode(target),
    messageId: telegramPressId(query.id),
    author: authorOf(query.from),
    text: button.text,
    choice: query.data,
    receivedAt: new Date(),
  };
  return {
    kind: 'press',
    queryId: query.id,
    chatId: chat.id,
    messageId: message.message_id,
    inbound,
  };
}

function authorOf(user: User): InboundMessage['author'] {
  return {
    id: String(user.id),
    name: [user.first_name, user.last_name].filter(Boolean).join(' ') || (user.username ?? ''),
  };
}

/** The command a message starts with, if it is meant for this bot (`/help` or `/help@bot`). */
function commandOf(text: string, entities: MessageEntity[], me: UserFromGetMe): string | undefined {
  const first = entities[0];
  if (first?.type !== 'bot_command' || first.offset !== 0) return undefined;
  const [name, target] = text.slice(1, first.length).split('@');
  if (target && target.toLowerCase() !== me.username.toLowerCase()) return undefined;
  return name?.toLowerCase();
}

function isBotMention(text: string, entity: MessageEntity, me: UserFromGetMe): boolean {
  if (entity.type === 'text_mention') return entity.user.id === me.id;
  if (entity.type !== 'mention') return false;
  return (
    text.slice(entity.offset, entity.offset + entity.length).toLowerCase() ===
    `@${me.username.toLowerCase()}`
  );
}

function mentionsBot(text: string, entities: MessageEntity[], me: UserFromGetMe): boolean {
  return entities.some((entity) => isBotMention(text, entity, me));
}

/**
 * True for a reply to one of the bot's messages. In forum topics every message "replies" to
 * the topic's first message; that does not count.
 */
function repliesToBot(message: Message, me: UserFromGetMe): boolean {
  const replied = message.reply_to_message;
  if (!replied || replied.from?.id !== me.id) return false;
  return !(message.is_topic_message && replied.message_id === message.message_thread_id);
}

/** The text without `@bot` mentions (offsets are UTF-16, like JavaScript strings). */
function withoutBotMention(text: string, entities: MessageEntity[], me: UserFromGetMe): string {
  let result = text;
  const mentions = entities
    .filter((e) => isBotMention(text, e, me))
    .sort((a, b) => b.offset - a.offset);
  for (const e of mentions) result = result.slice(0, e.offset) + result.slice(e.offset + e.length);
  return result.trim();
}
