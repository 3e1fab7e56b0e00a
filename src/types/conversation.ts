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
