import type {
  Classification,
  ConversationState,
  HistoryLine,
  Priority,
  Sentiment,
} from '../../types/index.ts';
import {
  ANGRY,
  BILLING,
  COSMETIC,
  CRITICAL,
  ENVIRONMENT,
  HIGH,
  HUMAN_REQUEST,
  MALFUNCTION,
  NEGATIVE,
  POSITIVE,
  THANKS_DONE,
} from './intents.ts';

/** The bot's request for bug details; its presence in history means "we asked already". */
export const DETAILS_PROMPT =
  'To file this for the team I need a little more detail: what device or browser and app version are you on, and what exactly happens (any error message, and the steps that lead to it)?';

/** How strongly the message resembles each intent's example sentences (cosine, 0..1). */
export type IntentScores = Record<'human' | 'bug' | 'billing' | 'thanks', number>;

/** Above this similarity to an intent's examples, the embeddings half may decide. */
export const PROTOTYPE_THRESHOLD = 0.8;

/** The offline classifier's verdict before the reply text is written. */
export interface OfflineVerdict extends Omit<Classification, 'summary' | 'productArea'> {
  /** True when this turn should ask the customer for bug details. */
  askDetails: boolean;
}

/**
 * Rules first, embeddings second: an explicit request for a person, billing and refunds
 * go to a human; a described malfunction becomes a ticket once there is enough detail
 * (environment plus a description, or an answer to our request for details); thanks or
 * "solved" closes the conversation; everything else is a question for the docs.
 */
export function classifyOffline(
  text: string,
  history: readonly HistoryLine[],
  scores: IntentScores,
): OfflineVerdict {
  const customerLines = history.filter((h) => h.role === 'customer').map((h) => h.text);
  const recent = customerLines.slice(-6).join('\n');
  const lastBot = [...history].reverse().find((h) => h.role === 'bot');
  const answeringDetails = lastBot?.text.includes(DETAILS_PROMPT) ?? false;
  const base = {
    sentiment: sentimentOf(text),
    tags: tagsOf(recent),
    askDetails: false,
  };

  if (THANKS_DONE.test(text) && !MALFUNCTION.test(text)) {
    return { ...base, ...decide('RESOLVED', 'question', 'feedback', 'low', 0.8) };
  }
  if (HUMAN_REQUEST.test(text) || scores.human >= PROTOTYPE_THRESHOLD) {
    const billing = BILLING.test(recent);
    return {
      ...base,
      ...decide(
        'ESCALATE_HUMAN',
        billing ? 'billing' : 'other',
        billing ? 'billing' : 'handoff-request',
        priorityOf(recent),
        0.9,
      ),
    };
  }
  if (BILLING.test(text) || scores.billing >= PROTOTYPE_THRESHOLD) {
    return { ...base, ...decide('ESCALATE_HUMAN', 'billing', 'billing', priorityOf(recent), 0.85) };
  }
  const malfunction = MALFUNCTION.test(text) || scores.bug >= PROTOTYPE_THRESHOLD;
  if (answeringDetails || malfunction) {
    const kind = /\b(log\s*in|login|sign\s*in|password|2fa|two-factor|account)\b/i.test(recent)
      ? 'account'
      : 'bug';
    const enoughDetail = answeringDetails || (ENVIRONMENT.test(recent) && wordCount(recent) >= 14);
    if (enoughDetail) {
      return { ...base, ...decide('RAISE_TICKET', kind, 'bug', priorityOf(recent), 0.75) };
    }
    return {
      ...base,
      ...decide('CONTINUE', kind, 'bug', priorityOf(recent), 0.6),
      askDetails: true,
    };
  }
  return { ...base, ...decide('CONTINUE', 'question', 'how-to', 'low', 0.5) };
}

function decide(
  state: ConversationState,
  kind: Classification['kind'],
  category: string,
  priority: Priority,
  confidence: number,
) {
  return { state, kind, category, priority, confidence };
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

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
