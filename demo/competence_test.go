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

// The demo municipality's competence records answer checklist questions
// 4.2–4.4 yes: every security role has its needs, a holder of each role
// meets each of them, and the one holder's gap has a development plan.
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
			}
		}
		m, err := db.CompetenceMatrix(reader, d.Org.ID)
		if err != nil || len(m.Roles) == 0 || len(m.NoNeeds) != 0 || len(m.Gaps) != 1 || len(m.Functions) != 1 {
			t.Fatalf("matrix %+v %v", m, err)
		}
	})
}
