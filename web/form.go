package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// This file is the one home of reading a request: a posted form, path
// values, query parameters and form fields, and showing a refused form
// again. Each element reads its forms with these, so a number, a date or
// a checkbox means the same on every page.

type formErrorKey struct{}

// withFormError remembers that the request's form could not be read.
// refuseNUL reads forms before any handler does, and net/http parses a
// form once: asked again, it answers nil. So the first error is kept for
// readForm to report.
func withFormError(r *http.Request, err error) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), formErrorKey{}, err))
}

// readForm parses a posted form, or reports why it could not be parsed
// when it was parsed before. Other methods carry no form body; their
// query is read by the handler.
func readForm(r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	if err, ok := r.Context().Value(formErrorKey{}).(error); ok {
		return formProblem(err)
	}
	if err := r.ParseForm(); err != nil {
		return formProblem(err)
	}
	return nil
}

// formProblem words a form that cannot be read for the person who sent it.
func formProblem(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return isms.Errorf(isms.EInvalid, "err.body_too_large")
	}
	return isms.Errorf(isms.EInvalid, "err.bad_form")
}

// pathID reads an integer path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, isms.Errorf(isms.ENotFound, "err.not_found", name)
	}
	return id, nil
}

// pathIDs reads {org} and {id}.
func pathIDs(r *http.Request) (int64, int64, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return 0, 0, err
	}
	id, err := pathID(r, "id")
	return org, id, err
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: name, Key: "err.number"}}}
	}
	return n, nil
}

// pageFrom reads the optional ?offset= and ?limit= of a list, a page's or
// an operation's; limit is the page size when the query gives none.
func pageFrom(r *http.Request, limit int) (offset, size int, err error) {
	if offset, err = queryInt(r, "offset", 0); err != nil {
		return 0, 0, err
	}
	size, err = queryInt(r, "limit", limit)
	return offset, size, err
}

// queryID reads an optional id of a list's filter ("owner=7"); a value
// that is not a whole number is refused as field's.
func queryID(v *isms.Validation, q url.Values, name, field string) int64 {
	return queryIDAtLeast(v, q, name, field, math.MinInt64)
}

// queryIDAtLeast is queryID for a filter that also refuses an id below
// min (the risk register refuses a negative one, the SoA an owner of 0).
func queryIDAtLeast(v *isms.Validation, q url.Values, name, field string, min int64) int64 {
	s := q.Get(name)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < min {
		v.Add(field, "err.number")
	}
	return id
}

// parseFlag reads a checkbox or a yes/no filter: "1", "true" and "on"
// (what a browser sends for a ticked box) are yes, anything else no.
func parseFlag(s string) bool { return s == "1" || s == "true" || s == "on" }

// formInt reads an optional whole number of a form; empty is def.
func formInt(v *isms.Validation, field, s string, def int) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(field, "err.number")
		return def
	}
	return n
}

// parseOptionalID reads a reference to another record; empty is none.
func parseOptionalID(v *isms.Validation, field, s string) *int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, "err.unknown_reference")
		return nil
	}
	return &id
}

// parseIDs reads a multi-valued field of references (a multi-select).
func parseIDs(v *isms.Validation, field string, values []string) []int64 {
	var out []int64
	for _, x := range values {
		if id := parseOptionalID(v, field, x); id != nil {
			out = append(out, *id)
		}
	}
	return out
}

// parseOptionalDate reads a date written as YYYY-MM-DD; empty is none.
func parseOptionalDate(v *isms.Validation, field, s string) *isms.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	d, err := isms.ParseDate(s)
	if err != nil {
		v.Add(field, "err.date")
		return nil
	}
	return &d
}

// parseVersion reads the version of a record a form was filled in from.
// Missing or garbled is 0, which the store refuses as "version required"
// where a version is needed.
func parseVersion(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// versionOf gives formRefused the version of a stored record (see
// there), or nil for a new one, which has no version to carry.
func versionOf[R any](rec *R, version func(*R) int64) func() int64 {
	if rec == nil {
		return nil
	}
	return func() int64 { return version(rec) }
}

// formRefused shows a form again after a refused change: invalid input
// (422) or a stale version (409), with what the user sent kept in the
// form. On a stale version, current (unless nil) gives the record's
// version now, which the form carries from then on, so saving again is a
// deliberate overwrite of what the other person saved. Any other error is
// returned, for the error page.
func (s *Server) formRefused(r *http.Request, err error, p *page, current func() int64, show func(p *page, status int) error) error {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		p.setError(err)
		p.Form = r.PostForm
		if current != nil && isms.ErrorCode(err) == isms.EConflict {
			p.Form.Set("version", strconv.FormatInt(current(), 10))
		}
		return show(p, s.status(r, err))
	}
	return err
}
