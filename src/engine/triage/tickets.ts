import type { Embedder } from '../../ai/types.ts';
import type { NewTicket, Store, Ticket } from '../../store/index.ts';
import type { Classification, InboundMessage } from '../../types/index.ts';
import { parseEnvironment } from '../environment.ts';
import { redactPII } from '../redact.ts';
import {
  type Assignment,
  assignTicket,
  type ClusterSettings,
  DEFAULT_CLUSTER_SETTINGS,
} from './clusters/index.ts';
import type { Normalizer } from './normalizer.ts';
import { titleFromPhrase } from './titles.ts';

/** What turns a report into product terms and a vector: the normalizer and clustering's embedder. */
export interface TicketPreparer {
  normalizer: Normalizer;
  /** The embedder clustering uses (the same one as the centroid index). */
  embedder: Embedder;
}

/**
 * A ticket ready to be stored: everything that needs I/O (normalizing, embedding) is done,
 * so the transaction that stores it stays short and synchronous.
 */
export interface PreparedTicket {
  ticket: NewTicket & { createdAt: number };
  /** The embedding clustering compares; a ticket without one joins no cluster. */
  vector?: Float32Array;
}

/**
 * A ticket as the outside world sees it: the admin API returns it and `ticket.created`
 * carries it (docs/webhooks.md). Times are ISO 8601; similarity is rounded to 3 places.
 */
export function ticketView(t: Ticket) {
  return {
    id: t.id,
    ref: t.ref,
    status: t.status,
    kind: t.kind,
    category: t.category,
    priority: t.priority,
    sentiment: t.sentiment,
    summary: t.summary,
    tags: t.tags,
    productArea: t.productArea,
    clusterId: t.clusterId,
    similarity: t.similarity === null ? null : Math.round(t.similarity * 1000) / 1000,
    platform: t.platform,
    conversationId: t.conversationId,
    reporter: { id: t.reporterId, name: t.reporterName },
    environment: t.environment ?? { device: null, os: null, appVersion: null, browser: null },
    createdAt: new Date(t.createdAt).toISOString(),
  };
}

/** The payload of `ticket.created`. */
export function ticketEventData(t: Ticket): Record<string, unknown> {
  return { ticket: ticketView(t) };
}

/**
 * The asynchronous half of raising a ticket, run BEFORE the transaction: the redacted
 * summary (or, when empty, the customer's text) is normalized into a product area and a
 * canonical phrase, and the phrase's content words are embedded for clustering.
 */
export async function prepareTicket(
  triage: TicketPreparer,
  msg: Pick<InboundMessage, 'conversationId' | 'platform' | 'author'> & {
    text?: string;
    customerLines?: readonly string[];
  },
  c: Classification,
  now = Date.now(),
): Promise<PreparedTicket> {
  const summary = redactPII(c.summary);
  const ticket = {
    conversationId: msg.conversationId,
    platform: msg.platform,
    reporterId: msg.author.id,
    reporterName: msg.author.name,
    kind: c.kind,
    category: c.category,
    priority: c.priority,
    sentiment: c.sentiment,
    summary,
    tags: c.tags,
    productArea: c.productArea,
    environment: parseEnvironment(
      (msg.customerLines ?? [msg.text ?? summary]).map((line) => redactPII(line)),
    ),
    createdAt: now,
  };
  const issue = await triage.normalizer.normalize(summary.trim() || redactPII(msg.text ?? ''));
  // The whole phrase: with character trigrams beside word vectors, its function words help
  // tell problems apart (docs/clustering.md, "Representation study").
  const [vector] = await triage.embedder.embed([issue.canonical]);
  return {
    ticket: {
      ...ticket,
      productArea: issue.productArea,
      canonical: issue.canonical,
      areaConfidence: issue.confidence,
      areaSource: issue.source,
      ...(vector ? { vector } : {}),
    },
    ...(vector ? { vector } : {}),
  };
}

/**
 * The synchronous half: stores the ticket, assigns it to a cluster (counts, impact,
 * escalation and consolidation included) and records `ticket.created` with the cluster and
 * similarity. Must run inside the caller's transaction, together with the reply that
 * announces the ticket reference, so none of it can exist without the rest.
 */
export function createTicket(
  store: Store,
  prepared: PreparedTicket,
  settings: Readonly<ClusterSettings> = DEFAULT_CLUSTER_SETTINGS,
): { ticket: Ticket; assignment?: Assignment } {
  const created = store.tickets.create(prepared.ticket);
  let assignment: Assignment | undefined;
  if (prepared.vector) {
    assignment = assignTicket(
      store,
      {
        id: created.id,
        vector: prepared.vector,
        title: titleFromPhrase(prepared.ticket.canonical ?? created.summary) || created.summary,
        canonical: prepared.ticket.canonical,
        productArea: created.productArea,
        platform: created.platform,
        reporterId: created.reporterId,
        conversationId: created.conversationId,
        priority: created.priority,
        createdAt: created.createdAt,
      },
      settings,
    );
  }
  const ticket = assignment ? (store.tickets.get(created.id) as Ticket) : created;
  store.events.append('ticket.created', ticketEventData(ticket), ticket.createdAt);
  return assignment ? { ticket, assignment } : { ticket };
}
