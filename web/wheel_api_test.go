package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/ismsdk/isms"
)

func TestWheelAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("koordinator@test.example", e.org, isms.RoleCoordinator)
	owner := e.member("ejer@test.example", e.org, isms.RoleContributor)
	mgmt := e.member("direktion@test.example", e.org, isms.RoleManagement)
	reader := e.member("laeser@test.example", e.org, isms.RoleReader)
	other := e.member("fremmed@test.example", mustOtherOrg(e), isms.RoleCoordinator)
	tc, to, tm, tr, tx := e.token(coord), e.token(owner), e.token(mgmt), e.token(reader), e.token(other)
	base := fmt.Sprintf("/api/v1/organisations/%d/wheel", e.org.ID)
	year := isms.DateOf(e.db.Now()).Year()

	// Bad input is refused with the field named, nothing stored.
	res, out := e.api(tc, "POST", base+"/activities", map[string]any{"title": "Politikgennemgang", "record_text": "Godkendt politik",
		"recurrence": "biweekly", "start_date": "2026-02-30", "topics": []string{"policies"}})
	if res.StatusCode != 422 {
		t.Fatalf("bad date: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tc, "POST", base+"/activities", map[string]any{"title": "Politikgennemgang", "record_text": "Godkendt politik",
		"recurrence": "biweekly", "start_date": fmt.Sprintf("%d-02-01", year), "topics": []string{"policies", "coffee"}, "serves": "clause:99"})
	if res.StatusCode != 422 || !strings.Contains(fmt.Sprint(out), "recurrence") || !strings.Contains(fmt.Sprint(out), "topics") ||
		!strings.Contains(fmt.Sprint(out), "serves") || !strings.Contains(fmt.Sprint(out), "coffee") {
		t.Fatalf("bad recurrence and topic: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tc, "GET", base+"/activities", nil)
	if res.StatusCode != 200 || out["total"].(float64) != 0 {
		t.Fatalf("after refusals: %v", out)
	}

	// A coordinator adds a yearly activity; its occurrences are laid out.
	res, out = e.api(tc, "POST", base+"/activities", map[string]any{"title": "Politikgennemgang", "record_text": "Godkendt politik",
		"recurrence": "yearly", "start_date": fmt.Sprintf("%d-01-15", year), "topics": []string{"policies", "roles"}, "serves": "clause:5.2",
		"owner_id": owner.ID})
	if res.StatusCode != 201 {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	actID := int64(out["id"].(float64))
	res, out = e.api(tr, "GET", fmt.Sprintf("%s/occurrences?activity=%d&year=%d", base, actID, year), nil)
	if res.StatusCode != 200 || out["total"].(float64) != 1 {
		t.Fatalf("occurrences: %d %v", res.StatusCode, out)
	}
	occ := out["items"].([]any)[0].(map[string]any)
	occID, occVersion := int64(occ["id"].(float64)), int64(occ["version"].(float64))
	occPath := fmt.Sprintf("%s/occurrences/%d", base, occID)

	// The year plan: submitted by the coordinator, approved by management.
	res, _ = e.api(tr, "POST", fmt.Sprintf("%s/plans/%d/submit", base, year), map[string]any{"note": "x"})
	if res.StatusCode != 403 {
		t.Fatalf("reader submits: %d", res.StatusCode)
	}
	res, out = e.api(tc, "POST", fmt.Sprintf("%s/plans/%d/submit", base, year), map[string]any{"note": "Årsplan"})
	if res.StatusCode != 201 {
		t.Fatalf("submit: %d %v", res.StatusCode, out)
	}
	sum := out["checksum"].(string)
	approve := func(tok string, number int, checksum string) (*http.Response, map[string]any) {
		return e.api(tok, "POST", fmt.Sprintf("%s/plans/%d/approve", base, year), map[string]any{"number": number, "checksum": checksum})
	}
	if res, _ := approve(tc, 1, sum); res.StatusCode != 403 {
		t.Fatalf("coordinator approves: %d", res.StatusCode)
	}
	if res, _ := approve(tm, 1, "0000"); res.StatusCode != 409 {
		t.Fatalf("approve with a wrong checksum: %d", res.StatusCode)
	}
	if res, _ := approve(tm, 2, sum); res.StatusCode != 404 {
		t.Fatalf("approve a version that does not exist: %d", res.StatusCode)
	}
	// The wheel changes after submission: version 1 can no longer be approved.
	res, out = e.api(tc, "POST", base+"/activities", map[string]any{"title": "Awareness-kampagne", "record_text": "Kampagnemateriale",
		"recurrence": "quarterly", "start_date": fmt.Sprintf("%d-03-01", year), "topics": []string{"communication"}})
	if res.StatusCode != 201 {
		t.Fatalf("second activity: %d %v", res.StatusCode, out)
	}
	if res, out := approve(tm, 1, sum); res.StatusCode != 409 || !strings.Contains(out["error"].(map[string]any)["message"].(string), "changed") {
		t.Fatalf("approve an outdated version: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tc, "POST", fmt.Sprintf("%s/plans/%d/submit", base, year), map[string]any{"note": "Med awareness"})
	if res.StatusCode != 201 || out["number"].(float64) != 2 {
		t.Fatalf("submit again: %d %v", res.StatusCode, out)
	}
	sum2 := out["checksum"].(string)
	if res, _ := approve(tm, 1, sum); res.StatusCode != 409 {
		t.Fatalf("approve a superseded version: %d", res.StatusCode)
	}
	if res, out := approve(tm, 2, sum2); res.StatusCode != 200 || out["status"] != "approved" || out["approved_by"].(float64) != float64(mgmt.ID) {
		t.Fatalf("approve: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tr, "GET", fmt.Sprintf("%s/plans/%d", base, year), nil)
	if res.StatusCode != 200 || out["changed_since_approval"] != false || len(out["versions"].([]any)) != 2 {
		t.Fatalf("plan state: %v", out)
	}

	// Completing: not as a reader; not without a result; then as the owner.
	if res, _ := e.api(tr, "POST", occPath+"/complete", map[string]any{"result": "ok", "version": occVersion}); res.StatusCode != 403 {
		t.Fatalf("reader completes: %d", res.StatusCode)
	}
	if res, out := e.api(to, "POST", occPath+"/complete", map[string]any{"result": "", "version": occVersion}); res.StatusCode != 422 ||
		!strings.Contains(fmt.Sprint(out), "result") {
		t.Fatalf("complete without result: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(to, "POST", occPath+"/complete", map[string]any{"result": "ok", "version": occVersion,
		"evidence_path": fmt.Sprintf("/orgs/%d/overview", e.org.ID+1)}); res.StatusCode != 422 || !strings.Contains(fmt.Sprint(out), "another organisation") {
		t.Fatalf("evidence of another organisation: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(to, "POST", occPath+"/complete", map[string]any{"result": "ok", "version": occVersion + 5}); res.StatusCode != 409 {
		t.Fatalf("stale completion: %d", res.StatusCode)
	}
	res, out = e.api(to, "POST", occPath+"/complete", map[string]any{"result": "Politikken er gennemgået", "version": occVersion,
		"evidence_path": fmt.Sprintf("/orgs/%d/scope", e.org.ID), "evidence_ref": "Direktionsmøde 12"})
	if res.StatusCode != 200 || out["status"] != "done" || out["evidence_path"] != "/scope" {
		t.Fatalf("complete: %d %v", res.StatusCode, out)
	}
	// Changing the approved plan marks it changed since approval; the
	// progress shows the activity added.
	res, out = e.api(tc, "POST", base+"/activities", map[string]any{"title": "Leverandørgennemgang", "record_text": "Notat",
		"recurrence": "ad_hoc", "dates": []string{fmt.Sprintf("%d-10-01", year)}, "topics": []string{"resources"}})
	if res.StatusCode != 201 {
		t.Fatalf("third activity: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tr, "GET", fmt.Sprintf("%s/plans/%d", base, year), nil)
	if res.StatusCode != 200 || out["changed_since_approval"] != true {
		t.Fatalf("not marked changed: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tr, "GET", fmt.Sprintf("%s/plans/%d/progress", base, year), nil)
	total := out["total"].(map[string]any)
	if res.StatusCode != 200 || total["done"].(float64) != 1 || len(out["added"].([]any)) != 1 || out["unplanned"].(float64) != 1 {
		t.Fatalf("progress: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tr, "GET", fmt.Sprintf("%s/calendar?year=%d", base, year), nil)
	if res.StatusCode != 200 || len(out["occurrences"].([]any)) != 1+4+1 {
		t.Fatalf("calendar: %d %v", res.StatusCode, out)
	}

	// Another organisation's coordinator gets 404 everywhere.
	for _, c := range []struct{ method, path string }{{"GET", base + "/activities"}, {"GET", fmt.Sprintf("%s/activities/%d", base, actID)},
		{"GET", occPath}, {"POST", occPath + "/reopen"}, {"GET", fmt.Sprintf("%s/plans/%d", base, year)}, {"GET", base + "/calendar"},
		{"POST", base + "/feed"}, {"GET", base + "/reminders"}} {
		var body any
		if c.method == "POST" {
			body = map[string]any{"version": 1}
		}
		if res, _ := e.api(tx, c.method, c.path, body); res.StatusCode != 404 {
			t.Errorf("%s %s by another organisation: %d", c.method, c.path, res.StatusCode)
		}
	}
	// The mail language is the caller's own.
	if res, _ := e.api(tr, "PUT", base+"/preferences", map[string]any{"mail_language": "sv"}); res.StatusCode != 422 {
		t.Fatalf("language sv: %d", res.StatusCode)
	}
	if res, out := e.api(tr, "PUT", base+"/preferences", map[string]any{"mail_language": "en"}); res.StatusCode != 200 || out["mail_language"] != "en" {
		t.Fatalf("language en: %d %v", res.StatusCode, out)
	}
	if _, out := e.api(tc, "GET", base+"/preferences", nil); out["mail_language"] != "da" {
		t.Fatalf("coordinator's language: %v", out)
	}
	// Every operation is in the OpenAPI document.
	res, out = e.api("", "GET", "/api/v1/openapi.json", nil)
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	paths := out["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/organisations/{org}/wheel/activities", "/api/v1/organisations/{org}/wheel/occurrences/{id}/complete",
		"/api/v1/organisations/{org}/wheel/plans/{year}/approve", "/api/v1/organisations/{org}/wheel/feed", "/api/v1/organisations/{org}/wheel/reminders"} {
		if paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}

// TestWheelFeed fetches the calendar feed and reads it twice: with a
// strict check of the RFC 5545 layout written here, and with a standard
// iCalendar parser.
func TestWheelFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("koordinator@test.example", e.org, isms.RoleCoordinator)
	reader := e.member("laeser@test.example", e.org, isms.RoleReader)
	tc, tr := e.token(coord), e.token(reader)
	base := fmt.Sprintf("/api/v1/organisations/%d/wheel", e.org.ID)
	year := isms.DateOf(e.db.Now()).Year()
	title := "Ledelsens evaluering; årlig, med direktionen \\ sikkerhedsudvalget og en meget lang titel der skal foldes pænt æøå ÆØÅ"
	record := "Referat, beslutninger; opfølgning\nog handlingsplan"
	res, out := e.api(tc, "POST", base+"/activities", map[string]any{"title": title, "record_text": record,
		"recurrence": "quarterly", "start_date": fmt.Sprintf("%d-02-10", year), "topics": []string{"improvement", "objectives"}, "owner_id": coord.ID})
	if res.StatusCode != 201 {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}

	// Only coordinators make the secret; it is shown in that answer only.
	if res, _ := e.api(tr, "POST", base+"/feed", nil); res.StatusCode != 403 {
		t.Fatalf("reader makes a feed: %d", res.StatusCode)
	}
	res, out = e.api(tc, "POST", base+"/feed", nil)
	if res.StatusCode != 201 {
		t.Fatalf("feed: %d %v", res.StatusCode, out)
	}
	token := out["token"].(string)
	feedURL := out["url"].(string)
	if !strings.HasSuffix(feedURL, "/feeds/wheel/"+token+".ics") {
		t.Fatalf("url %s", feedURL)
	}
	if _, st := e.api(tc, "GET", base+"/feed", nil); st["active"] != true || strings.Contains(fmt.Sprint(st), token) {
		t.Fatalf("feed state: %v", st)
	}
	fetch := func(path string) (*http.Response, []byte) {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, b
	}
	res, raw := fetch("/feeds/wheel/" + token + ".ics")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	props := strictICalendar(t, raw)
	for _, want := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "END:VCALENDAR"} {
		if !props[want] {
			t.Errorf("feed lacks %s", want)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var name, prodid string
	for _, p := range cal.CalendarProperties {
		switch p.IANAToken {
		case "X-WR-CALNAME":
			name = p.Value
		case "PRODID":
			prodid = p.Value
		}
	}
	if name != "Årshjul · Testkommune" || prodid == "" {
		t.Fatalf("calendar name %q prodid %q", name, prodid)
	}
	events := cal.Events()
	// Two years ahead and one back: 4 quarters in each year from this on.
	if len(events) < 4*3-3 {
		t.Fatalf("%d events", len(events))
	}
	uids := map[string]bool{}
	for _, ev := range events {
		uid := ev.GetProperty(ics.ComponentPropertyUniqueId).Value
		if uids[uid] {
			t.Fatalf("UID %s twice", uid)
		}
		uids[uid] = true
		if got := ev.GetProperty(ics.ComponentPropertySummary).Value; !strings.HasPrefix(got, title) {
			t.Fatalf("summary %q, want the title unescaped", got)
		}
		if got := ev.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(got, record) {
			t.Fatalf("description %q lacks %q", got, record)
		}
		if _, err := ev.GetAllDayStartAt(); err != nil {
			t.Fatalf("DTSTART: %v", err)
		}
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtstamp, ics.ComponentPropertyStatus} {
			if ev.GetProperty(p) == nil {
				t.Fatalf("event lacks %s", p)
			}
		}
		if ev.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["VALUE"][0] != "DATE" {
			t.Fatal("DTSTART is not a DATE")
		}
	}
	// The escaping on the wire.
	if !bytes.Contains(unfold(raw), []byte(`SUMMARY:Ledelsens evaluering\; årlig\, med direktionen \\ sikkerhedsudvalget`)) ||
		!bytes.Contains(unfold(raw), []byte(`Referat\, beslutninger\; opfølgning\nog handlingsplan`)) {
		t.Fatalf("escaping:\n%s", unfold(raw))
	}
	// UIDs are stable across requests, also once an occurrence is done.
	occ, _, _ := e.db.WheelOccurrences(e.as(coord), e.org.ID, isms.OccurrenceFilter{Year: year})
	if _, err := e.db.CompleteOccurrence(e.as(coord), e.org.ID, occ[0].ID, isms.CompletionInput{Result: "Afholdt", Version: occ[0].Version}); err != nil {
		t.Fatal(err)
	}
	_, raw2 := fetch("/feeds/wheel/" + token + ".ics?lang=en")
	cal2, err := ics.ParseCalendar(bytes.NewReader(raw2))
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, ev := range cal2.Events() {
		if !uids[ev.GetProperty(ics.ComponentPropertyUniqueId).Value] {
			t.Fatalf("new UID %s on the second fetch", ev.GetProperty(ics.ComponentPropertyUniqueId).Value)
		}
		if strings.HasSuffix(ev.GetProperty(ics.ComponentPropertySummary).Value, "(Done)") {
			done++
		}
	}
	if len(cal2.Events()) != len(events) || done != 1 {
		t.Fatalf("second fetch: %d events, %d done", len(cal2.Events()), done)
	}

	// Wrong, malformed, rotated and revoked tokens all get 404.
	for _, p := range []string{"/feeds/wheel/" + token[:len(token)-2] + "xx.ics", "/feeds/wheel/" + token, "/feeds/wheel/nothing.ics"} {
		if res, _ := fetch(p); res.StatusCode != 404 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	_, out = e.api(tc, "POST", base+"/feed", nil)
	newToken := out["token"].(string)
	if res, _ := fetch("/feeds/wheel/" + token + ".ics"); res.StatusCode != 404 {
		t.Fatalf("rotated token still works: %d", res.StatusCode)
	}
	if res, _ := fetch("/feeds/wheel/" + newToken + ".ics"); res.StatusCode != 200 {
		t.Fatalf("new token: %d", res.StatusCode)
	}
	if res, _ := e.api(tc, "DELETE", base+"/feed", nil); res.StatusCode != 204 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res, _ := fetch("/feeds/wheel/" + newToken + ".ics"); res.StatusCode != 404 {
		t.Fatalf("revoked token still works: %d", res.StatusCode)
	}
}

// strictICalendar checks the layout of RFC 5545 section 3.1: every line
// ends in CRLF, no line is longer than 75 octets, continuation lines start
// with one space and never split a UTF-8 character; after unfolding every
// line is NAME[;PARAM]:VALUE and components nest properly. It returns the
// unfolded lines.
func strictICalendar(t *testing.T, raw []byte) map[string]bool {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Fatal("the feed does not end in CRLF")
	}
	lines := bytes.Split(raw[:len(raw)-2], []byte("\r\n"))
	folded := 0
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Fatalf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Fatalf("line %d splits a UTF-8 character: %q", i, l)
		}
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			folded++
		}
	}
	if folded == 0 {
		t.Fatal("no line was folded; the test's long title should have been")
	}
	out := map[string]bool{}
	var stack []string
	for _, l := range bytes.Split(unfold(raw), []byte("\r\n")) {
		if len(l) == 0 {
			continue
		}
		s := string(l)
		colon := strings.IndexByte(s, ':')
		if colon <= 0 {
			t.Fatalf("not NAME:VALUE: %q", s)
		}
		name := s[:colon]
		if i := strings.IndexByte(name, ';'); i >= 0 {
			name = name[:i]
		}
		for _, r := range name {
			if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("bad property name %q", name)
			}
		}
		switch name {
		case "BEGIN":
			stack = append(stack, s[colon+1:])
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != s[colon+1:] {
				t.Fatalf("END:%s does not close %v", s[colon+1:], stack)
			}
			stack = stack[:len(stack)-1]
		}
		out[s] = true
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed %v", stack)
	}
	return out
}

func unfold(raw []byte) []byte {
	return bytes.ReplaceAll(raw, []byte("\r\n "), nil)
}

// TestWheelOpenYearRoles: POST …/wheel/years/{year}/open is a write and is
// checked against the role table: coordinators and administrators lay out
// a year, every other role is refused and nothing is laid out; a reader
// still reads the year (as it stands) through the pages and the API.
func TestWheelOpenYearRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coord := e.member("koordinator@test.example", e.org, isms.RoleCoordinator)
	year := isms.DateOf(e.db.Now()).Year()
	start := isms.MonthDay(year, 1, 15)
	if _, err := e.db.CreateWheelActivity(e.as(coord), e.org.ID, isms.ActivityInput{Title: "Politikgennemgang", RecordText: "Godkendt politik",
		Recurrence: isms.RecurYearly, StartDate: &start, OwnerID: &coord.ID}); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/api/v1/organisations/%d/wheel", e.org.ID)
	occurrences := func(y int) float64 {
		t.Helper()
		res, out := e.api(e.token(e.admin), "GET", fmt.Sprintf("%s/occurrences?year=%d", base, y), nil)
		if res.StatusCode != 200 {
			t.Fatalf("occurrences %d: %d %v", y, res.StatusCode, out)
		}
		return out["total"].(float64)
	}
	cases := []struct {
		role isms.Role
		want int
	}{
		{isms.RoleReader, 403}, {isms.RoleAuditor, 403}, {isms.RoleManagement, 403}, {isms.RoleContributor, 403},
		{isms.RoleCoordinator, 200}, {isms.RoleAdministrator, 200},
	}
	y := year + 2 // this year and the next are laid out with the activity
	// Reading a year writes nothing, whoever reads it; the calendar says
	// whether the year is laid out.
	for _, yy := range []int{year, y} {
		res, out := e.api(e.token(e.admin), "GET", fmt.Sprintf("%s/calendar?year=%d", base, yy), nil)
		if res.StatusCode != 200 || out["laid_out"] != (yy == year) {
			t.Errorf("administrator reads %d's calendar: %d laid_out=%v", yy, res.StatusCode, out["laid_out"])
		}
	}
	if n := occurrences(y); n != 0 {
		t.Fatalf("the administrator read %d's calendar and laid it out (%v occurrences)", y, n)
	}
	for _, c := range cases {
		u := e.member(fmt.Sprintf("%s-open@test.example", c.role), e.org, c.role)
		tok := e.token(u)
		res, out := e.api(tok, "POST", fmt.Sprintf("%s/years/%d/open", base, y), nil)
		if res.StatusCode != c.want {
			t.Errorf("%s opens %d: %d %v, want %d", c.role, y, res.StatusCode, out, c.want)
		}
		if c.want != 200 {
			if n := occurrences(y); n != 0 {
				t.Errorf("%s was refused, yet %d has %v occurrences", c.role, y, n)
			}
			// Reading the year's calendar is still theirs, and writes nothing.
			if res, out := e.api(tok, "GET", fmt.Sprintf("%s/calendar?year=%d", base, y), nil); res.StatusCode != 200 {
				t.Errorf("%s reads the calendar of %d: %d %v", c.role, y, res.StatusCode, out)
			}
			if n := occurrences(y); n != 0 {
				t.Errorf("%s read %d's calendar and laid it out (%v occurrences)", c.role, y, n)
			}
			continue
		}
		if out["year"] != float64(y) || out["added"] != float64(1) || occurrences(y) != 1 {
			t.Errorf("%s opens %d: %v, %v occurrences; want 1 added", c.role, y, out, occurrences(y))
		}
		y++
	}
	// A member of another organisation does not even see it.
	other := e.member("fremmed-open@test.example", mustOtherOrg(e), isms.RoleCoordinator)
	if res, _ := e.api(e.token(other), "POST", fmt.Sprintf("%s/years/%d/open", base, y), nil); res.StatusCode != 404 {
		t.Errorf("another organisation's coordinator: %d, want 404", res.StatusCode)
	}
}
