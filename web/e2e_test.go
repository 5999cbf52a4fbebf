package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium. Without it the browser test skips
// with a reason, except under CI=true, where it fails.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("ISMS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium not found (install Debian's chromium package); CI must run the browser test")
	}
	t.Skip("Chromium not found: install Debian's chromium package to run the browser test")
	return ""
}

// startBrowser starts Debian's headless Chromium for a test, with the flags that
// keep it off the network and a profile of its own, and returns the context
// its steps run in; it closes with the test, or after 90 seconds.
func startBrowser(t *testing.T, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	return startBrowserFor(t, 90*time.Second, opts...)
}

// startBrowserFor is startBrowser for a test that needs the browser longer
// than 90 seconds (the walk of every page).
func startBrowserFor(t *testing.T, limit time.Duration, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts = append(append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	), opts...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })
	return ctx
}

// loginInEnglish logs in through the login form and switches the interface
// to Danish and back to English with the language buttons, so that each
// click is a page change to wait for, whatever the browser's own language,
// and the following pages are in English.
func loginInEnglish(base, email string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(chromedp.CSS(`#f-email`)),
			chromedp.SendKeys(chromedp.CSS(`#f-email`), email),
			chromedp.SendKeys(chromedp.CSS(`#f-password`), testPassword),
			chromedp.Submit(chromedp.CSS(`#f-password`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/account"]`)),
			chromedp.Click(chromedp.CSS(`form.lang button[value="da"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="da"] button[value="da"][aria-pressed="true"]`)),
			chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] button[value="en"][aria-pressed="true"]`)),
		)
	})
}

// TestBrowserRecordScopeTurnsChecklistYes drives the real UI in headless
// Chromium: log in, record the ISMS scope, and see checklist question 1.5
// turn yes.
func TestBrowserRecordScopeTurnsChecklistYes(t *testing.T) {
	ctx := startBrowser(t)
	e := newEnv(t)

	org := fmt.Sprintf("%s/orgs/%d", e.srv.URL, e.org.ID)
	text := func(sel string) string {
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	err := chromedp.Do(ctx,
		loginInEnglish(e.srv.URL, "admin@example.org"),
		chromedp.Navigate(org+"/checklist"),
		chromedp.WaitVisible(chromedp.CSS(`#q1\.5`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	before := text(`#q1\.5 .badge`)
	err = chromedp.Do(ctx,
		chromedp.Navigate(org+"/scope/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#f-description`)),
		chromedp.SendKeys(chromedp.CSS(`#f-description`), "The whole municipality's case handling and citizen services."),
		chromedp.SendKeys(chromedp.CSS(`#f-organisation_units`), "Citizen services; Social services; IT"),
		chromedp.SendKeys(chromedp.CSS(`#f-information_types`), "Personal data in cases; financial data"),
		chromedp.SendKeys(chromedp.CSS(`#f-exclusions`), "Utility company (separate legal entity, own ISMS)."),
		chromedp.SendKeys(chromedp.CSS(`#f-boundary_criteria`), "Everything that handles business-critical information about citizens."),
		chromedp.Submit(chromedp.CSS(`#f-description`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	heading := text(`main h1`)
	if err := chromedp.Do(ctx, chromedp.Navigate(org+"/checklist"), chromedp.WaitVisible(chromedp.CSS(`#q1\.5`))); err != nil {
		t.Fatal(err)
	}
	after := text(`#q1\.5 .badge`)
	if strings.TrimSpace(before) != "No" {
		t.Errorf("question 1.5 before the scope: %q, want No", before)
	}
	if heading != "Scope of the ISMS" {
		t.Errorf("after saving, heading %q, want the scope page", heading)
	}
	if strings.TrimSpace(after) != "Yes" {
		t.Errorf("question 1.5 after recording the scope: %q, want Yes", after)
	}
}
