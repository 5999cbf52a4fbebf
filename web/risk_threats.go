package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// Threats: the shipped catalogue and the organisation's own catalogues
// and threats.

type threatListData struct {
	Catalogues []*isms.ThreatCatalogue
	Threats    []*isms.Threat
	Filter     isms.ThreatFilter
	Groups     []string
	HasOwn     bool
}

func threatFilterFrom(r *http.Request) (isms.ThreatFilter, error) {
	q := r.URL.Query()
	f := isms.ThreatFilter{Group: q.Get("group"), Query: q.Get("q"), Status: isms.EntryStatus(q.Get("status"))}
	var v isms.Validation
	if f.Group != "" && !isms.ValidThreatGroup(f.Group) {
		v.Add("threat_group", "err.choice")
	}
	f.CatalogueID = queryID(&v, q, "catalogue", "catalogue_id")
	return f, v.Err()
}

func (s *Server) threatListPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderThreatList(w, r, s.newPage(r, "title.risk_threats"), http.StatusOK)
}

func (s *Server) renderThreatList(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	f, err := threatFilterFrom(r)
	if err != nil {
		return err
	}
	d := threatListData{Filter: f, Groups: isms.ThreatGroups}
	if d.Catalogues, err = s.Risk.ThreatCatalogues(r.Context(), org.ID); err != nil {
		return err
	}
	for _, c := range d.Catalogues {
		d.HasOwn = d.HasOwn || !c.Builtin
	}
	if d.Threats, err = s.Risk.Threats(r.Context(), org.ID, f); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "threat_list", p)
	return nil
}

func (s *Server) threatCatalogueCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	_, err := s.Risk.CreateThreatCatalogue(r.Context(), orgFrom(r.Context()).ID, isms.ThreatCatalogueInput{
		Name: r.PostForm.Get("catalogue_name"), Description: r.PostForm.Get("description")})
	if err != nil {
		// A catalogue's name taken (a conflict) gets the error page.
		if isms.ErrorCode(err) != isms.EInvalid {
			return err
		}
		return s.formRefused(r, err, s.newPage(r, "title.risk_threats"), nil,
			func(p *page, status int) error { return s.renderThreatList(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/threats"), "flash.saved")
	return nil
}

func (s *Server) threatCatalogueUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		_, err = s.Risk.UpdateThreatCatalogue(r.Context(), orgFrom(r.Context()).ID, id, isms.ThreatCatalogueInput{
			Name: r.PostForm.Get("catalogue_name"), Description: r.PostForm.Get("description"), Version: formVersion(r)})
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.risk_threats"), nil,
			func(p *page, status int) error { return s.renderThreatList(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/threats"), "flash.saved")
	return nil
}

type threatFormData struct {
	Threat     *isms.Threat
	Catalogues []*isms.ThreatCatalogue
	Groups     []string
	Kinds      []isms.AssetKind
	Statuses   []isms.EntryStatus
	History    []historyItem
}

// HasKind tells the form whether a kind is ticked: from the submitted form
// or the stored threat.
func (d threatFormData) HasKind(p *page, k isms.AssetKind) bool {
	if p.Form != nil {
		for _, v := range p.Form["asset_kinds"] {
			if v == string(k) {
				return true
			}
		}
		return false
	}
	if d.Threat == nil {
		return false
	}
	for _, x := range d.Threat.AssetKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Field is a stored text field of the threat, "" for a new one.
func (d threatFormData) Field(name string) string {
	t := d.Threat
	if t == nil {
		return ""
	}
	return map[string]string{"threat_name_da": t.NameDA, "threat_name_en": t.NameEN,
		"threat_description_da": t.DescriptionDA, "threat_description_en": t.DescriptionEN}[name]
}

// Affects tells whether a property is ticked.
func (d threatFormData) Affects(p *page, prop string) bool {
	if p.Form != nil {
		return p.Form.Get("affects_"+prop) != ""
	}
	if d.Threat == nil {
		return false
	}
	a := d.Threat.Affects
	return map[string]bool{"c": a.Confidentiality, "i": a.Integrity, "a": a.Availability}[prop]
}

func (s *Server) threatForm(w http.ResponseWriter, r *http.Request, p *page, t *isms.Threat, status int) error {
	org := orgFrom(r.Context())
	d := threatFormData{Threat: t, Groups: isms.ThreatGroups, Kinds: isms.AssetKinds, Statuses: isms.EntryStatuses}
	cats, err := s.Risk.ThreatCatalogues(r.Context(), org.ID)
	if err != nil {
		return err
	}
	for _, c := range cats {
		if !c.Builtin {
			d.Catalogues = append(d.Catalogues, c)
		}
	}
	if t != nil {
		if d.History, err = s.history(r, "threat", t.ID); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, status, "threat_form", p)
	return nil
}

func (s *Server) threatNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.threatForm(w, r, s.newPage(r, "title.risk_threat_new"), nil, http.StatusOK)
}

// threatPage shows a threat: a shipped one read-only, an own one as its
// form.
func (s *Server) threatPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadThreat(r)
	if err != nil {
		return err
	}
	return s.threatForm(w, r, s.newPage(r, "title.risk_threat"), t, http.StatusOK)
}

func threatInputFromForm(r *http.Request) (isms.ThreatInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ThreatInput{Group: f.Get("threat_group"), NameDA: f.Get("threat_name_da"), NameEN: f.Get("threat_name_en"),
		DescriptionDA: f.Get("threat_description_da"), DescriptionEN: f.Get("threat_description_en"), Status: isms.EntryStatus(f.Get("status")),
		Affects: isms.Affects{Confidentiality: parseFlag(f.Get("affects_c")), Integrity: parseFlag(f.Get("affects_i")), Availability: parseFlag(f.Get("affects_a"))},
		Version: parseVersion(f.Get("version"))}
	in.CatalogueID = int64(formInt(&v, "catalogue_id", f.Get("catalogue_id"), 0))
	for _, k := range f["asset_kinds"] {
		in.AssetKinds = append(in.AssetKinds, isms.AssetKind(k))
	}
	return in, v.Err()
}

func (s *Server) threatFormError(w http.ResponseWriter, r *http.Request, t *isms.Threat, err error) error {
	current := versionOf(t, func(t *isms.Threat) int64 { return t.Version })
	return s.formRefused(r, err, s.newPage(r, "title.risk_threat"), current,
		func(p *page, status int) error { return s.threatForm(w, r, p, t, status) })
}

func (s *Server) threatCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	in, err := threatInputFromForm(r)
	if err == nil {
		_, err = s.Risk.CreateThreat(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		return s.threatFormError(w, r, nil, err)
	}
	s.redirect(w, r, p0(r, "/threats"), "flash.risk_threat_added")
	return nil
}

func (s *Server) threatUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadThreat(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, threatInputFromForm, s.Risk.UpdateThreat, orgFrom(r.Context()).ID, t.ID,
		idPath("/threats/", t.ID), func(err error) error { return s.threatFormError(w, r, t, err) })
}

// loadThreat reads the threat of the path's {id}: a shipped one or one of
// the organisation's own.
func (s *Server) loadThreat(r *http.Request) (*isms.Threat, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risk.Threat(r.Context(), orgFrom(r.Context()).ID, id)
}
