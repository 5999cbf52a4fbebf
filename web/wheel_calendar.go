package web

import (
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
	// Scheduled names the first wheelScheduledShown of the other elements'
	// obligations in the month, open ones first; More counts the rest by
	// kind.
	Scheduled []isms.ScheduledItem
	More      []scheduledCount
}

// scheduledCount is how many obligations of one kind a month has beyond
// those it names, and how many of them are done.
type scheduledCount struct {
	Kind    string
	N, Done int
}

// wheelScheduledShown is how many of the other elements' obligations a
// month names. A large organisation has hundreds a month (every risk
// assessment and business-overview entry has a review date); they are
// listed in their own registers, and the calendar counts the rest by kind.
const wheelScheduledShown = 10

type wheelCalendarData struct {
	Nav    yearNav
	SVG    template.HTML
	Months []wheelMonth
	// MonthsHTML is the month-by-month table's rows rendered, kept with
	// the year.
	MonthsHTML  template.HTML
	Counts      map[string]int
	Total       int
	Activities  int
	Today       isms.Date
	MailLang    string
	RemindersOn bool
	LaidOut     bool // whether the year's occurrences are laid out
}

// wheelStatuses are the statuses shown, in the legend's order.
var wheelStatuses = []string{"planned", "in_progress", "overdue", "done", "skipped"}

func (s *Server) wheelPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.wheel")
	org := orgFrom(r.Context())
	year, err := s.wheelYear(r)
	if err != nil {
		return err
	}
	today := isms.DateOf(s.cfg.Now())
	v, err := s.derived(r, org.ID, fmt.Sprintf("wheel:%s:%d:%s", p.Lang, year, today), false, func(r *http.Request) (any, error) {
		return s.wheelCalendarView(r, p, org.ID, year, today)
	})
	if err != nil {
		return err
	}
	d := *v.(*wheelCalendarData)
	d.Nav, d.RemindersOn = newYearNav(r, year), s.cfg.Reminders
	if d.MailLang, err = s.Wheel.MailLanguage(r.Context()); err != nil {
		return err
	}
	p.Data = d
	s.render(w, http.StatusOK, "wheel", p)
	return nil
}

// wheelCalendarView is the calendar page's year: computed from the
// activities and every element's dated obligations, so it is kept until
// the records change or the day turns.
func (s *Server) wheelCalendarView(r *http.Request, p *page, orgID int64, year int, today isms.Date) (*wheelCalendarData, error) {
	lang := p.Lang
	cal, err := s.wheelCalendar(r, orgID, year)
	if err != nil {
		return nil, err
	}
	_, nActs, err := s.Wheel.WheelActivities(r.Context(), orgID, isms.ActivityFilter{Status: isms.ActivityActive, Limit: 1})
	if err != nil {
		return nil, err
	}
	d := &wheelCalendarData{Counts: map[string]int{}, Total: len(cal.Occurrences), Activities: nActs, Today: today, LaidOut: cal.LaidOut}
	for m := 1; m <= 12; m++ {
		d.Months = append(d.Months, wheelMonth{Month: m})
	}
	for _, o := range cal.Occurrences {
		d.Months[o.DueDate.Month()-1].Occurrences = append(d.Months[o.DueDate.Month()-1].Occurrences, o)
		d.Counts[o.DisplayStatus()]++
	}
	byMonth := make([][]isms.ScheduledItem, 12)
	for _, it := range cal.Scheduled {
		byMonth[it.Day.Month()-1] = append(byMonth[it.Day.Month()-1], it)
	}
	for i, items := range byMonth {
		d.Months[i].Scheduled, d.Months[i].More = shownScheduled(items)
	}
	if d.SVG, err = wheelSVG(cal, lang, today); err != nil {
		return nil, err
	}
	if d.MonthsHTML, err = s.fragment("wheel", "wheel_months", p, d); err != nil {
		return nil, err
	}
	return d, nil
}

// shownScheduled picks the obligations a month names, open ones first and
// each by day, and counts the rest by kind in the order they first fall
// due.
func shownScheduled(items []isms.ScheduledItem) ([]isms.ScheduledItem, []scheduledCount) {
	ordered := make([]isms.ScheduledItem, 0, len(items))
	for _, done := range []bool{false, true} {
		for _, it := range items {
			if it.Done == done {
				ordered = append(ordered, it)
			}
		}
	}
	if len(ordered) <= wheelScheduledShown {
		return ordered, nil
	}
	var more []scheduledCount
	at := map[string]int{}
	for _, it := range ordered[wheelScheduledShown:] {
		i, ok := at[it.Kind]
		if !ok {
			i = len(more)
			at[it.Kind] = i
			more = append(more, scheduledCount{Kind: it.Kind})
		}
		more[i].N++
		if it.Done {
			more[i].Done++
		}
	}
	return ordered[:wheelScheduledShown], more
}

// wheelCalendar reads a year as it stands. Reading writes nothing: a year
// not laid out yet (see isms.WheelCalendar.LaidOut) is laid out when a
// coordinator asks for it (wheelOpenYearSubmit, or the API's
// …/years/{year}/open).
func (s *Server) wheelCalendar(r *http.Request, orgID int64, year int) (*isms.WheelCalendar, error) {
	return s.Wheel.WheelCalendar(r.Context(), orgID, year)
}

// wheelOpenYearSubmit lays out a year the calendar, list or plan page
// showed as not laid out, and goes back to the page it came from.
func (s *Server) wheelOpenYearSubmit(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return errPageNotFound
	}
	if _, err := s.Wheel.OpenWheelYear(r.Context(), orgFrom(r.Context()).ID, year); err != nil {
		return err
	}
	back := "/wheel"
	switch r.PostForm.Get("back") {
	case "list", "plan":
		back += "/" + r.PostForm.Get("back")
	}
	s.redirect(w, r, p0(r, back+"?year="+strconv.Itoa(year)), "flash.wheel_laid_out")
	return nil
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

// wheelMark is one mark, centred where it stands: a circle, a square or a
// path, or a circle with a path on it, and its name in words.
type wheelMark struct {
	Circle *wheelShape
	Rect   *wheelShape
	Path   *wheelShape
	Title  string
}

// wheelShape is one shape of a mark; only the fields its kind uses are set.
type wheelShape struct {
	X, Y, R, W, H       float64
	D                   string // a path's outline
	Fill, Stroke, Width string
}

// newWheelMark works out the shapes of one mark centred on (x, y).
func newWheelMark(status string, x, y, r float64, title string) wheelMark {
	c := wheelColours[status]
	m := wheelMark{Title: title}
	switch status {
	case "done":
		m.Circle = &wheelShape{X: x, Y: y, R: r, Fill: c}
		m.Path = &wheelShape{D: fmt.Sprintf("M%.1f %.1f l%.1f %.1f l%.1f %.1f", x-r*0.5, y, r*0.35, r*0.4, r*0.6, -r*0.8), Stroke: "#fff", Width: "1.6", Fill: "none"}
	case "overdue":
		m.Path = &wheelShape{D: fmt.Sprintf("M%.1f %.1f L%.1f %.1f L%.1f %.1f Z", x, y-r*1.2, x+r*1.1, y+r*0.8, x-r*1.1, y+r*0.8), Fill: c}
	case "in_progress":
		m.Path = &wheelShape{D: fmt.Sprintf("M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z", x, y-r*1.15, x+r*1.15, y, x, y+r*1.15, x-r*1.15, y), Fill: c}
	case "skipped":
		m.Circle = &wheelShape{X: x, Y: y, R: r, Fill: "#fff", Stroke: c, Width: "1.5"}
		m.Path = &wheelShape{D: fmt.Sprintf("M%.1f %.1f L%.1f %.1f", x-r*0.7, y+r*0.7, x+r*0.7, y-r*0.7), Stroke: c, Width: "1.5"}
	case "elsewhere":
		m.Rect = &wheelShape{X: x - r*0.85, Y: y - r*0.85, W: r * 1.7, H: r * 1.7, Fill: "#fff", Stroke: c, Width: "1.5"}
	case "elsewhere_done":
		m.Rect = &wheelShape{X: x - r*0.85, Y: y - r*0.85, W: r * 1.7, H: r * 1.7, Fill: wheelColours["elsewhere"]}
	default: // planned
		m.Circle = &wheelShape{X: x, Y: y, R: r * 0.9, Fill: "#fff", Stroke: c, Width: "2"}
	}
	return m
}

// wheelDrawing is the geometry of the wheel, drawn by
// templates/drawings/wheel.svg.
type wheelDrawing struct {
	Size        float64
	Title, Desc string
	CX, CY      float64
	Sectors     []wheelSector
	Rings       []float64 // the activities' rings' radii
	Outer       float64   // the radius of the other elements' ring
	Today       *wheelToday
	Marks       []wheelMark
	Year        int // in the middle
	YearY       float64
	Done        string // how far the year has come, in words, under the year
	DoneY       float64
}

// wheelSector is a month: its sector, shaded alternately, and its name
// outside.
type wheelSector struct {
	D, Fill        string
	LabelX, LabelY float64
	Label          string
}

type wheelToday struct {
	X1, Y1, X2, Y2 float64
	Title          string
}

// wheelSVG draws the year as a wheel: January at the top, the months
// clockwise, one ring per activity from the inside out, the other
// elements' obligations on the outermost ring, and a line for today.
func wheelSVG(cal *isms.WheelCalendar, lang string, today isms.Date) (template.HTML, error) {
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
	d := wheelDrawing{Size: size, CX: cx, CY: cy, Outer: outer + 11, Year: cal.Year, YearY: cy + 2, DoneY: cy + 24,
		Title: i18n.T(lang, "wheel.svg_title", cal.Year),
		Desc:  i18n.T(lang, "wheel.svg_desc", len(cal.Occurrences), len(acts), strings.Join(desc, ", "), len(cal.Scheduled)),
		Done:  i18n.T(lang, "wheel.svg_done", counts["done"], len(cal.Occurrences))}
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
		lx, ly := at((a0+a1)/2, labelR)
		d.Sectors = append(d.Sectors, wheelSector{
			D: fmt.Sprintf("M%.1f %.1f A%.1f %.1f 0 0 1 %.1f %.1f L%.1f %.1f A%.1f %.1f 0 0 0 %.1f %.1f Z",
				xi0, yi0, inner-10, inner-10, xi1, yi1, x1, y1, outer+22, outer+22, x0, y0),
			Fill: fill, LabelX: lx, LabelY: ly, Label: i18n.T(lang, i18n.Key("wheel.month_short."+strconv.Itoa(m)))})
	}
	// Faint circles for the activity rings.
	for i := range acts {
		d.Rings = append(d.Rings, inner+6+step*(float64(i)+0.5))
	}
	// Today.
	if today.Year() == cal.Year {
		x0, y0 := at(angle(today), inner-10)
		x1, y1 := at(angle(today), outer+22)
		d.Today = &wheelToday{x0, y0, x1, y1, i18n.T(lang, "wheel.today", today.String())}
	}
	// The occurrences.
	for _, o := range cal.Occurrences {
		r := inner + 6 + step*(float64(ring[o.ActivityID])+0.5)
		x, y := at(angle(o.DueDate), r)
		d.Marks = append(d.Marks, newWheelMark(o.DisplayStatus(), x, y, markR, fmt.Sprintf("%s · %s · %s", o.ActivityTitle, o.DueDate, i18n.T(lang, i18n.Key("wheel.status."+o.DisplayStatus())))))
	}
	// The other elements' obligations: one mark per day for the open ones
	// and one for those done, named by what they are (a large organisation
	// has hundreds on some days).
	type dayMark struct {
		day  isms.Date
		done bool
	}
	var marks []dayMark
	groups := map[dayMark][]isms.ScheduledItem{}
	for _, it := range cal.Scheduled {
		k := dayMark{it.Day, it.Done}
		if groups[k] == nil {
			marks = append(marks, k)
		}
		groups[k] = append(groups[k], it)
	}
	for _, k := range marks {
		x, y := at(angle(k.day), outer+11)
		st := "elsewhere"
		if k.done {
			st = "elsewhere_done"
		}
		d.Marks = append(d.Marks, newWheelMark(st, x, y, 5, fmt.Sprintf("%s · %s · %s", scheduledLabel(groups[k], lang), k.day, i18n.T(lang, "wheel.elsewhere"))))
	}
	return draw("wheel.svg", d)
}

// scheduledLabel names one day's obligations: the one by kind and name, or
// several by kind with how many of each.
func scheduledLabel(items []isms.ScheduledItem, lang string) string {
	if len(items) == 1 {
		label := i18n.T(lang, i18n.Key(items[0].Kind))
		if items[0].Label != "" {
			label += ": " + items[0].Label
		}
		return label
	}
	var kinds []string
	n := map[string]int{}
	for _, it := range items {
		if n[it.Kind] == 0 {
			kinds = append(kinds, it.Kind)
		}
		n[it.Kind]++
	}
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s (%d)", i18n.T(lang, i18n.Key(k)), n[k]))
	}
	return strings.Join(parts, ", ")
}

// Legend is the legend of the wheel's marks, one small SVG per status.
func (d wheelCalendarData) Legend() ([]wheelLegendItem, error) {
	var out []wheelLegendItem
	for _, st := range append(append([]string{}, wheelStatuses...), "elsewhere", "elsewhere_done") {
		mark, err := draw("wheel_legend_mark", newWheelMark(st, 10, 10, 6, ""))
		if err != nil {
			return nil, err
		}
		out = append(out, wheelLegendItem{Status: st, Mark: mark})
	}
	return out, nil
}

type wheelLegendItem struct {
	Status string
	Mark   template.HTML
}

// wheelExport writes the year's wheel as a workbook: the activities, the
// occurrences with their statuses and records, and the other elements'
// obligations.
func (s *Server) wheelExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	lang := i18n.Negotiate(r)
	year, err := s.wheelYear(r)
	if err != nil {
		return err
	}
	cal, err := s.wheelCalendar(r, org.ID, year)
	if err != nil {
		return err
	}
	acts, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Limit: 500})
	if err != nil {
		return err
	}
	return s.sendXLSX(w, fmt.Sprintf("%s-%d.xlsx", i18n.T(lang, "wheel.file_name"), year), wheelSheets(lang, org, year, acts, cal))
}

func wheelSheets(lang string, org *isms.Organisation, year int, acts []*isms.Activity, cal *isms.WheelCalendar) []export.Sheet {
	t := translator(lang)
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
		serves := ""
		if a.Serves != "" {
			serves = servesLabel(lang, a.Serves)
		}
		activities.Rows = append(activities.Rows, export.Row{Cells: []any{a.Title, a.OwnerName, p.RecurrenceLabel(a), a.StartDate, a.DueDay, a.EndDate,
			serves, topics(a.Topics), a.RecordText, a.RemindDays, t(i18n.Key("wheel.activity_status." + string(a.Status))), a.Description}})
	}
	occ := export.Sheet{Name: t("wheel.sheet_occurrences"), Title: t("wheel.sheet_occurrences_title", org.Name, year),
		Header: []string{t("field.due_date"), t("wheel.planned_date"), t("wheel.activity"), t("field.owner"), t("field.status"), t("field.completed_on"),
			t("wheel.completed_by"), t("field.result"), t("field.comment"), t("field.evidence_path"), t("field.evidence_ref"), t("wheel.skip_reason"), t("field.topics")},
		Widths: []float64{12, 12, 36, 22, 14, 12, 22, 40, 40, 30, 24, 30, 40}}
	for _, o := range cal.Occurrences {
		evidence := ""
		if o.EvidencePath != "" {
			evidence = fmt.Sprintf("/orgs/%d%s", org.ID, o.EvidencePath)
		}
		occ.Rows = append(occ.Rows, export.Row{Cells: []any{o.DueDate, o.PlannedDate, o.ActivityTitle, o.OwnerName,
			t(i18n.Key("wheel.status." + o.DisplayStatus())), o.CompletedOn, o.CompletedByName, o.Result, o.Comment, evidence, o.EvidenceRef, o.SkipReason, topics(o.Topics)}})
	}
	other := export.Sheet{Name: t("wheel.sheet_elsewhere"), Title: t("wheel.sheet_elsewhere_title", year),
		Header: []string{t("field.due_date"), t("field.what"), t("field.name"), t("field.status")}, Widths: []float64{12, 30, 50, 12}}
	for _, it := range cal.Scheduled {
		st := t("wheel.status.planned")
		if it.Done {
			st = t("wheel.status.done")
		}
		other.Rows = append(other.Rows, export.Row{Cells: []any{it.Day, t(i18n.Key(it.Kind)), it.Label, st}})
	}
	return []export.Sheet{activities, occ, other}
}
