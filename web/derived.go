package web

import (
	"context"
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
