package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Staff acknowledgement of the behaviour policy (guide 2.6): the
// coordinator's page with the secret link (shown once when made), the
// counts per unit against its staff and the list; the public page the
// link opens, where a person reads the published policy and acknowledges
// it without an account; the XLSX of the list and the API.

type ackData struct {
	Status *isms.AcknowledgementStatus
	// URL is the link's address, shown once right after it is made.
	URL string
}

func (s *Server) ackPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAck(w, r, s.newPage(r, "title.acknowledgements"), "", http.StatusOK)
}

func (s *Server) renderAck(w http.ResponseWriter, r *http.Request, p *page, url string, status int) error {
	st, err := s.Acknowledgements.AcknowledgementStatus(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p.Data = ackData{Status: st, URL: url}
	s.render(w, status, "acknowledgements", p)
	return nil
}

// ackLinkCreate makes a new link and shows its address once: the page is
// the response to the POST, not a redirect, so the secret never sits in a
// URL of the browser's history.
func (s *Server) ackLinkCreate(w http.ResponseWriter, r *http.Request) error {
	token, _, err := s.Acknowledgements.CreateAcknowledgementLink(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		if isms.ErrorCode(err) == isms.EConflict {
			p := s.newPage(r, "title.acknowledgements")
			p.setError(err)
			return s.renderAck(w, r, p, "", http.StatusConflict)
		}
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "title.acknowledgements")
	p.Flash = p.T("flash.ack_link_created")
	return s.renderAck(w, r, p, s.baseURL(r)+"/ack/"+token, http.StatusOK)
}

func (s *Server) ackLinkRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.Acknowledgements.RevokeAcknowledgementLink(r.Context(), orgFrom(r.Context()).ID); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/awareness/acknowledgements"), "flash.ack_link_revoked")
	return nil
}

// ackExport writes the acknowledgements of the published version, newest
// first, after the counts per unit.
func (s *Server) ackExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	st, err := s.Acknowledgements.AcknowledgementStatus(r.Context(), org.ID)
	if err != nil {
		return err
	}
	t := translator(i18n.Negotiate(r))
	list := export.Sheet{Name: t("ack.export.sheet"), Title: t("ack.export.title", st.DocumentTitle, st.PublishedVersion, org.Name,
		isms.DateOf(s.cfg.Now()).String()), Widths: []float64{30, 34, 26, 20}}
	list.Header = []string{t("field.name"), t("field.email"), t("field.unit_id"), t("ack.when")}
	for _, a := range st.Acknowledgements {
		list.Rows = append(list.Rows, export.Row{Cells: []any{a.Name, a.Email, a.UnitName, a.AcknowledgedAt}})
	}
	units := export.Sheet{Name: t("ack.export.units_sheet"), Title: t("ack.per_unit"), Widths: []float64{30, 14, 16, 12}}
	units.Header = []string{t("field.unit_id"), t("ack.staff"), t("ack.count"), t("ack.percent")}
	for _, u := range st.Units {
		name := u.UnitName
		if u.UnitID == 0 {
			name = t("ack.no_unit")
		}
		units.Rows = append(units.Rows, export.Row{Cells: []any{name, u.StaffCount, u.Count, u.Percent}})
	}
	s.streamXLSX(w, "acknowledgements export", t("ack.export.file")+".xlsx", []export.Sheet{list, units})
	return nil
}

// The public page the link opens. It needs no account; a wrong or revoked
// link is "not found", like any address that does not exist.

type ackPublicData struct {
	Page  *isms.AcknowledgementPage
	Token string
	// Done is set after an acknowledgement, Again when the address had
	// already acknowledged this version.
	Done, Again bool
}

func (s *Server) ackPublicPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAckPublic(w, r, s.newPage(r, "title.ack_public"), ackPublicData{}, http.StatusOK)
}

func (s *Server) renderAckPublic(w http.ResponseWriter, r *http.Request, p *page, d ackPublicData, status int) error {
	// The address holds the secret: keep it out of caches.
	w.Header().Set("Cache-Control", "no-store")
	d.Token = r.PathValue("token")
	pg, err := s.Acknowledgements.AcknowledgementPage(r.Context(), d.Token)
	if err != nil {
		return err
	}
	d.Page = pg
	p.Data = d
	s.render(w, status, "acknowledgement_public", p)
	return nil
}

func (s *Server) ackPublicSubmit(w http.ResponseWriter, r *http.Request) error {
	if ok, wait := s.acks.allow(s.clientAddr(r), s.cfg.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		return isms.Errorf(isms.ETooMany, "ack.err.too_many", int(wait/time.Second)+1)
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.AcknowledgementInput{Name: f.Get("name"), Email: f.Get("email"), UnitID: parseOptionalID(&v, "unit_id", f.Get("unit_id")),
		Accept: parseFlag(f.Get("accept"))}
	err := v.Err()
	created := false
	if err == nil {
		created, err = s.Acknowledgements.Acknowledge(r.Context(), r.PathValue("token"), in)
	}
	p := s.newPage(r, "title.ack_public")
	if err != nil {
		if isms.ErrorCode(err) != isms.EInvalid {
			return err
		}
		p.setError(err)
		p.Form = r.PostForm
		return s.renderAckPublic(w, r, p, ackPublicData{}, http.StatusUnprocessableEntity)
	}
	return s.renderAckPublic(w, r, p, ackPublicData{Done: true, Again: !created}, http.StatusOK)
}

// AckLinkCreated is the API's answer to a new link: its address and
// token, shown this once, and the link's state.
type AckLinkCreated struct {
	Token string                    `json:"token"`
	URL   string                    `json:"url"`
	Link  *isms.AcknowledgementLink `json:"link"`
}

func (s *Server) ackLinkCreateAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	token, link, err := s.Acknowledgements.CreateAcknowledgementLink(r.Context(), org)
	if err != nil {
		return nil, err
	}
	return &AckLinkCreated{Token: token, URL: s.baseURL(r) + "/ack/" + token, Link: link}, nil
}
