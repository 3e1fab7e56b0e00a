import type { Db } from './db.ts';

const DAY_MS = 86_400_000;

/** The UTC day an instant falls in, as the epoch ms of its midnight. */
export const utcDay = (at: number): number => Math.floor(at / DAY_MS) * DAY_MS;

/** How the sessions that started on one UTC day turned out (so far). */
export interface OutcomeDay {
  /** Epoch ms of the day's UTC midnight. */
  day: number;
  conversations: number;
  /** Sessions with neither a handoff nor a ticket. */
  botResolved: number;
  handedOff: number;
  ticketed: number;
}

/** What time to claim needs of one handoff. */
export interface HandoffTiming {
  createdAt: number;
  claimedAt: number | null;
  resolvedAt: number | null;
}

interface SessionRow {
  id: number;
  day: number;
  last_message_at: number;
  closed: number;
  handed_off: number;
  ticketed: number;
}

/**
 * What came of conversations, kept apart from the conversations themselves (which are
 * reopened, and deleted after their TTL): one row per session, counters per UTC day of a
 * session's start, and how many bot replies cited each doc section. Every write is meant to
 * run inside the transaction of the change it counts (the accepted message, the handoff,
 * the ticket, the reply), so a retry or a crash never counts anything twice or not at all.
 */
export class OutcomeStore {
  constructor(private readonly db: Db) {}

  /**
   * Counts an accepted customer message. It starts a session when the conversation has
   * none, or its last one was closed by the bot or went `ttlMs` without a customer message;
   * a session that starts while a handoff is still open is counted as with a person.
   */
  customerMessage(conversationId: string, at: number, ttlMs: number): void {
    const current = this.latest(conversationId);
    if (current && current.closed === 0 && at <= current.last_message_at + ttlMs) {
      this.db
        .prepare(
          'UPDATE conversation_sessions SET last_message_at = max(last_message_at, ?) WHERE id = ?',
        )
        .run(at, current.id);
      return;
    }
    const withPerson = this.db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM handoffs WHERE conversation_id = ? AND status != 'resolved'",
      )
      .get(conversationId)?.n
      ? 1
      : 0;
    const day = utcDay(at);
    this.db
      .prepare(
        `INSERT INTO conversation_sessions (conversation_id, day, started_at, last_message_at, handed_off)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(conversationId, day, at, at, withPerson);
    this.db
      .prepare(
        `INSERT INTO outcome_days (day, conversations, bot_resolved, handed_off) VALUES (@day, 1, @alone, @person)
         ON CONFLICT (day) DO UPDATE SET conversations = conversations + 1,
           bot_resolved = bot_resolved + @alone, handed_off = handed_off + @person`,
      )
      .run({ day, alone: 1 - withPerson, person: withPerson });
  }

  /** Marks the conversation's current session as handed to a person (once). */
  handedOff(conversationId: string): void {
    this.mark(conversationId, 'handed_off');
  }

  /** Marks the conversation's current session as having raised a ticket (once). */
  ticketed(conversationId: string): void {
    this.mark(conversationId, 'ticketed');
  }

  /** Ends the current session: the bot resolved it, so the next message starts another. */
  close(conversationId: string): void {
    const current = this.latest(conversationId);
    if (current) {
      this.db.prepare('UPDATE conversation_sessions SET closed = 1 WHERE id = ?').run(current.id);
    }
  }

  /** Counts one bot reply for each doc section it cited. */
  answered(sections: readonly string[], at: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO knowledge_answers (section, answers, last_answered_at) VALUES (?, 1, ?)
       ON CONFLICT (section) DO UPDATE SET answers = answers + 1, last_answered_at = excluded.last_answered_at`,
    );
    for (const section of new Set(sections)) upsert.run(section, at);
  }

  /** Bot replies that cited each section, by section name. */
  answers(): Map<string, { answers: number; lastAnsweredAt: number }> {
    return new Map(
      this.db
        .prepare<[], { section: string; answers: number; last_answered_at: number }>(
          'SELECT section, answers, last_answered_at FROM knowledge_answers',
        )
        .all()
        .map((r) => [r.section, { answers: r.answers, lastAnsweredAt: r.last_answered_at }]),
    );
  }

  /** The day counters from `from` to `until` (UTC midnights, both included); missing days are absent. */
  days(from: number, until: number): OutcomeDay[] {
    return this.db
      .prepare<[number, number], OutcomeDay>(
        `SELECT day, conversations, bot_resolved AS botResolved, handed_off AS handedOff, ticketed
         FROM outcome_days WHERE day BETWEEN ? AND ? ORDER BY day`,
      )
      .all(from, until);
  }

  /** Handoffs opened at or after `since`, oldest first (read from the `handoffs_created` index). */
  handoffTimings(since: number): HandoffTiming[] {
    return this.db
      .prepare<[number], HandoffTiming>(
        `SELECT created_at AS createdAt, claimed_at AS claimedAt, resolved_at AS resolvedAt
         FROM handoffs WHERE created_at >= ? ORDER BY created_at`,
      )
      .all(since);
  }

  /**
   * Forgets sessions with no customer message since `before`. Only the newest session of a
   * conversation is ever updated, and a message after the TTL starts a new one, so sessions
   * older than the TTL never change again; the day counters keep what they counted.
   */
  prune(before: number): number {
    return this.db
      .prepare('DELETE FROM conversation_sessions WHERE last_message_at < ?')
      .run(before).changes;
  }

  private latest(conversationId: string): SessionRow | undefined {
    return this.db
      .prepare<[string], SessionRow>(
        `SELECT id, day, last_message_at, closed, handed_off, ticketed FROM conversation_sessions
         WHERE conversation_id = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(conversationId);
  }

  private mark(conversationId: string, outcome: 'handed_off' | 'ticketed'): void {
    const current = this.latest(conversationId);
    if (!current || current[outcome] === 1) return;
    const wasAlone = current.handed_off === 0 && current.ticketed === 0 ? 1 : 0;
    this.db.prepare(`UPDATE conversation_sessions SET ${outcome} = 1 WHERE id = ?`).run(current.id);
    this.db
      .prepare(
        `UPDATE outcome_days SET ${outcome} = ${outcome} + 1, bot_resolved = bot_resolved - ? WHERE day = ?`,
      )
      .run(wasAlone, current.day);
  }
}
