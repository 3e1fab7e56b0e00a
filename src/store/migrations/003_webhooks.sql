-- Outgoing webhooks: one delivery per event × endpoint, and a log of every attempt.
-- Deliveries are fanned out from the `events` outbox by the dispatcher; see
-- src/store/webhooks.ts and docs/webhooks.md.

-- The configured endpoints and how far each has been fanned out. `event_cursor` is the
-- rowid of the last `events` row considered for the endpoint; a new endpoint starts at the
-- newest event, so it receives events from the moment it is added (older ones via replay).
CREATE TABLE webhook_endpoints (
  url           TEXT PRIMARY KEY,
  event_cursor  INTEGER NOT NULL,
  added_at      INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id          TEXT NOT NULL REFERENCES events (id),
  endpoint          TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending', -- pending | delivered | failed
  attempt_count     INTEGER NOT NULL DEFAULT 0,      -- attempts since creation or the last replay
  next_attempt_at   INTEGER,                         -- epoch ms; null unless pending
  claimed_until     INTEGER,                         -- epoch ms; set while an attempt is in flight
  last_status_code  INTEGER,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  delivered_at      INTEGER,
  replayed_at       INTEGER,
  UNIQUE (event_id, endpoint)
);
-- "What is due now for this endpoint?" only ever looks at pending rows.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint, next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, id);

CREATE TABLE webhook_attempts (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id       INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempted_at      INTEGER NOT NULL,                -- epoch ms
  status_code       INTEGER,                         -- null when no response (timeout, network)
  error             TEXT,
  latency_ms        INTEGER NOT NULL,
  response_excerpt  TEXT                             -- at most 500 characters
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
