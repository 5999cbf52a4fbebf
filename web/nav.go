package web

import (
	"net/http"
	"sort"

	"github.com/ismsdk/isms"
)

// navItem is an element of the guide in the navigation. Each element adds
// its own items (func init() { addNav(…) }); the navigation groups them by
// the Plan–Do–Check–Act phase the guide places them in and orders them by
// guide section.
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

var navItems []navItem

var phases = []string{"plan", "do", "check", "act"}

func addNav(items ...navItem) { navItems = append(navItems, items...) }

func init() {
	addNav(
		navItem{"plan", "2.1", "nav.overview", "/overview"},
		navItem{"plan", "2.1", "nav.scope", "/scope"},
	)
}

func navFor(p *page) []navPhase {
	items := append([]navItem(nil), navItems...)
	sort.SliceStable(items, func(i, j int) bool { return sectionLess(items[i].Section, items[j].Section) })
	var out []navPhase
	for _, ph := range phases {
		np := navPhase{Phase: ph}
		for _, it := range items {
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

// sectionLess orders "2.9" before "2.10".
func sectionLess(a, b string) bool {
	pa, pb := splitSection(a), splitSection(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func splitSection(s string) []int {
	var out []int
	n := 0
	for _, c := range s + "." {
		if c == '.' {
			out = append(out, n)
			n = 0
			continue
		}
		n = n*10 + int(c-'0')
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

// dueSources let each element put what is due on the dashboard.
var dueSources []func(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error)

func addDue(f func(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error)) {
	dueSources = append(dueSources, f)
}
