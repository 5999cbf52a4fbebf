package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// The business overview (guide 2.1): the purpose, the registers, the
// scope. UI pages and API operations.

// entryFilterFrom reads a register filter from the query string.
func entryFilterFrom(r *http.Request, limit int) (isms.EntryFilter, error) {
	q := r.URL.Query()
	f := isms.EntryFilter{Kind: isms.EntryKind(q.Get("kind")), Status: isms.EntryStatus(q.Get("status")), Query: q.Get("q"),
		Sort: q.Get("sort"), Overdue: parseFlag(q.Get("overdue"))}
	var v isms.Validation
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type overviewData struct {
	Kinds   []isms.EntryKind
	Counts  map[isms.EntryKind]int
	Entries []*isms.OverviewEntry // while the rows are rendered (overviewRows)
	// RowsHTML is the page's rows rendered, kept with the filter's page;
	// Shown is how many there are.
	RowsHTML template.HTML
	Shown    int
	Filter   isms.EntryFilter
	Pager    pager
	Members  []*isms.Membership
	Today    isms.Date
}

// overviewRows is a page of the business overview's register as kept: its
// rows rendered, the filter's count and the count of each kind.
type overviewRows struct {
	registerRows
	Counts map[isms.EntryKind]int
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOverview(w, r, s.newPage(r, "title.overview"), http.StatusOK)
}

func (s *Server) renderOverview(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	f, err := entryFilterFrom(r, 50)
	if err != nil {
		return err
	}
	today := isms.DateOf(s.cfg.Now())
	v, err := s.derived(r, org.ID, "overview:"+p.Lang+"?"+r.URL.RawQuery, false, func(r *http.Request) (any, error) {
		return s.overviewRows(r, p, f, today)
	})
	if err != nil {
		return err
	}
	rows := v.(*overviewRows)
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = overviewData{Kinds: isms.EntryKinds, Counts: rows.Counts, RowsHTML: rows.HTML, Shown: rows.Shown, Filter: f,
		Pager: newPager(r, rows.Total, f.Offset, f.Limit), Members: members, Today: today}
	s.render(w, status, "overview", p)
	return nil
}

// overviewRows reads a page of the register for a filter, renders its rows
// and counts each kind of entry: kept until the records change, for each
// filter, page and language.
func (s *Server) overviewRows(r *http.Request, p *page, f isms.EntryFilter, today isms.Date) (*overviewRows, error) {
	orgID := orgFrom(r.Context()).ID
	entries, total, err := s.Overview.OverviewEntries(r.Context(), orgID, f)
	if err != nil {
		return nil, err
	}
	out := &overviewRows{registerRows: registerRows{Shown: len(entries), Total: total}, Counts: map[isms.EntryKind]int{}}
	for _, k := range isms.EntryKinds {
		_, n, err := s.Overview.OverviewEntries(r.Context(), orgID, isms.EntryFilter{Kind: k, Limit: 1})
		if err != nil {
			return nil, err
		}
		out.Counts[k] = n
	}
	if out.HTML, err = s.fragment("overview", "overview_rows", p, overviewData{Entries: entries, Today: today}); err != nil {
		return nil, err
	}
	return out, nil
}

// formErrorOverview re-renders the overview page after a refused change of
// the purpose.
func (s *Server) formErrorOverview(w http.ResponseWriter, r *http.Request, p *page, err error) error {
	return s.formRefused(r, err, p, nil, func(p *page, status int) error { return s.renderOverview(w, r, p, status) })
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

func (s *Server) entryForm(w http.ResponseWriter, r *http.Request, p *page, e *isms.OverviewEntry, kind isms.EntryKind, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	cands, _, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Sort: "kind", Limit: 500})
	if err != nil {
		return err
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
	return nil
}

func (s *Server) entryNewPage(w http.ResponseWriter, r *http.Request) error {
	kind := isms.EntryKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = isms.KindProcess
	}
	p := s.newPage(r, "title.entry_new")
	return s.entryForm(w, r, p, nil, kind, http.StatusOK)
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

func (s *Server) entryCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, entryInputFromForm, s.Overview.CreateOverviewEntry,
		func(e *isms.OverviewEntry) string { return idPath("/overview/entries/", e.ID) },
		func(in isms.OverviewEntryInput, err error) error { return s.entryFormError(w, r, nil, in.Kind, err) })
}

func (s *Server) entryFormError(w http.ResponseWriter, r *http.Request, e *isms.OverviewEntry, kind isms.EntryKind, err error) error {
	current := versionOf(e, func(e *isms.OverviewEntry) int64 { return e.Version })
	if !kind.Valid() {
		kind = isms.KindProcess
	}
	return s.formRefused(r, err, s.newPage(r, "title.entry_edit"), current,
		func(p *page, status int) error { return s.entryForm(w, r, p, e, kind, status) })
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

func (s *Server) entryPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	var related []*isms.OverviewEntry
	for _, id := range e.Links {
		if x, err := s.Overview.OverviewEntry(r.Context(), e.OrganisationID, id); err == nil {
			related = append(related, x)
		}
	}
	hist, err := s.history(r, "overview_entry", e.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.entry")
	p.Data = entryPageData{Entry: e, Related: related, History: hist, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "entry", p)
	return nil
}

func (s *Server) entryEditPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return s.entryForm(w, r, s.newPage(r, "title.entry_edit"), e, e.Kind, http.StatusOK)
}

func (s *Server) entryUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, entryInputFromForm, s.Overview.UpdateOverviewEntry, e.OrganisationID, e.ID,
		idPath("/overview/entries/", e.ID), func(err error) error { return s.entryFormError(w, r, e, e.Kind, err) })
}

func (s *Server) entryDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Overview.DeleteOverviewEntry(r.Context(), e.OrganisationID, e.ID, formVersion(r)), "/overview?kind="+string(e.Kind))
}

type scopeData struct {
	Scope     *isms.Scope
	Processes []*isms.OverviewEntry
	Members   []*isms.Membership
	History   []historyItem
}

func (s *Server) loadScope(r *http.Request, p *page) error {
	org := orgFrom(r.Context())
	sc, err := s.Overview.Scope(r.Context(), org.ID)
	if err != nil {
		return err
	}
	procs, _, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Kind: isms.KindProcess, Limit: 500})
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "scope", org.ID)
	if err != nil {
		return err
	}
	p.Data = scopeData{Scope: sc, Processes: procs, Members: members, History: hist}
	return nil
}

func (s *Server) scopePage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.scope")
	if err := s.loadScope(r, p); err != nil {
		return err
	}
	s.render(w, http.StatusOK, "scope", p)
	return nil
}

func (s *Server) scopeEditPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.scope_edit")
	if err := s.loadScope(r, p); err != nil {
		return err
	}
	s.render(w, http.StatusOK, "scope_form", p)
	return nil
}

func (s *Server) scopeSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	var v isms.Validation
	in := isms.ScopeInput{Description: f.Get("description"), InformationTypes: f.Get("information_types"),
		OrganisationUnits: f.Get("organisation_units"), Exclusions: f.Get("exclusions"), BoundaryCriteria: f.Get("boundary_criteria"),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), NextReview: parseOptionalDate(&v, "next_review", f.Get("next_review")),
		Version: parseVersion(f.Get("version"))}
	in.ProcessIDs = parseIDs(&v, "process_ids", f["process_ids"])
	err := v.Err()
	if err == nil {
		_, err = s.Overview.SaveScope(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		p := s.newPage(r, "title.scope_edit")
		if lerr := s.loadScope(r, p); lerr != nil {
			return lerr
		}
		current := func() int64 { return p.Data.(scopeData).Scope.Version }
		return s.formRefused(r, err, p, current, s.show(w, "scope_form"))
	}
	s.redirect(w, r, p0(r, "/scope"), "flash.saved")
	return nil
}

func (s *Server) scopeApproveSubmit(w http.ResponseWriter, r *http.Request) error {
	_, err := s.Overview.ApproveScope(r.Context(), orgFrom(r.Context()).ID, formVersion(r))
	if err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/scope"), "flash.approved")
	return nil
}

// versionBody is the body of approve and delete operations in the API.
type versionBody struct {
	Version int64 `json:"version"`
}
