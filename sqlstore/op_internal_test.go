package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// A store method's unexpected error names the method once; what callers
// act on (a domain error's code, a sentinel) reads as before.
func TestOpError(t *testing.T) {
	if opError("Risk", nil) != nil {
		t.Fatal("nil error wrapped")
	}
	domain := isms.Errorf(isms.ENotFound, "err.not_found", "risk")
	if got := opError("Risk", domain); got != error(domain) {
		t.Errorf("domain error changed: %v", got)
	}
	if got := opError("Risk", notFound("risk")); isms.ErrorCode(got) != isms.ENotFound {
		t.Errorf("code through opError = %q", isms.ErrorCode(got))
	}
	got := opError("Risk", sql.ErrNoRows)
	if !errors.Is(got, sql.ErrNoRows) || got.Error() != "sqlstore.Risk: "+sql.ErrNoRows.Error() {
		t.Errorf("no rows: %v", got)
	}
	if isms.ErrorCode(got) != isms.EInternal {
		t.Errorf("unexpected error's code = %q", isms.ErrorCode(got))
	}
	if got := opError("Restore", ErrNotEmpty); !errors.Is(got, ErrNotEmpty) {
		t.Errorf("sentinel lost: %v", got)
	}
}

// read and write name the method in the error they return.
func TestReadWriteName(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir()+"/op.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	boom := errors.New("boom")
	for name, run := range map[string]func() error{
		"read":  func() error { return db.read(ctx, "Probe", func(*Tx) error { return boom }) },
		"write": func() error { return db.write(ctx, "Probe", func(*Tx) error { return boom }) },
	} {
		err := run()
		if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "sqlstore.Probe: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
