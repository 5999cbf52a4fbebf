package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// mfaEnv is a test server whose clock the test moves (TOTP codes change
// every 30 seconds, and one is never accepted twice).
func mfaEnv(t *testing.T, cfg web.Config) (*env, *atomic.Int64) {
	t.Helper()
	db := sqltest.OpenSQLite(t)
	var clock atomic.Int64
	clock.Store(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	return newEnvOn(t, db, cfg), &clock
}

var (
	secretRE = regexp.MustCompile(`id="totp-secret" class="token">([A-Z2-7]+)<`)
	codesRE  = regexp.MustCompile(`<code>([a-z2-9]{5}-[a-z2-9]{5})</code>`)
)

// code is what an authenticator app shows now, computed by a standard
// library.
func (e *env) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.db.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrolOnAccountPage sets up an authenticator app through the account page
// and returns its secret and the recovery codes shown.
func enrolOnAccountPage(t *testing.T, e *env, b *browser) (string, []string) {
	t.Helper()
	html := body(b.post("/account/totp", url.Values{}))
	m := secretRE.FindStringSubmatch(html)
	if m == nil || !strings.Contains(html, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page without secret or QR code: %s", html)
	}
	secret := m[1]
	if res := b.post("/account/totp/confirm", url.Values{"code": {"000000"}}); res.StatusCode != 422 {
		t.Fatalf("wrong confirmation code: %d", res.StatusCode)
	}
	res := b.post("/account/totp/confirm", url.Values{"code": {e.code(t, secret)}})
	html = body(res)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	var codes []string
	for _, m := range codesRE.FindAllStringSubmatch(html, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != isms.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	return secret, codes
}

// passwordStep logs in with the password and expects the second step.
func passwordStep(t *testing.T, e *env, email, want string) *browser {
	t.Helper()
	b := e.anonymous()
	res := b.post("/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"/account"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("password step: %d to %s, want %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	// No session yet: the account page sends to the login.
	if res := b.get("/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("a session exists before the second step: %d", res.StatusCode)
	}
	return b
}

func loggedIn(t *testing.T, b *browser) {
	t.Helper()
	if res := b.get("/account"); res.StatusCode != 200 {
		t.Fatalf("not logged in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSecondFactorTOTPLogin(t *testing.T) {
	t.Parallel()
	e, clock := mfaEnv(t, web.Config{})
	u := e.member("totp@example.org", e.org, isms.RoleCoordinator)
	b := e.login(u.Email) // no second factor yet: straight in
	secret, codes := enrolOnAccountPage(t, e, b)
	if html := body(b.get("/account")); !strings.Contains(html, "Unused recovery codes: 10") {
		t.Fatal("the account page does not show the authenticator and codes")
	}

	// The next login needs the second step.
	clock.Add(int64(30 * time.Second))
	b = passwordStep(t, e, u.Email, "/login/second-factor")
	if res := b.get("/login/second-factor"); res.StatusCode != 200 {
		t.Fatalf("second step page: %d", res.StatusCode)
	}
	if res := b.post("/login/second-factor", url.Values{"code": {"123456"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	res := b.post("/login/second-factor", url.Values{"code": {e.code(t, secret)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("right code: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	loggedIn(t, b)
	// The pending login is gone with its use.
	if res := b.post("/login/second-factor", url.Values{"code": {e.code(t, secret)}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("the second step again: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	// A recovery code works once.
	b = passwordStep(t, e, u.Email, "/login/second-factor")
	if res := b.post("/login/second-factor", url.Values{"code": {strings.ToUpper(codes[0])}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", res.StatusCode)
	}
	loggedIn(t, b)
	b = passwordStep(t, e, u.Email, "/login/second-factor")
	if res := b.post("/login/second-factor", url.Values{"code": {codes[0]}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a used recovery code: %d", res.StatusCode)
	}

	// Guessing is throttled like passwords: after five failures from one
	// client, even the right code waits.
	for i := 0; i < 4; i++ {
		b.post("/login/second-factor", url.Values{"code": {strconv.Itoa(100000 + i)}})
	}
	clock.Add(int64(30 * time.Second))
	res = b.post("/login/second-factor", url.Values{"code": {e.code(t, secret)}})
	if html := body(res); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(html, "Wait") {
		t.Fatalf("after five wrong codes: %d, want 429 saying how long to wait", res.StatusCode)
	}

	// After the wait, a fresh login passes; removing the app makes the
	// login one step again, and is in the account's audit history.
	clock.Add(int64(2 * time.Minute))
	b = passwordStep(t, e, u.Email, "/login/second-factor")
	if res := b.post("/login/second-factor", url.Values{"code": {e.code(t, secret)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the wait: %d", res.StatusCode)
	}
	if res := b.post("/account/totp/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	e.login(u.Email)
	evs, err := e.db.UserHistory(e.as(e.admin), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
	}
	for _, want := range []string{"enrol_totp", "use_recovery_code", "remove_totp"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("no audit event %s in %v", want, actions)
		}
	}
}

// TestSecondFactorRequiredBySite: with the installation's requirement, a
// person without a second factor sets one up before anything else.
func TestSecondFactorRequiredBySite(t *testing.T) {
	t.Parallel()
	e, clock := mfaEnv(t, web.Config{RequireSecondFactor: true})
	u := e.member("site@example.org", e.org, isms.RoleReader)
	tok := e.token(u)
	b := passwordStep(t, e, u.Email, "/login/enrol")
	enrolAtLogin(t, e, b)
	loggedIn(t, b)
	// API tokens are not affected by the requirement.
	if res, _ := e.api(tok, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("API token under the requirement: %d", res.StatusCode)
	}
	clock.Add(int64(time.Minute))
	passwordStep(t, e, u.Email, "/login/second-factor")
}

// enrolAtLogin sets up an authenticator app in the login's enrolment step.
func enrolAtLogin(t *testing.T, e *env, b *browser) {
	t.Helper()
	res := b.get("/login/enrol")
	html := body(res)
	m := secretRE.FindStringSubmatch(html)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("enrolment step: %d", res.StatusCode)
	}
	if res := b.post("/login/enrol", url.Values{"code": {"999999"}}); res.StatusCode != 422 {
		t.Fatalf("wrong code at enrolment: %d", res.StatusCode)
	}
	res = b.post("/login/enrol", url.Values{"code": {e.code(t, m[1])}})
	if html := body(res); res.StatusCode != 200 || len(codesRE.FindAllString(html, -1)) != 10 {
		t.Fatalf("enrolment: %d", res.StatusCode)
	}
}

// TestSecondFactorRequiredByOrganisation: an organisation's administrator
// requires a second factor of its members; nobody else may, and not for
// another organisation.
func TestSecondFactorRequiredByOrganisation(t *testing.T) {
	t.Parallel()
	e, _ := mfaEnv(t, web.Config{})
	other, err := e.db.CreateOrganisation(e.as(e.admin), isms.OrganisationInput{Name: "Nabokommune"})
	if err != nil {
		t.Fatal(err)
	}
	orgAdmin := e.member("orgadmin@example.org", e.org, isms.RoleAdministrator)
	member := e.member("member@example.org", e.org, isms.RoleContributor)
	outsider := e.member("outsider@example.org", other, isms.RoleContributor)
	path := "/orgs/" + strconv.FormatInt(e.org.ID, 10) + "/settings/second-factor"

	if res := e.login(member.Email).post(path, url.Values{"required": {"on"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a contributor sets the requirement: %d", res.StatusCode)
	}
	a := e.login(orgAdmin.Email)
	if res := a.post("/orgs/"+strconv.FormatInt(other.ID, 10)+"/settings/second-factor", url.Values{"required": {"on"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another organisation's requirement: %d", res.StatusCode)
	}
	if res := a.post(path, url.Values{"required": {"on"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set the requirement: %d", res.StatusCode)
	}
	if html := body(a.get("/orgs/" + strconv.FormatInt(e.org.ID, 10) + "/settings")); !strings.Contains(html, `name="required" checked`) {
		t.Fatal("the settings page does not show the requirement")
	}
	b := passwordStep(t, e, member.Email, "/login/enrol")
	enrolAtLogin(t, e, b)
	loggedIn(t, b)
	// Members of other organisations are not affected.
	e.login(outsider.Email)
}

func TestLimitedAPITokensHTTP(t *testing.T) {
	t.Parallel()
	e, clock := mfaEnv(t, web.Config{})
	u := e.member("api@example.org", e.org, isms.RoleCoordinator)
	b := e.login(u.Email)
	res := b.post("/account/tokens", url.Values{"name": {"reporting"}, "read_only": {"on"}, "expires": {"2026-04-30"}})
	html := body(res)
	m := regexp.MustCompile(`id="new-token">([^<]+)<`).FindStringSubmatch(html)
	if res.StatusCode != 200 || m == nil || !strings.Contains(html, "Read-only") {
		t.Fatalf("create a limited token: %d", res.StatusCode)
	}
	tok := m[1]
	if res, _ := e.api(tok, "GET", "/api/v1/me", nil); res.StatusCode != 200 {
		t.Fatalf("read with a read-only token: %d", res.StatusCode)
	}
	orgPath := "/api/v1/organisations/" + strconv.FormatInt(e.org.ID, 10)
	res, out := e.api(tok, "PUT", orgPath, map[string]any{"name": "Omdøbt", "version": e.org.Version})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(out["error"].(map[string]any)["message"].(string), "read-only") {
		t.Fatalf("write with a read-only token: %d %v", res.StatusCode, out)
	}
	if o, _ := e.db.Organisation(e.as(e.admin), e.org.ID); o.Name != e.org.Name {
		t.Fatal("a read-only token changed the organisation")
	}
	// A past day is refused with the field named.
	if res := b.post("/account/tokens", url.Values{"name": {"old"}, "expires": {"2026-03-01"}}); res.StatusCode != 422 {
		t.Fatalf("expiry in the past: %d", res.StatusCode)
	}
	// After the last valid day, the token is refused.
	clock.Store(time.Date(2026, 5, 1, 0, 0, 1, 0, time.UTC).UnixNano())
	res, out = e.api(tok, "GET", "/api/v1/me", nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(out["error"].(map[string]any)["message"].(string), "expired") {
		t.Fatalf("expired token: %d %v", res.StatusCode, out)
	}
}

// TestInvitationSignUpEnrolsWhereRequired: someone who makes their account
// through an invitation into an organisation that requires a second factor
// sets one up before their first session.
func TestInvitationSignUpEnrolsWhereRequired(t *testing.T) {
	t.Parallel()
	e, _ := mfaEnv(t, web.Config{})
	if err := e.db.SetOrganisationRequiresSecondFactor(e.as(e.admin), e.org.ID, true); err != nil {
		t.Fatal(err)
	}
	token, _, err := e.db.CreateInvitation(e.as(e.admin), e.org.ID, isms.InvitationInput{Email: "new@example.org", Role: isms.RoleReader})
	if err != nil {
		t.Fatal(err)
	}
	b := e.anonymous()
	res := b.post("/invitations/"+token, url.Values{"name": {"New Person"}, "password": {testPassword}, "password2": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/enrol" {
		t.Fatalf("sign-up: %d to %s, want the enrolment", res.StatusCode, res.Header.Get("Location"))
	}
	enrolAtLogin(t, e, b)
	loggedIn(t, b)
}

// TestSiteAdministratorResetsSecondFactors: someone who lost their phone
// and codes gets in again after a site administrator removes their second
// factors; nobody else may.
func TestSiteAdministratorResetsSecondFactors(t *testing.T) {
	t.Parallel()
	e, _ := mfaEnv(t, web.Config{})
	u := e.member("lost@example.org", e.org, isms.RoleAdministrator)
	b := e.login(u.Email)
	enrolOnAccountPage(t, e, b)
	path := "/users/" + strconv.FormatInt(u.ID, 10) + "/second-factor/reset"
	other := e.member("other@example.org", e.org, isms.RoleAdministrator)
	if res := e.login(other.Email).post(path, url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("an organisation's administrator resets another's second factor: %d", res.StatusCode)
	}
	if res := e.login(e.admin.Email).post(path, url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	// The lost session ended; the next login has one step.
	if res := b.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the session outlived the reset: %d", res.StatusCode)
	}
	e.login(u.Email)
	evs, _ := e.db.UserHistory(e.as(e.admin), u.ID)
	if len(evs) == 0 || evs[0].Action != "reset_second_factors" {
		t.Fatal("the reset is not audited")
	}
}

// TestSecondFactorChangesAreMailed: where SMTP is set up, the person hears
// of every enrolment and removal on their account.
func TestSecondFactorChangesAreMailed(t *testing.T) {
	t.Parallel()
	e, _ := mfaEnv(t, web.Config{})
	m := &mailbox{}
	e.withMail(m)
	u := e.member("mailed@example.org", e.org, isms.RoleReader)
	b := e.login(u.Email)
	enrolOnAccountPage(t, e, b)
	b.post("/account/recovery-codes", url.Values{})
	b.post("/account/totp/delete", url.Values{})
	if len(m.sent) != 3 {
		t.Fatalf("%d mails, want 3 (enrolment, new codes, removal)", len(m.sent))
	}
	for i, want := range []string{"authenticator app was set up", "new recovery codes", "authenticator app was removed"} {
		if m.sent[i].to != u.Email || !strings.Contains(m.sent[i].body, want) || !strings.Contains(m.sent[i].body, "https://isms.example.org/account") {
			t.Errorf("mail %d: %+v, want %q", i, m.sent[i], want)
		}
	}
}
