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

// schemaOf describes the JSON content of a response or request body.
func schemaOf(v any) string {
	content, ok := v.(map[string]any)["content"].(map[string]any)
	if !ok {
		return "-"
	}
	return describe(content["application/json"].(map[string]any)["schema"].(map[string]any))
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
	e := newEnv(t)
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
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
