package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
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
	var tags []string // in the order of the route table, the guide's
	for _, rt := range s.api {
		op := map[string]any{
			"summary":     rt.Summary,
			"description": operationDescription(rt),
			"operationId": operationID(rt),
			"tags":        []string{rt.Tag},
		}
		if !slices.Contains(tags, rt.Tag) {
			tags = append(tags, rt.Tag)
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
		if body := requestBody(g, rt); body != nil {
			op["requestBody"] = body
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
	var tagList []any
	for _, t := range tags {
		tagList = append(tagList, map[string]any{"name": t})
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "ISMS API",
			"version":     "1",
			"description": "The JSON API of the information security management system. Authenticate with an API token (isms token create, or the account page) sent as Authorization: Bearer <token>. Errors are {\"error\": {\"code\", \"message\", \"fields\", \"request_id\"}} in the language of Accept-Language (Danish or English); request_id, also in the X-Request-Id header, finds the request in the server's log.",
			"contact":     map[string]any{"name": "ISMS", "url": "https://github.com/ismsdk/isms"},
			"license":     map[string]any{"name": "Mozilla Public License 2.0", "identifier": "MPL-2.0"},
		},
		"tags":       tagList,
		"servers":    []any{map[string]any{"url": "/", "description": "the server that serves this document"}},
		"paths":      paths,
		"components": map[string]any{"schemas": g.defs, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"security":   []any{map[string]any{"bearer": []any{}}},
	}
}

// operationDescription says what a client must know beyond the summary:
// how the caller is identified, and what the success is.
func operationDescription(rt apiRoute) string {
	d := strings.TrimSuffix(rt.Summary, ".") + "."
	if rt.Public {
		d += " Served without an API token."
	} else {
		d += " Needs an API token; the caller's role in the organisation decides what is allowed."
	}
	if rt.Status == http.StatusNoContent {
		d += " Success is answered 204 without a body."
	}
	return d
}

// requestBody documents what an operation takes: JSON of the Request
// type, a file as the body itself (Upload), a multipart form (Form), or
// several of them.
func requestBody(g *schemaGen, rt apiRoute) map[string]any {
	content := map[string]any{}
	if rt.Request != nil {
		content["application/json"] = map[string]any{"schema": g.schema(reflect.TypeOf(rt.Request))}
	}
	for _, ct := range rt.Upload {
		content[ct] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
	}
	if len(rt.Form) > 0 {
		props := map[string]any{}
		for _, f := range rt.Form {
			typ := map[string]any{"type": f.Type, "description": f.Description}
			if f.Type == "file" {
				typ["type"], typ["format"] = "string", "binary"
			}
			props[f.Name] = typ
		}
		content["multipart/form-data"] = map[string]any{"schema": map[string]any{"type": "object", "properties": props}}
	}
	if len(content) == 0 {
		return nil
	}
	return map[string]any{"required": true, "content": content}
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
	enumType    = reflect.TypeFor[isms.Enum]()
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType, t == instantType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == rawType:
		return map[string]any{}
	case t.Kind() == reflect.String && t.Implements(enumType):
		// A named schema per type, so a client generator makes one
		// enumeration of it, not one per field.
		name := schemaName(t)
		if _, done := g.defs[name]; !done {
			values := reflect.Zero(t).Interface().(isms.Enum).EnumValues()
			g.defs[name] = map[string]any{"type": "string", "enum": values}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
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
				props[n] = g.fieldSchema(f)
				names = append(names, n)
			}
			sort.Strings(names)
			g.defs[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// fieldSchema is a struct field's schema: its type's, or the enumeration
// its tag names (isms.StringEnums), which may also be "" with the option
// "empty". A tag that names no enumeration is a mistake in the code, which
// the document's tests meet.
func (g *schemaGen) fieldSchema(f reflect.StructField) map[string]any {
	tag, ok := f.Tag.Lookup("enum")
	if !ok {
		return g.schema(f.Type)
	}
	name, opt, _ := strings.Cut(tag, ",")
	t, list := f.Type, false
	if t.Kind() == reflect.Slice {
		t, list = t.Elem(), true
	}
	var values []string
	switch {
	case name == "" && t.Kind() == reflect.String && t.Implements(enumType):
		name, values = schemaName(t), reflect.Zero(t).Interface().(isms.Enum).EnumValues()
	case name != "" && t.Kind() == reflect.String && isms.StringEnums[name] != nil:
		values = isms.StringEnums[name]
	default:
		panic("openapi: field " + f.Name + ": enum tag " + strconv.Quote(tag) + " names no enumeration")
	}
	if opt == "empty" && !slices.Contains(values, "") {
		name, values = name+"OrEmpty", append([]string{""}, values...)
	}
	if _, done := g.defs[name]; !done {
		g.defs[name] = map[string]any{"type": "string", "enum": values}
	}
	ref := map[string]any{"$ref": "#/components/schemas/" + name}
	if list {
		return map[string]any{"type": "array", "items": ref}
	}
	return ref
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
