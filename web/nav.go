package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// navItem is an element of the guide in the navigation. The navigation
// groups the items by the Plan–Do–Check–Act phase the guide places them
// in.
type navItem struct {
	Phase   string // plan, do, check, act
	Section string // the guide's section, e.g. "2.1"
	Key     string // catalogue key of the label
	Path    string // below /orgs/{org}
}

type navPhase struct {
	Phase string
	Items []navItem
}

// navItems is every item of the navigation, in the guide's order.
var navItems = []navItem{
	{"plan", "2.1", "nav.overview", "/overview"},
	{"plan", "2.1", "nav.scope", "/scope"},
	{"plan", "2.2", "nav.doc_leadership", "/documents/leadership"},
	{"plan", "2.2", "nav.lead_roles", "/leadership/roles"},
	{"plan", "2.2", "nav.lead_matrix", "/leadership/matrix"},
	{"plan", "2.2", "nav.lead_forums", "/leadership/forums"},
	{"plan", "2.2", "nav.lead_decisions", "/leadership/decisions"},
	{"plan", "2.2", "nav.lead_topics", "/leadership/topics"},
	{"plan", "2.3", "nav.risk_register", "/risks"},
	{"plan", "2.3", "nav.risk_assessments", "/risk-assessments"},
	{"plan", "2.3", "nav.risk_assets", "/assets"},
	{"plan", "2.3", "nav.risk_threats", "/threats"},
	{"plan", "2.3", "nav.risk_heatmap", "/risks/heatmap"},
	{"plan", "2.3", "nav.risk_plan", "/risk-plan"},
	{"plan", "2.3", "nav.risk_method", "/risk-method"},
	{"plan", "2.3", "nav.risk_import", "/risk-import"},
	{"plan", "2.3", "nav.soa", "/soa"},
	{"do", "2.7", "nav.comm_plan", "/communication"},
	{"do", "2.8", "nav.documents", "/documents"},
	{"check", "2.9", "nav.wheel", "/wheel"},
}

var phases = []string{"plan", "do", "check", "act"}

// navFor groups the navigation by phase, keeping the guide's order within
// each.
func navFor(p *page) []navPhase {
	var out []navPhase
	for _, ph := range phases {
		np := navPhase{Phase: ph}
		for _, it := range navItems {
			if it.Phase == ph {
				np.Items = append(np.Items, it)
			}
		}
		if len(np.Items) > 0 {
			out = append(out, np)
		}
	}
	return out
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
	wheelDue,         // guide 2.9
}
