package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[string]int{
	isms.EInvalid:      http.StatusUnprocessableEntity,
	isms.ENotFound:     http.StatusNotFound,
	isms.EForbidden:    http.StatusForbidden,
	isms.EUnauthorized: http.StatusUnauthorized,
	isms.EConflict:     http.StatusConflict,
	isms.ETooMany:      http.StatusTooManyRequests,
	isms.EUnavailable:  http.StatusServiceUnavailable,
	isms.EInternal:     http.StatusInternalServerError,
}

// status maps an error to its HTTP status and logs internal errors with
// their detail, which users never see.
func (s *Server) status(r *http.Request, err error) int {
	code := isms.ErrorCode(err)
	if code == isms.EInternal {
		s.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return statusOf[code]
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Fields  []apiFieldError `json:"fields,omitempty"`
	// RequestID names the request in the server's log, for a report of
	// the error (the X-Request-Id header says the same).
	RequestID string `json:"request_id,omitempty"`
}

type apiFieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// jsonError writes an error as JSON in the caller's language.
func (s *Server) jsonError(w http.ResponseWriter, r *http.Request, err error) {
	lang := i18n.Negotiate(r)
	status := s.status(r, err)
	setRetryAfter(w, status)
	body := apiErrorBody{Code: isms.ErrorCode(err), RequestID: requestID(r.Context())}
	if e := isms.AsError(err); e != nil {
		body.Message = i18n.T(lang, i18n.Key(e.Key), e.Args...)
		for _, f := range e.Fields {
			body.Fields = append(body.Fields, apiFieldError{f.Field, i18n.T(lang, i18n.Key(f.Key), f.Args...)})
		}
	} else {
		body.Message = i18n.T(lang, "err.internal")
	}
	writeJSON(w, status, apiError{body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if b, ok := v.(encodedJSON); ok {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		w.Write(b)
		return
	}
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// retryAfterSeconds is when a client refused with 503 Service Unavailable
// is told to try again.
const retryAfterSeconds = "10"

// setRetryAfter tells a client refused for being busy when to try again.
func setRetryAfter(w http.ResponseWriter, status int) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
}
