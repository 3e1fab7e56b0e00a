import type { Platform, Rating, Suggestion, SuggestionUse, TurnUsage } from '../types/index.ts';
import { type Db, inTransaction } from './db.ts';

interface SuggestionRow {
  id: number;
  handoff_id: number;
  text: string;
  sources: string;
  confidence: number | null;
  created_at: number;
}

interface RatingRow {
  id: number;
  conversation_id: string;
  platform: Platform;
  handoff_id: number | null;
  agent_id: string | null;
  agent_name: string | null;
  score: number | null;
  comment: string | null;
  asked_at: number;
  rated_at: number | null;
  comment_until: number | null;
}

const toSuggestion = (r: SuggestionRow): Suggestion => ({
  id: r.id,
  handoffId: r.handoff_id,
  text: r.text,
  sources: JSON.parse(r.sources) as string[],
  confidence: r.confidence,
  createdAt: r.created_at,
});

const toRating = (r: RatingRow): Rating & { commentUntil: number | null } => ({
  id: r.id,
  conversationId: r.conversation_id,
  platform: r.platform,
  handoffId: r.handoff_id,
  agent: r.agent_id ? { id: r.agent_id, name: r.agent_name ?? r.agent_id } : null,
  score: r.score,
  comment: r.comment,
  askedAt: r.asked_at,
  ratedAt: r.rated_at,
  commentUntil: r.comment_until,
});

/** Suggestion uses and ratings of one UTC day (or a whole period), as `/api/stats` shows them. */
export interface AssistCounts {
  suggestions: Record<SuggestionUse | 'shown', number>;
  /** Ratings answered, their sum, and how many were 4 or 5. */
  ratings: { rated: number; sum: number; satisfied: number };
}

/**
 * The agent's card, the replies drafted for agents, and the customers' verdicts. A handoff
 * has at most one current suggestion (`use` null): a new one supersedes it.
 */
export class AssistStore {
  constructor(private readonly db: Db) {}

  saveCard(handoffId: number, sections: readonly string[], now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO assist_cards (handoff_id, sections, created_at) VALUES (?, ?, ?)
         ON CONFLICT (handoff_id) DO UPDATE SET sections = excluded.sections`,
      )
      .run(handoffId, JSON.stringify(sections), now);
  }

  card(
    handoffId: number,
  ): { deskRef: Record<string, string> | null; sections: string[] } | undefined {
    const row = this.db
      .prepare<[number], { desk_ref: string | null; sections: string }>(
        'SELECT desk_ref, sections FROM assist_cards WHERE handoff_id = ?',
      )
      .get(handoffId);
    if (!row) return undefined;
    return {
      deskRef: row.desk_ref ? (JSON.parse(row.desk_ref) as Record<string, string>) : null,
      sections: JSON.parse(row.sections) as string[],
    };
  }

  setCardRef(handoffId: number, ref: Record<string, string>): void {
    this.db
      .prepare('UPDATE assist_cards SET desk_ref = ? WHERE handoff_id = ?')
      .run(JSON.stringify(ref), handoffId);
  }

  /** Stores a new current suggestion, superseding the one before (in one transaction). */
  suggest(
    handoffId: number,
    s: { text: string; sources: readonly string[]; confidence: number | null; usage?: TurnUsage },
    now = Date.now(),
  ): Suggestion {
    return inTransaction(this.db, () => {
      this.db
        .prepare(
          "UPDATE suggestions SET use = 'superseded', used_at = ? WHERE handoff_id = ? AND use IS NULL",
        )
        .run(now, handoffId);
      const info = this.db
        .prepare(
          `INSERT INTO suggestions (handoff_id, text, sources, confidence, model, prompt_tokens,
             completion_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          handoffId,
          s.text,
          JSON.stringify(s.sources),
          s.confidence,
          s.usage?.model ?? null,
          s.usage?.promptTokens ?? 0,
          s.usage?.completionTokens ?? 0,
          now,
        );
      return this.suggestion(Number(info.lastInsertRowid)) as Suggestion;
    });
  }

  suggestion(id: number): Suggestion | undefined {
    const row = this.db
      .prepare<[number], SuggestionRow>('SELECT * FROM suggestions WHERE id = ?')
      .get(id);
    return row ? toSuggestion(row) : undefined;
  }

  /** The handoff's current suggestion: neither used nor superseded. */
  current(handoffId: number): Suggestion | undefined {
    const row = this.db
      .prepare<[number], SuggestionRow>(
        'SELECT * FROM suggestions WHERE handoff_id = ? AND use IS NULL ORDER BY id DESC LIMIT 1',
      )
      .get(handoffId);
    return row ? toSuggestion(row) : undefined;
  }

  /** Marks the current suggestion used; false when it is not current any more. */
  use(id: number, how: SuggestionUse, by: string, now = Date.now()): boolean {
    return (
      this.db
        .prepare(
          'UPDATE suggestions SET use = ?, used_by = ?, used_at = ? WHERE id = ? AND use IS NULL',
        )
        .run(how, by, now, id).changes === 1
    );
  }

  /** Puts a suggestion back as current and unused (its send was refused). */
  unuse(id: number): void {
    this.db
      .prepare('UPDATE suggestions SET use = NULL, used_by = NULL, used_at = NULL WHERE id = ?')
      .run(id);
  }

  /** Asks once: false when this resolution (`askedFor`) was asked about already. */
  ask(r: {
    conversationId: string;
    platform: Platform;
    askedFor: string;
    handoffId: number | null;
    agent: { id: string; name: string } | null;
    now?: number;
  }): number | undefined {
    const info = this.db
      .prepare(
        `INSERT INTO ratings (conversation_id, platform, asked_for, handoff_id, agent_id, agent_name, asked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (asked_for) DO NOTHING`,
      )
      .run(
        r.conversationId,
        r.platform,
        r.askedFor,
        r.handoffId,
        r.agent?.id ?? null,
        r.agent?.name ?? null,
        r.now ?? Date.now(),
      );
    return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
  }

  rating(id: number): (Rating & { commentUntil: number | null }) | undefined {
    const row = this.db.prepare<[number], RatingRow>('SELECT * FROM ratings WHERE id = ?').get(id);
    return row ? toRating(row) : undefined;
  }

  /** The conversation's newest question asked since `since`, answered or not. */
  latest(
    conversationId: string,
    since: number,
  ): (Rating & { commentUntil: number | null }) | undefined {
    const row = this.db
      .prepare<[string, number], RatingRow>(
        'SELECT * FROM ratings WHERE conversation_id = ? AND asked_at >= ? ORDER BY id DESC LIMIT 1',
      )
      .get(conversationId, since);
    return row ? toRating(row) : undefined;
  }

  /** Records the score (once) and opens a short window for a comment. */
  rate(
    id: number,
    score: number,
    comment: string | null,
    commentUntil: number | null,
    now = Date.now(),
  ): boolean {
    return (
      this.db
        .prepare(
          `UPDATE ratings SET score = ?, comment = ?, rated_at = ?, comment_until = ?
            WHERE id = ? AND score IS NULL`,
        )
        .run(score, comment, now, commentUntil, id).changes === 1
    );
  }

  /** Adds the comment that followed a button; closes the window. */
  comment(id: number, comment: string): void {
    this.db
      .prepare('UPDATE ratings SET comment = ?, comment_until = NULL WHERE id = ?')
      .run(comment, id);
  }

  /**
   * Suggestion uses and ratings per UTC day from `from` (epoch ms of a day start), and, for
   * the ratings, per agent (`bot` for conversations the bot resolved alone).
   */
  countsSince(from: number): {
    days: Map<number, AssistCounts>;
    agents: Map<string, { name: string; rated: number; sum: number; satisfied: number }>;
  } {
    const days = new Map<number, AssistCounts>();
    const dayOf = (day: number) => {
      let d = days.get(day);
      if (!d) {
        d = {
          suggestions: { shown: 0, sent: 0, edited: 0, dismissed: 0 },
          ratings: { rated: 0, sum: 0, satisfied: 0 },
        };
        days.set(day, d);
      }
      return d;
    };
    const uses = this.db
      .prepare<[number], { day: number; use: string | null; n: number }>(
        `SELECT (created_at / 86400000) * 86400000 AS day, use, count(*) AS n FROM suggestions
          WHERE created_at >= ? GROUP BY day, use`,
      )
      .all(from);
    for (const { day, use, n } of uses) {
      const d = dayOf(day);
      d.suggestions.shown += n;
      if (use === 'sent' || use === 'edited' || use === 'dismissed') d.suggestions[use] += n;
    }
    const agents = new Map<
      string,
      { name: string; rated: number; sum: number; satisfied: number }
    >();
    const rated = this.db
      .prepare<
        [number],
        {
          day: number;
          agent_id: string | null;
          agent_name: string | null;
          n: number;
          sum: number;
          satisfied: number;
        }
      >(
        `SELECT (rated_at / 86400000) * 86400000 AS day, agent_id, max(agent_name) AS agent_name,
                count(*) AS n, sum(score) AS sum, sum(score >= 4) AS satisfied
           FROM ratings WHERE rated_at >= ? GROUP BY day, agent_id`,
      )
      .all(from);
    for (const r of rated) {
      const d = dayOf(r.day);
      d.ratings.rated += r.n;
      d.ratings.sum += r.sum;
      d.ratings.satisfied += r.satisfied;
      const key = r.agent_id ?? 'bot';
      const a = agents.get(key) ?? {
        name: r.agent_name ?? 'the bot alone',
        rated: 0,
        sum: 0,
        satisfied: 0,
      };
      a.rated += r.n;
      a.sum += r.sum;
      a.satisfied += r.satisfied;
      agents.set(key, a);
    }
    return { days, agents };
  }
}
