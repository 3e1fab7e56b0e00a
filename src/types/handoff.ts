import type { AssistCard } from './assist.ts';
import type { Classification } from './classification.ts';
import type { StoredMessage } from './conversation.ts';
import type { Digest } from './digest.ts';
import type { Platform } from './platform.ts';

export type HandoffStatus = 'open' | 'claimed' | 'resolved';

/** A conversation handed to a human agent. */
export interface Handoff {
  id: number;
  conversationId: string;
  platform: Platform;
  customerName: string;
  status: HandoffStatus;
  summary: string;
  classification: Classification;
  agentId: string | null;
  agentName: string | null;
  /** Where the desk posted it (e.g. a Slack channel and message ts); null until posted. */
  deskRef: Record<string, string> | null;
  deskError: string | null;
  announceCount: number;
  createdAt: number;
  announcedAt: number | null;
  claimedAt: number | null;
  resolvedAt: number | null;
}

/** An agent as the desk identifies them (a Slack user, or a name typed on the web desk). */
export interface Agent {
  id: string;
  name: string;
}

/**
 * Where handoffs go: the Slack agent channel, or the web desk page without Slack.
 * The engine calls these; agent actions come back through {@link DeskActions}.
 */
export interface Desk {
  readonly name: string;
  /**
   * Posts (or re-posts, after the SLA) a handoff with the last messages. Returns where it
   * was posted, e.g. `{ channel, ts }`, kept so later updates find the post.
   */
  announce(
    handoff: Handoff,
    recent: readonly StoredMessage[],
    reannounce: boolean,
  ): Promise<Record<string, string> | undefined>;
  /** Reflects a status change (claimed, resolved) on the post. */
  update(handoff: Handoff): Promise<void>;
  /** Relays a customer message into the handoff's thread. */
  relay(handoff: Handoff, message: StoredMessage): Promise<void>;
  /** Optional: posts the digest where developers read it (Slack's `SLACK_DIGEST_CHANNEL`). */
  postDigest?(digest: Digest): Promise<void>;
  /**
   * Optional: shows the agent's card (context and the drafted reply with Send, Edit and
   * Dismiss) first in a claimed handoff's thread. Called again with the `ref` it returned
   * when the suggestion changes (a new customer message, or one was used): update in place.
   * A desk without it shows the card from {@link DeskActions.card} (the web desk page).
   */
  showCard?(
    handoff: Handoff,
    card: AssistCard,
    ref?: Record<string, string>,
  ): Promise<Record<string, string> | undefined>;
  /** Optional: posts a line for the agent into the handoff's thread (the customer's rating). */
  note?(handoff: Handoff, text: string): Promise<void>;
}

/** A change a live desk page follows. */
export type DeskEvent =
  | { type: 'handoff'; handoff: Handoff }
  /** A message in a conversation that has (or had) a handoff, internal notes included. */
  | { type: 'message'; handoffId: number; message: StoredMessage }
  /** The agent's card of a claimed handoff, shown or with a new suggestion. */
  | { type: 'card'; handoffId: number; card: AssistCard };

/**
 * What a desk can do and see, as the engine offers it to the Slack desk and the web desk:
 * the agent's actions (each returns a result the desk shows the agent), the handoffs with
 * their transcripts, and their live changes. No desk reads the store itself.
 */
export interface DeskActions {
  claim(handoffId: number, agent: Agent): Promise<ClaimResult>;
  /**
   * Sends the agent's text to the customer (or keeps a `//` note internal). With a
   * `deliveryId` (the desk's own id for the reply, e.g. `slack:<channel>:<ts>`), a second
   * delivery of the same reply, even after a restart, is ignored.
   */
  reply(handoffId: number, agent: Agent, text: string, deliveryId?: string): Promise<ReplyResult>;
  resolve(handoffId: number, agent: Agent): Promise<ResolveResult>;
  handoff(handoffId: number): Handoff | undefined;
  /** Newest first. */
  handoffs(filter?: { status?: HandoffStatus; limit?: number }): Handoff[];
  /** The handoff's conversation, oldest first, internal notes included (`isInternalNote`). */
  transcript(handoff: Handoff): StoredMessage[];
  /** The card of a claimed handoff: context and the current suggestion (undefined before a claim). */
  card(handoffId: number): AssistCard | undefined;
  /**
   * Sends the current suggestion to the customer as the agent's own reply: as drafted, or as
   * the agent edited it (`text`). Refused as `stale` when it is no longer the current one.
   */
  sendSuggestion(
    handoffId: number,
    suggestionId: number,
    agent: Agent,
    text?: string,
  ): Promise<SuggestionResult>;
  /** Puts the current suggestion away unsent. */
  dismissSuggestion(
    handoffId: number,
    suggestionId: number,
    agent: Agent,
  ): Promise<SuggestionResult>;
  /** Claimed handoffs per agent id, for least-loaded assignment. */
  loadByAgent(): Map<string, number>;
  /** Follows every handoff change and handoff message; returns the unsubscribe. */
  subscribe(listener: (event: DeskEvent) => void): () => void;
}

export type ClaimResult =
  | { ok: true; handoff: Handoff }
  | { ok: false; reason: 'not_found' | 'resolved' }
  | { ok: false; reason: 'already_claimed'; by: string };
export type ReplyResult =
  | { ok: true; relayed: boolean; duplicate?: true }
  | { ok: false; reason: 'not_found' | 'resolved' | 'not_claimed' };
export type SuggestionResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'resolved' | 'not_claimed' | 'stale' };
export type ResolveResult =
  | { ok: true; handoff: Handoff }
  | { ok: false; reason: 'not_found' | 'resolved' };
