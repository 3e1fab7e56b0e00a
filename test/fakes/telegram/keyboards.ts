import type { CallbackQuery, InlineKeyboardButton, Message, User } from 'grammy/types';
import { Recorder } from '../recorder.ts';
import { toInt } from './body.ts';
import { type ApiReply, badRequest, ok } from './reply.ts';
import type { TelegramWorld } from './world.ts';

/** An inline keyboard: rows of buttons. */
export type InlineKeyboard = InlineKeyboardButton[][];

/** A button press the fake created, and whether the bot has answered it. */
export interface IssuedCallbackQuery {
  query: CallbackQuery;
  answered: boolean;
}

/** An `answerCallbackQuery` Telegram accepted. */
export interface CallbackAnswer {
  queryId: string;
  text: string | undefined;
  showAlert: boolean;
}

/** An `editMessageReplyMarkup` Telegram accepted: the keyboard the message has now. */
export interface KeyboardEdit {
  chatId: number;
  messageId: number;
  /** Undefined when the keyboard was removed. */
  keyboard: InlineKeyboard | undefined;
}

type Params = Record<string, unknown>;

const STALE_QUERY = 'query is too old and response timeout expired or query ID is invalid';
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/**
 * The inline keyboard in a `reply_markup` parameter, checked like Telegram: rows of buttons,
 * each with a text and exactly one action; `callback_data` 1-64 bytes. `undefined` when there
 * is none (or it is a reply keyboard, which the fake does not model), a string when refused.
 */
export function readInlineKeyboard(markup: unknown): InlineKeyboard | undefined | string {
  if (markup === undefined || markup === '') return undefined;
  if (typeof markup !== 'object' || markup === null)
    return "can't parse reply keyboard markup JSON object";
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return undefined;
  if (!Array.isArray(rows) || !rows.every(Array.isArray))
    return 'field "inline_keyboard" must be an Array of Arrays';
  for (const button of rows.flat() as Array<Record<string, unknown>>) {
    if (typeof button?.text !== 'string' || button.text === '') return 'BUTTON_TEXT_INVALID';
    const data = button.callback_data;
    if (data !== undefined) {
      if (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) {
        return 'BUTTON_DATA_INVALID';
      }
    } else if (typeof button.url !== 'string') {
      return 'BUTTON_TYPE_INVALID';
    }
  }
  const keyboard = rows as InlineKeyboard;
  return keyboard.flat().length === 0 ? undefined : keyboard;
}

/**
 * Inline keyboards and their presses: `answerCallbackQuery` (once per press, as on Telegram,
 * where a second answer is refused) and `editMessageReplyMarkup` on the bot's own messages.
 */
export class Keyboards {
  readonly answers = new Recorder<CallbackAnswer>('telegram callback answers');
  readonly edits = new Recorder<KeyboardEdit>('telegram keyboard edits');
  readonly queries = new Map<string, IssuedCallbackQuery>();
  readonly #world: TelegramWorld;
  #nextQuery = 4_382_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e6));

  constructor(world: TelegramWorld) {
    this.#world = world;
  }

  /**
   * The `callback_query` a press of the button labelled `label` under the bot's message makes.
   * `from` defaults to the chat's user in a private chat, and to the customer the message
   * answers in a group. Throws when the message has no such button (nobody can press it).
   */
  press(chatId: number, messageId: number, label: string, from?: User): CallbackQuery {
    const message = this.#world.findMessage(chatId, messageId);
    if (!message) throw new Error(`fake telegram: no message ${messageId} in chat ${chatId}`);
    const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text === label);
    if (!button || !('callback_data' in button)) {
      throw new Error(`fake telegram: message ${messageId} has no callback button "${label}"`);
    }
    const presser = from ?? defaultPresser(message);
    const query: CallbackQuery = {
      id: String(this.#nextQuery++),
      from: presser,
      message,
      chat_instance: String(BigInt(message.chat.id) * -7919n),
      data: button.callback_data,
    };
    this.queries.set(query.id, { query, answered: false });
    return query;
  }

  answer(params: Params): ApiReply {
    const id = typeof params.callback_query_id === 'string' ? params.callback_query_id : '';
    const issued = this.queries.get(id);
    if (!issued || issued.answered) return badRequest(STALE_QUERY);
    issued.answered = true;
    const text = typeof params.text === 'string' ? params.text : undefined;
    if (text !== undefined && text.length > 200) return badRequest('MESSAGE_TOO_LONG');
    const showAlert = params.show_alert === true || params.show_alert === 'true';
    this.answers.push({ queryId: id, text, showAlert });
    return ok(true);
  }

  editReplyMarkup(params: Params): ApiReply {
    if (params.inline_message_id !== undefined) return badRequest('MESSAGE_ID_INVALID');
    const chat = this.#world.findChat(params.chat_id);
    if (!chat) return badRequest('chat not found');
    const messageId = toInt(params.message_id);
    const message =
      messageId === undefined ? undefined : this.#world.findMessage(chat.id, messageId);
    if (!message || message.from?.id !== this.#world.bot.id) {
      return badRequest('message to edit not found');
    }
    const keyboard = readInlineKeyboard(params.reply_markup);
    if (typeof keyboard === 'string') return badRequest(keyboard);
    const current = message.reply_markup?.inline_keyboard;
    if (JSON.stringify(current) === JSON.stringify(keyboard)) return badRequest(NOT_MODIFIED);
    const { reply_markup: _, ...rest } = message;
    const edited = {
      ...rest,
      edit_date: Math.floor(Date.now() / 1000),
      ...(keyboard && { reply_markup: { inline_keyboard: keyboard } }),
    } as Message;
    this.#world.remember(edited);
    this.edits.push({ chatId: chat.id, messageId: message.message_id, keyboard });
    return ok(edited);
  }
}

function defaultPresser(message: Message): User {
  const chat = message.chat;
  if (chat.type === 'private') {
    return {
      id: chat.id,
      is_bot: false,
      first_name: chat.first_name,
      ...(chat.last_name && { last_name: chat.last_name }),
      ...(chat.username && { username: chat.username }),
    };
  }
  const asked = message.reply_to_message?.from;
  if (!asked) throw new Error('fake telegram: say who presses the button in a group');
  return asked;
}
