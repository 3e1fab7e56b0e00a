import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import {
  type Choice,
  type Desk,
  type Handoff,
  type InboundMessage,
  type Platform,
  type Rating,
  ratingLine,
} from '../../types/index.ts';
import { redactPII } from '../redact.ts';

/** How long after the question a typed "4" still answers it; and how long before asking again. */
const ANSWER_WINDOW_MS = 86_400_000;
/** How long after a button a message is taken as the rating's comment. */
const COMMENT_WINDOW_MS = 15 * 60_000;
const MAX_COMMENT_CHARS = 500;

export const RATING_QUESTION =
  'How did we do? Press a button, or reply with a number from 1 (poor) to 5 (great); you can add a comment after it.';
const THANKS = 'Thank you for rating us! If you would like to add a comment, just reply here.';
const THANKS_WITH_COMMENT = 'Thank you for your rating and your comment!';

/**
 * "4", "4/5", "5!", "5 - quick and clear", "3: slow" answer the question; "2 of my devices
 * stopped syncing" is a new message, not a rating (a comment needs its separator).
 */
const TYPED = /^\s*([1-5])(?:\s*\/\s*5)?\s*(?:[.!]*\s*$|[,:;–—-]\s*([\s\S]+)$)/;

export interface VerdictContext {
  store: Store;
  desk: Desk;
  logger: Logger;
  /** Key of the HMAC that signs the buttons' values. */
  signingKey: string;
  /** Stores a system message (with its buttons in `meta.choices`) and delivers it. */
  say(conversationId: string, text: string, meta?: Record<string, unknown>): Promise<void>;
  /** Stores an internal note for the agents (never sent to the customer) and shows it live. */
  noteForAgents(conversationId: string, text: string): void;
  /** After a commit that wrote an outbox event. */
  onCommit(): void;
}

/** The customer's verdict: asked once per resolution, answered by a button or a number. */
export interface Verdicts {
  /** Asks how it went, once for `askedFor` ('handoff:<id>' or 'bot:<message id>'). */
  ask(
    conversationId: string,
    platform: Platform,
    askedFor: string,
    handoff: Handoff | null,
  ): Promise<boolean>;
  /**
   * Takes a customer message that answers the question (a pressed button or a typed number);
   * true when it did, so no turn runs for it. A button value the engine did not sign does
   * nothing (and runs no turn either). The first message after a rating without a comment,
   * within 15 minutes and not a question, is kept as its comment and still answered as usual
   * (it may be a new problem): false.
   */
  receive(msg: InboundMessage): Promise<boolean>;
  /**
   * Whether an accepted message answers a question (a press, a typed number, the comment):
   * not the start of a new conversation for the stats. Synchronous and cheap.
   */
  isAnswer(msg: InboundMessage): boolean;
}

/** A remark (not a question) right after a rating that came without a comment. */
const commentOpen = (r: { commentUntil: number | null }, msg: InboundMessage): boolean =>
  r.commentUntil !== null && r.commentUntil > Date.now() && !msg.text.includes('?');

export function createVerdicts(ctx: VerdictContext): Verdicts {
  const { store, logger } = ctx;
  const key = createHmac('sha256', 'switchboard choices').update(ctx.signingKey).digest();
  const mac = (id: number, score: number) =>
    createHmac('sha256', key).update(`${id}.${score}`).digest('base64url').slice(0, 22);
  /** `r<id>.<score>.<mac>`: at most 40 characters, within Telegram's 64-byte callback data. */
  const choice = (id: number, score: number): Choice => ({
    label: String(score),
    value: `r${id}.${score}.${mac(id, score)}`,
  });
  const verify = (value: string): { id: number; score: number } | undefined => {
    const m = /^r(\d{1,12})\.([1-5])\.([\w-]{22})$/.exec(value);
    if (!m) return undefined;
    const id = Number(m[1]);
    const score = Number(m[2]);
    const expected = Buffer.from(mac(id, score));
    const given = Buffer.from(m[3] as string);
    return timingSafeEqual(expected, given) ? { id, score } : undefined;
  };

  async function record(rating: Rating, score: number, comment: string | null): Promise<void> {
    const now = Date.now();
    const rated = store.transaction(() => {
      const until = comment ? null : now + COMMENT_WINDOW_MS;
      if (!store.assist.rate(rating.id, score, comment, until, now)) return undefined;
      const saved = store.assist.rating(rating.id) as Rating;
      store.events.append('conversation.rated', ratedEventData(saved), now);
      return saved;
    });
    if (!rated) return;
    ctx.onCommit();
    logger.info(
      { conversationId: rated.conversationId, score, handoffId: rated.handoffId },
      'rated',
    );
    await ctx.say(rated.conversationId, comment ? THANKS_WITH_COMMENT : THANKS);
    await tellAgent(rated);
  }

  /** The rating in the agent's transcript (every desk shows it), and in Slack's thread. */
  async function tellAgent(r: Rating): Promise<void> {
    const h = r.handoffId === null ? undefined : store.handoffs.get(r.handoffId);
    if (!h) return;
    ctx.noteForAgents(h.conversationId, ratingLine(r));
    if (!ctx.desk.note) return;
    try {
      await ctx.desk.note(h, ratingLine(r));
    } catch (error) {
      logger.warn({ err: error, handoffId: h.id }, 'rating note to the desk failed');
    }
  }

  return {
    async ask(conversationId, platform, askedFor, handoff) {
      // Once a day at most: "thanks" after a rating resolves the conversation again.
      if (store.assist.latest(conversationId, Date.now() - ANSWER_WINDOW_MS)) return false;
      const agent =
        handoff?.agentId && handoff.agentName
          ? { id: handoff.agentId, name: handoff.agentName }
          : null;
      const id = store.assist.ask({
        conversationId,
        platform,
        askedFor,
        handoffId: handoff?.id ?? null,
        agent,
      });
      if (id === undefined) return false;
      const choices = [1, 2, 3, 4, 5].map((score) => choice(id, score));
      await ctx.say(conversationId, RATING_QUESTION, { choices, rating: id });
      return true;
    },

    async receive(msg) {
      if (msg.choice !== undefined) {
        // A bystander's press never gets here: the engine refuses it when it is delivered.
        const pressed = verify(msg.choice);
        const rating = pressed && store.assist.rating(pressed.id);
        if (!pressed || !rating || rating.conversationId !== msg.conversationId) {
          logger.warn(
            { conversationId: msg.conversationId },
            'a button press with an unknown value was ignored',
          );
          return true;
        }
        if (rating.score === null) await record(rating, pressed.score, null);
        return true;
      }
      // Only the customer asked may answer: in a shared thread anyone can write.
      if (store.conversations.get(msg.conversationId)?.authorId !== msg.author.id) return false;
      const latest = store.assist.latest(msg.conversationId, Date.now() - ANSWER_WINDOW_MS);
      if (!latest) return false;
      if (latest.score === null) {
        const typed = TYPED.exec(msg.text);
        if (!typed) return false;
        const comment = redactPII(typed[2]?.trim() ?? '').slice(0, MAX_COMMENT_CHARS) || null;
        await record(latest, Number(typed[1]), comment);
        return true;
      }
      if (commentOpen(latest, msg)) {
        const comment = redactPII(msg.text.trim()).slice(0, MAX_COMMENT_CHARS);
        const now = Date.now();
        store.transaction(() => {
          store.assist.comment(latest.id, comment);
          store.events.append(
            'conversation.rated',
            ratedEventData(store.assist.rating(latest.id) as Rating),
            now,
          );
        });
        ctx.onCommit();
        await tellAgent({ ...latest, comment });
      }
      return false;
    },

    isAnswer(msg) {
      if (msg.choice !== undefined) return true;
      const latest = store.assist.latest(msg.conversationId, Date.now() - ANSWER_WINDOW_MS);
      if (!latest) return false;
      return latest.score === null ? TYPED.test(msg.text) : commentOpen(latest, msg);
    },
  };
}

/** The payload of `conversation.rated` (docs/webhooks.md). */
export function ratedEventData(r: Rating): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    rating: {
      id: r.id,
      conversationId: r.conversationId,
      platform: r.platform,
      score: r.score,
      comment: r.comment,
      agent: r.agent,
      handoffId: r.handoffId,
      askedAt: iso(r.askedAt),
      ratedAt: iso(r.ratedAt),
    },
  };
}
