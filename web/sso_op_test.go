package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// testOP is a real OpenID provider inside the test process: zitadel's OP
// package, which was not written for the product, over an in-memory
// storage with one RSA key, one client and a few people. Its login step
// is automatic: the person named by loginAs is logged in at once, so a
// client following redirects goes through the whole flow.
//
// The knobs make it misbehave the ways a test needs: an ID token for
// another audience (signed again with the provider's key), one already expired, or one whose payload was
// changed after signing.
type testOP struct {
	t      *testing.T
	srv    *httptest.Server
	issuer string

	key   *rsa.PrivateKey
	keyID string

	clientID, clientSecret string

	mu           sync.Mutex
	redirectURIs []string
	postLogout   []string
	loginAs      string
	people       map[string]*opPerson
	requests     map[string]*opRequest
	codes        map[string]string
	lifetime     time.Duration               // of ID tokens; 0: five minutes
	tamper       bool                        // change the ID token's payload after signing
	resign       func(claims map[string]any) // change the claims and sign again with the provider's key
	ended        int                         // end-session requests seen
}

// opPerson is someone the provider knows.
type opPerson struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string
}

func newTestOP(t *testing.T) *testOP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	o := &testOP{t: t, key: key, keyID: "test-key-1", clientID: "isms-test", clientSecret: "s3cret-of-the-client",
		people: map[string]*opPerson{}, requests: map[string]*opRequest{}, codes: map[string]string{}}
	var handler http.Handler
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(o.srv.Close)
	o.issuer = o.srv.URL
	var cryptoKey [32]byte
	rand.Read(cryptoKey[:])
	provider, err := op.NewProvider(&op.Config{CryptoKey: cryptoKey, CodeMethodS256: true, AuthMethodPost: true,
		SupportedScopes: []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail}}, o, op.StaticIssuer(o.issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", o.login)
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) { o.token(w, r, provider) })
	mux.Handle("/", provider)
	handler = mux
	return o
}

// person adds someone the provider knows.
func (o *testOP) person(p *opPerson) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.people[p.Subject] = p
}

func (o *testOP) set(f func(o *testOP)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f(o)
}

// login is the provider's login page, automatic: it logs in loginAs.
func (o *testOP) login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	o.mu.Lock()
	req, ok := o.requests[id]
	sub := o.loginAs
	if ok {
		req.subject, req.done, req.authTime = sub, sub != "", time.Now()
	}
	o.mu.Unlock()
	if !ok || sub == "" {
		http.Error(w, "no such login", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, o.issuer+"/authorize/callback?id="+id, http.StatusFound)
}

// token serves the token endpoint, and changes the ID token's payload
// after signing when asked to.
func (o *testOP) token(w http.ResponseWriter, r *http.Request, provider http.Handler) {
	rec := httptest.NewRecorder()
	provider.ServeHTTP(rec, r)
	o.mu.Lock()
	tamper, resign := o.tamper, o.resign
	o.mu.Unlock()
	out := rec.Body.Bytes()
	if resign != nil && rec.Code == http.StatusOK {
		out = o.resignIDToken(out, resign)
	}
	if tamper && rec.Code == http.StatusOK {
		var resp map[string]any
		if err := json.Unmarshal(out, &resp); err == nil {
			if idt, ok := resp["id_token"].(string); ok {
				parts := strings.Split(idt, ".")
				payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
				payload = bytes.Replace(payload, []byte(`"sub":"`), []byte(`"sub":"x`), 1)
				parts[1] = base64.RawURLEncoding.EncodeToString(payload)
				resp["id_token"] = strings.Join(parts, ".")
				out, _ = json.Marshal(resp)
			}
		}
	}
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(rec.Code)
	w.Write(out)
}

// resignIDToken changes the ID token's claims and signs it again with the
// provider's own key: a token the provider could have issued, but with
// claims (an audience) that the provider's library would not write.
func (o *testOP) resignIDToken(resp []byte, change func(map[string]any)) []byte {
	var m map[string]any
	if err := json.Unmarshal(resp, &m); err != nil {
		o.t.Fatal(err)
	}
	parts := strings.Split(m["id_token"].(string), ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		o.t.Fatal(err)
	}
	change(claims)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: o.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", o.keyID))
	if err != nil {
		o.t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := signer.Sign(b)
	if err != nil {
		o.t.Fatal(err)
	}
	m["id_token"], _ = jws.CompactSerialize()
	out, _ := json.Marshal(m)
	return out
}

// opRequest is one authorization request.
type opRequest struct {
	o        *testOP
	id       string
	req      *oidc.AuthRequest
	subject  string
	done     bool
	authTime time.Time
}

func (a *opRequest) GetID() string          { return a.id }
func (a *opRequest) GetACR() string         { return "" }
func (a *opRequest) GetAMR() []string       { return []string{"pwd", "otp"} }
func (a *opRequest) GetAuthTime() time.Time { return a.authTime }
func (a *opRequest) GetClientID() string    { return a.req.ClientID }
func (a *opRequest) GetAudience() []string  { return []string{a.req.ClientID} }
func (a *opRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}
func (a *opRequest) GetNonce() string                   { return a.req.Nonce }
func (a *opRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *opRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *opRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *opRequest) GetScopes() []string                { return a.req.Scopes }
func (a *opRequest) GetState() string                   { return a.req.State }
func (a *opRequest) GetSubject() string                 { return a.subject }
func (a *opRequest) Done() bool                         { return a.done }

// opClient is the product as the provider's one client.
type opClient struct{ o *testOP }

func (c opClient) GetID() string { return c.o.clientID }
func (c opClient) RedirectURIs() []string {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	return c.o.redirectURIs
}
func (c opClient) PostLogoutRedirectURIs() []string {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	return c.o.postLogout
}
func (c opClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c opClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c opClient) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c opClient) LoginURL(id string) string            { return c.o.issuer + "/login?id=" + id }
func (c opClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c opClient) DevMode() bool                        { return true } // plain http redirect URIs
func (c opClient) IsScopeAllowed(string) bool           { return true }
func (c opClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c opClient) ClockSkew() time.Duration             { return 0 }
func (c opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c opClient) IDTokenLifetime() time.Duration {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	if c.o.lifetime != 0 {
		return c.o.lifetime
	}
	return 5 * time.Minute
}

// The storage: op.Storage over the maps above.

var errNotFound = errors.New("not found")

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (o *testOP) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	a := &opRequest{o: o, id: randomID(), req: req}
	o.requests[a.id] = a
	return a, nil
}

func (o *testOP) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if a, ok := o.requests[id]; ok {
		return a, nil
	}
	return nil, errNotFound
}

func (o *testOP) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if a, ok := o.requests[o.codes[code]]; ok {
		return a, nil
	}
	return nil, errNotFound
}

func (o *testOP) SaveAuthCode(_ context.Context, id, code string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.codes[code] = id
	return nil
}

func (o *testOP) DeleteAuthRequest(_ context.Context, id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.requests, id)
	for c, i := range o.codes {
		if i == id {
			delete(o.codes, c)
		}
	}
	return nil
}

func (o *testOP) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	return randomID(), time.Now().Add(5 * time.Minute), nil
}

func (o *testOP) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("no refresh tokens here")
}

func (o *testOP) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (o *testOP) TerminateSession(context.Context, string, string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ended++
	return nil
}

func (o *testOP) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (o *testOP) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

type opKey struct{ o *testOP }

func (k opKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k opKey) Algorithm() jose.SignatureAlgorithm          { return jose.RS256 }
func (k opKey) Use() string                                 { return "sig" }
func (k opKey) ID() string                                  { return k.o.keyID }

type opPrivateKey struct{ opKey }

func (k opPrivateKey) Key() any { return k.o.key }

type opPublicKey struct{ opKey }

func (k opPublicKey) Key() any { return &k.o.key.PublicKey }

func (o *testOP) SigningKey(context.Context) (op.SigningKey, error) {
	return opPrivateKey{opKey{o}}, nil
}
func (o *testOP) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}
func (o *testOP) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{opPublicKey{opKey{o}}}, nil
}

func (o *testOP) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != o.clientID {
		return nil, errNotFound
	}
	return opClient{o}, nil
}

func (o *testOP) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != o.clientID || secret != o.clientSecret {
		return errors.New("wrong client credentials")
	}
	return nil
}

func (o *testOP) userinfo(info *oidc.UserInfo, subject string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.people[subject]
	if !ok {
		return errNotFound
	}
	info.Subject = p.Subject
	info.Email = p.Email
	info.EmailVerified = oidc.Bool(p.EmailVerified)
	info.Name = p.Name
	if p.Groups != nil {
		info.AppendClaims("groups", p.Groups)
	}
	return nil
}

func (o *testOP) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, subject, _ string, _ []string) error {
	return o.userinfo(info, subject)
}

func (o *testOP) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return o.userinfo(info, subject)
}

func (o *testOP) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return nil
}

func (o *testOP) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (o *testOP) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (o *testOP) ValidateJWTProfileScopes(_ context.Context, _ string, scopes []string) ([]string, error) {
	return scopes, nil
}

func (o *testOP) Health(context.Context) error { return nil }
