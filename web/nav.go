package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// element is one of the guide's elements in the navigation: one entry in
// the side navigation, grouped by the Plan–Do–Check–Act phase the guide
// places it in, with the element's pages as tabs inside it. An element
// whose tabs the caller may not use is not offered at all.
type element struct {
	ID      string // stable name, the links' data-element
	Phase   string // plan, do, check, act; "" for administration
	Section string // the guide's section, e.g. "2.3"
	Key     string // catalogue key of its name
	Tabs    []tab
}

// tab is one page of an element.
type tab struct {
	Key  string   // catalogue key of its label, the link's data-tab
	Path string   // below /orgs/{org}
	Also []string // further paths whose pages belong to this tab (its records)
	// Need lists the permissions of which the caller must hold one to be
	// offered the tab; none means everyone who may see the organisation.
	// The routes check the same permissions; this only keeps the
	// navigation from offering what would be refused or empty.
	Need []isms.Permission
}

var (
	editors   = []isms.Permission{isms.PermEdit, isms.PermEditOwn}
	fullEdit  = []isms.Permission{isms.PermEdit}
	reminders = []isms.Permission{isms.PermEdit, isms.PermAudit}
)

// elements is the navigation, in the guide's order. A new element or page
// joins here, and the layout draws it in the side navigation and as a tab.
var elements = []element{
	{ID: "context", Phase: "plan", Section: "2.1", Key: "nav.el.context", Tabs: []tab{
		{Key: "nav.overview", Path: "/overview"},
		{Key: "nav.scope", Path: "/scope"},
	}},
	{ID: "leadership", Phase: "plan", Section: "2.2", Key: "nav.el.leadership", Tabs: []tab{
		{Key: "nav.doc_leadership", Path: "/documents/leadership", Also: []string{"/leadership"}},
		{Key: "nav.lead_roles", Path: "/leadership/roles"},
		{Key: "nav.lead_matrix", Path: "/leadership/matrix", Also: []string{"/leadership/activities"}},
		{Key: "nav.lead_forums", Path: "/leadership/forums", Also: []string{"/leadership/meetings"}},
		{Key: "nav.lead_decisions", Path: "/leadership/decisions"},
		{Key: "nav.lead_topics", Path: "/leadership/topics"},
	}},
	{ID: "risk", Phase: "plan", Section: "2.3", Key: "nav.el.risk", Tabs: []tab{
		{Key: "nav.risk_register", Path: "/risks"},
		{Key: "nav.risk_assessments", Path: "/risk-assessments"},
		{Key: "nav.risk_assets", Path: "/assets"},
		{Key: "nav.risk_threats", Path: "/threats"},
		{Key: "nav.risk_heatmap", Path: "/risks/heatmap"},
		{Key: "nav.risk_plan", Path: "/risk-plan", Also: []string{"/risk-tasks"}},
		{Key: "nav.soa", Path: "/soa"},
		{Key: "nav.risk_method", Path: "/risk-method"},
		{Key: "nav.risk_import", Path: "/risk-import", Need: editors},
	}},
	{ID: "support", Phase: "do", Section: "2.4", Key: "nav.el.support", Tabs: []tab{
		{Key: "nav.objectives", Path: "/objectives"},
		{Key: "nav.resources", Path: "/resources"},
		{Key: "nav.status_reports", Path: "/status-reports"},
	}},
	{ID: "competence", Phase: "do", Section: "2.5", Key: "nav.el.competence", Tabs: []tab{
		{Key: "nav.comp_needs", Path: "/competence", Also: []string{"/competence/needs"}},
		{Key: "nav.comp_people", Path: "/competence/people", Also: []string{"/competence/records"}},
		{Key: "nav.comp_matrix", Path: "/competence/matrix"},
		{Key: "nav.comp_plans", Path: "/competence/plans"},
	}},
	{ID: "awareness", Phase: "do", Section: "2.6", Key: "nav.el.awareness", Tabs: []tab{
		{Key: "nav.aw_programme", Path: "/awareness", Also: []string{"/awareness/activities"}},
		{Key: "nav.awp_participation", Path: "/awareness/participation", Also: []string{"/awareness/imports", "/awareness/import-uploads"}},
		{Key: "nav.awp_effect", Path: "/awareness/effect"},
		{Key: "nav.aw_acknowledgements", Path: "/awareness/acknowledgements"},
		{Key: "nav.awp_units", Path: "/awareness/units"},
		{Key: "nav.awp_settings", Path: "/awareness/settings", Need: fullEdit},
	}},
	{ID: "communication", Phase: "do", Section: "2.7", Key: "nav.el.communication", Tabs: []tab{
		{Key: "nav.comm_plan", Path: "/communication"},
	}},
	{ID: "documentation", Phase: "do", Section: "2.8", Key: "nav.el.documentation", Tabs: []tab{
		{Key: "doc.tab.register", Path: "/documents"},
		{Key: "doc.tab.requirements", Path: "/documents/requirements"},
		{Key: "doc.tab.rules", Path: "/documents/rules"},
		{Key: "doc.tab.retention", Path: "/documents/retention"},
	}},
	{ID: "operation", Phase: "do", Section: "2.9", Key: "nav.el.operation", Tabs: []tab{
		{Key: "nav.incidents", Path: "/incidents"},
		{Key: "nav.suppliers", Path: "/suppliers", Also: []string{"/supplier-supervisions"}},
		{Key: "nav.incident_settings", Path: "/incidents/settings", Need: fullEdit},
	}},
	{ID: "wheel", Phase: "check", Section: "2.9", Key: "nav.el.wheel", Tabs: []tab{
		{Key: "wheel.tab.calendar", Path: "/wheel"},
		{Key: "wheel.tab.list", Path: "/wheel/list", Also: []string{"/wheel/occurrences"}},
		{Key: "wheel.tab.activities", Path: "/wheel/activities"},
		{Key: "wheel.tab.plan", Path: "/wheel/plan", Also: []string{"/wheel/years"}},
		{Key: "wheel.tab.topics", Path: "/wheel/topics"},
		{Key: "wheel.tab.feed", Path: "/wheel/feed", Need: fullEdit},
		{Key: "wheel.tab.reminders", Path: "/wheel/reminders", Need: reminders},
	}},
	{ID: "evaluation", Phase: "check", Section: "2.9", Key: "nav.el.evaluation", Tabs: []tab{
		{Key: "nav.meas_indicators", Path: "/indicators"},
		{Key: "nav.meas_breaches", Path: "/indicators/breaches"},
		{Key: "nav.meas_guideline", Path: "/indicators/guideline"},
		{Key: "nav.meas_group", Path: "/indicators/group"},
		{Key: "nav.aud_programmes", Path: "/internal-audit"},
		{Key: "nav.aud_findings", Path: "/internal-audit/findings"},
		{Key: "nav.aud_group", Path: "/internal-audit/group"},
		{Key: "nav.mrev", Path: "/management-reviews"},
	}},
	{ID: "checklist", Phase: "check", Section: "3", Key: "nav.el.checklist", Tabs: []tab{
		{Key: "nav.checklist", Path: "/checklist"},
	}},
	{ID: "improvement", Phase: "act", Section: "2.10", Key: "nav.el.improvement", Tabs: []tab{
		{Key: "nav.nonconformities", Path: "/nonconformities"},
		{Key: "nav.improvements", Path: "/improvements"},
	}},
	{ID: "administration", Key: "nav.administration", Tabs: []tab{
		{Key: "nav.members", Path: "/members"},
		{Key: "nav.audit", Path: "/audit"},
		{Key: "nav.settings", Path: "/settings", Need: fullEdit},
	}},
}

var phases = []string{"plan", "do", "check", "act"}

// tabPermissions are the permissions some tab needs, in a fixed order: a
// drawn navigation is kept per combination of them the caller holds.
var tabPermissions = func() []isms.Permission {
	var out []isms.Permission
	for _, e := range elements {
		for _, t := range e.Tabs {
			for _, p := range t.Need {
				if !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	if len(out) > 8 {
		panic("navKey.access holds eight permissions")
	}
	return out
}()

// offered reports whether the caller may use a tab.
func (t tab) offered(a isms.Access) bool {
	if len(t.Need) == 0 {
		return true
	}
	for _, p := range t.Need {
		if a.Can(p) {
			return true
		}
	}
	return false
}

// covers reports whether a page, its path below /orgs/{org}, belongs to
// the tab, and how specific the match is: the length of the path that
// matched, 0 when it does not belong.
func (t tab) covers(path string) int {
	best := 0
	for _, p := range append([]string{t.Path}, t.Also...) {
		if (path == p || strings.HasPrefix(path, p+"/")) && len(p) > best {
			best = len(p)
		}
	}
	return best
}

// place is where a page is in the navigation: its element and tab (-1
// when it is in none, like the dashboard), and whether the page is the
// tab's own page rather than one below it, such as a record.
type place struct {
	Element, Tab int
	Exact        bool
}

// placeOf finds the element and tab a page belongs to: the tab whose path
// matches the most of the page's path, so that /risks/heatmap is the
// heat map's and /risks/7 the register's.
func placeOf(path string) place {
	at, best := place{Element: -1, Tab: -1}, 0
	for i, e := range elements {
		for j, t := range e.Tabs {
			if n := t.covers(path); n > best {
				at, best = place{Element: i, Tab: j, Exact: path == t.Path}, n
			}
		}
	}
	return at
}

// navView is what the side navigation and the element's tabs are drawn
// from.
type navView struct {
	P        *page
	Home     string // aria-current of the dashboard's link, or ""
	Phases   []navPhase
	Admin    *navElement // administration, below the phases
	Current  *navElement // the element in view, nil on the dashboard
	Elements int         // how many elements are offered
}

type navPhase struct {
	Phase    string
	Elements []navElement
}

// navElement is an element as the caller is offered it: only the tabs
// they may use, the link to the first of them.
type navElement struct {
	ID, Section, Key string
	Path             string // its first offered tab
	Current          string // aria-current: "page", "true" or ""
	Tabs             []navTab
}

type navTab struct {
	Key, Path string
	Current   string // aria-current: "page", "true" or ""
}

// navigation is the navigation as the caller sees it from the page at
// path (below /orgs/{org}).
func navigation(p *page, path string) navView {
	v := navView{P: p}
	if path == "" || path == "/" {
		v.Home = "page"
	}
	at := placeOf(path)
	byPhase := map[string][]navElement{}
	for i, e := range elements {
		ne := navElement{ID: e.ID, Section: e.Section, Key: e.Key}
		for j, t := range e.Tabs {
			if !t.offered(p.Org.Access) {
				continue
			}
			nt := navTab{Key: t.Key, Path: t.Path}
			if at.Element == i && at.Tab == j {
				nt.Current = ariaCurrent(at.Exact)
			}
			ne.Tabs = append(ne.Tabs, nt)
		}
		if len(ne.Tabs) == 0 {
			continue
		}
		ne.Path = ne.Tabs[0].Path
		if at.Element == i {
			ne.Current = ariaCurrent(at.Exact && ne.Path == path)
		}
		v.Elements++
		if e.Phase == "" {
			v.Admin = &ne
		} else {
			byPhase[e.Phase] = append(byPhase[e.Phase], ne)
		}
		if ne.Current != "" {
			c := ne
			v.Current = &c
		}
	}
	for _, ph := range phases {
		if len(byPhase[ph]) > 0 {
			v.Phases = append(v.Phases, navPhase{Phase: ph, Elements: byPhase[ph]})
		}
	}
	return v
}

// ariaCurrent marks a link to the page in view as "page", and a link to
// the element or tab a record page is below as "true".
func ariaCurrent(exact bool) string {
	if exact {
		return "page"
	}
	return "true"
}

// dueItem is something due for review or action, for the dashboard.
type dueItem struct {
	Label   string // already translated or the record's own name
	Kind    string // catalogue key of what it is
	Due     isms.Date
	Overdue bool
	Path    string // below /orgs/{org}
}

// dueSources put on the dashboard what each element has due. Items due
// the same day are listed in this order.
var dueSources = []func(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error){
	communicationDue, // guide 2.7
	overviewDue,      // guide 2.1
	documentsDue,     // guide 2.8
	leadershipDue,    // guide 2.2
	riskDue,          // guide 2.3
	statusReportDue,  // guide 2.4
	wheelDue,         // guide 2.9
	measurementDue,   // guide 2.9, clause 9.1
	internalAuditDue, // guide 2.9, clause 9.2
	reviewDue,        // guide 2.9, clause 9.3
}
