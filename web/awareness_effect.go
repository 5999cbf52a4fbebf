package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
)

// The effect of the awareness programme over time (guide 2.6): the click
// and report rates of the phishing exercises, and the average score of
// each quiz or e-learning, as line charts drawn on the server
// (templates/drawings/awareness_chart.svg), each with its numbers in a
// table beside it for those who do not see the chart.

// lineChart is a chart of one or more series of per cents over time. Its
// box is narrow (360 units wide), so at a phone's width its text keeps
// its size; a wider screen draws it larger.
type lineChart struct {
	ID, Title, Desc       string
	Width, Height         int
	DrawWidth, DrawHeight int // drawn half as large again where there is room
	Grid                  []chartGrid
	Series                []chartSeries
	XLabels               []chartLabel
	Legend                []chartLegend
}

type chartGrid struct {
	Y          float64
	X1, X2     int
	LabelX     int
	LabelY     float64
	Label      string
	IsBaseline bool
}

type chartSeries struct {
	Color, Dash string
	Points      string
	Dots        []chartDot
}

type chartDot struct {
	X, Y  float64
	Title string
}

type chartLabel struct {
	X      float64
	Y      int
	Text   string
	Anchor string
}

type chartLegend struct {
	X, Y        int
	X2          int
	TextX       int
	TextY       int
	Color, Dash string
	Text        string
}

// chartPoint is one value of a series at a point of the x axis (its
// index among the chart's points), with what its tooltip says.
type chartPoint struct {
	Index int
	Value float64
	Title string
}

const (
	chartWidth  = 360
	chartHeight = 250
	chartLeft   = 40
	chartRight  = 12
	chartTop    = 12
	chartPlot   = 160 // the plot's height
)

// newLineChart lays out series over n points of the x axis named by
// labels (shown at most every few, so they do not overlap), on a scale of
// 0 to 100 %.
func newLineChart(id, title, desc string, labels []string, names []string, series [][]chartPoint) *lineChart {
	c := &lineChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: chartHeight}
	plotW := float64(chartWidth - chartLeft - chartRight)
	x := func(i int) float64 {
		if len(labels) <= 1 {
			return chartLeft + plotW/2
		}
		return chartLeft + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return chartTop + chartPlot*(1-math.Max(0, math.Min(100, v))/100) }
	for _, g := range []float64{0, 25, 50, 75, 100} {
		c.Grid = append(c.Grid, chartGrid{Y: y(g), X1: chartLeft, X2: chartWidth - chartRight, LabelX: chartLeft - 4, LabelY: y(g) + 4,
			Label: fmt.Sprintf("%.0f %%", g), IsBaseline: g == 0})
	}
	step := 1
	for len(labels)/step > 4 {
		step++
	}
	for i, l := range labels {
		if i%step != 0 && i != len(labels)-1 {
			continue
		}
		anchor := "middle"
		switch {
		case len(labels) > 1 && i == 0:
			anchor = "start"
		case len(labels) > 1 && i == len(labels)-1:
			anchor = "end"
		}
		c.XLabels = append(c.XLabels, chartLabel{X: x(i), Y: chartTop + chartPlot + 18, Text: l, Anchor: anchor})
	}
	colors := []struct{ color, dash string }{{"#b3261e", ""}, {"#1f5fa8", "6 3"}, {"#2e7d32", "2 2"}}
	for si, pts := range series {
		st := colors[si%len(colors)]
		s := chartSeries{Color: st.color, Dash: st.dash}
		var coords []string
		for _, p := range pts {
			d := chartDot{X: x(p.Index), Y: y(p.Value), Title: p.Title}
			s.Dots = append(s.Dots, d)
			coords = append(coords, fmt.Sprintf("%.1f,%.1f", d.X, d.Y))
		}
		s.Points = strings.Join(coords, " ")
		c.Series = append(c.Series, s)
		ly := chartTop + chartPlot + 40 + 20*si
		c.Legend = append(c.Legend, chartLegend{X: chartLeft, Y: ly, X2: chartLeft + 24, TextX: chartLeft + 30, TextY: ly + 4, Color: st.color,
			Dash: st.dash, Text: names[si]})
	}
	c.Height = chartTop + chartPlot + 40 + 20*len(series)
	c.DrawWidth, c.DrawHeight = c.Width*3/2, c.Height*3/2
	return c
}

type effectData struct {
	Effect        *isms.AwarenessEffect
	PhishingChart template.HTML
	ScoreChart    template.HTML
}

func (s *Server) effectPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.AwarenessParticipation.AwarenessEffect(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.awp_effect")
	d := effectData{Effect: e}
	if len(e.Exercises) > 0 {
		var labels []string
		var clicks, reports []chartPoint
		for i, x := range e.Exercises {
			labels = append(labels, shortDate(x.On))
			clicks = append(clicks, chartPoint{Index: i, Value: x.ClickRate, Title: p.T("awp.effect.point", x.Title, p.T("awp.effect.click_rate"), percent1(x.ClickRate))})
			reports = append(reports, chartPoint{Index: i, Value: x.ReportRate, Title: p.T("awp.effect.point", x.Title, p.T("awp.effect.report_rate"), percent1(x.ReportRate))})
		}
		c := newLineChart("phishing", p.T("awp.effect.phishing_title"), p.T("awp.effect.phishing_desc", len(e.Exercises)), labels,
			[]string{p.T("awp.effect.click_rate"), p.T("awp.effect.report_rate")}, [][]chartPoint{clicks, reports})
		if d.PhishingChart, err = draw("awareness_chart.svg", c); err != nil {
			return err
		}
	}
	if len(e.Scores) > 0 {
		var labels []string
		var avg []chartPoint
		for i, x := range e.Scores {
			labels = append(labels, shortDate(x.On))
			avg = append(avg, chartPoint{Index: i, Value: x.Average, Title: p.T("awp.effect.point", x.Title, p.T("awp.effect.average"), percent1(x.Average))})
		}
		c := newLineChart("scores", p.T("awp.effect.scores_title"), p.T("awp.effect.scores_desc", len(e.Scores)), labels,
			[]string{p.T("awp.effect.average")}, [][]chartPoint{avg})
		if d.ScoreChart, err = draw("awareness_chart.svg", c); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, http.StatusOK, "awareness_effect", p)
	return nil
}

// shortDate is a chart's axis label: month and year.
func shortDate(d isms.Date) string { return d.Format("01/2006") }

// percent1 writes a per cent with one decimal, as the tables do.
func percent1(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") + " %" }
