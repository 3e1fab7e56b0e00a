import {
  type Choice,
  choicesOf,
  type Handoff,
  type MessageRole,
  type StoredMessage,
} from '../../src/types/index.ts';

/** A message as the chat page and the desk page render it. */
export interface WebMessage {
  id: string;
  role: MessageRole;
  author: string | null;
  /** Markdown; the page renders it. */
  text: string;
  createdAt: string;
  /** Buttons under the message (a rating from 1 to 5); absent when it has none. */
  choices?: Choice[];
}

/** A stored message as the pages show it. */
export function webMessage(m: StoredMessage): WebMessage {
  const choices = choicesOf(m);
  return {
    id: String(m.id),
    role: m.role,
    author: m.authorName,
    text: m.text,
    createdAt: new Date(m.createdAt).toISOString(),
    ...(choices.length > 0 ? { choices } : {}),
  };
}

/** A handoff as the desk page lists it. */
export function deskHandoff(h: Handoff) {
  return {
    id: h.id,
    conversationId: h.conversationId,
    platform: h.platform,
    customer: h.customerName,
    status: h.status,
    summary: h.summary,
    category: h.classification.category,
    priority: h.classification.priority,
    sentiment: h.classification.sentiment,
    agent: h.agentName,
    createdAt: new Date(h.createdAt).toISOString(),
  };
}
