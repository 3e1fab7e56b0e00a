import { ChannelType, type Message } from 'discord.js';
import { z } from 'zod';
import type { InboundMessage } from '../../src/types/index.ts';
import type { DiscordTarget } from './ids.ts';

/** What to do with one `messageCreate`. */
export type DiscordRoute =
  /** `reason` says why a message that does not fit {@link readable} was dropped. */
  | { kind: 'ignore'; reason?: string }
  /** The message belongs to a conversation whose place is already known. */
  | { kind: 'conversation'; target: DiscordTarget }
  /** A mention in a guild text channel: open a thread from it for the conversation. */
  | { kind: 'new-thread'; message: Message<true> };

const IGNORE: DiscordRoute = { kind: 'ignore' };

/**
 * The fields of a message this adapter reads, checked before routing: discord.js builds a
 * `Message` from whatever the gateway sent, so a payload without an author, or with a
 * content that is not a string, still arrives as one.
 */
const readable = z.object({
  id: z.string().min(1),
  channelId: z.string().min(1),
  content: z.string(),
  author: z.object({ id: z.string().min(1), bot: z.boolean() }),
});

/**
 * Decides whether the bot answers a message, and where: every DM; in guilds, mentions of
 * the bot, and any message in a thread the bot opened (follow-ups need no mention). Bots,
 * webhooks and system messages (joins, pins, thread starters) are ignored, the bot's own
 * echoes included, and so are messages that do not fit {@link readable}.
 */
export function routeMessage(message: Message, botId: string): DiscordRoute {
  const fits = readable.safeParse(message);
  if (!fits.success) {
    const issue = fits.error.issues[0];
    return {
      kind: 'ignore',
      reason: `malformed message: ${issue?.path.join('.')}: ${issue?.message}`,
    };
  }
  if (message.author.bot || message.webhookId || message.system) return IGNORE;
  if (message.channel.type === ChannelType.DM) {
    return { kind: 'conversation', target: { kind: 'dm', channelId: message.channelId } };
  }
  if (!message.inGuild()) return IGNORE;
  const mentioned = mentionsBot(message, botId);
  const channel = message.channel;
  if (channel.isThread()) {
    return channel.ownerId === botId || mentioned
      ? { kind: 'conversation', target: { kind: 'thread', threadId: channel.id } }
      : IGNORE;
  }
  if (!mentioned) return IGNORE;
  if (channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement) {
    return { kind: 'new-thread', message };
  }
  // Voice and stage text chats cannot hold threads: answer there, one conversation per person.
  return {
    kind: 'conversation',
    target: { kind: 'channel', channelId: message.channelId, userId: message.author.id },
  };
}

/** True when the message mentions the bot, or the role Discord made for it. */
function mentionsBot(message: Message<true>, botId: string): boolean {
  return (
    message.mentions.users.has(botId) ||
    message.mentions.roles.some((role) => role.tags?.botId === botId)
  );
}

/**
 * The customer's words: the bot's mention removed, attachments named so the agent knows
 * they exist. Empty when the Message Content intent is off and the bot was not mentioned.
 */
export function customerText(message: Message, botId: string): string {
  const botRoles = message.inGuild()
    ? message.mentions.roles.filter((role) => role.tags?.botId === botId).map((role) => role.id)
    : [];
  let text = message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), '');
  for (const roleId of botRoles) text = text.replaceAll(`<@&${roleId}>`, '');
  const files = [...message.attachments.values()].map((a) => a.name);
  if (files.length > 0) text = `${text.trim()}\n(attached: ${files.join(', ')})`;
  return text.trim();
}

/** The engine's view of a Discord message in the conversation `conversationId`. */
export function toInbound(message: Message, conversationId: string, text: string): InboundMessage {
  return {
    platform: 'discord',
    conversationId,
    messageId: message.id,
    author: {
      id: message.author.id,
      name: message.member?.displayName ?? message.author.displayName,
    },
    text,
    receivedAt: new Date(),
  };
}
