import { type Api, GrammyError } from 'grammy';
import type { OutboundMessage } from '../../src/types/index.ts';
import { TelegramError, toTelegramError } from './errors.ts';
import { formatForTelegram, plainFromHtml } from './format.ts';
import { type TelegramTarget, telegramConversationId } from './ids.ts';

/**
 * Sends `message` to the conversation's chat (and forum topic), one Telegram message per
 * part, as HTML. In groups the first part replies to `replyTo`, the customer's last message,
 * so it is clear whom the bot answers. 429s are waited out by the auto-retry plugin installed
 * on `api`. Throws a {@link TelegramError}.
 */
export async function sendToTelegram(
  api: Api,
  conversationId: string,
  message: OutboundMessage,
  replyTo?: number,
): Promise<void> {
  const target = decodeOrThrow(conversationId);
  const parts = formatForTelegram(message);
  for (const [i, html] of parts.entries()) {
    const options = {
      ...threadOf(target),
      ...(i === 0 && replyTo !== undefined && target.kind === 'group'
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
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
