package web

import (
	"html/template"
	"io/fs"
	"strings"
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

// TH keeps an HTML argument, such as a date drawn as a <time> element,
// and escapes everything else, text from a record included.
func TestTranslateWithHTMLArguments(t *testing.T) {
	p := &page{Lang: "en"}
	got := p.TH("comm.acknowledged_by_on", "<b>Eve</b>", template.HTML(`<time datetime="2026-12-06">2026-12-06</time>`))
	want := `&lt;b&gt;Eve&lt;/b&gt;`
	if !strings.Contains(string(got), want) || !strings.Contains(string(got), `<time datetime="2026-12-06">2026-12-06</time>`) {
		t.Errorf("TH = %s", got)
	}
	if strings.ContainsAny(string(got), "\ue000\ue001") {
		t.Errorf("TH left a marker: %q", got)
	}
}
