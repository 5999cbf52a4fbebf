package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// anonymous is a browser that has not logged in.
func (e *env) anonymous() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, lang: "en"}
}

func (e *env) loginWith(email, password string) (*browser, *http.Response) {
	b := e.anonymous()
	return b, b.post("/login", url.Values{"email": {email}, "password": {password}})
}

// pwRules checks that a page states the password rules before submitting,
// next to the field, in an element that exists when the page loads.
func pwRules(t *testing.T, page, html string) {
	t.Helper()
	if !strings.Contains(html, `<p class="help" id="pw-rules">At least 10 characters.`) {
		t.Errorf("%s: no password rules shown", page)
	}
	if !regexp.MustCompile(`<input id="f-(new_)?password" [^>]*aria-describedby="pw-rules `).MatchString(html) {
		t.Errorf("%s: the password field does not point to the rules", page)
	}
}

func TestUsersPagesOnlyForSiteAdministrators(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
	victim := e.member("victim@example.org", e.org, isms.RoleReader)
	org := e.login("orgadmin@example.org")
	for _, p := range []string{"/users", fmt.Sprintf("/users/%d", victim.ID)} {
		if res := org.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("organisation administrator GET %s: %d, want 403", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/users", fmt.Sprintf("/users/%d", victim.ID), fmt.Sprintf("/users/%d/active", victim.ID), fmt.Sprintf("/users/%d/password", victim.ID)} {
		res := org.post(p, url.Values{"email": {"made@example.org"}, "name": {"Made"}, "password": {testPassword}, "password2": {testPassword},
			"site_admin": {"on"}, "active": {"0"}, "version": {"1"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("organisation administrator POST %s: %d, want 403", p, res.StatusCode)
		}
	}
	if _, err := e.db.UserByEmail(context.Background(), "made@example.org"); isms.ErrorCode(err) != isms.ENotFound {
		t.Errorf("a refused request made a user: %v", err)
	}
	if u, _ := e.db.Account(e.as(e.admin), victim.ID); !u.Active || u.SiteAdmin || u.Version != 1 {
		t.Errorf("a refused request changed the victim: %+v", u)
	}
	// The top bar links to the users page for site administrators only.
	if strings.Contains(body(org.get("/account")), `href="/users"`) {
		t.Error("the organisation administrator is shown the users page")
	}
	admin := e.login("admin@example.org")
	if !strings.Contains(body(admin.get("/account")), `href="/users"`) {
		t.Error("the site administrator is not shown the users page")
	}
	for _, lang := range []string{"da", "en"} {
		admin.lang = lang
		for _, p := range []string{"/users", "/users?state=deactivated&q=x&sort=-email", fmt.Sprintf("/users/%d", victim.ID)} {
			res := admin.get(p)
			html := body(res)
			if res.StatusCode != 200 {
				t.Errorf("%s %s: %d", lang, p, res.StatusCode)
			}
			if m := untranslated.FindString(stripAttrs(html)); m != "" {
				t.Errorf("%s %s: untranslated key %q", lang, p, m)
			}
			if lang == "en" && !strings.Contains(p, "q=x") {
				pwRules(t, p, html)
			}
		}
	}
}

func TestSiteAdministratorManagesUsersInTheUI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.login("admin@example.org")
	form := url.Values{"name": {"Jens Hansen"}, "email": {"jens@example.org"}, "password": {testPassword}, "password2": {"something else"}}
	res := admin.post("/users", form)
	if html := body(res); res.StatusCode != 422 || !strings.Contains(html, "The two new passwords differ") || !strings.Contains(html, `value="jens@example.org"`) {
		t.Fatalf("differing passwords: %d", res.StatusCode)
	}
	form.Set("password", "short")
	form.Set("password2", "short")
	if res := admin.post("/users", form); res.StatusCode != 422 || !strings.Contains(body(res), "at least 10 characters") {
		t.Fatalf("short password: %d", res.StatusCode)
	}
	form.Set("password", testPassword)
	form.Set("password2", testPassword)
	res = admin.post("/users", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/users/") {
		t.Fatalf("create: %d %s", res.StatusCode, body(res))
	}
	page := res.Header.Get("Location")
	jens, err := e.db.UserByEmail(context.Background(), "jens@example.org")
	if err != nil || jens.Name != "Jens Hansen" || jens.SiteAdmin {
		t.Fatalf("created %+v %v", jens, err)
	}
	if _, err := e.db.AddMembership(e.as(e.admin), e.org.ID, isms.MembershipInput{Email: jens.Email, Role: isms.RoleCoordinator}); err != nil {
		t.Fatal(err)
	}
	jb := e.login("jens@example.org")

	// Deactivate: his open session ends at once, his login fails like a
	// wrong password, and his name shows as a former user's.
	if res := admin.post(page+"/active", url.Values{"active": {"0"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %s", res.StatusCode, body(res))
	}
	if res := jb.get("/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("deactivated user's session: %d", res.StatusCode)
	}
	_, wrong := e.loginWith("jens@example.org", "not the password")
	_, right := e.loginWith("jens@example.org", testPassword)
	if right.StatusCode != wrong.StatusCode || !strings.Contains(body(right), "Wrong e-mail or password") || !strings.Contains(body(wrong), "Wrong e-mail or password") {
		t.Errorf("deactivated login: %d, wrong password: %d", right.StatusCode, wrong.StatusCode)
	}
	members := body(admin.get(fmt.Sprintf("/orgs/%d/members", e.org.ID)))
	if !strings.Contains(members, "Jens Hansen (former user)") {
		t.Error("the member list does not mark the former user")
	}
	if html := body(admin.get(page)); !strings.Contains(html, "Deactivated") || !strings.Contains(html, `id="reactivate"`) {
		t.Error("the user's page does not show the deactivation")
	}
	// A stale form is refused and says so.
	if res := admin.post(page+"/active", url.Values{"active": {"1"}, "version": {"1"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("stale reactivation: %d", res.StatusCode)
	}
	if res := admin.post(page+"/active", url.Values{"active": {"1"}, "version": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", res.StatusCode)
	}
	if _, res := e.loginWith("jens@example.org", testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after reactivation: %d", res.StatusCode)
	}
	// Rename and promote, then reset his password.
	if res := admin.post(page, url.Values{"name": {"Jens P. Hansen"}, "site_admin": {"on"}, "version": {"3"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d %s", res.StatusCode, body(res))
	}
	res = admin.post(page+"/password", url.Values{"password": {"short"}, "password2": {"short"}, "version": {"4"}})
	if html := body(res); res.StatusCode != 422 || !strings.Contains(html, "at least 10 characters") {
		t.Fatalf("short reset: %d", res.StatusCode)
	}
	if res := admin.post(page+"/password", url.Values{"password": {"a new long passphrase"}, "password2": {"a new long passphrase"}, "version": {"4"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if _, res := e.loginWith("jens@example.org", "a new long passphrase"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the reset password: %d", res.StatusCode)
	}
	html := body(admin.get(page))
	for _, want := range []string{"Jens P. Hansen", "password reset", "reactivated", "deactivated", "created"} {
		if !strings.Contains(html, want) {
			t.Errorf("user page lacks %q", want)
		}
	}
	// The last site administrator cannot demote themselves.
	res = admin.post(fmt.Sprintf("/users/%d", e.admin.ID), url.Values{"name": {"Site Admin"}, "version": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demoting one of two site administrators: %d %s", res.StatusCode, body(res))
	}
	jensAdmin, _ := e.loginWith("jens@example.org", "a new long passphrase")
	res = jensAdmin.post(page, url.Values{"name": {"Jens P. Hansen"}, "version": {"5"}})
	if html := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(html, "last active site administrator") {
		t.Fatalf("demoting the last site administrator: %d", res.StatusCode)
	}
}

func TestUsersAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.admin)
	res, out := e.api(tok, "POST", "/api/v1/users", map[string]any{"email": "api@example.org", "name": "Api Person", "password": "short"})
	if res.StatusCode != 422 || !strings.Contains(fmt.Sprint(out), "at least 10 characters") {
		t.Fatalf("short password: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", "/api/v1/users", map[string]any{"email": "api@example.org", "name": "Api Person", "password": testPassword, "admin": true})
	if res.StatusCode != 422 {
		t.Fatalf("unknown field: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", "/api/v1/users", map[string]any{"email": "api@example.org", "name": "Api Person", "password": testPassword})
	if res.StatusCode != 201 || out["email"] != "api@example.org" || out["active"] != true || out["version"] != float64(1) {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	path := fmt.Sprintf("/api/v1/users/%d", id)
	if _, err := e.db.AddMembership(e.as(e.admin), e.org.ID, isms.MembershipInput{Email: "api@example.org", Role: isms.RoleReader}); err != nil {
		t.Fatal(err)
	}
	u, _ := e.db.UserByEmail(context.Background(), "api@example.org")
	theirs := e.token(u)
	if res, _ := e.api(theirs, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("their token: %d", res.StatusCode)
	}

	res, out = e.api(tok, "GET", "/api/v1/users?q=example.org&sort=-email&limit=1", nil)
	if res.StatusCode != 200 || out["total"] != float64(2) || len(out["items"].([]any)) != 1 || out["items"].([]any)[0].(map[string]any)["email"] != "api@example.org" {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", "/api/v1/users?state=sleeping", nil); res.StatusCode != 422 {
		t.Fatalf("bad state: %d %v", res.StatusCode, out)
	}
	if res, out := e.api(tok, "GET", path, nil); res.StatusCode != 200 || out["name"] != "Api Person" {
		t.Fatalf("read: %d %v", res.StatusCode, out)
	}
	// Deactivation through the API: their token stops at once.
	if res, _ := e.api(tok, "PATCH", path, map[string]any{"active": false, "version": 7}); res.StatusCode != 409 {
		t.Fatalf("stale patch: %d", res.StatusCode)
	}
	res, out = e.api(tok, "PATCH", path, map[string]any{"active": false, "name": "Api P. Person", "version": 1})
	if res.StatusCode != 200 || out["active"] != false || out["name"] != "Api P. Person" || out["deactivated_at"] == nil {
		t.Fatalf("deactivate: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(theirs, "GET", "/api/v1/me", nil); res.StatusCode != 401 {
		t.Errorf("deactivated user's token: %d", res.StatusCode)
	}
	// Their name on the member list, in the caller's language.
	res, out = e.api(tok, "GET", fmt.Sprintf("/api/v1/organisations/%d/memberships", e.org.ID), nil)
	if res.StatusCode != 200 || !strings.Contains(fmt.Sprint(out), "Api P. Person (former user)") {
		t.Errorf("memberships: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "PATCH", path, map[string]any{"active": true, "version": 2})
	if res.StatusCode != 200 || out["active"] != true {
		t.Fatalf("reactivate: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "PUT", path+"/password", map[string]any{"password": "a new long passphrase", "version": 3})
	if res.StatusCode != 200 || out["version"] != float64(4) {
		t.Fatalf("reset: %d %v", res.StatusCode, out)
	}
	// The last site administrator stays one.
	res, out = e.api(tok, "PATCH", fmt.Sprintf("/api/v1/users/%d", e.admin.ID), map[string]any{"site_admin": false, "version": 1})
	if res.StatusCode != 409 || !strings.Contains(fmt.Sprint(out), "last active site administrator") {
		t.Fatalf("demote the last site administrator: %d %v", res.StatusCode, out)
	}

	// An organisation's administrator reaches none of it.
	oa := e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
	otok := e.token(oa)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/users", nil},
		{"GET", "/api/v1/users?state=sleeping", nil},
		{"POST", "/api/v1/users", map[string]any{"email": "x@example.org", "name": "X", "password": testPassword, "site_admin": true}},
		{"GET", path, nil},
		{"PATCH", path, map[string]any{"active": false, "version": 4}},
		{"PATCH", fmt.Sprintf("/api/v1/users/%d", oa.ID), map[string]any{"site_admin": true, "version": 1}},
		{"PUT", path + "/password", map[string]any{"password": "taken over now", "version": 4}},
	} {
		if res, out := e.api(otok, c.method, c.path, c.body); res.StatusCode != 403 {
			t.Errorf("organisation administrator %s %s: %d %v", c.method, c.path, res.StatusCode, out)
		}
	}
	if cur, _ := e.db.Account(e.as(e.admin), id); cur.Version != 4 || !cur.Active {
		t.Errorf("after refused requests: %+v", cur)
	}
	if res, _ := e.api("", "GET", "/api/v1/users", nil); res.StatusCode != 401 {
		t.Errorf("anonymous list: %d", res.StatusCode)
	}
}

// mailbox is a Mailer that keeps what it is given.
type mailbox struct {
	sent []mail
	fail bool
}

type mail struct{ to, subject, body string }

func (m *mailbox) Send(_ context.Context, _, to, subject, body string) error {
	if m.fail {
		return fmt.Errorf("connection refused")
	}
	m.sent = append(m.sent, mail{to, subject, body})
	return nil
}

// withMail serves the same database through a server that has a mailer.
func (e *env) withMail(m isms.Mailer) {
	e.t.Helper()
	svc := Services(e.db)
	svc.Mail = m
	w, err := web.New(svc, web.Config{Now: e.db.Now, BaseURL: "https://isms.example.org"})
	if err != nil {
		e.t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	e.t.Cleanup(srv.Close)
	e.srv = srv
}

var invitationLink = regexp.MustCompile(`(https?://[^\s"<]+)?/invitations/([A-Za-z0-9_-]{30,})`)

// inviteFromMembersPage invites from the members page and returns the page.
func inviteFromMembersPage(t *testing.T, b *browser, orgID int64, email, role string) (int, string) {
	t.Helper()
	res := b.post(fmt.Sprintf("/orgs/%d/invitations", orgID), url.Values{"email": {email}, "role": {role}})
	return res.StatusCode, body(res)
}

func TestInvitingShowsTheSamePageWithOrWithoutAnAccount(t *testing.T) {
	t.Parallel()
	var pages []string
	for _, hasAccount := range []bool{true, false} {
		e := newEnv(t)
		e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
		if hasAccount {
			if _, err := e.db.CreateUser(e.as(e.admin), "colleague@example.org", "Colleague", testPassword, false); err != nil {
				t.Fatal(err)
			}
		}
		b := e.login("orgadmin@example.org")
		status, html := inviteFromMembersPage(t, b, e.org.ID, "colleague@example.org", "coordinator")
		if status != 200 || !invitationLink.MatchString(html) {
			t.Fatalf("invite (account %v): %d", hasAccount, status)
		}
		html = invitationLink.ReplaceAllString(html, "LINK")
		html = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d UTC`).ReplaceAllString(html, "WHEN")
		// The <time> element's machine-readable moment has seconds, which differ between the two runs.
		html = regexp.MustCompile(`datetime="[^"]*"`).ReplaceAllString(html, `datetime="WHEN"`)
		pages = append(pages, html)
	}
	if pages[0] != pages[1] {
		t.Errorf("the inviter's page differs with and without an account:\n%s\n----\n%s", pages[0], pages[1])
	}
}

func TestInvitationThroughTheWeb(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
	known := e.member("known@example.org", mustOrgFor(t, e, "Anden kommune"), isms.RoleReader)
	oa := e.login("orgadmin@example.org")
	members := fmt.Sprintf("/orgs/%d/members", e.org.ID)

	// The members page invites; it no longer adds accounts by address.
	html := body(oa.get(members))
	if !strings.Contains(html, `action="/orgs/1/invitations"`) || strings.Contains(html, `action="/orgs/1/members"`) {
		t.Fatal("members page: no invitation form, or an add-by-address form for an organisation administrator")
	}
	if res := oa.post(members, url.Values{"email": {known.Email}, "role": {"reader"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("adding an existing account by address: %d", res.StatusCode)
	}
	status, html := inviteFromMembersPage(t, oa, e.org.ID, "not an address", "reader")
	if status != 422 || !strings.Contains(html, "Write a valid e-mail address") {
		t.Fatalf("bad address: %d", status)
	}

	// A new colleague: the link is shown once, opens without a login,
	// states the password rules and makes the account.
	status, html = inviteFromMembersPage(t, oa, e.org.ID, "new@example.org", "contributor")
	m := invitationLink.FindStringSubmatch(html)
	if status != 200 || m == nil || !strings.Contains(html, "shown only this once") {
		t.Fatalf("invite: %d", status)
	}
	link := "/invitations/" + m[2]
	guest := e.anonymous()
	res := guest.get(link)
	html = body(res)
	if res.StatusCode != 200 || !strings.Contains(html, "has invited you to Testkommune with the role Contributor") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("invitation page: %d %s", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	pwRules(t, link, html)
	res = guest.post(link, url.Values{"name": {"Ny Kollega"}, "password": {testPassword}, "password2": {"another one"}})
	if res.StatusCode != 422 || !strings.Contains(body(res), "differ") {
		t.Fatalf("differing passwords: %d", res.StatusCode)
	}
	res = guest.post(link, url.Values{"name": {"Ny Kollega"}, "password": {testPassword}, "password2": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/orgs/%d", e.org.ID) {
		t.Fatalf("accept: %d %s", res.StatusCode, body(res))
	}
	if res := guest.get(fmt.Sprintf("/orgs/%d", e.org.ID)); res.StatusCode != 200 {
		t.Fatalf("the new member's first page: %d", res.StatusCode)
	}
	// The link is spent.
	res = e.anonymous().get(link)
	if html := body(res); res.StatusCode != http.StatusGone || !strings.Contains(html, "already been accepted") {
		t.Fatalf("used link: %d", res.StatusCode)
	}

	// A colleague with an account logs in and accepts.
	_, html = inviteFromMembersPage(t, oa, e.org.ID, known.Email, "auditor")
	link = "/invitations/" + invitationLink.FindStringSubmatch(html)[2]
	res = e.anonymous().post(link+"/accept", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape(link) {
		t.Fatalf("accepting without a login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The page's "log in to accept" leads to the login, which comes back.
	page := body(e.anonymous().get(link))
	m = regexp.MustCompile(`id="login-to-accept" href="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no login link on the invitation page")
	}
	login := body(e.anonymous().get(strings.ReplaceAll(m[1], "&amp;", "&")))
	if !strings.Contains(login, `name="next" value="`+link+`"`) {
		t.Fatalf("the login page does not return to the invitation (%s)", m[1])
	}
	kb, _ := e.loginWith(known.Email, testPassword)
	html = body(kb.get(link))
	if !strings.Contains(html, "Accept as "+known.Name) {
		t.Fatal("the invited account is not offered to accept")
	}
	if res := oa.get(link); !strings.Contains(body(res), "but you are logged in as orgadmin@example.org") {
		t.Error("another account is not told the invitation is not theirs")
	}
	if res := oa.post(link+"/accept", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("another account accepts: %d", res.StatusCode)
	}
	if res := kb.post(link+"/accept", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept with the account: %d %s", res.StatusCode, body(res))
	}
	html = body(oa.get(members))
	if !strings.Contains(html, "Ny Kollega") || !strings.Contains(html, known.Name) {
		t.Error("the new members are not on the list")
	}

	// A revoked link says so.
	_, html = inviteFromMembersPage(t, oa, e.org.ID, "later@example.org", "reader")
	link = "/invitations/" + invitationLink.FindStringSubmatch(html)[2]
	invs, _, _ := e.db.Invitations(e.as(e.admin), e.org.ID, isms.InvitationFilter{State: isms.InvitationPending})
	if len(invs) != 1 {
		t.Fatalf("pending invitations: %d", len(invs))
	}
	if res := oa.post(fmt.Sprintf("/orgs/%d/invitations/%d/revoke", e.org.ID, invs[0].ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	res = e.anonymous().get(link)
	if html := body(res); res.StatusCode != http.StatusGone || !strings.Contains(html, "has been revoked") {
		t.Fatalf("revoked link: %d", res.StatusCode)
	}
	res = e.anonymous().post(link, url.Values{"name": {"Late"}, "password": {testPassword}, "password2": {testPassword}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body(res), "has been revoked") {
		t.Fatalf("accepting a revoked link: %d", res.StatusCode)
	}
	// An unknown link too.
	if res := e.anonymous().get("/invitations/nonsense"); res.StatusCode != 404 || !strings.Contains(body(res), "not valid") {
		t.Fatalf("unknown link: %d", res.StatusCode)
	}
	for _, lang := range []string{"da", "en"} {
		oa.lang = lang
		if m := untranslated.FindString(stripAttrs(body(oa.get(members)))); m != "" {
			t.Errorf("%s members page: untranslated %q", lang, m)
		}
	}
}

func TestInvitationByMail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
	box := &mailbox{}
	e.withMail(box)
	oa := e.login("orgadmin@example.org")
	status, html := inviteFromMembersPage(t, oa, e.org.ID, "mailed@example.org", "management")
	if status != 200 || invitationLink.MatchString(html) || !strings.Contains(html, "has been sent to mailed@example.org") {
		t.Fatalf("invite by mail: %d, link shown %v", status, invitationLink.MatchString(html))
	}
	if len(box.sent) != 1 || box.sent[0].to != "mailed@example.org" || !strings.Contains(box.sent[0].subject, "Testkommune") {
		t.Fatalf("mail: %+v", box.sent)
	}
	m := invitationLink.FindStringSubmatch(box.sent[0].body)
	if m == nil || m[1] != "https://isms.example.org" || !strings.Contains(box.sent[0].body, "with the role Management") {
		t.Fatalf("mail body: %s", box.sent[0].body)
	}
	res := e.anonymous().post("/invitations/"+m[2], url.Values{"name": {"Mailed"}, "password": {testPassword}, "password2": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept the mailed link: %d", res.StatusCode)
	}
	// The API answers the same way.
	tok := e.token(e.admin)
	res, out := e.api(tok, "POST", fmt.Sprintf("/api/v1/organisations/%d/invitations", e.org.ID), map[string]any{"email": "api@example.org", "role": "reader"})
	if res.StatusCode != 201 || out["mailed"] != true || out["url"] != nil {
		t.Fatalf("API invite with mail: %d %v", res.StatusCode, out)
	}
	// A failed mail leaves the invitation and shows the link instead.
	box.fail = true
	status, html = inviteFromMembersPage(t, oa, e.org.ID, "bounced@example.org", "reader")
	if status != 200 || !invitationLink.MatchString(html) || !strings.Contains(html, "could not be sent") {
		t.Fatalf("failed mail: %d", status)
	}
}

func TestInvitationsAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
	tok := e.token(a)
	base := fmt.Sprintf("/api/v1/organisations/%d/invitations", e.org.ID)
	res, out := e.api(tok, "POST", base, map[string]any{"email": "x", "role": "boss"})
	if res.StatusCode != 422 || len(out["error"].(map[string]any)["fields"].([]any)) != 2 {
		t.Fatalf("bad invitation: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", base, map[string]any{"email": "new@example.org", "role": "reader"})
	inv, _ := out["invitation"].(map[string]any)
	if res.StatusCode != 201 || out["mailed"] != false || !invitationLink.MatchString(fmt.Sprint(out["url"])) || inv["state"] != "pending" {
		t.Fatalf("invite: %d %v", res.StatusCode, out)
	}
	id := int64(inv["id"].(float64))
	res, out = e.api(tok, "GET", base+"?state=pending", nil)
	if res.StatusCode != 200 || out["total"] != float64(1) {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(tok, "DELETE", fmt.Sprintf("%s/%d", base, id), nil); res.StatusCode != 204 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res, out := e.api(tok, "DELETE", fmt.Sprintf("%s/%d", base, id), nil); res.StatusCode != 409 {
		t.Fatalf("revoke twice: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", base+"?state=revoked", nil)
	if res.StatusCode != 200 || out["total"] != float64(1) {
		t.Fatalf("revoked: %d %v", res.StatusCode, out)
	}
	// A coordinator may not.
	c := e.token(e.member("coordinator@example.org", e.org, isms.RoleCoordinator))
	if res, _ := e.api(c, "POST", base, map[string]any{"email": "y@example.org", "role": "reader"}); res.StatusCode != 403 {
		t.Errorf("coordinator invites: %d", res.StatusCode)
	}
	if res, _ := e.api(c, "GET", base, nil); res.StatusCode != 403 {
		t.Errorf("coordinator lists: %d", res.StatusCode)
	}
}

// TestInvitationsCrossOrganisationRefused: the administrator of A cannot
// invite into B, read B's invitations or revoke them, in the UI or the API.
func TestInvitationsCrossOrganisationRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // e.org plays B
	orgA := mustOrgFor(t, e, "Anden kommune")
	alice := e.member("alice@a.example", orgA, isms.RoleAdministrator)
	_, inv, err := e.db.CreateInvitation(e.as(e.admin), e.org.ID, isms.InvitationInput{Email: "b@b.example", Role: isms.RoleReader})
	if err != nil {
		t.Fatal(err)
	}
	B, A := e.org.ID, orgA.ID
	b := e.login("alice@a.example")
	for _, p := range []string{fmt.Sprintf("/orgs/%d/invitations", B), fmt.Sprintf("/orgs/%d/invitations/%d/revoke", B, inv.ID),
		fmt.Sprintf("/orgs/%d/invitations/%d/revoke", A, inv.ID)} {
		if res := b.post(p, url.Values{"email": {"intruder@a.example"}, "role": {"administrator"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("UI POST %s: %d, want 404", p, res.StatusCode)
		}
	}
	tok := e.token(alice)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"POST", fmt.Sprintf("/api/v1/organisations/%d/invitations", B), map[string]any{"email": "intruder@a.example", "role": "administrator"}},
		{"GET", fmt.Sprintf("/api/v1/organisations/%d/invitations", B), nil},
		{"DELETE", fmt.Sprintf("/api/v1/organisations/%d/invitations/%d", B, inv.ID), nil},
		{"DELETE", fmt.Sprintf("/api/v1/organisations/%d/invitations/%d", A, inv.ID), nil},
	} {
		if res, out := e.api(tok, c.method, c.path, c.body); res.StatusCode != http.StatusNotFound {
			t.Errorf("API %s %s: %d %v", c.method, c.path, res.StatusCode, out)
		}
	}
	invs, total, _ := e.db.Invitations(e.as(e.admin), B, isms.InvitationFilter{})
	if total != 1 || invs[0].State != isms.InvitationPending {
		t.Fatalf("B's invitations after the attempts: %d %+v", total, invs)
	}
}

// TestPasswordRulesBeforeSubmitting: the first-run page and the account
// page say the rules next to the field.
func TestPasswordRulesBeforeSubmitting(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	w, err := web.New(Services(db), web.Config{Now: db.Now, SetupCode: "CODE"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/setup", nil)
	req.Header.Set("Accept-Language", "en")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pwRules(t, "/setup", body(res))

	e := newEnv(t)
	pwRules(t, "/account", body(e.login("admin@example.org").get("/account")))
}
