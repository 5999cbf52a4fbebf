package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var measTables = []string{"indicators", "indicator_values", "indicator_breaches", "monitoring_guidelines", "nonconformities"}

// indInput is a complete indicator measured by hand: higher is better,
// target 95 %, warning at 90, breach at 80.
func indInput(owner *int64) isms.IndicatorInput {
	return isms.IndicatorInput{Title: "Kritiske opdateringer installeret til tiden", Definition: "Andel af kritiske opdateringer installeret inden 14 dage",
		Method: "Udtræk fra patchværktøjet", Unit: "%", Direction: isms.HigherIsBetter, Target: fp(95), Warning: fp(90), Breach: fp(80),
		Frequency: isms.MeasureMonthly, OwnerID: owner, Evaluates: isms.EvaluatesControl, Control: "8.8", Active: true}
}

func TestIndicatorValidationAndAccess(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Maaling")
		other := newLeadFixture(t, db.DB, "Andenmaaling")
		ctx := as(f.coord)
		db.Now = func() time.Time { return time.Date(2026, 4, 15, 9, 0, 0, 0, time.UTC) }
		good := indInput(&f.contrib.ID)
		for _, c := range []struct {
			name       string
			change     func(in *isms.IndicatorInput)
			field, key string
		}{
			{"no title", func(in *isms.IndicatorInput) { in.Title = " " }, "title", "err.required"},
			{"no unit", func(in *isms.IndicatorInput) { in.Unit = "" }, "unit", "err.required"},
			{"bad direction", func(in *isms.IndicatorInput) { in.Direction = "sideways" }, "direction", "err.choice"},
			{"bad frequency", func(in *isms.IndicatorInput) { in.Frequency = "hourly" }, "frequency", "err.choice"},
			{"no target", func(in *isms.IndicatorInput) { in.Target = nil }, "target", "err.required"},
			{"no thresholds", func(in *isms.IndicatorInput) { in.Warning, in.Breach = nil, nil }, "breach", "meas.err.threshold_required"},
			{"warning on the good side", func(in *isms.IndicatorInput) { in.Warning = fp(97) }, "warning", "meas.err.warning_order"},
			{"breach above warning", func(in *isms.IndicatorInput) { in.Breach = fp(92) }, "breach", "meas.err.breach_order"},
			{"lower is better, thresholds below target", func(in *isms.IndicatorInput) { in.Direction = isms.LowerIsBetter }, "warning", "meas.err.warning_order"},
			{"active without owner", func(in *isms.IndicatorInput) { in.OwnerID = nil }, "owner_id", "meas.err.owner_required"},
			{"owner not a member", func(in *isms.IndicatorInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
			{"unknown control", func(in *isms.IndicatorInput) { in.Control = "9.99" }, "control", "nc.err.control"},
			{"objective missing", func(in *isms.IndicatorInput) { in.Evaluates = isms.EvaluatesObjective }, "objective_id", "meas.err.objective_required"},
			{"unknown computation", func(in *isms.IndicatorInput) { in.Computation = "weather" }, "computation", "err.choice"},
			{"not a number", func(in *isms.IndicatorInput) { in.Target = fp(1e13) }, "target", "obj.err.number"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, measTables, func() error {
				_, err := db.CreateIndicator(ctx, f.org.ID, in)
				return err
			}, func(err error) {
				t.Helper()
				if isms.ErrorCode(err) != isms.EInvalid {
					t.Fatalf("%s: %v", c.name, err)
				}
				leadWantField(t, err, c.field, c.key)
			})
		}
		ind, err := db.CreateIndicator(ctx, f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if ind.Source != isms.SourceHand || ind.OwnerName != f.contrib.Name || *ind.Target != 95 || ind.Control != "8.8" || !ind.Active {
			t.Fatalf("new indicator %+v", ind)
		}
		// A reader, an auditor and management may read but not add; a
		// contributor adds only what they own; another organisation's
		// coordinator sees nothing.
		for _, u := range []*isms.User{f.reader, f.auditor, f.mgmt} {
			leadUnchanged(t, db, f.org.ID, measTables, func() error {
				_, err := db.CreateIndicator(as(u), f.org.ID, good)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
			if _, err := db.Indicator(as(u), f.org.ID, ind.ID); err != nil {
				t.Fatal(err)
			}
		}
		mine := good
		mine.OwnerID = &f.coord.ID
		leadUnchanged(t, db, f.org.ID, measTables, func() error {
			_, err := db.CreateIndicator(as(f.contrib), f.org.ID, mine)
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		if _, err := db.Indicator(as(other.coord), f.org.ID, ind.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation's coordinator read the indicator: %v", err)
		}
		if _, err := db.Indicator(as(other.coord), other.org.ID, ind.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("the indicator read through another organisation: %v", err)
		}
		if _, err := db.AddIndicatorValue(as(other.coord), other.org.ID, ind.ID, isms.IndicatorValueInput{MeasuredOn: dp("2026-04-01"), Value: fp(1)}); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("a value through another organisation: %v", err)
		}
		// A stale version is refused.
		upd := good
		upd.Title, upd.Version = "Opdateringer", ind.Version+1
		leadUnchanged(t, db, f.org.ID, measTables, func() error {
			_, err := db.UpdateIndicator(ctx, f.org.ID, ind.ID, upd)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		upd.Version = ind.Version
		if ind, err = db.UpdateIndicator(as(f.contrib), f.org.ID, ind.ID, upd); err != nil || ind.Title != "Opdateringer" || ind.Version != 2 {
			t.Fatal(ind, err)
		}
		// The guideline: what, how, analysed when, reported to whom.
		forum, err := db.CreateForum(ctx, f.org.ID, isms.ForumInput{Name: "Sikkerhedsudvalget", Mandate: "Følger op"})
		if err != nil {
			t.Fatal(err)
		}
		gin := isms.MonitoringGuidelineInput{Scope: "Kontroller og mål", Methods: "Udtræk og beregning", Analysis: "Kvartalsvis af koordinatoren",
			ForumID: &forum.ID, ReportMonths: 3}
		for _, c := range []struct {
			change     func(in *isms.MonitoringGuidelineInput)
			field, key string
		}{
			{func(in *isms.MonitoringGuidelineInput) { in.Methods = "" }, "methods", "err.required"},
			{func(in *isms.MonitoringGuidelineInput) { in.ForumID = nil }, "forum_id", "meas.err.audience_required"},
			{func(in *isms.MonitoringGuidelineInput) { x := other.system.ID + 1000; in.ForumID = &x }, "forum_id", "err.unknown_reference"},
			{func(in *isms.MonitoringGuidelineInput) { in.ReportMonths = 13 }, "report_months", "meas.err.report_months"},
		} {
			in := gin
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, measTables, func() error {
				_, err := db.SaveMonitoringGuideline(ctx, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		leadUnchanged(t, db, f.org.ID, measTables, func() error {
			_, err := db.SaveMonitoringGuideline(as(f.contrib), f.org.ID, gin)
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		g, err := db.SaveMonitoringGuideline(ctx, f.org.ID, gin)
		if err != nil || !g.Documented() || g.ForumName != "Sikkerhedsudvalget" || g.Version != 1 {
			t.Fatal(g, err)
		}
		if _, err := db.SaveMonitoringGuideline(ctx, f.org.ID, gin); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("a second first version: %v", err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND record_type = 'monitoring_guideline'", f.org.ID); n != 1 {
			t.Fatalf("%d guideline events", n)
		}
	})
}

func TestIndicatorValuesBreachesAndResponses(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Brud")
		ctx := as(f.coord)
		db.Now = func() time.Time { return time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC) }
		ind, err := db.CreateIndicator(ctx, f.org.ID, indInput(&f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		add := func(u *isms.User, day string, v float64) (*isms.IndicatorValue, error) {
			return db.AddIndicatorValue(as(u), f.org.ID, ind.ID, isms.IndicatorValueInput{MeasuredOn: dp(day), Value: fp(v)})
		}
		if _, err := add(f.reader, "2026-01-31", 96); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("a reader recorded a value: %v", err)
		}
		for _, c := range []struct {
			day   string
			value float64
			level isms.IndicatorLevel
		}{{"2026-01-31", 96, isms.LevelOK}, {"2026-02-27", 85, isms.LevelWarning}, {"2026-02-28", 70, isms.LevelBreach}, {"2026-03-31", 90, isms.LevelWarning}} {
			v, err := add(f.contrib, c.day, c.value)
			if err != nil || v.Level != c.level {
				t.Fatalf("%s: %+v %v", c.day, v, err)
			}
		}
		leadUnchanged(t, db, f.org.ID, measTables, func() error { _, err := add(f.contrib, "2026-03-31", 99); return err },
			func(err error) { leadWantField(t, err, "measured_on", "meas.err.day_taken") })
		leadUnchanged(t, db, f.org.ID, measTables, func() error { _, err := add(f.contrib, "2026-05-01", 99); return err },
			func(err error) { leadWantField(t, err, "measured_on", "obj.err.future") })
		// February's warning was raised to a breach by the worse value; one
		// breach per period.
		bs, n, err := db.IndicatorBreaches(ctx, f.org.ID, isms.BreachFilter{})
		if err != nil || n != 2 {
			t.Fatalf("%d breaches %v", n, err)
		}
		if bs[0].Period != "2026-03" || bs[0].Level != isms.LevelWarning || bs[1].Period != "2026-02" || bs[1].Level != isms.LevelBreach ||
			bs[1].Value != 70 || bs[1].Threshold != 80 || bs[1].OwnerName != f.contrib.Name {
			t.Fatalf("breaches %+v %+v", bs[0], bs[1])
		}
		// An import is all or nothing, and its errors name the row.
		imp := isms.IndicatorValueImport{Rows: []isms.IndicatorValueInput{{MeasuredOn: dp("2025-11-30"), Value: fp(97)}, {MeasuredOn: dp("2025-12-31")}}}
		leadUnchanged(t, db, f.org.ID, measTables, func() error { _, err := db.ImportIndicatorValues(ctx, f.org.ID, ind.ID, imp); return err },
			func(err error) { leadWantField(t, err, "rows.2.value", "err.required") })
		imp.Rows[1].Value = fp(98)
		imp.Rows = append(imp.Rows, isms.IndicatorValueInput{MeasuredOn: dp("2025-11-30"), Value: fp(97)})
		leadUnchanged(t, db, f.org.ID, measTables, func() error { _, err := db.ImportIndicatorValues(ctx, f.org.ID, ind.ID, imp); return err },
			func(err error) { leadWantField(t, err, "rows.3.measured_on", "meas.err.import_dup") })
		imp.Rows = imp.Rows[:2]
		if res, err := db.ImportIndicatorValues(ctx, f.org.ID, ind.ID, imp); err != nil || res.Recorded != 2 {
			t.Fatal(res, err)
		}
		vals, err := db.IndicatorValues(ctx, f.org.ID, ind.ID)
		if err != nil || len(vals) != 6 || vals[0].MeasuredOn.String() != "2025-11-30" || vals[0].Source != "import" {
			t.Fatalf("values %v %v", len(vals), err)
		}

		open, err := db.OpenMeasurementBreaches(ctx, f.org.ID)
		if err != nil || len(open) != 2 || open[0].Period != "2026-02" || open[0].OwnerID == nil || *open[0].OwnerID != f.contrib.ID {
			t.Fatalf("open breaches %+v %v", open, err)
		}
		feb := open[0]
		// Only who may edit the indicator answers, with the version read.
		leadUnchanged(t, db, f.org.ID, measTables, func() error {
			_, err := db.BreachNonconformity(as(f.reader), f.org.ID, feb.ID, feb.Version)
			return err
		},
			func(err error) { wantCode(t, err, isms.EForbidden) })
		leadUnchanged(t, db, f.org.ID, measTables, func() error { _, err := db.BreachNonconformity(ctx, f.org.ID, feb.ID, feb.Version+1); return err },
			func(err error) { wantCode(t, err, isms.EConflict) })
		nc, err := db.BreachNonconformity(as(f.contrib), f.org.ID, feb.ID, feb.Version)
		if err != nil {
			t.Fatal(err)
		}
		if nc.Source != isms.NCSourceMeasurement || nc.RequirementKind != isms.NCReqControl || nc.Requirement != "8.8" || nc.DetectedOn.String() != "2026-02-28" ||
			nc.OwnerID == nil || *nc.OwnerID != f.contrib.ID {
			t.Fatalf("nonconformity %+v", nc)
		}
		leadUnchanged(t, db, f.org.ID, measTables, func() error { _, err := db.BreachNonconformity(ctx, f.org.ID, feb.ID, feb.Version+1); return err },
			func(err error) { wantCode(t, err, isms.EConflict) })
		mar := open[1]
		leadUnchanged(t, db, f.org.ID, measTables, func() error {
			_, err := db.HandleBreach(ctx, f.org.ID, mar.ID, isms.BreachHandling{Note: " ", Version: mar.Version})
			return err
		}, func(err error) { leadWantField(t, err, "note", "err.required") })
		h, err := db.HandleBreach(ctx, f.org.ID, mar.ID, isms.BreachHandling{Note: "Målefejl i udtrækket", Version: mar.Version})
		if err != nil || h.Open() || h.HandledByName != f.coord.Name {
			t.Fatal(h, err)
		}
		if open, _ := db.OpenMeasurementBreaches(ctx, f.org.ID); len(open) != 0 {
			t.Fatalf("open after answers: %+v", open)
		}
		bs, _, _ = db.IndicatorBreaches(ctx, f.org.ID, isms.BreachFilter{IndicatorID: ind.ID})
		if bs[1].NonconformityID == nil || *bs[1].NonconformityID != nc.ID || bs[1].NonconformityTitle != nc.Title {
			t.Fatalf("breach not linked to its nonconformity: %+v", bs[1])
		}
		// Deleting the indicator keeps the nonconformity.
		if err := db.DeleteIndicator(ctx, f.org.ID, ind.ID, ind.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Nonconformity(ctx, f.org.ID, nc.ID); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM indicator_breaches"); n != 0 {
			t.Fatalf("%d breaches left", n)
		}
	})
}

// A computed indicator follows the records it reads: documents past their
// review date are counted, and the count crossing the threshold records a
// breach; the daily task does the day's work once.
func TestComputedIndicatorFollowsTheRecords(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Beregning")
		ctx := as(f.coord)
		now := time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		in := isms.IndicatorInput{Title: "Dokumenter over gennemgang", Computation: "documents_overdue", Unit: "dokumenter", Direction: isms.LowerIsBetter,
			Target: fp(0), Warning: fp(1), Breach: fp(2), Frequency: isms.MeasureMonthly, OwnerID: &f.coord.ID, Evaluates: isms.EvaluatesProcess,
			Process: "Dokumentstyring", Active: true}
		ind, err := db.CreateIndicator(ctx, f.org.ID, in)
		if err != nil || ind.Source != isms.SourceComputed {
			t.Fatal(ind, err)
		}
		if _, err := db.AddIndicatorValue(ctx, f.org.ID, ind.ID, isms.IndicatorValueInput{MeasuredOn: dp("2026-05-01"), Value: fp(0)}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("a computed indicator took a value by hand: %v", err)
		}
		if _, err := db.ComputeIndicators(as(f.contrib), f.org.ID); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("a contributor computed: %v", err)
		}
		latest := func() (float64, int) {
			t.Helper()
			got, err := db.Indicator(ctx, f.org.ID, ind.ID)
			if err != nil || got.Latest == nil {
				t.Fatal(got, err)
			}
			return *got.Latest, got.OpenBreaches
		}
		if res, err := db.ComputeIndicators(ctx, f.org.ID); err != nil || res.Computed != 1 {
			t.Fatal(res, err)
		}
		if v, b := latest(); v != 0 || b != 0 {
			t.Fatalf("value %v, %d breaches with no document overdue", v, b)
		}
		for _, title := range []string{"Adgangspolitik", "Backupprocedure"} {
			if _, err := db.CreateDocument(ctx, f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: title, NextReview: dp("2026-05-09")}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ComputeIndicators(ctx, f.org.ID); err != nil {
			t.Fatal(err)
		}
		if v, b := latest(); v != 2 || b != 1 {
			t.Fatalf("value %v, %d breaches with two documents overdue", v, b)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM indicator_values WHERE indicator_id = ?", ind.ID); n != 1 {
			t.Fatalf("%d values of one day", n)
		}
		// The next day the daily task computes once; a second run finds
		// the day done.
		now = now.AddDate(0, 0, 1)
		if n, err := db.ComputeIndicatorsDaily(context.Background()); err != nil || n != 1 {
			t.Fatal(n, err)
		}
		if n, err := db.ComputeIndicatorsDaily(context.Background()); err != nil || n != 0 {
			t.Fatal(n, err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM indicator_breaches WHERE indicator_id = ?", ind.ID); n != 1 {
			t.Fatalf("%d breaches in one month", n)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND actor_name = 'system' AND record_type = 'indicator_value'", f.org.ID); n != 1 {
			t.Fatalf("%d system events", n)
		}
	})
}

// Rule 7.1 reads the guideline, the indicators' schedule and the status
// reports: no, partly naming what is missing, yes, and partly again when a
// measurement falls behind.
func TestRuleMeasurementPlan(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Egenevaluering")
		ctx := as(f.coord)
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		answer := func() *isms.ChecklistAnswer {
			t.Helper()
			as, err := db.Checklist(ctx, f.org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				if a.QuestionID == "7.1" {
					if a.Source != isms.SourceRecords {
						t.Fatalf("7.1 answered by %s", a.Source)
					}
					return a
				}
			}
			t.Fatal("no answer to 7.1")
			return nil
		}
		hasReason := func(a *isms.ChecklistAnswer, key string) bool {
			for _, r := range a.Reasons {
				if r.Key == key {
					return true
				}
			}
			return false
		}
		if a := answer(); a.Status != isms.AnswerNo || !hasReason(a, "reason.meas_none") {
			t.Fatalf("empty: %+v", a)
		}
		if _, err := db.SaveMonitoringGuideline(ctx, f.org.ID, isms.MonitoringGuidelineInput{Scope: "Kontroller", Methods: "Udtræk",
			Analysis: "Kvartalsvis", ReportTo: "Direktionen", ReportMonths: 6}); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.meas_no_indicators") || !hasReason(a, "reason.meas_not_reported") {
			t.Fatalf("guideline only: %+v", a)
		}
		ind, err := db.CreateIndicator(ctx, f.org.ID, indInput(&f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.meas_never") {
			t.Fatalf("never measured: %+v", a)
		}
		if _, err := db.AddIndicatorValue(ctx, f.org.ID, ind.ID, isms.IndicatorValueInput{MeasuredOn: dp("2026-02-28"), Value: fp(96)}); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || hasReason(a, "reason.meas_never") || !hasReason(a, "reason.meas_not_reported") {
			t.Fatalf("measured, not reported: %+v", a)
		}
		r, err := db.PresentStatusReport(ctx, f.org.ID, isms.StatusReportInput{Title: "Status marts", PresentedOn: dp("2026-03-10"), PresentedTo: "Direktionen"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Content.Indicators) != 1 || r.Content.Indicators[0].Level != isms.LevelOK || r.Content.Indicators[0].Latest != "96 %" {
			t.Fatalf("report's indicators %+v", r.Content.Indicators)
		}
		if a := answer(); a.Status != isms.AnswerYes {
			t.Fatalf("reported: %+v", a)
		}
		// Two months on, February's value is the last: March has passed
		// unmeasured, and the schedule is missed.
		now = time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC)
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.meas_late") {
			t.Fatalf("late: %+v", a)
		}
		if _, err := db.AddIndicatorValue(ctx, f.org.ID, ind.ID, isms.IndicatorValueInput{MeasuredOn: dp("2026-04-30"), Value: fp(93)}); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerYes {
			t.Fatalf("measured again: %+v", a)
		}
		// The report grows older than the guideline's six months.
		now = time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC)
		if _, err := db.ImportIndicatorValues(ctx, f.org.ID, ind.ID, isms.IndicatorValueImport{Rows: []isms.IndicatorValueInput{
			{MeasuredOn: dp("2026-05-31"), Value: fp(95)}, {MeasuredOn: dp("2026-06-30"), Value: fp(95)}, {MeasuredOn: dp("2026-07-31"), Value: fp(95)},
			{MeasuredOn: dp("2026-08-31"), Value: fp(95)}}}); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.meas_report_stale") {
			t.Fatalf("stale report: %+v", a)
		}
	})
}

// Two writers computing the same day at once, from one or two instances,
// store one value and one breach.
func TestConcurrentIndicatorComputationStoresOneValue(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "Samtidig")
		ctx := as(f.coord)
		ind, err := raw.CreateIndicator(ctx, f.org.ID, isms.IndicatorInput{Title: "Risici uden håndtering", Computation: "documents_overdue",
			Unit: "stk", Direction: isms.LowerIsBetter, Target: fp(0), Breach: fp(1), Frequency: isms.MeasureMonthly, OwnerID: &f.coord.ID,
			Evaluates: isms.EvaluatesProcess, Process: "Dokumentstyring", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.CreateDocument(ctx, f.org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Gammel", NextReview: dp("2020-01-01")}); err != nil {
			t.Fatal(err)
		}
		const writers = 8
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			if i%2 == 0 {
				_, err := db.ComputeIndicatorsDaily(context.Background())
				return err
			}
			_, err := db.ComputeIndicators(ctx, f.org.ID)
			return err
		})
		if got := outcomes(errs); got[""] != writers {
			t.Fatalf("outcomes %v", got)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM indicator_values WHERE indicator_id = ?", ind.ID); n != 1 {
			t.Fatalf("%d values of one day", n)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM indicator_breaches WHERE indicator_id = ?", ind.ID); n != 1 {
			t.Fatalf("%d breaches", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// Every computation runs in the daily task, which acts for no user; one
// with nothing to measure (no staff for awareness reach, no annual-wheel
// activity due) stores no value rather than a false 0 %.
func TestEveryComputationRunsDaily(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Alleberegninger")
		ctx := as(f.coord)
		db.Now = func() time.Time { return time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC) }
		ids := map[string]int64{}
		for _, tp := range isms.IndicatorTemplates {
			if tp.Computation == "" {
				continue
			}
			ind, err := db.CreateIndicator(ctx, f.org.ID, isms.IndicatorInput{Title: tp.Key, Computation: tp.Computation, Unit: tp.Unit,
				Direction: tp.Direction, Target: fp(tp.Target), Warning: fp(tp.Warning), Breach: fp(tp.Breach), Frequency: tp.Frequency,
				OwnerID: &f.coord.ID, Evaluates: isms.EvaluatesProcess, Process: "ISMS", Active: true})
			if err != nil {
				t.Fatal(tp.Key, err)
			}
			ids[tp.Computation] = ind.ID
		}
		if len(ids) != len(isms.Computations) {
			t.Fatalf("%d computed templates, %d computations", len(ids), len(isms.Computations))
		}
		n, err := db.ComputeIndicatorsDaily(context.Background())
		if err != nil || n != 4 {
			t.Fatalf("%d computed, %v", n, err)
		}
		for key, want := range map[string]float64{"critical_assessed": 0, "documents_overdue": 0, "risks_untreated": 0, "nonconformities_late": 0} {
			ind, err := db.Indicator(ctx, f.org.ID, ids[key])
			if err != nil || ind.Latest == nil || *ind.Latest != want {
				t.Errorf("%s: %+v %v", key, ind.Latest, err)
			}
		}
		for _, key := range []string{"awareness_reach", "wheel_on_time"} {
			if ind, _ := db.Indicator(ctx, f.org.ID, ids[key]); ind.Latest != nil {
				t.Errorf("%s measured %v with nothing to measure", key, *ind.Latest)
			}
		}
		// No business-critical entry is assessed: 0 % is past the breach
		// threshold of 75 %.
		if ind, _ := db.Indicator(ctx, f.org.ID, ids["critical_assessed"]); ind.OpenBreaches != 1 {
			t.Errorf("critical assets: %d open breaches", ind.OpenBreaches)
		}
	})
}
