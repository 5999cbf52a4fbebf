package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var partTables = []string{"awareness_participations", "awareness_imports", "org_units", "awareness_import_uploads"}

// partFixture is an organisation with two units and activities on the
// guide's themes.
type partFixture struct {
	*leadFixture
	units map[string]*isms.OrgUnit
	acts  map[string]*isms.AwarenessActivity
}

func newPartFixture(t *testing.T, db *sqlstore.DB, name string) *partFixture {
	t.Helper()
	f := &partFixture{leadFixture: newLeadFixture(t, db, name), units: map[string]*isms.OrgUnit{}, acts: map[string]*isms.AwarenessActivity{}}
	ctx := as(f.coord)
	for _, u := range []struct {
		name  string
		staff int
	}{{"Borgerservice", 4}, {"Teknik og Miljø", 6}} {
		unit, err := db.CreateOrgUnit(ctx, f.org.ID, isms.OrgUnitInput{Name: u.name, StaffCount: u.staff})
		if err != nil {
			t.Fatal(err)
		}
		f.units[u.name] = unit
	}
	start := mustDate("2026-01-10")
	for _, a := range []struct {
		title   string
		themes  []string
		channel isms.AwarenessChannel
	}{
		{"E-læring for alle", isms.GuideThemes, isms.ChannelELearning},
		{"Quiz om phishing", []string{isms.ThemePhishing}, isms.ChannelQuiz},
		{"Hændelser", []string{isms.ThemeIncidentReporting}, isms.ChannelMeeting},
	} {
		act, err := db.CreateAwarenessActivity(ctx, f.org.ID, isms.AwarenessActivityInput{Title: a.title, Themes: a.themes, Channel: a.channel,
			Target: isms.TargetAllStaff, StartsOn: &start})
		if err != nil {
			t.Fatal(err)
		}
		f.acts[a.title] = act
	}
	return f
}

func partSheet(rows ...map[string]string) *isms.ParticipationSheet {
	s := &isms.ParticipationSheet{Filename: "lms.csv", SHA256: strings.Repeat("a", 64)}
	fields := map[string]bool{}
	for i, r := range rows {
		s.Rows = append(s.Rows, isms.SheetRow{Row: i + 2, Cells: r})
		for k := range r {
			fields[k] = true
		}
	}
	for _, f := range isms.ParticipationSheetFields {
		if fields[f] {
			s.Columns = append(s.Columns, isms.SheetColumn{Field: f, Header: f})
		}
	}
	return s
}

func TestOrgUnits(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newPartFixture(t, db.DB, "Enheder")
		ctx := as(f.coord)
		bs := f.units["Borgerservice"]
		for _, c := range []struct {
			name       string
			in         isms.OrgUnitInput
			field, key string
		}{
			{"no name", isms.OrgUnitInput{Name: "  "}, "name", "err.required"},
			{"same name as compared", isms.OrgUnitInput{Name: " borgerSERVICE ", StaffCount: 3}, "name", "awp.err.unit_exists"},
			{"negative staff", isms.OrgUnitInput{Name: "IT", StaffCount: -1}, "staff_count", "awp.err.staff_count"},
		} {
			leadUnchanged(t, db, f.org.ID, partTables, func() error {
				_, err := db.CreateOrgUnit(ctx, f.org.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// Only those who may edit the whole ISMS keep the units; the
		// units of another organisation are not found.
		for _, u := range []*isms.User{f.contrib, f.reader, f.auditor, f.mgmt} {
			_, err := db.CreateOrgUnit(as(u), f.org.ID, isms.OrgUnitInput{Name: "IT", StaffCount: 2})
			wantCode(t, err, isms.EForbidden)
		}
		other := newLeadFixture(t, db.DB, "Andre")
		if _, err := db.OrgUnit(as(other.coord), f.org.ID, bs.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("cross-organisation read: %v", err)
		}
		if _, err := db.OrgUnit(as(other.coord), other.org.ID, bs.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation's unit by id: %v", err)
		}
		wantCode(t, db.DeleteOrgUnit(as(other.coord), other.org.ID, bs.ID, bs.Version), isms.ENotFound)

		u, err := db.UpdateOrgUnit(ctx, f.org.ID, bs.ID, isms.OrgUnitInput{Name: "Borgerservice og Ydelse", StaffCount: 5, Version: bs.Version})
		if err != nil || u.StaffCount != 5 || u.Version != 2 {
			t.Fatal(u, err)
		}
		_, err = db.UpdateOrgUnit(ctx, f.org.ID, bs.ID, isms.OrgUnitInput{Name: "X", StaffCount: 5, Version: bs.Version})
		wantCode(t, err, isms.EConflict)
		_, err = db.UpdateOrgUnit(ctx, f.org.ID, bs.ID, isms.OrgUnitInput{Name: "teknik og miljø", StaffCount: 5, Version: u.Version})
		leadWantField(t, err, "name", "awp.err.unit_exists")

		// A unit that participation names cannot be deleted.
		day := mustDate("2026-02-01")
		p, err := db.CreateParticipation(ctx, f.org.ID, isms.ParticipationInput{ActivityID: f.acts["E-læring for alle"].ID, Name: "Anna",
			UnitID: &bs.ID, TakenOn: &day})
		if err != nil {
			t.Fatal(err)
		}
		err = db.DeleteOrgUnit(ctx, f.org.ID, bs.ID, u.Version)
		if e := isms.AsError(err); e == nil || e.Code != isms.EConflict || e.Key != "awp.err.unit_in_use" {
			t.Fatalf("delete of a unit in use: %v", err)
		}
		if err := db.DeleteParticipation(ctx, f.org.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteOrgUnit(ctx, f.org.ID, bs.ID, u.Version); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND record_type = 'org_unit'", f.org.ID); n < 4 {
			t.Fatalf("%d audit events for units", n)
		}
	})
}

// Two writers creating the same unit at once: one succeeds, the other is
// told the name is taken.
func TestOrgUnitNameConcurrent(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "Samtidig")
		names := []string{"Ældre og Sundhed", "ældre og  sundhed", "ÆLDRE OG SUNDHED", "Ældre og sundhed"}
		errs := together(in, 8, func(i int, db *sqlstore.DB) error {
			_, err := db.CreateOrgUnit(as(f.coord), f.org.ID, isms.OrgUnitInput{Name: names[i%len(names)], StaffCount: 10})
			return err
		})
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case isms.ErrorCode(err) == isms.EConflict && isms.AsError(err).Key == "err.busy":
			default:
				if leadFieldKey(err, "name") != "awp.err.unit_exists" {
					t.Fatalf("unexpected error %v", err)
				}
			}
		}
		if ok != 1 || raw.int(t, "SELECT COUNT(*) FROM org_units WHERE organisation_id = ?", f.org.ID) != 1 {
			t.Fatalf("%d created, outcomes %v", ok, outcomes(errs))
		}
		wantIntactChain(t, raw.DB)
	})
}

func TestParticipationImport(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newPartFixture(t, db.DB, "Import")
		ctx := as(f.coord)
		db.Now = func() time.Time { return time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC) }
		el := "e-læring  FOR alle"
		sheet := partSheet(
			map[string]string{"name": "Anna Jensen", "email": "Anna@x.dk", "unit": "borgerservice", "activity": el, "date": "02-03-2026", "score": "0,92"},
			map[string]string{"name": "Bo Hansen", "unit": "Teknik og Miljø", "activity": "Quiz om phishing", "date": "46083", "score": "85 %"},
			map[string]string{"name": "Erik", "unit": "Ukendt", "activity": el, "date": "2026-03-01"},
			map[string]string{"name": "Frida", "activity": "Findes ikke", "date": "2026-03-01"},
			map[string]string{"name": "Gustav", "activity": el, "date": "31-02-2026"},
			map[string]string{"name": "Hanne", "activity": el, "date": "2026-04-01"},
			map[string]string{"name": "Ib", "activity": el, "date": "2026-03-01", "score": "130"},
			map[string]string{"unit": "Borgerservice", "activity": el, "date": "2026-03-01"},
			map[string]string{"name": "Jens", "email": "jens(at)x", "activity": el, "date": "2026-03-01"},
			map[string]string{"name": "Anna J.", "email": "anna@x.dk", "activity": el, "date": "2.3.2026"},
			map[string]string{"name": "Karl", "activity": el, "date": "2026-03-01", "score": "mange"},
		)
		want := map[int]string{4: "awp.err.unknown_unit", 5: "awp.err.unknown_activity", 6: "awp.err.bad_date", 7: "awp.err.future_date",
			8: "awp.err.score_range", 9: "awp.err.no_person", 10: "awp.err.bad_email", 11: "awp.err.duplicate_row", 12: "awp.err.bad_score"}
		pv, err := db.StageParticipation(ctx, f.org.ID, sheet, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]string{}
		for _, p := range pv.Problems {
			got[p.Row] = p.Message.Key
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || pv.New != 2 || pv.Existing != 0 {
			t.Fatalf("problems %v, want %v; new %d", got, want, pv.New)
		}
		if r := pv.Rows[0]; *r.Score != 92 || r.UnitID == nil || *r.UnitID != f.units["Borgerservice"].ID || r.TakenOn.String() != "2026-03-02" {
			t.Fatalf("first row %+v", r)
		}
		if r := pv.Rows[1]; *r.Score != 85 || r.TakenOn.String() != "2026-03-02" {
			t.Fatalf("second row %+v", r)
		}
		// Nothing is stored before the confirmation; others may not
		// look at or confirm the upload.
		if n := db.int(t, "SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ?", f.org.ID); n != 0 {
			t.Fatalf("%d stored by the preview", n)
		}
		for _, u := range []*isms.User{f.contrib, f.reader, f.mgmt} {
			_, err := db.ImportStagedParticipation(as(u), f.org.ID, sheet.SHA256)
			wantCode(t, err, isms.EForbidden)
		}
		other := newLeadFixture(t, db.DB, "Fremmed")
		_, err = db.ImportStagedParticipation(as(other.coord), other.org.ID, sheet.SHA256)
		wantCode(t, err, isms.ENotFound)

		res, err := db.ImportStagedParticipation(ctx, f.org.ID, sheet.SHA256)
		if err != nil || !res.Imported || res.New != 2 {
			t.Fatal(res, err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ? AND import_id = ?", f.org.ID, *res.ImportID); n != 2 {
			t.Fatalf("%d stored", n)
		}
		if n := db.int(t, "SELECT row_count FROM awareness_imports WHERE id = ?", *res.ImportID); n != 2 {
			t.Fatalf("import row count %d", n)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND action = 'import_participation'", f.org.ID); n != 1 {
			t.Fatalf("%d import audit events", n)
		}
		_, err = db.StagedParticipation(ctx, f.org.ID, sheet.SHA256)
		wantCode(t, err, isms.ENotFound)

		// The same file again: the rows are already recorded and skipped,
		// and with nothing new the import is refused.
		pv, err = db.StageParticipation(ctx, f.org.ID, sheet, nil)
		if err != nil || pv.Existing != 2 || pv.New != 0 {
			t.Fatal(pv, err)
		}
		leadUnchanged(t, db, f.org.ID, []string{"awareness_participations", "awareness_imports"}, func() error {
			_, err := db.ImportStagedParticipation(ctx, f.org.ID, sheet.SHA256)
			return err
		}, func(err error) { wantCode(t, err, isms.EInvalid) })
		// Refusing the whole file stores nothing and lets it go.
		if err := db.DiscardStagedParticipation(ctx, f.org.ID, sheet.SHA256); err != nil {
			t.Fatal(err)
		}
		_, err = db.StagedParticipation(ctx, f.org.ID, sheet.SHA256)
		wantCode(t, err, isms.ENotFound)

		// A file without an activity column takes the activity chosen.
		plain := partSheet(map[string]string{"email": "c@x.dk", "date": "2026-03-03"})
		pv, err = db.PreviewParticipation(ctx, f.org.ID, plain, nil)
		if err != nil || len(pv.Problems) == 0 || pv.Problems[0].Message.Key != "awp.err.choose_activity" {
			t.Fatal(pv, err)
		}
		chosen := f.acts["Hændelser"].ID
		res, err = db.ImportParticipation(ctx, f.org.ID, plain, &chosen)
		if err != nil || res.New != 1 || res.Rows[0].ActivityID != chosen {
			t.Fatal(res, err)
		}
		foreign := int64(999999)
		_, err = db.PreviewParticipation(ctx, f.org.ID, plain, &foreign)
		leadWantField(t, err, "activity_id", "err.unknown_reference")

		list, total, err := db.Participations(ctx, f.org.ID, isms.ParticipationFilter{Theme: isms.ThemePhishing})
		if err != nil || total != 1 || list[0].Person != "Bo Hansen" {
			t.Fatal(list, total, err)
		}
		_, total, _ = db.Participations(ctx, f.org.ID, isms.ParticipationFilter{UnitID: f.units["Borgerservice"].ID})
		if total != 1 {
			t.Fatalf("%d in Borgerservice", total)
		}
		from := mustDate("2026-03-03")
		_, total, _ = db.Participations(ctx, f.org.ID, isms.ParticipationFilter{From: &from})
		if total != 1 {
			t.Fatalf("%d from %s", total, from)
		}

		// Undo the first import: its rows go, in one transaction.
		imports, err := db.AwarenessImports(ctx, f.org.ID)
		if err != nil || len(imports) != 2 {
			t.Fatal(imports, err)
		}
		first := imports[1]
		wantCode(t, db.UndoAwarenessImport(as(f.reader), f.org.ID, first.ID), isms.EForbidden)
		if err := db.UndoAwarenessImport(ctx, f.org.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if _, total, _ = db.Participations(ctx, f.org.ID, isms.ParticipationFilter{}); total != 1 {
			t.Fatalf("%d left after undo", total)
		}
	})
}

func TestParticipationManual(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newPartFixture(t, db.DB, "Manuel")
		ctx := as(f.coord)
		day := mustDate("2026-02-01")
		future := isms.DateOf(time.Now().AddDate(0, 1, 0))
		act := f.acts["E-læring for alle"].ID
		bad := int64(999999)
		for _, c := range []struct {
			name       string
			in         isms.ParticipationInput
			field, key string
		}{
			{"no person", isms.ParticipationInput{ActivityID: act, TakenOn: &day}, "name", "awp.err.no_person"},
			{"bad e-mail", isms.ParticipationInput{ActivityID: act, Email: "x@", TakenOn: &day}, "email", "awp.err.bad_email"},
			{"no activity", isms.ParticipationInput{Name: "A", TakenOn: &day}, "activity_id", "err.required"},
			{"unknown unit", isms.ParticipationInput{ActivityID: act, Name: "A", TakenOn: &day, UnitID: &bad}, "unit_id", "err.unknown_reference"},
			{"no date", isms.ParticipationInput{ActivityID: act, Name: "A"}, "taken_on", "awp.err.no_date"},
			{"future", isms.ParticipationInput{ActivityID: act, Name: "A", TakenOn: &future}, "taken_on", "awp.err.future_date"},
			{"score", isms.ParticipationInput{ActivityID: act, Name: "A", TakenOn: &day, Score: fp(101)}, "score", "awp.err.score_range"},
		} {
			leadUnchanged(t, db, f.org.ID, partTables, func() error {
				_, err := db.CreateParticipation(ctx, f.org.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		in := isms.ParticipationInput{ActivityID: act, Name: "Anna Jensen", Email: "anna@x.dk", TakenOn: &day, Score: fp(77.5)}
		p, err := db.CreateParticipation(ctx, f.org.ID, in)
		if err != nil || p.Person != "Anna Jensen" || *p.Score != 77.5 || p.ActivityTitle != "E-læring for alle" {
			t.Fatal(p, err)
		}
		_, err = db.CreateParticipation(ctx, f.org.ID, in)
		wantCode(t, err, isms.EConflict)
		_, err = db.CreateParticipation(as(f.contrib), f.org.ID, in)
		wantCode(t, err, isms.EForbidden)
		other := newLeadFixture(t, db.DB, "Anden")
		wantCode(t, db.DeleteParticipation(as(other.coord), other.org.ID, p.ID), isms.ENotFound)
		wantCode(t, db.DeleteParticipation(as(f.reader), f.org.ID, p.ID), isms.EForbidden)
	})
}

func TestAwarenessSettings(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Indstil")
		ctx := as(f.coord)
		s, err := db.AwarenessSettings(as(f.reader), f.org.ID)
		if err != nil || s.ReachThreshold != isms.DefaultReachThreshold || s.AcknowledgementWanted || s.Version != 1 {
			t.Fatal(s, err)
		}
		for _, n := range []int{0, 101} {
			_, err := db.UpdateAwarenessSettings(ctx, f.org.ID, isms.AwarenessSettings{ReachThreshold: n, Version: 1})
			leadWantField(t, err, "reach_threshold", "awp.err.threshold")
		}
		_, err = db.UpdateAwarenessSettings(as(f.contrib), f.org.ID, isms.AwarenessSettings{ReachThreshold: 50, Version: 1})
		wantCode(t, err, isms.EForbidden)
		s, err = db.UpdateAwarenessSettings(ctx, f.org.ID, isms.AwarenessSettings{ReachThreshold: 60, AcknowledgementWanted: true, Version: 1})
		if err != nil || s.ReachThreshold != 60 || !s.AcknowledgementWanted || s.Version != 2 {
			t.Fatal(s, err)
		}
		_, err = db.UpdateAwarenessSettings(ctx, f.org.ID, isms.AwarenessSettings{ReachThreshold: 70, Version: 1})
		wantCode(t, err, isms.EConflict)
	})
}

// Checklist 4.6 follows the reach: no without staff or participation,
// partly naming the themes below the threshold, yes when every guide
// theme reached it; and it changes as participation is imported and
// deleted.
func TestChecklistAwarenessReach(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Raekkevidde")
		ctx := as(f.coord)
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC) }
		if a := answer(t, db.DB, ctx, f.org.ID, "4.6"); a.Status != isms.AnswerNo || a.Reasons[0].Key != "reason.awp_no_staff" {
			t.Fatalf("without units: %+v", a)
		}
		unit, err := db.CreateOrgUnit(ctx, f.org.ID, isms.OrgUnitInput{Name: "Alle", StaffCount: 10})
		if err != nil {
			t.Fatal(err)
		}
		start := mustDate("2026-01-10")
		all, err := db.CreateAwarenessActivity(ctx, f.org.ID, isms.AwarenessActivityInput{Title: "E-læring", Themes: isms.GuideThemes,
			Channel: isms.ChannelELearning, Target: isms.TargetAllStaff, StartsOn: &start})
		if err != nil {
			t.Fatal(err)
		}
		meeting, err := db.CreateAwarenessActivity(ctx, f.org.ID, isms.AwarenessActivityInput{Title: "Møde om hændelser",
			Themes: []string{isms.ThemeIncidentReporting}, Channel: isms.ChannelMeeting, Target: isms.TargetAllStaff, StartsOn: &start})
		if err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "4.6"); a.Status != isms.AnswerNo || a.Reasons[0].Key != "reason.awp_no_participation" {
			t.Fatalf("without participation: %+v", a)
		}
		rows := func(act string, from, n int, day string) *isms.ParticipationSheet {
			var rs []map[string]string
			for i := from; i < from+n; i++ {
				rs = append(rs, map[string]string{"email": fmt.Sprintf("p%d@x.dk", i), "unit": "alle", "activity": act, "date": day})
			}
			s := partSheet(rs...)
			s.SHA256 = fmt.Sprintf("%064d", from*1000+n)
			return s
		}
		// 8 of 10 on the incident theme only; 5 of 10 on all three.
		if _, err := db.ImportParticipation(ctx, f.org.ID, rows(meeting.Title, 0, 8, "2026-05-01"), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportParticipation(ctx, f.org.ID, rows(all.Title, 0, 5, "2026-05-02"), nil); err != nil {
			t.Fatal(err)
		}
		a := answer(t, db.DB, ctx, f.org.ID, "4.6")
		if a.Status != isms.AnswerPartly || len(a.Reasons) != 2 || a.Reasons[0].Args[0] != "awareness.theme.information_handling" {
			t.Fatalf("partly: %+v", a)
		}
		// Old participation does not count: twelve months back only.
		if _, err := db.ImportParticipation(ctx, f.org.ID, rows(all.Title, 5, 5, "2025-05-31"), nil); err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "4.6"); a.Status != isms.AnswerPartly {
			t.Fatalf("after old rows: %+v", a)
		}
		last, err := db.ImportParticipation(ctx, f.org.ID, rows(all.Title, 5, 3, "2026-05-20"), nil)
		if err != nil {
			t.Fatal(err)
		}
		a = answer(t, db.DB, ctx, f.org.ID, "4.6")
		if a.Status != isms.AnswerYes || len(a.Evidence) == 0 {
			t.Fatalf("yes: %+v", a)
		}
		r, err := db.AwarenessReach(ctx, f.org.ID)
		if err != nil || r.Units[0].Unit.ID != unit.ID || r.Units[0].Cells[0].People != 8 || r.Units[0].Cells[0].Percent != 80 || !r.Units[0].Cells[0].Met {
			t.Fatalf("reach %+v", r.Units[0])
		}
		// A higher threshold, and the deletion of participation, turn it
		// back.
		s, _ := db.AwarenessSettings(ctx, f.org.ID)
		if _, err := db.UpdateAwarenessSettings(ctx, f.org.ID, isms.AwarenessSettings{ReachThreshold: 90, Version: s.Version}); err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "4.6"); a.Status != isms.AnswerPartly {
			t.Fatalf("at 90 %%: %+v", a)
		}
		s, _ = db.AwarenessSettings(ctx, f.org.ID)
		if _, err := db.UpdateAwarenessSettings(ctx, f.org.ID, isms.AwarenessSettings{ReachThreshold: 80, Version: s.Version}); err != nil {
			t.Fatal(err)
		}
		if err := db.UndoAwarenessImport(ctx, f.org.ID, *last.ImportID); err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "4.6"); a.Status != isms.AnswerPartly {
			t.Fatalf("after undo: %+v", a)
		}
	})
}

func TestAwarenessEffect(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newPartFixture(t, db.DB, "Effekt")
		ctx := as(f.coord)
		held := mustDate("2026-03-01")
		sent, clicked, reported := 200, 30, 50
		if _, err := db.CreateAwarenessActivity(ctx, f.org.ID, isms.AwarenessActivityInput{Title: "Phishing forår", Themes: []string{isms.ThemePhishing},
			Channel: isms.ChannelPhishing, Target: isms.TargetAllStaff, StartsOn: &held, Status: isms.AwarenessHeld, HeldOn: &held,
			ExerciseSent: &sent, ExerciseClicked: &clicked, ExerciseReported: &reported}); err != nil {
			t.Fatal(err)
		}
		day := mustDate("2026-02-01")
		for i, s := range []float64{80, 90} {
			if _, err := db.CreateParticipation(ctx, f.org.ID, isms.ParticipationInput{ActivityID: f.acts["Quiz om phishing"].ID,
				Name: fmt.Sprint("P", i), TakenOn: &day, Score: fp(s)}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := db.AwarenessEffect(context.Background(), f.org.ID)
		wantCode(t, err, isms.EUnauthorized)
		e, err := db.AwarenessEffect(as(f.reader), f.org.ID)
		if err != nil || len(e.Exercises) != 1 || e.Exercises[0].ClickRate != 15 || e.Exercises[0].ReportRate != 25 ||
			len(e.Scores) != 1 || e.Scores[0].Average != 85 || e.Scores[0].Scores != 2 {
			t.Fatal(e, err)
		}
	})
}

// The same file imported by several writers at once is stored once: each
// person's participation in an activity on a day is one. And of several
// writers of the settings from one version, one wins.
func TestParticipationImportConcurrent(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newPartFixture(t, raw.DB, "SamtidigImport")
		var rows []map[string]string
		for i := 0; i < 20; i++ {
			rows = append(rows, map[string]string{"email": fmt.Sprintf("p%d@x.dk", i), "unit": "Borgerservice", "activity": "E-læring for alle", "date": "2026-01-15"})
		}
		errs := together(in, 6, func(i int, db *sqlstore.DB) error {
			_, err := db.ImportParticipation(as(f.coord), f.org.ID, partSheet(rows...), nil)
			return err
		})
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case isms.ErrorCode(err) == isms.EInvalid && isms.AsError(err).Key == "awp.err.import_nothing_new":
			case isms.ErrorCode(err) == isms.EConflict && isms.AsError(err).Key == "err.busy":
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if ok != 1 || raw.int(t, "SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ?", f.org.ID) != 20 ||
			raw.int(t, "SELECT COUNT(*) FROM awareness_imports WHERE organisation_id = ?", f.org.ID) != 1 {
			t.Fatalf("%d imports succeeded, outcomes %v", ok, outcomes(errs))
		}
		errs = together(in, 6, func(i int, db *sqlstore.DB) error {
			_, err := db.UpdateAwarenessSettings(as(f.coord), f.org.ID, isms.AwarenessSettings{ReachThreshold: 50 + i, Version: 1})
			return err
		})
		if o := outcomes(errs); o[""] != 1 || o[isms.EConflict] != 5 {
			t.Fatalf("settings outcomes %v", o)
		}
		wantIntactChain(t, raw.DB)
	})
}
