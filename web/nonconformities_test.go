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

// A nonconformity is recorded through the form with rows of actions and
// the five whys; an error in a row is shown at that row; closing without
// what it needs is refused with what is missing on the page; another
// organisation sees nothing; the API and the export do the same.
func TestNonconformityPagesAndClosing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	other := mustOrgFor(t, e, "Andet")
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login(coord.Email)
	today := isms.DateOf(e.db.Now())
	past := today.AddDays(-20).String()

	form := url.Values{"version": {"0"}, "action_rows": {"2"}, "title": {"Adgang ikke fjernet"}, "source": {"audit"}, "source_ref": {"Auditrapport 2026-03"},
		"requirement_kind": {"control"}, "requirement": {"A.5.18"}, "detected_on": {past}, "owner_id": {fmt.Sprint(coord.ID)},
		"method": {"five_whys"}, "whys.0": {"Ingen fik besked"}, "whys.1": {"Ingen procedure"}, "root_cause": {"Ingen fast procedure"},
		"actions.0.action": {"Skriv procedure"}, "actions.0.owner_id": {fmt.Sprint(coord.ID)}, "actions.0.due_on": {today.AddDays(-1).String()},
		"actions.1.action": {""}, "actions.1.due_on": {today.AddDays(30).String()}}
	// The second row has a date but no text: the error is at that row.
	res := cb.post(o+"/nonconformities", form)
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-actions.1.action"`) {
		t.Fatalf("row error: %d", res.StatusCode)
	}
	form.Set("actions.1.action", "Månedlig kontrol")
	if res := cb.post(o+"/nonconformities", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	list, _, _ := e.db.Nonconformities(e.as(coord), e.org.ID, isms.NonconformityFilter{})
	if len(list) != 1 || len(list[0].Actions) != 2 || len(list[0].Whys) != 2 || list[0].Status != isms.NCActions {
		t.Fatalf("nonconformities %+v", list)
	}
	n := list[0]
	rec := fmt.Sprintf("%s/nonconformities/%d", o, n.ID)
	keys := regexp.MustCompile(`\b(nc|title|field|nav)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{o + "/nonconformities", o + "/nonconformities?status=actions&source=audit&not_closed=1&sort=-detected", o + "/nonconformities/new", rec, rec + "/edit"}, keys)

	// The overdue action is on the dashboard.
	if html := body(cb.get(o)); !strings.Contains(html, "Skriv procedure") {
		t.Error("the overdue action is not among the dashboard's due items")
	}

	// Closing now is refused, naming what is missing, on the record's page.
	res = cb.post(rec+"/close", url.Values{"version": {fmt.Sprint(n.Version)}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Not every action is done") ||
		!strings.Contains(html, "review finding the actions effective is missing") {
		t.Fatalf("close refused: %d %s", res.StatusCode, html)
	}

	// Remove the second action, mark the first done, record an effective review.
	edit := url.Values{"version": {fmt.Sprint(n.Version)}, "action_rows": {"4"}, "title": {n.Title}, "source": {"audit"}, "source_ref": {n.SourceRef},
		"requirement_kind": {"control"}, "requirement": {"A.5.18"}, "detected_on": {past}, "owner_id": {fmt.Sprint(coord.ID)},
		"method": {"five_whys"}, "whys.0": {"Ingen fik besked"}, "whys.1": {"Ingen procedure"}, "root_cause": {"Ingen fast procedure"},
		"actions.0.id": {fmt.Sprint(n.Actions[0].ID)}, "actions.0.action": {"Skriv procedure"}, "actions.0.done_on": {today.String()},
		"actions.1.id": {fmt.Sprint(n.Actions[1].ID)}, "actions.1.action": {"Månedlig kontrol"}, "actions.1.remove": {"1"},
		"reviewed_on": {today.String()}, "effective": {"yes"}, "similar_exist": {"no"}, "similar_could_occur": {"yes"}}
	if res := cb.post(rec, edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", res.StatusCode, body(res))
	}
	cur, _ := e.db.Nonconformity(e.as(coord), e.org.ID, n.ID)
	if len(cur.Actions) != 1 || cur.Status != isms.NCReview || cur.SimilarCouldOccur == nil || !*cur.SimilarCouldOccur {
		t.Fatalf("after update %+v", cur)
	}
	// A reader reads and is offered nothing to change; a reader cannot close.
	rb := e.login(reader.Email)
	if html := body(rb.get(rec)); strings.Contains(html, "/close\"") || strings.Contains(html, "/edit\"") {
		t.Error("a reader is offered changes")
	}
	if res := rb.post(rec+"/close", url.Values{"version": {fmt.Sprint(cur.Version)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader closes: %d", res.StatusCode)
	}
	// Another organisation's coordinator reaches nothing.
	sb := e.login(stranger.Email)
	for _, path := range []string{rec, fmt.Sprintf("/orgs/%d/nonconformities/%d", other.ID, n.ID)} {
		if res := sb.get(path); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Fatalf("stranger reads %s: %d", path, res.StatusCode)
		}
	}
	if res := cb.post(rec+"/close", url.Values{"version": {fmt.Sprint(cur.Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d %s", res.StatusCode, body(res))
	}
	if cur, _ = e.db.Nonconformity(e.as(coord), e.org.ID, n.ID); cur.Status != isms.NCClosed {
		t.Fatalf("closed: %s", cur.Status)
	}

	// The export.
	rb.lang = "en"
	res = rb.get(o + "/nonconformities/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "nonconformities.xlsx") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Nonconformities")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Adgang ikke fjernet", "Internal audit finding", "Auditrapport 2026-03", "Ingen fast procedure", "1/1", "Closed"} {
		if !strings.Contains(fmt.Sprint(rows), want) {
			t.Errorf("export lacks %q: %v", want, rows)
		}
	}

	// The API: bad input by field, reopen, cross-organisation refusal.
	tok := e.token(coord)
	api := fmt.Sprintf("/api/v1/organisations/%d/nonconformities", e.org.ID)
	if res, out := e.api(tok, "POST", api, map[string]any{"title": "X", "source": "report", "requirement_kind": "clause", "requirement": "12.1",
		"detected_on": past, "owner_id": coord.ID}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "field:requirement") {
		t.Fatalf("API bad input: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "POST", fmt.Sprintf("%s/%d/reopen", api, n.ID), map[string]any{"version": cur.Version}); res.StatusCode != http.StatusOK || out["status"] != "review" {
		t.Fatalf("API reopen: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(e.token(stranger), "GET", fmt.Sprintf("%s/%d", api, n.ID), nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("API stranger: %d", res.StatusCode)
	}
	if res, out := e.api(tok, "GET", api+"?status=review", nil); res.StatusCode != http.StatusOK || len(out["items"].([]any)) != 1 {
		t.Fatalf("API list: %d %v", res.StatusCode, out)
	}
}

// Improvements: the form, the pages, the API and the export.
func TestImprovementPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	contrib := e.member("contrib@example.org", e.org, isms.RoleContributor)
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	b := e.login(contrib.Email)
	// A contributor cannot give an improvement to someone else.
	if res := b.post(o+"/improvements", url.Values{"version": {"0"}, "title": {"Skabelon"}, "area": {"documentation"}, "status": {"proposed"},
		"owner_id": {fmt.Sprint(coord.ID)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("for someone else: %d", res.StatusCode)
	}
	res := b.post(o+"/improvements", url.Values{"version": {"0"}, "title": {"Skabelon"}, "area": {"documentation"}, "status": {"done"},
		"owner_id": {fmt.Sprint(contrib.ID)}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-done_on"`) {
		t.Fatalf("done without date: %d", res.StatusCode)
	}
	if res := b.post(o+"/improvements", url.Values{"version": {"0"}, "title": {"Fælles skabelon for procedurer"}, "area": {"documentation"},
		"status": {"approved"}, "benefit": {"Ensartede procedurer"}, "owner_id": {fmt.Sprint(contrib.ID)}, "due_on": {"2030-01-01"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	list, _, _ := e.db.Improvements(e.as(contrib), e.org.ID, isms.ImprovementFilter{})
	if len(list) != 1 {
		t.Fatalf("improvements %+v", list)
	}
	rec := fmt.Sprintf("%s/improvements/%d", o, list[0].ID)
	keys := regexp.MustCompile(`\b(imp|title|field|nav)\.[a-z_.]+\b`)
	b.pagesRender(t, []string{o + "/improvements", o + "/improvements?status=approved&area=documentation&sort=due", o + "/improvements/new", rec, rec + "/edit"}, keys)
	res = b.get(o + "/improvements/export.xlsx")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	res.Body.Close()
	tok := e.token(contrib)
	api := fmt.Sprintf("/api/v1/organisations/%d/improvements/%d", e.org.ID, list[0].ID)
	if res, out := e.api(tok, "PUT", api, map[string]any{"title": "Fælles skabelon", "area": "procedures", "status": "in_progress",
		"owner_id": contrib.ID, "version": list[0].Version}); res.StatusCode != http.StatusOK || out["area"] != "procedures" {
		t.Fatalf("API update: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "PUT", api, map[string]any{"title": "Fælles skabelon", "area": "mood", "status": "in_progress",
		"owner_id": contrib.ID, "version": list[0].Version + 1}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "field:area") {
		t.Fatalf("API bad area: %d %v", res.StatusCode, out)
	}
}
