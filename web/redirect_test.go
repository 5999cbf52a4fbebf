package web

import "testing"

// TestSafeNext: a return address stays only when it is a path of this site;
// every shape known to lead a browser elsewhere becomes "/".
func TestSafeNext(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Kept: the site's own addresses, with query and fragment.
		{"/", "/"},
		{"/orgs/2/risks", "/orgs/2/risks"},
		{"/orgs/2/risks/", "/orgs/2/risks/"},
		{"/orgs/2/risks?level=high&owner=3", "/orgs/2/risks?level=high&owner=3"},
		{"/orgs/2/risks?q=a%2Fb%2F%2Fc", "/orgs/2/risks?q=a%2Fb%2F%2Fc"}, // slashes in the query do not move the browser
		{"/orgs/2/overview#entry-4", "/orgs/2/overview#entry-4"},
		{"/orgs/2/risks?q=100%25", "/orgs/2/risks?q=100%25"},
		{"/orgs/2/risks?q=%C3%A6bler", "/orgs/2/risks?q=%C3%A6bler"},

		// Empty, or not a path.
		{"", "/"},
		{"orgs/2", "/"},
		{"https://evil.example", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"data:text/html,x", "/"},

		// Scheme-relative and its disguises.
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/\\/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%0a/evil.example", "/"},
		{"/%2509/evil.example", "/"}, // encoded twice
		{"/%2F/evil.example", "/"},
		{"/%2f%2fevil.example", "/"},
		{"/%252F/evil.example", "/"},
		{"/%5C/evil.example", "/"},
		{"/%5cevil.example", "/"},
		{"/ /evil.example", "/"},
		{"/%20/evil.example", "/"},
		{"/orgs%zz/%09/evil.example", "/"}, // a stray % does not hide a later escape

		// Dot segments: "/.//evil" is "//evil" once the dot goes.
		{"/.//evil.example", "/"},
		{"/./evil", "/"},
		{"/../evil", "/"},
		{"/orgs/..", "/"},
		{"/%2e%2e/evil", "/"},
		{"/%2E/%2Fevil.example", "/"},

		// Whitespace and control characters anywhere.
		{" /orgs/2", "/"},
		{"/orgs/2 ", "/"},
		{"/orgs/2\x00", "/"},
		{"/orgs/2%00", "/"},
		{"/orgs/2?next=%0d%0aSet-Cookie:x", "/"},
		{"/orgs/2\u00a0", "/"},        // no-break space
		{"/\u2028/evil.example", "/"}, // line separator
		{"/\u3000/evil.example", "/"}, // ideographic space
		{"/%E2%80%A8/evil.example", "/"},
		{"/%C2%A0/evil.example", "/"},
		{"/%E2%80%8B/evil.example", "/"}, // zero-width space
		{"/%C0%AF/evil.example", "/"},    // overlong "/", not UTF-8
		{"/orgs/2\x7f", "/"},
	} {
		if got := safeNext(c.in); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
