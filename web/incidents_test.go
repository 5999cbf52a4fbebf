package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// A reader reports an event through the short form; the coordinator
// triages it into an incident, records the reports sent and the
// timeline, and the page shows each clock; the list, the export and the
// API follow; another organisation's members are refused.
func TestIncidentsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	e.db.Now = func() time.Time { return now }
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	reader := e.member("reader@example.org", e.org, isms.RoleReader)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	rb, cb := e.login(reader.Email), e.login(coord.Email)

	// Bad input names the field; nothing is written.
	res := rb.post(o+"/incidents/report", url.Values{"title": {"Tabt bærbar"}, "detected_at": {"2026-06-01"}, "detected_time": {"25:99"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-detected_at"`) {
		t.Fatalf("bad time: %d", res.StatusCode)
	}
	res = rb.post(o+"/incidents/report", url.Values{"title": {""}, "detected_at": {"2026-06-01"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-title"`) {
		t.Fatalf("no title: %d", res.StatusCode)
	}
	if _, n, _ := e.db.Incidents(e.as(coord), e.org.ID, isms.IncidentFilter{}); n != 0 {
		t.Fatalf("%d incidents after refused reports", n)
	}
	res = rb.post(o+"/incidents/report", url.Values{"title": {"Borgerdata sendt til forkert modtager"}, "detected_at": {"2026-06-01"},
		"detected_time": {"09:30"}, "location": {"Borgerservice"}, "reporter_contact": {"lokal 4411"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d %s", res.StatusCode, body(res))
	}
	incs, _, _ := e.db.Incidents(e.as(coord), e.org.ID, isms.IncidentFilter{})
	if len(incs) != 1 || !incs[0].DetectedAt.Equal(time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)) || incs[0].Status != isms.IncidentReported {
		t.Fatalf("reported %+v", incs)
	}
	inc := incs[0]
	rec := fmt.Sprintf("%s/incidents/%d", o, inc.ID)

	// The reader is not offered, and is refused, the triage.
	if html := body(rb.get(rec)); strings.Contains(html, "/triage") || strings.Contains(html, "/timeline\"") {
		t.Error("a reader is offered the triage")
	}
	triage := url.Values{"version": {fmt.Sprint(inc.Version)}, "decision": {"incident"}, "category": {"data_leak"}, "severity": {"3"},
		"owner_id": {fmt.Sprint(coord.ID)}, "personal_data": {"1"}}
	if res := rb.post(rec+"/triage", triage); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader triages: %d", res.StatusCode)
	}
	bad := url.Values{"version": {fmt.Sprint(inc.Version)}, "decision": {"incident"}, "category": {"data_leak"}, "severity": {"9"}}
	if res := cb.post(rec+"/triage", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-severity"`) {
		t.Fatalf("bad severity: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/triage", triage); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d %s", res.StatusCode, body(res))
	}
	// The GDPR clock runs from detection: 72 hours, 69.5 left.
	html := body(cb.get(rec))
	if !strings.Contains(html, "2026-06-04 09:30 UTC") || !strings.Contains(html, "2 d 21 h 30 min left") {
		t.Fatalf("clock not shown:\n%s", html)
	}
	if res := cb.post(rec+"/reports", url.Values{"report": {"gdpr/notification"}, "sent_at": {"2026-06-01"}, "sent_time": {"11:00"}, "recipient": {""}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-recipient"`) {
		t.Fatalf("report without recipient: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/reports", url.Values{"report": {"gdpr/notification"}, "sent_at": {"2026-06-01"}, "sent_time": {"11:00"},
		"recipient": {"Datatilsynet"}, "content": {"Sag 2026-77"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report sent: %d %s", res.StatusCode, body(res))
	}
	if res := cb.post(rec+"/timeline", url.Values{"at": {"2026-06-01"}, "at_time": {"10:00"}, "text": {"Modtageren bedt om at slette mailen"}, "actor": {"Borgerservice"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("timeline: %d", res.StatusCode)
	}
	if html := body(cb.get(rec)); !strings.Contains(html, ">Met<") || !strings.Contains(html, "Modtageren bedt om") {
		t.Fatal("the report or the timeline is not shown")
	}
	// The incident marks a risk assessment for reassessment, naming itself.
	entries := e.fill()
	asset, err := e.db.AssetForEntry(e.as(coord), e.org.ID, entries[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := e.db.CreateRiskAssessment(e.as(coord), e.org.ID, isms.RiskAssessmentInput{AssetID: &asset.ID, OwnerID: &coord.ID})
	if err != nil {
		t.Fatal(err)
	}
	threats, _ := e.db.Threats(e.as(coord), e.org.ID, isms.ThreatFilter{})
	if _, err := e.db.CreateRisk(e.as(coord), e.org.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: threats[0].ID, Likelihood: 1,
		Consequence: isms.Consequences{Availability: 2}}); err != nil {
		t.Fatal(err)
	}
	ra, _ = e.db.RiskAssessment(e.as(coord), e.org.ID, ra.ID)
	if ra, err = e.db.CompleteRiskAssessment(e.as(coord), e.org.ID, ra.ID, ra.Version); err != nil {
		t.Fatal(err)
	}
	if res := rb.post(rec+"/reassess", url.Values{"assessment_id": {fmt.Sprint(ra.ID)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader marks for reassessment: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/reassess", url.Values{"assessment_id": {"999999"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-assessment_id"`) {
		t.Fatalf("unknown assessment: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/reassess", url.Values{"assessment_id": {fmt.Sprint(ra.ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark for reassessment: %d %s", res.StatusCode, body(res))
	}
	if cur, _ := e.db.RiskAssessment(e.as(coord), e.org.ID, ra.ID); cur.Mark == nil || !strings.Contains(cur.Mark.Note, inc.Title) {
		t.Fatalf("mark %+v", cur.Mark)
	}
	// Closing without lessons learned names the field.
	cur, _ := e.db.Incident(e.as(coord), e.org.ID, inc.ID)
	edit := url.Values{"version": {fmt.Sprint(cur.Version)}, "title": {cur.Title}, "detected_at": {"2026-06-01"}, "detected_time": {"09:30"},
		"status": {"closed"}, "category": {"data_leak"}, "severity": {"3"}, "personal_data": {"1"}}
	if res := cb.post(rec, edit); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), `id="e-lessons_learned"`) {
		t.Fatalf("close without lessons: %d", res.StatusCode)
	}
	edit.Set("lessons_learned", "Dobbelttjek modtageren ved sikker mail")
	if res := cb.post(rec, edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d %s", res.StatusCode, body(res))
	}

	keys := regexp.MustCompile(`\b(inc|title|field|nav)\.[a-z_.]+\b`)
	cb.pagesRender(t, []string{o + "/incidents", o + "/incidents?status=closed&category=data_leak&severity=3&open=1&overdue=1&sort=-detected",
		o + "/incidents/report", o + "/incidents/settings", rec, rec + "/edit"}, keys)
	rb.pagesRender(t, []string{o + "/incidents", o + "/incidents/report", rec}, keys)
	res = rb.get(o + "/incidents/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d", res.StatusCode)
	}

	// The API: a reader reports, the coordinator triages as not an
	// incident and deletes it; the clocks are read.
	rtok, ctok := e.token(reader), e.token(coord)
	api := fmt.Sprintf("/api/v1/organisations/%d/incidents", e.org.ID)
	res, out := e.api(rtok, "POST", api, map[string]any{"title": "Mærkelig pop-up", "detected_at": "2026-06-01T11:00:00Z"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("API report: %d %v", res.StatusCode, out)
	}
	id := fmt.Sprint(out["id"])
	if res, _ := e.api(rtok, "POST", api+"/"+id+"/triage", map[string]any{"reason": "Reklame", "version": out["version"]}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("API reader triage: %d", res.StatusCode)
	}
	res, out = e.api(ctok, "POST", api+"/"+id+"/triage", map[string]any{"reason": "Reklame", "version": out["version"]})
	if res.StatusCode != http.StatusOK || out["status"] != "not_incident" {
		t.Fatalf("API triage: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(ctok, "DELETE", api+"/"+id, map[string]any{"version": out["version"]}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("API delete: %d", res.StatusCode)
	}
	if res, _ := e.api(rtok, "GET", fmt.Sprintf("%s/%d/clocks", api, inc.ID), nil); res.StatusCode != http.StatusOK {
		t.Fatalf("API clocks: %d", res.StatusCode)
	}

	// Another organisation's coordinator sees nothing.
	other := mustOrgFor(t, e, "Andenkommune")
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	sb := e.login(stranger.Email)
	if res := sb.get(rec); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("stranger reads: %d", res.StatusCode)
	}
	if res := sb.get(fmt.Sprintf("/orgs/%d/incidents/%d", other.ID, inc.ID)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger reads through own organisation: %d", res.StatusCode)
	}
	if res := sb.post(fmt.Sprintf("/orgs/%d/incidents/%d/timeline", other.ID, inc.ID), url.Values{"at": {"2026-06-01"}, "text": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger adds to timeline: %d", res.StatusCode)
	}
}
