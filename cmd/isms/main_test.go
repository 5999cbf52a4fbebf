package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
)

// runVerb runs the command line with args and returns what it printed.
func runVerb(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out)
	return out.String(), err
}

// sampleDB makes a SQLite database with two organisations and some changes.
func sampleDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "isms.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := operator(context.Background())
	if _, err := db.CreateUser(ctx, "admin@cli.example", "Admin", "a long enough password", true); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"First", "Second"} {
		o, err := db.CreateOrganisation(ctx, isms.OrganisationInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []string{"Process A", "Process B"} {
			if _, err := db.CreateOverviewEntry(ctx, o.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: e}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return path
}

func rawExec(t *testing.T, path, q string, args ...any) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerifyVerb(t *testing.T) {
	path := sampleDB(t)
	// One event for the account, and in each organisation its creation,
	// the filling of its register of documented information and two
	// entries.
	out, err := runVerb(t, "audit", "verify", "--db", path)
	if err != nil || out != "audit trail intact: 9 events checked\n" {
		t.Fatalf("intact trail: %q, %v", out, err)
	}

	rawExec(t, path, `UPDATE audit_events SET after_json = '{"name":"forged"}' WHERE organisation_id = 2 AND seq = 2`)
	out, err = runVerb(t, "audit", "verify", "--db", path)
	if err == nil || !strings.Contains(err.Error(), "broken in 1 chain") {
		t.Fatalf("broken trail gave error %v", err)
	}
	if !regexp.MustCompile(`^BROKEN: organisation 2, first broken link at event 2 \(id \d+\): its content does not match its hash`).MatchString(out) ||
		strings.Count(out, "\n") != 1 {
		t.Fatalf("broken trail: %q", out)
	}

	rawExec(t, path, "DELETE FROM audit_events WHERE organisation_id = 0")
	out, _ = runVerb(t, "audit", "verify", "--db", path)
	if !strings.Contains(out, "BROKEN: site-wide chain, first broken link at event 1") || strings.Count(out, "BROKEN") != 2 {
		t.Fatalf("two broken chains: %q", out)
	}
}

func TestBackupAndRestoreVerbs(t *testing.T) {
	src := sampleDB(t)
	dir := t.TempDir()
	archive := filepath.Join(dir, "isms-backup.jsonl")
	out, err := runVerb(t, "backup", "--db", src, "--out", archive)
	if err != nil || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: %q, %v", out, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("backup left %d files behind", len(entries))
	}
	if info, err := os.Stat(archive); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Fatalf("archive %v is readable by others (%v)", info.Mode(), err)
	}

	dst := filepath.Join(t.TempDir(), "restored.db")
	out, err = runVerb(t, "restore", "--db", dst, "--in", archive)
	if err != nil || !strings.Contains(out, "1 users, 2 organisations, 9 audit events") {
		t.Fatalf("restore: %q, %v", out, err)
	}
	if out, err := runVerb(t, "audit", "verify", "--db", dst); err != nil || !strings.Contains(out, "intact: 9 events") {
		t.Fatalf("verify restored: %q, %v", out, err)
	}
	_, err = runVerb(t, "restore", "--db", dst, "--in", archive)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("restore into a used database: %v", err)
	}

	// Compressed, and through a file in another folder.
	gz := filepath.Join(dir, "isms-backup.jsonl.gz")
	if _, err := runVerb(t, "backup", "--db", src, "--out", gz); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(gz); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatal("the .gz archive is not compressed")
	}
	if _, err := runVerb(t, "restore", "--db", filepath.Join(t.TempDir(), "from-gz.db"), "--in", gz); err != nil {
		t.Fatal(err)
	}

	// A cut-off archive restores nothing.
	whole, _ := os.ReadFile(archive)
	cut := filepath.Join(dir, "cut.jsonl")
	os.WriteFile(cut, whole[:len(whole)/2], 0o600)
	empty := filepath.Join(t.TempDir(), "empty.db")
	if _, err := runVerb(t, "restore", "--db", empty, "--in", cut); err == nil || !strings.Contains(err.Error(), "nothing was restored") {
		t.Fatalf("restore of a cut-off archive: %v", err)
	}
	if _, err := runVerb(t, "restore", "--db", empty, "--in", archive); err != nil {
		t.Fatalf("restore after a failed one: %v", err)
	}

	// Nothing to back up, or nowhere to write it.
	if _, err := runVerb(t, "backup", "--db", filepath.Join(dir, "missing.db"), "--out", filepath.Join(dir, "x")); err == nil {
		t.Fatal("backup of a missing database succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Fatal("backup created the database it was to read")
	}
	if _, err := runVerb(t, "backup", "--db", src, "--out", filepath.Join(dir, "no", "such", "folder.jsonl")); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
	if _, err := runVerb(t, "backup", "--db", src); err == nil {
		t.Fatal("backup without --out succeeded")
	}
}

func TestDemoVerb(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	out, err := runVerb(t, "demo", "--db", path, "--addr", "http://localhost:9999")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http://localhost:9999", demo.Password, "koordinator@solbjerg.example", "coordinator", "direktion@solbjerg.example", "management"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	_, err = runVerb(t, "demo", "--db", path)
	if err == nil || !strings.Contains(err.Error(), "demo organisation already exists") {
		t.Fatalf("second demo: %v", err)
	}
}

// TestRestoreVerbRefusesNUL: a SQLite database holding a NUL character in
// a text (written behind the store's back) backs up, but its archive is
// refused, naming the table, the record and the column to correct, and
// nothing is restored; PostgreSQL could not hold the text (the store's
// tests restore the same into both databases).
func TestRestoreVerbRefusesNUL(t *testing.T) {
	src := sampleDB(t)
	rawExec(t, src, "UPDATE overview_entries SET description = ? WHERE id = 2", "før\x00efter")
	archive := filepath.Join(t.TempDir(), "isms-backup.jsonl")
	if _, err := runVerb(t, "backup", "--db", src, "--out", archive); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "restored.db")
	_, err := runVerb(t, "restore", "--db", dst, "--in", archive)
	if err == nil {
		t.Fatal("an archive holding a NUL was restored")
	}
	for _, want := range []string{"table overview_entries", "record id 2", "column description", "NUL character (U+0000)", "nothing was restored"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q: %v", want, err)
		}
	}
	rawExec(t, src, "UPDATE overview_entries SET description = 'før efter' WHERE id = 2")
	if _, err := runVerb(t, "backup", "--db", src, "--out", archive); err != nil {
		t.Fatal(err)
	}
	if _, err := runVerb(t, "restore", "--db", dst, "--in", archive); err != nil {
		t.Fatalf("restore after the text was corrected: %v", err)
	}
}
