package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// A service of the kind the API's operations are declared from.
type thing struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type thingInput struct {
	Name string `json:"name"`
}

type thingNote struct {
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

type thingService struct{ got []any }

func (t *thingService) Things(ctx context.Context, org int64) ([]*thing, error) {
	t.got = []any{org}
	return nil, nil
}

func (t *thingService) CreateThing(ctx context.Context, org int64, in thingInput) (*thing, error) {
	t.got = []any{org, in}
	return &thing{ID: 1, Name: in.Name}, nil
}

func (t *thingService) MarkThing(ctx context.Context, org, id int64, note string, version int64) (*thing, error) {
	t.got = []any{org, id, note, version}
	return &thing{ID: id}, nil
}

func (t *thingService) DeleteThing(ctx context.Context, org, id, version int64) error {
	t.got = []any{org, id, version}
	return nil
}

func (t *thingService) YearThing(ctx context.Context, org int64, year int) (*thing, error) {
	t.got = []any{org, year}
	return &thing{}, nil
}

// call runs a route's handler as handleAPI does.
func call(t *testing.T, rt apiRoute, method, path, body string) (any, error) {
	t.Helper()
	mux := http.NewServeMux()
	var v any
	var err error
	h := rt.bind()
	mux.HandleFunc(rt.Method+" "+rt.Pattern, func(w http.ResponseWriter, r *http.Request) { v, err = h(r) })
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, strings.NewReader(body)))
	return v, err
}

func TestRoutesFromServiceMethods(t *testing.T) {
	svc := &thingService{}
	for _, c := range []struct {
		name          string
		rt            apiRoute
		request, resp reflect.Type
		status        int
		method, path  string
		body          string
		got           []any
	}{
		{"list", readRoute("GET /o/{org}/things", "", svc.Things), nil, reflect.TypeFor[[]*thing](), 0,
			"GET", "/o/3/things", "", []any{int64(3)}},
		{"create", createRoute("POST /o/{org}/things", "", svc.CreateThing), reflect.TypeFor[thingInput](), reflect.TypeFor[*thing](), http.StatusCreated,
			"POST", "/o/3/things", `{"name":"x"}`, []any{int64(3), thingInput{Name: "x"}}},
		{"loose arguments", updateRoute("POST /o/{org}/things/{id}/mark", "", svc.MarkThing).withBody(thingNote{}), reflect.TypeFor[thingNote](), reflect.TypeFor[*thing](), 0,
			"POST", "/o/3/things/4/mark", `{"note":"n","version":5}`, []any{int64(3), int64(4), "n", int64(5)}},
		{"delete", deleteRoute("DELETE /o/{org}/things/{id}", "", svc.DeleteThing), reflect.TypeFor[versionBody](), nil, 0,
			"DELETE", "/o/3/things/4", `{"version":5}`, []any{int64(3), int64(4), int64(5)}},
		{"year", readRoute("GET /o/{org}/years/{year}", "", svc.YearThing), nil, reflect.TypeFor[*thing](), 0,
			"GET", "/o/3/years/2026", "", []any{int64(3), 2026}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := reflect.TypeOf(c.rt.Request); got != c.request {
				t.Errorf("request %v, want %v", got, c.request)
			}
			if got := reflect.TypeOf(c.rt.Response); got != c.resp {
				t.Errorf("response %v, want %v", got, c.resp)
			}
			if c.rt.Status != c.status {
				t.Errorf("status %d, want %d", c.rt.Status, c.status)
			}
			v, err := call(t, c.rt, c.method, c.path, c.body)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(svc.got, c.got) {
				t.Errorf("the method got %#v, want %#v", svc.got, c.got)
			}
			if l, ok := v.([]*thing); ok && l == nil {
				t.Error("a nil list is answered as null")
			}
		})
	}
	// The body is decoded as documented: strictly.
	if _, err := call(t, createRoute("POST /o/{org}/things", "", svc.CreateThing), "POST", "/o/3/things", `{"name":"x","extra":1}`); err == nil {
		t.Error("an unknown field is accepted")
	}
	if _, err := call(t, readRoute("GET /o/{org}/things", "", svc.Things), "GET", "/o/x/things", ""); err == nil {
		t.Error("a path id that is no number is accepted")
	}
}

// TestRoutesRefuseMethodsThatDoNotFit: a method whose signature does not
// fit its path or body stops the server at start-up, not at a request.
func TestRoutesRefuseMethodsThatDoNotFit(t *testing.T) {
	svc := &thingService{}
	for name, declare := range map[string]func(){
		"no method":            func() { readRoute("/o/{org}/things", "", svc.Things) },
		"not a service method": func() { readRoute("GET /o/{org}/things", "", func(org int64) (*thing, error) { return nil, nil }) },
		"fewer ids than path":  func() { readRoute("GET /o/{org}/things/{id}", "", svc.Things) },
		"read with a body":     func() { readRoute("GET /o/{org}/things", "", svc.CreateThing) },
		"delete with answer":   func() { deleteRoute("DELETE /o/{org}/things", "", svc.CreateThing) },
		"body does not fit":    func() { updateRoute("POST /o/{org}/things/{id}/mark", "", svc.MarkThing).bind() },
		"id read as int":       func() { readRoute("GET /o/{org}/x/{id}", "", svc.YearThing).bind() },
		"list without a page": func() {
			listRoute("GET /o/{org}/things", "", nil, func(*http.Request) (thingInput, error) { return thingInput{}, nil }, func(context.Context, int64, thingInput) ([]*thing, int, error) { return nil, 0, nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("declared without complaint")
				}
			}()
			declare()
		})
	}
}
