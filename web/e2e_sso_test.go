package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// TestBrowserSingleSignOn drives the whole flow in headless Chromium:
// the login page's button, the real OpenID provider in the test process
// (its login step automatic), back to the product logged in with the
// role a claim mapping gave, then logout and the provider's end-session
// endpoint back to the login page. The pages single sign-on adds are
// checked with axe-core where it is installed (tools/axe or ISMS_AXE).
// With ISMS_SCREENSHOTS set to a folder, the pages are saved there.
func TestBrowserSingleSignOn(t *testing.T) {
	ctx := startBrowser(t, chromedp.WindowSize(1280, 900))
	db := sqltest.OpenSQLite(t)
	e, o := newSSOEnv(t, db, nil)
	if _, err := db.CreateSSORoleMapping(e.as(e.admin), isms.SSORoleMappingInput{Provider: "test", ClaimValue: "isms-koordinatorer",
		OrganisationID: e.org.ID, Role: isms.RoleCoordinator}); err != nil {
		t.Fatal(err)
	}
	// Eva has an account (made by the site administrator) but no role yet.
	if _, err := db.CreateUser(e.as(e.admin), "eva@kommune.example", "Eva Ebbesen", testPassword, false); err != nil {
		t.Fatal(err)
	}
	o.person(&opPerson{Subject: "sub-eva", Email: "eva@kommune.example", EmailVerified: true, Name: "Eva Ebbesen", Groups: []string{"isms-koordinatorer"}})
	o.set(func(o *testOP) { o.loginAs = "sub-eva" })

	axe := ""
	if p := os.Getenv("ISMS_AXE"); p != "" || fileExists(filepath.Join("..", "tools", "axe", "node_modules", "axe-core", "axe.min.js")) {
		axe = axeSource(t)
	}
	shots := os.Getenv("ISMS_SCREENSHOTS")
	check := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if axe != "" {
				if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
					return err
				}
				vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise))
				if err != nil {
					return err
				}
				for _, v := range vs {
					t.Errorf("%s: axe %s (%s) on %d element(s): %s; first: %s", name, v.ID, v.Impact, v.Nodes, v.Help, strings.Join(v.Targets, " | "))
				}
			}
			if shots == "" {
				return nil
			}
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, "sso-"+name+".png"), png, 0o644)
		})
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}

	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#sso-test`)),
		check("1-login"),
		chromedp.Click(chromedp.CSS(`#sso-test`)),
		// Through the provider and back, logged in.
		chromedp.WaitVisible(chromedp.CSS(`a[href="/account"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasPrefix(url, e.srv.URL) || strings.Contains(url, "/auth/oidc/") {
		t.Fatalf("after the login the browser is at %q (%v)", url, err)
	}
	// The claim mapping made Eva a coordinator of the organisation.
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/orgs/"+itoa(e.org.ID)+"/members"),
		chromedp.WaitVisible(chromedp.CSS(`main h1`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if members := text(`main`); !strings.Contains(members, "Eva Ebbesen") {
		t.Fatalf("members page: %q", members)
	}
	if ms, _ := db.Memberships(e.as(e.admin), e.org.ID); !hasMember(ms, "eva@kommune.example", isms.RoleCoordinator) {
		t.Fatal("the claim mapping gave no coordinator role")
	}
	// Logout: the product's session ends, the page offers the provider's
	// end-session endpoint, which sends the browser back to the login.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#sso-end-session`)),
		check("2-signed-out"),
		chromedp.Click(chromedp.CSS(`#sso-end-session`)),
		chromedp.WaitVisible(chromedp.CSS(`#sso-test`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if url, _ := chromedp.Run(ctx, chromedp.Location()); url != e.srv.URL+"/login" {
		t.Fatalf("after the provider's logout: %q", url)
	}
	// An invitation accepted through the provider, which vouches for no
	// address of Gert's: the account is made for the invited one.
	token, _, err := db.CreateInvitation(e.as(e.admin), e.org.ID, isms.InvitationInput{Email: "gert@kommune.example", Role: isms.RoleAuditor})
	if err != nil {
		t.Fatal(err)
	}
	o.person(&opPerson{Subject: "sub-gert", Email: "gert.g@upn.example", Name: "Gert Gade"})
	o.set(func(o *testOP) { o.loginAs = "sub-gert" })
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/invitations/"+token),
		chromedp.WaitVisible(chromedp.CSS(`#sso-accept-test`)),
		check("3-invitation"),
		chromedp.Click(chromedp.CSS(`#sso-accept-test`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/account"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.Memberships(e.as(e.admin), e.org.ID); !hasMember(ms, "gert@kommune.example", isms.RoleAuditor) {
		t.Fatal("the invitation accepted through the provider gave no membership")
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#sso-end-session`)),
	); err != nil {
		t.Fatal(err)
	}
	// The site administrator's page of providers and mappings.
	err = chromedp.Do(ctx,
		loginInEnglish(e.srv.URL, "admin@example.org"),
		chromedp.Navigate(e.srv.URL+"/sso"),
		chromedp.WaitVisible(chromedp.CSS(`#sso-mappings`)),
		check("4-admin"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rows := text(`#sso-identities`); !strings.Contains(rows, "Eva Ebbesen") || !strings.Contains(rows, "sub-eva") {
		t.Fatalf("linked identities: %q", rows)
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func hasMember(ms []*isms.Membership, email string, role isms.Role) bool {
	for _, m := range ms {
		if m.UserEmail == email && m.Role == role {
			return true
		}
	}
	return false
}
