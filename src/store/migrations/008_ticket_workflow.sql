-- The ticket workflow (docs/triage-api.md, "Tickets"): a ticket's status moves between open,
-- in_progress and closed (resolved stays what marking its cluster fixed sets); each change a
-- person makes (status, priority, tags, a note) is kept in the ticket's audit log. Tickets
-- are searchable by their words, and a ticket's webhook events are found by an index.

CREATE TABLE ticket_audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
  action      TEXT NOT NULL,                        -- status | priority | tags | note
  actor       TEXT NOT NULL,
  detail      TEXT NOT NULL,                        -- JSON: {from, to}, or {} for a note alone
  note        TEXT,                                 -- what the person wrote with the change
  created_at  INTEGER NOT NULL
);
CREATE INDEX ticket_audit_ticket ON ticket_audit (ticket_id, id);

-- Full-text search over the redacted summary and the canonical phrase, kept by triggers so
-- every way a ticket is written (the ticket path, imports, benchmarks) is searchable.
CREATE VIRTUAL TABLE tickets_fts USING fts5 (
  summary, canonical, content = 'tickets', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
  INSERT INTO tickets_fts (rowid, summary, canonical) VALUES (new.id, new.summary, new.canonical);
END;
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
  INSERT INTO tickets_fts (tickets_fts, rowid, summary, canonical)
    VALUES ('delete', old.id, old.summary, old.canonical);
END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF summary, canonical ON tickets BEGIN
  INSERT INTO tickets_fts (tickets_fts, rowid, summary, canonical)
    VALUES ('delete', old.id, old.summary, old.canonical);
  INSERT INTO tickets_fts (rowid, summary, canonical) VALUES (new.id, new.summary, new.canonical);
END;
INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');

-- A ticket's events (ticket.created, ticket.updated), for the deliveries on its page.
CREATE INDEX events_ticket ON events (json_extract(payload, '$.ticket.id'))
  WHERE json_extract(payload, '$.ticket.id') IS NOT NULL;
