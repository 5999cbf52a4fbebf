package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The Statement of Applicability (guide 2.3 and 2.8): the list grouped by
// Annex A theme with filters and a summary, the page of one control with
// its live justification and history, the decision form, own controls,
// the controls of a risk, versions with approval and comparison, export,
// print and the import of a 2013 SoA (soa_import.go, soa_export.go).

// soaFilterFrom reads the list's filters from the query string.
func soaFilterFrom(r *http.Request) (isms.SoAFilter, error) {
	q := r.URL.Query()
	f := isms.SoAFilter{Applicability: q.Get("applicability"), Status: isms.ImplementationStatus(q.Get("status")), Theme: q.Get("theme"),
		Problem: q.Get("problem"), Query: q.Get("q"), Changed: parseFlag(q.Get("changed"))}
	var v isms.Validation
	switch f.Applicability {
	case "", "applicable", "excluded", "undecided":
	default:
		v.Add("applicability", "err.choice")
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("implementation_status", "err.choice")
	}
	if f.Theme != "" && !isms.ValidTheme(f.Theme) {
		v.Add("control_theme", "err.choice")
	}
	switch f.Problem {
	case "", isms.SoAProblemUndecided, isms.SoAProblemUnjustified, isms.SoAProblemBusinessOnly, isms.SoAProblemNoExclusionReason,
		isms.SoAProblemExcludedWithRisks, "unjustified_any":
	default:
		v.Add("problem", "err.choice")
	}
	f.OwnerID = queryIDAtLeast(&v, q, "owner", "owner", 1)
	return f, v.Err()
}

// soaGroup is the lines of one Annex A theme.
type soaGroup struct {
	Theme    string
	Controls []*isms.SoAControl
}

func soaGroups(lines []*isms.SoAControl) []soaGroup {
	var out []soaGroup
	for _, t := range isms.ControlThemes {
		g := soaGroup{Theme: t}
		for _, c := range lines {
			if c.Theme == t {
				g.Controls = append(g.Controls, c)
			}
		}
		if len(g.Controls) > 0 {
			out = append(out, g)
		}
	}
	return out
}

type soaListData struct {
	SoA    *isms.StatementOfApplicability
	Groups []soaGroup
	// LinesHTML is the statement's lines rendered, kept with the filter.
	LinesHTML template.HTML
	Filter    isms.SoAFilter
	Filtered  bool
	Members   []*isms.Membership
	Themes    []string
	Statuses  []isms.ImplementationStatus
	Problems  []string
}

func (s *Server) soaPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := soaFilterFrom(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa")
	v, err := s.derived(r, org.ID, "soa:"+p.Lang+"?"+r.URL.RawQuery, false, func(r *http.Request) (any, error) {
		return s.soaLines(r, p, f)
	})
	if err != nil {
		return err
	}
	lines := v.(*soaListData)
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = soaListData{SoA: lines.SoA, LinesHTML: lines.LinesHTML, Filter: f, Filtered: f != (isms.SoAFilter{}), Members: members,
		Themes: isms.ControlThemes, Statuses: isms.ImplementationStatuses,
		Problems: []string{isms.SoAProblemUndecided, "unjustified_any", isms.SoAProblemBusinessOnly, isms.SoAProblemExcludedWithRisks}}
	s.render(w, http.StatusOK, "soa", p)
	return nil
}

// soaLines reads the statement for a filter and renders its lines: kept
// until the records change, for each filter and language, as the lines are
// most of the page's cost.
func (s *Server) soaLines(r *http.Request, p *page, f isms.SoAFilter) (*soaListData, error) {
	soa, err := s.SoA.SoA(r.Context(), orgFrom(r.Context()).ID, f)
	if err != nil {
		return nil, err
	}
	d := &soaListData{SoA: soa, Groups: soaGroups(soa.Controls)}
	if d.LinesHTML, err = s.fragment("soa", "soa_page_lines", p, d); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) loadSoAControl(r *http.Request) (*isms.SoAControl, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.SoA.SoAControl(r.Context(), orgFrom(r.Context()).ID, id)
}

type soaControlData struct {
	Control *isms.SoAControl
	History []historyItem
	// RisksShown caps the risks listed on the page; the count is exact.
	RisksShown []isms.SoARef
	MoreRisks  int
	// Incidents name the control directly or touched a risk it treats.
	Incidents []*isms.IncidentRef
}

// soaRisksOnPage is how many of a control's risks its page lists; a
// control treating thousands of risks links to the risk register instead.
const soaRisksOnPage = 200

func (s *Server) soaControlPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSoAControl(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "soa_control", c.ControlID)
	if err != nil {
		return err
	}
	shown := c.Risks
	if len(shown) > soaRisksOnPage {
		shown = shown[:soaRisksOnPage]
	}
	incs, err := s.Incidents.IncidentsOfControl(r.Context(), orgFrom(r.Context()).ID, c.ControlID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa_control")
	p.Data = soaControlData{Control: c, History: hist, RisksShown: shown, MoreRisks: c.RiskCount - len(shown), Incidents: incs}
	s.render(w, http.StatusOK, "soa_control", p)
	return nil
}

type soaFormData struct {
	Control      *isms.SoAControl
	Members      []*isms.Membership
	Requirements []*isms.OverviewEntry
	Documents    []isms.SoARef
	Statuses     []isms.ImplementationStatus
}

// RequirementIDs and DocumentIDs are the line's current links.
func (d soaFormData) RequirementIDs() []int64 { return soaIDs(d.Control.Requirements) }
func (d soaFormData) DocumentIDs() []int64    { return soaIDs(d.Control.Documents) }

func soaIDs(refs []isms.SoARef) []int64 {
	out := make([]int64, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

func (s *Server) soaForm(w http.ResponseWriter, r *http.Request, p *page, c *isms.SoAControl, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	reqs, _, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Kind: isms.KindExternalFactor, Limit: 500})
	if err != nil {
		return err
	}
	docs, err := s.SoA.SoADocumentCandidates(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = soaFormData{Control: c, Members: members, Requirements: reqs, Documents: docs, Statuses: isms.ImplementationStatuses}
	s.render(w, status, "soa_form", p)
	return nil
}

func (s *Server) soaEditPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSoAControl(r)
	if err != nil {
		return err
	}
	return s.soaForm(w, r, s.newPage(r, "title.soa_edit"), c, http.StatusOK)
}

func soaInputFromForm(r *http.Request) (isms.SoAControlInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.SoAControlInput{Applicability: isms.Applicability(f.Get("applicability")), BusinessReason: f.Get("business_reason"),
		ExclusionReason: f.Get("exclusion_reason"), Status: isms.ImplementationStatus(f.Get("implementation_status")),
		Evidence: f.Get("implementation_evidence"), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Version: parseVersion(f.Get("version"))}
	for _, x := range f["requirement_ids"] {
		if id := parseOptionalID(&v, "requirement_ids", x); id != nil {
			in.RequirementIDs = append(in.RequirementIDs, *id)
		}
	}
	for _, x := range f["document_ids"] {
		if id := parseOptionalID(&v, "document_ids", x); id != nil {
			in.DocumentIDs = append(in.DocumentIDs, *id)
		}
	}
	return in, v.Err()
}

func (s *Server) soaSaveSubmit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSoAControl(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, soaInputFromForm, s.SoA.SaveSoAControl, orgFrom(r.Context()).ID, c.ControlID,
		idPath("/soa/controls/", c.ControlID), func(err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.soa_edit"), func() int64 { return c.Version },
				func(p *page, status int) error { return s.soaForm(w, r, p, c, status) })
		})
}

type soaOwnFormData struct {
	Control *isms.SoAControl // nil for a new one
	Themes  []string
}

func (s *Server) soaOwnNewPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.soa_own_new")
	p.Data = soaOwnFormData{Themes: isms.ControlThemes}
	s.render(w, http.StatusOK, "soa_own_form", p)
	return nil
}

func (s *Server) soaOwnEditPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSoAControl(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa_own_edit")
	p.Data = soaOwnFormData{Control: c, Themes: isms.ControlThemes}
	s.render(w, http.StatusOK, "soa_own_form", p)
	return nil
}

func ownInputFromForm(r *http.Request) isms.OwnControlInput {
	f := r.PostForm
	return isms.OwnControlInput{Ref: f.Get("control_ref"), Theme: f.Get("control_theme"), Title: f.Get("control_title"), Version: parseVersion(f.Get("version"))}
}

func (s *Server) soaOwnCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.SoA.CreateOwnControl(r.Context(), orgFrom(r.Context()).ID, ownInputFromForm(r))
	if err != nil {
		p := s.newPage(r, "title.soa_own_new")
		p.Data = soaOwnFormData{Themes: isms.ControlThemes}
		return s.formRefused(r, err, p, nil, s.show(w, "soa_own_form"))
	}
	s.redirect(w, r, p0(r, "/soa/controls/"+strconv.FormatInt(c.ControlID, 10)+"/edit"), "flash.soa_own_created")
	return nil
}

func (s *Server) soaOwnUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadSoAControl(r)
	if err != nil {
		return err
	}
	if _, err := s.SoA.UpdateOwnControl(r.Context(), orgFrom(r.Context()).ID, c.ControlID, ownInputFromForm(r)); err != nil {
		p := s.newPage(r, "title.soa_own_edit")
		p.Data = soaOwnFormData{Control: c, Themes: isms.ControlThemes}
		if isms.ErrorCode(err) == isms.EConflict {
			r.PostForm.Set("version", strconv.FormatInt(c.Version, 10))
		}
		return s.formRefused(r, err, p, nil, s.show(w, "soa_own_form"))
	}
	s.redirect(w, r, p0(r, "/soa/controls/"+strconv.FormatInt(c.ControlID, 10)), "flash.saved")
	return nil
}

func (s *Server) soaOwnDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.SoA.DeleteOwnControl(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r)), "/soa")
}

type soaRiskData struct {
	RiskID   int64
	Controls []*isms.SoAControl
}

// soaRiskPage lists the controls a risk's treatment uses, with where each
// stands in the SoA; the risk register links here from a risk.
func (s *Server) soaRiskPage(w http.ResponseWriter, r *http.Request) error {
	rid, err := strconv.ParseInt(r.URL.Query().Get("risk"), 10, 64)
	if err != nil || rid <= 0 {
		s.redirect(w, r, p0(r, "/soa"), "")
		return nil
	}
	cs, err := s.SoA.SoAControlsOfRisk(r.Context(), orgFrom(r.Context()).ID, rid)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa_risk_controls")
	p.Data = soaRiskData{RiskID: rid, Controls: cs}
	s.render(w, http.StatusOK, "soa_risk", p)
	return nil
}

type soaVersionsData struct {
	SoA      *isms.StatementOfApplicability
	Versions []*isms.SoAVersion
}

func (s *Server) soaVersionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSoAVersions(w, r, s.newPage(r, "title.soa_versions"), http.StatusOK)
}

func (s *Server) renderSoAVersions(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	soa, err := s.SoA.SoA(r.Context(), org.ID, isms.SoAFilter{})
	if err != nil {
		return err
	}
	vs, err := s.SoA.SoAVersions(r.Context(), org.ID)
	if err != nil {
		return err
	}
	soa.Controls = nil // the page shows the summary only
	p.Data = soaVersionsData{SoA: soa, Versions: vs}
	s.render(w, status, "soa_versions", p)
	return nil
}

func (s *Server) soaVersionsError(w http.ResponseWriter, r *http.Request, err error) error {
	return s.formRefused(r, err, s.newPage(r, "title.soa_versions"), nil,
		func(p *page, status int) error { return s.renderSoAVersions(w, r, p, status) })
}

func (s *Server) soaFreezeSubmit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.SoA.FreezeSoA(r.Context(), orgFrom(r.Context()).ID, isms.SoAFreezeInput{Note: r.PostForm.Get("freeze_note"),
		StateToken: r.PostForm.Get("state_token")})
	if err != nil {
		return s.soaVersionsError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/soa/versions/"+strconv.FormatInt(v.ID, 10)), "flash.soa_frozen")
	return nil
}

func (s *Server) soaApproveSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		_, err = s.SoA.ApproveSoAVersion(r.Context(), orgFrom(r.Context()).ID, id, isms.SoAApprovalInput{
			Version: formVersion(r), Note: r.PostForm.Get("approval_note")})
	}
	if err != nil {
		return s.soaVersionsError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/soa/versions/"+strconv.FormatInt(id, 10)), "flash.approved")
	return nil
}

type soaVersionData struct {
	Version *isms.SoAVersion
	Groups  []soaGroup
	History []historyItem
	Latest  bool
}

func (s *Server) soaVersionPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.SoA.SoAVersion(r.Context(), org.ID, id)
	if err != nil {
		return err
	}
	vs, err := s.SoA.SoAVersions(r.Context(), org.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "soa_version", v.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa_version")
	p.Data = soaVersionData{Version: v, Groups: soaGroups(v.Snapshot.Controls), History: hist, Latest: len(vs) > 0 && vs[0].ID == v.ID}
	s.render(w, http.StatusOK, "soa_version", p)
	return nil
}

type soaDiffData struct {
	Diff     *isms.SoADiff
	Versions []*isms.SoAVersion
	From, To int64
}

func (s *Server) soaDiffPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	vs, err := s.SoA.SoAVersions(r.Context(), org.ID)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		s.redirect(w, r, p0(r, "/soa/versions"), "flash.soa_no_versions")
		return nil
	}
	from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	to, _ := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
	if from == 0 {
		from = vs[0].ID
		for _, v := range vs {
			if v.Approved() {
				from = v.ID
				break
			}
		}
	}
	d, err := s.SoA.SoADiff(r.Context(), org.ID, from, to)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa_diff")
	p.Data = soaDiffData{Diff: d, Versions: vs, From: from, To: to}
	s.render(w, http.StatusOK, "soa_diff", p)
	return nil
}

// soaJoin lists records' names for a cell or a line of text.
func soaJoin(refs []isms.SoARef, max int, more func(int) string) string {
	var parts []string
	for i, r := range refs {
		if max > 0 && i == max {
			parts = append(parts, more(len(refs)-max))
			break
		}
		name := r.Name
		if name == "" {
			name = "#" + strconv.FormatInt(r.ID, 10)
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, "; ")
}
