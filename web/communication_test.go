package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// A typical case of the guide becomes a draft entry with one click, in the
// reader's language, and opens for editing.
func TestCommunicationTemplateOneClick(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("coord@example.org", e.org, isms.RoleCoordinator)
	b := e.login("coord@example.org")
	b.lang = "da"
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	res := b.post(o+"/communication/templates", url.Values{"case_key": {"breach_authority"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/edit") {
		t.Fatalf("template: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	es, _, _ := e.db.CommunicationEntries(e.as(e.admin), e.org.ID, isms.CommunicationFilter{})
	if len(es) != 1 || es[0].CaseKey != "breach_authority" || es[0].Status != isms.StatusDraft || es[0].Direction != isms.DirectionExternal ||
		!strings.Contains(es[0].ResponseTime, "72 timer") || es[0].Audience != "Datatilsynet" || es[0].Sensitivity != isms.SensitivityConfidential {
		t.Fatalf("entry %+v", es[0])
	}
	if res := b.post(o+"/communication/templates", url.Values{"case_key": {"rumours"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown case: %d", res.StatusCode)
	}
	// Readers are not offered the buttons and are refused.
	rb := e.login(e.member("reader@example.org", e.org, isms.RoleReader).Email)
	if strings.Contains(body(rb.get(o+"/communication")), "/communication/templates") {
		t.Error("a reader is offered the templates")
	}
	if res := rb.post(o+"/communication/templates", url.Values{"case_key": {"staff_notice"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("reader template: %d", res.StatusCode)
	}
}

// The responsible person sees the pending acknowledgement on the plan and
// acknowledges with one click; others cannot; a change of substance asks
// again; an outdated click shows the new version.
func TestCommunicationAcknowledgementFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	ack := fmt.Sprintf("%s/communication/entries/%d/acknowledge", o, l.comm.ID)
	cb := e.login("contrib@example.org")
	cb.lang = "en"
	plan := body(cb.get(o + "/communication"))
	if !strings.Contains(plan, "Awaiting your acknowledgement") || !strings.Contains(plan, ack) {
		t.Fatalf("pending not shown on the plan:\n%s", plan)
	}
	if strings.Contains(body(e.login("coord@example.org").get(o+"/communication")), "Awaiting your acknowledgement") {
		t.Error("the coordinator is asked to acknowledge someone else's entry")
	}
	events := leadAuditTotal(e)
	for _, who := range []string{"coord@example.org", "admin@example.org", "mgmt@example.org"} {
		if res := e.login(who).post(ack, url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s acknowledged: %d", who, res.StatusCode)
		}
	}
	if leadAuditTotal(e) != events {
		t.Fatal("refused acknowledgements were stored")
	}
	res := cb.post(ack, url.Values{"version": {"1"}, "back": {"plan"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/communication") {
		t.Fatalf("acknowledge: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	got, _ := e.db.CommunicationEntry(e.as(e.admin), e.org.ID, l.comm.ID)
	if !got.Acknowledged() || *got.AcknowledgedBy != l.contrib.ID {
		t.Fatalf("entry %+v", got)
	}
	if strings.Contains(body(cb.get(o+"/communication")), "Awaiting your acknowledgement") {
		t.Error("still pending after acknowledging")
	}

	// The coordinator changes the channel: the acknowledgement is reset
	// and the form said it would be.
	coord := e.login("coord@example.org")
	coord.lang = "en"
	edit := body(coord.get(fmt.Sprintf("%s/communication/entries/%d/edit", o, l.comm.ID)))
	if !strings.Contains(edit, "must be acknowledged again") {
		t.Error("the form does not warn that a change needs a new acknowledgement")
	}
	form := url.Values{"version": {strconv.FormatInt(got.Version, 10)}, "case_key": {"staff_notice"}, "what": {got.What}, "timing": {"event"},
		"trigger_event": {got.TriggerEvent}, "audience": {got.Audience}, "channel": {"Intranet og SMS"}, "direction": {"internal"},
		"sensitivity": {"internal"}, "responsible_id": {strconv.FormatInt(l.contrib.ID, 10)}, "status": {"active"}}
	if res := coord.post(fmt.Sprintf("%s/communication/entries/%d", o, l.comm.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", res.StatusCode, body(res))
	}
	changed, _ := e.db.CommunicationEntry(e.as(e.admin), e.org.ID, l.comm.ID)
	if changed.Acknowledged() {
		t.Fatal("the acknowledgement survived a change of channel")
	}
	// A click from the page shown before the change is refused and shows
	// the new version.
	res = cb.post(ack, url.Values{"version": {strconv.FormatInt(got.Version, 10)}})
	if html := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(html, "has changed since you saw it") || !strings.Contains(html, "Intranet og SMS") {
		t.Fatalf("outdated click: %d\n%s", res.StatusCode, html)
	}
	if res := cb.post(ack, url.Values{"version": {strconv.FormatInt(changed.Version, 10)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge again: %d", res.StatusCode)
	}

	// Bad input on the form is refused field by field, nothing stored.
	events = leadAuditTotal(e)
	bad := url.Values{"version": {"0"}, "what": {""}, "timing": {"event"}, "trigger_event": {""}, "audience": {"Alle"}, "channel": {"Intranet"},
		"direction": {"internal"}, "sensitivity": {"internal"}, "status": {"active"}}
	res = coord.post(o+"/communication", bad)
	html := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-what">`) || !strings.Contains(html, `id="e-trigger_event">`) ||
		!strings.Contains(html, "An active entry needs someone responsible") {
		t.Fatalf("bad input: %d\n%s", res.StatusCode, html)
	}
	if leadAuditTotal(e) != events {
		t.Fatal("bad input was stored")
	}
}

// The plan downloads as a spreadsheet with a section per direction and
// every column.
func TestCommunicationExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	if _, err := e.db.AcknowledgeCommunication(e.as(l.contrib), e.org.ID, l.comm.ID, l.comm.Version); err != nil {
		t.Fatal(err)
	}
	b := e.login("reader@example.org")
	b.lang = "en"
	res := b.get(fmt.Sprintf("/orgs/%d/communication/export.xlsx", e.org.ID))
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "communication-plan.xlsx") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Communication plan")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(rows)
	for _, want := range []string{"Communication plan of Testkommune", "What", "Confidentiality of the content", "Internal", "External",
		"Phishingvarsel", "Staff notices on security incidents and new threats", "User contrib@example.org", "Acknowledged by"} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q: %v", want, rows)
		}
	}
}

// The API: the plan, pending acknowledgements, refusals with field names.
func TestCommunicationAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	base := fmt.Sprintf("/api/v1/organisations/%d/communication-plan", e.org.ID)
	coord, contrib := e.token(l.coord), e.token(l.contrib)
	res, out := e.api(contrib, "GET", base+"?pending=true", nil)
	if res.StatusCode != 200 || out["total"].(float64) != 1 {
		t.Fatalf("pending: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(coord, "GET", base+"?pending=true", nil); res.StatusCode != 200 || out["total"].(float64) != 0 {
		t.Fatalf("coordinator's pending: %v", out)
	}
	res, out = e.api(coord, "POST", base, map[string]any{"what": "Kvartalsrapport", "timing": "quarterly", "audience": "Direktionen",
		"channel": "Rapport", "direction": "sideways", "sensitivity": "confidential", "status": "active", "responsible_id": 999999})
	if res.StatusCode != 422 || !leadHasField(out, "direction") || !leadHasField(out, "responsible_id") {
		t.Fatalf("bad entry: %d %v", res.StatusCode, out)
	}
	res, out = e.api(coord, "POST", base+"/templates", map[string]any{"case_key": "management_reporting", "lang": "en"})
	if res.StatusCode != 201 || out["what"] != "Reporting to management and the security committee" || out["status"] != "draft" {
		t.Fatalf("template: %d %v", res.StatusCode, out)
	}
	ack := fmt.Sprintf("%s/%d/acknowledge", base, l.comm.ID)
	if res, out := e.api(coord, "POST", ack, map[string]any{"version": 1}); res.StatusCode != 403 {
		t.Fatalf("coordinator acknowledges: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(contrib, "POST", ack, map[string]any{"version": 7}); res.StatusCode != 409 {
		t.Fatalf("stale acknowledgement: %d", res.StatusCode)
	}
	res, out = e.api(contrib, "POST", ack, map[string]any{"version": 1})
	if res.StatusCode != 200 || out["acknowledged_by_name"] != "User contrib@example.org" || out["acknowledged_at"] == nil {
		t.Fatalf("acknowledge: %d %v", res.StatusCode, out)
	}
}

func leadHasField(out map[string]any, field string) bool {
	e, _ := out["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	for _, f := range fs {
		if m, _ := f.(map[string]any); m["field"] == field && m["message"] != "" {
			return true
		}
	}
	return false
}

// The leadership API: roles from templates, holders, the matrix with its
// refusals, forums, meetings, decisions and topics.
func TestLeadershipAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	outsider, _ := e.db.CreateUser(e.as(e.admin), "out@example.org", "Outsider", testPassword, false)
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	tok := e.token(l.coord)
	res, out := e.api(tok, "POST", base+"/security-roles/templates", map[string]any{"keys": []string{"dpo"}, "lang": "en"})
	if res.StatusCode != 201 || len(out["list"].([]any)) != 1 {
		t.Fatalf("templates: %d %v", res.StatusCode, out)
	}
	dpo := out["list"].([]any)[0].(map[string]any)
	if dpo["name"] != "Data protection officer (DPO)" {
		t.Fatalf("dpo %v", dpo)
	}
	if res, out := e.api(tok, "POST", base+"/security-roles/templates", map[string]any{"keys": []string{"jester"}}); res.StatusCode != 422 || !leadHasField(out, "keys") {
		t.Fatalf("unknown template: %d %v", res.StatusCode, out)
	}
	holders := fmt.Sprintf("%s/security-roles/%v/holders", base, dpo["id"])
	if res, out := e.api(tok, "PUT", holders, map[string]any{"holder_ids": []int64{outsider.ID}, "version": 1}); res.StatusCode != 422 || !leadHasField(out, "holder_ids") {
		t.Fatalf("holder not a member: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "PUT", holders, map[string]any{"holder_ids": []int64{l.coord.ID}, "version": 1}); res.StatusCode != 200 ||
		len(out["holders"].([]any)) != 1 {
		t.Fatalf("holders: %d %v", res.StatusCode, out)
	}

	res, out = e.api(tok, "GET", base+"/responsibility-matrix", nil)
	if res.StatusCode != 200 || len(out["cells"].([]any)) != 4 {
		t.Fatalf("matrix: %d %v", res.StatusCode, out)
	}
	version := out["version"].(float64)
	two := []map[string]any{{"activity_id": l.acts[0].ID, "role_id": l.roles[0].ID, "value": "A"}, {"activity_id": l.acts[0].ID, "role_id": l.roles[1].ID, "value": "AR"},
		{"activity_id": l.acts[1].ID, "role_id": l.roles[1].ID, "value": "A"}}
	if res, out := e.api(tok, "PUT", base+"/responsibility-matrix", map[string]any{"cells": two, "version": version}); res.StatusCode != 422 ||
		!leadHasField(out, "raci_accountable") {
		t.Fatalf("two accountable: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(e.token(l.mgmt), "POST", base+"/responsibility-matrix/approve", map[string]any{"version": version}); res.StatusCode != 200 ||
		out["approved_by_name"] != l.mgmt.Name {
		t.Fatalf("approve: %d %v", res.StatusCode, out)
	}

	res, out = e.api(tok, "POST", fmt.Sprintf("%s/meetings/%d/decisions", base, l.held.ID), map[string]any{"decision": "X", "management_topics": []string{"roles"}})
	if res.StatusCode != 422 || !leadHasField(out, "owner_id") {
		t.Fatalf("decision without owner: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", fmt.Sprintf("%s/forums/%d/meetings", base, l.forum.ID), map[string]any{"meeting_date": "2099-01-01",
		"agenda": []map[string]any{{"title": "Budget", "management_topics": []string{"money"}}}})
	if res.StatusCode != 422 || !leadHasField(out, "agenda") || !strings.Contains(fmt.Sprint(out), "money") {
		t.Fatalf("unknown topic: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", fmt.Sprintf("%s/forums/%d/meetings?status=held", base, l.forum.ID), nil)
	if res.StatusCode != 200 || out["total"].(float64) != 1 {
		t.Fatalf("held meetings: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", base+"/decisions?overdue=true", nil)
	if res.StatusCode != 200 || out["total"].(float64) != 1 {
		t.Fatalf("overdue decisions: %v", out)
	}
	res, out = e.api(tok, "GET", base+"/management-topics", nil)
	if res.StatusCode != 200 || len(out["list"].([]any)) != 7 {
		t.Fatalf("topics: %d %v", res.StatusCode, out)
	}
	first := out["list"].([]any)[0].(map[string]any)
	last, _ := first["last"].(map[string]any)
	if first["topic"] != "objectives" || last == nil || !strings.HasSuffix(last["url"].(string), fmt.Sprintf("/leadership/meetings/%d", l.held.ID)) {
		t.Fatalf("objectives: %v", first)
	}
	// A reader reads but changes nothing.
	rtok := e.token(l.reader)
	if res, _ := e.api(rtok, "GET", base+"/forums", nil); res.StatusCode != 200 {
		t.Fatalf("reader reads forums: %d", res.StatusCode)
	}
	if res, _ := e.api(rtok, "POST", base+"/forums", map[string]any{"name": "Skyggeudvalg"}); res.StatusCode != 403 {
		t.Fatalf("reader creates a forum: %d", res.StatusCode)
	}
}
