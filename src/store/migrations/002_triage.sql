-- Triage: product areas on tickets, clusters of tickets, their audit log, constant-time
-- overview counters, and stored digests. The cluster centroid index (vec0 `cluster_vec`,
-- rowid = cluster id, open clusters only) is created at startup with the embedder's dimension.

ALTER TABLE tickets ADD COLUMN canonical TEXT;            -- short canonical issue phrase (redacted)
ALTER TABLE tickets ADD COLUMN area_confidence REAL;      -- similarity of the chosen product area
ALTER TABLE tickets ADD COLUMN area_source TEXT;          -- embedding | model | low_confidence
ALTER TABLE tickets ADD COLUMN cluster_id INTEGER;        -- current cluster
ALTER TABLE tickets ADD COLUMN similarity REAL;           -- similarity to the centroid when it joined
ALTER TABLE tickets ADD COLUMN vector BLOB;               -- float32 embedding of the canonical phrase
CREATE INDEX tickets_cluster ON tickets (cluster_id, created_at);
CREATE INDEX tickets_status ON tickets (status, id);
CREATE INDEX tickets_area ON tickets (product_area, id);
CREATE INDEX tickets_priority ON tickets (priority, id);
CREATE INDEX tickets_category ON tickets (category, id);
CREATE INDEX tickets_platform ON tickets (platform, id);

CREATE TABLE clusters (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  title             TEXT NOT NULL,                  -- readable title (canonical phrase of the first ticket)
  product_area      TEXT,
  status            TEXT NOT NULL DEFAULT 'open',   -- open | resolved | merged
  merged_into       INTEGER REFERENCES clusters (id),
  centroid          BLOB NOT NULL,                  -- float32 running mean of member vectors
  reports           INTEGER NOT NULL DEFAULT 0,
  unique_reporters  INTEGER NOT NULL DEFAULT 0,
  platforms         TEXT NOT NULL DEFAULT '{}',     -- JSON {platform: count}
  priority_mix      TEXT NOT NULL DEFAULT '{}',     -- JSON {low|medium|high|critical: count}
  impact            REAL NOT NULL DEFAULT 0,
  urgency           TEXT NOT NULL DEFAULT 'normal', -- normal | urgent | critical
  first_seen        INTEGER NOT NULL,
  last_seen         INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  resolved_at       INTEGER
);
CREATE INDEX clusters_open_impact ON clusters (status, impact DESC);
CREATE INDEX clusters_last_seen ON clusters (last_seen);

-- One row per (cluster, reporter), so unique reporters is an insert, not a scan.
CREATE TABLE cluster_reporters (
  cluster_id    INTEGER NOT NULL,
  reporter_key  TEXT NOT NULL,                      -- platform:reporter_id
  conversation_id TEXT NOT NULL,                    -- where to tell them "the fix is out"
  platform      TEXT NOT NULL,
  first_at      INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, reporter_key)
) WITHOUT ROWID;

CREATE TABLE cluster_audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  cluster_id  INTEGER NOT NULL,
  action      TEXT NOT NULL,                        -- created | merged | split | resolved | escalated
  actor       TEXT,
  detail      TEXT NOT NULL,                        -- JSON
  created_at  INTEGER NOT NULL
);
CREATE INDEX cluster_audit_cluster ON cluster_audit (cluster_id, id);

-- Counters kept in the ticket transaction so /api/overview is constant time.
CREATE TABLE ticket_counts (
  dimension  TEXT NOT NULL,                         -- priority | category | sentiment | product_area | status | platform
  value      TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dimension, value)
) WITHOUT ROWID;

CREATE TABLE digests (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  since       INTEGER NOT NULL,
  until       INTEGER NOT NULL,
  content     TEXT NOT NULL,                        -- JSON digest
  created_at  INTEGER NOT NULL
);
