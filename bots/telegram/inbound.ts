import type { Message, MessageEntity, UserFromGetMe } from 'grammy/types';
import type { InboundMessage } from '../../src/types/index.ts';
import { type TelegramTarget, telegramConversationId, telegramMessageId } from './ids.ts';

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
    author: {
      id: String(from.id),
      name: [from.first_name, from.last_name].filter(Boolean).join(' ') || (from.username ?? ''),
    },
    text,
    receivedAt: new Date(),
  };
  return { kind: 'message', target, inbound };
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
