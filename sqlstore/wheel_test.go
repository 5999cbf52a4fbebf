package sqlstore_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// wheelFixture is an organisation with one member of each role, a second
// organisation, and a fixed clock.
type wheelFixture struct {
	db                                            *sqlstore.DB
	org, other                                    *isms.Organisation
	coord, owner, mgmt, reader, auditor, outsider *isms.User
	stranger                                      *isms.User // coordinator of the other organisation
}

var wheelNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func newWheelFixture(t *testing.T, db *sqlstore.DB) *wheelFixture {
	t.Helper()
	db.Now = func() time.Time { return wheelNow }
	f := &wheelFixture{db: db}
	f.org = mustOrg(t, db, "Hjulby Kommune")
	f.other = mustOrg(t, db, "Nabokommune")
	f.coord = mustUser(t, db, "koordinator@hjulby.example")
	f.owner = mustUser(t, db, "ejer@hjulby.example")
	f.mgmt = mustUser(t, db, "direktion@hjulby.example")
	f.reader = mustUser(t, db, "laeser@hjulby.example")
	f.auditor = mustUser(t, db, "revisor@hjulby.example")
	f.outsider = mustUser(t, db, "anden@hjulby.example")
	f.stranger = mustUser(t, db, "koordinator@nabo.example")
	mustMember(t, db, f.org, f.coord, isms.RoleCoordinator)
	mustMember(t, db, f.org, f.owner, isms.RoleContributor)
	mustMember(t, db, f.org, f.mgmt, isms.RoleManagement)
	mustMember(t, db, f.org, f.reader, isms.RoleReader)
	mustMember(t, db, f.org, f.auditor, isms.RoleAuditor)
	mustMember(t, db, f.other, f.stranger, isms.RoleCoordinator)
	return f
}

func day(s string) isms.Date {
	d, err := isms.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayPtr(s string) *isms.Date { d := day(s); return &d }

func (f *wheelFixture) activity(t *testing.T, in isms.ActivityInput) *isms.Activity {
	t.Helper()
	if in.Title == "" {
		in.Title = "Ledelsens evaluering"
	}
	if in.RecordText == "" {
		in.RecordText = "Referat af ledelsens evaluering"
	}
	if in.Recurrence == "" {
		in.Recurrence = isms.RecurYearly
	}
	if in.StartDate == nil && in.Recurrence != isms.RecurAdHoc {
		in.StartDate = dayPtr("2026-05-15")
	}
	if in.OwnerID == nil {
		in.OwnerID = &f.owner.ID
	}
	a, err := f.db.CreateWheelActivity(as(f.coord), f.org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *wheelFixture) occurrences(t *testing.T, filter isms.OccurrenceFilter) []*isms.Occurrence {
	t.Helper()
	occ, _, err := f.db.WheelOccurrences(as(f.reader), f.org.ID, filter)
	if err != nil {
		t.Fatal(err)
	}
	return occ
}

func dates(occ []*isms.Occurrence) []string {
	var out []string
	for _, o := range occ {
		out = append(out, o.DueDate.String())
	}
	return out
}

func TestActivityDueDates(t *testing.T) {
	cases := []struct {
		name string
		a    isms.Activity
		from string
		to   string
		want []string
	}{
		{"yearly", isms.Activity{Recurrence: isms.RecurYearly, StartDate: day("2025-05-15")}, "2026-01-01", "2027-12-31",
			[]string{"2026-05-15", "2027-05-15"}},
		{"quarterly on the last day", isms.Activity{Recurrence: isms.RecurQuarterly, StartDate: day("2026-01-31"), DueDay: 31}, "2026-01-01", "2026-12-31",
			[]string{"2026-01-31", "2026-04-30", "2026-07-31", "2026-10-31"}},
		{"monthly clamps February", isms.Activity{Recurrence: isms.RecurMonthly, StartDate: day("2026-01-30")}, "2026-01-01", "2026-04-30",
			[]string{"2026-01-30", "2026-02-28", "2026-03-30", "2026-04-30"}},
		{"every 6 months with end", isms.Activity{Recurrence: isms.RecurMonths, IntervalMonths: 6, StartDate: day("2024-03-01"), EndDate: dayPtr("2026-09-30")},
			"2026-01-01", "2027-12-31", []string{"2026-03-01", "2026-09-01"}},
		{"due day before start date is skipped", isms.Activity{Recurrence: isms.RecurMonthly, StartDate: day("2026-03-20"), DueDay: 1}, "2026-01-01", "2026-05-31",
			[]string{"2026-04-01", "2026-05-01"}},
		{"ad hoc", isms.Activity{Recurrence: isms.RecurAdHoc, Dates: []isms.Date{day("2026-11-02"), day("2026-02-03"), day("2027-01-05")}}, "2026-01-01", "2026-12-31",
			[]string{"2026-02-03", "2026-11-02"}},
		{"retired", isms.Activity{Recurrence: isms.RecurMonthly, StartDate: day("2026-01-01"), Status: isms.ActivityRetired}, "2026-01-01", "2026-12-31", nil},
		{"start far back", isms.Activity{Recurrence: isms.RecurMonths, IntervalMonths: 5, StartDate: day("2001-01-10")}, "2026-01-01", "2026-12-31",
			[]string{"2026-01-10", "2026-06-10", "2026-11-10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, d := range c.a.DueDates(day(c.from), day(c.to)) {
				got = append(got, d.String())
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestWheelActivityLaysOutOccurrences(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newWheelFixture(t, db)
		a := f.activity(t, isms.ActivityInput{Recurrence: isms.RecurQuarterly, StartDate: dayPtr("2026-02-15"),
			Topics: []string{"improvement", "objectives", "improvement"}, Serves: "clause:9.3"})
		if !slices.Equal(a.Topics, []string{"objectives", "improvement"}) || a.RemindDays != isms.DefaultRemindDays || a.IntervalMonths != 3 {
			t.Fatalf("activity %+v", a)
		}
		// This year and the next are laid out at once.
		if got := dates(f.occurrences(t, isms.OccurrenceFilter{Year: 2026})); !slices.Equal(got, []string{"2026-02-15", "2026-05-15", "2026-08-15", "2026-11-15"}) {
			t.Fatalf("2026: %v", got)
		}
		if got := f.occurrences(t, isms.OccurrenceFilter{Year: 2027}); len(got) != 4 {
			t.Fatalf("2027: %v", dates(got))
		}
		// The February one is overdue (today is 10 March).
		over := f.occurrences(t, isms.OccurrenceFilter{Status: "overdue"})
		if len(over) != 1 || !over[0].Overdue || over[0].DisplayStatus() != "overdue" {
			t.Fatalf("overdue: %v", dates(over))
		}
		// Opening a year is idempotent.
		n, err := db.OpenWheelYear(as(f.coord), f.org.ID, 2028)
		if err != nil || n != 4 {
			t.Fatalf("open 2028: %d %v", n, err)
		}
		events := countAudit(t, db, f.org.ID)
		if n, err := db.OpenWheelYear(as(f.coord), f.org.ID, 2028); err != nil || n != 0 {
			t.Fatalf("open 2028 again: %d %v", n, err)
		}
		if countAudit(t, db, f.org.ID) != events {
			t.Fatal("opening a laid-out year wrote an audit event")
		}
		if _, err := db.OpenWheelYear(as(f.coord), f.org.ID, 2040); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("open 2040: %v", err)
		}
		// Changing the rule moves the planned occurrences but keeps one in progress.
		occ := f.occurrences(t, isms.OccurrenceFilter{Year: 2026})
		if _, err := db.StartOccurrence(as(f.owner), f.org.ID, occ[1].ID, occ[1].Version); err != nil {
			t.Fatal(err)
		}
		in := inputOf(a)
		in.Recurrence, in.StartDate = isms.RecurYearly, dayPtr("2026-06-01")
		if _, err := db.UpdateWheelActivity(as(f.coord), f.org.ID, a.ID, in); err != nil {
			t.Fatal(err)
		}
		got := dates(f.occurrences(t, isms.OccurrenceFilter{Year: 2026}))
		if !slices.Equal(got, []string{"2026-05-15", "2026-06-01"}) {
			t.Fatalf("after the change: %v", got)
		}
		if got := dates(f.occurrences(t, isms.OccurrenceFilter{Year: 2028})); !slices.Equal(got, []string{"2028-06-01"}) {
			t.Fatalf("2028 after the change: %v", got)
		}
	})
}

func inputOf(a *isms.Activity) isms.ActivityInput {
	rd := a.RemindDays
	start := a.StartDate
	return isms.ActivityInput{Title: a.Title, Description: a.Description, OwnerID: a.OwnerID, Recurrence: a.Recurrence, IntervalMonths: a.IntervalMonths,
		StartDate: &start, DueDay: a.DueDay, EndDate: a.EndDate, Dates: a.Dates, Serves: a.Serves, Topics: a.Topics, RecordText: a.RecordText,
		RemindDays: &rd, Status: a.Status, Version: a.Version}
}

func countAudit(t *testing.T, db *sqlstore.DB, orgID int64) int {
	t.Helper()
	_, n, err := db.AuditEvents(asSystem(), orgID, isms.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func countRows(t *testing.T, db *sqlstore.DB, orgID int64) [3]int {
	t.Helper()
	acts, n, err := db.WheelActivities(asSystem(), orgID, isms.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	_ = acts
	_, occ, err := db.WheelOccurrences(asSystem(), orgID, isms.OccurrenceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{n, occ, countAudit(t, db, orgID)}
}

func fieldsOf(err error) []string {
	var out []string
	if e := isms.AsError(err); e != nil {
		for _, f := range e.Fields {
			out = append(out, f.Field+":"+f.Key)
		}
	}
	return out
}

func TestWheelActivityBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newWheelFixture(t, db)
		valid := func() isms.ActivityInput {
			rd := 7
			return isms.ActivityInput{Title: "Risikovurdering", RecordText: "Opdateret risikoregister", Recurrence: isms.RecurYearly,
				StartDate: dayPtr("2026-09-01"), OwnerID: &f.owner.ID, RemindDays: &rd, Topics: []string{"objectives"}}
		}
		f.activity(t, valid())
		before := countRows(t, db, f.org.ID)
		cases := []struct {
			name  string
			edit  func(in *isms.ActivityInput)
			field string
		}{
			{"no title", func(in *isms.ActivityInput) { in.Title = "  " }, "title:err.required"},
			{"no record", func(in *isms.ActivityInput) { in.RecordText = "" }, "record_text:err.required"},
			{"bad recurrence", func(in *isms.ActivityInput) { in.Recurrence = "fortnightly" }, "recurrence:err.choice"},
			{"every 0 months", func(in *isms.ActivityInput) { in.Recurrence, in.IntervalMonths = isms.RecurMonths, 0 }, "interval_months:wheel.err.interval"},
			{"every 40 months", func(in *isms.ActivityInput) { in.Recurrence, in.IntervalMonths = isms.RecurMonths, 40 }, "interval_months:wheel.err.interval"},
			{"ad hoc without dates", func(in *isms.ActivityInput) { in.Recurrence, in.StartDate = isms.RecurAdHoc, nil }, "dates:wheel.err.dates_required"},
			{"no start date", func(in *isms.ActivityInput) { in.StartDate = nil }, "start_date:err.required"},
			{"start in year 1900", func(in *isms.ActivityInput) { in.StartDate = dayPtr("1900-01-01") }, "start_date:wheel.err.date_range"},
			{"end before start", func(in *isms.ActivityInput) { in.EndDate = dayPtr("2026-01-01") }, "end_date:wheel.err.end_before_start"},
			{"due day 32", func(in *isms.ActivityInput) { in.DueDay = 32 }, "due_day:wheel.err.due_day"},
			{"unknown topic", func(in *isms.ActivityInput) { in.Topics = []string{"objectives", "budget"} }, "topics:wheel.err.topic"},
			{"unknown clause", func(in *isms.ActivityInput) { in.Serves = "clause:11.1" }, "serves:err.choice"},
			{"unknown control", func(in *isms.ActivityInput) { in.Serves = "annex:5.99" }, "serves:err.choice"},
			{"remind 200 days", func(in *isms.ActivityInput) { rd := 200; in.RemindDays = &rd }, "remind_days:wheel.err.remind_days"},
			{"owner not a member", func(in *isms.ActivityInput) { in.OwnerID = &f.stranger.ID }, "owner_id:err.not_member"},
			{"bad status", func(in *isms.ActivityInput) { in.Status = "paused" }, "status:err.choice"},
		}
		for _, c := range cases {
			in := valid()
			c.edit(&in)
			_, err := db.CreateWheelActivity(as(f.coord), f.org.ID, in)
			if isms.ErrorCode(err) != isms.EInvalid || !slices.Contains(fieldsOf(err), c.field) {
				t.Errorf("%s: %v, want %s", c.name, err, c.field)
			}
		}
		if after := countRows(t, db, f.org.ID); after != before {
			t.Fatalf("refused input stored something: %v → %v", before, after)
		}
		// Valid references are accepted.
		for _, s := range []string{"guide:2.9", "clause:6.1.2", "annex:5.35", ""} {
			in := valid()
			in.Serves = s
			if _, err := db.CreateWheelActivity(as(f.coord), f.org.ID, in); err != nil {
				t.Errorf("serves %q: %v", s, err)
			}
		}
	})
}

func TestWheelRoles(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newWheelFixture(t, db)
		own := func(u *isms.User) isms.ActivityInput {
			return isms.ActivityInput{Title: "Leverandøropfølgning", RecordText: "Notat", Recurrence: isms.RecurYearly, StartDate: dayPtr("2026-10-01"), OwnerID: &u.ID}
		}
		// Contributors create and edit what they own, nothing else.
		if _, err := db.CreateWheelActivity(as(f.owner), f.org.ID, own(f.owner)); err != nil {
			t.Fatalf("contributor creating own: %v", err)
		}
		_, err := db.CreateWheelActivity(as(f.owner), f.org.ID, own(f.coord))
		wantCode(t, err, isms.EForbidden)
		for _, u := range []*isms.User{f.mgmt, f.reader, f.auditor} {
			_, err := db.CreateWheelActivity(as(u), f.org.ID, own(u))
			wantCode(t, err, isms.EForbidden)
		}
		// Outsiders and the other organisation's coordinator see nothing.
		for _, u := range []*isms.User{f.outsider, f.stranger} {
			_, _, err := db.WheelActivities(as(u), f.org.ID, isms.ActivityFilter{})
			wantCode(t, err, isms.ENotFound)
			_, err = db.CreateWheelActivity(as(u), f.org.ID, own(f.owner))
			wantCode(t, err, isms.ENotFound)
		}
		a := f.activity(t, isms.ActivityInput{})
		occ := f.occurrences(t, isms.OccurrenceFilter{ActivityID: a.ID})[0]
		_, err = db.WheelOccurrence(as(f.stranger), f.org.ID, occ.ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.WheelOccurrence(as(f.stranger), f.other.ID, occ.ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.CompleteOccurrence(as(f.stranger), f.other.ID, occ.ID, isms.CompletionInput{Result: "x", Version: occ.Version})
		wantCode(t, err, isms.ENotFound)
		// Readers, auditors and management cannot complete; the owner can.
		for _, u := range []*isms.User{f.reader, f.auditor, f.mgmt} {
			_, err := db.CompleteOccurrence(as(u), f.org.ID, occ.ID, isms.CompletionInput{Result: "x", Version: occ.Version})
			wantCode(t, err, isms.EForbidden)
		}
		done, err := db.CompleteOccurrence(as(f.owner), f.org.ID, occ.ID, isms.CompletionInput{Result: "Gennemført", Version: occ.Version})
		if err != nil {
			t.Fatal(err)
		}
		// Only editors reopen a record of work.
		_, err = db.ReopenOccurrence(as(f.owner), f.org.ID, occ.ID, done.Version)
		wantCode(t, err, isms.EForbidden)
		if _, err := db.ReopenOccurrence(as(f.coord), f.org.ID, occ.ID, done.Version); err != nil {
			t.Fatal(err)
		}
		// The feed and the mail log are the coordinators'.
		for _, u := range []*isms.User{f.owner, f.reader, f.mgmt} {
			_, _, err := db.CreateFeedToken(as(u), f.org.ID)
			wantCode(t, err, isms.EForbidden)
		}
		for _, u := range []*isms.User{f.owner, f.reader} {
			_, _, err := db.MailLog(as(u), f.org.ID, 0, 10)
			wantCode(t, err, isms.EForbidden)
		}
		if _, _, err := db.MailLog(as(f.auditor), f.org.ID, 0, 10); err != nil {
			t.Fatalf("auditor reads the mail log: %v", err)
		}
	})
}

// TestOpenWheelYearRoles: laying out a year writes occurrences of every
// activity, so only those who may edit every record may do it; everyone
// else is refused and nothing is written, whether or not the year is new.
func TestOpenWheelYearRoles(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newWheelFixture(t, db)
		admin := mustUser(t, db, "admin@hjulby.example")
		mustMember(t, db, f.org, admin, isms.RoleAdministrator)
		f.activity(t, isms.ActivityInput{}) // lays out 2026 and 2027
		cases := []struct {
			role string
			u    *isms.User
			code string // "" when allowed
		}{
			{"reader", f.reader, isms.EForbidden},
			{"auditor", f.auditor, isms.EForbidden},
			{"management", f.mgmt, isms.EForbidden},
			{"contributor", f.owner, isms.EForbidden},
			{"coordinator", f.coord, ""},
			{"administrator", admin, ""},
			{"member of another organisation", f.stranger, isms.ENotFound},
			{"no member", f.outsider, isms.ENotFound},
		}
		year := 2028
		for _, c := range cases {
			events := countAudit(t, db, f.org.ID)
			n, err := db.OpenWheelYear(as(c.u), f.org.ID, year)
			if c.code != "" {
				if isms.ErrorCode(err) != c.code {
					t.Errorf("%s opens %d: %v, want %s", c.role, year, err, c.code)
				}
				if got := f.occurrences(t, isms.OccurrenceFilter{Year: year}); len(got) != 0 {
					t.Errorf("%s was refused, but %d has occurrences %v", c.role, year, dates(got))
				}
				if countAudit(t, db, f.org.ID) != events {
					t.Errorf("%s was refused, but an audit event was written", c.role)
				}
				continue
			}
			if err != nil || n != 1 {
				t.Errorf("%s opens %d: %d %v, want 1 occurrence", c.role, year, n, err)
			}
			if countAudit(t, db, f.org.ID) != events+1 {
				t.Errorf("%s opened %d without its audit event", c.role, year)
			}
			year++
		}
		// A year already laid out is refused to a reader just the same.
		if _, err := db.OpenWheelYear(as(f.reader), f.org.ID, 2026); isms.ErrorCode(err) != isms.EForbidden {
			t.Errorf("reader opens the laid-out 2026: %v, want forbidden", err)
		}
	})
}

// TestLayOutWheelYears: the system job lays out this year and the next in
// every organisation with activities.
func TestLayOutWheelYears(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newWheelFixture(t, db)
		f.activity(t, isms.ActivityInput{}) // lays out 2026 and 2027
		db.Now = func() time.Time { return time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC) }
		if got := f.occurrences(t, isms.OccurrenceFilter{Year: 2028}); len(got) != 0 {
			t.Fatalf("2028 before the job: %v", dates(got))
		}
		if err := db.LayOutWheelYears(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := dates(f.occurrences(t, isms.OccurrenceFilter{Year: 2028})); !slices.Equal(got, []string{"2028-05-15"}) {
			t.Fatalf("2028 after the job: %v", got)
		}
	})
}

func TestOccurrenceCompletion(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newWheelFixture(t, db)
		a := f.activity(t, isms.ActivityInput{Recurrence: isms.RecurMonthly, StartDate: dayPtr("2026-01-05")})
		occ := f.occurrences(t, isms.OccurrenceFilter{ActivityID: a.ID, Year: 2026})
		o := occ[0]
		before := countRows(t, db, f.org.ID)
		bad := []struct {
			name  string
			in    isms.CompletionInput
			field string
		}{
			{"no result", isms.CompletionInput{Result: " "}, "result:err.required"},
			{"in the future", isms.CompletionInput{Result: "ok", CompletedOn: dayPtr("2026-04-01")}, "completed_on:wheel.err.completed_future"},
			{"other organisation's evidence", isms.CompletionInput{Result: "ok", EvidencePath: "/orgs/" + itoa(f.other.ID) + "/documents/1"}, "evidence_path:wheel.err.evidence_other_org"},
			{"external URL as evidence", isms.CompletionInput{Result: "ok", EvidencePath: "https://evil.example/x"}, "evidence_path:wheel.err.evidence_path"},
			{"climbing out", isms.CompletionInput{Result: "ok", EvidencePath: "/documents/../../admin"}, "evidence_path:wheel.err.evidence_path"},
			{"the organisation itself", isms.CompletionInput{Result: "ok", EvidencePath: "/orgs/" + itoa(f.org.ID)}, "evidence_path:wheel.err.evidence_path"},
			{"protocol-relative", isms.CompletionInput{Result: "ok", EvidencePath: "//evil.example/x"}, "evidence_path:wheel.err.evidence_path"},
		}
		for _, c := range bad {
			c.in.Version = o.Version
			_, err := db.CompleteOccurrence(as(f.owner), f.org.ID, o.ID, c.in)
			if isms.ErrorCode(err) != isms.EInvalid || !slices.Contains(fieldsOf(err), c.field) {
				t.Errorf("%s: %v, want %s", c.name, err, c.field)
			}
		}
		// A stale version is refused.
		_, err := db.CompleteOccurrence(as(f.owner), f.org.ID, o.ID, isms.CompletionInput{Result: "ok", Version: o.Version + 1})
		wantCode(t, err, isms.EConflict)
		if after := countRows(t, db, f.org.ID); after != before {
			t.Fatalf("refused completion stored something: %v → %v", before, after)
		}
		got, err := db.WheelOccurrence(as(f.reader), f.org.ID, o.ID)
		if err != nil || got.Status != isms.OccPlanned || got.Version != o.Version {
			t.Fatalf("after refusals: %+v %v", got, err)
		}

		done, err := db.CompleteOccurrence(as(f.owner), f.org.ID, o.ID, isms.CompletionInput{Result: "Politikken er gennemgået", Comment: "Ingen ændringer",
			CompletedOn: dayPtr("2026-01-07"), EvidencePath: "/orgs/" + itoa(f.org.ID) + "/documents/4?v=2", EvidenceRef: "J.nr. 2026-17", Version: o.Version})
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != isms.OccDone || done.Overdue || done.CompletedOn.String() != "2026-01-07" || done.EvidencePath != "/documents/4?v=2" ||
			done.CompletedBy == nil || *done.CompletedBy != f.owner.ID || done.CompletedAt == nil || done.EvidenceRef != "J.nr. 2026-17" {
			t.Fatalf("done: %+v", done)
		}
		// Editing after completion is an amendment, audited as such, and
		// keeps who completed it.
		amended, err := db.CompleteOccurrence(as(f.coord), f.org.ID, o.ID, isms.CompletionInput{Result: "Politikken er gennemgået og godkendt",
			CompletedOn: dayPtr("2026-01-07"), Version: done.Version})
		if err != nil {
			t.Fatal(err)
		}
		if *amended.CompletedBy != f.owner.ID || amended.Result != "Politikken er gennemgået og godkendt" {
			t.Fatalf("amended: %+v", amended)
		}
		events, _, err := db.AuditEvents(as(f.auditor), f.org.ID, isms.AuditFilter{RecordType: "wheel_occurrence", RecordID: o.ID})
		if err != nil || len(events) != 2 || events[0].Action != "wheel_amend" || events[1].Action != "wheel_complete" {
			t.Fatalf("events: %+v %v", events, err)
		}
		// Skipping needs a reason and an open occurrence.
		o2 := occ[1]
		_, err = db.SkipOccurrence(as(f.owner), f.org.ID, o2.ID, "", o2.Version)
		if !slices.Contains(fieldsOf(err), "reason:err.required") {
			t.Fatalf("skip without reason: %v", err)
		}
		_, err = db.SkipOccurrence(as(f.owner), f.org.ID, o.ID, "why", amended.Version)
		wantCode(t, err, isms.EInvalid)
		skipped, err := db.SkipOccurrence(as(f.owner), f.org.ID, o2.ID, "Slået sammen med marts", o2.Version)
		if err != nil || skipped.Status != isms.OccSkipped || skipped.SkipReason != "Slået sammen med marts" {
			t.Fatalf("skip: %+v %v", skipped, err)
		}
		_, err = db.CompleteOccurrence(as(f.owner), f.org.ID, o2.ID, isms.CompletionInput{Result: "x", Version: skipped.Version})
		wantCode(t, err, isms.EInvalid)
		// Rescheduling moves the due date, not the occurrence's name.
		o3 := occ[2]
		moved, err := db.RescheduleOccurrence(as(f.owner), f.org.ID, o3.ID, day("2026-03-20"), o3.Version)
		if err != nil || moved.DueDate.String() != "2026-03-20" || moved.PlannedDate != o3.PlannedDate || moved.Overdue {
			t.Fatalf("moved: %+v %v", moved, err)
		}
		// Deleting an activity with records is refused; retiring keeps them.
		a2, _ := db.WheelActivity(as(f.coord), f.org.ID, a.ID)
		err = db.DeleteWheelActivity(as(f.coord), f.org.ID, a.ID, a2.Version)
		wantCode(t, err, isms.EInvalid)
		in := inputOf(a2)
		in.Status = isms.ActivityRetired
		if _, err := db.UpdateWheelActivity(as(f.coord), f.org.ID, a.ID, in); err != nil {
			t.Fatal(err)
		}
		left := f.occurrences(t, isms.OccurrenceFilter{ActivityID: a.ID})
		if len(left) != 2 {
			t.Fatalf("after retiring: %v", dates(left))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
