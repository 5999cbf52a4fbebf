package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ismsdk/isms/sqlstore"
)

// A SQLite path is written into a URI; a folder named with '#', '?' or '%'
// must still open the file named, not a prefix of it.
func TestOpenSQLiteAtAPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "isms#1?test%20data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "isms.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked for: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Fatalf("files beside the folder: %v", entries)
	}
}
