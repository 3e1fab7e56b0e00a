import type { types } from '@slack/bolt';
import type { Digest, DigestEntry, Handoff, StoredMessage } from '../../src/types/index.ts';
import { escapeMrkdwn, truncate } from './format.ts';
import { ACTIONS, clusterValue, handoffValue } from './ids.ts';

/** A message as chat.postMessage / chat.update take it: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** Block Kit's limits: section text 3,000 characters, 50 blocks per message. */
export const SECTION_MAX = 3000;
const LAST_MESSAGES = 5;
const LINE_MAX = 300;

const PLATFORM: Record<string, string> = {
  web: 'web chat',
  slack: 'Slack',
  discord: 'Discord',
  telegram: 'Telegram',
};
const PRIORITY_ICON: Record<string, string> = {
  low: '',
  medium: '',
  high: ':small_orange_diamond: ',
  critical: ':rotating_light: ',
};

export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
/** A mrkdwn section, cut to Block Kit's 3,000 characters. */
export const section = (text: string): types.SectionBlock => ({
  type: 'section',
  text: mrkdwn(truncate(text, SECTION_MAX)),
});
/** A line of small grey mrkdwn, cut to Block Kit's 3,000 characters. */
export const context = (text: string): types.ContextBlock => ({
  type: 'context',
  elements: [mrkdwn(truncate(text, SECTION_MAX))],
});

/** Whoever holds a handoff, as a Slack mention when it is a Slack user. */
export function agentLabel(h: Pick<Handoff, 'agentId' | 'agentName'>): string {
  if (h.agentId && /^[UW][A-Z0-9]+$/.test(h.agentId)) return `<@${h.agentId}>`;
  return escapeMrkdwn(h.agentName ?? 'an agent');
}

/** "Telegram", "web chat": a platform as agents read it. */
export const platformName = (platform: string): string => PLATFORM[platform] ?? platform;

/** "Dana (Discord)": who the customer is and where they wrote from. */
export function customerLabel(h: Pick<Handoff, 'customerName' | 'platform'>): string {
  return `${escapeMrkdwn(h.customerName)} (${platformName(h.platform)})`;
}

function lastMessages(messages: readonly StoredMessage[]): string | undefined {
  const lines = messages
    .filter((m) => m.meta?.internal !== true)
    .slice(-LAST_MESSAGES)
    .map((m) => {
      const who = m.role === 'customer' ? (m.authorName ?? 'Customer') : m.role;
      const text = truncate(m.text.replace(/\s+/g, ' ').trim(), LINE_MAX);
      return `>*${escapeMrkdwn(who)}:* ${escapeMrkdwn(text)}`;
    });
  return lines.length ? `*Last messages*\n${lines.join('\n')}` : undefined;
}

function statusLine(h: Handoff): string {
  if (h.status === 'open') return ':hourglass_flowing_sand: Waiting for an agent';
  if (h.status === 'claimed')
    return `:raising_hand: Claimed by ${agentLabel(h)}. Replies in this thread reach the customer; start a line with \`//\` for an internal note.`;
  return `:white_check_mark: Resolved${h.agentId ? ` (handled by ${agentLabel(h)})` : ''}`;
}

function buttons(h: Handoff): types.ActionsBlock | undefined {
  const value = handoffValue.encode(h.id);
  const resolve: types.Button = {
    type: 'button',
    action_id: ACTIONS.resolve,
    text: { type: 'plain_text', text: 'Resolve' },
    value,
  };
  if (h.status === 'resolved') return undefined;
  const claim: types.Button = {
    type: 'button',
    action_id: ACTIONS.claim,
    text: { type: 'plain_text', text: 'Claim' },
    style: 'primary',
    value,
  };
  return {
    type: 'actions',
    block_id: 'handoff_actions',
    elements: h.status === 'open' ? [claim, resolve] : [resolve],
  };
}

/**
 * The agent-channel post of a handoff: customer and platform, summary, classification,
 * the last messages before the handoff, its status, and Claim / Resolve buttons.
 */
export function handoffPost(h: Handoff, messages: readonly StoredMessage[]): SlackMessage {
  const { category, priority, sentiment } = h.classification;
  const blocks: types.KnownBlock[] = [
    section(`:sos: *New handoff* #${h.id} from *${customerLabel(h)}*`),
    section(escapeMrkdwn(h.summary || '(no summary)')),
    context(
      `${PRIORITY_ICON[priority] ?? ''}Category: *${escapeMrkdwn(category)}* · Priority: *${priority}* · Sentiment: *${sentiment}*`,
    ),
  ];
  const recent = lastMessages(messages);
  if (recent) blocks.push(section(recent));
  blocks.push(context(statusLine(h)));
  const actions = buttons(h);
  if (actions) blocks.push(actions);
  const text = `Handoff #${h.id} from ${h.customerName} (${h.platform}): ${truncate(h.summary, 200)} [${h.status}]`;
  return { text, blocks };
}

/**
 * The reminder posted into a handoff's thread (and broadcast to the channel) when nobody
 * claimed it within the SLA, with the same buttons as the post.
 */
export function reminderPost(
  h: Handoff,
  options: { slaMinutes: number; assignedTo?: string | undefined },
): SlackMessage {
  const assigned = options.assignedTo
    ? `\nAssigned to <@${options.assignedTo}>, who has the fewest open handoffs.`
    : '';
  const blocks: types.KnownBlock[] = [
    section(
      `:alarm_clock: *Handoff #${h.id} from ${customerLabel(h)} waited past the ${options.slaMinutes}-minute SLA.*${assigned}\n${escapeMrkdwn(truncate(h.summary, 500))}`,
    ),
    context(statusLine(h)),
  ];
  const actions = buttons(h);
  if (actions) blocks.push(actions);
  const text = `Reminder: handoff #${h.id} from ${h.customerName} is unclaimed after ${options.slaMinutes} min [${h.status}]`;
  return { text, blocks };
}

const TREND: Record<string, string> = {
  new: ':new: new',
  rising: ':chart_with_upwards_trend: rising',
  falling: ':chart_with_downwards_trend: falling',
  steady: ':left_right_arrow: steady',
};

/** "3.2.1 ×4, 3.2.0 ×1 (since 3.2.1) · iOS ×3, Android ×2", when the reports gave any. */
function environmentLine(e: DigestEntry): string[] {
  const tally = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${escapeMrkdwn(k)} ×${n}`)
      .join(', ');
  const since = e.sinceVersion ? ` (since ${escapeMrkdwn(e.sinceVersion)})` : '';
  const versions = tally(e.environment?.appVersions ?? {});
  const systems = tally({ ...e.environment?.os, ...e.environment?.browsers });
  const parts = [versions ? `${versions}${since}` : '', systems].filter(Boolean);
  return parts.length > 0 ? [parts.join(' · ')] : [];
}

function digestEntryBlocks(e: DigestEntry, markFixed: boolean): types.KnownBlock[] {
  const area = e.productArea ? escapeMrkdwn(e.productArea) : 'no product area';
  const mix = (['critical', 'high', 'medium', 'low'] as const)
    .filter((p) => e.priorityMix[p] > 0)
    .map((p) => `${e.priorityMix[p]} ${p}`)
    .join(', ');
  const head: types.SectionBlock = section(
    [
      `*${e.rank}. ${escapeMrkdwn(e.title)}*`,
      `${area} · ${TREND[e.trend] ?? e.trend} · urgency *${e.urgency}* · impact ${e.impact}`,
      `${e.reports} reports from ${e.uniqueReporters} people · ${e.platforms.join(', ') || 'no platform'} · ${mix || 'no priority'}`,
      ...environmentLine(e),
    ].join('\n'),
  );
  if (markFixed)
    head.accessory = {
      type: 'button',
      action_id: ACTIONS.markFixed,
      text: { type: 'plain_text', text: 'Mark fixed' },
      value: clusterValue.encode(e.clusterId),
      confirm: {
        title: { type: 'plain_text', text: 'Mark this cluster fixed?' },
        text: mrkdwn('Its reporters are told the fix is out, on the platform they wrote from.'),
        confirm: { type: 'plain_text', text: 'Mark fixed' },
        deny: { type: 'plain_text', text: 'Cancel' },
      },
    };
  const quotes = e.quotes.map(
    (q) => `>${escapeMrkdwn(truncate(q.replace(/\s+/g, ' '), LINE_MAX))}`,
  );
  const more = e.reports - e.ticketRefs.length;
  const tickets = `Tickets: ${e.ticketRefs.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  return [head, context([...quotes, tickets].join('\n'))];
}

/** Entries per message: two blocks each, under Block Kit's 50-block limit with the heading. */
export const DIGEST_ENTRIES_PER_MESSAGE = 20;

/**
 * The digest as one or more messages (Block Kit allows 50 blocks per message): a heading
 * with the window, then each cluster with its counts, quotes, tickets and, when the server can
 * resolve clusters (`markFixed`), a Mark fixed button.
 */
export function digestPosts(digest: Digest, markFixed = true): SlackMessage[] {
  const window = `${digest.since.slice(0, 16).replace('T', ' ')} → ${digest.until.slice(0, 16).replace('T', ' ')} UTC`;
  const heading: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Support digest', emoji: true } },
    context(
      digest.entries.length
        ? `${window} · ${digest.activeClusters} open clusters had reports; the top ${digest.entries.length} by impact`
        : `${window} · no open cluster had reports in this window`,
    ),
  ];
  const posts: SlackMessage[] = [];
  for (let i = 0; i === 0 || i < digest.entries.length; i += DIGEST_ENTRIES_PER_MESSAGE) {
    const entries = digest.entries.slice(i, i + DIGEST_ENTRIES_PER_MESSAGE);
    const blocks = entries.flatMap((e) => digestEntryBlocks(e, markFixed));
    posts.push({
      text: `Support digest (${window}): ${entries.map((e) => e.title).join('; ') || 'no clusters'}`,
      blocks: i === 0 ? [...heading, ...blocks] : blocks,
    });
  }
  return posts;
}

/**
 * A digest message's blocks after a cluster was marked fixed: its button is gone and its
 * details say who fixed it. Other entries keep their buttons.
 */
export function markFixedInBlocks(
  blocks: readonly types.KnownBlock[],
  clusterId: number,
  userId: string,
): types.KnownBlock[] {
  const value = clusterValue.encode(clusterId);
  const out = structuredClone(blocks) as types.KnownBlock[];
  const i = out.findIndex(
    (b) => b.type === 'section' && (b.accessory as { value?: string } | undefined)?.value === value,
  );
  const head = out[i] as types.SectionBlock | undefined;
  if (!head) return out;
  delete head.accessory;
  const details = out[i + 1];
  const note = mrkdwn(`:white_check_mark: Marked fixed by <@${userId}>`);
  if (details?.type === 'context') details.elements.push(note);
  else out.splice(i + 1, 0, { type: 'context', elements: [note] });
  return out;
}
