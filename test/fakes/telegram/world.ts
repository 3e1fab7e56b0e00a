import { readFileSync } from 'node:fs';
import type { Chat, Message, Update, UserFromGetMe } from 'grammy/types';

const fixtureDir = new URL('../../fixtures/telegram/', import.meta.url);

/** Reads an Update fixture from `test/fixtures/telegram/`. */
export function readTelegramFixture(name: string): Update {
  return JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as Update;
}

/** The bot the fixtures talk to (`@switchboard_support_bot`). */
export const DEFAULT_BOT: UserFromGetMe = {
  id: 7_312_549_086,
  is_bot: true,
  first_name: 'Switchboard',
  username: 'switchboard_support_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/**
 * What the fake Telegram knows: chats and messages it has seen in updates or sent. A bot can
 * only write to chats it has heard from, and only reply to messages that exist there.
 */
export class TelegramWorld {
  readonly bot: UserFromGetMe;
  readonly chats = new Map<number, Chat>();
  readonly #messages = new Map<string, Message>();
  readonly #lastMessageId = new Map<number, number>();

  constructor(bot: UserFromGetMe) {
    this.bot = bot;
  }

  /** Resolves a numeric `chat_id` or an `@username`. */
  findChat(chatId: unknown): Chat | undefined {
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      const username = chatId.slice(1).toLowerCase();
      return [...this.chats.values()].find((chat) => chat.username?.toLowerCase() === username);
    }
    const id = typeof chatId === 'number' ? chatId : Number(chatId);
    return Number.isInteger(id) ? this.chats.get(id) : undefined;
  }

  findMessage(chatId: number, messageId: number): Message | undefined {
    return this.#messages.get(`${chatId}:${messageId}`);
  }

  nextMessageId(chatId: number): number {
    const next = (this.#lastMessageId.get(chatId) ?? 0) + 1;
    this.#lastMessageId.set(chatId, next);
    return next;
  }

  remember(message: Message): void {
    this.chats.set(message.chat.id, message.chat);
    this.#messages.set(`${message.chat.id}:${message.message_id}`, message);
    const last = this.#lastMessageId.get(message.chat.id) ?? 0;
    this.#lastMessageId.set(message.chat.id, Math.max(last, message.message_id));
    if (message.reply_to_message) this.remember(message.reply_to_message as Message);
  }

  /** Learns the chats and messages an incoming update mentions. */
  observe(update: Partial<Update>): void {
    const messages = [
      update.message,
      update.edited_message,
      update.channel_post,
      update.business_message,
      update.callback_query?.message,
    ];
    for (const message of messages) {
      // An InaccessibleMessage (date 0) only tells us the chat exists; so does a pressed
      // message already known, whose snapshot in the press may be older than its edits.
      const known = message && this.findMessage(message.chat.id, message.message_id);
      const pressed = message === update.callback_query?.message;
      if (message && message.date !== 0 && !(pressed && known)) this.remember(message as Message);
      else if (message) this.chats.set(message.chat.id, message.chat);
    }
    const memberUpdate = update.my_chat_member ?? update.chat_member;
    if (memberUpdate) this.chats.set(memberUpdate.chat.id, memberUpdate.chat);
  }
}
