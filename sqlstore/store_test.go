package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// forEachDSN runs fn with the address of a fresh database on each dialect
// (a SQLite file, a PostgreSQL schema), for tests that open and close it
// themselves, or open it twice.
func forEachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "test.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, sqltest.PostgresSchema(t)) })
}

// openDSN opens a database by its address, closed after the test.
func openDSN(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var system = &isms.Actor{Name: "test", SiteAdmin: true}

func asSystem() context.Context { return isms.WithActor(context.Background(), system) }

func as(u *isms.User) context.Context {
	return isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin})
}

func mustUser(t *testing.T, db *sqlstore.DB, email string) *isms.User {
	t.Helper()
	u, err := db.CreateUser(asSystem(), email, "User "+email, "correct horse battery", false)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustOrg(t *testing.T, db *sqlstore.DB, name string) *isms.Organisation {
	t.Helper()
	o, err := db.CreateOrganisation(asSystem(), isms.OrganisationInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func mustMember(t *testing.T, db *sqlstore.DB, org *isms.Organisation, u *isms.User, role isms.Role) {
	t.Helper()
	if _, err := db.AddMembership(asSystem(), org.ID, isms.MembershipInput{Email: u.Email, Role: role}); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := isms.ErrorCode(err); got != code {
		t.Fatalf("want error code %q, got %q (%v)", code, got, err)
	}
}

// TestOpenMigratesTwice opens a fresh database (every migration applied
// and recorded), writes to it, closes it and opens it again: the second
// open applies nothing (the migration table is exactly as it was), the data
// is all there, and the database still takes writes.
func TestOpenMigratesTwice(t *testing.T) {
	t.Parallel()
	files, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	// A pair NNNN_name.sqlite.sql and NNNN_name.postgres.sql is one
	// migration, recorded as NNNN_name.sql.
	var want []string
	for _, f := range files {
		name := strings.Replace(strings.Replace(f.Name(), ".sqlite.sql", ".sql", 1), ".postgres.sql", ".sql", 1)
		if strings.HasSuffix(name, ".sql") && !slices.Contains(want, name) {
			want = append(want, name)
		}
	}
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		first, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := first.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("fresh database: %d users, %v", n, err)
		}
		applied := migrationsIn(t, first, dsn)
		if len(applied) != len(want) {
			t.Fatalf("first open applied %d migrations, want %d: %v", len(applied), len(want), applied)
		}
		for i, name := range want {
			if !strings.HasPrefix(applied[i], name+" ") {
				t.Fatalf("migration %d is %q, want %s", i, applied[i], name)
			}
		}
		u, err := first.CreateUser(asSystem(), "kept@migrations.example", "Kept", "correct horse battery", true)
		if err != nil {
			t.Fatal(err)
		}
		org, err := first.CreateOrganisation(asSystem(), isms.OrganisationInput{Name: "Bevaret Kommune"})
		if err != nil {
			t.Fatal(err)
		}
		entry, err := first.CreateOverviewEntry(asSystem(), org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Sagsbehandling"})
		if err != nil {
			t.Fatal(err)
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}

		second, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("second open: %v", err)
		}
		defer second.Close()
		if again := migrationsIn(t, second, dsn); strings.Join(again, "\n") != strings.Join(applied, "\n") {
			t.Fatalf("the second open changed the migrations:\n%v\nwas\n%v", again, applied)
		}
		if n, err := second.CountUsers(ctx); err != nil || n != 1 {
			t.Errorf("users after reopening: %d, %v", n, err)
		}
		if o, err := second.Organisation(asSystem(), org.ID); err != nil || o.Name != "Bevaret Kommune" {
			t.Errorf("organisation after reopening: %+v %v", o, err)
		}
		if e, err := second.OverviewEntry(asSystem(), org.ID, entry.ID); err != nil || e.Name != "Sagsbehandling" {
			t.Errorf("entry after reopening: %+v %v", e, err)
		}
		if _, err := second.CreateOrganisation(as(u), isms.OrganisationInput{Name: "Efter genåbning"}); err != nil {
			t.Errorf("a write after reopening: %v", err)
		}
	})
}

// migrationsIn lists the migration table's rows, "name version applied_at"
// in the order of their versions.
func migrationsIn(t *testing.T, db *sqlstore.DB, dsn string) []string {
	t.Helper()
	driver, src := "sqlite", "file:"+dsn
	if db.Dialect == sqlstore.Postgres {
		driver, src = "pgx", dsn
	}
	raw, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v int
		var name, at string
		if err := rows.Scan(&v, &name, &at); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %s", name, v, at))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestClockIsFrozenPerTransaction(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fixed := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return fixed }
		o := mustOrg(t, db, "Clock")
		if !o.CreatedAt.Equal(fixed) || !o.UpdatedAt.Equal(fixed) {
			t.Fatalf("created %v updated %v, want %v", o.CreatedAt, o.UpdatedAt, fixed)
		}
	})
}
