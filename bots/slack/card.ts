import type { types } from '@slack/bolt';
import type {
  AssistCard,
  CardTicket,
  Environment,
  Handoff,
  Suggestion,
} from '../../src/types/index.ts';
import {
  agentLabel,
  context,
  customerLabel,
  platformName,
  SECTION_MAX,
  type SlackMessage,
  section,
} from './blocks.ts';
import { escapeMrkdwn, toMrkdwn, truncate } from './format.ts';
import { ACTIONS, EDIT_INPUT, suggestionValue } from './ids.ts';

/** Tickets listed on a card; the rest are counted ("and 3 more"). */
const TICKETS_SHOWN = 8;
const SECTIONS_SHOWN = 3;
/** Slack's limit on a plain_text_input's text (and so on its initial value). */
export const EDIT_MAX = 3000;

const percent = (confidence: number): string => `${Math.round(confidence * 100)}%`;

/** "iPhone 14 · iOS 17.2 · app 3.2.1 · Chrome 120", or undefined when the customer said nothing. */
function setupLine(e: Environment | null): string | undefined {
  if (!e) return undefined;
  const parts = [e.device, e.os, e.appVersion && `app ${e.appVersion}`, e.browser].filter(
    (p): p is string => Boolean(p),
  );
  return parts.length ? `Setup: ${parts.map(escapeMrkdwn).join(' · ')}` : undefined;
}

/** "T-1042 — one of 14 reports of *App crashes when opening Settings*". */
export function ticketLine(t: CardTicket): string {
  const ref = escapeMrkdwn(t.ref);
  if (!t.cluster) return `${ref} — ${escapeMrkdwn(truncate(t.summary, 200))}`;
  const title = `*${escapeMrkdwn(t.cluster.title)}*`;
  const reports = t.cluster.reports;
  return reports > 1
    ? `${ref} — one of ${reports} reports of ${title}`
    : `${ref} — the only report of ${title} so far`;
}

function ticketsSection(tickets: readonly CardTicket[]): types.KnownBlock[] {
  if (tickets.length === 0) return [];
  const lines = tickets.slice(0, TICKETS_SHOWN).map((t) => `• ${ticketLine(t)}`);
  const more = tickets.length - TICKETS_SHOWN;
  if (more > 0) lines.push(`and ${more} more`);
  return [section(`*Open tickets*\n${lines.join('\n')}`)];
}

function docsSection(sections: readonly string[]): types.KnownBlock[] {
  if (sections.length === 0) return [];
  const lines = sections.slice(0, SECTIONS_SHOWN).map((s) => `• ${escapeMrkdwn(s)}`);
  return [section(`*Relevant docs*\n${lines.join('\n')}`)];
}

/** The reply as the customer would get it, as a Slack quote (every line starts with `>`). */
function quoted(markdown: string): string {
  const room = SECTION_MAX - 40;
  return truncate(toMrkdwn(markdown).trim(), room)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

const button = (
  actionId: string,
  label: string,
  value: string,
  style?: 'primary' | 'danger',
): types.Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: label },
  value,
  ...(style ? { style } : {}),
});

function suggestionBlocks(s: Suggestion): types.KnownBlock[] {
  const value = suggestionValue.encode({ handoffId: s.handoffId, suggestionId: s.id });
  const about = [
    s.sources.length ? `Sources: ${s.sources.map(escapeMrkdwn).join(' · ')}` : 'No doc sources',
    ...(s.confidence === null ? [] : [`drafted with ${percent(s.confidence)} confidence`]),
    'nothing reaches the customer until you send it',
  ];
  return [
    section(`*Suggested reply*\n${quoted(s.text)}`),
    context(about.join(' · ')),
    {
      type: 'actions',
      block_id: 'suggestion_actions',
      elements: [
        button(ACTIONS.sendSuggestion, 'Send', value, 'primary'),
        button(ACTIONS.editSuggestion, 'Edit', value),
        button(ACTIONS.dismissSuggestion, 'Dismiss', value),
      ],
    },
  ];
}

/** Who holds the handoff, and how the thread works: the card opens the thread, so it says so. */
function holderLine(h: Pick<Handoff, 'status' | 'agentId' | 'agentName'> | undefined): string {
  if (h?.status === 'resolved') return ':white_check_mark: Resolved.';
  const by = h?.agentId ? `Claimed by ${agentLabel(h)}. ` : '';
  return `${by}Replies in this thread reach the customer; lines starting with \`//\` stay internal.`;
}

/**
 * The agent's card, first in a claimed handoff's thread: who and where the customer is (and
 * who claimed it), the classification with its confidence, their setup, their open tickets
 * with their clusters, the most relevant doc sections, and the drafted reply with Send, Edit
 * and Dismiss (or "No suggestion right now"). At most 11 blocks, each within Block Kit's
 * 3,000 characters.
 */
export function cardPost(
  card: AssistCard,
  handoff?: Pick<Handoff, 'status' | 'agentId' | 'agentName'>,
): SlackMessage {
  const { category, priority, sentiment, confidence } = card.classification;
  const who = { customerName: card.customer.name, platform: card.customer.platform };
  const setup = setupLine(card.environment);
  const suggestion = handoff?.status === 'resolved' ? null : card.suggestion;
  const blocks: types.KnownBlock[] = [
    section(
      `*Agent card* for handoff #${card.handoffId}: *${customerLabel(who)}*\n${holderLine(handoff)}`,
    ),
    section(
      `Category: *${escapeMrkdwn(category)}* · Priority: *${priority}* · Sentiment: *${sentiment}* · Confidence: *${percent(confidence)}*`,
    ),
    ...(setup ? [context(setup)] : []),
    ...ticketsSection(card.tickets),
    ...docsSection(card.sections),
    { type: 'divider' },
    ...(suggestion ? suggestionBlocks(suggestion) : [context('No suggestion right now.')]),
  ];
  const draft = suggestion ? ` Suggested reply: ${truncate(suggestion.text, 200)}` : '';
  const text = `Agent card for handoff #${card.handoffId}: ${card.customer.name} (${platformName(card.customer.platform)}), ${category}, ${priority} priority.${draft}`;
  return { text, blocks };
}

/**
 * The Edit modal: the drafted reply in a multiline box the agent can change, sent on Submit.
 * Ids travel in `private_metadata` (see `editModalRef`). Slack caps the box at 3,000
 * characters, so a longer draft is cut, and the modal says so.
 */
export function editModal(
  suggestion: Suggestion,
  customerName: string,
  privateMetadata: string,
): types.ModalView {
  const cut = suggestion.text.length > EDIT_MAX;
  const hint = cut
    ? `The draft was cut to ${EDIT_MAX} characters, Slack's limit for this box.`
    : 'Sent as your reply, signed with your name. Markdown works: **bold**, [a link](https://…).';
  return {
    type: 'modal',
    callback_id: ACTIONS.editModal,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Edit the reply' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: EDIT_INPUT.block,
        label: { type: 'plain_text', text: truncate(`Your reply to ${customerName}`, 150) },
        element: {
          type: 'plain_text_input',
          action_id: EDIT_INPUT.action,
          multiline: true,
          max_length: EDIT_MAX,
          initial_value: truncate(suggestion.text, EDIT_MAX),
        },
      },
      { type: 'context', elements: [{ type: 'plain_text', text: hint }] },
    ],
  };
}
