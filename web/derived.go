package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"

	"github.com/ismsdk/isms/i18n"
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

// fragment renders one named part of a page's template for the page with
// data as its Data, for a kept view that holds its parts rendered: they are
// rendered once per change of the records rather than on every request.
// The part must show only what every reader the view is kept for may see,
// in the page's language.
func (s *Server) fragment(pageName, part string, p *page, data any) (template.HTML, error) {
	t, err := s.pages.page(pageName)
	if err != nil {
		return "", err
	}
	fp := *p
	fp.Data = data
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, &fp); err != nil {
		return "", fmt.Errorf("render %s of %s: %w", part, pageName, err)
	}
	return template.HTML(buf.String()), nil
}

// kept makes an API read whose answer is derived from an organisation's
// records (a register's page for a filter) answer from what is kept until
// the records change: the answer is encoded once, for each query and
// language, and every reader allowed to see the organisation gets it.
func (s *Server) kept(route apiRoute) apiRoute {
	read := route.Handle
	route.Handle = func(r *http.Request) (any, error) {
		org, err := pathID(r, "org")
		if err != nil {
			return nil, err
		}
		view := "api:" + i18n.Negotiate(r) + ":" + r.URL.Path + "?" + r.URL.RawQuery
		return s.derived(r, org, view, false, func(r *http.Request) (any, error) {
			v, err := read(r)
			if err != nil {
				return nil, err
			}
			b, err := json.MarshalIndent(v, "", "  ")
			return encodedJSON(append(b, '\n')), err
		})
	}
	return route
}

// encodedJSON is an API answer already encoded as writeJSON encodes one.
type encodedJSON []byte
