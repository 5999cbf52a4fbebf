package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migrations are numbered files NNNN_name.sql, applied in order, each in
// its own transaction, recorded in schema_migrations, and never edited once
// they have landed: a change to the schema is a new file. A change that
// the two databases make in their own ways (a text index: SQLite's FTS5,
// PostgreSQL's pg_trgm) is a pair of files under one number,
// NNNN_name.sqlite.sql and NNNN_name.postgres.sql, recorded under the
// name NNNN_name.sql on both, so an archive names the same migrations
// whichever database made it.
//
//go:embed migrations/*.sql
var migrations embed.FS

type migration struct {
	version int
	name    string
	// sqlite and postgres are the statements each database runs: the same
	// text unless the migration is a pair of files.
	sqlite, postgres string
}

// text is the migration's SQL for a database.
func (m migration) text(d Dialect) string {
	if d == Postgres {
		return m.postgres
	}
	return m.sqlite
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	type file struct {
		name    string
		dialect string // "" for both, "sqlite" or "postgres" for one of a pair
		sql     string
	}
	// ReadDir sorts by name, so a pair's postgres file comes before its
	// sqlite file.
	byVersion := map[int][]file{}
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		f := file{name: e.Name(), sql: string(b)}
		for _, d := range []string{"sqlite", "postgres"} {
			if base, ok := strings.CutSuffix(e.Name(), "."+d+".sql"); ok {
				f.name, f.dialect = base+".sql", d
			}
		}
		byVersion[v] = append(byVersion[v], f)
	}
	var out []migration
	for v, fs := range byVersion {
		switch {
		case len(fs) == 1 && fs[0].dialect == "":
			out = append(out, migration{v, fs[0].name, fs[0].sql, fs[0].sql})
		case len(fs) == 2 && fs[0].name == fs[1].name && fs[0].dialect == "postgres" && fs[1].dialect == "sqlite":
			out = append(out, migration{v, fs[0].name, fs[1].sql, fs[0].sql})
		case len(fs) == 1:
			return nil, fmt.Errorf("migration %s: it has no file for the other database", fs[0].name)
		default:
			var names []string
			for _, f := range fs {
				names = append(names, f.name)
			}
			return nil, fmt.Errorf("migration %d: its files (%s) must be one NNNN_name.sql or a pair NNNN_name.sqlite.sql and NNNN_name.postgres.sql",
				v, strings.Join(names, ", "))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies every migration not yet applied. On PostgreSQL an
// advisory lock keeps several starting instances from migrating at once.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.Dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(27001)"); err != nil {
			return fmt.Errorf("lock for migration: %w", err)
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(27001)")
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.schemaSQL(m.text(db.Dialect))); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, db.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, ts(db.Now())); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}
