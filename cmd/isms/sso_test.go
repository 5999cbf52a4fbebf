package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestOIDCProviderFlag(t *testing.T) {
	env := map[string]string{"ENTRA_SECRET": "s3cret"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	files := func(p string) ([]byte, error) {
		if p == "/run/secrets/kc" {
			return []byte("from-file\n"), nil
		}
		return nil, errors.New("no such file")
	}
	p, err := parseProvider("name=entra, display=Microsoft Entra ID,issuer=https://login.microsoftonline.com/t/v2.0/,client-id=app,client-secret-env=ENTRA_SECRET,trust-email=true,groups-claim=groups,create-accounts=false", lookup, files)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "entra" || p.Display != "Microsoft Entra ID" || p.Issuer != "https://login.microsoftonline.com/t/v2.0" || p.ClientID != "app" ||
		p.ClientSecret != "s3cret" || !p.TrustEmail || p.CreateAccounts || p.GroupsClaim != "groups" || strings.Join(p.Scopes, " ") != "openid profile email" {
		t.Fatalf("%+v", p)
	}
	p, err = parseProvider("name=kc,issuer=http://localhost:8081/realms/x,client-id=isms,client-secret-file=/run/secrets/kc,scopes=openid email", lookup, files)
	if err != nil || p.ClientSecret != "from-file" || p.Display != "kc" || len(p.Scopes) != 2 {
		t.Fatalf("%+v %v", p, err)
	}
	for _, c := range []struct{ in, want string }{
		{"name=Entra!,issuer=https://x,client-id=a", "name="},
		{"name=e,issuer=http://idp.example,client-id=a", "https://"},
		{"name=e,issuer=https://x", "client-id is missing"},
		{"name=e,issuer=https://x,client-id=a,client-secret=plain", "client-secret-env"},
		{"name=e,issuer=https://x,client-id=a,client-secret-env=MISSING", "not set"},
		{"name=e,issuer=https://x,client-id=a,create-accounts=yes please", "true or false"},
		{"name=e,issuer=https://x,client-id=a,colour=blue", "unknown key"},
	} {
		if _, err := parseProvider(c.in, lookup, files); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.in, err, c.want)
		}
	}
	// Several from the variable, separated by semicolons; one name once.
	var ps oidcProviders
	if err := ps.Set("name=a,issuer=https://a.example,client-id=x; name=b,issuer=https://b.example,client-id=y"); err != nil || len(ps) != 2 {
		t.Fatalf("%v %v", ps, err)
	}
	if err := ps.Set("name=a,issuer=https://c.example,client-id=z"); err == nil {
		t.Fatal("a name given twice was taken")
	}
}

func TestServeRefusesOIDCWithoutBaseURL(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o serveOptions
	o.declare(fs)
	if err := fs.Parse([]string{"--oidc", "name=a,issuer=https://a.example,client-id=x"}); err != nil {
		t.Fatal(err)
	}
	if err := o.sso.check(o.reminders.baseURL); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Fatalf("without --base-url: %v", err)
	}
	o.sso.providers = nil
	o.sso.localLogin = false
	if err := o.sso.check("https://isms.example.org"); err == nil {
		t.Fatal("--local-login=false without a provider was taken")
	}
}
