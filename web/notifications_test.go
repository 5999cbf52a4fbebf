package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// A member's inbox: the header counts the unread, the page links to the
// record and marks read one or all, the filter shows unread or all; the
// account page keeps the mail digest; the API does the same; another
// organisation's member, and one who is not a member, are refused.
func TestInboxPagesAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	e.db.Now = func() time.Time { return now }
	coord := e.member("coord@example.org", e.org, isms.RoleCoordinator)
	owner := e.member("owner@example.org", e.org, isms.RoleContributor)
	other := mustOrgFor(t, e, "Andenkommune")
	stranger := e.member("stranger@example.org", other, isms.RoleCoordinator)
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	if _, err := e.db.GenerateNotifications(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	due := isms.DateOf(now).AddDays(-2)
	imp, err := e.db.CreateImprovement(e.as(coord), e.org.ID, isms.ImprovementInput{Title: "Bedre logning", Area: isms.ImpProcedures,
		OwnerID: &owner.ID, Status: isms.ImpApproved, DueOn: &due})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.db.GenerateNotifications(context.Background(), true); err != nil || n != 2 {
		t.Fatalf("generated %d %v", n, err)
	}

	ob := e.login(owner.Email)
	html := body(ob.get(o + "/inbox"))
	if !strings.Contains(html, "Inbox, 2 unread") || !strings.Contains(html, fmt.Sprintf(`href="%s/improvements/%d"`, o, imp.ID)) ||
		!strings.Contains(html, "Improvement: Bedre logning") || !strings.Contains(html, "Overdue") || !strings.Contains(html, "Assigned to you") {
		t.Fatalf("inbox:\n%s", html)
	}
	// The header of any page in the organisation shows the count.
	if html := body(ob.get(o)); !strings.Contains(html, "Inbox, 2 unread") {
		t.Fatal("no unread count on the dashboard")
	}
	list, _, _ := e.db.Notifications(e.as(owner), e.org.ID, isms.NotificationFilter{})
	res := ob.post(fmt.Sprintf("%s/inbox/%d/read", o, list[0].ID), url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != o+"/inbox" {
		t.Fatalf("mark read: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if html := body(ob.get(o + "/inbox")); !strings.Contains(html, "Inbox, 1 unread") || strings.Count(html, "Mark as read<") != 1 {
		t.Fatalf("after one read:\n%s", html)
	}
	if html := body(ob.get(o + "/inbox?show=all")); strings.Count(html, "Improvement: Bedre logning</a>") != 2 {
		t.Fatal("all does not show the read one")
	}
	// Someone else cannot mark it; an outsider has no inbox here.
	sb := e.login(stranger.Email)
	if res := sb.post(fmt.Sprintf("%s/inbox/%d/read", o, list[1].ID), url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger marks: %d", res.StatusCode)
	}
	if res := sb.get(o + "/inbox"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger's inbox here: %d", res.StatusCode)
	}
	cb := e.login(coord.Email)
	if res := cb.post(fmt.Sprintf("%s/inbox/%d/read", o, list[1].ID), url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("coordinator marks the owner's: %d", res.StatusCode)
	}
	if html := body(cb.get(o + "/inbox")); !strings.Contains(html, "You have no unread notifications.") {
		t.Fatal("the coordinator sees another's notifications")
	}
	res = ob.post(o+"/inbox/read-all", url.Values{"show": {"all"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != o+"/inbox?show=all" {
		t.Fatalf("mark all: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if n, _ := e.db.UnreadNotifications(e.as(owner), e.org.ID); n != 0 {
		t.Fatalf("unread after mark all: %d", n)
	}

	// The account page keeps the digest; a bad choice is named.
	if html := body(ob.get("/account")); !strings.Contains(html, `<option value="immediate" selected>`) {
		t.Fatal("account page without the digest choice")
	}
	res = ob.post("/account/notifications", url.Values{"digest": {"hourly"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `id="e-digest"`) {
		t.Fatalf("bad digest: %d", res.StatusCode)
	}
	if res := ob.post("/account/notifications", url.Values{"digest": {"weekly"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("digest: %d", res.StatusCode)
	}
	if html := body(ob.get("/account")); !strings.Contains(html, `<option value="weekly" selected>`) {
		t.Fatal("weekly not kept")
	}

	// The API: the caller's own list, marking, and preferences.
	tok := e.token(owner)
	now = now.AddDate(0, 0, 7)
	if _, err := e.db.GenerateNotifications(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	res, out := e.api(tok, "GET", fmt.Sprintf("/api/v1/organisations/%d/notifications", e.org.ID), nil)
	items, _ := out["items"].([]any)
	if res.StatusCode != 200 || len(items) != 1 || out["total"] != float64(1) {
		t.Fatalf("api unread: %d %v", res.StatusCode, out)
	}
	id := items[0].(map[string]any)["id"]
	res, out = e.api(tok, "GET", fmt.Sprintf("/api/v1/organisations/%d/notifications?show=all", e.org.ID), nil)
	if res.StatusCode != 200 || out["total"] != float64(3) {
		t.Fatalf("api all: %d %v", res.StatusCode, out)
	}
	stok := e.token(stranger)
	if res, _ := e.api(stok, "GET", fmt.Sprintf("/api/v1/organisations/%d/notifications", e.org.ID), nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger lists: %d", res.StatusCode)
	}
	if res, _ := e.api(stok, "POST", fmt.Sprintf("/api/v1/organisations/%d/notifications/%v/read", e.org.ID, id), nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger marks: %d", res.StatusCode)
	}
	res, out = e.api(tok, "POST", fmt.Sprintf("/api/v1/organisations/%d/notifications/%v/read", e.org.ID, id), nil)
	if res.StatusCode != 200 || out["read_at"] == nil {
		t.Fatalf("api read: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "POST", fmt.Sprintf("/api/v1/organisations/%d/notifications/read-all", e.org.ID), nil)
	if res.StatusCode != 200 || out["marked"] != float64(0) {
		t.Fatalf("api read-all: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "GET", "/api/v1/account/notification-preferences", nil)
	if res.StatusCode != 200 || out["digest"] != "weekly" {
		t.Fatalf("api prefs: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "PUT", "/api/v1/account/notification-preferences", map[string]any{"digest": "sometimes"})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "digest") {
		t.Fatalf("api bad prefs: %d %v", res.StatusCode, out)
	}
	res, out = e.api(tok, "PUT", "/api/v1/account/notification-preferences", map[string]any{"digest": "none"})
	if res.StatusCode != 200 || out["digest"] != "none" {
		t.Fatalf("api prefs: %d %v", res.StatusCode, out)
	}
}
