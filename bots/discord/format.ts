import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Choice, OutboundMessage } from '../../src/types/index.ts';
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

/**
 * The action rows for a message's choices: secondary buttons labelled with each choice's
 * label, its value as the `custom_id` (Discord allows 100 characters; the engine's values are
 * shorter), at most five to a row as Discord requires.
 */
export function buttonRows(
  choices: readonly Choice[] | undefined,
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < (choices?.length ?? 0); i += 5) {
    rows.push({
      type: ComponentType.ActionRow,
      components: (choices ?? []).slice(i, i + 5).map((choice) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: choice.label,
        custom_id: choice.value,
      })),
    });
  }
  return rows;
}
