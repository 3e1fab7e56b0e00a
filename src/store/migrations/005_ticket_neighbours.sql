-- Each clustered ticket's nearest tickets (its "neighbours"), kept by consolidation: found
-- among the tickets of the clusters nearest to it when it is linked, and updated when a
-- later ticket comes closer than its farthest one. A ticket moves to the cluster most of its
-- neighbours are in (see docs/clustering.md, "Neighbour votes").

CREATE TABLE ticket_neighbours (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  neighbour_id INTEGER NOT NULL REFERENCES tickets (id),
  similarity REAL NOT NULL,                 -- cosine of the two tickets' vectors
  PRIMARY KEY (ticket_id, neighbour_id)
) WITHOUT ROWID;
CREATE INDEX ticket_neighbours_reverse ON ticket_neighbours (neighbour_id);
