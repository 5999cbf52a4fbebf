package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// A supplier list whose name column is headed in the author's words: the
// upload goes to the mapping step, where the column is mapped by hand to
// the name; saving stores the mapping and shows the preview of the file
// read with it. Another file of the same headings then imports through
// the API with the saved mapping, without naming it and naming it; a
// mapping of another organisation or of another register is refused.
func TestRegisterImportMappingStep(t *testing.T) {
	t.Parallel()
	r := newRimpEnv(t)
	o := fmt.Sprintf("/orgs/%d", r.e.org.ID)
	b := r.e.login("coordinator@imp.example")
	first := []byte("Leverandørens navn xyz;Leverer;Kritikalitet;Ejer;Farve\nDataCentralen A/S;Drift;High;coordinator@imp.example;blå\nPrintHuset ApS;Print;Low;coordinator@imp.example;rød\n")
	res := b.importUpload(o+"/supplier-import", "leverandoerer.csv", first, "")
	mapping := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`/supplier-import/[0-9a-f]{64}/mapping$`).MatchString(mapping) {
		t.Fatalf("upload: %d to %q %s", res.StatusCode, mapping, body(res))
	}
	html := body(b.get(mapping))
	for _, want := range []string{"Leverandørens navn xyz", `name="col.leverandørensnavnxyz"`, `<option value="delivers" selected>`} {
		if !strings.Contains(html, want) {
			t.Errorf("the mapping step lacks %q", want)
		}
	}
	// Another organisation does not find the upload's mapping step.
	ob := r.e.login("coord@nabo.example")
	other := strings.Replace(mapping, o, fmt.Sprintf("/orgs/%d", r.otherOrg.ID), 1)
	if res := ob.get(other); res.StatusCode != http.StatusNotFound {
		t.Errorf("other organisation opens the mapping step: %d", res.StatusCode)
	}
	res = b.post(mapping, url.Values{"col.leverandørensnavnxyz": {"name"}, "col.leverer": {"delivers"}, "col.kritikalitet": {"criticality"},
		"col.ejer": {"owner"}, "col.farve": {""}})
	preview := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || preview != strings.TrimSuffix(mapping, "/mapping") {
		t.Fatalf("saving the mapping: %d to %q %s", res.StatusCode, preview, body(res))
	}
	html = body(b.get(preview))
	for _, want := range []string{"2 rows: 2 created", "DataCentralen A/S", `href="` + mapping + `"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	ms, err := r.e.db.ImportMappings(r.e.as(r.coord), r.e.org.ID)
	if err != nil || len(ms) != 1 || ms[0].Kind != isms.ImportSuppliers || ms[0].Columns["leverandørensnavnxyz"] != "name" {
		t.Fatalf("saved mappings: %v %+v", err, ms)
	}
	saved := ms[0]
	// The same shape uploaded again goes straight to the preview.
	second := []byte("Leverandørens navn xyz;Leverer;Kritikalitet;Ejer;Farve\nSkyen ApS;Hosting;Medium;coordinator@imp.example;grøn\n")
	res = b.importUpload(o+"/supplier-import", "leverandoerer-2027.csv", second, "")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || strings.HasSuffix(loc, "/mapping") {
		t.Errorf("a file of a saved shape goes to %q", loc)
	}

	send := func(query string, data []byte, tok string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("POST", r.e.srv.URL+fmt.Sprintf("/api/v1/organisations/%d/suppliers/import?", r.e.org.ID)+query, strings.NewReader(string(data)))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		out := map[string]any{}
		json.Unmarshal(raw, &out)
		out["raw"] = string(raw)
		return res.StatusCode, out
	}
	tok := r.e.token(r.coord)
	// Without naming a mapping: the one saved for the file's headings.
	code, out := send("filename=l.csv&dry_run=true", second, tok)
	if code != 200 || out["created"] != 1.0 || out["refused"] != 0.0 {
		t.Fatalf("dry run with the saved mapping: %d %v", code, out["raw"])
	}
	// Naming it, and storing.
	code, out = send(fmt.Sprintf("filename=l.csv&mapping=%d", saved.ID), second, tok)
	if code != 200 || out["created"] != 1.0 || out["imported"] != true || r.count("suppliers") != 1 {
		t.Fatalf("import with mapping=%d: %d %v", saved.ID, code, out["raw"])
	}
	// A mapping of another organisation is not found.
	theirs, err := r.e.db.SaveImportMapping(r.e.as(r.out), r.otherOrg.ID, isms.ImportMappingInput{Kind: isms.ImportSuppliers,
		Headings: []string{"Leverandørens navn xyz", "Leverer"}, Columns: map[string]string{"leverandørensnavnxyz": "name", "leverer": "delivers"}})
	if err != nil {
		t.Fatal(err)
	}
	if code, out := send(fmt.Sprintf("filename=l.csv&dry_run=true&mapping=%d", theirs.ID), second, tok); code != http.StatusNotFound {
		t.Errorf("another organisation's mapping: %d %v", code, out["raw"])
	}
	// A mapping of another register is refused by name.
	risks, err := r.e.db.SaveImportMapping(r.e.as(r.coord), r.e.org.ID, isms.ImportMappingInput{Kind: isms.ImportRisks,
		Headings: []string{"Objekt", "Fare"}, Columns: map[string]string{"objekt": "asset", "fare": "threat"}})
	if err != nil {
		t.Fatal(err)
	}
	if code, out := send(fmt.Sprintf("filename=l.csv&dry_run=true&mapping=%d", risks.ID), second, tok); code != http.StatusUnprocessableEntity ||
		!strings.Contains(out["raw"].(string), "(risks)") {
		t.Errorf("a risk register's mapping: %d %v", code, out["raw"])
	}
	if code, _ := send("filename=l.csv&dry_run=true&mapping=x", second, tok); code != http.StatusUnprocessableEntity {
		t.Errorf("a mapping that is no id: %d", code)
	}
	if n := r.count("suppliers"); n != 1 {
		t.Errorf("%d suppliers", n)
	}
}
