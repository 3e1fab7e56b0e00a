import {
  type Client,
  type Message,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { OutboundMessage } from '../../src/types/index.ts';
import { DiscordError, toDiscordError } from './errors.ts';
import { formatForDiscord } from './format.ts';
import { type DiscordTarget, discordConversationId } from './ids.ts';

/**
 * Posts `message` to the conversation's channel, thread or DM, one Discord message per part.
 * discord.js queues requests per rate-limit bucket and waits out 429s itself. Throws a
 * {@link DiscordError}.
 */
export async function sendToDiscord(
  client: Client,
  conversationId: string,
  message: OutboundMessage,
): Promise<void> {
  const target = decodeOrThrow(conversationId);
  const mention = target.kind === 'channel' ? target.userId : undefined;
  const route = Routes.channelMessages(discordConversationId.channelOf(target));
  for (const content of formatForDiscord(message, mention)) {
    // Never ping @everyone or roles from model output; only the customer, when named.
    const body: RESTPostAPIChannelMessageJSONBody = {
      content,
      allowed_mentions: { parse: [], users: mention ? [mention] : [] },
    };
    try {
      await client.rest.post(route, { body });
    } catch (error) {
      throw toDiscordError(error, 'sending a message');
    }
  }
}

/** Shows "Bot is typing…" in the conversation's channel for a few seconds. */
export async function sendDiscordTyping(client: Client, conversationId: string): Promise<void> {
  const target = decodeOrThrow(conversationId);
  try {
    await client.rest.post(Routes.channelTyping(discordConversationId.channelOf(target)));
  } catch (error) {
    throw toDiscordError(error, 'sending a typing indicator');
  }
}

/**
 * Opens the thread a guild conversation lives in, from the customer's message, so the
 * channel stays clean. A thread started from a message shares its id, so a redelivered
 * message whose thread already exists lands in the same conversation. Without permission
 * to open threads, the conversation stays in the channel, one per customer.
 */
export async function openThread(
  message: Message<true>,
  title: string,
): Promise<{ target: DiscordTarget; error?: DiscordError }> {
  if (message.hasThread) return { target: { kind: 'thread', threadId: message.id } };
  try {
    const thread = await message.startThread({
      name: threadName(title, message.member?.displayName ?? message.author.displayName),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
    return { target: { kind: 'thread', threadId: thread.id } };
  } catch (cause) {
    const error = toDiscordError(cause, 'opening a thread');
    // 160004: "A thread has already been created for this message".
    if (error.platformCode === 160004) return { target: { kind: 'thread', threadId: message.id } };
    const target: DiscordTarget = {
      kind: 'channel',
      channelId: message.channelId,
      userId: message.author.id,
    };
    return { target, error };
  }
}

/** A thread name from the question's first line: 1-100 characters, as Discord requires. */
export function threadName(text: string, author: string): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  const name = line || `Support for ${author}`;
  return name.length <= 90 ? name : `${name.slice(0, 89).trimEnd()}…`;
}

function decodeOrThrow(conversationId: string): DiscordTarget {
  const target = discordConversationId.decode(conversationId);
  if (!target) {
    throw new DiscordError('invalid_request', `Not a Discord conversation id: ${conversationId}`);
  }
  return target;
}
