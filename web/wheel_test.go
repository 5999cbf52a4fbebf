package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// wheelUntranslated also catches the wheel's own keys and the topics.
var wheelUntranslated = regexp.MustCompile(`\b(wheel|topic|ui|title|nav|field|status|action|record|err|flash)\.[a-z_0-9.]+[a-z0-9]\b`)

// fillWheel records a few activities, completes one occurrence and
// submits the year plan.
func (e *env) fillWheel(owner *isms.User) (*isms.Activity, *isms.Occurrence) {
	e.t.Helper()
	ctx := e.as(e.admin)
	today := isms.DateOf(e.db.Now())
	start := today.AddDays(-40)
	rd := 7
	a, err := e.db.CreateWheelActivity(ctx, e.org.ID, isms.ActivityInput{Title: "Ledelsens evaluering", RecordText: "Referat, beslutninger; opfølgning",
		Recurrence: isms.RecurQuarterly, StartDate: &start, OwnerID: &owner.ID, Serves: "clause:9.3", RemindDays: &rd,
		Topics: []string{"objectives", "improvement", "resources"}, Description: "Ledelsen gennemgår ISMS'et."})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.CreateWheelActivity(ctx, e.org.ID, isms.ActivityInput{Title: "Ekstraordinær risikovurdering", RecordText: "Risikoregister",
		Recurrence: isms.RecurAdHoc, Dates: []isms.Date{today.AddDays(20)}, Serves: "guide:2.3", Topics: []string{"objectives"}}); err != nil {
		e.t.Fatal(err)
	}
	occ, _, err := e.db.WheelOccurrences(ctx, e.org.ID, isms.OccurrenceFilter{ActivityID: a.ID, Year: start.Year()})
	if err != nil || len(occ) == 0 {
		e.t.Fatal(occ, err)
	}
	done, err := e.db.CompleteOccurrence(ctx, e.org.ID, occ[0].ID, isms.CompletionInput{Result: "Gennemført", EvidencePath: "/overview", Version: occ[0].Version})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.SubmitYearPlan(ctx, e.org.ID, today.Year(), "Første udkast"); err != nil {
		e.t.Fatal(err)
	}
	return a, done
}

func TestWheelPagesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("koordinator@test.example", e.org, isms.RoleCoordinator)
	owner := e.member("ejer@test.example", e.org, isms.RoleContributor)
	a, done := e.fillWheel(owner)
	b := e.login(coord.Email)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	year := isms.DateOf(e.db.Now()).Year()
	pages := []string{o + "/wheel", fmt.Sprintf("%s/wheel?year=%d", o, year+1), o + "/wheel/list", o + "/wheel/list?status=overdue&sort=-activity",
		o + "/wheel/activities", o + "/wheel/activities?topic=objectives&sort=owner", o + "/wheel/activities/new",
		fmt.Sprintf("%s/wheel/activities/%d", o, a.ID), fmt.Sprintf("%s/wheel/activities/%d/edit", o, a.ID),
		fmt.Sprintf("%s/wheel/occurrences/%d", o, done.ID), fmt.Sprintf("%s/wheel/occurrences/%d", o, done.ID+1),
		o + "/wheel/plan", o + "/wheel/topics", o + "/wheel/feed", o + "/wheel/reminders", o}
	b.pagesRender(t, pages, wheelUntranslated)
	// The wheel is drawn on the server, accessibly, with a table beside it.
	b.lang = "da"
	html := body(b.get(o + "/wheel"))
	for _, want := range []string{`<svg`, `role="img"`, `aria-labelledby="wheel-title wheel-desc"`, `<desc id="wheel-desc">`, `<th scope="row">januar</th>`,
		"Ledelsens evaluering", fmt.Sprintf(`href="%s/wheel/occurrences/%d"`, o, done.ID)} {
		if !strings.Contains(html, want) {
			t.Errorf("wheel page lacks %q", want)
		}
	}
	// The dashboard lists what is due.
	if html := body(b.get(o)); !strings.Contains(html, "Ekstraordinær risikovurdering") {
		t.Error("the dashboard does not list the occurrence due soon")
	}
	// The workbook has the two sheets.
	res := b.get(o + "/wheel/export.xlsx")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	body(res)
}

func TestWheelFormsRefuseBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("koordinator@test.example", e.org, isms.RoleCoordinator)
	owner := e.member("ejer@test.example", e.org, isms.RoleContributor)
	other := e.member("fremmed@test.example", mustOtherOrg(e), isms.RoleCoordinator)
	a, done := e.fillWheel(owner)
	b := e.login(coord.Email)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	events := func() int {
		_, n, err := e.db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := events()
	// A bad activity form is shown again with its errors, nothing stored.
	res := b.post(o+"/wheel/activities", url.Values{"title": {"Awareness"}, "record_text": {""}, "recurrence": {"every_n_months"},
		"interval_months": {"0"}, "start_date": {"2026-13-01"}, "topics": {"policies", "weather"}, "version": {"0"}})
	html := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad activity: %d", res.StatusCode)
	}
	for _, want := range []string{`id="e-start_date">`, `aria-invalid="true"`, `value="Awareness"`} {
		if !strings.Contains(html, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}
	res = b.post(o+"/wheel/activities", url.Values{"title": {"Awareness"}, "record_text": {""}, "recurrence": {"every_n_months"},
		"interval_months": {"0"}, "start_date": {"2026-03-01"}, "topics": {"policies", "weather"}, "version": {"0"}})
	html = body(res)
	for _, want := range []string{`id="e-record_text">`, `id="e-interval_months">`, `id="e-topics">`, "weather"} {
		if !strings.Contains(html, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}
	// A stale edit is a conflict.
	res = b.post(fmt.Sprintf("%s/wheel/activities/%d", o, a.ID), url.Values{"title": {"Ny titel"}, "record_text": {"x"}, "recurrence": {"yearly"},
		"start_date": {"2026-05-01"}, "version": {fmt.Sprint(a.Version + 1)}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale edit: %d", res.StatusCode)
	}
	body(res)
	// Completion without a result, and evidence of another organisation.
	occ, _, _ := e.db.WheelOccurrences(e.as(e.admin), e.org.ID, isms.OccurrenceFilter{Status: "open", ActivityID: a.ID})
	res = b.post(fmt.Sprintf("%s/wheel/occurrences/%d/complete", o, occ[0].ID), url.Values{"result": {""},
		"evidence_path": {fmt.Sprintf("/orgs/%d/overview", e.org.ID+1)}, "version": {fmt.Sprint(occ[0].Version)}})
	html = body(res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-result">`) || !strings.Contains(html, `id="e-evidence_path">`) {
		t.Fatalf("bad completion: %d", res.StatusCode)
	}
	if events() != before {
		t.Fatal("refused forms wrote audit events")
	}
	// The other organisation's coordinator gets 404 on every page.
	ob := e.login(other.Email)
	for _, p := range []string{o + "/wheel", o + "/wheel/list", o + "/wheel/activities", fmt.Sprintf("%s/wheel/activities/%d", o, a.ID),
		fmt.Sprintf("%s/wheel/occurrences/%d", o, done.ID), o + "/wheel/plan", o + "/wheel/topics", o + "/wheel/feed", o + "/wheel/reminders",
		o + "/wheel/export.xlsx"} {
		res := ob.get(p)
		body(res)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s for another organisation's member: %d", p, res.StatusCode)
		}
	}
	res = ob.post(fmt.Sprintf("%s/wheel/occurrences/%d/reopen", o, done.ID), url.Values{"version": {fmt.Sprint(done.Version)}})
	body(res)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("reopen by another organisation's member: %d", res.StatusCode)
	}
	// A reader sees the wheel but not the feed or the mail log.
	reader := e.member("laeser@test.example", e.org, isms.RoleReader)
	rb := e.login(reader.Email)
	for p, want := range map[string]int{o + "/wheel": 200, o + "/wheel/feed": 403, o + "/wheel/reminders": 403} {
		res := rb.get(p)
		body(res)
		if res.StatusCode != want {
			t.Errorf("reader %s: %d, want %d", p, res.StatusCode, want)
		}
	}
}

func mustOtherOrg(e *env) *isms.Organisation {
	e.t.Helper()
	o, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Nabokommune"})
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// TestWheelYearLaidOutOnRequest: showing a year not laid out writes
// nothing, for any role; the pages say so, and offer the coordinator a
// button that lays it out.
func TestWheelYearLaidOutOnRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("koordinator@test.example", e.org, isms.RoleCoordinator)
	reader := e.member("laeser@test.example", e.org, isms.RoleReader)
	e.fillWheel(coord)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	far := isms.DateOf(e.db.Now()).Year() + 3 // this year and the next are laid out with the activities
	occurrences := func() int {
		t.Helper()
		_, n, err := e.db.WheelOccurrences(e.as(e.admin), e.org.ID, isms.OccurrenceFilter{Year: far})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	events := func() int {
		t.Helper()
		_, n, err := e.db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := events()
	button := fmt.Sprintf(`action="%s/wheel/years/%d/open"`, o, far)
	notice := fmt.Sprintf("not laid out for %d yet", far)
	cb, rb := e.login(coord.Email), e.login(reader.Email)
	for _, p := range []string{"/wheel", "/wheel/list", "/wheel/plan"} {
		path := fmt.Sprintf("%s%s?year=%d", o, p, far)
		html := body(cb.get(path))
		if !strings.Contains(html, button) || !strings.Contains(html, notice) {
			t.Errorf("coordinator's %s does not offer to lay out %d", p, far)
		}
		html = body(rb.get(path))
		if strings.Contains(html, button) || !strings.Contains(html, notice) {
			t.Errorf("reader's %s: the notice without the button expected", p)
		}
	}
	if n, ev := occurrences(), events(); n != 0 || ev != before {
		t.Fatalf("showing %d wrote %d occurrences and %d audit events", far, n, ev-before)
	}
	// A reader's request to lay it out is refused; the coordinator's lays it
	// out and goes back to the page it came from.
	res := rb.post(fmt.Sprintf("%s/wheel/years/%d/open", o, far), url.Values{"back": {"list"}})
	body(res)
	if res.StatusCode != http.StatusForbidden || occurrences() != 0 {
		t.Fatalf("reader lays out: %d", res.StatusCode)
	}
	res = cb.post(fmt.Sprintf("%s/wheel/years/%d/open", o, far), url.Values{"back": {"list"}})
	body(res)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("%s/wheel/list?year=%d", o, far) {
		t.Fatalf("coordinator lays out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if occurrences() == 0 || events() != before+1 {
		t.Fatalf("laid out: %d occurrences, %d events", occurrences(), events()-before)
	}
	if html := body(cb.get(fmt.Sprintf("%s/wheel?year=%d", o, far))); strings.Contains(html, button) || strings.Contains(html, notice) {
		t.Error("a laid-out year still offers to be laid out")
	}
}
