package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// apiRoute is one operation of the JSON API. Every API route is declared
// this way, in the one table of routes.go (apiRoutes), so the OpenAPI document
// (openapi.go) is generated from exactly the routes that are served. Most
// are made from a service method by createRoute and its kin
// (api_service.go), which set Request, Response and Handle from its
// signature.
type apiRoute struct {
	Method   string
	Pattern  string // e.g. /api/v1/organisations/{org}/entries/{id}
	Summary  string
	Tag      string
	Request  any // a value of the request body's type; nil for none
	Response any // a value of the response's type; nil for 204
	Status   int // success status; 200 when zero
	Query    []apiParam
	// Upload names the content types of a body that is a file itself (an
	// import's XLSX or CSV), documented as binary beside Request's JSON.
	Upload []string
	// Form documents a multipart/form-data body by its fields; a field of
	// Type "file" is a file.
	Form   []apiParam
	Public bool // served without authentication
	Handle func(r *http.Request) (any, error)
	call   reflect.Value // the service method, for routes declared from one (api_service.go)
}

// spreadsheetUpload are the content types of an import whose body is the
// spreadsheet itself: CSV, XLSX, or any file the server tells apart by its
// name (the filename parameter) and content.
var spreadsheetUpload = []string{"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"}

// apiParam documents a query parameter.
type apiParam struct {
	Name, Type, Description string
}

// handleAPIs registers the operations of one part of the API, under its
// tag in the OpenAPI document.
func (s *Server) handleAPIs(mux *http.ServeMux, tag string, routes ...apiRoute) {
	for _, rt := range routes {
		rt.Tag = tag
		s.handleAPI(mux, rt)
	}
}

// handleAPI registers an API route on the mux and keeps it for the
// OpenAPI document.
func (s *Server) handleAPI(mux *http.ServeMux, rt apiRoute) {
	if rt.Handle == nil {
		rt.Handle = rt.bind()
	}
	if rt.Status == 0 {
		rt.Status = http.StatusOK
		if rt.Response == nil {
			rt.Status = http.StatusNoContent
		}
	}
	s.api = append(s.api, rt)
	mux.HandleFunc(rt.Method+" "+rt.Pattern, func(w http.ResponseWriter, r *http.Request) {
		if !rt.Public && userFrom(r.Context()) == nil {
			s.jsonError(w, r, isms.Errorf(isms.EUnauthorized, "err.unauthorized"))
			return
		}
		v, err := rt.Handle(r)
		if err != nil {
			s.jsonError(w, r, err)
			return
		}
		if rt.Status == http.StatusNoContent {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if st, ok := v.(apiStreamer); ok {
			st.writeAPI(w, rt.Status)
			return
		}
		writeJSON(w, rt.Status, v)
	})
}

// apiStreamer is an answer that writes itself as it is produced (a file's
// content), in the shape of the route's Response type, instead of being
// built in memory and encoded at once.
type apiStreamer interface {
	writeAPI(w http.ResponseWriter, status int)
}

// decodeJSON reads a request body into v, refusing unknown fields, wrong
// types, trailing data and text holding a NUL character (see text.go) with
// a message that names the problem.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return isms.Errorf(isms.EInvalid, "err.bad_json", "trailing data after the JSON value")
	}
	if paths := nulPaths(v); len(paths) > 0 {
		return isms.NULError(paths...)
	}
	return nil
}

func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var maxErr *http.MaxBytesError
	var domain *isms.Error
	switch {
	case errors.As(err, &domain):
		return domain
	case errors.As(err, &typeErr):
		want := typeErr.Type.Kind().String()
		switch want {
		case "int", "int64", "int32", "float64":
			want = "number"
		case "struct", "map":
			want = "object"
		case "slice":
			want = "array"
		}
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
			Fields: []isms.FieldError{{Field: typeErr.Field, Key: "err.json_type", Args: []any{want}}}}
	case errors.As(err, &syntaxErr):
		return isms.Errorf(isms.EInvalid, "err.bad_json", "syntax error at byte "+strconv.FormatInt(syntaxErr.Offset, 10))
	case errors.As(err, &maxErr):
		return isms.Errorf(isms.EInvalid, "err.body_too_large")
	case errors.Is(err, io.EOF):
		return isms.Errorf(isms.EInvalid, "err.bad_json", "empty body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
			Fields: []isms.FieldError{{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Key: "err.unknown_field"}}}
	}
	return isms.Errorf(isms.EInvalid, "err.bad_json", err.Error())
}

// withUploadSlot runs an operation that reads an upload while it holds one
// of the server's upload slots (uploads.go), so that only a bounded number
// of uploads are read at once; a caller who waits too long is answered 503.
func (s *Server) withUploadSlot(r *http.Request, read func() (any, error)) (any, error) {
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		return nil, err
	}
	defer release()
	return read()
}

// page of a list in the API.
type listResponse[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}
