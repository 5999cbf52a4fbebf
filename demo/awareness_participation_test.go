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

// The demo municipality's units and a year's participation answer
// checklist question 4.6 yes from the records, and the effect page has two
// phishing exercises and scores to draw.
func TestFillAnswersTheReachQuestion(t *testing.T) {
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
		found := false
		for _, a := range answers {
			if a.QuestionID == "4.6" {
				found = true
				if a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) == 0 {
					t.Errorf("question 4.6: %s from %s, reasons %v", a.Status, a.Source, a.Reasons)
				}
			}
		}
		if !found {
			t.Fatal("no answer to 4.6")
		}
		r, err := db.AwarenessReach(reader, d.Org.ID)
		if err != nil || r.TotalStaff < 200 || len(r.Units) != 6 {
			t.Fatalf("reach %+v %v", r, err)
		}
		for _, u := range r.Units {
			for _, c := range u.Cells[:len(isms.GuideThemes)] {
				if !c.Met {
					t.Errorf("%s: %s at %d %%", u.Unit.Name, c.Theme, c.Percent)
				}
			}
		}
		e, err := db.AwarenessEffect(reader, d.Org.ID)
		if err != nil || len(e.Exercises) != 2 || len(e.Scores) < 3 || e.Exercises[0].ClickRate <= e.Exercises[1].ClickRate {
			t.Fatalf("effect %+v %v", e, err)
		}
	})
}
