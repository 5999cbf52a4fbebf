package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// openAPI builds the OpenAPI 3.1 document from the declared API routes and
// the Go types of their bodies, so the document cannot drift from what is
// served.
func (s *Server) openAPI() map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, rt := range s.api {
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"tags":        []string{rt.Tag},
		}
		var params []any
		for _, m := range pathWildcard.FindAllStringSubmatch(rt.Pattern, -1) {
			typ := map[string]any{"type": "integer", "format": "int64"}
			if m[1] == "question" {
				typ = map[string]any{"type": "string", "example": "1.5"}
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": typ})
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Description, "schema": map[string]any{"type": q.Type}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Request))}}}
		}
		responses := map[string]any{}
		ok := map[string]any{"description": "success"}
		if rt.Response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Response))}}
		}
		responses[itoa(rt.Status)] = ok
		errRef := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(apiError{}))}}}
		responses["4XX"] = errRef
		op["responses"] = responses
		if rt.Public {
			op["security"] = []any{}
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "ISMS API",
			"version":     "1",
			"description": "The JSON API of the information security management system. Authenticate with an API token (isms token create, or the account page) sent as Authorization: Bearer <token>. Errors are {\"error\": {\"code\", \"message\", \"fields\"}} in the language of Accept-Language (Danish or English).",
		},
		"servers":    []any{map[string]any{"url": "/"}},
		"paths":      paths,
		"components": map[string]any{"schemas": g.defs, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"security":   []any{map[string]any{"bearer": []any{}}},
	}
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, s.openAPI())
}

func operationID(rt apiRoute) string {
	p := strings.NewReplacer("/api/v1/", "", "{", "", "}", "", "/", "_", "-", "_").Replace(rt.Pattern)
	return strings.ToLower(rt.Method) + "_" + p
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// schemaGen turns Go types into JSON Schema, named structs as references.
type schemaGen struct{ defs map[string]any }

var (
	timeType    = reflect.TypeOf(time.Time{})
	dateType    = reflect.TypeOf(isms.Date{})
	instantType = reflect.TypeOf(isms.Instant{})
	rawType     = reflect.TypeOf(json.RawMessage{})
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType, t == instantType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := g.schema(t.Elem())
		return map[string]any{"anyOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			// encoding/json sends a []byte as base64 text, not as numbers.
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint, reflect.Uint64, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if _, done := g.defs[name]; !done {
			g.defs[name] = map[string]any{} // placeholder against recursion
			props := map[string]any{}
			var names []string
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				tag := f.Tag.Get("json")
				if !f.IsExported() || tag == "-" {
					continue
				}
				n, _, _ := strings.Cut(tag, ",")
				if n == "" {
					n = f.Name
				}
				props[n] = g.schema(f.Type)
				names = append(names, n)
			}
			sort.Strings(names)
			g.defs[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// schemaName names a struct type for the components section; generic
// instantiations get their type argument in the name.
func schemaName(t reflect.Type) string {
	n := t.Name()
	if i := strings.Index(n, "["); i >= 0 {
		arg := n[i+1 : len(n)-1]
		if j := strings.LastIndex(arg, "."); j >= 0 {
			arg = arg[j+1:]
		}
		arg = strings.TrimPrefix(arg, "*")
		n = n[:i] + "_" + arg
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
