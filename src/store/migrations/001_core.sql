-- Core tables: conversations (sessions), messages, dedupe, knowledge, handoffs, tickets,
-- the event outbox and model usage. Vector tables (sqlite-vec vec0) are created at startup
-- by the store, because their dimension depends on the configured embedder.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE conversations (
  id           TEXT PRIMARY KEY,              -- namespaced, e.g. web:3f9c… or discord:<channel>:<user>
  platform     TEXT NOT NULL,
  author_id    TEXT NOT NULL,
  author_name  TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'open',  -- open | closed
  created_at   INTEGER NOT NULL,              -- epoch ms
  updated_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX conversations_expires ON conversations (expires_at);

CREATE TABLE messages (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id  TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  role             TEXT NOT NULL,             -- customer | bot | agent | system
  author_name      TEXT,
  text             TEXT NOT NULL,
  external_id      TEXT,                      -- the platform's message id (customer messages)
  status           TEXT NOT NULL DEFAULT 'done', -- pending (customer message not yet answered) | done
  meta             TEXT,                      -- JSON: citations, state, classification
  created_at       INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_pending ON messages (status) WHERE status = 'pending';

CREATE TABLE processed_inbound (
  platform     TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  PRIMARY KEY (platform, message_id)
) WITHOUT ROWID;

CREATE TABLE model_usage (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id         INTEGER NOT NULL,
  conversation_id    TEXT NOT NULL,
  model              TEXT NOT NULL,
  prompt_tokens      INTEGER NOT NULL,
  completion_tokens  INTEGER NOT NULL,
  created_at         INTEGER NOT NULL
);

CREATE TABLE knowledge_files (
  path        TEXT PRIMARY KEY,
  sha256      TEXT NOT NULL,
  embedder    TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE knowledge_chunks (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  file      TEXT NOT NULL REFERENCES knowledge_files (path) ON DELETE CASCADE,
  area      TEXT NOT NULL,                    -- the file's H1, e.g. "Mobile app"
  section   TEXT NOT NULL,                    -- heading path, e.g. "Mobile app › Settings"
  text      TEXT NOT NULL,
  position  INTEGER NOT NULL
);
CREATE INDEX knowledge_chunks_file ON knowledge_chunks (file);

CREATE VIRTUAL TABLE knowledge_fts USING fts5 (
  section, text, content = 'knowledge_chunks', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER knowledge_chunks_ai AFTER INSERT ON knowledge_chunks BEGIN
  INSERT INTO knowledge_fts (rowid, section, text) VALUES (new.id, new.section, new.text);
END;
CREATE TRIGGER knowledge_chunks_ad AFTER DELETE ON knowledge_chunks BEGIN
  INSERT INTO knowledge_fts (knowledge_fts, rowid, section, text) VALUES ('delete', old.id, old.section, old.text);
END;

CREATE TABLE handoffs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id  TEXT NOT NULL,
  platform         TEXT NOT NULL,
  customer_name    TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open', -- open | claimed | resolved
  summary          TEXT NOT NULL,
  classification   TEXT NOT NULL,             -- JSON
  agent_id         TEXT,
  agent_name       TEXT,
  desk_ref         TEXT,                      -- JSON: where the desk posted it (e.g. Slack channel + ts)
  desk_error       TEXT,                      -- last error posting to the desk, retried
  announce_count   INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  announced_at     INTEGER,
  claimed_at       INTEGER,
  resolved_at      INTEGER
);
CREATE INDEX handoffs_conversation ON handoffs (conversation_id, status);
CREATE INDEX handoffs_status ON handoffs (status);

CREATE TABLE tickets (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  ref              TEXT NOT NULL UNIQUE,      -- T-1001
  conversation_id  TEXT NOT NULL,
  platform         TEXT NOT NULL,
  reporter_id      TEXT NOT NULL,
  reporter_name    TEXT NOT NULL,
  kind             TEXT NOT NULL,
  category         TEXT NOT NULL,
  priority         TEXT NOT NULL,
  sentiment        TEXT NOT NULL,
  summary          TEXT NOT NULL,             -- redacted
  tags             TEXT NOT NULL,             -- JSON array
  product_area     TEXT,
  status           TEXT NOT NULL DEFAULT 'open', -- open | resolved
  created_at       INTEGER NOT NULL
);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_conversation ON tickets (conversation_id);

-- The outbox: one row per event, written in the same transaction as the change it reports.
CREATE TABLE events (
  id          TEXT PRIMARY KEY,               -- msg_<ulid-ish>, also the webhook-id
  type        TEXT NOT NULL,
  payload     TEXT NOT NULL,                  -- JSON: the event's data
  created_at  INTEGER NOT NULL
);
CREATE INDEX events_created ON events (created_at);
