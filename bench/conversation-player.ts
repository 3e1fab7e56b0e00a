/**
 * Plays one product's corpus through the real web chat of a freshly started Switchboard
 * (temporary data directory, offline, default settings): every item is a new customer in a
 * new conversation, one at a time. What happened is recorded as observed over HTTP; the
 * labels are used only afterwards, for scoring.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../src/log.ts';
import { startSwitchboard } from '../src/main.ts';
import {
  type ApiCluster,
  type ApiDigestEntry,
  type ApiTicket,
  type ChatMessage,
  type SwitchboardClient,
  switchboardClient,
} from './conversation-client.ts';
import type { BugReport, LoadedCorpus } from './conversation-corpus.ts';
import { shuffled } from './eval-data.ts';

/** Sent when the bot asks for details and the report carries no follow-up of its own. */
export const GENERIC_FOLLOW_UP = "It's on my phone, latest version";
/** What a customer who asked for a person answers when the bot offers one. */
export const ACCEPT_OFFER = 'yes please';
const TICKET_REF = /\bT-\d{3,}\b/;
const OFFERS_PERSON = /\b(person|human|someone|somebody|agent|support team|member of our)\b/i;

/** One played conversation: what the customer said and what came back. */
export interface PlayedConversation {
  id: string;
  conversationId: string;
  turns: Array<{ text: string; replies: ChatMessage[]; answered: boolean }>;
  handoff: boolean;
  /** The customer message (1 or 2) after which the conversation was handed over; null: never. */
  handoffAt: 1 | 2 | null;
}

/** A played bug report: when its ticket came, if it came. */
export interface PlayedReport extends PlayedConversation {
  /** The problem label (`noise:<id>` for a one-off report). */
  problem: string;
  expectedArea: string;
  ticketRef: string | null;
  /** The customer message (1 or 2) whose answer carried the ticket; null: never. */
  ticketAt: 1 | 2 | null;
  followUpSent: 'own' | 'generic' | null;
}

/** Everything one product's run observed. */
export interface ProductRun {
  product: string;
  /** The seed the reports' arrival order was shuffled with. */
  seed: number;
  questions: Array<PlayedConversation & { expectedSection: string }>;
  handoffs: PlayedConversation[];
  disputes: PlayedConversation[];
  reports: PlayedReport[];
  tickets: ApiTicket[];
  clusters: ApiCluster[];
  digest: ApiDigestEntry[];
  /** Conversations the desk lists a handoff for. */
  deskHandoffs: string[];
  seconds: number;
}

/**
 * Starts a Switchboard on the corpus's docs, plays every item, reads the APIs, stops. Bug
 * reports and one-offs arrive interleaved, in an order shuffled by `seed`, as they would
 * from a community: never one problem's reports back to back.
 */
export async function playCorpus(corpus: LoadedCorpus, seed = 1): Promise<ProductRun> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-eval-conversations-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: corpus.knowledgePath,
  });
  const sb = await startSwitchboard(config, { logger: createLogger('silent') });
  try {
    await sb.ready;
    const client = switchboardClient(sb.url, sb.adminToken, () => sb.engine.idle());
    const questions = [];
    for (const q of corpus.questions) {
      questions.push({
        ...(await playOne(client, q.id, q.text)),
        expectedSection: q.expectedSection,
      });
    }
    const handoffs = [];
    for (const h of corpus.handoffs) handoffs.push(await playRequest(client, h.id, h.text));
    const disputes = [];
    for (const d of corpus.disputes) disputes.push(await playRequest(client, d.id, d.text));
    const arrivals = shuffled(
      [
        ...corpus.bugs.flatMap((bug) =>
          bug.reports.map((r) => ({ report: r, problem: bug.problem, area: bug.expectedArea })),
        ),
        ...corpus.noise.map((n) => ({ report: n, problem: `noise:${n.id}`, area: n.expectedArea })),
      ],
      seed,
    );
    const reports: PlayedReport[] = [];
    for (const a of arrivals) reports.push(await playReport(client, a.report, a.problem, a.area));
    await sb.engine.idle();
    return {
      product: corpus.product,
      seed,
      questions,
      handoffs,
      disputes,
      reports,
      tickets: await client.tickets(),
      clusters: await client.clusters(),
      digest: await client.digest(),
      deskHandoffs: [...(await client.handedOver())],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function playOne(
  client: SwitchboardClient,
  id: string,
  text: string,
): Promise<PlayedConversation> {
  const first = await client.say(text);
  return {
    id,
    conversationId: first.conversationId,
    turns: [{ text, replies: first.replies, answered: first.answered }],
    handoff: first.handoff,
    handoffAt: first.handoff ? 1 : null,
  };
}

/**
 * A customer who wants a person (or their money back): when the bot answers by offering a
 * person instead of handing over, the customer accepts the offer once.
 */
async function playRequest(
  client: SwitchboardClient,
  id: string,
  text: string,
): Promise<PlayedConversation> {
  const played = await playOne(client, id, text);
  const replies = played.turns[0]?.replies ?? [];
  const offered = replies.some((m) => m.text.includes('?') && OFFERS_PERSON.test(m.text));
  if (played.handoff || !offered) return played;
  const second = await client.say(ACCEPT_OFFER, played.conversationId);
  return {
    ...played,
    turns: [
      ...played.turns,
      { text: ACCEPT_OFFER, replies: second.replies, answered: second.answered },
    ],
    handoff: second.handoff,
    handoffAt: second.handoff ? 2 : null,
  };
}

/**
 * A bug report: the first message; then, when no ticket came and the bot asked something
 * (or the customer has more to say), the follow-up a customer would give.
 */
async function playReport(
  client: SwitchboardClient,
  report: BugReport,
  problem: string,
  expectedArea: string,
): Promise<PlayedReport> {
  const played = await playOne(client, report.id, report.text);
  const base = { ...played, problem, expectedArea, followUpSent: null };
  const first = await ticketOf(client, played.conversationId, played.turns[0]?.replies ?? []);
  if (first) return { ...base, ticketRef: first, ticketAt: 1 };
  const asked = (played.turns[0]?.replies ?? []).some((m) => m.text.includes('?'));
  if (played.handoff || (!report.followUp && !asked))
    return { ...base, ticketRef: null, ticketAt: null };

  const followUp = report.followUp ?? GENERIC_FOLLOW_UP;
  const second = await client.say(followUp, played.conversationId);
  const turns = [
    ...played.turns,
    { text: followUp, replies: second.replies, answered: second.answered },
  ];
  const ref = await ticketOf(client, played.conversationId, second.replies);
  return {
    ...base,
    turns,
    handoff: second.handoff,
    handoffAt: played.handoffAt ?? (second.handoff ? 2 : null),
    followUpSent: report.followUp ? 'own' : 'generic',
    ticketRef: ref,
    ticketAt: ref ? 2 : null,
  };
}

/** The ticket reference the replies name, or else one the API holds for the conversation. */
async function ticketOf(
  client: SwitchboardClient,
  conversationId: string,
  replies: readonly ChatMessage[],
): Promise<string | null> {
  for (const m of replies) {
    const ref = TICKET_REF.exec(m.text)?.[0];
    if (ref) return ref;
  }
  const tickets = await client.tickets();
  return tickets.find((t) => t.conversationId === conversationId)?.ref ?? null;
}
