package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The risk heat map: the register's risks counted per cell of the
// likelihood × consequence matrix, before treatment (inherent) and after
// (residual), drawn as SVG on the server in the organisation's band
// colours. Every cell links to the register filtered to it, and the page
// gives the same counts as tables for those who do not see the picture.

// heatCell is one cell of a grid.
type heatCell struct {
	Likelihood, Consequence int
	Count                   int
	Band                    string
	BandLabel               string
	Color                   string
	Acceptable              bool
	URL                     string
}

// heatRow is one likelihood of a grid, highest first.
type heatRow struct {
	Likelihood int
	Label      string
	Cells      []heatCell
}

// heatGrid is one of the two grids.
type heatGrid struct {
	Key   string // inherent or residual
	Title string
	Rows  []heatRow
	Total int
}

// riskHeatGrids lays out the counts for drawing and for the tables.
func riskHeatGrids(h *isms.RiskHeatMap, ui riskUI, base, filter string) []heatGrid {
	out := make([]heatGrid, 0, 2)
	for _, g := range []struct {
		key    string
		counts [][]int
	}{{isms.GridInherent, h.Inherent}, {isms.GridResidual, h.Residual}} {
		grid := heatGrid{Key: g.key, Title: i18n.T(ui.Lang, i18n.Key("risk.heatmap."+g.key))}
		for l := h.Size; l >= 1; l-- {
			row := heatRow{Likelihood: l, Label: ui.L(l)}
			for c := 1; c <= h.Size; c++ {
				cell := heatCell{Likelihood: l, Consequence: c, Count: g.counts[l-1][c-1], Acceptable: ui.M.Acceptable(l, c), Color: "#ffffff"}
				if b := ui.M.Scale.Band(l, c); b != nil {
					cell.Band, cell.BandLabel, cell.Color = b.Key, b.Label(ui.Lang), b.Color
				}
				q := "grid=" + g.key + "&l=" + strconv.Itoa(l) + "&c=" + strconv.Itoa(c)
				if filter != "" {
					q += "&" + filter
				}
				cell.URL = base + "?" + q
				grid.Total += cell.Count
				row.Cells = append(row.Cells, cell)
			}
			grid.Rows = append(grid.Rows, row)
		}
		out = append(out, grid)
	}
	return out
}

// riskTextColor is black or white, whichever reads better on a colour.
func riskTextColor(hex string) string {
	if len(hex) != 7 {
		return "#000000"
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return "#000000"
	}
	lin := func(c uint64) float64 {
		x := float64(c) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	lum := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	// Contrast with black is (L+0.05)/0.05, with white 1.05/(L+0.05).
	if (lum+0.05)/0.05 >= 1.05/(lum+0.05) {
		return "#000000"
	}
	return "#ffffff"
}

// riskHeatMapSVG draws both grids side by side with a legend.
func riskHeatMapSVG(grids []heatGrid, ui riskUI) string {
	n := ui.M.Scale.Size
	const cell, left, top, gap, bottom = 60, 56, 44, 48, 52
	gw := left + n*cell
	// Room for the grids' titles, which may be wider than a small grid.
	gw = max(gw, 320)
	width := 2*gw + gap + 10
	legendY := top + n*cell + bottom
	height := legendY + 24*((len(ui.M.Scale.Bands)+2)/3) + 34
	esc := template.HTMLEscapeString
	var b strings.Builder
	title := i18n.T(ui.Lang, "risk.heatmap.title")
	// The picture holds a link per cell, so it is a group of links named by
	// its title, not an image: an image's content is presentational, and
	// links inside it would be interactive elements nested where assistive
	// technology does not expect them. Each link names its cell in words.
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-labelledby="hm-title" aria-describedby="hm-desc">`,
		width, height, width, height)
	fmt.Fprintf(&b, `<title id="hm-title">%s</title><desc id="hm-desc">%s</desc>`, esc(title), esc(i18n.T(ui.Lang, "risk.heatmap.desc")))
	for gi, g := range grids {
		x0 := gi * (gw + gap)
		fmt.Fprintf(&b, `<text x="%d" y="20" font-size="15" font-weight="700" fill="#1a1a1a">%s (%d)</text>`, x0+8, esc(g.Title), g.Total)
		for ri, row := range g.Rows {
			y := top + ri*cell
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" text-anchor="end" fill="#1a1a1a">%d<title>%s</title></text>`,
				x0+left-8, y+cell/2+5, row.Likelihood, esc(row.Label))
			for ci, c := range row.Cells {
				x := x0 + left + ci*cell
				label := i18n.T(ui.Lang, "risk.heatmap.cell", ui.L(c.Likelihood), ui.C(c.Consequence), c.Count, c.BandLabel)
				fmt.Fprintf(&b, `<a href="%s" aria-label="%s"><rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="2"/>`,
					esc(c.URL), esc(label), x, y, cell, cell, esc(c.Color))
				if c.Acceptable {
					fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#1a1a1a" stroke-width="1" stroke-dasharray="4 3"/>`,
						x+5, y+5, cell-10, cell-10)
				}
				if c.Count > 0 {
					fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="18" font-weight="700" text-anchor="middle" fill="%s">%d</text>`,
						x+cell/2, y+cell/2+6, riskTextColor(c.Color), c.Count)
				}
				fmt.Fprintf(&b, `<title>%s</title></a>`, esc(label))
			}
		}
		for c := 1; c <= n; c++ {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" text-anchor="middle" fill="#1a1a1a">%d<title>%s</title></text>`,
				x0+left+(c-1)*cell+cell/2, top+n*cell+18, c, esc(ui.C(c)))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" text-anchor="middle" fill="#1a1a1a">%s →</text>`,
			x0+left+n*cell/2, top+n*cell+38, esc(i18n.T(ui.Lang, "risk.consequence")))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" text-anchor="middle" fill="#1a1a1a" transform="rotate(-90 %d %d)">%s →</text>`,
			x0+16, top+n*cell/2, x0+16, top+n*cell/2, esc(i18n.T(ui.Lang, "risk.likelihood")))
	}
	for i, band := range ui.M.Scale.Bands {
		x, y := (i%3)*220, legendY+(i/3)*24
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="16" height="16" fill="%s" stroke="#333"/><text x="%d" y="%d" font-size="13" fill="#1a1a1a">%s</text>`,
			x+left, y, esc(band.Color), x+left+22, y+13, esc(band.Label(ui.Lang)))
	}
	y := legendY + 24*((len(ui.M.Scale.Bands)+2)/3) + 4
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="16" height="16" fill="none" stroke="#1a1a1a" stroke-dasharray="4 3"/><text x="%d" y="%d" font-size="13" fill="#1a1a1a">%s</text>`,
		left, y, left+22, y+13, esc(i18n.T(ui.Lang, "risk.heatmap.acceptable")))
	b.WriteString("</svg>")
	return b.String()
}

type riskHeatMapData struct {
	UI         riskUI
	Grids      []heatGrid
	SVG        template.HTML
	Filter     isms.RiskFilter
	SVGURL     string // the picture alone, with the same filter
	Members    []*isms.Membership
	Treatments []isms.Treatment
	Asset      *isms.Asset
}

func (s *Server) riskHeatMap(r *http.Request, lang string) (riskHeatMapData, error) {
	org := orgFrom(r.Context())
	var d riskHeatMapData
	f, err := riskFilterFrom(r, 1)
	if err != nil {
		return d, err
	}
	if d.UI, err = s.riskUI(r, lang, false); err != nil {
		return d, err
	}
	h, err := s.Risk.RiskHeatMap(r.Context(), org.ID, f)
	if err != nil {
		return d, err
	}
	filter := riskFilterQuery(r, riskMapFilter)
	d.Filter, d.SVGURL, d.Treatments = f, withQuery(fmt.Sprintf("/orgs/%d/risks/heatmap.svg", org.ID), filter), isms.Treatments
	d.Grids = riskHeatGrids(h, d.UI, fmt.Sprintf("/orgs/%d/risks", org.ID), filter)
	d.SVG = template.HTML(riskHeatMapSVG(d.Grids, d.UI))
	if f.AssetID != 0 {
		if d.Asset, err = s.Risk.Asset(r.Context(), org.ID, f.AssetID); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (s *Server) riskHeatMapPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "title.risk_heatmap")
	d, err := s.riskHeatMap(r, p.Lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), orgFrom(r.Context()).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = d
	s.render(w, http.StatusOK, "risk_heatmap", p)
}

// riskHeatMapSVG serves the heat map alone, e.g. for a report.
func (s *Server) riskHeatMapSVG(w http.ResponseWriter, r *http.Request) {
	d, err := s.riskHeatMap(r, i18n.Negotiate(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write([]byte(d.SVG))
}
