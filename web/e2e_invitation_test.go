package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ismsdk/isms"
)

// TestBrowserInviteColleague drives the real UI in headless Chromium: a new
// organisation administrator invites a colleague from the members page, the
// colleague opens the link, creates their account and is a member. With
// ISMS_SCREENSHOTS set to a folder, the pages are saved there as PNG.
func TestBrowserInviteColleague(t *testing.T) {
	ctx := startBrowser(t, chromedp.WindowSize(1280, 900))
	e := newEnv(t)
	e.member("anna@example.org", e.org, isms.RoleAdministrator)

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
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	members := fmt.Sprintf("%s/orgs/%d/members", e.srv.URL, e.org.ID)
	err := chromedp.Do(ctx,
		loginInEnglish(e.srv.URL, "anna@example.org"),
		chromedp.Navigate(members),
		chromedp.WaitVisible(chromedp.CSS(`#h-invite`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "colleague@example.org"),
		chromedp.SetValue(chromedp.CSS(`#f-role`), "coordinator"),
		shot("1-members-invite-form"),
		chromedp.Submit(chromedp.CSS(`#f-email`)),
		chromedp.WaitVisible(chromedp.CSS(`#invite-link`)),
		shot("2-members-link-shown-once"),
	)
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimSpace(text(`#invite-link`))
	invited := text(`#invitations tbody tr:first-child`)
	if !strings.HasPrefix(link, e.srv.URL+"/invitations/") {
		t.Fatalf("link shown: %q", link)
	}
	if !strings.Contains(invited, "colleague@example.org") || !strings.Contains(invited, "Coordinator") || !strings.Contains(invited, "Pending") {
		t.Errorf("invitation row: %q", invited)
	}
	// Anna logs out; the colleague opens the link in the same browser.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`main form[action="/login"]`)),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#create-and-accept`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	rules := text(`#pw-rules`)
	described, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#f-password`), "aria-describedby"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rules, "At least 10 characters") || !strings.HasPrefix(described.Value, "pw-rules") {
		t.Errorf("password rules %q, described by %q", rules, described.Value)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Carl Colleague"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), "a long enough passphrase"),
		chromedp.SendKeys(chromedp.CSS(`#f-password2`), "a long enough passphrase"),
		shot("3-invitation-page"),
		chromedp.Click(chromedp.CSS(`#create-and-accept`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		shot("4-welcome-dashboard"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if flash := text(`.flash`); !strings.Contains(flash, "You are now a member") {
		t.Errorf("after accepting: flash %q", flash)
	}
	if who := text(`header a[href="/account"]`); who != "Carl Colleague" {
		t.Errorf("logged in as %q", who)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(members),
		chromedp.WaitVisible(chromedp.CSS(`main table.list`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if row := text(`main table.list tbody`); !strings.Contains(row, "Carl Colleague") || !strings.Contains(row, "colleague@example.org") {
		t.Errorf("members seen by the colleague: %q", row)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`main .error-summary`)),
		shot("5-link-used"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if again := text(`main .error-summary`); !strings.Contains(again, "already been accepted") {
		t.Errorf("the link opened again: %q", again)
	}
	u, err := e.db.UserByEmail(context.Background(), "colleague@example.org")
	if err != nil || u.Name != "Carl Colleague" {
		t.Fatalf("colleague's account: %+v %v", u, err)
	}
	ms, _ := e.db.Memberships(e.as(e.admin), e.org.ID)
	role := isms.Role("")
	for _, m := range ms {
		if m.UserID == u.ID {
			role = m.Role
		}
	}
	if role != isms.RoleCoordinator {
		t.Errorf("colleague's role: %q", role)
	}
}
