import type { StoredMessage } from './conversation.ts';
import type { HandoffStatus } from './handoff.ts';
import type { Platform } from './platform.ts';

/**
 * A button the customer can press (a rating from 1 to 5). `value` is opaque to adapters and
 * signed by the engine: an adapter hands it back as `InboundMessage.choice` when pressed,
 * and a value the engine did not sign does nothing.
 */
export interface Choice {
  label: string;
  value: string;
}

/** A stored message's choices (the buttons it was sent with), if any. */
export const choicesOf = (m: Pick<StoredMessage, 'meta'>): Choice[] =>
  Array.isArray(m.meta?.choices) ? (m.meta.choices as Choice[]) : [];

/**
 * One customer message as every adapter hands it to the engine.
 * `conversationId` is namespaced by platform (e.g. `discord:<channel>:<user>`) and is
 * encoded/decoded only inside the platform's bot folder.
 */
export interface InboundMessage {
  platform: Platform;
  conversationId: string;
  /** The platform's own message/event id, used to drop retried deliveries. */
  messageId: string;
  author: { id: string; name: string };
  text: string;
  receivedAt: Date;
  /**
   * The value of a button the customer pressed ({@link Choice}), as the engine sent it;
   * `text` is then the button's label. Platforms without buttons never set it.
   */
  choice?: string;
}

/** What the engine asks an adapter to deliver. Markdown text; the adapter formats it. */
export interface OutboundMessage {
  text: string;
  /** Who speaks: the bot, or a human agent relayed from the desk. */
  from: 'bot' | 'agent' | 'system';
  agentName?: string;
  /**
   * The engine's id of the stored message, when it was stored (a notice to an expired
   * conversation is not). Channels that page their history by it (the web chat) use it;
   * the others ignore it.
   */
  id?: string;
  /**
   * Buttons under the message (a rating from 1 to 5): Slack and Discord buttons, Telegram's
   * inline keyboard, web chat buttons. The text always says how to answer without them.
   */
  choices?: Choice[];
}

/** What the engine gives an adapter when it starts. */
export interface AdapterHooks {
  /**
   * Hands one inbound message to the engine. Resolves once it is durably accepted:
   * `true`, or `false` when it was a duplicate delivery. Ack the platform after this.
   */
  handle(msg: InboundMessage): Promise<boolean>;
  /**
   * The conversation as its customer sees it (internal notes left out), or undefined when
   * the engine does not know it (never seen, or expired). The web chat shows it; Slack
   * asks it whether a thread is a customer's conversation.
   */
  conversation(conversationId: string): ConversationView | undefined;
}

/**
 * The small contract every channel adapter implements. Extras are optional methods
 * the engine checks for before calling.
 */
export interface ChannelAdapter {
  readonly platform: Platform;
  start(hooks: AdapterHooks): Promise<void>;
  stop(): Promise<void>;
  send(conversationId: string, message: OutboundMessage): Promise<void>;
  /** Optional: shows a typing indicator; the engine calls it before the assistant answers. */
  sendTyping?(conversationId: string): Promise<void>;
}

/**
 * How a send to a platform failed, in terms the rest of Switchboard can act on. Each
 * adapter's error class carries one of these as `code` (a platform may add its own).
 */
export type ChannelErrorCode =
  /** The bot token was refused. */
  | 'unauthorized'
  /** The platform understood but refused: missing permissions, blocked, removed, DMs closed. */
  | 'forbidden'
  /** The chat, channel, thread or message is gone (or the bot cannot see it). */
  | 'not_found'
  /** Still rate limited after the SDK waited and retried. */
  | 'rate_limited'
  /** The platform rejected the request itself (bad markup, empty or too long). */
  | 'invalid_request'
  /** The platform answered 5xx after the SDK's retries. */
  | 'platform_unavailable'
  /** No answer at all: refused connection, reset, timeout. */
  | 'network'
  | 'unknown';

/** A conversation as its customer sees it: what the web chat shows. */
export interface ConversationView {
  id: string;
  /** `open` until the bot or an agent resolved it; a new message reopens it. */
  status: 'open' | 'closed';
  /** The platform user id of the customer it belongs to (who may press its buttons). */
  customerId: string;
  /** The handoff that is not resolved yet, if a person has (or is about to have) the chat. */
  handoff: { id: number; status: HandoffStatus; agent: string | null } | null;
  /** Messages after `afterId`, oldest first (at most 200), internal notes left out. */
  messages(afterId?: number): StoredMessage[];
  /** The stored message a platform message id became, e.g. to answer a repeated web POST. */
  byPlatformId(platformMessageId: string): StoredMessage | undefined;
}
