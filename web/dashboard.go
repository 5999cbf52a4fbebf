package web

import (
	"html/template"
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
	Phases []dashboardPhase
	// PhasesHTML and DueHTML are the phases and the due list rendered,
	// once per change of the records (dashboardView).
	PhasesHTML, DueHTML template.HTML
	Counts              map[string]int
	// Due is the soonest of what falls due in the next 30 days; DueTotal
	// counts all of it, and DueByKind sums it up by kind when there is more
	// than the list shows.
	Due       []dueItem
	DueTotal  int
	DueByKind []dueCount
	Total     int
	Children  []childStatus
}

// dueCount is how many of one kind of thing are overdue and how many fall
// due in the next 30 days.
type dueCount struct {
	Kind          string
	Overdue, Soon int
}

// dashboardDueShown is how many due items the dashboard lists: a large
// organisation has hundreds, and the list is a starting point, not the
// registers themselves.
const dashboardDueShown = 50

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
	until := isms.DateOf(s.cfg.Now()).AddDays(30)
	// Per reader: the due list names what waits for the reader's approval.
	v, err := s.derived(r, org.ID, "dashboard:"+p.Lang+":"+until.String(), true, func(r *http.Request) (any, error) {
		return s.dashboardView(r, p, org.ID, until)
	})
	if err != nil {
		return err
	}
	d := *v.(*dashboardData)
	if d.Children, err = s.children(r, org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, http.StatusOK, "dashboard", p)
	return nil
}

// dashboardView is the dashboard without what depends on the reader's
// other organisations: computed from every element's records, so it is
// kept until they change or the day turns.
func (s *Server) dashboardView(r *http.Request, p *page, orgID int64, until isms.Date) (*dashboardData, error) {
	items, err := s.checklistItems(r, orgID, p.Lang)
	if err != nil {
		return nil, err
	}
	d := &dashboardData{Counts: map[string]int{}, Total: len(items)}
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
	var due []dueItem
	for _, src := range dueSources {
		items, err := src(s, r, orgID, until)
		if err != nil {
			return nil, err
		}
		due = append(due, items...)
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].Due.Before(due[j].Due) })
	d.DueTotal = len(due)
	d.Due = due[:min(len(due), dashboardDueShown)]
	if len(due) > len(d.Due) {
		// By kind, in the order each kind first falls due.
		at := map[string]int{}
		for _, it := range due {
			i, ok := at[it.Kind]
			if !ok {
				i = len(d.DueByKind)
				at[it.Kind] = i
				d.DueByKind = append(d.DueByKind, dueCount{Kind: it.Kind})
			}
			if it.Overdue {
				d.DueByKind[i].Overdue++
			} else {
				d.DueByKind[i].Soon++
			}
		}
	}
	// The phases and the due list are rendered here, once, rather than on
	// every request: they are most of the page.
	if d.PhasesHTML, err = s.fragment("dashboard", "dashboard_phases", p, d); err != nil {
		return nil, err
	}
	if d.DueHTML, err = s.fragment("dashboard", "dashboard_due", p, d); err != nil {
		return nil, err
	}
	return d, nil
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
