package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// byKey counts the calls that succeeded and the refusals by message key.
func byKey(errs []error) (ok int, keys map[string]int) {
	keys = map[string]int{}
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		if e := isms.AsError(err); e != nil {
			keys[e.Key]++
		} else {
			keys[err.Error()]++
		}
	}
	return ok, keys
}

func inLang(ctx context.Context, lang string) context.Context { return isms.WithLanguage(ctx, lang) }

func mustSiteAdmin(t *testing.T, db *sqlstore.DB, email string) *isms.User {
	t.Helper()
	u, err := db.CreateUser(asSystem(), email, "Admin "+email, "correct horse battery", true)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func activeSiteAdmins(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	_, n, err := db.Users(asSystem(), isms.UserFilter{State: isms.UserStateActive, SiteAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOnlySiteAdministratorsManageAccounts(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		admin := firstAccount(t, db)
		org := mustOrg(t, db, "Kommune")
		orgAdmin := mustUser(t, db, "orgadmin@accounts.example")
		mustMember(t, db, org, orgAdmin, isms.RoleAdministrator)
		victim := mustUser(t, db, "victim@accounts.example")
		before := snapshot(t, db)
		ctx := as(orgAdmin)
		name, yes := "Taken over", true
		for what, call := range map[string]func() error{
			"create": func() error {
				_, err := db.CreateUser(ctx, "new@accounts.example", "New", "correct horse battery", false)
				return err
			},
			"list": func() error { _, _, err := db.Users(ctx, isms.UserFilter{}); return err },
			"read": func() error { _, err := db.Account(ctx, victim.ID); return err },
			"rename": func() error {
				_, err := db.UpdateUser(ctx, victim.ID, isms.UserUpdate{Name: &name, Version: 1})
				return err
			},
			"promote": func() error {
				_, err := db.UpdateUser(ctx, orgAdmin.ID, isms.UserUpdate{SiteAdmin: &yes, Version: 1})
				return err
			},
			"reset": func() error {
				_, err := db.ResetPassword(ctx, victim.ID, isms.PasswordReset{Password: "another long password", Version: 1})
				return err
			},
			"history": func() error { _, err := db.UserHistory(ctx, victim.ID); return err },
			// Bad input is refused as forbidden too, before it is read.
			"create invalid": func() error { _, err := db.CreateUser(ctx, "not an address", "", "short", false); return err },
		} {
			if err := call(); isms.ErrorCode(err) != isms.EForbidden {
				t.Errorf("organisation administrator %s: %v, want forbidden", what, err)
			}
		}
		sameData(t, before, snapshot(t, db))
		// The site administrator may.
		if _, err := db.Account(as(admin), victim.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAccountLifecycle(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		admin := firstAccount(t, db)
		ctx := as(admin)
		u, err := db.CreateUser(ctx, " Jens@Accounts.Example ", "Jens Hansen", "correct horse battery", false)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "jens@accounts.example" || !u.Active || u.Version != 1 || u.SiteAdmin {
			t.Fatalf("created %+v", u)
		}
		_, err = db.CreateUser(ctx, "jens@accounts.example", "Jens igen", "correct horse battery", false)
		if e := isms.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "email" || e.Fields[0].Key != "err.email_taken" {
			t.Fatalf("duplicate address: %v", err)
		}

		// He works in an organisation: a member, owner of an entry, actor
		// of an audit event.
		org := mustOrg(t, db, "Kommune")
		mustMember(t, db, org, u, isms.RoleCoordinator)
		reader := mustUser(t, db, "reader@accounts.example")
		mustMember(t, db, org, reader, isms.RoleReader)
		entry, err := db.CreateOverviewEntry(as(u), org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "Sagssystem", OwnerID: &u.ID})
		if err != nil {
			t.Fatal(err)
		}
		session, err := db.CreateSession(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := db.CreateAPIToken(as(u), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}

		// Renaming with a stale version is refused; with the current one it
		// lands and bumps the version.
		name := "Jens P. Hansen"
		if _, err := db.UpdateUser(ctx, u.ID, isms.UserUpdate{Name: &name, Version: 7}); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale rename: %v", err)
		}
		blank := "  "
		if _, err := db.UpdateUser(ctx, u.ID, isms.UserUpdate{Name: &blank, Version: 1}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("blank name: %v", err)
		}
		if u, err = db.UpdateUser(ctx, u.ID, isms.UserUpdate{Name: &name, Version: 1}); err != nil || u.Name != name || u.Version != 2 {
			t.Fatalf("rename: %+v %v", u, err)
		}

		// Deactivation: no login, no session, no token, at once.
		no := false
		if u, err = db.UpdateUser(ctx, u.ID, isms.UserUpdate{Active: &no, Version: 2}); err != nil || u.Active || u.DeactivatedAt == nil {
			t.Fatalf("deactivate: %+v %v", u, err)
		}
		_, wrong := db.Authenticate(context.Background(), "jens@accounts.example", "not his password", "10.0.0.1")
		_, right := db.Authenticate(context.Background(), "jens@accounts.example", "correct horse battery", "10.0.0.2")
		if isms.ErrorCode(right) != isms.EUnauthorized || isms.AsError(right).Key != isms.AsError(wrong).Key {
			t.Fatalf("deactivated login with the right password: %v; with a wrong one: %v", right, wrong)
		}
		if _, err := db.SessionUser(context.Background(), session); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("session after deactivation: %v", err)
		}
		if _, err := db.TokenUser(context.Background(), token); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Errorf("API token after deactivation: %v", err)
		}
		// A session a login made in the same moment is refused as well.
		late, _ := db.CreateSession(context.Background(), u.ID)
		if _, err := db.SessionUser(context.Background(), late); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("late session of a deactivated user: %v", err)
		}
		if _, _, err := db.CreateAPIToken(ctx, u.ID, "again"); isms.ErrorCode(err) != isms.EConflict {
			t.Errorf("token for a deactivated user: %v", err)
		}
		if _, err := db.AddMembership(ctx, mustOrg(t, db, "Anden").ID, isms.MembershipInput{Email: u.Email, Role: isms.RoleReader}); isms.ErrorCode(err) != isms.EInvalid {
			t.Errorf("adding a deactivated user: %v", err)
		}

		// His name stays, marked as a former user's, in the reader's
		// language: on the member list, the owner field and the audit trail.
		for lang, want := range map[string]string{"en": "Jens P. Hansen (former user)", "da": "Jens P. Hansen (tidligere bruger)"} {
			rctx := inLang(as(reader), lang)
			ms, err := db.Memberships(rctx, org.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, m := range ms {
				if m.UserID == u.ID {
					got = m.UserName
				}
			}
			if got != want {
				t.Errorf("%s member list: %q, want %q", lang, got, want)
			}
			e, err := db.OverviewEntry(rctx, org.ID, entry.ID)
			if err != nil || e.OwnerName != want {
				t.Errorf("%s owner: %q, want %q (%v)", lang, e.OwnerName, want, err)
			}
			events, _, err := db.AuditEvents(rctx, org.ID, isms.AuditFilter{RecordType: "overview_entry", RecordID: entry.ID})
			if err != nil || len(events) != 1 || events[0].ActorName != "Jens Hansen"+want[len("Jens P. Hansen"):] {
				t.Errorf("%s audit trail: %+v %v", lang, events, err)
			}
		}
		// A change to his entry after he left records the names as stored:
		// the audit event holds no reader's translation.
		if _, err := db.UpdateOverviewEntry(inLang(ctx, "en"), org.ID, entry.ID, isms.OverviewEntryInput{Kind: isms.KindSystem,
			Name: "Sagssystem 2", OwnerID: &u.ID, Version: entry.Version}); err != nil {
			t.Fatal(err)
		}
		changes, _, err := db.AuditEvents(inLang(as(reader), "en"), org.ID, isms.AuditFilter{RecordType: "overview_entry", RecordID: entry.ID})
		if err != nil || len(changes) != 2 {
			t.Fatalf("audit trail after the change: %+v %v", changes, err)
		}
		if change := string(changes[0].Before) + string(changes[0].After); !strings.Contains(change, `"Jens P. Hansen"`) || strings.Contains(change, "former user") {
			t.Errorf("the change's audit event: %s", change)
		}
		// Marking is for readers: the chain itself is untouched.
		if _, breaks, err := db.VerifyAudit(context.Background()); err != nil || len(breaks) != 0 {
			t.Fatalf("audit chain after deactivation: %v %v", breaks, err)
		}
		// Active members are not marked.
		ms, _ := db.Memberships(inLang(as(reader), "en"), org.ID)
		for _, m := range ms {
			if m.UserID == reader.ID && m.UserName != reader.Name {
				t.Errorf("active member shown as %q", m.UserName)
			}
		}

		// The list filters by state.
		list, total, err := db.Users(ctx, isms.UserFilter{State: isms.UserStateDeactivated})
		if err != nil || total != 1 || list[0].ID != u.ID {
			t.Fatalf("deactivated users: %d %v", total, err)
		}

		// Reactivation restores login; the old tokens stay deleted.
		yes := true
		if u, err = db.UpdateUser(ctx, u.ID, isms.UserUpdate{Active: &yes, Version: 3}); err != nil || !u.Active || u.DeactivatedAt != nil {
			t.Fatalf("reactivate: %+v %v", u, err)
		}
		if _, err := db.Authenticate(context.Background(), "jens@accounts.example", "correct horse battery", "10.0.0.3"); err != nil {
			t.Fatalf("login after reactivation: %v", err)
		}
		if _, err := db.TokenUser(context.Background(), token); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Errorf("token deleted at deactivation works again: %v", err)
		}
		if ms, _ := db.Memberships(inLang(as(reader), "en"), org.ID); ms[0].UserName != name && ms[1].UserName != name {
			t.Errorf("reactivated member still marked: %+v %+v", ms[0], ms[1])
		}

		// A password reset: the old password stops working, the sessions
		// end and the API tokens are revoked.
		session, _ = db.CreateSession(context.Background(), u.ID)
		token, _, err = db.CreateAPIToken(as(u), u.ID, "after reactivation")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ResetPassword(ctx, u.ID, isms.PasswordReset{Password: "short", Version: 4}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("short password: %v", err)
		}
		if u, err = db.ResetPassword(ctx, u.ID, isms.PasswordReset{Password: "a brand new passphrase", Version: 4}); err != nil || u.Version != 5 {
			t.Fatalf("reset: %+v %v", u, err)
		}
		if _, err := db.SessionUser(context.Background(), session); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("session after reset: %v", err)
		}
		if _, err := db.TokenUser(context.Background(), token); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Errorf("API token after reset: %v", err)
		}
		if _, err := db.Authenticate(context.Background(), "jens@accounts.example", "correct horse battery", "10.0.0.4"); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Errorf("old password after reset: %v", err)
		}
		if _, err := db.Authenticate(context.Background(), "jens@accounts.example", "a brand new passphrase", "10.0.0.4"); err != nil {
			t.Errorf("new password: %v", err)
		}

		// Every change is in the site's chain, with who did it.
		events, err := db.UserHistory(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			if e.OrganisationID != 0 || e.ActorID != admin.ID {
				t.Errorf("event %s in chain %d by %d", e.Action, e.OrganisationID, e.ActorID)
			}
			actions = append(actions, e.Action)
		}
		if fmt.Sprint(actions) != "[reset_password reactivate deactivate update create]" {
			t.Errorf("history %v", actions)
		}
	})
}

// TestLastSiteAdministratorStays demotes and deactivates site
// administrators at once, from one instance and from two: whatever the
// interleaving, one stays.
func TestLastSiteAdministratorStays(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		db := raw.DB
		first := firstAccount(t, db)
		no := false
		// The only one cannot leave.
		_, err := db.UpdateUser(as(first), first.ID, isms.UserUpdate{SiteAdmin: &no, Version: 1})
		wantKey(t, err, "err.last_site_admin")
		_, err = db.UpdateUser(asSystem(), first.ID, isms.UserUpdate{Active: &no, Version: 1})
		wantKey(t, err, "err.last_site_admin")
		for round, change := range []isms.UserUpdate{{SiteAdmin: &no}, {Active: &no}} {
			// Two more; then the operator demotes (or deactivates) all
			// three at once. Exactly one stays.
			a := mustSiteAdmin(t, db, fmt.Sprintf("a%d@accounts.example", round))
			b := mustSiteAdmin(t, db, fmt.Sprintf("b%d@accounts.example", round))
			admins := []*isms.User{first, a, b}
			for i, u := range admins {
				cur, err := db.Account(asSystem(), u.ID)
				if err != nil {
					t.Fatal(err)
				}
				admins[i] = cur
			}
			errs := together(in, len(admins), func(i int, db *sqlstore.DB) error {
				c := change
				c.Version = admins[i].Version
				_, err := db.UpdateUser(asSystem(), admins[i].ID, c)
				return err
			})
			ok, keys := byKey(errs)
			if ok != 2 || keys["err.last_site_admin"] != 1 {
				t.Fatalf("round %d: %d changed, refusals %v", round, ok, keys)
			}
			if n := activeSiteAdmins(t, db); n != 1 {
				t.Fatalf("round %d: %d active site administrators", round, n)
			}
			// The one that stayed is "first" of the next round.
			for i, err := range errs {
				if err != nil {
					first = admins[i]
				}
			}
		}
		// Two administrators demote each other at once: one of them stays.
		x := mustSiteAdmin(t, db, "x@accounts.example")
		y, _ := db.Account(asSystem(), first.ID)
		pairs := [][2]*isms.User{{x, y}, {y, x}}
		errs := together(in, 2, func(i int, db *sqlstore.DB) error {
			actor, target := pairs[i][0], pairs[i][1]
			_, err := db.UpdateUser(as(actor), target.ID, isms.UserUpdate{SiteAdmin: &no, Version: target.Version})
			return err
		})
		if ok, keys := byKey(errs); ok != 1 {
			t.Fatalf("mutual demotion: %d succeeded, refusals %v", ok, keys)
		}
		if n := activeSiteAdmins(t, db); n != 1 {
			t.Fatalf("after mutual demotion: %d active site administrators", n)
		}
		wantIntactChain(t, db)
	})
}

func TestUserListFiltersAndPages(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		admin := firstAccount(t, db)
		for i := 0; i < 7; i++ {
			mustUser(t, db, fmt.Sprintf("person%d@list.example", i))
		}
		ctx := as(admin)
		page, total, err := db.Users(ctx, isms.UserFilter{Query: "LIST.example", Sort: "-email", Limit: 3, Offset: 3})
		if err != nil {
			t.Fatal(err)
		}
		if total != 7 || len(page) != 3 || page[0].Email != "person3@list.example" || page[2].Email != "person1@list.example" {
			t.Fatalf("page 2 of 3 sorted by e-mail descending: %d %+v", total, page)
		}
		if _, _, err := db.Users(ctx, isms.UserFilter{State: "gone"}); isms.ErrorCode(err) != isms.EInvalid {
			t.Errorf("unknown state: %v", err)
		}
		_, n, _ := db.Users(ctx, isms.UserFilter{SiteAdmin: true})
		if n != 1 {
			t.Errorf("site administrators: %d", n)
		}
	})
}
