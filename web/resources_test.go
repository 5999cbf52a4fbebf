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

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// The resources' pages render in both languages; a contributor adds a line
// to the objective they own through the form, bad input is shown again
// with the field named, management grants it from the line's page (the
// coordinator may not), the year's page and the objective's page show the
// gap, and the year's spreadsheet holds the line. The status report is
// assembled, presented, kept as it was and acknowledged by management.
func TestResourcesPagesAndGrant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	contrib := e.member("contrib@example.org", e.org, isms.RoleContributor)
	mgmt := e.member("mgmt@example.org", e.org, isms.RoleManagement)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	year := e.db.Now().Year()
	due := isms.DateOf(e.db.Now()).AddDays(90)
	obj, err := e.db.CreateObjective(e.as(coord), e.org.ID, isms.ObjectiveInput{Title: "Awareness for alle", TargetValue: fpw(95), Unit: "%",
		DueDate: &due, OwnerID: &contrib.ID, Status: isms.ObjectiveInProgress})
	if err != nil {
		t.Fatal(err)
	}
	cb := e.login(contrib.Email)
	form := url.Values{"version": {"0"}, "year": {fmt.Sprint(year)}, "objective_id": {fmt.Sprint(obj.ID)}, "kind": {"money"},
		"title": {"E-læringslicens"}, "planned_operating": {"60 tusind"}}
	if res := cb.post(o+"/resources", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-planned_operating"`) {
		t.Fatalf("bad number: %d", res.StatusCode)
	}
	form.Set("planned_operating", "60.000")
	form.Set("planned_fte", "1")
	if res := cb.post(o+"/resources", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-planned_fte"`) {
		t.Fatalf("FTE on money: %d", res.StatusCode)
	}
	form.Del("planned_fte")
	form.Set("planned_one_off", "12.500,5")
	res := cb.post(o+"/resources", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	y, err := e.db.ResourceYear(e.as(reader), e.org.ID, year)
	if err != nil || y.Totals.Lines != 1 || y.Totals.PlannedOneOff != 12500.5 || y.Totals.PlannedOperating != 60000 {
		t.Fatalf("year %+v %v", y, err)
	}
	line := y.Objectives[0].Lines[0]
	rec := fmt.Sprintf("%s/resources/%d", o, line.ID)
	keys := regexp.MustCompile(`\b(res|sr|obj|title|field|nav)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{o + "/resources", fmt.Sprintf("%s/resources?year=%d", o, year+1), o + "/resources/new", rec, rec + "/edit",
		fmt.Sprintf("%s/objectives/%d", o, obj.ID), o + "/status-reports", o + "/status-reports/new"}, keys)
	if html := body(cb.get(rec)); strings.Contains(html, "/grant") || !strings.Contains(html, "/edit") {
		t.Error("the contributor is offered the grant, or not the edit")
	}

	// The coordinator cannot grant; management can, from the page.
	coordB := e.login(coord.Email)
	grant := url.Values{"version": {fmt.Sprint(line.Version)}, "granted_operating": {"60000"}, "granted_one_off": {"5000"}}
	if res := coordB.post(rec+"/grant", grant); res.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator grants: %d", res.StatusCode)
	}
	mb := e.login(mgmt.Email)
	if !strings.Contains(body(mb.get(rec)), "/grant") {
		t.Fatal("management is not offered the grant")
	}
	if res := mb.post(rec+"/grant", url.Values{"version": {fmt.Sprint(line.Version)}, "granted_fte": {"2"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("grant of FTE on money: %d", res.StatusCode)
	}
	if res := mb.post(rec+"/grant", grant); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d %s", res.StatusCode, body(res))
	}
	if res := mb.post(rec+"/grant", grant); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale grant: %d", res.StatusCode)
	}
	for _, page := range []string{o + "/resources", fmt.Sprintf("%s/objectives/%d", o, obj.ID), rec} {
		if html := body(cb.get(page)); !strings.Contains(html, ">Gap<") && !strings.Contains(html, ">Hul<") {
			t.Errorf("%s does not show the gap", page)
		}
	}

	// A reader downloads the year's resources.
	rb := e.login(reader.Email)
	rb.lang = "en"
	res = rb.get(fmt.Sprintf("%s/resources/export.xlsx?year=%d", o, year))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), fmt.Sprintf("resources-%d.xlsx", year)) {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Resources")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(rows)
	for _, want := range []string{"Information security resources", "Awareness for alle", "E-læringslicens", "12500.5", "5000", mgmt.Name} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q: %v", want, rows)
		}
	}
	if html := body(rb.get(rec)); strings.Contains(html, "/grant") || strings.Contains(html, "/edit") {
		t.Error("a reader is offered changes")
	}

	// The status report: presented by the coordinator (not the
	// contributor), kept, acknowledged by management.
	today := isms.DateOf(e.db.Now()).String()
	present := url.Values{"title": {"Status"}, "presented_on": {today}, "presented_to": {"Direktionen"}}
	if res := cb.post(o+"/status-reports", present); res.StatusCode != http.StatusForbidden {
		t.Fatalf("contributor presents: %d", res.StatusCode)
	}
	if res := coordB.post(o+"/status-reports", url.Values{"title": {"Status"}, "presented_on": {today}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body(res), `id="e-presented_to"`) {
		t.Fatalf("present to nobody: %d", res.StatusCode)
	}
	res = coordB.post(o+"/status-reports", present)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("present: %d %s", res.StatusCode, body(res))
	}
	reports, err := e.db.StatusReports(e.as(reader), e.org.ID)
	if err != nil || len(reports) != 1 {
		t.Fatalf("reports %v %v", reports, err)
	}
	sr := fmt.Sprintf("%s/status-reports/%d", o, reports[0].ID)
	cb.pagesRender(t, []string{sr, o + "/status-reports"}, keys)
	if res := coordB.post(sr+"/receive", url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator receives: %d", res.StatusCode)
	}
	if res := mb.post(sr+"/receive", url.Values{"version": {"1"}, "decisions": {"Flere timer til audit"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("receive: %d", res.StatusCode)
	}
	// The line is deleted; the report still shows it as it was.
	if res := cb.post(rec+"/delete", url.Values{"version": {fmt.Sprint(line.Version + 1)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	html := body(rb.get(sr))
	for _, want := range []string{"E-læringslicens", "Flere timer til audit", "Awareness for alle"} {
		if !strings.Contains(html, want) {
			t.Errorf("the kept report lacks %q", want)
		}
	}
}

func fpw(f float64) *float64 { return &f }

// The API: lines made, read, changed, granted and deleted; the year's
// summary; the status report previewed, presented, listed, read,
// acknowledged and deleted; another organisation's token is refused; a
// lower grant through the API turns checklist 4.1 from yes to partly,
// naming the objective.
func TestResourcesAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	mgmt := e.member("mgmt@example.org", e.org, isms.RoleManagement)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	other, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Nabokommune"})
	if err != nil {
		t.Fatal(err)
	}
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	tok, mtok, rtok, stok := e.token(coord), e.token(mgmt), e.token(reader), e.token(stranger)
	year := e.db.Now().Year()
	due := isms.DateOf(e.db.Now()).AddDays(90)
	obj, err := e.db.CreateObjective(e.as(coord), e.org.ID, isms.ObjectiveInput{Title: "Patchtid under 14 dage", TargetValue: fpw(14), Unit: "dage",
		DueDate: &due, OwnerID: &coord.ID, Status: isms.ObjectiveInProgress})
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	res, out := e.api(tok, "POST", base+"/resources", map[string]any{"year": year, "objective_id": obj.ID, "kind": "people", "title": "Driftstimer",
		"role_text": "Driften", "planned": map[string]any{"fte": 0.5, "hours": 40}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	line := fmt.Sprintf("%s/resources/%d", base, id)
	if res, out := e.api(tok, "POST", base+"/resources", map[string]any{"year": year, "kind": "people", "title": "Uden rolle",
		"planned": map[string]any{"fte": 1}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "role_id") {
		t.Fatalf("no role: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(rtok, "POST", base+"/resources", map[string]any{"year": year, "kind": "money", "title": "x", "planned": map[string]any{"dkk_operating": 1}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader creates: %d", res.StatusCode)
	}
	if res, _ := e.api(stok, "GET", line, nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("another organisation reads: %d", res.StatusCode)
	}
	if res, _ := e.api(stok, "GET", fmt.Sprintf("/api/v1/organisations/%d/resources/%d", other.ID, id), nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("read through another organisation: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "POST", line+"/grant", map[string]any{"granted": map[string]any{"fte": 0.5, "hours": 40}, "version": 1}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator grants: %d", res.StatusCode)
	}
	res, out = e.api(mtok, "POST", line+"/grant", map[string]any{"granted": map[string]any{"fte": 0.5, "hours": 40}, "grant_note": "OK", "version": 1})
	if res.StatusCode != http.StatusOK || out["granted_by_name"] != mgmt.Name {
		t.Fatalf("grant: %d %v", res.StatusCode, out)
	}
	version := out["version"]
	if res, out := e.api(tok, "PUT", line, map[string]any{"year": year, "objective_id": obj.ID, "kind": "people", "title": "Driftstimer i alt",
		"role_text": "Driften", "planned": map[string]any{"fte": 0.5, "hours": 40}, "version": version}); res.StatusCode != http.StatusOK || out["title"] != "Driftstimer i alt" {
		t.Fatalf("update: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(rtok, "GET", fmt.Sprintf("%s/resources/years/%d", base, year), nil); res.StatusCode != http.StatusOK ||
		out["totals"].(map[string]any)["planned_fte"] != 0.5 || len(out["objectives"].([]any)) != 1 {
		t.Fatalf("year: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(rtok, "GET", fmt.Sprintf("%s/objectives/%d/resources/%d", base, obj.ID, year), nil); res.StatusCode != http.StatusOK || len(out["list"].([]any)) != 1 {
		t.Fatalf("objective's resources: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(rtok, "GET", base+"/resources/choices", nil); res.StatusCode != http.StatusOK || len(out["controls"].([]any)) < 90 {
		t.Fatalf("choices: %d", res.StatusCode)
	}
	if res, out := e.api(rtok, "GET", base+"/status-reports/preview", nil); res.StatusCode != http.StatusOK || len(out["objectives"].([]any)) != 1 {
		t.Fatalf("preview: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", base+"/status-reports", map[string]any{"title": "Status", "presented_on": isms.DateOf(e.db.Now()).String(),
		"presented_to": "Direktionen", "next_due": isms.DateOf(e.db.Now()).AddDays(10).String()})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("present: %d %v", res.StatusCode, out)
	}
	// The next report is due within the dashboard's 30 days.
	if html := body(e.login(reader.Email).get(fmt.Sprintf("/orgs/%d", e.org.ID))); !strings.Contains(html, "/status-reports/new") {
		t.Error("the dashboard does not show the next status report due")
	}
	report := fmt.Sprintf("%s/status-reports/%d", base, int64(out["id"].(float64)))
	if res, out := e.api(rtok, "GET", base+"/status-reports", nil); res.StatusCode != http.StatusOK || len(out["list"].([]any)) != 1 {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(mtok, "POST", report+"/receive", map[string]any{"decisions": "Godkendt", "version": 1}); res.StatusCode != http.StatusOK || out["decisions"] != "Godkendt" {
		t.Fatalf("receive: %d %v", res.StatusCode, out)
	}
	answer := func() *isms.ChecklistAnswer {
		t.Helper()
		answers, err := e.db.Checklist(e.as(reader), e.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			if a.QuestionID == "4.1" {
				return a
			}
		}
		return nil
	}
	if a := answer(); a.Status != isms.AnswerYes || a.Source != isms.SourceRecords {
		t.Fatalf("4.1 before: %s %v", a.Status, a.Reasons)
	}
	res, out = e.api(rtok, "GET", line, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("read: %d", res.StatusCode)
	}
	if res, out := e.api(mtok, "POST", line+"/grant", map[string]any{"granted": map[string]any{"fte": 0.25, "hours": 40}, "version": out["version"]}); res.StatusCode != http.StatusOK {
		t.Fatalf("lower grant: %d %v", res.StatusCode, out)
	}
	if a := answer(); a.Status != isms.AnswerPartly || len(a.Reasons) != 1 || !strings.Contains(fmt.Sprint(a.Reasons[0].Args...), obj.Title) {
		t.Fatalf("4.1 after: %s %v", a.Status, a.Reasons)
	}
	if res, _ := e.api(tok, "DELETE", report, map[string]any{"version": 1}); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale delete: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", report, map[string]any{"version": 2}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete report: %d", res.StatusCode)
	}
	_, out = e.api(rtok, "GET", line, nil)
	if res, _ := e.api(tok, "DELETE", line, map[string]any{"version": out["version"]}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete line: %d", res.StatusCode)
	}
}
