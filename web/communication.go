package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The communication plan (guide 2.7): the plan with its filters, the
// guide's typical cases offered as one-click templates, each entry with
// its responsible person's acknowledgement, the XLSX export and the API.

func commFilterFrom(r *http.Request, limit int) (isms.CommunicationFilter, error) {
	q := r.URL.Query()
	f := isms.CommunicationFilter{Direction: isms.Direction(q.Get("direction")), Status: isms.EntryStatus(q.Get("status")),
		CaseKey: q.Get("case_key"), Query: q.Get("q"), Sort: q.Get("sort")}
	var v isms.Validation
	if f.Direction != "" && !f.Direction.Valid() {
		v.Add("direction", "err.choice")
	}
	f.ResponsibleID = queryID(&v, q, "responsible", "responsible_id")
	if parseFlag(q.Get("pending")) && userFrom(r.Context()) != nil {
		f.PendingFor = userFrom(r.Context()).ID
	}
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

// caseCover is one of the guide's typical cases and how the plan covers it.
type caseCover struct {
	isms.CommunicationCase
	Active int // active entries made from or tagged with it
	Any    int // entries of any status
}

type commPlanData struct {
	Entries  []*isms.CommunicationEntry
	Pending  []*isms.CommunicationEntry // awaiting the caller's acknowledgement
	Filter   isms.CommunicationFilter
	Pager    pager
	Members  []*isms.Membership
	Cases    []caseCover
	Active   map[string]int // active entries by direction
	Awaiting int            // active entries not yet acknowledged
	Today    isms.Date
}

// allCommunication reads the whole plan, page by page.
func (s *Server) allCommunication(r *http.Request, orgID int64) ([]*isms.CommunicationEntry, error) {
	var out []*isms.CommunicationEntry
	for {
		page, total, err := s.Communication.CommunicationEntries(r.Context(), orgID, isms.CommunicationFilter{Offset: len(out), Limit: 500})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

func (s *Server) commPlanPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCommPlan(w, r, s.newPage(r, "title.comm_plan"), http.StatusOK)
}

func (s *Server) renderCommPlan(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	f, err := commFilterFrom(r, 50)
	if err != nil {
		return err
	}
	entries, total, err := s.Communication.CommunicationEntries(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	pending, _, err := s.Communication.CommunicationEntries(r.Context(), org.ID, isms.CommunicationFilter{PendingFor: p.User.ID, Limit: 500})
	if err != nil {
		return err
	}
	all, err := s.allCommunication(r, org.ID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	d := commPlanData{Entries: entries, Pending: pending, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members,
		Active: map[string]int{}, Today: isms.DateOf(s.cfg.Now())}
	for _, c := range isms.CommunicationCases {
		cc := caseCover{CommunicationCase: c}
		for _, e := range all {
			if e.CaseKey == c.Key {
				cc.Any++
				if e.Status == isms.StatusActive {
					cc.Active++
				}
			}
		}
		d.Cases = append(d.Cases, cc)
	}
	for _, e := range all {
		if e.Status == isms.StatusActive {
			d.Active[string(e.Direction)]++
			if !e.Acknowledged() {
				d.Awaiting++
			}
		}
	}
	p.Data = d
	s.render(w, status, "communication_plan", p)
	return nil
}

// commTemplateInput is a typical case of the guide as a draft entry in
// the reader's language; the coordinator assigns the responsible person
// and adapts it before making it active.
func commTemplateInput(lang string, c isms.CommunicationCase) isms.CommunicationEntryInput {
	t := func(part string) string { return i18n.T(lang, i18n.Key("comm.case."+c.Key+"."+part)) }
	return isms.CommunicationEntryInput{CaseKey: c.Key, What: i18n.T(lang, i18n.Key("comm.case."+c.Key)), KeyPoints: t("key_points"),
		Timing: c.Timing, TriggerEvent: t("trigger"), ResponseTime: t("response_time"), Audience: t("audience"), Channel: t("channel"),
		Direction: c.Direction, Sensitivity: c.Sensitivity, Status: isms.StatusDraft}
}

func (s *Server) commTemplateSubmit(w http.ResponseWriter, r *http.Request) error {
	c, ok := isms.CommunicationCaseByKey(r.PostForm.Get("case_key"))
	if !ok {
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "case_key", Key: "err.choice"}}}
	}
	e, err := s.Communication.CreateCommunicationEntry(r.Context(), orgFrom(r.Context()).ID, commTemplateInput(i18n.Negotiate(r), c))
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.comm_plan"), nil,
			func(p *page, status int) error { return s.renderCommPlan(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/communication/entries/"+strconv.FormatInt(e.ID, 10)+"/edit"), "flash.comm_template_added")
	return nil
}

func (s *Server) loadComm(r *http.Request) (*isms.CommunicationEntry, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Communication.CommunicationEntry(r.Context(), orgFrom(r.Context()).ID, id)
}

type commEntryData struct {
	Entry   *isms.CommunicationEntry
	Mine    bool // the caller is the responsible person
	Today   isms.Date
	History []historyItem
	// Incidents the entry was attached to or carried out for.
	Incidents []*isms.IncidentRef
}

func (s *Server) commEntryPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCommEntry(w, r, s.newPage(r, "title.comm_entry"), http.StatusOK)
}

func (s *Server) renderCommEntry(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	e, err := s.loadComm(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "communication_entry", e.ID)
	if err != nil {
		return err
	}
	mine := p.User != nil && orgFrom(r.Context()).Access.AssignedTo(p.User.ID, e.ResponsibleID)
	incs, err := s.Incidents.IncidentsOfCommunication(r.Context(), e.OrganisationID, e.ID)
	if err != nil {
		return err
	}
	p.Data = commEntryData{Entry: e, Mine: mine, Today: isms.DateOf(s.cfg.Now()), History: hist, Incidents: incs}
	s.render(w, status, "communication_entry", p)
	return nil
}

type commFormData struct {
	Entry         *isms.CommunicationEntry
	Members       []*isms.Membership
	Roles         []*isms.SecurityRole
	Cases         []isms.CommunicationCase
	Timings       []isms.Timing
	Directions    []isms.Direction
	Sensitivities []isms.Sensitivity
	Statuses      []isms.EntryStatus
	Channels      []string // suggestions
}

// commChannels are suggested channels (catalogue keys); any other may be
// written.
var commChannels = []string{"email", "intranet", "digital_post", "meeting", "website", "phone", "press", "report"}

func (s *Server) commForm(w http.ResponseWriter, r *http.Request, p *page, e *isms.CommunicationEntry, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	roles, err := s.Leadership.SecurityRoles(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = commFormData{Entry: e, Members: members, Roles: roles, Cases: isms.CommunicationCases, Timings: isms.Timings,
		Directions: isms.Directions, Sensitivities: isms.Sensitivities, Statuses: isms.EntryStatuses, Channels: commChannels}
	s.render(w, status, "communication_form", p)
	return nil
}

func (s *Server) commNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.commForm(w, r, s.newPage(r, "title.comm_entry_new"), nil, http.StatusOK)
}

func (s *Server) commEditPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadComm(r)
	if err != nil {
		return err
	}
	return s.commForm(w, r, s.newPage(r, "title.comm_entry_edit"), e, http.StatusOK)
}

func commInputFromForm(r *http.Request) (isms.CommunicationEntryInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.CommunicationEntryInput{CaseKey: f.Get("case_key"), What: f.Get("what"), KeyPoints: f.Get("key_points"),
		Timing: isms.Timing(f.Get("timing")), TriggerEvent: f.Get("trigger_event"), ResponseTime: f.Get("response_time"),
		Audience: f.Get("audience"), Channel: f.Get("channel"), Direction: isms.Direction(f.Get("direction")),
		Sensitivity: isms.Sensitivity(f.Get("sensitivity")), Status: isms.EntryStatus(f.Get("status")),
		ResponsibleID: parseOptionalID(&v, "responsible_id", f.Get("responsible_id")),
		SenderRoleID:  parseOptionalID(&v, "sender_role_id", f.Get("sender_role_id")),
		Version:       parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) commFormError(w http.ResponseWriter, r *http.Request, e *isms.CommunicationEntry, err error) error {
	title, current := "title.comm_entry_new", func() int64 { return 0 }
	if e != nil {
		title = "title.comm_entry_edit"
		if cur, x := s.Communication.CommunicationEntry(r.Context(), e.OrganisationID, e.ID); x == nil {
			e = cur
		}
		current = func() int64 { return e.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.commForm(w, r, p, e, status) })
}

func (s *Server) commCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, commInputFromForm, s.Communication.CreateCommunicationEntry,
		func(e *isms.CommunicationEntry) string { return idPath("/communication/entries/", e.ID) },
		func(_ isms.CommunicationEntryInput, err error) error { return s.commFormError(w, r, nil, err) })
}

func (s *Server) commUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadComm(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, commInputFromForm, s.Communication.UpdateCommunicationEntry, e.OrganisationID, e.ID,
		idPath("/communication/entries/", e.ID), func(err error) error { return s.commFormError(w, r, e, err) })
}

func (s *Server) commDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadComm(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Communication.DeleteCommunicationEntry(r.Context(), e.OrganisationID, e.ID, formVersion(r)), "/communication")
}

// commAcknowledgeSubmit records the responsible person's acknowledgement;
// back goes to the page the button was on (the plan or the entry).
func (s *Server) commAcknowledgeSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		_, err = s.Communication.AcknowledgeCommunication(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r))
	}
	if err != nil {
		if isms.ErrorCode(err) == isms.EConflict {
			// The entry changed since the page was shown: show it as it
			// is now, to be read before acknowledging.
			p := s.newPage(r, "title.comm_entry")
			p.setError(isms.Errorf(isms.EConflict, "comm.err.changed"))
			return s.renderCommEntry(w, r, p, http.StatusConflict)
		}
		return err
	}
	to := "/communication/entries/" + strconv.FormatInt(id, 10)
	if r.PostForm.Get("back") == "plan" {
		to = "/communication"
	}
	s.redirect(w, r, p0(r, to), "flash.comm_acknowledged")
	return nil
}

// commExport writes the plan as a spreadsheet: internal and external
// communication as sections, every column of the plan.
func (s *Server) commExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	all, err := s.allCommunication(r, org.ID)
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	sheet := export.Sheet{Name: t("comm.export.sheet"), Title: t("comm.export.title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Widths: []float64{32, 40, 22, 16, 32, 18, 30, 22, 22, 26, 14, 12, 22, 18}}
	for _, k := range []string{"field.what", "field.key_points", "field.case_key", "field.timing", "field.trigger_event", "field.response_time",
		"field.audience", "field.responsible_id", "field.sender_role_id", "field.channel", "field.sensitivity", "field.status",
		"comm.acknowledged_by", "comm.acknowledged_at"} {
		sheet.Header = append(sheet.Header, t(i18n.Key(k)))
	}
	for _, dir := range isms.Directions {
		sheet.Rows = append(sheet.Rows, export.Row{Section: t(i18n.Key("comm.direction." + string(dir)))})
		for _, e := range all {
			if e.Direction != dir {
				continue
			}
			caseName, ackBy, ackAt := "", "", (*time.Time)(nil)
			if e.CaseKey != "" {
				caseName = t(i18n.Key("comm.case." + e.CaseKey))
			}
			if e.Acknowledged() {
				ackBy, ackAt = e.AcknowledgedByName, e.AcknowledgedAt
			}
			sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{e.What, e.KeyPoints, caseName, t(i18n.Key("comm.timing." + string(e.Timing))),
				e.TriggerEvent, e.ResponseTime, e.Audience, e.ResponsibleName, e.SenderRoleName, e.Channel,
				t(i18n.Key("comm.sensitivity." + string(e.Sensitivity))), t(i18n.Key("status." + string(e.Status))), ackBy, ackAt}})
		}
	}
	s.streamXLSX(w, "communication export", t("comm.export.file")+".xlsx", []export.Sheet{sheet})
	return nil
}

// communicationDue puts on the caller's dashboard the entries that wait
// for their acknowledgement.
func communicationDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	u := userFrom(r.Context())
	if u == nil {
		return nil, nil
	}
	es, _, err := s.Communication.CommunicationEntries(r.Context(), orgID, isms.CommunicationFilter{PendingFor: u.ID, Limit: 500})
	if err != nil {
		return nil, err
	}
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	for _, e := range es {
		by := e.AcknowledgeBy()
		out = append(out, dueItem{Label: e.What, Kind: "comm.due.acknowledge", Due: by, Overdue: by.Before(today),
			Path: "/communication/entries/" + strconv.FormatInt(e.ID, 10)})
	}
	return out, nil
}

// ackBody is the body of the acknowledgement: the version read.
type ackBody struct {
	Version int64 `json:"version"`
}

// commTemplateBody asks for an entry made from one of the guide's cases.
type commTemplateBody struct {
	CaseKey string `json:"case_key"`
	Lang    string `json:"lang"`
}
