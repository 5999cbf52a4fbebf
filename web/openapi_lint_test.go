package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The API document is linted by Spectral, a standard OpenAPI linter, with
// its recommended rules (spectral:oas, tools/openapi-lint/.spectral.yaml):
// what a client generator stumbles over (an operation without an id or a
// description, an undeclared tag, an enum value of the wrong type, an
// invalid schema) fails here. Spectral comes from the npm registry at the
// version tools/openapi-lint/package-lock.json pins (npm ci --prefix
// tools/openapi-lint); ISMS_SPECTRAL names another copy. Without it the
// test skips and says how to install it, except under CI=true, where it
// fails.

// spectral finds the linter and Node.js to run it.
func spectral(t *testing.T) string {
	t.Helper()
	p := os.Getenv("ISMS_SPECTRAL")
	if p == "" {
		p = filepath.Join("..", "tools", "openapi-lint", "node_modules", ".bin", "spectral")
	}
	_, err := os.Stat(p)
	if err == nil {
		_, err = exec.LookPath("node")
	}
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("Spectral not usable at %s (%v): run `npm ci --prefix tools/openapi-lint` in the repository (Node.js needed), or set ISMS_SPECTRAL", p, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI must lint the API document")
	}
	t.Skip(msg)
	return ""
}

// spectralResult is one finding of Spectral's JSON output.
type spectralResult struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Path     []any  `json:"path"`
	Severity int    `json:"severity"` // 0 error, 1 warning, 2 information, 3 hint
}

// TestOpenAPIDocumentLints lints the served document and fails on any
// finding, of any severity.
func TestOpenAPIDocumentLints(t *testing.T) {
	bin := spectral(t)
	e := newEnv(t)
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("the document: %d %v", res.StatusCode, err)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	ruleset, err := filepath.Abs(filepath.Join("..", "tools", "openapi-lint", ".spectral.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The findings go to a file of their own: Spectral follows the JSON
	// with a sentence on standard output.
	report := filepath.Join(t.TempDir(), "findings.json")
	cmd := exec.Command(bin, "lint", "--ruleset", ruleset, "--format", "json", "--output", report, "--fail-severity", "hint", file)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	found, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("Spectral wrote no findings (%v, run: %v):\n%s", err, runErr, out.String())
	}
	var results []spectralResult
	if err := json.Unmarshal(found, &results); err != nil {
		t.Fatalf("Spectral's findings do not parse (%v, run: %v):\n%s\n%s", err, runErr, found, out.String())
	}
	for _, r := range results {
		t.Errorf("%s (severity %d) at %v: %s", r.Code, r.Severity, r.Path, r.Message)
	}
	if runErr != nil && len(results) == 0 {
		t.Fatalf("Spectral failed: %v\n%s", runErr, out.String())
	}
}
