-- The registers' text search finds its matches through an index instead
-- of reading every row of the organisation: a trigram index holds every
-- three characters of the searched text, so the search's LIKE '%word%'
-- of three characters or more finds the rows that contain it anywhere.
-- PostgreSQL's is a GIN index of the pg_trgm extension's operator class,
-- used by the queries as they are.
--
-- pg_trgm ships with PostgreSQL (Debian's postgresql package, the contrib
-- package elsewhere) and any database owner may create it. It is created
-- in the public schema where that exists: an extension belongs to the
-- whole database, and a schema the product's tables live in may be
-- dropped with them. Its operator class is named with the schema it is
-- found in, so an extension an administrator put elsewhere serves too.
DO $$
DECLARE
	ext text;
BEGIN
	SELECT n.nspname INTO ext FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm';
	IF ext IS NULL THEN
		BEGIN
			IF to_regnamespace('public') IS NOT NULL THEN
				CREATE EXTENSION pg_trgm SCHEMA public;
			ELSE
				CREATE EXTENSION pg_trgm;
			END IF;
		EXCEPTION WHEN OTHERS THEN
			RAISE EXCEPTION 'the registers'' text search needs PostgreSQL''s pg_trgm extension, which could not be created: %', SQLERRM
				USING HINT = 'Install the server''s contrib modules (part of Debian''s postgresql package; postgresql-contrib elsewhere), '
					'or have a superuser run CREATE EXTENSION pg_trgm in this database, then start again.';
		END;
		SELECT n.nspname INTO ext FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm';
	END IF;
	EXECUTE format('CREATE INDEX risks_text ON risks USING gin (search_text %I.gin_trgm_ops)', ext);
	-- The expression is the store's (entrySearchText), character for
	-- character, so the planner finds the index.
	EXECUTE format('CREATE INDEX overview_entries_text ON overview_entries USING gin (LOWER(name || E''\n'' || description) %I.gin_trgm_ops)', ext);
END
$$;

-- The business overview lists all its registers by name when no register
-- is chosen; the index of (organisation, kind, name) serves one register.
CREATE INDEX overview_entries_org_name ON overview_entries (organisation_id, name, id);

-- A register's page in its default order ends its sort with the id, so
-- that rows of equal sort keys come in a fixed order. SQLite's indexes end
-- with the row's id by themselves; PostgreSQL's are given it, so the index
-- serves the whole order and the page stops at its last row instead of
-- sorting every row of the sort key's last value.
DROP INDEX risks_residual;
CREATE INDEX risks_residual ON risks (organisation_id, residual_score, id);
DROP INDEX overview_entries_org_kind;
CREATE INDEX overview_entries_org_kind ON overview_entries (organisation_id, kind, name, id);
DROP INDEX documents_org_title;
CREATE INDEX documents_org_title ON documents (organisation_id, title, id);
