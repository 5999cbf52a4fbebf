package main

import (
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// cmdOrgExport writes one organisation's archive (sqlstore/org_archive.go):
// to move it to another installation, or to keep an offline copy.
func cmdOrgExport(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("org export", flag.ContinueOnError)
	db := dbFlag(fs)
	org := fs.String("org", "", "the organisation: its id or its exact name")
	out := fs.String("out", "", "archive file to write (- for standard output); a name ending in .gz is compressed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *org == "" || *out == "" {
		return usageErrorf("org export: --org and --out are required")
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("org export: %w", err)
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx = operator(ctx)
	o, err := findOrganisation(ctx, store, *org)
	if err != nil {
		return err
	}
	if *out == "-" {
		return describe(store.ExportOrganisation(ctx, o.ID, stdout))
	}
	n, err := writeAtomically(*out, func(w io.Writer) error {
		if strings.HasSuffix(*out, ".gz") {
			z := gzip.NewWriter(w)
			if err := store.ExportOrganisation(ctx, o.ID, z); err != nil {
				return err
			}
			return z.Close()
		}
		return store.ExportOrganisation(ctx, o.ID, w)
	})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Exported organisation %d, %s, to %s (%d bytes). Import it with: isms org import --in %s --db <other database>\n", o.ID, o.Name, *out, n, *out)
	return nil
}

// findOrganisation reads an organisation named by its id or its name.
func findOrganisation(ctx context.Context, store *sqlstore.DB, ref string) (*isms.Organisation, error) {
	orgs, err := store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	id, numeric := strconv.ParseInt(ref, 10, 64)
	var names []string
	for _, o := range orgs {
		if (numeric == nil && o.ID == id) || o.Name == ref {
			return o, nil
		}
		names = append(names, fmt.Sprintf("%d %s", o.ID, o.Name))
	}
	sort.Strings(names)
	return nil, fmt.Errorf("no organisation %q here; there are: %s", ref, strings.Join(names, "; "))
}

// cmdOrgImport brings an organisation's archive into this installation as
// a new organisation.
func cmdOrgImport(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("org import", flag.ContinueOnError)
	db := dbFlag(fs)
	in := fs.String("in", "", "archive file to read (- for standard input)")
	name := fs.String("name", "", "import the organisation under this name instead of the archive's")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return usageErrorf("org import: --in is required")
	}
	r := stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("org import: %w", err)
		}
		defer f.Close()
		r = f
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.ImportOrganisation(operator(ctx), r, isms.OrganisationImport{Name: *name})
	if err != nil {
		if errors.Is(err, sqlstore.ErrNameTaken) {
			return fmt.Errorf("%w; nothing was imported (give it another name with --name)", describe(err))
		}
		return describe(err)
	}
	fmt.Fprintf(stdout, "Imported %s as organisation %d, %s: %d rows in %d tables, %d audit events (the chain verified), %d people matched by e-mail, %d accounts created without a password.\n",
		*in, res.Organisation.ID, res.Organisation.Name, res.Rows, len(res.Tables), res.AuditEvents, res.PeopleMatched, res.PeopleCreated)
	if res.PeopleCreated > 0 {
		fmt.Fprintln(stdout, "The created accounts cannot sign in until a site administrator sets their passwords (Users, then the account's page) or they sign in through single sign-on.")
	}
	return nil
}
