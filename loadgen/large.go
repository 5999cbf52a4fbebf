package loadgen

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that makes and drops the schema

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// The large database the Go benchmarks measure against (go test -bench in
// sqlstore/ and web/). Generating takes minutes, so the benchmarks run only
// when ISMS_BENCH_LARGE=1; `go test ./...` stays fast.
//
//	ISMS_BENCH_LARGE=1            run them, generating once per test binary
//	ISMS_BENCH_ASSETS, _RISKS     sizes (default 5000 assets, 20000 risks)
//	ISMS_TEST_POSTGRES            the PostgreSQL server for the PostgreSQL variant
//	ISMS_BENCH_SQLITE_DB          measure this existing SQLite file instead of generating
//	ISMS_BENCH_POSTGRES_DB        measure this existing PostgreSQL database instead of generating

// Large is a large organisation's database, open.
type Large struct {
	Dialect     string // "sqlite" or "postgres"
	DB          *sqlstore.DB
	Org         *isms.Organisation
	Coordinator *isms.User
	// Generated is what was made; nil when an existing database was named.
	Generated *Result
	cleanup   []func()
}

// Close closes the database and removes what was generated for it.
func (l *Large) Close() {
	for i := len(l.cleanup) - 1; i >= 0; i-- {
		l.cleanup[i]()
	}
}

// LargeSkipReason says why the large benchmarks do not run here, or "".
func LargeSkipReason(dialect string) string {
	if os.Getenv("ISMS_BENCH_LARGE") != "1" {
		return "benchmarks over a large generated organisation run with ISMS_BENCH_LARGE=1 (generating takes minutes)"
	}
	if dialect == "postgres" && os.Getenv("ISMS_TEST_POSTGRES") == "" && os.Getenv("ISMS_BENCH_POSTGRES_DB") == "" {
		return "PostgreSQL not configured: set ISMS_TEST_POSTGRES=postgres://… (or ISMS_BENCH_POSTGRES_DB)"
	}
	return ""
}

// LargeConfigFromEnv is LargeConfig with the sizes from the environment.
func LargeConfigFromEnv() (Config, error) {
	cfg := LargeConfig()
	for name, p := range map[string]*int{"ISMS_BENCH_ASSETS": &cfg.Assets, "ISMS_BENCH_RISKS": &cfg.Risks} {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return cfg, fmt.Errorf("%s=%q is not a number", name, v)
			}
			*p = n
		}
	}
	return cfg, nil
}

// OpenLarge opens the large database of a dialect: the one named in the
// environment, or a new one generated in dir (SQLite) or in a new schema
// on ISMS_TEST_POSTGRES, which Close drops.
func OpenLarge(ctx context.Context, dialect, dir string, progress io.Writer) (*Large, error) {
	l := &Large{Dialect: dialect}
	var dsn string
	existing := false
	switch dialect {
	case "sqlite":
		if dsn = os.Getenv("ISMS_BENCH_SQLITE_DB"); dsn != "" {
			existing = true
		} else {
			dsn = filepath.Join(dir, "large.db")
		}
	case "postgres":
		if dsn = os.Getenv("ISMS_BENCH_POSTGRES_DB"); dsn != "" {
			existing = true
			break
		}
		base := os.Getenv("ISMS_TEST_POSTGRES")
		b := make([]byte, 6)
		rand.Read(b)
		schema := "bench_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return nil, err
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			admin.Close()
			return nil, fmt.Errorf("PostgreSQL: %w", err)
		}
		l.cleanup = append(l.cleanup, func() {
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		})
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		dsn = base + sep + "search_path=" + schema
	default:
		return nil, fmt.Errorf("unknown dialect %q", dialect)
	}
	if !existing && dialect == "postgres" {
		// Generating: acknowledge commits before they reach the disk (see
		// isms generate); the benchmarks then use a connection without it.
		gen, err := sqlstore.Open(ctx, dsn+"&synchronous_commit=off")
		if err != nil {
			l.Close()
			return nil, err
		}
		l.Generated, err = l.generate(ctx, gen, progress)
		gen.Close()
		if err != nil {
			l.Close()
			return nil, err
		}
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		l.Close()
		return nil, err
	}
	l.DB = db
	l.cleanup = append(l.cleanup, func() { db.Close() })
	if !existing && dialect == "sqlite" {
		if l.Generated, err = l.generate(ctx, db, progress); err != nil {
			l.Close()
			return nil, err
		}
	}
	if err := l.find(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func (l *Large) generate(ctx context.Context, db *sqlstore.DB, progress io.Writer) (*Result, error) {
	cfg, err := LargeConfigFromEnv()
	if err != nil {
		return nil, err
	}
	cfg.Progress = progress
	if progress != nil {
		fmt.Fprintf(progress, "generating %d assets and %d risks on %s for the benchmarks\n", cfg.Assets, cfg.Risks, l.Dialect)
	}
	res, err := Generate(ctx, db, cfg)
	if err != nil {
		return nil, err
	}
	if progress != nil {
		fmt.Fprintf(progress, "generated in %s: %d audit events\n", res.Elapsed, res.AuditEvents)
	}
	return res, nil
}

// find looks up the generated coordinator and organisation.
func (l *Large) find(ctx context.Context) error {
	u, err := l.DB.UserByEmail(ctx, CoordinatorEmail())
	if err != nil {
		return fmt.Errorf("no generated coordinator %s in the database: %w", CoordinatorEmail(), err)
	}
	l.Coordinator = u
	orgs, err := l.DB.Organisations(l.As())
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.Name == OrgName {
			l.Org = o
			return nil
		}
	}
	return fmt.Errorf("no organisation %q in the database", OrgName)
}

// As is a context acting as the coordinator.
func (l *Large) As() context.Context {
	u := l.Coordinator
	return isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin})
}
