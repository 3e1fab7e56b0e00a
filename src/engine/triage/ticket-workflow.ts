import type { Store, Ticket, TicketFields, TicketStatus } from '../../store/index.ts';
import { ticketView } from './tickets.ts';

/**
 * Where a person may move a ticket from each status: open → in progress → closed, back
 * to open from any of them ("reopened"). `resolved` is reached only by marking the ticket's
 * cluster fixed, and left only by reopening.
 */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['in_progress', 'closed'],
  in_progress: ['closed', 'open'],
  closed: ['open'],
  resolved: ['open'],
};

export type TicketErrorCode = 'not_found' | 'conflict';

/** A ticket change that does not apply: an unknown reference, or a status it cannot move to. */
export class TicketError extends Error {
  readonly code: TicketErrorCode;

  constructor(code: TicketErrorCode, message: string) {
    super(message);
    this.name = 'TicketError';
    this.code = code;
  }
}

/** A person's change to a ticket: any of its fields, a note, and who made it. */
export interface TicketPatch extends TicketFields {
  /** Why, in their words; kept in the audit log and sent with `ticket.updated`. */
  note?: string | undefined;
  actor: string;
}

/** What a change did: the ticket as it is now, and whether anything was written. */
export interface TicketChange {
  ticket: Ticket;
  changed: boolean;
}

type Changes = Partial<{ [K in keyof TicketFields]: { from: Ticket[K]; to: Ticket[K] } }>;

const sameTags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((tag, i) => tag === b[i]);

/**
 * Applies a person's change to a ticket in the caller's transaction: the fields that differ
 * are written (with the overview counters and the cluster's priority mix), each change and
 * the note get an audit row, and one `ticket.updated` event carries the ticket, the changes,
 * the note and the actor. A patch that changes nothing and has no note writes nothing.
 * Throws a {@link TicketError} for an unknown reference or a move the workflow forbids.
 */
export function updateTicket(
  store: Store,
  ref: string,
  patch: TicketPatch,
  now: number,
): TicketChange {
  const ticket = store.tickets.byRef(ref);
  if (!ticket) throw new TicketError('not_found', `no ticket ${ref}`);
  const changes: Changes = {};
  if (patch.status !== undefined && patch.status !== ticket.status) {
    const allowed = TICKET_TRANSITIONS[ticket.status];
    if (!allowed.includes(patch.status)) {
      const why =
        patch.status === 'resolved'
          ? 'a ticket is resolved by marking its cluster fixed'
          : `it can move to ${allowed.join(' or ')}`;
      throw new TicketError(
        'conflict',
        `${ticket.ref} is ${ticket.status} and cannot move to ${patch.status}: ${why}`,
      );
    }
    changes.status = { from: ticket.status, to: patch.status };
  }
  if (patch.priority !== undefined && patch.priority !== ticket.priority) {
    changes.priority = { from: ticket.priority, to: patch.priority };
  }
  if (patch.tags !== undefined && !sameTags(patch.tags, ticket.tags)) {
    changes.tags = { from: ticket.tags, to: patch.tags };
  }
  const note = patch.note?.trim() || null;
  const fields = Object.keys(changes) as Array<keyof TicketFields>;
  if (fields.length === 0 && note === null) return { ticket, changed: false };

  const updated =
    fields.length > 0
      ? store.tickets.update(
          ticket,
          Object.fromEntries(fields.map((f) => [f, changes[f]?.to])) as TicketFields,
        )
      : ticket;
  if (changes.priority && ticket.clusterId !== null) {
    movePriority(store, ticket.clusterId, changes.priority, now);
  }
  // The note goes with the first change it explains, or stands alone.
  fields.forEach((field, i) => {
    store.tickets.audit(
      ticket.id,
      {
        action: field,
        actor: patch.actor,
        detail: { ...changes[field] },
        note: i === 0 ? note : null,
      },
      now,
    );
  });
  if (fields.length === 0) {
    store.tickets.audit(ticket.id, { action: 'note', actor: patch.actor, detail: {}, note }, now);
  }
  store.events.append(
    'ticket.updated',
    { ticket: ticketView(updated), changes, note, actor: patch.actor },
    now,
  );
  return { ticket: updated, changed: true };
}

/** Keeps the cluster's priority mix (what the cluster views and the digest show) exact. */
function movePriority(
  store: Store,
  clusterId: number,
  change: NonNullable<Changes['priority']>,
  now: number,
): void {
  const cluster = store.clusters.get(clusterId);
  if (!cluster) return;
  const mix = { ...cluster.priorityMix };
  mix[change.from] = Math.max(0, (mix[change.from] ?? 0) - 1);
  mix[change.to] = (mix[change.to] ?? 0) + 1;
  store.clusters.update(clusterId, { priorityMix: mix }, now);
}
