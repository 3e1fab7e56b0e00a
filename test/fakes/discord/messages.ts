import type { APIEmbed, APIMessage, APIUser, MessageFlags } from 'discord.js';
import { type DiscordWorld, discordTimestamp, type StoredMessage, snowflake } from './world.ts';

/** What a test says about a customer message; everything else is filled in like Discord would. */
export interface InboundMessageInput {
  content: string;
  /** A user object or the id of a user the fake knows. Defaults to the fixture's customer. */
  author?: APIUser | string;
  /** Defaults to `#support`, or to the author's DM channel when `dm` is set. */
  channel_id?: string;
  /** Derived from the channel when omitted. */
  guild_id?: string;
  dm?: boolean;
  /** Derived from `<@id>` in `content` when omitted, as Discord does. */
  mentions?: APIUser[];
  id?: string;
  /** Makes this a reply (type 19) to that message. */
  reply_to?: string;
  embeds?: APIEmbed[];
}

function resolveAuthor(world: DiscordWorld, author: APIUser | string | undefined): APIUser {
  if (author === undefined) return world.customer;
  if (typeof author !== 'string') return world.addUser(author);
  const known = world.users.get(author);
  if (!known) throw new Error(`fake discord: unknown user ${author}`);
  return known;
}

/** Builds (and stores) the MESSAGE_CREATE payload a customer's message produces. */
export function buildInboundMessage(
  world: DiscordWorld,
  input: InboundMessageInput,
): StoredMessage {
  const author = resolveAuthor(world, input.author);
  let channelId = input.channel_id;
  if (input.dm || (channelId && !world.channels.has(channelId) && !input.guild_id)) {
    channelId = world.dmChannelFor(author, channelId).id;
  }
  channelId ??= world.supportChannelId;
  const guildId = input.guild_id ?? world.guildIdOf(channelId);
  const channelType = world.channels.get(channelId)?.type ?? (guildId ? 0 : 1);
  const referenced = input.reply_to ? world.messages.get(input.reply_to) : undefined;
  const member = guildId ? world.members.get(author.id) : undefined;
  const message: StoredMessage = {
    id: input.id ?? snowflake(),
    type: referenced ? 19 : 0,
    channel_id: channelId,
    channel_type: channelType,
    ...(guildId && { guild_id: guildId }),
    author,
    ...(member && { member }),
    content: input.content,
    timestamp: discordTimestamp(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: world.withMembers(input.mentions ?? world.mentionsIn(input.content), guildId),
    mention_roles: [],
    attachments: [],
    embeds: input.embeds ?? [],
    components: [],
    pinned: false,
    flags: 0 as MessageFlags,
    nonce: snowflake(),
    ...(referenced && {
      message_reference: {
        type: 0,
        message_id: referenced.id,
        channel_id: referenced.channel_id,
        ...(guildId && { guild_id: guildId }),
      },
      referenced_message: referenced,
    }),
  };
  return world.storeMessage(message);
}

/** Body of `POST /channels/:id/messages`, as far as the fake looks at it. */
export interface CreateMessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  sticker_ids?: string[];
  poll?: unknown;
  nonce?: string | number;
  tts?: boolean;
  flags?: number;
  message_reference?: { message_id?: string; fail_if_not_exists?: boolean; type?: number };
}

/** The message Discord stores for a bot's send; REST returns it without `guild_id`. */
export function buildBotMessage(
  world: DiscordWorld,
  channelId: string,
  body: CreateMessageBody,
  referenced: StoredMessage | undefined,
  attachmentNames: string[],
): StoredMessage {
  const content = body.content ?? '';
  const guildId = world.guildIdOf(channelId);
  const message: APIMessage & { guild_id?: string } = {
    id: snowflake(),
    type: referenced ? 19 : 0,
    channel_id: channelId,
    author: world.bot,
    content,
    timestamp: discordTimestamp(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    mention_everyone: false,
    mentions: world.mentionsIn(content),
    mention_roles: [],
    attachments: attachmentNames.map((filename) => ({
      id: snowflake(),
      filename,
      size: 0,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${filename}`,
    })),
    embeds: body.embeds ?? [],
    components: (body.components ?? []) as APIMessage['components'],
    pinned: false,
    flags: body.flags ?? 0,
    ...(body.nonce !== undefined && { nonce: body.nonce }),
    ...(referenced && {
      message_reference: {
        type: 0,
        message_id: referenced.id,
        channel_id: referenced.channel_id,
        ...(referenced.guild_id && { guild_id: referenced.guild_id }),
      },
      referenced_message: referenced,
    }),
  };
  return world.storeMessage(guildId ? { ...message, guild_id: guildId } : message);
}

/** Adds what MESSAGE_CREATE carries beyond the REST shape: `channel_type` and the author's `member`. */
export function toGatewayMessage(world: DiscordWorld, message: StoredMessage): StoredMessage {
  const guildId = message.guild_id;
  const member = guildId ? world.members.get(message.author.id) : undefined;
  return {
    ...message,
    channel_type: world.channels.get(message.channel_id)?.type ?? (guildId ? 0 : 1),
    ...(member && { member }),
    mentions: world.withMembers(message.mentions, guildId),
  } as StoredMessage;
}

/** What an edit of a bot message may change, as far as the fake looks. */
export interface EditMessageBody {
  content?: string | null;
  embeds?: APIEmbed[] | null;
  components?: unknown[] | null;
}

/**
 * The bot's message after an edit (`PATCH /channels/:id/messages/:id`, or an interaction's
 * UPDATE_MESSAGE): fields left out stay as they were, `null` or `[]` clears them. Stores the
 * edited copy (the one in `sent` stays as sent) and returns it.
 */
export function editBotMessage(
  world: DiscordWorld,
  message: StoredMessage,
  body: EditMessageBody,
): StoredMessage {
  const edited: StoredMessage = {
    ...message,
    ...(body.content !== undefined && { content: body.content ?? '' }),
    ...(body.embeds !== undefined && { embeds: body.embeds ?? [] }),
    ...(body.components !== undefined && {
      components: (body.components ?? []) as APIMessage['components'],
    }),
    edited_timestamp: discordTimestamp(),
  };
  world.messages.set(edited.id, edited);
  return edited;
}
