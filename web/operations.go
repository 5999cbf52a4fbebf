package web

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Running the product as a service: every request gets a request id, which
// its log lines carry and which error pages and JSON errors show the user
// ("Fejl-id"), so a user's report can be found in the log; and every
// request is counted for the metrics (/metrics, package metrics) by the
// route pattern that served it and its status.

// requestInfo is what the outermost middleware (instrument) and the route
// table learn about a request: its id, and the pattern of the route that
// matched it, which the ServeMux sets on its own copy of the request
// (withPattern passes it out).
type requestInfo struct {
	id      string
	pattern string
}

type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// requestID is the id of the request ctx belongs to; "" outside one.
func requestID(ctx context.Context) string {
	if info := requestInfoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// requestIDHeader carries the id in both directions: a trusted proxy may
// send the id it logged, and every answer names it.
const requestIDHeader = "X-Request-Id"

// newRequestID is a random id: 80 bits, 16 characters of lower-case
// base32, short enough for a user to read out from an error page.
func newRequestID() string {
	b := make([]byte, 10)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// incomingRequestID is the id a trusted reverse proxy sent with the
// request, so the proxy's log and ours share it; "" when the direct peer
// is not a trusted proxy (any client can write the header) or the id is
// not sane: too long, or with characters that have no place in a log line
// or a header.
func (s *Server) incomingRequestID(r *http.Request) string {
	id := r.Header.Get(requestIDHeader)
	if id == "" || len(id) > 128 {
		return ""
	}
	peer, ok := parseHop(r.RemoteAddr)
	if !ok || !isTrusted(peer, s.cfg.TrustedProxies) {
		return ""
	}
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune("-_.:=+/", c):
		default:
			return ""
		}
	}
	return id
}

// instrument is the outermost middleware: it gives the request its id
// (a trusted proxy's, or a new one), answers it in X-Request-Id, and once
// the request is answered counts it for the metrics and logs it. The log
// line is a debug line, except for an answer that showed the user an error
// with its id (any status of 400 or more but 404, which crawlers ask for
// all day): that line is written at info level, so the id a user reports
// is found in the log without debug logging.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: s.incomingRequestID(r)}
		if info.id == "" {
			info.id = newRequestID()
		}
		w.Header().Set(requestIDHeader, info.id)
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		s.metrics.Request(r.Method, info.pattern, sw.status, d)
		level := slog.LevelDebug
		if sw.status >= 400 && sw.status != http.StatusNotFound {
			level = slog.LevelInfo
		}
		// Checked first: the arguments would be worked out for every
		// request even when the line is not written.
		if s.log.Enabled(r.Context(), level) {
			s.log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("route", info.pattern), slog.Int("status", sw.status), slog.Duration("duration", d),
				slog.String("client", s.clientAddr(r)))
		}
	})
}

// withPattern passes the pattern of the route that matched out of the
// ServeMux, which sets it on the request it was handed, a copy made by the
// middleware in between.
func withPattern(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if info := requestInfoFrom(r.Context()); info != nil {
			info.pattern = r.Pattern
		}
	})
}

// requestIDLog is a log handler that adds the request id to every line
// logged with a request's context (s.log.ErrorContext(r.Context(), …)),
// whatever the handler it wraps writes (text or JSON lines).
type requestIDLog struct{ slog.Handler }

func (h requestIDLog) Handle(ctx context.Context, rec slog.Record) error {
	if id := requestID(ctx); id != "" {
		rec = rec.Clone()
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDLog{h.Handler.WithAttrs(attrs)}
}

func (h requestIDLog) WithGroup(name string) slog.Handler {
	return requestIDLog{h.Handler.WithGroup(name)}
}

// MetricsHandler serves the metrics alone, for a listener of their own
// (`isms serve --metrics-addr`, Config.MetricsElsewhere): every other path
// there is not found.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	return mux
}
