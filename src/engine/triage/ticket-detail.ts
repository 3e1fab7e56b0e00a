import type { Store, Ticket } from '../../store/index.ts';
import { isInternalNote } from '../../types/index.ts';
import { redactPII } from '../redact.ts';
import { ticketView } from './tickets.ts';

/** The most messages of the conversation a ticket's page shows, oldest first. */
const TRANSCRIPT_LIMIT = 200;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A ticket's page as the admin API returns it (`GET /api/tickets/:ref`): the ticket; the
 * conversation it came from, redacted as the summaries are (empty once the conversation
 * has expired); its cluster; its audit log, oldest first; and the webhook deliveries of its
 * events. Times are ISO 8601.
 */
export function ticketDetail(store: Store, ticket: Ticket) {
  const cluster = ticket.clusterId === null ? undefined : store.clusterViews.get(ticket.clusterId);
  return {
    ticket: ticketView(ticket),
    transcript: store.conversations
      .messages(ticket.conversationId, 0, TRANSCRIPT_LIMIT)
      .map((m) => ({
        id: m.id,
        role: m.role,
        author: m.authorName,
        text: redactPII(m.text),
        internal: isInternalNote(m),
        createdAt: iso(m.createdAt),
      })),
    cluster: cluster ? { id: cluster.id, title: cluster.title, status: cluster.status } : null,
    history: store.tickets.history(ticket.id).map((entry) => ({
      ...entry,
      createdAt: iso(entry.createdAt),
    })),
    deliveries: store.webhooks.forTicket(ticket.id).map((d) => ({
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      endpoint: d.endpoint,
      status: d.status,
      attempts: d.attemptCount,
      lastStatusCode: d.lastStatusCode,
      deliveredAt: iso(d.deliveredAt),
    })),
  };
}
