package web_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// TestCrossOrganisationRefused proves that a member of organisation A can
// neither read nor change anything of organisation B, through the UI or the
// API, even by putting B's record ids under A's address.
func TestCrossOrganisationRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entries := e.fill() // in e.org, which plays B
	orgA, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Anden kommune"})
	if err != nil {
		t.Fatal(err)
	}
	alice := e.member("alice@a.example", orgA, isms.RoleAdministrator)
	tok := e.token(alice)
	b := e.login("alice@a.example")
	B, A := e.org.ID, orgA.ID
	entry := entries[0].ID

	for _, p := range []string{
		fmt.Sprintf("/orgs/%d", B), fmt.Sprintf("/orgs/%d/overview", B), fmt.Sprintf("/orgs/%d/overview/entries/%d", B, entry),
		fmt.Sprintf("/orgs/%d/overview/entries/%d/edit", B, entry), fmt.Sprintf("/orgs/%d/scope", B), fmt.Sprintf("/orgs/%d/checklist", B),
		fmt.Sprintf("/orgs/%d/members", B), fmt.Sprintf("/orgs/%d/audit", B), fmt.Sprintf("/orgs/%d/settings", B),
		fmt.Sprintf("/orgs/%d/checklist/history.svg", B),
		fmt.Sprintf("/orgs/%d/overview/entries/%d", A, entry), // B's entry under A's address
	} {
		if res := b.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("UI GET %s: status %d, want 404", p, res.StatusCode)
		}
	}
	for _, p := range []string{
		fmt.Sprintf("/orgs/%d/overview/entries/%d/delete", B, entry), fmt.Sprintf("/orgs/%d/overview/entries/%d/delete", A, entry),
		fmt.Sprintf("/orgs/%d/scope", B), fmt.Sprintf("/orgs/%d/scope/approve", B), fmt.Sprintf("/orgs/%d/members", B),
		fmt.Sprintf("/orgs/%d/settings", B), fmt.Sprintf("/orgs/%d/checklist/1.1", B), fmt.Sprintf("/orgs/%d/overview", B),
	} {
		res := b.post(p, url.Values{"version": {"1"}, "name": {"x"}, "description": {"x"}, "email": {"alice@a.example"}, "role": {"reader"}, "status": {"yes"}, "reason": {"x"}, "kind": {"process"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("UI POST %s: status %d, want 404", p, res.StatusCode)
		}
	}
	api := []struct {
		method, path string
		body         any
	}{
		{"GET", fmt.Sprintf("/api/v1/organisations/%d", B), nil},
		{"PUT", fmt.Sprintf("/api/v1/organisations/%d", B), map[string]any{"name": "Stolen", "version": 1}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/entries", B), nil},
		{"POST", fmt.Sprintf("/api/v1/organisations/%d/entries", B), map[string]any{"kind": "process", "name": "x"}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/entries/%d", B, entry), nil},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/entries/%d", A, entry), nil},
		{"PUT", fmt.Sprintf("/api/v1/organisations/%d/entries/%d", A, entry), map[string]any{"name": "x", "version": 1}},
		{"DELETE", fmt.Sprintf("/api/v1/organisations/%d/entries/%d", B, entry), map[string]any{"version": 1}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/scope", B), nil},
		{"PUT", fmt.Sprintf("/api/v1/organisations/%d/scope", B), map[string]any{"description": "x", "version": 1}},
		{"POST", fmt.Sprintf("/api/v1/organisations/%d/scope/approve", B), map[string]any{"version": 1}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/checklist", B), nil},
		{"PUT", fmt.Sprintf("/api/v1/organisations/%d/checklist/4.1", B), map[string]any{"status": "yes", "reason": "x"}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/checklist/history", B), nil},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/memberships", B), nil},
		{"POST", fmt.Sprintf("/api/v1/organisations/%d/memberships", B), map[string]any{"email": "alice@a.example", "role": "administrator"}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/audit", B), nil},
	}
	for _, c := range api {
		res, body := e.api(tok, c.method, c.path, c.body)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("API %s %s: status %d, want 404 (%v)", c.method, c.path, res.StatusCode, body)
		}
	}
	res, body := e.api(tok, "GET", "/api/v1/organisations", nil)
	if res.StatusCode != 200 || len(body["list"].([]any)) != 1 {
		t.Errorf("alice lists %v, want only her own organisation", body)
	}
	// Nothing of B changed.
	got, err := e.db.OverviewEntry(e.as(e.admin), B, entry)
	if err != nil || got.Version != 1 {
		t.Fatalf("B's entry after the attempts: %+v %v", got, err)
	}
}

// TestRolesThroughTheAPI checks what each role may do with the business
// overview and the scope.
func TestRolesThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entries := e.fill()
	org := e.org.ID
	base := fmt.Sprintf("/api/v1/organisations/%d", org)
	type want struct{ create, editOthers, approve, members, answer int }
	cases := map[isms.Role]want{
		isms.RoleAdministrator: {201, 200, 403, 201, 200},
		isms.RoleCoordinator:   {201, 200, 403, 403, 200},
		isms.RoleContributor:   {201, 403, 403, 403, 403},
		isms.RoleManagement:    {403, 403, 200, 403, 403},
		isms.RoleAuditor:       {403, 403, 403, 403, 403},
		isms.RoleReader:        {403, 403, 403, 403, 403},
	}
	i := 0
	for role, w := range cases {
		i++
		u := e.member(fmt.Sprintf("%s@example.org", role), e.org, role)
		tok := e.token(u)
		// Everyone reads.
		if res, _ := e.api(tok, "GET", base+"/entries", nil); res.StatusCode != 200 {
			t.Errorf("%s read: %d", role, res.StatusCode)
		}
		res, body := e.api(tok, "POST", base+"/entries", map[string]any{"kind": "system", "name": fmt.Sprintf("System %d", i), "owner_id": u.ID})
		if res.StatusCode != w.create {
			t.Errorf("%s create own entry: %d want %d (%v)", role, res.StatusCode, w.create, body)
		}
		cur, _ := e.db.OverviewEntry(e.as(e.admin), org, entries[0].ID)
		res, _ = e.api(tok, "PUT", fmt.Sprintf("%s/entries/%d", base, cur.ID), map[string]any{"name": cur.Name, "status": "active", "version": cur.Version})
		if res.StatusCode != w.editOthers {
			t.Errorf("%s edit another's entry: %d want %d", role, res.StatusCode, w.editOthers)
		}
		sc, _ := e.db.Scope(e.as(e.admin), org)
		res, _ = e.api(tok, "POST", base+"/scope/approve", map[string]any{"version": sc.Version})
		if res.StatusCode != w.approve {
			t.Errorf("%s approve scope: %d want %d", role, res.StatusCode, w.approve)
		}
		other := fmt.Sprintf("other-%s@example.org", role)
		res, _ = e.api(tok, "POST", base+"/invitations", map[string]any{"email": other, "role": "reader"})
		if res.StatusCode != w.members {
			t.Errorf("%s invite member: %d want %d", role, res.StatusCode, w.members)
		}
		res, _ = e.api(tok, "PUT", base+"/checklist/4.1", map[string]any{"status": "partly", "reason": "Budget under review", "version": manualVersion(e, org, "4.1")})
		if res.StatusCode != w.answer {
			t.Errorf("%s answer checklist: %d want %d", role, res.StatusCode, w.answer)
		}
	}
}

func manualVersion(e *env, org int64, q string) int64 {
	answers, _ := e.db.Checklist(e.as(e.admin), org)
	for _, a := range answers {
		if a.QuestionID == q && a.Manual != nil {
			return a.Manual.Version
		}
	}
	return 0
}

func TestContributorEditsOnlyOwnEntries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entries := e.fill()
	c := e.member("c@example.org", e.org, isms.RoleContributor)
	tok := e.token(c)
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	res, body := e.api(tok, "POST", base+"/entries", map[string]any{"kind": "system", "name": "Mit system", "owner_id": c.ID})
	if res.StatusCode != 201 {
		t.Fatalf("create own: %d %v", res.StatusCode, body)
	}
	id := int64(body["id"].(float64))
	if res, _ := e.api(tok, "PUT", fmt.Sprintf("%s/entries/%d", base, id), map[string]any{"name": "Mit system v2", "owner_id": c.ID, "version": 1}); res.StatusCode != 200 {
		t.Errorf("edit own: %d", res.StatusCode)
	}
	// Giving it away is allowed only to someone who could edit the result.
	if res, _ := e.api(tok, "PUT", fmt.Sprintf("%s/entries/%d", base, id), map[string]any{"name": "Mit system", "owner_id": e.admin.ID, "version": 2}); res.StatusCode != 403 {
		t.Errorf("hand over own entry: %d, want 403", res.StatusCode)
	}
	if res, body := e.api(tok, "PUT", fmt.Sprintf("%s/entries/%d", base, entries[0].ID), map[string]any{"name": "x", "version": 1}); res.StatusCode != 403 ||
		!strings.Contains(body["error"].(map[string]any)["message"].(string), "own") {
		t.Errorf("edit another's: %d %v", res.StatusCode, body)
	}
	if res, _ := e.api(tok, "POST", base+"/entries", map[string]any{"kind": "system", "name": "Uden ejer"}); res.StatusCode != 403 {
		t.Errorf("create without owning: %d, want 403", res.StatusCode)
	}
}

func TestAuthenticationRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, body := e.api("", "GET", "/api/v1/organisations", nil)
	if res.StatusCode != 401 || body["error"].(map[string]any)["code"] != "unauthorized" {
		t.Errorf("API without token: %d %v", res.StatusCode, body)
	}
	res, _ = e.api("isms_not-a-token", "GET", "/api/v1/organisations", nil)
	if res.StatusCode != 401 {
		t.Errorf("API with a bad token: %d", res.StatusCode)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, _ := c.Get(fmt.Sprintf("%s/orgs/%d/overview", e.srv.URL, e.org.ID))
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
		t.Errorf("UI without login: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	// A revoked token stops working at once.
	tok, at, _ := e.db.CreateAPIToken(e.as(e.admin), e.admin.ID, "x")
	if res, _ := e.api(tok, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("fresh token: %d", res.StatusCode)
	}
	e.db.DeleteAPIToken(e.as(e.admin), at.ID)
	if res, _ := e.api(tok, "GET", "/api/v1/me", nil); res.StatusCode != 401 {
		t.Errorf("revoked token: %d", res.StatusCode)
	}
}

func TestLoginThrottledAndLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.login("admin@example.org")
	b.post("/logout", nil)
	if res := b.get(fmt.Sprintf("/orgs/%d", e.org.ID)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d, want a redirect to the login", res.StatusCode)
	}
	for i := 0; i < 5; i++ {
		if res := b.post("/login", url.Values{"email": {"admin@example.org"}, "password": {"wrong password!"}}); res.StatusCode != 401 {
			t.Fatalf("failure %d: %d", i, res.StatusCode)
		}
	}
	res := b.post("/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	if html := body(res); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(html, "Too many failed attempts") {
		t.Errorf("sixth attempt: %d", res.StatusCode)
	}
}

func TestCrossSiteFormRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.login("admin@example.org")
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/orgs/%d/settings", e.srv.URL, e.org.ID), strings.NewReader("name=Hacked&version=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := b.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", res.StatusCode)
	}
	if o, _ := e.db.Organisation(e.as(e.admin), e.org.ID); o.Name != "Testkommune" {
		t.Errorf("name changed to %q", o.Name)
	}
}

// TestSecurityHeaders checks the headers' exact values on a page, an API
// answer, an error page and a static file: a strict Content-Security-Policy
// (only this site's own scripts, styles, images and forms; no plugins, no
// <base>, never framed), no content sniffing, no referrer to other sites,
// no framing.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	}
	wantCSP := map[string]string{
		"default-src":     "'self'",
		"script-src":      "'self'",
		"style-src":       "'self'",
		"img-src":         "'self' data:",
		"object-src":      "'none'",
		"base-uri":        "'none'",
		"form-action":     "'self'",
		"frame-ancestors": "'none'",
	}
	login, err := http.Get(e.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	css := regexp.MustCompile(`href="(/static/[^"]+\.css)"`).FindStringSubmatch(body(login))
	if css == nil {
		t.Fatal("the login page links no style sheet")
	}
	for _, path := range []string{"/login", "/api/v1/openapi.json", "/no-such-page", css[1]} {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for h, v := range want {
			if got := res.Header.Values(h); len(got) != 1 || got[0] != v {
				t.Errorf("%s: %s is %q, want %q", path, h, got, v)
			}
		}
		csp := res.Header.Values("Content-Security-Policy")
		if len(csp) != 1 {
			t.Errorf("%s: %d Content-Security-Policy headers, want 1", path, len(csp))
			continue
		}
		got := map[string]string{}
		for _, d := range strings.Split(csp[0], ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			if name == "" {
				continue
			}
			if _, twice := got[name]; twice {
				t.Errorf("%s: CSP directive %s given twice", path, name)
			}
			got[name] = strings.Join(strings.Fields(value), " ")
		}
		for name, v := range wantCSP {
			if got[name] != v {
				t.Errorf("%s: CSP %s is %q, want %q (policy %q)", path, name, got[name], v, csp[0])
			}
		}
		for name := range got {
			if _, ok := wantCSP[name]; !ok {
				t.Errorf("%s: CSP has the unexpected directive %s (policy %q)", path, name, csp[0])
			}
		}
	}
}

// TestGroupOversight: a member of a parent organisation with the oversight
// right reads a child read-only and sees it in the parent's roll-up; a
// member without it sees nothing of the child.
func TestGroupOversight(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	child, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Styrelse", ParentID: &e.org.ID})
	if err != nil {
		t.Fatal(err)
	}
	boss := e.member("boss@example.org", e.org, isms.RoleReader)
	plain := e.member("plain@example.org", e.org, isms.RoleCoordinator)
	ms, _ := e.db.Memberships(e.as(e.admin), e.org.ID)
	for _, m := range ms {
		if m.UserID == boss.ID {
			if _, err := e.db.UpdateMembership(e.as(e.admin), e.org.ID, m.ID, isms.MembershipInput{Role: m.Role, Oversight: true, Version: m.Version}); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := e.login("boss@example.org")
	if html := body(b.get(fmt.Sprintf("/orgs/%d", e.org.ID))); !strings.Contains(html, "Styrelse") {
		t.Error("the parent's dashboard lacks the child in the roll-up")
	}
	if res := b.get(fmt.Sprintf("/orgs/%d/checklist", child.ID)); res.StatusCode != 200 {
		t.Errorf("overseer reads child: %d", res.StatusCode)
	}
	if res, _ := e.api(e.token(boss), "POST", fmt.Sprintf("/api/v1/organisations/%d/entries", child.ID), map[string]any{"kind": "process", "name": "x"}); res.StatusCode != 403 {
		t.Errorf("overseer writes child: %d, want 403", res.StatusCode)
	}
	if res, _ := e.api(e.token(plain), "GET", fmt.Sprintf("/api/v1/organisations/%d/checklist", child.ID), nil); res.StatusCode != 404 {
		t.Errorf("member without oversight reads child: %d, want 404", res.StatusCode)
	}
}

// TestRedirectsStayOnSite: the page a login returns to (next) and the page
// the language switch returns to (back) stay on this site, whatever the
// address says; the Location header is checked as the browser gets it.
func TestRedirectsStayOnSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	noFollow := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, c := range []struct{ next, want string }{
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"/.//evil.example", "/"},
		{fmt.Sprintf("/orgs/%d/risks?level=high", e.org.ID), fmt.Sprintf("/orgs/%d/risks?level=high", e.org.ID)},
	} {
		// The login page carries next into its form, and the form's
		// submission redirects to it.
		c1 := &http.Client{CheckRedirect: noFollow}
		res, err := c1.Get(e.srv.URL + "/login?next=" + url.QueryEscape(c.next))
		if err != nil {
			t.Fatal(err)
		}
		if html := body(res); !strings.Contains(html, `name="next" value="`+template.HTMLEscapeString(c.want)+`"`) {
			t.Errorf("login page for next=%q does not carry %q", c.next, c.want)
		}
		res, err = c1.PostForm(e.srv.URL+"/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}, "next": {c.next}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.want {
			t.Errorf("login with next=%q: %d Location %q, want %q", c.next, res.StatusCode, res.Header.Get("Location"), c.want)
		}
		// The language switch.
		res, err = c1.PostForm(e.srv.URL+"/lang", url.Values{"lang": {"en"}, "back": {c.next}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.want {
			t.Errorf("language switch with back=%q: %d Location %q, want %q", c.next, res.StatusCode, res.Header.Get("Location"), c.want)
		}
	}
}
