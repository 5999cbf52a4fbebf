package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/ismsdk/isms"
)

// TestBrowserPasskeyRegistrationAndLogin runs the real WebAuthn ceremonies
// in headless Chromium with its virtual authenticator (a platform
// authenticator with user verification): a passkey is added on the
// account page, and the next login's second step is passed with it.
// WebAuthn needs a secure context, so the browser reaches the test server
// as http://localhost, which is the relying party the server derives.
func TestBrowserPasskeyRegistrationAndLogin(t *testing.T) {
	ctx := startBrowser(t, chromedp.WindowSize(1280, 900))
	e := newEnv(t)
	u := e.member("passkey@example.org", e.org, isms.RoleCoordinator)
	base := strings.Replace(e.srv.URL, "127.0.0.1", "localhost", 1)

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
}
