package sqlstore

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// The time and date scan types read the TEXT columns both drivers return,
// as the hand parsing they replace did: empty and unreadable text is the
// zero value, or nil where the value may be missing.
func TestScanTimesAndDates(t *testing.T) {
	open := map[string]func(t *testing.T) *sql.DB{
		"sqlite": func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "scan.db"))
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		"postgres": func(t *testing.T) *sql.DB {
			dsn := os.Getenv("ISMS_TEST_POSTGRES")
			if dsn == "" {
				t.Skip("PostgreSQL not configured")
			}
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 890000000, time.UTC)
	day, _ := isms.ParseDate("2026-03-04")
	for name, opener := range open {
		t.Run(name, func(t *testing.T) {
			db := opener(t)
			defer db.Close()
			// A temporary table lives on one connection.
			db.SetMaxOpenConns(1)
			if _, err := db.Exec("CREATE TEMPORARY TABLE scan_probe (n INTEGER, v TEXT)"); err != nil {
				t.Fatal(err)
			}
			for i, v := range []any{ts(at), "2026-03-04", "", "not a time", nil} {
				q := "INSERT INTO scan_probe (n, v) VALUES (?, ?)"
				if name == "postgres" {
					q = "INSERT INTO scan_probe (n, v) VALUES ($1, $2)"
				}
				if _, err := db.Exec(q, i, v); err != nil {
					t.Fatal(err)
				}
			}
			type read struct {
				t       time.Time
				tp      *time.Time
				d       isms.Date
				dp      *isms.Date
				numbers int64
			}
			rows, err := db.Query("SELECT v, v, v, v, n FROM scan_probe ORDER BY n")
			if err != nil {
				t.Fatal(err)
			}
			got, err := collect(rows, func(row scanner) (read, error) {
				var r read
				err := row.Scan(scanTime{&r.t}, scanTimePtr{&r.tp}, scanDate{&r.d}, scanDatePtr{&r.dp}, &r.numbers)
				return r, err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 5 {
				t.Fatalf("%d rows", len(got))
			}
			// A timestamp.
			if !got[0].t.Equal(at) || got[0].tp == nil || !got[0].tp.Equal(at) || got[0].dp != nil {
				t.Errorf("timestamp read as %+v", got[0])
			}
			// A date.
			if got[1].d != day || got[1].dp == nil || *got[1].dp != day || !got[1].t.IsZero() {
				t.Errorf("date read as %+v", got[1])
			}
			// Empty, unreadable and NULL text.
			for _, r := range got[2:] {
				if !r.t.IsZero() || !r.d.Time.IsZero() || r.dp != nil {
					t.Errorf("row %d read as %+v", r.numbers, r)
				}
			}
			if got[2].tp != nil || got[4].tp != nil {
				t.Errorf("empty or NULL time not nil: %v %v", got[2].tp, got[4].tp)
			}
			// Unreadable text that is there reads as the zero time, as
			// parsing it by hand did.
			if got[3].tp == nil || !got[3].tp.IsZero() {
				t.Errorf("unreadable time read as %v", got[3].tp)
			}
		})
	}
}
