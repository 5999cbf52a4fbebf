package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// behaviourPolicy publishes a behaviour policy approved by management.
func behaviourPolicy(t *testing.T, e *env, coord, mgmt *isms.User, text string) *isms.Document {
	t.Helper()
	ctx := e.as(coord)
	doc, err := e.db.CreateDocument(ctx, e.org.ID, isms.DocumentInput{Kind: isms.DocBehaviourPolicy, Title: "Adfærdspolitik",
		ApproverIDs: []int64{mgmt.ID}, ReviewIntervalMonths: 12, Classification: isms.ClassPublic, OwnerID: &coord.ID})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.db.AddDocumentVersion(ctx, e.org.ID, doc.ID, isms.VersionInput{Text: text, Version: doc.Version})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		u      *isms.User
		action string
	}{{coord, isms.TransitionSubmit}, {mgmt, isms.TransitionApprove}, {coord, isms.TransitionPublish}} {
		cur, _ := e.db.Document(ctx, e.org.ID, doc.ID)
		if _, err := e.db.TransitionDocumentVersion(e.as(s.u), e.org.ID, doc.ID, v.Number, isms.TransitionInput{Action: s.action, SHA256: v.SHA256, Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
	}
	return doc
}

var ackLink = regexp.MustCompile(`/ack/(ismsack_[A-Za-z0-9_-]+)`)

// The acknowledgement link through the pages: made by the coordinator and
// shown once; the public page shows the published text (escaped) and
// refuses a form without the box ticked; acknowledging twice counts once;
// the list and its XLSX; a reader may not make a link; a revoked link is
// not found.
func TestAcknowledgementPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	cb := e.login("coord@example.org")
	if got := body(cb.get(o + "/awareness/acknowledgements")); !strings.Contains(got, "There is no published behaviour policy yet") || strings.Contains(got, "Make link") {
		t.Fatalf("without a policy:\n%s", got)
	}
	if res := cb.post(o+"/awareness/acknowledgements/link", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("link without a policy: %d", res.StatusCode)
	}
	behaviourPolicy(t, e, l.coord, l.mgmt, "Lås skærmen. <script>alert(1)</script>")
	rb := e.login("reader@example.org")
	if res := rb.post(o+"/awareness/acknowledgements/link", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader made a link: %d", res.StatusCode)
	}
	res := cb.post(o+"/awareness/acknowledgements/link", nil)
	got := body(res)
	m := ackLink.FindStringSubmatch(got)
	if res.StatusCode != http.StatusOK || m == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("link: %d\n%s", res.StatusCode, got)
	}
	token := m[1]
	if strings.Contains(body(cb.get(o+"/awareness/acknowledgements")), token) {
		t.Fatal("the link is shown again")
	}

	staff := e.anonymous()
	res = staff.get("/ack/" + token)
	got = body(res)
	if res.StatusCode != http.StatusOK || !strings.Contains(got, "Lås skærmen. &lt;script&gt;") || !strings.Contains(got, "I have read the policy and will follow it") {
		t.Fatalf("public page: %d\n%s", res.StatusCode, got)
	}
	res = staff.post("/ack/"+token, url.Values{"name": {"Bo Berg"}, "email": {"bo@example.org"}})
	if got := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "Tick the box") || !strings.Contains(got, `value="Bo Berg"`) {
		t.Fatalf("without the box: %d\n%s", res.StatusCode, got)
	}
	form := url.Values{"name": {"Bo Berg"}, "email": {"Bo@Example.org"}, "accept": {"1"}}
	if got := body(staff.post("/ack/"+token, form)); !strings.Contains(got, "Your acknowledgement is recorded") {
		t.Fatalf("acknowledge:\n%s", got)
	}
	if got := body(staff.post("/ack/"+token, form)); !strings.Contains(got, "You had already acknowledged this version") {
		t.Fatalf("again:\n%s", got)
	}
	if res := staff.get("/ack/" + token + "x"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("wrong token: %d", res.StatusCode)
	}
	page := body(rb.get(o + "/awareness/acknowledgements"))
	if !strings.Contains(page, "bo@example.org") || !strings.Contains(page, "1 have acknowledged version 1") || strings.Contains(page, "Make a new link") {
		t.Fatalf("list for a reader:\n%s", page)
	}
	res = rb.get(o + "/awareness/acknowledgements/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "behaviour-policy-acknowledgements.xlsx") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	body(res)
	other := mustOrgFor(t, e, "Anden kommune")
	e.member("outsider@example.org", other, isms.RoleCoordinator)
	if res := e.login("outsider@example.org").get(o + "/awareness/acknowledgements"); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("another organisation read the acknowledgements: %d", res.StatusCode)
	}
	// A script flooding the link from one address is stopped with a
	// wait (30 at once, then one every two seconds), and stores nothing more.
	// The clock stands still meanwhile, so a slow machine gets no refill.
	frozen := e.db.Now()
	e.db.Now = func() time.Time { return frozen }
	for i := 0; ; i++ {
		res := staff.post("/ack/"+token, url.Values{"name": {"Bot"}, "email": {fmt.Sprintf("bot%d@example.org", i)}, "accept": {"1"}})
		got := body(res)
		if res.StatusCode == http.StatusTooManyRequests {
			if i > 30 || res.Header.Get("Retry-After") == "" || !strings.Contains(got, "Try again in") {
				t.Fatalf("throttled after %d posts: %v\n%s", i, res.Header, got)
			}
			break
		}
		if i > 30 {
			t.Fatalf("%d acknowledgements from one address were not throttled", i)
		}
	}
	if res := cb.post(o+"/awareness/acknowledgements/link/revoke", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := staff.get("/ack/" + token); res.StatusCode != http.StatusNotFound {
		t.Fatalf("revoked link: %d", res.StatusCode)
	}
}

// The acknowledgement API: the link's token in the create response only,
// the counts and list, revoke; a reader and another organisation refused.
func TestAcknowledgementAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	behaviourPolicy(t, e, l.coord, l.mgmt, "Politikken")
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	tok := e.token(l.coord)
	if res, _ := e.api(e.token(l.reader), "POST", base+"/acknowledgement-link", nil); res.StatusCode != 403 {
		t.Fatalf("reader made a link: %d", res.StatusCode)
	}
	res, out := e.api(tok, "POST", base+"/acknowledgement-link", nil)
	token, _ := out["token"].(string)
	if res.StatusCode != 201 || !strings.HasPrefix(token, "ismsack_") || !strings.HasSuffix(out["url"].(string), "/ack/"+token) {
		t.Fatalf("create: %d %v", res.StatusCode, out)
	}
	if got := body(e.anonymous().post("/ack/"+token, url.Values{"name": {"Ida"}, "email": {"ida@example.org"}, "accept": {"on"}})); !strings.Contains(got, "recorded") {
		t.Fatalf("acknowledge:\n%s", got)
	}
	res, out = e.api(e.token(l.reader), "GET", base+"/acknowledgements", nil)
	if link, _ := out["link"].(map[string]any); res.StatusCode != 200 || out["total"] != float64(1) || link["active"] != true || strings.Contains(fmt.Sprint(out), token) {
		t.Fatalf("status: %d %v", res.StatusCode, out)
	}
	other := mustOrgFor(t, e, "Anden kommune")
	outsider := e.member("outsider@example.org", other, isms.RoleCoordinator)
	if res, _ := e.api(e.token(outsider), "GET", base+"/acknowledgements", nil); res.StatusCode != 404 && res.StatusCode != 403 {
		t.Fatalf("other organisation: %d", res.StatusCode)
	}
	if res, _ := e.api(e.token(outsider), "DELETE", base+"/acknowledgement-link", nil); res.StatusCode != 404 && res.StatusCode != 403 {
		t.Fatalf("other organisation revoked: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", base+"/acknowledgement-link", nil); res.StatusCode != 204 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "DELETE", base+"/acknowledgement-link", nil); res.StatusCode != 404 {
		t.Fatalf("revoke again: %d", res.StatusCode)
	}
}
