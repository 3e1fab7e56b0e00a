import type { Message, MessageEntity } from 'grammy/types';
import { Recorder } from '../recorder.ts';
import { toBool, toInt, type UploadedFile } from './body.ts';
import { parseTelegramHtml } from './html.ts';
import { type InlineKeyboard, Keyboards, readInlineKeyboard } from './keyboards.ts';
import { type ApiReply, badRequest, fail, ok } from './reply.ts';
import type { UpdateQueue } from './updates.ts';
import { WebhookRegistry } from './webhook.ts';
import type { TelegramWorld } from './world.ts';

/** A `sendMessage` Telegram accepted. */
export interface SentTelegramMessage {
  chatId: number;
  /** The text as the user sees it (HTML parsed away). */
  text: string;
  /** The `text` parameter exactly as sent. */
  rawText: string;
  parseMode: string | undefined;
  replyToMessageId: number | undefined;
  messageThreadId: number | undefined;
  /** The inline keyboard it was sent with (the buttons it has now: `keyboardOf`). */
  keyboard: InlineKeyboard | undefined;
  params: Record<string, unknown>;
  message: Message;
}

export interface ChatActionRecord {
  chatId: number;
  action: string;
  messageThreadId: number | undefined;
}

type Params = Record<string, unknown>;
type OnAbort = (cancel: () => void) => void;
type MethodHandler = (
  params: Params,
  files: UploadedFile[],
  onAbort: OnAbort,
) => ApiReply | Promise<ApiReply>;

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** The Bot API methods a support bot uses. Method names are case-insensitive, as on Telegram. */
export class TelegramMethods {
  readonly sent = new Recorder<SentTelegramMessage>('telegram sent messages');
  readonly chatActions = new Recorder<ChatActionRecord>('telegram chat actions');
  readonly webhook: WebhookRegistry;
  readonly keyboards: Keyboards;
  readonly #world: TelegramWorld;
  readonly #updates: UpdateQueue;
  readonly #handlers: Record<string, MethodHandler>;

  constructor(world: TelegramWorld, updates: UpdateQueue) {
    this.#world = world;
    this.#updates = updates;
    this.webhook = new WebhookRegistry(updates);
    this.keyboards = new Keyboards(world);
    this.#handlers = {
      getme: () => ok(world.bot),
      getupdates: (params, _, onAbort) => this.#getUpdates(params, onAbort),
      sendmessage: (params) => this.#sendMessage(params),
      sendchataction: (params) => this.#sendChatAction(params),
      answercallbackquery: (params) => this.keyboards.answer(params),
      editmessagereplymarkup: (params) => this.keyboards.editReplyMarkup(params),
      setwebhook: (params, files) => this.webhook.set(params, files),
      deletewebhook: (params) => this.webhook.delete(params),
      getwebhookinfo: () => this.webhook.info(),
    };
  }

  has(method: string): boolean {
    return method.toLowerCase() in this.#handlers;
  }

  async call(
    method: string,
    params: Params,
    files: UploadedFile[],
    onAbort: OnAbort,
  ): Promise<ApiReply> {
    const handler = this.#handlers[method.toLowerCase()];
    return handler ? handler(params, files, onAbort) : fail(404, 'Not Found');
  }

  async #getUpdates(params: Params, onAbort: OnAbort): Promise<ApiReply> {
    if (this.webhook.active) return fail(409, WEBHOOK_CONFLICT);
    const poll = {
      offset: toInt(params.offset),
      limit: toInt(params.limit),
      timeout: toInt(params.timeout),
      allowed_updates: Array.isArray(params.allowed_updates)
        ? (params.allowed_updates as string[])
        : undefined,
    };
    const result = await this.#updates.poll(poll, onAbort);
    return result.ok ? ok(result.updates) : fail(result.error_code, result.description);
  }

  #sendMessage(params: Params): ApiReply {
    if (params.chat_id === undefined || params.chat_id === '')
      return badRequest('chat_id is empty');
    const chat = this.#world.findChat(params.chat_id);
    if (!chat) return badRequest('chat not found');
    const rawText = typeof params.text === 'string' ? params.text : '';
    const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
    let text = rawText;
    let entities = Array.isArray(params.entities)
      ? (params.entities as MessageEntity[])
      : undefined;
    if (parseMode?.toLowerCase() === 'html') {
      const parsed = parseTelegramHtml(rawText);
      if (!parsed.ok) return badRequest(`can't parse entities: ${parsed.error}`);
      text = parsed.text;
      entities = parsed.entities;
    } else if (parseMode && !['markdown', 'markdownv2'].includes(parseMode.toLowerCase())) {
      return badRequest('unsupported parse_mode');
    }
    if (text.trim() === '') return badRequest('message text is empty');
    if (text.length > 4096) return badRequest('message is too long');
    const keyboard = readInlineKeyboard(params.reply_markup);
    if (typeof keyboard === 'string') return badRequest(keyboard);

    const reply = (
      typeof params.reply_parameters === 'object' ? params.reply_parameters : {}
    ) as Params;
    const replyToId = toInt(reply.message_id) ?? toInt(params.reply_to_message_id);
    const replyTo =
      replyToId === undefined ? undefined : this.#world.findMessage(chat.id, replyToId);
    const withoutReply = toBool(
      reply.allow_sending_without_reply ?? params.allow_sending_without_reply,
    );
    if (replyToId !== undefined && !replyTo && !withoutReply) {
      return badRequest('message to be replied not found');
    }
    const threadId = toInt(params.message_thread_id);
    const inTopic = threadId !== undefined && 'is_forum' in chat && chat.is_forum === true;
    const message = {
      message_id: this.#world.nextMessageId(chat.id),
      from: this.#world.bot,
      chat,
      date: Math.floor(Date.now() / 1000),
      ...(threadId !== undefined && { message_thread_id: threadId }),
      ...(inTopic && { is_topic_message: true }),
      ...(replyTo && { reply_to_message: replyTo }),
      text,
      ...(entities?.length && { entities }),
      ...(keyboard && { reply_markup: { inline_keyboard: keyboard } }),
    } as Message;
    this.#world.remember(message);
    this.sent.push({
      chatId: chat.id,
      text,
      rawText,
      parseMode,
      replyToMessageId: replyTo?.message_id,
      messageThreadId: threadId,
      keyboard,
      params,
      message,
    });
    return ok(message);
  }

  #sendChatAction(params: Params): ApiReply {
    const chat = this.#world.findChat(params.chat_id);
    if (!chat) return badRequest('chat not found');
    const action = String(params.action ?? '');
    if (!CHAT_ACTIONS.has(action)) return badRequest('wrong parameter action in request');
    const messageThreadId = toInt(params.message_thread_id);
    this.chatActions.push({ chatId: chat.id, action, messageThreadId });
    return ok(true);
  }
}
