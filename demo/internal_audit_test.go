package demo_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo's internal audit answers rule 7.2 yes: a programme over three
// years covering every clause and applicable control, two audits held
// with approved reports, the minor nonconformity found followed in the
// register to an effective review and closed.
func TestFillInternalAudit(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		answers, err := db.Checklist(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			if a.QuestionID == "7.2" && (a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) < 3) {
				t.Fatalf("7.2: %+v", a)
			}
		}
		ps, err := db.AuditProgrammes(reader, d.Org.ID)
		if err != nil || len(ps) != 1 || len(ps[0].Audits) != 3 {
			t.Fatalf("programmes %+v %v", ps, err)
		}
		cov, err := db.AuditCoverage(reader, d.Org.ID, ps[0].ID)
		if err != nil || cov.Uncovered != 0 || len(cov.Controls) == 0 {
			t.Fatalf("coverage %+v %v", cov, err)
		}
		fs, err := db.AuditFindings(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var counts isms.FindingCounts
		for _, f := range fs {
			counts.Add(f.Type)
			if f.Type.Nonconformity() && (f.NonconformityID == nil || f.NCStatus != isms.NCClosed || f.NCEffective == nil || !*f.NCEffective) {
				t.Fatalf("nonconformity finding not followed to an effective review: %+v", f)
			}
		}
		if counts.MinorNC != 1 || counts.Observations != 2 || counts.Opportunity != 1 {
			t.Fatalf("findings %+v", counts)
		}
		r, err := db.AuditResults(d.As(isms.RoleManagement), d.Org.ID, d.Today.AddDays(-365), d.Today)
		if err != nil || len(r.Audits) == 0 || r.Totals.MinorNC != 1 {
			t.Fatalf("results %+v %v", r, err)
		}
	})
}
