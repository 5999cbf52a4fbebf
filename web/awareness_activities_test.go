package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// The awareness programme through the pages: a refused form names its
// field; an activity for a role, with an own theme and a new yearly wheel
// activity, is shown with its target named, its wheel activity and its
// participation link; the year's coverage names the guide's themes
// without an activity; "mark as held"; a reader reads but may not add;
// another organisation is refused.
func TestAwarenessActivityPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login("coord@example.org")
	page := body(cb.get(o + "/awareness"))
	if !strings.Contains(page, "No activities match the filter") || !strings.Contains(page, "Reporting security incidents, Handling physical and digital information, Remote work") {
		t.Fatalf("empty programme:\n%s", page)
	}
	form := body(cb.get(o + "/awareness/activities/new"))
	if !strings.Contains(form, `name="themes" value="remote_work"`) || !strings.Contains(form, `<option value="new"`) || !strings.Contains(form, l.roles[2].Name) {
		t.Fatalf("form:\n%s", form)
	}
	start := isms.DateOf(e.db.Now()).AddDays(-10).String()
	good := url.Values{"title": {"Workshop om adgangsstyring"}, "themes": {"incident_reporting"}, "own_theme": {"Adgangsstyring"},
		"channel": {"meeting"}, "target": {"roles"}, "role_ids": {fmt.Sprint(l.roles[2].ID)}, "starts_on": {start}, "owner_id": {fmt.Sprint(l.coord.ID)},
		"wheel_activity_id": {"new"}, "wheel_recurrence": {"yearly"}, "wheel_record_text": {"Workshoppen er holdt"}, "status": {"planned"}, "version": {"0"}}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Del("themes")
	bad.Del("own_theme")
	res := cb.post(o+"/awareness/activities", bad)
	if got := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "Choose at least one theme") || !strings.Contains(got, `value="Workshop om adgangsstyring"`) {
		t.Fatalf("no theme: %d\n%s", res.StatusCode, got)
	}
	res = cb.post(o+"/awareness/activities", good)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/awareness/activities/") {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	rec := res.Header.Get("Location")
	got := body(cb.get(rec))
	for _, want := range []string{"Workshop om adgangsstyring", "Reporting security incidents, Adgangsstyring", "Roles: " + l.roles[2].Name,
		"Meeting or workshop", "0 participations recorded", "/awareness/participation?activity=", "Yearly", "Next", "Mark as held"} {
		if !strings.Contains(got, want) {
			t.Fatalf("record page lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(body(cb.get(rec+"/edit")), `value="Adgangsstyring"`) {
		t.Fatal("the edit form does not show the own theme")
	}
	page = body(cb.get(o + "/awareness"))
	if !strings.Contains(page, "Workshop om adgangsstyring") || !strings.Contains(page, "Handling physical and digital information, Remote work.") {
		t.Fatalf("programme:\n%s", page)
	}
	if !strings.Contains(body(cb.get(o+"/awareness?theme=phishing")), "No activities match the filter") {
		t.Error("the theme filter")
	}
	// Mark as held, on a day in the future: refused, naming the field.
	a, err := e.db.AwarenessActivities(e.as(l.coord), e.org.ID, isms.AwarenessActivityFilter{})
	if err != nil || len(a) != 1 {
		t.Fatalf("%v %v", a, err)
	}
	if a[0].WheelActivityID == nil || !strings.Contains(page, fmt.Sprintf("%s/wheel/activities/%d\"", o, *a[0].WheelActivityID)) {
		t.Fatalf("the programme does not link the wheel activity %v:\n%s", a[0].WheelActivityID, page)
	}
	future := isms.DateOf(e.db.Now()).AddDays(3).String()
	if res := cb.post(rec+"/held", url.Values{"version": {fmt.Sprint(a[0].Version)}, "held_on": {future}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("held in the future: %d", res.StatusCode)
	}
	if res := cb.post(rec+"/held", url.Values{"version": {fmt.Sprint(a[0].Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("held: %d %s", res.StatusCode, body(res))
	}
	if got := body(cb.get(rec)); !strings.Contains(got, `badge a-yes">Held`) {
		t.Fatalf("held record:\n%s", got)
	}
	da := e.login("coord@example.org")
	da.lang = "da"
	if !strings.Contains(body(da.get(o+"/awareness")), "Møde eller workshop") {
		t.Error("Danish programme")
	}

	rb := e.login("reader@example.org")
	if list := body(rb.get(o + "/awareness")); !strings.Contains(list, "Workshop om adgangsstyring") || strings.Contains(list, "/awareness/activities/new") {
		t.Error("a reader reads the programme but is not offered to add")
	}
	if res := rb.post(o+"/awareness/activities", good); res.StatusCode != http.StatusForbidden {
		t.Errorf("reader create: %d", res.StatusCode)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	e.member("outsider@example.org", other, isms.RoleCoordinator)
	ob := e.login("outsider@example.org")
	if res := ob.get(rec); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Errorf("another organisation's member read the activity: %d", res.StatusCode)
	}
	a, _ = e.db.AwarenessActivities(e.as(l.coord), e.org.ID, isms.AwarenessActivityFilter{})
	if res := cb.post(rec+"/delete", url.Values{"version": {fmt.Sprint(a[0].Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
}

// The programme's API: create with a new wheel activity, list by year,
// read with where the wheel activity stands, a stale version refused, a
// reader refused, another organisation not found.
func TestAwarenessActivityAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	base := fmt.Sprintf("/api/v1/organisations/%d/awareness-activities", e.org.ID)
	tok := e.token(l.coord)
	start := isms.DateOf(e.db.Now()).String()
	in := map[string]any{"title": "Nyhedsbrev", "themes": []string{"phishing"}, "channel": "email", "target": "all_staff", "starts_on": start,
		"owner_id": l.coord.ID, "new_wheel_activity": map[string]any{"recurrence": "quarterly", "record_text": "Udsendt"}}
	res, out := e.api(tok, "POST", base, map[string]any{"title": "X", "themes": []string{"phishing"}, "channel": "pigeon", "target": "all_staff", "starts_on": start})
	if res.StatusCode != 422 || !leadHasField(out, "channel") {
		t.Fatalf("bad channel: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", base, in)
	if res.StatusCode != 201 || out["wheel_activity_id"] == nil || out["rhythm"] == nil {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	path := fmt.Sprintf("%s/%v", base, out["id"])
	// A phishing exercise's result is shown in words on its page.
	res, ph := e.api(tok, "POST", base, map[string]any{"title": "Phishing-øvelse", "themes": []string{"phishing"}, "channel": "phishing_exercise",
		"target": "all_staff", "starts_on": start, "status": "held", "held_on": start, "exercise_sent": 400, "exercise_clicked": 48, "exercise_reported": 130})
	if res.StatusCode != 201 {
		t.Fatalf("phishing exercise: %d %v", res.StatusCode, ph)
	}
	cb := e.login("coord@example.org")
	if got := body(cb.get(fmt.Sprintf("/orgs/%d/awareness/activities/%v", e.org.ID, ph["id"]))); !strings.Contains(got, "400 received it · 48 clicked · 130 reported it") {
		t.Fatalf("phishing result:\n%s", got)
	}
	if res, _ := e.api(tok, "DELETE", fmt.Sprintf("%s/%v", base, ph["id"]), map[string]any{"version": 1}); res.StatusCode != 204 {
		t.Fatalf("delete the exercise: %d", res.StatusCode)
	}
	if res, out := e.api(tok, "GET", base+"?year=all", nil); res.StatusCode != 200 || len(out["list"].([]any)) != 1 {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", base+"?year=1999", nil); res.StatusCode != 422 || !leadHasField(out, "year") {
		t.Fatalf("bad year: %d %v", res.StatusCode, out)
	}
	res, out = e.api(e.token(l.reader), "GET", path, nil)
	if rh, _ := out["rhythm"].(map[string]any); res.StatusCode != 200 || rh == nil || rh["next_due"] == nil || out["participations"] != float64(0) {
		t.Fatalf("read: %d %v", res.StatusCode, out)
	}
	in["version"], in["status"] = 7, "running"
	delete(in, "new_wheel_activity")
	if res, _ := e.api(tok, "PUT", path, in); res.StatusCode != 409 {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	in["version"] = 1
	if res, _ := e.api(e.token(l.reader), "PUT", path, in); res.StatusCode != 403 {
		t.Fatalf("reader update: %d", res.StatusCode)
	}
	if res, out := e.api(tok, "PUT", path, in); res.StatusCode != 200 || out["status"] != "running" || out["wheel_activity_id"] != nil {
		t.Fatalf("update: %d %v", res.StatusCode, out)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	outsider := e.member("outsider@example.org", other, isms.RoleCoordinator)
	if res, _ := e.api(e.token(outsider), "GET", path, nil); res.StatusCode != 404 {
		t.Fatalf("other organisation: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", path, map[string]any{"version": 2}); res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
}
