/**
 * Where a Telegram conversation lives:
 * - `private`: a private chat with one customer, `telegram:<chatId>`;
 * - `group`: one customer in a group or supergroup, `telegram:<chatId>:<userId>`, so two
 *   people asking in the same group get separate conversations; in a forum supergroup the
 *   topic is kept too, `telegram:<chatId>:<userId>:<topicId>`, so replies land in it.
 */
export type TelegramTarget =
  | { kind: 'private'; chatId: number }
  | { kind: 'group'; chatId: number; userId: number; topicId?: number };

const ID = /^telegram:(-?\d{1,20})(?::(\d{1,20}))?(?::(\d{1,12}))?$/;

/** Encodes and decodes Telegram conversation ids; the only place their shape is known. */
export const telegramConversationId = {
  encode(target: TelegramTarget): string {
    if (target.kind === 'private') return `telegram:${target.chatId}`;
    const topic = target.topicId === undefined ? '' : `:${target.topicId}`;
    return `telegram:${target.chatId}:${target.userId}${topic}`;
  },

  /** The target of a conversation id, or undefined when it is not a Telegram id. */
  decode(id: string): TelegramTarget | undefined {
    const match = ID.exec(id);
    if (!match?.[1]) return undefined;
    const chatId = Number(match[1]);
    if (!Number.isSafeInteger(chatId)) return undefined;
    if (match[2] === undefined) return { kind: 'private', chatId };
    const userId = Number(match[2]);
    if (match[3] === undefined) return { kind: 'group', chatId, userId };
    return { kind: 'group', chatId, userId, topicId: Number(match[3]) };
  },
};

/**
 * The platform message id the engine dedupes on: `<chatId>:<messageId>`. Telegram numbers
 * messages per chat, and a redelivered update carries the same message, so this stays
 * stable where `update_id` alone would not identify the message.
 */
export function telegramMessageId(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/**
 * The platform message id of a button press: the callback query's id, which Telegram gives
 * each press once; a redelivered update carries the same one, so the engine drops it.
 */
export function telegramPressId(callbackQueryId: string): string {
  return `callback:${callbackQueryId}`;
}
