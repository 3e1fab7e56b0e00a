import type {
  Agent,
  ClaimResult,
  DeskActions,
  DeskEvent,
  Handoff,
  ReplyResult,
  ResolveResult,
} from '../../types/index.ts';
import { type HandoffContext, handoffEventData, INTERNAL_NOTE } from './handoffs.ts';

function eventData(ctx: HandoffContext, id: number): Record<string, unknown> {
  const h = ctx.store.handoffs.get(id) as Handoff;
  return handoffEventData(h, ctx.store.conversations.get(h.conversationId)?.authorId);
}

/**
 * What a desk can do and see (see {@link DeskActions}), shared by the Slack desk and the
 * web desk. `subscribe` comes from the engine, which owns the live events.
 */
export function createDeskActions(
  ctx: HandoffContext,
  subscribe: (listener: (event: DeskEvent) => void) => () => void,
): DeskActions {
  const changed = async (id: number): Promise<Handoff> => {
    const h = ctx.store.handoffs.get(id) as Handoff;
    ctx.onCommit();
    ctx.onChange(h);
    await ctx.desk.update(h).catch((error: unknown) => {
      ctx.logger.warn({ err: error, handoffId: id }, 'desk update failed');
    });
    return h;
  };

  return {
    async claim(id: number, agent: Agent): Promise<ClaimResult> {
      const current = ctx.store.handoffs.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      if (current.status === 'resolved') return { ok: false, reason: 'resolved' };
      const claimed = ctx.store.transaction(() => {
        if (!ctx.store.handoffs.claim(id, agent)) return false;
        ctx.store.events.append('handoff.claimed', eventData(ctx, id));
        return true;
      });
      if (!claimed) {
        const holder = ctx.store.handoffs.get(id);
        return { ok: false, reason: 'already_claimed', by: holder?.agentName ?? 'another agent' };
      }
      const handoff = await changed(id);
      ctx.observer.handoffClaimed(
        Math.max(0, ((handoff.claimedAt ?? Date.now()) - handoff.createdAt) / 1000),
      );
      ctx.logger.info({ handoffId: id, agentId: agent.id }, 'handoff claimed');
      await ctx.sendToCustomer(handoff.conversationId, {
        role: 'system',
        text: `${agent.name} from the support team has joined the conversation.`,
      });
      ctx.assist.claimed(handoff);
      return { ok: true, handoff };
    },

    async reply(id: number, agent: Agent, text: string, deliveryId?: string): Promise<ReplyResult> {
      const h = ctx.store.handoffs.get(id);
      if (!h) return { ok: false, reason: 'not_found' };
      if (h.status === 'resolved') return { ok: false, reason: 'resolved' };
      if (h.status !== 'claimed') return { ok: false, reason: 'not_claimed' };
      if (deliveryId !== undefined && !ctx.store.conversations.firstDelivery('desk', deliveryId)) {
        return { ok: true, relayed: false, duplicate: true };
      }
      if (INTERNAL_NOTE.test(text)) {
        const note = ctx.store.conversations.appendReply(h.conversationId, {
          role: 'system',
          text,
          authorName: agent.name,
          meta: { internal: true },
        });
        ctx.onMessage(note);
        return { ok: true, relayed: false };
      }
      await ctx.sendToCustomer(h.conversationId, { role: 'agent', text, authorName: agent.name });
      return { ok: true, relayed: true };
    },

    async resolve(id: number, agent: Agent): Promise<ResolveResult> {
      const resolved = ctx.store.transaction(() => {
        if (!ctx.store.handoffs.resolve(id)) return false;
        ctx.store.events.append('handoff.resolved', eventData(ctx, id));
        return true;
      });
      if (!resolved) {
        return { ok: false, reason: ctx.store.handoffs.get(id) ? 'resolved' : 'not_found' };
      }
      const handoff = await changed(id);
      ctx.logger.info({ handoffId: id, agentId: agent.id }, 'handoff resolved');
      await ctx.sendToCustomer(handoff.conversationId, {
        role: 'system',
        text: 'The support team has marked this conversation as resolved. If you need anything else, just write here again.',
      });
      await ctx.assist.resolved(handoff);
      await ctx.verdicts.ask(handoff.conversationId, handoff.platform, `handoff:${id}`, handoff);
      return { ok: true, handoff };
    },

    handoff: (id) => ctx.store.handoffs.get(id),
    handoffs: (filter = {}) =>
      ctx.store.handoffs.list({
        ...(filter.status ? { status: filter.status } : {}),
        limit: filter.limit ?? 100,
      }),
    transcript: (h) => ctx.store.conversations.messages(h.conversationId),
    card: (id) => ctx.assist.card(id),
    sendSuggestion: (id, suggestionId, agent, text) =>
      ctx.assist.send(id, suggestionId, agent, text),
    dismissSuggestion: (id, suggestionId, agent) => ctx.assist.dismiss(id, suggestionId, agent),
    loadByAgent: () => ctx.store.handoffs.loadByAgent(),
    subscribe,
  };
}
