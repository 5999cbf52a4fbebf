// Command isms runs the information security management system: the web
// server and the operator's verbs (users, tokens, demo data, audit
// verification, backup and restore). Every verb that touches data takes
// --db or ISMS_DB: a SQLite file path (default isms.db in the working
// directory) or a postgres:// URL.
package main

import (
	"context"
	"errors"
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

// command is one verb of the command line; each is written in its own
// file and listed in commandList. A verb parses its flags with parse
// before it does anything else: `isms help VERB` and the README test learn
// its flags by running it with --help, and deployment settings are
// declared with the env helpers of flags.go so the help can name their
// variables.
type command struct {
	name    string // one word, or two ("user add")
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error
}

// commandList is every verb of the command line, in the order of the
// README's table: serving, then the operator's verbs for users and data,
// then measuring, then help. It is a function, not a variable, because
// help itself lists the commands.
func commandList() []command {
	return []command{
		{"serve", "start the web server (default 127.0.0.1:8080, data in ./isms.db)", cmdServe},
		{"user add", "create a user (password read from standard input)", cmdUserAdd},
		{"token create", "create an API token for a user; prints the token on its last line", cmdTokenCreate},
		{"demo", "fill the database with a demo municipality, Solbjerg Kommune, to try the product", cmdDemo},
		{"audit verify", "verify the hash chains of the audit trail", cmdAuditVerify},
		{"backup", "write the whole database to one archive file (--out F; .gz compresses)", cmdBackup},
		{"restore", "bring an archive back into a new, empty database (--in F)", cmdRestore},
		{"org export", "write one organisation, its files and audit trail to an archive file (--org N --out F)", cmdOrgExport},
		{"org import", "bring an organisation's archive into this installation as a new organisation (--in F)", cmdOrgImport},
		{"reminders send", "send the annual wheel's due reminders once by e-mail (--smtp-addr, --smtp-from, --base-url)", cmdRemindersSend},
		{"notifications send", "create the notifications of everything assigned once, and mail them with --smtp-addr (same flags as reminders send)", cmdNotificationsSend},
		{"generate", "fill the database with a large generated organisation to measure against (--assets, --risks)", cmdGenerate},
		{"bench", "measure the main pages over HTTP against a database (made with isms generate)", cmdBench},
		{"bench-uploads", "measure the server's peak memory during parallel uploads and downloads of large document files", cmdBenchUploads},
		{"help", "list the commands, or with a command's name its flags, their environment variables and defaults", cmdHelp},
		{"version", "print the version of this binary and the Go it was built with (also --version)", cmdVersion},
	}
}

// findCommand returns the verb of the given name.
func findCommand(name string) (command, bool) {
	for _, c := range commandList() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "isms:", err)
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for a command called wrongly (as the flag package's own
// programs exit), 1 for a command that failed, 0 for none.
func exitCode(err error) int {
	var usage *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		return 2
	}
	return 1
}

// run dispatches to a verb. Two-word verbs ("user add") are joined.
func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	switch args[0] {
	case "-h", "-help", "--help":
		args = append([]string{"help"}, args[1:]...)
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	name, rest, err := lookup(args)
	if err != nil {
		return err
	}
	c, _ := findCommand(name)
	err = c.run(ctx, rest, stdin, stdout)
	var help *helpRequest
	if errors.As(err, &help) {
		printHelp(stdout, help)
		return nil
	}
	return err
}

// lookup finds the verb the arguments start with: one word, or two.
func lookup(args []string) (name string, rest []string, err error) {
	if _, ok := findCommand(args[0]); ok {
		return args[0], args[1:], nil
	}
	if len(args) > 1 {
		if two := args[0] + " " + args[1]; isCommand(two) {
			return two, args[2:], nil
		}
	}
	// "isms user" alone: name the verbs that start with it.
	var group []string
	for _, n := range commandNames() {
		if strings.HasPrefix(n, args[0]+" ") {
			group = append(group, n)
		}
	}
	if len(group) > 0 {
		return "", nil, usageErrorf("unknown command %q; did you mean %s? (`isms help` lists every command)",
			strings.Join(args[:min(2, len(args))], " "), strings.Join(group, ", "))
	}
	return "", nil, usageErrorf("unknown command %q (`isms help` lists every command)", args[0])
}

func isCommand(name string) bool { _, ok := findCommand(name); return ok }

// commandNames are the verbs' names in alphabetical order, as usage lists
// them.
func commandNames() []string {
	var names []string
	for _, c := range commandList() {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return names
}

// usage lists every command with its summary.
func usage(w io.Writer) {
	names := commandNames()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	fmt.Fprintln(w, "usage: isms <command> [flags]\n\ncommands:")
	for _, n := range names {
		c, _ := findCommand(n)
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, c.summary)
	}
	fmt.Fprint(w, `
`+"`isms help <command>` or `isms <command> --help`"+` lists a command's flags. A flag
named with an environment variable reads it when the flag is not given.
Every command that touches data takes --db (or ISMS_DB): a SQLite file or a
postgres:// URL. `+"`isms --version`"+` prints the version.
`)
}

// printHelp writes one command's help: what it does and its flags.
func printHelp(w io.Writer, h *helpRequest) {
	name := h.fs.Name()
	line := "usage: isms " + name
	n := 0
	h.fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		line += " [flags]"
	}
	if h.args != "" {
		line += " " + h.args
	}
	fmt.Fprintln(w, line)
	if c, ok := findCommand(name); ok {
		fmt.Fprintf(w, "\n%s\n", c.summary)
	}
	if n > 0 {
		fmt.Fprintln(w, "\nflags (a flag given wins over its environment variable, which wins over the default):")
		printFlags(w, h.fs)
	}
}

// verbHelp asks a verb for its help without running it: every verb
// parses its flags (with parse) before it does anything.
func verbHelp(ctx context.Context, name string) (*helpRequest, error) {
	c, _ := findCommand(name)
	err := c.run(ctx, []string{"--help"}, strings.NewReader(""), io.Discard)
	var help *helpRequest
	if !errors.As(err, &help) {
		return nil, fmt.Errorf("%s does not answer --help (it must parse its flags with parse before doing anything): %v", name, err)
	}
	return help, nil
}

// verbFlags is a verb's flags.
func verbFlags(ctx context.Context, name string) (*flag.FlagSet, error) {
	h, err := verbHelp(ctx, name)
	if err != nil {
		return nil, err
	}
	return h.fs, nil
}

// dbFlag adds --db to a verb's flags, read from ISMS_DB when not given.
func dbFlag(fs *flag.FlagSet) *string {
	p := new(string)
	dbFlagVar(fs, p)
	return p
}

func dbFlagVar(fs *flag.FlagSet, p *string) {
	envStringVar(fs, p, "db", "ISMS_DB", "isms.db", "database: a SQLite file path or a postgres:// URL")
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
