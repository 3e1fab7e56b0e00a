-- Counters (and a search index) the console reads at any scale, kept by triggers on `tickets` so that every way
-- a ticket is created, moved between clusters or reprioritised keeps them exact, in the
-- same transaction. `day` is created_at / 86 400 000 (UTC days since 1970). Environment
-- parts use '' for "not given" (a primary key column cannot be NULL).

-- Tickets per day by priority, product area and platform (the overview's charts).
CREATE TABLE ticket_daily (
  day        INTEGER NOT NULL,
  dimension  TEXT NOT NULL,                         -- priority | product_area | platform
  value      TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, dimension, value)
) WITHOUT ROWID;

-- Tickets per day of each cluster, counted where they are now (timelines, sparklines).
CREATE TABLE cluster_daily (
  cluster_id  INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  n           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, day)
) WITHOUT ROWID;

-- Each cluster's tickets by the setup they gave (affected versions, systems, devices).
CREATE TABLE cluster_environments (
  cluster_id   INTEGER NOT NULL,
  app_version  TEXT NOT NULL,
  os           TEXT NOT NULL,
  device       TEXT NOT NULL,
  browser      TEXT NOT NULL,
  n            INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, app_version, os, device, browser)
) WITHOUT ROWID;

-- Every app version a ticket gave, and when it was last seen ("since 3.2.1" needs to know
-- which earlier versions customers still run).
CREATE TABLE app_versions (
  version   TEXT PRIMARY KEY,
  first_at  INTEGER NOT NULL,
  last_at   INTEGER NOT NULL,
  n         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX app_versions_last ON app_versions (last_at);

CREATE TRIGGER tickets_counted AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_daily (day, dimension, value, n)
    VALUES (NEW.created_at / 86400000, 'priority', NEW.priority, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO ticket_daily (day, dimension, value, n)
    VALUES (NEW.created_at / 86400000, 'platform', NEW.platform, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO ticket_daily (day, dimension, value, n)
    SELECT NEW.created_at / 86400000, 'product_area', NEW.product_area, 1
     WHERE NEW.product_area IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO app_versions (version, first_at, last_at, n)
    SELECT json_extract(NEW.environment, '$.appVersion'), NEW.created_at, NEW.created_at, 1
     WHERE json_extract(NEW.environment, '$.appVersion') IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1, first_at = min(first_at, excluded.first_at),
      last_at = max(last_at, excluded.last_at);
  INSERT INTO cluster_daily (cluster_id, day, n)
    SELECT NEW.cluster_id, NEW.created_at / 86400000, 1 WHERE NEW.cluster_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO cluster_environments (cluster_id, app_version, os, device, browser, n)
    SELECT NEW.cluster_id, coalesce(json_extract(NEW.environment, '$.appVersion'), ''),
           coalesce(json_extract(NEW.environment, '$.os'), ''),
           coalesce(json_extract(NEW.environment, '$.device'), ''),
           coalesce(json_extract(NEW.environment, '$.browser'), ''), 1
     WHERE NEW.cluster_id IS NOT NULL AND NEW.environment IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_moved AFTER UPDATE OF cluster_id ON tickets
  WHEN OLD.cluster_id IS NOT NEW.cluster_id
BEGIN
  UPDATE cluster_daily SET n = n - 1
   WHERE cluster_id = OLD.cluster_id AND day = OLD.created_at / 86400000;
  INSERT INTO cluster_daily (cluster_id, day, n)
    SELECT NEW.cluster_id, NEW.created_at / 86400000, 1 WHERE NEW.cluster_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
  UPDATE cluster_environments SET n = n - 1
   WHERE OLD.environment IS NOT NULL AND cluster_id = OLD.cluster_id
     AND app_version = coalesce(json_extract(OLD.environment, '$.appVersion'), '')
     AND os = coalesce(json_extract(OLD.environment, '$.os'), '')
     AND device = coalesce(json_extract(OLD.environment, '$.device'), '')
     AND browser = coalesce(json_extract(OLD.environment, '$.browser'), '');
  INSERT INTO cluster_environments (cluster_id, app_version, os, device, browser, n)
    SELECT NEW.cluster_id, coalesce(json_extract(NEW.environment, '$.appVersion'), ''),
           coalesce(json_extract(NEW.environment, '$.os'), ''),
           coalesce(json_extract(NEW.environment, '$.device'), ''),
           coalesce(json_extract(NEW.environment, '$.browser'), ''), 1
     WHERE NEW.cluster_id IS NOT NULL AND NEW.environment IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_reprioritised AFTER UPDATE OF priority ON tickets
  WHEN OLD.priority IS NOT NEW.priority
BEGIN
  UPDATE ticket_daily SET n = n - 1
   WHERE day = OLD.created_at / 86400000 AND dimension = 'priority' AND value = OLD.priority;
  INSERT INTO ticket_daily (day, dimension, value, n)
    VALUES (NEW.created_at / 86400000, 'priority', NEW.priority, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Cluster titles and product areas by their words, for the console's search (and its
-- "merge into…" picker), kept by triggers as titles are written and rewritten. Searched by
-- prefixes as someone types ("sett" finds "settings"), so the words are not stemmed.
CREATE VIRTUAL TABLE clusters_fts USING fts5 (
  title, product_area, content = 'clusters', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER clusters_fts_ai AFTER INSERT ON clusters BEGIN
  INSERT INTO clusters_fts (rowid, title, product_area) VALUES (new.id, new.title, new.product_area);
END;
CREATE TRIGGER clusters_fts_ad AFTER DELETE ON clusters BEGIN
  INSERT INTO clusters_fts (clusters_fts, rowid, title, product_area)
    VALUES ('delete', old.id, old.title, old.product_area);
END;
CREATE TRIGGER clusters_fts_au AFTER UPDATE OF title, product_area ON clusters BEGIN
  INSERT INTO clusters_fts (clusters_fts, rowid, title, product_area)
    VALUES ('delete', old.id, old.title, old.product_area);
  INSERT INTO clusters_fts (rowid, title, product_area) VALUES (new.id, new.title, new.product_area);
END;
INSERT INTO clusters_fts (clusters_fts) VALUES ('rebuild');

-- What existing tickets add up to.
INSERT INTO ticket_daily (day, dimension, value, n)
  SELECT created_at / 86400000, 'priority', priority, count(*) FROM tickets GROUP BY 1, 3;
INSERT INTO ticket_daily (day, dimension, value, n)
  SELECT created_at / 86400000, 'platform', platform, count(*) FROM tickets GROUP BY 1, 3;
INSERT INTO ticket_daily (day, dimension, value, n)
  SELECT created_at / 86400000, 'product_area', product_area, count(*) FROM tickets
   WHERE product_area IS NOT NULL GROUP BY 1, 3;
INSERT INTO cluster_daily (cluster_id, day, n)
  SELECT cluster_id, created_at / 86400000, count(*) FROM tickets
   WHERE cluster_id IS NOT NULL GROUP BY 1, 2;
INSERT INTO cluster_environments (cluster_id, app_version, os, device, browser, n)
  SELECT cluster_id, coalesce(json_extract(environment, '$.appVersion'), ''),
         coalesce(json_extract(environment, '$.os'), ''),
         coalesce(json_extract(environment, '$.device'), ''),
         coalesce(json_extract(environment, '$.browser'), ''), count(*)
    FROM tickets WHERE cluster_id IS NOT NULL AND environment IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5;
INSERT INTO app_versions (version, first_at, last_at, n)
  SELECT json_extract(environment, '$.appVersion'), min(created_at), max(created_at), count(*)
    FROM tickets WHERE json_extract(environment, '$.appVersion') IS NOT NULL GROUP BY 1;
