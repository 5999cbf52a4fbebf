package sqlstore_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// leadFixture is an organisation with a member of each role, a system and
// a process in the business overview.
type leadFixture struct {
	org                                                   *isms.Organisation
	coord, admin, contrib, mgmt, auditor, reader, outside *isms.User
	system, process                                       *isms.OverviewEntry
}

func newLeadFixture(t *testing.T, db *sqlstore.DB, name string) *leadFixture {
	t.Helper()
	// The database's first account is a site administrator; make it one
	// the test does not act as.
	if n, _ := db.CountUsers(context.Background()); n == 0 {
		firstAccount(t, db)
	}
	f := &leadFixture{org: mustOrg(t, db, name)}
	for _, m := range []struct {
		u    **isms.User
		role isms.Role
	}{{&f.coord, isms.RoleCoordinator}, {&f.admin, isms.RoleAdministrator}, {&f.contrib, isms.RoleContributor},
		{&f.mgmt, isms.RoleManagement}, {&f.auditor, isms.RoleAuditor}, {&f.reader, isms.RoleReader}} {
		*m.u = mustUser(t, db, string(m.role)+"@"+name+".example")
		mustMember(t, db, f.org, *m.u, m.role)
	}
	f.outside = mustUser(t, db, "outside@"+name+".example")
	var err error
	if f.system, err = db.CreateOverviewEntry(as(f.coord), f.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "ESDH"}); err != nil {
		t.Fatal(err)
	}
	if f.process, err = db.CreateOverviewEntry(as(f.coord), f.org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Sagsbehandling"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func leadFieldKey(err error, field string) string {
	if e := isms.AsError(err); e != nil {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Key
			}
		}
	}
	return ""
}

// leadWantField fails unless err is invalid input naming field with key.
func leadWantField(t *testing.T, err error, field, key string) {
	t.Helper()
	wantCode(t, err, isms.EInvalid)
	if got := leadFieldKey(err, field); got != key {
		t.Fatalf("field %s: want %q, got %q (%v)", field, key, got, err)
	}
}

// leadUnchanged checks that a refused call stored nothing: the same rows in
// the element's tables and no new audit event.
func leadUnchanged(t *testing.T, db *rawDB, orgID int64, tables []string, call func() error, check func(error)) {
	t.Helper()
	before := map[string]int64{}
	for _, tb := range tables {
		before[tb] = db.int(t, "SELECT COUNT(*) FROM "+tb)
	}
	events := auditCount(t, db.DB, orgID)
	check(call())
	for _, tb := range tables {
		if n := db.int(t, "SELECT COUNT(*) FROM "+tb); n != before[tb] {
			t.Errorf("%s: %d rows, had %d", tb, n, before[tb])
		}
	}
	if n := auditCount(t, db.DB, orgID); n != events {
		t.Errorf("audit events: %d, had %d", n, events)
	}
}

var leadTables = []string{"security_roles", "security_role_people", "isms_activities", "raci_cells", "roles_lists", "record_links",
	"forums", "forum_members", "forum_meetings", "meeting_agenda_items", "forum_decisions"}

func TestSecurityRolesAndHolders(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Roller")
		ctx := as(f.coord)
		owner, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{TemplateKey: "system_owner", Name: "Systemejere",
			Description: "Ejer hvert forretningskritisk system", HolderIDs: []int64{f.contrib.ID, f.contrib.ID}, DeputyIDs: []int64{f.coord.ID},
			SystemIDs: []int64{f.system.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(owner.Holders) != 1 || owner.Holders[0].UserID != f.contrib.ID || !owner.Holders[0].Member || len(owner.Deputies) != 1 ||
			len(owner.SystemIDs) != 1 || owner.SystemIDs[0] != f.system.ID || owner.Vacant() {
			t.Fatalf("role %+v", owner)
		}
		own, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Beredskabsleder"})
		if err != nil || !own.Vacant() || own.TemplateKey != "" {
			t.Fatal(own, err)
		}
		// The offered roles come first, in the guide's order.
		top, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{TemplateKey: "top_management", Name: "Direktionen", HolderIDs: []int64{f.mgmt.ID}})
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.SecurityRoles(as(f.reader), f.org.ID)
		if err != nil || len(list) != 3 || list[0].ID != top.ID || list[1].ID != owner.ID || list[2].ID != own.ID {
			t.Fatalf("order: %v %v", list, err)
		}

		// Bad input is refused with the field named, and nothing is stored.
		for _, c := range []struct {
			name       string
			in         isms.SecurityRoleInput
			field, key string
		}{
			{"no name", isms.SecurityRoleInput{Name: "  "}, "name", "err.required"},
			{"name taken", isms.SecurityRoleInput{Name: "systemejere"}, "name", "err.name_taken"},
			{"holder not a member", isms.SecurityRoleInput{Name: "X", HolderIDs: []int64{f.outside.ID}}, "holder_ids", "err.not_member"},
			{"deputy not a member", isms.SecurityRoleInput{Name: "X", DeputyIDs: []int64{f.outside.ID}}, "deputy_ids", "err.not_member"},
			{"holder and deputy", isms.SecurityRoleInput{Name: "X", HolderIDs: []int64{f.coord.ID}, DeputyIDs: []int64{f.coord.ID}}, "deputy_ids", "lead.err.holder_and_deputy"},
			{"not a system", isms.SecurityRoleInput{Name: "X", SystemIDs: []int64{f.process.ID}}, "system_ids", "lead.err.not_system"},
			{"unknown template", isms.SecurityRoleInput{Name: "X", TemplateKey: "king"}, "template_key", "err.choice"},
			{"template twice", isms.SecurityRoleInput{Name: "X", TemplateKey: "system_owner"}, "template_key", "lead.err.template_used"},
		} {
			leadUnchanged(t, db, f.org.ID, leadTables, func() error {
				_, err := db.CreateSecurityRole(ctx, f.org.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// A batch is all or nothing.
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.CreateSecurityRoles(ctx, f.org.ID, []isms.SecurityRoleInput{{Name: "Ny A"}, {Name: "Ny A"}})
			return err
		}, func(err error) { leadWantField(t, err, "name", "err.name_taken") })

		// Holders change; a stale version is refused.
		changed, err := db.SetRoleHolders(ctx, f.org.ID, own.ID, isms.RoleHoldersInput{HolderIDs: []int64{f.admin.ID}, Version: own.Version})
		if err != nil || len(changed.Holders) != 1 || changed.Version != own.Version+1 {
			t.Fatal(changed, err)
		}
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.SetRoleHolders(ctx, f.org.ID, own.ID, isms.RoleHoldersInput{HolderIDs: []int64{f.reader.ID}, Version: own.Version})
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.UpdateSecurityRole(ctx, f.org.ID, own.ID, isms.SecurityRoleInput{Name: "Y", Version: own.Version})
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		upd, err := db.UpdateSecurityRole(ctx, f.org.ID, own.ID, isms.SecurityRoleInput{Name: "Beredskabschef", Description: "Leder beredskabet",
			HolderIDs: []int64{f.admin.ID}, DeputyIDs: []int64{f.reader.ID}, Version: changed.Version})
		if err != nil || upd.Name != "Beredskabschef" || len(upd.Deputies) != 1 || upd.Deputies[0].UserID != f.reader.ID {
			t.Fatal(upd, err)
		}

		// A holder who leaves the organisation shows as no longer a member.
		ms, _ := db.Memberships(asSystem(), f.org.ID)
		for _, m := range ms {
			if m.UserID == f.contrib.ID {
				if err := db.RemoveMembership(asSystem(), f.org.ID, m.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		got, err := db.SecurityRole(as(f.reader), f.org.ID, owner.ID)
		if err != nil || got.Holders[0].Member || !got.Vacant() {
			t.Fatalf("after the holder left: %+v %v", got, err)
		}

		// Deleting removes the holders and links too.
		if err := db.DeleteSecurityRole(ctx, f.org.ID, owner.ID, owner.Version+1); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale delete: %v", err)
		}
		if err := db.DeleteSecurityRole(ctx, f.org.ID, owner.ID, got.Version); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM security_role_people WHERE role_id = ?", owner.ID); n != 0 {
			t.Errorf("%d people left", n)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM record_links WHERE from_type = 'security_role' AND from_id = ?", owner.ID); n != 0 {
			t.Errorf("%d links left", n)
		}
		if _, err := db.SecurityRole(ctx, f.org.ID, owner.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("deleted role: %v", err)
		}
	})
}

func raciCell(activity, role int64, v isms.RACI) isms.MatrixCell {
	return isms.MatrixCell{ActivityID: activity, RoleID: role, Value: v}
}

func TestResponsibilityMatrix(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Matrix")
		ctx := as(f.coord)
		roles, err := db.CreateSecurityRoles(ctx, f.org.ID, []isms.SecurityRoleInput{
			{TemplateKey: "top_management", Name: "Direktionen", HolderIDs: []int64{f.mgmt.ID}},
			{TemplateKey: "coordinator", Name: "Koordinator", HolderIDs: []int64{f.coord.ID}},
			{TemplateKey: "all_staff", Name: "Alle medarbejdere"},
		})
		if err != nil {
			t.Fatal(err)
		}
		top, coord, staff := roles[0].ID, roles[1].ID, roles[2].ID
		acts, err := db.CreateISMSActivities(ctx, f.org.ID, []isms.ISMSActivityInput{
			{TemplateKey: "policy", Name: "Informationssikkerhedspolitik"},
			{TemplateKey: "risk_assessment", Name: "Risikovurdering"},
		})
		if err != nil {
			t.Fatal(err)
		}
		pol, risk := acts[0].ID, acts[1].ID
		l, err := db.RolesList(ctx, f.org.ID)
		if err != nil || l.Complete() || len(l.Roles) != 3 || len(l.Activities) != 2 || l.Version != 5 {
			t.Fatalf("list: %+v %v", l, err)
		}

		// An activity no one answers for, or that two answer for, is
		// refused with the activities named; nothing is stored.
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.SaveMatrix(ctx, f.org.ID, isms.MatrixInput{Version: l.Version, Cells: []isms.MatrixCell{
				raciCell(pol, top, isms.RACIAccountable), raciCell(pol, coord, isms.RACIResponsible), raciCell(risk, coord, isms.RACIResponsible)}})
			if e := isms.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Args[0] != "Risikovurdering" {
				t.Errorf("missing accountable: %v", err)
			}
			return err
		}, func(err error) { leadWantField(t, err, "raci", "lead.err.no_accountable") })
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.SaveMatrix(ctx, f.org.ID, isms.MatrixInput{Version: l.Version, Cells: []isms.MatrixCell{
				raciCell(pol, top, isms.RACIAccountable), raciCell(risk, top, isms.RACIAccountable), raciCell(risk, coord, isms.RACIAccountableResponsible)}})
			return err
		}, func(err error) { leadWantField(t, err, "raci_accountable", "lead.err.several_accountable") })
		for _, bad := range []isms.MatrixCell{raciCell(pol, staff, "X"), raciCell(pol, 999999, isms.RACIInformed)} {
			leadUnchanged(t, db, f.org.ID, leadTables, func() error {
				_, err := db.SaveMatrix(ctx, f.org.ID, isms.MatrixInput{Version: l.Version, Cells: []isms.MatrixCell{
					raciCell(pol, top, isms.RACIAccountable), raciCell(risk, top, isms.RACIAccountable), bad}})
				return err
			}, func(err error) { wantCode(t, err, isms.EInvalid) })
		}
		// Only the coordinator's kind of role edits it.
		for _, u := range []*isms.User{f.mgmt, f.auditor, f.reader, f.contrib} {
			_, err := db.SaveMatrix(as(u), f.org.ID, isms.MatrixInput{Version: l.Version})
			wantCode(t, err, isms.EForbidden)
		}

		cells := []isms.MatrixCell{raciCell(pol, top, isms.RACIAccountable), raciCell(pol, coord, isms.RACIResponsible), raciCell(pol, staff, isms.RACIInformed),
			raciCell(risk, coord, isms.RACIAccountableResponsible), raciCell(risk, top, isms.RACIConsulted), raciCell(risk, staff, "")}
		saved, err := db.SaveMatrix(ctx, f.org.ID, isms.MatrixInput{Version: l.Version, Cells: cells})
		if err != nil {
			t.Fatal(err)
		}
		if !saved.Complete() || len(saved.Cells) != 5 || saved.Cell(risk, coord) != isms.RACIAccountableResponsible || saved.Cell(risk, staff) != "" {
			t.Fatalf("saved %+v", saved.Cells)
		}
		// The form based on the old version is stale now.
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.SaveMatrix(ctx, f.org.ID, isms.MatrixInput{Version: l.Version, Cells: cells})
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })

		// Management approves the current version; nobody else may.
		for _, u := range []*isms.User{f.coord, f.admin, f.auditor, f.reader, f.contrib} {
			_, err := db.ApproveRolesList(as(u), f.org.ID, saved.Version)
			wantCode(t, err, isms.EForbidden)
		}
		_, err = db.ApproveRolesList(as(f.mgmt), f.org.ID, saved.Version-1)
		wantCode(t, err, isms.EConflict)
		ok, err := db.ApproveRolesList(as(f.mgmt), f.org.ID, saved.Version)
		if err != nil || !ok.Approved() || ok.ApprovedByName != f.mgmt.Name {
			t.Fatal(ok, err)
		}
		// A role that answers for an activity is not deleted in passing.
		r, _ := db.SecurityRole(ctx, f.org.ID, top)
		leadUnchanged(t, db, f.org.ID, leadTables, func() error { return db.DeleteSecurityRole(ctx, f.org.ID, top, r.Version) },
			func(err error) {
				wantCode(t, err, isms.EConflict)
				if e := isms.AsError(err); e.Key != "lead.err.role_accountable" || e.Args[0] != "Informationssikkerhedspolitik" {
					t.Errorf("refusal %v", err)
				}
			})

		// A change after approval needs approval again; a new activity
		// leaves the matrix incomplete, which management cannot approve.
		if _, err := db.CreateISMSActivity(ctx, f.org.ID, isms.ISMSActivityInput{Name: "Beredskabsøvelse"}); err != nil {
			t.Fatal(err)
		}
		l, _ = db.RolesList(ctx, f.org.ID)
		if l.Approved() || l.Complete() || l.ApprovedVersion != saved.Version {
			t.Fatalf("after a change: approved %v complete %v", l.Approved(), l.Complete())
		}
		_, err = db.ApproveRolesList(as(f.mgmt), f.org.ID, l.Version)
		if e := isms.AsError(err); e == nil || e.Key != "lead.err.matrix_incomplete" {
			t.Fatalf("incomplete approval: %v", err)
		}
		// Deleting an activity removes its row of the matrix.
		a, _ := db.ISMSActivities(ctx, f.org.ID)
		if err := db.DeleteISMSActivity(ctx, f.org.ID, risk, a[1].Version); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM raci_cells WHERE activity_id = ?", risk); n != 0 {
			t.Errorf("%d cells left", n)
		}
		// The audit trail keeps the matrix by names.
		events, _, err := db.AuditEvents(asSystem(), f.org.ID, isms.AuditFilter{RecordType: "raci_matrix"})
		if err != nil || len(events) != 1 || events[0].Action != "update" {
			t.Fatalf("matrix events: %v %v", events, err)
		}
	})
}

func TestEmptyRolesListCannotBeApproved(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "Tom")
		_, err := db.ApproveRolesList(as(f.mgmt), f.org.ID, 0)
		if e := isms.AsError(err); e == nil || e.Key != "lead.err.no_roles" {
			t.Fatalf("%v", err)
		}
	})
}

// leadCommittee sets up a security committee with a planned and a held meeting.
func leadCommittee(t *testing.T, db *sqlstore.DB, f *leadFixture) (*isms.Forum, *isms.Meeting, *isms.Meeting) {
	t.Helper()
	ctx := as(f.coord)
	forum, err := db.CreateForum(ctx, f.org.ID, isms.ForumInput{Name: "Informationssikkerhedsudvalget", Mandate: "Koordinerer",
		ChairID: &f.mgmt.ID, MemberIDs: []int64{f.coord.ID}})
	if err != nil {
		t.Fatal(err)
	}
	today := isms.DateOf(db.Now())
	past, future := today.AddDays(-30), today.AddDays(60)
	held, err := db.CreateMeeting(ctx, f.org.ID, forum.ID, isms.MeetingInput{Date: &past, Status: isms.MeetingHeld, Venue: "Rådhuset",
		Minutes: "Referat", Agenda: []isms.AgendaItemInput{{Title: "Risikovurdering", Topics: []string{"objectives", "objectives"}},
			{Title: "Eventuelt"}}})
	if err != nil {
		t.Fatal(err)
	}
	planned, err := db.CreateMeeting(ctx, f.org.ID, forum.ID, isms.MeetingInput{Date: &future,
		Agenda: []isms.AgendaItemInput{{Title: "Politik", Topics: []string{"policies", "communication"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return forum, held, planned
}

func TestCommitteeMeetingsAndDecisions(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Udvalg")
		ctx := as(f.coord)
		forum, held, planned := leadCommittee(t, db.DB, f)
		// The chair is always a member.
		if forum.ChairName != f.mgmt.Name || len(forum.Members) != 2 {
			t.Fatalf("forum %+v", forum)
		}
		if planned.Status != isms.MeetingPlanned || len(held.Agenda) != 2 || len(held.Agenda[0].Topics) != 1 || held.Agenda[1].Topics == nil {
			t.Fatalf("meetings %+v %+v", planned, held)
		}
		today := isms.DateOf(db.Now())
		tomorrow := today.AddDays(1)

		// Bad input is refused with the field named; nothing is stored.
		for _, c := range []struct {
			name       string
			in         isms.ForumInput
			field, key string
		}{
			{"chair not a member", isms.ForumInput{Name: "X", ChairID: &f.outside.ID}, "chair_id", "err.not_member"},
			{"member not a member", isms.ForumInput{Name: "X", MemberIDs: []int64{f.outside.ID}}, "member_ids", "err.not_member"},
			{"name taken", isms.ForumInput{Name: "informationssikkerhedsudvalget"}, "name", "err.name_taken"},
		} {
			leadUnchanged(t, db, f.org.ID, leadTables, func() error {
				_, err := db.CreateForum(ctx, f.org.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		for _, c := range []struct {
			name       string
			in         isms.MeetingInput
			field, key string
		}{
			{"no date", isms.MeetingInput{}, "meeting_date", "err.required"},
			{"held tomorrow", isms.MeetingInput{Date: &tomorrow, Status: isms.MeetingHeld}, "status", "lead.err.held_in_future"},
			{"bad status", isms.MeetingInput{Date: &today, Status: "postponed"}, "status", "err.choice"},
			{"unknown topic", isms.MeetingInput{Date: &today, Agenda: []isms.AgendaItemInput{{Title: "A", Topics: []string{"budget"}}}}, "agenda", "lead.err.unknown_topic"},
			{"untitled item", isms.MeetingInput{Date: &today, Agenda: []isms.AgendaItemInput{{Title: "A"}, {Notes: "no title"}}}, "agenda", "lead.err.agenda_title"},
		} {
			leadUnchanged(t, db, f.org.ID, leadTables, func() error {
				_, err := db.CreateMeeting(ctx, f.org.ID, forum.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}

		// Decisions belong to held meetings and always have an owner.
		owner := f.contrib.ID
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.CreateDecision(ctx, f.org.ID, planned.ID, isms.DecisionInput{Text: "X", OwnerID: &owner})
			return err
		}, func(err error) {
			if e := isms.AsError(err); e == nil || e.Key != "lead.err.decision_needs_held" {
				t.Errorf("decision on a planned meeting: %v", err)
			}
		})
		for _, c := range []struct {
			name       string
			in         isms.DecisionInput
			field, key string
		}{
			{"no owner", isms.DecisionInput{Text: "Politikken revideres"}, "owner_id", "lead.err.owner_required"},
			{"owner not a member", isms.DecisionInput{Text: "X", OwnerID: &f.outside.ID}, "owner_id", "err.not_member"},
			{"no text", isms.DecisionInput{OwnerID: &owner}, "decision", "err.required"},
			{"unknown topic", isms.DecisionInput{Text: "X", OwnerID: &owner, Topics: []string{"roles", "weather"}}, "management_topics", "lead.err.unknown_topic"},
			{"bad status", isms.DecisionInput{Text: "X", OwnerID: &owner, Status: "maybe"}, "status", "err.choice"},
		} {
			leadUnchanged(t, db, f.org.ID, leadTables, func() error {
				_, err := db.CreateDecision(ctx, f.org.ID, held.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		due := today.AddDays(-1)
		d, err := db.CreateDecision(ctx, f.org.ID, held.ID, isms.DecisionInput{Text: "Risikoniveauet accepteres; restrisici godkendt",
			OwnerID: &owner, FollowUpBy: &due, Topics: []string{"roles", "objectives"}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != isms.FollowUpOpen || !d.Overdue(today) || d.Topics[0] != "objectives" || d.ForumName != forum.Name || !d.MeetingDate.Equal(held.Date.Time) {
			t.Fatalf("decision %+v", d)
		}
		overdue, n, err := db.Decisions(as(f.reader), f.org.ID, isms.DecisionFilter{Overdue: true})
		if err != nil || n != 1 || overdue[0].ID != d.ID {
			t.Fatalf("overdue: %v %d %v", overdue, n, err)
		}

		// The owner records the follow-up, whatever their role; others
		// without the edit permission may not.
		for _, u := range []*isms.User{f.reader, f.mgmt, f.auditor} {
			_, err := db.RecordFollowUp(as(u), f.org.ID, d.ID, isms.FollowUpInput{Status: isms.FollowUpDone, Version: d.Version})
			wantCode(t, err, isms.EForbidden)
		}
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.RecordFollowUp(as(f.contrib), f.org.ID, d.ID, isms.FollowUpInput{Status: isms.FollowUpDone, Version: d.Version + 1})
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		d2, err := db.RecordFollowUp(as(f.contrib), f.org.ID, d.ID, isms.FollowUpInput{Status: isms.FollowUpInProgress,
			FollowUpNote: "Handlingsplan i gang", Version: d.Version})
		if err != nil || d2.Status != isms.FollowUpInProgress || d2.FollowUpNote != "Handlingsplan i gang" {
			t.Fatal(d2, err)
		}
		// The contributor may not rewrite the decision itself.
		_, err = db.UpdateDecision(as(f.contrib), f.org.ID, d.ID, isms.DecisionInput{Text: "Andet", OwnerID: &owner, Version: d2.Version})
		wantCode(t, err, isms.EForbidden)

		// A meeting with decisions stays held and is not deleted.
		m, _ := db.Meeting(ctx, f.org.ID, held.ID)
		if len(m.Decisions) != 1 || m.Topics()[0] != "objectives" {
			t.Fatalf("meeting %+v", m)
		}
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.UpdateMeeting(ctx, f.org.ID, held.ID, isms.MeetingInput{Date: &held.Date, Status: isms.MeetingCancelled, Version: m.Version})
			return err
		}, func(err error) { leadWantField(t, err, "status", "lead.err.meeting_has_decisions") })
		leadUnchanged(t, db, f.org.ID, leadTables, func() error { return db.DeleteMeeting(ctx, f.org.ID, held.ID, m.Version) },
			func(err error) { wantCode(t, err, isms.EConflict) })
		leadUnchanged(t, db, f.org.ID, leadTables, func() error { return db.DeleteForum(ctx, f.org.ID, forum.ID, forum.Version) },
			func(err error) { wantCode(t, err, isms.EConflict) })
		// A stale meeting edit is refused.
		leadUnchanged(t, db, f.org.ID, leadTables, func() error {
			_, err := db.UpdateMeeting(ctx, f.org.ID, planned.ID, isms.MeetingInput{Date: &planned.Date, Version: planned.Version + 1})
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })

		// Replacing the agenda keeps its order.
		p2, err := db.UpdateMeeting(ctx, f.org.ID, planned.ID, isms.MeetingInput{Date: &planned.Date, Version: planned.Version, Venue: "Byrådssalen",
			Agenda: []isms.AgendaItemInput{{Title: "Tredje"}, {Title: "Første", Topics: []string{"resources"}}}})
		if err != nil || len(p2.Agenda) != 2 || p2.Agenda[0].Title != "Tredje" || p2.Venue != "Byrådssalen" {
			t.Fatal(p2, err)
		}
		list, total, err := db.Meetings(as(f.reader), f.org.ID, isms.MeetingFilter{ForumID: forum.ID})
		if err != nil || total != 2 || list[0].ID != planned.ID || len(list[1].Decisions) != 1 {
			t.Fatalf("meetings: %v %d %v", list, total, err)
		}
		// Decisions and empty meetings can be deleted, and then the forum.
		d3, _ := db.Decision(ctx, f.org.ID, d.ID)
		if err := db.DeleteDecision(ctx, f.org.ID, d.ID, d3.Version); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{held.ID, planned.ID} {
			m, _ := db.Meeting(ctx, f.org.ID, id)
			if err := db.DeleteMeeting(ctx, f.org.ID, id, m.Version); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.DeleteForum(ctx, f.org.ID, forum.ID, forum.Version); err != nil {
			t.Fatal(err)
		}
		for _, tb := range []string{"forums", "forum_members", "forum_meetings", "meeting_agenda_items", "forum_decisions"} {
			if n := db.int(t, "SELECT COUNT(*) FROM "+tb); n != 0 {
				t.Errorf("%s: %d rows left", tb, n)
			}
		}
	})
}

// The committee's meetings report the management topics: held meetings'
// agenda items and decisions as dealt with, planned meetings' agenda items
// as planned; cancelled meetings not at all.
func TestCommitteeReportsManagementTopics(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "Emner")
		forum, held, planned := leadCommittee(t, db, f)
		owner := f.contrib.ID
		if _, err := db.CreateDecision(as(f.coord), f.org.ID, held.ID, isms.DecisionInput{Text: "Ny rollefordeling", OwnerID: &owner,
			Topics: []string{"roles"}}); err != nil {
			t.Fatal(err)
		}
		today := isms.DateOf(db.Now())
		soon := today.AddDays(10)
		cancelled, err := db.CreateMeeting(as(f.coord), f.org.ID, forum.ID, isms.MeetingInput{Date: &soon, Status: isms.MeetingCancelled,
			Agenda: []isms.AgendaItemInput{{Title: "Ressourcer", Topics: []string{"resources"}}}})
		if err != nil {
			t.Fatal(err)
		}
		status, err := db.ManagementTopicStatus(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]isms.TopicStatus{}
		for _, s := range status {
			by[s.Topic] = s
		}
		for topic, want := range map[string]struct{ last, next bool }{
			"objectives": {true, false}, "roles": {true, false}, "policies": {false, true}, "communication": {false, true},
			"resources": {false, false}, "organisation": {false, false}, "improvement": {false, false},
		} {
			s := by[topic]
			if (s.Last != nil) != want.last || (s.Next != nil) != want.next {
				t.Errorf("%s: last %v next %v, want %v", topic, s.Last, s.Next, want)
			}
		}
		if l := by["objectives"].Last; l == nil || !l.Day.Equal(held.Date.Time) || l.Evidence.Path != "/leadership/meetings/"+strconv.FormatInt(held.ID, 10) ||
			l.Evidence.RecordType != "forum_meeting" {
			t.Errorf("evidence %+v", l)
		}
		if n := by["policies"].Next; n == nil || !n.Day.Equal(planned.Date.Time) || n.Done {
			t.Errorf("next %+v", n)
		}

		// The calendar holds the meetings that take place and the
		// decisions' follow-up dates.
		due := today.AddDays(20)
		if _, err := db.CreateDecision(as(f.coord), f.org.ID, held.ID, isms.DecisionInput{Text: "Budget", OwnerID: &owner, FollowUpBy: &due}); err != nil {
			t.Fatal(err)
		}
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, today.AddDays(-60), today.AddDays(90))
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, it := range items {
			kinds[it.Kind]++
			if it.Evidence.RecordID == cancelled.ID && it.Evidence.RecordType == "forum_meeting" {
				t.Errorf("cancelled meeting in the calendar")
			}
		}
		if kinds["lead.schedule.meeting"] != 2 || kinds["lead.schedule.decision"] != 1 {
			t.Errorf("calendar %v", kinds)
		}
	})
}

// Every leadership call answers a member of another organisation as if
// the records did not exist, and roles without the edit permission are
// refused every change.
func TestLeadershipAccess(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "Egen")
		other := newLeadFixture(t, db, "Anden")
		role, err := db.CreateSecurityRole(as(f.coord), f.org.ID, isms.SecurityRoleInput{Name: "Koordinator", HolderIDs: []int64{f.coord.ID}})
		if err != nil {
			t.Fatal(err)
		}
		act, err := db.CreateISMSActivity(as(f.coord), f.org.ID, isms.ISMSActivityInput{Name: "Politik"})
		if err != nil {
			t.Fatal(err)
		}
		forum, held, _ := leadCommittee(t, db, f)
		owner := f.coord.ID
		dec, err := db.CreateDecision(as(f.coord), f.org.ID, held.ID, isms.DecisionInput{Text: "X", OwnerID: &owner})
		if err != nil {
			t.Fatal(err)
		}
		today := isms.DateOf(db.Now())
		writes := map[string]func(ctx context.Context) error{
			"create role": func(ctx context.Context) error {
				_, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Ny"})
				return err
			},
			"update role": func(ctx context.Context) error {
				_, err := db.UpdateSecurityRole(ctx, f.org.ID, role.ID, isms.SecurityRoleInput{Name: "Ny", Version: role.Version})
				return err
			},
			"holders": func(ctx context.Context) error {
				_, err := db.SetRoleHolders(ctx, f.org.ID, role.ID, isms.RoleHoldersInput{Version: role.Version})
				return err
			},
			"delete role": func(ctx context.Context) error { return db.DeleteSecurityRole(ctx, f.org.ID, role.ID, role.Version) },
			"create activity": func(ctx context.Context) error {
				_, err := db.CreateISMSActivity(ctx, f.org.ID, isms.ISMSActivityInput{Name: "Ny"})
				return err
			},
			"update activity": func(ctx context.Context) error {
				_, err := db.UpdateISMSActivity(ctx, f.org.ID, act.ID, isms.ISMSActivityInput{Name: "Ny", Version: act.Version})
				return err
			},
			"delete activity": func(ctx context.Context) error { return db.DeleteISMSActivity(ctx, f.org.ID, act.ID, act.Version) },
			"matrix": func(ctx context.Context) error {
				_, err := db.SaveMatrix(ctx, f.org.ID, isms.MatrixInput{})
				return err
			},
			"create forum": func(ctx context.Context) error {
				_, err := db.CreateForum(ctx, f.org.ID, isms.ForumInput{Name: "Ny"})
				return err
			},
			"update forum": func(ctx context.Context) error {
				_, err := db.UpdateForum(ctx, f.org.ID, forum.ID, isms.ForumInput{Name: "Ny", Version: forum.Version})
				return err
			},
			"delete forum": func(ctx context.Context) error { return db.DeleteForum(ctx, f.org.ID, forum.ID, forum.Version) },
			"create meeting": func(ctx context.Context) error {
				_, err := db.CreateMeeting(ctx, f.org.ID, forum.ID, isms.MeetingInput{Date: &today})
				return err
			},
			"update meeting": func(ctx context.Context) error {
				_, err := db.UpdateMeeting(ctx, f.org.ID, held.ID, isms.MeetingInput{Date: &today, Status: isms.MeetingHeld, Version: held.Version})
				return err
			},
			"delete meeting": func(ctx context.Context) error { return db.DeleteMeeting(ctx, f.org.ID, held.ID, held.Version) },
			"create decision": func(ctx context.Context) error {
				_, err := db.CreateDecision(ctx, f.org.ID, held.ID, isms.DecisionInput{Text: "Y", OwnerID: &owner})
				return err
			},
			"update decision": func(ctx context.Context) error {
				_, err := db.UpdateDecision(ctx, f.org.ID, dec.ID, isms.DecisionInput{Text: "Y", OwnerID: &owner, Version: dec.Version})
				return err
			},
			"follow-up": func(ctx context.Context) error {
				_, err := db.RecordFollowUp(ctx, f.org.ID, dec.ID, isms.FollowUpInput{Status: isms.FollowUpDone, Version: dec.Version})
				return err
			},
			"delete decision": func(ctx context.Context) error { return db.DeleteDecision(ctx, f.org.ID, dec.ID, dec.Version) },
			"approve": func(ctx context.Context) error {
				_, err := db.ApproveRolesList(ctx, f.org.ID, 1)
				return err
			},
		}
		reads := map[string]func(ctx context.Context) error{
			"roles":      func(ctx context.Context) error { _, err := db.SecurityRoles(ctx, f.org.ID); return err },
			"role":       func(ctx context.Context) error { _, err := db.SecurityRole(ctx, f.org.ID, role.ID); return err },
			"activities": func(ctx context.Context) error { _, err := db.ISMSActivities(ctx, f.org.ID); return err },
			"list":       func(ctx context.Context) error { _, err := db.RolesList(ctx, f.org.ID); return err },
			"forums":     func(ctx context.Context) error { _, err := db.Forums(ctx, f.org.ID); return err },
			"forum":      func(ctx context.Context) error { _, err := db.Forum(ctx, f.org.ID, forum.ID); return err },
			"meetings": func(ctx context.Context) error {
				_, _, err := db.Meetings(ctx, f.org.ID, isms.MeetingFilter{})
				return err
			},
			"meeting": func(ctx context.Context) error { _, err := db.Meeting(ctx, f.org.ID, held.ID); return err },
			"decisions": func(ctx context.Context) error {
				_, _, err := db.Decisions(ctx, f.org.ID, isms.DecisionFilter{})
				return err
			},
			"decision": func(ctx context.Context) error { _, err := db.Decision(ctx, f.org.ID, dec.ID); return err },
			"topics":   func(ctx context.Context) error { _, err := db.ManagementTopicStatus(ctx, f.org.ID); return err },
		}
		for name, call := range reads {
			if err := call(as(other.coord)); isms.ErrorCode(err) != isms.ENotFound {
				t.Errorf("%s by another organisation's coordinator: %v", name, err)
			}
			if err := call(as(f.reader)); err != nil {
				t.Errorf("%s by a reader: %v", name, err)
			}
		}
		for name, call := range writes {
			if err := call(as(other.coord)); isms.ErrorCode(err) != isms.ENotFound {
				t.Errorf("%s by another organisation's coordinator: %v", name, err)
			}
			for _, u := range []*isms.User{f.reader, f.auditor, f.contrib} {
				if err := call(as(u)); isms.ErrorCode(err) != isms.EForbidden {
					t.Errorf("%s by %s: %v", name, u.Email, err)
				}
			}
			if name != "approve" {
				if err := call(as(f.mgmt)); isms.ErrorCode(err) != isms.EForbidden {
					t.Errorf("%s by management: %v", name, err)
				}
			}
		}
	})
}
