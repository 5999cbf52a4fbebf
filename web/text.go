package web

import (
	"encoding/json"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Text the databases can hold: a NUL character (U+0000) is refused where
// text comes in, with the field named, before any handler sees it (see
// isms.HasNUL for why). JSON bodies are checked by decodeJSON, query
// parameters and form fields by refuseNUL, the text parts of a streamed
// document upload by readMultipartVersion, imported files' cells by their
// importers; the store refuses what slips past all of them.

// nulPaths lists the JSON paths of the strings in a decoded request body
// that hold a NUL: "title", "items[2].note", "decisions[5.1.1].reason".
// Binary fields ([]byte, sent as base64) are not text and are not looked
// at.
func nulPaths(v any) []string {
	var out []string
	walkNUL(reflect.ValueOf(v), "", &out)
	return out
}

var rawMessageType = reflect.TypeOf(json.RawMessage{})

func walkNUL(v reflect.Value, path string, out *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkNUL(v.Elem(), path, out)
		}
	case reflect.String:
		if isms.HasNUL(v.String()) {
			*out = append(*out, path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-" || !f.IsExported() && !f.Anonymous:
			case f.Anonymous && name == "":
				walkNUL(v.Field(i), path, out) // embedded: its fields are the body's
			default:
				if name == "" {
					name = f.Name
				}
				walkNUL(v.Field(i), joinPath(path, name), out)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type() == rawMessageType {
			var x any
			if json.Unmarshal(v.Bytes(), &x) == nil {
				walkNUL(reflect.ValueOf(x), path, out)
			}
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // binary
		}
		for i := 0; i < v.Len(); i++ {
			walkNUL(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			p := path + "[" + strings.ReplaceAll(k.String(), "\x00", "\\u0000") + "]"
			if k.Kind() == reflect.String && isms.HasNUL(k.String()) {
				*out = append(*out, p)
			}
			walkNUL(v.MapIndex(k), p, out)
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// nulFields lists the fields of a form or a query that hold a NUL, in
// the order of their names.
func nulFields(vals url.Values) []string {
	var out []string
	for name, vs := range vals {
		if isms.HasNUL(name) || slices.ContainsFunc(vs, isms.HasNUL) {
			out = append(out, strings.ReplaceAll(name, "\x00", "\\u0000"))
		}
	}
	slices.Sort(out)
	return out
}

// refuseNUL answers 422, naming the field, for a request whose query
// parameters or form fields (URL-encoded, or the text fields and file
// names of a multipart form) hold a NUL. It parses the UI's forms, the one
// place that does (handlers find r.PostForm and r.MultipartForm filled).
// Files' contents are binary and are not looked at; the document uploads,
// which read their multipart bodies part by part under their own limit,
// check their text parts themselves (readMultipartVersion). The API's
// bodies are JSON, read by decodeJSON whatever type they declare (curl -d
// says URL-encoded), so only their query is looked at here.
func (s *Server) refuseNUL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fields := nulFields(r.URL.Query())
		api := strings.HasPrefix(r.URL.Path, "/api/")
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch {
		case api:
		case mt == "application/x-www-form-urlencoded":
			// A form that cannot be read is the page's to report (see
			// readForm); net/http would not say so a second time.
			if err := r.ParseForm(); err != nil {
				r = withFormError(r, err)
			} else {
				fields = append(fields, nulFields(r.PostForm)...)
			}
		case mt == "multipart/form-data" && !hasOwnBodyLimit(r):
			if err := r.ParseMultipartForm(maxBody); err != nil {
				r = withFormError(r, err)
			} else {
				fields = append(fields, nulFields(r.MultipartForm.Value)...)
				for name, files := range r.MultipartForm.File {
					if slices.ContainsFunc(files, func(f *multipart.FileHeader) bool { return isms.HasNUL(f.Filename) }) {
						fields = append(fields, name)
					}
				}
			}
		}
		if len(fields) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		err := isms.NULError(fields...)
		if api {
			s.jsonError(w, r, err)
			return
		}
		p := s.newPage(r, "title.error")
		labels := make([]string, len(fields))
		for i, f := range fields {
			labels[i] = fieldLabel(p.Lang, f)
		}
		p.Error = p.T("err.nul_field", strings.Join(labels, ", "))
		s.render(w, s.status(r, err), "error", p)
	})
}

// fieldLabel names a form field for people: its label from the
// catalogue, or else its name, quoted.
func fieldLabel(lang, name string) string {
	label := name
	if i18n.Has(i18n.Key("field." + name)) {
		label = i18n.T(lang, i18n.Key("field."+name))
	}
	if lang == i18n.EN {
		return "“" + label + "”"
	}
	return "»" + label + "«"
}
