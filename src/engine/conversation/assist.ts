import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import type {
  Agent,
  Assistant,
  AssistCard,
  CardTicket,
  Desk,
  Handoff,
  ReplyResult,
  SuggestionResult,
} from '../../types/index.ts';
import { isEmptyEnvironment, parseEnvironment } from '../environment.ts';
import type { Retriever } from '../knowledge/retriever.ts';
import { redactPII } from '../redact.ts';

/** The doc sections a card names. */
const CARD_SECTIONS = 3;
/** The customer's newest lines the relevant sections are looked up with. */
const QUERY_LINES = 3;

export interface AssistContext {
  store: Store;
  assistant: Assistant;
  retriever: Retriever;
  desk: Desk;
  logger: Logger;
  /** Sends the agent's text to the customer, as the desk's own reply action does. */
  reply(handoffId: number, agent: Agent, text: string): Promise<ReplyResult>;
  /** The card was shown or its suggestion changed (live desk pages follow it). */
  onCard(handoffId: number, card: AssistCard): void;
}

/** The agent's side of a handoff: the card on claim and the drafted reply it carries. */
export interface Assist {
  /** The card of a claimed (or resolved) handoff; undefined before its claim. */
  card(handoffId: number): AssistCard | undefined;
  /** After a claim: builds the card with a first suggestion and shows it on the desk. */
  claimed(handoff: Handoff): void;
  /** After a customer message in a claimed handoff: drafts a new suggestion, in the background. */
  refresh(handoff: Handoff): void;
  /** After the resolution: the card shows it, without a suggestion or buttons. */
  resolved(handoff: Handoff): Promise<void>;
  send(
    handoffId: number,
    suggestionId: number,
    agent: Agent,
    text?: string,
  ): Promise<SuggestionResult>;
  dismiss(handoffId: number, suggestionId: number, agent: Agent): Promise<SuggestionResult>;
  /** Resolves once no card or suggestion is being drafted. */
  idle(): Promise<void>;
}

/**
 * Builds each claimed handoff's card from what Switchboard knows (the classification, the
 * customer's setup and open tickets with their clusters, the sections the conversation
 * touches) and drafts a reply through the assistant (the model with its retries and
 * fallback, else the offline extract). Drafting never blocks the relay: at most one draft
 * per handoff is in flight, and messages that arrive meanwhile ask for one more after it.
 * A suggestion reaches the customer only through `send`, an agent's click.
 */
export function createAssist(ctx: AssistContext): Assist {
  const { store, logger } = ctx;
  const running = new Map<number, Promise<void>>();
  const wanted = new Set<number>();

  const conversationLines = (h: Handoff) =>
    store.conversations.history(h.conversationId).map((l) => ({ ...l, text: redactPII(l.text) }));

  async function draft(h: Handoff, first: boolean): Promise<void> {
    const history = conversationLines(h);
    const query = history
      .filter((l) => l.role === 'customer')
      .slice(-QUERY_LINES)
      .map((l) => l.text)
      .join('\n');
    const knowledge = query ? await ctx.retriever.search(query) : [];
    if (first) {
      const sections = [...new Set(knowledge.map((hit) => hit.section))].slice(0, CARD_SECTIONS);
      store.assist.saveCard(h.id, sections);
    }
    // No model call for a handoff that was resolved meanwhile.
    const still = store.handoffs.get(h.id);
    if (still?.status !== 'claimed') {
      if (still) await show(still);
      return;
    }
    // The card is shown even when no draft could be written.
    const drafted = await ctx.assistant.suggest({ history, knowledge }).catch((error: unknown) => {
      logger.warn({ err: error, handoffId: h.id }, 'suggestion failed');
      return undefined;
    });
    const current = store.handoffs.get(h.id);
    if (current?.status !== 'claimed') return;
    if (drafted) store.assist.suggest(h.id, drafted);
    await show(current);
  }

  async function show(h: Handoff): Promise<void> {
    const card = cardOf(h.id);
    if (!card) return;
    ctx.onCard(h.id, card);
    if (!ctx.desk.showCard) return;
    try {
      const ref = await ctx.desk.showCard(h, card, store.assist.card(h.id)?.deskRef ?? undefined);
      if (ref) store.assist.setCardRef(h.id, ref);
    } catch (error) {
      logger.warn({ err: error, handoffId: h.id, desk: ctx.desk.name }, 'card post failed');
    }
  }

  /** Runs one draft for the handoff, and one more after it if a message came meanwhile. */
  function schedule(h: Handoff, first: boolean): void {
    if (running.has(h.id)) {
      wanted.add(h.id);
      return;
    }
    const run = (async () => {
      try {
        await draft(h, first);
        while (wanted.delete(h.id)) await draft(h, false);
      } catch (error) {
        logger.warn({ err: error, handoffId: h.id }, 'suggestion failed');
      } finally {
        running.delete(h.id);
      }
    })();
    running.set(h.id, run);
  }

  function cardOf(handoffId: number): AssistCard | undefined {
    const h = store.handoffs.get(handoffId);
    const saved = store.assist.card(handoffId);
    if (!h || !saved) return undefined;
    const tickets = store.tickets.forConversation(h.conversationId);
    const given = [...tickets]
      .reverse()
      .find((t) => t.environment && !isEmptyEnvironment(t.environment));
    const said = parseEnvironment(
      store.conversations
        .history(h.conversationId, 50)
        .filter((l) => l.role === 'customer')
        .map((l) => l.text),
    );
    const open: CardTicket[] = tickets
      .filter((t) => t.status === 'open' || t.status === 'in_progress')
      .map((t) => {
        const cluster = t.clusterId === null ? undefined : store.clusterViews.get(t.clusterId);
        return {
          ref: t.ref,
          status: t.status,
          summary: t.summary,
          cluster: cluster
            ? { id: cluster.id, title: cluster.title, reports: cluster.reports }
            : null,
        };
      });
    const { category, priority, sentiment, confidence } = h.classification;
    return {
      handoffId: h.id,
      customer: { name: h.customerName, platform: h.platform },
      classification: { category, priority, sentiment, confidence },
      environment: given?.environment ?? (isEmptyEnvironment(said) ? null : said),
      tickets: open,
      sections: saved.sections,
      suggestion: h.status === 'claimed' ? (store.assist.current(h.id) ?? null) : null,
    };
  }

  /** The handoff is the agent's to act on, and the suggestion still the current one. */
  function check(
    handoffId: number,
    suggestionId: number,
  ): SuggestionResult & { handoff?: Handoff } {
    const h = store.handoffs.get(handoffId);
    if (!h) return { ok: false, reason: 'not_found' };
    if (h.status === 'resolved') return { ok: false, reason: 'resolved' };
    if (h.status !== 'claimed') return { ok: false, reason: 'not_claimed' };
    if (store.assist.current(h.id)?.id !== suggestionId) return { ok: false, reason: 'stale' };
    return { ok: true, handoff: h };
  }

  return {
    card: cardOf,
    claimed: (h) => schedule(h, true),
    refresh(h) {
      // Also while the first draft runs (its card is saved after the lookup): one more after it.
      if (running.has(h.id) || store.assist.card(h.id)) schedule(h, false);
    },
    async resolved(h) {
      // A draft still running sees the resolution and shows the card itself; no waiting on it.
      if (!running.has(h.id) && store.assist.card(h.id)) await show(h);
    },
    async send(handoffId, suggestionId, agent, text) {
      const checked = check(handoffId, suggestionId);
      if (!checked.handoff) return checked;
      const suggestion = store.assist.current(handoffId);
      const body = (text ?? suggestion?.text ?? '').trim();
      if (!suggestion || !body) return { ok: false, reason: 'stale' };
      const how = body === suggestion.text.trim() ? 'sent' : 'edited';
      if (!store.assist.use(suggestionId, how, agent.id)) return { ok: false, reason: 'stale' };
      const sent = await ctx.reply(handoffId, agent, body);
      if (!sent.ok) {
        // Not sent (resolved in between): the draft is as it was, and counts as unused.
        store.assist.unuse(suggestionId);
        return sent;
      }
      logger.info({ handoffId, suggestionId, use: how, agentId: agent.id }, 'suggestion used');
      await show(checked.handoff);
      return { ok: true };
    },
    async dismiss(handoffId, suggestionId, agent) {
      const checked = check(handoffId, suggestionId);
      if (!checked.handoff) return checked;
      if (!store.assist.use(suggestionId, 'dismissed', agent.id))
        return { ok: false, reason: 'stale' };
      await show(checked.handoff);
      return { ok: true };
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
