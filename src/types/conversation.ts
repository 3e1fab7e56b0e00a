import type { HandoffStatus } from './handoff.ts';

/** Who wrote a stored message. */
export type MessageRole = 'customer' | 'bot' | 'agent' | 'system';

/** A stored message, as the web chat, the desks and the history builder read it. */
export interface StoredMessage {
  id: number;
  conversationId: string;
  role: MessageRole;
  authorName: string | null;
  text: string;
  meta: Record<string, unknown> | null;
  createdAt: number;
}

/** Whether an agent's line is an internal note (`//`), kept from the customer. */
export const isInternalNote = (m: StoredMessage): boolean => m.meta?.internal === true;

/** One line of conversation history as the assistant sees it. */
export interface HistoryLine {
  role: 'customer' | 'bot' | 'agent';
  text: string;
}

/** A conversation as its customer sees it: what the web chat shows. */
export interface ConversationView {
  id: string;
  /** `open` until the bot or an agent resolved it; a new message reopens it. */
  status: 'open' | 'closed';
  /** The handoff that is not resolved yet, if a person has (or is about to have) the chat. */
  handoff: { id: number; status: HandoffStatus; agent: string | null } | null;
  /** Messages after `afterId`, oldest first (at most 200), internal notes left out. */
  messages(afterId?: number): StoredMessage[];
  /** The stored message a platform message id became, e.g. to answer a repeated web POST. */
  byPlatformId(platformMessageId: string): StoredMessage | undefined;
}
