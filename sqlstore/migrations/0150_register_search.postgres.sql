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
	EXECUTE format('CREATE INDEX overview_entries_text ON overview_entries USING gin (LOWER(name) %I.gin_trgm_ops, LOWER(description) %I.gin_trgm_ops)', ext, ext);
END
$$;
