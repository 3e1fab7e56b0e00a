-- What live clustering keeps per cluster beyond 002 (see docs/clustering.md, docs/impact.md):
-- the decayed report weight behind the impact score, and the newest ticket assigned, which
-- tells consolidation which clusters changed and which small ones have gone quiet.

ALTER TABLE clusters ADD COLUMN weight REAL NOT NULL DEFAULT 0;            -- severity- and reporter-weighted reports, decayed to weight_at
ALTER TABLE clusters ADD COLUMN weight_at INTEGER NOT NULL DEFAULT 0;      -- epoch ms
ALTER TABLE clusters ADD COLUMN last_ticket_id INTEGER NOT NULL DEFAULT 0; -- newest ticket that joined
CREATE INDEX clusters_open_last_ticket ON clusters (status, last_ticket_id);
