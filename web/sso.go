package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ismsdk/isms"
)

// Single sign-on with OpenID Connect (sso.go at the root says what for).
//
// The flow is the authorization code flow with PKCE, state and nonce:
//
//  1. GET /auth/oidc/{name} makes a random state, nonce and PKCE verifier,
//     stores them in the database under the state's hash (any instance
//     behind the load balancer can take the callback), puts the state in
//     a short-lived cookie, and sends the browser to the provider.
//  2. GET /auth/oidc/{name}/callback takes the stored login once (a
//     replayed state finds nothing), checks that the state is the one in
//     this browser's cookie (so nobody can log a victim into the
//     attacker's account by sending them a callback link), exchanges the
//     code with the verifier, and lets go-oidc verify the ID token against
//     the provider's published keys: signature, issuer, audience (our
//     client id) and expiry. The nonce must be the stored one.
//  3. The store finds or links the account (SignInSSO) and a session
//     starts. A local second factor does not apply here: the provider is
//     responsible for how the person authenticated.
//
// Providers are discovered when first used, not at start, so a provider
// that is down does not stop the product from starting; a failed
// discovery is tried again at the next login.

// SSOProvider is one OpenID Connect provider as the command line
// configures it (`isms serve --oidc`).
type SSOProvider struct {
	// Name is the provider's short name in the product's URLs:
	// /auth/oidc/{name} and the redirect URI /auth/oidc/{name}/callback.
	Name string
	// Display is the name on the login page's button.
	Display      string
	Issuer       string
	ClientID     string
	ClientSecret string
	// Scopes asked for; "openid" is always added.
	Scopes []string
	// CreateAccounts lets a person the product does not know get an
	// account just in time.
	CreateAccounts bool
	// TrustEmail takes the e-mail claim as verified although the provider
	// sends no email_verified claim (Microsoft Entra ID sends none); only
	// for a provider that issues addresses solely in domains its owner
	// controls. Without an e-mail claim, preferred_username is taken when
	// it is an address.
	TrustEmail bool
	// GroupsClaim names the claim whose values the role mappings match
	// ("groups", "roles"); empty: the provider's logins change no
	// memberships.
	GroupsClaim string
}

// ssoCookie holds the state of a login under way, for the callback to
// compare; it lives as long as a stored login.
const ssoCookie = "isms_sso_state"

// ssoHTTP is the client the server talks to providers with.
var ssoHTTP = &http.Client{Timeout: 15 * time.Second}

// ssoProvider is a configured provider and, once discovered, its
// metadata and keys.
type ssoProvider struct {
	SSOProvider
	mu         sync.Mutex
	op         *oidc.Provider
	endSession string
}

// ssoProviders are the configured providers, made when first asked for.
type ssoProviders struct {
	once   sync.Once
	list   []*ssoProvider
	byName map[string]*ssoProvider
	// starts throttles the logins begun per client address.
	starts *publicThrottle
}

// Per client address: 300 logins begun at once, then five a second.
const (
	ssoStartBurst  = 300
	ssoStartPerSec = 5
)

func (s *Server) providers() *ssoProviders {
	s.sso.once.Do(func() {
		s.sso.byName = map[string]*ssoProvider{}
		s.sso.starts = newPublicThrottle(ssoStartBurst, ssoStartPerSec)
		for _, c := range s.cfg.SSO {
			p := &ssoProvider{SSOProvider: c}
			s.sso.list = append(s.sso.list, p)
			s.sso.byName[c.Name] = p
		}
	})
	return &s.sso
}

func (s *Server) provider(name string) (*ssoProvider, error) {
	p, ok := s.providers().byName[name]
	if !ok {
		return nil, isms.Errorf(isms.ENotFound, "err.sso_provider_unknown")
	}
	return p, nil
}

// discover fetches the provider's metadata once, waiting at most the
// default 15 seconds.
func (p *ssoProvider) discover() (*oidc.Provider, error) { return p.discoverWithin(15 * time.Second) }

// discoverWithin is discover waiting at most limit: a logout asks on the
// way and should not hang on a provider that is down.
func (p *ssoProvider) discoverWithin(limit time.Duration) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.op != nil {
		return p.op, nil
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(context.Background(), ssoHTTP), limit)
	defer cancel()
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, err
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := op.Claims(&meta); err != nil {
		return nil, err
	}
	p.op, p.endSession = op, meta.EndSession
	return op, nil
}

func (s *Server) oauthConfig(r *http.Request, p *ssoProvider, op *oidc.Provider) *oauth2.Config {
	scopes := []string{oidc.ScopeOpenID}
	for _, sc := range p.Scopes {
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: s.baseURL(r) + "/auth/oidc/" + url.PathEscape(p.Name) + "/callback", Scopes: scopes}
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ssoStart sends the browser to the provider.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	p, err := s.provider(r.PathValue("name"))
	if err != nil {
		return err
	}
	op, err := p.discover()
	if err != nil {
		s.log.Warn("single sign-on: provider discovery failed", "provider", p.Name, "issuer", p.Issuer, "err", err)
		return isms.Errorf(isms.EUnavailable, "err.sso_unreachable", p.Display)
	}
	// Each start writes a row that nobody logged in asked for: bounded
	// per client address, generously, as a whole town hall may sit
	// behind one address at nine in the morning.
	if ok, wait := s.providers().starts.allow(s.clientAddr(r), s.cfg.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		return isms.Errorf(isms.ETooMany, "err.sso_too_many", int(wait/time.Second)+1)
	}
	state, nonce, verifier := randomString(), randomString(), oauth2.GenerateVerifier()
	q := r.URL.Query()
	if err := s.SSO.BeginSSOLogin(r.Context(), state, isms.SSOPendingLogin{Provider: p.Name, Nonce: nonce, CodeVerifier: verifier,
		Next: safeNext(q.Get("next")), Invitation: q.Get("invitation")}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: state, Path: "/auth/oidc/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.SSOLoginLifetime.Seconds())})
	http.Redirect(w, r, s.oauthConfig(r, p, op).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
	return nil
}

// ssoRefusal is a login through a provider that did not succeed: the
// page says why in the reader's words, the log says it for the operator.
func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, p *ssoProvider, err error, detail string) error {
	if isms.AsError(err) == nil {
		err = isms.Errorf(isms.EForbidden, "err.sso_failed", p.Display)
	}
	s.log.Warn("single sign-on refused", "provider", p.Name, "err", err, "detail", detail)
	pg := s.newPage(r, "title.sso_refused")
	pg.setError(err)
	pg.Data = p.Display
	// A refused login is 403 whatever the reason, except a provider that
	// does not answer (503, try again).
	status := s.status(r, err)
	if status != http.StatusServiceUnavailable && status != http.StatusInternalServerError {
		status = http.StatusForbidden
	}
	s.render(w, status, "sso_refused", pg)
	return nil
}

// ssoCallback finishes a login: see the flow above.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	p, err := s.provider(r.PathValue("name"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	state := q.Get("state")
	// The state cookie is spent whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Path: "/auth/oidc/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	c, cerr := r.Cookie(ssoCookie)
	if state == "" || cerr != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		return s.ssoRefused(w, r, p, isms.Errorf(isms.EForbidden, "err.sso_state"), "state missing or not this browser's")
	}
	pending, err := s.SSO.TakeSSOLogin(r.Context(), state)
	if err != nil {
		return s.ssoRefused(w, r, p, err, "state unknown, used or expired")
	}
	if pending.Provider != p.Name {
		return s.ssoRefused(w, r, p, isms.Errorf(isms.EForbidden, "err.sso_state"), "state of another provider")
	}
	if e := q.Get("error"); e != "" {
		return s.ssoRefused(w, r, p, isms.Errorf(isms.EForbidden, "err.sso_provider_error", p.Display), e+": "+q.Get("error_description"))
	}
	op, err := p.discover()
	if err != nil {
		return s.ssoRefused(w, r, p, isms.Errorf(isms.EUnavailable, "err.sso_unreachable", p.Display), err.Error())
	}
	ctx := oidc.ClientContext(r.Context(), ssoHTTP)
	tok, err := s.oauthConfig(r, p, op).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(pending.CodeVerifier))
	if err != nil {
		return s.ssoRefused(w, r, p, nil, "code exchange: "+err.Error())
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return s.ssoRefused(w, r, p, nil, "no id_token in the token response")
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID, Now: s.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		return s.ssoRefused(w, r, p, nil, "ID token: "+err.Error())
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pending.Nonce)) != 1 {
		return s.ssoRefused(w, r, p, nil, "ID token: nonce differs from the login's")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return s.ssoRefused(w, r, p, nil, "ID token: at_hash: "+err.Error())
		}
	}
	in, err := p.signIn(idt)
	if err != nil {
		return s.ssoRefused(w, r, p, nil, "claims: "+err.Error())
	}
	in.InvitationHash = pending.InvitationHash
	u, err := s.SSO.SignInSSO(r.Context(), in)
	if err != nil {
		return s.ssoRefused(w, r, p, err, "subject "+idt.Subject)
	}
	// The session starts here, with no second step: the provider is
	// responsible for the second factor of a login through it.
	token, err := s.SSO.CreateSSOSession(r.Context(), u.ID, p.Name, raw)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.SessionLifetime.Seconds())})
	http.Redirect(w, r, safeNext(pending.Next), http.StatusSeeOther)
	return nil
}

// signIn reads what the product needs from a verified ID token.
func (p *ssoProvider) signIn(idt *oidc.IDToken) (isms.SSOSignIn, error) {
	var all map[string]any
	if err := idt.Claims(&all); err != nil {
		return isms.SSOSignIn{}, err
	}
	str := func(k string) string { s, _ := all[k].(string); return strings.TrimSpace(s) }
	in := isms.SSOSignIn{Provider: p.Name, Issuer: idt.Issuer, Subject: idt.Subject, Email: str("email"), Name: str("name"),
		CreateAccounts: p.CreateAccounts}
	switch v := all["email_verified"].(type) {
	case bool:
		in.EmailVerified = v
	case string: // some providers send it as text
		in.EmailVerified = v == "true"
	}
	if p.TrustEmail {
		if in.Email == "" && strings.Contains(str("preferred_username"), "@") {
			in.Email = str("preferred_username")
		}
		in.EmailVerified = in.Email != ""
	}
	if in.Name == "" {
		in.Name = strings.TrimSpace(str("given_name") + " " + str("family_name"))
	}
	if p.GroupsClaim != "" {
		in.HasGroups = true
		switch v := all[p.GroupsClaim].(type) {
		case []any:
			for _, g := range v {
				if s, ok := g.(string); ok {
					in.Groups = append(in.Groups, s)
				}
			}
		case string:
			in.Groups = strings.Fields(v)
		case nil:
		default:
			return in, fmt.Errorf("claim %q is neither a list nor text", p.GroupsClaim)
		}
	}
	return in, nil
}

// ssoEndSession is the provider's end-session address for a session a
// login through it started, "" for any other; asked before the session
// ends.
func (s *Server) ssoEndSession(r *http.Request, sessionToken string) (display, endURL string) {
	if s.SSO == nil || len(s.cfg.SSO) == 0 {
		return "", ""
	}
	name, idToken, err := s.SSO.SSOSession(r.Context(), sessionToken)
	if err != nil {
		return "", ""
	}
	p, err := s.provider(name)
	if err != nil {
		return "", ""
	}
	if _, err := p.discoverWithin(3 * time.Second); err != nil || p.endSession == "" {
		return "", ""
	}
	u, err := url.Parse(p.endSession)
	if err != nil {
		return "", ""
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("client_id", p.ClientID)
	q.Set("post_logout_redirect_uri", s.baseURL(r)+"/login")
	u.RawQuery = q.Encode()
	return p.Display, u.String()
}

// signedOut is the page after logging out of a session a provider
// started: the product's session has ended, and the page offers the
// provider's end-session endpoint. It is a link, not a redirect: the
// logout is a form, and the Content-Security-Policy (form-action 'self')
// rightly keeps a form's submission from being redirected to another
// site.
func (s *Server) signedOut(w http.ResponseWriter, r *http.Request, display, endURL string) error {
	p := s.newPage(r, "title.signed_out")
	p.User = nil
	p.Data = struct{ Display, URL string }{display, endURL}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "sso_signed_out", p)
	return nil
}

// ssoButton is a provider as the login page offers it.
type ssoButton struct{ Name, Display string }

// SSOButtons are the providers the login page offers.
func (p *page) SSOButtons() []ssoButton {
	var out []ssoButton
	for _, sp := range p.s.providers().list {
		out = append(out, ssoButton{sp.Name, sp.Display})
	}
	return out
}

// LocalLogin tells the login page whether to show the password form: it
// does unless the site administrator chose single sign-on only (then
// /login?local shows it, for site administrators when the provider is
// down).
func (p *page) LocalLogin() bool {
	if !p.s.ssoOnly() {
		return true
	}
	_, local := p.r.URL.Query()["local"]
	return local || p.r.Method == http.MethodPost
}

func (s *Server) ssoOnly() bool { return s.cfg.SSOOnly && len(s.cfg.SSO) > 0 }

// passwordLoginAllowed refuses a password login of anyone but a site
// administrator when the site signs in through its providers only.
func (s *Server) passwordLoginAllowed(u *isms.User) error {
	if s.ssoOnly() && !u.SiteAdmin {
		return isms.Errorf(isms.EForbidden, "err.sso_only")
	}
	return nil
}
