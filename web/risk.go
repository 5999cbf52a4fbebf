package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Risk management (guide 2.3): the risk register with its filters and
// heat map, each risk with its treatment and management's acceptance. The
// assets, threats, method, assessments, treatment plan and import have
// their own files.

// riskDue puts what risk management has due on the dashboard.
func riskDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	items, err := s.Risk.RiskAgenda(r.Context(), orgID, until)
	if err != nil {
		return nil, err
	}
	today := isms.DateOf(s.cfg.Now())
	out := make([]dueItem, 0, len(items))
	for _, it := range items {
		out = append(out, dueItem{Label: it.Label, Kind: it.Kind, Due: it.Due, Overdue: it.Due.Before(today), Path: it.Path})
	}
	return out, nil
}

// riskUI helps the risk templates show levels, bands and controls in the
// reader's language with the organisation's scale.
type riskUI struct {
	M     *isms.RiskMethod
	Lang  string
	Today isms.Date
	// controls are the controls a risk can name, looked up by id with a
	// scan: a page names a few, and a map of a hundred built for each
	// page cost more than the scans.
	controls []*isms.RiskControlRef
}

func (s *Server) riskUI(r *http.Request, lang string, withControls bool) (riskUI, error) {
	org := orgFrom(r.Context())
	m, err := s.Risk.RiskMethod(r.Context(), org.ID)
	if err != nil {
		return riskUI{}, err
	}
	u := riskUI{M: m, Lang: lang, Today: isms.DateOf(s.cfg.Now())}
	if withControls {
		if u.controls, err = s.Risk.RiskControlOptions(r.Context(), org.ID); err != nil {
			return riskUI{}, err
		}
	}
	return u, nil
}

// Band is a band's label.
func (u riskUI) Band(key string) string {
	if b := u.M.Scale.BandByKey(key); b != nil {
		return b.Label(u.Lang)
	}
	return key
}

// Swatch is a small square in a band's colour, for beside its name.
func (u riskUI) Swatch(key string) (template.HTML, error) {
	if b := u.M.Scale.BandByKey(key); b != nil {
		return draw("swatch.svg", b.Color)
	}
	return "", nil
}

// Level shows a risk level: its band in colour and words, and the score,
// each kept on one line (a narrow column breaks between the two).
func (u riskUI) Level(l isms.RiskLevel) (template.HTML, error) {
	var color string
	if b := u.M.Scale.BandByKey(l.Band); b != nil {
		color = b.Color
	}
	return draw("risk_level", struct{ Color, Band, Score string }{color, u.Band(l.Band), fmt.Sprintf("(%d×%d=%d)", l.Likelihood, l.Consequence, l.Score)})
}

// L is a likelihood level with its label.
func (u riskUI) L(n int) string {
	if n < 1 || n > len(u.M.Scale.Likelihood) {
		return i18n.T(u.Lang, "risk.not_rated")
	}
	return fmt.Sprintf("%d · %s", n, u.M.Scale.Likelihood[n-1].In(u.Lang))
}

// C is a consequence level with its label.
func (u riskUI) C(n int) string {
	if n < 1 || n > len(u.M.Scale.Consequence) {
		return i18n.T(u.Lang, "risk.not_affected")
	}
	return fmt.Sprintf("%d · %s", n, u.M.Scale.Consequence[n-1].In(u.Lang))
}

// Levels are the scale's levels, for selects.
func (u riskUI) Levels() []int {
	out := make([]int, u.M.Scale.Size)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// control is the control of an id, nil when there is none.
func (u riskUI) control(id int64) *isms.RiskControlRef {
	for _, c := range u.controls {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Control names a control: its reference and title.
func (u riskUI) Control(id int64) string {
	if c := u.control(id); c != nil {
		return c.Ref + " " + c.Title(u.Lang)
	}
	return "#" + strconv.FormatInt(id, 10)
}

// Ref is a control's reference only.
func (u riskUI) Ref(id int64) string {
	if c := u.control(id); c != nil {
		return c.Ref
	}
	return "#" + strconv.FormatInt(id, 10)
}

// Overdue reports whether a day has passed.
func (u riskUI) Overdue(d *isms.Date) bool { return d != nil && d.Before(u.Today) }

// riskFilterFrom reads the register's filter from the query string.
func riskFilterFrom(r *http.Request, limit int) (isms.RiskFilter, error) {
	q := r.URL.Query()
	f := isms.RiskFilter{Grid: q.Get("grid"), Band: q.Get("band"), Treatment: q.Get("treatment"), Query: q.Get("q"), Sort: q.Get("sort"),
		Overdue: parseFlag(q.Get("overdue")), NeedsAcceptance: parseFlag(q.Get("needs_acceptance")), Incomplete: parseFlag(q.Get("incomplete"))}
	var v isms.Validation
	for name, dst := range map[string]*int64{"asset": &f.AssetID, "owner": &f.OwnerID, "assessment": &f.AssessmentID, "threat": &f.ThreatID} {
		*dst = queryIDAtLeast(&v, q, name, name+"_id", 0)
	}
	for name, dst := range map[string]*int{"l": &f.Likelihood, "c": &f.Consequence} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				v.Add("cell", "err.number")
			}
			*dst = n
		}
	}
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type riskRegisterData struct {
	UI    riskUI
	Risks []*isms.Risk // while the rows are rendered (riskRegisterRows)
	// RowsHTML is the page's rows rendered, kept with the filter's page;
	// Shown is how many there are.
	RowsHTML   template.HTML
	Shown      int
	Filter     isms.RiskFilter
	Pager      pager
	Members    []*isms.Membership
	Asset      *isms.Asset
	Assessment *isms.RiskAssessment
	Summary    *isms.RiskSummary
	Treatments []isms.Treatment
	// The links that keep the register's filter: the heat map of the
	// filtered risks and the export of the listed rows. Whole addresses,
	// so that the template escapes them as addresses, not as one query
	// value.
	HeatMapURL, ExportURL string
}

// riskMapFilter names the filters that narrow which risks are counted,
// and riskListFilter those that, with them, decide which rows the
// register lists: the band and the cell of a grid, and the order.
var (
	riskMapFilter  = []string{"asset", "owner", "assessment", "threat", "treatment", "overdue", "needs_acceptance", "incomplete", "q"}
	riskListFilter = append(append([]string{}, riskMapFilter...), "grid", "band", "l", "c", "sort")
)

// riskFilterQuery is the request's filter as a query string of the given
// parameters (paging never carries over).
func riskFilterQuery(r *http.Request, keys []string) string {
	q := url.Values{}
	for _, k := range keys {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// withQuery appends a query string to a path, if there is one.
func withQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

func (s *Server) riskRegisterPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.risk_register")
	org := orgFrom(r.Context())
	f, err := riskFilterFrom(r, 50)
	if err != nil {
		return err
	}
	ui, err := s.riskUI(r, p.Lang, false)
	if err != nil {
		return err
	}
	v, err := s.derived(r, org.ID, "risk_register:"+p.Lang+"?"+r.URL.RawQuery, false, func(r *http.Request) (any, error) {
		return s.riskRegisterRows(r, p, ui, f)
	})
	if err != nil {
		return err
	}
	rows := v.(*registerRows)
	d := riskRegisterData{UI: ui, RowsHTML: rows.HTML, Shown: rows.Shown, Filter: f, Pager: newPager(r, rows.Total, f.Offset, f.Limit), Treatments: isms.Treatments,
		HeatMapURL: withQuery(fmt.Sprintf("/orgs/%d/risks/heatmap", org.ID), riskFilterQuery(r, riskMapFilter)),
		ExportURL:  withQuery(fmt.Sprintf("/orgs/%d/risks/export.xlsx", org.ID), riskFilterQuery(r, riskListFilter))}
	if d.Summary, err = s.Risk.RiskSummary(r.Context(), org.ID); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	if f.AssetID != 0 {
		if d.Asset, err = s.Risk.Asset(r.Context(), org.ID, f.AssetID); err != nil {
			return err
		}
	}
	if f.AssessmentID != 0 {
		if d.Assessment, err = s.Risk.RiskAssessment(r.Context(), org.ID, f.AssessmentID); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, http.StatusOK, "risk_register", p)
	return nil
}

// registerRows is a page of a register with its rows rendered, as kept.
type registerRows struct {
	HTML         template.HTML
	Shown, Total int
}

// riskRegisterRows reads a page of the register for a filter and renders
// its rows: kept until the records change, for each filter, page and
// language, as the rows are most of the page's cost.
func (s *Server) riskRegisterRows(r *http.Request, p *page, ui riskUI, f isms.RiskFilter) (*registerRows, error) {
	risks, total, err := s.Risk.Risks(r.Context(), orgFrom(r.Context()).ID, f)
	if err != nil {
		return nil, err
	}
	h, err := s.fragment("risk_register", "risk_register_rows", p, riskRegisterData{UI: ui, Risks: risks})
	if err != nil {
		return nil, err
	}
	return &registerRows{HTML: h, Shown: len(risks), Total: total}, nil
}

type riskPageData struct {
	UI          riskUI
	Risk        *isms.Risk
	Assessment  *isms.RiskAssessment
	Tasks       []*isms.RiskTask
	Acceptances []*isms.RiskAcceptance
	History     []historyItem
	MaxExpiry   isms.Date
	// Incidents are the security incidents that name the risk.
	Incidents []*isms.IncidentRef
}

func (s *Server) loadRisk(r *http.Request) (*isms.Risk, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risk.Risk(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) riskPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRiskPage(w, r, s.newPage(r, "title.risk"), http.StatusOK)
}

func (s *Server) renderRiskPage(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// What the page shows of the risk is read once per change of the
	// records and kept, for each risk and language: the risk, its
	// assessment, its actions, its acceptances and its history.
	v, err := s.derived(r, orgFrom(r.Context()).ID, fmt.Sprintf("risk:%d:%s", id, p.Lang), false, func(r *http.Request) (any, error) {
		return s.riskPageView(r, p.Lang, id)
	})
	if err != nil {
		return err
	}
	d := *v.(*riskPageData)
	d.MaxExpiry = isms.DateOf(s.cfg.Now().AddDate(3, 0, 0))
	p.Data = d
	s.render(w, status, "risk_risk", p)
	return nil
}

// riskPageView reads what a risk's page shows.
func (s *Server) riskPageView(r *http.Request, lang string, id int64) (*riskPageData, error) {
	org := orgFrom(r.Context())
	rk, err := s.Risk.Risk(r.Context(), org.ID, id)
	if err != nil {
		return nil, err
	}
	d := &riskPageData{Risk: rk}
	if d.UI, err = s.riskUI(r, lang, true); err != nil {
		return nil, err
	}
	if d.Assessment, err = s.Risk.RiskAssessment(r.Context(), org.ID, rk.AssessmentID); err != nil {
		return nil, err
	}
	if d.Tasks, _, err = s.Risk.RiskTasks(r.Context(), org.ID, isms.RiskTaskFilter{RiskID: rk.ID, Limit: 500}); err != nil {
		return nil, err
	}
	if d.Acceptances, err = s.Risk.RiskAcceptances(r.Context(), org.ID, rk.ID); err != nil {
		return nil, err
	}
	if d.History, err = s.history(r, "risk", rk.ID); err != nil {
		return nil, err
	}
	if d.Incidents, err = s.Incidents.IncidentsOfRisk(r.Context(), org.ID, rk.ID); err != nil {
		return nil, err
	}
	return d, nil
}

type riskFormData struct {
	UI          riskUI
	Risk        *isms.Risk
	Assessment  *isms.RiskAssessment
	Assessments []*isms.RiskAssessment
	Threats     []*isms.Threat
	Controls    []*isms.RiskControlRef
	Members     []*isms.Membership
	Treatments  []isms.Treatment
	// Suggested consequences for a new risk, from the asset's needs.
	Suggest isms.Consequences
}

// Existing and Planned are the stored controls, none for a new risk.
func (d riskFormData) Existing() []int64 {
	if d.Risk == nil {
		return nil
	}
	return d.Risk.ExistingControls
}

func (d riskFormData) Planned() []int64 {
	if d.Risk == nil {
		return nil
	}
	return d.Risk.PlannedControls
}

// Cons is the stored or suggested consequence of a dimension, as text.
func (d riskFormData) Cons(dim string) string {
	c := d.Suggest
	if d.Risk != nil {
		c = d.Risk.Consequence
	}
	n := map[string]int{"confidentiality": c.Confidentiality, "integrity": c.Integrity, "availability": c.Availability,
		"organisation": c.Organisation, "citizens": c.Citizens, "society": c.Society}[dim]
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Dims are the consequence dimensions the method assesses.
func (d riskFormData) Dims() []string {
	out := []string{"confidentiality", "integrity", "availability"}
	if d.UI.M.Dimensions.Organisation {
		out = append(out, "organisation")
	}
	if d.UI.M.Dimensions.Citizens {
		out = append(out, "citizens")
	}
	if d.UI.M.Dimensions.Society {
		out = append(out, "society")
	}
	return out
}

func (s *Server) riskForm(w http.ResponseWriter, r *http.Request, p *page, rk *isms.Risk, assessmentID int64, status int) error {
	org := orgFrom(r.Context())
	d := riskFormData{Risk: rk, Treatments: isms.Treatments}
	var err error
	if d.UI, err = s.riskUI(r, p.Lang, false); err != nil {
		return err
	}
	if rk != nil {
		assessmentID = rk.AssessmentID
	}
	if assessmentID != 0 {
		if d.Assessment, err = s.Risk.RiskAssessment(r.Context(), org.ID, assessmentID); err != nil {
			return err
		}
	} else if d.Assessments, _, err = s.Risk.RiskAssessments(r.Context(), org.ID, isms.AssessmentFilter{Limit: 500}); err != nil {
		return err
	}
	if d.Threats, err = s.Risk.Threats(r.Context(), org.ID, isms.ThreatFilter{Status: isms.StatusActive}); err != nil {
		return err
	}
	if d.Controls, err = s.Risk.RiskControlOptions(r.Context(), org.ID); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	if rk == nil && d.Assessment != nil && d.Assessment.AssetID != nil {
		// The asset's needs (1–4) suggest the consequences on the scale.
		n, size := d.Assessment.CurrentNeeds, d.UI.M.Scale.Size
		scale := func(l isms.Level) int {
			if l == 0 {
				return 0
			}
			return max(1, min(size, (int(l)*size+3)/4))
		}
		d.Suggest = isms.Consequences{Confidentiality: scale(n.Confidentiality), Integrity: scale(n.Integrity), Availability: scale(n.Availability)}
	}
	p.Data = d
	s.render(w, status, "risk_form", p)
	return nil
}

func (s *Server) riskNewPage(w http.ResponseWriter, r *http.Request) error {
	var aid int64
	if a := r.URL.Query().Get("assessment"); a != "" {
		aid, _ = strconv.ParseInt(a, 10, 64)
	}
	p := s.newPage(r, "title.risk_new")
	if t := r.URL.Query().Get("threat"); t != "" {
		// A threat chosen on the assessment's page.
		p.Form = url.Values{"threat_id": {t}}
	}
	return s.riskForm(w, r, p, nil, aid, http.StatusOK)
}

func (s *Server) riskEditPage(w http.ResponseWriter, r *http.Request) error {
	rk, err := s.loadRisk(r)
	if err != nil {
		return err
	}
	return s.riskForm(w, r, s.newPage(r, "title.risk_edit"), rk, 0, http.StatusOK)
}

func riskInputFromForm(r *http.Request) (isms.RiskInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.RiskInput{
		Title: f.Get("risk_title"), Description: f.Get("description"), ExistingControlsText: f.Get("existing_controls_text"),
		Treatment: isms.Treatment(f.Get("treatment")), TreatmentNote: f.Get("treatment_note"), Version: parseVersion(f.Get("version")),
		OwnerID:  parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		Deadline: parseOptionalDate(&v, "treatment_deadline", f.Get("treatment_deadline")),
	}
	in.AssessmentID = int64(formInt(&v, "assessment_id", f.Get("assessment_id"), 0))
	in.ThreatID = int64(formInt(&v, "threat_id", f.Get("threat_id"), 0))
	in.Likelihood = formInt(&v, "likelihood", f.Get("likelihood"), 0)
	in.Consequence = isms.Consequences{
		Confidentiality: formInt(&v, "consequence_confidentiality", f.Get("consequence_confidentiality"), 0),
		Integrity:       formInt(&v, "consequence_integrity", f.Get("consequence_integrity"), 0),
		Availability:    formInt(&v, "consequence_availability", f.Get("consequence_availability"), 0),
		Organisation:    formInt(&v, "consequence_organisation", f.Get("consequence_organisation"), 0),
		Citizens:        formInt(&v, "consequence_citizens", f.Get("consequence_citizens"), 0),
		Society:         formInt(&v, "consequence_society", f.Get("consequence_society"), 0),
	}
	in.ResidualLikelihood = formInt(&v, "residual_likelihood", f.Get("residual_likelihood"), 0)
	in.ResidualConsequence = formInt(&v, "residual_consequence", f.Get("residual_consequence"), 0)
	in.ExistingControls = parseIDs(&v, "existing_controls", f["existing_controls"])
	in.PlannedControls = parseIDs(&v, "planned_controls", f["planned_controls"])
	return in, v.Err()
}

func (s *Server) riskFormError(w http.ResponseWriter, r *http.Request, rk *isms.Risk, assessmentID int64, err error) error {
	title := "title.risk_new"
	if rk != nil {
		title = "title.risk_edit"
	}
	current := versionOf(rk, func(rk *isms.Risk) int64 { return rk.Version })
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.riskForm(w, r, p, rk, assessmentID, status) })
}

func (s *Server) riskCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, riskInputFromForm, s.Risk.CreateRisk,
		func(rk *isms.Risk) string { return idPath("/risks/", rk.ID) },
		func(in isms.RiskInput, err error) error { return s.riskFormError(w, r, nil, in.AssessmentID, err) })
}

func (s *Server) riskUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	rk, err := s.loadRisk(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, riskInputFromForm, s.Risk.UpdateRisk, rk.OrganisationID, rk.ID, idPath("/risks/", rk.ID),
		func(err error) error { return s.riskFormError(w, r, rk, rk.AssessmentID, err) })
}

func (s *Server) riskDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	rk, err := s.loadRisk(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Risk.DeleteRisk(r.Context(), rk.OrganisationID, rk.ID, formVersion(r)),
		idPath("/risk-assessments/", rk.AssessmentID))
}

// riskAcceptSubmit records management's acceptance; a refusal is shown on
// the risk's page beside the form.
func (s *Server) riskAcceptSubmit(w http.ResponseWriter, r *http.Request) error {
	rk, err := s.loadRisk(r)
	if err != nil {
		return err
	}
	var v isms.Validation
	in := isms.RiskAcceptanceInput{Reason: r.PostForm.Get("reason"), Version: formVersion(r),
		Expires: parseOptionalDate(&v, "acceptance_expires", r.PostForm.Get("acceptance_expires"))}
	err = v.Err()
	if err == nil {
		_, err = s.Risk.AcceptRisk(r.Context(), rk.OrganisationID, rk.ID, in)
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.risk"), func() int64 { return rk.Version },
			func(p *page, status int) error { return s.renderRiskPage(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/risks/"+strconv.FormatInt(rk.ID, 10)), "flash.risk_accepted")
	return nil
}

// riskThreatGroup is the threats of one catalogue and group, for a select.
type riskThreatGroup struct {
	Label   string
	Threats []*isms.Threat
}

// ThreatGroups groups the threats by catalogue and group, in the order
// they come.
func (d riskFormData) ThreatGroups() []riskThreatGroup {
	var out []riskThreatGroup
	for _, t := range d.Threats {
		label := t.CatalogueName + ": " + i18n.T(d.UI.Lang, i18n.Key("risk.threat_group."+t.Group))
		if t.Builtin {
			label = i18n.T(d.UI.Lang, i18n.Key("risk.threat_group."+t.Group))
		}
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, riskThreatGroup{Label: label})
		}
		out[len(out)-1].Threats = append(out[len(out)-1].Threats, t)
	}
	return out
}
