package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// chainFixture makes two organisations with a few changes each; the first
// is the one the tests tamper with.
func chainFixture(t *testing.T, db *rawDB) (org *isms.Organisation, events int64) {
	t.Helper()
	firstAccount(t, db.DB)
	f := newFixture(t, db.DB, "chain", nil)
	newFixture(t, db.DB, "bystander", nil)
	ctx := as(f.user)
	e := f.entry
	for _, name := range []string{"Second name", "Third name"} {
		var err error
		if e, err = db.UpdateOverviewEntry(ctx, f.org.ID, e.ID, isms.OverviewEntryInput{Name: name, Version: e.Version}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteOverviewEntry(ctx, f.org.ID, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	n, breaks, err := db.VerifyAudit(context.Background())
	if err != nil || len(breaks) > 0 {
		t.Fatalf("before tampering: %v %v", breaks, err)
	}
	if want := db.int(t, "SELECT COUNT(*) FROM audit_events"); int64(n) != want {
		t.Fatalf("checked %d of %d events", n, want)
	}
	return f.org, db.int(t, "SELECT MAX(seq) FROM audit_events WHERE organisation_id = ?", f.org.ID)
}

// oneBreak checks that VerifyAudit reports exactly one broken chain, at
// the given organisation and event number, for the given reason.
func oneBreak(t *testing.T, db *rawDB, org, seq int64, reason string) isms.ChainBreak {
	t.Helper()
	_, breaks, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(breaks) != 1 {
		t.Fatalf("want one broken chain, got %+v", breaks)
	}
	b := breaks[0]
	if b.OrganisationID != org || b.Seq != seq || !strings.Contains(b.Reason, reason) {
		t.Fatalf("want a break in organisation %d at event %d (%q), got %+v", org, seq, reason, b)
	}
	return b
}

func TestAuditChainNamesFirstBrokenLink(t *testing.T) {
	t.Parallel()
	t.Run("changed event", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, _ := chainFixture(t, db)
			if n := db.exec(t, `UPDATE audit_events SET after_json = '{"name":"forged"}' WHERE organisation_id = ? AND seq = 3`, org.ID); n != 1 {
				t.Fatalf("%d events changed", n)
			}
			b := oneBreak(t, db, org.ID, 3, "content does not match")
			if b.EventID != db.int(t, "SELECT id FROM audit_events WHERE organisation_id = ? AND seq = 3", org.ID) {
				t.Fatalf("break names event id %d", b.EventID)
			}
		})
	})
	t.Run("changed actor", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, _ := chainFixture(t, db)
			db.exec(t, "UPDATE audit_events SET actor_name = 'someone else' WHERE organisation_id = ? AND seq = 2", org.ID)
			oneBreak(t, db, org.ID, 2, "content does not match")
		})
	})
	t.Run("replaced hash", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, _ := chainFixture(t, db)
			// A replaced hash no longer matches the event's content.
			db.exec(t, "UPDATE audit_events SET hash = 'forged' WHERE organisation_id = ? AND seq = 4", org.ID)
			oneBreak(t, db, org.ID, 4, "content does not match")
		})
	})
	t.Run("middle event removed", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, _ := chainFixture(t, db)
			db.exec(t, "DELETE FROM audit_events WHERE organisation_id = ? AND seq = 3", org.ID)
			oneBreak(t, db, org.ID, 4, "expected event number 3")
		})
	})
	t.Run("last event removed", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, last := chainFixture(t, db)
			db.exec(t, "DELETE FROM audit_events WHERE organisation_id = ? AND seq = ?", org.ID, last)
			oneBreak(t, db, org.ID, last, "removed at the end")
		})
	})
	t.Run("last events removed with the head wound back", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, last := chainFixture(t, db)
			db.exec(t, "DELETE FROM audit_events WHERE organisation_id = ? AND seq = ?", org.ID, last)
			db.exec(t, "UPDATE audit_heads SET seq = seq - 1 WHERE organisation_id = ?", org.ID)
			// The head still holds the removed event's hash.
			oneBreak(t, db, org.ID, last, "removed at the end")
		})
	})
	t.Run("chain head removed", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, last := chainFixture(t, db)
			db.exec(t, "DELETE FROM audit_heads WHERE organisation_id = ?", org.ID)
			oneBreak(t, db, org.ID, last+1, "head record is missing")
		})
	})
	t.Run("whole chain removed", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, _ := chainFixture(t, db)
			db.exec(t, "DELETE FROM audit_events WHERE organisation_id = ?", org.ID)
			db.exec(t, "DELETE FROM audit_heads WHERE organisation_id = ?", org.ID)
			oneBreak(t, db, org.ID, 1, "head record is missing")
		})
	})
	t.Run("site-wide chain", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			chainFixture(t, db)
			db.exec(t, "UPDATE audit_events SET after_json = '{}' WHERE organisation_id = 0 AND seq = 2")
			oneBreak(t, db, 0, 2, "content does not match")
		})
	})
	t.Run("event inserted", func(t *testing.T) {
		forEachRawDB(t, func(t *testing.T, db *rawDB) {
			org, last := chainFixture(t, db)
			db.exec(t, `INSERT INTO audit_events (organisation_id, seq, at, actor_id, actor_name, action, record_type, record_id,
				before_json, after_json, prev_hash, hash) SELECT organisation_id, seq + 1, at, actor_id, actor_name, action,
				record_type, record_id, before_json, after_json, hash, hash FROM audit_events WHERE organisation_id = ? AND seq = ?`, org.ID, last)
			oneBreak(t, db, org.ID, last+1, "content does not match")
		})
	})
}

// After a break the chain keeps growing from its head, and the break is
// still reported where it is.
func TestAuditChainBreakStaysReported(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		org, _ := chainFixture(t, db)
		db.exec(t, "UPDATE audit_events SET record_type = 'forged' WHERE organisation_id = ? AND seq = 2", org.ID)
		if _, err := db.CreateOverviewEntry(asSystem(), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Later"}); err != nil {
			t.Fatal(err)
		}
		oneBreak(t, db, org.ID, 2, "content does not match")
	})
}
