package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/ismsdk/isms"
)

// An indicator's trend (guide 2.9: "tendens i de væsentligste målinger"):
// its values over time as a line, with its target and thresholds as
// horizontal lines, drawn on the server (templates/drawings/
// indicator_chart.svg). The page shows the same values in a table for
// those who do not see the chart.

type indicatorChart struct {
	ID, Title, Desc       string
	Width, Height         int
	DrawWidth, DrawHeight int
	Grid                  []chartGrid
	Lines                 []chartLine
	Points                string
	Dots                  []chartDot
	XLabels               []chartLabel
	Legend                []chartLegend
}

// chartLine is a horizontal line across the plot: a target or threshold.
type chartLine struct {
	Y           float64
	X1, X2      int
	Color, Dash string
}

// chartMaxPoints is how many values the chart draws: the latest ones. A
// computed indicator has a value a day; a year of them still reads as a
// line.
const chartMaxPoints = 400

// newIndicatorChart lays out the values (oldest first) on a scale that
// holds them, the target and the thresholds.
func newIndicatorChart(p *page, ind *isms.Indicator, vals []*isms.IndicatorValue) *indicatorChart {
	if len(vals) > chartMaxPoints {
		vals = vals[len(vals)-chartMaxPoints:]
	}
	c := &indicatorChart{ID: fmt.Sprintf("ind-%d", ind.ID), Title: p.T("meas.chart.title", ind.Title), Width: chartWidth}
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(f float64) { lo, hi = math.Min(lo, f), math.Max(hi, f) }
	for _, v := range vals {
		see(v.Value)
	}
	for _, t := range []*float64{ind.Target, ind.Warning, ind.Breach} {
		if t != nil {
			see(*t)
		}
	}
	// Start at zero for values that are all positive, as counts and per
	// cents are; leave room above the highest.
	if lo > 0 {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	// A round top, so the grid's four steps read as round numbers (100 %
	// for per cents, 4 for a handful of documents).
	hi = lo + niceCeil(hi-lo)
	plotW := float64(chartWidth - chartLeft - chartRight)
	first, last := vals[0].MeasuredOn, vals[len(vals)-1].MeasuredOn
	span := last.Sub(first.Time).Hours()
	x := func(d isms.Date) float64 {
		if span <= 0 {
			return chartLeft + plotW/2
		}
		return chartLeft + plotW*d.Sub(first.Time).Hours()/span
	}
	y := func(v float64) float64 { return chartTop + chartPlot*(1-(v-lo)/(hi-lo)) }
	for k := 0; k <= 4; k++ {
		g := lo + (hi-lo)*float64(k)/4
		c.Grid = append(c.Grid, chartGrid{Y: y(g), X1: chartLeft, X2: chartWidth - chartRight, LabelX: chartLeft - 4, LabelY: y(g) + 4,
			Label: shortNumber(g), IsBaseline: k == 0})
	}
	var coords []string
	for _, v := range vals {
		d := chartDot{X: x(v.MeasuredOn), Y: y(v.Value), Title: p.T("meas.chart.point", showDateText(v.MeasuredOn), v.ValueText(), ind.Unit)}
		coords = append(coords, fmt.Sprintf("%.1f,%.1f", d.X, d.Y))
		// A dot per value while they are few enough to tell apart.
		if len(vals) <= 60 {
			c.Dots = append(c.Dots, d)
		}
	}
	c.Points = strings.Join(coords, " ")
	labels := []chartLabel{{X: x(first), Y: chartTop + chartPlot + 18, Text: shortDate(first), Anchor: "start"}}
	if last != first {
		labels = append(labels, chartLabel{X: x(last), Y: chartTop + chartPlot + 18, Text: shortDate(last), Anchor: "end"})
	}
	c.XLabels = labels
	legend := func(color, dash, text string) {
		ly := chartTop + chartPlot + 40 + 20*len(c.Legend)
		c.Legend = append(c.Legend, chartLegend{X: chartLeft, Y: ly, X2: chartLeft + 24, TextX: chartLeft + 30, TextY: ly + 4, Color: color, Dash: dash, Text: text})
	}
	legend("#1f5fa8", "", p.T("meas.chart.values", ind.Unit))
	for _, t := range []struct {
		v           *float64
		color, dash string
		key         string
	}{{ind.Target, "#2e7d32", "6 3", "meas.chart.target"}, {ind.Warning, "#8a5a00", "2 2", "meas.chart.warning"}, {ind.Breach, "#b3261e", "8 2 2 2", "meas.chart.breach"}} {
		if t.v == nil {
			continue
		}
		c.Lines = append(c.Lines, chartLine{Y: y(*t.v), X1: chartLeft, X2: chartWidth - chartRight, Color: t.color, Dash: t.dash})
		legend(t.color, t.dash, p.T(t.key, isms.NumberText(t.v), ind.Unit))
	}
	c.Desc = p.T("meas.chart.desc", len(vals), shortNumber(lo), shortNumber(hi))
	c.Height = chartTop + chartPlot + 40 + 20*len(c.Legend)
	c.DrawWidth, c.DrawHeight = c.Width*3/2, c.Height*3/2
	return c
}

// shortNumber writes an axis label: whole where it is, one decimal
// otherwise.
func shortNumber(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f", f)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

// showDateText is a day as the tooltips write it.
func showDateText(d isms.Date) string { return d.Format("02.01.2006") }

// niceCeil rounds a span up to 1, 2, 4, 5 or 8 times a power of ten,
// each of which splits into four round steps.
func niceCeil(f float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(f)))
	for _, m := range []float64{1, 2, 4, 5, 8, 10} {
		if m*p >= f-1e-9 {
			return m * p
		}
	}
	return 10 * p
}
