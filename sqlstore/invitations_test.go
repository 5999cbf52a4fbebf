package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// invitationFixture is an organisation with its administrator and a
// coordinator, as invitations need them.
type invitationFixture struct {
	org         *isms.Organisation
	admin       *isms.User
	coordinator *isms.User
}

func newInvitationFixture(t *testing.T, db *sqlstore.DB, name string) invitationFixture {
	t.Helper()
	f := invitationFixture{org: mustOrg(t, db, name)}
	f.admin = mustUser(t, db, "admin@"+name+".example")
	mustMember(t, db, f.org, f.admin, isms.RoleAdministrator)
	f.coordinator = mustUser(t, db, "coordinator@"+name+".example")
	mustMember(t, db, f.org, f.coordinator, isms.RoleCoordinator)
	return f
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	if e := isms.AsError(err); e == nil || e.Key != key {
		t.Fatalf("want %s, got %v", key, err)
	}
}

func memberRole(t *testing.T, db *sqlstore.DB, org *isms.Organisation, email string) isms.Role {
	t.Helper()
	ms, err := db.Memberships(asSystem(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.UserEmail == email {
			return m.Role
		}
	}
	return ""
}

func TestInvitationMakesAMember(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		f := newInvitationFixture(t, db, "kommune")
		token, inv, err := db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: " Ny@Kommune.Example", Role: isms.RoleContributor})
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < 40 || inv.Email != "ny@kommune.example" || inv.State != isms.InvitationPending || inv.InvitedByName != f.admin.Name ||
			!inv.ExpiresAt.Equal(inv.CreatedAt.Add(isms.InvitationLifetime)) || inv.OrganisationName != "kommune" {
			t.Fatalf("invitation %+v, token %q", inv, token)
		}
		// The link's page needs no login.
		got, err := db.InvitationByToken(context.Background(), token)
		if err != nil || got.ID != inv.ID || got.Role != isms.RoleContributor {
			t.Fatalf("by token: %+v %v", got, err)
		}
		// Bad input names the field.
		_, _, err = db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: "not an address", Role: "owner"})
		if e := isms.AsError(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("bad invitation: %v", err)
		}
		// Accepting without an account creates it with the invited address.
		_, _, err = db.AcceptInvitation(context.Background(), token, isms.Acceptance{Name: "Ny Kollega", Password: "short"})
		wantCode(t, err, isms.EInvalid)
		u, acc, err := db.AcceptInvitation(context.Background(), token, isms.Acceptance{Name: "  Ny Kollega ", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ny@kommune.example" || u.Name != "Ny Kollega" || u.SiteAdmin || acc.State != isms.InvitationAccepted {
			t.Fatalf("accepted: %+v %+v", u, acc)
		}
		if r := memberRole(t, db, f.org, u.Email); r != isms.RoleContributor {
			t.Fatalf("role after acceptance: %q", r)
		}
		if _, err := db.Authenticate(context.Background(), u.Email, "correct horse battery", "10.1.1.1"); err != nil {
			t.Fatalf("login with the new account: %v", err)
		}
		// The person is recorded as having joined by themselves.
		events, _, _ := db.AuditEvents(as(f.admin), f.org.ID, isms.AuditFilter{})
		var trail []string
		for _, e := range events {
			trail = append(trail, fmt.Sprintf("%s %s by %s", e.Action, e.RecordType, e.ActorName))
		}
		if len(trail) < 3 || trail[0] != "accept invitation by Ny Kollega" || trail[1] != "create membership by Ny Kollega" || trail[2] != "create invitation by "+f.admin.Name {
			t.Fatalf("audit trail %v", trail)
		}
		// A second use says it was used.
		_, _, err = db.AcceptInvitation(context.Background(), token, isms.Acceptance{Name: "Someone", Password: "correct horse battery"})
		wantKey(t, err, "err.invitation_accepted")
		if _, breaks, err := db.VerifyAudit(context.Background()); err != nil || len(breaks) != 0 {
			t.Fatalf("audit chains: %v %v", breaks, err)
		}
	})
}

func TestInvitationAcceptedByExistingAccount(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		f := newInvitationFixture(t, db, "kommune")
		known := mustUser(t, db, "known@elsewhere.example")
		other := mustUser(t, db, "other@elsewhere.example")
		token, _, err := db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: known.Email, Role: isms.RoleAuditor})
		if err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db)
		// Without logging in, the address's account cannot be made again.
		_, _, err = db.AcceptInvitation(context.Background(), token, isms.Acceptance{Name: "Impostor", Password: "correct horse battery"})
		wantKey(t, err, "err.invitation_account_exists")
		// Logged in with another address, it is not theirs to accept.
		_, _, err = db.AcceptInvitation(as(other), token, isms.Acceptance{})
		wantKey(t, err, "err.invitation_other_account")
		sameData(t, before, snapshot(t, db))
		u, _, err := db.AcceptInvitation(as(known), token, isms.Acceptance{})
		if err != nil || u.ID != known.ID || u.Name != known.Name {
			t.Fatalf("accept with the account: %+v %v", u, err)
		}
		if r := memberRole(t, db, f.org, known.Email); r != isms.RoleAuditor {
			t.Fatalf("role: %q", r)
		}
		// A member is not invited again.
		_, _, err = db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: known.Email, Role: isms.RoleReader})
		wantKey(t, err, "err.invalid")
	})
}

// TestInvitationAcceptedOnce sends sixteen acceptances of one link at once,
// from one instance and from two, without accounts and with the invited
// account: one wins, the others are told the link was used.
func TestInvitationAcceptedOnce(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		db := raw.DB
		firstAccount(t, db)
		f := newInvitationFixture(t, db, "kommune")
		const n = 16

		token, inv, err := db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: "race@kommune.example", Role: isms.RoleReader})
		if err != nil {
			t.Fatal(err)
		}
		errs := together(in, n, func(i int, db *sqlstore.DB) error {
			_, _, err := db.AcceptInvitation(context.Background(), token, isms.Acceptance{Name: fmt.Sprintf("Racer %d", i), Password: "correct horse battery"})
			return err
		})
		if ok, keys := byKey(errs); ok != 1 || keys["err.invitation_accepted"] != n-1 {
			t.Fatalf("new accounts: %d accepted, refusals %v", ok, keys)
		}
		_, users, _ := db.Users(asSystem(), isms.UserFilter{Query: "race@kommune.example"})
		if users != 1 || memberRole(t, db, f.org, "race@kommune.example") != isms.RoleReader {
			t.Fatalf("%d accounts for the address", users)
		}

		known := mustUser(t, db, "known@kommune.example")
		token, _, err = db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: known.Email, Role: isms.RoleManagement})
		if err != nil {
			t.Fatal(err)
		}
		errs = together(in, n, func(i int, db *sqlstore.DB) error {
			_, _, err := db.AcceptInvitation(as(known), token, isms.Acceptance{})
			return err
		})
		if ok, keys := byKey(errs); ok != 1 || keys["err.invitation_accepted"] != n-1 {
			t.Fatalf("existing account: %d accepted, refusals %v", ok, keys)
		}
		accepted, total, err := db.Invitations(as(f.admin), f.org.ID, isms.InvitationFilter{State: isms.InvitationAccepted})
		if err != nil || total != 2 || accepted[1].ID != inv.ID {
			t.Fatalf("accepted invitations: %d %v", total, err)
		}
		events, _, _ := db.AuditEvents(as(f.admin), f.org.ID, isms.AuditFilter{RecordType: "invitation"})
		accepts := 0
		for _, e := range events {
			if e.Action == "accept" {
				accepts++
			}
		}
		if accepts != 2 {
			t.Fatalf("%d acceptances audited, want 2", accepts)
		}
		wantIntactChain(t, db)
	})
}

func TestInvitationExpiresAndIsRevoked(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		firstAccount(t, db)
		f := newInvitationFixture(t, db, "kommune")
		ctx := as(f.admin)

		late, _, err := db.CreateInvitation(ctx, f.org.ID, isms.InvitationInput{Email: "late@kommune.example", Role: isms.RoleReader})
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(isms.InvitationLifetime - time.Second)
		if inv, _ := db.InvitationByToken(context.Background(), late); inv.State != isms.InvitationPending {
			t.Fatalf("a second before expiry: %s", inv.State)
		}
		now = now.Add(time.Second)
		if inv, _ := db.InvitationByToken(context.Background(), late); inv.State != isms.InvitationExpired {
			t.Fatalf("at expiry: %s", inv.State)
		}
		_, _, err = db.AcceptInvitation(context.Background(), late, isms.Acceptance{Name: "Late", Password: "correct horse battery"})
		wantKey(t, err, "err.invitation_expired")
		if _, n, _ := db.Invitations(ctx, f.org.ID, isms.InvitationFilter{State: isms.InvitationExpired}); n != 1 {
			t.Fatalf("expired invitations: %d", n)
		}

		// Revoked: the link says so, and revoking twice is refused.
		token, inv, err := db.CreateInvitation(ctx, f.org.ID, isms.InvitationInput{Email: "gone@kommune.example", Role: isms.RoleReader})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeInvitation(ctx, f.org.ID, inv.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.InvitationByToken(context.Background(), token); got.State != isms.InvitationRevoked || got.RevokedAt == nil {
			t.Fatalf("after revoking: %+v", got)
		}
		_, _, err = db.AcceptInvitation(context.Background(), token, isms.Acceptance{Name: "Gone", Password: "correct horse battery"})
		wantKey(t, err, "err.invitation_revoked")
		wantKey(t, db.RevokeInvitation(ctx, f.org.ID, inv.ID), "err.invitation_revoked")

		// Inviting the address again replaces a pending link.
		first, firstInv, _ := db.CreateInvitation(ctx, f.org.ID, isms.InvitationInput{Email: "twice@kommune.example", Role: isms.RoleReader})
		second, _, err := db.CreateInvitation(ctx, f.org.ID, isms.InvitationInput{Email: "twice@kommune.example", Role: isms.RoleAuditor})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.InvitationByToken(context.Background(), first); got.State != isms.InvitationRevoked {
			t.Fatalf("the first link after inviting again: %s", got.State)
		}
		if _, _, err := db.AcceptInvitation(context.Background(), second, isms.Acceptance{Name: "Twice", Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		if r := memberRole(t, db, f.org, "twice@kommune.example"); r != isms.RoleAuditor {
			t.Fatalf("role from the second invitation: %q", r)
		}
		wantKey(t, db.RevokeInvitation(ctx, f.org.ID, firstInv.ID), "err.invitation_revoked")

		// An unknown link is not found, and says so.
		_, err = db.InvitationByToken(context.Background(), "no-such-token")
		wantKey(t, err, "err.invitation_unknown")
		_, _, err = db.AcceptInvitation(context.Background(), "no-such-token", isms.Acceptance{Name: "X", Password: "correct horse battery"})
		wantKey(t, err, "err.invitation_unknown")

		list, total, err := db.Invitations(ctx, f.org.ID, isms.InvitationFilter{Limit: 2})
		if err != nil || total != 4 || len(list) != 2 || list[0].Email != "twice@kommune.example" {
			t.Fatalf("list: %d %v", total, err)
		}
		if _, _, err := db.Invitations(ctx, f.org.ID, isms.InvitationFilter{State: "lost"}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("unknown state: %v", err)
		}
	})
}

// TestInvitingRevealsNoAccount invites an address that has an account, one
// whose account is deactivated and one that has none: the inviter gets the
// same answer, and the trail records the same, for each.
func TestInvitingRevealsNoAccount(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fixed := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return fixed }
		admin := firstAccount(t, db)
		f := newInvitationFixture(t, db, "kommune")
		mustUser(t, db, "has@elsewhere.example")
		gone := mustUser(t, db, "gone@elsewhere.example")
		no := false
		if _, err := db.UpdateUser(as(admin), gone.ID, isms.UserUpdate{Active: &no, Version: 1}); err != nil {
			t.Fatal(err)
		}
		var shapes []string
		for _, email := range []string{"has@elsewhere.example", "gone@elsewhere.example", "none@elsewhere.example"} {
			token, inv, err := db.CreateInvitation(as(f.admin), f.org.ID, isms.InvitationInput{Email: email, Role: isms.RoleReader})
			if err != nil {
				t.Fatalf("%s: %v", email, err)
			}
			events, _, err := db.AuditEvents(as(f.admin), f.org.ID, isms.AuditFilter{RecordType: "invitation", RecordID: inv.ID})
			if err != nil || len(events) != 1 {
				t.Fatalf("%s: events %v", email, err)
			}
			shapes = append(shapes, shape(t, inv, email, inv.ID)+" "+shape(t, events[0].After, email, inv.ID)+fmt.Sprintf(" token %d", len(token)))
		}
		for i := 1; i < len(shapes); i++ {
			if shapes[i] != shapes[0] {
				t.Errorf("answers differ:\n%s\n%s", shapes[0], shapes[i])
			}
		}
	})
}

// shape is a value's JSON with the invitation's own address and id blanked.
func shape(t *testing.T, v any, email string, id int64) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	if m["email"] != email || m["id"] != float64(id) {
		t.Fatalf("unexpected answer %s", b)
	}
	m["email"], m["id"] = "", 0
	b, _ = json.Marshal(m)
	return string(b)
}

func TestInvitationsStayInTheirOrganisation(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		a := newInvitationFixture(t, db, "a")
		b := newInvitationFixture(t, db, "b")
		_, bInv, err := db.CreateInvitation(as(b.admin), b.org.ID, isms.InvitationInput{Email: "x@b.example", Role: isms.RoleReader})
		if err != nil {
			t.Fatal(err)
		}
		mustUser(t, db, "existing@elsewhere.example")
		before := snapshot(t, db)
		ctx := as(a.admin)
		_, _, err = db.CreateInvitation(ctx, b.org.ID, isms.InvitationInput{Email: "intruder@a.example", Role: isms.RoleAdministrator})
		wantCode(t, err, isms.ENotFound)
		_, _, err = db.Invitations(ctx, b.org.ID, isms.InvitationFilter{})
		wantCode(t, err, isms.ENotFound)
		wantCode(t, db.RevokeInvitation(ctx, b.org.ID, bInv.ID), isms.ENotFound)
		// Nor through A's own organisation's address.
		wantCode(t, db.RevokeInvitation(ctx, a.org.ID, bInv.ID), isms.ENotFound)
		// A coordinator of A may not invite, list or revoke in A.
		_, _, err = db.CreateInvitation(as(a.coordinator), a.org.ID, isms.InvitationInput{Email: "y@a.example", Role: isms.RoleReader})
		wantCode(t, err, isms.EForbidden)
		_, _, err = db.Invitations(as(a.coordinator), a.org.ID, isms.InvitationFilter{})
		wantCode(t, err, isms.EForbidden)
		// An organisation's administrator no longer adds existing accounts
		// by address: they invite.
		_, err = db.AddMembership(ctx, a.org.ID, isms.MembershipInput{Email: "existing@elsewhere.example", Role: isms.RoleReader})
		wantKey(t, err, "err.forbidden_add_member")
		_, err = db.AddMembership(ctx, a.org.ID, isms.MembershipInput{Email: "nobody@elsewhere.example", Role: isms.RoleReader})
		wantKey(t, err, "err.forbidden_add_member")
		sameData(t, before, snapshot(t, db))
		// A site administrator still may.
		if _, err := db.AddMembership(asSystem(), a.org.ID, isms.MembershipInput{Email: "existing@elsewhere.example", Role: isms.RoleReader}); err != nil {
			t.Fatal(err)
		}
	})
}
