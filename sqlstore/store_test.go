package sqlstore_test

import (
	"context"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// pgURL is the PostgreSQL server the store tests also run against.
func pgURL() string { return sqltest.PostgresURL() }

// forEachDB runs fn against a fresh SQLite file and, when a PostgreSQL
// server is named, a fresh schema on it.
func forEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	sqltest.ForEachDB(t, fn)
}

// OpenSQLite opens a fresh SQLite database in the test's temporary folder.
func OpenSQLite(t testing.TB) *sqlstore.DB { return sqltest.OpenSQLite(t) }

// OpenPostgres opens a fresh schema on the test server, dropped afterwards.
func OpenPostgres(t testing.TB) *sqlstore.DB { return sqltest.OpenPostgres(t) }

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

func TestOpenMigratesTwice(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		n, err := db.CountUsers(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("fresh database: %d users, %v", n, err)
		}
	})
}

func TestClockIsFrozenPerTransaction(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fixed := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return fixed }
		o := mustOrg(t, db, "Clock")
		if !o.CreatedAt.Equal(fixed) || !o.UpdatedAt.Equal(fixed) {
			t.Fatalf("created %v updated %v, want %v", o.CreatedAt, o.UpdatedAt, fixed)
		}
	})
}
