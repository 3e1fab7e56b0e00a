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

/** How long after the question a bare "4" still answers it. */
const ANSWER_WINDOW_MS = 3 * 86_400_000;
/** How long after a button a message is taken as the rating's comment. */
const COMMENT_WINDOW_MS = 15 * 60_000;
const MAX_COMMENT_CHARS = 500;

export const RATING_QUESTION =
  'How did we do? Press a button, or reply with a number from 1 (poor) to 5 (great); you can add a comment after it.';
const THANKS = 'Thank you for rating us! If you would like to add a comment, just reply here.';
const THANKS_WITH_COMMENT = 'Thank you for your rating and your comment!';
const COMMENT_THANKS = "Thanks, I've passed that on to the team.";

/** "4", "4/5", "5 - quick and clear", "3: slow" (and nothing else) answer the question. */
const TYPED = /^\s*([1-5])(?:\s*\/\s*5)?(?![\d.])(?:[\s,.:;!)–—-]+([\s\S]*))?$/;

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
   * Takes a customer message that answers the question (a pressed button, a typed number,
   * or the comment that follows a button); true when it did, so no turn runs for it. A
   * button value the engine did not sign does nothing (and runs no turn either).
   */
  receive(msg: InboundMessage): Promise<boolean>;
}

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

  async function record(
    rating: Rating,
    score: number,
    comment: string | null,
    byButton: boolean,
  ): Promise<void> {
    const now = Date.now();
    const rated = store.transaction(() => {
      const until = byButton && !comment ? now + COMMENT_WINDOW_MS : null;
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
        const pressed = verify(msg.choice);
        const rating = pressed && store.assist.rating(pressed.id);
        // Only the customer asked may answer: in a shared channel thread anyone can press.
        const customer = store.conversations.get(msg.conversationId)?.authorId;
        if (
          !pressed ||
          !rating ||
          rating.conversationId !== msg.conversationId ||
          customer !== msg.author.id
        ) {
          logger.warn(
            { conversationId: msg.conversationId },
            'a button press with an unknown value was ignored',
          );
          return true;
        }
        if (rating.score === null) await record(rating, pressed.score, null, true);
        return true;
      }
      const latest = store.assist.latest(msg.conversationId, Date.now() - ANSWER_WINDOW_MS);
      if (!latest) return false;
      if (latest.score === null) {
        const typed = TYPED.exec(msg.text);
        if (!typed) return false;
        const comment = redactPII(typed[2]?.trim() ?? '').slice(0, MAX_COMMENT_CHARS) || null;
        await record(latest, Number(typed[1]), comment, false);
        return true;
      }
      // A comment after a button: a plain remark, not a new question.
      if (
        latest.commentUntil !== null &&
        latest.commentUntil > Date.now() &&
        !msg.text.includes('?')
      ) {
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
        await ctx.say(msg.conversationId, COMMENT_THANKS);
        await tellAgent({ ...latest, comment });
        return true;
      }
      return false;
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
