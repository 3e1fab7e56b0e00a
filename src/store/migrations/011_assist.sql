-- The agent's side of a handoff: the card posted on claim (where the desk put it), the
-- replies drafted for the agent and what became of each, and the customer's verdict.

CREATE TABLE assist_cards (
  handoff_id  INTEGER PRIMARY KEY REFERENCES handoffs (id),
  desk_ref    TEXT,                                 -- JSON: where the desk posted the card
  sections    TEXT NOT NULL DEFAULT '[]',           -- JSON: the relevant section names
  created_at  INTEGER NOT NULL
);

CREATE TABLE suggestions (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  handoff_id         INTEGER NOT NULL REFERENCES handoffs (id),
  text               TEXT NOT NULL,
  sources            TEXT NOT NULL DEFAULT '[]',    -- JSON: section names
  confidence         REAL,
  model              TEXT,                          -- null when drafted offline
  prompt_tokens      INTEGER NOT NULL DEFAULT 0,
  completion_tokens  INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  use                TEXT,                          -- sent | edited | dismissed | superseded; null while current
  used_by            TEXT,
  used_at            INTEGER
);
CREATE INDEX suggestions_handoff ON suggestions (handoff_id, id);
CREATE INDEX suggestions_created ON suggestions (created_at);

CREATE TABLE ratings (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id TEXT NOT NULL,
  platform        TEXT NOT NULL,
  -- What was resolved, asked about once: 'handoff:<id>' or 'bot:<message id>'.
  asked_for       TEXT NOT NULL UNIQUE,
  handoff_id      INTEGER,
  agent_id        TEXT,                             -- null: the bot resolved it alone
  agent_name      TEXT,
  score           INTEGER,                          -- 1 to 5; null until answered
  comment         TEXT,
  asked_at        INTEGER NOT NULL,
  rated_at        INTEGER,
  comment_until   INTEGER                           -- a comment may follow a button until then
);
CREATE INDEX ratings_conversation ON ratings (conversation_id, id);
CREATE INDEX ratings_rated ON ratings (rated_at) WHERE rated_at IS NOT NULL;
