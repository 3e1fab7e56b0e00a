import type { Classification } from './classification.ts';
import type { Environment } from './environment.ts';
import type { Platform } from './platform.ts';

/**
 * A reply drafted for the agent from the docs and the conversation. It reaches the customer
 * only when an agent clicks Send (as drafted) or sends it edited.
 */
export interface Suggestion {
  id: number;
  handoffId: number;
  text: string;
  /** The doc sections it draws on, by name ("Accounts and login › Resetting your password"). */
  sources: string[];
  /** How sure the drafter is, 0 to 1; null when it cannot say. */
  confidence: number | null;
  createdAt: number;
}

/** What became of a suggestion: sent as drafted, edited then sent, or dismissed. */
export const SUGGESTION_USES = ['sent', 'edited', 'dismissed'] as const;
export type SuggestionUse = (typeof SUGGESTION_USES)[number];

/** One of the customer's open tickets, with the cluster it is in. */
export interface CardTicket {
  ref: string;
  status: string;
  summary: string;
  /** "One of 14 reports of *App crashes when opening Settings*". */
  cluster: { id: number; title: string; reports: number } | null;
}

/**
 * What the agent sees first in a claimed handoff's thread: who the customer is and where,
 * how the conversation was classified (with the confidence), their setup, their open
 * tickets, the doc sections most relevant to the conversation, and a drafted reply.
 */
export interface AssistCard {
  handoffId: number;
  customer: { name: string; platform: Platform };
  classification: Pick<Classification, 'category' | 'priority' | 'sentiment' | 'confidence'>;
  environment: Environment | null;
  tickets: CardTicket[];
  /** Two or three section names, most relevant first. */
  sections: string[];
  suggestion: Suggestion | null;
}

/** The customer's verdict on a resolved conversation, as `conversation.rated` carries it. */
export interface Rating {
  id: number;
  conversationId: string;
  platform: Platform;
  handoffId: number | null;
  /** Who resolved it: the agent, or null when the bot resolved it alone. */
  agent: { id: string; name: string } | null;
  score: number | null;
  comment: string | null;
  askedAt: number;
  ratedAt: number | null;
}

/** The messages a desk shows for a rating: "Rated 4/5: quick and clear". */
export const ratingLine = (r: Pick<Rating, 'score' | 'comment'>): string =>
  `The customer rated this conversation ${r.score}/5${r.comment ? `: “${r.comment}”` : '.'}`;
