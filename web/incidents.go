package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Security incidents (guide 2.9): the incident log with its filters, the
// short form any member reports an event with, the coordinator's triage,
// each incident with its timeline, its NIS2 and GDPR reporting clocks and
// the reports sent, the settings, the export and the API. Times are
// entered and shown in UTC, as every timestamp of the product is.

const incTimeLayout = "15:04"

// parseDateTime reads a moment from a date field and a time field (HH:MM,
// UTC); an empty date is none, an empty time midnight.
func parseDateTime(v *isms.Validation, field, date, clock string) *isms.Instant {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if date == "" {
		return nil
	}
	d, err := isms.ParseDate(date)
	if err != nil {
		v.Add(field, "err.date")
		return nil
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	if clock != "" {
		c, err := time.Parse(incTimeLayout, clock)
		if err != nil {
			v.Add(field, "inc.err.time")
			return nil
		}
		t = t.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute)
	}
	return isms.InstantOf(t)
}

func clockOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(incTimeLayout)
}

func dayOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(isms.DateLayout)
}

// incClock is a reporting clock as shown: its state and how much time is
// left or how long it is overdue, in words.
type incClock struct {
	isms.ReportingClock
	Name string // "NIS2: early warning"
	Left string
}

func incClocks(p *page, inc *isms.Incident, set *isms.IncidentSettings, now time.Time) []incClock {
	var out []incClock
	for _, c := range isms.IncidentClocks(inc, *set, inc.Reports, now) {
		v := incClock{ReportingClock: c, Name: p.T("inc.regime."+c.Regime) + ": " + p.T("inc.kind."+c.Regime+"."+c.Kind)}
		if c.Running() {
			d := c.Remaining
			key := "inc.clock.left"
			if d < 0 {
				d, key = -d, "inc.clock.over"
			}
			mins := int(d / time.Minute)
			v.Left = p.T(key, mins/(24*60), mins/60%24, mins%60)
		}
		out = append(out, v)
	}
	return out
}

// severityName is a level's name on the organisation's scale.
func severityName(p *page, set *isms.IncidentSettings, level int) string {
	if level < 1 || level > set.Levels() {
		return ""
	}
	if len(set.Severities) == 0 {
		return p.T(fmt.Sprintf("inc.severity.%d", level))
	}
	return set.Severities[level-1]
}

type severityChoice struct {
	Level int
	Name  string
}

func severityChoices(p *page, set *isms.IncidentSettings) []severityChoice {
	out := make([]severityChoice, set.Levels())
	for i := range out {
		out[i] = severityChoice{Level: i + 1, Name: severityName(p, set, i+1)}
	}
	return out
}

func incFilterFrom(r *http.Request, limit int) (isms.IncidentFilter, error) {
	q := r.URL.Query()
	f := isms.IncidentFilter{Status: isms.IncidentStatus(q.Get("status")), Category: isms.IncidentCategory(q.Get("category")),
		Query: q.Get("q"), Sort: q.Get("sort"), Open: parseFlag(q.Get("open")), Overdue: parseFlag(q.Get("overdue"))}
	var v isms.Validation
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if f.Category != "" && !f.Category.Valid() {
		v.Add("category", "err.choice")
	}
	f.Severity = int(queryID(&v, q, "severity", "severity"))
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type incRow struct {
	*isms.Incident
	SeverityName string
	Nearest      *incClock
}

type incListData struct {
	Rows       []incRow
	Filter     isms.IncidentFilter
	Pager      pager
	Statuses   []isms.IncidentStatus
	Categories []isms.IncidentCategory
	Severities []severityChoice
}

func (s *Server) incListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := incFilterFrom(r, 50)
	if err != nil {
		return err
	}
	incs, total, err := s.Incidents.Incidents(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	set, err := s.Incidents.IncidentSettings(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.incidents")
	now := s.cfg.Now()
	d := incListData{Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Statuses: isms.IncidentStatuses,
		Categories: isms.IncidentCategories, Severities: severityChoices(p, set)}
	for _, i := range incs {
		row := incRow{Incident: i, SeverityName: severityName(p, set, i.Severity)}
		clocks := incClocks(p, i, set, now)
		for k := range clocks {
			if clocks[k].Running() {
				row.Nearest = &clocks[k]
				break
			}
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	s.render(w, http.StatusOK, "incident_list", p)
	return nil
}

// incReportPage is the short form any member reports an event with.
func (s *Server) incReportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderIncReport(w, r, s.newPage(r, "title.incident_report"), http.StatusOK)
}

func (s *Server) renderIncReport(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	now := s.cfg.Now().UTC()
	p.Data = struct{ Day, Clock string }{dayOf(&now), clockOf(&now)}
	s.render(w, status, "incident_report", p)
	return nil
}

func incEventFromForm(r *http.Request) (isms.IncidentEventInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.IncidentEventInput{Title: f.Get("title"), Description: f.Get("description"),
		DetectedAt: parseDateTime(&v, "detected_at", f.Get("detected_at"), f.Get("detected_time")), Location: f.Get("location"),
		ReporterContact: f.Get("reporter_contact")}
	return in, v.Err()
}

func (s *Server) incReportSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, incEventFromForm, s.Incidents.ReportEvent,
		func(i *isms.Incident) string { return idPath("/incidents/", i.ID) },
		func(_ isms.IncidentEventInput, err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.incident_report"), nil,
				func(p *page, status int) error { return s.renderIncReport(w, r, p, status) })
		})
}

func (s *Server) loadIncident(r *http.Request) (*isms.Incident, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Incidents.Incident(r.Context(), orgFrom(r.Context()).ID, id)
}

type incData struct {
	Incident     *isms.Incident
	SeverityName string
	Settings     *isms.IncidentSettings
	Clocks       []incClock
	Timeline     []*isms.IncidentTimelineEntry
	History      []historyItem
	Members      []*isms.Membership
	Categories   []isms.IncidentCategory
	Severities   []severityChoice
	Kinds        []reportKind
	Day, Clock   string
	// The risk assessments the coordinator may mark for reassessment.
	Assessments []*isms.RiskAssessment
	// The nonconformities, risks, threats, controls and communication
	// plan entries linked (incident_links.go).
	Links incLinkData
}

// reportKind is one report a regime asks for, as a choice of the form.
type reportKind struct{ Value, Label string }

func (s *Server) incPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderIncident(w, r, s.newPage(r, "title.incident"), http.StatusOK)
}

func (s *Server) renderIncident(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	i, err := s.loadIncident(r)
	if err != nil {
		return err
	}
	set, err := s.Incidents.IncidentSettings(r.Context(), i.OrganisationID)
	if err != nil {
		return err
	}
	tl, err := s.Incidents.IncidentTimeline(r.Context(), i.OrganisationID, i.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "incident", i.ID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), i.OrganisationID)
	if err != nil {
		return err
	}
	now := s.cfg.Now().UTC()
	d := incData{Incident: i, SeverityName: severityName(p, set, i.Severity), Settings: set, Clocks: incClocks(p, i, set, now),
		Timeline: tl, History: hist, Members: members, Categories: isms.IncidentCategories, Severities: severityChoices(p, set),
		Day: dayOf(&now), Clock: clockOf(&now)}
	for _, regime := range []string{isms.RegimeNIS2, isms.RegimeGDPR} {
		for _, k := range isms.IncidentReportKinds[regime] {
			d.Kinds = append(d.Kinds, reportKind{Value: regime + "/" + k, Label: p.T("inc.regime."+regime) + ": " + p.T("inc.kind."+regime+"."+k)})
		}
	}
	if i.Status.IsIncident() && p.Can("edit") {
		if d.Assessments, _, err = s.Risk.RiskAssessments(r.Context(), i.OrganisationID, isms.AssessmentFilter{Status: isms.AssessmentCompleted, Sort: "title", Limit: 500}); err != nil {
			return err
		}
	}
	if d.Links, err = s.incLinks(r, p, i); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "incident", p)
	return nil
}

// incRefused shows the incident's page again with a refused form's error.
func (s *Server) incRefused(w http.ResponseWriter, r *http.Request, err error) error {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		p := s.newPage(r, "title.incident")
		p.setError(err)
		status := http.StatusUnprocessableEntity
		if isms.ErrorCode(err) == isms.EConflict {
			status = http.StatusConflict
		}
		return s.renderIncident(w, r, p, status)
	}
	return err
}

func (s *Server) incTriageSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.IncidentTriageInput{Incident: f.Get("decision") == "incident", Category: isms.IncidentCategory(f.Get("category")),
		Severity: formInt(&v, "severity", f.Get("severity"), 0), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		PersonalData: parseFlag(f.Get("personal_data")), NIS2Significant: parseFlag(f.Get("nis2_significant")),
		Reason: f.Get("reason"), Version: formVersion(r)}
	if f.Get("decision") != "incident" && f.Get("decision") != "not_incident" {
		v.Add("decision", "err.choice")
	}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.TriageIncident(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)), "flash.saved")
	return nil
}

type incFormData struct {
	Incident   *isms.Incident
	Members    []*isms.Membership
	Statuses   []isms.IncidentStatus
	Categories []isms.IncidentCategory
	Severities []severityChoice
	Entries    []*isms.OverviewEntry
	Assets     []*isms.Asset
}

func (s *Server) incForm(w http.ResponseWriter, r *http.Request, p *page, i *isms.Incident, status int) error {
	members, err := s.Orgs.Memberships(r.Context(), i.OrganisationID)
	if err != nil {
		return err
	}
	set, err := s.Incidents.IncidentSettings(r.Context(), i.OrganisationID)
	if err != nil {
		return err
	}
	entries, _, err := s.Overview.OverviewEntries(r.Context(), i.OrganisationID, isms.EntryFilter{Limit: 500})
	if err != nil {
		return err
	}
	assets, _, err := s.Risk.Assets(r.Context(), i.OrganisationID, isms.AssetFilter{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = incFormData{Incident: i, Members: members, Statuses: isms.IncidentWorkStatuses, Categories: isms.IncidentCategories,
		Severities: severityChoices(p, set), Entries: entries, Assets: assets}
	s.render(w, status, "incident_form", p)
	return nil
}

func (s *Server) incEditPage(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadIncident(r)
	if err != nil {
		return err
	}
	return s.incForm(w, r, s.newPage(r, "title.incident_edit"), i, http.StatusOK)
}

func incInputFromForm(r *http.Request) (isms.IncidentInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.IncidentInput{Title: f.Get("title"), Description: f.Get("description"),
		DetectedAt: parseDateTime(&v, "detected_at", f.Get("detected_at"), f.Get("detected_time")), Location: f.Get("location"),
		ReporterContact: f.Get("reporter_contact"), Status: isms.IncidentStatus(f.Get("status")), Category: isms.IncidentCategory(f.Get("category")),
		Severity: formInt(&v, "severity", f.Get("severity"), 0), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		Lessons: f.Get("lessons_learned"), Nonconformity: parseFlag(f.Get("nonconformity")), PersonalData: parseFlag(f.Get("personal_data")),
		NIS2Significant: parseFlag(f.Get("nis2_significant")), EntryIDs: parseIDs(&v, "overview_entry_ids", f["overview_entry_ids"]),
		AssetIDs: parseIDs(&v, "asset_ids", f["asset_ids"]), Version: formVersion(r)}
	return in, v.Err()
}

func (s *Server) incUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadIncident(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, incInputFromForm, s.Incidents.UpdateIncident, i.OrganisationID, i.ID, idPath("/incidents/", i.ID),
		func(err error) error {
			if cur, x := s.Incidents.Incident(r.Context(), i.OrganisationID, i.ID); x == nil {
				i = cur
			}
			return s.formRefused(r, err, s.newPage(r, "title.incident_edit"), func() int64 { return i.Version },
				func(p *page, status int) error { return s.incForm(w, r, p, i, status) })
		})
}

func (s *Server) incDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadIncident(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Incidents.DeleteIncident(r.Context(), i.OrganisationID, i.ID, formVersion(r)), "/incidents")
}

func (s *Server) incTimelineSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.IncidentTimelineInput{At: parseDateTime(&v, "at", f.Get("at"), f.Get("at_time")), Text: f.Get("text"), Actor: f.Get("actor")}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.AddIncidentTimeline(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)+"#h-timeline"), "flash.saved")
	return nil
}

func (s *Server) incTimelineDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	eid, err := pathID(r, "entry")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Incidents.DeleteIncidentTimeline(r.Context(), orgFrom(r.Context()).ID, id, eid), idPath("/incidents/", id))
}

func (s *Server) incReportSentSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	regime, kind, _ := strings.Cut(f.Get("report"), "/")
	in := isms.IncidentReportInput{Regime: regime, Kind: kind, SentAt: parseDateTime(&v, "sent_at", f.Get("sent_at"), f.Get("sent_time")),
		Recipient: f.Get("recipient"), Content: f.Get("content")}
	err = v.Err()
	if err == nil {
		_, err = s.Incidents.AddIncidentReport(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		if e := isms.AsError(err); e != nil {
			// The form names the report in one field.
			for k := range e.Fields {
				if e.Fields[k].Field == "regime" || e.Fields[k].Field == "kind" {
					e.Fields[k].Field = "report"
				}
			}
		}
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", id)+"#h-reports"), "flash.saved")
	return nil
}

func (s *Server) incReportDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rid, err := pathID(r, "report")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Incidents.DeleteIncidentReport(r.Context(), orgFrom(r.Context()).ID, id, rid), idPath("/incidents/", id))
}

func (s *Server) incSettingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderIncSettings(w, r, s.newPage(r, "title.incident_settings"), "", http.StatusOK)
}

// renderIncSettings shows the settings with the public reporting link
// (incident_intake.go); intakeURL is the link's address right after it
// is made, else empty.
func (s *Server) renderIncSettings(w http.ResponseWriter, r *http.Request, p *page, intakeURL string, status int) error {
	set, err := s.Incidents.IncidentSettings(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	intake, err := s.intakeView(r, intakeURL)
	if err != nil {
		return err
	}
	p.Data = struct {
		Settings   *isms.IncidentSettings
		Levels     string
		Severities []severityChoice
		Intake     intakeView
	}{set, strings.Join(set.Severities, "\n"), severityChoices(p, set), intake}
	s.render(w, status, "incident_settings", p)
	return nil
}

func incSettingsFromForm(r *http.Request) (isms.IncidentSettings, error) {
	f := r.PostForm
	in := isms.IncidentSettings{NIS2Applies: f.Get("nis2_applies") == "yes", GDPRApplies: f.Get("gdpr_applies") == "yes",
		Severities: strings.Split(strings.ReplaceAll(f.Get("severities"), "\r", ""), "\n"), Version: formVersion(r)}
	return in, nil
}

func (s *Server) incSettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	return saveForm(s, w, r, incSettingsFromForm, func(ctx context.Context, in isms.IncidentSettings) (*isms.IncidentSettings, error) {
		return s.Incidents.UpdateIncidentSettings(ctx, org.ID, in)
	}, func(*isms.IncidentSettings) string { return "/incidents/settings" }, func(_ isms.IncidentSettings, err error) error {
		return s.formRefused(r, err, s.newPage(r, "title.incident_settings"), func() int64 {
			if cur, x := s.Incidents.IncidentSettings(r.Context(), org.ID); x == nil {
				return cur.Version
			}
			return 0
		}, func(p *page, status int) error { return s.renderIncSettings(w, r, p, "", status) })
	})
}

var incidentsQuery = []apiParam{{"status", "string", "reported, not_incident, triaged, investigating, contained, resolved, closed"},
	{"category", "string", "malware, phishing, unauthorised_access, data_leak, device_loss, outage, misconfiguration, physical, other"},
	{"severity", "integer", "the level on the organisation's scale, 1 the lowest"},
	{"open", "boolean", "only events awaiting triage and incidents not closed"},
	{"overdue", "boolean", "only incidents with a NIS2 or GDPR reporting clock overdue now"},
	{"q", "string", "text in title, description or location"},
	{"sort", "string", "detected, title, status, severity; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// incClocksAPI answers an incident's reporting clocks as they stand now.
func (s *Server) incClocksAPI(ctx context.Context, orgID, id int64) ([]isms.ReportingClock, error) {
	i, err := s.Incidents.Incident(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	set, err := s.Incidents.IncidentSettings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return isms.IncidentClocks(i, *set, i.Reports, s.cfg.Now()), nil
}

// incExport writes the incident log as a spreadsheet, newest first.
func (s *Server) incExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Incident
	for {
		page, total, err := s.Incidents.Incidents(r.Context(), org.ID, isms.IncidentFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	set, err := s.Incidents.IncidentSettings(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.incidents")
	lang := i18n.Negotiate(r)
	t := translator(lang)
	// The columns the import reads are headed as it reads them, so the log
	// can be edited and read back; the time of detection is a date-time
	// cell in Danish time, as the import reads times.
	h := func(field string) string { return export.IncidentHeading(field, lang) }
	sheet := export.Sheet{Name: t("inc.export.sheet"), Title: t("inc.export.title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Header: []string{h("title"), h("description"), h("detected"), h("location"), h("status"), h("category"), h("severity"),
			t("xlsx.level_name", h("severity")), h("owner"), t("inc.reports"), h("personal_data"), h("nis2"), t("field.nonconformity"),
			h("lessons"), t("field.not_incident_reason")},
		Widths: []float64{36, 40, 17, 20, 18, 18, 12, 16, 20, 40, 12, 12, 12, 40, 40}}
	yesNo := func(b bool) string {
		if b {
			return t("ui.yes")
		}
		return t("answer.no")
	}
	now := s.cfg.Now()
	for _, i := range all {
		var reports []string
		for _, c := range incClocks(p, i, set, now) {
			reports = append(reports, c.Name+": "+t(i18n.Key("inc.clock."+string(c.State))))
		}
		cat := ""
		if i.Category != "" {
			cat = t(i18n.Key("inc.category." + string(i.Category)))
		}
		nc := ""
		if i.Nonconformity {
			nc = t("ui.yes")
		}
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{i.Title, i.Description, i.DetectedAt, i.Location,
			t(i18n.Key("inc.status." + string(i.Status))), cat, export.Level{Value: i.Severity, Name: severityName(p, set, i.Severity)},
			i.OwnerName, strings.Join(reports, "\n"), yesNo(i.PersonalData), yesNo(i.NIS2Significant), nc, i.Lessons, i.NotIncidentReason}})
	}
	s.streamXLSX(w, "incidents export", t("inc.export.file")+".xlsx", []export.Sheet{sheet})
	return nil
}

// What the incident log has due on the dashboard: every running NIS2 or
// GDPR reporting clock of an open incident. They are counted in hours, so
// each shows, overdue or not, from the moment it starts.
func init() { dueSources = append(dueSources, incidentsDue) }

func incidentsDue(s *Server, r *http.Request, orgID int64, _ isms.Date) ([]dueItem, error) {
	incs, _, err := s.Incidents.Incidents(r.Context(), orgID, isms.IncidentFilter{Open: true, Limit: 500})
	if err != nil {
		return nil, err
	}
	set, err := s.Incidents.IncidentSettings(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	var out []dueItem
	for _, i := range incs {
		for _, c := range isms.IncidentClocks(i, *set, i.Reports, now) {
			if !c.Running() {
				continue
			}
			out = append(out, dueItem{Label: i.Title, Kind: "inc.due." + c.Regime + "." + c.Kind, Due: isms.DateOf(c.Due),
				Overdue: c.State == isms.ClockOverdue, Path: idPath("/incidents/", i.ID)})
		}
	}
	return out, nil
}

// incReassessSubmit marks a risk assessment for ad-hoc reassessment
// because of the incident; the mark's note names the incident.
func (s *Server) incReassessSubmit(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadIncident(r)
	if err != nil {
		return err
	}
	var v isms.Validation
	aid := parseOptionalID(&v, "assessment_id", r.PostForm.Get("assessment_id"))
	if aid == nil {
		v.Add("assessment_id", "err.required")
	}
	if err := v.Err(); err != nil {
		return s.incRefused(w, r, err)
	}
	a, err := s.Risk.RiskAssessment(r.Context(), i.OrganisationID, *aid)
	if err != nil {
		if isms.ErrorCode(err) == isms.ENotFound {
			v.Add("assessment_id", "err.unknown_reference")
			return s.incRefused(w, r, v.Err())
		}
		return err
	}
	p := s.newPage(r, "title.incident")
	if _, err := s.Risk.MarkRiskReassessment(r.Context(), i.OrganisationID, a.ID, p.T("inc.reassess_note", i.Title, i.ID), a.Version); err != nil {
		if e := isms.AsError(err); e != nil {
			// Only a completed assessment is marked; the form names it.
			for k := range e.Fields {
				e.Fields[k].Field = "assessment_id"
			}
		}
		return s.incRefused(w, r, err)
	}
	s.redirect(w, r, p0(r, idPath("/incidents/", i.ID)), "flash.saved")
	return nil
}
