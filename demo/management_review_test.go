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

// The demo's management review answers rule 7.3 yes: planned on the annual
// wheel, held this year with every input of clause 9.3.2 in its frozen
// pack, and decisions with owners and due dates.
func TestFillManagementReview(t *testing.T) {
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
			if a.QuestionID == "7.3" && (a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) != 2) {
				t.Fatalf("7.3: %+v", a)
			}
		}
		rs, err := db.ManagementReviews(reader, d.Org.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("%d reviews, %v", len(rs), err)
		}
		r := rs[0]
		if r.Status != isms.ReviewHeld || r.Pack == nil || len(r.Checksum) != 64 || len(r.Decisions) != 3 || r.ReviewDate.Year() != 2026 && r.ReviewDate.Year() != d.Today.Year() {
			t.Fatalf("review %+v", r)
		}
		// The pack carries the records of the earlier steps, not only
		// declarations.
		for _, k := range []string{isms.InputNonconformities, isms.InputMeasurement, isms.InputAudit, isms.InputObjectives, isms.InputRisk,
			isms.InputImprovement, isms.InputFeedback, isms.InputThreats, isms.InputContextChanges} {
			if !r.Pack.HasContent(k) {
				t.Errorf("input %s has no content", k)
			}
		}
	})
}
