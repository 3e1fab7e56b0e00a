import type { App } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import type { OutboundMessage } from '../../src/types/index.ts';
import { slackCall } from './errors.ts';
import { escapeMrkdwn, splitMessage, toMrkdwn } from './format.ts';
import { slackConversationId } from './ids.ts';

type Client = App['client'];

/** A posted message: where it went. */
export interface PostedRef {
  channel: string;
  ts: string;
}

/** The thread fields of a post: none, a reply, or a reply also broadcast to the channel. */
export function inThread(threadTs: string | undefined, broadcast = false) {
  if (!threadTs) return {};
  return broadcast
    ? { thread_ts: threadTs, reply_broadcast: true as const }
    : { thread_ts: threadTs };
}

/** Posts one mrkdwn message (optionally in a thread); link previews stay off. */
export async function postText(
  client: Client,
  logger: Logger,
  message: { channel: string; text: string; threadTs?: string | undefined; broadcast?: boolean },
): Promise<PostedRef> {
  const posted = await slackCall('chat.postMessage', logger, () =>
    client.chat.postMessage({
      channel: message.channel,
      text: message.text,
      ...inThread(message.threadTs, message.broadcast),
      unfurl_links: false,
      unfurl_media: false,
    }),
  );
  return { channel: posted.channel ?? message.channel, ts: posted.ts ?? '' };
}

/** How a reply is signed: agents by name, the bot and system notices not at all. */
function signed(message: OutboundMessage): string {
  const text = toMrkdwn(message.text);
  if (message.from !== 'agent') return text;
  return `*${escapeMrkdwn(message.agentName ?? 'Support')}* (support): ${text}`;
}

/**
 * Delivers the engine's reply to a Slack customer: into the DM, or into the thread of the
 * mention. Long replies are split at {@link splitMessage}'s limit and sent in order.
 */
export async function sendToConversation(
  client: Client,
  logger: Logger,
  conversationId: string,
  message: OutboundMessage,
): Promise<void> {
  const ref = slackConversationId.decode(conversationId);
  if (!ref) throw new Error(`not a Slack conversation id: ${conversationId}`);
  for (const text of splitMessage(signed(message))) {
    await postText(client, logger, { channel: ref.channel, text, threadTs: ref.threadTs });
  }
}
