package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

const testIssuer = "https://idp.example"

func ssoIn(sub, email string, verified bool, groups ...string) isms.SSOSignIn {
	return isms.SSOSignIn{Provider: "idp", Issuer: testIssuer, Subject: sub, Email: email, EmailVerified: verified, Name: "Person " + sub,
		Groups: groups, HasGroups: true}
}

func actions(t *testing.T, db *sqlstore.DB, orgID int64, recordType string) []string {
	t.Helper()
	evs, _, err := db.AuditEvents(asSystem(), orgID, isms.AuditFilter{RecordType: recordType, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(evs) - 1; i >= 0; i-- { // oldest first
		out = append(out, evs[i].Action)
	}
	return out
}

func TestSSOSignInMatchesLinksAndRefuses(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		firstAccount(t, db)
		known := mustUser(t, db, "known@kommune.example")

		// Unknown person, no account, no invitation, no just-in-time.
		_, err := db.SignInSSO(ctx, ssoIn("s-nobody", "nobody@kommune.example", true))
		wantKey(t, err, "err.sso_unknown")
		// An unverified address never links to the account that has it.
		_, err = db.SignInSSO(ctx, ssoIn("s-known", "known@kommune.example", false))
		wantKey(t, err, "err.sso_email_unverified")
		// A verified one links, once; after that the subject decides, even
		// when the provider sends another address.
		u, err := db.SignInSSO(ctx, ssoIn("s-known", "Known@Kommune.example", true))
		if err != nil || u.ID != known.ID {
			t.Fatalf("link by verified e-mail: %+v %v", u, err)
		}
		u, err = db.SignInSSO(ctx, ssoIn("s-known", "renamed@kommune.example", false))
		if err != nil || u.ID != known.ID {
			t.Fatalf("second login by subject: %+v %v", u, err)
		}
		// Another issuer with the same subject is another person.
		other := ssoIn("s-known", "", false)
		other.Issuer = "https://other.example"
		_, err = db.SignInSSO(ctx, other)
		wantKey(t, err, "err.sso_unknown")

		// Just in time, where the provider may.
		jit := ssoIn("s-new", "New@Kommune.example", false)
		jit.CreateAccounts = true
		u, err = db.SignInSSO(ctx, jit)
		if err != nil || u.Email != "new@kommune.example" || u.Name != "Person s-new" || u.SiteAdmin {
			t.Fatalf("just in time: %+v %v", u, err)
		}
		// No password logs into an account made so.
		_, err = db.Authenticate(ctx, "new@kommune.example", "", "192.0.2.1")
		wantCode(t, err, isms.EUnauthorized)
		jit.Email, jit.Subject = "", "s-noemail"
		_, err = db.SignInSSO(ctx, jit)
		wantKey(t, err, "err.sso_no_email")

		// A pending invitation to a verified address makes the account and
		// the membership.
		f := newInvitationFixture(t, db, "solbjerg")
		if _, _, err := db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: "invited@kommune.example", Role: isms.RoleAuditor}); err != nil {
			t.Fatal(err)
		}
		u, err = db.SignInSSO(ctx, ssoIn("s-invited", "invited@kommune.example", true))
		if err != nil || memberRole(t, db, f.org, "invited@kommune.example") != isms.RoleAuditor {
			t.Fatalf("invitation: %+v %v", u, err)
		}
		invs, _, err := db.Invitations(as(f.admin), f.org.ID, isms.InvitationFilter{State: isms.InvitationAccepted})
		if err != nil || len(invs) != 1 {
			t.Fatalf("accepted invitations %v %v", invs, err)
		}

		// A deactivated account is refused, and nothing is written.
		off := false
		acc, _ := db.Account(as(firstAccount2(t, db)), known.ID)
		if _, err := db.UpdateUser(as(firstAccount2(t, db)), known.ID, isms.UserUpdate{Active: &off, Version: acc.Version}); err != nil {
			t.Fatal(err)
		}
		_, err = db.SignInSSO(ctx, ssoIn("s-known", "known@kommune.example", true))
		wantKey(t, err, "err.sso_deactivated")

		ids, err := db.SSOIdentities(asSystem())
		if err != nil || len(ids) != 3 {
			t.Fatalf("identities %d %v", len(ids), err)
		}
		_, err = db.SSOIdentities(as(f.admin))
		wantCode(t, err, isms.EForbidden)
		if _, breaks, err := db.VerifyAudit(ctx); err != nil || len(breaks) > 0 {
			t.Fatalf("audit: %v %v", breaks, err)
		}
	})
}

// firstAccount2 is the site administrator firstAccount made.
func firstAccount2(t *testing.T, db *sqlstore.DB) *isms.User {
	t.Helper()
	u, err := db.UserByEmail(context.Background(), "first@accounts.example")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSSORoleMappingsFollowTheClaims(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		admin := firstAccount(t, db)
		a, b := newInvitationFixture(t, db, "alpha"), newInvitationFixture(t, db, "beta")
		add := func(provider, claim string, org *isms.Organisation, role isms.Role) *isms.SSORoleMapping {
			t.Helper()
			m, err := db.CreateSSORoleMapping(as(admin), isms.SSORoleMappingInput{Provider: provider, ClaimValue: claim, OrganisationID: org.ID, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		readers := add("", "isms-readers", a.org, isms.RoleReader)
		add("idp", "isms-coordinators", a.org, isms.RoleCoordinator)
		add("other", "isms-readers", b.org, isms.RoleAdministrator) // another provider's
		auditors := add("idp", "auditors", b.org, isms.RoleAuditor)

		// Only site administrators keep the table; bad rows name the field.
		_, err := db.CreateSSORoleMapping(as(a.admin), isms.SSORoleMappingInput{ClaimValue: "x", OrganisationID: a.org.ID, Role: isms.RoleReader})
		wantCode(t, err, isms.EForbidden)
		_, err = db.CreateSSORoleMapping(as(admin), isms.SSORoleMappingInput{ClaimValue: " ", OrganisationID: 999999, Role: "boss"})
		if e := isms.AsError(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("bad mapping: %v", err)
		}
		_, err = db.CreateSSORoleMapping(as(admin), isms.SSORoleMappingInput{ClaimValue: "x", OrganisationID: 999999, Role: isms.RoleReader})
		wantCode(t, err, isms.EInvalid)
		_, err = db.CreateSSORoleMapping(as(admin), isms.SSORoleMappingInput{ClaimValue: "isms-readers", OrganisationID: a.org.ID, Role: isms.RoleAuditor})
		wantKey(t, err, "err.invalid")

		in := ssoIn("s-1", "p1@kommune.example", false, "isms-readers", "isms-coordinators", "auditors")
		in.CreateAccounts = true
		u, err := db.SignInSSO(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if r := memberRole(t, db, a.org, u.Email); r != isms.RoleCoordinator {
			t.Fatalf("alpha: %q, want the broader coordinator", r)
		}
		if r := memberRole(t, db, b.org, u.Email); r != isms.RoleAuditor {
			t.Fatalf("beta: %q", r)
		}
		// The claims change: the role in alpha follows, beta's goes.
		in.Groups = []string{"isms-readers"}
		if _, err := db.SignInSSO(ctx, in); err != nil {
			t.Fatal(err)
		}
		if r := memberRole(t, db, a.org, u.Email); r != isms.RoleReader {
			t.Fatalf("alpha after: %q", r)
		}
		if r := memberRole(t, db, b.org, u.Email); r != "" {
			t.Fatalf("beta after: %q", r)
		}
		// A membership given by hand is not single sign-on's to change.
		mustMember(t, db, b.org, u, isms.RoleContributor)
		in.Groups = []string{"auditors"}
		if _, err := db.SignInSSO(ctx, in); err != nil {
			t.Fatal(err)
		}
		if r := memberRole(t, db, b.org, u.Email); r != isms.RoleContributor {
			t.Fatalf("hand-given membership changed to %q", r)
		}
		if r := memberRole(t, db, a.org, u.Email); r != "" {
			t.Fatalf("alpha without the claim: %q", r)
		}
		// A deleted row takes its memberships away at the next login.
		in.Groups = []string{"isms-readers"}
		if _, err := db.SignInSSO(ctx, in); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSSORoleMapping(as(admin), readers.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SignInSSO(ctx, in); err != nil {
			t.Fatal(err)
		}
		if r := memberRole(t, db, a.org, u.Email); r != "" {
			t.Fatalf("alpha after the row went: %q", r)
		}
		_ = auditors
		// Every change is in the organisation's chain.
		got := actions(t, db, a.org.ID, "membership")
		want := []string{"create", "create", "sso_grant", "sso_change", "sso_remove", "sso_grant", "sso_remove"}
		if len(got) != len(want) {
			t.Fatalf("alpha's membership events %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("alpha's membership events %v, want %v", got, want)
			}
		}
		maps, err := db.SSORoleMappings(as(admin))
		if err != nil || len(maps) != 3 {
			t.Fatalf("mappings %d %v", len(maps), err)
		}
		if _, breaks, err := db.VerifyAudit(ctx); err != nil || len(breaks) > 0 {
			t.Fatalf("audit: %v %v", breaks, err)
		}
	})
}

// TestSSOLoginStateIsGoodOnce takes one state from many writers at once,
// on two handles of the database: exactly one gets it.
func TestSSOLoginStateIsGoodOnce(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db1, db2 := openDSN(t, dsn), openDSN(t, dsn)
		ctx := context.Background()
		if err := db1.BeginSSOLogin(ctx, "state-1", isms.SSOPendingLogin{Provider: "idp", Nonce: "n", CodeVerifier: "v", Next: "/orgs/1"}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db := db1
				if i%2 == 1 {
					db = db2
				}
				p, err := db.TakeSSOLogin(ctx, "state-1")
				if err == nil {
					mu.Lock()
					got++
					mu.Unlock()
					if p.Nonce != "n" || p.CodeVerifier != "v" || p.Next != "/orgs/1" {
						t.Errorf("login %+v", p)
					}
				} else if isms.AsError(err) == nil || isms.AsError(err).Key != "err.sso_state" {
					t.Errorf("take: %v", err)
				}
			}()
		}
		wg.Wait()
		if got != 1 {
			t.Fatalf("%d writers took the state, want 1", got)
		}
	})
}

// TestSSOFirstLoginsAtOnce: the same person's first login arriving several
// times at once, on two handles of the database, makes one account, one
// link and one membership; every login gets that account.
func TestSSOFirstLoginsAtOnce(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db1, db2 := openDSN(t, dsn), openDSN(t, dsn)
		ctx := context.Background()
		admin := firstAccount(t, db1)
		org := mustOrg(t, db1, "samtidig")
		if _, err := db1.CreateSSORoleMapping(as(admin), isms.SSORoleMappingInput{ClaimValue: "staff", OrganisationID: org.ID, Role: isms.RoleReader}); err != nil {
			t.Fatal(err)
		}
		in := ssoIn("s-rush", "rush@kommune.example", true, "staff")
		in.CreateAccounts = true
		var wg sync.WaitGroup
		ids := make([]int64, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db := db1
				if i%2 == 1 {
					db = db2
				}
				u, err := db.SignInSSO(ctx, in)
				if err != nil {
					t.Errorf("login %d: %v", i, err)
					return
				}
				ids[i] = u.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("logins got different accounts: %v", ids)
			}
		}
		idents, err := db1.SSOIdentities(asSystem())
		if err != nil || len(idents) != 1 {
			t.Fatalf("identities %d %v", len(idents), err)
		}
		if got := actions(t, db1, org.ID, "membership"); len(got) != 1 || got[0] != "sso_grant" {
			t.Fatalf("membership events %v", got)
		}
	})
}
