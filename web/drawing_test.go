package web

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// hostile is a name an organisation could give a band or a level.
const hostile = `Low <b>&"x"`

// hostileMethod is a shipped scale whose first band and lowest levels
// carry hostile names.
func hostileMethod(t *testing.T) *isms.RiskMethod {
	t.Helper()
	sc := catalog.RiskScales()[0]
	sc.Bands = append([]isms.RiskBand(nil), sc.Bands...)
	sc.Bands[0].DA, sc.Bands[0].EN = hostile, hostile
	sc.Likelihood = append([]isms.ScaleLabel(nil), sc.Likelihood...)
	sc.Likelihood[0] = isms.ScaleLabel{DA: hostile, EN: hostile}
	sc.Consequence = append([]isms.ScaleLabel(nil), sc.Consequence...)
	sc.Consequence[0] = isms.ScaleLabel{DA: hostile, EN: hostile}
	return &isms.RiskMethod{Scale: sc, AcceptRule: "band", AcceptBand: sc.Bands[0].Key}
}

// wellFormed fails the test unless the drawing is well-formed XML, as a
// standalone SVG document must be.
func wellFormed(t *testing.T, name, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v\n%s", name, err, svg)
		}
	}
}

// TestDrawingsEscapeNames checks that a name with <, & and " appears in the
// SVG drawings as text, escaped, never as markup.
func TestDrawingsEscapeNames(t *testing.T) {
	m := hostileMethod(t)
	ui := riskUI{M: m, Lang: "en"}
	n := m.Scale.Size
	counts := func() [][]int {
		c := make([][]int, n)
		for i := range c {
			c[i] = make([]int, n)
		}
		c[0][0] = 2
		return c
	}
	grids := riskHeatGrids(&isms.RiskHeatMap{Size: n, Inherent: counts(), Residual: counts()}, ui, "/orgs/1/risks", `owner=1&x="y"`)
	heat, err := riskHeatMapSVG(grids, ui)
	if err != nil {
		t.Fatal(err)
	}
	scale, err := riskScaleSVG(m, "en")
	if err != nil {
		t.Fatal(err)
	}
	swatch, err := ui.Level(isms.RiskLevel{Likelihood: 1, Consequence: 1, Score: 1, Band: m.Scale.Bands[0].Key})
	if err != nil {
		t.Fatal(err)
	}
	escaped := `Low &lt;b&gt;&amp;&#34;x&#34;`
	for name, svg := range map[string]string{"heat map": string(heat), "scale": string(scale), "level": string(swatch)} {
		if strings.Contains(svg, "<b>") || strings.Contains(svg, `&"`) {
			t.Errorf("%s: the name is not escaped:\n%s", name, svg)
		}
		if !strings.Contains(svg, escaped) {
			t.Errorf("%s: the name %q is missing, want %q:\n%s", name, hostile, escaped, svg)
		}
		if name != "level" {
			wellFormed(t, name, svg)
		}
	}
	// The cells' links keep the filter, escaped in the attribute.
	if !strings.Contains(string(heat), `href="/orgs/1/risks?grid=inherent&amp;l=1&amp;c=1&amp;owner=1&amp;x=%22y%22"`) {
		t.Errorf("heat map: the cell's link is not escaped as a URL:\n%s", heat)
	}

	path, err := checklistPathSVG(`4.1"<x>`, []isms.ChecklistDayAnswer{{QuestionID: "4.1", Day: day(t, "2026-03-02"), Status: isms.AnswerYes, Source: "records"}},
		day(t, "2026-03-01"), 3, "en")
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "answer path", string(path))
	if strings.Contains(string(path), `<x>`) {
		t.Errorf("answer path: the question's id is not escaped:\n%s", path)
	}
	chart, err := checklistSVG([]isms.ChecklistSnapshot{{Day: day(t, "2026-03-02"), Yes: 3, No: 1}}, "en")
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "checklist chart", string(chart))

	// The wheel names each occurrence by its activity's title and each
	// other element's obligation by its label, both typed by users.
	cal := &isms.WheelCalendar{Year: 2026,
		Occurrences: []*isms.Occurrence{{ActivityID: 1, ActivityTitle: hostile, DueDate: day(t, "2026-03-02"), Status: isms.OccurrenceStatus("done")},
			{ActivityID: 2, ActivityTitle: "Audit", DueDate: day(t, "2026-05-02")}},
		Scheduled: []isms.ScheduledItem{{Day: day(t, "2026-06-01"), Label: hostile, Kind: "kind.document"}}}
	wheel, err := wheelSVG(cal, "en", day(t, "2026-04-01"))
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "wheel", string(wheel))
	if strings.Contains(string(wheel), "<b>") || strings.Count(string(wheel), escaped) != 2 {
		t.Errorf("wheel: the names are not escaped twice:\n%s", wheel)
	}
	legend, err := wheelCalendarData{}.Legend()
	if err != nil || len(legend) == 0 {
		t.Fatalf("legend: %v", err)
	}
	for _, l := range legend {
		wellFormed(t, "legend "+l.Status, string(l.Mark))
		if strings.Contains(string(l.Mark), "<title>") {
			t.Errorf("legend %s: a mark of the legend has a title: %s", l.Status, l.Mark)
		}
	}
	progress, err := progressSVG(&isms.PlanProgress{Year: 2026, Months: [12]isms.ProgressCount{{Planned: 2, Done: 1, Open: 1}}}, "en")
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "progress", string(progress))
}

func day(t *testing.T, s string) isms.Date {
	t.Helper()
	d, err := isms.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
