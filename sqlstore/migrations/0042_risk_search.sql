-- The register's text search reads one lower-cased column instead of
-- lower-casing the title and description of every risk on every search,
-- and an index holding it answers the count of matches from the index
-- alone (with 20,000 risks: a tenth of the time on SQLite). The store
-- writes the column, lower-cased in full Unicode; rows written before
-- are filled here (SQL's LOWER is ASCII-only on SQLite, and they are
-- rewritten in full at their next change).
ALTER TABLE risks ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE risks SET search_text = LOWER(title || ' ' || description);
CREATE INDEX risks_search ON risks (organisation_id, treatment, search_text);
