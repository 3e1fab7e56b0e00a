-- What the customer said about their setup (device, OS, app version, browser), parsed out
-- of the conversation when the ticket was raised: JSON, NULL for tickets from before.
ALTER TABLE tickets ADD COLUMN environment TEXT;

-- How a cluster's title was written: 'extract' (chosen from its tickets' phrases), 'model',
-- or 'manual' (a person renamed it: the machine never rewrites it), and at how many reports
-- it was written, so it is rewritten only when the cluster has changed materially.
ALTER TABLE clusters ADD COLUMN title_source TEXT NOT NULL DEFAULT 'extract';
ALTER TABLE clusters ADD COLUMN titled_at_reports INTEGER NOT NULL DEFAULT 1;

-- Tickets a person placed (by merging or splitting their cluster): the machine never moves
-- them to another cluster one by one.
ALTER TABLE tickets ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;

-- Pairs of clusters a person split apart: regrouping never merges them again.
CREATE TABLE cluster_apart (
  a INTEGER NOT NULL REFERENCES clusters (id),
  b INTEGER NOT NULL REFERENCES clusters (id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (a, b)
);
