package web

import (
	"context"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

type ctxKey int

const (
	userKey ctxKey = iota
	orgKey
)

func userFrom(ctx context.Context) *isms.User {
	u, _ := ctx.Value(userKey).(*isms.User)
	return u
}

func orgFrom(ctx context.Context) *isms.Organisation {
	o, _ := ctx.Value(orgKey).(*isms.Organisation)
	return o
}

const sessionCookie = "isms_session"

// authenticate finds the caller: a bearer token (the API) or a session
// cookie (the browser). It only identifies; each route decides whether an
// anonymous caller is allowed, and each service checks the role.
//
// A GET or HEAD request only reads, and its reads, from the session on,
// share one transaction (Services.Snapshot): a page costs one
// transaction, not one per service it asks.
func (s *Server) authenticate(next http.Handler) http.Handler {
	identify := s.identify(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Snapshot == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			identify.ServeHTTP(w, r)
			return
		}
		_ = s.Snapshot(r.Context(), func(ctx context.Context) error {
			identify.ServeHTTP(w, r.WithContext(ctx))
			return nil
		})
	})
}

// identify is authenticate's work within the request's snapshot.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The store words a few things itself (a former user's name) in
		// the reader's language.
		r = r.WithContext(isms.WithLanguage(r.Context(), i18n.Negotiate(r)))
		var u *isms.User
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.jsonError(w, r, isms.Errorf(isms.EUnauthorized, "err.bad_token"))
				return
			}
			var err error
			var t *isms.APIToken
			if u, t, err = s.Users.TokenAccess(r.Context(), strings.TrimSpace(token)); err != nil {
				s.jsonError(w, r, err)
				return
			}
			// A read-only token reads: anything but GET and HEAD is
			// refused before a handler sees it.
			if t.ReadOnly && r.Method != http.MethodGet && r.Method != http.MethodHead {
				s.jsonError(w, r, isms.Errorf(isms.EForbidden, "err.token_read_only"))
				return
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, _ = s.Users.SessionUser(r.Context(), c.Value)
		}
		if u != nil {
			ctx := context.WithValue(r.Context(), userKey, u)
			ctx = isms.WithActor(ctx, &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, SiteAdmin: u.SiteAdmin})
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// requireUser sends an anonymous browser to the login page.
func (s *Server) requireUser(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()) == nil {
			s.fail(w, r, isms.Errorf(isms.EUnauthorized, "err.unauthorized"))
			return
		}
		h(w, r)
	}
}

// inOrg loads the organisation named by {org} for the caller, checking
// that they may see it, and puts it in the request's context.
func (s *Server) inOrg(h http.HandlerFunc) http.HandlerFunc {
	return s.requireUser(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("org"), 10, 64)
		if err != nil {
			s.fail(w, r, isms.Errorf(isms.ENotFound, "err.not_found", "organisation"))
			return
		}
		o, err := s.Orgs.Organisation(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), orgKey, o)))
	})
}

// securityHeaders sets a strict Content-Security-Policy and friends. The
// UI has no inline script or style, so 'self' suffices.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies, whatever length they declare; uploads of
// documents get their own, larger limit on their routes (ownBodyLimit).
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && !hasOwnBodyLimit(r) {
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// ownBodyLimit recognises routes that limit their bodies themselves (each
// wraps r.Body in its own http.MaxBytesReader before reading it).
var ownBodyLimit = []func(r *http.Request) bool{isDocumentUpload, isOrgImport}

func hasOwnBodyLimit(r *http.Request) bool {
	for _, f := range ownBodyLimit {
		if f(r) {
			return true
		}
	}
	return false
}

// recoverer turns a panic in a handler into a logged 500.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error; error id "+requestID(r.Context()), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status a handler answered with, for the
// request's log line and its metrics (instrument, operations.go).
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
