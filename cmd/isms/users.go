package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	db := dbFlag(fs)
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "full name")
	admin := fs.Bool("admin", false, "make the user a site administrator, who manages every organisation")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return fmt.Errorf("user add: --email and --name are required")
	}
	fmt.Fprintln(stdout, "Password (read from standard input):")
	pw, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && pw == "" {
		return fmt.Errorf("user add: no password on standard input")
	}
	pw = strings.TrimRight(pw, "\r\n")
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(operator(ctx), *email, *name, pw, *admin)
	if err != nil {
		return describe(err)
	}
	role := "user"
	if u.SiteAdmin {
		role = "site administrator"
	}
	fmt.Fprintf(stdout, "Created %s %s <%s> (id %d). Log in at the address `isms serve` prints.\n", role, u.Name, u.Email, u.ID)
	return nil
}

func cmdTokenCreate(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	db := dbFlag(fs)
	email := fs.String("email", "", "e-mail address of the user the token acts as")
	name := fs.String("name", "command line", "a name to recognise the token by")
	readOnly := fs.Bool("read-only", false, "limit the token to reading (GET and HEAD); other requests are refused with 403")
	expires := fs.String("expires", "", "when the token stops working: a number of days (90d) or its last valid day (2027-03-31); empty: never")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("token create: --email is required")
	}
	exp, err := isms.ParseTokenExpiry(*expires, time.Now())
	if err != nil {
		return fmt.Errorf("token create: --expires %q: give a number of days such as 90d or a date such as 2027-03-31", *expires)
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("token create: no user with e-mail %s", *email)
	}
	token, t, err := store.CreateLimitedAPIToken(operator(ctx), u.ID, *name, isms.APITokenLimits{ReadOnly: *readOnly, ExpiresAt: exp})
	if err != nil {
		return describe(err)
	}
	limits := "read and write"
	if t.ReadOnly {
		limits = "read-only"
	}
	if t.ExpiresAt != nil {
		limits += ", expires " + t.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")
	}
	fmt.Fprintf(stdout, "API token for %s, %s (send as \"Authorization: Bearer <token>\"):\n%s\n", u.Email, limits, token)
	return nil
}

func cmdAuditVerify(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	db := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := openDB(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	n, breaks, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if len(breaks) == 0 {
		fmt.Fprintf(stdout, "audit trail intact: %d events checked\n", n)
		return nil
	}
	for _, b := range breaks {
		chain := fmt.Sprintf("organisation %d", b.OrganisationID)
		if b.OrganisationID == 0 {
			chain = "site-wide chain"
		}
		fmt.Fprintf(stdout, "BROKEN: %s, first broken link at event %d (id %d): %s\n", chain, b.Seq, b.EventID, b.Reason)
	}
	return fmt.Errorf("audit trail broken in %d chain(s)", len(breaks))
}

// describe turns a domain error into a line an operator can act on.
func describe(err error) error {
	e := isms.AsError(err)
	if e == nil {
		return err
	}
	if len(e.Fields) > 0 {
		var parts []string
		for _, f := range e.Fields {
			parts = append(parts, fmt.Sprintf("%s: %s", f.Field, englishMessage(f.Key, f.Args...)))
		}
		return fmt.Errorf("%s", strings.Join(parts, "; "))
	}
	return fmt.Errorf("%s", englishMessage(e.Key, e.Args...))
}
