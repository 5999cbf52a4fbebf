package main

import (
	"errors"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// testFlags is a flag set with one flag of each kind the helpers declare.
type testFlags struct {
	fs       *flag.FlagSet
	name     *string
	on       *bool
	every    time.Duration
	size     byteSize
	password string
	plain    *string
}

func newTestFlags() *testFlags {
	f := &testFlags{fs: flag.NewFlagSet("test", flag.ContinueOnError)}
	f.fs.SetOutput(new(nopWriter))
	f.name = envString(f.fs, "name", "ISMS_T_NAME", "default name", "a name")
	f.on = envBool(f.fs, "on", "ISMS_T_ON", false, "a switch")
	envDurationVar(f.fs, &f.every, "every", "ISMS_T_EVERY", time.Minute, "an interval")
	f.size = 1 << 20
	envVar(f.fs, &f.size, "size", "ISMS_T_SIZE", "a size")
	envSecret(f.fs, &f.password, "password", "ISMS_T_PASSWORD", "a secret")
	f.plain = f.fs.String("plain", "p", "a flag without a variable")
	return f
}

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestEnvFlagPrecedence(t *testing.T) {
	// Nothing given: the defaults.
	f := newTestFlags()
	if err := f.fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := applyEnv(f.fs, envMap(nil)); err != nil {
		t.Fatal(err)
	}
	if *f.name != "default name" || *f.on || f.every != time.Minute || f.size != 1<<20 || f.password != "" || *f.plain != "p" {
		t.Fatalf("defaults: %q %v %v %v %q %q", *f.name, *f.on, f.every, f.size, f.password, *f.plain)
	}

	// The environment over the defaults; an empty variable is no variable;
	// a flag without a variable ignores a variable of its name.
	env := map[string]string{"ISMS_T_NAME": "from env", "ISMS_T_ON": "true", "ISMS_T_EVERY": "", "ISMS_T_SIZE": "2MiB",
		"ISMS_T_PASSWORD": "hemmelig", "ISMS_T_PLAIN": "x", "ISMS_PLAIN": "x"}
	f = newTestFlags()
	f.fs.Parse(nil)
	if err := applyEnv(f.fs, envMap(env)); err != nil {
		t.Fatal(err)
	}
	if *f.name != "from env" || !*f.on || f.every != time.Minute || f.size != 2<<20 || f.password != "hemmelig" || *f.plain != "p" {
		t.Fatalf("from the environment: %q %v %v %v %q %q", *f.name, *f.on, f.every, f.size, f.password, *f.plain)
	}

	// The command line over the environment, flag by flag.
	f = newTestFlags()
	f.fs.Parse([]string{"--name", "from flag", "--on=false", "--size", "3MiB"})
	if err := applyEnv(f.fs, envMap(env)); err != nil {
		t.Fatal(err)
	}
	if *f.name != "from flag" || *f.on || f.size != 3<<20 || f.password != "hemmelig" {
		t.Fatalf("from the command line: %q %v %v %q", *f.name, *f.on, f.size, f.password)
	}
}

// A variable that does not parse stops the command and names the variable;
// a secret's value never appears in the message.
func TestEnvFlagBadValues(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ISMS_T_ON": "yes"}, `ISMS_T_ON="yes": invalid value for --on: want true or false`},
		{map[string]string{"ISMS_T_EVERY": "15"}, `ISMS_T_EVERY="15": invalid value for --every: want a duration such as 90s, 15m or 1h`},
		{map[string]string{"ISMS_T_SIZE": "huge"}, `ISMS_T_SIZE="huge": invalid value for --size: not a positive size`},
	} {
		f := newTestFlags()
		f.fs.Parse(nil)
		err := applyEnv(f.fs, envMap(c.env))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one with %s", c.env, err, c.want)
		}
	}

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var secret byteSize
	fs.Var(&secret, "secret", "")
	withEnv(fs, "secret", "ISMS_T_SECRET").secret = true
	fs.Parse(nil)
	err := applyEnv(fs, envMap(map[string]string{"ISMS_T_SECRET": "s3cr3t-value"}))
	if err == nil || !strings.Contains(err.Error(), "ISMS_T_SECRET") || strings.Contains(err.Error(), "s3cr3t-value") {
		t.Fatalf("bad secret: %v", err)
	}
}

func TestSecretFromFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	os.WriteFile(file, []byte("fra fil\r\n"), 0o600)
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte("anden fil\n"), 0o600)
	missing := filepath.Join(dir, "missing")

	for _, c := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"file flag", []string{"--password-file", file}, nil, "fra fil", ""},
		{"file variable", nil, map[string]string{"ISMS_T_PASSWORD_FILE": file}, "fra fil", ""},
		{"file flag over file variable", []string{"--password-file", other}, map[string]string{"ISMS_T_PASSWORD_FILE": file}, "anden fil", ""},
		{"flag over file variable", []string{"--password", "direkte"}, map[string]string{"ISMS_T_PASSWORD_FILE": file}, "direkte", ""},
		{"file flag over variable", []string{"--password-file", file}, map[string]string{"ISMS_T_PASSWORD": "direkte"}, "fra fil", ""},
		{"both flags", []string{"--password", "direkte", "--password-file", file}, nil, "", "--password and --password-file both set from the command line"},
		{"both variables", nil, map[string]string{"ISMS_T_PASSWORD": "direkte", "ISMS_T_PASSWORD_FILE": file}, "", "both set from the environment"},
		{"missing file", []string{"--password-file", missing}, nil, "", "--password-file: open " + missing},
	} {
		f := newTestFlags()
		if err := f.fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		err := applyEnv(f.fs, envMap(c.env))
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.wantErr)
		case c.wantErr == "" && f.password != c.want:
			t.Errorf("%s: password %q, want %q", c.name, f.password, c.want)
		}
	}
}

// Every serve flag an operator sets in a deployment reads its variable.
func TestServeFlagsFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "smtp-password")
	os.WriteFile(pw, []byte("smtp-hemmelighed\n"), 0o600)
	code := filepath.Join(dir, "setup-code")
	os.WriteFile(code, []byte("en lang opsætningskode\n"), 0o600)
	for k, v := range map[string]string{
		"ISMS_DB":                 "postgres://isms@db.example.org/isms",
		"ISMS_ADDR":               "0.0.0.0:9090",
		"ISMS_SECURE_COOKIES":     "true",
		"ISMS_DEBUG":              "1",
		"ISMS_TRUSTED_PROXY":      "10.0.0.0/8, 2001:db8::/32,192.0.2.1",
		"ISMS_SETUP_CODE_FILE":    code,
		"ISMS_MAX_UPLOAD":         "200MiB",
		"ISMS_SMTP_ADDR":          "mail.example.org:587",
		"ISMS_SMTP_FROM":          "ISMS <isms@example.org>",
		"ISMS_SMTP_USER":          "isms",
		"ISMS_SMTP_PASSWORD_FILE": pw,
		"ISMS_SMTP_IMPLICIT_TLS":  "true",
		"ISMS_BASE_URL":           "https://isms.example.org/",
		"ISMS_REMINDER_INTERVAL":  "5m",
	} {
		t.Setenv(k, v)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var o serveOptions
	o.declare(fs)
	if err := parse(fs, nil); err != nil {
		t.Fatal(err)
	}
	if o.db != "postgres://isms@db.example.org/isms" || o.addr != "0.0.0.0:9090" || !o.secureCookies || !o.debug || o.setupCode != "en lang opsætningskode" {
		t.Fatalf("serve options %+v", o)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("192.0.2.1/32")}
	if !slices.Equal(o.trustedProxies, want) {
		t.Fatalf("trusted proxies %v", o.trustedProxies)
	}
	if cfg := o.webConfig(nil, nil); !slices.Equal(cfg.TrustedProxies, want) || !cfg.SecureCookies {
		t.Fatalf("web config %+v", cfg)
	}
	if cfg := o.webConfig(nil, nil); cfg.MaxUpload != 209715200 || cfg.BaseURL != "https://isms.example.org" || !cfg.Reminders {
		t.Fatalf("web config %+v", cfg)
	}

	// The mail settings, as reminders send reads them too.
	fs = flag.NewFlagSet("reminders send", flag.ContinueOnError)
	var f reminderFlags
	f.register(fs)
	if err := parse(fs, nil); err != nil {
		t.Fatal(err)
	}
	if f.mail.Addr != "mail.example.org:587" || f.mail.From != "ISMS <isms@example.org>" || f.mail.User != "isms" ||
		f.mail.Password != "smtp-hemmelighed" || !f.mail.ImplicitTLS || f.baseURL != "https://isms.example.org/" || f.interval != 5*time.Minute {
		t.Fatalf("mail settings %+v", f)
	}
}

func TestTrustedProxyFlag(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8":                  "10.0.0.0/8",
		"10.1.2.3/8":                  "10.0.0.0/8",
		"192.0.2.1":                   "192.0.2.1/32",
		" 192.0.2.1 , 2001:db8::1 ,":  "192.0.2.1/32,2001:db8::1/128",
		"2001:db8::/32,172.16.0.0/12": "2001:db8::/32,172.16.0.0/12",
		"":                            "",
	} {
		var l prefixList
		if err := l.Set(in); err != nil || l.String() != want {
			t.Errorf("Set(%q) = %q, %v; want %q", in, l.String(), err, want)
		}
	}
	for _, in := range []string{"10.0.0.0/33", "proxy.example.org", "10.0.0", "fe80::1%eth0", "10.0.0.1:8080", "10.0.0.0/8;192.0.2.1"} {
		var l prefixList
		if err := l.Set(in); err == nil {
			t.Errorf("Set(%q) accepted: %v", in, l)
		}
	}
	// Given twice, the lists add up.
	var l prefixList
	l.Set("10.0.0.0/8")
	l.Set("192.0.2.1")
	if l.String() != "10.0.0.0/8,192.0.2.1/32" {
		t.Errorf("twice: %s", l.String())
	}
}

func TestSetupCodeTooShort(t *testing.T) {
	_, err := runVerb(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--setup-code", "kort")
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "at least 12 characters") {
		t.Fatalf("short setup code: %v", err)
	}
}

// Flags name their variable through the helpers, never only in their
// usage text: only then does the help print it and the README test check
// it. (A flag added the old way, with os.Getenv as its default, fails
// here.)
func TestFlagsDeclareTheirVariables(t *testing.T) {
	for _, name := range commandNames() {
		fs, err := verbFlags(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		fs.VisitAll(func(f *flag.Flag) {
			if strings.Contains(f.Usage, "ISMS_") {
				t.Errorf("%s --%s names a variable in its usage; declare it with envString and friends (flags.go)", name, f.Name)
			}
		})
	}
}

func TestByteSizeString(t *testing.T) {
	for n, want := range map[byteSize]string{50 << 20: "50MiB", 1 << 30: "1GiB", 1536: "1536", 3 << 10: "3KiB", 1000: "1000"} {
		if got := n.String(); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
