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

// The demo's risk register answers checklist question 3.1 yes from the
// records: every business-critical process, information and system has a
// current assessment, and every residual risk above the criteria is
// accepted by the municipal director.
func TestFillAnswersRiskQuestion(t *testing.T) {
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
			if a.QuestionID == "3.1" && (a.Status != isms.AnswerYes || a.Source != isms.SourceRecords) {
				t.Fatalf("3.1: %s from %s, reasons %+v", a.Status, a.Source, a.Reasons)
			}
		}
		// Every business-critical entry is an assessed asset.
		assets, total, err := db.Assets(reader, d.Org.ID, isms.AssetFilter{Primary: "primary", Limit: 500})
		if err != nil || total < 19 {
			t.Fatalf("%d primary assets, %v", total, err)
		}
		for _, a := range assets {
			if a.AssessmentStatus != isms.AssetCurrent || a.RiskCount == 0 {
				t.Errorf("asset %q: %s with %d risks", a.Name, a.AssessmentStatus, a.RiskCount)
			}
		}
		if _, n, _ := db.Assets(reader, d.Org.ID, isms.AssetFilter{Primary: "supporting"}); n < 3 {
			t.Errorf("%d supporting assets", n)
		}
		// Treatments with Annex A controls, actions, and the acceptances
		// by management.
		risks, n, err := db.Risks(reader, d.Org.ID, isms.RiskFilter{Limit: 500})
		if err != nil || n < 35 {
			t.Fatalf("%d risks, %v", n, err)
		}
		treatments, accepted := map[isms.Treatment]int{}, 0
		for _, r := range risks {
			treatments[r.Treatment]++
			if !r.Settled() {
				t.Errorf("risk %q is not settled", r.Title)
			}
			if r.Acceptance != nil {
				accepted++
				if r.Acceptance.AcceptedByID != d.Users[isms.RoleManagement].ID || r.Acceptance.Reason == "" {
					t.Errorf("acceptance of %q: %+v", r.Title, r.Acceptance)
				}
			}
		}
		for _, tr := range isms.Treatments {
			if treatments[tr] == 0 {
				t.Errorf("no risk is treated by %s", tr)
			}
		}
		if accepted == 0 {
			t.Error("management accepted nothing")
		}
		if _, n, _ := db.RiskTasks(reader, d.Org.ID, isms.RiskTaskFilter{}); n < 20 {
			t.Errorf("%d actions in the treatment plan", n)
		}
		if _, n, _ := db.RiskTasks(reader, d.Org.ID, isms.RiskTaskFilter{Overdue: true}); n == 0 {
			t.Error("a real plan has a late action; the demo has none")
		}
		m, err := db.RiskMethod(reader, d.Org.ID)
		if err != nil || m.Version == 0 || m.Scale.Key != "SCALE_1_4" || !m.Dimensions.Citizens {
			t.Fatalf("method: %+v %v", m, err)
		}
		h, err := db.RiskHeatMap(reader, d.Org.ID, isms.RiskFilter{})
		if err != nil || h.Total != n {
			t.Fatalf("heat map: %+v %v", h, err)
		}
		if _, breaks, err := db.VerifyAudit(context.Background()); err != nil || len(breaks) > 0 {
			t.Fatalf("audit: %v %v", breaks, err)
		}
	})
}
