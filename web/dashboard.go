package web

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/ismsdk/isms"
)

// overviewDue lists the business-overview entries and the scope whose
// review falls before until.
func overviewDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	entries, _, err := s.Overview.OverviewEntries(r.Context(), orgID, isms.EntryFilter{Sort: "next_review", Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.NextReview == nil || e.Status == isms.StatusRetired || until.Before(*e.NextReview) {
			continue
		}
		out = append(out, dueItem{Label: e.Name, Kind: "kind." + string(e.Kind), Due: *e.NextReview, Overdue: e.NextReview.Before(today),
			Path: "/overview/entries/" + strconv.FormatInt(e.ID, 10)})
	}
	sc, err := s.Overview.Scope(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	if sc.NextReview != nil && !until.Before(*sc.NextReview) {
		out = append(out, dueItem{Label: "", Kind: "nav.scope", Due: *sc.NextReview, Overdue: sc.NextReview.Before(today), Path: "/scope"})
	}
	return out, nil
}

type dashboardData struct {
	Phases   []dashboardPhase
	Counts   map[string]int
	Due      []dueItem
	Total    int
	Children []childStatus
}

// childStatus is one organisation below this one, for the group roll-up
// (guide 2.2, "koncernstyring"): its checklist answers at a glance.
type childStatus struct {
	Org    *isms.Organisation
	Counts map[string]int
}

type dashboardPhase struct {
	Phase string
	Items []checklistItem
	Yes   int
}

// dashboardPage shows the ISMS by Plan–Do–Check–Act phase (the checklist
// answers of each) and what is due for review in the next 30 days.
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.dashboard")
	org := orgFrom(r.Context())
	items, err := s.checklistItems(r, org.ID, p.Lang)
	if err != nil {
		return err
	}
	d := dashboardData{Counts: map[string]int{}, Total: len(items)}
	for _, ph := range phases {
		dp := dashboardPhase{Phase: ph}
		for _, it := range items {
			if it.Phase == ph {
				dp.Items = append(dp.Items, it)
				if it.Status == isms.AnswerYes {
					dp.Yes++
				}
			}
		}
		d.Phases = append(d.Phases, dp)
	}
	for _, it := range items {
		d.Counts[string(it.Status)]++
	}
	until := isms.DateOf(s.cfg.Now()).AddDays(30)
	for _, src := range dueSources {
		due, err := src(s, r, org.ID, until)
		if err != nil {
			return err
		}
		d.Due = append(d.Due, due...)
	}
	sort.SliceStable(d.Due, func(i, j int) bool { return d.Due[i].Due.Before(d.Due[j].Due) })
	if d.Children, err = s.children(r, org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, http.StatusOK, "dashboard", p)
	return nil
}

// children answers the checklist of each organisation directly below this
// one that the caller may see, for the roll-up on the parent's dashboard.
func (s *Server) children(r *http.Request, orgID int64) ([]childStatus, error) {
	orgs, err := s.Orgs.Organisations(r.Context())
	if err != nil {
		return nil, err
	}
	var out []childStatus
	for _, o := range orgs {
		if o.ParentID == nil || *o.ParentID != orgID {
			continue
		}
		answers, err := s.Checklist.Checklist(r.Context(), o.ID)
		if err != nil {
			return nil, err
		}
		c := childStatus{Org: o, Counts: map[string]int{}}
		for _, a := range answers {
			c.Counts[string(a.Status)]++
		}
		out = append(out, c)
	}
	return out, nil
}
