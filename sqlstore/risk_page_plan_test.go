package sqlstore_test

import (
	"strings"
	"testing"
)

// TestRiskPageListsUseTheirIndexes holds the two lists of one risk's page,
// its acceptances newest first and its actions by deadline, to the indexes
// that serve their filter and their order at once. Without them SQLite
// chose the organisation-wide index that served the order and walked every
// acceptance or action of the organisation to find the risk's few.
func TestRiskPageListsUseTheirIndexes(t *testing.T) {
	t.Parallel()
	db := openSQLiteRaw(t)
	for _, c := range []struct{ query, index string }{
		{`SELECT acc.id FROM risk_acceptances acc JOIN users u ON u.id = acc.accepted_by
			WHERE acc.organisation_id = ? AND acc.risk_id = ? ORDER BY acc.id DESC`, "risk_acceptances_of_risk"},
		{`SELECT k.id FROM risk_tasks k JOIN risks r ON r.id = k.risk_id
			WHERE k.organisation_id = ? AND k.risk_id = ? ORDER BY k.deadline, k.id LIMIT 500 OFFSET 0`, "risk_tasks_of_risk"},
	} {
		got := sqlitePlan(t, db, "EXPLAIN QUERY PLAN "+c.query, 1, 7)
		if !strings.Contains(got, c.index) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%s\nis planned as %q; want %s, with no sort", c.query, got, c.index)
		}
	}
}

// sqlitePlan is SQLite's query plan of q, its steps joined by "; ".
func sqlitePlan(t *testing.T, db *rawDB, q string, args ...any) string {
	t.Helper()
	rows, err := db.raw.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}
