package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

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
}

func (s *Server) wheelPlanPage(w http.ResponseWriter, r *http.Request) {
	s.renderWheelPlan(w, r, s.newPage(r, "title.wheel_plan"), http.StatusOK)
}

func (s *Server) renderWheelPlan(w http.ResponseWriter, r *http.Request, p *page, status int) {
	org := orgFrom(r.Context())
	year, err := s.wheelYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.layOutYear(r, org.ID, year); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Wheel.YearPlan(r.Context(), org.ID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr, err := s.Wheel.PlanProgress(r.Context(), org.ID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := wheelPlanData{Nav: newYearNav(r, year), State: st, Progress: pr}
	if pr.Plan != nil {
		d.Chart = template.HTML(progressSVG(pr, p.Lang))
	}
	p.Data = d
	s.render(w, status, "wheel_plan", p)
}

// planFormError shows a refused submission or approval on the plan page.
func (s *Server) planFormError(w http.ResponseWriter, r *http.Request, err error) {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		p := s.newPage(r, "title.wheel_plan")
		p.setError(err)
		p.Form = r.PostForm
		s.renderWheelPlan(w, r, p, s.status(r, err))
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) wheelPlanSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	year, err := strconv.Atoi(r.PostForm.Get("year"))
	if err != nil {
		s.fail(w, r, isms.Errorf(isms.EInvalid, "wheel.err.date_range"))
		return
	}
	r.URL.RawQuery = "year=" + strconv.Itoa(year)
	if _, err := s.Wheel.SubmitYearPlan(r.Context(), orgFrom(r.Context()).ID, year, r.PostForm.Get("note")); err != nil {
		s.planFormError(w, r, err)
		return
	}
	s.redirect(w, r, p0(r, "/wheel/plan?year="+strconv.Itoa(year)), "flash.wheel_submitted")
}

func (s *Server) wheelPlanApprove(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	year, err1 := strconv.Atoi(f.Get("year"))
	number, err2 := strconv.Atoi(f.Get("number"))
	if err1 != nil || err2 != nil {
		s.fail(w, r, isms.Errorf(isms.ENotFound, "err.not_found", "year plan"))
		return
	}
	r.URL.RawQuery = "year=" + strconv.Itoa(year)
	if _, err := s.Wheel.ApproveYearPlan(r.Context(), orgFrom(r.Context()).ID, year, number, f.Get("checksum")); err != nil {
		s.planFormError(w, r, err)
		return
	}
	s.redirect(w, r, p0(r, "/wheel/plan?year="+strconv.Itoa(year)), "flash.approved")
}

// progressSVG draws, per month, the occurrences of the approved plan as a
// stacked bar: done, skipped, overdue, still to come, removed.
func progressSVG(pr *isms.PlanProgress, lang string) string {
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
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="progress-title progress-desc">`, W, H, W, H)
	fmt.Fprintf(&b, `<title id="progress-title">%s</title><desc id="progress-desc">%s</desc>`,
		template.HTMLEscapeString(i18n.T(lang, "wheel.progress_title", pr.Year)),
		template.HTMLEscapeString(i18n.T(lang, "wheel.progress_desc", pr.Total.Planned, pr.Total.Done, pr.Total.Skipped, pr.Total.Overdue, pr.Total.Open)))
	for _, v := range []int{0, maxN} {
		y := float64(top) + plotH - plotH*float64(v)/float64(maxN)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#bbb"/><text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="#333">%d</text>`,
			left, W, y, y, left-4, y+4, v)
	}
	for i, m := range pr.Months {
		x := float64(left) + float64(i)*bw + 4
		y := float64(top) + plotH
		for _, part := range parts {
			n := part.n(m)
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(maxN)
			y -= h
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %d</title></rect>`,
				x, y, bw-8, h, part.colour, template.HTMLEscapeString(i18n.T(lang, i18n.Key("wheel.month."+strconv.Itoa(i+1)))),
				template.HTMLEscapeString(i18n.T(lang, i18n.Key("wheel.progress."+part.key))), n)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="#1a1a1a">%s</text>`, x+(bw-8)/2, H-14,
			template.HTMLEscapeString(i18n.T(lang, i18n.Key("wheel.month_short."+strconv.Itoa(i+1)))))
	}
	b.WriteString("</svg>")
	return b.String()
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

func (s *Server) wheelTopicsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "title.wheel_topics")
	org := orgFrom(r.Context())
	st, err := s.Topics.ManagementTopicStatus(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Status: isms.ActivityActive, Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
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
}

// EvidenceLink is the address of a topic activity's evidence.
func (p *page) EvidenceLink(e isms.Evidence) string { return p.OrgURL(e.Path) }
