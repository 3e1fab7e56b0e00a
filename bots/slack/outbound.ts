import type { App, types } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import type { Choice, OutboundMessage } from '../../src/types/index.ts';
import { SECTION_MAX, type SlackMessage, section } from './blocks.ts';
import { slackCall } from './errors.ts';
import { escapeMrkdwn, splitMessage, toMrkdwn, truncate } from './format.ts';
import { CHOICES_BLOCK, choiceActionId, slackConversationId } from './ids.ts';

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

/** Block Kit's limits: 25 elements in an actions block, 75 characters on a button. */
const MAX_CHOICES = 25;
const LABEL_MAX = 75;

/**
 * A message with buttons under its text (a rating): the text as a section, then one button
 * per choice, `switchboard_choice_<i>` carrying the engine's opaque value as it was given.
 */
export function choicesMessage(text: string, choices: readonly Choice[]): SlackMessage {
  const elements: types.Button[] = choices.slice(0, MAX_CHOICES).map((c, i) => ({
    type: 'button',
    action_id: choiceActionId(i),
    text: { type: 'plain_text', text: truncate(c.label, LABEL_MAX) },
    value: c.value,
  }));
  return { text, blocks: [section(text), { type: 'actions', block_id: CHOICES_BLOCK, elements }] };
}

/**
 * A choice message once its customer pressed a button: the same blocks with the buttons
 * replaced by "You chose 4", so a second press is not offered.
 */
export function choiceMadeMessage(
  message: { text?: string | undefined; blocks?: unknown[] | undefined },
  label: string,
): SlackMessage {
  const chosen: types.ContextBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `You chose *${escapeMrkdwn(label)}*` }],
  };
  const text = message.text ?? '';
  const blocks = (message.blocks ?? [section(text)]) as types.KnownBlock[];
  const kept = blocks.filter((b) => b.block_id !== CHOICES_BLOCK);
  return { text, blocks: [...kept, chosen] };
}

/**
 * Delivers the engine's reply to a Slack customer: into the DM, or into the thread of the
 * mention. Long replies are split at {@link splitMessage}'s limit and sent in order; with
 * `choices`, the last piece carries the buttons (cut to a section's 3,000 characters).
 */
export async function sendToConversation(
  client: Client,
  logger: Logger,
  conversationId: string,
  message: OutboundMessage,
): Promise<void> {
  const ref = slackConversationId.decode(conversationId);
  if (!ref) throw new Error(`not a Slack conversation id: ${conversationId}`);
  const choices = message.choices ?? [];
  const pieces = splitMessage(signed(message), choices.length ? SECTION_MAX : undefined);
  const last = choices.length ? pieces.pop() : undefined;
  for (const text of pieces) {
    await postText(client, logger, { channel: ref.channel, text, threadTs: ref.threadTs });
  }
  if (last === undefined) return;
  await slackCall('chat.postMessage', logger, () =>
    client.chat.postMessage({
      channel: ref.channel,
      ...choicesMessage(last, choices),
      ...inThread(ref.threadTs),
      unfurl_links: false,
      unfurl_media: false,
    }),
  );
}

/** Replaces a choice message's buttons with what was chosen (see {@link choiceMadeMessage}). */
export async function markChoiceMade(
  client: Client,
  logger: Logger,
  posted: {
    channel: string;
    ts: string;
    text?: string | undefined;
    blocks?: unknown[] | undefined;
  },
  label: string,
): Promise<void> {
  const message = choiceMadeMessage(posted, label);
  await slackCall('chat.update', logger, () =>
    client.chat.update({ channel: posted.channel, ts: posted.ts, ...message }),
  );
}
