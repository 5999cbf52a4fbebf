package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"

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

// heatMapDrawing is the geometry of the heat map picture, drawn by
// templates/drawings/heatmap.svg: both grids side by side with a legend.
type heatMapDrawing struct {
	Width, Height int
	Title, Desc   string
	Grids         []heatGridDrawing
	Bands         []legendEntry // the bands' colours and names
	Acceptable    legendEntry   // the frame of an acceptable cell
}

type heatGridDrawing struct {
	X           int // the grid's title
	Title       string
	Total       int
	Rows        []heatRowDrawing
	Columns     []axisTick // the consequences under the grid
	Consequence axisLabel
	Likelihood  axisLabel // turned a quarter to the left
}

type heatRowDrawing struct {
	Tick  axisTick // the likelihood left of the row
	Cells []heatCellDrawing
}

type heatCellDrawing struct {
	X, Y, Size int
	URL, Label string // the link and its name in words
	Color      string
	Frame      *square // a cell within the acceptance criteria is framed
	Count      int
	CountX     int
	CountY     int
	TextColor  string
}

type square struct{ X, Y, Size int }

// axisTick is a number on an axis, named in words when pointed at.
type axisTick struct {
	X, Y  int
	N     int
	Label string
}

type axisLabel struct {
	X, Y  int
	Label string
}

// legendEntry is a square followed by its name.
type legendEntry struct {
	X, Y         int
	Color, Label string
	TextX, TextY int
}

func newLegendEntry(x, y int, color, label string) legendEntry {
	return legendEntry{X: x, Y: y, Color: color, Label: label, TextX: x + 22, TextY: y + 13}
}

// riskHeatMapSVG draws both grids side by side with a legend.
func riskHeatMapSVG(grids []heatGrid, ui riskUI) (template.HTML, error) {
	n := ui.M.Scale.Size
	const cell, left, top, gap, bottom = 60, 56, 44, 48, 52
	gw := left + n*cell
	// Room for the grids' titles, which may be wider than a small grid.
	gw = max(gw, 320)
	legendY := top + n*cell + bottom
	d := heatMapDrawing{
		Width:  2*gw + gap + 10,
		Height: legendY + 24*((len(ui.M.Scale.Bands)+2)/3) + 34,
		Title:  i18n.T(ui.Lang, "risk.heatmap.title"),
		Desc:   i18n.T(ui.Lang, "risk.heatmap.desc"),
	}
	for gi, g := range grids {
		x0 := gi * (gw + gap)
		gd := heatGridDrawing{X: x0 + 8, Title: g.Title, Total: g.Total,
			Consequence: axisLabel{x0 + left + n*cell/2, top + n*cell + 38, i18n.T(ui.Lang, "risk.consequence")},
			Likelihood:  axisLabel{x0 + 16, top + n*cell/2, i18n.T(ui.Lang, "risk.likelihood")},
		}
		for ri, row := range g.Rows {
			y := top + ri*cell
			rd := heatRowDrawing{Tick: axisTick{x0 + left - 8, y + cell/2 + 5, row.Likelihood, row.Label}}
			for ci, c := range row.Cells {
				x := x0 + left + ci*cell
				cd := heatCellDrawing{X: x, Y: y, Size: cell, URL: c.URL, Color: c.Color,
					Label: i18n.T(ui.Lang, "risk.heatmap.cell", ui.L(c.Likelihood), ui.C(c.Consequence), c.Count, c.BandLabel),
					Count: c.Count, CountX: x + cell/2, CountY: y + cell/2 + 6, TextColor: riskTextColor(c.Color)}
				if c.Acceptable {
					cd.Frame = &square{x + 5, y + 5, cell - 10}
				}
				rd.Cells = append(rd.Cells, cd)
			}
			gd.Rows = append(gd.Rows, rd)
		}
		for c := 1; c <= n; c++ {
			gd.Columns = append(gd.Columns, axisTick{x0 + left + (c-1)*cell + cell/2, top + n*cell + 18, c, ui.C(c)})
		}
		d.Grids = append(d.Grids, gd)
	}
	for i, band := range ui.M.Scale.Bands {
		d.Bands = append(d.Bands, newLegendEntry(left+(i%3)*220, legendY+(i/3)*24, band.Color, band.Label(ui.Lang)))
	}
	d.Acceptable = newLegendEntry(left, legendY+24*((len(ui.M.Scale.Bands)+2)/3)+4, "none", i18n.T(ui.Lang, "risk.heatmap.acceptable"))
	return draw("heatmap.svg", d)
}

type riskHeatMapData struct {
	UI    riskUI
	Grids []heatGrid
	SVG   template.HTML
	// TablesHTML is the grids as tables, rendered for the page.
	TablesHTML template.HTML
	Filter     isms.RiskFilter
	SVGURL     string // the picture alone, with the same filter
	Members    []*isms.Membership
	Treatments []isms.Treatment
	Asset      *isms.Asset
}

// riskHeatMap is the heat map for the request's filter, drawn: computed
// from the register, so it is kept until the records change, for each
// filter and language.
func (s *Server) riskHeatMap(r *http.Request, lang string) (riskHeatMapData, error) {
	v, err := s.derived(r, orgFrom(r.Context()).ID, "risk_heatmap:"+lang+"?"+r.URL.RawQuery, false, func(r *http.Request) (any, error) {
		return s.drawRiskHeatMap(r, lang)
	})
	if err != nil {
		return riskHeatMapData{}, err
	}
	return v.(riskHeatMapData), nil
}

func (s *Server) drawRiskHeatMap(r *http.Request, lang string) (riskHeatMapData, error) {
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
	if d.SVG, err = riskHeatMapSVG(d.Grids, d.UI); err != nil {
		return d, err
	}
	if f.AssetID != 0 {
		if d.Asset, err = s.Risk.Asset(r.Context(), org.ID, f.AssetID); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (s *Server) riskHeatMapPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.risk_heatmap")
	// The page's tables are rendered once per change of the records, for
	// each filter and language, with the map they draw.
	v, err := s.derived(r, orgFrom(r.Context()).ID, "risk_heatmap_page:"+p.Lang+"?"+r.URL.RawQuery, false, func(r *http.Request) (any, error) {
		d, err := s.riskHeatMap(r, p.Lang)
		if err != nil {
			return nil, err
		}
		d.TablesHTML, err = s.fragment("risk_heatmap", "heatmap_tables", p, d)
		return d, err
	})
	if err != nil {
		return err
	}
	d := v.(riskHeatMapData)
	if d.Members, err = s.Orgs.Memberships(r.Context(), orgFrom(r.Context()).ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, http.StatusOK, "risk_heatmap", p)
	return nil
}

// riskHeatMapSVG serves the heat map alone, e.g. for a report.
func (s *Server) riskHeatMapSVG(w http.ResponseWriter, r *http.Request) error {
	d, err := s.riskHeatMap(r, i18n.Negotiate(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write([]byte(d.SVG))
	return nil
}
