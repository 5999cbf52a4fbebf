// Command isms runs the information security management system: the web
// server and the operator's verbs (users, tokens, demo data, audit
// verification, backup and restore). Every verb that touches data takes
// --db or ISMS_DB: a SQLite file path (default isms.db in the working
// directory) or a postgres:// URL.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// command is one verb of the command line. Verbs register themselves in
// their own files.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error
}

var commands = map[string]command{}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "isms:", err)
		os.Exit(1)
	}
}

// run dispatches to a verb. Two-word verbs ("user add") are joined.
func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	name := args[0]
	rest := args[1:]
	if _, ok := commands[name]; !ok && len(args) > 1 {
		name, rest = args[0]+" "+args[1], args[2:]
	}
	c, ok := commands[name]
	if !ok {
		usage(stdout)
		return fmt.Errorf("unknown command %q", strings.Join(args[:min(2, len(args))], " "))
	}
	return c.run(ctx, rest, stdin, stdout)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: isms <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery command that touches data takes --db (or ISMS_DB): a SQLite file or a postgres:// URL.")
}

// dbFlag adds --db to a verb's flags, defaulting to ISMS_DB or isms.db.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("ISMS_DB")
	if def == "" {
		def = "isms.db"
	}
	return fs.String("db", def, "database: a SQLite file path or a postgres:// URL (env ISMS_DB)")
}

// openDB opens the database and migrates it.
func openDB(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", redact(dsn), err)
	}
	return db, nil
}

// redact hides a password in a database URL before it is printed.
func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.Index(dsn[i+3:], "@"); at >= 0 {
			cred := dsn[i+3 : i+3+at]
			if c := strings.Index(cred, ":"); c >= 0 {
				return dsn[:i+3] + cred[:c] + ":***" + dsn[i+3+at:]
			}
		}
	}
	return dsn
}

// operator is the actor for command-line verbs: whoever can run the binary
// against the database already holds everything in it.
func operator(ctx context.Context) context.Context {
	return isms.WithActor(ctx, &isms.Actor{Name: "command line", SiteAdmin: true})
}

// parse parses a verb's flags, refusing stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}
