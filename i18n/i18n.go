// Package i18n is the message catalogue: every string a user sees, in
// Danish and English. Each element of the guide keeps its messages in its
// own file of this package; a test fails when a key used by a template or
// by the code is missing, or when either language is empty.
package i18n

import (
	"fmt"
	"net/http"
	"reflect"
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

// Key names a message of the catalogue, e.g. "risk.risk_count". A constant
// key at a call site is an untyped string constant and needs no conversion;
// a key built at run time ("doc.kind."+kind) is converted explicitly, so a
// reader sees where the catalogue test cannot follow a key from its text.
type Key string

var messages = map[Key][2]string{}

// A Plural is a message that states a count: a form for one and a form for
// any other number (0 included), in Danish and in English. Both languages
// choose the same way, so one rule serves them. Count says which of the
// message's arguments (from 0) is the number that chooses; the other
// arguments fill the placeholders as in any message.
type Plural struct {
	Count int
	DA    [2]string // one, other
	EN    [2]string // one, other
}

var plurals = map[Key]Plural{}

// add registers messages: key → {Danish, English}. A key defined twice is a
// programming error.
func add(m map[Key][2]string) {
	for k, v := range m {
		if Has(k) {
			panic("i18n: message key defined twice: " + string(k))
		}
		messages[k] = v
	}
}

// addPlural registers count messages. A key defined twice, as a plural or
// as a plain message, is a programming error.
func addPlural(m map[Key]Plural) {
	for k, v := range m {
		if Has(k) {
			panic("i18n: message key defined twice: " + string(k))
		}
		plurals[k] = v
	}
}

// Has reports whether a key is in the catalogue.
func Has(key Key) bool {
	if _, ok := messages[key]; ok {
		return true
	}
	_, ok := plurals[key]
	return ok
}

// Keys returns every key, sorted.
func Keys() []Key {
	out := make([]Key, 0, len(messages)+len(plurals))
	for k := range messages {
		out = append(out, k)
	}
	for k := range plurals {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Raw returns the two texts of a plain message, or the forms for any
// number other than one of a count message.
func Raw(key Key) (da, en string) {
	if p, ok := plurals[key]; ok {
		return p.DA[1], p.EN[1]
	}
	m := messages[key]
	return m[0], m[1]
}

// PluralOf returns the count message of a key, and false for a plain
// message or a missing key.
func PluralOf(key Key) (Plural, bool) { p, ok := plurals[key]; return p, ok }

// T translates key into lang, filling fmt verbs with args. An argument that
// is itself a catalogue key (a Key, or a string naming one) is translated
// first, so a reason can name a register ("kind.process") in the reader's
// language, and an argument that is a list of keys is put in words as
// alternatives ("a, b or c"). A count message takes the form its count
// argument asks for. The caller's arguments are never changed: a message
// kept in an error can be shown again in another language. A missing key
// shows as itself, which the catalogue test prevents from shipping.
func T(lang string, key Key, args ...any) string {
	s, ok := text(lang, key, args)
	if !ok {
		return string(key)
	}
	if len(args) == 0 {
		return s
	}
	filled := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Key:
			filled[i] = T(lang, v)
		case string:
			if Has(Key(v)) {
				filled[i] = T(lang, Key(v))
			} else {
				filled[i] = v
			}
		case []string:
			filled[i] = alternatives(lang, v)
		default:
			filled[i] = a
		}
	}
	return fmt.Sprintf(s, filled...)
}

// text returns the message of key in lang, for a count message the form
// its count argument asks for.
func text(lang string, key Key, args []any) (string, bool) {
	form := 0
	if lang == EN {
		form = 1
	}
	if m, ok := messages[key]; ok {
		return m[form], true
	}
	p, ok := plurals[key]
	if !ok {
		return "", false
	}
	forms := p.DA
	if lang == EN {
		forms = p.EN
	}
	if p.Count < len(args) && isOne(args[p.Count]) {
		return forms[0], true
	}
	return forms[1], true
}

// isOne reports whether a count argument is the number one. Counts are
// integers, of any integer type (a named one such as a level included);
// anything else takes the form for other numbers.
func isOne(n any) bool {
	v := reflect.ValueOf(n)
	switch {
	case v.CanInt():
		return v.Int() == 1
	case v.CanUint():
		return v.Uint() == 1
	}
	return false
}

// alternatives puts a list of catalogue keys in words as alternatives:
// "a, b eller c" in Danish, "a, b or c" in English. T uses it for an
// argument that is a list of keys, so a rule's statement can list the
// things it counts from the rule's own declaration of them.
func alternatives(lang string, keys []string) string {
	words := make([]string, len(keys))
	for i, k := range keys {
		words[i] = T(lang, Key(k))
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
