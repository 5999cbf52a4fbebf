package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ismsdk/isms"
)

// postArchive sends the import form: the name, then the file.
func postArchive(b *browser, name string, archive []byte) *http.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("name", name)
	fw, _ := w.CreateFormFile("file", "archive.isms-org.gz")
	fw.Write(archive)
	w.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+"/organisations/import", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// TestOrgArchivePages: an organisation's administrator downloads its
// archive and no other's, a coordinator none; only a site administrator
// imports, and a refused archive stores nothing.
func TestOrgArchivePages(t *testing.T) {
	e := newEnv(t)
	other := mustOrgFor(t, e, "Nabokommune")
	admin := e.member("admin@testkommune.example", e.org, isms.RoleAdministrator)
	coord := e.member("coord@testkommune.example", e.org, isms.RoleCoordinator)
	e.member("admin@nabo.example", other, isms.RoleAdministrator)
	_ = admin

	a := e.login("admin@testkommune.example")
	org := "/orgs/" + strconv.FormatInt(e.org.ID, 10)
	res := a.get(org + "/settings")
	if page := body(res); !strings.Contains(page, org+"/archive") {
		t.Fatalf("the settings page offers no archive")
	}
	if res := a.get(org + "/archive"); res.StatusCode != http.StatusOK {
		t.Fatalf("archive page: %d", res.StatusCode)
	}
	res = a.get(org + "/archive/download")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), ".isms-org.gz") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	archive, _ := io.ReadAll(res.Body)
	res.Body.Close()
	z, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(z)
	if !bytes.Contains(plain, []byte(`"format":"isms-organisation-archive"`)) || !bytes.Contains(plain, []byte(`{"end":`)) {
		t.Fatalf("the download is no whole archive: %.200s", plain)
	}

	// Another organisation's archive, or a coordinator's: refused.
	otherPath := "/orgs/" + strconv.FormatInt(other.ID, 10)
	for _, p := range []string{otherPath + "/archive", otherPath + "/archive/download"} {
		if res := a.get(p); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s by another organisation's administrator: %d", p, res.StatusCode)
		}
	}
	c := e.login(coord.Email)
	for _, p := range []string{org + "/archive", org + "/archive/download"} {
		if res := c.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s by a coordinator: %d", p, res.StatusCode)
		}
	}

	// Only a site administrator imports.
	if res := a.get("/organisations/import"); res.StatusCode != http.StatusForbidden {
		t.Errorf("import page for an organisation's administrator: %d", res.StatusCode)
	}
	if res := postArchive(a, "Kopi", archive); res.StatusCode != http.StatusForbidden {
		t.Errorf("import by an organisation's administrator: %d", res.StatusCode)
	}
	site := e.login("admin@example.org")
	if page := body(site.get("/")); !strings.Contains(page, "/organisations/import") {
		t.Errorf("the home page offers site administrators no import")
	}
	if res := site.get("/organisations/import"); res.StatusCode != http.StatusOK {
		t.Fatalf("import page: %d", res.StatusCode)
	}
	res = postArchive(site, "", archive)
	if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "already exists") {
		t.Errorf("import under a taken name: %d %s", res.StatusCode, page)
	}
	broken := bytes.Replace(plain, []byte(`"create"`), []byte(`"update"`), 1)
	res = postArchive(site, "Kopi", broken)
	if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "refused and nothing was stored") {
		t.Errorf("a changed archive: %d %s", res.StatusCode, page)
	}
	orgs, err := e.db.Organisations(e.as(e.admin))
	if err != nil || len(orgs) != 2 {
		t.Fatalf("something was stored: %d organisations, %v", len(orgs), err)
	}
	res = postArchive(site, "Kopi", archive)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/orgs/") {
		t.Fatalf("import: %d %s", res.StatusCode, body(res))
	}
	if page := body(site.get(res.Header.Get("Location"))); !strings.Contains(page, "Kopi") {
		t.Errorf("the imported organisation's page does not name it")
	}
	if _, breaks, err := e.db.VerifyAudit(e.as(e.admin)); err != nil || len(breaks) > 0 {
		t.Errorf("audit after the import: %v %v", breaks, err)
	}
}

// TestOrgArchivePagesInTheBrowser checks the archive's two pages as the
// walk does (axe-core, no sideways scrolling) in both languages, and
// saves them to ISMS_SCREENSHOTS when set.
func TestOrgArchivePagesInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("a browser test")
	}
	axe := axeSource(t)
	ctx := startBrowserFor(t, 3*time.Minute)
	e := newEnv(t)
	w := &walker{ctx: ctx, base: e.srv.URL, axe: axe, shots: os.Getenv("ISMS_SCREENSHOTS")}
	if err := chromedp.Do(ctx, loginInEnglish(e.srv.URL, "admin@example.org")); err != nil {
		t.Fatal(err)
	}
	org := "/orgs/" + strconv.FormatInt(e.org.ID, 10)
	for _, lang := range []string{"da", "en"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/account"), switchLanguage(lang)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{org + "/archive", org + "/settings", "/organisations/import", "/"} {
			w.check(t, ctx, lang, walkPage{p, 200})
		}
	}
}
