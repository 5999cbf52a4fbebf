package sqlstore_test

import (
	"strings"
	"testing"
)

// TestRecordHistoryUsesItsIndex holds the query of a record's history (the
// audit events of one record, newest first, on every record's page) to the
// index that serves its filter and its order at once. Without it SQLite
// walked the organisation's whole trail by the chain index, so a record's
// page cost what the organisation had ever done.
func TestRecordHistoryUsesItsIndex(t *testing.T) {
	t.Parallel()
	db := openSQLiteRaw(t)
	got := sqlitePlan(t, db, `EXPLAIN QUERY PLAN SELECT id FROM audit_events
		WHERE organisation_id = ? AND record_type = ? AND record_id = ? ORDER BY seq DESC LIMIT 20 OFFSET 0`, 1, "risk", 7)
	if !strings.Contains(got, "audit_events_record_seq") || strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("a record's history is planned as %q; want the record index, with no sort", got)
	}
}
