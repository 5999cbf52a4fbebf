package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The calendar of the annual wheel: the year drawn as a wheel of twelve
// month sectors on the server (SVG), with every occurrence a mark coloured
// and shaped by its status and the other elements' dated obligations on an
// outer ring; beside it the same year as a month-by-month table, which is
// what screen readers and keyboards use.

type wheelMonth struct {
	Month       int
	Occurrences []*isms.Occurrence
	Scheduled   []isms.ScheduledItem
}

type wheelCalendarData struct {
	Nav         yearNav
	SVG         template.HTML
	Months      []wheelMonth
	Counts      map[string]int
	Total       int
	Activities  int
	Today       isms.Date
	MailLang    string
	RemindersOn bool
}

// wheelStatuses are the statuses shown, in the legend's order.
var wheelStatuses = []string{"planned", "in_progress", "overdue", "done", "skipped"}

func (s *Server) wheelPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "title.wheel")
	org := orgFrom(r.Context())
	year, err := s.wheelYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := s.wheelCalendar(r, org.ID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, nActs, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Status: isms.ActivityActive, Limit: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang, err := s.Wheel.MailLanguage(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := isms.DateOf(s.cfg.Now())
	d := wheelCalendarData{Nav: newYearNav(r, year), Counts: map[string]int{}, Total: len(cal.Occurrences), Activities: nActs, Today: today,
		MailLang: lang, RemindersOn: s.cfg.Reminders}
	for m := 1; m <= 12; m++ {
		d.Months = append(d.Months, wheelMonth{Month: m})
	}
	for _, o := range cal.Occurrences {
		d.Months[o.DueDate.Month()-1].Occurrences = append(d.Months[o.DueDate.Month()-1].Occurrences, o)
		d.Counts[o.DisplayStatus()]++
	}
	for _, it := range cal.Scheduled {
		d.Months[it.Day.Month()-1].Scheduled = append(d.Months[it.Day.Month()-1].Scheduled, it)
	}
	d.SVG = template.HTML(wheelSVG(cal, p.Lang, today))
	p.Data = d
	s.render(w, http.StatusOK, "wheel", p)
}

// wheelCalendar lays out the year if need be and reads it.
func (s *Server) wheelCalendar(r *http.Request, orgID int64, year int) (*isms.WheelCalendar, error) {
	if err := s.layOutYear(r, orgID, year); err != nil {
		return nil, err
	}
	return s.Wheel.WheelCalendar(r.Context(), orgID, year)
}

// layOutYear lays out a year before a page shows it, when the caller may
// lay out years (see OpenWheelYear). A year too far from now, or a caller
// who may not write, gets the year as it stands: showing it writes nothing
// on their behalf.
func (s *Server) layOutYear(r *http.Request, orgID int64, year int) error {
	_, err := s.Wheel.OpenWheelYear(r.Context(), orgID, year)
	if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EForbidden {
		return nil
	}
	return err
}

// ScheduledLabel puts another element's obligation in words.
func (p *page) ScheduledLabel(it isms.ScheduledItem) string {
	if it.Label == "" {
		return p.T(it.Kind)
	}
	return p.T(it.Kind) + ": " + it.Label
}

// Colours and shapes of the marks. Each status has its own shape too, so
// colour is never the only difference (WCAG 1.4.1); every colour has at
// least 3:1 contrast against white (WCAG 1.4.11).
var wheelColours = map[string]string{
	"planned": "#0b4f8a", "in_progress": "#0b4f8a", "overdue": "#a3221b", "done": "#1b6b34", "skipped": "#595959", "elsewhere": "#7a5800",
}

// wheelMark draws one mark centred on (x, y).
func wheelMark(b *strings.Builder, status string, x, y, r float64, title string) {
	c := wheelColours[status]
	fmt.Fprintf(b, `<g>`)
	switch status {
	case "done":
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/><path d="M%.1f %.1f l%.1f %.1f l%.1f %.1f" stroke="#fff" stroke-width="1.6" fill="none"/>`,
			x, y, r, c, x-r*0.5, y, r*0.35, r*0.4, r*0.6, -r*0.8)
	case "overdue":
		fmt.Fprintf(b, `<path d="M%.1f %.1f L%.1f %.1f L%.1f %.1f Z" fill="%s"/>`, x, y-r*1.2, x+r*1.1, y+r*0.8, x-r*1.1, y+r*0.8, c)
	case "in_progress":
		fmt.Fprintf(b, `<path d="M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z" fill="%s"/>`, x, y-r*1.15, x+r*1.15, y, x, y+r*1.15, x-r*1.15, y, c)
	case "skipped":
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#fff" stroke="%s" stroke-width="1.5"/><path d="M%.1f %.1f L%.1f %.1f" stroke="%s" stroke-width="1.5"/>`,
			x, y, r, c, x-r*0.7, y+r*0.7, x+r*0.7, y-r*0.7, c)
	case "elsewhere":
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fff" stroke="%s" stroke-width="1.5"/>`, x-r*0.85, y-r*0.85, r*1.7, r*1.7, c)
	case "elsewhere_done":
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x-r*0.85, y-r*0.85, r*1.7, r*1.7, wheelColours["elsewhere"])
	default: // planned
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#fff" stroke="%s" stroke-width="2"/>`, x, y, r*0.9, c)
	}
	fmt.Fprintf(b, `<title>%s</title></g>`, template.HTMLEscapeString(title))
}

// wheelSVG draws the year as a wheel: January at the top, the months
// clockwise, one ring per activity from the inside out, the other
// elements' obligations on the outermost ring, and a line for today.
func wheelSVG(cal *isms.WheelCalendar, lang string, today isms.Date) string {
	const size, cx, cy = 680.0, 340.0, 340.0
	const inner, outer, labelR = 78.0, 262.0, 302.0
	first, last := isms.MonthDay(cal.Year, 1, 1), isms.MonthDay(cal.Year, 12, 31)
	days := last.Sub(first.Time).Hours()/24 + 1
	angle := func(d isms.Date) float64 { // radians, 0 at the top, clockwise
		return 2*math.Pi*(d.Sub(first.Time).Hours()/24+0.5)/days - math.Pi/2
	}
	at := func(a, r float64) (float64, float64) { return cx + r*math.Cos(a), cy + r*math.Sin(a) }

	// One ring per activity, in the order of their first occurrence.
	var acts []int64
	ring := map[int64]int{}
	for _, o := range cal.Occurrences {
		if _, ok := ring[o.ActivityID]; !ok {
			ring[o.ActivityID] = len(acts)
			acts = append(acts, o.ActivityID)
		}
	}
	step := 22.0
	if n := float64(len(acts)); n > 0 && (outer-inner-12)/n < step {
		step = (outer - inner - 12) / n
	}
	markR := math.Max(2.5, math.Min(7, step*0.32))

	counts := map[string]int{}
	for _, o := range cal.Occurrences {
		counts[o.DisplayStatus()]++
	}
	var desc []string
	for _, st := range wheelStatuses {
		desc = append(desc, fmt.Sprintf("%s: %d", i18n.T(lang, i18n.Key("wheel.status."+st)), counts[st]))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="wheel-title wheel-desc" class="wheel-svg">`,
		size, size, size, size)
	fmt.Fprintf(&b, `<title id="wheel-title">%s</title><desc id="wheel-desc">%s</desc>`,
		template.HTMLEscapeString(i18n.T(lang, "wheel.svg_title", cal.Year)),
		template.HTMLEscapeString(i18n.T(lang, "wheel.svg_desc", len(cal.Occurrences), len(acts), strings.Join(desc, ", "), len(cal.Scheduled))))
	// Month sectors, shaded alternately, with their names outside.
	for m := 1; m <= 12; m++ {
		a0, a1 := angle(isms.MonthDay(cal.Year, m, 1))-math.Pi/days, angle(isms.MonthDay(cal.Year, m+1, 1))-math.Pi/days
		x0, y0 := at(a0, outer+22)
		x1, y1 := at(a1, outer+22)
		xi0, yi0 := at(a0, inner-10)
		xi1, yi1 := at(a1, inner-10)
		fill := "#ffffff"
		if m%2 == 0 {
			fill = "#f1f3f6"
		}
		fmt.Fprintf(&b, `<path d="M%.1f %.1f A%.1f %.1f 0 0 1 %.1f %.1f L%.1f %.1f A%.1f %.1f 0 0 0 %.1f %.1f Z" fill="%s" stroke="#8a8a8a" stroke-width="1"/>`,
			xi0, yi0, inner-10, inner-10, xi1, yi1, x1, y1, outer+22, outer+22, x0, y0, fill)
		lx, ly := at((a0+a1)/2, labelR)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="14" text-anchor="middle" dominant-baseline="middle" fill="#1a1a1a">%s</text>`,
			lx, ly, template.HTMLEscapeString(i18n.T(lang, i18n.Key("wheel.month_short."+strconv.Itoa(m)))))
	}
	// Faint circles for the activity rings.
	for i := range acts {
		r := inner + 6 + step*(float64(i)+0.5)
		fmt.Fprintf(&b, `<circle cx="%.0f" cy="%.0f" r="%.1f" fill="none" stroke="#d5d9df" stroke-width="0.8"/>`, cx, cy, r)
	}
	fmt.Fprintf(&b, `<circle cx="%.0f" cy="%.0f" r="%.1f" fill="none" stroke="#b08a2e" stroke-width="0.8" stroke-dasharray="3 3"/>`, cx, cy, outer+11)
	// Today.
	if today.Year() == cal.Year {
		x0, y0 := at(angle(today), inner-10)
		x1, y1 := at(angle(today), outer+22)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="6 3"><title>%s</title></line>`,
			x0, y0, x1, y1, template.HTMLEscapeString(i18n.T(lang, "wheel.today", today.String())))
	}
	// The occurrences.
	for _, o := range cal.Occurrences {
		r := inner + 6 + step*(float64(ring[o.ActivityID])+0.5)
		x, y := at(angle(o.DueDate), r)
		wheelMark(&b, o.DisplayStatus(), x, y, markR, fmt.Sprintf("%s · %s · %s", o.ActivityTitle, o.DueDate, i18n.T(lang, i18n.Key("wheel.status."+o.DisplayStatus()))))
	}
	// The other elements' obligations.
	for _, it := range cal.Scheduled {
		x, y := at(angle(it.Day), outer+11)
		st := "elsewhere"
		if it.Done {
			st = "elsewhere_done"
		}
		label := i18n.T(lang, i18n.Key(it.Kind))
		if it.Label != "" {
			label += ": " + it.Label
		}
		wheelMark(&b, st, x, y, 5, fmt.Sprintf("%s · %s · %s", label, it.Day, i18n.T(lang, "wheel.elsewhere")))
	}
	// The year and how far it has come, in the middle.
	done := counts["done"]
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="30" font-weight="700" text-anchor="middle" fill="#1a1a1a">%d</text>`, cx, cy+2, cal.Year)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="13" text-anchor="middle" fill="#4a4a4a">%s</text>`, cx, cy+24,
		template.HTMLEscapeString(i18n.T(lang, "wheel.svg_done", done, len(cal.Occurrences))))
	b.WriteString(`</svg>`)
	return b.String()
}

// wheelLegendSVG draws the legend's marks, one small SVG per status.
func wheelLegendSVG(status string) template.HTML {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">`)
	wheelMark(&b, status, 10, 10, 6, "")
	b.WriteString(`</svg>`)
	return template.HTML(strings.Replace(b.String(), "<title></title>", "", 1))
}

// Legend is the legend of the wheel's marks.
func (d wheelCalendarData) Legend() []wheelLegendItem {
	var out []wheelLegendItem
	for _, st := range append(append([]string{}, wheelStatuses...), "elsewhere", "elsewhere_done") {
		out = append(out, wheelLegendItem{Status: st, Mark: wheelLegendSVG(st)})
	}
	return out
}

type wheelLegendItem struct {
	Status string
	Mark   template.HTML
}

// wheelExport writes the year's wheel as a workbook: the activities, the
// occurrences with their statuses and records, and the other elements'
// obligations.
func (s *Server) wheelExport(w http.ResponseWriter, r *http.Request) {
	org := orgFrom(r.Context())
	lang := i18n.Negotiate(r)
	year, err := s.wheelYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := s.wheelCalendar(r, org.ID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, wheelSheets(lang, org, year, acts, cal)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.xlsx"`, i18n.T(lang, "wheel.file_name"), year))
	w.Write(buf.Bytes())
}

func wheelSheets(lang string, org *isms.Organisation, year int, acts []*isms.Activity, cal *isms.WheelCalendar) []export.Sheet {
	t := func(key i18n.Key, args ...any) string { return i18n.T(lang, key, args...) }
	p := &page{Lang: lang}
	topics := func(ts []string) string {
		out := make([]string, len(ts))
		for i, x := range ts {
			out[i] = t(i18n.Key("topic." + x))
		}
		return strings.Join(out, ", ")
	}
	activities := export.Sheet{Name: t("wheel.sheet_activities"), Title: t("wheel.sheet_activities_title", org.Name),
		Header: []string{t("field.title"), t("field.owner"), t("field.recurrence"), t("field.start_date"), t("field.due_day"), t("field.end_date"),
			t("field.serves"), t("field.topics"), t("field.record_text"), t("field.remind_days"), t("field.status"), t("field.description")},
		Widths: []float64{36, 22, 18, 12, 10, 12, 36, 40, 36, 10, 12, 50}}
	for _, a := range acts {
		end := ""
		if a.EndDate != nil {
			end = a.EndDate.String()
		}
		serves := ""
		if a.Serves != "" {
			serves = servesLabel(lang, a.Serves)
		}
		activities.Rows = append(activities.Rows, export.Row{Cells: []any{a.Title, a.OwnerName, p.RecurrenceLabel(a), a.StartDate.String(), a.DueDay, end,
			serves, topics(a.Topics), a.RecordText, a.RemindDays, t(i18n.Key("wheel.activity_status." + string(a.Status))), a.Description}})
	}
	occ := export.Sheet{Name: t("wheel.sheet_occurrences"), Title: t("wheel.sheet_occurrences_title", org.Name, year),
		Header: []string{t("field.due_date"), t("wheel.planned_date"), t("wheel.activity"), t("field.owner"), t("field.status"), t("field.completed_on"),
			t("wheel.completed_by"), t("field.result"), t("field.comment"), t("field.evidence_path"), t("field.evidence_ref"), t("wheel.skip_reason"), t("field.topics")},
		Widths: []float64{12, 12, 36, 22, 14, 12, 22, 40, 40, 30, 24, 30, 40}}
	for _, o := range cal.Occurrences {
		completed, evidence := "", ""
		if o.CompletedOn != nil {
			completed = o.CompletedOn.String()
		}
		if o.EvidencePath != "" {
			evidence = fmt.Sprintf("/orgs/%d%s", org.ID, o.EvidencePath)
		}
		occ.Rows = append(occ.Rows, export.Row{Cells: []any{o.DueDate.String(), o.PlannedDate.String(), o.ActivityTitle, o.OwnerName,
			t(i18n.Key("wheel.status." + o.DisplayStatus())), completed, o.CompletedByName, o.Result, o.Comment, evidence, o.EvidenceRef, o.SkipReason, topics(o.Topics)}})
	}
	other := export.Sheet{Name: t("wheel.sheet_elsewhere"), Title: t("wheel.sheet_elsewhere_title", year),
		Header: []string{t("field.due_date"), t("field.what"), t("field.name"), t("field.status")}, Widths: []float64{12, 30, 50, 12}}
	for _, it := range cal.Scheduled {
		st := t("wheel.status.planned")
		if it.Done {
			st = t("wheel.status.done")
		}
		other.Rows = append(other.Rows, export.Row{Cells: []any{it.Day.String(), t(i18n.Key(it.Kind)), it.Label, st}})
	}
	return []export.Sheet{activities, occ, other}
}
