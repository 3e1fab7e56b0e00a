import type {
  Classification,
  ConversationState,
  Environment,
  HistoryLine,
  Priority,
  Sentiment,
} from '../../types/index.ts';
import { isEmptyEnvironment, parseEnvironment } from '../environment.ts';
import {
  ANGRY,
  ASKS,
  BILLING_DISPUTE,
  CIRCUMSTANCE,
  COSMETIC,
  CRITICAL,
  HIGH,
  HOW_TO,
  HUMAN_REQUEST,
  MALFUNCTION,
  NEGATIVE,
  POSITIVE,
  REPORT_QUESTION,
  THANKS_DONE,
  WISH,
  YES,
} from './intents.ts';

/** How the bot's request for bug details begins; in history it means "we asked already". */
export const DETAILS_LEAD = 'To file this for the team';
/** How the bot offers to file a problem it answered from the docs; setup details after it file it. */
export const REPORT_OFFER = "If that isn't what you're seeing";
/** How the bot's "not sure, want a person?" answer begins; a "yes" to it means a handoff. */
export const NOT_SURE_LEAD = "I'm not sure our help docs cover that";

/** How strongly the message resembles each intent's example sentences (cosine, 0..1). */
export type IntentScores = Record<'human' | 'bug' | 'billing' | 'thanks', number>;

/** Above this similarity to an intent's examples, the embeddings half may decide. */
export const PROTOTYPE_THRESHOLD = 0.8;

/** What a bug report lacks before developers can act on it. */
export type MissingDetail = 'environment' | 'circumstance';

/** The offline classifier's verdict before the reply text is written. */
export interface OfflineVerdict extends Omit<Classification, 'summary' | 'productArea'> {
  /** What to ask the customer for before filing (empty: nothing to ask). */
  missing: MissingDetail[];
  /** The customer's setup as they gave it so far. */
  environment: Environment;
  /** True when a docs answer should offer to file the problem instead. */
  offerReport?: boolean;
}

/** What the classifier knows besides the words: whether the docs cover the question. */
export interface ClassifyContext {
  scores: IntentScores;
  /** True when a knowledge section answers the message well. */
  covered: boolean;
}

/** Content words a report needs, with its circumstance, to be filed without asking. */
const DETAILED_REPORT_WORDS = 8;

/**
 * Rules first, embeddings second:
 * - thanks or "solved" closes the conversation;
 * - a request for a person, in any wording, or a disputed charge goes to a human;
 * - a described malfunction becomes a ticket at once when it says enough (the customer's
 *   device, OS, version or browser, or when and where it happens in some detail), else the
 *   bot asks once for what is missing and files on the answer, whatever it is;
 * - everything else is a question for the docs; one the docs do not cover gets a "not
 *   sure" and the offer of a person, and a "yes" to that offer is a handoff.
 */
export function classifyOffline(
  text: string,
  history: readonly HistoryLine[],
  context: ClassifyContext,
): OfflineVerdict {
  const { scores } = context;
  const customerLines = history.filter((h) => h.role === 'customer').map((h) => h.text);
  const recent = customerLines.slice(-6).join('\n');
  const lastBot = [...history].reverse().find((h) => h.role === 'bot')?.text ?? '';
  const environment = parseEnvironment(customerLines.slice(-6));
  const base = { sentiment: sentimentOf(text), tags: tagsOf(recent), missing: [], environment };
  const verdict = (
    state: ConversationState,
    kind: Classification['kind'],
    category: string,
    priority: Priority,
    confidence: number,
  ) => ({ ...base, state, kind, category, priority, confidence });

  const malfunction = MALFUNCTION.test(text) || scores.bug >= PROTOTYPE_THRESHOLD;
  if (THANKS_DONE.test(text) && !MALFUNCTION.test(text)) {
    return verdict('RESOLVED', 'question', 'feedback', 'low', 0.8);
  }
  if (HUMAN_REQUEST.test(text) || scores.human >= PROTOTYPE_THRESHOLD) {
    const billing = BILLING_DISPUTE.test(recent);
    const category = billing ? 'billing' : 'handoff-request';
    return verdict(
      'ESCALATE_HUMAN',
      billing ? 'billing' : 'other',
      category,
      priorityOf(recent),
      0.9,
    );
  }
  if (lastBot.includes(NOT_SURE_LEAD) && YES.test(text)) {
    return verdict('ESCALATE_HUMAN', 'other', 'handoff-request', 'low', 0.8);
  }
  const howTo = HOW_TO.test(text);
  if ((BILLING_DISPUTE.test(text) && !howTo) || scores.billing >= PROTOTYPE_THRESHOLD) {
    return verdict('ESCALATE_HUMAN', 'billing', 'billing', priorityOf(recent), 0.85);
  }
  const answeringDetails = lastBot.includes(DETAILS_LEAD);
  const asks = (howTo || ASKS.test(text)) && !REPORT_QUESTION.test(text);
  // A question the docs answer is a question, even when it names an error or a surprise;
  // a wish ("I want it to…") is not a report. Everything else that describes misbehaviour is.
  // A customer who volunteers their device or version without asking anything is reporting
  // what happens on it.
  const gaveSetup = !isEmptyEnvironment(parseEnvironment([text]));
  const bugReport =
    (malfunction || (gaveSetup && !asks && !text.includes('?'))) &&
    !((asks || WISH.test(text)) && context.covered);
  // The customer gave their setup after a docs answer to a problem: they are reporting it.
  const reportingAfterAnswer =
    !isEmptyEnvironment(parseEnvironment([text])) &&
    (lastBot.includes(REPORT_OFFER) || MALFUNCTION.test(customerLines.at(-2) ?? ''));
  if (answeringDetails || bugReport || reportingAfterAnswer) {
    const kind = /\b(log\s*in|login|sign\s*in|password|2fa|two-factor|account)\b/i.test(recent)
      ? 'account'
      : 'bug';
    const missing =
      answeringDetails || reportingAfterAnswer ? [] : missingDetails(text, recent, environment);
    if (missing.length === 0) {
      return verdict('RAISE_TICKET', kind, 'bug', priorityOf(recent), 0.75);
    }
    return { ...verdict('CONTINUE', kind, 'bug', priorityOf(recent), 0.6), missing };
  }
  const answer = verdict('CONTINUE', 'question', 'how-to', 'low', context.covered ? 0.6 : 0.3);
  // A problem the docs seem to answer: answer it, and offer to file it if that was not it.
  return { ...answer, offerReport: malfunction };
}

/**
 * What a report lacks: the environment when the customer gave none (asked once, never
 * again once given), and the circumstance when the report is too short to reproduce.
 */
function missingDetails(text: string, recent: string, env: Environment): MissingDetail[] {
  const detailed = contentWordCount(recent) >= DETAILED_REPORT_WORDS && CIRCUMSTANCE.test(recent);
  if (!isEmptyEnvironment(env))
    return contentWordCount(text) >= 3 || detailed ? [] : ['circumstance'];
  if (detailed) return [];
  return CIRCUMSTANCE.test(recent) ? ['environment'] : ['environment', 'circumstance'];
}

function priorityOf(text: string): Priority {
  if (CRITICAL.test(text)) return 'critical';
  if (HIGH.test(text)) return 'high';
  if (COSMETIC.test(text)) return 'low';
  return MALFUNCTION.test(text) ? 'medium' : 'low';
}

function sentimentOf(text: string): Sentiment {
  const letters = text.replace(/[^A-Za-z]/g, '');
  const shouting = letters.length >= 12 && letters === letters.toUpperCase();
  if (ANGRY.test(text) || shouting) return 'angry';
  if (NEGATIVE.test(text) || MALFUNCTION.test(text)) return 'negative';
  if (POSITIVE.test(text)) return 'positive';
  return 'neutral';
}

const TAG_PATTERNS: Array<[string, RegExp]> = [
  ['crash', /\bcrash\w*|closes\s+the\s+app|dies\b/i],
  ['login', /\b(log\s*in|login|sign\s*in|password)\b/i],
  ['ios', /\b(iphone|ipad|ios)\b/i],
  ['android', /\b(android|pixel|samsung|galaxy)\b/i],
  ['web', /\b(chrome|safari|firefox|edge|browser)\b/i],
  ['payments', /\b(payment|checkout|card|pay)\b/i],
  ['notifications', /\b(notification|push|alert)s?\b/i],
  ['performance', /\b(slow|lag\w*|freez\w*|hangs?)\b/i],
];

function tagsOf(text: string): string[] {
  return TAG_PATTERNS.filter(([, re]) => re.test(text)).map(([tag]) => tag);
}

const STOP =
  /^(a|an|the|i|me|my|it|its|is|are|was|were|be|to|of|in|on|at|for|and|or|but|this|that|so|just|when|with|do|does|did)$/i;

function contentWordCount(text: string): number {
  return text.split(/[^\p{L}\p{N}']+/u).filter((w) => w && !STOP.test(w)).length;
}
