package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/sqlstore"
)

var rimpIncTables = []string{"incidents", "incident_timeline", "register_import_uploads"}

// The incident log made by LibreOffice: the rows that read right become
// triaged incidents detected when the file says (Danish time), marked on
// their timeline as imported from the file; the others are refused by row
// and column; the same file again changes nothing, and an incident changed
// in the log is updated back with a new timeline entry.
func TestImportIncidentLog(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "imp")
		db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		s := rimpSheet(t, isms.ImportIncidents, "haendelseslog.xlsx")
		refused := []string{"6 refused inc.err.lessons_required@lessons", "7 refused rimp.err.inc_status_triage@status",
			"8 refused rimp.err.detected@detected", "9 refused rimp.err.duplicate_row@title", "10 refused inc.err.future@detected",
			"11 refused rimp.err.inc_category@category"}
		var pv *isms.RegisterImportPreview
		leadUnchanged(t, db, f.org.ID, rimpIncTables, func() (err error) {
			pv, err = db.PreviewRegisterSheet(ctx, f.org.ID, s)
			return err
		}, func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		})
		rimpWant(t, pv, append([]string{"3 created", "4 created", "5 created"}, refused...)...)
		if pv.Rows[0].Detail != "2025-03-12 14:30" {
			t.Fatalf("detected %q", pv.Rows[0].Detail)
		}
		// Only those who triage import incidents; another organisation
		// does not find this one.
		for _, u := range []*isms.User{f.contrib, f.reader} {
			leadUnchanged(t, db, f.org.ID, rimpIncTables, func() error {
				_, err := db.ImportRegisterSheet(as(u), f.org.ID, s, "")
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		other := newLeadFixture(t, db.DB, "imp-other")
		leadUnchanged(t, db, f.org.ID, rimpIncTables, func() error {
			_, err := db.StageRegisterImport(as(other.coord), f.org.ID, s)
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })

		events := auditCount(t, db.DB, f.org.ID)
		done, err := db.ImportRegisterSheet(ctx, f.org.ID, s, pv.PreviewSHA256)
		if err != nil {
			t.Fatal(err)
		}
		// 3 incidents, 3 timeline entries and the import.
		if n := auditCount(t, db.DB, f.org.ID) - events; n != 7 {
			t.Fatalf("%d audit events", n)
		}
		phish, err := db.Incident(ctx, f.org.ID, *done.Rows[0].RecordID)
		if err != nil {
			t.Fatal(err)
		}
		if phish.Status != isms.IncidentClosed || phish.Category != "phishing" || phish.Severity != 3 || phish.PersonalData ||
			!phish.DetectedAt.Equal(time.Date(2025, 3, 12, 13, 30, 0, 0, time.UTC)) || phish.TriagedBy == nil || *phish.TriagedBy != f.coord.ID ||
			phish.OwnerID == nil || *phish.OwnerID != f.coord.ID || phish.Lessons != "Træning i at genkende falske fakturaer" {
			t.Fatalf("phishing incident %+v", phish)
		}
		laptop, _ := db.Incident(ctx, f.org.ID, *done.Rows[1].RecordID)
		outage, _ := db.Incident(ctx, f.org.ID, *done.Rows[2].RecordID)
		if laptop.Category != "device_loss" || laptop.Severity != 2 || !laptop.PersonalData || laptop.Status != isms.IncidentResolved ||
			!laptop.DetectedAt.Equal(time.Date(2025, 4, 1, 22, 0, 0, 0, time.UTC)) {
			t.Fatalf("laptop %+v", laptop)
		}
		if outage.Severity != 4 || !outage.NIS2Significant || outage.Status != isms.IncidentInvestigating || outage.OwnerID != nil {
			t.Fatalf("outage %+v", outage)
		}
		tl, err := db.IncidentTimeline(ctx, f.org.ID, phish.ID)
		if err != nil || len(tl) != 1 || !strings.Contains(tl[0].Text, "«haendelseslog.xlsx», række 3") {
			t.Fatalf("timeline %+v %v", tl, err)
		}
		// Imported incidents are triaged: none awaits triage.
		if _, n, _ := db.Incidents(ctx, f.org.ID, isms.IncidentFilter{Status: isms.IncidentReported}); n != 0 {
			t.Fatalf("%d events awaiting triage", n)
		}

		// Again: nothing changes.
		again, err := db.ImportRegisterSheet(ctx, f.org.ID, s, "")
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, again, append([]string{"3 skipped", "4 skipped", "5 skipped"}, refused...)...)
		if n := db.int(t, "SELECT COUNT(*) FROM incidents"); n != 3 {
			t.Fatalf("%d incidents", n)
		}
		// Changed in the log, then the file is imported again.
		in := isms.IncidentInput{Title: outage.Title, Description: outage.Description, DetectedAt: isms.InstantOf(outage.DetectedAt),
			Status: isms.IncidentContained, Category: outage.Category, Severity: 3, NIS2Significant: true, Version: outage.Version}
		if _, err := db.UpdateIncident(ctx, f.org.ID, outage.ID, in); err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportRegisterSheet(ctx, f.org.ID, s, "")
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Rows[2]; r.Outcome != isms.OutcomeUpdated || strings.Join(r.Changes, ",") != "severity,status" {
			t.Fatalf("changed incident's row %+v", r)
		}
		if tl, _ := db.IncidentTimeline(ctx, f.org.ID, outage.ID); len(tl) != 2 || !strings.HasPrefix(tl[1].Text, "Opdateret fra filen") {
			t.Fatalf("timeline after the update %+v", tl)
		}

		// The Windows-1252 log, the time in its own column.
		res, err = db.ImportRegisterSheet(ctx, f.org.ID, rimpSheet(t, isms.ImportIncidents, "haendelseslog-1252.csv"), "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 1 {
			t.Fatalf("1252 log %v", rimpOutcomes(res))
		}
		virus, _ := db.Incident(ctx, f.org.ID, *res.Rows[0].RecordID)
		if virus.Title != "Virus på skolens PC'er" || !virus.DetectedAt.Equal(time.Date(2025, 2, 3, 8, 45, 0, 0, time.UTC)) || virus.Severity != 2 {
			t.Fatalf("virus %+v", virus)
		}
	})
}

// A row that matches an event still awaiting triage is refused, not
// triaged behind the coordinator's back; a custom severity scale is read
// by its names; the kinds of dates a log holds are all read.
func TestImportIncidentLogRules(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "imp")
		db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		if _, err := db.ReportEvent(as(f.reader), f.org.ID, isms.IncidentEventInput{Title: "Mistænkelig USB-nøgle",
			DetectedAt: isms.InstantOf(time.Date(2026, 2, 10, 7, 0, 0, 0, time.UTC))}); err != nil {
			t.Fatal(err)
		}
		settings, _ := db.IncidentSettings(ctx, f.org.ID)
		settings.Severities = []string{"Gul", "Orange", "Rød"}
		if _, err := db.UpdateIncidentSettings(ctx, f.org.ID, *settings); err != nil {
			t.Fatal(err)
		}
		csv := "Titel;Opdaget;Kategori;Alvorlighed\n" +
			"mistænkelig usb-nøgle;10-02-2026 12:00;Fysisk;Gul\n" +
			"ISO-tid;2026-01-05T10:00:00Z;other;Rød\n" +
			"Punktum;5.1.2026 kl. 10.00;andet;2\n" +
			"Excel;46027,5;andet;orange\n" +
			"For højt;06-01-2026;andet;4\n" +
			"Nul\x00tegn;07-01-2026;andet;1\n"
		s, err := export.ReadIncidents("log.csv", []byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		pv, err := db.PreviewRegisterSheet(ctx, f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, pv, "2 refused rimp.err.inc_not_triaged@title", "3 created", "4 created", "5 refused rimp.err.detected@detected",
			"6 refused rimp.err.inc_severity@severity", "7 refused err.nul_character@title")
		if pv.Rows[1].Detail != "2026-01-05 11:00" || pv.Rows[2].Detail != "2026-01-05 10:00" {
			t.Fatalf("details %q %q", pv.Rows[1].Detail, pv.Rows[2].Detail)
		}
	})
}

// Two people import the same incident log at once, from one or two
// instances: each incident is created once, with one timeline mark.
func TestConcurrentIncidentImportsCreateOnce(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "imp")
		raw.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
		for _, db := range in.dbs {
			db.Now = raw.Now
		}
		s := rimpSheet(t, isms.ImportIncidents, "haendelseslog.xlsx")
		results := make([]*isms.RegisterImportPreview, 6)
		errs := together(in, 6, func(i int, db *sqlstore.DB) (err error) {
			results[i], err = db.ImportRegisterSheet(as(f.coord), f.org.ID, s, "")
			return err
		})
		created := 0
		for i, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
			created += results[i].Created
		}
		if created != 3 || raw.int(t, "SELECT COUNT(*) FROM incidents") != 3 || raw.int(t, "SELECT COUNT(*) FROM incident_timeline") != 3 {
			t.Fatalf("created %d", created)
		}
		wantIntactChain(t, raw.DB)
	})
}
