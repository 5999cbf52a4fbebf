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
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// The measurement programme's pages render in both languages; an
// indicator is made from a template through the form, measured by hand and
// by a pasted import, its breach becomes a nonconformity from the page;
// the trend chart is drawn with the thresholds; the API does the same and
// refuses another organisation; the parent's overseer sees the child's
// indicators read-only.
func TestMeasurementPagesAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login(coord.Email)

	// The template fills the form in the reader's language.
	for lang, want := range map[string]string{"da": "Kritiske sikkerhedsopdateringer installeret til tiden", "en": "Critical security patches installed on time"} {
		cb.lang = lang
		if html := body(cb.get(o + "/indicators/new?template=patch_critical")); !strings.Contains(html, want) {
			t.Fatalf("%s: the template did not fill the form", lang)
		}
	}
	cb.lang = "da"
	form := url.Values{"version": {"0"}, "title": {"Opdateringer til tiden"}, "unit": {"%"}, "direction": {"higher"}, "target": {"95"},
		"warning": {"90"}, "breach": {"97"}, "frequency": {"monthly"}, "owner_id": {fmt.Sprint(coord.ID)}, "evaluates": {"control"},
		"control": {"8.8"}, "active": {"1"}}
	res := cb.post(o+"/indicators", form)
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-breach"`) {
		t.Fatalf("thresholds in the wrong order: %d", res.StatusCode)
	}
	form.Set("breach", "80,5")
	if res := cb.post(o+"/indicators", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	inds, _, _ := e.db.Indicators(e.as(coord), e.org.ID, isms.IndicatorFilter{})
	if len(inds) != 1 || *inds[0].Breach != 80.5 || inds[0].Control != "8.8" {
		t.Fatalf("indicators %+v", inds)
	}
	ind := inds[0]
	rec := fmt.Sprintf("%s/indicators/%d", o, ind.ID)
	if res := cb.post(rec+"/values", url.Values{"measured_on": {"2026-05-31"}, "value": {"93"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("value: %d", res.StatusCode)
	}
	res = cb.post(rec+"/values/import", url.Values{"lines": {"2026-03-31;96\n2026-04-30\tnitten"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Linje 2") {
		t.Fatalf("a bad import line: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/values/import", url.Values{"lines": {"2026-03-31;96\n2026-04-30\t70\tNedbrud i udrulningen\n"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d %s", res.StatusCode, body(res))
	}
	// A spreadsheet's values: a bad date names its line in the file, and
	// nothing is saved; a good file is saved whole.
	res = cb.riskUpload(rec+"/values/upload", "import_file", "patch.csv", []byte("Patchrapport\nDato;Værdi\n31-01-2026;94\n28.02.2026;x\n"))
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Linje 4") {
		t.Fatalf("a bad file: %d", res.StatusCode)
	}
	res = cb.riskUpload(rec+"/values/upload", "import_file", "patch.csv", []byte("Navn;Tal\nx;1\n"))
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "dato- og en værdikolonne") {
		t.Fatalf("a file without headings: %d", res.StatusCode)
	}
	if res := cb.riskUpload(rec+"/values/upload", "import_file", "patch.csv", []byte("Dato;Værdi;Bemærkning\n31-01-2026;94;\n46081;95,5;Excel-dato\n")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	if vals, _ := e.db.IndicatorValues(e.as(coord), e.org.ID, ind.ID); len(vals) != 5 || vals[1].MeasuredOn.String() != "2026-02-28" || vals[1].Value != 95.5 {
		t.Fatalf("values after the upload: %d", len(vals))
	}
	html := body(cb.get(rec))
	for _, want := range []string{"<svg", "<title id=\"ind-", "Overskridelsesgrænse 80.5 %", "/indicators/breaches/", "Nedbrud i udrulningen"} {
		if !strings.Contains(html, want) {
			t.Errorf("the indicator's page lacks %q", want)
		}
	}
	keys := regexp.MustCompile(`\b(meas|title|field|nav)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{o + "/indicators", o + "/indicators?active=1&source=manual&sort=-owner", o + "/indicators/new", rec, rec + "/edit",
		o + "/indicators/breaches?open=1", o + "/indicators/guideline", o + "/indicators/group", o + "/status-reports/new", o}, keys)

	// A reader reads but is offered nothing to change, and is refused.
	rb := e.login(reader.Email)
	if html := body(rb.get(rec)); strings.Contains(html, "/values\"") || strings.Contains(html, "/nonconformity\"") || strings.Contains(html, "/edit\"") {
		t.Error("a reader is offered changes")
	}
	if res := rb.post(rec+"/values", url.Values{"measured_on": {"2026-06-01"}, "value": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a reader recorded a value: %d", res.StatusCode)
	}

	// The breach becomes a nonconformity in one step.
	open, err := e.db.OpenMeasurementBreaches(e.as(coord), e.org.ID)
	if err != nil || len(open) != 1 || open[0].Period != "2026-04" {
		t.Fatalf("open breaches %+v %v", open, err)
	}
	cb.lang = "da"
	if html := body(cb.get(o)); !strings.Contains(html, ind.Title+" (2026-04)") {
		t.Error("the dashboard does not show the breach")
	}
	res = cb.post(fmt.Sprintf("%s/indicators/breaches/%d/nonconformity", o, open[0].ID), url.Values{"version": {fmt.Sprint(open[0].Version)}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/nonconformities/") {
		t.Fatalf("breach to nonconformity: %d", res.StatusCode)
	}
	ncs, _, _ := e.db.Nonconformities(e.as(coord), e.org.ID, isms.NonconformityFilter{Source: isms.NCSourceMeasurement})
	if len(ncs) != 1 || ncs[0].Requirement != "8.8" {
		t.Fatalf("nonconformities %+v", ncs)
	}

	// The guideline through the form.
	res = cb.post(o+"/indicators/guideline", url.Values{"version": {"0"}, "scope": {"Kontroller"}, "methods": {""}, "analysis": {"Kvartalsvis"},
		"report_to": {"Direktionen"}, "report_months": {"6"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-methods"`) {
		t.Fatalf("guideline without methods: %d", res.StatusCode)
	}
	if res := cb.post(o+"/indicators/guideline", url.Values{"version": {"0"}, "scope": {"Kontroller"}, "methods": {"Udtræk"}, "analysis": {"Kvartalsvis"},
		"report_to": {"Direktionen"}, "report_months": {"6"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("guideline: %d %s", res.StatusCode, body(res))
	}

	// A reader downloads the programme.
	rb.lang = "en"
	res = rb.get(o + "/indicators/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "measurement-programme.xlsx") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Measurement programme")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(rows)
	for _, want := range []string{"Measurement programme of", "Guidelines", "Udtræk", "Opdateringer til tiden", "80.5", "Monthly", "Control: 8.8"} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q: %v", want, rows)
		}
	}

	// The API: create, a value, a breach answered with a note; another
	// organisation's coordinator is refused.
	tok := e.token(coord)
	api := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	res, out := e.api(tok, "POST", api+"/indicators", map[string]any{"title": "Klik i phishing", "unit": "%", "direction": "lower", "target": 5,
		"warning": 10, "breach": 20, "frequency": "quarterly", "owner_id": coord.ID, "evaluates": "process", "process": "Awareness", "active": true})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("API create: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	if res, out := e.api(tok, "POST", fmt.Sprintf("%s/indicators/%d/values", api, id), map[string]any{"measured_on": "2026-03-31", "value": 12}); res.StatusCode != http.StatusCreated || out["level"] != "warning" {
		t.Fatalf("API value: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "POST", fmt.Sprintf("%s/indicators/%d/values/import", api, id), map[string]any{"rows": []map[string]any{{"measured_on": "2025-12-31", "value": 8}}}); res.StatusCode != http.StatusCreated || out["recorded"].(float64) != 1 {
		t.Fatalf("API import: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", api+"/indicator-breaches/open", nil)
	list, _ := out["list"].([]any)
	if res.StatusCode != http.StatusOK || len(list) != 1 {
		t.Fatalf("API open breaches: %d %v", res.StatusCode, out)
	}
	b := list[0].(map[string]any)
	if res, out := e.api(tok, "POST", fmt.Sprintf("%s/indicator-breaches/%v/handle", api, b["id"]), map[string]any{"note": "Kendt årsag", "version": b["version"]}); res.StatusCode != http.StatusOK || out["handled_note"] != "Kendt årsag" {
		t.Fatalf("API handle: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "POST", api+"/indicators/compute", nil); res.StatusCode != http.StatusOK || out["computed"].(float64) != 0 {
		t.Fatalf("API compute: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "PUT", api+"/monitoring-guideline", map[string]any{"scope": "x", "methods": "y", "analysis": "z", "report_to": "Direktionen", "report_months": 6, "version": 1}); res.StatusCode != http.StatusOK || out["version"].(float64) != 2 {
		t.Fatalf("API guideline: %d %v", res.StatusCode, out)
	}
	other := mustOrgFor(t, e, "Nabokommune")
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	stok := e.token(stranger)
	for _, c := range []struct{ method, path string }{{"GET", fmt.Sprintf("%s/indicators/%d", api, id)}, {"GET", api + "/indicators"},
		{"GET", api + "/monitoring-guideline"}, {"POST", api + "/indicators/compute"},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/indicators/%d", other.ID, id)}} {
		if res, _ := e.api(stok, c.method, c.path, nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s for another organisation: %d", c.method, c.path, res.StatusCode)
		}
	}
	if res := e.login(stranger.Email).get(rec); res.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's indicator page: %d", res.StatusCode)
	}
}

// A parent organisation's overseer sees its children's indicators side
// by side; a coordinator of the parent without oversight sees none.
func TestMeasurementGroupOverview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	child, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Styrelse", ParentID: &e.org.ID})
	if err != nil {
		t.Fatal(err)
	}
	cc := e.member("childcoord@example.org", child, isms.RoleCoordinator)
	if _, err := e.db.CreateIndicator(e.as(cc), child.ID, isms.IndicatorInput{Title: "Gendannelsestest", Unit: "%", Direction: isms.HigherIsBetter,
		Target: fpw(100), Breach: fpw(90), Frequency: isms.MeasureQuarterly, OwnerID: &cc.ID, Evaluates: isms.EvaluatesControl, Control: "8.13", Active: true}); err != nil {
		t.Fatal(err)
	}
	boss := e.member("boss@example.org", e.org, isms.RoleReader)
	e.member("plain@example.org", e.org, isms.RoleCoordinator)
	ms, _ := e.db.Memberships(e.as(e.admin), e.org.ID)
	for _, m := range ms {
		if m.UserID == boss.ID {
			if _, err := e.db.UpdateMembership(e.as(e.admin), e.org.ID, m.ID, isms.MembershipInput{Role: m.Role, Oversight: true, Version: m.Version}); err != nil {
				t.Fatal(err)
			}
		}
	}
	group := fmt.Sprintf("/orgs/%d/indicators/group", e.org.ID)
	if html := body(e.login("boss@example.org").get(group)); !strings.Contains(html, "Gendannelsestest") || !strings.Contains(html, "Styrelse") {
		t.Error("the overseer does not see the child's indicator")
	}
	if html := body(e.login("plain@example.org").get(group)); strings.Contains(html, "Gendannelsestest") {
		t.Error("a coordinator without oversight sees the child's indicator")
	}
	// The overseer reads, never writes.
	if res, _ := e.api(e.token(boss), "POST", fmt.Sprintf("/api/v1/organisations/%d/indicators/compute", child.ID), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("the overseer computed in the child: %d", res.StatusCode)
	}
}
