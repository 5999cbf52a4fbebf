package sqlstore_test

import (
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// orgFixture is an organisation with an entry, a scope, a member and a
// manual checklist answer, for the isolation tests.
type orgFixture struct {
	org    *isms.Organisation
	entry  *isms.OverviewEntry
	scope  *isms.Scope
	member *isms.Membership
	user   *isms.User // a coordinator of org
}

func newFixture(t *testing.T, db *sqlstore.DB, name string, parent *isms.Organisation) *orgFixture {
	t.Helper()
	in := isms.OrganisationInput{Name: name}
	if parent != nil {
		in.ParentID = &parent.ID
	}
	org, err := db.CreateOrganisation(asSystem(), in)
	if err != nil {
		t.Fatal(err)
	}
	f := &orgFixture{org: org, user: mustUser(t, db, "coordinator@"+name+".example")}
	if f.member, err = db.AddMembership(asSystem(), org.ID, isms.MembershipInput{Email: f.user.Email, Role: isms.RoleCoordinator}); err != nil {
		t.Fatal(err)
	}
	if f.entry, err = db.CreateOverviewEntry(as(f.user), org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Process of " + name}); err != nil {
		t.Fatal(err)
	}
	if f.scope, err = db.SaveScope(as(f.user), org.ID, isms.ScopeInput{Description: "Scope of " + name, ProcessIDs: []int64{f.entry.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := db.AnswerManually(as(f.user), org.ID, "4.1", isms.AnswerYes, "Budget approved", 0); err != nil {
		t.Fatal(err)
	}
	// Reading the checklist keeps the day's tally; keep it now, so later
	// reads change nothing.
	if _, err := db.Checklist(as(f.user), org.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

// orgCall is one service call on an organisation, made as ctx.
type orgCall struct {
	name  string
	write bool
	call  func(ctx context.Context) error
}

// callsOn lists every read and write the services offer on f's records.
func callsOn(db *sqlstore.DB, f *orgFixture) []orgCall {
	id := f.org.ID
	return []orgCall{
		{"Organisation", false, func(ctx context.Context) error { _, err := db.Organisation(ctx, id); return err }},
		{"Access", false, func(ctx context.Context) error { _, err := db.Access(ctx, id); return err }},
		{"OverviewEntries", false, func(ctx context.Context) error {
			_, _, err := db.OverviewEntries(ctx, id, isms.EntryFilter{})
			return err
		}},
		{"OverviewEntry", false, func(ctx context.Context) error { _, err := db.OverviewEntry(ctx, id, f.entry.ID); return err }},
		{"Scope", false, func(ctx context.Context) error { _, err := db.Scope(ctx, id); return err }},
		{"Memberships", false, func(ctx context.Context) error { _, err := db.Memberships(ctx, id); return err }},
		{"Checklist", false, func(ctx context.Context) error { _, err := db.Checklist(ctx, id); return err }},
		{"ChecklistHistory", false, func(ctx context.Context) error { _, err := db.ChecklistHistory(ctx, id); return err }},
		{"ChecklistAnswerHistory", false, func(ctx context.Context) error {
			_, err := db.ChecklistAnswerHistory(ctx, id, isms.DateOf(db.Now()).AddDays(-30))
			return err
		}},
		{"AuditEvents", false, func(ctx context.Context) error { _, _, err := db.AuditEvents(ctx, id, isms.AuditFilter{}); return err }},
		{"UpdateOrganisation", true, func(ctx context.Context) error {
			_, err := db.UpdateOrganisation(ctx, id, isms.OrganisationInput{Name: f.org.Name, ParentID: f.org.ParentID, Purpose: "x", Version: f.org.Version})
			return err
		}},
		{"CreateOverviewEntry", true, func(ctx context.Context) error {
			_, err := db.CreateOverviewEntry(ctx, id, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Intruder"})
			return err
		}},
		{"UpdateOverviewEntry", true, func(ctx context.Context) error {
			_, err := db.UpdateOverviewEntry(ctx, id, f.entry.ID, isms.OverviewEntryInput{Name: "Intruder", Version: f.entry.Version})
			return err
		}},
		{"DeleteOverviewEntry", true, func(ctx context.Context) error { return db.DeleteOverviewEntry(ctx, id, f.entry.ID, f.entry.Version) }},
		{"SaveScope", true, func(ctx context.Context) error {
			_, err := db.SaveScope(ctx, id, isms.ScopeInput{Description: "Intruder", Version: f.scope.Version})
			return err
		}},
		{"ApproveScope", true, func(ctx context.Context) error { _, err := db.ApproveScope(ctx, id, f.scope.Version); return err }},
		{"AddMembership", true, func(ctx context.Context) error {
			_, err := db.AddMembership(ctx, id, isms.MembershipInput{Email: "intruder@elsewhere.example", Role: isms.RoleAdministrator})
			return err
		}},
		{"UpdateMembership", true, func(ctx context.Context) error {
			_, err := db.UpdateMembership(ctx, id, f.member.ID, isms.MembershipInput{Role: isms.RoleReader, Version: f.member.Version})
			return err
		}},
		{"RemoveMembership", true, func(ctx context.Context) error { return db.RemoveMembership(ctx, id, f.member.ID) }},
		{"AnswerManually", true, func(ctx context.Context) error {
			return db.AnswerManually(ctx, id, "4.1", isms.AnswerNo, "Intruder", 1)
		}},
	}
}

// snapshot is what the isolation tests check for change: the archive of
// the whole database, minus its header line.
func snapshot(t *testing.T, db *sqlstore.DB) *archive { return backup(t, db) }

func TestOrganisationsAreIsolated(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		a := newFixture(t, db, "a", nil)
		b := newFixture(t, db, "b", nil)
		mustUser(t, db, "intruder@elsewhere.example")
		// Give A's member the most rights an organisation member can have.
		if _, err := db.UpdateMembership(asSystem(), a.org.ID, a.member.ID, isms.MembershipInput{Role: isms.RoleAdministrator, Version: a.member.Version}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db)
		for _, c := range callsOn(db, b) {
			t.Run(c.name, func(t *testing.T) {
				wantCode(t, c.call(as(a.user)), isms.ENotFound)
			})
		}
		sameData(t, before, snapshot(t, db))

		// Nor can B's records be reached through A's own organisation id.
		ctx := as(a.user)
		_, err := db.OverviewEntry(ctx, a.org.ID, b.entry.ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.UpdateOverviewEntry(ctx, a.org.ID, b.entry.ID, isms.OverviewEntryInput{Name: "x", Version: b.entry.Version})
		wantCode(t, err, isms.ENotFound)
		wantCode(t, db.DeleteOverviewEntry(ctx, a.org.ID, b.entry.ID, b.entry.Version), isms.ENotFound)
		_, err = db.UpdateMembership(ctx, a.org.ID, b.member.ID, isms.MembershipInput{Role: isms.RoleReader, Version: b.member.Version})
		wantCode(t, err, isms.ENotFound)
		wantCode(t, db.RemoveMembership(ctx, a.org.ID, b.member.ID), isms.ENotFound)
		// … nor linked to from A's records.
		_, err = db.CreateOverviewEntry(ctx, a.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Link", Links: []int64{b.entry.ID}})
		wantCode(t, err, isms.EInvalid)
		_, err = db.SaveScope(ctx, a.org.ID, isms.ScopeInput{Description: "x", ProcessIDs: []int64{b.entry.ID}, Version: a.scope.Version})
		wantCode(t, err, isms.EInvalid)
		_, err = db.CreateOverviewEntry(ctx, a.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Owner", OwnerID: &b.user.ID})
		wantCode(t, err, isms.EInvalid)
		sameData(t, before, snapshot(t, db))

		orgs, err := db.Organisations(ctx)
		if err != nil || len(orgs) != 1 || orgs[0].ID != a.org.ID {
			t.Fatalf("A's member lists %+v, %v", orgs, err)
		}
		events, _, err := db.AuditEvents(ctx, a.org.ID, isms.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.OrganisationID != a.org.ID {
				t.Fatalf("A's audit trail shows an event of organisation %d", e.OrganisationID)
			}
		}
	})
}

func TestOversightReadsChildrenReadOnly(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		parent := newFixture(t, db, "department", nil)
		child := newFixture(t, db, "agency", parent.org)
		grandchild := newFixture(t, db, "office", child.org)
		sibling := newFixture(t, db, "other", nil)
		mustUser(t, db, "intruder@elsewhere.example")

		// The parent's coordinator has no oversight yet: the children are
		// out of sight.
		for _, f := range []*orgFixture{child, grandchild, sibling} {
			for _, c := range callsOn(db, f) {
				if err := c.call(as(parent.user)); isms.ErrorCode(err) != isms.ENotFound {
					t.Errorf("without oversight, %s on %s: want not_found, got %v", c.name, f.org.Name, err)
				}
			}
		}

		m, err := db.UpdateMembership(asSystem(), parent.org.ID, parent.member.ID, isms.MembershipInput{Role: isms.RoleCoordinator, Oversight: true, Version: parent.member.Version})
		if err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db)
		for _, f := range []*orgFixture{child, grandchild} {
			for _, c := range callsOn(db, f) {
				err := c.call(as(parent.user))
				if c.write {
					if isms.ErrorCode(err) != isms.EForbidden {
						t.Errorf("oversight, %s on %s: want forbidden, got %v", c.name, f.org.Name, err)
					}
				} else if err != nil {
					t.Errorf("oversight, %s on %s: %v", c.name, f.org.Name, err)
				}
			}
			acc, err := db.Access(as(parent.user), f.org.ID)
			if err != nil || !acc.Oversight || acc.Role != "" || acc.Can(isms.PermEdit) {
				t.Errorf("access to %s: %+v %v", f.org.Name, acc, err)
			}
		}
		for _, c := range callsOn(db, sibling) {
			if err := c.call(as(parent.user)); isms.ErrorCode(err) != isms.ENotFound {
				t.Errorf("oversight does not reach %s: %s gave %v", sibling.org.Name, c.name, err)
			}
		}
		// Oversight runs downwards only.
		if _, err := db.Scope(as(child.user), parent.org.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("a child's member reads the parent: %v", err)
		}
		sameData(t, before, snapshot(t, db))
		orgs, err := db.Organisations(as(parent.user))
		if err != nil || len(orgs) != 3 {
			t.Fatalf("with oversight the parent's member lists %d organisations, %v", len(orgs), err)
		}

		// Oversight withdrawn: out of sight again.
		if _, err := db.UpdateMembership(asSystem(), parent.org.ID, m.ID, isms.MembershipInput{Role: isms.RoleCoordinator, Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		for _, c := range callsOn(db, child) {
			if err := c.call(as(parent.user)); isms.ErrorCode(err) != isms.ENotFound {
				t.Errorf("oversight withdrawn, %s: want not_found, got %v", c.name, err)
			}
		}
	})
}
