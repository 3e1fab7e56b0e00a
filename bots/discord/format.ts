import type { OutboundMessage } from '../../src/types/index.ts';
import { splitMarkdown } from '../split-markdown.ts';

/** Discord's limit on a message's `content`, in characters. */
export const DISCORD_MESSAGE_LIMIT = 2000;

/**
 * The `content` of the Discord messages that carry `message`. Discord renders markdown
 * itself, so the text goes as it is: an agent's reply is headed with their name, and a long
 * reply is split at 2,000 characters without breaking code blocks, list items or inline
 * formatting. `mention` (a user id) is put in front of the first part, for conversations that
 * live in a shared channel rather than a thread.
 */
export function formatForDiscord(message: OutboundMessage, mention?: string): string[] {
  const speaker =
    message.from === 'agent'
      ? `**${escapeMarkdown(message.agentName ?? 'Support')}** (support)\n`
      : '';
  const prefix = `${mention ? `<@${mention}> ` : ''}${speaker}`;
  const parts = splitMarkdown(message.text, DISCORD_MESSAGE_LIMIT - prefix.length);
  if (parts.length === 0) return [];
  return parts.map((part, i) => (i === 0 ? `${prefix}${part}` : part));
}

/** Escapes markdown in a name so "_bob_" stays "_bob_" and not italic. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`~|>[\]()#])/g, '\\$1');
}
