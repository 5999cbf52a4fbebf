package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// TestOpenAPIMatchesServedRoutes reads the OpenAPI document without logging
// in and calls every operation it lists: each must reach a handler of the
// API (a JSON answer or 204), never the router's "no such route", and
// answer with a status the document lists for the operation (its success
// status, or a 4XX with the documented error body); a 500 fails, whatever
// its body.
func TestOpenAPIMatchesServedRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fill()
	tok := e.token(e.admin)
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("openapi.json: %v %v", res, err)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
		Comps   struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) < 10 {
		t.Fatalf("document: openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
	for _, must := range []string{"/api/v1/organisations", "/api/v1/organisations/{org}/checklist", "/api/v1/organisations/{org}/entries", "/api/v1/organisations/{org}/scope"} {
		if _, ok := doc.Paths[must]; !ok {
			t.Errorf("document lacks %s", must)
		}
	}
	ops := 0
	for path, methods := range doc.Paths {
		for method, op := range methods {
			ops++
			if op["summary"] == "" || op["responses"] == nil {
				t.Errorf("%s %s: no summary or responses", method, path)
			}
			// References to schemas must resolve.
			b, _ := json.Marshal(op)
			for _, ref := range strings.Split(string(b), `"$ref":"#/components/schemas/`)[1:] {
				name := ref[:strings.Index(ref, `"`)]
				if _, ok := doc.Comps.Schemas[name]; !ok {
					t.Errorf("%s %s: unresolved schema %s", method, path, name)
				}
			}
			p := strings.NewReplacer("{org}", fmt.Sprint(e.org.ID), "{question}", "4.1").Replace(path)
			p = replaceParams(p) // other ids: one that does not exist, which the handler must answer
			var body any
			if method == "post" || method == "put" || method == "delete" || method == "patch" {
				body = map[string]any{}
			}
			r, out := e.api(tok, strings.ToUpper(method), p, body)
			responses, _ := op["responses"].(map[string]any)
			if !documentedStatus(responses, r.StatusCode) {
				t.Errorf("%s %s: status %d, which the document does not list (%v)", method, p, r.StatusCode, keys(responses))
			}
			if r.StatusCode >= 400 {
				if e, _ := out["error"].(map[string]any); e == nil || e["code"] == "" || e["message"] == "" {
					t.Errorf("%s %s: status %d without the documented error body: %v", method, p, r.StatusCode, out)
				}
			}
			ct := r.Header.Get("Content-Type")
			if r.StatusCode != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "text/calendar") &&
				!strings.Contains(ct, "spreadsheet") && !strings.HasPrefix(ct, "image/svg") && !strings.HasPrefix(ct, "application/octet-stream") {
				t.Errorf("%s %s: status %d with %q — not served by an API handler", method, p, r.StatusCode, ct)
			}
		}
	}
	t.Logf("%d operations checked", ops)
}

// documentedStatus reports whether an operation's responses list a status,
// itself or by its class ("4XX").
func documentedStatus(responses map[string]any, status int) bool {
	if _, ok := responses[fmt.Sprint(status)]; ok {
		return true
	}
	_, ok := responses[fmt.Sprintf("%dXX", status/100)]
	return ok
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// replaceParams puts an id that does not exist in every remaining {param}.
func replaceParams(p string) string {
	for {
		i := strings.Index(p, "{")
		if i < 0 {
			return p
		}
		j := strings.Index(p[i:], "}")
		p = p[:i] + "999999" + p[i+j+1:]
	}
}

// TestAPIBadInputStoresNothing sends broken requests and checks each gets
// a clear error naming the problem, in the caller's language, and that
// nothing was stored.
func TestAPIBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fill()
	tok := e.token(e.admin)
	base := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	_, before, _ := e.db.OverviewEntries(e.as(e.admin), e.org.ID, isms.EntryFilter{})
	_, events, _ := e.db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{})
	cases := []struct {
		name  string
		body  string
		field string
	}{
		{"missing name", `{"kind":"process"}`, "name"},
		{"over-long name", `{"kind":"process","name":"` + strings.Repeat("x", 301) + `"}`, "name"},
		{"unknown kind", `{"kind":"castle","name":"x"}`, "kind"},
		{"invalid date", `{"kind":"process","name":"x","next_review":"2026-13-45"}`, ""},
		{"wrong type", `{"kind":"process","name":42}`, "name"},
		{"level out of range", `{"kind":"process","name":"x","requirements":{"confidentiality":7}}`, "requirements.confidentiality"},
		{"unknown link", `{"kind":"process","name":"x","links":[999999]}`, "links"},
		{"unknown owner", `{"kind":"process","name":"x","owner_id":999999}`, "owner_id"},
		{"unknown field", `{"kind":"process","name":"x","colour":"red"}`, "colour"},
		{"external factor without type", `{"kind":"external_factor","name":"x"}`, "category"},
		{"not JSON", `{"kind":`, ""},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", e.srv.URL+base+"/entries", strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept-Language", "da")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Error struct {
				Code, Message string
				Fields        []struct{ Field, Message string }
			}
		}
		json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if res.StatusCode != 422 || out.Error.Code != "invalid" || out.Error.Message == "" {
			t.Errorf("%s: %d %+v", c.name, res.StatusCode, out)
			continue
		}
		if c.field != "" {
			found := false
			for _, f := range out.Error.Fields {
				if f.Field == c.field && f.Message != "" && !strings.Contains(f.Message, "err.") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no Danish message for field %s: %+v", c.name, c.field, out.Error)
			}
		}
	}
	_, after, _ := e.db.OverviewEntries(e.as(e.admin), e.org.ID, isms.EntryFilter{})
	_, events2, _ := e.db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{})
	if after != before || events2 != events {
		t.Errorf("bad input stored something: entries %d→%d, audit events %d→%d", before, after, events, events2)
	}
	// Unknown ids answer 404 in JSON.
	if res, body := e.api(tok, "GET", base+"/entries/999999", nil); res.StatusCode != 404 || body["error"] == nil {
		t.Errorf("unknown id: %d %v", res.StatusCode, body)
	}
	if res, _ := e.api(tok, "GET", "/api/v1/organisations/abc", nil); res.StatusCode != 404 {
		t.Errorf("non-numeric id: %d", res.StatusCode)
	}
	if res, _ := e.api(tok, "GET", base+"/entries?limit=-1", nil); res.StatusCode != 422 {
		t.Errorf("negative limit: %d", res.StatusCode)
	}
}

// TestStaleEditRefusedAndNothingLost: two people edit the same entry; the
// second save is refused with a message saying someone else changed it, and
// the first one's change stands.
func TestStaleEditRefusedAndNothingLost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entries := e.fill()
	tok := e.token(e.admin)
	path := fmt.Sprintf("/api/v1/organisations/%d/entries/%d", e.org.ID, entries[0].ID)
	if res, _ := e.api(tok, "PUT", path, map[string]any{"name": "First", "version": 1}); res.StatusCode != 200 {
		t.Fatalf("first save: %d", res.StatusCode)
	}
	res, out := e.api(tok, "PUT", path, map[string]any{"name": "Second", "version": 1})
	if res.StatusCode != 409 || !strings.Contains(out["error"].(map[string]any)["message"].(string), "Someone else changed") {
		t.Fatalf("stale save: %d %v", res.StatusCode, out)
	}
	got, _ := e.db.OverviewEntry(e.as(e.admin), e.org.ID, entries[0].ID)
	if got.Name != "First" || got.Version != 2 {
		t.Fatalf("after the refused save: %q v%d", got.Name, got.Version)
	}
	// In the browser the refused form keeps what the user typed.
	b := e.login("admin@example.org")
	r := b.post(fmt.Sprintf("/orgs/%d/overview/entries/%d", e.org.ID, entries[0].ID), map[string][]string{
		"name": {"Typed by me"}, "version": {"1"}, "status": {"active"}, "kind": {"process"}})
	html := body(r)
	if r.StatusCode != 409 || !strings.Contains(html, "Typed by me") || !strings.Contains(html, `name="version" value="2"`) {
		t.Errorf("browser stale save: %d; keeps input: %v", r.StatusCode, strings.Contains(html, "Typed by me"))
	}
}

func TestCreateOrganisationThroughAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.admin)
	res, body := e.api(tok, "POST", "/api/v1/organisations", map[string]any{"name": "Ny styrelse"})
	if res.StatusCode != 201 || body["id"] == nil {
		t.Fatalf("create: %d %v", res.StatusCode, body)
	}
	res, body = e.api(tok, "POST", "/api/v1/organisations", map[string]any{"name": "Ny styrelse"})
	if res.StatusCode != 422 {
		t.Errorf("duplicate name: %d %v", res.StatusCode, body)
	}
	// A plain user may not create a top-level organisation.
	u := e.member("u@example.org", e.org, isms.RoleCoordinator)
	if res, _ := e.api(e.token(u), "POST", "/api/v1/organisations", map[string]any{"name": "Mine"}); res.StatusCode != 403 {
		t.Errorf("coordinator creates top-level: %d", res.StatusCode)
	}
	// An administrator of a parent may create its children.
	a := e.member("a@example.org", e.org, isms.RoleAdministrator)
	if res, body := e.api(e.token(a), "POST", "/api/v1/organisations", map[string]any{"name": "Datterstyrelse", "parent_id": e.org.ID}); res.StatusCode != 201 {
		t.Errorf("admin of parent creates child: %d %v", res.StatusCode, body)
	}
}
