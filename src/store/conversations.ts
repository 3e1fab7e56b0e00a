import type {
  HistoryLine,
  InboundMessage,
  Platform,
  StoredMessage,
  TurnUsage,
} from '../types/index.ts';
import { type Db, inTransaction } from './db.ts';

/** A conversation doubles as the session: it is open until resolved or expired. */
export interface Conversation {
  id: string;
  platform: Platform;
  authorId: string;
  authorName: string;
  status: 'open' | 'closed';
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

interface MessageRow {
  id: number;
  conversation_id: string;
  role: StoredMessage['role'];
  author_name: string | null;
  text: string;
  meta: string | null;
  created_at: number;
}

interface ConversationRow {
  id: string;
  platform: Platform;
  author_id: string;
  author_name: string;
  status: 'open' | 'closed';
  created_at: number;
  updated_at: number;
  expires_at: number;
}

const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  role: r.role,
  authorName: r.author_name,
  text: r.text,
  meta: r.meta ? (JSON.parse(r.meta) as Record<string, unknown>) : null,
  createdAt: r.created_at,
});

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  platform: r.platform,
  authorId: r.author_id,
  authorName: r.author_name,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
});

/** Conversations (sessions), their messages, and the inbound dedupe ledger. */
export class ConversationStore {
  constructor(private readonly db: Db) {}

  /**
   * Records an inbound customer message once. Returns the stored message, or `undefined`
   * when the platform already delivered this message id (a retry). Reopens an expired or
   * closed session so the conversation continues with its history.
   */
  acceptInbound(msg: InboundMessage, ttlMs: number): StoredMessage | undefined {
    return inTransaction(this.db, () => {
      const now = msg.receivedAt.getTime();
      const fresh = this.db
        .prepare(
          'INSERT OR IGNORE INTO processed_inbound (platform, message_id, received_at) VALUES (?, ?, ?)',
        )
        .run(msg.platform, msg.messageId, now);
      if (fresh.changes === 0) return undefined;
      this.db
        .prepare(
          `INSERT INTO conversations (id, platform, author_id, author_name, status, created_at, updated_at, expires_at)
           VALUES (@id, @platform, @authorId, @authorName, 'open', @now, @now, @expires)
           ON CONFLICT (id) DO UPDATE SET status = 'open', author_name = @authorName,
             updated_at = @now, expires_at = @expires`,
        )
        .run({
          id: msg.conversationId,
          platform: msg.platform,
          authorId: msg.author.id,
          authorName: msg.author.name,
          now,
          expires: now + ttlMs,
        });
      const info = this.db
        .prepare(
          `INSERT INTO messages (conversation_id, role, author_name, text, external_id, status, created_at)
           VALUES (?, 'customer', ?, ?, ?, 'pending', ?)`,
        )
        .run(msg.conversationId, msg.author.name, msg.text, msg.messageId, now);
      // The row as stored, without reading it back.
      return {
        id: Number(info.lastInsertRowid),
        conversationId: msg.conversationId,
        role: 'customer',
        authorName: msg.author.name,
        text: msg.text,
        meta: null,
        createdAt: now,
      };
    });
  }

  /**
   * Appends a bot, agent or system message and marks the customer message it answers done.
   * On a platform other than the web chat the reply is owed until {@link delivered}; an
   * internal note (`meta.internal`) is for agents only, and never owed to the customer.
   */
  appendReply(
    conversationId: string,
    reply: { role: 'bot' | 'agent' | 'system'; text: string; authorName?: string; meta?: object },
    answering?: number,
  ): StoredMessage {
    return inTransaction(this.db, () => {
      const now = Date.now();
      const meta = reply.meta ? JSON.stringify(reply.meta) : null;
      const info = this.db
        .prepare(
          `INSERT INTO messages (conversation_id, role, author_name, text, meta, created_at, delivery)
           VALUES (@conversationId, @role, @authorName, @text, @meta, @now,
             CASE WHEN @internal OR (SELECT platform FROM conversations WHERE id = @conversationId) = 'web'
               THEN NULL ELSE 'pending' END)`,
        )
        .run({
          internal: (reply.meta as { internal?: unknown } | undefined)?.internal === true ? 1 : 0,
          conversationId,
          role: reply.role,
          authorName: reply.authorName ?? null,
          text: reply.text,
          meta,
          now,
        });
      if (answering !== undefined) this.markDone(answering);
      this.db
        .prepare('UPDATE conversations SET updated_at = ? WHERE id = ?')
        .run(now, conversationId);
      // The row as stored (its meta as read back from JSON), without reading it back.
      return {
        id: Number(info.lastInsertRowid),
        conversationId,
        role: reply.role,
        authorName: reply.authorName ?? null,
        text: reply.text,
        meta: meta === null ? null : (JSON.parse(meta) as Record<string, unknown>),
        createdAt: now,
      };
    });
  }

  /** Records the model's token usage for the turn that answered a message. */
  recordUsage(messageId: number, conversationId: string, usage: TurnUsage): void {
    this.db
      .prepare(
        `INSERT INTO model_usage (message_id, conversation_id, model, prompt_tokens, completion_tokens, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        messageId,
        conversationId,
        usage.model,
        usage.promptTokens,
        usage.completionTokens,
        Date.now(),
      );
  }

  /** The stored message for a platform message id, e.g. to answer a repeated web POST. */
  byExternalId(conversationId: string, externalId: string): StoredMessage | undefined {
    const row = this.db
      .prepare<[string, string], MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND external_id = ? ORDER BY id LIMIT 1',
      )
      .get(conversationId, externalId);
    return row ? toMessage(row) : undefined;
  }

  /** Marks a customer message handled (answered, relayed, or deliberately left alone). */
  markDone(messageId: number): void {
    this.db.prepare("UPDATE messages SET status = 'done' WHERE id = ?").run(messageId);
  }

  /** Customer messages accepted but not yet answered, e.g. after a crash mid-turn. */
  pending(): StoredMessage[] {
    return this.db
      .prepare<[], MessageRow>("SELECT * FROM messages WHERE status = 'pending' ORDER BY id")
      .all()
      .map(toMessage);
  }

  /**
   * Replies on `platform` stored but not yet taken by it (a crash or an outage came
   * between), oldest first.
   */
  undelivered(platform: Platform, limit = 100): StoredMessage[] {
    return this.db
      .prepare<[string, number], MessageRow>(
        `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.delivery = 'pending' AND c.platform = ? ORDER BY m.id LIMIT ?`,
      )
      .all(platform, limit)
      .map(toMessage);
  }

  /**
   * Marks replies still owed from before `before` failed, and returns how many: an answer a
   * day late is noise, and a platform that stays off must not keep them for ever.
   */
  giveUpDeliveries(before: number): number {
    return this.db
      .prepare(
        "UPDATE messages SET delivery = 'failed' WHERE delivery = 'pending' AND created_at < ?",
      )
      .run(before).changes;
  }

  /** True while a stored reply waits for its platform to take it. */
  isOwed(messageId: number): boolean {
    return (
      this.db
        .prepare<[number], { n: number }>(
          "SELECT count(*) AS n FROM messages WHERE id = ? AND delivery = 'pending'",
        )
        .get(messageId)?.n === 1
    );
  }

  /** The platform took the reply (`sent`), or refused it for good (`failed`). */
  delivered(messageId: number, outcome: 'sent' | 'failed'): void {
    this.db
      .prepare("UPDATE messages SET delivery = ? WHERE id = ? AND delivery = 'pending'")
      .run(outcome === 'sent' ? null : 'failed', messageId);
  }

  message(id: number): StoredMessage | undefined {
    const row = this.db
      .prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?')
      .get(id);
    return row ? toMessage(row) : undefined;
  }

  get(id: string): Conversation | undefined {
    const row = this.db
      .prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?')
      .get(id);
    return row ? toConversation(row) : undefined;
  }

  /** Messages after a given message id, oldest first (for the web chat and the desk). */
  messages(conversationId: string, afterId = 0, limit = 200): StoredMessage[] {
    return this.db
      .prepare<[string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?',
      )
      .all(conversationId, afterId, limit)
      .map(toMessage);
  }

  /** The last `limit` lines of the conversation, oldest first, as the assistant sees them. */
  history(conversationId: string, limit = 20): HistoryLine[] {
    return this.db
      .prepare<[string, number], Pick<MessageRow, 'role' | 'text'>>(
        `SELECT role, text FROM messages WHERE conversation_id = ? AND role != 'system'
         ORDER BY id DESC LIMIT ?`,
      )
      .all(conversationId, limit)
      .reverse()
      .map((r) => ({
        role: r.role === 'customer' ? 'customer' : r.role === 'agent' ? 'agent' : 'bot',
        text: r.text,
      }));
  }

  close(conversationId: string): void {
    this.db
      .prepare("UPDATE conversations SET status = 'closed', updated_at = ? WHERE id = ?")
      .run(Date.now(), conversationId);
  }

  /**
   * Deletes conversations past their TTL with no open handoff. Tickets keep their own
   * redacted summary, so nothing a ticket needs is lost. Returns how many were removed.
   */
  expire(now = Date.now()): number {
    return this.db
      .prepare(
        `DELETE FROM conversations WHERE expires_at < ? AND id NOT IN
         (SELECT conversation_id FROM handoffs WHERE status != 'resolved')`,
      )
      .run(now).changes;
  }

  /**
   * Records a delivery id from somewhere other than a customer (e.g. `slack-desk`, an agent's
   * thread reply) in the same dedupe ledger. False when it was recorded before: a retry.
   */
  firstDelivery(source: string, id: string, now = Date.now()): boolean {
    return (
      this.db
        .prepare(
          'INSERT OR IGNORE INTO processed_inbound (platform, message_id, received_at) VALUES (?, ?, ?)',
        )
        .run(source, id, now).changes === 1
    );
  }

  /** Forgets dedupe ids older than `maxAgeMs`; platforms retry within minutes, not days. */
  pruneInbound(maxAgeMs: number, now = Date.now()): void {
    this.db.prepare('DELETE FROM processed_inbound WHERE received_at < ?').run(now - maxAgeMs);
  }
}
