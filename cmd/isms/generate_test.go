package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// isms generate makes the organisation, says what it made, and refuses a
// database that already holds data unless told to add beside it; isms
// bench then measures every page of it over HTTP.
func TestGenerateAndBench(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gen.db")
	out, err := runVerb(t, "generate", "--db", db, "--assets", "30", "--risks", "60", "--seed", "4", "--end", "2026-06-30", "--quiet")
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	for _, want := range []string{"Storby Kommune", "60  risks", "every chain intact", "koordinator@storby.example"} {
		if !strings.Contains(out, want) {
			t.Errorf("generate output lacks %q:\n%s", want, out)
		}
	}
	if out, err := runVerb(t, "generate", "--db", db, "--assets", "10", "--risks", "0"); err == nil || !strings.Contains(err.Error(), "--force-add") {
		t.Fatalf("second generate without --force-add: %v\n%s", err, out)
	}
	if out, err := runVerb(t, "generate", "--db", db, "--assets", "10", "--risks", "0", "--force-add", "--quiet"); err != nil ||
		!strings.Contains(out, "Storby Kommune 2") {
		t.Fatalf("generate --force-add: %v\n%s", err, out)
	}

	out, err = runVerb(t, "bench", "--db", db, "--duration", "150ms", "--concurrency", "2", "--json")
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	var rep benchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	if rep.Org != "Storby Kommune" || rep.Machine.CPUs == 0 || len(rep.Pages) == 0 {
		t.Fatalf("bench report: %+v", rep)
	}
	for _, p := range rep.Pages {
		if !p.Available || p.Requests == 0 || p.Errors != 0 || p.MedianMS <= 0 || p.P99MS < p.MedianMS || p.HeapAfter == 0 {
			t.Errorf("page %s: %+v", p.Key, p)
		}
	}
	// The table form names every page.
	out, err = runVerb(t, "bench", "--db", db, "--duration", "50ms", "--concurrency", "1", "--pages", "overview,checklist_api")
	if err != nil || !strings.Contains(out, "overview") || !strings.Contains(out, "checklist_api") || strings.Contains(out, "soa_xlsx") {
		t.Fatalf("bench table: %v\n%s", err, out)
	}
}

func TestBenchNeedsADatabase(t *testing.T) {
	_, err := runVerb(t, "bench", "--db", filepath.Join(t.TempDir(), "none.db"))
	if err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("bench on a missing database: %v", err)
	}
}
