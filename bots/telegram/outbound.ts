import { type Api, GrammyError } from 'grammy';
import type { OutboundMessage } from '../../src/types/index.ts';
import { TelegramError, toTelegramError } from './errors.ts';
import { formatForTelegram, inlineKeyboard, plainFromHtml } from './format.ts';
import { type TelegramTarget, telegramConversationId } from './ids.ts';

/**
 * Sends `message` to the conversation's chat (and forum topic), one Telegram message per
 * part, as HTML. In groups the first part replies to `replyTo`, the customer's last message,
 * so it is clear whom the bot answers. The message's choices become an inline keyboard under
 * the last part. 429s are waited out by the auto-retry plugin installed on `api`. Throws a
 * {@link TelegramError}.
 */
export async function sendToTelegram(
  api: Api,
  conversationId: string,
  message: OutboundMessage,
  replyTo?: number,
): Promise<void> {
  const target = decodeOrThrow(conversationId);
  const parts = formatForTelegram(message);
  const keyboard = inlineKeyboard(message.choices);
  for (const [i, html] of parts.entries()) {
    const options = {
      ...threadOf(target),
      ...(i === 0 && replyTo !== undefined && target.kind === 'group'
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
      ...(i === parts.length - 1 && keyboard ? { reply_markup: keyboard } : {}),
      link_preview_options: { is_disabled: true },
    };
    try {
      await api.sendMessage(target.chatId, html, { ...options, parse_mode: 'HTML' });
    } catch (error) {
      // A formatting slip must not cost the customer the answer: send it as plain text.
      if (!(error instanceof GrammyError && /can't parse entities/i.test(error.description))) {
        throw toTelegramError(error);
      }
      await api.sendMessage(target.chatId, plainFromHtml(html), options).catch((e: unknown) => {
        throw toTelegramError(e);
      });
    }
  }
}

/** Shows "typing…" in the conversation's chat for a few seconds. */
export async function sendTelegramTyping(api: Api, conversationId: string): Promise<void> {
  const target = decodeOrThrow(conversationId);
  try {
    await api.sendChatAction(target.chatId, 'typing', threadOf(target));
  } catch (error) {
    throw toTelegramError(error);
  }
}

/**
 * Settles a button press once the engine has it: stops the button's spinner on the
 * customer's screen (`answerCallbackQuery`, with `notice` as a toast when given) and, when
 * `clear` is set, removes the inline keyboard from the message, text kept, so it cannot be
 * pressed again. Either step may find the work already done (a redelivered update: the query
 * was answered, the keyboard is gone); that is not a failure. Returns what did fail.
 */
export async function settleTelegramPress(
  api: Api,
  press: { queryId: string; chatId?: number; messageId?: number },
  options: { clear: boolean; notice?: string },
): Promise<TelegramError[]> {
  const failures: TelegramError[] = [];
  await api
    .answerCallbackQuery(press.queryId, options.notice ? { text: options.notice } : {})
    .catch((error: unknown) => {
      if (!isStale(error, /query is too old|query id is invalid/i))
        failures.push(toTelegramError(error));
    });
  if (!options.clear || press.chatId === undefined || press.messageId === undefined) {
    return failures;
  }
  // Without `reply_markup` the inline keyboard is removed; the text stays as it is.
  await api.editMessageReplyMarkup(press.chatId, press.messageId).catch((error: unknown) => {
    if (!isStale(error, /message is not modified/i)) failures.push(toTelegramError(error));
  });
  return failures;
}

/** True for Telegram saying the work was already done: an answered query, a removed keyboard. */
function isStale(error: unknown, description: RegExp): boolean {
  return (
    error instanceof GrammyError && error.error_code === 400 && description.test(error.description)
  );
}

function threadOf(target: TelegramTarget): { message_thread_id?: number } {
  return target.kind === 'group' && target.topicId !== undefined
    ? { message_thread_id: target.topicId }
    : {};
}

function decodeOrThrow(conversationId: string): TelegramTarget {
  const target = telegramConversationId.decode(conversationId);
  if (!target) {
    throw new TelegramError('invalid_request', `Not a Telegram conversation id: ${conversationId}`);
  }
  return target;
}
