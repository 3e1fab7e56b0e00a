import type { StoredMessage } from './world.ts';

/** GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT need switching on in the developer portal. */
export const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
export const GUILDS = 1 << 0;
const MESSAGE_CONTENT = 1 << 15;
// Which intent a session needs to receive an event; [guild intent, DM intent].
const EVENT_INTENTS: Record<string, [number, number]> = {
  MESSAGE_CREATE: [1 << 9, 1 << 12],
  MESSAGE_UPDATE: [1 << 9, 1 << 12],
  MESSAGE_DELETE: [1 << 9, 1 << 12],
  MESSAGE_REACTION_ADD: [1 << 10, 1 << 13],
  TYPING_START: [1 << 11, 1 << 14],
};

/** Whether a session with `intents` is sent `event` at all. */
export function receives(event: string, data: unknown, intents: number): boolean {
  if (/^(GUILD|CHANNEL|THREAD)_/.test(event) && !event.startsWith('GUILD_MEMBER')) {
    return (intents & GUILDS) !== 0;
  }
  const pair = EVENT_INTENTS[event];
  if (!pair) return true;
  const inGuild = typeof data === 'object' && data !== null && 'guild_id' in data;
  return (intents & (inGuild ? pair[0] : pair[1])) !== 0;
}

/**
 * What a session without the MESSAGE_CONTENT intent sees: Discord blanks content, embeds,
 * attachments and components, except in DMs, in the app's own messages and in messages that
 * mention the app.
 */
export function applyContentIntent(
  message: StoredMessage,
  intents: number,
  botId: string,
): StoredMessage {
  if ((intents & MESSAGE_CONTENT) !== 0) return message;
  const isDm = message.guild_id === undefined;
  const mentionsBot = message.mentions.some((user) => user.id === botId);
  if (isDm || mentionsBot || message.author.id === botId) return message;
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}
