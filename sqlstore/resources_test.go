package sqlstore_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var resTables = []string{"resource_lines", "resource_links", "status_reports"}

func answer41(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64) *isms.ChecklistAnswer {
	t.Helper()
	answers, err := db.Checklist(as(u), orgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		if a.QuestionID == "4.1" {
			return a
		}
	}
	t.Fatal("no answer to 4.1")
	return nil
}

func resReasonKeys(a *isms.ChecklistAnswer) string {
	var ks []string
	for _, r := range a.Reasons {
		ks = append(ks, r.Key)
	}
	return strings.Join(ks, ",")
}

// Resource lines: bad input is refused naming the field with nothing
// written; a contributor keeps the lines of the objectives they own and
// nobody else's; only management grants, for the version it read; a grant
// covers what is planned or shows a gap, and a later change of the line
// keeps the grant as given. Another organisation's records are neither
// read nor named.
func TestResourceLinesAndGrant(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Ressourcer")
		db.Now = func() time.Time { return time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC) }
		coord := as(f.coord)
		mine, err := db.CreateObjective(coord, f.org.ID, objInput(&f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		in := objInput(&f.coord.ID)
		in.Title = "Koordinatorens mål"
		theirs, err := db.CreateObjective(coord, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		other := newLeadFixture(t, db.DB, "Andre")
		otherObj, err := db.CreateObjective(as(other.coord), other.org.ID, objInput(&other.coord.ID))
		if err != nil {
			t.Fatal(err)
		}

		good := isms.ResourceLineInput{Year: 2026, ObjectiveID: &mine.ID, Kind: isms.ResourceMoney, Title: "E-læringslicens",
			Planned: isms.ResourceAmounts{Operating: fp(60000), OneOff: fp(5000)}}
		bad := int64(999999)
		for _, c := range []struct {
			name       string
			change     func(in *isms.ResourceLineInput)
			field, key string
		}{
			{"no title", func(in *isms.ResourceLineInput) { in.Title = " " }, "title", "err.required"},
			{"bad year", func(in *isms.ResourceLineInput) { in.Year = 1999 }, "year", "res.err.year"},
			{"bad kind", func(in *isms.ResourceLineInput) { in.Kind = "gold" }, "kind", "err.choice"},
			{"no amount", func(in *isms.ResourceLineInput) { in.Planned = isms.ResourceAmounts{} }, "planned_operating", "res.err.amount_required"},
			{"negative", func(in *isms.ResourceLineInput) { in.Planned.Operating = fp(-1) }, "planned_operating", "res.err.amount"},
			{"FTE on money", func(in *isms.ResourceLineInput) { in.Planned.FTE = fp(1) }, "planned_fte", "res.err.not_for_kind"},
			{"people without role", func(in *isms.ResourceLineInput) {
				in.Kind, in.Planned = isms.ResourcePeople, isms.ResourceAmounts{FTE: fp(0.5)}
			}, "role_id", "res.err.role_required"},
			{"DKK on people", func(in *isms.ResourceLineInput) { in.Kind, in.RoleText = isms.ResourcePeople, "Driften" }, "planned_operating", "res.err.not_for_kind"},
			{"another organisation's objective", func(in *isms.ResourceLineInput) { in.ObjectiveID = &otherObj.ID }, "objective_id", "err.unknown_reference"},
			{"unknown role", func(in *isms.ResourceLineInput) {
				in.Kind, in.RoleID, in.Planned = isms.ResourcePeople, &bad, isms.ResourceAmounts{Hours: fp(10)}
			}, "role_id", "err.unknown_reference"},
			{"unknown control", func(in *isms.ResourceLineInput) { in.Controls = []int64{bad} }, "controls", "risk.err.unknown_control"},
			{"unknown activity", func(in *isms.ResourceLineInput) { in.Activities = []int64{bad} }, "activities", "err.unknown_reference"},
			{"unknown task", func(in *isms.ResourceLineInput) { in.Tasks = []int64{bad} }, "tasks", "err.unknown_reference"},
			{"owner outside", func(in *isms.ResourceLineInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, resTables, func() error {
				_, err := db.CreateResourceLine(coord, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}

		// Who may add and change lines.
		contrib := as(f.contrib)
		wantCode(t, func() error { _, err := db.CreateResourceLine(as(f.reader), f.org.ID, good); return err }(), isms.EForbidden)
		wantCode(t, func() error { _, err := db.CreateResourceLine(as(f.outside), f.org.ID, good); return err }(), isms.ENotFound)
		onTheirs := good
		onTheirs.ObjectiveID = &theirs.ID
		wantCode(t, func() error { _, err := db.CreateResourceLine(contrib, f.org.ID, onTheirs); return err }(), isms.EForbidden)
		l, err := db.CreateResourceLine(contrib, f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if l.IsGranted() || !l.Gap() || l.ObjectiveTitle != mine.Title || l.Version != 1 {
			t.Fatalf("new line %+v", l)
		}
		// Another organisation's people see nothing of it.
		wantCode(t, func() error { _, err := db.ResourceLine(as(other.coord), f.org.ID, l.ID); return err }(), isms.ENotFound)
		wantCode(t, func() error { _, err := db.ResourceLine(as(other.coord), other.org.ID, l.ID); return err }(), isms.ENotFound)
		wantCode(t, func() error {
			_, err := db.GrantResourceLine(as(other.mgmt), other.org.ID, l.ID, isms.ResourceGrantInput{Granted: l.Planned, Version: 1})
			return err
		}(), isms.ENotFound)
		wantCode(t, db.DeleteResourceLine(as(other.coord), other.org.ID, l.ID, 1), isms.ENotFound)

		// Only management grants, for the version it read.
		grant := isms.ResourceGrantInput{Granted: isms.ResourceAmounts{Operating: fp(60000), OneOff: fp(2000)}, Note: "Engangsbeløbet skæres", Version: l.Version}
		wantCode(t, func() error { _, err := db.GrantResourceLine(coord, f.org.ID, l.ID, grant); return err }(), isms.EForbidden)
		wantCode(t, func() error { _, err := db.GrantResourceLine(contrib, f.org.ID, l.ID, grant); return err }(), isms.EForbidden)
		stale := grant
		stale.Version = 7
		wantCode(t, func() error { _, err := db.GrantResourceLine(as(f.mgmt), f.org.ID, l.ID, stale); return err }(), isms.EConflict)
		wrong := grant
		wrong.Granted.Hours = fp(3)
		leadUnchanged(t, db, f.org.ID, resTables, func() error {
			_, err := db.GrantResourceLine(as(f.mgmt), f.org.ID, l.ID, wrong)
			return err
		}, func(err error) { leadWantField(t, err, "granted_hours", "res.err.not_for_kind") })
		g, err := db.GrantResourceLine(as(f.mgmt), f.org.ID, l.ID, grant)
		if err != nil {
			t.Fatal(err)
		}
		if !g.IsGranted() || !g.Gap() || g.GrantedByName != f.mgmt.Name || g.ChangedSinceGrant() || g.GrantNote != "Engangsbeløbet skæres" {
			t.Fatalf("granted %+v", g)
		}
		// Planned down to what was granted: covered; the grant stays as given.
		upd := good
		upd.Planned.OneOff, upd.Version = fp(2000), g.Version
		upd.Controls = []int64{controlID(t, db, "6.3")}
		u, err := db.UpdateResourceLine(contrib, f.org.ID, l.ID, upd)
		if err != nil {
			t.Fatal(err)
		}
		if u.Gap() || !u.ChangedSinceGrant() || *u.Granted.OneOff != 2000 || len(u.Links) != 1 || !strings.HasPrefix(u.Links[0].Label, "6.3 ") {
			t.Fatalf("updated %+v", u)
		}
		// A contributor cannot move their line to another's objective, nor
		// change a granted line's kind.
		moved := upd
		moved.ObjectiveID, moved.Version = &theirs.ID, u.Version
		wantCode(t, func() error { _, err := db.UpdateResourceLine(contrib, f.org.ID, l.ID, moved); return err }(), isms.EForbidden)
		kind := upd
		kind.Kind, kind.Planned, kind.RoleText, kind.Version = isms.ResourcePeople, isms.ResourceAmounts{FTE: fp(1)}, "Driften", u.Version
		leadUnchanged(t, db, f.org.ID, resTables, func() error {
			_, err := db.UpdateResourceLine(contrib, f.org.ID, l.ID, kind)
			return err
		}, func(err error) { leadWantField(t, err, "kind", "res.err.kind_granted") })
		// The year's page counts it.
		y, err := db.ResourceYear(as(f.reader), f.org.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if y.Totals.Lines != 1 || y.Totals.Gaps != 0 || y.Totals.PlannedOperating != 60000 || len(y.Objectives) != 1 ||
			len(y.Unresourced) != 1 || y.Unresourced[0].ID != theirs.ID || len(y.Carried) != 1 {
			t.Fatalf("year %+v", y)
		}
		// Deleting the objective takes its lines, each in the audit trail.
		if err := db.DeleteObjective(coord, f.org.ID, mine.ID, mine.Version); err != nil {
			t.Fatal(err)
		}
		wantCode(t, func() error { _, err := db.ResourceLine(coord, f.org.ID, l.ID); return err }(), isms.ENotFound)
		if n := db.int(t, "SELECT COUNT(*) FROM resource_links"); n != 0 {
			t.Fatalf("%d links left", n)
		}
	})
}

func controlID(t *testing.T, db *rawDB, ref string) int64 {
	t.Helper()
	return db.int(t, "SELECT id FROM controls WHERE catalogue = 'iso27001:2022' AND ref = '"+ref+"'")
}

// Checklist 4.1 from the records: no without current objectives; partly
// naming what each objective lacks and the missing or stale report; yes
// when every current objective is owned, measurable and resourced with a
// grant covering it, and a report reached management within 12 months.
// The status report keeps what it showed when the records change.
func TestRule41AndStatusReports(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Status")
		now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		coord, mgmt := as(f.coord), as(f.mgmt)
		if a := answer41(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerNo || resReasonKeys(a) != "reason.obj_none_current" {
			t.Fatalf("no objectives: %s %v", a.Status, a.Reasons)
		}
		o, err := db.CreateObjective(coord, f.org.ID, objInput(&f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		vague := objInput(&f.coord.ID)
		vague.Title, vague.TargetValue, vague.Unit = "Bedre sikkerhedskultur", nil, ""
		v, err := db.CreateObjective(coord, f.org.ID, vague)
		if err != nil {
			t.Fatal(err)
		}
		a := answer41(t, db.DB, f.reader, f.org.ID)
		if a.Status != isms.AnswerPartly || resReasonKeys(a) != "reason.obj_not_measurable,reason.obj_no_resources,reason.obj_no_report" ||
			a.Reasons[1].Args[0] != o.Title+"; "+v.Title || a.Reasons[0].Args[0] != v.Title {
			t.Fatalf("nothing resourced: %s %v", a.Status, a.Reasons)
		}
		// Withdrawing the vague objective leaves one; its line is granted in
		// part, then in full.
		vague.Status, vague.Version = isms.ObjectiveWithdrawn, v.Version
		if _, err := db.UpdateObjective(coord, f.org.ID, v.ID, vague); err != nil {
			t.Fatal(err)
		}
		l, err := db.CreateResourceLine(coord, f.org.ID, isms.ResourceLineInput{Year: 2026, ObjectiveID: &o.ID, Kind: isms.ResourceExternal,
			Title: "Kursusleverandør", Supplier: "Kursus A/S", Planned: isms.ResourceAmounts{OneOff: fp(40000), Hours: fp(20)}})
		if err != nil {
			t.Fatal(err)
		}
		l, err = db.GrantResourceLine(mgmt, f.org.ID, l.ID, isms.ResourceGrantInput{Granted: isms.ResourceAmounts{OneOff: fp(40000), Hours: fp(10)}, Version: l.Version})
		if err != nil {
			t.Fatal(err)
		}
		if a := answer41(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerPartly || resReasonKeys(a) != "reason.obj_resource_gap,reason.obj_no_report" {
			t.Fatalf("gap: %s %v", a.Status, a.Reasons)
		}
		if _, err = db.GrantResourceLine(mgmt, f.org.ID, l.ID, isms.ResourceGrantInput{Granted: l.Planned, Version: l.Version}); err != nil {
			t.Fatal(err)
		}

		// The report: preview, refusals, presenting.
		pv, err := db.StatusReportPreview(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pv.Objectives) != 1 || pv.Objectives[0].Gap || pv.Objectives[0].Lines != 1 || pv.Totals.PlannedExternal != 40000 || pv.Year != 2026 {
			t.Fatalf("preview %+v", pv)
		}
		day := mustDate("2025-03-20")
		in := isms.StatusReportInput{Title: "Status 1. kvartal", PresentedOn: &day, PresentedTo: "Direktionen"}
		for _, c := range []struct {
			name       string
			change     func(in *isms.StatusReportInput)
			field, key string
		}{
			{"no title", func(in *isms.StatusReportInput) { in.Title = "" }, "title", "err.required"},
			{"no day", func(in *isms.StatusReportInput) { in.PresentedOn = nil }, "presented_on", "err.required"},
			{"future", func(in *isms.StatusReportInput) { d := mustDate("2026-05-01"); in.PresentedOn = &d }, "presented_on", "sr.err.future"},
			{"to nobody", func(in *isms.StatusReportInput) { in.PresentedTo = " " }, "presented_to", "sr.err.audience"},
			{"next before", func(in *isms.StatusReportInput) { d := mustDate("2025-01-01"); in.NextDue = &d }, "next_due", "sr.err.next_due"},
			{"unknown forum", func(in *isms.StatusReportInput) { x := int64(999999); in.ForumID = &x }, "forum_id", "err.unknown_reference"},
		} {
			bad := in
			c.change(&bad)
			leadUnchanged(t, db, f.org.ID, resTables, func() error { _, err := db.PresentStatusReport(coord, f.org.ID, bad); return err },
				func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		wantCode(t, func() error { _, err := db.PresentStatusReport(as(f.contrib), f.org.ID, in); return err }(), isms.EForbidden)
		old, err := db.PresentStatusReport(coord, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if a := answer41(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerPartly || resReasonKeys(a) != "reason.obj_report_stale" {
			t.Fatalf("stale report: %s %v", a.Status, a.Reasons)
		}
		day = mustDate("2026-03-30")
		next := mustDate("2026-09-30")
		in.PresentedOn, in.NextDue, in.Title = &day, &next, "Status marts"
		r, err := db.PresentStatusReport(coord, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		a = answer41(t, db.DB, f.reader, f.org.ID)
		if a.Status != isms.AnswerYes || resReasonKeys(a) != "reason.obj_resourced" || len(a.Evidence) != 2 || a.Evidence[1].Path != "/status-reports/"+strconv.FormatInt(r.ID, 10) {
			t.Fatalf("yes: %s %v %v", a.Status, a.Reasons, a.Evidence)
		}
		// The report feeds the management topics: done on its day, the next
		// one planned.
		topics, err := db.ManagementTopicStatus(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ts := range topics {
			if ts.Topic != "resources" && ts.Topic != "objectives" {
				continue
			}
			if ts.Last == nil || ts.Last.Day != day || ts.Last.Evidence.RecordID != r.ID || ts.Next == nil || ts.Next.Day != next {
				t.Fatalf("topic %s: last %+v next %+v", ts.Topic, ts.Last, ts.Next)
			}
		}
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, mustDate("2026-01-01"), mustDate("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, it := range items {
			if it.Kind == "sr.schedule.presented" || it.Kind == "sr.schedule.next" {
				found++
			}
		}
		if found != 2 {
			t.Fatalf("calendar has %d report items: %+v", found, items)
		}
		// The records change; the report keeps what it showed.
		if _, err := db.AddObjectiveProgress(coord, f.org.ID, o.ID, isms.ObjectiveProgressInput{MeasuredOn: &day, Value: fp(50)}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteResourceLine(coord, f.org.ID, l.ID, l.Version+1); err != nil {
			t.Fatal(err)
		}
		kept, err := db.StatusReport(as(f.reader), f.org.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept.Content.Objectives) != 1 || kept.Content.Objectives[0].Latest != "" || kept.Content.Objectives[0].Lines != 1 ||
			kept.Content.Totals.GrantedExternal != 40000 || kept.PresentedByName != f.coord.Name || kept.Audience() != "Direktionen" {
			t.Fatalf("kept %+v", kept)
		}
		if a := answer41(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerPartly || resReasonKeys(a) != "reason.obj_no_resources" {
			t.Fatalf("line deleted: %s %v", a.Status, a.Reasons)
		}
		// Management receives it; nobody else does; another organisation
		// neither reads nor deletes it.
		rc := isms.StatusReportReceipt{Decisions: "Taget til efterretning", Version: r.Version}
		wantCode(t, func() error { _, err := db.ReceiveStatusReport(coord, f.org.ID, r.ID, rc); return err }(), isms.EForbidden)
		got, err := db.ReceiveStatusReport(mgmt, f.org.ID, r.ID, rc)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReceivedAt == nil || got.ReceivedByName != f.mgmt.Name || got.Decisions != "Taget til efterretning" || got.Version != 2 {
			t.Fatalf("received %+v", got)
		}
		wantCode(t, func() error { _, err := db.ReceiveStatusReport(mgmt, f.org.ID, r.ID, rc); return err }(), isms.EConflict)
		other := newLeadFixture(t, db.DB, "Andre")
		wantCode(t, func() error { _, err := db.StatusReport(as(other.coord), other.org.ID, r.ID); return err }(), isms.ENotFound)
		wantCode(t, db.DeleteStatusReport(as(other.coord), other.org.ID, r.ID, 2), isms.ENotFound)
		wantCode(t, db.DeleteStatusReport(as(f.contrib), f.org.ID, r.ID, 2), isms.EForbidden)
		if err := db.DeleteStatusReport(coord, f.org.ID, old.ID, old.Version); err != nil {
			t.Fatal(err)
		}
		list, err := db.StatusReports(as(f.reader), f.org.ID)
		if err != nil || len(list) != 1 || list[0].ID != r.ID {
			t.Fatalf("list %v %v", list, err)
		}
		// Twelve months and a day later the report is stale.
		now = time.Date(2027, 3, 31, 9, 0, 0, 0, time.UTC)
		if a := answer41(t, db.DB, f.reader, f.org.ID); !strings.Contains(resReasonKeys(a), "reason.obj_report_stale") {
			t.Fatalf("a year on: %s %v", a.Status, a.Reasons)
		}
	})
}

// Two managers grant the same line as they read it at once: one grant is
// kept, the other is refused as stale, on both databases.
func TestResourceGrantConcurrent(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Samtidig")
		l, err := db.CreateResourceLine(as(f.coord), f.org.ID, isms.ResourceLineInput{Year: 2026, Kind: isms.ResourceMoney, Title: "Licenser",
			Planned: isms.ResourceAmounts{Operating: fp(1000)}})
		if err != nil {
			t.Fatal(err)
		}
		mgmt2 := mustUser(t, db.DB, "mgmt2@samtidig.example")
		mustMember(t, db.DB, f.org, mgmt2, isms.RoleManagement)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, u := range []*isms.User{f.mgmt, mgmt2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.GrantResourceLine(as(u), f.org.ID, l.ID, isms.ResourceGrantInput{Granted: isms.ResourceAmounts{Operating: fp(float64(500 * (i + 1)))}, Version: l.Version})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		got, err := db.ResourceLine(as(f.reader), f.org.ID, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A grant moves the line's version on: the second is stale.
		if ok != 1 || (isms.ErrorCode(errs[0]) != isms.EConflict && isms.ErrorCode(errs[1]) != isms.EConflict) || got.GrantedAt == nil ||
			got.Version != 2 || got.GrantedVersion != 2 || (*got.Granted.Operating == 500) != (got.GrantedByName == f.mgmt.Name) {
			t.Fatalf("errors %v, line %+v", errs, got)
		}
	})
}
