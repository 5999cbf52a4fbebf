package web

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// fieldsOf lists the fields a validation refused.
func fieldsOf(v *isms.Validation) []string {
	e := isms.AsError(v.Err())
	if e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Key)
	}
	return out
}

func TestFormInt(t *testing.T) {
	for _, c := range []struct {
		in     string
		def    int
		want   int
		refuse bool
	}{
		{"", 0, 0, false},
		{"", 14, 14, false},
		{" 7 ", 0, 7, false},
		{"-3", 0, -3, false},
		{"seven", 5, 5, true},
		{"1.5", 0, 0, true},
	} {
		var v isms.Validation
		got := formInt(&v, "n", c.in, c.def)
		if got != c.want || (v.Err() != nil) != c.refuse {
			t.Errorf("formInt(%q, %d) = %d, refused %v; want %d, refused %v", c.in, c.def, got, v.Err() != nil, c.want, c.refuse)
		}
	}
}

func TestParseOptionalIDAndIDs(t *testing.T) {
	for _, c := range []struct {
		in     string
		want   *int64
		refuse bool
	}{
		{"", nil, false},
		{"  ", nil, false},
		{"42", ptr(int64(42)), false},
		{" 42 ", ptr(int64(42)), false},
		{"0", nil, true},
		{"-1", nil, true},
		{"x", nil, true},
	} {
		var v isms.Validation
		got := parseOptionalID(&v, "owner_id", c.in)
		if !reflect.DeepEqual(got, c.want) || (v.Err() != nil) != c.refuse {
			t.Errorf("parseOptionalID(%q) = %v, refused %v", c.in, got, v.Err() != nil)
		}
		if c.refuse && !reflect.DeepEqual(fieldsOf(&v), []string{"owner_id:err.unknown_reference"}) {
			t.Errorf("parseOptionalID(%q) refused as %v", c.in, fieldsOf(&v))
		}
	}
	var v isms.Validation
	if got := parseIDs(&v, "supports", []string{"3", "", "9"}); !reflect.DeepEqual(got, []int64{3, 9}) || v.Err() != nil {
		t.Errorf("parseIDs = %v, %v", got, v.Err())
	}
	if got := parseIDs(&v, "supports", nil); got != nil {
		t.Errorf("parseIDs(nil) = %v, want nil", got)
	}
	if parseIDs(&v, "supports", []string{"3", "x"}); !reflect.DeepEqual(fieldsOf(&v), []string{"supports:err.unknown_reference"}) {
		t.Errorf("parseIDs with a bad id refused as %v", fieldsOf(&v))
	}
}

func TestParseOptionalDate(t *testing.T) {
	for _, c := range []struct {
		in     string
		want   string
		refuse bool
	}{
		{"", "", false},
		{" 2026-03-01 ", "2026-03-01", false},
		{"2026-02-30", "", true},
		{"01-03-2026", "", true},
	} {
		var v isms.Validation
		got := parseOptionalDate(&v, "next_review", c.in)
		s := ""
		if got != nil {
			s = got.String()
		}
		if s != c.want || (v.Err() != nil) != c.refuse {
			t.Errorf("parseOptionalDate(%q) = %q, refused %v", c.in, s, v.Err() != nil)
		}
	}
}

func TestParseVersionAndFlag(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "3": 3, "x": 0, "12": 12} {
		if got := parseVersion(in); got != want {
			t.Errorf("parseVersion(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]bool{"1": true, "true": true, "on": true, "": false, "0": false, "false": false, "yes": false} {
		if got := parseFlag(in); got != want {
			t.Errorf("parseFlag(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestPathAndQuery(t *testing.T) {
	r := httptest.NewRequest("GET", "/orgs/3/risks/9?offset=20&limit=x&owner=7&threat=t", nil)
	r.SetPathValue("org", "3")
	r.SetPathValue("id", "9")
	if org, id, err := pathIDs(r); org != 3 || id != 9 || err != nil {
		t.Errorf("pathIDs = %d, %d, %v", org, id, err)
	}
	r.SetPathValue("id", "0")
	if _, err := pathID(r, "id"); isms.ErrorCode(err) != isms.ENotFound {
		t.Errorf("pathID of 0: %v, want not found", err)
	}
	if n, err := queryInt(r, "offset", 0); n != 20 || err != nil {
		t.Errorf("queryInt(offset) = %d, %v", n, err)
	}
	if n, err := queryInt(r, "missing", 50); n != 50 || err != nil {
		t.Errorf("queryInt(missing) = %d, %v", n, err)
	}
	if _, err := queryInt(r, "limit", 50); isms.ErrorCode(err) != isms.EInvalid {
		t.Errorf("queryInt(limit=x): %v, want invalid", err)
	}
	var v isms.Validation
	q := r.URL.Query()
	if id := queryID(&v, q, "owner", "owner_id"); id != 7 || v.Err() != nil {
		t.Errorf("queryID(owner) = %d, %v", id, v.Err())
	}
	if id := queryID(&v, q, "asset", "asset_id"); id != 0 || v.Err() != nil {
		t.Errorf("queryID(asset) = %d, %v", id, v.Err())
	}
	if queryID(&v, q, "threat", "threat_id"); !reflect.DeepEqual(fieldsOf(&v), []string{"threat_id:err.number"}) {
		t.Errorf("queryID(threat=t) refused as %v", fieldsOf(&v))
	}
	var low isms.Validation
	if id := queryIDAtLeast(&low, q, "owner", "owner", 7); id != 7 || low.Err() != nil {
		t.Errorf("queryIDAtLeast(owner=7, 7) = %d, %v", id, low.Err())
	}
	if queryIDAtLeast(&low, q, "owner", "owner", 8); !reflect.DeepEqual(fieldsOf(&low), []string{"owner:err.number"}) {
		t.Errorf("queryIDAtLeast(owner=7, 8) refused as %v", fieldsOf(&low))
	}
}

// TestReadForm checks that a posted form that cannot be read is reported,
// also when it was parsed (and its error swallowed) before.
func TestReadForm(t *testing.T) {
	post := func(body string) *http.Request {
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	if err := readForm(post("a=1&b=%C3%A6")); err != nil {
		t.Fatalf("a good form: %v", err)
	}
	r := post("a=%zz")
	if err := readForm(r); isms.ErrorCode(err) != isms.EInvalid || isms.AsError(err).Key != "err.bad_form" {
		t.Errorf("a broken form: %v", err)
	}
	r = post("a=%zz")
	first := r.ParseForm()
	if first == nil {
		t.Fatal("the broken form parsed")
	}
	r = withFormError(r, first)
	if err := readForm(r); isms.AsError(err) == nil || isms.AsError(err).Key != "err.bad_form" {
		t.Errorf("a broken form parsed before: %v", err)
	}
	r = httptest.NewRequest("GET", "/x?a=%zz", nil)
	if err := readForm(r); err != nil {
		t.Errorf("a GET's query is the handler's: %v", err)
	}
	w := httptest.NewRecorder()
	r = post(strings.Repeat("a", 100))
	r.Body = http.MaxBytesReader(w, r.Body, 10)
	if err := readForm(r); isms.AsError(err) == nil || isms.AsError(err).Key != "err.body_too_large" {
		t.Errorf("a form over the limit: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
