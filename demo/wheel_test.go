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

// The demo's annual wheel answers checklist questions 2.1 and 2.2 from the
// records, has a year of history and an approved year plan.
func TestFillAnswersTheWheelQuestions(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		answers, err := db.Checklist(d.As(isms.RoleReader), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			if a.QuestionID != "2.1" && a.QuestionID != "2.2" {
				continue
			}
			if a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) != len(isms.ManagementTopics) {
				t.Errorf("question %s: %s from %s with %d evidence (%v)", a.QuestionID, a.Status, a.Source, len(a.Evidence), a.Reasons)
			}
		}
		// The wheel alone covers every topic, with a completed occurrence
		// in the past twelve months and a planned one in the coming twelve
		// (other elements report topics too; the wheel does not lean on them).
		yearAgo, yearAhead := d.Today.AddDays(-365), d.Today.AddDays(365)
		recent, _, err := db.WheelOccurrences(d.As(isms.RoleReader), d.Org.ID, isms.OccurrenceFilter{From: &yearAgo, To: &yearAhead, Limit: 2000})
		if err != nil {
			t.Fatal(err)
		}
		doneTopics, plannedTopics := map[string]bool{}, map[string]bool{}
		for _, o := range recent {
			for _, tp := range o.Topics {
				if o.Status == isms.OccDone && o.CompletedOn != nil && !o.CompletedOn.Before(yearAgo) {
					doneTopics[tp] = true
				}
				if o.Status.Open() && !o.DueDate.Before(d.Today) {
					plannedTopics[tp] = true
				}
			}
		}
		for _, tp := range isms.ManagementTopics {
			if !doneTopics[tp] || !plannedTopics[tp] {
				t.Errorf("topic %s: done in the wheel %v, planned %v", tp, doneTopics[tp], plannedTopics[tp])
			}
		}
		acts, n, err := db.WheelActivities(d.As(isms.RoleReader), d.Org.ID, isms.ActivityFilter{})
		if err != nil || n < 7 {
			t.Fatalf("%d activities, %v", n, err)
		}
		for _, a := range acts {
			if a.OwnerID == nil || a.RecordText == "" || a.Serves == "" || len(a.Topics) == 0 || a.Description == "" {
				t.Errorf("activity %q is incomplete: %+v", a.Title, a)
			}
		}
		occ, _, err := db.WheelOccurrences(d.As(isms.RoleReader), d.Org.ID, isms.OccurrenceFilter{Limit: 2000})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, o := range occ {
			count[o.DisplayStatus()]++
			if o.Status == isms.OccDone && (o.Result == "" || o.CompletedOn == nil || d.Today.Before(*o.CompletedOn) || o.EvidencePath == "") {
				t.Errorf("done occurrence without its record: %+v", o)
			}
		}
		if count["done"] < 15 || count["skipped"] != 1 || count["planned"] < 15 {
			t.Errorf("occurrences by status: %v", count)
		}
		plan, err := db.YearPlan(d.As(isms.RoleReader), d.Org.ID, d.Today.Year())
		if err != nil {
			t.Fatal(err)
		}
		if plan.Approved == nil || plan.Approved.ApprovedBy == nil || *plan.Approved.ApprovedBy != d.Users[isms.RoleManagement].ID || plan.ChangedSinceApproval {
			t.Fatalf("year plan: %+v", plan)
		}
		if _, breaks, err := db.VerifyAudit(context.Background()); err != nil || len(breaks) > 0 {
			t.Fatalf("audit: %v %v", breaks, err)
		}
	})
}
