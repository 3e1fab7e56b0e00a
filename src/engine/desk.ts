import type { Handoff, StoredMessage } from '../store/index.ts';
import type { Digest } from './digest-types.ts';

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
}

/** What an agent can do from a desk. Each returns a result the desk shows the agent. */
export interface DeskActions {
  claim(handoffId: number, agent: Agent): Promise<ClaimResult>;
  /**
   * Sends the agent's text to the customer (or keeps a `//` note internal). With a
   * `deliveryId` (the desk's own id for the reply, e.g. `slack-desk:<channel>:<ts>`), a
   * second delivery of the same reply, even after a restart, is ignored.
   */
  reply(handoffId: number, agent: Agent, text: string, deliveryId?: string): Promise<ReplyResult>;
  resolve(handoffId: number, agent: Agent): Promise<ResolveResult>;
}

export type ClaimResult =
  | { ok: true; handoff: Handoff }
  | { ok: false; reason: 'not_found' | 'resolved' }
  | { ok: false; reason: 'already_claimed'; by: string };
export type ReplyResult =
  | { ok: true; relayed: boolean; duplicate?: true }
  | { ok: false; reason: 'not_found' | 'resolved' | 'not_claimed' };
export type ResolveResult =
  | { ok: true; handoff: Handoff }
  | { ok: false; reason: 'not_found' | 'resolved' };
