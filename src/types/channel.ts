import type { Choice } from './assist.ts';
import type { ConversationView } from './conversation.ts';

/** The platforms a customer can write from. `web` is the built-in chat page. */
export const PLATFORMS = ['web', 'slack', 'discord', 'telegram'] as const;
export type Platform = (typeof PLATFORMS)[number];

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
