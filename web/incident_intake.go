package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// The public reporting link for security events (guide 2.9): managed on
// the incident settings page, where the coordinator turns it on, makes a
// new one or turns it off, and the address is shown once right after it
// is made; the public page /report/{token} with the short event form;
// and the API.
//
// Cross-site request forgery: the public form has no session to ride on,
// so a forged submission gains an attacker nothing they could not do by
// posting to the link themselves, and that needs the secret in the
// address. A form nonce would add nothing the token does not already
// give. The form still sits behind the server's CrossOriginProtection
// (browsers' Fetch metadata), so another site cannot make a visitor's
// browser post reports, and the throttle bounds how fast one client can
// post with the token.

// Per client address: 10 reports at once, then one every 30 seconds
// (120 an hour) — far above what staff report, low enough that a leaked
// link cannot flood the triage list.
const (
	reportBurst  = 10
	reportPerSec = 1.0 / 30
)

// publicReportMaxBody bounds the public report form: its fields come to
// at most some 21 000 characters.
const publicReportMaxBody = 128 << 10

// limitPublicBodies caps the bodies of the public forms below the
// server's general limit, before anything reads them (refuseNUL parses
// every form): whoever holds a link needs no more than its form takes.
func limitPublicBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Body != nil {
			switch {
			case strings.HasPrefix(r.URL.Path, "/report/"):
				r.Body = http.MaxBytesReader(w, r.Body, publicReportMaxBody)
			case strings.HasPrefix(r.URL.Path, "/questionnaire/"):
				r.Body = http.MaxBytesReader(w, r.Body, publicQuestionnaireMaxBody)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// intakeView is the link's part of the incident settings page.
type intakeView struct {
	Link *isms.IncidentIntakeLink
	// URL is the address, shown once right after the link is made.
	URL string
}

func (s *Server) intakeView(r *http.Request, url string) (intakeView, error) {
	l, err := s.IncidentIntake.IncidentIntakeLink(r.Context(), orgFrom(r.Context()).ID)
	return intakeView{Link: l, URL: url}, err
}

// intakeLinkCreate turns the link on or makes a new one, and shows the
// address once: the page is the answer to the POST, not a redirect, so
// the secret never sits in the browser's history.
func (s *Server) intakeLinkCreate(w http.ResponseWriter, r *http.Request) error {
	token, _, err := s.IncidentIntake.CreateIncidentIntakeLink(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "title.incident_settings")
	p.Flash = p.T("pub.flash.link_created")
	return s.renderIncSettings(w, r, p, s.baseURL(r)+"/report/"+token, http.StatusOK)
}

func (s *Server) intakeLinkRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.IncidentIntake.RevokeIncidentIntakeLink(r.Context(), orgFrom(r.Context()).ID); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/incidents/settings"), "pub.flash.link_revoked")
	return nil
}

// The public page.

type reportPublicData struct {
	Page       *isms.IncidentIntakePage
	Token      string
	Day, Clock string
	Done       bool
}

func (s *Server) reportPublicPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReportPublic(w, r, s.newPage(r, "title.report_public"), false, http.StatusOK)
}

func (s *Server) renderReportPublic(w http.ResponseWriter, r *http.Request, p *page, done bool, status int) error {
	// The address holds the secret: keep it out of caches.
	w.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	pg, err := s.IncidentIntake.IncidentIntakePage(r.Context(), token)
	if err != nil {
		return err
	}
	now := s.cfg.Now().UTC()
	p.Data = reportPublicData{Page: pg, Token: token, Day: dayOf(&now), Clock: clockOf(&now), Done: done}
	s.render(w, status, "incident_report_public", p)
	return nil
}

func (s *Server) reportPublicSubmit(w http.ResponseWriter, r *http.Request) error {
	if ok, wait := s.reports.allow(s.clientAddr(r), s.cfg.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		return isms.Errorf(isms.ETooMany, "pub.err.too_many", int(wait/time.Second)+1)
	}
	in, err := incEventFromForm(r)
	if err == nil {
		err = s.IncidentIntake.ReportEventByLink(r.Context(), r.PathValue("token"), in)
	}
	p := s.newPage(r, "title.report_public")
	if err != nil {
		if isms.ErrorCode(err) != isms.EInvalid {
			return err
		}
		p.setError(err)
		p.Form = r.PostForm
		return s.renderReportPublic(w, r, p, false, http.StatusUnprocessableEntity)
	}
	return s.renderReportPublic(w, r, p, true, http.StatusOK)
}

// IntakeLinkCreated is the API's answer to a new reporting link: its
// address and token, shown this once, and the link's state.
type IntakeLinkCreated struct {
	Token string                   `json:"token"`
	URL   string                   `json:"url"`
	Link  *isms.IncidentIntakeLink `json:"link"`
}

func (s *Server) intakeLinkCreateAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	token, link, err := s.IncidentIntake.CreateIncidentIntakeLink(r.Context(), org)
	if err != nil {
		return nil, err
	}
	return &IntakeLinkCreated{Token: token, URL: s.baseURL(r) + "/report/" + token, Link: link}, nil
}
