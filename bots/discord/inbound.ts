import { type ButtonInteraction, ChannelType, type Message } from 'discord.js';
import { z } from 'zod';
import type { InboundMessage } from '../../src/types/index.ts';
import { type DiscordTarget, discordConversationId } from './ids.ts';

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

/** What to do with one button press (`interactionCreate`, a button). */
export type DiscordPress =
  | { kind: 'ignore' }
  /** Someone else pressed the buttons under an answer to a customer in a shared channel. */
  | { kind: 'not-theirs' }
  | { kind: 'press'; inbound: InboundMessage };

/**
 * Turns a press of a button under one of the bot's messages into the engine's message: `text`
 * is the button's label and `choice` its `custom_id`, uninterpreted (the engine checks it),
 * with the interaction's id as the message id, in the conversation the place's messages use:
 * the DM, the thread, or in a shared channel the presser's own. There the buttons under an
 * answer that names a customer are theirs, and another member's press is turned away. The
 * payload's shape was checked before discord.js read it (schema.ts).
 */
export function routePress(interaction: ButtonInteraction, botId: string): DiscordPress {
  const { message, user } = interaction;
  if (message.author.id !== botId || user.bot) return { kind: 'ignore' };
  // Discord checks the id is one of the message's buttons; the label comes from there.
  const component = interaction.component;
  const label = component && 'label' in component ? component.label : undefined;
  if (!label) return { kind: 'ignore' };
  const channel = interaction.channel;
  let target: DiscordTarget;
  if (!interaction.inGuild()) {
    if (channel?.type !== ChannelType.DM) return { kind: 'ignore' };
    target = { kind: 'dm', channelId: channel.id };
  } else if (channel?.isThread()) {
    target = { kind: 'thread', threadId: channel.id };
  } else if (channel) {
    const named = message.mentions.users;
    if (named.size > 0 && !named.has(user.id)) return { kind: 'not-theirs' };
    target = { kind: 'channel', channelId: channel.id, userId: user.id };
  } else {
    return { kind: 'ignore' };
  }
  return {
    kind: 'press',
    inbound: {
      platform: 'discord',
      conversationId: discordConversationId.encode(target),
      messageId: interaction.id,
      author: {
        id: user.id,
        name: interaction.inCachedGuild() ? interaction.member.displayName : user.displayName,
      },
      text: label,
      choice: interaction.customId,
      receivedAt: new Date(),
    },
  };
}
