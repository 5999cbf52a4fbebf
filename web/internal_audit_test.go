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

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// audSetup gives an organisation a programme and the SoA control 5.15.
func audSetup(t *testing.T, e *env, coord *isms.User) *isms.AuditProgramme {
	t.Helper()
	soa, err := e.db.SoA(e.as(coord), e.org.ID, isms.SoAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range soa.Controls {
		if c.Ref == "5.15" {
			if _, err := e.db.SaveSoAControl(e.as(coord), e.org.ID, c.ControlID, isms.SoAControlInput{Applicability: isms.Applicable,
				BusinessReason: "Risiko", Status: isms.ImplImplemented}); err != nil {
				t.Fatal(err)
			}
		}
	}
	p, err := e.db.CreateAuditProgramme(e.as(coord), e.org.ID, isms.AuditProgrammeInput{Title: "Auditprogram 2025–2027", FirstYear: 2025, LastYear: 2027})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The internal audit's pages in both languages; the coordinator plans a
// programme through the form (a bad cycle refused by field); the auditor
// records an audit, its checklist and a finding through the forms,
// registers the nonconformity and approves the report; a reader and
// another organisation are refused; the API does the same; the export
// holds the programme and the findings; a parent's overseer sees the
// child's findings.
func TestInternalAuditPagesAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	auditor := e.member("auditor@example.org", e.org, isms.RoleAuditor)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	audSetup(t, e, coord)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb, ab, rb := e.login(coord.Email), e.login(auditor.Email), e.login(reader.Email)

	form := url.Values{"version": {"0"}, "title": {"Auditprogram 2026–2028"}, "first_year": {"2026"}, "last_year": {"2025"}}
	if res := cb.post(o+"/internal-audit/programmes", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-last_year"`) {
		t.Fatalf("a cycle ending before it starts: %d", res.StatusCode)
	}
	form.Set("last_year", "2028")
	if res := ab.post(o+"/internal-audit/programmes", form); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the auditor planned a programme: %d", res.StatusCode)
	}
	res := cb.post(o+"/internal-audit/programmes", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("programme: %d %s", res.StatusCode, body(res))
	}
	progPath := res.Header.Get("Location")
	var progID int64
	fmt.Sscanf(progPath[strings.LastIndex(progPath, "/")+1:], "%d", &progID)

	audit := url.Values{"version": {"0"}, "programme_id": {fmt.Sprint(progID)}, "title": {"Adgangsstyring"}, "criteria": {"ISO/IEC 27001:2022"},
		"clauses": {"9.2", "10.2"}, "controls": {"5.15"}, "planned_on": {"2026-06-01"}, "held_from": {"2026-06-01"}, "held_to": {"2026-06-02"},
		"lead_auditor_id": {fmt.Sprint(auditor.ID)}, "independence": {"internal"}, "conclusion": {"Én mindre afvigelse."}}
	if res := rb.post(o+"/internal-audit/audits", audit); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a reader recorded an audit: %d", res.StatusCode)
	}
	res = ab.post(o+"/internal-audit/audits", audit)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("audit: %d %s", res.StatusCode, body(res))
	}
	auditPath := res.Header.Get("Location")
	a, err := e.db.Audit(e.as(auditor), e.org.ID, mustTrailingID(t, auditPath))
	if err != nil || len(a.Checks) != 3 || a.LeadAuditorID == nil || *a.LeadAuditorID != auditor.ID {
		t.Fatalf("audit %+v %v", a, err)
	}
	finding := url.Values{"type": {"minor_nc"}, "ref": {"5.15"}, "title": {"Rettigheder gennemgås ikke"}, "evidence": {""}}
	if res := ab.post(auditPath+"/findings", finding); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-evidence"`) {
		t.Fatalf("a finding without evidence: %d", res.StatusCode)
	}
	finding.Set("evidence", "Ingen log for 2. kvartal")
	if res := rb.post(auditPath+"/findings", finding); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a reader recorded a finding: %d", res.StatusCode)
	}
	res = ab.post(auditPath+"/findings", finding)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("finding: %d %s", res.StatusCode, body(res))
	}
	findingPath := res.Header.Get("Location")
	f, _ := e.db.AuditFinding(e.as(auditor), e.org.ID, mustTrailingID(t, findingPath))
	if html := body(ab.get(findingPath)); !strings.Contains(html, "Register as nonconformity") {
		t.Fatal("the finding's page offers no registration")
	}
	res = ab.post(findingPath+"/nonconformity", url.Values{"version": {fmt.Sprint(f.Version)}, "owner_id": {fmt.Sprint(coord.ID)}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/nonconformities/") {
		t.Fatalf("register: %d %s", res.StatusCode, body(res))
	}
	if res := ab.post(findingPath+"/nonconformity", url.Values{"version": {fmt.Sprint(f.Version + 1)}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("registered twice: %d", res.StatusCode)
	}
	if html := body(rb.get(findingPath)); !strings.Contains(html, "Cause analysis missing") || !strings.Contains(html, "Effectiveness not reviewed yet") {
		t.Fatalf("the finding's page does not follow its nonconformity: %.2000s", html)
	}
	a, _ = e.db.Audit(e.as(auditor), e.org.ID, a.ID)
	checks := url.Values{"version": {fmt.Sprint(a.Version)}, "ref": {"9.2", "10.2"}, "result_9.2": {"conform"}, "result_10.2": {"conform"}, "note_9.2": {"Programmet findes"}}
	if res := ab.post(auditPath+"/checks", checks); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("checklist: %d %s", res.StatusCode, body(res))
	}
	a, _ = e.db.Audit(e.as(auditor), e.org.ID, a.ID)
	if res := cb.post(auditPath+"/approve", url.Values{"version": {fmt.Sprint(a.Version)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the coordinator approved the auditor's report: %d", res.StatusCode)
	}
	if res := ab.post(auditPath+"/approve", url.Values{"version": {fmt.Sprint(a.Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, body(res))
	}
	mb := e.login(e.member("mgmt@example.org", e.org, isms.RoleManagement).Email)
	if html := body(mb.get(auditPath + "/report")); !strings.Contains(html, "Approved by") || !strings.Contains(html, "Rettigheder gennemgås ikke") {
		t.Fatal("management does not read the approved report")
	}
	if res := ab.post(auditPath+"/findings", finding); res.StatusCode != http.StatusConflict {
		t.Fatalf("a finding after approval: %d", res.StatusCode)
	}

	rb.pagesRender(t, []string{o + "/internal-audit", progPath, auditPath, auditPath + "/report", findingPath, o + "/internal-audit/findings",
		o + "/internal-audit/group"}, regexp.MustCompile(`\baud\.[a-z_.]+`))
	ab.pagesRender(t, []string{auditPath + "/edit", findingPath + "/edit", o + "/internal-audit/audits/new?programme=" + fmt.Sprint(progID)},
		regexp.MustCompile(`\baud\.[a-z_.]+`))
	cb.pagesRender(t, []string{o + "/internal-audit/programmes/new", progPath + "/edit"}, regexp.MustCompile(`\baud\.[a-z_.]+`))

	// The spreadsheet.
	res = rb.get(o + "/internal-audit/export.xlsx")
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	progRows, _ := x.GetRows("Audit programme")
	findRows, _ := x.GetRows("Findings")
	if text := fmt.Sprint(progRows, findRows); !strings.Contains(text, "Adgangsstyring") || !strings.Contains(text, "Minor nonconformity") || !strings.Contains(text, "5.15") {
		t.Fatalf("export: %v %v", progRows, findRows)
	}

	// The API, and another organisation refused.
	tok := e.token(auditor)
	api := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	res, out := e.api(tok, "POST", api+"/internal-audits", map[string]any{"programme_id": progID, "title": "Opfølgning", "clauses": []string{"9.2"},
		"planned_on": "2027-03-01", "lead_auditor_id": auditor.ID})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("API audit: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	res, out = e.api(tok, "POST", fmt.Sprintf("%s/internal-audits/%d/findings", api, id), map[string]any{"type": "observation", "ref": "9.2", "title": "Plan", "evidence": "Set"})
	if res.StatusCode != http.StatusCreated || out["type"] != "observation" {
		t.Fatalf("API finding: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", fmt.Sprintf("%s/audit-programmes/%d/coverage", api, progID), nil); res.StatusCode != http.StatusOK || out["uncovered"] == nil {
		t.Fatalf("API coverage: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(e.token(reader), "POST", api+"/internal-audits", map[string]any{"programme_id": progID, "title": "X", "clauses": []string{"9.2"}, "planned_on": "2027-03-01"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("API reader: %d %v", res.StatusCode, out)
	}
	other := mustOrgFor(t, e, "Nabokommune")
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	stok := e.token(stranger)
	for _, c := range []struct{ method, path string }{{"GET", fmt.Sprintf("%s/internal-audits/%d", api, id)}, {"GET", api + "/audit-programmes"},
		{"GET", api + "/audit-findings"}, {"GET", fmt.Sprintf("/api/v1/organisations/%d/internal-audits/%d", other.ID, id)}} {
		if res, _ := e.api(stok, c.method, c.path, nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s for another organisation: %d", c.method, c.path, res.StatusCode)
		}
	}
	if res := e.login(stranger.Email).get(auditPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's audit page: %d", res.StatusCode)
	}

	// The checklist answers 7.2 from these records.
	answers, _ := e.db.Checklist(e.as(reader), e.org.ID)
	for _, q := range answers {
		if q.QuestionID == "7.2" && (q.Source != isms.SourceRecords || q.Status == isms.AnswerNo) {
			t.Errorf("7.2: %+v", q)
		}
	}
}

// A parent organisation's overseer sees its children's findings; a
// coordinator of the parent without oversight sees none.
func TestInternalAuditGroupOverview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
	child, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Styrelse", ParentID: &e.org.ID})
	if err != nil {
		t.Fatal(err)
	}
	cc := e.member("childcoord@example.org", child, isms.RoleCoordinator)
	p, err := e.db.CreateAuditProgramme(e.as(cc), child.ID, isms.AuditProgrammeInput{Title: "P", FirstYear: 2026, LastYear: 2028})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.db.CreateAudit(e.as(cc), child.ID, isms.AuditInput{ProgrammeID: p.ID, Title: "Styrelsens audit", Clauses: []string{"9.2"}, PlannedOn: dpw("2026-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CreateAuditFinding(e.as(cc), child.ID, a.ID, isms.AuditFindingInput{Type: isms.FindingObservation, Ref: "9.2", Title: "Planen mangler ejere", Evidence: "Set"}); err != nil {
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
	group := fmt.Sprintf("/orgs/%d/internal-audit/group", e.org.ID)
	if html := body(e.login("boss@example.org").get(group)); !strings.Contains(html, "Planen mangler ejere") || !strings.Contains(html, "Styrelse") {
		t.Error("the overseer does not see the child's finding")
	}
	if html := body(e.login("plain@example.org").get(group)); strings.Contains(html, "Planen mangler ejere") {
		t.Error("a coordinator without oversight sees the child's finding")
	}
	if res, _ := e.api(e.token(boss), "POST", fmt.Sprintf("/api/v1/organisations/%d/internal-audits/%d/findings", child.ID, a.ID),
		map[string]any{"type": "observation", "ref": "9.2", "title": "X", "evidence": "Y"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the overseer recorded a finding in the child: %d", res.StatusCode)
	}
}

// TestBrowserAuditorRecordsAnAudit drives the real UI in headless Chromium
// as an auditor would: plan an audit from the programme, record a minor
// nonconformity with its evidence, and register it in the nonconformity
// register.
func TestBrowserAuditorRecordsAnAudit(t *testing.T) {
	ctx := startBrowser(t)
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	auditor := e.member("auditor@example.org", e.org, isms.RoleAuditor)
	year := time.Now().Year()
	p, err := e.db.CreateAuditProgramme(e.as(coord), e.org.ID, isms.AuditProgrammeInput{Title: "Audit programme", FirstYear: year, LastYear: year + 2})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format("2006-01-02")
	org := fmt.Sprintf("%s/orgs/%d", e.srv.URL, e.org.ID)
	err = chromedp.Do(ctx,
		loginInEnglish(e.srv.URL, auditor.Email),
		chromedp.Navigate(fmt.Sprintf("%s/internal-audit/programmes/%d", org, p.ID)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/internal-audit/audits/new?programme=`+fmt.Sprint(p.ID)+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/internal-audit/audits/new?programme=`+fmt.Sprint(p.ID)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Internal audit of clause 9"),
		chromedp.SetValue(chromedp.CSS(`#f-clauses`), "9.2"),
		chromedp.SetValue(chromedp.CSS(`#f-planned_on`), today),
		chromedp.SetValue(chromedp.CSS(`#f-held_from`), today),
		chromedp.SetValue(chromedp.CSS(`#f-held_to`), today),
		chromedp.SendKeys(chromedp.CSS(`#f-evidence_seen`), "The audit plan and last year's report"),
		chromedp.Submit(chromedp.CSS(`#f-title`)),
		chromedp.WaitVisible(chromedp.CSS(`#finding`)),
		chromedp.SetValue(chromedp.CSS(`#f-type`), "minor_nc"),
		chromedp.SetValue(chromedp.CSS(`#f-ref`), "9.2"),
		chromedp.SendKeys(chromedp.CSS(`#finding #f-title`), "The programme does not cover Annex A"),
		chromedp.SendKeys(chromedp.CSS(`#f-evidence`), "The plan lists clauses only"),
		chromedp.Submit(chromedp.CSS(`#f-evidence`)),
		chromedp.WaitVisible(chromedp.CSS(`#h-nc`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/nonconformity"] button`)),
		// A clause has no owner in the SoA: the auditor names who owns
		// the nonconformity.
		chromedp.SetValue(chromedp.CSS(`#f-owner_id`), fmt.Sprint(coord.ID)),
		chromedp.Click(chromedp.CSS(`form[action$="/nonconformity"] button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#h-nc`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main h1`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(heading, "The programme does not cover Annex A") {
		t.Errorf("after registering, heading %q, want the nonconformity", heading)
	}
	fs, err := e.db.AuditFindings(e.as(auditor), e.org.ID)
	if err != nil || len(fs) != 1 || fs[0].NonconformityID == nil || fs[0].RecordedByName != auditor.Name {
		t.Fatalf("findings %+v %v", fs[0], err)
	}
}

func mustTrailingID(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(path[strings.LastIndex(path, "/")+1:], "%d", &id); err != nil {
		t.Fatalf("no id in %q", path)
	}
	return id
}

func dpw(s string) *isms.Date {
	d, err := isms.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}
