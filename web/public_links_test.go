package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

var (
	reportLink        = regexp.MustCompile(`/report/(ismsrep_[A-Za-z0-9_-]+)`)
	questionnaireLink = regexp.MustCompile(`/questionnaire/(ismsq_[A-Za-z0-9_-]+)`)
	questionField     = regexp.MustCompile(`name="answer_(\d+)"`)
)

// The public reporting link through the pages: turned on from the
// incident settings and shown once; the public page, Danish by default,
// takes an event without login and the coordinator triages it, marked as
// reported through the link; a wrong or revoked link is a clear 404;
// a reader and another organisation may not manage the link; one client
// posting fast is throttled.
func TestIncidentIntakePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login("coord@example.org")
	if got := body(cb.get(o + "/incidents/settings")); !strings.Contains(got, "Reporting without an account") || !strings.Contains(got, "Turn the link on") {
		t.Fatalf("settings before the link:\n%s", got)
	}
	rb := e.login("reader@example.org")
	if res := rb.post(o+"/incidents/settings/intake-link", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader made a link: %d", res.StatusCode)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	e.member("outsider@example.org", other, isms.RoleCoordinator)
	ob := e.login("outsider@example.org")
	if res := ob.post(o+"/incidents/settings/intake-link", nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("another organisation made a link: %d", res.StatusCode)
	}
	res := cb.post(o+"/incidents/settings/intake-link", nil)
	got := body(res)
	m := reportLink.FindStringSubmatch(got)
	if res.StatusCode != http.StatusOK || m == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("make link: %d\n%s", res.StatusCode, got)
	}
	token := m[1]
	if page := body(cb.get(o + "/incidents/settings")); strings.Contains(page, token) || !strings.Contains(page, "Make a new link") {
		t.Fatalf("the link is shown again, or not as on:\n%s", page)
	}

	staff := e.anonymous()
	staff.lang = ""
	res = staff.get("/report/" + token)
	got = body(res)
	if res.StatusCode != http.StatusOK || !strings.Contains(got, `lang="da"`) || !strings.Contains(got, "Testkommune") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("public page: %d\n%s", res.StatusCode, got)
	}
	staff.lang = "en"
	day := e.db.Now().UTC().Format("2006-01-02")
	res = staff.post("/report/"+token, url.Values{"title": {""}, "detected_at": {day}, "location": {"Rådhuset"}})
	if got := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, `value="Rådhuset"`) {
		t.Fatalf("without a title: %d\n%s", res.StatusCode, got)
	}
	res = staff.post("/report/"+token, url.Values{"title": {"Phishing mail <b>to</b> everyone"}, "detected_at": {day}, "detected_time": {"00:00"},
		"location": {"Borgerservice"}, "reporter_contact": {"lokal 1234"}})
	if got := body(res); res.StatusCode != http.StatusOK || !strings.Contains(got, "Your report has been received") {
		t.Fatalf("report: %d\n%s", res.StatusCode, got)
	}
	// A body past the public form's limit is refused before it is read
	// whole, and reports nothing.
	res = staff.post("/report/"+token, url.Values{"title": {"Stor"}, "detected_at": {day}, "description": {strings.Repeat("x", 200<<10)}})
	if got := body(res); res.StatusCode < 400 || res.StatusCode >= 500 || !strings.Contains(got, "too large") {
		t.Fatalf("large body: %d\n%s", res.StatusCode, got)
	}
	list, total, err := e.db.Incidents(e.as(l.coord), e.org.ID, isms.IncidentFilter{Status: isms.IncidentReported})
	if err != nil || total != 1 || list[0].ReportedBy != nil || list[0].ReportedVia != isms.ReportedViaPublicLink {
		t.Fatalf("reported: %d %v %+v", total, err, list)
	}
	inc := list[0]
	page := body(cb.get(fmt.Sprintf("%s/incidents/%d", o, inc.ID)))
	if !strings.Contains(page, "Reported through the public link") || !strings.Contains(page, "Phishing mail &lt;b&gt;to&lt;/b&gt; everyone") {
		t.Fatalf("incident page:\n%s", page)
	}
	// The triage list marks it too, so the coordinator sees at a glance
	// that no member stands behind it.
	if page := body(cb.get(o + "/incidents")); strings.Count(page, "Reported through the public link") != 1 {
		t.Fatalf("the incident log does not mark the event reported through the link:\n%s", page)
	}
	res = cb.post(fmt.Sprintf("%s/incidents/%d/triage", o, inc.ID), url.Values{"decision": {"incident"}, "incident": {"1"}, "category": {"phishing"},
		"severity": {"2"}, "owner_id": {fmt.Sprint(l.coord.ID)}, "version": {fmt.Sprint(inc.Version)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d\n%s", res.StatusCode, body(res))
	}
	if tri, _ := e.db.Incident(e.as(l.coord), e.org.ID, inc.ID); tri.Status == isms.IncidentReported {
		t.Fatalf("not triaged: %+v", tri)
	}

	for _, bad := range []string{token + "x", "nothing"} {
		res := staff.get("/report/" + bad)
		if got := body(res); res.StatusCode != http.StatusNotFound || !strings.Contains(got, "This link does not work") || strings.Contains(got, "Testkommune") {
			t.Fatalf("wrong token: %d\n%s", res.StatusCode, got)
		}
	}
	// One client posting fast is stopped with a wait, storing nothing more.
	frozen := e.db.Now()
	e.db.Now = func() time.Time { return frozen }
	for i := 0; ; i++ {
		res := staff.post("/report/"+token, url.Values{"title": {fmt.Sprint("Bot ", i)}, "detected_at": {day}})
		got := body(res)
		if res.StatusCode == http.StatusTooManyRequests {
			if i > 10 || res.Header.Get("Retry-After") == "" || !strings.Contains(got, "Try again in") {
				t.Fatalf("throttled after %d posts: %v\n%s", i, res.Header, got)
			}
			break
		}
		if i > 10 {
			t.Fatalf("%d reports from one address were not throttled", i)
		}
	}
	if res := cb.post(o+"/incidents/settings/intake-link/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := staff.get("/report/" + token); res.StatusCode != http.StatusNotFound {
		t.Fatalf("revoked link: %d", res.StatusCode)
	}

	// The API: the token in the create response only; readers refused.
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	if res, _ := e.api(e.token(l.reader), "POST", base+"/incident-intake-link", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader made a link by the API: %d", res.StatusCode)
	}
	tok := e.token(l.coord)
	res, out := e.api(tok, "POST", base+"/incident-intake-link", nil)
	apiToken, _ := out["token"].(string)
	if res.StatusCode != http.StatusCreated || !strings.HasPrefix(apiToken, "ismsrep_") || !strings.HasSuffix(out["url"].(string), "/report/"+apiToken) {
		t.Fatalf("create by the API: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", base+"/incident-intake-link", nil); res.StatusCode != http.StatusOK || out["active"] != true || out["token"] != nil {
		t.Fatalf("read by the API: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(e.token(e.member("x@example.org", other, isms.RoleCoordinator)), "GET", base+"/incident-intake-link", nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("another organisation read the link: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", base+"/incident-intake-link", nil); res.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke by the API: %d", res.StatusCode)
	}
}

// qnSupervision registers a supplier owned by the coordinator with a
// supervision by questionnaire.
func qnSupervision(t *testing.T, e *env, coord *isms.User) (*isms.Supplier, *isms.Supervision) {
	t.Helper()
	sup, err := e.db.CreateSupplier(e.as(coord), e.org.ID, isms.SupplierInput{Name: "Nordhavn Hosting A/S", Contact: "Ida Holm <ida@nordhavn.example>, 12 34 56 78",
		Criticality: isms.CriticalityHigh, Status: isms.SupplierActive, OwnerID: &coord.ID})
	if err != nil {
		t.Fatal(err)
	}
	planned := isms.DateOf(e.db.Now())
	sv, err := e.db.CreateSupervision(e.as(coord), e.org.ID, sup.ID, isms.SupervisionInput{Method: isms.SupervisionQuestionnaire, PlannedOn: &planned})
	if err != nil {
		t.Fatal(err)
	}
	return sup, sv
}

// The supplier questionnaire over HTTP: the coordinator's form offers the
// default questions and the supplier's address; the link is shown once
// and mailed; the supplier saves a draft and submits without login; the
// link then shows the answers only and a second submission is refused;
// the supervision page shows the answers and who gave them; reopen and
// revoke; a reader and another organisation are refused.
func TestSupplierQuestionnairePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	box := &mailbox{}
	e.withMail(box)
	_, sv := qnSupervision(t, e, l.coord)
	svPath := fmt.Sprintf("/orgs/%d/supplier-supervisions/%d", e.org.ID, sv.ID)
	cb := e.login("coord@example.org")
	if got := body(cb.get(svPath)); !strings.Contains(got, "No questionnaire has been sent yet") {
		t.Fatalf("supervision before:\n%s", got)
	}
	form := body(cb.get(svPath + "/questionnaire/new"))
	if !strings.Contains(form, "ISO/IEC 27001") || !strings.Contains(form, "EU/EEA") || !strings.Contains(form, `value="ida@nordhavn.example"`) {
		t.Fatalf("new questionnaire form:\n%s", form)
	}
	rb := e.login("reader@example.org")
	if res := rb.post(svPath+"/questionnaire", url.Values{"questions": {"A?"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader made a questionnaire: %d", res.StatusCode)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	e.member("outsider@example.org", other, isms.RoleCoordinator)
	if res := e.login("outsider@example.org").get(svPath); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("another organisation read the supervision: %d", res.StatusCode)
	}
	expires := isms.DateOf(e.db.Now()).AddDays(14).String()
	res := cb.post(svPath+"/questionnaire", url.Values{"questions": {""}, "expires_on": {expires}})
	if got := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, `aria-invalid="true"`) {
		t.Fatalf("no questions: %d\n%s", res.StatusCode, got)
	}
	res = cb.post(svPath+"/questionnaire", url.Values{"questions": {"Are you ISO 27001 certified?\r\nDo you encrypt backups?"}, "expires_on": {expires},
		"send_to": {"ida@nordhavn.example"}})
	got := body(res)
	m := questionnaireLink.FindStringSubmatch(got)
	if res.StatusCode != http.StatusOK || m == nil || res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(got, "The link was mailed to ida@nordhavn.example") {
		t.Fatalf("create: %d\n%s", res.StatusCode, got)
	}
	token := m[1]
	if len(box.sent) != 1 || box.sent[0].to != "ida@nordhavn.example" || !strings.Contains(box.sent[0].body, "/questionnaire/"+token) {
		t.Fatalf("mail %+v", box.sent)
	}
	if strings.Contains(body(cb.get(svPath)), token) {
		t.Fatal("the link is shown again")
	}

	supplier := e.anonymous()
	res = supplier.get("/questionnaire/" + token)
	got = body(res)
	ids := questionField.FindAllStringSubmatch(got, -1)
	if res.StatusCode != http.StatusOK || len(ids) != 6 || !strings.Contains(got, "Do you encrypt backups?") {
		t.Fatalf("public page: %d\n%s", res.StatusCode, got)
	}
	q1, q2 := "answer_"+ids[0][1], "answer_"+ids[3][1]
	c1 := strings.Replace(q1, "answer_", "comment_", 1)
	res = supplier.post("/questionnaire/"+token, url.Values{"action": {"draft"}, q1: {"yes"}, c1: {"Certified since 2024"}, "respondent_name": {"Ida Holm"}})
	if got := body(res); res.StatusCode != http.StatusOK || !strings.Contains(got, "The draft is saved") || !strings.Contains(got, "Certified since 2024") {
		t.Fatalf("draft: %d\n%s", res.StatusCode, got)
	}
	res = supplier.post("/questionnaire/"+token, url.Values{"action": {"submit"}, "respondent_name": {"Ida Holm"}, "respondent_email": {"ida@nordhavn.example"}})
	if got := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "Choose yes, partly or no") {
		t.Fatalf("submit incomplete: %d\n%s", res.StatusCode, got)
	}
	res = supplier.post("/questionnaire/"+token, url.Values{"action": {"submit"}, q2: {"partly"}, "respondent_name": {"Ida Holm"}, "respondent_email": {"ida@nordhavn.example"}})
	if got := body(res); res.StatusCode != http.StatusOK || !strings.Contains(got, "The answers were submitted by Ida Holm") || strings.Contains(got, "<textarea") {
		t.Fatalf("submit: %d\n%s", res.StatusCode, got)
	}
	res = supplier.post("/questionnaire/"+token, url.Values{"action": {"submit"}, q2: {"no"}, "respondent_name": {"Eve"}, "respondent_email": {"eve@example.org"}})
	if got := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(got, "already been submitted") {
		t.Fatalf("second submission: %d\n%s", res.StatusCode, got)
	}
	page := body(rb.get(svPath))
	if !strings.Contains(page, "Answered by Ida Holm (ida@nordhavn.example)") || !strings.Contains(page, "Certified since 2024") || !strings.Contains(page, "Partly") ||
		strings.Contains(page, "Reopen for changes") {
		t.Fatalf("supervision for a reader:\n%s", page)
	}
	q, _ := e.db.SupervisionQuestionnaire(e.as(l.coord), e.org.ID, sv.ID)
	if res := cb.post(svPath+"/questionnaire/reopen", url.Values{"expires_on": {expires}, "version": {fmt.Sprint(q.Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reopen: %d\n%s", res.StatusCode, body(res))
	}
	if got := body(supplier.get("/questionnaire/" + token)); !strings.Contains(got, "<textarea") || !strings.Contains(got, "Certified since 2024") {
		t.Fatalf("reopened:\n%s", got)
	}
	q, _ = e.db.SupervisionQuestionnaire(e.as(l.coord), e.org.ID, sv.ID)
	if res := cb.post(svPath+"/questionnaire/revoke", url.Values{"version": {fmt.Sprint(q.Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	res = supplier.get("/questionnaire/" + token)
	if got := body(res); res.StatusCode != http.StatusNotFound || !strings.Contains(got, "This link was revoked by Testkommune") {
		t.Fatalf("revoked: %d\n%s", res.StatusCode, got)
	}
	if res := supplier.get("/questionnaire/" + token + "x"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("wrong token: %d", res.StatusCode)
	}
	// A script posting to questionnaire links from one address, guessing
	// or not, is stopped with a wait; the clock stands still meanwhile.
	frozen := e.db.Now()
	e.db.Now = func() time.Time { return frozen }
	for i := 0; ; i++ {
		res := supplier.post(fmt.Sprintf("/questionnaire/ismsq_guess%d", i), url.Values{"action": {"draft"}})
		got := body(res)
		if res.StatusCode == http.StatusTooManyRequests {
			if i < 20 || i > 30 || res.Header.Get("Retry-After") == "" || !strings.Contains(got, "Try again in") {
				t.Fatalf("throttled after %d posts: %v\n%s", i, res.Header, got)
			}
			break
		}
		if res.StatusCode != http.StatusNotFound || i > 30 {
			t.Fatalf("post %d: %d", i, res.StatusCode)
		}
	}
}

// The questionnaire's API: create (the token in this response only),
// read, reopen and revoke; a reader and another organisation refused;
// an expired link refused.
func TestSupplierQuestionnaireAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	_, sv := qnSupervision(t, e, l.coord)
	path := fmt.Sprintf("/api/v1/organisations/%d/supplier-supervisions/%d/questionnaire", e.org.ID, sv.ID)
	expires := isms.DateOf(e.db.Now()).AddDays(3).String()
	in := map[string]any{"questions": []string{"Are you certified?", "Do you test restores?"}, "expires_on": expires}
	if res, _ := e.api(e.token(l.reader), "POST", path, in); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader: %d", res.StatusCode)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	if res, _ := e.api(e.token(e.member("outsider@example.org", other, isms.RoleCoordinator)), "GET", path, nil); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("another organisation: %d", res.StatusCode)
	}
	tok := e.token(l.coord)
	if res, _ := e.api(tok, "GET", path, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("read before: %d", res.StatusCode)
	}
	res, out := e.api(tok, "POST", path, in)
	token, _ := out["token"].(string)
	if res.StatusCode != http.StatusCreated || !strings.HasPrefix(token, "ismsq_") || out["mailed"] != false {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", path, nil)
	if res.StatusCode != http.StatusOK || out["status"] != "open" || len(out["questions"].([]any)) != 2 || out["token"] != nil {
		t.Fatalf("read: %d %v", res.StatusCode, out)
	}
	supplier := e.anonymous()
	ids := questionField.FindAllStringSubmatch(body(supplier.get("/questionnaire/"+token)), -1)
	form := url.Values{"action": {"submit"}, "respondent_name": {"Ida"}, "respondent_email": {"ida@nordhavn.example"}}
	for _, id := range ids {
		form.Set("answer_"+id[1], "yes")
	}
	if res := supplier.post("/questionnaire/"+token, form); res.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	_, out = e.api(tok, "GET", path, nil)
	version := out["version"].(float64)
	if out["status"] != "submitted" || out["respondent_name"] != "Ida" || out["submitted_at"] == nil {
		t.Fatalf("after submission %v", out)
	}
	res, out = e.api(tok, "POST", path+"/reopen", map[string]any{"expires_on": expires, "version": version})
	if res.StatusCode != http.StatusOK || out["status"] != "open" {
		t.Fatalf("reopen: %d %v", res.StatusCode, out)
	}
	// Past its last day the link is refused with the day it expired.
	e.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 5) }
	res = supplier.get("/questionnaire/" + token)
	if got := body(res); res.StatusCode != http.StatusNotFound || !strings.Contains(got, "This link expired on "+expires) {
		t.Fatalf("expired: %d\n%s", res.StatusCode, got)
	}
	if res, _ := e.api(tok, "DELETE", path, map[string]any{"version": out["version"]}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
}

// Agreements are edited through their form and the API, with the version
// read; a stale form is shown again; a reader may not.
func TestSupplierAgreementEditing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	sup, _ := qnSupervision(t, e, l.coord)
	a, err := e.db.AddSupplierAgreement(e.as(l.coord), e.org.ID, sup.ID, isms.SupplierAgreementInput{Kind: isms.AgreementContract, Title: "Driftsaftale"})
	if err != nil {
		t.Fatal(err)
	}
	o := fmt.Sprintf("/orgs/%d/suppliers/%d", e.org.ID, sup.ID)
	cb := e.login("coord@example.org")
	if got := body(cb.get(o)); !strings.Contains(got, fmt.Sprintf("/agreements/%d/edit", a.ID)) {
		t.Fatalf("no edit link:\n%s", got)
	}
	if got := body(cb.get(fmt.Sprintf("%s/agreements/%d/edit", o, a.ID))); !strings.Contains(got, `value="Driftsaftale"`) {
		t.Fatalf("form:\n%s", got)
	}
	rb := e.login("reader@example.org")
	if res := rb.post(fmt.Sprintf("%s/agreements/%d", o, a.ID), url.Values{"kind": {"dpa"}, "title": {"X"}, "version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader edited: %d", res.StatusCode)
	}
	res := cb.post(fmt.Sprintf("%s/agreements/%d", o, a.ID), url.Values{"kind": {"dpa"}, "title": {"Databehandleraftale"}, "starts_on": {"2026-02-01"},
		"ends_on": {"2026-01-01"}, "version": {"1"}})
	if got := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, `value="Databehandleraftale"`) {
		t.Fatalf("ends before start: %d\n%s", res.StatusCode, got)
	}
	res = cb.post(fmt.Sprintf("%s/agreements/%d", o, a.ID), url.Values{"kind": {"dpa"}, "title": {"Databehandleraftale"}, "version": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.StatusCode, body(res))
	}
	res = cb.post(fmt.Sprintf("%s/agreements/%d", o, a.ID), url.Values{"kind": {"dpa"}, "title": {"Gammel"}, "version": {"1"}})
	if got := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(got, `name="version" value="2"`) {
		t.Fatalf("stale form: %d\n%s", res.StatusCode, got)
	}
	path := fmt.Sprintf("/api/v1/organisations/%d/suppliers/%d/agreements/%d", e.org.ID, sup.ID, a.ID)
	res, out := e.api(e.token(l.coord), "PUT", path, map[string]any{"kind": "contract", "title": "Kontrakt 2026", "review_on": "2026-12-01", "version": 2})
	if res.StatusCode != http.StatusOK || out["title"] != "Kontrakt 2026" || out["version"] != float64(3) {
		t.Fatalf("API edit: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(e.token(l.coord), "PUT", path, map[string]any{"kind": "contract", "title": "Igen", "version": 2}); res.StatusCode != http.StatusConflict {
		t.Fatalf("API stale: %d", res.StatusCode)
	}
}

// Suppliers' staff submitting the questionnaire at once through its
// link, over two server instances on SQLite and PostgreSQL: exactly one
// submission is taken (200), the others are told the answers were
// already submitted (409), and the stored answers are the winner's.
func TestConcurrentQuestionnaireSubmissionsOverHTTP(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			db, servers := twoInstances(t, dialect)
			admin, err := db.CreateUser(context.Background(), "admin@two.example", "Site Admin", testPassword, true)
			if err != nil {
				t.Fatal(err)
			}
			ctx := isms.WithActor(context.Background(), &isms.Actor{UserID: admin.ID, Name: admin.Name, SiteAdmin: true})
			org, err := db.CreateOrganisation(ctx, isms.OrganisationInput{Name: "To instanser"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddMembership(ctx, org.ID, isms.MembershipInput{Email: admin.Email, Role: isms.RoleCoordinator}); err != nil {
				t.Fatal(err)
			}
			sup, err := db.CreateSupplier(ctx, org.ID, isms.SupplierInput{Name: "Nordhavn", Criticality: isms.CriticalityHigh, OwnerID: &admin.ID})
			if err != nil {
				t.Fatal(err)
			}
			day := isms.DateOf(db.Now())
			sv, err := db.CreateSupervision(ctx, org.ID, sup.ID, isms.SupervisionInput{Method: isms.SupervisionQuestionnaire, PlannedOn: &day})
			if err != nil {
				t.Fatal(err)
			}
			until := day.AddDays(5)
			token, q, err := db.CreateQuestionnaire(ctx, org.ID, sv.ID, isms.QuestionnaireInput{Questions: []string{"A?", "B?"}, ExpiresOn: &until})
			if err != nil {
				t.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			post := func(srv *httptest.Server, i int) int {
				form := url.Values{"action": {"submit"}, "respondent_name": {fmt.Sprint("Svarer ", i)}, "respondent_email": {fmt.Sprintf("s%d@nordhavn.example", i)}}
				for _, x := range q.Questions {
					form.Set(fmt.Sprint("answer_", x.ID), "yes")
					form.Set(fmt.Sprint("comment_", x.ID), fmt.Sprint("fra ", i))
				}
				res, err := client.PostForm(srv.URL+"/questionnaire/"+token, form)
				if err != nil {
					t.Error(err)
					return 0
				}
				res.Body.Close()
				return res.StatusCode
			}
			const clients = 12
			var warm sync.WaitGroup
			for i := 0; i < clients; i++ {
				warm.Add(1)
				go func(i int) {
					defer warm.Done()
					if res, err := client.Get(servers[i%2].URL + "/questionnaire/" + token); err == nil {
						res.Body.Close()
					}
				}(i)
			}
			warm.Wait()
			statuses := make([]int, clients)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := 0; i < clients; i++ {
				wg.Add(1)
				go func(i int) { defer wg.Done(); <-start; statuses[i] = post(servers[i%2], i) }(i)
			}
			close(start)
			wg.Wait()
			count := map[int]int{}
			for _, s := range statuses {
				count[s]++
			}
			if count[http.StatusOK] != 1 || count[http.StatusConflict] != clients-1 {
				t.Fatalf("statuses %v", count)
			}
			got, err := db.SupervisionQuestionnaire(ctx, org.ID, sv.ID)
			if err != nil || got.Status != isms.QuestionnaireSubmitted {
				t.Fatalf("%+v %v", got, err)
			}
			winner := strings.TrimPrefix(got.RespondentName, "Svarer ")
			for _, x := range got.Questions {
				if x.Comment != "fra "+winner {
					t.Fatalf("answers mixed: %+v, winner %s", got.Questions, winner)
				}
			}
		})
	}
}
