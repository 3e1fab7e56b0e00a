import { EventEmitter } from 'node:events';
import type { Logger } from '../log.ts';
import type { Handoff, Store, StoredMessage } from '../store/index.ts';
import { consolidateIfDue } from './clusters/index.ts';
import type { Desk, DeskActions } from './desk.ts';
import {
  announceDue,
  createDeskActions,
  type HandoffContext,
  openHandoff,
  relayToDesk,
} from './handoffs.ts';
import type { Retriever } from './knowledge.ts';
import { redactPII } from './redact.ts';
import { SerialQueue } from './serial-queue.ts';
import { createTicket, prepareTicket, type Triage } from './tickets.ts';
import type {
  Assistant,
  ChannelAdapter,
  InboundMessage,
  Platform,
  TurnResult,
  TurnUsage,
} from './types.ts';

/** What the customer sees when a turn fails in a way no fallback covered. */
export const APOLOGY =
  "Sorry, something went wrong on our side while answering. Your message is saved; please try again in a moment, or say 'talk to a person'.";

export interface EngineDeps {
  store: Store;
  assistant: Assistant;
  retriever: Retriever;
  desk: Desk;
  logger: Logger;
  sessionTtlMs: number;
  handoffSlaMs: number;
  /** Called after a commit that wrote outbox events (wakes the webhook dispatcher). */
  onCommit?: () => void;
  /** Normalizer, embedder and cluster settings; without it tickets are not clustered. */
  triage?: Triage;
}

/** Live changes, for SSE pages and desks. */
export interface EngineEvents {
  message: [StoredMessage];
  handoff: [Handoff];
}

/**
 * The pipeline of DESIGN.md's "flow of one message". `handle` durably accepts a message
 * (dropping platform retries) and returns at once; the turn runs after, one at a time per
 * conversation, inside one error boundary.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly desk: DeskActions;
  private readonly adapters = new Map<Platform, ChannelAdapter>();
  private readonly queue = new SerialQueue();
  /** The chain of cluster consolidation passes (see `consolidate`). */
  private maintenance: Promise<void> = Promise.resolve();
  private readonly handoffs: HandoffContext;

  constructor(private readonly deps: EngineDeps) {
    super();
    this.handoffs = {
      store: deps.store,
      desk: deps.desk,
      logger: deps.logger,
      sendToCustomer: (id, m) => this.sendToCustomer(id, m),
      onCommit: () => deps.onCommit?.(),
      onChange: (h) => this.emit('handoff', h),
      onMessage: (m) => this.emit('message', m),
    };
    this.desk = createDeskActions(this.handoffs);
  }

  /** Registers the adapter that delivers replies for its platform. */
  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  /**
   * Accepts one inbound message. Returns `false` for a duplicate delivery. The message is
   * committed before this resolves, so the platform can be acked at once.
   */
  async handle(msg: InboundMessage): Promise<boolean> {
    const stored = this.deps.store.conversations.acceptInbound(msg, this.deps.sessionTtlMs);
    if (!stored) {
      this.deps.logger.debug(
        { platform: msg.platform, messageId: msg.messageId },
        'duplicate delivery dropped',
      );
      return false;
    }
    this.emit('message', stored);
    void this.queue.push(msg.conversationId, () => this.turn(stored, msg));
    return true;
  }

  /** Re-runs turns for messages accepted before a crash but never answered. */
  recoverPending(): number {
    const pending = this.deps.store.conversations.pending();
    for (const m of pending) {
      const conv = this.deps.store.conversations.get(m.conversationId);
      if (!conv) continue;
      const msg: InboundMessage = {
        platform: conv.platform,
        conversationId: conv.id,
        messageId: String(m.id),
        author: { id: conv.authorId, name: conv.authorName },
        text: m.text,
        receivedAt: new Date(m.createdAt),
      };
      void this.queue.push(conv.id, () => this.turn(m, msg));
    }
    return pending.length;
  }

  /** Resolves when every queued turn has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.maintenance;
  }

  /**
   * Tells a customer something outside a turn (e.g. "the fix is out"): stores a system
   * message in their conversation and sends it through the conversation's platform
   * adapter. When the conversation has expired, the platform is read from the namespaced
   * id and the message is sent without being stored. Returns false when no adapter for
   * that platform is registered; delivery errors are logged, never thrown.
   */
  async notify(conversationId: string, text: string): Promise<boolean> {
    if (this.deps.store.conversations.get(conversationId)) {
      await this.reply(conversationId, { role: 'system', text });
      return true;
    }
    const adapter = this.adapters.get(conversationId.split(':')[0] as Platform);
    if (!adapter) return false;
    try {
      await adapter.send(conversationId, { text, from: 'system' });
      return true;
    } catch (error) {
      this.deps.logger.error({ err: error, conversationId }, 'notification failed');
      return false;
    }
  }

  /** Posts failed desk posts again and re-announces handoffs past the SLA. */
  announceDueHandoffs(now = Date.now()): Promise<number> {
    return announceDue(this.handoffs, this.deps.handoffSlaMs, now);
  }

  private async turn(stored: StoredMessage, msg: InboundMessage): Promise<void> {
    const { store, logger } = this.deps;
    const log = logger.child({ conversationId: msg.conversationId, messageId: stored.id });
    try {
      const handoff = store.handoffs.activeFor(msg.conversationId);
      if (handoff) {
        store.conversations.markDone(stored.id);
        await relayToDesk(this.handoffs, handoff, stored);
        return;
      }
      const text = redactPII(stored.text);
      const history = store.conversations
        .history(msg.conversationId)
        .map((h) => ({ ...h, text: redactPII(h.text) }));
      const knowledge = await this.deps.retriever.search(text);
      const { result, usage } = await this.deps.assistant.respond({ history, text, knowledge });
      log.info(
        { state: result.state, category: result.category, assistant: usage?.model ?? 'offline' },
        'turn',
      );
      await this.route(stored, msg, result, usage);
    } catch (error) {
      log.error({ err: error }, 'turn failed');
      await this.reply(msg.conversationId, { role: 'system', text: APOLOGY }, stored.id).catch(
        (e: unknown) => log.error({ err: e }, 'apology failed'),
      );
    }
  }

  private async route(
    stored: StoredMessage,
    msg: InboundMessage,
    result: TurnResult,
    usage: TurnUsage | undefined,
  ): Promise<void> {
    const { store } = this.deps;
    const { reply, ...classification } = result;
    const meta = { state: result.state, classification };
    if (usage) store.conversations.recordUsage(stored.id, msg.conversationId, usage);
    switch (result.state) {
      case 'CONTINUE':
        await this.reply(msg.conversationId, { role: 'bot', text: reply, meta }, stored.id);
        return;
      case 'RESOLVED':
        await this.reply(msg.conversationId, { role: 'bot', text: reply, meta }, stored.id);
        store.conversations.close(msg.conversationId);
        return;
      case 'ESCALATE_HUMAN':
        await this.reply(msg.conversationId, { role: 'bot', text: reply, meta }, stored.id);
        await openHandoff(this.handoffs, msg, classification);
        return;
      case 'RAISE_TICKET': {
        // Normalizing and embedding take I/O, so they happen before the one transaction
        // that stores the ticket, its cluster, its events and the reply.
        const prepared = await prepareTicket(this.deps.triage, msg, classification);
        const { ticket, saved } = store.transaction(() => {
          const { ticket } = createTicket(store, prepared, this.deps.triage?.clusters);
          const text = `${reply}\n\nYour ticket reference is **${ticket.ref}**.`;
          const message = store.conversations.appendReply(
            msg.conversationId,
            { role: 'bot', text, meta: { ...meta, ticket: ticket.ref } },
            stored.id,
          );
          return { ticket, saved: message };
        });
        this.deps.onCommit?.();
        await this.deliver(msg.conversationId, saved);
        if (this.deps.triage) this.consolidate(ticket.id, this.deps.triage);
        return;
      }
    }
  }

  /**
   * Cluster maintenance due after this ticket, in slices off the turn's path; passes run one
   * after another. A failure is logged, the ticket stands, and the next pass covers it.
   */
  private consolidate(ticketId: number, triage: Triage): void {
    this.maintenance = this.maintenance
      .then(() => consolidateIfDue(this.deps.store, triage.clusters, ticketId))
      .then(
        (pass) => {
          if (pass) this.deps.onCommit?.();
        },
        (error: unknown) => {
          this.deps.logger.error({ err: error, ticketId }, 'cluster consolidation failed');
        },
      );
  }

  /** Stores a bot/agent/system message and delivers it on the conversation's platform. */
  private async reply(
    conversationId: string,
    message: { role: 'bot' | 'agent' | 'system'; text: string; authorName?: string; meta?: object },
    answering?: number,
  ): Promise<void> {
    const saved = this.deps.store.conversations.appendReply(conversationId, message, answering);
    await this.deliver(conversationId, saved);
  }

  private sendToCustomer(
    conversationId: string,
    message: { role: 'agent' | 'system'; text: string; authorName?: string },
  ): Promise<void> {
    return this.reply(conversationId, message);
  }

  private async deliver(conversationId: string, saved: StoredMessage): Promise<void> {
    this.emit('message', saved);
    const conv = this.deps.store.conversations.get(conversationId);
    const adapter = conv ? this.adapters.get(conv.platform) : undefined;
    if (!adapter) return;
    try {
      await adapter.send(conversationId, {
        text: saved.text,
        from: saved.role === 'customer' ? 'bot' : saved.role,
        ...(saved.authorName ? { agentName: saved.authorName } : {}),
      });
    } catch (error) {
      this.deps.logger.error({ err: error, conversationId }, 'delivery to platform failed');
    }
  }
}
