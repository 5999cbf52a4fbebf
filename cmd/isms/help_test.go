package main

import (
	"errors"
	"flag"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// Every command answers `isms help VERB`, `isms VERB --help` and `-h` alike,
// successfully, listing every flag with its variable, and without touching
// anything (no database is created in the working directory).
func TestHelpForEveryCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range commandNames() {
		words := strings.Fields(name)
		viaHelp, err := runVerb(t, append([]string{"help"}, words...)...)
		if err != nil {
			t.Errorf("help %s: %v", name, err)
			continue
		}
		for _, flagName := range []string{"--help", "-h", "-help"} {
			out, err := runVerb(t, append(words, flagName)...)
			if err != nil || out != viaHelp {
				t.Errorf("%s %s: %v\n%s\nwant\n%s", name, flagName, err, out, viaHelp)
			}
		}
		if !strings.HasPrefix(viaHelp, "usage: isms "+name) || !strings.Contains(viaHelp, "\n"+summaryOf(name)+"\n") {
			t.Errorf("help %s:\n%s", name, viaHelp)
		}
		fs, err := verbFlags(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		if fs.Name() != name {
			t.Errorf("%s names its flag set %q: the help would name the wrong command", name, fs.Name())
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(viaHelp, "\n  --"+f.Name+" ") && !strings.Contains(viaHelp, "\n  --"+f.Name+"\n") {
				t.Errorf("help %s lacks --%s", name, f.Name)
			}
			if env := flagEnv(f); env != "" && !strings.Contains(viaHelp, "(env "+env) {
				t.Errorf("help %s lacks --%s's %s", name, f.Name, env)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("asking for help left %v behind", entries)
	}
}

// The help shows each flag's variable and its real default, never a value
// from the environment.
func TestHelpShowsVariablesAndDefaults(t *testing.T) {
	t.Setenv("ISMS_ADDR", "192.0.2.1:9999")
	t.Setenv("ISMS_SMTP_PASSWORD", "must-not-leak")
	out, err := runVerb(t, "help", "serve")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"usage: isms serve [flags]\n",
		"\n  --addr host:port\n      host:port to listen on\n      (env ISMS_ADDR; default 127.0.0.1:8080)\n",
		"\n  --db string\n      database: a SQLite file path or a postgres:// URL\n      (env ISMS_DB; default isms.db)\n",
		"\n  --secure-cookies\n      mark cookies Secure, for serving over HTTPS (directly or behind a proxy)\n      (env ISMS_SECURE_COOKIES)\n",
		"\n  --max-upload value\n      largest document file accepted, e.g. 50MiB or 200MiB\n      (env ISMS_MAX_UPLOAD; default 50MiB)\n",
		"\n  --trusted-proxy proxies\n",
		"\n      (env ISMS_TRUSTED_PROXY)\n",
		"\n  --smtp-password-file string\n      file holding the value of --smtp-password (a trailing line break is dropped)\n      (env ISMS_SMTP_PASSWORD_FILE)\n",
		"\n  --reminder-interval duration\n      how often serve looks for reminders to send\n      (env ISMS_REMINDER_INTERVAL; default 15m0s)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help serve lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "192.0.2.1:9999") || strings.Contains(out, "must-not-leak") {
		t.Errorf("help serve shows values from the environment:\n%s", out)
	}
	// A flag without a variable has no variable line; a default with a
	// space is quoted.
	out, _ = runVerb(t, "token", "create", "--help")
	if !strings.Contains(out, "\n  --email string\n      e-mail address of the user the token acts as\n  --expires string\n") ||
		!strings.Contains(out, "\n  --name string\n      a name to recognise the token by\n      (default \"command line\")\n") {
		t.Errorf("help token create:\n%s", out)
	}
}

// isms, isms help, isms --help and isms -h list every command.
func TestCommandList(t *testing.T) {
	list, err := runVerb(t)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		if out, err := runVerb(t, args...); err != nil || out != list {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	for _, name := range commandNames() {
		if !strings.Contains(list, "\n  "+name+" ") || !strings.Contains(list, " "+summaryOf(name)+"\n") {
			t.Errorf("the list lacks %s:\n%s", name, list)
		}
	}
}

// Mistakes exit 2 with a message that names them.
func TestUnknownCommandsAndFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `unknown command "bogus" (` + "`isms help`"},
		{[]string{"user"}, `unknown command "user"; did you mean user add?`},
		{[]string{"user", "remove"}, `unknown command "user remove"; did you mean user add?`},
		{[]string{"serve", "--nope"}, "serve: unknown flag --nope (`isms help serve` lists its flags)"},
		{[]string{"user", "add", "-x"}, "user add: unknown flag --x"},
		{[]string{"serve", "--addr"}, "serve: flag needs an argument"},
		{[]string{"serve", "--max-upload", "huge"}, `serve: invalid value "huge" for flag -max-upload: not a positive size`},
		{[]string{"audit", "verify", "now"}, `audit verify: unexpected argument "now"`},
		{[]string{"help", "bogus"}, `unknown command "bogus"`},
		{[]string{"help", "serve", "now"}, `help: unexpected argument "now"`},
		{[]string{"version", "--short"}, "version: unknown flag --short"},
	} {
		out, err := runVerb(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || exitCode(err) != 2 {
			t.Errorf("%v: %v (exit %d), want %q", c.args, err, exitCode(err), c.want)
		}
		if out != "" {
			t.Errorf("%v printed %q on standard output", c.args, out)
		}
	}
	if exitCode(nil) != 0 || exitCode(errors.New("failed")) != 1 {
		t.Error("exit codes of success and failure")
	}
}

func TestVersionCommand(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	want := versionLine(bi, ok) + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		if out, err := runVerb(t, args...); err != nil || out != want {
			t.Errorf("%v: %q, %v; want %q", args, out, err, want)
		}
	}
	if !strings.HasPrefix(want, "isms ") || !strings.Contains(want, "built with "+runtime.Version()+" for ") {
		t.Errorf("version line %q", want)
	}
}

func TestVersionLine(t *testing.T) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build information", nil, false, "isms (devel), built with " + runtime.Version() + " for " + platform},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/ismsdk/isms", Version: "(devel)"}}, true,
			"isms (devel), built with go1.26.0 for " + platform},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "v1.2.3"}}, true,
			"isms v1.2.3, built with go1.26.1 for " + platform},
		{"checkout", &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "v0.0.0-20260102030405-0123456789ab"},
			Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
				{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "false"}}}, true,
			"isms v0.0.0-20260102030405-0123456789ab, revision 0123456789abcdef0123456789abcdef01234567 of 2026-01-02T03:04:05Z, built with go1.26.1 for " + platform},
		{"checkout with changes", &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}, true,
			"isms (devel), revision abc with local changes, built with go1.26.1 for " + platform},
	} {
		if got := versionLine(c.bi, c.ok); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// summaryOf is the summary of a verb.
func summaryOf(name string) string { c, _ := findCommand(name); return c.summary }
