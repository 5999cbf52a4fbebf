package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/ismsdk/isms"
)

// TestBrowserPasskeyRegistrationAndLogin runs the real WebAuthn ceremonies
// in headless Chromium with its virtual authenticator (a platform
// authenticator with user verification): a passkey is added on the
// account page, and the next login's second step is passed with it.
// WebAuthn needs a secure context, so the browser reaches the test server
// as http://localhost, which is the relying party the server derives.
func TestBrowserPasskeyRegistrationAndLogin(t *testing.T) {
	ctx := startBrowserFor(t, 3*time.Minute, chromedp.WindowSize(1280, 900))
	axe := axeSource(t)
	e := newEnv(t)
	// An administrator of the organisation, who sees the settings' form
	// for the requirement.
	u := e.member("passkey@example.org", e.org, isms.RoleAdministrator)
	base := strings.Replace(e.srv.URL, "127.0.0.1", "localhost", 1)
	// The pages of the second factor pass axe-core at the walk's widths
	// (walk_test.go), in the browser's state of the moment: a pending
	// login, a session.
	w := &walker{ctx: ctx, base: base, axe: axe, shots: os.Getenv("ISMS_SCREENSHOTS")}
	check := func(path string) {
		t.Helper()
		w.check(t, ctx, "en", walkPage{path, 200})
	}

	shots := os.Getenv("ISMS_SCREENSHOTS")
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if shots == "" {
				return nil
			}
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
				HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
			}})
			return err
		}),
		loginInEnglish(base, u.Email),
		chromedp.Navigate(base+"/account"),
		chromedp.WaitVisible(chromedp.CSS(`#f-passkey_name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-passkey_name`), "Laptop"),
		// A click, not a form submission: the page's script runs the
		// ceremony on the form's submit event.
		chromedp.Click(chromedp.CSS(`#passkey-add button`)),
		chromedp.WaitVisible(chromedp.CSS(`#passkeys`)),
		shot("mfa-account"),
	)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.db.UserSecondFactors(context.Background(), u.ID)
	if err != nil || len(f.Passkeys) != 1 || f.Passkeys[0].Name != "Laptop" {
		t.Fatalf("after registration: %v %+v", err, f)
	}

	// Log out and in again: the password leads to the second step, and
	// the passkey passes it.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`fetch("/logout", {method: "POST"})`),
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-email`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#passkey-login`)),
		shot("mfa-second-step"),
	)
	if err != nil {
		t.Fatal(err)
	}
	check("/login/second-factor")
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.CSS(`#passkey-login`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/account"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	f, _ = e.db.UserSecondFactors(context.Background(), u.ID)
	if f.Passkeys[0].LastUsedAt == nil {
		t.Fatal("the passkey was not used for the login")
	}
	evs, _ := e.db.UserHistory(e.as(e.admin), u.ID)
	if len(evs) == 0 || evs[0].Action != "add_passkey" {
		t.Fatalf("the registration is not audited: %v", evs)
	}
	exp := e.db.Now().Add(90 * 24 * time.Hour)
	if _, _, err := e.db.CreateLimitedAPIToken(e.as(u), u.ID, "Reporting", isms.APITokenLimits{ReadOnly: true, ExpiresAt: &exp}); err != nil {
		t.Fatal(err)
	}
	check("/account")
	check(fmt.Sprintf("/orgs/%d/settings", e.org.ID))

	// The organisation requires a second factor: a member without one
	// sets up an authenticator app at the login, with a code a standard
	// library computes from the secret the page shows, and sees the
	// recovery codes once.
	if err := e.db.SetOrganisationRequiresSecondFactor(e.as(e.admin), e.org.ID, true); err != nil {
		t.Fatal(err)
	}
	v := e.member("enrol@example.org", e.org, isms.RoleReader)
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`fetch("/logout", {method: "POST"})`),
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-email`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), v.Email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#totp-secret`)),
		shot("mfa-enrol"),
	)
	if err != nil {
		t.Fatal(err)
	}
	check("/login/enrol")
	secret, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#totp-secret`)))
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(secret, e.db.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), code),
		chromedp.Submit(chromedp.CSS(`#f-code`)),
		chromedp.WaitVisible(chromedp.CSS(`#recovery-codes`)),
		shot("mfa-codes"),
		chromedp.Evaluate[chromedp.Void](axe),
	)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range vs {
		t.Errorf("recovery codes page: axe %s (%s): %s; first: %s", x.ID, x.Impact, x.Help, strings.Join(x.Targets, " | "))
	}
	if f, _ := e.db.UserSecondFactors(context.Background(), v.ID); !f.TOTP || f.RecoveryCodesLeft != 10 {
		t.Fatalf("after the enrolment at login: %+v", f)
	}
}
