import { EventEmitter } from 'node:events';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import {
  type AdapterHooks,
  type Assistant,
  type AssistCard,
  type ChannelAdapter,
  type ConversationView,
  choicesOf,
  type Desk,
  type DeskActions,
  type DeskEvent,
  type EngineObserver,
  type Handoff,
  type InboundMessage,
  isInternalNote,
  type Platform,
  type StoredMessage,
  type TurnOutcome,
  type TurnResult,
  type TurnUsage,
} from '../../types/index.ts';
import { citedSections } from '../knowledge/citations.ts';
import type { Retriever } from '../knowledge/retriever.ts';
import { redactPII } from '../redact.ts';
import type { Triage } from '../triage/index.ts';
import { type Assist, createAssist } from './assist.ts';
import { createDeskActions } from './desk.ts';
import { announceDue, type HandoffContext, openHandoff, relayToDesk } from './handoffs.ts';
import { RateLimiter, SLOW_DOWN } from './rate-limit.ts';
import { SerialQueue } from './serial-queue.ts';
import { createVerdicts, type Verdicts } from './verdict.ts';

/** What the customer sees when a turn fails in a way no fallback covered. */
export const APOLOGY =
  "Sorry, something went wrong on our side while answering. Your message is saved; please try again in a moment, or say 'talk to a person'.";

export interface EngineDeps {
  store: Store;
  assistant: Assistant;
  retriever: Retriever;
  desk: Desk;
  /** Where RAISE_TICKET turns file their tickets. */
  triage: Triage;
  logger: Logger;
  sessionTtlMs: number;
  handoffSlaMs: number;
  /** Called after a commit that wrote outbox events (wakes the webhook dispatcher). */
  onCommit?: () => void;
  /**
   * Messages per minute one author (on one platform) and one conversation may send before
   * the bot stops answering them for a while; 0 turns a limit off. Default 12 and 30.
   */
  rateLimits?: { perAuthor: number; perConversation: number };
  /** Counts turns, tickets, handoffs and rate-limited messages (the metrics). */
  observer?: EngineObserver;
  /** Signs the buttons sent to customers (ratings), so a forged press does nothing. */
  signingKey: string;
}

/** An observer that counts nothing. */
const UNOBSERVED: EngineObserver = {
  turn: () => {},
  rateLimited: () => {},
  ticketCreated: () => {},
  handoffOpened: () => {},
  handoffClaimed: () => {},
};

/** Live changes, for SSE pages and desks. */
export interface EngineEvents {
  message: [StoredMessage];
  handoff: [Handoff];
  card: [AssistCard];
}

/** How long a turn runs before the customer's platform shows "typing…". */
const TYPING_AFTER_MS = 300;
/** How often unclaimed handoffs are checked against the SLA, and failed desk posts retried. */
const HANDOFF_SWEEP_MS = 30_000;
/** How often expired conversations and old dedupe ids are removed. */
const EXPIRY_SWEEP_MS = 3_600_000;
/** Platforms retry within minutes; dedupe ids are kept a week. */
const DEDUPE_KEEP_MS = 7 * 86_400_000;
/** A reply its platform has not taken for a day is given up (logged as failed). */
const DELIVERY_GIVE_UP_MS = 86_400_000;
/**
 * Send failures that are final: the platform refused this message for good (the customer
 * blocked the bot or left, the chat or channel is gone, the message itself is invalid), as
 * {@link ChannelErrorCode}s and Slack's own codes. Any other failure (the platform down,
 * rate limiting past the SDK's retries, unreachable, the channel not connected yet) passes:
 * the reply stays owed and is sent again.
 */
const FINAL_FAILURES = new Set([
  'forbidden',
  'not_found',
  'invalid_request',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
]);

/**
 * The pipeline of DESIGN.md's "flow of one message". `handle` durably accepts a message
 * (dropping platform retries) and returns at once; the turn runs after, one at a time per
 * conversation, inside one error boundary. Adapters reach it only through {@link hooks}
 * and desks only through {@link desk}.
 */
export class Engine extends EventEmitter<EngineEvents> {
  /** What a desk (Slack's agent channel, the web desk) can do and see. */
  readonly desk: DeskActions;
  /** What every adapter is started with: hand a message in, read a conversation. */
  readonly hooks: AdapterHooks;
  private readonly adapters = new Map<Platform, ChannelAdapter>();
  private readonly queue = new SerialQueue();
  /** Replies being sent right now, so a redelivery never sends one twice. */
  private readonly sending = new Set<number>();
  private readonly handoffs: HandoffContext;
  private readonly assist: Assist;
  private readonly verdicts: Verdicts;
  private readonly observer: EngineObserver;
  private readonly perAuthor: RateLimiter;
  private readonly perConversation: RateLimiter;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: EngineDeps) {
    super();
    this.observer = deps.observer ?? UNOBSERVED;
    this.perAuthor = new RateLimiter(deps.rateLimits?.perAuthor ?? 12);
    this.perConversation = new RateLimiter(deps.rateLimits?.perConversation ?? 30);
    this.assist = createAssist({
      store: deps.store,
      assistant: deps.assistant,
      retriever: deps.retriever,
      desk: deps.desk,
      logger: deps.logger,
      reply: (id, agent, text) => this.desk.reply(id, agent, text),
      onCard: (_id, card) => this.emit('card', card),
    });
    this.verdicts = createVerdicts({
      store: deps.store,
      desk: deps.desk,
      logger: deps.logger,
      signingKey: deps.signingKey,
      say: (id, text, meta) => this.reply(id, { role: 'system', text, ...(meta ? { meta } : {}) }),
      noteForAgents: (id, text) =>
        this.emit(
          'message',
          deps.store.conversations.appendReply(id, {
            role: 'system',
            text,
            meta: { internal: true },
          }),
        ),
      onCommit: () => deps.onCommit?.(),
    });
    this.handoffs = {
      store: deps.store,
      desk: deps.desk,
      logger: deps.logger,
      sendToCustomer: (id, m) => this.reply(id, m),
      onCommit: () => deps.onCommit?.(),
      onChange: (h) => this.emit('handoff', h),
      onMessage: (m) => this.emit('message', m),
      observer: this.observer,
      assist: this.assist,
      verdicts: this.verdicts,
    };
    this.desk = createDeskActions(this.handoffs, (listener) => this.followDesk(listener));
    this.hooks = {
      handle: (msg) => this.handle(msg),
      conversation: (id) => this.conversation(id),
    };
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
    const { store, sessionTtlMs } = this.deps;
    // A button is the customer's to press: in a shared thread a bystander's press is not taken.
    if (msg.choice !== undefined) {
      const customer = store.conversations.get(msg.conversationId)?.authorId;
      if (customer !== undefined && customer !== msg.author.id) {
        this.deps.logger.info(
          { platform: msg.platform },
          'a button press by someone else than the customer was ignored',
        );
        return false;
      }
    }
    // Counted for the stats in the commit that accepts it, so a retried delivery never is;
    // an answer to the rating question is not a new conversation.
    const stored = store.transaction(() => {
      const accepted = store.conversations.acceptInbound(msg, sessionTtlMs);
      if (accepted && !this.verdicts.isAnswer(msg)) {
        store.outcomes.customerMessage(msg.conversationId, accepted.createdAt, sessionTtlMs);
      }
      return accepted;
    });
    if (!stored) {
      this.deps.logger.debug(
        { platform: msg.platform, messageId: msg.messageId },
        'duplicate delivery dropped',
      );
      return false;
    }
    this.emit('message', stored);
    if (this.overLimit(stored, msg)) return true;
    void this.queue.push(msg.conversationId, () => this.turn(stored, msg));
    return true;
  }

  /**
   * Flood control, after dedupe (a platform's retry is not a new message) and before any
   * model call. A message over the limit stays in the conversation, unanswered; the first
   * of a streak gets one "slow down". A conversation with a person is relayed as it is.
   */
  private overLimit(stored: StoredMessage, msg: InboundMessage): boolean {
    if (this.deps.store.handoffs.activeFor(msg.conversationId)) return false;
    const byAuthor = this.perAuthor.take(`${msg.platform}:${msg.author.id}`);
    const byConversation = byAuthor.allowed
      ? this.perConversation.take(msg.conversationId)
      : { allowed: true, tell: false };
    if (byAuthor.allowed && byConversation.allowed) return false;
    const scope = byAuthor.allowed ? 'conversation' : 'author';
    this.observer.rateLimited(scope);
    this.deps.store.conversations.markDone(stored.id);
    if (byAuthor.tell || byConversation.tell) {
      this.deps.logger.info(
        { conversationId: msg.conversationId, platform: msg.platform, scope },
        'rate limited: not answering for a while',
      );
      void this.queue.push(msg.conversationId, () =>
        this.reply(msg.conversationId, { role: 'system', text: SLOW_DOWN }, stored.id).catch(
          (error: unknown) => this.deps.logger.error({ err: error }, 'slow-down notice failed'),
        ),
      );
    }
    return true;
  }

  /** A conversation as its customer sees it; see {@link AdapterHooks.conversation}. */
  conversation(conversationId: string): ConversationView | undefined {
    const { conversations, handoffs } = this.deps.store;
    const conversation = conversations.get(conversationId);
    if (!conversation) return undefined;
    const handoff = handoffs.activeFor(conversationId);
    return {
      id: conversation.id,
      status: conversation.status,
      customerId: conversation.authorId,
      handoff: handoff
        ? { id: handoff.id, status: handoff.status, agent: handoff.agentName }
        : null,
      messages: (afterId = 0) =>
        conversations.messages(conversationId, afterId).filter((m) => !isInternalNote(m)),
      byPlatformId: (platformMessageId) =>
        conversations.byExternalId(conversationId, platformMessageId),
    };
  }

  /**
   * Starts the engine's own upkeep: unclaimed handoffs re-announced after the SLA (and failed
   * desk posts retried) every 30 s; expired conversations and old dedupe ids removed hourly.
   */
  start(): void {
    if (this.timers.length > 0) return;
    const { store, logger } = this.deps;
    this.timers = [
      setInterval(() => {
        this.announceDueHandoffs().catch((e: unknown) =>
          logger.warn({ err: e }, 'handoff sweep failed'),
        );
        try {
          this.redeliver();
        } catch (error) {
          logger.warn({ err: error }, 'redelivery sweep failed');
        }
      }, HANDOFF_SWEEP_MS),
      setInterval(() => {
        try {
          store.conversations.expire();
          store.conversations.pruneInbound(DEDUPE_KEEP_MS);
          store.outcomes.prune(Date.now() - this.deps.sessionTtlMs - DEDUPE_KEEP_MS);
        } catch (error) {
          logger.warn({ err: error }, 'conversation expiry failed');
        }
      }, EXPIRY_SWEEP_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  /** Stops the upkeep timers; turns already queued still run (see {@link idle}). */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
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

  /**
   * Sends again the replies their platform has not taken: those a crash cut off between
   * storing and sending, and those the platform turned away for a while (down, rate
   * limiting). Runs at startup and with the 30 s sweep; each goes through its
   * conversation's queue, so it never overtakes a turn. Returns how many were owed.
   */
  redeliver(now = Date.now()): number {
    const { conversations } = this.deps.store;
    const expired = conversations.giveUpDeliveries(now - DELIVERY_GIVE_UP_MS);
    if (expired > 0) {
      this.deps.logger.warn(
        { replies: expired },
        'replies a platform did not take for a day were given up',
      );
    }
    let owed = 0;
    // Platform by platform, so one that stays down never holds up the others' replies.
    for (const platform of this.adapters.keys()) {
      if (platform === 'web') continue;
      for (const message of conversations.undelivered(platform)) {
        owed++;
        if (this.sending.has(message.id)) continue;
        void this.queue.push(message.conversationId, async () => {
          // The turn that stored it may have sent it while this waited in the queue.
          if (conversations.isOwed(message.id)) await this.send(message);
        });
      }
    }
    return owed;
  }

  /** Resolves when every queued turn and the cluster upkeep it caused have finished. */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.assist.idle();
    await this.deps.triage.idle();
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
    const adapter = this.adapters.get(platformOf(conversationId));
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
    let typing: NodeJS.Timeout | undefined;
    try {
      const handoff = store.handoffs.activeFor(msg.conversationId);
      // A rating (a pressed button, a typed "4", the comment after it) is not a question.
      if ((msg.choice !== undefined || !handoff) && (await this.verdicts.receive(msg))) {
        store.conversations.markDone(stored.id);
        return;
      }
      if (handoff) {
        store.conversations.markDone(stored.id);
        await relayToDesk(this.handoffs, handoff, stored);
        if (handoff.status === 'claimed') this.assist.refresh(handoff);
        return;
      }
      // "typing…" only for an answer that takes a while (the model path): a fast one would
      // spend a platform request per message on an indicator nobody sees.
      typing = setTimeout(() => this.showTyping(msg), TYPING_AFTER_MS);
      const started = performance.now();
      const text = redactPII(stored.text);
      const history = store.conversations
        .history(msg.conversationId)
        .map((h) => ({ ...h, text: redactPII(h.text) }));
      const knowledge = await this.deps.retriever.search(text);
      const answer = await this.deps.assistant.respond({ history, text, knowledge });
      clearTimeout(typing);
      const { result, usage } = answer;
      log.info(
        { state: result.state, category: result.category, assistant: usage?.model ?? 'offline' },
        'turn',
      );
      await this.route(stored, msg, result, usage, citedSections(result.reply, knowledge), log);
      this.observer.turn({
        outcome: turnOutcome(answer.fellBack, usage),
        state: result.state,
        seconds: (performance.now() - started) / 1000,
        ...(usage ? { usage } : {}),
      });
    } catch (error) {
      clearTimeout(typing);
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
    sources: readonly string[],
    log: Logger,
  ): Promise<void> {
    const { store } = this.deps;
    const { reply, ...classification } = result;
    const meta = { state: result.state, classification, ...(sources.length ? { sources } : {}) };
    const bot = { role: 'bot', text: reply, meta } as const;
    if (usage) store.conversations.recordUsage(stored.id, msg.conversationId, usage);
    switch (result.state) {
      case 'CONTINUE':
        await this.answer(msg.conversationId, bot, sources, stored.id);
        return;
      case 'RESOLVED':
        await this.answer(msg.conversationId, bot, sources, stored.id);
        store.transaction(() => {
          store.conversations.close(msg.conversationId);
          store.outcomes.close(msg.conversationId);
        });
        await this.verdicts.ask(msg.conversationId, msg.platform, `bot:${stored.id}`, null);
        return;
      case 'ESCALATE_HUMAN':
        await this.answer(msg.conversationId, bot, sources, stored.id);
        await openHandoff(this.handoffs, msg, classification);
        return;
      case 'RAISE_TICKET': {
        // The reply that names the reference commits with the ticket, its cluster and events.
        const customerLines = store.conversations
          .history(msg.conversationId)
          .filter((h) => h.role === 'customer')
          .map((h) => redactPII(h.text));
        const { within: saved, ticket } = await this.deps.triage.raise(
          { ...msg, classification, customerLines },
          (ticket) => {
            store.outcomes.ticketed(msg.conversationId);
            store.outcomes.answered(sources, ticket.createdAt);
            return store.conversations.appendReply(
              msg.conversationId,
              {
                role: 'bot',
                text: `${reply}\n\nYour ticket reference is **${ticket.ref}**.`,
                meta: { ...meta, ticket: ticket.ref },
              },
              stored.id,
            );
          },
        );
        this.observer.ticketCreated();
        log.info(
          { ticket: ticket.ref, clusterId: ticket.clusterId, productArea: ticket.productArea },
          'ticket created',
        );
        await this.deliver(saved);
        return;
      }
    }
  }

  /** Shows the customer that an answer is coming, where the platform can; never fails a turn. */
  private showTyping({ platform, conversationId }: InboundMessage): void {
    this.adapters
      .get(platform)
      ?.sendTyping?.(conversationId)
      .catch((error: unknown) => {
        this.deps.logger.debug({ err: error, conversationId }, 'typing indicator failed');
      });
  }

  /** Stores a bot reply, counting the doc sections it cited in the same commit, and delivers it. */
  private async answer(
    conversationId: string,
    message: { role: 'bot'; text: string; meta: object },
    sources: readonly string[],
    answering: number,
  ): Promise<void> {
    const { store } = this.deps;
    const saved = store.transaction(() => {
      const reply = store.conversations.appendReply(conversationId, message, answering);
      store.outcomes.answered(sources, reply.createdAt);
      return reply;
    });
    await this.deliver(saved);
  }

  /** Stores a bot/agent/system message and delivers it on the conversation's platform. */
  private async reply(
    conversationId: string,
    message: { role: 'bot' | 'agent' | 'system'; text: string; authorName?: string; meta?: object },
    answering?: number,
  ): Promise<void> {
    const saved = this.deps.store.conversations.appendReply(conversationId, message, answering);
    await this.deliver(saved);
  }

  private async deliver(saved: StoredMessage): Promise<void> {
    this.emit('message', saved);
    await this.send(saved);
  }

  /**
   * Sends a stored reply on its conversation's platform, then clears what it owed there:
   * taken, or refused for good. A failure that passes leaves it owed for
   * {@link redeliver}. Never throws: a reply that could not be sent is logged.
   */
  private async send(saved: StoredMessage): Promise<void> {
    const { store, logger } = this.deps;
    const { conversationId } = saved;
    // Conversation ids are namespaced by platform ("telegram:…"), and a stored reply's
    // conversation exists (expiry removes its messages with it).
    const platform = platformOf(conversationId);
    const adapter = this.adapters.get(platform);
    if (!adapter || this.sending.has(saved.id) || isInternalNote(saved)) return;
    // The web chat's replies are delivered by being stored; the others are owed until sent.
    const owed = platform !== 'web';
    let outcome: 'sent' | 'failed' | undefined;
    this.sending.add(saved.id);
    try {
      const choices = choicesOf(saved);
      await adapter.send(conversationId, {
        text: saved.text,
        from: saved.role === 'customer' ? 'bot' : saved.role,
        ...(saved.authorName ? { agentName: saved.authorName } : {}),
        id: String(saved.id),
        ...(choices.length > 0 ? { choices } : {}),
      });
      outcome = 'sent';
    } catch (error) {
      const passing = owed && !FINAL_FAILURES.has(String((error as { code?: unknown }).code));
      if (!passing) outcome = 'failed';
      logger.error(
        { err: error, conversationId, messageId: saved.id },
        passing
          ? 'delivery to platform failed; it is sent again within a minute'
          : 'delivery to platform failed',
      );
    } finally {
      this.sending.delete(saved.id);
    }
    if (!owed || !outcome) return;
    try {
      store.conversations.delivered(saved.id, outcome);
    } catch (error) {
      logger.warn({ err: error, conversationId }, 'could not record a delivery');
    }
  }

  /** Handoff changes, and messages of conversations that have (or had) a handoff. */
  private followDesk(listener: (event: DeskEvent) => void): () => void {
    const onHandoff = (handoff: Handoff) => listener({ type: 'handoff', handoff });
    const onCard = (card: AssistCard) =>
      listener({ type: 'card', handoffId: card.handoffId, card });
    const onMessage = (message: StoredMessage) => {
      // The newest handoff, resolved included, so the resolution notice reaches the desk too.
      const h = this.deps.store.handoffs.latestFor(message.conversationId);
      if (h) listener({ type: 'message', handoffId: h.id, message });
    };
    this.on('handoff', onHandoff);
    this.on('message', onMessage);
    this.on('card', onCard);
    return () => {
      this.off('handoff', onHandoff);
      this.off('message', onMessage);
      this.off('card', onCard);
    };
  }
}

/** The platform a namespaced conversation id belongs to: `telegram:42` → `telegram`. */
function platformOf(conversationId: string): Platform {
  return conversationId.slice(0, conversationId.indexOf(':')) as Platform;
}

function turnOutcome(fellBack: boolean | undefined, usage: TurnUsage | undefined): TurnOutcome {
  if (fellBack) return 'offline_fallback';
  if (!usage) return 'offline';
  if (usage.path === 'retried') return 'model_retried';
  if (usage.path === 'fallback_model') return 'fallback_model';
  return 'model';
}
