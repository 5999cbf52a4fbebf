package i18n

import (
	"net/http/httptest"
	"regexp"
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
