package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrgExportAndImportVerbs moves the demo municipality from one SQLite
// installation to another (PostgreSQL is the store tests' business) and
// verifies both audit trails; a second import under the same name is
// refused, under --name it is a copy.
func TestOrgExportAndImportVerbs(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.db")
	if _, err := runVerb(t, "demo", "--db", src); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	archive := filepath.Join(dir, "solbjerg.isms-org.gz")
	out, err := runVerb(t, "org", "export", "--db", src, "--org", "Solbjerg Kommune", "--out", archive)
	if err != nil || !strings.Contains(out, "Exported organisation") {
		t.Fatalf("org export: %q, %v", out, err)
	}
	if b, _ := os.ReadFile(archive); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatal("the .gz archive is not compressed")
	}
	if _, err := runVerb(t, "org", "export", "--db", src, "--org", "Nowhere", "--out", archive); err == nil || !strings.Contains(err.Error(), "Solbjerg Kommune") {
		t.Fatalf("an unknown organisation: %v", err)
	}

	dst := filepath.Join(t.TempDir(), "dst.db")
	out, err = runVerb(t, "org", "import", "--db", dst, "--in", archive)
	if err != nil || !strings.Contains(out, "Imported") || !strings.Contains(out, "the chain verified") {
		t.Fatalf("org import: %q, %v", out, err)
	}
	t.Log(out)
	for _, db := range []string{src, dst} {
		if out, err := runVerb(t, "audit", "verify", "--db", db); err != nil || !strings.Contains(out, "intact") {
			t.Fatalf("verify %s: %q, %v", db, out, err)
		}
	}
	_, err = runVerb(t, "org", "import", "--db", dst, "--in", archive)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("a second import under the same name: %v", err)
	}
	if out, err := runVerb(t, "org", "import", "--db", dst, "--in", archive, "--name", "Solbjerg Kommune (kopi)"); err != nil || !strings.Contains(out, "Solbjerg Kommune (kopi)") {
		t.Fatalf("import under another name: %q, %v", out, err)
	}
	if out, err := runVerb(t, "audit", "verify", "--db", dst); err != nil {
		t.Fatalf("verify after the copy: %q, %v", out, err)
	}
}
