import {
  type ButtonInteraction,
  type Client,
  type Message,
  MessageFlags,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { OutboundMessage } from '../../src/types/index.ts';
import { DiscordError, toDiscordError } from './errors.ts';
import { buttonRows, formatForDiscord } from './format.ts';
import { type DiscordTarget, discordConversationId } from './ids.ts';

/**
 * Posts `message` to the conversation's channel, thread or DM, one Discord message per part;
 * its choices become a row of buttons under the last part. discord.js queues requests per
 * rate-limit bucket and waits out 429s itself. Throws a {@link DiscordError}.
 */
export async function sendToDiscord(
  client: Client,
  conversationId: string,
  message: OutboundMessage,
): Promise<void> {
  const target = decodeOrThrow(conversationId);
  const mention = target.kind === 'channel' ? target.userId : undefined;
  const route = Routes.channelMessages(discordConversationId.channelOf(target));
  const parts = formatForDiscord(message, mention);
  const components = buttonRows(message.choices);
  for (const [i, content] of parts.entries()) {
    // Never ping @everyone or roles from model output; only the customer, when named.
    const body: RESTPostAPIChannelMessageJSONBody = {
      content,
      allowed_mentions: { parse: [], users: mention ? [mention] : [] },
      ...(i === parts.length - 1 && components.length > 0 ? { components } : {}),
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

// 10062 Unknown interaction: too late to answer (3 s); 40060: another instance answered it.
const PRESS_GONE = new Set([10062, 40060]);

/**
 * Settles a button press the engine has: acknowledges it and takes the buttons off the
 * message in one answer (UPDATE_MESSAGE with no components; the text stays), so it cannot be
 * pressed twice. When the interaction can no longer be answered, the message is edited
 * directly instead. Returns what failed.
 */
export async function settleDiscordPress(
  client: Client,
  interaction: ButtonInteraction,
): Promise<DiscordError | undefined> {
  try {
    await interaction.update({ components: [] });
    return undefined;
  } catch (cause) {
    const failure = toDiscordError(cause, 'acknowledging a button press');
    try {
      await client.rest.patch(
        Routes.channelMessage(interaction.channelId, interaction.message.id),
        {
          body: { components: [] },
        },
      );
    } catch (editCause) {
      return toDiscordError(editCause, 'removing the buttons from a message');
    }
    return PRESS_GONE.has(Number(failure.platformCode)) ? undefined : failure;
  }
}

/**
 * Acknowledges a press without changing the message (DEFERRED_UPDATE_MESSAGE), or answers it
 * with a line only the presser sees, so Discord does not say "This interaction failed".
 */
export async function acknowledgeDiscordPress(
  interaction: ButtonInteraction,
  notice?: string,
): Promise<DiscordError | undefined> {
  try {
    if (notice) await interaction.reply({ content: notice, flags: MessageFlags.Ephemeral });
    else await interaction.deferUpdate();
    return undefined;
  } catch (cause) {
    const failure = toDiscordError(cause, 'acknowledging a button press');
    return PRESS_GONE.has(Number(failure.platformCode)) ? undefined : failure;
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
