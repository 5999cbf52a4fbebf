// Package i18n is the message catalogue: every string a user sees, in
// Danish and English. Each element of the guide keeps its messages in its
// own file of this package; a test fails when a key used by a template or
// by the code is missing, or when either language is empty.
package i18n

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// The supported languages. Danish is the default.
const (
	DA = "da"
	EN = "en"
)

// Langs lists the supported languages.
var Langs = []string{DA, EN}

var messages = map[string][2]string{}

// add registers messages: key → {Danish, English}. A key defined twice is a
// programming error.
func add(m map[string][2]string) {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic("i18n: message key defined twice: " + k)
		}
		messages[k] = v
	}
}

// Has reports whether a key is in the catalogue.
func Has(key string) bool { _, ok := messages[key]; return ok }

// Keys returns every key, sorted.
func Keys() []string {
	out := make([]string, 0, len(messages))
	for k := range messages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Raw returns the two texts of a key.
func Raw(key string) (da, en string) { m := messages[key]; return m[0], m[1] }

// T translates key into lang, filling fmt verbs with args. An argument that
// is itself a catalogue key is translated first, so a reason can name a
// register ("kind.process") in the reader's language, and an argument that
// is a list of keys is put in words as alternatives ("a, b or c"). A missing key shows
// as itself, which the catalogue test prevents from shipping.
func T(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == EN {
		s = m[1]
	}
	if len(args) == 0 {
		return s
	}
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if Has(v) {
				args[i] = T(lang, v)
			}
		case []string:
			args[i] = alternatives(lang, v)
		}
	}
	return fmt.Sprintf(s, args...)
}

// alternatives puts a list of catalogue keys in words as alternatives:
// "a, b eller c" in Danish, "a, b or c" in English. T uses it for an
// argument that is a list of keys, so a rule's statement can list the
// things it counts from the rule's own declaration of them.
func alternatives(lang string, keys []string) string {
	words := make([]string, len(keys))
	for i, k := range keys {
		words[i] = T(lang, k)
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + T(lang, "ui.or") + " " + words[len(words)-1]
}

// Negotiate picks the language: the user's choice in the cookie, else the
// first supported language of the browser's Accept-Language by weight,
// else Danish.
func Negotiate(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && (c.Value == DA || c.Value == EN) {
		return c.Value
	}
	best, bestQ := DA, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		switch base {
		case "da", "nb", "nn", "no", "sv": // Scandinavians read Danish more readily than English
			base = DA
		case "en":
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}
