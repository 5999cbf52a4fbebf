package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// The organisation API: the operations are listed in routes.go; these
// are the parts that do more than pass through.

var auditQuery = []apiParam{{"record_type", "string", "only events of this record type"}, {"record_id", "integer", "only events of this record"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// auditTrailAPI answers a page of the organisation's audit trail.
func (s *Server) auditTrailAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	offset, limit, err := pageFrom(r, 100)
	if err != nil {
		return nil, err
	}
	rid, _ := strconv.ParseInt(r.URL.Query().Get("record_id"), 10, 64)
	events, total, err := s.Audit.AuditEvents(r.Context(), org, isms.AuditFilter{RecordType: r.URL.Query().Get("record_type"), RecordID: rid, Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	return listResponse[*isms.AuditEvent]{Items: nonNil(events), Total: total, Offset: offset, Limit: limit}, nil
}

// meAPI answers the caller's own account.
func (s *Server) meAPI(r *http.Request) (any, error) { return userFrom(r.Context()), nil }
