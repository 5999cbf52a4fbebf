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
		samePlaceholders(t, k, "Danish", da, "English", en)
	}
}

// samePlaceholders fails when two texts of a message differ in their fmt
// verbs, which would fill one language's text with the wrong arguments.
func samePlaceholders(t *testing.T, k Key, an, a, bn, b string) {
	t.Helper()
	va, vb := verb.FindAllString(a, -1), verb.FindAllString(b, -1)
	if len(va) != len(vb) {
		t.Errorf("%s: %s has placeholders %v, %s %v", k, an, va, bn, vb)
		return
	}
	for i := range va {
		if va[i] != vb[i] {
			t.Errorf("%s: placeholder %d is %s in %s, %s in %s", k, i, va[i], an, vb[i], bn)
		}
	}
}

// TestCountMessagesComplete fails on a count message with an empty form,
// forms that differ in their placeholders, or a count argument that is
// not a number the message prints with %d.
func TestCountMessagesComplete(t *testing.T) {
	n := 0
	for _, k := range Keys() {
		p, ok := PluralOf(k)
		if !ok {
			continue
		}
		n++
		forms := map[string]string{"Danish one": p.DA[0], "Danish other": p.DA[1], "English one": p.EN[0], "English other": p.EN[1]}
		for name, s := range forms {
			if s == "" {
				t.Errorf("%s: %s form is empty", k, name)
			}
			samePlaceholders(t, k, "Danish other", p.DA[1], name, s)
		}
		if vs := verb.FindAllString(p.EN[1], -1); p.Count < 0 || p.Count >= len(vs) || vs[p.Count] != "%d" {
			t.Errorf("%s: count argument %d is not a %%d placeholder of %q", k, p.Count, p.EN[1])
		}
	}
	if n == 0 {
		t.Error("no count messages")
	}
}

func TestCountChoosesTheForm(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{DA, 0, "0 risici"}, {DA, 1, "1 risiko"}, {DA, 2, "2 risici"},
		{EN, 0, "0 risks"}, {EN, 1, "1 risk"}, {EN, 7, "7 risks"},
	} {
		if got := T(c.lang, "risk.risk_count", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	// The count need not be the first argument.
	if got := T(EN, "reason.soa_changed_since_approval", 3, 1); got != "The SoA has changed since the approved version 3 (1 line)." {
		t.Errorf("count in second place: %q", got)
	}
}

// TestLeavesArgumentsAlone: translating a message whose arguments are keys
// must not replace them in the caller's slice, so the same error can be
// shown again, in the other language.
func TestLeavesArgumentsAlone(t *testing.T) {
	args := []any{"kind.process"}
	da := T(DA, "reason.register_empty", args...)
	if args[0] != "kind.process" {
		t.Fatalf("T changed its argument to %q", args[0])
	}
	if en := T(EN, "reason.register_empty", args...); en == da || !strings.Contains(en, "Business-critical processes") {
		t.Errorf("second translation %q after %q", en, da)
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
