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
	Items    []checklistItem
	Areas    []string
	Counts   map[string]int
	Focus    string
	Statuses []isms.AnswerStatus
	PathDays int
}

// checklistPathDays is how many days of each question's answers the
// checklist page draws.
const checklistPathDays = 30

// answerColors are the colours of the answers, as the page's badges.
var answerColors = map[isms.AnswerStatus]string{
	isms.AnswerYes: "#1b7a3a", isms.AnswerPartly: "#b8860b", isms.AnswerNo: "#b3261e", isms.AnswerUnanswered: "#8a8a8a",
}

// checklistPathSVG draws one question's answer day by day as a row of
// cells, the oldest day on the left and today on the right, in the
// answers' colours; a day without a snapshot is an empty cell. It is an
// image named by its text equivalent: the answer's runs in words ("No from
// 2026-03-01, Yes from 2026-03-09"), and each cell names its day and answer.
func checklistPathSVG(questionID string, days []isms.ChecklistDayAnswer, from isms.Date, n int, lang string) string {
	const cw, ch, gap = 8, 14, 2
	esc := template.HTMLEscapeString
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
	summary := i18n.T(lang, "checklist.path_none")
	if len(runs) > 0 {
		summary = i18n.T(lang, "checklist.path", n, strings.Join(runs, ", "))
	}
	id := "path-" + anchor(questionID)
	width := n*(cw+gap) - gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="answer-path-cells" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s"><title id="%s">%s</title>`,
		width, ch, width, ch, id, id, esc(summary))
	for i := 0; i < n; i++ {
		day := from.AddDays(i)
		x := i * (cw + gap)
		a, ok := byDay[day.String()]
		if !ok {
			fmt.Fprintf(&b, `<rect x="%d" y="0.5" width="%d" height="%d" fill="none" stroke="#bbb"><title>%s: %s</title></rect>`,
				x, cw, ch-1, day.String(), esc(i18n.T(lang, "checklist.path_no_snapshot")))
			continue
		}
		fmt.Fprintf(&b, `<rect x="%d" y="0" width="%d" height="%d" fill="%s"><title>%s: %s · %s</title></rect>`,
			x, cw, ch, answerColors[a.Status], day.String(), esc(i18n.T(lang, i18n.Key("answer."+string(a.Status)))), esc(i18n.T(lang, i18n.Key("source."+a.Source))))
	}
	b.WriteString("</svg>")
	return b.String()
}

func (s *Server) checklistPage(w http.ResponseWriter, r *http.Request) {
	s.renderChecklist(w, r, s.newPage(r, "title.checklist"), http.StatusOK)
}

func (s *Server) renderChecklist(w http.ResponseWriter, r *http.Request, p *page, status int) {
	items, err := s.checklistItems(r, orgFrom(r.Context()).ID, p.Lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := isms.DateOf(s.cfg.Now())
	from := today.AddDays(1 - checklistPathDays)
	days, err := s.Checklist.ChecklistAnswerHistory(r.Context(), orgFrom(r.Context()).ID, from)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byQuestion := map[string][]isms.ChecklistDayAnswer{}
	for _, a := range days {
		byQuestion[a.QuestionID] = append(byQuestion[a.QuestionID], a)
	}
	d := checklistData{Items: items, Counts: map[string]int{}, Statuses: isms.AnswerStatuses, PathDays: checklistPathDays}
	for i := range items {
		it := &items[i]
		it.Path = template.HTML(checklistPathSVG(it.ID, byQuestion[it.ID], from, checklistPathDays, p.Lang))
		d.Counts[string(it.Status)]++
		if len(d.Areas) == 0 || d.Areas[len(d.Areas)-1] != it.Area {
			d.Areas = append(d.Areas, it.Area)
		}
	}
	d.Focus = r.PathValue("question")
	p.Data = d
	s.render(w, status, "checklist", p)
}

func (s *Server) answerSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	q := r.PathValue("question")
	err := s.Checklist.AnswerManually(r.Context(), orgFrom(r.Context()).ID, q, isms.AnswerStatus(f.Get("status")), f.Get("reason"), parseVersion(f.Get("version")))
	if err != nil {
		switch isms.ErrorCode(err) {
		case isms.EInvalid, isms.EConflict:
			p := s.newPage(r, "title.checklist")
			p.setError(err)
			p.Form = r.PostForm
			s.renderChecklist(w, r, p, s.status(r, err))
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, p0(r, "/checklist#q"+strings.ReplaceAll(q, ".", "-")), "flash.saved")
}

// checklistChart draws the answers over time as stacked bars, one per
// recorded day, as SVG made on the server.
func (s *Server) checklistChart(w http.ResponseWriter, r *http.Request) {
	hist, err := s.Checklist.ChecklistHistory(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write([]byte(checklistSVG(hist, i18n.Negotiate(r))))
}

func checklistSVG(hist []isms.ChecklistSnapshot, lang string) string {
	const W, H, left, bottom, top = 640, 220, 36, 30, 10
	total := len(catalog.Checklist)
	if len(hist) > 60 {
		hist = hist[len(hist)-60:]
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="t"><title id="t">%s</title>`, W, H,
		template.HTMLEscapeString(i18n.T(lang, "checklist.chart_title")))
	plotH := float64(H - bottom - top)
	for _, v := range []int{0, total / 2, total} {
		y := float64(top) + plotH - plotH*float64(v)/float64(total)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#bbb"/><text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="#333">%d</text>`,
			left, W, y, y, left-4, y+4, v)
	}
	if len(hist) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" fill="#333">%s</text></svg>`, left+10, H/2, template.HTMLEscapeString(i18n.T(lang, "checklist.chart_empty")))
		return b.String()
	}
	bw := float64(W-left-8) / float64(len(hist))
	colors := []string{"#1b7a3a", "#b8860b", "#b3261e", "#8a8a8a"}
	for i, h := range hist {
		x := float64(left) + float64(i)*bw + 1
		y := float64(top) + plotH
		for j, n := range []int{h.Yes, h.Partly, h.No, h.Unanswered} {
			bh := plotH * float64(n) / float64(total)
			y -= bh
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %d</title></rect>`,
				x, y, max(bw-2, 1), bh, colors[j], h.Day.String(), template.HTMLEscapeString(i18n.T(lang, i18n.Key("answer."+string(isms.AnswerStatuses[j])))), n)
		}
		if i == 0 || i == len(hist)-1 {
			anchor := "start"
			if i == len(hist)-1 && i > 0 {
				anchor = "end"
				x += bw - 2
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="%s" fill="#333">%s</text>`, x, H-10, anchor, h.Day.String())
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

type manualAnswerBody struct {
	Status  isms.AnswerStatus `json:"status"`
	Reason  string            `json:"reason"`
	Version int64             `json:"version"`
}

func (s *Server) checklistAPI(mux *http.ServeMux) {
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/checklist", Tag: "checklist",
		Summary:  "The guide's 29 checklist questions answered now: status, source (records or manual), reasons, evidence",
		Response: []checklistItem{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			return s.checklistItems(r, org, i18n.Negotiate(r))
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: "/api/v1/organisations/{org}/checklist/{question}", Tag: "checklist",
		Summary: "Answer a question by hand with a reason (where a rule answers from the records, the records win)",
		Request: manualAnswerBody{}, Response: &checklistItem{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var b manualAnswerBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			q := r.PathValue("question")
			if _, ok := catalog.QuestionByID(q); !ok {
				return nil, isms.Errorf(isms.ENotFound, "err.not_found", "question "+q)
			}
			if err := s.Checklist.AnswerManually(r.Context(), org, q, b.Status, b.Reason, b.Version); err != nil {
				return nil, err
			}
			items, err := s.checklistItems(r, org, i18n.Negotiate(r))
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if it.ID == q {
					return &it, nil
				}
			}
			return nil, isms.Errorf(isms.ENotFound, "err.not_found", "question "+q) // the catalogue lists every question, so not reached
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/checklist/history/answers", Tag: "checklist",
		Summary:  "Each question's answer per day as the daily snapshot took it (the questions' paths), by question and then day",
		Query:    []apiParam{{"days", "integer", "how many days back from today, today included (default 30, at most 366)"}},
		Response: []isms.ChecklistDayAnswer{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			days, err := queryInt(r, "days", checklistPathDays)
			if err != nil {
				return nil, err
			}
			if days < 1 || days > 366 {
				var v isms.Validation
				v.Add("days", "err.checklist_days", 366)
				return nil, v.Err()
			}
			from := isms.DateOf(s.cfg.Now()).AddDays(1 - days)
			h, err := s.Checklist.ChecklistAnswerHistory(r.Context(), org, from)
			return nonNil(h), err
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/checklist/history", Tag: "checklist",
		Summary: "The number of answers of each status per day, oldest first", Response: []isms.ChecklistSnapshot{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			h, err := s.Checklist.ChecklistHistory(r.Context(), org)
			return nonNil(h), err
		}})
}

// anchor is the HTML id of a question.
func anchor(id string) string { return "q" + strings.ReplaceAll(id, ".", "-") }
