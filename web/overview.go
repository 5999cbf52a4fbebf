package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The business overview (guide 2.1): the purpose, the registers, the
// scope. UI pages and API operations.

func (s *Server) overviewRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /orgs/{org}/overview", s.inOrg(s.overviewPage))
	mux.HandleFunc("GET /orgs/{org}/overview/new", s.inOrg(s.entryNewPage))
	mux.HandleFunc("POST /orgs/{org}/overview", s.inOrg(s.entryCreateSubmit))
	mux.HandleFunc("GET /orgs/{org}/overview/entries/{id}", s.inOrg(s.entryPage))
	mux.HandleFunc("GET /orgs/{org}/overview/entries/{id}/edit", s.inOrg(s.entryEditPage))
	mux.HandleFunc("POST /orgs/{org}/overview/entries/{id}", s.inOrg(s.entryUpdateSubmit))
	mux.HandleFunc("POST /orgs/{org}/overview/entries/{id}/delete", s.inOrg(s.entryDeleteSubmit))
	mux.HandleFunc("GET /orgs/{org}/scope", s.inOrg(s.scopePage))
	mux.HandleFunc("GET /orgs/{org}/scope/edit", s.inOrg(s.scopeEditPage))
	mux.HandleFunc("POST /orgs/{org}/scope", s.inOrg(s.scopeSubmit))
	mux.HandleFunc("POST /orgs/{org}/scope/approve", s.inOrg(s.scopeApproveSubmit))
}

// entryFilterFrom reads a register filter from the query string.
func entryFilterFrom(r *http.Request, limit int) (isms.EntryFilter, error) {
	q := r.URL.Query()
	f := isms.EntryFilter{Kind: isms.EntryKind(q.Get("kind")), Status: isms.EntryStatus(q.Get("status")), Query: q.Get("q"),
		Sort: q.Get("sort"), Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true"}
	var v isms.Validation
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	if o := q.Get("owner"); o != "" {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil {
			v.Add("owner", "err.number")
		}
		f.OwnerID = id
	}
	var err error
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(r, "limit", limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type overviewData struct {
	Kinds   []isms.EntryKind
	Counts  map[isms.EntryKind]int
	Entries []*isms.OverviewEntry
	Filter  isms.EntryFilter
	Pager   pager
	Members []*isms.Membership
	Today   isms.Date
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	s.renderOverview(w, r, s.newPage(r, "title.overview"), http.StatusOK)
}

func (s *Server) renderOverview(w http.ResponseWriter, r *http.Request, p *page, status int) {
	org := orgFrom(r.Context())
	f, err := entryFilterFrom(r, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entries, total, err := s.Overview.OverviewEntries(r.Context(), org.ID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts := map[isms.EntryKind]int{}
	for _, k := range isms.EntryKinds {
		_, n, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Kind: k, Limit: 1})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		counts[k] = n
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = overviewData{Kinds: isms.EntryKinds, Counts: counts, Entries: entries, Filter: f,
		Pager: newPager(r, total, f.Offset, f.Limit), Members: members, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, status, "overview", p)
}

// formErrorOverview re-renders the overview page after a refused change of
// the purpose.
func (s *Server) formErrorOverview(w http.ResponseWriter, r *http.Request, p *page, err error) {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		p.setError(err)
		p.Form = r.PostForm
		s.renderOverview(w, r, p, s.status(r, err))
	default:
		s.fail(w, r, err)
	}
}

type entryFormData struct {
	Entry      *isms.OverviewEntry
	Kind       isms.EntryKind
	Members    []*isms.Membership
	Candidates []*isms.OverviewEntry // entries it may link to
	Categories []string
	Statuses   []isms.EntryStatus
	Levels     []int
}

// Links are the entry's current links, none for a new entry.
func (d entryFormData) Links() []int64 {
	if d.Entry == nil {
		return nil
	}
	return d.Entry.Links
}

func (s *Server) entryForm(w http.ResponseWriter, r *http.Request, p *page, e *isms.OverviewEntry, kind isms.EntryKind, status int) {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cands, _, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Sort: "kind", Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if e != nil {
		kept := cands[:0]
		for _, c := range cands {
			if c.ID != e.ID {
				kept = append(kept, c)
			}
		}
		cands = kept
	}
	p.Data = entryFormData{Entry: e, Kind: kind, Members: members, Candidates: cands, Categories: isms.FactorCategories,
		Statuses: isms.EntryStatuses, Levels: []int{0, 1, 2, 3, 4}}
	s.render(w, status, "entry_form", p)
}

func (s *Server) entryNewPage(w http.ResponseWriter, r *http.Request) {
	kind := isms.EntryKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = isms.KindProcess
	}
	p := s.newPage(r, "title.entry_new")
	s.entryForm(w, r, p, nil, kind, http.StatusOK)
}

// entryInputFromForm reads an entry form. Problems with the form itself
// (a date that is not a date) are collected like the service's own.
func entryInputFromForm(r *http.Request) (isms.OverviewEntryInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.OverviewEntryInput{
		Kind: isms.EntryKind(f.Get("kind")), Category: f.Get("category"), Name: f.Get("name"), Description: f.Get("description"),
		Status: isms.EntryStatus(f.Get("status")), Version: parseVersion(f.Get("version")),
		OwnerID:    parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		NextReview: parseOptionalDate(&v, "next_review", f.Get("next_review")),
		Requirements: isms.Requirements{
			Confidentiality: parseLevel(&v, "requirements.confidentiality", f.Get("req_c")),
			Integrity:       parseLevel(&v, "requirements.integrity", f.Get("req_i")),
			Availability:    parseLevel(&v, "requirements.availability", f.Get("req_a")),
			Text:            f.Get("req_text"),
		},
	}
	for _, l := range f["links"] {
		if id := parseOptionalID(&v, "links", l); id != nil {
			in.Links = append(in.Links, *id)
		}
	}
	return in, v.Err()
}

func parseOptionalDate(v *isms.Validation, field, s string) *isms.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	d, err := isms.ParseDate(s)
	if err != nil {
		v.Add(field, "err.date")
		return nil
	}
	return &d
}

func parseLevel(v *isms.Validation, field, s string) isms.Level {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > int(isms.MaxLevel) {
		v.Add(field, "err.level", int(isms.MaxLevel))
		return 0
	}
	return isms.Level(n)
}

func (s *Server) entryCreateSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in, err := entryInputFromForm(r)
	var e *isms.OverviewEntry
	if err == nil {
		e, err = s.Overview.CreateOverviewEntry(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		s.entryFormError(w, r, nil, in.Kind, err)
		return
	}
	s.redirect(w, r, p0(r, "/overview/entries/"+strconv.FormatInt(e.ID, 10)), "flash.saved")
}

func (s *Server) entryFormError(w http.ResponseWriter, r *http.Request, e *isms.OverviewEntry, kind isms.EntryKind, err error) {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		p := s.newPage(r, "title.entry_edit")
		p.setError(err)
		p.Form = r.PostForm
		if isms.ErrorCode(err) == isms.EConflict && e != nil {
			// Offer the current version, so saving again is a deliberate
			// overwrite of what the other person saved.
			p.Form.Set("version", strconv.FormatInt(e.Version, 10))
		}
		if !kind.Valid() {
			kind = isms.KindProcess
		}
		s.entryForm(w, r, p, e, kind, s.status(r, err))
	default:
		s.fail(w, r, err)
	}
}

type entryPageData struct {
	Entry   *isms.OverviewEntry
	Related []*isms.OverviewEntry
	History []historyItem
	Today   isms.Date
}

func (s *Server) loadEntry(r *http.Request) (*isms.OverviewEntry, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Overview.OverviewEntry(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) entryPage(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEntry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var related []*isms.OverviewEntry
	for _, id := range e.Links {
		if x, err := s.Overview.OverviewEntry(r.Context(), e.OrganisationID, id); err == nil {
			related = append(related, x)
		}
	}
	hist, err := s.history(r, "overview_entry", e.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "title.entry")
	p.Data = entryPageData{Entry: e, Related: related, History: hist, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "entry", p)
}

func (s *Server) entryEditPage(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEntry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.entryForm(w, r, s.newPage(r, "title.entry_edit"), e, e.Kind, http.StatusOK)
}

func (s *Server) entryUpdateSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	e, err := s.loadEntry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := entryInputFromForm(r)
	if err == nil {
		_, err = s.Overview.UpdateOverviewEntry(r.Context(), e.OrganisationID, e.ID, in)
	}
	if err != nil {
		s.entryFormError(w, r, e, e.Kind, err)
		return
	}
	s.redirect(w, r, p0(r, "/overview/entries/"+strconv.FormatInt(e.ID, 10)), "flash.saved")
}

func (s *Server) entryDeleteSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	e, err := s.loadEntry(r)
	if err == nil {
		err = s.Overview.DeleteOverviewEntry(r.Context(), e.OrganisationID, e.ID, parseVersion(r.PostForm.Get("version")))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, p0(r, "/overview?kind="+string(e.Kind)), "flash.deleted")
}

type scopeData struct {
	Scope     *isms.Scope
	Processes []*isms.OverviewEntry
	Members   []*isms.Membership
	History   []historyItem
}

func (s *Server) loadScope(w http.ResponseWriter, r *http.Request, p *page) bool {
	org := orgFrom(r.Context())
	sc, err := s.Overview.Scope(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	procs, _, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Kind: isms.KindProcess, Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	hist, err := s.history(r, "scope", org.ID)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	p.Data = scopeData{Scope: sc, Processes: procs, Members: members, History: hist}
	return true
}

func (s *Server) scopePage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "title.scope")
	if s.loadScope(w, r, p) {
		s.render(w, http.StatusOK, "scope", p)
	}
}

func (s *Server) scopeEditPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "title.scope_edit")
	if s.loadScope(w, r, p) {
		s.render(w, http.StatusOK, "scope_form", p)
	}
}

func (s *Server) scopeSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	var v isms.Validation
	in := isms.ScopeInput{Description: f.Get("description"), InformationTypes: f.Get("information_types"),
		OrganisationUnits: f.Get("organisation_units"), Exclusions: f.Get("exclusions"), BoundaryCriteria: f.Get("boundary_criteria"),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), NextReview: parseOptionalDate(&v, "next_review", f.Get("next_review")),
		Version: parseVersion(f.Get("version"))}
	for _, x := range f["process_ids"] {
		if id := parseOptionalID(&v, "process_ids", x); id != nil {
			in.ProcessIDs = append(in.ProcessIDs, *id)
		}
	}
	err := v.Err()
	if err == nil {
		_, err = s.Overview.SaveScope(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		p := s.newPage(r, "title.scope_edit")
		if !s.loadScope(w, r, p) {
			return
		}
		if isms.ErrorCode(err) == isms.EConflict {
			r.PostForm.Set("version", strconv.FormatInt(p.Data.(scopeData).Scope.Version, 10))
		}
		s.formError(w, r, "scope_form", p, err)
		return
	}
	s.redirect(w, r, p0(r, "/scope"), "flash.saved")
}

func (s *Server) scopeApproveSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	_, err := s.Overview.ApproveScope(r.Context(), orgFrom(r.Context()).ID, parseVersion(r.PostForm.Get("version")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, p0(r, "/scope"), "flash.approved")
}

// versionBody is the body of approve and delete operations in the API.
type versionBody struct {
	Version int64 `json:"version"`
}
