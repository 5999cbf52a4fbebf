package web

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
)

// Most API operations only read the path's ids, decode a body and call one
// service method. They are declared from the method value itself
// (createRoute("POST …/risks", "…", s.Risk.CreateRisk)): its signature says
// which path ids it takes, what body it reads and what it answers, and the
// OpenAPI document is made from the same types the handler decodes and
// encodes, so the two cannot drift apart.
//
// The method's arguments after the context are, in order:
//   - one per wildcard of the path, in the path's order: int64 for an id
//     (read with pathID), int for {year} (read with pathYear);
//   - then either one struct, decoded whole from the body, or scalars taken
//     in order from the fields of a body struct (versionBody unless the
//     route names another with withBody) — e.g. a delete's version.
//
// It returns the answer and an error, or only an error (answered 204). A
// list that is nil is answered as [] rather than null.

// createRoute declares an operation that adds a record and answers 201
// with it.
func createRoute(pattern, summary string, method any) apiRoute {
	rt := serviceRoute(pattern, summary, method)
	rt.Status = http.StatusCreated
	return rt
}

// readRoute declares an operation that reads without a body.
func readRoute(pattern, summary string, method any) apiRoute {
	rt := serviceRoute(pattern, summary, method)
	if rt.Request != nil {
		panic("readRoute " + pattern + ": the method takes a body")
	}
	return rt
}

// updateRoute declares an operation that changes a record (or moves it on)
// and answers 200 with it.
func updateRoute(pattern, summary string, method any) apiRoute {
	return serviceRoute(pattern, summary, method)
}

// deleteRoute declares an operation that deletes and answers 204.
func deleteRoute(pattern, summary string, method any) apiRoute {
	rt := serviceRoute(pattern, summary, method)
	if rt.Response != nil {
		panic("deleteRoute " + pattern + ": the method returns more than an error")
	}
	return rt
}

// listRoute declares a paginated list: the filter is read from the query
// string by filter (whose result has Offset and Limit fields), the list
// method answers a page and the total, and the answer is a listResponse.
func listRoute[F, T any](pattern, summary string, query []apiParam, filter func(*http.Request) (F, error),
	list func(context.Context, int64, F) ([]T, int, error)) apiRoute {
	offset, limit := pageFields[F]()
	method, path := splitPattern(pattern)
	return apiRoute{Method: method, Pattern: path, Summary: summary, Query: query, Response: listResponse[T]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := filter(r)
			if err != nil {
				return nil, err
			}
			items, total, err := list(r.Context(), org, f)
			if err != nil {
				return nil, err
			}
			v := reflect.ValueOf(f)
			return listResponse[T]{Items: nonNil(items), Total: total,
				Offset: int(v.Field(offset).Int()), Limit: int(v.Field(limit).Int())}, nil
		}}
}

// limitedTo gives a filter reader that takes a page size the default page
// size of an API list.
func limitedTo[F any](filter func(*http.Request, int) (F, error), limit int) func(*http.Request) (F, error) {
	return func(r *http.Request) (F, error) { return filter(r, limit) }
}

// pageFields finds the Offset and Limit fields of a list filter.
func pageFields[F any]() (offset, limit int) {
	t := reflect.TypeFor[F]()
	o, ok1 := t.FieldByName("Offset")
	l, ok2 := t.FieldByName("Limit")
	if !ok1 || !ok2 || len(o.Index) != 1 || len(l.Index) != 1 || o.Type.Kind() != reflect.Int || l.Type.Kind() != reflect.Int {
		panic("listRoute: " + t.String() + " has no Offset and Limit")
	}
	return o.Index[0], l.Index[0]
}

// withBody names the body struct whose fields, in order, are the method's
// arguments after the path's ids (for methods that take loose arguments,
// e.g. a note and a version).
func (rt apiRoute) withBody(body any) apiRoute {
	rt.Request = body
	return rt
}

var (
	contextType  = reflect.TypeFor[context.Context]()
	errorType    = reflect.TypeFor[error]()
	pathWildcard = regexp.MustCompile(`\{([a-z_]+)\}`)
)

func splitPattern(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("API route " + pattern + " names no method")
	}
	return method, path
}

// serviceRoute checks the method's signature against the path and sets the
// route's request and response types from it; handleAPI binds it (bind).
func serviceRoute(pattern, summary string, method any) apiRoute {
	rt := apiRoute{Summary: summary, call: reflect.ValueOf(method)}
	rt.Method, rt.Pattern = splitPattern(pattern)
	t := rt.call.Type()
	if t.Kind() != reflect.Func || t.NumIn() < 1 || t.In(0) != contextType ||
		t.NumOut() < 1 || t.NumOut() > 2 || t.Out(t.NumOut()-1) != errorType {
		panic(fmt.Sprintf("API route %s: %s is not func(context.Context, …) (T, error) or error", pattern, t))
	}
	if t.NumOut() == 2 {
		rt.Response = reflect.Zero(t.Out(0)).Interface()
	}
	rest := rt.bodyArgs()
	switch {
	case len(rest) == 1 && rest[0].Kind() == reflect.Struct:
		rt.Request = reflect.Zero(rest[0]).Interface()
	case len(rest) > 0:
		rt.Request = versionBody{}
	}
	return rt
}

// pathNames lists the wildcards of the route's path in order.
func (rt apiRoute) pathNames() []string {
	var names []string
	for _, m := range pathWildcard.FindAllStringSubmatch(rt.Pattern, -1) {
		names = append(names, m[1])
	}
	return names
}

// bodyArgs are the types of the method's arguments that come from the body.
func (rt apiRoute) bodyArgs() []reflect.Type {
	t := rt.call.Type()
	first := 1 + len(rt.pathNames())
	if t.NumIn() < first {
		panic(fmt.Sprintf("API route %s %s: %s takes fewer arguments than the path has ids", rt.Method, rt.Pattern, t))
	}
	var rest []reflect.Type
	for i := first; i < t.NumIn(); i++ {
		rest = append(rest, t.In(i))
	}
	return rest
}

// bind makes the handler of a route declared from a service method:
// read the path's ids, decode the body into the route's Request type,
// call the method.
func (rt apiRoute) bind() func(r *http.Request) (any, error) {
	t := rt.call.Type()
	names := rt.pathNames()
	readers := make([]func(r *http.Request) (reflect.Value, error), len(names))
	for i, name := range names {
		readers[i] = pathReader(rt, name, t.In(1+i))
	}
	rest := rt.bodyArgs()
	var body reflect.Type
	whole := false
	if rt.Request != nil {
		body = reflect.TypeOf(rt.Request)
		whole = len(rest) == 1 && rest[0] == body
		if !whole && !fieldsMatch(body, rest) {
			panic(fmt.Sprintf("API route %s %s: the fields of %s are not the arguments %v of %s", rt.Method, rt.Pattern, body, rest, t))
		}
	}
	return func(r *http.Request) (any, error) {
		args := []reflect.Value{reflect.ValueOf(r.Context())}
		for _, read := range readers {
			v, err := read(r)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		if body != nil {
			in := reflect.New(body)
			if err := decodeJSON(r, in.Interface()); err != nil {
				return nil, err
			}
			if whole {
				args = append(args, in.Elem())
			} else {
				for i := range rest {
					args = append(args, in.Elem().Field(i))
				}
			}
		}
		out := rt.call.Call(args)
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			return nil, err
		}
		if len(out) == 1 {
			return nil, nil
		}
		v := out[0]
		if v.Kind() == reflect.Slice && v.IsNil() {
			v = reflect.MakeSlice(v.Type(), 0, 0)
		}
		return v.Interface(), nil
	}
}

// pathReader reads one wildcard of the path as the argument type asks.
func pathReader(rt apiRoute, name string, arg reflect.Type) func(r *http.Request) (reflect.Value, error) {
	switch {
	case arg.Kind() == reflect.Int64:
		return func(r *http.Request) (reflect.Value, error) {
			id, err := pathID(r, name)
			return reflect.ValueOf(id).Convert(arg), err
		}
	case arg.Kind() == reflect.Int && name == "year":
		return func(r *http.Request) (reflect.Value, error) {
			y, err := pathYear(r)
			return reflect.ValueOf(y).Convert(arg), err
		}
	}
	panic(fmt.Sprintf("API route %s %s: {%s} cannot be read as %s", rt.Method, rt.Pattern, name, arg))
}

// fieldsMatch reports whether the struct's fields, all exported, have the
// argument types in order.
func fieldsMatch(body reflect.Type, args []reflect.Type) bool {
	if body.Kind() != reflect.Struct || body.NumField() != len(args) {
		return false
	}
	for i, a := range args {
		if f := body.Field(i); !f.IsExported() || f.Type != a {
			return false
		}
	}
	return true
}
