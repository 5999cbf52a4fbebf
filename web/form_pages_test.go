package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// TestUnreadableFormIsRefused posts forms that cannot be read to pages
// that take forms: each gets a clear 422 error page, and nothing is saved,
// rather than the form being taken as empty.
func TestUnreadableFormIsRefused(t *testing.T) {
	e := newEnv(t)
	b := e.login("admin@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	for _, c := range []struct {
		path, body, want string
	}{
		{o + "/overview", "kind=system&name=Lost&status=active&a=%zz", "The form could not be read."},
		{o + "/risks", "risk_title=Lost&b=%", "The form could not be read."},
		{"/login", "email=admin%40example.org&password=%zz", "The form could not be read."},
		{o + "/overview", "kind=system&name=" + strings.Repeat("x", 3<<20), "The request is too large."},
	} {
		req, _ := http.NewRequest("POST", e.srv.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res := b.do(req)
		html := body(res)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("POST %s: status %d, want 422", c.path, res.StatusCode)
		}
		if !strings.Contains(html, c.want) {
			t.Errorf("POST %s: the page does not say %q", c.path, c.want)
		}
	}
	entries, _, err := e.db.OverviewEntries(e.as(e.admin), e.org.ID, isms.EntryFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("an unreadable form saved %d entries", len(entries))
	}
}
