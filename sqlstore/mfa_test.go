package sqlstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// mfaClock is a test clock that concurrent writers may read.
type mfaClock struct{ ns atomic.Int64 }

func (c *mfaClock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *mfaClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *mfaClock) add(d time.Duration) { c.ns.Add(int64(d)) }
func asUser(u *isms.User) context.Context {
	return isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email})
}

// enrolTOTP enrols an authenticator for u with a code a standard library
// computes, and returns the secret and the recovery codes.
func enrolTOTP(t *testing.T, db *sqlstore.DB, u *isms.User) (string, []string) {
	t.Helper()
	e, err := db.BeginTOTP(asUser(u), "Test")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(e.Secret, db.Now())
	codes, err := db.ConfirmTOTP(asUser(u), code, "192.0.2.9")
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	return e.Secret, codes
}

func TestSecondFactorTOTP(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		var clock mfaClock
		clock.set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		db.Now = clock.now
		ctx := context.Background()
		u := mustUser(t, db, "totp@mfa.example")

		// A wrong code does not confirm the enrolment.
		e, err := db.BeginTOTP(asUser(u), "Test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConfirmTOTP(asUser(u), "000000", "192.0.2.9"); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("wrong confirmation code: %v", err)
		}
		if f, _ := db.UserSecondFactors(ctx, u.ID); f.Any() {
			t.Fatal("an unconfirmed secret counts as a second factor")
		}
		code, _ := totp.GenerateCode(e.Secret, db.Now())
		codes, err := db.ConfirmTOTP(asUser(u), code, "192.0.2.9")
		if err != nil || len(codes) != isms.RecoveryCodeCount {
			t.Fatalf("confirm: %v %d codes", err, len(codes))
		}
		f, _ := db.UserSecondFactors(ctx, u.ID)
		if !f.TOTP || f.RecoveryCodesLeft != 10 {
			t.Fatalf("after enrolment: %+v", f)
		}

		// The same code again (same step) is refused: a code is good once.
		pending, _ := db.StartPendingLogin(ctx, u.ID, "/")
		if _, _, err := db.CompleteWithCode(ctx, pending, code, "192.0.2.1"); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Fatalf("replayed code: %v", err)
		}
		clock.add(30 * time.Second)
		code, _ = totp.GenerateCode(e.Secret, db.Now())
		got, session, err := db.CompleteWithCode(ctx, pending, code, "192.0.2.1")
		if err != nil || got.ID != u.ID || session == "" {
			t.Fatalf("login with code: %v", err)
		}
		if su, err := db.SessionUser(ctx, session); err != nil || su.ID != u.ID {
			t.Fatalf("session: %v", err)
		}
		// The pending login is used up.
		if _, _, err := db.CompleteWithCode(ctx, pending, code, "192.0.2.1"); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Fatalf("second completion: %v", err)
		}

		// Wrong codes are throttled: the pair after five, then a wait.
		pending, _ = db.StartPendingLogin(ctx, u.ID, "/")
		for i := 0; i < 5; i++ {
			if _, _, err := db.CompleteWithCode(ctx, pending, "123456", "192.0.2.2"); isms.ErrorCode(err) != isms.EUnauthorized {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		code, _ = totp.GenerateCode(e.Secret, db.Now().Add(30*time.Second))
		clock.add(30 * time.Second)
		if _, _, err := db.CompleteWithCode(ctx, pending, code, "192.0.2.2"); isms.ErrorCode(err) != isms.ETooMany {
			t.Fatalf("sixth attempt: %v, want too many", err)
		}
		// Over every client, ten failures close the account's second step
		// for the window; the password step is not touched.
		for i := 0; i < 5; i++ {
			db.CompleteWithCode(ctx, pending, "654321", "198.51.100.1")
		}
		if _, _, err := db.CompleteWithCode(ctx, pending, code, "198.51.100.2"); isms.ErrorCode(err) != isms.ETooMany {
			t.Fatalf("after ten failures over clients: %v, want too many", err)
		}
		if _, err := db.Authenticate(ctx, u.Email, rightPassword, "198.51.100.2"); err != nil {
			t.Fatalf("password step after second-factor failures: %v", err)
		}

		// Removal is audited and drops the recovery codes.
		if err := db.RemoveTOTP(asUser(u)); err != nil {
			t.Fatal(err)
		}
		if f, _ := db.UserSecondFactors(ctx, u.ID); f.Any() || f.RecoveryCodesLeft != 0 {
			t.Fatalf("after removal: %+v", f)
		}
		events := auditActions(t, db, u)
		for _, want := range []string{"enrol_totp", "remove_totp"} {
			if !events[want] {
				t.Errorf("no audit event %s", want)
			}
		}
	})
}

// auditActions lists the audit actions of a user's account.
func auditActions(t *testing.T, db *sqlstore.DB, u *isms.User) map[string]bool {
	t.Helper()
	evs, err := db.UserHistory(asSystem(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range evs {
		out[e.Action] = true
	}
	return out
}

// TestRecoveryCodeSingleUse: the same recovery code used by many logins at
// once lets exactly one in, on both databases and across two handles (two
// instances of the server).
func TestRecoveryCodeSingleUse(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db, other := openDSN(t, dsn), openDSN(t, dsn)
		ctx := context.Background()
		u := mustUser(t, db, "recovery@mfa.example")
		_, codes := enrolTOTP(t, db, u)
		const n = 8
		tokens := make([]string, n)
		for i := range tokens {
			tokens[i], _ = db.StartPendingLogin(ctx, u.ID, "/")
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Different clients, so the throttle leaves them all a try;
				// the code typed with capitals and spaces is the same code.
				h := db
				if i%2 == 1 {
					h = other
				}
				if _, _, err := h.CompleteWithCode(ctx, tokens[i], " "+codes[0]+" ", "192.0.2."+string(rune('1'+i))); err == nil {
					wins.Add(1)
				} else if isms.ErrorCode(err) != isms.EUnauthorized {
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d logins with one recovery code, want exactly 1", wins.Load())
		}
		if f, _ := db.UserSecondFactors(ctx, u.ID); f.RecoveryCodesLeft != 9 {
			t.Fatalf("%d codes left, want 9", f.RecoveryCodesLeft)
		}
		// Regenerating replaces them: the old ones stop working.
		fresh, err := db.RegenerateRecoveryCodes(asUser(u))
		if err != nil || len(fresh) != 10 {
			t.Fatal(err)
		}
		p, _ := db.StartPendingLogin(ctx, u.ID, "/")
		if _, _, err := db.CompleteWithCode(ctx, p, codes[1], "192.0.2.50"); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Fatalf("an old code after regeneration: %v", err)
		}
		if _, _, err := db.CompleteWithCode(ctx, p, fresh[3], "192.0.2.50"); err != nil {
			t.Fatalf("a fresh code: %v", err)
		}
		if !auditActions(t, db, u)["use_recovery_code"] {
			t.Error("the use of a recovery code is not audited")
		}
	})
}

func TestOrganisationRequiresSecondFactor(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		admin := mustUser(t, db, "admin@mfa.example")
		adminCtx := isms.WithActor(ctx, &isms.Actor{UserID: admin.ID, Name: admin.Name, SiteAdmin: admin.SiteAdmin})
		org, err := db.CreateOrganisation(adminCtx, isms.OrganisationInput{Name: "Kravkommune"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateOrganisation(adminCtx, isms.OrganisationInput{Name: "Andenkommune"})
		if err != nil {
			t.Fatal(err)
		}
		member := mustUser(t, db, "member@mfa.example")
		if _, err := db.AddMembership(adminCtx, org.ID, isms.MembershipInput{Email: member.Email, Role: isms.RoleContributor}); err != nil {
			t.Fatal(err)
		}
		if req, _ := db.SecondFactorRequiredByOrganisation(ctx, member.ID); req {
			t.Fatal("required before anyone said so")
		}
		// A contributor may not set it; nobody may in an organisation they
		// cannot see.
		if err := db.SetOrganisationRequiresSecondFactor(asUser(member), org.ID, true); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("contributor: %v", err)
		}
		if err := db.SetOrganisationRequiresSecondFactor(asUser(member), other.ID, true); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation: %v", err)
		}
		if err := db.SetOrganisationRequiresSecondFactor(adminCtx, org.ID, true); err != nil {
			t.Fatal(err)
		}
		if req, _ := db.SecondFactorRequiredByOrganisation(ctx, member.ID); !req {
			t.Fatal("not required after the organisation required it")
		}
		if req, _ := db.OrganisationRequiresSecondFactor(asUser(member), org.ID); !req {
			t.Fatal("the member does not see the requirement")
		}
	})
}

func TestLimitedAPITokens(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		var clock mfaClock
		clock.set(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		db.Now = clock.now
		ctx := context.Background()
		u := mustUser(t, db, "tokens@mfa.example")
		past := clock.now().Add(-time.Hour)
		if _, _, err := db.CreateLimitedAPIToken(asUser(u), u.ID, "old", isms.APITokenLimits{ExpiresAt: &past}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("expiry in the past: %v", err)
		}
		exp := clock.now().Add(24 * time.Hour)
		tok, _, err := db.CreateLimitedAPIToken(asUser(u), u.ID, "ci", isms.APITokenLimits{ReadOnly: true, ExpiresAt: &exp})
		if err != nil {
			t.Fatal(err)
		}
		_, at, err := db.TokenAccess(ctx, tok)
		if err != nil || !at.ReadOnly || at.ExpiresAt == nil {
			t.Fatalf("token access: %v %+v", err, at)
		}
		list, _ := db.APITokens(asUser(u))
		if len(list) != 1 || !list[0].ReadOnly || list[0].ExpiresAt == nil {
			t.Fatalf("token list: %+v", list)
		}
		clock.add(24 * time.Hour)
		if _, err := db.TokenUser(ctx, tok); isms.ErrorCode(err) != isms.EUnauthorized {
			t.Fatalf("expired token: %v", err)
		}
	})
}
