package web_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// soaUntranslated also catches the SoA's own keys reaching a page.
var soaUntranslated = regexp.MustCompile(`\bsoa\.[a-z_0-9.]+[a-z]\b`)

// soaEnv is a server with an SoA that has every kind of line: applicable
// by a requirement, excluded, an own control, and a frozen, approved
// version.
type soaEnvT struct {
	*env
	coord, mgmt, reader, outsider *isms.User
	law                           *isms.OverviewEntry
	line                          *isms.SoAControl
	version                       *isms.SoAVersion
}

func newSoAEnv(t *testing.T) *soaEnvT {
	e := &soaEnvT{env: newEnv(t)}
	e.coord = e.member("koordinator@example.org", e.org, isms.RoleCoordinator)
	e.mgmt = e.member("direktion@example.org", e.org, isms.RoleManagement)
	e.reader = e.member("laeser@example.org", e.org, isms.RoleReader)
	e.outsider = e.member("anden@example.org", mustOrgFor(t, e.env, "Anden kommune"), isms.RoleCoordinator)
	ctx := e.as(e.coord)
	var err error
	e.law, err = e.db.CreateOverviewEntry(ctx, e.org.ID, isms.OverviewEntryInput{Kind: isms.KindExternalFactor, Category: "law", Name: "Databeskyttelsesloven"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.db.SoA(ctx, e.org.ID, isms.SoAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Controls {
		in := isms.SoAControlInput{Applicability: isms.Applicable, Status: isms.ImplPartial, RequirementIDs: []int64{e.law.ID}, OwnerID: &e.coord.ID,
			Evidence: "SharePoint/ISMS/" + c.Ref}
		if c.Ref == "8.4" {
			in = isms.SoAControlInput{Applicability: isms.Excluded, ExclusionReason: "Ingen egen kildekode"}
		}
		if _, err := e.db.SaveSoAControl(ctx, e.org.ID, c.ControlID, in); err != nil {
			t.Fatal(err)
		}
	}
	oc, err := e.db.CreateOwnControl(ctx, e.org.ID, isms.OwnControlInput{Ref: "SK-1", Theme: "organizational", Title: "Fakturakontrol"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SaveSoAControl(ctx, e.org.ID, oc.ControlID, isms.SoAControlInput{Applicability: isms.Applicable, BusinessReason: "Svindelforsøg", Version: oc.Version}); err != nil {
		t.Fatal(err)
	}
	s, _ = e.db.SoA(ctx, e.org.ID, isms.SoAFilter{})
	e.line = s.Controls[0]
	if e.version, err = e.db.FreezeSoA(ctx, e.org.ID, isms.SoAFreezeInput{Note: "Første", StateToken: s.StateToken}); err != nil {
		t.Fatal(err)
	}
	if e.version, err = e.db.ApproveSoAVersion(e.as(e.mgmt), e.org.ID, e.version.ID, isms.SoAApprovalInput{Version: e.version.Version}); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSoAPagesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newSoAEnv(t)
	b := e.login("koordinator@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	pages := []string{o + "/soa", o + "/soa?applicability=excluded&theme=technological", o + "/soa?problem=unjustified_any&changed=1",
		fmt.Sprintf("%s/soa/controls/%d", o, e.line.ControlID), fmt.Sprintf("%s/soa/controls/%d/edit", o, e.line.ControlID),
		o + "/soa/own/new", o + "/soa/versions", fmt.Sprintf("%s/soa/versions/%d", o, e.version.ID), o + "/soa/diff",
		fmt.Sprintf("%s/soa/diff?from=%d&to=%d", o, e.version.ID, e.version.ID), o + "/soa/print",
		fmt.Sprintf("%s/soa/versions/%d/print", o, e.version.ID), o + "/soa/import"}
	b.pagesRender(t, pages, untranslated, soaUntranslated)
	// A risk that does not exist (or is another organisation's) is not found.
	if r := b.get(o + "/soa/controls?risk=999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("controls of an unknown risk: %d", r.StatusCode)
	}
	b.lang = "en"
	html := body(b.get(o + "/soa"))
	for _, want := range []string{"Organizational controls", "Technological controls", "5.37", "SK-1", "The current state is the approved one."} {
		if !strings.Contains(html, want) {
			t.Errorf("SoA page lacks %q", want)
		}
	}
	if html := body(b.get(fmt.Sprintf("%s/soa/controls/%d", o, e.line.ControlID))); !strings.Contains(html, "Databeskyttelsesloven") ||
		!strings.Contains(html, fmt.Sprintf("/overview/entries/%d", e.law.ID)) {
		t.Error("the control page does not link its requirement")
	}
}

func TestSoAFormsAndRoles(t *testing.T) {
	t.Parallel()
	e := newSoAEnv(t)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	ctl := fmt.Sprintf("%s/soa/controls/%d", o, e.line.ControlID)
	b := e.login("koordinator@example.org")
	b.lang = "en"
	events := func() int {
		_, n, _ := e.db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{})
		return n
	}
	// Excluded without a reason: refused with the field named, nothing stored.
	before := events()
	res := b.post(ctl, url.Values{"applicability": {"excluded"}, "version": {"1"}})
	html := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-exclusion_reason">`) || events() != before {
		t.Fatalf("excluded without reason: %d, events %d→%d", res.StatusCode, before, events())
	}
	// A stale version: 409, nothing stored.
	res = b.post(ctl, url.Values{"applicability": {"excluded"}, "exclusion_reason": {"x"}, "version": {"0"}})
	if res.StatusCode != http.StatusConflict || events() != before {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	res = b.post(ctl, url.Values{"applicability": {"excluded"}, "exclusion_reason": {"Dækket af koncernen"}, "version": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, body(res))
	}
	// Management and readers may not edit; management approves only.
	for _, email := range []string{"direktion@example.org", "laeser@example.org"} {
		r := e.login(email).post(ctl, url.Values{"applicability": {"applicable"}, "version": {"2"}})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s saves: %d", email, r.StatusCode)
		}
	}
	// Another organisation's member sees nothing.
	out := e.login("anden@example.org")
	for _, p := range []string{o + "/soa", ctl, o + "/soa/versions", o + "/soa/export.xlsx", o + "/soa/print"} {
		if r := out.get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("outsider %s: %d", p, r.StatusCode)
		}
	}
	// Freezing from the versions page, then approval by management only.
	s, _ := e.db.SoA(e.as(e.coord), e.org.ID, isms.SoAFilter{})
	res = b.post(o+"/soa/versions", url.Values{"state_token": {"old"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("freeze stale: %d", res.StatusCode)
	}
	res = b.post(o+"/soa/versions", url.Values{"state_token": {s.StateToken}, "freeze_note": {"Efter revision"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("freeze: %d %s", res.StatusCode, body(res))
	}
	vs, _ := e.db.SoAVersions(e.as(e.coord), e.org.ID)
	approve := fmt.Sprintf("%s/soa/versions/%d/approve", o, vs[0].ID)
	if r := b.post(approve, url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator approves: %d", r.StatusCode)
	}
	if r := e.login("direktion@example.org").post(approve, url.Values{"version": {"1"}, "approval_note": {"OK"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("management approves: %d", r.StatusCode)
	}
	diff := body(b.get(fmt.Sprintf("%s/soa/diff?from=%d&to=%d", o, e.version.ID, vs[0].ID)))
	if !strings.Contains(diff, "Dækket af koncernen") || !strings.Contains(diff, "Excluded") {
		t.Fatalf("diff page lacks the change")
	}
}

func TestSoAExportInTheUsersLanguage(t *testing.T) {
	t.Parallel()
	e := newSoAEnv(t)
	b := e.login("laeser@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	for _, tc := range []struct{ lang, path, theme, yes string }{
		{"da", o + "/soa/export.xlsx", "Organisatoriske foranstaltninger", "Ja"},
		{"en", fmt.Sprintf("%s/soa/versions/%d/export.xlsx", o, e.version.ID), "Organizational controls", "Yes"},
	} {
		b.lang = tc.lang
		res := b.get(tc.path)
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s: %d %s", tc.path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("SoA")
		var themes, controls int
		var found84 bool
		for _, r := range rows {
			if len(r) == 1 && r[0] == tc.theme {
				themes++
			}
			if len(r) > 8 && strings.HasPrefix(r[0], "A.") {
				controls++
				if r[0] == "A.8.4" && r[7] == "Ingen egen kildekode" {
					found84 = true
				}
				if r[0] == "A.5.1" && (r[3] != tc.yes || !strings.Contains(r[5], "Databeskyttelsesloven") || !strings.Contains(r[10], "SharePoint/ISMS/5.1")) {
					t.Errorf("%s 5.1 row: %q", tc.lang, r)
				}
			}
		}
		if themes != 1 || controls != 93 || !found84 {
			t.Errorf("%s: theme section %d, %d Annex A rows, 8.4 excluded with reason %v", tc.lang, themes, controls, found84)
		}
		f.Close()
	}
}

func multipartFile(t *testing.T, name string, data []byte) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	return w.FormDataContentType(), &buf
}

func TestSoAImportThroughTheUI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("koordinator@example.org", e.org, isms.RoleCoordinator)
	b := e.login("koordinator@example.org")
	b.lang = "da"
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	post := func(data []byte) (*http.Response, string) {
		ct, buf := multipartFile(t, "soa.csv", data)
		req, _ := http.NewRequest("POST", e.srv.URL+o+"/soa/import/preview", buf)
		req.Header.Set("Content-Type", ct)
		res := b.do(req)
		return res, body(res)
	}
	// A broken file: every problem by row and column, nothing stored.
	res, html := post([]byte("Kontrol;Anvendelig;Begrundelse\nA.5.1.1;Måske;\nA.19.9.9;Ja;\n"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "»Måske« er hverken ja eller nej.") ||
		!strings.Contains(html, "B (Anvendelig)") || !strings.Contains(html, "19.9.9 er ikke en foranstaltning") {
		t.Fatalf("broken file: %d\n%s", res.StatusCode, html)
	}
	if strings.Contains(html, `type="submit">Importér<`) {
		t.Fatal("a broken file can be imported")
	}
	// A sound file: the preview asks for the 11 new controls.
	file := "Kontrol;Anvendelig;Begrundelse;Status\nA.5.1.1;Ja;Vedtaget;Implementeret\nA.5.1.2;Ja;Årligt;Implementeret\n"
	res, html = post([]byte(file))
	if res.StatusCode != http.StatusOK || strings.Count(html, "ny i 2022") != 11 {
		t.Fatalf("preview: %d, %d new", res.StatusCode, strings.Count(html, "ny i 2022"))
	}
	token := regexp.MustCompile(`name="state_token" value="([0-9a-f]+)"`).FindStringSubmatch(html)[1]
	form := url.Values{"file_name": {"soa.csv"}, "content": {base64.StdEncoding.EncodeToString([]byte(file))}, "state_token": {token}}
	// Applying with flags open is refused and shows the preview again.
	if r := b.post(o+"/soa/import", form); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("apply undecided: %d", r.StatusCode)
	}
	for _, ref := range []string{"5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"} {
		form.Set("d."+ref, "keep")
	}
	if r := b.post(o+"/soa/import", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", r.StatusCode, body(r))
	}
	s, _ := e.db.SoA(e.as(e.admin), e.org.ID, isms.SoAFilter{Applicability: "applicable"})
	if len(s.Controls) != 1 || s.Controls[0].Ref != "5.1" || s.Controls[0].Status != isms.ImplImplemented {
		t.Fatalf("after import: %+v", s.Controls)
	}
}

func TestSoAAPI(t *testing.T) {
	t.Parallel()
	e := newSoAEnv(t)
	tok := e.token(e.coord)
	o := fmt.Sprintf("/api/v1/organisations/%d/soa", e.org.ID)
	res, out := e.api(tok, "GET", o+"?applicability=excluded", nil)
	if res.StatusCode != 200 || len(out["controls"].([]any)) != 1 || out["up_to_date"] != true {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "PUT", fmt.Sprintf("%s/controls/%d", o, e.line.ControlID), map[string]any{"applicability": "excluded", "version": 1})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "exclusion_reason") {
		t.Fatalf("excluded without reason: %d %v", res.StatusCode, out)
	}
	res, _ = e.api(tok, "PUT", fmt.Sprintf("%s/controls/%d", o, 999999), map[string]any{"applicability": "applicable"})
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown control: %d", res.StatusCode)
	}
	res, out = e.api(tok, "PUT", fmt.Sprintf("%s/controls/%d", o, e.line.ControlID), map[string]any{"applicability": "applicable",
		"implementation_status": "implemented", "requirement_ids": []int64{e.law.ID}, "version": 1})
	if res.StatusCode != 200 || out["implementation_status"] != "implemented" {
		t.Fatalf("save: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", fmt.Sprintf("%s/diff?from=%d", o, e.version.ID), nil)
	if res.StatusCode != 200 || len(out["changes"].([]any)) != 1 {
		t.Fatalf("diff: %d %v", res.StatusCode, out)
	}
	_, cur := e.api(tok, "GET", o, nil)
	res, out = e.api(tok, "POST", o+"/versions", map[string]any{"state_token": cur["state_token"], "note": "API"})
	if res.StatusCode != 201 || out["number"] != float64(2) {
		t.Fatalf("freeze: %d %v", res.StatusCode, out)
	}
	res, _ = e.api(tok, "POST", fmt.Sprintf("%s/versions/%v/approve", o, out["id"]), map[string]any{"version": 1})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator approves: %d", res.StatusCode)
	}
	res, out = e.api(e.token(e.mgmt), "POST", fmt.Sprintf("%s/versions/%v/approve", o, out["id"]), map[string]any{"version": 1})
	if res.StatusCode != 200 || out["approved_at"] == nil {
		t.Fatalf("approve: %d %v", res.StatusCode, out)
	}
	// Import: a preview names the problems; a broken file is refused.
	res, out = e.api(tok, "POST", o+"/import/preview", map[string]any{"file_name": "x.csv", "content": []byte("Kontrol;Anvendelig\nA.5.1.1;nej\n")})
	// The problem's message is text in the request's language, not a
	// catalogue key.
	if probs := fmt.Sprint(out["problems"]); res.StatusCode != 200 || out["ready"] != false ||
		!strings.Contains(probs, "message:The control is excluded without a reason. row:2") || strings.Contains(probs, "soa.") {
		t.Fatalf("preview: %d %v", res.StatusCode, out)
	}
	// A file without problems answers [] rather than null, in lists too.
	res, out = e.api(tok, "POST", o+"/import/preview", map[string]any{"file_name": "x.csv", "content": []byte("Kontrol;Anvendelig\nA.5.1.1;ja\n")})
	if probs, ok := out["problems"].([]any); res.StatusCode != 200 || !ok || len(probs) != 0 || out["controls"] == nil {
		t.Fatalf("preview without problems: %d %v", res.StatusCode, out)
	}
	res, _ = e.api(tok, "POST", o+"/import", map[string]any{"file_name": "x.csv", "content": []byte("Kontrol;Anvendelig\nA.5.1.1;nej\n")})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("broken import: %d", res.StatusCode)
	}
	// Another organisation's member gets 404 everywhere.
	otok := e.token(e.outsider)
	for _, p := range []string{o, fmt.Sprintf("%s/controls/%d", o, e.line.ControlID), o + "/versions", fmt.Sprintf("%s/versions/%d", o, e.version.ID)} {
		if r, _ := e.api(otok, "GET", p, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("outsider %s: %d", p, r.StatusCode)
		}
	}
}
