package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/ismsdk/isms/metrics"
	"github.com/ismsdk/isms/sqlstore"
)

// Daily work of serve: things that must happen once a day whether or not
// anyone opens a page. Each task is idempotent and cheap when today's work
// is done, and safe when several instances share a PostgreSQL database (the
// store serialises them), so serve runs them all at start and then every
// hour: the first run of a new day does the day's work, the others find it
// done.

// dailyTask is one piece of daily work; it acts for no user.
type dailyTask struct {
	name string
	run  func(ctx context.Context, store *sqlstore.DB) error
}

var dailyTasks = []dailyTask{
	// The annual wheel: this year and the next laid out in every
	// organisation, so a new year is complete for readers, who may not lay
	// out a year themselves.
	{"wheel years", func(ctx context.Context, store *sqlstore.DB) error { return store.LayOutWheelYears(ctx) }},
	// The checklist: every question's answer of the day in every
	// organisation, for the progress chart and each question's path,
	// whether or not anyone opens the checklist.
	{"checklist snapshots", func(ctx context.Context, store *sqlstore.DB) error {
		_, err := store.TakeChecklistSnapshots(ctx)
		return err
	}},
	// The register of documented information: the rows a new version of
	// the guide's lists adds, in every organisation.
	{"documentation register", func(ctx context.Context, store *sqlstore.DB) error {
		_, err := store.FillDocumentationRequirements(ctx)
		return err
	}},
	// The measurement programme: today's value of every computed
	// indicator in every organisation, and the breaches they make, with
	// no one typing them (guide 2.9, clause 9.1).
	{"computed indicators", func(ctx context.Context, store *sqlstore.DB) error {
		_, err := store.ComputeIndicatorsDaily(ctx)
		return err
	}},
	// The asset register: business-critical entries an older version left
	// for the register's first reading to adopt, adopted now.
	{"asset register", func(ctx context.Context, store *sqlstore.DB) error {
		_, err := store.AdoptAssets(ctx)
		return err
	}},
}

// dailyCheck is how often serve looks whether a new day has begun.
const dailyCheck = time.Hour

// runDaily runs every daily task now and then every interval until ctx
// ends. A task that fails is logged and tried again at the next interval.
func runDaily(ctx context.Context, store *sqlstore.DB, log *slog.Logger, interval time.Duration, m *metrics.Metrics) {
	repeat(ctx, interval, func() { runDailyTasks(ctx, store, log, m) })
}

// repeat runs work now and then every interval until ctx ends: the shape
// of serve's background loops (daily work, reminders, notifications).
func repeat(ctx context.Context, interval time.Duration, work func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		work()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runDailyTasks(ctx context.Context, store *sqlstore.DB, log *slog.Logger, m *metrics.Metrics) {
	for _, task := range dailyTasks {
		start := time.Now()
		err := task.run(ctx, store)
		if ctx.Err() != nil {
			return // serve stops: neither a run nor a failure
		}
		m.JobRun(task.job(), start, err)
		if err != nil {
			log.Error("daily task", "task", task.name, "err", err)
		}
	}
}

// job is the task's name in the metrics: "daily_checklist_snapshots".
func (t dailyTask) job() string { return "daily_" + strings.ReplaceAll(t.name, " ", "_") }

// jobNames are the background jobs serve counts in its metrics.
func jobNames() []string {
	names := []string{"reminders", "notifications"}
	for _, t := range dailyTasks {
		names = append(names, t.job())
	}
	return names
}
