-- The registers' text search finds its matches through an index instead
-- of reading every row of the organisation: a trigram index holds every
-- three characters of the searched text, so a search of three characters
-- or more finds the rows that contain it anywhere (the query still checks
-- the text itself, so the results are those of the substring match).
-- SQLite's index is an FTS5 table of the trigram tokenizer, keyed by the
-- row's id; it stores no copy of the text (content=''), and
-- contentless_delete lets a trigger remove a row by its id alone.
-- Triggers keep it in step with every write, a restore's included.
CREATE VIRTUAL TABLE risks_text USING fts5(search_text, content='', contentless_delete=1, tokenize='trigram');
INSERT INTO risks_text (rowid, search_text) SELECT id, search_text FROM risks;
CREATE TRIGGER risks_text_insert AFTER INSERT ON risks BEGIN
	INSERT INTO risks_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER risks_text_update AFTER UPDATE OF search_text ON risks BEGIN
	DELETE FROM risks_text WHERE rowid = old.id;
	INSERT INTO risks_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER risks_text_delete AFTER DELETE ON risks BEGIN
	DELETE FROM risks_text WHERE rowid = old.id;
END;

CREATE VIRTUAL TABLE overview_entries_text USING fts5(name, description, content='', contentless_delete=1, tokenize='trigram');
INSERT INTO overview_entries_text (rowid, name, description) SELECT id, name, description FROM overview_entries;
CREATE TRIGGER overview_entries_text_insert AFTER INSERT ON overview_entries BEGIN
	INSERT INTO overview_entries_text (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
CREATE TRIGGER overview_entries_text_update AFTER UPDATE OF name, description ON overview_entries BEGIN
	DELETE FROM overview_entries_text WHERE rowid = old.id;
	INSERT INTO overview_entries_text (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
CREATE TRIGGER overview_entries_text_delete AFTER DELETE ON overview_entries BEGIN
	DELETE FROM overview_entries_text WHERE rowid = old.id;
END;

-- The business overview lists all its registers by name when no register
-- is chosen; the index of (organisation, kind, name) serves one register.
CREATE INDEX overview_entries_org_name ON overview_entries (organisation_id, name, id);

-- The rows copied in above make several pieces of index; merged into one,
-- a search reads one list per trigram (at 20,000 risks, a third less time
-- per search). Later writes add small pieces, which FTS5 merges as it goes.
INSERT INTO risks_text (risks_text) VALUES ('optimize');
INSERT INTO overview_entries_text (overview_entries_text) VALUES ('optimize');
