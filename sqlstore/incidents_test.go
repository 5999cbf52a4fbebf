package sqlstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

var incTables = []string{"incidents", "incident_links", "incident_timeline", "incident_reports", "incident_settings"}

func tp(t time.Time) *isms.Instant { return isms.InstantOf(t) }

func TestIncidentsReportTriageAndClocks(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Haendelser")
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		detected := now.Add(-2 * time.Hour)
		event := isms.IncidentEventInput{Title: "Mistænkelig mail med link", Description: "Flere har fået den samme mail",
			DetectedAt: tp(detected), Location: "Borgerservice", ReporterContact: "lokal 1234"}

		// Bad input is refused by field, nothing written.
		for _, c := range []struct {
			name       string
			change     func(in *isms.IncidentEventInput)
			field, key string
		}{
			{"no title", func(in *isms.IncidentEventInput) { in.Title = " " }, "title", "err.required"},
			{"no detection time", func(in *isms.IncidentEventInput) { in.DetectedAt = nil }, "detected_at", "err.required"},
			{"detected in the future", func(in *isms.IncidentEventInput) { in.DetectedAt = tp(now.Add(time.Hour)) }, "detected_at", "inc.err.future"},
		} {
			in := event
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, incTables, func() error {
				_, err := db.ReportEvent(as(f.reader), f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}

		// A reader reports; a reader, contributor or management does not
		// triage.
		ev, err := db.ReportEvent(as(f.reader), f.org.ID, event)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Status != isms.IncidentReported || ev.ReportedByName != f.reader.Name || !ev.DetectedAt.Equal(detected) {
			t.Fatalf("reported %+v", ev)
		}
		triage := isms.IncidentTriageInput{Incident: true, Category: "phishing", Severity: 3, OwnerID: &f.coord.ID, PersonalData: true,
			NIS2Significant: true, Version: ev.Version}
		for _, u := range []*isms.User{f.reader, f.contrib, f.mgmt, f.auditor} {
			leadUnchanged(t, db, f.org.ID, incTables, func() error {
				_, err := db.TriageIncident(as(u), f.org.ID, ev.ID, triage)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		for _, c := range []struct {
			name       string
			change     func(in *isms.IncidentTriageInput)
			field, key string
		}{
			{"bad category", func(in *isms.IncidentTriageInput) { in.Category = "ufo" }, "category", "err.choice"},
			{"severity off the scale", func(in *isms.IncidentTriageInput) { in.Severity = 5 }, "severity", "err.choice"},
			{"no severity", func(in *isms.IncidentTriageInput) { in.Severity = 0 }, "severity", "err.choice"},
			{"owner not a member", func(in *isms.IncidentTriageInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
			{"not an incident without reason", func(in *isms.IncidentTriageInput) { in.Incident = false }, "reason", "err.required"},
		} {
			in := triage
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, incTables, func() error {
				_, err := db.TriageIncident(as(f.coord), f.org.ID, ev.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		inc, err := db.TriageIncident(as(f.coord), f.org.ID, ev.ID, triage)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Status != isms.IncidentTriaged || inc.Category != "phishing" || inc.Severity != 3 || inc.TriagedByName != f.coord.Name {
			t.Fatalf("triaged %+v", inc)
		}

		// NIS2 does not apply until the organisation says so: only the
		// GDPR clock runs.
		settings, err := db.IncidentSettings(as(f.reader), f.org.ID)
		if err != nil || settings.NIS2Applies || !settings.GDPRApplies || settings.Levels() != 4 {
			t.Fatal(settings, err)
		}
		if clocks := isms.IncidentClocks(inc, *settings, inc.Reports, now); len(clocks) != 1 || clocks[0].Regime != isms.RegimeGDPR {
			t.Fatalf("clocks %+v", clocks)
		}
		settings.NIS2Applies = true
		if settings, err = db.UpdateIncidentSettings(as(f.coord), f.org.ID, *settings); err != nil {
			t.Fatal(err)
		}
		if clocks := isms.IncidentClocks(inc, *settings, inc.Reports, now); len(clocks) != 4 {
			t.Fatalf("clocks %+v", clocks)
		}

		// A report stops its clock; a report of an unknown kind, before
		// detection or without recipient is refused.
		for _, c := range []struct {
			name       string
			in         isms.IncidentReportInput
			field, key string
		}{
			{"unknown regime", isms.IncidentReportInput{Regime: "dora", Kind: "notification", SentAt: tp(now), Recipient: "X"}, "regime", "err.choice"},
			{"GDPR early warning", isms.IncidentReportInput{Regime: "gdpr", Kind: "early_warning", SentAt: tp(now), Recipient: "X"}, "kind", "err.choice"},
			{"before detection", isms.IncidentReportInput{Regime: "gdpr", Kind: "notification", SentAt: tp(detected.Add(-time.Hour)), Recipient: "X"}, "sent_at", "inc.err.before_detection"},
			{"no recipient", isms.IncidentReportInput{Regime: "gdpr", Kind: "notification", SentAt: tp(now)}, "recipient", "err.required"},
		} {
			leadUnchanged(t, db, f.org.ID, incTables, func() error {
				_, err := db.AddIncidentReport(as(f.coord), f.org.ID, inc.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		if _, err := db.AddIncidentReport(as(f.coord), f.org.ID, inc.ID, isms.IncidentReportInput{Regime: "gdpr", Kind: "notification",
			SentAt: tp(now), Recipient: "Datatilsynet", Content: "Anmeldelse 2026-123"}); err != nil {
			t.Fatal(err)
		}
		if inc, err = db.Incident(as(f.reader), f.org.ID, inc.ID); err != nil || len(inc.Reports) != 1 {
			t.Fatal(inc, err)
		}
		for _, c := range isms.IncidentClocks(inc, *settings, inc.Reports, now) {
			if want := c.Regime == isms.RegimeGDPR; (c.State == isms.ClockMet) != want {
				t.Errorf("clock %s/%s %s", c.Regime, c.Kind, c.State)
			}
		}

		// A day later the NIS2 early warning is overdue.
		now = now.Add(24 * time.Hour)
		if list, n, err := db.Incidents(as(f.reader), f.org.ID, isms.IncidentFilter{Overdue: true}); err != nil || n != 1 || list[0].ID != inc.ID {
			t.Fatalf("overdue: %d %v", n, err)
		}
		if _, err := db.AddIncidentReport(as(f.coord), f.org.ID, inc.ID, isms.IncidentReportInput{Regime: "nis2", Kind: "early_warning",
			SentAt: tp(now), Recipient: "CFCS"}); err != nil {
			t.Fatal(err)
		}
		if _, n, err := db.Incidents(as(f.reader), f.org.ID, isms.IncidentFilter{Overdue: true}); err != nil || n != 0 {
			t.Fatalf("overdue after the report: %d %v", n, err)
		}

		// Timeline, then closing needs the lessons learned.
		if _, err := db.AddIncidentTimeline(as(f.reader), f.org.ID, inc.ID, isms.IncidentTimelineInput{At: tp(now), Text: "x"}); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader added to timeline: %v", err)
		}
		if _, err := db.AddIncidentTimeline(as(f.coord), f.org.ID, inc.ID, isms.IncidentTimelineInput{At: tp(detected), Text: "Mail blokeret i filteret", Actor: "IT-drift"}); err != nil {
			t.Fatal(err)
		}
		if tl, err := db.IncidentTimeline(as(f.reader), f.org.ID, inc.ID); err != nil || len(tl) != 1 || tl[0].Actor != "IT-drift" {
			t.Fatal(tl, err)
		}
		if inc, err = db.Incident(as(f.coord), f.org.ID, inc.ID); err != nil {
			t.Fatal(err)
		}
		upd := isms.IncidentInput{Title: inc.Title, DetectedAt: tp(inc.DetectedAt), Status: isms.IncidentClosed, Category: inc.Category, Severity: 2,
			OwnerID: inc.OwnerID, PersonalData: true, NIS2Significant: true, Nonconformity: true, EntryIDs: []int64{f.system.ID}, Version: inc.Version}
		leadUnchanged(t, db, f.org.ID, incTables, func() error {
			_, err := db.UpdateIncident(as(f.coord), f.org.ID, inc.ID, upd)
			return err
		}, func(err error) { leadWantField(t, err, "lessons_learned", "inc.err.lessons_required") })
		bad := upd
		bad.Lessons, bad.AssetIDs = "x", []int64{999999}
		leadUnchanged(t, db, f.org.ID, incTables, func() error {
			_, err := db.UpdateIncident(as(f.coord), f.org.ID, inc.ID, bad)
			return err
		}, func(err error) { leadWantField(t, err, "asset_ids", "err.unknown_reference") })
		upd.Lessons = "Træn medarbejderne i at genkende phishing"
		closed, err := db.UpdateIncident(as(f.coord), f.org.ID, inc.ID, upd)
		if err != nil {
			t.Fatal(err)
		}
		if closed.Status != isms.IncidentClosed || !closed.Nonconformity || len(closed.Affected) != 1 || closed.Affected[0].Name != "ESDH" {
			t.Fatalf("closed %+v", closed)
		}
		// Stale versions are refused; an incident is not deleted.
		_, err = db.UpdateIncident(as(f.coord), f.org.ID, inc.ID, upd)
		wantCode(t, err, isms.EConflict)
		wantCode(t, db.DeleteIncident(as(f.coord), f.org.ID, inc.ID, closed.Version), isms.EInvalid)

		// The scale can be renamed but not cut below a severity in use.
		_, err = db.UpdateIncidentSettings(as(f.coord), f.org.ID, isms.IncidentSettings{NIS2Applies: true, GDPRApplies: true, Severities: []string{"Lav"}, Version: settings.Version})
		leadWantField(t, err, "severities", "inc.err.severities")
		if s, err := db.UpdateIncidentSettings(as(f.coord), f.org.ID, isms.IncidentSettings{NIS2Applies: true, GDPRApplies: true,
			Severities: []string{"Lav", "Betydelig"}, Version: settings.Version}); err != nil || s.Levels() != 2 {
			t.Fatal(s, err)
		}

		// Not an incident: the reason is kept, and such an event may be
		// deleted by the coordinator only.
		other, err := db.ReportEvent(as(f.contrib), f.org.ID, event)
		if err != nil {
			t.Fatal(err)
		}
		not, err := db.TriageIncident(as(f.coord), f.org.ID, other.ID, isms.IncidentTriageInput{Reason: "Almindelig reklame", Version: other.Version})
		if err != nil || not.Status != isms.IncidentNotIncident || not.NotIncidentReason != "Almindelig reklame" {
			t.Fatal(not, err)
		}
		_, err = db.AddIncidentReport(as(f.coord), f.org.ID, other.ID, isms.IncidentReportInput{Regime: "gdpr", Kind: "notification", SentAt: tp(now), Recipient: "X"})
		wantCode(t, err, isms.EInvalid)
		wantCode(t, db.DeleteIncident(as(f.reader), f.org.ID, other.ID, not.Version), isms.EForbidden)
		if err := db.DeleteIncident(as(f.coord), f.org.ID, other.ID, not.Version); err != nil {
			t.Fatal(err)
		}
		if _, n, err := db.Incidents(as(f.reader), f.org.ID, isms.IncidentFilter{}); err != nil || n != 1 {
			t.Fatalf("%d incidents left, %v", n, err)
		}
		if _, n, _ := db.Incidents(as(f.reader), f.org.ID, isms.IncidentFilter{Open: true}); n != 0 {
			t.Fatalf("%d open", n)
		}
	})
}

func TestIncidentsOtherOrganisation(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "HaendAdgang")
		other := newLeadFixture(t, db.DB, "HaendAndre")
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		ev, err := db.ReportEvent(as(f.reader), f.org.ID, isms.IncidentEventInput{Title: "Tabt telefon", DetectedAt: tp(now)})
		if err != nil {
			t.Fatal(err)
		}
		leadUnchanged(t, db, f.org.ID, incTables, func() error {
			_, err := db.ReportEvent(as(other.coord), f.org.ID, isms.IncidentEventInput{Title: "x", DetectedAt: tp(now)})
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		if _, err := db.Incident(as(other.coord), f.org.ID, ev.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("read: %v", err)
		}
		if _, err := db.Incident(as(other.coord), other.org.ID, ev.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("read through the other organisation: %v", err)
		}
		if _, _, err := db.Incidents(as(other.coord), f.org.ID, isms.IncidentFilter{}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("list: %v", err)
		}
		if _, err := db.TriageIncident(as(other.coord), f.org.ID, ev.ID, isms.IncidentTriageInput{Reason: "x", Version: ev.Version}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("triage: %v", err)
		}
		if _, err := db.TriageIncident(as(other.coord), other.org.ID, ev.ID, isms.IncidentTriageInput{Reason: "x", Version: ev.Version}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("triage through the other organisation: %v", err)
		}
		if _, err := db.AddIncidentTimeline(as(other.coord), other.org.ID, ev.ID, isms.IncidentTimelineInput{At: tp(now), Text: "x"}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("timeline: %v", err)
		}
		if err := db.DeleteIncident(as(other.coord), other.org.ID, ev.ID, ev.Version); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("delete: %v", err)
		}
	})
}

// Two coordinators triaging the same event at once: one wins, the other is
// told the event changed, and the event is triaged once.
func TestIncidentTriageConcurrent(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "HaendSamtidig")
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		ev, err := db.ReportEvent(as(f.reader), f.org.ID, isms.IncidentEventInput{Title: "Nedbrud", DetectedAt: tp(now)})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for k, u := range []*isms.User{f.coord, f.admin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[k] = db.TriageIncident(as(u), f.org.ID, ev.ID, isms.IncidentTriageInput{Incident: true, Category: "outage", Severity: 2, Version: ev.Version})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if c := isms.ErrorCode(err); c != isms.EConflict && c != isms.EInvalid {
				t.Errorf("loser: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d triages succeeded: %v", ok, errs)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE record_type = 'incident' AND action = 'triage'"); n != 1 {
			t.Fatalf("%d triage events", n)
		}
	})
}
