package web

import (
	"fmt"
	"html/template"
	"strings"
)

// The SVG pictures the pages show are drawn by templates in
// templates/drawings, one file per picture, so that html/template escapes
// every label, colour and link in its context as it does for the pages;
// the Go code only works out the geometry, as a view model of rects, texts
// and links. A picture is also served alone (image/svg+xml): the same
// markup, which is an SVG document by itself.
var drawings = template.Must(template.New("drawings").ParseFS(assets, "templates/drawings/*.svg"))

// draw renders one picture for a page or a response of its own.
func draw(name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := drawings.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("drawing %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}
