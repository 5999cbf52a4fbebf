package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeNext keeps a redirect on this site: the page to return to after the
// login (next) and after switching language (back). It returns next when it
// is a path of this site and "/" for anything else.
//
// A browser is generous with a Location header: it drops tabs and newlines
// anywhere, reads a backslash as a slash, and takes "//host" as another
// site, so "/\t/evil.example" and "/\\evil.example" both leave the site. So
// a return address is accepted only when it is plainly a path of ours:
//
//   - printable ASCII only: no control character, no space or other
//     whitespace, no backslash, no character outside ASCII (the pages' own
//     addresses are percent-encoded, so they never hold one);
//   - the same holds for every percent-decoded form of it, decoded again
//     and again until nothing changes, so "/%09/evil" and "/%2509/evil"
//     are refused like "/\t/evil";
//   - it starts with exactly one slash, so it names neither a scheme nor a
//     host, and in every decoded form its path has no empty segment ("//")
//     and no dot segment ("." or ".."): "/%2F/evil" decodes to "///evil",
//     and "/.//evil" turns into "//evil" once a browser removes the dot
//     segment. No page of this site has such a path, so refusing them costs
//     nothing, and the address stays a path whichever normalisation
//     anything applies to it later.
//
// The query and the fragment may hold anything printable (a search term
// with an encoded slash is fine); only the path decides where the browser
// goes.
func safeNext(next string) string {
	if !isLocalPath(next) {
		return "/"
	}
	return next
}

func isLocalPath(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	for form := s; ; {
		if !utf8.ValidString(form) {
			return false
		}
		for _, r := range form {
			if r == '\\' || unicode.IsSpace(r) || !unicode.IsGraphic(r) {
				return false
			}
		}
		if !isPlainPath(pathPart(form)) {
			return false
		}
		next := percentDecode(form)
		if next == form {
			break
		}
		form = next
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "" && u.Host == "" && u.Opaque == "" && u.User == nil
}

// pathPart is the address up to its query or fragment.
func pathPart(s string) string {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i]
	}
	return s
}

// isPlainPath: one leading slash, then segments that are neither empty nor
// "." nor ".." (a single trailing slash is fine: "/orgs/").
func isPlainPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		switch {
		case seg == "" && i == len(segs)-1:
			// "/" alone, or a trailing slash.
		case seg == "", seg == ".", seg == "..":
			return false
		}
	}
	return true
}

// percentDecode decodes every well-formed %XX escape and keeps anything
// else as it is (url.PathUnescape would give up on the whole string at the
// first stray "%", leaving later escapes unexamined).
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
