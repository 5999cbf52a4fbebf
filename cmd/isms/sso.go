package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/ismsdk/isms/web"
)

// Single sign-on flags of serve.
//
// One --oidc flag per provider, its settings as key=value pairs separated
// by commas (the form of Docker's --mount, which operators know):
//
//	--oidc 'name=entra,display=Microsoft Entra ID,issuer=https://login.microsoftonline.com/TENANT/v2.0,client-id=…,client-secret-env=ENTRA_SECRET,groups-claim=groups'
//
// The environment variable ISMS_OIDC holds the same, several providers
// separated by semicolons. The client secret is never given on the command
// line itself (it would show in the process list): client-secret-env names
// the variable and client-secret-file the file that holds it.
//
// --local-login=false makes the login page offer only the providers; a
// site administrator can still log in with a password at /login?local,
// for the day the provider is down.

type ssoFlags struct {
	providers  oidcProviders
	localLogin bool
}

func (f *ssoFlags) declare(fs *flag.FlagSet) {
	envVar(fs, &f.providers, "oidc", "ISMS_OIDC",
		"an OpenID Connect `provider` the login page offers, as name=…,issuer=…,client-id=…,client-secret-env=VAR (or client-secret-file=PATH),scopes=openid profile email,display=…,create-accounts=false,trust-email=false,groups-claim=groups; repeat the flag for several, or separate them by ; in the variable")
	envBoolVar(fs, &f.localLogin, "local-login", "ISMS_LOCAL_LOGIN", true,
		"offer passwords on the login page beside the --oidc providers; false: providers only, and passwords for site administrators at /login?local")
}

// check refuses providers the server could not use: their redirect URI
// is built from --base-url, which the provider must know in advance.
func (f *ssoFlags) check(baseURL string) error {
	if len(f.providers) > 0 && baseURL == "" {
		return usageErrorf("serve: --oidc needs --base-url, from which the redirect URI registered at the provider is made (BASE/auth/oidc/NAME/callback)")
	}
	if !f.localLogin && len(f.providers) == 0 {
		return usageErrorf("serve: --local-login=false needs at least one --oidc provider")
	}
	return nil
}

func (f *ssoFlags) configure(cfg *web.Config) {
	cfg.SSO = f.providers
	cfg.SSOOnly = !f.localLogin && len(f.providers) > 0
}

// oidcProviders is the value of the repeatable --oidc flag.
type oidcProviders []web.SSOProvider

func (p *oidcProviders) String() string {
	if p == nil || len(*p) == 0 {
		return ""
	}
	var names []string
	for _, x := range *p {
		names = append(names, x.Name)
	}
	return strings.Join(names, ",")
}

var providerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// Set adds one provider, or several separated by semicolons.
func (p *oidcProviders) Set(s string) error {
	for _, one := range strings.Split(s, ";") {
		if strings.TrimSpace(one) == "" {
			continue
		}
		sp, err := parseProvider(one, os.LookupEnv, os.ReadFile)
		if err != nil {
			return err
		}
		for _, have := range *p {
			if have.Name == sp.Name {
				return fmt.Errorf("provider %q given twice", sp.Name)
			}
		}
		*p = append(*p, sp)
	}
	return nil
}

// parseProvider reads one provider's key=value pairs.
func parseProvider(s string, lookupEnv func(string) (string, bool), readFile func(string) ([]byte, error)) (web.SSOProvider, error) {
	sp := web.SSOProvider{Scopes: []string{"openid", "profile", "email"}}
	var errs []error
	boolOf := func(k, v string) bool {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: want true or false", k, v))
		}
		return b
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			errs = append(errs, fmt.Errorf("%q: want key=value", kv))
			continue
		}
		switch k {
		case "name":
			sp.Name = v
		case "display":
			sp.Display = v
		case "issuer":
			sp.Issuer = strings.TrimRight(v, "/")
		case "client-id":
			sp.ClientID = v
		case "client-secret-env":
			secret, ok := lookupEnv(v)
			if !ok || secret == "" {
				errs = append(errs, fmt.Errorf("client-secret-env=%s: the variable is not set", v))
			}
			sp.ClientSecret = secret
		case "client-secret-file":
			b, err := readFile(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("client-secret-file: %w", err))
			}
			sp.ClientSecret = strings.TrimRight(string(b), "\r\n")
		case "client-secret":
			errs = append(errs, errors.New("client-secret: give client-secret-env or client-secret-file, so the secret stays out of the process list"))
		case "scopes":
			sp.Scopes = strings.Fields(v)
		case "create-accounts":
			sp.CreateAccounts = boolOf(k, v)
		case "trust-email":
			sp.TrustEmail = boolOf(k, v)
		case "groups-claim":
			sp.GroupsClaim = v
		default:
			errs = append(errs, fmt.Errorf("unknown key %q (want name, display, issuer, client-id, client-secret-env, client-secret-file, scopes, create-accounts, trust-email, groups-claim)", k))
		}
	}
	if !providerName.MatchString(sp.Name) {
		errs = append(errs, fmt.Errorf("name=%q: want a short name of lower-case letters, digits and hyphens (it is part of the redirect URI)", sp.Name))
	}
	if u, err := url.Parse(sp.Issuer); err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
		errs = append(errs, fmt.Errorf("issuer=%q: want the provider's https:// issuer URL", sp.Issuer))
	}
	if sp.ClientID == "" {
		errs = append(errs, errors.New("client-id is missing"))
	}
	if sp.Display == "" {
		sp.Display = sp.Name
	}
	if err := errors.Join(errs...); err != nil {
		return sp, fmt.Errorf("provider %q: %w", sp.Name, err)
	}
	return sp, nil
}

// isLoopback allows a provider on the same machine over plain HTTP, for
// trying the product out against a local test provider.
func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
