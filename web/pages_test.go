package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
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
	e := newEnv(t)
	entries := e.fill()
	b := e.login("admin@example.org")
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	pages := []string{"/?all=1", "/account", o, o + "/settings", o + "/members", o + "/audit", o + "/checklist",
		o + "/overview", o + "/overview?kind=external_factor&sort=-name", o + "/overview/new?kind=external_factor",
		fmt.Sprintf("%s/overview/entries/%d", o, entries[1].ID), fmt.Sprintf("%s/overview/entries/%d/edit", o, entries[1].ID),
		o + "/scope", o + "/scope/edit"}
	for _, lang := range []string{"da", "en"} {
		b.lang = lang
		for _, p := range pages {
			res := b.get(p)
			html := body(res)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s: status %d", lang, p, res.StatusCode)
				continue
			}
			if m := untranslated.FindString(stripAttrs(html)); m != "" {
				t.Errorf("%s %s: untranslated key %q", lang, p, m)
			}
			if !strings.Contains(html, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: page not in the requested language", lang, p)
			}
		}
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
