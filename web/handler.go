package web

import "net/http"

// pageHandler serves a page. An error it returns is shown on the error
// page (or, for "not logged in", answered by sending the browser to log
// in); a handler that shows a refused form again returns what
// formRefused returns.
type pageHandler func(w http.ResponseWriter, r *http.Request) error

// page adapts a page handler to net/http. It reads a posted form before
// the handler runs, so a form that cannot be read (broken percent-encoding,
// a body over the limit) is answered with the error page rather than
// handed on as an empty form. In routes.go it sits inside inOrg or
// requireUser, which decide who may reach the page.
func (s *Server) page(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := readForm(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// upload is page for the routes that read a multipart body themselves,
// part by part (document versions, imports), so that a large file is
// streamed within its own limits and never parsed into memory here.
func (s *Server) upload(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}
