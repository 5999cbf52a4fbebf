package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The awareness programme (guide 2.6): the year's campaigns and activities
// grouped by quarter, with the guide's themes each covers; each activity
// with its target group, channel, period and owner, the annual wheel's
// activity that brings a recurring one round and a phishing exercise's
// result; the form, "mark as held", and the API.

// awTheme is a theme as shown: a known theme by its catalogue name, the
// organisation's own in its own words.
func awTheme(t func(i18n.Key, ...any) string, theme string) string {
	if isms.KnownTheme(theme) {
		return t(i18n.Key("awareness.theme." + theme))
	}
	return theme
}

// awRow is one activity of the programme as the pages show it.
type awRow struct {
	*isms.AwarenessActivity
	ThemesText string
	TargetText string
	// ResultText is a phishing exercise's result in words; empty for none.
	ResultText string
}

// WheelID is the id of the wheel activity that brings the activity round,
// 0 for a one-off.
func (r awRow) WheelID() int64 {
	if r.WheelActivityID == nil {
		return 0
	}
	return *r.WheelActivityID
}

// StatusClass is the badge class of the activity's status.
func (r awRow) StatusClass() string {
	switch r.Status {
	case isms.AwarenessHeld:
		return "a-yes"
	case isms.AwarenessRunning:
		return "a-partly"
	case isms.AwarenessCancelled:
		return "a-no"
	}
	return "a-unanswered"
}

// awNames are the names of the units and security roles an activity may
// target.
type awNames struct {
	units map[int64]string
	roles map[int64]string
}

func (s *Server) awarenessNames(r *http.Request, orgID int64) (awNames, []*isms.OrgUnit, []*isms.SecurityRole, error) {
	n := awNames{units: map[int64]string{}, roles: map[int64]string{}}
	units, err := s.AwarenessParticipation.OrgUnits(r.Context(), orgID)
	if err != nil {
		return n, nil, nil, err
	}
	roles, err := s.Leadership.SecurityRoles(r.Context(), orgID)
	if err != nil {
		return n, nil, nil, err
	}
	for _, u := range units {
		n.units[u.ID] = u.Name
	}
	for _, ro := range roles {
		n.roles[ro.ID] = ro.Name
	}
	return n, units, roles, nil
}

func (n awNames) row(t func(i18n.Key, ...any) string, a *isms.AwarenessActivity) awRow {
	row := awRow{AwarenessActivity: a}
	names := make([]string, 0, len(a.Themes))
	for _, th := range a.Themes {
		names = append(names, awTheme(t, th))
	}
	row.ThemesText = strings.Join(names, ", ")
	names = nil
	switch a.Target {
	case isms.TargetUnits:
		for _, id := range a.UnitIDs {
			names = append(names, n.units[id])
		}
	case isms.TargetRoles:
		for _, id := range a.RoleIDs {
			names = append(names, n.roles[id])
		}
	}
	if a.ExerciseSent != nil {
		parts := []string{t("awareness.exercise_sent_n", *a.ExerciseSent)}
		if a.ExerciseClicked != nil {
			parts = append(parts, t("awareness.exercise_clicked_n", *a.ExerciseClicked))
		}
		if a.ExerciseReported != nil {
			parts = append(parts, t("awareness.exercise_reported_n", *a.ExerciseReported))
		}
		row.ResultText = strings.Join(parts, " · ")
	}
	row.TargetText = t(i18n.Key("awareness.target." + string(a.Target)))
	if len(names) > 0 {
		row.TargetText += ": " + strings.Join(names, ", ")
	}
	return row
}

// awFilterFrom reads the programme's filter. The year is this year
// unless asked otherwise; "all" is every year.
func (s *Server) awFilterFrom(r *http.Request) (isms.AwarenessActivityFilter, error) {
	q := r.URL.Query()
	f := isms.AwarenessActivityFilter{Theme: strings.TrimSpace(q.Get("theme")), Channel: isms.AwarenessChannel(q.Get("channel")),
		Status: isms.AwarenessStatus(q.Get("status")), Year: isms.DateOf(s.cfg.Now()).Year()}
	var v isms.Validation
	if f.Channel != "" && !f.Channel.Valid() {
		v.Add("channel", "err.choice")
	}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	switch y := q.Get("year"); y {
	case "":
	case "all":
		f.Year = 0
	default:
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			v.Add("year", "err.choice")
		} else {
			f.Year = n
		}
	}
	return f, v.Err()
}

// awPeriod is one quarter of the programme.
type awPeriod struct {
	Year, Quarter int
	Activities    []awRow
}

// awCoverage says whether a theme has an activity in the year shown.
type awCoverage struct {
	Theme, Name string
	Guide       bool
	Count       int
}

type awProgrammeData struct {
	Filter   isms.AwarenessActivityFilter
	Years    []int
	Periods  []awPeriod
	Count    int
	Coverage []awCoverage
	// Uncovered names the guide's themes without an activity in the year.
	Uncovered string
	Themes    []string
	Channels  []isms.AwarenessChannel
	Statuses  []isms.AwarenessStatus
}

func (s *Server) awProgrammePage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := s.awFilterFrom(r)
	if err != nil {
		return err
	}
	acts, err := s.Awareness.AwarenessActivities(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	names, _, _, err := s.awarenessNames(r, org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.awareness")
	t := translator(p.Lang)
	// Oldest first within the year: the programme reads as a plan.
	slices.SortStableFunc(acts, func(a, b *isms.AwarenessActivity) int { return a.StartsOn.Compare(b.StartsOn.Time) })
	d := awProgrammeData{Filter: f, Count: len(acts), Themes: isms.AwarenessThemes, Channels: isms.AwarenessChannels, Statuses: isms.AwarenessStatuses}
	this := isms.DateOf(s.cfg.Now()).Year()
	for y := this + 1; y >= this-4; y-- {
		d.Years = append(d.Years, y)
	}
	for _, a := range acts {
		y, q := a.StartsOn.Year(), (int(a.StartsOn.Month())-1)/3+1
		if f.Year != 0 && y < f.Year {
			// Begun in an earlier year: it runs from this year's start.
			y, q = f.Year, 1
		}
		if n := len(d.Periods); n == 0 || d.Periods[n-1].Year != y || d.Periods[n-1].Quarter != q {
			d.Periods = append(d.Periods, awPeriod{Year: y, Quarter: q})
		}
		last := &d.Periods[len(d.Periods)-1]
		last.Activities = append(last.Activities, names.row(t, a))
	}
	// The coverage counts the year's activities that are not cancelled,
	// whatever else the filter narrows.
	if f.Year != 0 {
		year, err := s.Awareness.AwarenessActivities(r.Context(), org.ID, isms.AwarenessActivityFilter{Year: f.Year})
		if err != nil {
			return err
		}
		count := map[string]int{}
		for _, a := range year {
			if a.Status == isms.AwarenessCancelled {
				continue
			}
			for _, th := range a.Themes {
				count[th]++
			}
		}
		var uncovered []string
		for _, th := range isms.AwarenessThemes {
			guide := slices.Contains(isms.GuideThemes, th)
			d.Coverage = append(d.Coverage, awCoverage{Theme: th, Name: awTheme(t, th), Guide: guide, Count: count[th]})
			if guide && count[th] == 0 {
				uncovered = append(uncovered, awTheme(t, th))
			}
		}
		d.Uncovered = strings.Join(uncovered, ", ")
	}
	p.Data = d
	s.render(w, http.StatusOK, "awareness_programme", p)
	return nil
}

func (s *Server) loadAwarenessActivity(r *http.Request) (*isms.AwarenessActivity, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Awareness.AwarenessActivity(r.Context(), orgFrom(r.Context()).ID, id)
}

type awActivityData struct {
	Activity awRow
	Today    isms.Date
	History  []historyItem
}

func (s *Server) awActivityPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAwActivity(w, r, s.newPage(r, "title.awareness_activity"), http.StatusOK)
}

func (s *Server) renderAwActivity(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	a, err := s.loadAwarenessActivity(r)
	if err != nil {
		return err
	}
	names, _, _, err := s.awarenessNames(r, a.OrganisationID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "awareness_activity", a.ID)
	if err != nil {
		return err
	}
	p.Data = awActivityData{Activity: names.row(translator(p.Lang), a), Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "awareness_activity", p)
	return nil
}

type awFormData struct {
	Activity  *isms.AwarenessActivity
	OwnThemes string
	// The phishing exercise's counts as the form shows them.
	Sent, Clicked, Reported string
	Members                 []*isms.Membership
	Units                   []*isms.OrgUnit
	Roles                   []*isms.SecurityRole
	Wheel                   []*isms.Activity
	Themes                  []string
	Channels                []isms.AwarenessChannel
	Targets                 []isms.AwarenessTarget
	Statuses                []isms.AwarenessStatus
	Recurrences             []isms.Recurrence
	Today                   isms.Date
}

// awRecurrences are the recurrences a new wheel activity for an awareness
// activity may have: it must come round.
var awRecurrences = []isms.Recurrence{isms.RecurYearly, isms.RecurQuarterly, isms.RecurMonthly, isms.RecurMonths}

func (s *Server) awForm(w http.ResponseWriter, r *http.Request, p *page, a *isms.AwarenessActivity, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	_, units, roles, err := s.awarenessNames(r, org.ID)
	if err != nil {
		return err
	}
	wheel, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Status: isms.ActivityActive, Sort: "title", Limit: 500})
	if err != nil {
		return err
	}
	d := awFormData{Activity: a, Members: members, Units: units, Roles: roles, Wheel: wheel, Themes: isms.AwarenessThemes,
		Channels: isms.AwarenessChannels, Targets: isms.AwarenessTargets, Statuses: isms.AwarenessStatuses, Recurrences: awRecurrences,
		Today: isms.DateOf(s.cfg.Now())}
	if a != nil {
		var own []string
		for _, th := range a.Themes {
			if !isms.KnownTheme(th) {
				own = append(own, th)
			}
		}
		d.OwnThemes = strings.Join(own, "; ")
		count := func(n *int) string {
			if n == nil {
				return ""
			}
			return strconv.Itoa(*n)
		}
		d.Sent, d.Clicked, d.Reported = count(a.ExerciseSent), count(a.ExerciseClicked), count(a.ExerciseReported)
	}
	p.Data = d
	s.render(w, status, "awareness_activity_form", p)
	return nil
}

// HasTheme tells the form's theme boxes whether a theme is chosen: from
// the submitted form, or else from the stored activity.
func (p *page) HasTheme(theme string, a *isms.AwarenessActivity) bool {
	if p.Form != nil {
		return slices.Contains(p.Form["themes"], theme)
	}
	return a != nil && slices.Contains(a.Themes, theme)
}

func (s *Server) awNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.awForm(w, r, s.newPage(r, "title.awareness_activity_new"), nil, http.StatusOK)
}

func (s *Server) awEditPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAwarenessActivity(r)
	if err != nil {
		return err
	}
	return s.awForm(w, r, s.newPage(r, "title.awareness_activity_edit"), a, http.StatusOK)
}

// parseOptionalCount reads a whole number; empty is none.
func parseOptionalCount(v *isms.Validation, field, s string) *int {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(field, "awareness.err.count")
		return nil
	}
	return &n
}

func awInputFromForm(r *http.Request) (isms.AwarenessActivityInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.AwarenessActivityInput{Title: f.Get("title"), Description: f.Get("description"), Themes: slices.Clone(f["themes"]),
		Channel: isms.AwarenessChannel(f.Get("channel")), Target: isms.AwarenessTarget(f.Get("target")),
		UnitIDs: parseIDs(&v, "unit_ids", f["unit_ids"]), RoleIDs: parseIDs(&v, "role_ids", f["role_ids"]),
		StartsOn: parseOptionalDate(&v, "starts_on", f.Get("starts_on")), EndsOn: parseOptionalDate(&v, "ends_on", f.Get("ends_on")),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Status: isms.AwarenessStatus(f.Get("status")),
		HeldOn:           parseOptionalDate(&v, "held_on", f.Get("held_on")),
		ExerciseSent:     parseOptionalCount(&v, "exercise_sent", f.Get("exercise_sent")),
		ExerciseClicked:  parseOptionalCount(&v, "exercise_clicked", f.Get("exercise_clicked")),
		ExerciseReported: parseOptionalCount(&v, "exercise_reported", f.Get("exercise_reported")),
		Version:          parseVersion(f.Get("version"))}
	// Own themes, separated by semicolons, join the chosen ones.
	for _, own := range strings.Split(f.Get("own_theme"), ";") {
		if own = strings.TrimSpace(own); own != "" {
			in.Themes = append(in.Themes, own)
		}
	}
	switch wheel := f.Get("wheel_activity_id"); wheel {
	case "":
	case "new":
		nw := &isms.AwarenessWheelInput{Recurrence: isms.Recurrence(f.Get("wheel_recurrence")), RecordText: f.Get("wheel_record_text"),
			StartDate: parseOptionalDate(&v, "wheel_start_date", f.Get("wheel_start_date"))}
		if n := strings.TrimSpace(f.Get("wheel_interval_months")); n != "" {
			nw.IntervalMonths, _ = strconv.Atoi(n)
		}
		in.NewWheelActivity = nw
	default:
		in.WheelActivityID = parseOptionalID(&v, "wheel_activity_id", wheel)
	}
	return in, v.Err()
}

func (s *Server) awFormError(w http.ResponseWriter, r *http.Request, a *isms.AwarenessActivity, err error) error {
	title, current := "title.awareness_activity_new", func() int64 { return 0 }
	if a != nil {
		title = "title.awareness_activity_edit"
		if cur, x := s.Awareness.AwarenessActivity(r.Context(), a.OrganisationID, a.ID); x == nil {
			a = cur
		}
		current = func() int64 { return a.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.awForm(w, r, p, a, status) })
}

func (s *Server) awCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, awInputFromForm, s.Awareness.CreateAwarenessActivity,
		func(a *isms.AwarenessActivity) string { return idPath("/awareness/activities/", a.ID) },
		func(_ isms.AwarenessActivityInput, err error) error { return s.awFormError(w, r, nil, err) })
}

func (s *Server) awUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAwarenessActivity(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, awInputFromForm, s.Awareness.UpdateAwarenessActivity, a.OrganisationID, a.ID,
		idPath("/awareness/activities/", a.ID), func(err error) error { return s.awFormError(w, r, a, err) })
}

func (s *Server) awDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAwarenessActivity(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Awareness.DeleteAwarenessActivity(r.Context(), a.OrganisationID, a.ID, formVersion(r)), "/awareness")
}

// awInputOf is an activity's input as it stands, for a change of one part.
func awInputOf(a *isms.AwarenessActivity) isms.AwarenessActivityInput {
	start := a.StartsOn
	return isms.AwarenessActivityInput{Title: a.Title, Description: a.Description, Themes: a.Themes, Channel: a.Channel, Target: a.Target,
		UnitIDs: a.UnitIDs, RoleIDs: a.RoleIDs, StartsOn: &start, EndsOn: a.EndsOn, OwnerID: a.OwnerID, WheelActivityID: a.WheelActivityID,
		Status: a.Status, HeldOn: a.HeldOn, ExerciseSent: a.ExerciseSent, ExerciseClicked: a.ExerciseClicked,
		ExerciseReported: a.ExerciseReported, Version: a.Version}
}

// awHeldSubmit marks an activity as held on the day given (today unless
// another is chosen).
func (s *Server) awHeldSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadAwarenessActivity(r)
	if err != nil {
		return err
	}
	var v isms.Validation
	on := parseOptionalDate(&v, "held_on", r.PostForm.Get("held_on"))
	if on == nil && !v.Has("held_on") {
		today := isms.DateOf(s.cfg.Now())
		on = &today
	}
	err = v.Err()
	if err == nil {
		in := awInputOf(a)
		in.Status, in.HeldOn, in.Version = isms.AwarenessHeld, on, formVersion(r)
		_, err = s.Awareness.UpdateAwarenessActivity(r.Context(), a.OrganisationID, a.ID, in)
	}
	if err != nil {
		switch isms.ErrorCode(err) {
		case isms.EInvalid, isms.EConflict:
			p := s.newPage(r, "title.awareness_activity")
			p.setError(err)
			return s.renderAwActivity(w, r, p, s.status(r, err))
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/awareness/activities/", a.ID)), "flash.awareness_held")
	return nil
}

var awarenessQuery = []apiParam{{"theme", "string", "a theme key (incident_reporting, information_handling, remote_work, phishing, passwords) or an own theme"},
	{"channel", "string", "e_learning, meeting, email, intranet, poster, phishing_exercise, quiz, other"},
	{"status", "string", "planned, running, held, cancelled"}, {"year", "string", "activities whose period touches the year; this year when absent, all for every year"}}

// awListAPI lists the programme, newest first.
func (s *Server) awListAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	f, err := s.awFilterFrom(r)
	if err != nil {
		return nil, err
	}
	acts, err := s.Awareness.AwarenessActivities(r.Context(), org, f)
	return nonNil(acts), err
}
