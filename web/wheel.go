package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/i18n"
)

// The annual wheel (guide 2.2 and 2.9): activities, occurrences, the
// calendar, the year plan, the topics, the feed and the reminder log. This
// file has the routes, the activities and the occurrences; the calendar is
// in wheel_calendar.go, the plan and topics in wheel_plan.go, the feed and
// reminders in wheel_feed.go, the API in wheel_api.go.

// wheelDue lists the open occurrences due by until, overdue ones included.
func wheelDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	occ, _, err := s.Wheel.WheelOccurrences(r.Context(), orgID, isms.OccurrenceFilter{Status: "open", To: &until, Limit: 500})
	if err != nil {
		return nil, err
	}
	out := make([]dueItem, 0, len(occ))
	for _, o := range occ {
		out = append(out, dueItem{Label: o.ActivityTitle, Kind: "wheel.due_kind", Due: o.DueDate, Overdue: o.Overdue,
			Path: "/wheel/occurrences/" + strconv.FormatInt(o.ID, 10)})
	}
	return out, nil
}

// wheelYear reads ?year=, this year when absent.
func (s *Server) wheelYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return isms.DateOf(s.cfg.Now()).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "year", Key: "wheel.err.date_range"}}}
	}
	return y, nil
}

// servesOption is one choice of what an activity serves.
type servesOption struct {
	Value string
	Label string
}

type servesGroup struct {
	Label   string
	Options []servesOption
}

// servesGroups lists what an activity can serve: the guide's elements,
// the clauses of the standard, the Annex A controls.
func servesGroups(lang string) []servesGroup {
	g := servesGroup{Label: i18n.T(lang, "wheel.serves_guide")}
	for _, sec := range isms.GuideSections {
		g.Options = append(g.Options, servesOption{"guide:" + sec, servesLabel(lang, "guide:"+sec)})
	}
	c := servesGroup{Label: i18n.T(lang, "wheel.serves_clause")}
	for _, cl := range isms.StandardClauses {
		c.Options = append(c.Options, servesOption{"clause:" + cl, servesLabel(lang, "clause:"+cl)})
	}
	a := servesGroup{Label: i18n.T(lang, "wheel.serves_annex")}
	for _, ctl := range catalog.AnnexA2022() {
		a.Options = append(a.Options, servesOption{"annex:" + ctl.ID, "A." + ctl.ID + " " + ctl.Title(lang)})
	}
	return []servesGroup{g, c, a}
}

// servesLabel puts a Serves value in words.
func servesLabel(lang, v string) string {
	kind, ref := isms.ServesKind(v)
	switch kind {
	case "guide":
		return i18n.T(lang, "wheel.serves_guide_item", ref, i18n.T(lang, i18n.Key("wheel.guide."+ref)))
	case "clause":
		return i18n.T(lang, "wheel.serves_clause_item", ref, i18n.T(lang, i18n.Key("wheel.clause."+ref)))
	case "annex":
		for _, c := range catalog.AnnexA2022() {
			if c.ID == ref {
				return i18n.T(lang, "wheel.serves_annex_item", ref, c.Title(lang))
			}
		}
	}
	return v
}

// ServesLabel is servesLabel in the page's language, for templates.
func (p *page) ServesLabel(v string) string { return servesLabel(p.Lang, v) }

// RecurrenceLabel puts an activity's recurrence in words.
func (p *page) RecurrenceLabel(a *isms.Activity) string {
	if a.Recurrence == isms.RecurMonths {
		return p.T("wheel.recur_every", a.IntervalMonths)
	}
	return p.T("wheel.recur." + string(a.Recurrence))
}

// TopicLabels puts topics in words.
func (p *page) TopicLabels(ts []string) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = p.T("topic." + t)
	}
	return strings.Join(out, ", ")
}

// MonthName is the name of month m (1–12).
func (p *page) MonthName(m int) string { return p.T("wheel.month." + strconv.Itoa(m)) }

// Activities.

func activityFilterFrom(r *http.Request, limit int) (isms.ActivityFilter, error) {
	q := r.URL.Query()
	f := isms.ActivityFilter{Status: isms.ActivityStatus(q.Get("status")), Topic: q.Get("topic"), Query: q.Get("q"), Sort: q.Get("sort")}
	var v isms.Validation
	if f.Status != "" && !slices.Contains(isms.ActivityStatuses, f.Status) {
		v.Add("status", "err.choice")
	}
	if f.Topic != "" && !isms.ValidTopic(f.Topic) {
		v.Add("topic", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type wheelActivitiesData struct {
	Activities []*isms.Activity
	Filter     isms.ActivityFilter
	Pager      pager
	Members    []*isms.Membership
	Topics     []string
	Statuses   []isms.ActivityStatus
}

func (s *Server) wheelActivitiesPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.wheel_activities")
	org := orgFrom(r.Context())
	f, err := activityFilterFrom(r, 50)
	if err != nil {
		return err
	}
	acts, total, err := s.Wheel.WheelActivities(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = wheelActivitiesData{Activities: acts, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members,
		Topics: isms.ManagementTopics, Statuses: isms.ActivityStatuses}
	s.render(w, http.StatusOK, "wheel_activities", p)
	return nil
}

type wheelActivityFormData struct {
	Activity    *isms.Activity
	Members     []*isms.Membership
	Recurrences []isms.Recurrence
	Serves      []servesGroup
	Topics      []string
	Statuses    []isms.ActivityStatus
}

// HasTopic tells a topic checkbox whether it is ticked.
func (p *page) HasTopic(t string, a *isms.Activity) bool {
	if p.Form != nil {
		return slices.Contains(p.Form["topics"], t)
	}
	return a != nil && slices.Contains(a.Topics, t)
}

// ActivityDates is an ad hoc activity's dates, one per line, for the form.
func (p *page) ActivityDates(a *isms.Activity) string {
	if p.Form != nil {
		return p.Form.Get("dates")
	}
	if a == nil {
		return ""
	}
	s := make([]string, len(a.Dates))
	for i, d := range a.Dates {
		s[i] = d.String()
	}
	return strings.Join(s, "\n")
}

func (s *Server) wheelActivityForm(w http.ResponseWriter, r *http.Request, p *page, a *isms.Activity, status int) error {
	members, err := s.Orgs.Memberships(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p.Data = wheelActivityFormData{Activity: a, Members: members, Recurrences: isms.Recurrences, Serves: servesGroups(p.Lang),
		Topics: isms.ManagementTopics, Statuses: isms.ActivityStatuses}
	s.render(w, status, "wheel_activity_form", p)
	return nil
}

func (s *Server) wheelActivityNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.wheelActivityForm(w, r, s.newPage(r, "title.wheel_activity_new"), nil, http.StatusOK)
}

// activityInputFromForm reads the activity form; problems with the form
// itself (a date that is not a date) are collected like the store's own.
func activityInputFromForm(r *http.Request) (isms.ActivityInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ActivityInput{Title: f.Get("title"), Description: f.Get("description"), Recurrence: isms.Recurrence(f.Get("recurrence")),
		Serves: f.Get("serves"), Topics: f["topics"], RecordText: f.Get("record_text"), Status: isms.ActivityStatus(f.Get("status")),
		Version: parseVersion(f.Get("version")), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		StartDate: parseOptionalDate(&v, "start_date", f.Get("start_date")), EndDate: parseOptionalDate(&v, "end_date", f.Get("end_date"))}
	in.IntervalMonths = formInt(&v, "interval_months", f.Get("interval_months"), 0)
	in.DueDay = formInt(&v, "due_day", f.Get("due_day"), 0)
	if rd := strings.TrimSpace(f.Get("remind_days")); rd != "" {
		n := formInt(&v, "remind_days", rd, isms.DefaultRemindDays)
		in.RemindDays = &n
	}
	if in.Recurrence == isms.RecurAdHoc {
		for _, part := range strings.FieldsFunc(f.Get("dates"), func(c rune) bool { return c == ',' || c == '\n' || c == '\r' || c == ' ' || c == ';' }) {
			d, err := isms.ParseDate(part)
			if err != nil {
				v.Add("dates", "err.date")
				break
			}
			in.Dates = append(in.Dates, d)
		}
	}
	return in, v.Err()
}

func (s *Server) wheelActivityCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, activityInputFromForm, s.Wheel.CreateWheelActivity,
		func(a *isms.Activity) string { return idPath("/wheel/activities/", a.ID) },
		func(_ isms.ActivityInput, err error) error { return s.wheelActivityFormError(w, r, nil, err) })
}

func (s *Server) wheelActivityFormError(w http.ResponseWriter, r *http.Request, a *isms.Activity, err error) error {
	title := "title.wheel_activity_new"
	if a != nil {
		title = "title.wheel_activity_edit"
	}
	current := versionOf(a, func(a *isms.Activity) int64 { return a.Version })
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.wheelActivityForm(w, r, p, a, status) })
}

func (s *Server) loadWheelActivity(r *http.Request) (*isms.Activity, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Wheel.WheelActivity(r.Context(), orgFrom(r.Context()).ID, id)
}

type wheelActivityData struct {
	Activity    *isms.Activity
	Occurrences []*isms.Occurrence
	History     []historyItem
}

func (s *Server) wheelActivityPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadWheelActivity(r)
	if err != nil {
		return err
	}
	occ, _, err := s.Wheel.WheelOccurrences(r.Context(), a.OrganisationID, isms.OccurrenceFilter{ActivityID: a.ID, Sort: "-due_date", Limit: 200})
	if err != nil {
		return err
	}
	hist, err := s.history(r, "wheel_activity", a.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.wheel_activity")
	p.Data = wheelActivityData{Activity: a, Occurrences: occ, History: hist}
	s.render(w, http.StatusOK, "wheel_activity", p)
	return nil
}

func (s *Server) wheelActivityEditPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadWheelActivity(r)
	if err != nil {
		return err
	}
	return s.wheelActivityForm(w, r, s.newPage(r, "title.wheel_activity_edit"), a, http.StatusOK)
}

func (s *Server) wheelActivityUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadWheelActivity(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, activityInputFromForm, s.Wheel.UpdateWheelActivity, a.OrganisationID, a.ID,
		idPath("/wheel/activities/", a.ID), func(err error) error { return s.wheelActivityFormError(w, r, a, err) })
}

func (s *Server) wheelActivityDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadWheelActivity(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Wheel.DeleteWheelActivity(r.Context(), a.OrganisationID, a.ID, formVersion(r)), "/wheel/activities")
}

// Occurrences.

func occurrenceFilterFrom(r *http.Request, limit int) (isms.OccurrenceFilter, error) {
	q := r.URL.Query()
	f := isms.OccurrenceFilter{Status: q.Get("status"), Topic: q.Get("topic"), Sort: q.Get("sort")}
	var v isms.Validation
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			v.Add("year", "wheel.err.date_range")
		}
		f.Year = n
	}
	if f.Status != "" && f.Status != "open" && f.Status != "overdue" && !slices.Contains(isms.OccurrenceStatuses, isms.OccurrenceStatus(f.Status)) {
		v.Add("status", "err.choice")
	}
	if f.Topic != "" && !isms.ValidTopic(f.Topic) {
		v.Add("topic", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner")
	f.ActivityID = queryID(&v, q, "activity", "activity")
	f.From = parseOptionalDate(&v, "from", q.Get("from"))
	f.To = parseOptionalDate(&v, "to", q.Get("to"))
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type wheelListData struct {
	Occurrences []*isms.Occurrence
	Filter      isms.OccurrenceFilter
	Pager       pager
	Members     []*isms.Membership
	Topics      []string
	Statuses    []string
	Year        int
	LaidOut     bool // whether Year's occurrences are laid out (true when no year is chosen)
}

func (s *Server) wheelListPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.wheel_list")
	org := orgFrom(r.Context())
	f, err := occurrenceFilterFrom(r, 100)
	if err != nil {
		return err
	}
	year := f.Year
	if year == 0 && f.From == nil && f.To == nil {
		year = isms.DateOf(s.cfg.Now()).Year()
		f.Year = year
	}
	laidOut := true
	if year != 0 {
		if laidOut, err = s.Wheel.WheelYearLaidOut(r.Context(), org.ID, year); err != nil {
			return err
		}
	}
	occ, total, err := s.Wheel.WheelOccurrences(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = wheelListData{Occurrences: occ, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members, Topics: isms.ManagementTopics,
		Statuses: []string{"open", "overdue", "planned", "in_progress", "done", "skipped"}, Year: year, LaidOut: laidOut}
	s.render(w, http.StatusOK, "wheel_list", p)
	return nil
}

type wheelOccurrenceData struct {
	Occurrence *isms.Occurrence
	Activity   *isms.Activity
	History    []historyItem
	Today      isms.Date
	// Action is the form that was refused, to show its errors in place.
	Action string
}

// EvidenceURL is the link to an occurrence's evidence inside the product.
func (p *page) EvidenceURL(o *isms.Occurrence) string {
	if o.EvidencePath == "" {
		return ""
	}
	return p.OrgURL(o.EvidencePath)
}

func (s *Server) loadWheelOccurrence(r *http.Request) (*isms.Occurrence, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Wheel.WheelOccurrence(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) renderWheelOccurrence(w http.ResponseWriter, r *http.Request, p *page, o *isms.Occurrence, action string, status int) error {
	a, err := s.Wheel.WheelActivity(r.Context(), o.OrganisationID, o.ActivityID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "wheel_occurrence", o.ID)
	if err != nil {
		return err
	}
	p.Data = wheelOccurrenceData{Occurrence: o, Activity: a, History: hist, Today: isms.DateOf(s.cfg.Now()), Action: action}
	s.render(w, status, "wheel_occurrence", p)
	return nil
}

func (s *Server) wheelOccurrencePage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadWheelOccurrence(r)
	if err != nil {
		return err
	}
	return s.renderWheelOccurrence(w, r, s.newPage(r, "title.wheel_occurrence"), o, "", http.StatusOK)
}

// wheelOccurrenceSubmit handles the forms of an occurrence's page: start,
// complete (or amend), skip, reopen, reschedule.
func (s *Server) wheelOccurrenceSubmit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadWheelOccurrence(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	version := parseVersion(f.Get("version"))
	ctx, org := r.Context(), o.OrganisationID
	action := r.PathValue("action")
	var v isms.Validation
	switch action {
	case "start":
		_, err = s.Wheel.StartOccurrence(ctx, org, o.ID, version)
	case "complete":
		in := isms.CompletionInput{Result: f.Get("result"), Comment: f.Get("comment"), EvidencePath: f.Get("evidence_path"),
			EvidenceRef: f.Get("evidence_ref"), Version: version, CompletedOn: parseOptionalDate(&v, "completed_on", f.Get("completed_on"))}
		if err = v.Err(); err == nil {
			_, err = s.Wheel.CompleteOccurrence(ctx, org, o.ID, in)
		}
	case "skip":
		_, err = s.Wheel.SkipOccurrence(ctx, org, o.ID, f.Get("reason"), version)
	case "reopen":
		_, err = s.Wheel.ReopenOccurrence(ctx, org, o.ID, version)
	case "reschedule":
		due := parseOptionalDate(&v, "due_date", f.Get("due_date"))
		if due == nil && !v.Has("due_date") {
			v.Add("due_date", "err.required")
		}
		if err = v.Err(); err == nil {
			_, err = s.Wheel.RescheduleOccurrence(ctx, org, o.ID, *due, version)
		}
	default:
		return errPageNotFound
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.wheel_occurrence"), nil, func(p *page, status int) error {
			// The occurrence's forms carry its version now whatever
			// was refused: it was just read.
			p.Form.Set("version", strconv.FormatInt(o.Version, 10))
			return s.renderWheelOccurrence(w, r, p, o, action, status)
		})
	}
	flash := "flash.saved"
	if action == "complete" {
		flash = "flash.wheel_completed"
	}
	s.redirect(w, r, p0(r, "/wheel/occurrences/"+strconv.FormatInt(o.ID, 10)), flash)
	return nil
}

// yearNav builds the links to the previous and next year of a page.
type yearNav struct {
	Year       int
	Prev, Next string
}

func newYearNav(r *http.Request, year int) yearNav {
	q := r.URL.Query()
	link := func(y int) string {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = v
		}
		q2.Set("year", strconv.Itoa(y))
		q2.Del("offset")
		return r.URL.Path + "?" + q2.Encode()
	}
	return yearNav{Year: year, Prev: link(year - 1), Next: link(year + 1)}
}
