import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Choice, OutboundMessage } from '../../src/types/index.ts';
import { splitMarkdown } from '../split-markdown.ts';
import { escapeHtml, markdownToTelegramHtml } from './markdown-html.ts';

/** Telegram's limit on a message's text after entity parsing, in characters. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/**
 * The HTML texts of the Telegram messages that carry `message` (send with
 * `parse_mode: 'HTML'`). The markdown is split first, at 4,096 characters and never inside
 * a code block, list item or inline span, then each part is rendered, so every part's tags
 * are balanced. Markdown only gets shorter when rendered, so each part fits. An agent's
 * reply is headed with their name.
 */
export function formatForTelegram(message: OutboundMessage): string[] {
  const speaker =
    message.from === 'agent'
      ? `<b>${escapeHtml(message.agentName ?? 'Support')}</b> (support)\n`
      : '';
  const room = TELEGRAM_MESSAGE_LIMIT - visibleLength(speaker);
  return splitMarkdown(message.text, room).map(
    (part, i) => `${i === 0 ? speaker : ''}${markdownToTelegramHtml(part)}`,
  );
}

/** The text of an HTML message as Telegram counts it: tags removed, entities decoded. */
function visibleLength(html: string): number {
  return html.replace(/<[^>]+>/g, '').replace(/&(amp|lt|gt|quot);/g, '_').length;
}

/** The plain text of a part, for a resend when Telegram cannot parse its HTML. */
export function plainFromHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}

/**
 * The inline keyboard for a message's choices: one row, each button labelled with the
 * choice's label and carrying its value as `callback_data` (Telegram allows 1-64 bytes; the
 * engine's values are shorter). Undefined when there are no choices.
 */
export function inlineKeyboard(
  choices: readonly Choice[] | undefined,
): InlineKeyboardMarkup | undefined {
  if (!choices?.length) return undefined;
  return {
    inline_keyboard: [
      choices.map((choice) => ({ text: choice.label, callback_data: choice.value })),
    ],
  };
}
