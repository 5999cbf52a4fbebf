package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/i18n"
)

// checklistItem is one question with its answer, in the reader's language.
type checklistItem struct {
	ID       string              `json:"id"`
	Area     string              `json:"area"`
	Section  string              `json:"guide_section"`
	Phase    string              `json:"phase"`
	Question string              `json:"question"`
	Status   isms.AnswerStatus   `json:"status"`
	Source   string              `json:"source"`
	Rule     string              `json:"rule,omitempty"`
	Reasons  []string            `json:"reasons"`
	Evidence []checklistEvidence `json:"evidence"`
	Manual   *isms.ManualAnswer  `json:"manual,omitempty"`
	Path     template.HTML       `json:"-"` // the page's picture of the answer day by day
}

type checklistEvidence struct {
	RecordType string `json:"record_type"`
	RecordID   int64  `json:"record_id,omitempty"`
	Label      string `json:"label"`
	URL        string `json:"url"`
}

// checklistItems answers the checklist and puts it in words.
func (s *Server) checklistItems(r *http.Request, orgID int64, lang string) ([]checklistItem, error) {
	answers, err := s.Checklist.Checklist(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	out := make([]checklistItem, 0, len(answers))
	for _, a := range answers {
		q, _ := catalog.QuestionByID(a.QuestionID)
		it := checklistItem{ID: q.ID, Area: i18n.T(lang, i18n.Key(q.Area)), Section: q.Section, Phase: q.Phase, Question: q.Text(lang),
			Status: a.Status, Source: a.Source, Manual: a.Manual, Reasons: []string{}, Evidence: []checklistEvidence{}}
		if a.Rule.Key != "" {
			it.Rule = i18n.T(lang, i18n.Key(a.Rule.Key), a.Rule.Args...)
		}
		for _, m := range a.Reasons {
			it.Reasons = append(it.Reasons, i18n.T(lang, i18n.Key(m.Key), m.Args...))
		}
		for _, e := range a.Evidence {
			label := e.Label
			if i18n.Has(i18n.Key("evidence." + e.Label)) {
				label = i18n.T(lang, i18n.Key("evidence."+e.Label))
			} else if i18n.Has(i18n.Key("kind." + e.Label)) {
				label = i18n.T(lang, i18n.Key("kind."+e.Label))
			}
			if e.RecordType == "register" {
				label = fmt.Sprintf("%s (%d)", label, e.RecordID)
			}
			it.Evidence = append(it.Evidence, checklistEvidence{RecordType: e.RecordType, RecordID: e.RecordID, Label: label,
				URL: fmt.Sprintf("/orgs/%d%s", orgID, e.Path)})
		}
		out = append(out, it)
	}
	return out, nil
}

type checklistData struct {
	Items []checklistItem
	// ItemsHTML is the questions rendered, kept with the view; empty when
	// the page opens one question's form (Focus), which renders them live.
	ItemsHTML template.HTML
	Focus     string
	Areas     []string
	Counts    map[string]int
	Statuses  []isms.AnswerStatus
	PathDays  int
}

// checklistPathDays is how many days of each question's answers the
// checklist page draws.
const checklistPathDays = 30

// answerColors are the colours of the answers, as the page's badges.
var answerColors = map[isms.AnswerStatus]string{
	isms.AnswerYes: "#1b7a3a", isms.AnswerPartly: "#b8860b", isms.AnswerNo: "#b3261e", isms.AnswerUnanswered: "#8a8a8a",
}

// answerPathDrawing is the geometry of one question's answer day by day,
// drawn by templates/drawings/answer_path.svg.
type answerPathDrawing struct {
	ID            string // of the title, which names the picture
	Width, Height int
	Summary       string
	Cells         []answerPathCell
}

// answerPathCell is one day: filled in the answer's colour, or an empty
// frame for a day without a snapshot.
type answerPathCell struct {
	X, Width, Height int
	Y                float64
	Color            string // empty: no snapshot
	Title            string
}

// checklistPathSVG draws one question's answer day by day as a row of
// cells, the oldest day on the left and today on the right, in the
// answers' colours; a day without a snapshot is an empty cell. It is an
// image named by its text equivalent: the answer's runs in words ("No from
// 2026-03-01, Yes from 2026-03-09"), and each cell names its day and answer.
func checklistPathSVG(questionID string, days []isms.ChecklistDayAnswer, from isms.Date, n int, lang string) (template.HTML, error) {
	const cw, ch, gap = 8, 14, 2
	byDay := make(map[string]isms.ChecklistDayAnswer, len(days))
	for _, a := range days {
		byDay[a.Day.String()] = a
	}
	// The runs: where the answer changes, in words.
	var runs []string
	var last isms.AnswerStatus
	for _, a := range days {
		if len(runs) == 0 || a.Status != last {
			runs = append(runs, i18n.T(lang, "checklist.path_from", i18n.T(lang, i18n.Key("answer."+string(a.Status))), a.Day.String()))
			last = a.Status
		}
	}
	d := answerPathDrawing{ID: "path-" + anchor(questionID), Width: n*(cw+gap) - gap, Height: ch, Summary: i18n.T(lang, "checklist.path_none")}
	if len(runs) > 0 {
		d.Summary = i18n.T(lang, "checklist.path", n, strings.Join(runs, ", "))
	}
	for i := 0; i < n; i++ {
		day := from.AddDays(i)
		c := answerPathCell{X: i * (cw + gap), Width: cw, Height: ch}
		if a, ok := byDay[day.String()]; ok {
			c.Color = answerColors[a.Status]
			c.Title = day.String() + ": " + i18n.T(lang, i18n.Key("answer."+string(a.Status))) + " · " + i18n.T(lang, i18n.Key("source."+a.Source))
		} else {
			// The frame's stroke inside the picture's height.
			c.Y, c.Height = 0.5, ch-1
			c.Title = day.String() + ": " + i18n.T(lang, "checklist.path_no_snapshot")
		}
		d.Cells = append(d.Cells, c)
	}
	return draw("answer_path.svg", d)
}

func (s *Server) checklistPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderChecklist(w, r, s.newPage(r, "title.checklist"), http.StatusOK)
}

func (s *Server) renderChecklist(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	orgID := orgFrom(r.Context()).ID
	today := isms.DateOf(s.cfg.Now())
	// Readers who may answer see a form under each question; the view is
	// kept for each kind of reader.
	mayAnswer := p.Can(string(isms.PermAnswer))
	v, err := s.derived(r, orgID, fmt.Sprintf("checklist:%s:%s:%t", p.Lang, today, mayAnswer), false, func(r *http.Request) (any, error) {
		return s.checklistView(r, p, orgID, today)
	})
	if err != nil {
		return err
	}
	d := *v.(*checklistData)
	if d.Focus = r.PathValue("question"); d.Focus != "" {
		d.ItemsHTML = ""
	}
	p.Data = d
	s.render(w, status, "checklist", p)
	return nil
}

// checklistView is the checklist page's content: the answers, and each
// question's answers over the last days drawn. It is computed from the
// records and the daily snapshots, so it is kept until they change or the
// day turns.
func (s *Server) checklistView(r *http.Request, p *page, orgID int64, today isms.Date) (*checklistData, error) {
	lang := p.Lang
	items, err := s.checklistItems(r, orgID, lang)
	if err != nil {
		return nil, err
	}
	from := today.AddDays(1 - checklistPathDays)
	days, err := s.Checklist.ChecklistAnswerHistory(r.Context(), orgID, from)
	if err != nil {
		return nil, err
	}
	byQuestion := map[string][]isms.ChecklistDayAnswer{}
	for _, a := range days {
		byQuestion[a.QuestionID] = append(byQuestion[a.QuestionID], a)
	}
	d := &checklistData{Items: items, Counts: map[string]int{}, Statuses: isms.AnswerStatuses, PathDays: checklistPathDays}
	for i := range items {
		it := &items[i]
		if it.Path, err = checklistPathSVG(it.ID, byQuestion[it.ID], from, checklistPathDays, lang); err != nil {
			return nil, err
		}
		d.Counts[string(it.Status)]++
		if len(d.Areas) == 0 || d.Areas[len(d.Areas)-1] != it.Area {
			d.Areas = append(d.Areas, it.Area)
		}
	}
	// The questions are most of the page: rendered here, once.
	if d.ItemsHTML, err = s.fragment("checklist", "checklist_items", p, d); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) answerSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	q := r.PathValue("question")
	err := s.Checklist.AnswerManually(r.Context(), orgFrom(r.Context()).ID, q, isms.AnswerStatus(f.Get("status")), f.Get("reason"), parseVersion(f.Get("version")))
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.checklist"), nil,
			func(p *page, status int) error { return s.renderChecklist(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/checklist#q"+strings.ReplaceAll(q, ".", "-")), "flash.saved")
	return nil
}

// checklistChart draws the answers over time as stacked bars, one per
// recorded day, as SVG made on the server.
func (s *Server) checklistChart(w http.ResponseWriter, r *http.Request) error {
	hist, err := s.Checklist.ChecklistHistory(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	svg, err := checklistSVG(hist, i18n.Negotiate(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write([]byte(svg))
	return nil
}

// checklistChartDrawing is the geometry of the answers over time, drawn
// by templates/drawings/checklist_chart.svg.
type checklistChartDrawing struct {
	Width, Height int
	Title         string
	Grid          []chartGridLine // 0, half and all questions
	Empty         *axisLabel      // instead of bars, when nothing is recorded
	Days          []chartDay
}

// chartDay is one recorded day's stacked bar, the first and the last
// named under it.
type chartDay struct {
	Bars  []chartBar
	Label *chartDayLabel
}

type chartGridLine struct {
	X1, X2 int
	Y      float64
	LabelX int
	LabelY float64
	N      int
}

// chartBar is one part of a day's stacked bar: one answer's count.
type chartBar struct {
	X, Y, Width, Height float64
	Color, Title        string
}

type chartDayLabel struct {
	X      float64
	Y      int
	Anchor string
	Day    string
}

func checklistSVG(hist []isms.ChecklistSnapshot, lang string) (template.HTML, error) {
	const W, H, left, bottom, top = 640, 220, 36, 30, 10
	total := len(catalog.Checklist)
	if len(hist) > 60 {
		hist = hist[len(hist)-60:]
	}
	d := checklistChartDrawing{Width: W, Height: H, Title: i18n.T(lang, "checklist.chart_title")}
	plotH := float64(H - bottom - top)
	for _, v := range []int{0, total / 2, total} {
		y := float64(top) + plotH - plotH*float64(v)/float64(total)
		d.Grid = append(d.Grid, chartGridLine{X1: left, X2: W, Y: y, LabelX: left - 4, LabelY: y + 4, N: v})
	}
	if len(hist) == 0 {
		d.Empty = &axisLabel{left + 10, H / 2, i18n.T(lang, "checklist.chart_empty")}
		return draw("checklist_chart.svg", d)
	}
	bw := float64(W-left-8) / float64(len(hist))
	colors := []string{"#1b7a3a", "#b8860b", "#b3261e", "#8a8a8a"}
	for i, h := range hist {
		x := float64(left) + float64(i)*bw + 1
		y := float64(top) + plotH
		var day chartDay
		for j, n := range []int{h.Yes, h.Partly, h.No, h.Unanswered} {
			bh := plotH * float64(n) / float64(total)
			y -= bh
			day.Bars = append(day.Bars, chartBar{X: x, Y: y, Width: max(bw-2, 1), Height: bh, Color: colors[j],
				Title: fmt.Sprintf("%s %s: %d", h.Day.String(), i18n.T(lang, i18n.Key("answer."+string(isms.AnswerStatuses[j]))), n)})
		}
		if i == 0 || i == len(hist)-1 {
			anchor := "start"
			if i == len(hist)-1 && i > 0 {
				anchor = "end"
				x += bw - 2
			}
			day.Label = &chartDayLabel{X: x, Y: H - 10, Anchor: anchor, Day: h.Day.String()}
		}
		d.Days = append(d.Days, day)
	}
	return draw("checklist_chart.svg", d)
}

type manualAnswerBody struct {
	Status  isms.AnswerStatus `json:"status"`
	Reason  string            `json:"reason"`
	Version int64             `json:"version"`
}

// anchor is the HTML id of a question.
func anchor(id string) string { return "q" + strings.ReplaceAll(id, ".", "-") }
