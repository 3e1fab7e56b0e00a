-- A counter that moves whenever the indexed docs do (a file indexed, re-indexed or removed),
-- so the section catalog can check it on every turn in one row read instead of hashing the
-- file list.
CREATE TABLE knowledge_revision (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   INTEGER NOT NULL
);
INSERT INTO knowledge_revision (id, n) VALUES (1, 0);

CREATE TRIGGER knowledge_files_revision_ai AFTER INSERT ON knowledge_files BEGIN
  UPDATE knowledge_revision SET n = n + 1;
END;
CREATE TRIGGER knowledge_files_revision_au AFTER UPDATE ON knowledge_files BEGIN
  UPDATE knowledge_revision SET n = n + 1;
END;
CREATE TRIGGER knowledge_files_revision_ad AFTER DELETE ON knowledge_files BEGIN
  UPDATE knowledge_revision SET n = n + 1;
END;
