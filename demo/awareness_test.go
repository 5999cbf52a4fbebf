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

// The demo municipality's behaviour policy and awareness programme answer
// checklist questions 4.5 and 4.7 yes from the records, with the
// activities the participation demo looks up by title, two phishing
// exercises with results and acknowledgements of the policy.
func TestFillAnswersTheAwarenessQuestions(t *testing.T) {
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
			case "4.5", "4.7":
				if a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) == 0 {
					t.Errorf("question %s: %s from %s, reasons %v", a.QuestionID, a.Status, a.Source, a.Reasons)
				}
			}
		}
		acts, err := db.AwarenessActivities(reader, d.Org.ID, isms.AwarenessActivityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byTitle := map[string]*isms.AwarenessActivity{}
		years := map[int]bool{}
		for _, a := range acts {
			byTitle[a.Title] = a
			years[a.StartsOn.Year()] = true
		}
		for _, title := range []string{demo.AwarenessELearning, demo.AwarenessPhishingSpring, demo.AwarenessPhishingAutumn, demo.AwarenessIntroduction} {
			if byTitle[title] == nil {
				t.Errorf("no activity %q", title)
			}
		}
		if el := byTitle[demo.AwarenessELearning]; el != nil && (len(el.Themes) != 4 || el.Target != isms.TargetAllStaff || el.WheelActivityID == nil) {
			t.Errorf("e-learning %+v", el)
		}
		for _, title := range []string{demo.AwarenessPhishingSpring, demo.AwarenessPhishingAutumn} {
			if a := byTitle[title]; a != nil && (a.ExerciseSent == nil || a.ExerciseClicked == nil || a.ExerciseReported == nil || a.HeldOn == nil) {
				t.Errorf("%s without its result: %+v", title, a)
			}
		}
		if !years[d.Today.Year()] || !years[d.Today.Year()-1] {
			t.Errorf("programme years %v", years)
		}
		st, err := db.AcknowledgementStatus(reader, d.Org.ID)
		if err != nil || !st.Wanted || !st.Link.Active || st.Total == 0 || st.PublishedVersion != 1 {
			t.Fatalf("acknowledgements %+v %v", st, err)
		}
		// Every acknowledgement names its unit, and every unit has some.
		for _, u := range st.Units {
			if u.UnitID == 0 || u.Count == 0 {
				t.Errorf("acknowledgements of unit %+v", u)
			}
		}
	})
}
