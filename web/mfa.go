package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strconv"

	"github.com/pquerna/otp"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The second step of a login (mfa.go at the root). After the password a
// person with a second factor, or one who must have one, holds a pending
// login (a cookie naming a row in the database, five minutes) and no
// session; the session starts when the second step passes. A person who
// must have a second factor and has none enrols an authenticator app
// there, before anything else.

// pendingCookie names the pending login; it is sent to /login pages only.
const pendingCookie = "isms_login"

// passwordAccepted is where a password login would start its session: a
// second factor, when the person has one or must have one, comes first.
// Single sign-on does not come through here; the identity provider asks
// for its own second factor.
func (s *Server) passwordAccepted(w http.ResponseWriter, r *http.Request, u *isms.User, next string) error {
	if s.SecondFactors == nil {
		return s.startSession(w, r, u, next)
	}
	f, err := s.SecondFactors.UserSecondFactors(r.Context(), u.ID)
	if err != nil {
		return err
	}
	required := s.cfg.RequireSecondFactor
	if !required && !f.Any() {
		if required, err = s.SecondFactors.SecondFactorRequiredByOrganisation(r.Context(), u.ID); err != nil {
			return err
		}
	}
	if !f.Any() && !required {
		return s.startSession(w, r, u, next)
	}
	token, err := s.SecondFactors.StartPendingLogin(r.Context(), u.ID, next)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: token, Path: "/login", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.PendingLoginLifetime.Seconds())})
	if f.Any() {
		http.Redirect(w, r, "/login/second-factor", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/login/enrol", http.StatusSeeOther)
	}
	return nil
}

// mustEnrolSecondFactor tells whether a person who has just made their
// account with a password (an invitation) must set up a second factor
// before their first session.
func (s *Server) mustEnrolSecondFactor(r *http.Request, u *isms.User) (bool, error) {
	if s.SecondFactors == nil {
		return false, nil
	}
	if s.cfg.RequireSecondFactor {
		return true, nil
	}
	return s.SecondFactors.SecondFactorRequiredByOrganisation(r.Context(), u.ID)
}

// pending reads the request's pending login; a browser without a live one
// is sent back to the password step.
func (s *Server) pending(w http.ResponseWriter, r *http.Request) (string, *isms.PendingLogin, bool) {
	c, err := r.Cookie(pendingCookie)
	if err == nil && c.Value != "" {
		if p, err := s.SecondFactors.PendingLogin(r.Context(), c.Value); err == nil {
			return c.Value, p, true
		}
	}
	s.redirect(w, r, "/login", "err.login_expired")
	return "", nil, false
}

// sessionStarted sets the session cookie of a login the second step
// finished, and forgets the pending one.
func (s *Server) sessionStarted(w http.ResponseWriter, session string) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Path: "/login", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: session, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.SessionLifetime.Seconds())})
}

type secondStepData struct {
	Factors *isms.SecondFactors
}

func (s *Server) secondStepPage(w http.ResponseWriter, r *http.Request) error {
	_, p, ok := s.pending(w, r)
	if !ok {
		return nil
	}
	if !p.Factors.Any() {
		http.Redirect(w, r, "/login/enrol", http.StatusSeeOther)
		return nil
	}
	pg := s.newPage(r, "title.second_factor")
	pg.Data = secondStepData{Factors: p.Factors}
	s.render(w, http.StatusOK, "mfa_step", pg)
	return nil
}

func (s *Server) secondStepSubmit(w http.ResponseWriter, r *http.Request) error {
	token, p, ok := s.pending(w, r)
	if !ok {
		return nil
	}
	_, session, err := s.SecondFactors.CompleteWithCode(r.Context(), token, r.PostForm.Get("code"), s.clientAddr(r))
	if err != nil {
		if isms.AsError(err) != nil && isms.AsError(err).Key == "err.login_expired" {
			s.redirect(w, r, "/login", "err.login_expired")
			return nil
		}
		pg := s.newPage(r, "title.second_factor")
		pg.setError(err)
		pg.Data = secondStepData{Factors: p.Factors}
		setRetryAfter(w, s.status(r, err))
		s.render(w, s.status(r, err), "mfa_step", pg)
		return nil
	}
	s.sessionStarted(w, session)
	http.Redirect(w, r, safeNext(p.Next), http.StatusSeeOther)
	return nil
}

// totpIssuer is the name an authenticator app shows beside the code.
func totpIssuer(r *http.Request) string { return "ISMS (" + r.Host + ")" }

// totpData is the enrolment page: the QR code, the secret as text for
// typing in, and where the confirmation goes.
type totpData struct {
	QR     template.URL
	Secret string
	Action string
}

// newTOTPData draws the enrolment's QR code as a PNG data: URL (the
// Content-Security-Policy allows data: images; nothing leaves the page).
func newTOTPData(e *isms.TOTPEnrolment, action string) (totpData, error) {
	d := totpData{Secret: e.Secret, Action: action}
	key, err := otp.NewKeyFromURL(e.URL)
	if err != nil {
		return d, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return d, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return d, err
	}
	d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
	return d, nil
}

func (s *Server) renderTOTP(w http.ResponseWriter, r *http.Request, pg *page, e *isms.TOTPEnrolment, action string, status int) error {
	d, err := newTOTPData(e, action)
	if err != nil {
		return err
	}
	pg.Data = d
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, status, "mfa_totp", pg)
	return nil
}

// enrolPage is the second step of a person who must have a second factor
// and has none: an authenticator app, before anything else.
func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) error {
	token, p, ok := s.pending(w, r)
	if !ok {
		return nil
	}
	if p.Factors.Any() {
		http.Redirect(w, r, "/login/second-factor", http.StatusSeeOther)
		return nil
	}
	e, err := s.SecondFactors.BeginPendingTOTP(r.Context(), token, totpIssuer(r))
	if err != nil {
		return err
	}
	pg := s.newPage(r, "title.second_factor_enrol")
	pg.Flash = pg.T("mfa.required")
	return s.renderTOTP(w, r, pg, e, "/login/enrol", http.StatusOK)
}

func (s *Server) enrolSubmit(w http.ResponseWriter, r *http.Request) error {
	token, p, ok := s.pending(w, r)
	if !ok {
		return nil
	}
	u, session, codes, err := s.SecondFactors.ConfirmPendingTOTP(r.Context(), token, r.PostForm.Get("code"), s.clientAddr(r))
	if err != nil {
		pg := s.newPage(r, "title.second_factor_enrol")
		pg.setError(err)
		e, berr := s.SecondFactors.BeginPendingTOTP(r.Context(), token, totpIssuer(r))
		if berr != nil {
			return berr
		}
		setRetryAfter(w, s.status(r, err))
		return s.renderTOTP(w, r, pg, e, "/login/enrol", s.status(r, err))
	}
	s.sessionStarted(w, session)
	s.mailSecondFactorChange(r, u, "mfa.mail.totp_enrolled")
	pg := s.newPage(r, "title.recovery_codes")
	pg.User = u
	return s.renderCodes(w, pg, codes, safeNext(p.Next))
}

type codesData struct {
	Codes []string
	Next  string
}

// renderCodes shows recovery codes, once: the response is not stored.
func (s *Server) renderCodes(w http.ResponseWriter, pg *page, codes []string, next string) error {
	pg.Data = codesData{Codes: codes, Next: next}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "mfa_codes", pg)
	return nil
}

// mailSecondFactorChange tells the person, where mail is set up, that a
// second factor was added or removed on their account: if they did not do
// it, someone else holds their session.
func (s *Server) mailSecondFactorChange(r *http.Request, u *isms.User, what i18n.Key) {
	if s.Mail == nil || u == nil {
		return
	}
	lang := i18n.Negotiate(r)
	subject := i18n.T(lang, "mfa.mail.subject")
	body := i18n.T(lang, "mfa.mail.body", u.Name, i18n.T(lang, what), s.cfg.Now().Format("2006-01-02 15:04 MST"), s.baseURL(r)+"/account")
	if err := s.Mail.Send(r.Context(), u.Name, u.Email, subject, body); err != nil {
		s.log.Warn("second factor mail", "user", u.ID, "err", err)
	}
}

// Account page: the person's own second factors.

func (s *Server) totpBegin(w http.ResponseWriter, r *http.Request) error {
	e, err := s.SecondFactors.BeginTOTP(r.Context(), totpIssuer(r))
	if err != nil {
		return err
	}
	return s.renderTOTP(w, r, s.newPage(r, "title.second_factor_enrol"), e, "/account/totp/confirm", http.StatusOK)
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request) error {
	codes, err := s.SecondFactors.ConfirmTOTP(r.Context(), r.PostForm.Get("code"), s.clientAddr(r))
	if err != nil {
		pg := s.newPage(r, "title.second_factor_enrol")
		pg.setError(err)
		e, berr := s.SecondFactors.BeginTOTP(r.Context(), totpIssuer(r))
		if berr != nil {
			return berr
		}
		setRetryAfter(w, s.status(r, err))
		return s.renderTOTP(w, r, pg, e, "/account/totp/confirm", s.status(r, err))
	}
	s.mailSecondFactorChange(r, userFrom(r.Context()), "mfa.mail.totp_enrolled")
	pg := s.newPage(r, "title.recovery_codes")
	pg.Flash = pg.T("flash.totp_enrolled")
	return s.renderCodes(w, pg, codes, "/account")
}

func (s *Server) totpRemove(w http.ResponseWriter, r *http.Request) error {
	if err := s.SecondFactors.RemoveTOTP(r.Context()); err != nil {
		return err
	}
	s.mailSecondFactorChange(r, userFrom(r.Context()), "mfa.mail.totp_removed")
	s.redirect(w, r, "/account#h-mfa", "flash.totp_removed")
	return nil
}

func (s *Server) recoveryCodesRegenerate(w http.ResponseWriter, r *http.Request) error {
	codes, err := s.SecondFactors.RegenerateRecoveryCodes(r.Context())
	if err != nil {
		return err
	}
	s.mailSecondFactorChange(r, userFrom(r.Context()), "mfa.mail.codes_regenerated")
	return s.renderCodes(w, s.newPage(r, "title.recovery_codes"), codes, "/account")
}

func (s *Server) passkeyRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.SecondFactors.RemovePasskey(r.Context(), id)
	}
	if err != nil {
		return err
	}
	s.mailSecondFactorChange(r, userFrom(r.Context()), "mfa.mail.passkey_removed")
	s.redirect(w, r, "/account#h-mfa", "flash.passkey_removed")
	return nil
}

// userSecondFactorReset removes a person's second factors (site
// administrators, on the person's page).
func (s *Server) userSecondFactorReset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.SecondFactors.ResetSecondFactors(r.Context(), id)
	}
	if err != nil {
		return err
	}
	if u, err := s.Accounts.Account(r.Context(), id); err == nil {
		s.mailSecondFactorChange(r, u, "mfa.mail.reset")
	}
	s.redirect(w, r, "/users/"+strconv.FormatInt(id, 10), "flash.second_factors_reset")
	return nil
}

// orgSecondFactorSubmit sets whether the organisation's members must have
// a second factor (settings page).
func (s *Server) orgSecondFactorSubmit(w http.ResponseWriter, r *http.Request) error {
	o := orgFrom(r.Context())
	if err := s.SecondFactors.SetOrganisationRequiresSecondFactor(r.Context(), o.ID, r.PostForm.Get("required") == "on"); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/settings"), "flash.saved")
	return nil
}
