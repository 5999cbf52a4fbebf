package demo_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo municipality's competence records answer checklist questions
// 4.2–4.4 yes: every security role has its needs, a holder of each role
// meets each of them, and the one holder's gap has a development plan;
// the wheel's competence review was done on time, and it brings round the
// GDPR refresher of a need; one certificate is an uploaded PDF in the
// register.
func TestFillAnswersTheCompetenceQuestions(t *testing.T) {
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
			switch a.QuestionID {
			case "4.2", "4.3", "4.4":
				if a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) == 0 {
					t.Errorf("question %s: %s from %s, reasons %v", a.QuestionID, a.Status, a.Source, a.Reasons)
				}
				if a.QuestionID == "4.4" && !slices.ContainsFunc(a.Reasons, func(m isms.Message) bool { return m.Key == "reason.comp_review_on_time" }) {
					t.Errorf("4.4 does not name the wheel's review: %v", a.Reasons)
				}
			}
		}
		needs, err := db.CompetenceNeeds(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		refresher := slices.IndexFunc(needs, func(n *isms.CompetenceNeed) bool {
			return n.RefreshMonths > 0 && n.WheelActivityID != nil && n.WheelActivityTitle != ""
		})
		if refresher < 0 {
			t.Error("no need is refreshed through the wheel")
		}
		have, err := db.Competences(reader, d.Org.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		uploaded := 0
		for _, c := range have {
			if c.EvidenceID == nil {
				continue
			}
			doc, err := db.Document(d.As(isms.RoleCoordinator), d.Org.ID, *c.EvidenceID)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Kind != isms.DocCompetenceRecords || doc.Published == nil {
				continue
			}
			content, err := db.DocumentContent(d.As(isms.RoleCoordinator), d.Org.ID, doc.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(content.Body)
			content.Body.Close()
			if content.MediaType != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-1.4")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
				t.Errorf("evidence file %s: %s, %d bytes", content.FileName, content.MediaType, len(b))
			}
			uploaded++
		}
		if uploaded != 1 {
			t.Errorf("%d uploaded evidence files, want 1", uploaded)
		}
		m, err := db.CompetenceMatrix(reader, d.Org.ID)
		if err != nil || len(m.Roles) == 0 || len(m.NoNeeds) != 0 || len(m.Gaps) != 1 || len(m.Functions) != 1 {
			t.Fatalf("matrix %+v %v", m, err)
		}
	})
}
