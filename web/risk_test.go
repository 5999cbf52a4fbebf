package web_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	htmlpkg "html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// riskUntranslated is the pages test's pattern with the risk element's
// own key families.
var riskUntranslated = regexp.MustCompile(untranslated.String() + `|\b(risk|record|action)\.[a-z_0-9]+\.[a-z_0-9.]*[a-z]\b`)

// riskFixture is an organisation with a business overview, members in
// each role, an assessment with treated, accepted and open risks, an
// action, an own threat and an own control.
type riskFixture struct {
	e                                   *env
	coord, contrib, mgmt, reader, other *isms.User
	entries                             []*isms.OverviewEntry
	asset                               *isms.Asset
	assessment                          *isms.RiskAssessment
	high, treated                       *isms.Risk
	task                                *isms.RiskTask
	threat                              *isms.Threat
}

func newRiskFixture(t *testing.T) *riskFixture {
	t.Helper()
	e := newEnv(t)
	f := &riskFixture{e: e, entries: e.fill()}
	f.coord = e.member("coord@risk.example", e.org, isms.RoleCoordinator)
	f.contrib = e.member("contrib@risk.example", e.org, isms.RoleContributor)
	f.mgmt = e.member("mgmt@risk.example", e.org, isms.RoleManagement)
	f.reader = e.member("reader@risk.example", e.org, isms.RoleReader)
	f.other = e.member("other@risk.example", mustOrgFor(t, e, "Andenkommune"), isms.RoleCoordinator)
	ctx := e.as(f.coord)
	var err error
	// entries[2] is the system of the fill.
	if f.asset, err = e.db.AssetForEntry(ctx, e.org.ID, f.entries[2].ID); err != nil {
		t.Fatal(err)
	}
	if f.assessment, err = e.db.CreateRiskAssessment(ctx, e.org.ID, isms.RiskAssessmentInput{AssetID: &f.asset.ID, OwnerID: &f.coord.ID}); err != nil {
		t.Fatal(err)
	}
	threats, _ := e.db.Threats(ctx, e.org.ID, isms.ThreatFilter{})
	byKey := map[string]int64{}
	for _, th := range threats {
		byKey[th.Key] = th.ID
	}
	controls, _ := e.db.RiskControlOptions(ctx, e.org.ID)
	ref := map[string]int64{}
	for _, c := range controls {
		ref[c.Ref] = c.ID
	}
	deadline := isms.DateOf(e.db.Now()).AddDays(40)
	if f.high, err = e.db.CreateRisk(ctx, e.org.ID, isms.RiskInput{AssessmentID: f.assessment.ID, ThreatID: byKey["ransomware"], Likelihood: 3,
		Consequence: isms.Consequences{Confidentiality: 3, Integrity: 3, Availability: 4}, Treatment: isms.TreatmentMitigate, OwnerID: &f.contrib.ID,
		Deadline: &deadline, PlannedControls: []int64{ref["8.7"], ref["8.13"]}, ExistingControls: []int64{ref["8.8"]},
		ResidualLikelihood: 2, ResidualConsequence: 4}); err != nil {
		t.Fatal(err)
	}
	if f.treated, err = e.db.CreateRisk(ctx, e.org.ID, isms.RiskInput{AssessmentID: f.assessment.ID, ThreatID: byKey["fire"], Likelihood: 1,
		Consequence: isms.Consequences{Availability: 2}}); err != nil {
		t.Fatal(err)
	}
	if f.task, err = e.db.CreateRiskTask(ctx, e.org.ID, isms.RiskTaskInput{RiskID: f.high.ID, Title: "Udrul EDR på servere", OwnerID: &f.contrib.ID,
		Deadline: &deadline, Controls: []int64{ref["8.7"]}}); err != nil {
		t.Fatal(err)
	}
	if f.assessment, err = e.db.CompleteRiskAssessment(ctx, e.org.ID, f.assessment.ID, f.assessment.Version); err != nil {
		t.Fatal(err)
	}
	cat, err := e.db.CreateThreatCatalogue(ctx, e.org.ID, isms.ThreatCatalogueInput{Name: "Egne trusler"})
	if err != nil {
		t.Fatal(err)
	}
	if f.threat, err = e.db.CreateThreat(ctx, e.org.ID, isms.ThreatInput{CatalogueID: cat.ID, Group: "supplier", NameDA: "Konkurs hos leverandør",
		NameEN: "Supplier bankruptcy", Affects: isms.Affects{Availability: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateOwnRiskControl(ctx, e.org.ID, isms.OwnRiskControlInput{Ref: "K-1", TitleDA: "Kommunens beredskabsplan",
		Theme: "organizational"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *riskFixture) o() string { return fmt.Sprintf("/orgs/%d", f.e.org.ID) }

func TestRiskPagesRenderInBothLanguages(t *testing.T) {
	f := newRiskFixture(t)
	o := f.o()
	b := f.e.login("admin@example.org")
	pages := []string{o + "/risks", o + "/risks?treatment=mitigate&q=ransom&sort=-residual", o + "/risks?grid=inherent&l=3&c=4",
		o + fmt.Sprintf("/risks?asset=%d&needs_acceptance=1", f.asset.ID), o + "/risks/heatmap", o + fmt.Sprintf("/risks/heatmap?asset=%d", f.asset.ID),
		o + fmt.Sprintf("/risks/%d", f.high.ID), o + fmt.Sprintf("/risks/%d/edit", f.high.ID), o + fmt.Sprintf("/risks/new?assessment=%d", f.assessment.ID),
		o + "/risks/new", o + "/risk-assessments", o + "/risk-assessments?reassess=1", o + fmt.Sprintf("/risk-assessments/%d", f.assessment.ID),
		o + fmt.Sprintf("/risk-assessments/%d/edit", f.assessment.ID), o + "/risk-assessments/new", o + fmt.Sprintf("/risk-assessments/new?asset=%d", f.asset.ID),
		o + "/assets", o + "/assets?primary=supporting", o + "/assets?unassessed=1&sort=-criticality", o + fmt.Sprintf("/assets/%d", f.asset.ID),
		o + fmt.Sprintf("/assets/%d/edit", f.asset.ID), o + "/assets/new", o + "/threats", o + "/threats?group=physical",
		o + fmt.Sprintf("/threats/%d", f.threat.ID), o + fmt.Sprintf("/threats/%d", f.high.ThreatID), o + "/threats/new",
		o + "/risk-method", o + "/risk-method/edit", o + "/risk-plan", o + "/risk-plan?overdue=1", o + fmt.Sprintf("/risk-tasks/%d", f.task.ID),
		o + fmt.Sprintf("/risk-tasks/new?risk=%d", f.treated.ID), o + "/risk-import", o, o + "/checklist", o + "/audit"}
	b.pagesRender(t, pages, riskUntranslated)
	// The nav lists the element's pages under 2.3.
	if html := body(b.get(o + "/risks")); !strings.Contains(html, "2.3") || !strings.Contains(html, o+"/risk-method") {
		t.Error("the risk pages are not in the navigation")
	}
}

func TestRiskHeatMapSVG(t *testing.T) {
	f := newRiskFixture(t)
	b := f.e.login("reader@risk.example")
	res := b.get(f.o() + "/risks/heatmap.svg")
	svg := body(res)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// Two grids of 16 cells, each a link into the filtered register, with
	// a text equivalent, in the scale's colours.
	if n := strings.Count(svg, "<a href="); n != 32 {
		t.Errorf("%d cell links", n)
	}
	for _, want := range []string{`role="group" aria-labelledby="hm-title"`, `<title id="hm-title">`, "grid=inherent&amp;l=3&amp;c=4", "grid=residual&amp;l=2&amp;c=4", "#e8574f", "stroke-dasharray"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	// The page's tables say the same in text.
	html := body(b.get(f.o() + "/risks/heatmap"))
	if !strings.Contains(html, "<table") || !strings.Contains(html, `scope="row"`) || strings.Count(html, "/risks?grid=") < 64 {
		t.Error("the heat map page lacks its text equivalent")
	}
	// A cell's link lists exactly that cell's risks.
	html = body(b.get(f.o() + "/risks?grid=inherent&l=3&c=4"))
	if !strings.Contains(html, f.high.Title) || strings.Contains(html, f.treated.Title) {
		t.Error("the cell's link does not filter the register to the cell")
	}
	res = f.e.login("other@risk.example").get(f.o() + "/risks/heatmap.svg")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's member: %d", res.StatusCode)
	}
}

func TestRiskRolesAndOtherOrganisations(t *testing.T) {
	f := newRiskFixture(t)
	o := f.o()
	// A member of another organisation sees none of it.
	other := f.e.login("other@risk.example")
	for _, p := range []string{"/risks", fmt.Sprintf("/risks/%d", f.high.ID), "/risk-assessments", "/assets", fmt.Sprintf("/assets/%d", f.asset.ID),
		"/threats", fmt.Sprintf("/threats/%d", f.threat.ID), "/risk-method", "/risk-plan", "/risk-import", "/risks/export.xlsx"} {
		if res := other.get(o + p); res.StatusCode != http.StatusNotFound {
			t.Errorf("other organisation GET %s: %d", p, res.StatusCode)
		}
	}
	tok := f.e.token(f.other)
	api := fmt.Sprintf("/api/v1/organisations/%d", f.e.org.ID)
	for _, p := range []string{"/risks", fmt.Sprintf("/risks/%d", f.high.ID), "/assets", "/threats", "/risk-method", "/risk-assessments", "/risks/heatmap"} {
		if res, _ := f.e.api(tok, "GET", api+p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("other organisation API GET %s: %d", p, res.StatusCode)
		}
	}
	// A reader reads but does not write.
	reader := f.e.login("reader@risk.example")
	if res := reader.get(o + fmt.Sprintf("/risks/%d", f.high.ID)); res.StatusCode != 200 {
		t.Fatalf("reader: %d", res.StatusCode)
	}
	res := reader.post(o+"/risks", url.Values{"assessment_id": {fmt.Sprint(f.assessment.ID)}, "threat_id": {fmt.Sprint(f.high.ThreatID)}, "likelihood": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("reader creates a risk: %d", res.StatusCode)
	}
	// Only management accepts; the coordinator is refused and nothing stored.
	expires := isms.DateOf(f.e.db.Now()).AddDays(180).String()
	form := url.Values{"reason": {"Vi bærer restrisikoen, indtil EDR er udrullet."}, "acceptance_expires": {expires}, "version": {fmt.Sprint(f.high.Version)}}
	if res := f.e.login("coord@risk.example").post(o+fmt.Sprintf("/risks/%d/accept", f.high.ID), form); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator accepts: %d", res.StatusCode)
	}
	mgmt := f.e.login("mgmt@risk.example")
	// Without a reason: the field is named, nothing stored.
	bad := url.Values{"reason": {""}, "acceptance_expires": {expires}, "version": {fmt.Sprint(f.high.Version)}}
	res = mgmt.post(o+fmt.Sprintf("/risks/%d/accept", f.high.ID), bad)
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-reason">`) {
		t.Errorf("acceptance without reason: %d", res.StatusCode)
	}
	if r, _ := f.e.db.Risk(f.e.as(f.reader), f.e.org.ID, f.high.ID); r.Acceptance != nil {
		t.Fatal("a refused acceptance was stored")
	}
	if res := mgmt.post(o+fmt.Sprintf("/risks/%d/accept", f.high.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("management accepts: %d %s", res.StatusCode, body(res))
	}
	if r, _ := f.e.db.Risk(f.e.as(f.reader), f.e.org.ID, f.high.ID); !r.Accepted {
		t.Fatal("the acceptance was not stored")
	}
	// The contributor owns the risk and edits it; not the fire risk.
	contrib := f.e.login("contrib@risk.example")
	if res := contrib.get(o + fmt.Sprintf("/risks/%d/edit", f.high.ID)); res.StatusCode != 200 {
		t.Errorf("contributor edits own risk: %d", res.StatusCode)
	}
	res = contrib.post(o+fmt.Sprintf("/risks/%d", f.treated.ID), url.Values{"assessment_id": {fmt.Sprint(f.assessment.ID)},
		"threat_id": {fmt.Sprint(f.treated.ThreatID)}, "likelihood": {"2"}, "consequence_availability": {"2"}, "version": {fmt.Sprint(f.treated.Version)}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor edits another's risk: %d", res.StatusCode)
	}
}

func TestRiskFormRefusesBadInput(t *testing.T) {
	f := newRiskFixture(t)
	o := f.o()
	b := f.e.login("coord@risk.example")
	count := func() int {
		_, n, err := f.e.db.Risks(f.e.as(f.reader), f.e.org.ID, isms.RiskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for field, form := range map[string]url.Values{
		"likelihood":          {"threat_id": {fmt.Sprint(f.threat.ID)}, "likelihood": {"7"}, "consequence_availability": {"2"}},
		"threat_id":           {"threat_id": {"999999"}, "likelihood": {"2"}, "consequence_availability": {"2"}},
		"planned_controls":    {"threat_id": {fmt.Sprint(f.threat.ID)}, "likelihood": {"2"}, "consequence_availability": {"2"}, "planned_controls": {"999999"}},
		"residual_likelihood": {"threat_id": {fmt.Sprint(f.threat.ID)}, "likelihood": {"2"}, "consequence_availability": {"2"}, "residual_likelihood": {"1"}},
	} {
		form.Set("assessment_id", fmt.Sprint(f.assessment.ID))
		form.Set("version", "0")
		res := b.post(o+"/risks", form)
		html := body(res)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-`+field+`">`) || !strings.Contains(html, `href="#f-`+field+`"`) {
			t.Errorf("%s: status %d, field error missing", field, res.StatusCode)
		}
	}
	if count() != before {
		t.Fatal("a refused risk was stored")
	}
	// A stale version: 409, the form keeps what was typed, nothing changes.
	form := url.Values{"assessment_id": {fmt.Sprint(f.assessment.ID)}, "threat_id": {fmt.Sprint(f.treated.ThreatID)}, "likelihood": {"2"},
		"consequence_availability": {"3"}, "risk_title": {"Ændret titel"}, "version": {fmt.Sprint(f.treated.Version + 1)}}
	res := b.post(o+fmt.Sprintf("/risks/%d", f.treated.ID), form)
	if html := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(html, "Ændret titel") {
		t.Errorf("stale version: %d", res.StatusCode)
	}
	if r, _ := f.e.db.Risk(f.e.as(f.reader), f.e.org.ID, f.treated.ID); r.Title == "Ændret titel" || r.Version != f.treated.Version {
		t.Fatal("a stale update changed the risk")
	}
	// The same through the API.
	tok := f.e.token(f.coord)
	api := fmt.Sprintf("/api/v1/organisations/%d", f.e.org.ID)
	res, out := f.e.api(tok, "POST", api+"/risks", map[string]any{"assessment_id": f.assessment.ID, "threat_id": f.threat.ID, "likelihood": 9,
		"consequence": map[string]int{"availability": 2}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "likelihood") {
		t.Errorf("API bad likelihood: %d %v", res.StatusCode, out)
	}
	res, _ = f.e.api(tok, "PUT", api+fmt.Sprintf("/risks/%d", f.treated.ID), map[string]any{"assessment_id": f.assessment.ID,
		"threat_id": f.treated.ThreatID, "likelihood": 2, "consequence": map[string]int{"availability": 2}, "version": f.treated.Version + 5})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("API stale version: %d", res.StatusCode)
	}
	res, out = f.e.api(tok, "GET", api+"/risks?sort=-residual&limit=1", nil)
	if res.StatusCode != 200 || out["total"] != float64(before) || len(out["items"].([]any)) != 1 {
		t.Errorf("API register: %d %v", res.StatusCode, out)
	}
	res, out = f.e.api(tok, "GET", api+"/risks/heatmap", nil)
	if res.StatusCode != 200 || out["size"] != float64(4) {
		t.Errorf("API heat map: %d %v", res.StatusCode, out)
	}
	res, _ = f.e.api(f.e.token(f.mgmt), "POST", api+fmt.Sprintf("/risks/%d/acceptance", f.high.ID), map[string]any{"reason": "ok", "version": f.high.Version})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("API acceptance without expiry: %d", res.StatusCode)
	}
	res, out = f.e.api(tok, "GET", "/api/v1/openapi.json", nil)
	if paths, _ := out["paths"].(map[string]any); res.StatusCode != 200 || paths == nil || paths["/api/v1/organisations/{org}/risks"] == nil || paths["/api/v1/organisations/{org}/risk-method"] == nil {
		t.Error("the risk API is not in the OpenAPI document")
	}
}

// riskUpload posts a file to the import form.
func (b *browser) riskUpload(path, field, name string, data []byte) *http.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func TestRiskImportPreviewThenImport(t *testing.T) {
	f := newRiskFixture(t)
	o := f.o()
	b := f.e.login("coord@risk.example")
	system := f.entries[2].Name
	info := f.entries[1].Name
	bad := "Aktiv;Trussel;Sandsynlighed;Konsekvens;Håndtering;Ejer e-mail;Frist\n" +
		info + ";Phishing og social engineering;3;4;Reducér;coord@risk.example;2026-09-01\n" +
		"Ukendt;Brand;9;2;;;\n"
	res := b.riskUpload(o+"/risk-import", "import_file", "register.csv", []byte(bad))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	// A file of a shape without a saved mapping goes to the mapping step
	// first; its preview is the upload's page.
	preview := strings.TrimSuffix(res.Header.Get("Location"), "/mapping")
	html := body(b.get(preview))
	for _, want := range []string{"A «Aktiv»", "C · Sandsynlighed", "Ukendt", "“9”"} {
		if !strings.Contains(html, want) {
			t.Errorf("the preview does not name %q", want)
		}
	}
	// Row 2 lacks planned controls for its mitigation: a warning, the
	// risk imported as incomplete.
	if !strings.Contains(html, "Reduction without planned controls; the risk is imported as incomplete.") {
		t.Error("the preview does not name the missing planned controls")
	}
	_, before, _ := f.e.db.Risks(f.e.as(f.reader), f.e.org.ID, isms.RiskFilter{})
	if res := b.post(preview, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("importing an invalid file: %d", res.StatusCode)
	}
	if _, n, _ := f.e.db.Risks(f.e.as(f.reader), f.e.org.ID, isms.RiskFilter{}); n != before {
		t.Fatal("an invalid file imported something")
	}
	good := "Asset,Threat,Likelihood,Consequence,Treatment,Owner e-mail,Deadline,Planned controls (Annex A),Residual likelihood\n" +
		`"` + info + `",Phishing and social engineering,3,4,Mitigate,coord@risk.example,2026-09-01,"A.6.3, 8.23",2` + "\n" +
		`"` + system + `",Water damage and flooding,Unlikely,3,,,,,` + "\n"
	res = b.riskUpload(o+"/risk-import", "import_file", "register.csv", []byte(good))
	preview = strings.TrimSuffix(res.Header.Get("Location"), "/mapping")
	if html := body(b.get(preview)); !strings.Contains(html, "Rows: 2 created") {
		t.Fatalf("valid preview: %s", html)
	}
	if res := f.e.login("reader@risk.example").post(preview, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reader confirms the import: %d", res.StatusCode)
	}
	if res := b.post(preview, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	if _, n, _ := f.e.db.Risks(f.e.as(f.reader), f.e.org.ID, isms.RiskFilter{}); n != before+2 {
		t.Fatalf("%d risks after the import, want %d", n, before+2)
	}
	// An unreadable file is refused on the upload form.
	res = b.riskUpload(o+"/risk-import", "import_file", "x.xlsx", []byte("PK\x03\x04 broken"))
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-import_file">`) {
		t.Errorf("unreadable file: %d", res.StatusCode)
	}
	// The API: a dry run reports, a real run imports or refuses whole.
	tok := f.e.token(f.coord)
	api := fmt.Sprintf("%s/api/v1/organisations/%d/risks/import", f.e.srv.URL, f.e.org.ID)
	post := func(q string, data string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", api+q, strings.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	if res, out := post("?dry_run=1&filename=x.csv", bad); res.StatusCode != 200 || !strings.Contains(out, `"valid": false`) {
		t.Errorf("API dry run: %d %s", res.StatusCode, out)
	}
	if res, out := post("?filename=x.csv", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out, "row 3") {
		t.Errorf("API invalid import: %d %s", res.StatusCode, out)
	}
}

func TestRiskExportsReadBack(t *testing.T) {
	f := newRiskFixture(t)
	b := f.e.login("reader@risk.example")
	for _, lang := range []string{"da", "en"} {
		b.lang = lang
		res := b.get(f.o() + "/risks/export.xlsx")
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s export: %d", lang, res.StatusCode)
		}
		// The export is headed as the import reads it.
		s, err := export.ReadRiskSheet("export.xlsx", data)
		if err != nil {
			t.Fatalf("%s: the export does not read back: %v", lang, err)
		}
		if len(s.Rows) != 2 {
			t.Errorf("%s: %d rows read back", lang, len(s.Rows))
		}
		for _, field := range []string{"asset", "threat", "likelihood", "consequence_a", "treatment", "owner", "planned_controls", "residual_likelihood"} {
			if !s.Has(field) {
				t.Errorf("%s: the export lacks the column %s", lang, field)
			}
		}
		res = b.get(f.o() + "/risk-plan.xlsx")
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("%s plan export: %d", lang, res.StatusCode)
		}
	}
}

func TestRiskMethodFormCustomScale(t *testing.T) {
	f := newRiskFixture(t)
	b := f.e.login("coord@risk.example")
	o := f.o()
	// Changing the size re-draws the form with six rows; nothing is saved.
	res := b.post(o+"/risk-method", url.Values{"scale_key": {"custom"}, "scale_size": {"6"}, "resize": {"1"}, "version": {"0"}})
	html := body(res)
	if res.StatusCode != 200 || !strings.Contains(html, `name="lik_da_6"`) || !strings.Contains(html, `name="cell_6_6"`) {
		t.Fatalf("resize: %d", res.StatusCode)
	}
	// The size is fixed while risks are rated on the scale.
	form := url.Values{"scale_key": {"custom"}, "scale_size": {"3"}, "scale_classification": {"score"}, "accept_rule": {"score"}, "accept_score": {"2"},
		"default_interval_months": {"12"}, "version": {"0"}}
	for i := 1; i <= 3; i++ {
		for _, p := range []string{"lik_da_", "lik_en_", "con_da_", "con_en_"} {
			form.Set(fmt.Sprint(p, i), fmt.Sprint("N", i))
		}
	}
	for i, band := range [][5]string{{"low", "Lav", "Low", "1", "3"}, {"high", "Høj", "High", "4", "9"}} {
		n := fmt.Sprint(i + 1)
		form.Set("band_key_"+n, band[0])
		form.Set("band_da_"+n, band[1])
		form.Set("band_en_"+n, band[2])
		form.Set("band_color_"+n, "#aaccee")
		form.Set("band_min_"+n, band[3])
		form.Set("band_max_"+n, band[4])
	}
	res = b.post(o+"/risk-method", form)
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-scale_size">`) {
		t.Errorf("size change with risks: %d", res.StatusCode)
	}
	// A preset of the same size is fine.
	res = b.post(o+"/risk-method", url.Values{"scale_key": {"SCALE_1_4_DATATILSYNET"}, "accept_rule": {"band"}, "accept_band": {"low"},
		"default_interval_months": {"24"}, "dim_citizens": {"1"}, "version": {"0"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("preset: %d %s", res.StatusCode, body(res))
	}
	m, _ := f.e.db.RiskMethod(f.e.as(f.reader), f.e.org.ID)
	if m.Scale.Key != "SCALE_1_4_DATATILSYNET" || !m.Dimensions.Citizens || m.DefaultIntervalMonths != 24 {
		t.Fatalf("method: %+v", m)
	}
	if res := f.e.login("mgmt@risk.example").post(o+"/risk-method", url.Values{"scale_key": {"SCALE_1_4"}, "accept_rule": {"band"},
		"accept_band": {"low"}, "default_interval_months": {"12"}, "version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("management edits the method: %d", res.StatusCode)
	}
}

// TestRiskFilterCarriesToHeatMapAndExport: the register's links to the heat
// map, its picture and the export keep the active filter as a query string
// (not as one encoded value), and what they lead to reflects it.
func TestRiskFilterCarriesToHeatMapAndExport(t *testing.T) {
	f := newRiskFixture(t)
	o := f.o()
	b := f.e.login("reader@risk.example")
	link := func(html, path string) string {
		t.Helper()
		if i := strings.Index(html, "<h1"); i >= 0 {
			html = html[i:] // past the navigation's own links
		}
		m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(o+path) + `[^"]*)"`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("no link to %s", path)
		}
		return htmlpkg.UnescapeString(m[1])
	}
	exportTitles := func(path string) []string {
		t.Helper()
		res := b.get(path)
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		s, err := export.ReadRiskSheet("export.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, row := range s.Rows {
			out = append(out, row.Cells["title"])
		}
		return out
	}
	totals := regexp.MustCompile(`<caption>[^<]*\((\d+)\)</caption>`)

	// Unfiltered, both risks are counted and exported.
	html := body(b.get(o + "/risks"))
	if got := link(html, "/risks/heatmap"); got != o+"/risks/heatmap" {
		t.Errorf("unfiltered heat map link %q", got)
	}
	if got := exportTitles(link(html, "/risks/export.xlsx")); len(got) != 2 {
		t.Errorf("unfiltered export: %v", got)
	}

	// Filtered to the contributor's mitigated risks: only the high one.
	filter := fmt.Sprintf("owner=%d&treatment=mitigate", f.contrib.ID)
	html = body(b.get(o + "/risks?" + filter + "&offset=0"))
	heat := link(html, "/risks/heatmap")
	if heat != o+"/risks/heatmap?"+filter {
		t.Errorf("heat map link %q, want the filter %q", heat, filter)
	}
	xlsx := link(html, "/risks/export.xlsx")
	if xlsx != o+"/risks/export.xlsx?"+filter {
		t.Errorf("export link %q, want the filter %q", xlsx, filter)
	}
	if got := exportTitles(xlsx); len(got) != 1 || got[0] != f.high.Title {
		t.Errorf("filtered export: %v, want only %q", got, f.high.Title)
	}
	page := body(b.get(heat))
	m := totals.FindAllStringSubmatch(page, -1)
	if len(m) != 2 || m[0][1] != "1" || m[1][1] != "1" {
		t.Errorf("filtered heat map totals %v, want 1 in each grid", m)
	}
	svgURL := link(page, "/risks/heatmap.svg")
	if svgURL != o+"/risks/heatmap.svg?"+filter {
		t.Errorf("picture link %q, want the filter %q", svgURL, filter)
	}
	// The picture counts one risk: one cell per grid shows a count of one
	// (unfiltered, two per grid do).
	svg := body(b.get(svgURL))
	if n := strings.Count(svg, ">1</text>"); n != 2 {
		t.Errorf("filtered picture: %d cells with one risk, want 2 (one per grid)", n)
	}
	// Every cell link of the filtered map keeps the filter too.
	for _, u := range regexp.MustCompile(`href="(/orgs/[^"]*/risks\?grid=[^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasSuffix(htmlpkg.UnescapeString(u[1]), "&"+filter) {
			t.Errorf("cell link %q drops the filter", u[1])
			break
		}
	}

	// A cell of the register (grid and cell filters) is exported as
	// listed: the fire risk sits in inherent cell 1×2.
	html = body(b.get(o + "/risks?grid=inherent&l=1&c=2"))
	if got := exportTitles(link(html, "/risks/export.xlsx")); len(got) != 1 || got[0] != f.treated.Title {
		t.Errorf("export of one cell: %v, want only %q", got, f.treated.Title)
	}
}

// TestRiskListCarriesControls: the register's list in the API gives each
// risk the same controls as the single risk does, and [] (not null) for a
// risk without any.
func TestRiskListCarriesControls(t *testing.T) {
	f := newRiskFixture(t)
	tok := f.e.token(f.reader)
	api := fmt.Sprintf("/api/v1/organisations/%d/risks", f.e.org.ID)
	raw := func(path string) map[string]json.RawMessage {
		t.Helper()
		req, _ := http.NewRequest("GET", f.e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		var out map[string]json.RawMessage
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		for k, v := range out {
			var b bytes.Buffer
			json.Compact(&b, v)
			out[k] = b.Bytes()
		}
		return out
	}
	// single reads one risk: the object under "risk".
	single := func(id int64) map[string]json.RawMessage {
		t.Helper()
		var r map[string]json.RawMessage
		if err := json.Unmarshal(raw(fmt.Sprintf("%s/%d", api, id))["risk"], &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw(api)["items"], &list); err != nil {
		t.Fatal(err)
	}
	inList := map[string]map[string]json.RawMessage{}
	for _, it := range list {
		inList[string(it["id"])] = it
	}
	for _, rk := range []*isms.Risk{f.high, f.treated} {
		one := single(rk.ID)
		listed := inList[fmt.Sprint(rk.ID)]
		if listed == nil {
			t.Fatalf("risk %d is not in the list", rk.ID)
		}
		for _, field := range []string{"planned_controls", "existing_controls"} {
			if string(listed[field]) != string(one[field]) {
				t.Errorf("risk %d %s: list %s, single %s", rk.ID, field, listed[field], one[field])
			}
		}
	}
	// The values themselves: the high risk plans 8.7 and 8.13 and has 8.8;
	// the other has none and says so with [].
	want := func(ids []int64) string { b, _ := json.Marshal(ids); return string(b) }
	if got := string(inList[fmt.Sprint(f.high.ID)]["planned_controls"]); got != want(f.high.PlannedControls) || len(f.high.PlannedControls) != 2 {
		t.Errorf("the high risk's planned controls in the list: %s, want %s", got, want(f.high.PlannedControls))
	}
	if got := string(inList[fmt.Sprint(f.high.ID)]["existing_controls"]); got != want(f.high.ExistingControls) || len(f.high.ExistingControls) != 1 {
		t.Errorf("the high risk's existing controls in the list: %s, want %s", got, want(f.high.ExistingControls))
	}
	for _, field := range []string{"planned_controls", "existing_controls"} {
		if got := string(inList[fmt.Sprint(f.treated.ID)][field]); got != "[]" {
			t.Errorf("a risk without %s: %s, want []", field, got)
		}
		if got := string(single(f.treated.ID)[field]); got != "[]" {
			t.Errorf("the single risk without %s: %s, want []", field, got)
		}
	}
}

// TestRiskImportAPIAnswersText: the API's import preview gives each problem
// as text in the request's language, never a catalogue key, and [] for no
// problems.
func TestRiskImportAPIAnswersText(t *testing.T) {
	f := newRiskFixture(t)
	tok := f.e.token(f.coord)
	api := fmt.Sprintf("%s/api/v1/organisations/%d/risks/import?dry_run=1&filename=x.csv", f.e.srv.URL, f.e.org.ID)
	dryRun := func(lang, data string) (map[string]json.RawMessage, []map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("POST", api, strings.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept-Language", lang)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("dry run: %d", res.StatusCode)
		}
		var out map[string]json.RawMessage
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		var problems, warnings []map[string]any
		json.Unmarshal(out["problems"], &problems)
		json.Unmarshal(out["warnings"], &warnings)
		return out, append(problems, warnings...)
	}
	info := f.entries[1].Name
	// Row 2 mitigates without planned controls; row 3 names an unknown asset
	// and a likelihood off the scale.
	bad := "Asset;Threat;Likelihood;Consequence;Treatment\n" +
		info + ";Phishing and social engineering;3;4;Mitigate\n" +
		"Ukendt;Fire;9;2;\n"
	for _, c := range []struct{ lang, planned string }{
		{"en", "Reduction without planned controls; the risk is imported as incomplete."},
		{"da", "Reduktion uden planlagte foranstaltninger; risikoen importeres som ufuldstændig."},
	} {
		_, problems := dryRun(c.lang, bad)
		if len(problems) < 3 {
			t.Fatalf("%s: %d problems, want at least 3: %v", c.lang, len(problems), problems)
		}
		found := false
		for _, p := range problems {
			msg, ok := p["message"].(string)
			if !ok || msg == "" || riskUntranslated.MatchString(msg) || strings.Contains(msg, "risk.err.") {
				t.Errorf("%s: problem %v is not text", c.lang, p)
			}
			if p["row"] == float64(2) && p["field"] == "planned_controls" {
				found = true
				if msg != c.planned {
					t.Errorf("%s: row 2's planned controls: %q, want %q", c.lang, msg, c.planned)
				}
			}
		}
		if !found {
			t.Errorf("%s: no problem for row 2's planned controls: %v", c.lang, problems)
		}
	}
	good := "Asset,Threat,Likelihood,Consequence\n" + `"` + info + `",Fire,1,2` + "\n"
	out, _ := dryRun("en", good)
	if string(out["problems"]) != "[]" || string(out["valid"]) != "true" {
		t.Errorf("a good file: problems %s, valid %s; want [] and true", out["problems"], out["valid"])
	}
	if string(out["imported"]) != "false" {
		t.Errorf("a dry run imported: %s", out["imported"])
	}
}

// TestRiskHeatMapLinksAreNotInAnImage: the heat map's cells are links, so
// neither the picture nor anything around them has the image role (axe:
// nested-interactive); each link is named in words after its cell, on the
// page and in the picture served alone.
func TestRiskHeatMapLinksAreNotInAnImage(t *testing.T) {
	f := newRiskFixture(t)
	b := f.e.login("reader@risk.example")
	b.lang = "en"
	page := body(b.get(f.o() + "/risks/heatmap"))
	i, j := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	if i < 0 || j < i {
		t.Fatal("the page has no heat map")
	}
	for name, svg := range map[string]string{"page": page[i : j+len("</svg>")], "picture": body(b.get(f.o() + "/risks/heatmap.svg"))} {
		labels := heatMapLinks(t, svg)
		if len(labels) != 32 {
			t.Errorf("%s: %d links, want 32", name, len(labels))
		}
		// The ransomware risk: likelihood 3, consequence 4 before treatment.
		want := "Likelihood 3 · Likely, consequence 4 · Grave/devastating: 1 risk (High)"
		found := false
		for _, l := range labels {
			found = found || l == want
		}
		if !found {
			t.Errorf("%s: no link is named %q; names: %q", name, want, labels)
		}
	}
}

// heatMapLinks parses an SVG and returns the accessible names of its
// links, failing the test for a link inside an element with the image (or
// a presentational) role, or a link without a name.
func heatMapLinks(t *testing.T, svg string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var roles []string // the role of each open element
	var labels []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			if el.Name.Local == "a" {
				for _, r := range roles {
					if r == "img" || r == "presentation" || r == "none" {
						t.Errorf("a link (%s) inside an element with role %q", attr["href"], r)
					}
				}
				if strings.TrimSpace(attr["aria-label"]) == "" {
					t.Errorf("the link to %s has no name", attr["href"])
				}
				labels = append(labels, attr["aria-label"])
			}
			roles = append(roles, attr["role"])
		case xml.EndElement:
			roles = roles[:len(roles)-1]
		}
	}
	return labels
}
