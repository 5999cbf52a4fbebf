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
	"github.com/ismsdk/isms/export"
)

// TestBrowserRiskImportMappingStep drives the real UI in headless
// Chromium through the mapping step of a Danish Excel register: the
// columns with their proposed fields and the file's words with their
// proposed levels, saved; the preview with every row's outcome and the
// missing asset and threat; the import once the user agrees to create
// them. With ISMS_SCREENSHOTS set to a folder, the pages are saved there.
func TestBrowserRiskImportMappingStep(t *testing.T) {
	ctx := startBrowser(t, chromedp.WindowSize(1280, 900))
	f := newRiskFixture(t)
	e := f.e
	data, err := os.ReadFile("../export/testdata/risikoregister-1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := export.ReadRiskSheet("risikoregister-1252.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	sheet.File = data
	pv, err := e.db.StageRiskImport(e.as(f.coord), e.org.ID, sheet)
	if err != nil {
		t.Fatal(err)
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
	org := fmt.Sprintf("%s/orgs/%d", e.srv.URL, e.org.ID)
	var mapping, preview string
	err = chromedp.Do(ctx,
		loginInEnglish(e.srv.URL, "coord@risk.example"),
		chromedp.Navigate(fmt.Sprintf("%s/risk-import/%d/mapping", org, pv.ID)),
		chromedp.WaitVisible(chromedp.CSS(`select[name="col.sandsynlighed"]`)),
		shot("risk-import-1-mapping"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if mapping, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`))); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Submit(chromedp.CSS(`select[name="col.sandsynlighed"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-create_missing`)),
		shot("risk-import-2-preview"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if preview, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`))); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#f-create_missing`)),
		chromedp.Submit(chromedp.CSS(`#f-create_missing`)),
		chromedp.WaitReady(chromedp.CSS(`input[name="incomplete"]`)),
		shot("risk-import-3-register"),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"E · Sandsynlighed (1-4)", "4 - Meget alvorlig"} {
		if !strings.Contains(mapping, want) {
			t.Errorf("the mapping step does not show %q", want)
		}
	}
	for _, want := range []string{"Rows: 5 created", "Lønsystem", "Leverandørkonkurs", "Reduction without planned controls"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview does not show %q:\n%s", want, preview)
		}
	}
	// The new pages pass axe-core, fit a phone's width and have targets
	// big enough to touch, as every page of the walk must.
	if os.Getenv("ISMS_AXE") != "" || os.Getenv("CI") == "true" {
		w := &walker{base: e.srv.URL, axe: axeSource(t)}
		for _, path := range []string{fmt.Sprintf("/orgs/%d/risk-import/%d/mapping", e.org.ID, pv.ID),
			fmt.Sprintf("/orgs/%d/risk-import/%d", e.org.ID, pv.ID), fmt.Sprintf("/orgs/%d/import", e.org.ID)} {
			w.check(t, ctx, "en", walkPage{path: path, status: 200})
		}
	}
	if _, n, _ := e.db.Risks(e.as(f.reader), e.org.ID, isms.RiskFilter{Query: "sagsarkivet"}); n != 1 {
		t.Errorf("imported: %d", n)
	}
	if ms, err := e.db.ImportMappings(e.as(f.coord), e.org.ID); err != nil || len(ms) != 1 {
		t.Errorf("saved mappings: %d %v", len(ms), err)
	}
}
