package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// Competence needs through the pages: the roles without a need are named
// and offered a link; a need is recorded by form, a refused form names its
// field, and a reader is not offered to edit and is refused.
func TestCompetenceNeedPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login("coord@example.org")
	cb.lang = "en"
	page := body(cb.get(o + "/competence"))
	if !strings.Contains(page, "These security roles have no competence need yet") || !strings.Contains(page, l.roles[0].Name) {
		t.Fatalf("uncovered roles not named:\n%s", page)
	}
	res := cb.post(o+"/competence/needs", url.Values{"role_id": {""}, "function": {""}, "subject": {"GDPR"}, "comp_kind": {"knowledge"}, "level": {"basic"}, "version": {"0"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), "Choose a security role, or write which ISMS function") {
		t.Fatalf("need without role: %d", res.StatusCode)
	}
	res = cb.post(o+"/competence/needs", url.Values{"role_id": {fmt.Sprint(l.roles[0].ID)}, "subject": {"ISO 27001 Lead Implementer"},
		"comp_kind": {"certification"}, "level": {"expert"}, "version": {"0"}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/competence/needs/") {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	need := res.Header.Get("Location")
	got := body(cb.get(need))
	if !strings.Contains(got, "ISO 27001 Lead Implementer") || !strings.Contains(got, "Expert") || !strings.Contains(got, "Certification") {
		t.Fatalf("need page:\n%s", got)
	}
	if !strings.Contains(body(cb.get(need+"/edit")), `value="ISO 27001 Lead Implementer"`) {
		t.Fatal("edit form")
	}
	da := e.login("coord@example.org")
	da.lang = "da"
	if !strings.Contains(body(da.get(o+"/competence")), "Certificering") {
		t.Error("Danish list")
	}

	rb := e.login("reader@example.org")
	list := body(rb.get(o + "/competence"))
	if !strings.Contains(list, "ISO 27001 Lead Implementer") || strings.Contains(list, "/competence/needs/new") {
		t.Error("a reader reads the needs but is not offered to add")
	}
	if res := rb.post(o+"/competence/needs", url.Values{"function": {"Audit"}, "subject": {"X"}, "comp_kind": {"knowledge"}, "level": {"basic"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("reader create: %d", res.StatusCode)
	}
	if res := cb.post(need+"/delete", url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
}

// The competence needs' API: create, a refused field, a stale version,
// another organisation's member refused.
func TestCompetenceNeedAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	base := fmt.Sprintf("/api/v1/organisations/%d/competence-needs", e.org.ID)
	tok := e.token(l.coord)
	res, out := e.api(tok, "POST", base, map[string]any{"role_id": l.roles[0].ID, "subject": "GDPR", "kind": "knowledge", "level": "guru"})
	if res.StatusCode != 422 || !leadHasField(out, "level") {
		t.Fatalf("bad level: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", base, map[string]any{"function": "Intern audit", "subject": "ISO 19011", "kind": "knowledge", "level": "practitioner"})
	if res.StatusCode != 201 || out["function"] != "Intern audit" {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	path := fmt.Sprintf("%s/%v", base, out["id"])
	if res, out := e.api(tok, "GET", base, nil); res.StatusCode != 200 || len(out["list"].([]any)) != 1 {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(tok, "PUT", path, map[string]any{"function": "Intern audit", "subject": "ISO 19011", "kind": "knowledge", "level": "expert", "version": 7}); res.StatusCode != 409 {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	if res, out := e.api(tok, "PUT", path, map[string]any{"function": "Intern audit", "subject": "ISO 19011", "kind": "knowledge", "level": "expert", "version": 1}); res.StatusCode != 200 || out["level"] != "expert" {
		t.Fatalf("update: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(e.token(l.reader), "DELETE", path, map[string]any{"version": 2}); res.StatusCode != 403 {
		t.Fatalf("reader delete: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", path, map[string]any{"version": 2}); res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	outsider := e.member("outsider@example.org", other, "coordinator")
	if res, _ := e.api(e.token(outsider), "GET", path, nil); res.StatusCode != 404 {
		t.Fatalf("other organisation: %d", res.StatusCode)
	}
}

// A reader records their own certification with its expiry and sees it
// marked as expiring; they are not offered to record for others, and a
// refused date names its field.
func TestCompetenceRecordPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	rb := e.login("reader@example.org")
	rb.lang = "en"
	form := body(rb.get(o + "/competence/records/new"))
	if strings.Contains(form, `name="user_id" id=`) || !strings.Contains(form, fmt.Sprintf(`name="user_id" value="%d"`, l.reader.ID)) {
		t.Fatalf("a reader's form must record for themself:\n%s", form)
	}
	soon := isms.DateOf(time.Now()).AddDays(20).String()
	res := rb.post(o+"/competence/records", url.Values{"user_id": {fmt.Sprint(l.reader.ID)}, "subject": {"CISSP"}, "comp_kind": {"certification"},
		"level": {"expert"}, "achieved_on": {"2024-13-01"}, "version": {"0"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d", res.StatusCode)
	}
	res = rb.post(o+"/competence/records", url.Values{"user_id": {fmt.Sprint(l.reader.ID)}, "subject": {"CISSP"}, "comp_kind": {"certification"},
		"level": {"expert"}, "expires_on": {soon}, "version": {"0"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record own: %d %s", res.StatusCode, body(res))
	}
	rec := res.Header.Get("Location")
	if got := body(rb.get(rec)); !strings.Contains(got, "CISSP") || !strings.Contains(got, "expires soon") {
		t.Fatalf("record page:\n%s", got)
	}
	if !strings.Contains(body(rb.get(o+"/competence/people")), "CISSP") {
		t.Error("not in the list")
	}
	if res := rb.post(o+"/competence/records", url.Values{"user_id": {fmt.Sprint(l.coord.ID)}, "subject": {"X"}, "comp_kind": {"knowledge"}, "level": {"basic"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reader recorded for another: %d", res.StatusCode)
	}
	// The coordinator records for anyone, through the API too.
	base := fmt.Sprintf("/api/v1/organisations/%d/competences", e.org.ID)
	if res, out := e.api(e.token(l.coord), "POST", base, map[string]any{"user_id": l.contrib.ID, "subject": "GDPR", "kind": "training", "level": "basic"}); res.StatusCode != 201 || out["user_name"] != l.contrib.Name {
		t.Fatalf("api create: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(e.token(l.coord), "GET", base+fmt.Sprintf("?person=%d", l.contrib.ID), nil); res.StatusCode != 200 || len(out["list"].([]any)) != 1 {
		t.Fatalf("api list: %d %v", res.StatusCode, out)
	}
}

// The matrix shows each role's needs against its holders and names the
// need no holder meets; the API answers the same.
func TestCompetenceMatrixPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	ctx := e.as(l.coord)
	if _, err := e.db.CreateCompetenceNeed(ctx, e.org.ID, isms.CompetenceNeedInput{RoleID: &l.roles[0].ID, Subject: "Ledelse af informationssikkerhed",
		Kind: isms.CompetenceKnowledge, Level: isms.LevelBasic}); err != nil {
		t.Fatal(err)
	}
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	b := e.login("reader@example.org")
	b.lang = "en"
	page := body(b.get(o + "/competence/matrix"))
	if !strings.Contains(page, "No holder meets:") || !strings.Contains(page, "Ledelse af informationssikkerhed") || !strings.Contains(page, "Missing") {
		t.Fatalf("matrix:\n%s", page)
	}
	if _, err := e.db.CreateCompetence(e.as(l.mgmt), e.org.ID, isms.CompetenceInput{UserID: l.mgmt.ID, Subject: "Ledelse af informationssikkerhed",
		Kind: isms.CompetenceTraining, Level: isms.LevelPractitioner}); err != nil {
		t.Fatal(err)
	}
	if page := body(b.get(o + "/competence/matrix")); strings.Contains(page, "No holder meets:") {
		t.Fatal("the matrix did not follow the write")
	}
	res, out := e.api(e.token(l.coord), "GET", fmt.Sprintf("/api/v1/organisations/%d/competence-matrix", e.org.ID), nil)
	if res.StatusCode != 200 || len(out["roles"].([]any)) != 1 {
		t.Fatalf("api: %d %v", res.StatusCode, out)
	}
}

// A gap of the matrix is offered a plan, which a contributor adds for
// themself; the plan then covers the gap.
func TestCompetencePlanPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	need, err := e.db.CreateCompetenceNeed(e.as(l.coord), e.org.ID, isms.CompetenceNeedInput{RoleID: &l.roles[0].ID, Subject: "Ledelse af informationssikkerhed",
		Kind: isms.CompetenceKnowledge, Level: isms.LevelBasic})
	if err != nil {
		t.Fatal(err)
	}
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login("contrib@example.org")
	cb.lang = "en"
	page := body(cb.get(o + "/competence/plans"))
	add := fmt.Sprintf("/competence/plans/new?need=%d&amp;person=%d", need.ID, l.mgmt.ID)
	if !strings.Contains(page, "Gaps without an open plan") || !strings.Contains(page, add) {
		t.Fatalf("gap not offered:\n%s", page)
	}
	if res := cb.post(o+"/competence/plans", url.Values{"need_id": {fmt.Sprint(need.ID)}, "user_id": {fmt.Sprint(l.mgmt.ID)}, "action": {""},
		"owner_id": {fmt.Sprint(l.contrib.ID)}, "due_on": {"2030-01-01"}, "version": {"0"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no action: %d", res.StatusCode)
	}
	res := cb.post(o+"/competence/plans", url.Values{"need_id": {fmt.Sprint(need.ID)}, "user_id": {fmt.Sprint(l.mgmt.ID)}, "action": {"Lederkursus"},
		"owner_id": {fmt.Sprint(l.contrib.ID)}, "due_on": {"2030-01-01"}, "version": {"0"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	if got := body(cb.get(res.Header.Get("Location"))); !strings.Contains(got, "Lederkursus") || !strings.Contains(got, "Ledelse af informationssikkerhed") {
		t.Fatalf("plan page:\n%s", got)
	}
	if strings.Contains(body(cb.get(o+"/competence/plans")), "Gaps without an open plan") {
		t.Error("the planned gap is still offered")
	}
	if res, out := e.api(e.token(l.coord), "GET", fmt.Sprintf("/api/v1/organisations/%d/competence-plans", e.org.ID), nil); res.StatusCode != 200 || len(out["list"].([]any)) != 1 {
		t.Fatalf("api: %d %v", res.StatusCode, out)
	}
}
