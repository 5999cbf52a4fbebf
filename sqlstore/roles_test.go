package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// roleAct is one thing a member may try in their organisation. It sets up
// what it needs as the system (so versions are fresh) and then acts as ctx.
type roleAct func(t *testing.T, ctx context.Context, u *isms.User) error

// roleActs are the acts of the role matrix, on one organisation's business
// overview, scope, memberships, checklist and settings.
func roleActs(db *sqlstore.DB, org *isms.Organisation, owner *isms.User) map[string]roleAct {
	n := 0
	next := func() int { n++; return n }
	entry := func(t *testing.T, ownerID *int64) *isms.OverviewEntry {
		t.Helper()
		e, err := db.CreateOverviewEntry(asSystem(), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem,
			Name: fmt.Sprintf("System %d", next()), OwnerID: ownerID})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	update := func(ctx context.Context, e *isms.OverviewEntry, ownerID *int64) error {
		_, err := db.UpdateOverviewEntry(ctx, org.ID, e.ID, isms.OverviewEntryInput{Name: e.Name + " (changed)",
			OwnerID: ownerID, Version: e.Version})
		return err
	}
	spareMember := func(t *testing.T) *isms.Membership {
		t.Helper()
		u := mustUser(t, db, fmt.Sprintf("spare%d@matrix.example", next()))
		m, err := db.AddMembership(asSystem(), org.ID, isms.MembershipInput{Email: u.Email, Role: isms.RoleReader})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	return map[string]roleAct{
		"read entries": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, _, err := db.OverviewEntries(ctx, org.ID, isms.EntryFilter{})
			return err
		},
		"read entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.OverviewEntry(ctx, org.ID, entry(t, &owner.ID).ID)
			return err
		},
		"read scope": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.Scope(ctx, org.ID)
			return err
		},
		"read members": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.Memberships(ctx, org.ID)
			return err
		},
		"read checklist": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.Checklist(ctx, org.ID)
			return err
		},
		"read audit trail": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, _, err := db.AuditEvents(ctx, org.ID, isms.AuditFilter{})
			return err
		},
		"create entry without owner": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.CreateOverviewEntry(ctx, org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: fmt.Sprintf("P%d", next())})
			return err
		},
		"create entry owned by self": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.CreateOverviewEntry(ctx, org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: fmt.Sprintf("P%d", next()), OwnerID: &u.ID})
			return err
		},
		"create entry owned by another": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, err := db.CreateOverviewEntry(ctx, org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: fmt.Sprintf("P%d", next()), OwnerID: &owner.ID})
			return err
		},
		"update own entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			return update(ctx, entry(t, &u.ID), &u.ID)
		},
		"give own entry away": func(t *testing.T, ctx context.Context, u *isms.User) error {
			return update(ctx, entry(t, &u.ID), &owner.ID)
		},
		"update another's entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			return update(ctx, entry(t, &owner.ID), &owner.ID)
		},
		"take another's entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			return update(ctx, entry(t, &owner.ID), &u.ID)
		},
		"update unowned entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			return update(ctx, entry(t, nil), nil)
		},
		"delete own entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			e := entry(t, &u.ID)
			return db.DeleteOverviewEntry(ctx, org.ID, e.ID, e.Version)
		},
		"delete another's entry": func(t *testing.T, ctx context.Context, u *isms.User) error {
			e := entry(t, &owner.ID)
			return db.DeleteOverviewEntry(ctx, org.ID, e.ID, e.Version)
		},
		"save scope": func(t *testing.T, ctx context.Context, u *isms.User) error {
			s, err := db.Scope(asSystem(), org.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.SaveScope(ctx, org.ID, isms.ScopeInput{Description: fmt.Sprintf("Scope %d", next()), Version: s.Version})
			return err
		},
		"approve scope": func(t *testing.T, ctx context.Context, u *isms.User) error {
			s, err := db.Scope(asSystem(), org.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s, err = db.SaveScope(asSystem(), org.ID, isms.ScopeInput{Description: fmt.Sprintf("Scope %d", next()), Version: s.Version}); err != nil {
				t.Fatal(err)
			}
			_, err = db.ApproveScope(ctx, org.ID, s.Version)
			return err
		},
		"invite member": func(t *testing.T, ctx context.Context, u *isms.User) error {
			_, _, err := db.CreateInvitation(ctx, org.ID, isms.InvitationInput{Email: fmt.Sprintf("new%d@matrix.example", next()), Role: isms.RoleReader})
			return err
		},
		"change member's role": func(t *testing.T, ctx context.Context, u *isms.User) error {
			m := spareMember(t)
			_, err := db.UpdateMembership(ctx, org.ID, m.ID, isms.MembershipInput{Role: isms.RoleAuditor, Version: m.Version})
			return err
		},
		"remove member": func(t *testing.T, ctx context.Context, u *isms.User) error {
			return db.RemoveMembership(ctx, org.ID, spareMember(t).ID)
		},
		"answer checklist by hand": func(t *testing.T, ctx context.Context, u *isms.User) error {
			answers, err := db.Checklist(asSystem(), org.ID)
			if err != nil {
				t.Fatal(err)
			}
			var version int64
			for _, a := range answers {
				if a.QuestionID == "4.1" && a.Manual != nil {
					version = a.Manual.Version
				}
			}
			return db.AnswerManually(ctx, org.ID, "4.1", isms.AnswerPartly, fmt.Sprintf("Reason %d", next()), version)
		},
		"update organisation": func(t *testing.T, ctx context.Context, u *isms.User) error {
			o, err := db.Organisation(asSystem(), org.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.UpdateOrganisation(ctx, org.ID, isms.OrganisationInput{Name: o.Name, ParentID: o.ParentID,
				Purpose: fmt.Sprintf("Purpose %d", next()), Version: o.Version})
			return err
		},
	}
}

func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	reads := []string{"read entries", "read entry", "read scope", "read members", "read checklist", "read audit trail"}
	editEntries := []string{"create entry without owner", "create entry owned by self", "create entry owned by another",
		"update own entry", "give own entry away", "update another's entry", "take another's entry", "update unowned entry",
		"delete own entry", "delete another's entry"}
	members := []string{"invite member", "change member's role", "remove member"}
	allowed := map[isms.Role][]string{
		isms.RoleAdministrator: concat(reads, editEntries, members, []string{"save scope", "answer checklist by hand", "update organisation"}),
		isms.RoleCoordinator:   concat(reads, editEntries, []string{"save scope", "answer checklist by hand", "update organisation"}),
		isms.RoleContributor:   concat(reads, []string{"create entry owned by self", "update own entry", "delete own entry"}),
		isms.RoleManagement:    concat(reads, []string{"approve scope"}),
		isms.RoleAuditor:       reads,
		isms.RoleReader:        reads,
	}
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		org := mustOrg(t, db, "Matrix")
		firstAccount(t, db)
		owner := mustUser(t, db, "owner@matrix.example")
		mustMember(t, db, org, owner, isms.RoleContributor)
		acts := roleActs(db, org, owner)
		names := make([]string, 0, len(acts))
		for n := range acts {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, role := range isms.Roles {
			u := mustUser(t, db, string(role)+"@matrix.example")
			mustMember(t, db, org, u, role)
			may := map[string]bool{}
			for _, a := range allowed[role] {
				if acts[a] == nil {
					t.Fatalf("matrix names unknown act %q", a)
				}
				may[a] = true
			}
			for _, name := range names {
				err := acts[name](t, as(u), u)
				switch {
				case may[name] && err != nil:
					t.Errorf("%s may %s, got %v", role, name, err)
				case !may[name] && isms.ErrorCode(err) != isms.EForbidden:
					t.Errorf("%s may not %s: want forbidden, got %v", role, name, err)
				}
			}
		}
	})
}

// firstAccount makes the database's first account, which always becomes a
// site administrator, so that the accounts a test makes next are plain.
func firstAccount(t *testing.T, db *sqlstore.DB) *isms.User {
	t.Helper()
	u := mustUser(t, db, "first@accounts.example")
	if !u.SiteAdmin {
		t.Fatal("the first account is not a site administrator")
	}
	return u
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// auditCount is the number of audit events in an organisation's chain.
func auditCount(t *testing.T, db *sqlstore.DB, orgID int64) int {
	t.Helper()
	_, n, err := db.AuditEvents(asSystem(), orgID, isms.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A contributor changes the entries they own, and only those: not another
// member's, not an unowned one, and they cannot hand their own away or
// take over someone else's.
func TestContributorEditsOnlyOwnEntries(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		org := mustOrg(t, db, "Owners")
		firstAccount(t, db)
		alice := mustUser(t, db, "alice@owners.example")
		bob := mustUser(t, db, "bob@owners.example")
		mustMember(t, db, org, alice, isms.RoleContributor)
		mustMember(t, db, org, bob, isms.RoleContributor)

		mine, err := db.CreateOverviewEntry(as(alice), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Alice's system", OwnerID: &alice.ID})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := db.CreateOverviewEntry(as(bob), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Bob's system", OwnerID: &bob.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateOverviewEntry(as(alice), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Unowned"})
		wantCode(t, err, isms.EForbidden)
		_, err = db.CreateOverviewEntry(as(alice), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "For Bob", OwnerID: &bob.ID})
		wantCode(t, err, isms.EForbidden)

		mine, err = db.UpdateOverviewEntry(as(alice), org.ID, mine.ID, isms.OverviewEntryInput{Name: "Alice's system, v2",
			OwnerID: &alice.ID, Version: mine.Version, Links: []int64{theirs.ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.UpdateOverviewEntry(as(alice), org.ID, theirs.ID, isms.OverviewEntryInput{Name: "Taken", OwnerID: &bob.ID, Version: theirs.Version})
		wantCode(t, err, isms.EForbidden)
		_, err = db.UpdateOverviewEntry(as(alice), org.ID, theirs.ID, isms.OverviewEntryInput{Name: "Taken", OwnerID: &alice.ID, Version: theirs.Version})
		wantCode(t, err, isms.EForbidden)
		_, err = db.UpdateOverviewEntry(as(alice), org.ID, mine.ID, isms.OverviewEntryInput{Name: mine.Name, OwnerID: &bob.ID, Version: mine.Version})
		wantCode(t, err, isms.EForbidden)
		wantCode(t, db.DeleteOverviewEntry(as(alice), org.ID, theirs.ID, theirs.Version), isms.EForbidden)

		got, err := db.OverviewEntry(as(bob), org.ID, theirs.ID)
		if err != nil || got.Name != "Bob's system" || got.Version != theirs.Version || *got.OwnerID != bob.ID {
			t.Fatalf("Bob's entry changed: %+v %v", got, err)
		}
		if err := db.DeleteOverviewEntry(as(alice), org.ID, mine.ID, mine.Version); err != nil {
			t.Fatal(err)
		}
	})
}
