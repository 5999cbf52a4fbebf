package sqlstore_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// rawDB is a store together with a second, plain connection to the same
// database, for tests that change stored rows behind the store's back (as
// someone tampering with the database would).
type rawDB struct {
	*sqlstore.DB
	raw *sql.DB
	pg  bool
	dsn string // what sqlstore.Open was given, for a second instance
}

// exec runs SQL on the plain connection, with ? placeholders on both dialects.
func (r *rawDB) exec(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	if r.pg {
		q = rebindTest(q)
	}
	res, err := r.raw.Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	n, _ := res.RowsAffected()
	// A change behind the store's back is one its kept views (derived.go)
	// cannot know of; it is marked as the store marks its own writes
	// outside the audit chain, so the next read recomputes them.
	if _, err := r.raw.Exec("UPDATE audit_heads SET unaudited_changes = unaudited_changes + 1"); err != nil {
		t.Fatalf("mark the change: %v", err)
	}
	return n
}

// int runs a query for one integer on the plain connection.
func (r *rawDB) int(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	if r.pg {
		q = rebindTest(q)
	}
	var n int64
	if err := r.raw.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func rebindTest(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// forEachRawDB is forEachDB for tests that need the plain connection too.
func forEachRawDB(t *testing.T, fn func(t *testing.T, db *rawDB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLiteRaw(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgresRaw(t)) })
}

func openSQLiteRaw(t testing.TB) *rawDB { return fromRaw(sqltest.OpenSQLiteRaw(t)) }

func openPostgresRaw(t testing.TB) *rawDB { return fromRaw(sqltest.OpenPostgresRaw(t)) }

func fromRaw(r *sqltest.Raw) *rawDB {
	return &rawDB{DB: r.DB, raw: r.Conn, pg: r.Postgres, dsn: r.DSN}
}

// secondInstance opens another store on the same database, as a second
// server process would: its own connections, its own pool.
func (r *rawDB) secondInstance(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
