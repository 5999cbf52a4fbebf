package i18n

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestBothLanguagesComplete fails on a message missing or empty in either
// language, or whose placeholders differ between the two.
func TestBothLanguagesComplete(t *testing.T) {
	for _, k := range Keys() {
		da, en := Raw(k)
		if da == "" || en == "" {
			t.Errorf("%s: missing in %s", k, map[bool]string{true: "Danish", false: "English"}[da == ""])
			continue
		}
		if a, b := verb.FindAllString(da, -1), verb.FindAllString(en, -1); len(a) != len(b) {
			t.Errorf("%s: Danish has placeholders %v, English %v", k, a, b)
		} else {
			for i := range a {
				if a[i] != b[i] {
					t.Errorf("%s: placeholder %d is %s in Danish, %s in English", k, i, a[i], b[i])
				}
			}
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ header, cookie, want string }{
		{"", "", DA},
		{"en-GB,en;q=0.9", "", EN},
		{"de-DE,de;q=0.9", "", DA},
		{"en;q=0.5,da;q=0.8", "", DA},
		{"da", "en", EN},
		{"en", "xx", EN},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", c.header)
		if c.cookie != "" {
			r.Header.Set("Cookie", "lang="+c.cookie)
		}
		if got := Negotiate(r); got != c.want {
			t.Errorf("Accept-Language %q cookie %q: %s, want %s", c.header, c.cookie, got, c.want)
		}
	}
}

func TestTranslatesKeyArguments(t *testing.T) {
	if got := T(EN, "reason.register_empty", "kind.process"); got != "The register “Business-critical processes” has no active entries." {
		t.Errorf("got %q", got)
	}
}

// TestDanishReadsAsDanish guards phrasings that were once word-for-word
// renderings of the English and not Danish: none may come back, and the
// annual wheel's record label reads as a sentence.
func TestDanishReadsAsDanish(t *testing.T) {
	if da, _ := Raw("field.record_text"); da != "Dokumentation, som hver forekomst skal efterlade" {
		t.Errorf("field.record_text: %q", da)
	}
	broken := []string{
		"hver gang skal efterlade",         // no subject: "each time must leave"
		"registreret at have forholdt sig", // "has no record of having dealt"
		"Påmindelse dage før",              // "Reminder days before"
		" svares herfra",                   // a question is besvaret, not svaret
		"får dette",                        // "will get this"
		"håndtering af og læring af",       // a dangling preposition
		"forslået",                         // foreslået
		"truselskolonne",                   // trusselskolonne
		"(ruder)",                          // the card suit, not the shape
	}
	for _, k := range Keys() {
		da, _ := Raw(k)
		for _, b := range broken {
			if strings.Contains(da, b) {
				t.Errorf("%s: %q still says %q", k, da, b)
			}
		}
	}
}

func TestListsKeysAsAlternatives(t *testing.T) {
	keys := []string{"topic.roles", "topic.policies", "topic.communication"}
	for lang, want := range map[string]string{
		DA: "Sikkerhedsudvalget taler om Roller og ansvar, Politikker og strategier eller Kommunikation.",
		EN: "The committee talks about Roles and responsibilities, Policies and strategy or Communication.",
	} {
		messages["test.list"] = [2]string{"Sikkerhedsudvalget taler om %s.", "The committee talks about %s."}
		got := T(lang, "test.list", keys)
		delete(messages, "test.list")
		if got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := alternatives(EN, []string{"topic.roles"}); got != "Roles and responsibilities" {
		t.Errorf("one alternative: %q", got)
	}
	if got := alternatives(EN, nil); got != "" {
		t.Errorf("no alternatives: %q", got)
	}
}
