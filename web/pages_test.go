package web_test

import (
	"context"
	"fmt"
	htmlpkg "html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
)

// untranslated matches a catalogue key that reached the page untranslated.
var untranslated = regexp.MustCompile(`\b(ui|title|nav|field|kind|status|category|role|answer|source|phase|action|record|level|cia|err|flash|reason|rule|evidence|overview|scope|checklist|dashboard|members|account|home|audit|setup|access|area)\.[a-z_0-9.]+[a-z]\b`)

// fill records one entry of every register and a scope.
func (e *env) fill() (entries []*isms.OverviewEntry) {
	e.t.Helper()
	ctx := e.as(e.admin)
	next := isms.DateOf(e.db.Now()).AddDays(90)
	for _, k := range isms.EntryKinds {
		in := isms.OverviewEntryInput{Kind: k, Name: "Test " + string(k), Description: "Beskrivelse", Status: isms.StatusActive, NextReview: &next,
			Requirements: isms.Requirements{Confidentiality: 3, Integrity: 2, Availability: 4, Text: "Krav"}}
		if k == isms.KindExternalFactor {
			in.Category = "law"
		}
		if len(entries) > 0 {
			in.Links = []int64{entries[0].ID}
		}
		en, err := e.db.CreateOverviewEntry(ctx, e.org.ID, in)
		if err != nil {
			e.t.Fatal(err)
		}
		entries = append(entries, en)
	}
	if _, err := e.db.SaveScope(ctx, e.org.ID, isms.ScopeInput{Description: "Hele kommunen", OrganisationUnits: "Alle",
		ProcessIDs: []int64{entries[0].ID}, BoundaryCriteria: "Forretningskritisk", Exclusions: "Intet udeladt"}); err != nil {
		e.t.Fatal(err)
	}
	return entries
}

// TestEveryPageRendersInBothLanguages opens each page in Danish and
// English and checks that it answers 200 and shows no untranslated key.
func TestEveryPageRendersInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entries := e.fill()
	b := e.login("admin@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	pages := []string{"/?all=1", "/account", o, o + "/settings", o + "/members", o + "/audit", o + "/checklist",
		o + "/overview", o + "/overview?kind=external_factor&sort=-name", o + "/overview/new?kind=external_factor",
		fmt.Sprintf("%s/overview/entries/%d", o, entries[1].ID), fmt.Sprintf("%s/overview/entries/%d/edit", o, entries[1].ID),
		o + "/scope", o + "/scope/edit"}
	b.pagesRender(t, pages, untranslated)
	// The progress chart draws the daily snapshots (which serve takes).
	if _, err := e.db.TakeChecklistSnapshots(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := b.get(o + "/checklist/history.svg")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(body(res), "<rect") {
		t.Errorf("history chart: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// stripAttrs drops URLs and ids, which legitimately contain dotted words.
var attr = regexp.MustCompile(`(href|src|id|for|action|name|aria-[a-z]+)="[^"]*"`)

func stripAttrs(s string) string { return attr.ReplaceAllString(s, "") }

func TestLanguageChoiceSticks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.login("admin@example.org")
	b.lang = "en"
	res := b.post("/lang", url.Values{"lang": {"da"}, "back": {"/account"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("lang switch: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if html := body(b.get("/account")); !strings.Contains(html, `lang="da"`) || !strings.Contains(html, "Skift adgangskode") {
		t.Fatal("the Danish choice did not stick over an English browser")
	}
	// An off-site "back" is not followed.
	res = b.post("/lang", url.Values{"lang": {"en"}, "back": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("open redirect: %s", loc)
	}
}

// TestEveryFormPointsAtExistingIDs walks every page of the UI reachable
// from the home page of a filled ISMS (the demo municipality), and every
// form of a page that creates or edits something once more refused with
// empty input, and checks that each aria-describedby names only ids that
// exist in the same document, once: a description that points at nothing
// is an accessibility fault (axe: aria-valid-attr-value), and a form
// without an error must not point at the messages it would show.
func TestEveryFormPointsAtExistingIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := demo.Fill(context.Background(), e.db, io.Discard, "")
	if err != nil {
		t.Fatal(err)
	}
	// The login page, before logging in.
	res, err := http.Get(e.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	checkDescribedBy(t, "/login", body(res))
	b := e.login("admin@example.org") // the site administrator sees every form
	w := crawl(t, b, "/", fmt.Sprintf("/orgs/%d", d.Org.ID), fmt.Sprintf("/orgs/%d", d.Parent.ID))
	t.Logf("walked %d pages with %d forms", w.pages, w.forms)
	if w.pages < 200 || w.forms < 400 || len(w.editors) < 25 {
		t.Fatalf("the walk reached %d pages with %d forms, %d of them creating or editing; expected the whole UI", w.pages, w.forms, len(w.editors))
	}
	// The same forms showing errors: each sent back empty.
	action := regexp.MustCompile(`<form[^>]*\smethod="post"[^>]*\saction="([^"]*)"|<form[^>]*\saction="([^"]*)"[^>]*\smethod="post"`)
	refused := 0
	for _, p := range w.editors {
		for _, m := range action.FindAllStringSubmatch(p.html, -1) {
			a := htmlpkg.UnescapeString(m[1] + m[2])
			if a == "" || a == "/lang" || a == "/logout" || strings.Contains(a, "delete") {
				continue
			}
			res := b.post(a, url.Values{})
			html := body(res)
			if res.StatusCode >= 400 && strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				refused++
				checkDescribedBy(t, "POST "+a+" (from "+p.path+")", html)
			}
		}
	}
	t.Logf("%d editors, %d forms refused", len(w.editors), refused)
	if refused < 25 {
		t.Errorf("only %d forms were shown refused", refused)
	}
}

// walk is what crawl saw.
type walk struct {
	pages, forms int
	editors      []walkedPage // pages that create or edit a record
}

type walkedPage struct{ path, html string }

// crawl follows every link of the site from the start pages, at most a
// few pages per route (ids and queries aside), and checks each HTML page
// with checkDescribedBy.
func crawl(t *testing.T, b *browser, start ...string) walk {
	t.Helper()
	href := regexp.MustCompile(`href="(/[^"#]*)`)
	digits := regexp.MustCompile(`[0-9]+`)
	skip := regexp.MustCompile(`^/(static|api|logout|feeds)/|\.(xlsx|svg|ics|json|csv|zip|pdf|txt|docx)(\?|$)|/download(\?|$)`)
	editor := regexp.MustCompile(`/(new|edit)$`)
	var w walk
	seen := map[string]bool{}
	perRoute := map[string]int{}
	queue := append([]string(nil), start...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] || skip.MatchString(p) {
			continue
		}
		seen[p] = true
		path, query, _ := strings.Cut(p, "?")
		route := digits.ReplaceAllString(path, "N")
		if query != "" {
			keys := []string{}
			for _, kv := range strings.Split(query, "&") {
				k, _, _ := strings.Cut(kv, "=")
				keys = append(keys, k)
			}
			route += "?" + strings.Join(keys, "&")
		}
		if perRoute[route] >= 2 {
			continue
		}
		perRoute[route]++
		res := b.get(p)
		html := body(res)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		w.pages++
		w.forms += strings.Count(html, "<form")
		if editor.MatchString(path) {
			w.editors = append(w.editors, walkedPage{p, html})
		}
		checkDescribedBy(t, p, html)
		for _, m := range href.FindAllStringSubmatch(html, -1) {
			queue = append(queue, htmlpkg.UnescapeString(m[1]))
		}
	}
	return w
}

var (
	idAttr          = regexp.MustCompile(`\sid="([^"]*)"`)
	describedByAttr = regexp.MustCompile(`\saria-describedby="([^"]*)"`)
)

// checkDescribedBy fails the test for every aria-describedby id that no
// element of the document carries.
func checkDescribedBy(t *testing.T, page, html string) {
	t.Helper()
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(html, -1) {
		id := htmlpkg.UnescapeString(m[1])
		if ids[id] {
			t.Errorf("%s: the id %q is on the page twice", page, id)
		}
		ids[id] = true
	}
	for _, m := range describedByAttr.FindAllStringSubmatch(html, -1) {
		for _, id := range strings.Fields(htmlpkg.UnescapeString(m[1])) {
			if !ids[id] {
				t.Errorf("%s: aria-describedby names %q, which is not on the page", page, id)
			}
		}
	}
}
