package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// newRimpMoreEnv is newRimpEnv with an administrator, the business
// overview's ESDH and Sagsbehandling, and the security role IT-chef held
// by the contributor.
func newRimpMoreEnv(t *testing.T) (*rimpEnv, *isms.User) {
	r := newRimpEnv(t)
	admin := r.e.member("admin@imp.example", r.e.org, isms.RoleAdministrator)
	ctx := r.e.as(r.coord)
	for _, in := range []isms.OverviewEntryInput{{Kind: isms.KindSystem, Name: "ESDH"}, {Kind: isms.KindProcess, Name: "Sagsbehandling"}} {
		if _, err := r.e.db.CreateOverviewEntry(ctx, r.e.org.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.e.db.CreateSecurityRole(ctx, r.e.org.ID, isms.SecurityRoleInput{Name: "IT-chef", HolderIDs: []int64{r.contrib.ID}}); err != nil {
		t.Fatal(err)
	}
	return r, admin
}

// Each register's import through the API: the dry run names every row's
// outcome with its row number as the file shows it and its warnings; a
// file with refused rows stores nothing unless skip_refused is set; a
// members import hands back the invitations' links when no mail is sent;
// another organisation and a reader are refused.
func TestMoreRegisterImportAPI(t *testing.T) {
	t.Parallel()
	r, admin := newRimpMoreEnv(t)
	api := fmt.Sprintf("/api/v1/organisations/%d", r.e.org.ID)
	send := func(tok, path, file string) (*http.Response, map[string]any) {
		return r.e.apiBody(tok, "POST", path, "application/octet-stream", bytes.NewReader(rimpFile(t, file)))
	}
	tok, adminTok := r.e.token(r.coord), r.e.token(admin)
	for _, c := range []struct {
		tok, register, file       string
		created, updated, refused float64
		warnedRow                 int
		warning                   string
		count                     func() int
		before, after             int
	}{
		{tok, "assets", "aktiver.csv", 3, 1, 2, 6, "“Jens Ukendt” is neither the e-mail, the name nor the role of a member of the organisation; the row is imported without an owner.", r.assetCount, 2, 5},
		{tok, "threats", "trusler.csv", 4, 0, 1, 6, "No group: the threat is imported as organisational; correct it in the catalogue.", r.ownThreatCount, 0, 4},
		{adminTok, "members", "medarbejdere.tsv", 2, 2, 1, 4, "The organisation has no security role “DPO”; add it under roles and responsibilities, and import again.", r.invitationCount, 0, 2},
		{tok, "overview", "forretningsoverblik.xlsx", 5, 1, 1, 9, "No category: the external factor is imported as “other”.", r.entryCount, 2, 7},
	} {
		path := api + "/" + c.register + "/import?filename=" + c.file
		res, out := send(c.tok, path+"&dry_run=true", c.file)
		if res.StatusCode != 200 || out["created"] != c.created || out["updated"] != c.updated || out["refused"] != c.refused || out["imported"] != false {
			t.Fatalf("%s dry run: %d %v", c.register, res.StatusCode, out)
		}
		warned := false
		for _, row := range out["rows"].([]any) {
			row := row.(map[string]any)
			if row["row"] == float64(c.warnedRow) {
				warned = strings.Contains(fmt.Sprint(row["warnings"]), c.warning)
			}
		}
		if !warned {
			t.Errorf("%s: row %d lacks the warning %q: %v", c.register, c.warnedRow, c.warning, out["rows"])
		}
		if n := c.count(); n != c.before {
			t.Fatalf("%s: the dry run stored: %d", c.register, n)
		}
		// Refused rows: nothing stored, each named by row and column.
		res, out = send(c.tok, path, c.file)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "row ") || c.count() != c.before {
			t.Fatalf("%s with refused rows: %d %v", c.register, res.StatusCode, out)
		}
		// Another organisation's coordinator, and a reader.
		if res, _ := send(r.e.token(r.out), path+"&skip_refused=true", c.file); res.StatusCode != http.StatusNotFound {
			t.Fatalf("%s by another organisation: %d", c.register, res.StatusCode)
		}
		if res, _ := send(r.e.token(r.reader), path+"&skip_refused=true", c.file); res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s by a reader: %d", c.register, res.StatusCode)
		}
		res, out = send(c.tok, path+"&skip_refused=true", c.file)
		if res.StatusCode != 200 || out["imported"] != true || c.count() != c.after {
			t.Fatalf("%s skipping the refused rows: %d %v, %d records", c.register, res.StatusCode, out, c.count())
		}
		if c.register == "members" {
			invs := out["invitations"].([]any)
			if len(invs) != 2 || invs[0].(map[string]any)["mailed"] != false || !strings.Contains(invs[0].(map[string]any)["url"].(string), "/invitations/") {
				t.Fatalf("invitations %v", invs)
			}
		}
		res, out = send(c.tok, path+"&skip_refused=true", c.file)
		if res.StatusCode != 200 || out["created"] != 0.0 || out["updated"] != 0.0 || c.count() != c.after {
			t.Fatalf("%s again: %d %v", c.register, res.StatusCode, out)
		}
	}
}

func (r *rimpEnv) assetCount() int {
	_, n, err := r.e.db.Assets(r.e.as(r.coord), r.e.org.ID, isms.AssetFilter{})
	if err != nil {
		r.e.t.Fatal(err)
	}
	return n
}

func (r *rimpEnv) ownThreatCount() int {
	ts, err := r.e.db.Threats(r.e.as(r.coord), r.e.org.ID, isms.ThreatFilter{})
	if err != nil {
		r.e.t.Fatal(err)
	}
	n := 0
	for _, t := range ts {
		if !t.Builtin {
			n++
		}
	}
	return n
}

func (r *rimpEnv) invitationCount() int {
	_, n, err := r.e.db.Invitations(r.e.as(r.e.admin), r.e.org.ID, isms.InvitationFilter{})
	if err != nil {
		r.e.t.Fatal(err)
	}
	return n
}

func (r *rimpEnv) entryCount() int {
	_, n, err := r.e.db.OverviewEntries(r.e.as(r.coord), r.e.org.ID, isms.EntryFilter{})
	if err != nil {
		r.e.t.Fatal(err)
	}
	return n
}

// What each register's export writes, its import reads back unchanged:
// every row skipped, in Danish and in English.
func TestMoreRegisterExportsImportBack(t *testing.T) {
	t.Parallel()
	r, admin := newRimpMoreEnv(t)
	api := fmt.Sprintf("/api/v1/organisations/%d", r.e.org.ID)
	o := fmt.Sprintf("/orgs/%d", r.e.org.ID)
	for _, f := range []struct{ tok, register, file string }{{r.e.token(r.coord), "assets", "aktiver.csv"},
		{r.e.token(r.coord), "threats", "trusler.csv"}, {r.e.token(admin), "members", "medarbejdere.tsv"},
		{r.e.token(r.coord), "overview", "forretningsoverblik.xlsx"}} {
		res, out := r.e.apiBody(f.tok, "POST", api+"/"+f.register+"/import?skip_refused=true", "application/octet-stream", bytes.NewReader(rimpFile(t, f.file)))
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %v", f.register, res.StatusCode, out)
		}
	}
	b := r.e.login("admin@imp.example")
	for _, c := range []struct{ tok, register string }{{r.e.token(r.coord), "assets"}, {r.e.token(r.coord), "threats"},
		{r.e.token(admin), "members"}, {r.e.token(r.coord), "overview"}} {
		for _, lang := range []string{"da", "en"} {
			req, _ := http.NewRequest("GET", r.e.srv.URL+o+"/"+c.register+"/export.xlsx", nil)
			req.Header.Set("Accept-Language", lang)
			res := b.do(req)
			data, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !bytes.HasPrefix(data, []byte("PK")) {
				t.Fatalf("%s export (%s): %d", c.register, lang, res.StatusCode)
			}
			res, out := r.e.apiBody(c.tok, "POST", api+"/"+c.register+"/import?dry_run=true&filename=export.xlsx", "application/octet-stream", bytes.NewReader(data))
			if res.StatusCode != 200 || out["created"] != 0.0 || out["updated"] != 0.0 || out["refused"] != 0.0 || out["skipped"].(float64) < 2 {
				t.Fatalf("%s export (%s) imported back: %d %v", c.register, lang, res.StatusCode, out)
			}
		}
	}
}

// The pages: the links from the registers, the upload, the preview with
// its warnings and the choice to skip refused rows, nothing stored until
// that choice is made; the members import shows the invitations' links
// once.
func TestMoreRegisterImportPages(t *testing.T) {
	t.Parallel()
	r, _ := newRimpMoreEnv(t)
	o := fmt.Sprintf("/orgs/%d", r.e.org.ID)
	b := r.e.login("admin@imp.example")
	for _, c := range []struct{ list, path string }{{"/assets", "/asset-import"}, {"/threats", "/threat-import"}, {"/members", "/member-import"},
		{"/overview", "/overview-import"}} {
		if html := body(b.get(o + c.list)); !strings.Contains(html, `href="`+o+c.path+`"`) || !strings.Contains(html, `href="`+o+c.list+`/export.xlsx"`) {
			t.Errorf("%s links neither to %s nor to its export", c.list, c.path)
		}
		if res := b.get(o + c.path); res.StatusCode != 200 {
			t.Errorf("%s: %d", c.path, res.StatusCode)
		}
	}
	res := b.importUpload(o+"/member-import", "medarbejdere.tsv", rimpFile(t, "medarbejdere.tsv"), "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	preview := strings.TrimSuffix(res.Header.Get("Location"), "/mapping")
	html := body(b.get(preview))
	for _, want := range []string{"5 rows: 2 created, 2 updated, 0 skipped (unchanged), 1 refused.", "The organisation has no security role “DPO”",
		"“ikke-en-adresse” is not an e-mail address.", `name="skip_refused"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	hash := regexp.MustCompile(`name="preview_sha256" value="([0-9a-f]{64})"`).FindStringSubmatch(html)
	if hash == nil {
		t.Fatal("no preview hash")
	}
	res = b.post(preview, url.Values{"preview_sha256": {hash[1]}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Rows refused: 1, so nothing was stored") || r.invitationCount() != 0 {
		t.Fatalf("confirmed without skipping: %d", res.StatusCode)
	}
	res = b.post(preview, url.Values{"preview_sha256": {hash[1]}, "skip_refused": {"true"}})
	html = body(res)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" || strings.Count(html, "/invitations/") != 2 || r.invitationCount() != 2 {
		t.Fatalf("confirmation: %d %s", res.StatusCode, html)
	}
}
