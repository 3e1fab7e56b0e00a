import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import type {
  Classification,
  Desk,
  EngineObserver,
  Handoff,
  InboundMessage,
  StoredMessage,
} from '../../types/index.ts';
import type { Assist } from './assist.ts';
import type { Verdicts } from './verdict.ts';

/** The payload of `handoff.*` events, as documented in docs/webhooks.md. */
export function handoffEventData(
  h: Handoff,
  customerId: string | undefined,
): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
  return {
    handoff: {
      id: h.id,
      conversationId: h.conversationId,
      platform: h.platform,
      customer: { id: customerId ?? null, name: h.customerName },
      status: h.status,
      summary: h.summary,
      category: h.classification.category,
      priority: h.classification.priority,
      sentiment: h.classification.sentiment,
      agent: h.agentName ? { id: h.agentId, name: h.agentName } : null,
      createdAt: iso(h.createdAt),
      claimedAt: iso(h.claimedAt),
      resolvedAt: iso(h.resolvedAt),
    },
  };
}

/** How handoff changes reach the customer and the rest of the engine. */
export interface HandoffContext {
  store: Store;
  desk: Desk;
  logger: Logger;
  /** Stores a message in the conversation and delivers it on the customer's platform. */
  sendToCustomer(
    conversationId: string,
    message: { role: 'agent' | 'system'; text: string; authorName?: string },
  ): Promise<void>;
  /** Called after a commit that wrote events (wakes the webhook dispatcher). */
  onCommit(): void;
  /** Called when a handoff changes, for live pages. */
  onChange(handoff: Handoff): void;
  /** Called when a message is stored without being sent to the customer (internal notes). */
  onMessage(message: StoredMessage): void;
  /** Counts handoffs opened and claimed (the metrics). */
  observer: Pick<EngineObserver, 'handoffOpened' | 'handoffClaimed'>;
  /** The agent's card and drafted replies. */
  assist: Assist;
  /** The customer's verdict, asked once a handoff is resolved. */
  verdicts: Verdicts;
}

/** Internal notes: agent lines starting with `//` are kept but never relayed. */
export const INTERNAL_NOTE = /^\s*\/\//;

/**
 * Opens a handoff (one transaction with its `handoff.created` event), then posts it to
 * the desk. A failed post is recorded and retried by {@link announceDue}; never lost.
 */
export async function openHandoff(
  ctx: HandoffContext,
  msg: Pick<InboundMessage, 'conversationId' | 'platform' | 'author'>,
  classification: Classification,
): Promise<Handoff> {
  const handoff = ctx.store.transaction(() => {
    const h = ctx.store.handoffs.create({
      conversationId: msg.conversationId,
      platform: msg.platform,
      customerName: msg.author.name,
      summary: classification.summary,
      classification,
    });
    ctx.store.outcomes.handedOff(msg.conversationId);
    ctx.store.events.append('handoff.created', handoffEventData(h, msg.author.id));
    return h;
  });
  ctx.onCommit();
  ctx.observer.handoffOpened();
  ctx.logger.info(
    { handoffId: handoff.id, conversationId: handoff.conversationId, platform: handoff.platform },
    'handoff opened',
  );
  await announce(ctx, handoff, false);
  return handoff;
}

async function announce(ctx: HandoffContext, handoff: Handoff, reannounce: boolean): Promise<void> {
  try {
    const recent = ctx.store.conversations.messages(handoff.conversationId).slice(-8);
    const deskRef = await ctx.desk.announce(handoff, recent, reannounce);
    ctx.store.handoffs.markAnnounced(handoff.id, deskRef ? { deskRef } : {});
  } catch (error) {
    ctx.logger.warn(
      { err: error, handoffId: handoff.id, desk: ctx.desk.name },
      'handoff post failed; will retry',
    );
    ctx.store.handoffs.markAnnounced(handoff.id, { error: String(error) });
  }
  const fresh = ctx.store.handoffs.get(handoff.id);
  if (fresh) ctx.onChange(fresh);
}

/**
 * Posts handoffs whose desk post failed, and re-announces those still unclaimed after
 * the SLA. Called on a timer by the composition root.
 */
export async function announceDue(
  ctx: HandoffContext,
  slaMs: number,
  now = Date.now(),
): Promise<number> {
  const due = ctx.store.handoffs.dueForAnnouncement(now - slaMs);
  const unposted = ctx.store.handoffs
    .list({ status: 'open', limit: 200 })
    .filter((h) => h.deskError && !due.some((d) => d.id === h.id));
  for (const h of [...due, ...unposted]) await announce(ctx, h, h.announceCount > 0);
  return due.length + unposted.length;
}

/** Relays a customer message into the agent's thread instead of answering it. */
export async function relayToDesk(
  ctx: HandoffContext,
  handoff: Handoff,
  message: StoredMessage,
): Promise<void> {
  try {
    await ctx.desk.relay(handoff, message);
  } catch (error) {
    ctx.logger.warn({ err: error, handoffId: handoff.id }, 'relay to desk failed');
  }
}
