package web

import (
	"context"
	"net/http"
	"strconv"
)

// This file is the one home of the shape every element's record forms
// share: read the form into the element's input, make the change through
// its service, and send the browser on with a flash; a refused change is
// shown again by the element's own form (see formRefused).

// saveForm reads a form with parse, saves what it read with save and
// sends the browser to next(saved) with "saved". A refusal, of the form
// or of the change, goes to refused with what was read, which some forms
// need to show themselves again (the kind of an overview entry, the
// assessment a risk belongs to).
func saveForm[In, Out any](s *Server, w http.ResponseWriter, r *http.Request,
	parse func(*http.Request) (In, error), save func(ctx context.Context, in In) (Out, error),
	next func(saved Out) string, refused func(in In, err error) error) error {
	in, err := parse(r)
	var out Out
	if err == nil {
		out, err = save(r.Context(), in)
	}
	if err != nil {
		return refused(in, err)
	}
	s.redirect(w, r, p0(r, next(out)), "flash.saved")
	return nil
}

// createFromForm is saveForm for a new record of the organisation the
// request is in, created by a service's Create method.
func createFromForm[In, Out any](s *Server, w http.ResponseWriter, r *http.Request,
	parse func(*http.Request) (In, error), create func(ctx context.Context, orgID int64, in In) (Out, error),
	next func(created Out) string, refused func(in In, err error) error) error {
	return saveForm(s, w, r, parse, func(ctx context.Context, in In) (Out, error) {
		return create(ctx, orgFrom(ctx).ID, in)
	}, next, refused)
}

// updateFromForm is saveForm for a stored record, changed by a service's
// Update method; the browser goes on to next, the record's page.
func updateFromForm[In, Out any](s *Server, w http.ResponseWriter, r *http.Request,
	parse func(*http.Request) (In, error), update func(ctx context.Context, orgID, id int64, in In) (Out, error),
	orgID, id int64, next string, refused func(err error) error) error {
	return saveForm(s, w, r, parse, func(ctx context.Context, in In) (Out, error) {
		return update(ctx, orgID, id, in)
	}, func(Out) string { return next }, func(_ In, err error) error { return refused(err) })
}

// deleted answers a delete form once the service has answered: on to
// next, the list the record was in, with "deleted"; a refusal (a stale
// version, no right to delete) is shown on the error page.
func (s *Server) deleted(w http.ResponseWriter, r *http.Request, err error, next string) error {
	if err != nil {
		return err
	}
	s.redirect(w, r, p0(r, next), "flash.deleted")
	return nil
}

// formVersion reads the version of the record a posted form was filled
// in from (see parseVersion).
func formVersion(r *http.Request) int64 { return parseVersion(r.PostForm.Get("version")) }

// idPath is a record's page: prefix and its id ("/assets/" and 7).
func idPath(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }
