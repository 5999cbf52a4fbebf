// Package sqltest opens throw-away databases for the tests of every
// package: a SQLite file in the test's temporary folder and, when
// ISMS_TEST_POSTGRES names a PostgreSQL server, a fresh schema on it that
// is dropped afterwards. Under CI=true a missing server fails the test
// instead of skipping it.
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the schema's creation

	"github.com/ismsdk/isms/sqlstore"
)

// PostgresURL is the PostgreSQL server tests also run against, "" when
// none is named.
func PostgresURL() string { return os.Getenv("ISMS_TEST_POSTGRES") }

// ForEachDB runs fn against a fresh SQLite file and a fresh PostgreSQL
// schema, each as a subtest named after its database.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

// OpenSQLite opens a fresh SQLite database in the test's temporary folder.
func OpenSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenPostgres opens a fresh schema on the test server, dropped afterwards.
func OpenPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), PostgresSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresSchema creates a fresh schema on the test server, dropped after
// the test, and returns the address that works in it (for tests that also
// open a plain connection beside the store).
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("ISMS_TEST_POSTGRES is not set; CI must run the tests against PostgreSQL")
		}
		t.Skip("PostgreSQL not configured: set ISMS_TEST_POSTGRES=postgres://… to run the tests against it")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	// Registered first, so it runs last: after the store is closed.
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Raw is a store together with a plain connection to the same database,
// for tests that look at or change stored rows behind the store's back.
type Raw struct {
	DB       *sqlstore.DB
	Conn     *sql.DB
	DSN      string // what sqlstore.Open was given, for a second instance
	Postgres bool
}

// OpenSQLiteRaw opens a store on a new SQLite file and a plain connection
// to it, with foreign keys enforced as the store has them.
func OpenSQLiteRaw(t testing.TB) *Raw {
	t.Helper()
	path := filepath.Join(t.TempDir(), "raw.db")
	return openRaw(t, path, "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)", false)
}

// OpenPostgresRaw opens a store on a fresh schema of the test server and a
// plain connection to it.
func OpenPostgresRaw(t testing.TB) *Raw {
	t.Helper()
	dsn := PostgresSchema(t)
	return openRaw(t, dsn, "pgx", dsn, true)
}

func openRaw(t testing.TB, dsn, driver, rawDSN string, pg bool) *Raw {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open(driver, rawDSN)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); db.Close() })
	return &Raw{DB: db, Conn: conn, DSN: dsn, Postgres: pg}
}
