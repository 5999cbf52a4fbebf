package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Flags that an operator sets in a deployment are read from ISMS_*
// environment variables as well (a container or a systemd unit sets the
// environment more easily than the command line). Each such flag is
// declared together with its variable, by the helpers below, so the flag
// set alone knows both and `isms help` prints both.
//
// The command line wins over the environment, and the environment over the
// default. The variable is read when the flags are parsed, not when they
// are declared, so the help shows the real default and never a value (a
// password) that happens to be in the environment. An empty variable counts
// as unset. A value that does not parse stops the command, like a bad flag:
// a deployment that silently fell back to a default (cookies not Secure,
// another database) would be worse than one that does not start.
//
// Secrets get a second flag, --NAME-file with NAME_FILE, that reads the
// value from a file: container platforms hand secrets over as files, and a
// file keeps them out of the process list and the environment.

// envValue is a flag's value with the environment variable it also reads.
type envValue struct {
	flag.Value
	env string
	// secretOf, on a --NAME-file flag, is the flag whose value the file
	// holds.
	secretOf string
	// secret values are never printed, not even in an error.
	secret bool
	// from is where the value came from, once parsed.
	from source
}

type source int

const (
	fromDefault source = iota
	fromEnv
	fromCommandLine
)

func (s source) String() string {
	return [...]string{"the default", "the environment", "the command line"}[s]
}

// IsBoolFlag keeps a wrapped bool flag usable as --flag without a value.
func (v *envValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// withEnv makes the flag name of fs also read the environment variable env.
func withEnv(fs *flag.FlagSet, name, env string) *envValue {
	f := fs.Lookup(name)
	if f == nil {
		panic("withEnv: no flag --" + name)
	}
	if !strings.HasPrefix(env, "ISMS_") {
		panic("withEnv: " + env + " is not an ISMS_ variable")
	}
	v := &envValue{Value: f.Value, env: env}
	f.Value = v
	return v
}

func envString(fs *flag.FlagSet, name, env, def, usage string) *string {
	p := new(string)
	envStringVar(fs, p, name, env, def, usage)
	return p
}

func envStringVar(fs *flag.FlagSet, p *string, name, env, def, usage string) {
	fs.StringVar(p, name, def, usage)
	withEnv(fs, name, env)
}

func envBool(fs *flag.FlagSet, name, env string, def bool, usage string) *bool {
	p := new(bool)
	envBoolVar(fs, p, name, env, def, usage)
	return p
}

func envBoolVar(fs *flag.FlagSet, p *bool, name, env string, def bool, usage string) {
	fs.BoolVar(p, name, def, usage)
	withEnv(fs, name, env)
}

func envDurationVar(fs *flag.FlagSet, p *time.Duration, name, env string, def time.Duration, usage string) {
	fs.DurationVar(p, name, def, usage)
	withEnv(fs, name, env)
}

// envVar declares a flag of any value type; its String at declaration is
// the default the help prints.
func envVar(fs *flag.FlagSet, v flag.Value, name, env, usage string) {
	fs.Var(v, name, usage)
	withEnv(fs, name, env)
}

// envSecret declares --NAME (env ENV) and --NAME-file (env ENV_FILE) for
// one secret. Given both from the same place (both flags, or both
// variables), the command refuses to guess; a flag beats a variable.
func envSecret(fs *flag.FlagSet, p *string, name, env, usage string) {
	fs.StringVar(p, name, "", usage)
	withEnv(fs, name, env).secret = true
	fs.String(name+"-file", "", "file holding the value of --"+name+" (a trailing line break is dropped)")
	withEnv(fs, name+"-file", env+"_FILE").secretOf = name
}

// applyEnv runs after the command line is parsed: each flag the command
// line left alone takes its variable's value, then secrets are read from
// their files.
func applyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		v, ok := f.Value.(*envValue)
		if !ok {
			return
		}
		if given[f.Name] {
			v.from = fromCommandLine
			return
		}
		s, ok := lookup(v.env)
		if !ok || s == "" {
			return
		}
		if err := fs.Set(f.Name, s); err != nil {
			err = explainParseError(v, err)
			if v.secret {
				errs = append(errs, fmt.Errorf("%s: invalid value for --%s: %v", v.env, f.Name, err))
			} else {
				errs = append(errs, fmt.Errorf("%s=%q: invalid value for --%s: %v", v.env, s, f.Name, err))
			}
			return
		}
		v.from = fromEnv
	})
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	fs.VisitAll(func(f *flag.Flag) {
		file, ok := f.Value.(*envValue)
		if !ok || file.secretOf == "" || file.from == fromDefault {
			return
		}
		target := fs.Lookup(file.secretOf)
		direct, _ := target.Value.(*envValue)
		switch {
		case direct != nil && direct.from > file.from:
			return // --NAME on the command line beats NAME_FILE
		case direct != nil && direct.from == file.from:
			errs = append(errs, fmt.Errorf("--%s and --%s both set from %s: give one", target.Name, f.Name, file.from))
			return
		}
		path := file.String()
		b, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s: %w", f.Name, err))
			return
		}
		if err := target.Value.Set(strings.TrimRight(string(b), "\r\n")); err != nil {
			errs = append(errs, fmt.Errorf("--%s: the file's content: %v", f.Name, err))
			return
		}
		if direct != nil {
			direct.from = file.from
		}
	})
	return errors.Join(errs...)
}

// explainParseError replaces the flag package's bare "parse error" (what
// its own values say of any bad text) with what was wanted.
func explainParseError(v *envValue, err error) error {
	if err.Error() != "parse error" {
		return err
	}
	if v.IsBoolFlag() {
		return errors.New("want true or false")
	}
	switch kind, _ := flag.UnquoteUsage(&flag.Flag{Value: v.Value}); kind {
	case "duration":
		return errors.New("want a duration such as 90s, 15m or 1h")
	case "int", "uint":
		return errors.New("want a whole number")
	case "float":
		return errors.New("want a number")
	}
	return err
}

// helpRequest is what parse returns for -h or --help: the dispatcher prints
// the command's help and succeeds. It carries the flag set, so `isms help
// VERB` and the README test learn a verb's flags by asking it for help,
// without the verb having to declare them anywhere else.
type helpRequest struct {
	fs   *flag.FlagSet
	args string // what follows the flags in the usage line, if anything
}

func (h *helpRequest) Error() string { return "help requested for " + h.fs.Name() }

// usageError is a mistake in how a command was called; it exits with 2,
// as the flag package's own commands do.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// parse parses a verb's flags and then the environment, refusing stray
// arguments.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &helpRequest{fs: fs}
		}
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
			return usageErrorf("%s: unknown flag --%s (`isms help %s` lists its flags)", fs.Name(), strings.TrimLeft(name, "-"), fs.Name())
		}
		return usageErrorf("%s: %v (`isms help %s` lists its flags)", fs.Name(), err, fs.Name())
	}
	if fs.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	if err := applyEnv(fs, os.LookupEnv); err != nil {
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	return nil
}

// flagEnv is the environment variable a flag reads, or "".
func flagEnv(f *flag.Flag) string {
	if v, ok := f.Value.(*envValue); ok {
		return v.env
	}
	return ""
}

// flagDefault is the default as the help and the README show it: nothing
// for a zero value, whose meaning the usage text gives.
func flagDefault(f *flag.Flag) string {
	switch f.DefValue {
	case "", "false", "0", "0s":
		return ""
	}
	return f.DefValue
}

// printFlags writes a flag set's flags, each with its variable and default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		inner := f.Value
		if v, ok := inner.(*envValue); ok {
			inner = v.Value
		}
		// The value's name: a `quoted` word in the usage, else its type.
		name, usage := flag.UnquoteUsage(&flag.Flag{Name: f.Name, Usage: f.Usage, Value: inner})
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n      %s\n", usage)
		var where []string
		if env := flagEnv(f); env != "" {
			where = append(where, "env "+env)
		}
		if def := flagDefault(f); def != "" {
			if strings.ContainsAny(def, " \t") {
				def = fmt.Sprintf("%q", def)
			}
			where = append(where, "default "+def)
		}
		if len(where) > 0 {
			fmt.Fprintf(w, "      (%s)\n", strings.Join(where, "; "))
		}
	})
}
