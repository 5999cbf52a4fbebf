package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Inviting colleagues. An organisation's administrator invites an address
// to a role on the members page (or through the API); the link goes out by
// mail when an SMTP server is configured, else it is shown to the inviter
// once to pass on. Either way the inviter sees the same whether or not the
// address has an account. The link opens a page that needs no login: a
// person without an account sets their name and password there, one with
// an account logs in and accepts.

// invitePeople is what the members page shows about getting people in.
type invitePeople struct {
	Invitations []*isms.Invitation // the newest, of every state
	// Candidates are the active accounts that are not members, which a
	// site administrator may add directly; nil for everyone else.
	Candidates []*isms.User
	Sent       *sentInvitation // the invitation this response made
}

// sentInvitation is the outcome of inviting: the same page whether or not
// the address has an account.
type sentInvitation struct {
	Invitation *isms.Invitation
	Mailed     bool
	MailFailed bool   // SMTP is configured but the mail did not go
	URL        string // the link, shown once when it was not mailed
}

type sentKey struct{}

func (s *Server) invitePeople(r *http.Request, members []*isms.Membership) (invitePeople, error) {
	var out invitePeople
	out.Sent, _ = r.Context().Value(sentKey{}).(*sentInvitation)
	o := orgFrom(r.Context())
	if o == nil || !o.Access.Can(isms.PermManageMembers) {
		return out, nil
	}
	var err error
	if out.Invitations, _, err = s.Invitations.Invitations(r.Context(), o.ID, isms.InvitationFilter{Limit: 20}); err != nil {
		return out, err
	}
	if u := userFrom(r.Context()); u != nil && u.SiteAdmin {
		users, _, err := s.Accounts.Users(r.Context(), isms.UserFilter{State: isms.UserStateActive, Limit: 500})
		if err != nil {
			return out, err
		}
		member := map[int64]bool{}
		for _, m := range members {
			member[m.UserID] = true
		}
		out.Candidates = []*isms.User{}
		for _, u := range users {
			if !member[u.ID] {
				out.Candidates = append(out.Candidates, u)
			}
		}
	}
	return out, nil
}

// invite makes an invitation and sends it, or returns the link to show.
func (s *Server) invite(r *http.Request, orgID int64, in isms.InvitationInput) (*sentInvitation, error) {
	token, inv, err := s.Invitations.CreateInvitation(r.Context(), orgID, in)
	if err != nil {
		return nil, err
	}
	link := s.baseURL(r) + "/invitations/" + token
	sent := &sentInvitation{Invitation: inv}
	if s.Mail != nil {
		subject, body := invitationMail(i18n.Negotiate(r), userFrom(r.Context()), inv, link)
		if err := s.Mail.Send(r.Context(), "", inv.Email, subject, body); err != nil {
			// The invitation stands; the inviter passes the link on.
			s.log.WarnContext(r.Context(), "invitation mail not sent", "invitation", inv.ID, "err", err)
			sent.MailFailed = true
		} else {
			sent.Mailed = true
		}
	}
	if !sent.Mailed {
		sent.URL = link
	}
	return sent, nil
}

// invitationMail writes the invitation in the inviter's language.
func invitationMail(lang string, from *isms.User, inv *isms.Invitation, link string) (subject, body string) {
	t := translator(lang)
	inviter := inv.InvitedByName
	if from != nil {
		inviter = from.Name
	}
	role := t(i18n.Key("role." + string(inv.Role)))
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(t("invite.mail_body", inviter, inv.OrganisationName, role))
	line("")
	line(t("invite.mail_open", inv.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")))
	line(link)
	line("")
	line(t("invite.mail_ignore"))
	return t("invite.mail_subject", inviter, inv.OrganisationName), b.String()
}

func (s *Server) inviteSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	sent, err := s.invite(r, orgFrom(r.Context()).ID, isms.InvitationInput{Email: f.Get("email"), Role: isms.Role(f.Get("role"))})
	if err != nil {
		return s.memberError(w, r, err)
	}
	// The link is shown on this response only, never in a redirect's
	// address or a cache.
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "title.members")
	return s.renderMembers(w, r.WithContext(context.WithValue(r.Context(), sentKey{}, sent)), p, http.StatusOK)
}

func (s *Server) revokeInvitationSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.Invitations.RevokeInvitation(r.Context(), orgFrom(r.Context()).ID, id)
	}
	if err != nil {
		return s.memberError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/members"), "flash.invitation_revoked")
	return nil
}

// invitationData is the page the link opens.
type invitationData struct {
	Invitation *isms.Invitation
	Token      string
	// Mine is set when the caller is logged in with the invited address.
	Mine bool
}

func (s *Server) invitationPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvitation(w, r, s.newPage(r, "title.invitation"), http.StatusOK)
}

// renderInvitation shows the invitation with what its holder can do. A
// link that is no longer pending says why, with 410 Gone.
func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	// The address holds the secret: keep it out of caches.
	w.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	inv, err := s.Invitations.InvitationByToken(r.Context(), token)
	if err != nil {
		return err
	}
	if inv.State != isms.InvitationPending && status == http.StatusOK {
		status = http.StatusGone
	}
	d := invitationData{Invitation: inv, Token: token}
	if u := userFrom(r.Context()); u != nil && u.Email == inv.Email {
		d.Mine = true
	}
	p.Data = d
	s.render(w, status, "invitation", p)
	return nil
}

// invitationSignUpSubmit creates the invited address's account and
// accepts the invitation with it.
func (s *Server) invitationSignUpSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	var u *isms.User
	var inv *isms.Invitation
	var err error
	if userFrom(r.Context()) != nil {
		// A logged-in person accepts with their account, not a new one.
		return s.invitationAcceptSubmit(w, r)
	}
	if f.Get("password") != f.Get("password2") {
		err = passwordsDiffer("password2")
	} else {
		u, inv, err = s.Invitations.AcceptInvitation(r.Context(), r.PathValue("token"), isms.Acceptance{Name: f.Get("name"), Password: f.Get("password")})
	}
	if err != nil {
		return s.invitationError(w, r, err)
	}
	next := fmt.Sprintf("/orgs/%d", inv.OrganisationID)
	if must, err := s.mustEnrolSecondFactor(r, u); err != nil {
		return err
	} else if must {
		// The new account has a password and must have a second factor
		// too: it sets one up before anything else (mfa.go).
		return s.passwordAccepted(w, r, u, next)
	}
	return s.loginAndGo(w, r, u, next, "flash.invitation_accepted")
}

// invitationAcceptSubmit accepts the invitation with the logged-in
// person's account; without a login it sends them to log in first.
func (s *Server) invitationAcceptSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if userFrom(r.Context()) == nil {
		http.Redirect(w, r, "/login?next="+url.QueryEscape("/invitations/"+token), http.StatusSeeOther)
		return nil
	}
	_, inv, err := s.Invitations.AcceptInvitation(r.Context(), token, isms.Acceptance{})
	if err != nil {
		return s.invitationError(w, r, err)
	}
	s.redirect(w, r, fmt.Sprintf("/orgs/%d", inv.OrganisationID), "flash.invitation_accepted")
	return nil
}

// invitationError shows the invitation again with what went wrong.
func (s *Server) invitationError(w http.ResponseWriter, r *http.Request, err error) error {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict, isms.EForbidden:
		p := s.newPage(r, "title.invitation")
		p.setError(err)
		p.Form = r.PostForm
		p.Form.Del("password")
		p.Form.Del("password2")
		return s.renderInvitation(w, r, p, s.status(r, err))
	}
	return err
}

// loginAndGo starts a session for someone who has just made their account.
func (s *Server) loginAndGo(w http.ResponseWriter, r *http.Request, u *isms.User, to, flash string) error {
	token, err := s.Users.CreateSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(isms.SessionLifetime.Seconds())})
	s.redirect(w, r, to, flash)
	return nil
}

// InvitationCreated is the API's answer to an invitation: the invitation,
// whether it was mailed, and the link when it was not (shown this once).
type InvitationCreated struct {
	Invitation *isms.Invitation `json:"invitation"`
	Mailed     bool             `json:"mailed"`
	URL        string           `json:"url,omitempty"`
}
