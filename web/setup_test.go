package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// TestFirstRunSetup: with no users, /setup creates the first site
// administrator for whoever knows the one-time code, then closes.
func TestFirstRunSetup(t *testing.T) {
	t.Parallel()
	db := sqltest.OpenSQLite(t)
	w, err := web.New(Services(db), web.Config{Now: db.Now, SetupCode: "ONETIMECODE"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(form url.Values) *http.Response {
		res, err := c.PostForm(srv.URL+"/setup", form)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res, _ := c.Get(srv.URL + "/login"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/setup" {
		t.Fatalf("login before set-up: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	form := url.Values{"code": {"WRONG"}, "name": {"Første Admin"}, "email": {"first@example.org"}, "password": {testPassword}, "password2": {testPassword}}
	if res := post(form); res.StatusCode != 422 {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	if n, _ := db.CountUsers(context.Background()); n != 0 {
		t.Fatal("a wrong code created a user")
	}
	form.Set("code", "ONETIMECODE")
	form.Set("password2", "something else entirely")
	if res := post(form); res.StatusCode != 422 {
		t.Fatalf("differing passwords: %d", res.StatusCode)
	}
	form.Set("password2", testPassword)
	res := post(form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set-up: %d %s", res.StatusCode, body(res))
	}
	// Where set-up leads, the new site administrator is told what to do
	// first, not to ask an administrator.
	req, _ := http.NewRequest("GET", srv.URL+res.Header.Get("Location"), nil)
	req.Header.Set("Accept-Language", "en")
	res, _ = c.Do(req)
	if html := body(res); res.StatusCode != 200 || !strings.Contains(html, "Where to start") || !strings.Contains(html, "isms demo") ||
		strings.Contains(html, "Ask an administrator") || !strings.Contains(html, `action="/orgs"`) {
		t.Fatalf("the first page after set-up (%s): %d", res.Request.URL.Path, res.StatusCode)
	}
	res, _ = c.Get(srv.URL + "/account")
	if html := body(res); res.StatusCode != 200 || !strings.Contains(html, "first@example.org") {
		t.Fatalf("not logged in after set-up: %d", res.StatusCode)
	}
	u, _ := db.UserByEmail(context.Background(), "first@example.org")
	if u == nil || !u.SiteAdmin {
		t.Fatal("the first user is not a site administrator")
	}
	if res := post(form); res.StatusCode != 404 {
		t.Fatalf("set-up after the first user: %d, want 404", res.StatusCode)
	}
}
