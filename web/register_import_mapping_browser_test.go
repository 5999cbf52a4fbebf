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

// TestBrowserSupplierImportMappingStep drives the supplier import's
// mapping step in headless Chromium: the column headed in the author's
// words is mapped by hand to the name, saved, and the preview shows the
// rows read with it and links back to the mapping. With ISMS_SCREENSHOTS
// set to a folder, the pages are saved there; with ISMS_AXE (or CI) both
// pages are checked by axe-core.
func TestBrowserSupplierImportMappingStep(t *testing.T) {
	ctx := startBrowser(t, chromedp.WindowSize(1280, 900))
	r := newRimpEnv(t)
	e := r.e
	data := []byte("Leverandørens navn xyz;Leverer;Kritikalitet;Ejer\nDataCentralen A/S;Drift;High;coordinator@imp.example\n")
	sheet, err := export.ReadRegister(isms.ImportSuppliers, "leverandoerer.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	sheet.File = data
	if _, err := e.db.StageRegisterImport(e.as(r.coord), e.org.ID, sheet); err != nil {
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
	path := fmt.Sprintf("/orgs/%d/supplier-import/%s", e.org.ID, sheet.SHA256)
	sel := `select[name="col.leverandørensnavnxyz"]`
	err = chromedp.Do(ctx,
		loginInEnglish(e.srv.URL, "coordinator@imp.example"),
		chromedp.Navigate(e.srv.URL+path+"/mapping"),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.SetValue(chromedp.CSS(sel), "name"),
		shot("supplier-import-1-mapping"),
		chromedp.Submit(chromedp.CSS(sel)),
		chromedp.WaitReady(chromedp.CSS(`input[name="preview_sha256"]`)),
		shot("supplier-import-2-preview"),
	)
	if err != nil {
		t.Fatal(err)
	}
	preview, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 created", "DataCentralen A/S", "Change columns and values"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview does not show %q:\n%s", want, preview)
		}
	}
	if os.Getenv("ISMS_AXE") != "" || os.Getenv("CI") == "true" {
		w := &walker{base: e.srv.URL, axe: axeSource(t)}
		for _, p := range []string{path + "/mapping", path} {
			w.check(t, ctx, "en", walkPage{path: p, status: 200})
		}
	}
}
