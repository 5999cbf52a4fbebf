package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

var errPageNotFound = isms.Errorf(isms.ENotFound, "err.page_not_found")

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if n, err := s.Users.CountUsers(r.Context()); err == nil && n == 0 && s.cfg.SetupCode != "" {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return nil
	}
	p := s.newPage(r, "title.login")
	p.Data = safeNext(r.URL.Query().Get("next"))
	s.render(w, http.StatusOK, "login", p)
	return nil
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.login")
	p.Data = safeNext(r.PostForm.Get("next"))
	u, err := s.Users.Authenticate(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), s.clientAddr(r))
	if err == nil {
		err = s.passwordLoginAllowed(u) // sso.go
	}
	if err != nil {
		p.setError(err)
		p.Form = url.Values{"email": {r.PostForm.Get("email")}}
		s.render(w, s.status(r, err), "login", p)
		return nil
	}
	return s.passwordAccepted(w, r, u, p.Data.(string))
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *isms.User, next string) error {
	token, err := s.Users.CreateSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.SessionLifetime.Seconds())})
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	var provider, endSession string
	if c, err := r.Cookie(sessionCookie); err == nil {
		provider, endSession = s.ssoEndSession(r, c.Value) // asked before the session ends
		s.Users.DeleteSession(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	if endSession != "" {
		return s.signedOut(w, r, provider, endSession)
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLanguage stores the user's choice of language in a cookie and sends
// them back to the page they came from.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostForm.Get("lang")
	if lang != i18n.DA && lang != i18n.EN {
		lang = i18n.DA
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	http.Redirect(w, r, safeNext(r.PostForm.Get("back")), http.StatusSeeOther)
	return nil
}

// The first-run page creates the first site administrator. It is open only
// while there are no users, and only to whoever knows the one-time code
// that `isms serve` printed in its terminal.
func (s *Server) setupOpen(r *http.Request) bool {
	if s.cfg.SetupCode == "" {
		return false
	}
	n, err := s.Users.CountUsers(r.Context())
	return err == nil && n == 0
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) error {
	if !s.setupOpen(r) {
		return isms.Errorf(isms.ENotFound, "err.setup_closed")
	}
	s.render(w, http.StatusOK, "setup", s.newPage(r, "title.setup"))
	return nil
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) error {
	if !s.setupOpen(r) {
		return isms.Errorf(isms.ENotFound, "err.setup_closed")
	}
	p := s.newPage(r, "title.setup")
	f := r.PostForm
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(f.Get("code"))), []byte(s.cfg.SetupCode)) != 1 {
		return s.formRefused(r, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "code", Key: "err.setup_code"}}}, p, nil, s.show(w, "setup"))
	}
	if f.Get("password") != f.Get("password2") {
		return s.formRefused(r, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "password2", Key: "err.passwords_differ"}}}, p, nil, s.show(w, "setup"))
	}
	u, err := s.Users.CreateUser(r.Context(), f.Get("email"), f.Get("name"), f.Get("password"), true)
	if err != nil {
		return s.formRefused(r, err, p, nil, s.show(w, "setup"))
	}
	return s.startSession(w, r, u, "/")
}

type accountData struct {
	Tokens   []*isms.APIToken
	NewToken string
	// Digest is the caller's choice for notification mails, Digests the
	// choices (notifications.go).
	Digest  isms.NotificationDigest
	Digests []isms.NotificationDigest
	// Factors are the caller's second factors; RequiredSecondFactor says
	// the site or an organisation requires one (mfa.go).
	Factors              *isms.SecondFactors
	RequiredSecondFactor bool
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, s.newPage(r, "title.account"), "", http.StatusOK)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, p *page, newToken string, status int) error {
	tokens, err := s.Users.APITokens(r.Context())
	if err != nil {
		return err
	}
	prefs, err := s.Notifications.NotificationPreferences(r.Context())
	if err != nil {
		return err
	}
	digest := prefs.Digest
	if d := isms.NotificationDigest(p.Form.Get("digest")); p.Error != "" && d != "" {
		digest = d // show again what was chosen
	}
	d := accountData{Tokens: tokens, NewToken: newToken, Digest: digest, Digests: isms.NotificationDigests}
	if s.SecondFactors != nil {
		if d.Factors, err = s.SecondFactors.SecondFactors(r.Context()); err != nil {
			return err
		}
		d.RequiredSecondFactor = s.cfg.RequireSecondFactor
		if !d.RequiredSecondFactor {
			if d.RequiredSecondFactor, err = s.SecondFactors.SecondFactorRequiredByOrganisation(r.Context(), userFrom(r.Context()).ID); err != nil {
				return err
			}
		}
	}
	p.Data = d
	s.render(w, status, "account", p)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	p := s.newPage(r, "title.account")
	var err error
	if f.Get("new_password") != f.Get("new_password2") {
		err = &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "new_password2", Key: "err.passwords_differ"}}}
	} else {
		err = s.Users.ChangePassword(r.Context(), f.Get("old_password"), f.Get("new_password"), s.clientAddr(r))
	}
	if err != nil {
		p.setError(err)
		return s.renderAccount(w, r, p, "", s.status(r, err))
	}
	// Changing the password ends every session, this one too; start anew.
	return s.startSessionFlash(w, r, "flash.password_changed")
}

func (s *Server) startSessionFlash(w http.ResponseWriter, r *http.Request, flash string) error {
	u := userFrom(r.Context())
	token, err := s.Users.CreateSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.SessionLifetime.Seconds())})
	s.redirect(w, r, "/account", flash)
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.account")
	limits, err := tokenLimits(r.PostForm, s.cfg.Now())
	var token string
	if err == nil {
		token, _, err = s.Users.CreateLimitedAPIToken(r.Context(), userFrom(r.Context()).ID, r.PostForm.Get("name"), limits)
	}
	if err != nil {
		p.setError(err)
		return s.renderAccount(w, r, p, "", s.status(r, err))
	}
	// The token is shown once, on this response, and never again.
	w.Header().Set("Cache-Control", "no-store")
	return s.renderAccount(w, r, p, token, http.StatusOK)
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.Users.DeleteAPIToken(r.Context(), id)
	}
	if err != nil {
		return err
	}
	s.redirect(w, r, "/account", "flash.token_deleted")
	return nil
}
