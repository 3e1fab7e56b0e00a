-- Conversation outcomes for `GET /api/stats`, and doc sections' answer counts for
-- `GET /api/knowledge`. Conversations are reused and reopened, and deleted after their TTL,
-- so the stats never read them: each session (a conversation from a customer message that
-- found it new, closed by the bot or past its TTL, until it is closed or expires) gets its
-- own row, and per-day counters are kept in the same transactions as the messages,
-- handoffs and tickets that change them.

CREATE TABLE conversation_sessions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id  TEXT NOT NULL,
  day              INTEGER NOT NULL,              -- the UTC day it started: epoch ms of its midnight
  started_at       INTEGER NOT NULL,
  last_message_at  INTEGER NOT NULL,              -- the newest customer message (the TTL runs from it)
  closed           INTEGER NOT NULL DEFAULT 0,    -- the bot resolved it: the next message starts another
  handed_off       INTEGER NOT NULL DEFAULT 0,    -- a person had it (a handoff opened or still open)
  ticketed         INTEGER NOT NULL DEFAULT 0     -- it raised a ticket
);
CREATE INDEX conversation_sessions_conversation ON conversation_sessions (conversation_id, id);
CREATE INDEX conversation_sessions_last ON conversation_sessions (last_message_at);

-- Sessions by the day they started: botResolved is sessions with neither a handoff nor a
-- ticket, so each counter is one row's update when a session's outcome changes.
CREATE TABLE outcome_days (
  day            INTEGER PRIMARY KEY,            -- epoch ms of the UTC midnight
  conversations  INTEGER NOT NULL DEFAULT 0,
  bot_resolved   INTEGER NOT NULL DEFAULT 0,
  handed_off     INTEGER NOT NULL DEFAULT 0,
  ticketed       INTEGER NOT NULL DEFAULT 0
);

-- Handoffs by the time they were opened, with what time to claim needs, read from the index.
CREATE INDEX handoffs_created ON handoffs (created_at, claimed_at, resolved_at);

-- Bot replies that cited a doc section, by section name ("Accounts › Resetting your password").
CREATE TABLE knowledge_answers (
  section           TEXT PRIMARY KEY,
  answers           INTEGER NOT NULL DEFAULT 0,
  last_answered_at  INTEGER NOT NULL
) WITHOUT ROWID;
