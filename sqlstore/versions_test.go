package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// Two people open the same record; the second to save, working from the
// old version, is refused with a conflict and the first one's change stays.
func TestStaleVersionsAreRefused(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		f := newFixture(t, db, "versions", nil)
		ctx := as(f.user)
		reader := mustUser(t, db, "reader@versions.example")
		mustMember(t, db, f.org, reader, isms.RoleReader)
		members, err := db.Memberships(ctx, f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var m *isms.Membership
		for _, x := range members {
			if x.UserID == reader.ID {
				m = x
			}
		}

		// Everyone saves once, so each record is at version 2 and version 1 is stale.
		e, err := db.UpdateOverviewEntry(ctx, f.org.ID, f.entry.ID, isms.OverviewEntryInput{Name: "First edit", Version: f.entry.Version})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.SaveScope(ctx, f.org.ID, isms.ScopeInput{Description: "First edit", Version: f.scope.Version})
		if err != nil {
			t.Fatal(err)
		}
		o, err := db.UpdateOrganisation(ctx, f.org.ID, isms.OrganisationInput{Name: f.org.Name, Purpose: "First edit", Version: f.org.Version})
		if err != nil {
			t.Fatal(err)
		}
		m2, err := db.UpdateMembership(asSystem(), f.org.ID, m.ID, isms.MembershipInput{Role: isms.RoleAuditor, Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AnswerManually(ctx, f.org.ID, "4.1", isms.AnswerPartly, "First edit", 1); err != nil {
			t.Fatal(err)
		}
		before := backup(t, db)
		events := auditCount(t, db, f.org.ID)

		_, err = db.UpdateOverviewEntry(ctx, f.org.ID, e.ID, isms.OverviewEntryInput{Name: "Stale edit", Version: f.entry.Version})
		wantCode(t, err, isms.EConflict)
		wantCode(t, db.DeleteOverviewEntry(ctx, f.org.ID, e.ID, f.entry.Version), isms.EConflict)
		_, err = db.SaveScope(ctx, f.org.ID, isms.ScopeInput{Description: "Stale edit", Version: f.scope.Version})
		wantCode(t, err, isms.EConflict)
		_, err = db.ApproveScope(asSystem(), f.org.ID, f.scope.Version)
		wantCode(t, err, isms.EConflict)
		_, err = db.UpdateOrganisation(ctx, f.org.ID, isms.OrganisationInput{Name: f.org.Name, Purpose: "Stale edit", Version: f.org.Version})
		wantCode(t, err, isms.EConflict)
		_, err = db.UpdateMembership(asSystem(), f.org.ID, m.ID, isms.MembershipInput{Role: isms.RoleCoordinator, Version: m.Version})
		wantCode(t, err, isms.EConflict)
		wantCode(t, db.AnswerManually(ctx, f.org.ID, "4.1", isms.AnswerNo, "Stale edit", 1), isms.EConflict)
		// A first answer when there is one already is stale too.
		wantCode(t, db.AnswerManually(ctx, f.org.ID, "4.1", isms.AnswerNo, "Stale edit", 0), isms.EConflict)
		// And a version from the future.
		_, err = db.UpdateOverviewEntry(ctx, f.org.ID, e.ID, isms.OverviewEntryInput{Name: "Future edit", Version: e.Version + 1})
		wantCode(t, err, isms.EConflict)

		if got := auditCount(t, db, f.org.ID); got != events {
			t.Fatalf("refused edits wrote %d audit events", got-events)
		}
		sameData(t, before, backup(t, db))
		if got, _ := db.OverviewEntry(ctx, f.org.ID, e.ID); got.Name != "First edit" || got.Version != e.Version {
			t.Fatalf("entry %+v", got)
		}
		if got, _ := db.Scope(ctx, f.org.ID); got.Description != "First edit" || got.Version != s.Version || got.ApprovedAt != nil {
			t.Fatalf("scope %+v", got)
		}
		if got, _ := db.Organisation(ctx, f.org.ID); got.Purpose != "First edit" || got.Version != o.Version {
			t.Fatalf("organisation %+v", got)
		}
		members, _ = db.Memberships(ctx, f.org.ID)
		for _, x := range members {
			if x.ID == m.ID && (x.Role != isms.RoleAuditor || x.Version != m2.Version) {
				t.Fatalf("membership %+v", x)
			}
		}

		// Working from the current version succeeds.
		if _, err := db.UpdateOverviewEntry(ctx, f.org.ID, e.ID, isms.OverviewEntryInput{Name: "Second edit", Version: e.Version}); err != nil {
			t.Fatal(err)
		}
	})
}

// A change that is refused stores nothing: not the change, not part of it,
// and no audit event.
func TestRefusedChangesStoreNothing(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		f := newFixture(t, db, "atoms", nil)
		other := newFixture(t, db, "others", nil)
		ctx := as(f.user)
		long := strings.Repeat("x", 301)
		sys, err := db.CreateOverviewEntry(ctx, f.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "System", Links: []int64{f.entry.ID}})
		if err != nil {
			t.Fatal(err)
		}
		outsider := mustUser(t, db, "outsider@atoms.example")
		// The fixture's coordinator becomes the organisation's only administrator.
		admin, err := db.UpdateMembership(asSystem(), f.org.ID, f.member.ID, isms.MembershipInput{Role: isms.RoleAdministrator, Version: f.member.Version})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			code string
			call func() error
		}{
			{"entry without a name", isms.EInvalid, func() error {
				_, err := db.UpdateOverviewEntry(ctx, f.org.ID, sys.ID, isms.OverviewEntryInput{Name: " ", Links: nil, Version: sys.Version})
				return err
			}},
			{"entry name too long", isms.EInvalid, func() error {
				_, err := db.UpdateOverviewEntry(ctx, f.org.ID, sys.ID, isms.OverviewEntryInput{Name: long, Version: sys.Version})
				return err
			}},
			{"requirement level out of range", isms.EInvalid, func() error {
				_, err := db.UpdateOverviewEntry(ctx, f.org.ID, sys.ID, isms.OverviewEntryInput{Name: "System",
					Requirements: isms.Requirements{Confidentiality: 5}, Version: sys.Version})
				return err
			}},
			{"link to another organisation's entry", isms.EInvalid, func() error {
				_, err := db.UpdateOverviewEntry(ctx, f.org.ID, sys.ID, isms.OverviewEntryInput{Name: "System changed",
					Links: []int64{f.entry.ID, other.entry.ID}, Version: sys.Version})
				return err
			}},
			{"owner who is not a member", isms.EInvalid, func() error {
				_, err := db.UpdateOverviewEntry(ctx, f.org.ID, sys.ID, isms.OverviewEntryInput{Name: "System changed",
					OwnerID: &outsider.ID, Version: sys.Version})
				return err
			}},
			{"new entry with a bad link", isms.EInvalid, func() error {
				_, err := db.CreateOverviewEntry(ctx, f.org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "New", Links: []int64{999999}})
				return err
			}},
			{"new external factor without category", isms.EInvalid, func() error {
				_, err := db.CreateOverviewEntry(ctx, f.org.ID, isms.OverviewEntryInput{Kind: isms.KindExternalFactor, Name: "Law"})
				return err
			}},
			{"scope without description", isms.EInvalid, func() error {
				_, err := db.SaveScope(ctx, f.org.ID, isms.ScopeInput{Description: "", ProcessIDs: []int64{f.entry.ID}, Version: f.scope.Version})
				return err
			}},
			{"scope naming a system as a process", isms.EInvalid, func() error {
				_, err := db.SaveScope(ctx, f.org.ID, isms.ScopeInput{Description: "Changed", ProcessIDs: []int64{sys.ID}, Version: f.scope.Version})
				return err
			}},
			{"organisation renamed to a taken name", isms.EInvalid, func() error {
				_, err := db.UpdateOrganisation(ctx, f.org.ID, isms.OrganisationInput{Name: other.org.Name, Purpose: "Changed", Version: f.org.Version})
				return err
			}},
			{"last administrator demoted", isms.EConflict, func() error {
				_, err := db.UpdateMembership(asSystem(), f.org.ID, admin.ID, isms.MembershipInput{Role: isms.RoleReader, Version: admin.Version})
				return err
			}},
			{"last administrator removed", isms.EConflict, func() error {
				return db.RemoveMembership(asSystem(), f.org.ID, admin.ID)
			}},
			{"manual answer without reason", isms.EInvalid, func() error {
				return db.AnswerManually(ctx, f.org.ID, "4.1", isms.AnswerNo, " ", 1)
			}},
		}
		for _, c := range cases {
			t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				before := backup(t, db)
				events := auditCount(t, db, f.org.ID)
				wantCode(t, c.call(), c.code)
				if got := auditCount(t, db, f.org.ID); got != events {
					t.Errorf("a refused change wrote %d audit events", got-events)
				}
				sameData(t, before, backup(t, db))
			})
		}
	})
}

// The change and its audit event land together or not at all: when the
// audit event cannot be written, the change is rolled back too.
func TestChangeWithoutAuditEventIsRolledBack(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		firstAccount(t, db.DB)
		f := newFixture(t, db.DB, "rollback", nil)
		// Remove the head of the organisation's audit chain behind the
		// store's back, so appending the next event fails.
		db.exec(t, "DELETE FROM audit_heads WHERE organisation_id = ?", f.org.ID)
		before := backup(t, db.DB)
		ctx := as(f.user)
		calls := map[string]func() error{
			"update entry": func() error {
				_, err := db.UpdateOverviewEntry(ctx, f.org.ID, f.entry.ID, isms.OverviewEntryInput{Name: "Changed", Version: f.entry.Version})
				return err
			},
			"create entry": func() error {
				_, err := db.CreateOverviewEntry(ctx, f.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "New", Links: []int64{f.entry.ID}})
				return err
			},
			"delete entry": func() error { return db.DeleteOverviewEntry(ctx, f.org.ID, f.entry.ID, f.entry.Version) },
			"save scope": func() error {
				_, err := db.SaveScope(ctx, f.org.ID, isms.ScopeInput{Description: "Changed", Version: f.scope.Version})
				return err
			},
			"update organisation": func() error {
				_, err := db.UpdateOrganisation(ctx, f.org.ID, isms.OrganisationInput{Name: "Renamed", Version: f.org.Version})
				return err
			},
			"answer": func() error { return db.AnswerManually(ctx, f.org.ID, "4.1", isms.AnswerNo, "Changed", 1) },
		}
		for name, call := range calls {
			if err := call(); err == nil {
				t.Errorf("%s succeeded without its audit event", name)
			}
		}
		sameData(t, before, backup(t, db.DB))
	})
}
