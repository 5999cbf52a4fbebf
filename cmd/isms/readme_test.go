package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README's "## Commands" section is the operator's manual of the
// command line, kept by hand. This test holds it to the commands as they
// are registered: a verb or a flag added without its line in the README
// fails here, and the failure names the row to add.
//
// The section's first table has one row per command (a row may name two,
// `isms backup …` / `isms restore …`); what its first column names must
// exist. Below it, a "#### `isms VERB`" heading per command with flags
// holds a table of every flag: | `--flag` | `ISMS_VAR` or — | `default`
// or — | what it sets |, the variable and default as the help prints them.

type readmeFlag struct {
	env, def string
	line     int
}

type readmeCommands struct {
	named     map[string][]string // verb → the flags its synopsis names
	flags     map[string]map[string]readmeFlag
	flagLines map[string]int // verb → line of its heading
	start     string         // the command of the README's first line
}

func readReadme(t *testing.T) readmeCommands {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	rc := readmeCommands{named: map[string][]string{}, flags: map[string]map[string]readmeFlag{}, flagLines: map[string]int{}}
	if m := regexp.MustCompile("`go run ./cmd/isms ([a-z]+)`").FindStringSubmatch(strings.Join(lines[:min(5, len(lines))], "\n")); m != nil {
		rc.start = m[1]
	}

	begin := slices.Index(lines, "## Commands")
	if begin < 0 {
		t.Fatal(`README.md has no "## Commands" section`)
	}
	end := len(lines)
	for i := begin + 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "## ") {
			end = i
			break
		}
	}

	span := regexp.MustCompile("`isms ([^`]*)`")
	flagName := regexp.MustCompile(`--[a-z0-9][a-z0-9-]*`)
	heading := regexp.MustCompile("^#### `isms ([a-z][a-z -]*)`$")
	verb := ""       // the heading we are under, once the flag tables begin
	inTable := false // inside the first table
	seenTable := false
	for i := begin + 1; i < end; i++ {
		line := strings.TrimSpace(lines[i])
		if m := heading.FindStringSubmatch(line); m != nil {
			verb = m[1]
			if _, dup := rc.flagLines[verb]; dup {
				t.Errorf("README.md:%d: a second flag list for %s", i+1, verb)
			}
			rc.flagLines[verb] = i + 1
			rc.flags[verb] = map[string]readmeFlag{}
			continue
		}
		if strings.HasPrefix(line, "#") {
			verb = ""
		}
		if !strings.HasPrefix(line, "|") {
			if inTable {
				inTable, seenTable = false, true
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		if strings.HasPrefix(cells[0], "---") || cells[0] == "command" || cells[0] == "flag" {
			if !seenTable && verb == "" {
				inTable = true
			}
			continue
		}
		switch {
		case inTable:
			for _, m := range span.FindAllStringSubmatch(cells[0], -1) {
				var words []string
				for _, w := range strings.Fields(m[1]) {
					if !regexp.MustCompile(`^[a-z][a-z0-9-]*$`).MatchString(w) {
						break
					}
					words = append(words, w)
				}
				name := strings.Join(words, " ")
				rc.named[name] = append(rc.named[name], flagName.FindAllString(m[1], -1)...)
			}
		case verb != "":
			if len(cells) != 4 {
				t.Errorf("README.md:%d: a flag row has four cells (flag, environment, default, what it sets): %s", i+1, line)
				continue
			}
			f := strings.Trim(cells[0], "`")
			if !strings.HasPrefix(f, "--") {
				t.Errorf("README.md:%d: %q is not a flag", i+1, cells[0])
				continue
			}
			rc.flags[verb][strings.TrimPrefix(f, "--")] = readmeFlag{env: readmeValue(cells[1]), def: readmeValue(cells[2]), line: i + 1}
		}
	}
	return rc
}

// readmeValue reads a cell: `x` is x, — (or nothing) is none.
func readmeValue(cell string) string {
	if cell == "—" || cell == "-" || cell == "" {
		return ""
	}
	return strings.Trim(cell, "`")
}

// readmeRow is the row a flag needs, for the failure message.
func readmeRow(f *flag.Flag) string {
	cell := func(s string) string {
		if s == "" {
			return "—"
		}
		return "`" + s + "`"
	}
	_, usage := flag.UnquoteUsage(f)
	return fmt.Sprintf("| `--%s` | %s | %s | %s |", f.Name, cell(flagEnv(f)), cell(flagDefault(f)), usage)
}

func TestReadmeCommands(t *testing.T) {
	rc := readReadme(t)
	if !isCommand(rc.start) {
		t.Errorf("README.md's first line starts `isms %s`, which is no command", rc.start)
	}
	if len(rc.named) == 0 {
		t.Fatal(`README.md's "## Commands" table names no command`)
	}
	for name, named := range rc.named {
		if !isCommand(name) {
			t.Errorf("README.md's command table names `isms %s`, which is no command", name)
			continue
		}
		fs, err := verbFlags(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range named {
			if fs.Lookup(strings.TrimPrefix(f, "--")) == nil {
				t.Errorf("README.md's command table gives `isms %s` the flag %s, which it does not have", name, f)
			}
		}
	}
	for _, name := range commandNames() {
		if _, ok := rc.named[name]; !ok {
			t.Errorf("README.md's command table lacks `isms %s` (%s)", name, summaryOf(name))
		}
		fs, err := verbFlags(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		documented, listed := rc.flags[name]
		has := 0
		var missing []string
		fs.VisitAll(func(f *flag.Flag) {
			has++
			d, ok := documented[f.Name]
			if !ok {
				missing = append(missing, readmeRow(f))
				return
			}
			if d.env != flagEnv(f) {
				t.Errorf("README.md:%d: `isms %s --%s` reads %q, not %q", d.line, name, f.Name, flagEnv(f), d.env)
			}
			if d.def != flagDefault(f) {
				t.Errorf("README.md:%d: `isms %s --%s` defaults to %q, not %q", d.line, name, f.Name, flagDefault(f), d.def)
			}
		})
		switch {
		case has > 0 && !listed:
			t.Errorf("README.md lacks the flags of `isms %s`: add under \"## Commands\"\n\n#### `isms %s`\n\n| flag | environment | default | what it sets |\n| --- | --- | --- | --- |\n%s",
				name, name, strings.Join(missing, "\n"))
		case has == 0 && listed:
			t.Errorf("README.md:%d lists flags of `isms %s`, which has none", rc.flagLines[name], name)
		case len(missing) > 0:
			t.Errorf("README.md:%d: the flags of `isms %s` lack these rows:\n%s", rc.flagLines[name], name, strings.Join(missing, "\n"))
		}
		for f, d := range documented {
			if fs.Lookup(f) == nil {
				t.Errorf("README.md:%d: `isms %s` has no flag --%s", d.line, name, f)
			}
		}
	}
	for name := range rc.flags {
		if !isCommand(name) {
			t.Errorf("README.md:%d lists flags of `isms %s`, which is no command", rc.flagLines[name], name)
		}
	}
}
