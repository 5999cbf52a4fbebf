package loadgen

import "fmt"

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

// Pages lists what is measured for an organisation. A page whose element
// is not in the build answers 404 and is reported as unavailable.
func Pages(orgID int64) []Page {
	o := fmt.Sprintf("/orgs/%d", orgID)
	return []Page{
		{Key: "overview", Name: "business overview: systems matching a word, by owner descending",
			Path: o + "/overview?kind=system&q=" + FilterWord + "&sort=-owner"},
		{Key: "risks", Name: "risk register: mitigated risks matching a word, by residual risk descending",
			Path: o + "/risks?treatment=mitigate&q=" + FilterWord + "&sort=-residual"},
		{Key: "heatmap", Name: "risk heat map page (inherent and residual)", Path: o + "/risks/heatmap"},
		{Key: "heatmap_svg", Name: "risk heat map image (SVG)", Path: o + "/risks/heatmap.svg", Binary: true},
		{Key: "soa", Name: "Statement of Applicability", Path: o + "/soa"},
		{Key: "soa_xlsx", Name: "Statement of Applicability export (XLSX)", Path: o + "/soa/export.xlsx", Binary: true},
		{Key: "checklist", Name: "checklist page", Path: o + "/checklist"},
		{Key: "checklist_api", Name: "checklist API", Path: fmt.Sprintf("/api/v1/organisations/%d/checklist", orgID), API: true},
		{Key: "dashboard", Name: "dashboard", Path: o},
	}
}
