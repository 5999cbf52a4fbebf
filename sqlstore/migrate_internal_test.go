package sqlstore

import (
	"strings"
	"testing"
)

// TestMigrationPairs holds a pair of files NNNN_name.sqlite.sql and
// NNNN_name.postgres.sql to one migration, recorded under NNNN_name.sql,
// whose statements each database runs its own of; a single file is run by
// both.
func TestMigrationPairs(t *testing.T) {
	t.Parallel()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, m := range ms {
		if seen[m.version] {
			t.Errorf("migration %d listed twice", m.version)
		}
		seen[m.version] = true
		if strings.Contains(m.name, ".sqlite.") || strings.Contains(m.name, ".postgres.") || !strings.HasSuffix(m.name, ".sql") {
			t.Errorf("migration %d is recorded as %s; want NNNN_name.sql", m.version, m.name)
		}
		if m.text(SQLite) == "" || m.text(Postgres) == "" {
			t.Errorf("migration %s has no statements for one of the databases", m.name)
		}
		if m.version == 150 {
			if m.name != "0150_register_search.sql" || !strings.Contains(m.text(SQLite), "fts5") || !strings.Contains(m.text(Postgres), "pg_trgm") {
				t.Errorf("migration 150 is %s, each database's own: want the register search's pair", m.name)
			}
		} else if m.version < 150 && m.text(SQLite) != m.text(Postgres) {
			t.Errorf("migration %s is one file, run by both databases alike", m.name)
		}
	}
}
