package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// navLinks are the links of a page's side navigation and tabs: for each
// data-element or data-tab value, the link's aria-current ("" when none).
func navLinks(html, attr string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`<a href="[^"]*" ` + attr + `="([^"]+)"(?: aria-current="([^"]+)")?>`)
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// The navigation has one entry per element of the guide, the element and
// tab in view marked for screen readers, and the element's pages as tabs;
// a record page marks its register's tab as "true", not as the page.
func TestNavigationByElement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("coord@example.org", e.org, isms.RoleCoordinator)
	b := e.login("coord@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)

	dash := body(b.get(o))
	side := navLinks(dash, "data-element")
	for _, el := range []string{"dashboard", "context", "leadership", "risk", "communication", "documentation", "wheel", "checklist", "administration"} {
		if _, ok := side[el]; !ok {
			t.Errorf("the side navigation lacks the element %s: %v", el, side)
		}
	}
	if side["dashboard"] != "page" || side["risk"] != "" {
		t.Errorf("on the dashboard, the marks are %v", side)
	}
	if strings.Contains(dash, `class="tabs element-tabs"`) {
		t.Error("the dashboard, in no element, shows an element's tabs")
	}

	heat := body(b.get(o + "/risks/heatmap"))
	if side := navLinks(heat, "data-element"); side["risk"] != "true" || side["dashboard"] != "" {
		t.Errorf("on the heat map, the side navigation's marks are %v", side)
	}
	tabs := navLinks(heat, "data-tab")
	if tabs["/risks/heatmap"] != "page" || tabs["/risks"] != "" || len(tabs) != 9 {
		t.Errorf("on the heat map, the tabs are %v", tabs)
	}
	if !strings.Contains(heat, `<nav class="tabs element-tabs" aria-label="Risk management and SoA">`) {
		t.Error("the risk element's tabs are not named by the element")
	}

	register := body(b.get(o + "/risks"))
	if side := navLinks(register, "data-element"); side["risk"] != "page" {
		t.Errorf("on the register, the element's first page, the risk entry is %q", side["risk"])
	}

	// A page below a tab (here a document requirement's list is its own
	// tab, a document's form is below the register).
	form := body(b.get(o + "/documents/new"))
	if tabs := navLinks(form, "data-tab"); tabs["/documents"] != "true" || tabs["/documents/requirements"] != "" {
		t.Errorf("on a new document's form, the tabs are %v", tabs)
	}
	if side := navLinks(form, "data-element"); side["documentation"] != "true" {
		t.Errorf("on a new document's form, documentation is marked %q", side["documentation"])
	}

	// Danish: the same navigation in the other language.
	b.lang = "da"
	if da := body(b.get(o + "/wheel/list")); !strings.Contains(da, `aria-label="Årshjul"`) || navLinks(da, "data-tab")["/wheel/list"] != "page" {
		t.Error("the annual wheel's tabs in Danish are not named or marked")
	}
}

// Every tab the navigation offers is a page that opens, for a member who
// may do everything, so the navigation never leads to a refusal or a
// missing page.
func TestEveryTabOpens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("coord@example.org", e.org, isms.RoleCoordinator)
	b := e.login("coord@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	seen := map[string]bool{}
	for _, page := range []string{o, o + "/overview", o + "/documents/leadership", o + "/risks", o + "/communication", o + "/documents", o + "/wheel", o + "/checklist", o + "/members"} {
		html := body(b.get(page))
		for _, attr := range []string{"data-element", "data-tab"} {
			re := regexp.MustCompile(`<a href="([^"]*)" ` + attr + `=`)
			for _, m := range re.FindAllStringSubmatch(html, -1) {
				seen[m[1]] = true
			}
		}
	}
	if len(seen) < 30 {
		t.Errorf("the navigation offered %d pages, want every tab of every element", len(seen))
	}
	for path := range seen {
		if res := b.get(path); res.StatusCode != 200 {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
	}
}

// Where the caller has no right to a page, the navigation does not offer
// it: a reader is not offered the risk import, the wheel's calendar feed
// or the settings; a contributor, who creates records, is offered the
// import; an auditor the wheel's reminders. The drawn navigation is kept,
// so each is read after another kind of member has drawn it.
func TestNavigationOffersOnlyWhatTheCallerMayUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("coord@example.org", e.org, isms.RoleCoordinator)
	e.member("contrib@example.org", e.org, isms.RoleContributor)
	e.member("auditor@example.org", e.org, isms.RoleAuditor)
	e.member("reader@example.org", e.org, isms.RoleReader)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	offered := func(who, page string) map[string]string {
		return navLinks(body(e.login(who).get(o+page)), "data-tab")
	}
	cases := []struct {
		who, page, tab string
		want           bool
	}{
		{"coord@example.org", "/risks", "/risk-import", true},
		{"reader@example.org", "/risks", "/risk-import", false},
		{"contrib@example.org", "/risks", "/risk-import", true},
		{"coord@example.org", "/wheel", "/wheel/feed", true},
		{"reader@example.org", "/wheel", "/wheel/feed", false},
		{"auditor@example.org", "/wheel", "/wheel/reminders", true},
		{"reader@example.org", "/wheel", "/wheel/reminders", false},
		{"coord@example.org", "/members", "/settings", true},
		{"reader@example.org", "/members", "/settings", false},
	}
	for _, c := range cases {
		if _, got := offered(c.who, c.page)[c.tab]; got != c.want {
			t.Errorf("%s on %s: %s offered %v, want %v", c.who, c.page, c.tab, got, c.want)
		}
	}
	// A member of another organisation is offered nothing of this one.
	other := mustOrgFor(t, e, "Anden kommune")
	e.member("stranger@example.org", other, isms.RoleCoordinator)
	if res := e.login("stranger@example.org").get(o + "/risks"); res.StatusCode == 200 || strings.Contains(body(res), "data-element") {
		t.Errorf("a member of another organisation sees this one's navigation: status %d", res.StatusCode)
	}
}
