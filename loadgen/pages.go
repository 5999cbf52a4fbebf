package loadgen

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// Page is one page or API operation the measurements request: the pages
// a coordinator of a large organisation opens most, with a filter and a
// sort where the page has them.
type Page struct {
	Key  string // short name, stable across runs (for --json and benchmarks)
	Name string // what it is, in words
	Path string // below the site root, for the organisation
	// API pages are requested with a bearer token, as API clients do;
	// the others with the session cookie of a logged-in browser.
	API bool
	// Binary pages answer with a file (an SVG, a workbook), not HTML.
	Binary bool
}

// FilterWord is the word the register pages filter on: a work area that
// appears in about one name in thirty.
const FilterWord = "jobcenter"

// riskHole stands in the path of the page about one risk for the risk's
// id, which only the database can tell: WithRisk fills it in.
const riskHole = "{risk}"

// riskFilter is the risk register's filter and order, the same on the
// page and through the API.
const riskFilter = "treatment=mitigate&q=" + FilterWord + "&sort=-residual"

// Pages lists what is measured for an organisation, the pages of issue 9's
// targets first. A page whose element is not in the build answers 404 and
// is reported as unavailable. The page about one risk names no risk until
// WithRisk gives it one (FirstRisk finds one).
func Pages(orgID int64) []Page {
	o := fmt.Sprintf("/orgs/%d", orgID)
	api := fmt.Sprintf("/api/v1/organisations/%d", orgID)
	return []Page{
		{Key: "dashboard", Name: "dashboard", Path: o},
		{Key: "checklist", Name: "checklist page", Path: o + "/checklist"},
		{Key: "checklist_api", Name: "checklist API", Path: api + "/checklist", API: true},
		{Key: "risks", Name: "risk register: mitigated risks matching a word, by residual risk descending",
			Path: o + "/risks?" + riskFilter},
		// The API's default page is 100 rows; 50 is the page's, so both
		// read the same rows.
		{Key: "risks_api", Name: "risk register API: the same filter, order and 50 rows",
			Path: api + "/risks?" + riskFilter + "&limit=50", API: true},
		{Key: "risk", Name: "one risk's page (the register's first risk)", Path: o + "/risks/" + riskHole},
		{Key: "soa", Name: "Statement of Applicability", Path: o + "/soa"},
		{Key: "heatmap", Name: "risk heat map page (inherent and residual)", Path: o + "/risks/heatmap"},
		{Key: "heatmap_svg", Name: "risk heat map image (SVG)", Path: o + "/risks/heatmap.svg", Binary: true},
		{Key: "documents", Name: "documentation register", Path: o + "/documents"},
		// The calendar of the current year: reading a year never lays it
		// out, so it answers whether or not the year is laid out.
		{Key: "wheel", Name: "annual wheel: this year's calendar", Path: o + "/wheel"},
		{Key: "overview", Name: "business overview: systems matching a word, by owner descending",
			Path: o + "/overview?kind=system&q=" + FilterWord + "&sort=-owner"},
		{Key: "soa_xlsx", Name: "Statement of Applicability export (XLSX)", Path: o + "/soa/export.xlsx", Binary: true},
	}
}

// NeedsRisk reports whether the page is about one risk, whose id WithRisk
// must put in its path before it is requested.
func (p Page) NeedsRisk() bool { return strings.Contains(p.Path, riskHole) }

// WithRisk is the page with the risk's id in its path (the page itself
// when it is about no one risk).
func (p Page) WithRisk(id int64) Page {
	p.Path = strings.ReplaceAll(p.Path, riskHole, strconv.FormatInt(id, 10))
	return p
}

// FirstRisk is the id of the first risk of the organisation's register in
// its default order (highest residual risk first), or 0 when it holds
// none. ctx carries a member who may read the register.
func FirstRisk(ctx context.Context, db *sqlstore.DB, orgID int64) (int64, error) {
	risks, _, err := db.Risks(ctx, orgID, isms.RiskFilter{Limit: 1})
	if err != nil || len(risks) == 0 {
		return 0, err
	}
	return risks[0].ID, nil
}
