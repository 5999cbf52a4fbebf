package main

import (
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
)

func cmdBackup(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	db := dbFlag(fs)
	out := fs.String("out", "", "archive file to write (- for standard output); a name ending in .gz is compressed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: --out is required")
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if *out == "-" {
		return store.Backup(ctx, stdout)
	}
	n, err := writeAtomically(*out, func(w io.Writer) error {
		if strings.HasSuffix(*out, ".gz") {
			z := gzip.NewWriter(w)
			if err := store.Backup(ctx, z); err != nil {
				return err
			}
			return z.Close()
		}
		return store.Backup(ctx, w)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d bytes). Restore it with: isms restore --in %s --db <new database>\n", redact(*db), *out, n, *out)
	return nil
}

// writeAtomically writes a file through a temporary file beside it, which
// is synced and renamed into place only when complete: a failed or
// interrupted backup never leaves a partial archive under the real name.
func writeAtomically(path string, write func(w io.Writer) error) (int64, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".partial-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	info, err := tmp.Stat()
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	done = true
	return info.Size(), nil
}

// mustExist refuses a SQLite path with no database behind it, which Open
// would otherwise create empty.
func mustExist(dsn string) error {
	if sqlstore.IsPostgres(dsn) {
		return nil
	}
	if _, err := os.Stat(dsn); err != nil {
		return fmt.Errorf("no database at %s", dsn)
	}
	return nil
}

func cmdRestore(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	db := dbFlag(fs)
	in := fs.String("in", "", "archive file to read (- for standard input)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("restore: --in is required")
	}
	r := stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer f.Close()
		r = f
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Restore(ctx, r); err != nil {
		if errors.Is(err, sqlstore.ErrNotEmpty) {
			return fmt.Errorf("%w (%s); nothing was changed", err, redact(*db))
		}
		return fmt.Errorf("%w; nothing was restored", err)
	}
	users, err := store.CountUsers(ctx)
	if err != nil {
		return err
	}
	orgs, err := store.Organisations(operator(ctx))
	if err != nil {
		return err
	}
	checked, breaks, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s into %s: %d users, %d organisations, %d audit events.\n", *in, redact(*db), users, len(orgs), checked)
	if len(breaks) > 0 {
		fmt.Fprintf(stdout, "Warning: the audit trail in the archive is broken in %d chain(s); run `isms audit verify` for details.\n", len(breaks))
	}
	return nil
}

func cmdDemo(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	db := dbFlag(fs)
	addr := serverURL(demo.DefaultAddress)
	// ISMS_ADDR is serve's host:port; demo prints the address to open.
	envVar(fs, &addr, "addr", "ISMS_ADDR", "the address the server answers on, printed with the logins: a `URL` or serve's host:port")
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := demo.Fill(ctx, store, stdout, string(addr)); err != nil {
		return describe(err)
	}
	return nil
}

// serverURL is an address to open in a browser. It also takes serve's
// host:port, so ISMS_ADDR means the same server to demo as to serve.
type serverURL string

func (u *serverURL) String() string { return string(*u) }

func (u *serverURL) Set(s string) error {
	if s == "" {
		return fmt.Errorf("empty address")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	*u = serverURL(s)
	return nil
}
