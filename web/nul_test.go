package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// A NUL character (U+0000) is text PostgreSQL cannot store (SQLite can,
// so a database holding one could not move). Every way text comes in
// refuses it with 422 and the field named: JSON bodies, form fields and
// query parameters. These tests walk every route that takes such input,
// on both databases.

const nulText = "før\x00efter"

// openAPIDoc reads the served OpenAPI document.
type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Parameters []struct {
			Name, In string
			Schema   map[string]any
		} `json:"parameters"`
		RequestBody struct {
			Content map[string]struct {
				Schema map[string]any `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

func (e *env) openAPI() *openAPIDoc {
	e.t.Helper()
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var doc openAPIDoc
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		e.t.Fatal(err)
	}
	return &doc
}

// concrete fills in a route pattern: the test's organisation, a question
// and a year that exist, and ids that do not (which the refusal of a NUL
// comes before).
func (e *env) concrete(pattern string) string {
	return replaceParams(strings.NewReplacer("{org}", fmt.Sprint(e.org.ID), "{question}", "4.1", "{year}", "2026").Replace(pattern))
}

// nulVariant is a request body with a NUL in one string and the JSON path
// the error must name.
type nulVariant struct {
	body any
	path string
}

// nulVariants makes one body per string field of a schema (one element
// for arrays, one key for maps), each with the NUL in that field only.
// Dates are left out: their own parser refuses them first.
func (doc *openAPIDoc) nulVariants(schema map[string]any, depth int) []nulVariant {
	if depth > 8 {
		return nil
	}
	if ref, ok := schema["$ref"].(string); ok {
		return doc.nulVariants(doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")], depth+1)
	}
	if alts, ok := schema["anyOf"].([]any); ok {
		var out []nulVariant
		for _, s := range alts {
			out = append(out, doc.nulVariants(s.(map[string]any), depth+1)...)
		}
		return out
	}
	switch schema["type"] {
	case "string":
		if schema["format"] == nil {
			return []nulVariant{{nulText, ""}}
		}
	case "array":
		var out []nulVariant
		for _, v := range doc.nulVariants(schema["items"].(map[string]any), depth+1) {
			p := "[0]"
			if v.path != "" && v.path[0] != '[' {
				p += "."
			}
			out = append(out, nulVariant{[]any{v.body}, p + v.path})
		}
		return out
	case "object":
		var out []nulVariant
		if props, ok := schema["properties"].(map[string]any); ok {
			names := make([]string, 0, len(props))
			for n := range props {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				for _, v := range doc.nulVariants(props[n].(map[string]any), depth+1) {
					p := n
					if v.path != "" && v.path[0] != '[' {
						p += "."
					}
					out = append(out, nulVariant{map[string]any{n: v.body}, p + v.path})
				}
			}
		}
		if add, ok := schema["additionalProperties"].(map[string]any); ok {
			for _, v := range doc.nulVariants(add, depth+1) {
				p := "[k]"
				if v.path != "" && v.path[0] != '[' {
					p += "."
				}
				out = append(out, nulVariant{map[string]any{"k": v.body}, p + v.path})
			}
		}
		return out
	}
	return nil
}

// apiFieldError reads an API error's code and its fields.
func apiFieldErrors(out map[string]any) (code string, fields map[string]string) {
	fields = map[string]string{}
	e, _ := out["error"].(map[string]any)
	code, _ = e["code"].(string)
	fs, _ := e["fields"].([]any)
	for _, f := range fs {
		m, _ := f.(map[string]any)
		name, _ := m["field"].(string)
		msg, _ := m["message"].(string)
		fields[name] = msg
	}
	return code, fields
}

// TestAPIRefusesNULInEveryJSONField sends, to every operation of the API
// that takes a JSON body, one body per string field with a NUL in it.
// Each must answer 422 naming the field by its JSON path, never 500, on
// both databases.
func TestAPIRefusesNULInEveryJSONField(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvOn(t, db, web.Config{})
		e.fill()
		tok := e.token(e.admin)
		doc := e.openAPI()
		routes, bodies, nested := 0, 0, 0
		for path, methods := range doc.Paths {
			for method, op := range methods {
				c, ok := op.RequestBody.Content["application/json"]
				if !ok {
					continue
				}
				variants := doc.nulVariants(c.Schema, 0)
				if len(variants) == 0 {
					continue // a body without text (ids, numbers, flags)
				}
				routes++
				p := e.concrete(path)
				for _, v := range variants {
					bodies++
					if strings.ContainsAny(v.path, "[.") {
						nested++
					}
					res, out := e.api(tok, strings.ToUpper(method), p, v.body)
					code, fields := apiFieldErrors(out)
					if res.StatusCode != http.StatusUnprocessableEntity || code != "invalid" {
						t.Errorf("%s %s with NUL in %s: status %d %v", method, path, v.path, res.StatusCode, out)
						continue
					}
					if msg := fields[v.path]; !strings.Contains(msg, "U+0000") {
						t.Errorf("%s %s with NUL in %s: the field is not named: %v", method, path, v.path, out)
					}
				}
			}
		}
		// A body sent as curl -d sends it, declared URL-encoded, is still
		// read as JSON, and still refused.
		res, out := e.apiBody(tok, "POST", fmt.Sprintf("/api/v1/organisations/%d/entries", e.org.ID), "application/x-www-form-urlencoded",
			strings.NewReader(`{"kind":"process","name":"`+strings.ReplaceAll(nulText, "\x00", `\u0000`)+`"}`))
		if _, fields := apiFieldErrors(out); res.StatusCode != http.StatusUnprocessableEntity || fields["name"] == "" {
			t.Errorf("a JSON body declared URL-encoded: %d %v", res.StatusCode, out)
		}
		if routes < 60 || nested == 0 {
			t.Errorf("only %d operations (%d bodies, %d nested fields) walked", routes, bodies, nested)
		}
		t.Logf("%d operations, %d bodies with a NUL, %d in nested fields", routes, bodies, nested)
	})
}

// TestAPIRefusesNULInQueryParameters sends a NUL in every text query
// parameter of the API, the list searches' ?q= among them.
func TestAPIRefusesNULInQueryParameters(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvOn(t, db, web.Config{})
		e.fill()
		tok := e.token(e.admin)
		doc := e.openAPI()
		searches, params := 0, 0
		for path, methods := range doc.Paths {
			for method, op := range methods {
				for _, prm := range op.Parameters {
					if prm.In != "query" || prm.Schema["type"] != "string" {
						continue
					}
					params++
					if prm.Name == "q" {
						searches++
					}
					p := e.concrete(path)
					var body any
					if method != "get" {
						body = map[string]any{}
					}
					res, out := e.api(tok, strings.ToUpper(method), p+"?"+prm.Name+"=%00", body)
					code, fields := apiFieldErrors(out)
					if res.StatusCode != http.StatusUnprocessableEntity || code != "invalid" || !strings.Contains(fields[prm.Name], "U+0000") {
						t.Errorf("%s %s?%s=%%00: status %d %v", method, path, prm.Name, res.StatusCode, out)
					}
				}
			}
		}
		if searches < 5 {
			t.Errorf("only %d searches (?q=) found among %d text parameters", searches, params)
		}
		t.Logf("%d text query parameters, %d of them searches", params, searches)
	})
}

// uiRoutes are the UI's routes of a method, read from the web package's
// source where they are registered.
func uiRoutes(t *testing.T, method string) []string {
	t.Helper()
	files, _ := filepath.Glob("*.go")
	pattern := regexp.MustCompile(`HandleFunc\("` + method + ` (/[^"]*)"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasPrefix(m[1], "/api/") {
				out = append(out, strings.TrimSuffix(m[1], "{$}"))
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestUIFormsRefuseNUL posts a form with a NUL in a field, and a NUL in a
// query parameter, to every POST route of the UI, and asks every page
// with ?q=%00: 422 with the field named in the user's language, never
// 500, on both databases.
func TestUIFormsRefuseNUL(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvOn(t, db, web.Config{})
		e.fill()
		b := e.login("admin@example.org")
		routes, pages := uiRoutes(t, "POST"), uiRoutes(t, "GET")
		if len(routes) < 60 || len(pages) < 60 {
			t.Fatalf("only %d POST and %d GET routes found in the source", len(routes), len(pages))
		}
		for _, lang := range []string{"da", "en"} {
			b.lang = lang
			want := map[string]string{"da": "nul-tegn", "en": "NUL character"}[lang]
			label := html.EscapeString(labelOf(lang, "description"))
			for _, route := range routes {
				p := e.concrete(route)
				res := b.post(p, url.Values{"name": {"ok"}, "description": {nulText}, "version": {"1"}})
				page := body(res)
				if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, want) || !strings.Contains(page, label) {
					t.Errorf("%s POST %s with NUL in description: status %d", lang, route, res.StatusCode)
				}
				res = b.post(p+"?q=%00", url.Values{"name": {"ok"}})
				page = body(res)
				if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
					t.Errorf("%s POST %s?q=%%00: status %d", lang, route, res.StatusCode)
				}
			}
			for _, route := range pages {
				res := b.get(e.concrete(route) + "?q=%00")
				if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
					t.Errorf("%s GET %s?q=%%00: status %d", lang, route, res.StatusCode)
				}
			}
		}
		t.Logf("%d POST routes, %d pages", len(routes), len(pages))
	})
}

// TestImportsAndUploadsRefuseNUL: a cell holding a NUL in an imported risk
// register or SoA is a problem named by row and column, through the UI and
// the API, and nothing is imported; a multipart form's text fields and
// file names are refused like any form's, while a file's content may hold
// NUL bytes (it is binary).
func TestImportsAndUploadsRefuseNUL(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d := newDocEnvOn(t, db, "")
		e := d.env
		entries := e.fill()
		b := e.login("coord@example.org")
		b.lang = "en"
		tok := e.token(d.coord)
		o := fmt.Sprintf("/orgs/%d", e.org.ID)
		api := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
		_, risks, _ := db.Risks(e.as(d.coord), e.org.ID, isms.RiskFilter{})

		// The risk register: the UI's preview names the cell, the import
		// is refused.
		register := "Aktiv;Trussel;Sandsynlighed;Konsekvens;Beskrivelse\n" + entries[2].Name + ";Brand;2;3;" + nulText + "\n"
		res := b.riskUpload(o+"/risk-import", "import_file", "register.csv", []byte(register))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("risk upload: %d %s", res.StatusCode, body(res))
		}
		// A shape without a saved mapping goes to the mapping step first;
		// the preview is open all the same.
		preview := strings.TrimSuffix(res.Header.Get("Location"), "/mapping")
		if page := body(b.get(preview)); !strings.Contains(page, "E · Beskrivelse") || !strings.Contains(page, "NUL character") {
			t.Errorf("the risk preview does not name the cell:\n%s", page)
		}
		if res := b.post(preview, nil); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("importing a register with a NUL: %d", res.StatusCode)
		}
		// The API names row and column.
		res, out := e.apiBody(tok, "POST", api+"/risks/import?filename=r.csv", "text/csv", strings.NewReader(register))
		if _, fields := apiFieldErrors(out); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fields["row 2: E · Beskrivelse"], "U+0000") {
			t.Errorf("API risk import: %d %v", res.StatusCode, out)
		}
		if _, n, _ := db.Risks(e.as(d.coord), e.org.ID, isms.RiskFilter{}); n != risks {
			t.Fatalf("a register with a NUL imported %d risks", n-risks)
		}

		// The SoA: the preview names the cell; applying the file is
		// refused, through the UI and the API.
		soa := []byte("Kontrol;Anvendelig;Begrundelse\nA.5.1.1;Ja;" + nulText + "\n")
		ct, buf := multipartFile(t, "soa.csv", soa)
		req, _ := http.NewRequest("POST", e.srv.URL+o+"/soa/import/preview", buf)
		req.Header.Set("Content-Type", ct)
		res = b.do(req)
		if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "C (Begrundelse)") || !strings.Contains(page, "NUL character") {
			t.Errorf("SoA preview: %d\n%s", res.StatusCode, page)
		}
		form := url.Values{"file_name": {"soa.csv"}, "content": {base64.StdEncoding.EncodeToString(soa)}}
		if res := b.post(o+"/soa/import", form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("SoA import through the UI: %d", res.StatusCode)
		}
		res, out = e.api(tok, "POST", api+"/soa/import/preview", map[string]any{"file_name": "soa.csv", "content": soa})
		if problems, _ := out["problems"].([]any); res.StatusCode != 200 || len(problems) != 1 || !strings.Contains(fmt.Sprint(problems[0]), "C (Begrundelse)") {
			t.Errorf("SoA preview through the API: %d %v", res.StatusCode, out)
		}
		if res, out := e.api(tok, "POST", api+"/soa/import", map[string]any{"file_name": "soa.csv", "content": soa}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("SoA import through the API: %d %v", res.StatusCode, out)
		}
		s, _ := db.SoA(e.as(d.coord), e.org.ID, isms.SoAFilter{Applicability: "applicable"})
		if len(s.Controls) != 0 {
			t.Fatalf("an SoA with a NUL imported %d controls", len(s.Controls))
		}

		// A multipart form's text fields and file names, as any form's.
		ct, buf = multipartFields(t, map[string]string{"note": nulText}, "soa.csv", soa)
		req, _ = http.NewRequest("POST", e.srv.URL+o+"/soa/import/preview", buf)
		req.Header.Set("Content-Type", ct)
		if res := b.do(req); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), "“"+labelOf("en", "note")+"”") {
			t.Errorf("a multipart text field with a NUL: %d", res.StatusCode)
		}
		// (A NUL in a file name can only come encoded, RFC 2231.)
		buf.Reset()
		mw := multipart.NewWriter(buf)
		fw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="import_file"; filename*=UTF-8''register%00.csv`}})
		fw.Write([]byte(register))
		mw.Close()
		req, _ = http.NewRequest("POST", e.srv.URL+o+"/risk-import", buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if res := b.do(req); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(res), "“"+labelOf("en", "import_file")+"”") {
			t.Errorf("a file name with a NUL: %d", res.StatusCode)
		}

		// A document's upload, read part by part: its text parts may not
		// hold a NUL, its file may.
		doc := d.policy()
		ver := fmt.Sprint(doc.Version)
		docPath := fmt.Sprintf("%s/documents/%d/versions", o, doc.ID)
		pdf := append(append([]byte(nil), pdfBytes...), 0, 0, 0)
		res = b.upload(docPath, map[string]string{"version": ver, "change_note": nulText}, "politik.pdf", pdf)
		if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "NUL character") {
			t.Errorf("a change note with a NUL: %d", res.StatusCode)
		}
		res = b.upload(docPath, map[string]string{"version": ver, "text": nulText}, "", nil)
		if page := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "NUL character") {
			t.Errorf("a text version with a NUL: %d", res.StatusCode)
		}
		ct, buf = multipartFields(t, map[string]string{"version": ver, "change_note": nulText}, "", nil)
		res, out = e.apiBody(tok, "POST", fmt.Sprintf("%s/documents/%d/versions", api, doc.ID), ct, buf)
		if _, fields := apiFieldErrors(out); res.StatusCode != http.StatusUnprocessableEntity || fields["change_note"] == "" {
			t.Errorf("API upload with a NUL in the change note: %d %v", res.StatusCode, out)
		}
		if res := b.upload(docPath, map[string]string{"version": ver, "change_note": "Ny version"}, "politik.pdf", pdf); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a file holding NUL bytes: %d %s", res.StatusCode, body(res))
		}
		got, err := db.DocumentContent(e.as(d.coord), e.org.ID, doc.ID, 2)
		if err != nil {
			t.Fatalf("the file's NUL bytes: %v", err)
		}
		data, err := io.ReadAll(got.Body)
		got.Body.Close()
		if err != nil || !bytes.Equal(data, pdf) {
			t.Fatalf("the file's NUL bytes: %v", err)
		}
	})
}

// labelOf is how a refusal names a form field: by its label, or else by
// its name.
func labelOf(lang, field string) string {
	if i18n.Has(i18n.Key("field." + field)) {
		return i18n.T(lang, i18n.Key("field."+field))
	}
	return field
}
