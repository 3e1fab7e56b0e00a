import { z } from 'zod';

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
}

/** What the engine asks an adapter to deliver. Markdown text; the adapter formats it. */
export interface OutboundMessage {
  text: string;
  /** Who speaks: the bot, or a human agent relayed from the desk. */
  from: 'bot' | 'agent' | 'system';
  agentName?: string;
}

/** Hooks the engine gives an adapter when it starts. */
export interface AdapterHooks {
  /**
   * Hands one inbound message to the engine. Resolves once it is durably accepted:
   * `true`, or `false` when it was a duplicate delivery. Ack the platform after this.
   */
  handle(msg: InboundMessage): Promise<boolean>;
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
  /** Optional: show a typing indicator while the assistant works. */
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

export const CONVERSATION_STATES = [
  'CONTINUE',
  'RESOLVED',
  'ESCALATE_HUMAN',
  'RAISE_TICKET',
] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SENTIMENTS = ['positive', 'neutral', 'negative', 'angry'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const KINDS = ['question', 'bug', 'feature_request', 'billing', 'account', 'other'] as const;

/** The one structured answer a turn produces: the reply plus its classification. */
export const turnResultSchema = z.object({
  reply: z.string().min(1).max(4000),
  state: z.enum(CONVERSATION_STATES),
  kind: z.enum(KINDS),
  category: z.string().min(1).max(60),
  priority: z.enum(PRIORITIES),
  sentiment: z.enum(SENTIMENTS),
  summary: z.string().max(400),
  tags: z.array(z.string().max(40)).max(8),
  productArea: z.string().max(120).nullable(),
  confidence: z.number().min(0).max(1),
});
export type TurnResult = z.infer<typeof turnResultSchema>;
export type Classification = Omit<TurnResult, 'reply'>;

/** A knowledge passage offered to the assistant, with the section it came from. */
export interface KnowledgeHit {
  chunkId: number;
  file: string;
  /** Heading path, e.g. "Accounts and login › Resetting your password". */
  section: string;
  text: string;
  /** Cosine similarity to the question (0 when found by keywords only). */
  score: number;
  /** True when keyword search (FTS5) also found it. */
  keyword?: boolean;
}

/** One line of conversation history as the assistant sees it. */
export interface HistoryLine {
  role: 'customer' | 'bot' | 'agent';
  text: string;
}

/** Everything the assistant needs for one turn; the assistant itself is stateless. */
export interface TurnInput {
  history: HistoryLine[];
  /** The newest customer message (already the last line of history). */
  text: string;
  knowledge: KnowledgeHit[];
}

/** Token usage of one model turn, recorded per message. */
export interface TurnUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
}

/** An assistant answers one turn: the model-backed one or the offline one. */
export interface Assistant {
  readonly name: string;
  respond(input: TurnInput): Promise<{ result: TurnResult; usage?: TurnUsage }>;
}
