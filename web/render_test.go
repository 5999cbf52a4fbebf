package web

import (
	"io/fs"
	"testing"
)

// Every page's template parses: they are parsed after the server starts,
// so a broken one must fail here rather than at the first request for it.
func TestEveryTemplateParses(t *testing.T) {
	s := &Server{}
	staticFS, err := fs.Sub(assets, "static")
	if err != nil {
		t.Fatal(err)
	}
	if s.static, err = loadStatic(staticFS); err != nil {
		t.Fatal(err)
	}
	pages, err := parseTemplates(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages.pages) < 50 {
		t.Fatalf("only %d pages", len(pages.pages))
	}
	if err := pages.warm(); err != nil {
		t.Fatal(err)
	}
}
