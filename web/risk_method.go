package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/i18n"
)

// The risk method (clause 6.1.2): the likelihood × consequence scale, one
// of the Danish 4×4 scales or the organisation's own, the acceptance
// criteria, the consequences assessed, the reassessment interval, the
// document that describes it, and the organisation's own controls.

// scaleDrawing is the geometry of a scale's matrix, drawn by
// templates/drawings/scale.svg.
type scaleDrawing struct {
	Width, Height int
	Label         string
	Rows          []scaleRowDrawing
	Columns       []axisTick
	Axes          axisLabel
}

type scaleRowDrawing struct {
	Tick  axisTick
	Cells []scaleCellDrawing
}

// scaleCellDrawing is a cell in its band's colour with its score, framed when
// it is within the acceptance criteria.
type scaleCellDrawing struct {
	X, Y, Size   int
	Color, Title string
	Frame        *square
	Score        int
	TextX, TextY int
	TextColor    string
}

// riskScaleSVG draws a scale's matrix: each cell in its band's colour with
// its score, the cells within the acceptance criteria framed.
func riskScaleSVG(m *isms.RiskMethod, lang string) (template.HTML, error) {
	n := m.Scale.Size
	const cell, left, top = 54, 40, 12
	d := scaleDrawing{Width: left + n*cell + 10, Height: top + n*cell + 44, Label: i18n.T(lang, "risk.method.matrix")}
	for l := n; l >= 1; l-- {
		y := top + (n-l)*cell
		row := scaleRowDrawing{Tick: axisTick{X: left - 8, Y: y + cell/2 + 5, N: l}}
		for c := 1; c <= n; c++ {
			x := left + (c-1)*cell
			color, label := "#ffffff", ""
			if band := m.Scale.Band(l, c); band != nil {
				color, label = band.Color, band.Label(lang)
			}
			sc := scaleCellDrawing{X: x, Y: y, Size: cell, Color: color, Title: fmt.Sprintf("%d × %d = %d: %s", l, c, l*c, label),
				Score: l * c, TextX: x + cell/2, TextY: y + cell/2 + 5, TextColor: riskTextColor(color)}
			if m.Acceptable(l, c) {
				sc.Frame = &square{x + 5, y + 5, cell - 10}
			}
			row.Cells = append(row.Cells, sc)
		}
		d.Rows = append(d.Rows, row)
	}
	for c := 1; c <= n; c++ {
		d.Columns = append(d.Columns, axisTick{X: left + (c-1)*cell + cell/2, Y: top + n*cell + 16, N: c})
	}
	d.Axes = axisLabel{left + n*cell/2, top + n*cell + 36, i18n.T(lang, "risk.method.axes")}
	return draw("scale.svg", d)
}

type riskMethodData struct {
	UI      riskUI
	Own     []*isms.RiskControlRef
	Themes  []string
	History []historyItem
}

// Matrix is the picture of the organisation's scale.
func (d riskMethodData) Matrix() (template.HTML, error) { return riskScaleSVG(d.UI.M, d.UI.Lang) }

func (s *Server) riskMethodPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRiskMethod(w, r, s.newPage(r, "title.risk_method"), http.StatusOK)
}

func (s *Server) renderRiskMethod(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	ui, err := s.riskUI(r, p.Lang, false)
	if err != nil {
		return err
	}
	d := riskMethodData{UI: ui, Themes: []string{"organizational", "people", "physical", "technological"}}
	cs, err := s.Risk.RiskControlOptions(r.Context(), org.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Own {
			d.Own = append(d.Own, c)
		}
	}
	if d.History, err = s.history(r, "risk_method", org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "risk_method", p)
	return nil
}

// scaleEditor is the custom-scale part of the method form, filled from
// the stored scale or from a submitted form.
type scaleEditor struct {
	Size           int
	Name           string
	Classification string
	Likelihood     []isms.ScaleLabel
	Consequence    []isms.ScaleLabel
	Bands          []isms.RiskBand // six rows; unused ones blank
	Cells          [][]scaleCell   // highest likelihood first
	Sizes          []int
}

type scaleCell struct {
	L, C  int
	Field string
	Band  string
}

func newScaleEditor(s isms.RiskScale) scaleEditor {
	e := scaleEditor{Size: s.Size, Name: s.Name, Classification: s.Classification, Likelihood: s.Likelihood, Consequence: s.Consequence,
		Sizes: []int{3, 4, 5, 6}}
	e.Bands = append([]isms.RiskBand{}, s.Bands...)
	for len(e.Bands) < 6 {
		e.Bands = append(e.Bands, isms.RiskBand{Color: "#ffffff"})
	}
	for l := s.Size; l >= 1; l-- {
		row := make([]scaleCell, 0, s.Size)
		for c := 1; c <= s.Size; c++ {
			key := s.Cells[isms.CellKey(l, c)]
			if key == "" {
				if b := s.Band(l, c); b != nil {
					key = b.Key
				}
			}
			row = append(row, scaleCell{L: l, C: c, Field: fmt.Sprintf("cell_%d_%d", l, c), Band: key})
		}
		e.Cells = append(e.Cells, row)
	}
	return e
}

// riskScaleFromForm reads the custom scale of a submitted method form.
func riskScaleFromForm(f url.Values, v *isms.Validation) isms.RiskScale {
	s := isms.RiskScale{Key: isms.CustomScale, Name: f.Get("scale_name"), Classification: f.Get("scale_classification"), Cells: map[string]string{}}
	s.Size = formInt(v, "scale_size", f.Get("scale_size"), 0)
	if s.Size < isms.MinScaleSize || s.Size > isms.MaxScaleSize {
		v.Add("scale_size", "risk.err.scale_size", isms.MinScaleSize, isms.MaxScaleSize)
		return s
	}
	for i := 1; i <= s.Size; i++ {
		s.Likelihood = append(s.Likelihood, isms.ScaleLabel{DA: strings.TrimSpace(f.Get(fmt.Sprintf("lik_da_%d", i))), EN: strings.TrimSpace(f.Get(fmt.Sprintf("lik_en_%d", i)))})
		s.Consequence = append(s.Consequence, isms.ScaleLabel{DA: strings.TrimSpace(f.Get(fmt.Sprintf("con_da_%d", i))), EN: strings.TrimSpace(f.Get(fmt.Sprintf("con_en_%d", i)))})
	}
	for i := 1; i <= 6; i++ {
		key := strings.TrimSpace(f.Get(fmt.Sprintf("band_key_%d", i)))
		if key == "" {
			continue
		}
		s.Bands = append(s.Bands, isms.RiskBand{Key: key, DA: strings.TrimSpace(f.Get(fmt.Sprintf("band_da_%d", i))),
			EN: strings.TrimSpace(f.Get(fmt.Sprintf("band_en_%d", i))), Color: f.Get(fmt.Sprintf("band_color_%d", i)),
			MinScore: formInt(v, "scale_bands", f.Get(fmt.Sprintf("band_min_%d", i)), 0), MaxScore: formInt(v, "scale_bands", f.Get(fmt.Sprintf("band_max_%d", i)), 0)})
	}
	for l := 1; l <= s.Size; l++ {
		for c := 1; c <= s.Size; c++ {
			if k := f.Get(fmt.Sprintf("cell_%d_%d", l, c)); k != "" {
				s.Cells[isms.CellKey(l, c)] = k
			}
		}
	}
	return s
}

// resized keeps what was typed and fits it to a new size.
func resized(s isms.RiskScale, size int) isms.RiskScale {
	st := catalog.StarterRiskScale(size)
	for i := 0; i < size; i++ {
		if i < len(s.Likelihood) {
			st.Likelihood[i] = s.Likelihood[i]
		}
		if i < len(s.Consequence) {
			st.Consequence[i] = s.Consequence[i]
		}
	}
	if len(s.Bands) >= 2 && s.Classification == isms.ClassifyCells {
		st.Bands, st.Classification, st.Cells = s.Bands, isms.ClassifyCells, map[string]string{}
		for l := 1; l <= size; l++ {
			for c := 1; c <= size; c++ {
				st.Cells[isms.CellKey(l, c)] = s.Cells[isms.CellKey(min(l, s.Size), min(c, s.Size))]
			}
		}
	}
	st.Name = s.Name
	return st
}

type riskMethodFormData struct {
	UI        riskUI
	Presets   []isms.RiskScale
	Editor    scaleEditor
	Documents []isms.RiskDocumentRef
	Intervals []int
}

// AcceptBands are the bands the acceptance criterion can name: those of
// the scale in use, of the shipped scales and of the custom scale being
// edited, each once.
func (d riskMethodFormData) AcceptBands() []isms.RiskBand {
	var out []isms.RiskBand
	seen := map[string]bool{}
	add := func(bands []isms.RiskBand) {
		for _, b := range bands {
			if b.Key != "" && !seen[b.Key] {
				seen[b.Key] = true
				out = append(out, b)
			}
		}
	}
	add(d.UI.M.Scale.Bands)
	for _, p := range d.Presets {
		add(p.Bands)
	}
	add(d.Editor.Bands)
	return out
}

func (s *Server) riskMethodForm(w http.ResponseWriter, r *http.Request, p *page, editing isms.RiskScale, status int) error {
	org := orgFrom(r.Context())
	ui, err := s.riskUI(r, p.Lang, false)
	if err != nil {
		return err
	}
	d := riskMethodFormData{UI: ui, Presets: catalog.RiskScales(), Editor: newScaleEditor(editing)}
	if d.Documents, err = s.Risk.RiskMethodDocuments(r.Context(), org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "risk_method_form", p)
	return nil
}

func (s *Server) riskMethodEditPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Risk.RiskMethod(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	// The custom-scale editor starts from the scale in use, so a shipped
	// scale can be taken as the starting point of an own one.
	return s.riskMethodForm(w, r, s.newPage(r, "title.risk_method_edit"), m.Scale, http.StatusOK)
}

func (s *Server) riskMethodSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	var v isms.Validation
	custom := riskScaleFromForm(f, &v)
	if parseFlag(f.Get("resize")) {
		// Only a change of the custom scale's size: show the form again.
		p := s.newPage(r, "title.risk_method_edit")
		size := formInt(&isms.Validation{}, "scale_size", f.Get("scale_size"), 0)
		if size < isms.MinScaleSize || size > isms.MaxScaleSize {
			size = 4
		}
		p.Form = f
		p.Form.Set("scale_key", isms.CustomScale)
		return s.riskMethodForm(w, r, p, resized(custom, size), http.StatusOK)
	}
	in := isms.RiskMethodInput{ScaleKey: f.Get("scale_key"), AcceptRule: f.Get("accept_rule"), AcceptBand: f.Get("accept_band"),
		AcceptScore: formInt(&v, "accept_score", f.Get("accept_score"), 0), Description: f.Get("method_description"),
		DefaultIntervalMonths: formInt(&v, "default_interval_months", f.Get("default_interval_months"), 0),
		Dimensions: isms.ConsequenceDimensions{Organisation: parseFlag(f.Get("dim_organisation")), Citizens: parseFlag(f.Get("dim_citizens")),
			Society: parseFlag(f.Get("dim_society"))},
		MethodDocumentID: parseOptionalID(&v, "method_document_id", f.Get("method_document_id")), Version: parseVersion(f.Get("version"))}
	if in.ScaleKey == isms.CustomScale {
		in.Scale = &custom
	}
	err := v.Err()
	if in.ScaleKey != isms.CustomScale {
		err = nil // the custom fields were not used
	}
	if err == nil {
		_, err = s.Risk.SaveRiskMethod(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		// The method is one record per organisation: its version now is
		// read again, and kept as sent if that fails.
		current := func() int64 {
			if m, e := s.Risk.RiskMethod(r.Context(), orgFrom(r.Context()).ID); e == nil {
				return m.Version
			}
			return parseVersion(f.Get("version"))
		}
		editing := custom
		if editing.Size < isms.MinScaleSize || editing.Size > isms.MaxScaleSize {
			editing = catalog.StarterRiskScale(4)
		}
		return s.formRefused(r, err, s.newPage(r, "title.risk_method_edit"), current,
			func(p *page, status int) error { return s.riskMethodForm(w, r, p, editing, status) })
	}
	s.redirect(w, r, p0(r, "/risk-method"), "flash.saved")
	return nil
}

func (s *Server) riskOwnControlSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	_, err := s.Risk.CreateOwnRiskControl(r.Context(), orgFrom(r.Context()).ID, isms.OwnRiskControlInput{Ref: f.Get("own_control_ref"),
		TitleDA: f.Get("own_control_title_da"), TitleEN: f.Get("own_control_title_en"), Theme: f.Get("own_control_theme")})
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.risk_method"), nil,
			func(p *page, status int) error { return s.renderRiskMethod(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/risk-method#own-controls"), "flash.saved")
	return nil
}
