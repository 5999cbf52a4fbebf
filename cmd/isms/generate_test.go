package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
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

	// bench starts the server as this binary with `serve` (bench_test.go).
	t.Setenv(benchServeEnv, "1")
	out, err = runVerb(t, "bench", "--db", db, "--duration", "50ms", "--starts", "2", "--json")
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	var rep benchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	if rep.Org != "Storby Kommune" || rep.Machine.CPUs == 0 || !slices.Equal(rep.Concurrency, []int{1, 32}) {
		t.Fatalf("bench report: %+v", rep)
	}
	// The server: started twice, timed to /healthz, its memory read.
	s := rep.Server
	if len(s.StartMS) != 2 || s.StartBestMS <= 0 || s.StartMedianMS < s.StartBestMS || s.PID == 0 || s.PeakRSS == 0 ||
		!strings.Contains(s.Command, "serve") || rep.ClientPeakRSS == 0 {
		t.Errorf("bench server: %+v, client peak %d", s, rep.ClientPeakRSS)
	}
	// Every page at both concurrencies, each with its floor beside it.
	measured := map[string][]int{}
	for _, p := range rep.Pages {
		measured[p.Key] = append(measured[p.Key], p.Concurrency)
		if !p.Available || p.Requests == 0 || p.Errors != 0 || p.MedianMS <= 0 || p.P99MS < p.MedianMS || p.Bytes == 0 ||
			p.ServerPeakRSS == 0 || p.ServerRSSBefore == 0 || p.ServerRSS == 0 || p.ClientPeakRSS == 0 {
			t.Errorf("page %s at %d: %+v", p.Key, p.Concurrency, p)
		}
		if f := p.Floor; f == nil || f.Requests == 0 || f.Errors != 0 || f.MedianMS <= 0 || f.P99MS < f.MedianMS ||
			p.RateVsFloor <= 0 || p.MedianVsFloor <= 0 {
			t.Errorf("page %s at %d: floor %+v, ratios %g %g", p.Key, p.Concurrency, p.Floor, p.RateVsFloor, p.MedianVsFloor)
		}
	}
	for _, k := range pageKeys() {
		if !slices.Equal(measured[k], []int{1, 32}) {
			t.Errorf("page %s measured at %v, want 1 and 32", k, measured[k])
		}
	}
	if p := rep.Pages[slices.IndexFunc(rep.Pages, func(p *benchPage) bool { return p.Key == "risk" })]; !regexp.MustCompile(`/risks/[0-9]+$`).MatchString(p.Path) {
		t.Errorf("one risk's page: %s", p.Path)
	}
	// Every target judged, on figures the run holds.
	if len(rep.Targets) != 9 {
		t.Errorf("targets: %d, want 9", len(rep.Targets))
	}
	for _, tg := range rep.Targets {
		if !tg.Measured || tg.Figure == "" {
			t.Errorf("target %+v", tg)
		}
	}

	// The table form names every page asked for, and the targets; one
	// number is still a concurrency.
	out, err = runVerb(t, "bench", "--db", db, "--duration", "50ms", "--concurrency", "1", "--starts", "1", "--pages", "overview,checklist_api")
	if err != nil || !strings.Contains(out, "overview") || !strings.Contains(out, "checklist_api") || strings.Contains(out, "soa_xlsx") ||
		!strings.Contains(out, "start to /healthz") || !strings.Contains(out, "at 1 connection, p50 < 5 ms on every page") {
		t.Fatalf("bench table: %v\n%s", err, out)
	}
	if _, err := runVerb(t, "bench", "--db", db, "--pages", "nosuchpage"); err == nil || !strings.Contains(err.Error(), "nosuchpage") {
		t.Errorf("bench --pages nosuchpage: %v", err)
	}
}

func TestBenchNeedsADatabase(t *testing.T) {
	_, err := runVerb(t, "bench", "--db", filepath.Join(t.TempDir(), "none.db"))
	if err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("bench on a missing database: %v", err)
	}
}
