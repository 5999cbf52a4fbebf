package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// Each driver error the store answers is provoked for real on both
// databases, so translate is checked against the codes the drivers send,
// not against what their messages happen to say.
func TestTranslateDriverErrors(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "translate.db")
		open := func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(0)&_pragma=journal_mode(WAL)")
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
			return db
		}
		db := open(t)
		translateCases(t, db, func(q string) string { return q })
		t.Run("busy", func(t *testing.T) {
			// One connection holds the write lock; another may not wait.
			other := open(t)
			ctx := context.Background()
			holder, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer holder.Close()
			if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
				t.Fatal(err)
			}
			defer holder.ExecContext(ctx, "ROLLBACK")
			_, err = other.Exec("INSERT INTO parent (id) VALUES (99)")
			wantTranslated(t, err, isms.EConflict, "err.busy")
		})
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := sql.Open("pgx", sqltest.PostgresSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		translateCases(t, db, rebindTest)
		t.Run("serialization", func(t *testing.T) {
			// A repeatable-read transaction may not change a row another
			// changed since its snapshot.
			t1, err := db.BeginTx(context.Background(), &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
			if err != nil {
				t.Fatal(err)
			}
			defer t1.Rollback()
			var n int
			if err := t1.QueryRow("SELECT COUNT(*) FROM parent").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("UPDATE parent SET id = id WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			_, err = t1.Exec("UPDATE parent SET id = id WHERE id = 1")
			wantTranslated(t, err, isms.EConflict, "err.busy")
		})
		t.Run("deadlock", func(t *testing.T) {
			if _, err := db.Exec("INSERT INTO parent (id) VALUES (2)"); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			t1, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer t1.Rollback()
			t2, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer t2.Rollback()
			if _, err := t1.Exec("UPDATE parent SET id = id WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			if _, err := t2.Exec("UPDATE parent SET id = id WHERE id = 2"); err != nil {
				t.Fatal(err)
			}
			// Each now waits for the other's row; PostgreSQL refuses one.
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, step := range []struct {
				tx *sql.Tx
				id int
			}{{t1, 2}, {t2, 1}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = step.tx.Exec("UPDATE parent SET id = id WHERE id = $1", step.id)
					if errs[i] != nil {
						step.tx.Rollback()
					}
				}()
			}
			wg.Wait()
			err = errs[0]
			if err == nil {
				err = errs[1]
			}
			wantTranslated(t, err, isms.EConflict, "err.busy")
		})
	})
}

// translateCases provokes the errors both databases share.
func translateCases(t *testing.T, db *sql.DB, bind func(string) string) {
	for _, q := range []string{
		"CREATE TABLE parent (id INTEGER PRIMARY KEY)",
		"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), name TEXT UNIQUE)",
		"INSERT INTO parent (id) VALUES (1)",
		"INSERT INTO child (id, parent_id, name) VALUES (1, 1, 'a')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, c := range []struct {
		name, q   string
		code, key string
	}{
		{"unique", "INSERT INTO child (id, parent_id, name) VALUES (2, 1, 'a')", isms.EConflict, "err.duplicate"},
		{"primary key", "INSERT INTO parent (id) VALUES (1)", isms.EConflict, "err.duplicate"},
		{"foreign key", "INSERT INTO child (id, parent_id, name) VALUES (3, 42, 'c')", isms.EInvalid, "err.unknown_reference"},
		{"foreign key on delete", "DELETE FROM parent WHERE id = 1", isms.EInvalid, "err.unknown_reference"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.Exec(bind(c.q))
			wantTranslated(t, err, c.code, c.key)
		})
	}
	t.Run("other errors pass unchanged", func(t *testing.T) {
		_, err := db.Exec("INSERT INTO nowhere (id) VALUES (1)")
		if err == nil {
			t.Fatal("no error")
		}
		if got := sqlstore.Translate(err); got != err {
			t.Errorf("translate(%v) = %v", err, got)
		}
		err = db.QueryRow(bind("SELECT id FROM parent WHERE id = ?"), 7).Scan(new(int))
		if got := sqlstore.Translate(err); !errors.Is(got, sql.ErrNoRows) {
			t.Errorf("no rows became %v", got)
		}
		if sqlstore.Translate(nil) != nil {
			t.Error("nil became an error")
		}
	})
}

func wantTranslated(t *testing.T, err error, code, key string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	e := isms.AsError(sqlstore.Translate(err))
	if e == nil || e.Code != code || e.Key != key {
		t.Errorf("translate(%v) = %v, want %s %s", err, sqlstore.Translate(err), code, key)
	}
}
