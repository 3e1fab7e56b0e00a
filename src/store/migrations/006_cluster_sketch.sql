-- A 256-bit SimHash sketch of each cluster's centroid, as the sketch index (vec0
-- `cluster_sketch`, created with the other vector tables) holds it. Above a few thousand
-- open clusters the nearest centroids are short-listed by sketch and then compared exactly
-- (see docs/clustering.md, "Cost"). Kept here so the index can be rebuilt in SQL alone.

ALTER TABLE clusters ADD COLUMN sketch BLOB;  -- 32 bytes; NULL until indexed
