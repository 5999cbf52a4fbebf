package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
)

// derived returns a view assembled from several services (the dashboard,
// the checklist page), kept until the organisation's records change or the
// day turns (Services.Derived), or computed now where nothing keeps it.
// perReader keeps it for this reader only, for a view that shows what only
// they see. The value is shared by every reader it is kept for: the caller
// copies what it changes.
func (s *Server) derived(r *http.Request, orgID int64, view string, perReader bool, compute func(r *http.Request) (any, error)) (any, error) {
	if s.Derived == nil {
		return compute(r)
	}
	return s.Derived(r.Context(), orgID, view, perReader, func(ctx context.Context) (any, error) { return compute(r.WithContext(ctx)) })
}

// fragment renders one named part of a page's template with the page's
// data, for a kept view that holds its parts rendered: they are rendered
// once per change of the records rather than on every request. The part
// must show only what every reader the view is kept for may see, in the
// page's language.
func (s *Server) fragment(pageName, part string, p *page) (template.HTML, error) {
	t, err := s.pages.page(pageName)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, p); err != nil {
		return "", fmt.Errorf("render %s of %s: %w", part, pageName, err)
	}
	return template.HTML(buf.String()), nil
}
