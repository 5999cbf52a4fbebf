package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// newSSOEnv is a server whose login page offers the test provider
// "test", a real OpenID provider in the test process.
func newSSOEnv(t *testing.T, db *sqlstore.DB, mod func(p *web.SSOProvider, cfg *web.Config)) (*env, *testOP) {
	t.Helper()
	o := newTestOP(t)
	sp := web.SSOProvider{Name: "test", Display: "Test IdP", Issuer: o.issuer, ClientID: o.clientID, ClientSecret: o.clientSecret,
		Scopes: []string{"openid", "profile", "email"}, GroupsClaim: "groups"}
	cfg := web.Config{}
	if mod != nil {
		mod(&sp, &cfg)
	}
	cfg.SSO = []web.SSOProvider{sp}
	e := newEnvOn(t, db, cfg)
	o.set(func(o *testOP) {
		o.redirectURIs = []string{e.srv.URL + "/auth/oidc/test/callback"}
		o.postLogout = []string{e.srv.URL + "/login"}
	})
	return e, o
}

// ssoClient is a browser that follows redirects, through the provider
// and back.
func ssoClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func getEN(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Language", "en")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res, body(res)
}

// ssoLogin goes through the whole flow as the provider's person sub and
// returns where the browser ends up.
func ssoLogin(t *testing.T, e *env, o *testOP, c *http.Client, sub, next string) (*http.Response, string) {
	t.Helper()
	o.set(func(o *testOP) { o.loginAs = sub })
	return getEN(t, c, e.srv.URL+"/auth/oidc/test?next="+url.QueryEscape(next))
}

func TestSSOLoginThroughARealProvider(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e, o := newSSOEnv(t, db, nil)
		anna := e.member("anna@kommune.example", e.org, isms.RoleCoordinator)
		o.person(&opPerson{Subject: "sub-anna", Email: "Anna@kommune.example", EmailVerified: true, Name: "Anna A"})

		// The login page offers the provider beside the password.
		c := ssoClient()
		res, html := getEN(t, c, e.srv.URL+"/login?next=/account")
		if res.StatusCode != 200 || !strings.Contains(html, `href="/auth/oidc/test?next=%2faccount"`) || !strings.Contains(html, "Log in with Test IdP") ||
			!strings.Contains(html, `name="password"`) {
			t.Fatalf("login page: %d\n%s", res.StatusCode, html)
		}
		res, html = ssoLogin(t, e, o, c, "sub-anna", "/account")
		if res.StatusCode != 200 || res.Request.URL.Path != "/account" || !strings.Contains(html, "anna@kommune.example") {
			t.Fatalf("after the login: %d %s\n%s", res.StatusCode, res.Request.URL, html)
		}
		// The subject is linked to Anna's account, once, with an audit event.
		ids, err := db.SSOIdentities(e.as(e.admin))
		if err != nil || len(ids) != 1 || ids[0].UserID != anna.ID || ids[0].Subject != "sub-anna" || ids[0].Issuer != o.issuer {
			t.Fatalf("identities %+v %v", ids, err)
		}
		evs, _ := db.UserHistory(e.as(e.admin), anna.ID)
		if len(evs) == 0 || evs[0].Action != "sso_link" || evs[0].ActorID != anna.ID {
			t.Fatalf("audit %+v", evs)
		}
		// A second login finds the link.
		c2 := ssoClient()
		if res, _ := ssoLogin(t, e, o, c2, "sub-anna", "/orgs/"+itoa(e.org.ID)); res.StatusCode != 200 || res.Request.URL.Path != "/orgs/"+itoa(e.org.ID) {
			t.Fatalf("second login: %d %s", res.StatusCode, res.Request.URL)
		}

		// Logout ends the product's session and offers the provider's
		// end-session endpoint, which sends the browser back to the login.
		req, _ := http.NewRequest("POST", e.srv.URL+"/logout", nil)
		req.Header.Set("Accept-Language", "en")
		res, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		html = body(res)
		if res.StatusCode != 200 || !strings.Contains(html, "Log out at Test IdP") || !strings.Contains(html, "id_token_hint=") {
			t.Fatalf("logout: %d\n%s", res.StatusCode, html)
		}
		if res, _ := getEN(t, c, e.srv.URL+"/account"); res.Request.URL.Path != "/login" {
			t.Fatalf("still logged in after logout: %s", res.Request.URL)
		}
		end := html[strings.Index(html, `id="sso-end-session" href="`)+len(`id="sso-end-session" href="`):]
		end = strings.ReplaceAll(end[:strings.Index(end, `"`)], "&amp;", "&")
		if !strings.HasPrefix(end, o.issuer+"/") {
			t.Fatalf("end-session link %q", end)
		}
		res, _ = getEN(t, c, end)
		if res.StatusCode != 200 || res.Request.URL.String() != e.srv.URL+"/login" {
			t.Fatalf("after the provider's logout: %d %s", res.StatusCode, res.Request.URL)
		}
		// The other browser's session is untouched.
		if res, _ := getEN(t, c2, e.srv.URL+"/account"); res.Request.URL.Path != "/account" {
			t.Fatalf("the other session ended too: %s", res.Request.URL)
		}
	})
}

// refused checks that a login ended on the refusal page with the message.
func refused(t *testing.T, res *http.Response, html, want string) {
	t.Helper()
	if res.StatusCode != http.StatusForbidden || !strings.Contains(html, "Login refused") || !strings.Contains(html, want) {
		t.Fatalf("want a refusal saying %q, got %d %s\n%s", want, res.StatusCode, res.Request.URL, html)
	}
}

func TestSSORefusesBadTokensAndReplays(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	e, o := newSSOEnv(t, db, nil)
	e.member("bo@kommune.example", e.org, isms.RoleReader)
	o.person(&opPerson{Subject: "sub-bo", Email: "bo@kommune.example", EmailVerified: true, Name: "Bo"})
	const bad = "could not be accepted"

	loggedIn := func(c *http.Client) bool {
		res, _ := getEN(t, c, e.srv.URL+"/account")
		return res.Request.URL.Path == "/account"
	}
	for _, c := range []struct {
		name string
		set  func(o *testOP)
	}{
		{"tampered ID token", func(o *testOP) { o.tamper = true }},
		{"wrong audience", func(o *testOP) {
			o.resign = func(c map[string]any) {
				c["aud"], c["azp"], c["client_id"] = []string{"another-client"}, "another-client", "another-client"
			}
		}},
		{"expired ID token", func(o *testOP) { o.lifetime = -time.Minute }},
	} {
		o.set(c.set)
		cl := ssoClient()
		res, html := ssoLogin(t, e, o, cl, "sub-bo", "/")
		refused(t, res, html, bad)
		if loggedIn(cl) {
			t.Fatalf("%s: logged in", c.name)
		}
		o.set(func(o *testOP) { o.tamper, o.resign, o.lifetime = false, nil, 0 })
	}
	if ids, _ := db.SSOIdentities(e.as(e.admin)); len(ids) != 0 {
		t.Fatalf("a refused login linked %+v", ids)
	}
	// The same token signed again unchanged is good: the refusal above
	// was the audience's, not the signing's.
	o.set(func(o *testOP) { o.resign = func(map[string]any) {} })
	if cl := ssoClient(); func() bool { ssoLogin(t, e, o, cl, "sub-bo", "/"); return !loggedIn(cl) }() {
		t.Fatal("a token signed again unchanged was refused")
	}
	o.set(func(o *testOP) { o.resign = nil })

	// A replayed callback: the browser stops at the callback, which is
	// then used twice.
	cl := ssoClient()
	var callback string
	cl.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/auth/oidc/test/callback" {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	o.set(func(o *testOP) { o.loginAs = "sub-bo" })
	getEN(t, cl, e.srv.URL+"/auth/oidc/test")
	if callback == "" {
		t.Fatal("the provider did not send the browser back")
	}
	cl.CheckRedirect = nil
	// Another browser with the callback link gets nothing: the state is
	// not its own.
	res, html := getEN(t, ssoClient(), callback)
	refused(t, res, html, "not recognised")
	res, html = getEN(t, cl, callback)
	if res.StatusCode != 200 || !loggedIn(cl) {
		t.Fatalf("the first callback: %d %s\n%s", res.StatusCode, res.Request.URL, html)
	}
	// The replay, even with the state's cookie put back, finds nothing.
	u, _ := url.Parse(callback)
	cl.Jar.SetCookies(u, []*http.Cookie{{Name: "isms_sso_state", Value: u.Query().Get("state"), Path: "/auth/oidc/"}})
	res, html = getEN(t, cl, callback)
	refused(t, res, html, "not recognised")

	// A state nobody issued.
	res, html = getEN(t, ssoClient(), e.srv.URL+"/auth/oidc/test/callback?state=forged&code=x")
	refused(t, res, html, "not recognised")
	// A provider that is not configured.
	if res, _ := getEN(t, ssoClient(), e.srv.URL+"/auth/oidc/nope"); res.StatusCode != 404 {
		t.Fatalf("unknown provider: %d", res.StatusCode)
	}
}

func TestSSOUnknownPersonWithAndWithoutJustInTime(t *testing.T) {
	t.Parallel()
	for _, jit := range []bool{false, true} {
		db := sqltest.OpenSQLite(t)
		e, o := newSSOEnv(t, db, func(p *web.SSOProvider, _ *web.Config) { p.CreateAccounts = jit })
		o.person(&opPerson{Subject: "sub-new", Email: "new@kommune.example", EmailVerified: false, Name: "Ny Person"})
		c := ssoClient()
		res, html := ssoLogin(t, e, o, c, "sub-new", "/")
		u, err := db.UserByEmail(context.Background(), "new@kommune.example")
		if !jit {
			refused(t, res, html, "there is no account for you")
			if err == nil {
				t.Fatal("an account was made without just-in-time creation")
			}
			continue
		}
		if res.StatusCode != 200 || strings.HasPrefix(res.Request.URL.Path, "/auth/") || err != nil || u.Name != "Ny Person" || u.SiteAdmin {
			t.Fatalf("just in time: %d %s %+v %v\n%s", res.StatusCode, res.Request.URL, u, err, html)
		}
		// The new account has no password to log in with.
		form := url.Values{"email": {"new@kommune.example"}, "password": {""}}
		if res, _ := c.PostForm(e.srv.URL+"/login", form); res.StatusCode == http.StatusOK && res.Request.URL.Path != "/login" {
			t.Fatalf("password login into a single sign-on account: %s", res.Request.URL)
		}
	}
}

func TestSSOClaimMappedRoles(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e, o := newSSOEnv(t, db, func(p *web.SSOProvider, _ *web.Config) { p.CreateAccounts = true })
		other := mustOrgFor(t, e, "Andenkommune")
		otherAdmin := e.member("chef@andenkommune.example", other, isms.RoleAdministrator)

		// The site administrator keeps the table on /sso; nobody else may.
		admin := e.login("admin@example.org")
		if res := admin.get("/sso"); res.StatusCode != 200 {
			t.Fatalf("/sso: %d", res.StatusCode)
		}
		if res := e.login(otherAdmin.Email).get("/sso"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("/sso for an organisation's administrator: %d", res.StatusCode)
		}
		if res := e.login(otherAdmin.Email).post("/sso/mappings", url.Values{"claim_value": {"x"}, "organisation_id": {"1"}, "role": {"reader"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a mapping by an organisation's administrator: %d", res.StatusCode)
		}
		add := func(provider, claim string, org *isms.Organisation, role isms.Role) {
			t.Helper()
			res := admin.post("/sso/mappings", url.Values{"provider": {provider}, "claim_value": {claim}, "organisation_id": {itoa(org.ID)}, "role": {string(role)}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("add mapping: %d %s", res.StatusCode, body(res))
			}
		}
		add("test", "isms-coordinators", e.org, isms.RoleCoordinator)
		add("", "isms-readers", e.org, isms.RoleReader)
		add("test", "isms-auditors", other, isms.RoleAuditor)
		if res := admin.post("/sso/mappings", url.Values{"provider": {"nope"}, "claim_value": {"x"}, "organisation_id": {itoa(e.org.ID)}, "role": {"reader"}}); res.StatusCode != 422 {
			t.Fatalf("a mapping for an unknown provider: %d", res.StatusCode)
		}
		if html := body(admin.get("/sso")); !strings.Contains(html, "isms-coordinators") || !strings.Contains(html, "Andenkommune") {
			t.Fatalf("/sso does not list the mappings:\n%s", html)
		}

		person := &opPerson{Subject: "sub-carl", Email: "carl@kommune.example", EmailVerified: true, Name: "Carl",
			Groups: []string{"isms-readers", "isms-coordinators", "isms-auditors"}}
		o.person(person)
		c := ssoClient()
		if res, html := ssoLogin(t, e, o, c, "sub-carl", "/"); res.StatusCode != 200 {
			t.Fatalf("login: %d\n%s", res.StatusCode, html)
		}
		roleOf := func(org *isms.Organisation) isms.Role {
			ms, err := db.Memberships(e.as(e.admin), org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.UserEmail == "carl@kommune.example" {
					return m.Role
				}
			}
			return ""
		}
		if roleOf(e.org) != isms.RoleCoordinator || roleOf(other) != isms.RoleAuditor {
			t.Fatalf("roles after the first login: %q %q", roleOf(e.org), roleOf(other))
		}
		// Carl reaches the organisation the mapping gave.
		if res, _ := getEN(t, c, e.srv.URL+"/orgs/"+itoa(other.ID)); res.StatusCode != 200 {
			t.Fatalf("the mapped organisation: %d", res.StatusCode)
		}
		// The groups change at the provider; the next login follows.
		o.set(func(o *testOP) { person.Groups = []string{"isms-readers"} })
		if res, _ := ssoLogin(t, e, o, ssoClient(), "sub-carl", "/"); res.StatusCode != 200 {
			t.Fatalf("second login: %d", res.StatusCode)
		}
		if roleOf(e.org) != isms.RoleReader || roleOf(other) != "" {
			t.Fatalf("roles after the second login: %q %q", roleOf(e.org), roleOf(other))
		}
		if res, _ := getEN(t, c, e.srv.URL+"/orgs/"+itoa(other.ID)); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Fatalf("the organisation no longer mapped: %d", res.StatusCode)
		}
		// Each change is an audit event in the organisation's chain.
		evs, _, err := db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{RecordType: "membership"})
		if err != nil || len(evs) < 2 || evs[0].Action != "sso_change" || evs[1].Action != "sso_grant" {
			t.Fatalf("membership events of %s: %v", e.org.Name, err)
		}
		evs, _, _ = db.AuditEvents(e.as(e.admin), other.ID, isms.AuditFilter{RecordType: "membership"})
		if len(evs) < 2 || evs[0].Action != "sso_remove" || evs[1].Action != "sso_grant" {
			t.Fatalf("membership events of %s", other.Name)
		}
		if res, _ := getEN(t, admin.c, e.srv.URL+"/orgs/"+itoa(e.org.ID)+"/audit"); res.StatusCode != 200 {
			t.Fatalf("audit page: %d", res.StatusCode)
		}
	})
}

func TestSSOOnlyLoginPage(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	e, _ := newSSOEnv(t, db, func(_ *web.SSOProvider, cfg *web.Config) { cfg.SSOOnly = true })
	e.member("dora@kommune.example", e.org, isms.RoleCoordinator)
	res, html := getEN(t, ssoClient(), e.srv.URL+"/login")
	if res.StatusCode != 200 || strings.Contains(html, `name="password"`) || !strings.Contains(html, "/auth/oidc/test") || !strings.Contains(html, "/login?local") {
		t.Fatalf("single sign-on only login page:\n%s", html)
	}
	// Passwords are for site administrators only, the way in when the
	// provider is down.
	b := &browser{e: e, c: &http.Client{Jar: func() http.CookieJar { j, _ := cookiejar.New(nil); return j }(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, lang: "en"}
	if html := body(b.get("/login?local")); !strings.Contains(html, `name="password"`) {
		t.Fatal("/login?local shows no password form")
	}
	res = b.post("/login", url.Values{"email": {"dora@kommune.example"}, "password": {testPassword}})
	if html := body(res); res.StatusCode != http.StatusForbidden || !strings.Contains(html, "Only a site administrator can log in with a password") {
		t.Fatalf("password login of a member: %d\n%s", res.StatusCode, html)
	}
	e.login("admin@example.org")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestSSOPagesRenderInBothLanguages: the login page with a provider, the
// site administrator's page, and a refusal, in Danish and English.
func TestSSOPagesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, sqltest.OpenSQLite(t), nil)
	if _, err := e.db.CreateSSORoleMapping(e.as(e.admin), isms.SSORoleMappingInput{ClaimValue: "g", OrganisationID: e.org.ID, Role: isms.RoleAuditor}); err != nil {
		t.Fatal(err)
	}
	keys := []*regexp.Regexp{untranslated, regexp.MustCompile(`\bsso\.[a-z_]+\b`)}
	b := e.login("admin@example.org")
	b.pagesRender(t, []string{"/sso", "/login"}, keys...)
	for _, lang := range []string{"da", "en"} {
		b.lang = lang
		res := b.get("/auth/oidc/test/callback?state=x")
		if html := stripAttrs(body(res)); res.StatusCode != http.StatusForbidden || keys[0].MatchString(html) || keys[1].MatchString(html) {
			t.Errorf("refusal in %s: %d", lang, res.StatusCode)
		}
	}
}

// TestSSOAcceptsAnInvitationLink: the invited person opens the link and
// chooses the provider, which vouches for no address; the account is made
// for the invited address and the invitation accepted, once.
func TestSSOAcceptsAnInvitationLink(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e, o := newSSOEnv(t, db, nil)
		token, _, err := db.CreateInvitation(e.as(e.admin), e.org.ID, isms.InvitationInput{Email: "frida@kommune.example", Role: isms.RoleContributor})
		if err != nil {
			t.Fatal(err)
		}
		o.person(&opPerson{Subject: "sub-frida", Email: "f.f@upn.kommune.example", Name: "Frida F"})
		c := ssoClient()
		res, html := getEN(t, c, e.srv.URL+"/invitations/"+token)
		link := `/auth/oidc/test?invitation=` + token + `&amp;next=%2F`
		if res.StatusCode != 200 || !strings.Contains(html, link) || !strings.Contains(html, "Accept with Test IdP") {
			t.Fatalf("invitation page: %d\n%s", res.StatusCode, html)
		}
		o.set(func(o *testOP) { o.loginAs = "sub-frida" })
		res, html = getEN(t, c, e.srv.URL+strings.ReplaceAll(link, "&amp;", "&"))
		if res.StatusCode != 200 || strings.HasPrefix(res.Request.URL.Path, "/auth/") {
			t.Fatalf("after accepting: %d %s\n%s", res.StatusCode, res.Request.URL, html)
		}
		ms, _ := db.Memberships(e.as(e.admin), e.org.ID)
		if !hasMember(ms, "frida@kommune.example", isms.RoleContributor) {
			t.Fatalf("no membership for the invited address: %+v", ms)
		}
		// The link is spent; the next login finds Frida by her subject.
		res, html = getEN(t, ssoClient(), e.srv.URL+strings.ReplaceAll(link, "&amp;", "&"))
		refused(t, res, html, "already been accepted")
		if res, _ := ssoLogin(t, e, o, ssoClient(), "sub-frida", "/account"); res.Request.URL.Path != "/account" {
			t.Fatalf("second login: %s", res.Request.URL)
		}
	})
}

// TestSSORoleMappingsAPI: site administrators keep the table through the
// JSON API too; an organisation's administrator is refused.
func TestSSORoleMappingsAPI(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, sqltest.OpenSQLite(t), nil)
	orgAdmin := e.member("orgadmin@kommune.example", e.org, isms.RoleAdministrator)
	admin := e.token(e.admin)
	res, out := e.api(admin, "POST", "/api/v1/sso/role-mappings", isms.SSORoleMappingInput{Provider: "test", ClaimValue: "isms-auditors", OrganisationID: e.org.ID, Role: isms.RoleAuditor})
	if res.StatusCode != http.StatusCreated || out["claim_value"] != "isms-auditors" || out["organisation_name"] != "Testkommune" {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	res, out = e.api(admin, "POST", "/api/v1/sso/role-mappings", isms.SSORoleMappingInput{ClaimValue: "", OrganisationID: e.org.ID, Role: "boss"})
	if res.StatusCode != 422 || len(out["error"].(map[string]any)["fields"].([]any)) != 2 {
		t.Fatalf("bad mapping: %d %v", res.StatusCode, out)
	}
	other := e.token(orgAdmin)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/sso/role-mappings"}, {"GET", "/api/v1/sso/identities"}, {"DELETE", "/api/v1/sso/role-mappings/" + itoa(id)},
	} {
		if res, _ := e.api(other, c.method, c.path, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s by an organisation's administrator: %d", c.method, c.path, res.StatusCode)
		}
	}
	if res, out := e.api(admin, "GET", "/api/v1/sso/role-mappings", nil); res.StatusCode != 200 || len(out["list"].([]any)) != 1 {
		t.Fatalf("list: %d %v", res.StatusCode, out)
	}
	if res, _ := e.api(admin, "DELETE", "/api/v1/sso/role-mappings/"+itoa(id), nil); res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", res.StatusCode)
	}
}
