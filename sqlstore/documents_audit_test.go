package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// TestAuditHidesWhatSecretDocumentsContain: every member sees that a
// secret document changed, but only those who may read it see its title
// and metadata in the audit trail.
func TestAuditHidesWhatSecretDocumentsContain(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		org := mustOrg(t, db, "Hemmelig kommune")
		coord := mustUser(t, db, "coord@example.org")
		reader := mustUser(t, db, "reader@example.org")
		mustMember(t, db, org, coord, isms.RoleCoordinator)
		mustMember(t, db, org, reader, isms.RoleReader)
		d, err := db.CreateDocument(as(coord), org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Beredskabsplan for cyberangreb",
			Classification: isms.ClassSecret, OwnerID: &coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		mine, _, err := db.AuditEvents(as(coord), org.ID, isms.AuditFilter{RecordType: "document", RecordID: d.ID})
		if err != nil || len(mine) == 0 || mine[0].Redacted || len(mine[0].After) == 0 {
			t.Fatalf("coordinator's view: %+v %v", mine, err)
		}
		theirs, _, err := db.AuditEvents(as(reader), org.ID, isms.AuditFilter{RecordType: "document", RecordID: d.ID})
		if err != nil || len(theirs) != len(mine) {
			t.Fatalf("reader's view: %d events, %v", len(theirs), err)
		}
		for _, e := range theirs {
			if !e.Redacted || len(e.After) != 0 || len(e.Before) != 0 {
				t.Errorf("reader sees the content of event %d: %s", e.Seq, e.After)
			}
		}
		// Other records are not affected.
		all, _, _ := db.AuditEvents(as(reader), org.ID, isms.AuditFilter{RecordType: "membership"})
		for _, e := range all {
			if e.Redacted {
				t.Errorf("membership event %d redacted", e.Seq)
			}
		}
	})
}
