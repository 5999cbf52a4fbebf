package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// pathOn returns the snapshot's answers of one day by question.
func pathOn(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64, day isms.Date) map[string]isms.ChecklistDayAnswer {
	t.Helper()
	all, err := db.ChecklistAnswerHistory(as(u), orgID, day)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]isms.ChecklistDayAnswer{}
	for _, a := range all {
		if a.Day == day {
			out[a.QuestionID] = a
		}
	}
	return out
}

// TestChecklistSnapshotTakenWithoutPageView: the daily snapshot stores
// every question's answer and source, with nobody opening the checklist;
// a second run on the same day changes nothing; when the records change,
// the next day's snapshot has the new answers, the earlier days keep theirs,
// and the progress chart counts them.
func TestChecklistSnapshotTakenWithoutPageView(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		day1 := isms.DateOf(now)
		firstAccount(t, db)
		org := mustOrg(t, db, "Snapshots")
		coord := mustUser(t, db, "coordinator@snapshots.example")
		mustMember(t, db, org, coord, isms.RoleCoordinator)

		if h, err := db.ChecklistHistory(as(coord), org.ID); err != nil || len(h) != 0 {
			t.Fatalf("history before any snapshot: %v %v", h, err)
		}
		// The job, not a page view: nothing has read the checklist.
		n, err := db.TakeChecklistSnapshots(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("first run: %d organisations, %v; want 1", n, err)
		}
		got := pathOn(t, db, coord, org.ID, day1)
		if len(got) != len(catalog.Checklist) {
			t.Fatalf("day 1: %d answers, want %d", len(got), len(catalog.Checklist))
		}
		answers, err := db.Checklist(as(coord), org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			if s := got[a.QuestionID]; s.Status != a.Status || s.Source != a.Source {
				t.Errorf("day 1, %s: snapshot %s/%s, checklist %s/%s", a.QuestionID, s.Status, s.Source, a.Status, a.Source)
			}
		}
		if got["1.1"].Status != isms.AnswerNo || got["1.1"].Source != isms.SourceRecords {
			t.Errorf("day 1: 1.1 %+v", got["1.1"])
		}
		if n, err := db.TakeChecklistSnapshots(context.Background()); err != nil || n != 0 {
			t.Fatalf("second run on day 1: %d, %v; want 0", n, err)
		}

		// The records change: the organisation states its purpose.
		o, _ := db.Organisation(as(coord), org.ID)
		if _, err := db.UpdateOrganisation(as(coord), org.ID, isms.OrganisationInput{Name: o.Name, Purpose: "Service to the citizens", Version: o.Version}); err != nil {
			t.Fatal(err)
		}
		// Today's snapshot is the day's and stays as it was taken.
		if n, err := db.TakeChecklistSnapshots(context.Background()); err != nil || n != 0 {
			t.Fatalf("run after the change on day 1: %d, %v; want 0", n, err)
		}
		if s := pathOn(t, db, coord, org.ID, day1)["1.1"]; s.Status != isms.AnswerNo {
			t.Errorf("day 1's 1.1 became %s", s.Status)
		}

		now = now.AddDate(0, 0, 1)
		day2 := isms.DateOf(now)
		if n, err := db.TakeChecklistSnapshots(context.Background()); err != nil || n != 1 {
			t.Fatalf("run on day 2: %d, %v; want 1", n, err)
		}
		d1, d2 := pathOn(t, db, coord, org.ID, day1), pathOn(t, db, coord, org.ID, day2)
		if d2["1.1"].Status != isms.AnswerPartly || d1["1.1"].Status != isms.AnswerNo {
			t.Errorf("1.1: day 1 %s, day 2 %s; want no, then partly", d1["1.1"].Status, d2["1.1"].Status)
		}
		changed := 0
		for q := range d2 {
			if d1[q].Status != d2[q].Status {
				changed++
			}
		}
		if changed != 1 {
			t.Errorf("%d questions changed from day 1 to day 2, want 1 (1.1)", changed)
		}
		// The questions' paths come in the checklist's order, day by day.
		all, err := db.ChecklistAnswerHistory(as(coord), org.ID, day1)
		if err != nil || len(all) != 2*len(catalog.Checklist) || all[0].QuestionID != catalog.Checklist[0].ID ||
			all[0].Day != day1 || all[1].Day != day2 || all[1].QuestionID != catalog.Checklist[0].ID {
			t.Fatalf("paths: %d answers, first %+v %+v, %v", len(all), all[0], all[1], err)
		}

		// The chart's tallies are counted from the snapshots.
		h, err := db.ChecklistHistory(as(coord), org.ID)
		if err != nil || len(h) != 2 || h[0].Day != day1 || h[1].Day != day2 {
			t.Fatalf("history %+v %v", h, err)
		}
		for i, d := range []map[string]isms.ChecklistDayAnswer{d1, d2} {
			var want isms.ChecklistSnapshot
			for _, a := range d {
				switch a.Status {
				case isms.AnswerYes:
					want.Yes++
				case isms.AnswerPartly:
					want.Partly++
				case isms.AnswerNo:
					want.No++
				default:
					want.Unanswered++
				}
			}
			want.Day = h[i].Day
			if h[i] != want {
				t.Errorf("day %d: tally %+v, want %+v", i+1, h[i], want)
			}
		}
		if h[1].Partly != h[0].Partly+1 || h[1].No != h[0].No-1 {
			t.Errorf("tallies %+v then %+v: want one more partly and one fewer no", h[0], h[1])
		}

		// Only those who read the organisation read its paths.
		stranger := mustUser(t, db, "stranger@snapshots.example")
		if _, err := db.ChecklistAnswerHistory(as(stranger), org.ID, day1); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("a stranger reads the paths: %v", err)
		}
	})
}

// TestChecklistSnapshotRunsInParallel: several instances' daily jobs, on
// two handles of one database, take the day's snapshot once: one row per
// organisation, question and day, and exactly one run reports it taken.
func TestChecklistSnapshotRunsInParallel(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		a, b := openDSN(t, dsn), openDSN(t, dsn)
		now := time.Date(2026, 3, 2, 0, 5, 0, 0, time.UTC)
		a.Now = func() time.Time { return now }
		b.Now = a.Now
		admin := firstAccount(t, a)
		orgs := []*isms.Organisation{mustOrg(t, a, "Parallel A"), mustOrg(t, a, "Parallel B")}
		var wg sync.WaitGroup
		taken := make([]int, 6)
		errs := make([]error, 6)
		start := make(chan struct{})
		for i := range taken {
			db := a
			if i%2 == 1 {
				db = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				taken[i], errs[i] = db.TakeChecklistSnapshots(context.Background())
			}()
		}
		close(start)
		wg.Wait()
		total := 0
		for i := range taken {
			if errs[i] != nil {
				t.Errorf("run %d: %v", i, errs[i])
			}
			total += taken[i]
		}
		if total != len(orgs) {
			t.Errorf("the runs report %d snapshots taken, want %d (one per organisation)", total, len(orgs))
		}
		for _, o := range orgs {
			all, err := a.ChecklistAnswerHistory(as(admin), o.ID, isms.DateOf(now).AddDays(-1))
			if err != nil {
				t.Fatal(err)
			}
			per := map[string]int{}
			for _, x := range all {
				per[x.QuestionID+" "+x.Day.String()]++
			}
			if len(all) != len(catalog.Checklist) || len(per) != len(catalog.Checklist) {
				t.Errorf("%s: %d rows for %d question-days, want %d of each", o.Name, len(all), len(per), len(catalog.Checklist))
			}
		}
	})
}
