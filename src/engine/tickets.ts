import type { Store, Ticket } from '../store/index.ts';
import { redactPII } from './redact.ts';
import type { Classification, InboundMessage } from './types.ts';

/** The payload of `ticket.created`, as documented in docs/webhooks.md. */
export function ticketEventData(t: Ticket): Record<string, unknown> {
  return {
    ticket: {
      id: t.id,
      ref: t.ref,
      conversationId: t.conversationId,
      platform: t.platform,
      reporter: { id: t.reporterId, name: t.reporterName },
      kind: t.kind,
      category: t.category,
      priority: t.priority,
      sentiment: t.sentiment,
      summary: t.summary,
      tags: t.tags,
      productArea: t.productArea,
      createdAt: new Date(t.createdAt).toISOString(),
    },
  };
}

/**
 * Creates a ticket and its `ticket.created` event. Must run inside the caller's
 * transaction, together with the reply that announces the ticket reference.
 */
export function createTicket(
  store: Store,
  msg: Pick<InboundMessage, 'conversationId' | 'platform' | 'author'>,
  c: Classification,
): Ticket {
  const ticket = store.tickets.create({
    conversationId: msg.conversationId,
    platform: msg.platform,
    reporterId: msg.author.id,
    reporterName: msg.author.name,
    kind: c.kind,
    category: c.category,
    priority: c.priority,
    sentiment: c.sentiment,
    summary: redactPII(c.summary),
    tags: c.tags,
    productArea: c.productArea,
  });
  store.events.append('ticket.created', ticketEventData(ticket));
  return ticket;
}
