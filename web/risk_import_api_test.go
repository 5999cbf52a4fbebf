package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// The risk register's import through the API: a file with refused rows
// answers 422 with the rows named and stores nothing; create_missing and
// skip_refused store what the user agreed to; saved mappings are listed,
// and refused to another organisation.
func TestRiskImportAPIOptionsAndMappings(t *testing.T) {
	f := newRiskFixture(t)
	e := f.e
	tok := e.token(f.coord)
	data, err := os.ReadFile("../export/testdata/risikoregister-fejl-1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, url string, body []byte, tok string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+url, strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var out map[string]any
		json.Unmarshal(b, &out)
		if out == nil {
			out = map[string]any{"raw": string(b)}
		}
		return res.StatusCode, out
	}
	api := fmt.Sprintf("/api/v1/organisations/%d", e.org.ID)
	count := func() int {
		_, n, _ := e.db.Risks(e.as(f.reader), e.org.ID, isms.RiskFilter{})
		return n
	}
	before := count()
	code, out := send("POST", api+"/risks/import?filename=r.csv&dry_run=true", data, tok)
	// The fixture's register has none of the file's assets: without
	// create_missing every row is refused, with it the two bad rows.
	if code != 200 || out["refused"] != 5.0 || len(out["missing_assets"].([]any)) != 3 || out["imported"] != false {
		t.Fatalf("dry run: %d %v", code, out["refused"])
	}
	code, out = send("POST", api+"/risks/import?filename=r.csv&dry_run=true&create_missing=true", data, tok)
	if code != 200 || out["refused"] != 2.0 || out["created"] != 3.0 {
		t.Fatalf("dry run creating the missing: %d %v %v", code, out["refused"], out["created"])
	}
	code, out = send("POST", api+"/risks/import?filename=r.csv&create_missing=true", data, tok)
	if code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "row 6") || count() != before {
		t.Fatalf("refused rows: %d %v", code, out)
	}
	code, out = send("POST", api+"/risks/import?filename=r.csv&create_missing=true&skip_refused=true", data, tok)
	if code != 200 || out["created"] != 3.0 || out["imported"] != true || count() != before+3 {
		t.Fatalf("skip refused: %d %v", code, out)
	}
	// The same file again: nothing new.
	code, out = send("POST", api+"/risks/import?filename=r.csv&create_missing=true&skip_refused=true", data, tok)
	if code != 200 || out["skipped"] != 3.0 || count() != before+3 {
		t.Fatalf("again: %d %v", code, out)
	}
	m, err := e.db.SaveImportMapping(e.as(f.coord), e.org.ID, isms.ImportMappingInput{Kind: isms.ImportRisks, Headings: []string{"Objekt", "Fare"},
		Columns: map[string]string{"objekt": "asset", "fare": "threat"}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+api+"/import-mappings", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if res.StatusCode != 200 || len(list) != 1 || list[0]["id"] != float64(m.ID) {
		t.Fatalf("list: %d %v", res.StatusCode, list)
	}
	other := e.token(f.other)
	if code, _ := send("GET", fmt.Sprintf("%s/import-mappings/%d", api, m.ID), nil, other); code != http.StatusNotFound {
		t.Errorf("another organisation reads the mapping: %d", code)
	}
	if code, _ := send("DELETE", fmt.Sprintf("%s/import-mappings/%d", api, m.ID), nil, other); code != http.StatusNotFound {
		t.Errorf("another organisation deletes the mapping: %d", code)
	}
	if code, _ := send("POST", fmt.Sprintf("%s/risks/import?filename=r.csv&dry_run=true&mapping=%d", api, m.ID), data, other); code != http.StatusNotFound {
		t.Errorf("another organisation imports into this one: %d", code)
	}
	if code, _ := send("DELETE", fmt.Sprintf("%s/import-mappings/%d", api, m.ID), nil, tok); code != http.StatusNoContent {
		t.Errorf("delete: %d", code)
	}
}
