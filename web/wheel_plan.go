package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The year plan (the year's wheel as management approved it) and the
// management topics (guide 2.2) with the activities that serve them.

type wheelPlanData struct {
	Nav      yearNav
	State    *isms.YearPlanState
	Progress *isms.PlanProgress
	Chart    template.HTML
	LaidOut  bool // whether the year's occurrences are laid out
}

func (s *Server) wheelPlanPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderWheelPlan(w, r, s.newPage(r, "title.wheel_plan"), http.StatusOK)
}

func (s *Server) renderWheelPlan(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	year, err := s.wheelYear(r)
	if err != nil {
		return err
	}
	laidOut, err := s.Wheel.WheelYearLaidOut(r.Context(), org.ID, year)
	if err != nil {
		return err
	}
	st, err := s.Wheel.YearPlan(r.Context(), org.ID, year)
	if err != nil {
		return err
	}
	pr, err := s.Wheel.PlanProgress(r.Context(), org.ID, year)
	if err != nil {
		return err
	}
	d := wheelPlanData{Nav: newYearNav(r, year), State: st, Progress: pr, LaidOut: laidOut}
	if pr.Plan != nil {
		if d.Chart, err = progressSVG(pr, p.Lang); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, status, "wheel_plan", p)
	return nil
}

// planFormError shows a refused submission or approval on the plan page.
func (s *Server) planFormError(w http.ResponseWriter, r *http.Request, err error) error {
	return s.formRefused(r, err, s.newPage(r, "title.wheel_plan"), nil,
		func(p *page, status int) error { return s.renderWheelPlan(w, r, p, status) })
}

func (s *Server) wheelPlanSubmit(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PostForm.Get("year"))
	if err != nil {
		return isms.Errorf(isms.EInvalid, "wheel.err.date_range")
	}
	r.URL.RawQuery = "year=" + strconv.Itoa(year)
	if _, err := s.Wheel.SubmitYearPlan(r.Context(), orgFrom(r.Context()).ID, year, r.PostForm.Get("note")); err != nil {
		return s.planFormError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/wheel/plan?year="+strconv.Itoa(year)), "flash.wheel_submitted")
	return nil
}

func (s *Server) wheelPlanApprove(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	year, err1 := strconv.Atoi(f.Get("year"))
	number, err2 := strconv.Atoi(f.Get("number"))
	if err1 != nil || err2 != nil {
		return isms.Errorf(isms.ENotFound, "err.not_found", "year plan")
	}
	r.URL.RawQuery = "year=" + strconv.Itoa(year)
	if _, err := s.Wheel.ApproveYearPlan(r.Context(), orgFrom(r.Context()).ID, year, number, f.Get("checksum")); err != nil {
		return s.planFormError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/wheel/plan?year="+strconv.Itoa(year)), "flash.approved")
	return nil
}

// progressDrawing is the geometry of the plan's progress, drawn by
// templates/drawings/progress.svg.
type progressDrawing struct {
	Width, Height int
	Title, Desc   string
	Grid          []chartGridLine // none and the most in a month
	Months        []chartDay
}

// progressSVG draws, per month, the occurrences of the approved plan as a
// stacked bar: done, skipped, overdue, still to come, removed.
func progressSVG(pr *isms.PlanProgress, lang string) (template.HTML, error) {
	const W, H, left, bottom, top = 680, 220, 34, 34, 12
	maxN := 1
	for _, m := range pr.Months {
		maxN = max(maxN, m.Planned)
	}
	plotH := float64(H - bottom - top)
	bw := float64(W-left-8) / 12
	parts := []struct {
		key, colour string
		n           func(c isms.ProgressCount) int
	}{
		{"done", "#1b6b34", func(c isms.ProgressCount) int { return c.Done }},
		{"skipped", "#595959", func(c isms.ProgressCount) int { return c.Skipped }},
		{"overdue", "#a3221b", func(c isms.ProgressCount) int { return c.Overdue }},
		{"planned", "#8fb3d9", func(c isms.ProgressCount) int { return c.Open }},
		{"removed", "#c8c8c8", func(c isms.ProgressCount) int { return c.Removed }},
	}
	d := progressDrawing{Width: W, Height: H,
		Title: i18n.T(lang, "wheel.progress_title", pr.Year),
		Desc:  i18n.T(lang, "wheel.progress_desc", pr.Total.Planned, pr.Total.Done, pr.Total.Skipped, pr.Total.Overdue, pr.Total.Open)}
	for _, v := range []int{0, maxN} {
		y := float64(top) + plotH - plotH*float64(v)/float64(maxN)
		d.Grid = append(d.Grid, chartGridLine{X1: left, X2: W, Y: y, LabelX: left - 4, LabelY: y + 4, N: v})
	}
	for i, m := range pr.Months {
		x := float64(left) + float64(i)*bw + 4
		y := float64(top) + plotH
		month := strconv.Itoa(i + 1)
		var md chartDay
		for _, part := range parts {
			n := part.n(m)
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(maxN)
			y -= h
			md.Bars = append(md.Bars, chartBar{X: x, Y: y, Width: bw - 8, Height: h, Color: part.colour,
				Title: fmt.Sprintf("%s %s: %d", i18n.T(lang, i18n.Key("wheel.month."+month)), i18n.T(lang, i18n.Key("wheel.progress."+part.key)), n)})
		}
		md.Label = &chartDayLabel{X: x + (bw-8)/2, Y: H - 14, Anchor: "middle", Day: i18n.T(lang, i18n.Key("wheel.month_short."+month))}
		d.Months = append(d.Months, md)
	}
	return draw("progress.svg", d)
}

// ProgressParts are the keys of the progress chart's legend.
func (d wheelPlanData) ProgressParts() []string {
	return []string{"done", "skipped", "overdue", "planned", "removed"}
}

type wheelTopicRow struct {
	Topic      string
	Status     isms.TopicStatus
	Activities []*isms.Activity
}

func (s *Server) wheelTopicsPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.wheel_topics")
	org := orgFrom(r.Context())
	st, err := s.Topics.ManagementTopicStatus(r.Context(), org.ID)
	if err != nil {
		return err
	}
	acts, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Status: isms.ActivityActive, Limit: 500})
	if err != nil {
		return err
	}
	var rows []wheelTopicRow
	for _, ts := range st {
		row := wheelTopicRow{Topic: ts.Topic, Status: ts}
		for _, a := range acts {
			for _, t := range a.Topics {
				if t == ts.Topic {
					row.Activities = append(row.Activities, a)
				}
			}
		}
		rows = append(rows, row)
	}
	p.Data = rows
	s.render(w, http.StatusOK, "wheel_topics", p)
	return nil
}

// EvidenceLink is the address of a topic activity's evidence.
func (p *page) EvidenceLink(e isms.Evidence) string { return p.OrgURL(e.Path) }
