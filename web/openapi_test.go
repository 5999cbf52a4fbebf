package web_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
)

// The OpenAPI document is made from the API's route table. These tests
// hold it to the operations the API has always offered, so a change to the
// table, a service method's signature or a body type that changes the
// document fails here and is made on purpose (go test ./web -run
// TestOpenAPIOperations -update-openapi rewrites the list).

var updateOpenAPI = flag.Bool("update-openapi", false, "rewrite testdata/openapi-operations.txt from the served document")

const operationsFile = "testdata/openapi-operations.txt"

// operationList describes each operation of an OpenAPI document on one
// line (method, path, operationId, tag, success status and schema, request
// schema, query parameters) with its summary on the next, and then each
// component schema's properties, sorted, so that a diff shows what moved.
func operationList(doc map[string]any) []string {
	var ops []string
	for path, methods := range doc["paths"].(map[string]any) {
		for method, o := range methods.(map[string]any) {
			op := o.(map[string]any)
			line := fmt.Sprintf("%s %s %s tag=%q", strings.ToUpper(method), path, op["operationId"], op["tags"].([]any)[0])
			var statuses []string
			for code, res := range op["responses"].(map[string]any) {
				statuses = append(statuses, code+":"+schemaOf(res))
			}
			slices.Sort(statuses)
			line += " responses=" + strings.Join(statuses, ",")
			if body, ok := op["requestBody"]; ok {
				line += " request=" + schemaOf(body)
			}
			var query []string
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p := p.(map[string]any)
				query = append(query, fmt.Sprintf("%s:%s:%v", p["in"], p["name"], p["schema"].(map[string]any)["type"]))
			}
			if len(query) > 0 {
				line += " params=" + strings.Join(query, ",")
			}
			if _, public := op["security"]; public {
				line += " public"
			}
			ops = append(ops, line+"\n\t"+fmt.Sprint(op["summary"]))
		}
	}
	slices.Sort(ops)
	var schemas []string
	for name, sc := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		if values, ok := sc.(map[string]any)["enum"].([]any); ok {
			schemas = append(schemas, fmt.Sprintf("schema %s enum%q", name, values))
			continue
		}
		var props []string
		for p, ps := range sc.(map[string]any)["properties"].(map[string]any) {
			props = append(props, p+":"+describe(ps.(map[string]any)))
		}
		slices.Sort(props)
		schemas = append(schemas, "schema "+name+" "+strings.Join(props, " "))
	}
	slices.Sort(schemas)
	return append(ops, schemas...)
}

// schemaOf describes the content of a response or request body: its JSON,
// and the other content types it may be sent as.
func schemaOf(v any) string {
	content, ok := v.(map[string]any)["content"].(map[string]any)
	if !ok {
		return "-"
	}
	var out []string
	if j, ok := content["application/json"]; ok {
		out = append(out, describe(j.(map[string]any)["schema"].(map[string]any)))
	}
	var others []string
	for ct := range content {
		if ct != "application/json" {
			others = append(others, ct)
		}
	}
	slices.Sort(others)
	return strings.Join(append(out, others...), "|")
}

// describe shortens a schema: a reference by its name, an array by its
// items, a nullable by a ?, otherwise its type and format.
func describe(s map[string]any) string {
	switch {
	case s["$ref"] != nil:
		return strings.TrimPrefix(s["$ref"].(string), "#/components/schemas/")
	case s["anyOf"] != nil:
		return describe(s["anyOf"].([]any)[0].(map[string]any)) + "?"
	case s["type"] == "array":
		return "[]" + describe(s["items"].(map[string]any))
	case s["type"] == "object" && s["additionalProperties"] != nil:
		return "map[" + describe(s["additionalProperties"].(map[string]any)) + "]"
	case s["format"] != nil:
		return fmt.Sprint(s["type"], "/", s["format"])
	case s["type"] != nil:
		return fmt.Sprint(s["type"])
	}
	return "any"
}

// TestOpenAPIOperations compares the served document's operations and
// schemas with the committed list.
func TestOpenAPIOperations(t *testing.T) {
	doc := newEnv(t).openAPIMap()
	got := strings.Join(operationList(doc), "\n") + "\n"
	if *updateOpenAPI {
		if err := os.WriteFile(operationsFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(operationsFile)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for _, l := range wl {
			if !slices.Contains(gl, l) {
				t.Errorf("no longer in the document: %s", l)
			}
		}
		for _, l := range gl {
			if !slices.Contains(wl, l) {
				t.Errorf("new in the document: %s", l)
			}
		}
		if !t.Failed() {
			t.Errorf("the document's lines are in another order than %s", operationsFile)
		}
	}
}

// openAPIMap reads the served OpenAPI document as it is.
func (e *env) openAPIMap() map[string]any {
	e.t.Helper()
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		e.t.Fatal(err)
	}
	return doc
}

// TestAPIDecodesTheDocumentedBody holds every operation's decoder to the
// body its document names: each documented property, sent with a value of
// the wrong JSON type, is refused by that property's name (so the decoded
// type has it, typed), and a property the document does not name is
// refused as unknown (so the decoded type has no more).
func TestAPIDecodesTheDocumentedBody(t *testing.T) {
	e := newEnv(t)
	tok := e.token(e.admin)
	doc := e.openAPIMap()
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	ops, props := 0, 0
	for path, methods := range doc["paths"].(map[string]any) {
		for method, o := range methods.(map[string]any) {
			body, ok := o.(map[string]any)["requestBody"]
			if !ok {
				continue
			}
			json, ok := body.(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)
			if !ok {
				continue // the file itself is the body (an import)
			}
			ref := describe(json["schema"].(map[string]any))
			schema, ok := schemas[ref].(map[string]any)
			if !ok {
				t.Errorf("%s %s: the body %s is not a named object", method, path, ref)
				continue
			}
			ops++
			p := e.concrete(path)
			res, out := e.api(tok, strings.ToUpper(method), p, map[string]any{"not_documented": 1})
			if _, fields := apiFieldErrors(out); res.StatusCode != http.StatusUnprocessableEntity || fields["not_documented"] == "" {
				t.Errorf("%s %s: a property %s does not name is not refused: %d %v", method, path, ref, res.StatusCode, out)
			}
			for name, ps := range schema["properties"].(map[string]any) {
				wrong := wrongValue(ps.(map[string]any))
				if wrong == nil {
					continue // any JSON value is welcome
				}
				props++
				res, out := e.api(tok, strings.ToUpper(method), p, map[string]any{name: wrong})
				if _, fields := apiFieldErrors(out); res.StatusCode != http.StatusUnprocessableEntity || fields[name] == "" {
					t.Errorf("%s %s: %s.%s sent as %v is not refused by its name: %d %v", method, path, ref, name, wrong, res.StatusCode, out)
				}
			}
		}
	}
	if ops < 80 {
		t.Errorf("only %d operations with a body", ops)
	}
	t.Logf("%d operations with a body, %d properties", ops, props)
}

// wrongValue is a JSON value of another type than the schema's, or nil
// when the schema takes any value.
func wrongValue(s map[string]any) any {
	if alts, ok := s["anyOf"].([]any); ok {
		s = alts[0].(map[string]any)
	}
	switch {
	case s["type"] == "string":
		return 7
	case s["type"] == "boolean":
		return "not this type"
	case s["type"] == nil && s["$ref"] == nil:
		return nil
	}
	return true
}

// TestOpenAPIImportsDeclareTheirBodies: every import operation declares
// what it takes, and one that takes the file itself as the body declares
// it as binary in the content types a client sends a spreadsheet as, so a
// generated client can send the file.
func TestOpenAPIImportsDeclareTheirBodies(t *testing.T) {
	doc := newEnv(t).openAPIMap()
	n := 0
	for path, methods := range doc["paths"].(map[string]any) {
		op, ok := methods.(map[string]any)["post"].(map[string]any)
		if !ok || !strings.HasSuffix(path, "/import") {
			continue
		}
		n++
		body, ok := op["requestBody"].(map[string]any)
		if !ok {
			t.Errorf("POST %s declares no request body", path)
			continue
		}
		content := body["content"].(map[string]any)
		if _, json := content["application/json"]; json {
			continue // the rows, or the file, inside JSON
		}
		for _, ct := range []string{"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"} {
			c, ok := content[ct].(map[string]any)
			if !ok {
				t.Errorf("POST %s: the body does not declare %s", path, ct)
				continue
			}
			if s := c["schema"].(map[string]any); s["type"] != "string" || s["format"] != "binary" {
				t.Errorf("POST %s: %s is not binary: %v", path, ct, s)
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d import operations", n)
	}
}
