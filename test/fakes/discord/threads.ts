import type { APIThreadChannel, ChannelFlags, ThreadAutoArchiveDuration } from 'discord.js';
import { error, formError, type Reply } from './rest-http.ts';
import { type DiscordWorld, discordTimestamp } from './world.ts';

export type FakeThread = APIThreadChannel & { guild_id?: string; name: string };

/**
 * `POST /channels/:id/messages/:id/threads`: validates like Discord (text or announcement
 * channel, starter message in that channel, name 1-100 chars, one thread per message) and
 * creates a public thread (type 11) that shares the starter message's id.
 */
export function startThread(
  world: DiscordWorld,
  channelId: string,
  messageId: string,
  body: Record<string, unknown>,
): FakeThread | Reply {
  const parent = world.channels.get(channelId);
  if (!parent) return error(404, 10003, 'Unknown Channel');
  if (parent.type !== 0 && parent.type !== 5) {
    return error(400, 50024, 'Cannot execute action on this channel type');
  }
  if (world.messages.get(messageId)?.channel_id !== channelId) {
    return error(404, 10008, 'Unknown Message');
  }
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    return formError('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (world.channels.has(messageId)) {
    return error(400, 160004, 'A thread has already been created for this message');
  }
  const now = discordTimestamp();
  const defaultArchive =
    'default_auto_archive_duration' in parent ? parent.default_auto_archive_duration : undefined;
  const thread: FakeThread = {
    id: messageId,
    type: 11,
    guild_id: world.guildIdOf(channelId),
    parent_id: channelId,
    owner_id: world.bot.id,
    name,
    last_message_id: null,
    rate_limit_per_user:
      typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    flags: 0 as ChannelFlags,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: (body.auto_archive_duration ??
        defaultArchive ??
        4320) as ThreadAutoArchiveDuration,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
    },
    member: { id: messageId, user_id: world.bot.id, join_timestamp: now, flags: 1 },
  };
  world.channels.set(thread.id, thread);
  return thread;
}
