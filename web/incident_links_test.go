package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/xuri/excelize/v2"
)

// The incident's links through the pages and the API: the coordinator
// registers its nonconformity (the page links both ways), names a threat
// and controls (the control's page shows the incident), records the
// communication plan carried out (the timeline and the plan entry show
// it); readers see but do not change; another organisation is refused.
func TestIncidentLinksPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	e.db.Now = func() time.Time { return now }
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	contrib := e.member("contrib@example.org", e.org, isms.RoleContributor)
	ctx := e.as(coord)
	ev, err := e.db.ReportEvent(ctx, e.org.ID, isms.IncidentEventInput{Title: "Brev med CPR-nummer til forkert borger", DetectedAt: isms.InstantOf(now.Add(-5 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := e.db.TriageIncident(ctx, e.org.ID, ev.ID, isms.IncidentTriageInput{Incident: true, Category: "data_leak", Severity: 2, OwnerID: &coord.ID,
		PersonalData: true, Version: ev.Version})
	if err != nil {
		t.Fatal(err)
	}
	entry, err := e.db.CreateCommunicationEntry(ctx, e.org.ID, isms.CommunicationEntryInput{CaseKey: "breach_notice", What: "Underretning af den registrerede",
		Timing: isms.TimingEvent, TriggerEvent: "Ved brud", Audience: "Borgeren", Channel: "Digital Post", Direction: isms.DirectionExternal,
		Sensitivity: isms.SensitivityInternal, ResponsibleID: &contrib.ID, Status: isms.StatusActive})
	if err != nil {
		t.Fatal(err)
	}
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	rec := fmt.Sprintf("%s/incidents/%d", o, inc.ID)
	rb, cb := e.login(reader.Email), e.login(coord.Email)

	// Not flagged: the coordinator is told to flag it; the store refuses.
	if html := body(cb.get(rec)); !strings.Contains(html, "Flag the incident as a nonconformity") || strings.Contains(html, `id="register-nc"`) {
		t.Fatal("the unflagged incident offers registration")
	}
	if res := cb.post(rec+"/nonconformity", url.Values{"version": {fmt.Sprint(inc.Version)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("register unflagged: %d", res.StatusCode)
	}
	inc, err = e.db.UpdateIncident(ctx, e.org.ID, inc.ID, isms.IncidentInput{Title: inc.Title, DetectedAt: isms.InstantOf(inc.DetectedAt),
		Status: isms.IncidentInvestigating, Category: inc.Category, Severity: inc.Severity, OwnerID: inc.OwnerID, Nonconformity: true,
		PersonalData: true, Version: inc.Version})
	if err != nil {
		t.Fatal(err)
	}
	if html := body(rb.get(rec)); strings.Contains(html, `id="register-nc"`) || strings.Contains(html, `id="record-comm"`) || strings.Contains(html, `id="links"`) {
		t.Fatal("a reader is offered the incident's link forms")
	}
	if res := rb.post(rec+"/nonconformity", url.Values{"version": {fmt.Sprint(inc.Version)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader registers: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/nonconformity", url.Values{"version": {fmt.Sprint(inc.Version - 1)}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale registration: %d", res.StatusCode)
	}
	res := cb.post(rec+"/nonconformity", url.Values{"version": {fmt.Sprint(inc.Version)}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`/nonconformities/[0-9]+$`).MatchString(loc) {
		t.Fatalf("register: %d %s", res.StatusCode, loc)
	}
	nc := body(cb.get(loc))
	if !strings.Contains(nc, fmt.Sprintf(`href="%s"`, rec)) || !strings.Contains(nc, "A.8.12") {
		t.Fatalf("the nonconformity does not link back:\n%s", nc)
	}
	html := body(rb.get(rec))
	if !strings.Contains(html, fmt.Sprintf(`href="%s"`, loc[strings.Index(loc, "/orgs/"):])) || !strings.Contains(html, "Open") {
		t.Fatal("the incident does not list its nonconformity")
	}
	// The register's spreadsheet names the incident in the source column.
	xl := cb.get(o + "/nonconformities/export.xlsx")
	data, _ := io.ReadAll(xl.Body)
	xl.Body.Close()
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sheetRows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	named := false
	for _, row := range sheetRows {
		// Title, source, source reference: the nonconformity is titled
		// after its incident, so the reference column is the one to read.
		named = named || len(row) > 2 && row[2] == inc.Title
	}
	if !named {
		t.Fatalf("the export does not name the source incident: %v", sheetRows)
	}
	// The new nonconformity form offers the incident as a source.
	if form := body(cb.get(o + "/nonconformities/new")); !strings.Contains(form, fmt.Sprintf(`<option value="%d">%s</option>`, inc.ID, inc.Title)) {
		t.Fatal("the form does not offer the incident")
	}

	// Links: a control both failed and helped is refused by field; a
	// threat and a control are saved, and the control's page shows it.
	threats, _ := e.db.Threats(ctx, e.org.ID, isms.ThreatFilter{})
	controls, _ := e.db.RiskControlOptions(ctx, e.org.ID)
	var control int64
	for _, c := range controls {
		if c.Ref == "8.12" && !c.Own {
			control = c.ID
		}
	}
	inc, _ = e.db.Incident(ctx, e.org.ID, inc.ID)
	links := url.Values{"version": {fmt.Sprint(inc.Version)}, "threat_ids": {fmt.Sprint(threats[0].ID)}, "controls_failed": {fmt.Sprint(control)},
		"controls_helped": {fmt.Sprint(control)}}
	if res := cb.post(rec+"/links", links); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-controls"`) {
		t.Fatalf("both effects: %d", res.StatusCode)
	}
	links.Del("controls_helped")
	links.Set("risk_ids", "999999")
	if res := cb.post(rec+"/links", links); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-risk_ids"`) {
		t.Fatalf("unknown risk: %d", res.StatusCode)
	}
	links.Del("risk_ids")
	if res := cb.post(rec+"/links", links); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("links: %d %s", res.StatusCode, body(res))
	}
	if html := body(rb.get(fmt.Sprintf("%s/soa/controls/%d", o, control))); !strings.Contains(html, fmt.Sprintf(`href="%s"`, rec)) || !strings.Contains(html, "Named directly: failed") {
		t.Fatal("the control does not show the incident")
	}

	// The breach's notice is a gap until recorded; recording it needs who
	// did it, then shows on the incident, its timeline and the entry.
	if html := body(rb.get(rec)); !strings.Contains(html, "Missing for a breach") || !strings.Contains(html, "The plan has no entry for: Notification of a personal data breach") {
		t.Fatal("the breach's gaps are not shown")
	}
	comm := url.Values{"entry_id": {fmt.Sprint(entry.ID)}, "done_at": {"2026-06-01"}, "done_time": {"10:00"}, "done_by": {""}, "note": {"Brev sendt"}}
	if res := cb.post(rec+"/communications", comm); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-done_by"`) {
		t.Fatalf("no one did it: %d", res.StatusCode)
	}
	comm.Set("done_by", "Databeskyttelsesrådgiveren")
	if res := rb.post(rec+"/communications", comm); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader records: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/communications", comm); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %s", res.StatusCode, body(res))
	}
	if res := cb.post(rec+"/communications", comm); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-entry_id"`) {
		t.Fatalf("recorded twice: %d", res.StatusCode)
	}
	html = body(rb.get(rec))
	if !strings.Contains(html, "Communication carried out as planned: Underretning af den registrerede") || !strings.Contains(html, "by Databeskyttelsesrådgiveren") {
		t.Fatal("the communication is not on the incident and its timeline")
	}
	if html := body(rb.get(fmt.Sprintf("%s/communication/entries/%d", o, entry.ID))); !strings.Contains(html, fmt.Sprintf(`href="%s"`, rec)) {
		t.Fatal("the plan entry does not show the incident")
	}
	keys := regexp.MustCompile(`\b(incl|inc|nc|field)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{rec, loc[strings.Index(loc, "/orgs/"):], o + "/nonconformities/new", fmt.Sprintf("%s/soa/controls/%d", o, control),
		fmt.Sprintf("%s/communication/entries/%d", o, entry.ID)}, keys)
	rb.pagesRender(t, []string{rec}, keys)

	// The API: the communications and the control's incidents read; the
	// links set; a stale registration refused.
	rtok, ctok := e.token(reader), e.token(coord)
	api := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	list := func(token, path string) (int, []map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out []map[string]any
		b, _ := io.ReadAll(res.Body)
		json.Unmarshal(b, &out)
		return res.StatusCode, out
	}
	if res, out := e.api(rtok, "GET", fmt.Sprintf("%s/nonconformities?incident=%d", api, inc.ID), nil); res.StatusCode != http.StatusOK || out["total"] != float64(1) {
		t.Fatalf("API nonconformities of the incident: %d %v", res.StatusCode, out)
	}
	if code, out := list(rtok, fmt.Sprintf("%s/incidents/%d/communications", api, inc.ID)); code != http.StatusOK || len(out) != 2 {
		t.Fatalf("API communications: %d %v", code, out)
	}
	if code, out := list(rtok, fmt.Sprintf("%s/soa/controls/%d/incidents", api, control)); code != http.StatusOK || len(out) != 1 || out[0]["via"] != "control" {
		t.Fatalf("API control's incidents: %d %v", code, out)
	}
	inc, _ = e.db.Incident(ctx, e.org.ID, inc.ID)
	if res, out := e.api(rtok, "PUT", fmt.Sprintf("%s/incidents/%d/links", api, inc.ID), map[string]any{"version": inc.Version}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("API reader sets links: %d %v", res.StatusCode, out)
	}
	res, out := e.api(ctok, "PUT", fmt.Sprintf("%s/incidents/%d/links", api, inc.ID), map[string]any{"version": inc.Version,
		"controls": []map[string]any{{"control_id": control, "effect": "helped"}}})
	if res.StatusCode != http.StatusOK || len(out["controls"].([]any)) != 1 || len(out["threats"].([]any)) != 0 {
		t.Fatalf("API links: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(ctok, "POST", fmt.Sprintf("%s/incidents/%d/nonconformity", api, inc.ID), map[string]any{"version": inc.Version}); res.StatusCode != http.StatusConflict {
		t.Fatalf("API stale registration: %d", res.StatusCode)
	}

	// Another organisation's coordinator: nothing, by page or API.
	other := mustOrgFor(t, e, "Andenkommune")
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	sb, stok := e.login(stranger.Email), e.token(stranger)
	for _, path := range []string{rec + "/nonconformity", fmt.Sprintf("/orgs/%d/incidents/%d/nonconformity", other.ID, inc.ID),
		fmt.Sprintf("/orgs/%d/incidents/%d/communications", other.ID, inc.ID), fmt.Sprintf("/orgs/%d/incidents/%d/links", other.ID, inc.ID)} {
		if res := sb.post(path, url.Values{"version": {fmt.Sprint(inc.Version + 1)}, "entry_id": {fmt.Sprint(entry.ID)}, "done_at": {"2026-06-01"},
			"done_by": {"x"}}); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Fatalf("stranger posts %s: %d", path, res.StatusCode)
		}
	}
	for _, path := range []string{fmt.Sprintf("%s/incidents/%d/communications", api, inc.ID), fmt.Sprintf("/api/v1/organisations/%d/incidents/%d/communications", other.ID, inc.ID),
		fmt.Sprintf("/api/v1/organisations/%d/soa/controls/%d/incidents", other.ID, control)} {
		if code, out := list(stok, path); code == http.StatusOK && len(out) > 0 {
			t.Fatalf("stranger reads %s: %d %v", path, code, out)
		} else if code != http.StatusOK && code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("stranger reads %s: %d", path, code)
		}
	}
}
