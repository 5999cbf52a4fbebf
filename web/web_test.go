package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// env is a running server over a fresh database (SQLite unless the test
// asks for another) with a site administrator and one organisation.
type env struct {
	t     *testing.T
	db    *sqlstore.DB
	srv   *httptest.Server
	admin *isms.User
	org   *isms.Organisation
}

const testPassword = "correct horse battery"

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, sqltest.OpenSQLite(t), web.Config{})
}

// newEnvOn serves a given database (e.g. each of sqltest.ForEachDB's) with
// the given configuration, on the database's clock.
func newEnvOn(t *testing.T, db *sqlstore.DB, cfg web.Config) *env {
	t.Helper()
	// The server reads the store's clock at each use, so a test that moves
	// the clock moves both.
	cfg.Now = func() time.Time { return db.Now() }
	if cfg.Logger == nil {
		// Warnings and errors only: the requests answered with an error,
		// which many tests make on purpose, are logged at info level.
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	w, err := web.New(Services(db), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: db, srv: srv}
	e.admin, err = db.CreateUser(context.Background(), "admin@example.org", "Site Admin", testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	e.org, err = db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Testkommune"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) as(u *isms.User) context.Context {
	return isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID, Name: u.Name, SiteAdmin: u.SiteAdmin})
}

// mustOrgFor creates another organisation, named name.
func mustOrgFor(t *testing.T, e *env, name string) *isms.Organisation {
	t.Helper()
	o, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// member creates a user with a role in an organisation.
func (e *env) member(email string, org *isms.Organisation, role isms.Role) *isms.User {
	e.t.Helper()
	u, err := e.db.CreateUser(e.as(e.admin), email, "User "+email, testPassword, false)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.AddMembership(e.as(e.admin), org.ID, isms.MembershipInput{Email: email, Role: role}); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// Services wires every service to the store, as isms serve does.
func Services(db *sqlstore.DB) web.Services {
	return web.Services{Users: db, Orgs: db, Audit: db, Overview: db, Checklist: db, Topics: db,
		Documents: db, Wheel: db, Leadership: db, Communication: db, Objectives: db, Incidents: db, Nonconformities: db, Improvements: db, Suppliers: db, Resources: db, Reviews: db, Competence: db, RegisterImports: db, AwarenessParticipation: db, Risk: db, SoA: db,
		Accounts: db, Invitations: db, SSO: db,
		Awareness: db, Acknowledgements: db, IncidentIntake: db, Questionnaires: db, Measurement: db, Notifications: db, InternalAudit: db, OrgArchives: db, SecondFactors: db,
		Ping: db.Ping, HasRule: sqlstore.HasRule, Derived: db.Derived, Snapshot: db.Snapshot}
}

// browser is a logged-in client with cookies, like a browser.
type browser struct {
	e     *env
	c     *http.Client
	lang  string
	email string // who logged in
}

func (e *env) login(email string) *browser {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, lang: "en", email: email}
	res := b.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d: %s", email, res.StatusCode, body(res))
	}
	return b
}

func (b *browser) do(req *http.Request) *http.Response {
	b.e.t.Helper()
	req.Header.Set("Accept-Language", b.lang)
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return res
}

func (b *browser) get(path string) *http.Response {
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) *http.Response {
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func body(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return string(b)
}

// api calls the JSON API with a bearer token.
func (e *env) api(token, method, path string, in any) (*http.Response, map[string]any) {
	e.t.Helper()
	var r io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		r = strings.NewReader(string(b))
	}
	return e.apiBody(token, method, path, "application/json", r)
}

// apiBody calls the API with a body of any type (a file, a form).
func (e *env) apiBody(token, method, path, contentType string, r io.Reader) (*http.Response, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept-Language", "en")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	if len(b) > 0 && b[0] == '{' {
		json.Unmarshal(b, &out)
	} else if len(b) > 0 && b[0] == '[' {
		var list []any
		json.Unmarshal(b, &list)
		out = map[string]any{"list": list}
	}
	return res, out
}

func (e *env) token(u *isms.User) string {
	e.t.Helper()
	tok, _, err := e.db.CreateAPIToken(e.as(u), u.ID, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, err := http.Get(e.srv.URL + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
}

// pagesRender fetches each page in Danish and in English and fails on a
// page that is not served, is not in the language asked for, or shows a
// message key (one that any of keys matches) instead of its text.
func (b *browser) pagesRender(t *testing.T, pages []string, keys ...*regexp.Regexp) {
	t.Helper()
	for _, lang := range []string{"da", "en"} {
		b.lang = lang
		for _, p := range pages {
			res := b.get(p)
			html := body(res)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s %s: status %d: %.300s", b.email, lang, p, res.StatusCode, html)
				continue
			}
			stripped := stripAttrs(html)
			for _, k := range keys {
				if m := k.FindString(stripped); m != "" {
					t.Errorf("%s %s %s: untranslated key %q", b.email, lang, p, m)
				}
			}
			if !strings.Contains(html, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s %s: page not in the requested language", b.email, lang, p)
			}
		}
	}
}
