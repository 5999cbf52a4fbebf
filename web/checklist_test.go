package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// TestChecklistShowsEachQuestionsPath: the checklist page draws each
// question's answer day by day from the daily snapshots, as an image whose
// name says the path in words; the API gives the same answers; the
// progress chart counts them.
func TestChecklistShowsEachQuestionsPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	clock := e.db.Now
	e.db.Now = func() time.Time { return clock().AddDate(0, 0, -1) }
	if n, err := e.db.TakeChecklistSnapshots(ctx); err != nil || n != 1 {
		t.Fatalf("yesterday's snapshot: %d %v", n, err)
	}
	e.db.Now = clock
	// The records change: the organisation states its purpose, and 1.1
	// moves from no to partly.
	o, err := e.db.Organisation(e.as(e.admin), e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.UpdateOrganisation(e.as(e.admin), e.org.ID, isms.OrganisationInput{Name: o.Name, Purpose: "Service to the citizens", Version: o.Version}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.db.TakeChecklistSnapshots(ctx); err != nil || n != 1 {
		t.Fatalf("today's snapshot: %d %v", n, err)
	}
	reader := e.member("reader@example.org", e.org, isms.RoleReader)

	// The API: both days of every question, 1.1 changing.
	base := fmt.Sprintf("/api/v1/organisations/%d/checklist/history/answers", e.org.ID)
	res, out := e.api(e.token(reader), "GET", base+"?days=7", nil)
	list, _ := out["list"].([]any)
	if res.StatusCode != 200 || len(list) != 2*len(catalog.Checklist) {
		t.Fatalf("API: %d, %d answers, want %d", res.StatusCode, len(list), 2*len(catalog.Checklist))
	}
	var days []string
	for _, x := range list {
		a := x.(map[string]any)
		if a["id"] == "1.1" {
			days = append(days, fmt.Sprintf("%s:%s:%s", a["day"], a["status"], a["source"]))
		}
	}
	if len(days) != 2 || !strings.HasSuffix(days[0], ":no:records") || !strings.HasSuffix(days[1], ":partly:records") {
		t.Fatalf("1.1's path through the API: %v", days)
	}
	d1, d2 := strings.Split(days[0], ":")[0], strings.Split(days[1], ":")[0]
	if res, _ := e.api(e.token(reader), "GET", base+"?days=0", nil); res.StatusCode != 422 {
		t.Errorf("days=0: %d, want 422", res.StatusCode)
	}
	other := e.member("other@example.org", mustOtherOrg(e), isms.RoleAdministrator)
	if res, _ := e.api(e.token(other), "GET", base, nil); res.StatusCode != 404 {
		t.Errorf("another organisation's member: %d, want 404", res.StatusCode)
	}

	// The page: one image per question, named by its path in words.
	b := e.login("reader@example.org")
	for lang, want := range map[string]string{
		"en": "The answer day by day over the last 30 days: No from " + d1 + ", Partly from " + d2 + ".",
		"da": "Svaret dag for dag de seneste 30 dage: Nej fra " + d1 + ", Delvist fra " + d2 + ".",
	} {
		b.lang = lang
		html := body(b.get(fmt.Sprintf("/orgs/%d/checklist", e.org.ID)))
		if n := strings.Count(html, `class="answer-path-cells"`); n != len(catalog.Checklist) {
			t.Errorf("%s: %d path images, want %d", lang, n, len(catalog.Checklist))
		}
		m := regexp.MustCompile(`(?s)<svg[^>]*role="img" aria-labelledby="path-q1-1"><title id="path-q1-1">([^<]*)</title>(.*?)</svg>`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("%s: no path image for 1.1", lang)
		}
		if m[1] != want {
			t.Errorf("%s: 1.1's path is named %q, want %q", lang, m[1], want)
		}
		// Thirty cells: two days with a snapshot in the answers' colours,
		// the other days empty.
		cells := strings.Count(m[2], "<rect")
		red := strings.Count(m[2], `fill="#b3261e"`)
		amber := strings.Count(m[2], `fill="#b8860b"`)
		empty := strings.Count(m[2], `fill="none"`)
		if cells != 30 || red != 1 || amber != 1 || empty != 28 {
			t.Errorf("%s: 1.1's cells: %d in all, %d no, %d partly, %d empty", lang, cells, red, amber, empty)
		}
	}

	// The progress chart counts the snapshots: two days of bars.
	svg := body(b.get(fmt.Sprintf("/orgs/%d/checklist/history.svg", e.org.ID)))
	for _, day := range []string{d1, d2} {
		if !strings.Contains(svg, "<title>"+day+" ") {
			t.Errorf("the progress chart has no bar for %s", day)
		}
	}
}
