package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// TestServeTakesTheDailyWork runs serve's background jobs once, as serve
// starts them, and finds the day's work done without any page being
// opened: the checklist's snapshot of every question in every
// organisation, and the annual wheel's next year laid out.
func TestServeTakesTheDailyWork(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		op := operator(context.Background())
		if _, err := db.CreateUser(op, "admin@daily.example", "Admin", "a long enough password", true); err != nil {
			t.Fatal(err)
		}
		org, err := db.CreateOrganisation(op, isms.OrganisationInput{Name: "Dagligt"})
		if err != nil {
			t.Fatal(err)
		}
		// An activity made last year laid out last year and this one; the
		// new year's next is not laid out until the daily work does it.
		lastYear := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return lastYear }
		start := isms.MonthDay(2026, 9, 1)
		if _, err := db.CreateWheelActivity(op, org.ID, isms.ActivityInput{Title: "Ledelsens evaluering", RecordText: "Referat",
			Recurrence: isms.RecurYearly, StartDate: &start}); err != nil {
			t.Fatal(err)
		}
		now := lastYear.AddDate(1, 0, 0)
		db.Now = func() time.Time { return now }
		today := isms.DateOf(now)

		// One pass: a last task ends the jobs' context once every daily
		// task has run, so the loop returns instead of waiting a day.
		ctx, cancel := context.WithCancel(context.Background())
		saved := dailyTasks
		dailyTasks = append(append([]dailyTask(nil), saved...), dailyTask{"stop", func(context.Context, *sqlstore.DB) error { cancel(); return nil }})
		t.Cleanup(func() { dailyTasks = saved })
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var o serveOptions
		m := metrics.New()
		for _, job := range o.backgroundJobs(m) {
			job(ctx, db, log)
		}
		if ctx.Err() == nil {
			t.Fatal("the daily tasks did not run")
		}
		// Each task's run shows in the metrics with its success.
		fams := gather(t, m)
		for _, task := range saved {
			if runs, failures := value(fams, "isms_job_runs_total", task.job()), value(fams, "isms_job_failures_total", task.job()); runs != 1 || failures != 0 {
				t.Errorf("%s: %v runs, %v failures; want 1 and 0", task.job(), runs, failures)
			}
			if last := value(fams, "isms_job_last_success_timestamp_seconds", task.job()); last <= 0 {
				t.Errorf("%s: no last success", task.job())
			}
		}

		admin := isms.WithActor(context.Background(), &isms.Actor{Name: "test", SiteAdmin: true})
		days, err := db.ChecklistAnswerHistory(admin, org.ID, today)
		if err != nil || len(days) != len(catalog.Checklist) {
			t.Fatalf("today's snapshot: %d answers, %v; want %d", len(days), err, len(catalog.Checklist))
		}
		occ, _, err := db.WheelOccurrences(admin, org.ID, isms.OccurrenceFilter{Year: 2028})
		if err != nil || len(occ) != 1 {
			t.Errorf("2028: %d occurrences, %v; want the one laid out by the daily work", len(occ), err)
		}
	})
}
