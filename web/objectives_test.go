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

// The objectives' pages render in both languages; an objective is made
// through the form, measured, approved by management, and a change after
// the approval awaits approval again; the API does the same.
func TestObjectivesPagesAndApproval(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	mgmt := e.member("mgmt@example.org", e.org, isms.RoleManagement)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login(coord.Email)

	// Bad input is shown again with the field named.
	res := cb.post(o+"/objectives", url.Values{"version": {"0"}, "title": {"Phishing-klik under 5 %"}, "target_value": {"fem"},
		"status": {"planned"}, "owner_id": {fmt.Sprint(coord.ID)}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-target_value"`) {
		t.Fatalf("bad number: %d", res.StatusCode)
	}
	res = cb.post(o+"/objectives", url.Values{"version": {"0"}, "title": {"Phishing-klik under 5 %"}, "measure": {"Andel der klikker i øvelsen"},
		"target_value": {"4,5"}, "unit": {"%"}, "due_date": {"2026-12-31"}, "status": {"in_progress"}, "owner_id": {fmt.Sprint(coord.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	objs, _, _ := e.db.Objectives(e.as(coord), e.org.ID, isms.ObjectiveFilter{})
	if len(objs) != 1 || *objs[0].TargetValue != 4.5 || objs[0].Approved() {
		t.Fatalf("objectives %+v", objs)
	}
	obj := objs[0]
	rec := fmt.Sprintf("%s/objectives/%d", o, obj.ID)
	if res := cb.post(rec+"/progress", url.Values{"measured_on": {"2026-01-15"}, "value": {"11"}, "note": {"Første øvelse"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("progress: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/progress", url.Values{"measured_on": {"2026-01-15"}, "value": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("progress without value: %d", res.StatusCode)
	}
	keys := regexp.MustCompile(`\b(obj|title|field|nav)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{o + "/objectives", o + "/objectives?status=in_progress&current=1&unapproved=1&sort=-due", o + "/objectives/new", rec, rec + "/edit"}, keys)

	// The coordinator cannot approve; management can, from the page.
	if res := cb.post(rec+"/approve", url.Values{"version": {fmt.Sprint(obj.Version)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator approves: %d", res.StatusCode)
	}
	mb := e.login(mgmt.Email)
	if !strings.Contains(body(mb.get(rec)), "/approve") {
		t.Fatal("management is not offered the approval")
	}
	if res := mb.post(rec+"/approve", url.Values{"version": {fmt.Sprint(obj.Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	if cur, _ := e.db.Objective(e.as(reader), e.org.ID, obj.ID); !cur.Approved() || cur.LatestText() != "11" {
		t.Fatalf("after approval %+v", cur)
	}
	// A reader reads but is offered nothing to change.
	rb := e.login(reader.Email)
	if html := body(rb.get(rec)); strings.Contains(html, "/approve") || strings.Contains(html, "/progress\"") || strings.Contains(html, "/edit") {
		t.Error("a reader is offered changes")
	}

	// A reader downloads the objectives as a spreadsheet.
	rb.lang = "en"
	res = rb.get(o + "/objectives/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "security-objectives.xlsx") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Security objectives")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(rows)
	for _, want := range []string{"Information security objectives of", "Current objectives", "Phishing-klik under 5 %", "4.5", "In progress", mgmt.Name} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q: %v", want, rows)
		}
	}

	// The API: a change lapses the approval; management approves again.
	tok, mtok := e.token(coord), e.token(mgmt)
	api := fmt.Sprintf("/api/v1/organisations/%d/objectives/%d", e.org.ID, obj.ID)
	res, out := e.api(tok, "PUT", api, map[string]any{"title": obj.Title, "target_value": 4, "unit": "%", "status": "in_progress",
		"owner_id": coord.ID, "version": obj.Version})
	if res.StatusCode != http.StatusOK || out["approved_at"] == nil || out["approved_version"].(float64) == out["version"].(float64) {
		t.Fatalf("update: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(tok, "POST", api+"/approve", map[string]any{"version": out["version"]}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("API approval by the coordinator: %d", res.StatusCode)
	}
	if res, out := e.api(mtok, "POST", api+"/approve", map[string]any{"version": out["version"]}); res.StatusCode != http.StatusOK || out["approved_version"] != out["version"] {
		t.Fatalf("API approval: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "POST", api+"/progress", map[string]any{"measured_on": "2026-02-01", "value": 7.5}); res.StatusCode != http.StatusCreated {
		t.Fatalf("API progress: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", api+"/progress", nil); res.StatusCode != http.StatusOK || len(out["list"].([]any)) != 2 {
		t.Fatalf("API progress list: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "POST", fmt.Sprintf("/api/v1/organisations/%d/objectives", e.org.ID), map[string]any{"title": "", "status": "planned"}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("API bad input: %d %v", res.StatusCode, out)
	}
}
