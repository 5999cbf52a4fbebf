package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Nonconformities and corrective action (guide 2.10): the register with
// its filters, each nonconformity with its correction, cause analysis,
// actions and effectiveness review, the form (with rows of actions and
// the five whys), closing and reopening, the export and the API.

// ncBlankRows is how many empty action rows a form offers for new actions.
const ncBlankRows = 2

func ncFilterFrom(r *http.Request, limit int) (isms.NonconformityFilter, error) {
	q := r.URL.Query()
	f := isms.NonconformityFilter{Status: isms.NCStatus(q.Get("status")), Source: isms.NCSource(q.Get("source")), Query: q.Get("q"),
		Sort: q.Get("sort"), NotClosed: parseFlag(q.Get("not_closed"))}
	var v isms.Validation
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if f.Source != "" && !f.Source.Valid() {
		v.Add("source", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	f.IncidentID = queryID(&v, q, "incident", "incident")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type ncListData struct {
	Nonconformities []*isms.Nonconformity
	Filter          isms.NonconformityFilter
	Pager           pager
	Members         []*isms.Membership
	Statuses        []isms.NCStatus
	Sources         []isms.NCSource
	Today           isms.Date
}

func (s *Server) ncListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := ncFilterFrom(r, 50)
	if err != nil {
		return err
	}
	list, total, err := s.Nonconformities.Nonconformities(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.nonconformities")
	p.Data = ncListData{Nonconformities: list, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members,
		Statuses: isms.NCStatuses, Sources: isms.NCSources, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "nonconformity_list", p)
	return nil
}

func (s *Server) loadNonconformity(r *http.Request) (*isms.Nonconformity, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Nonconformities.Nonconformity(r.Context(), orgFrom(r.Context()).ID, id)
}

type ncData struct {
	NC      *isms.Nonconformity
	Today   isms.Date
	History []historyItem
}

func (s *Server) ncPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderNonconformity(w, r, s.newPage(r, "title.nonconformity"), http.StatusOK)
}

func (s *Server) renderNonconformity(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	n, err := s.loadNonconformity(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "nonconformity", n.ID)
	if err != nil {
		return err
	}
	p.Data = ncData{NC: n, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "nonconformity", p)
	return nil
}

// ncRow is one row of the form's actions: Index is its place in the form.
type ncRow struct {
	Index  int
	Number int
	Action isms.NCAction
}

type ncFormData struct {
	NC        *isms.Nonconformity
	Members   []*isms.Membership
	Decisions []*isms.Decision
	// The incidents and supplier supervisions a nonconformity may come
	// from.
	Incidents    []*isms.Incident
	Supervisions []ncSupervision
	Sources      []isms.NCSource
	Kinds        []isms.NCRequirementKind
	Methods      []isms.NCMethod
	YesNo        []string
	Rows         []ncRow
	RowCount     int
	Whys         []ncRow // Index and the answer in Action.Action
}

func (s *Server) ncForm(w http.ResponseWriter, r *http.Request, p *page, n *isms.Nonconformity, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	decisions, _, err := s.Leadership.Decisions(r.Context(), org.ID, isms.DecisionFilter{Limit: 500})
	if err != nil {
		return err
	}
	d := ncFormData{NC: n, Members: members, Decisions: decisions, Sources: isms.NCSources, Kinds: isms.NCRequirementKinds,
		Methods: isms.NCMethods, YesNo: []string{"yes", "no"}}
	if d.Incidents, d.Supervisions, err = s.ncSourceRecords(r, org.ID); err != nil {
		return err
	}
	var stored []isms.NCAction
	var whys []string
	if n != nil {
		stored, whys = n.Actions, n.Whys
	}
	rows := len(stored) + ncBlankRows
	if p.Form != nil {
		if c, err := strconv.Atoi(p.Form.Get("action_rows")); err == nil && c >= 0 && c <= 60 {
			rows = c
		}
	}
	for i := 0; i < rows; i++ {
		row := ncRow{Index: i, Number: i + 1}
		if i < len(stored) {
			row.Action = stored[i]
		}
		d.Rows = append(d.Rows, row)
	}
	d.RowCount = rows
	for i := 0; i < isms.MaxWhys; i++ {
		row := ncRow{Index: i, Number: i + 1}
		if i < len(whys) {
			row.Action.Action = whys[i]
		}
		d.Whys = append(d.Whys, row)
	}
	p.Data = d
	s.render(w, status, "nonconformity_form", p)
	return nil
}

func (s *Server) ncNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.ncForm(w, r, s.newPage(r, "title.nonconformity_new"), nil, http.StatusOK)
}

func (s *Server) ncEditPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNonconformity(r)
	if err != nil {
		return err
	}
	return s.ncForm(w, r, s.newPage(r, "title.nonconformity_edit"), n, http.StatusOK)
}

func parseYesNo(v *isms.Validation, field, s string) *bool {
	switch s {
	case "":
		return nil
	case "yes":
		b := true
		return &b
	case "no":
		b := false
		return &b
	}
	v.Add(field, "err.choice")
	return nil
}

// ncInputFromForm reads the form. Rows of actions ticked for removal, and
// new rows left empty, are left out; rowOf maps each action of the input
// to its row in the form, so an error about an action is shown at its row.
func ncInputFromForm(r *http.Request) (isms.NonconformityInput, []int, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.NonconformityInput{Title: f.Get("title"), Source: isms.NCSource(f.Get("source")), SourceRef: f.Get("source_ref"),
		RequirementKind: isms.NCRequirementKind(f.Get("requirement_kind")), Requirement: f.Get("requirement"), Description: f.Get("description"),
		DetectedOn: parseOptionalDate(&v, "detected_on", f.Get("detected_on")), ReportedBy: f.Get("reported_by"),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Correction: f.Get("correction"),
		CorrectionOn: parseOptionalDate(&v, "correction_on", f.Get("correction_on")), Method: isms.NCMethod(f.Get("method")),
		RootCause: f.Get("root_cause"), SimilarExist: parseYesNo(&v, "similar_exist", f.Get("similar_exist")),
		SimilarCouldOccur: parseYesNo(&v, "similar_could_occur", f.Get("similar_could_occur")), SimilarNote: f.Get("similar_note"),
		NoActionNeeded: parseFlag(f.Get("no_action_needed")), NoActionReason: f.Get("no_action_reason"),
		ReviewPlannedOn: parseOptionalDate(&v, "review_planned_on", f.Get("review_planned_on")),
		ReviewedOn:      parseOptionalDate(&v, "reviewed_on", f.Get("reviewed_on")), Effective: parseYesNo(&v, "effective", f.Get("effective")),
		ReviewNote: f.Get("review_note"), Version: parseVersion(f.Get("version"))}
	// The form offers every source's record; only the chosen source's is
	// read.
	switch in.Source {
	case isms.NCSourceDecision:
		in.SourceDecisionID = parseOptionalID(&v, "source_decision_id", f.Get("source_decision_id"))
	case isms.NCSourceIncident:
		in.SourceIncidentID = parseOptionalID(&v, "source_incident_id", f.Get("source_incident_id"))
	case isms.NCSourceSupplier:
		in.SourceSupervisionID = parseOptionalID(&v, "source_supervision_id", f.Get("source_supervision_id"))
	}
	for i := 0; i < isms.MaxWhys; i++ {
		in.Whys = append(in.Whys, f.Get(fmt.Sprintf("whys.%d", i)))
	}
	rows, _ := strconv.Atoi(f.Get("action_rows"))
	if rows > 60 {
		rows = 60
	}
	var rowOf []int
	for i := 0; i < rows; i++ {
		p := fmt.Sprintf("actions.%d.", i)
		if parseFlag(f.Get(p + "remove")) {
			continue
		}
		a := isms.NCActionInput{Action: f.Get(p + "action"), OwnerID: parseOptionalID(&v, p+"owner_id", f.Get(p+"owner_id")),
			DueOn: parseOptionalDate(&v, p+"due_on", f.Get(p+"due_on")), DoneOn: parseOptionalDate(&v, p+"done_on", f.Get(p+"done_on"))}
		if id := parseOptionalID(&v, p+"action", f.Get(p+"id")); id != nil {
			a.ID = *id
		}
		if a.ID == 0 && strings.TrimSpace(a.Action) == "" && a.OwnerID == nil && a.DueOn == nil && a.DoneOn == nil {
			continue
		}
		in.Actions = append(in.Actions, a)
		rowOf = append(rowOf, i)
	}
	return in, rowOf, v.Err()
}

// atRows names an error about the input's nth action by its row in the
// form.
func atRows(err error, rowOf []int) error {
	e := isms.AsError(err)
	if e == nil {
		return err
	}
	for i := range e.Fields {
		rest, ok := strings.CutPrefix(e.Fields[i].Field, "actions.")
		if !ok {
			continue
		}
		num, tail, _ := strings.Cut(rest, ".")
		if n, x := strconv.Atoi(num); x == nil && n < len(rowOf) {
			e.Fields[i].Field = fmt.Sprintf("actions.%d.%s", rowOf[n], tail)
		}
	}
	return err
}

func (s *Server) ncFormError(w http.ResponseWriter, r *http.Request, n *isms.Nonconformity, err error) error {
	title, current := "title.nonconformity_new", func() int64 { return 0 }
	if n != nil {
		title = "title.nonconformity_edit"
		if cur, x := s.Nonconformities.Nonconformity(r.Context(), n.OrganisationID, n.ID); x == nil {
			n = cur
		}
		current = func() int64 { return n.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.ncForm(w, r, p, n, status) })
}

func (s *Server) ncCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	var rowOf []int
	parse := func(r *http.Request) (isms.NonconformityInput, error) {
		in, rows, err := ncInputFromForm(r)
		rowOf = rows
		return in, err
	}
	return createFromForm(s, w, r, parse, s.Nonconformities.CreateNonconformity,
		func(n *isms.Nonconformity) string { return idPath("/nonconformities/", n.ID) },
		func(_ isms.NonconformityInput, err error) error { return s.ncFormError(w, r, nil, atRows(err, rowOf)) })
}

func (s *Server) ncUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNonconformity(r)
	if err != nil {
		return err
	}
	var rowOf []int
	parse := func(r *http.Request) (isms.NonconformityInput, error) {
		in, rows, err := ncInputFromForm(r)
		rowOf = rows
		return in, err
	}
	return updateFromForm(s, w, r, parse, s.Nonconformities.UpdateNonconformity, n.OrganisationID, n.ID,
		idPath("/nonconformities/", n.ID), func(err error) error { return s.ncFormError(w, r, n, atRows(err, rowOf)) })
}

func (s *Server) ncDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNonconformity(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Nonconformities.DeleteNonconformity(r.Context(), n.OrganisationID, n.ID, formVersion(r)), "/nonconformities")
}

// ncCloseSubmit closes (or, reopen, reopens) a nonconformity; a refusal
// is shown on its page with what is missing.
func (s *Server) ncCloseSubmit(reopen bool) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		org := orgFrom(r.Context()).ID
		flash := "flash.nc_closed"
		if reopen {
			_, err = s.Nonconformities.ReopenNonconformity(r.Context(), org, id, formVersion(r))
			flash = "flash.nc_reopened"
		} else {
			_, err = s.Nonconformities.CloseNonconformity(r.Context(), org, id, formVersion(r))
		}
		if err != nil {
			if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
				p := s.newPage(r, "title.nonconformity")
				p.setError(err)
				if c == isms.EInvalid && !reopen {
					// What is missing is listed under the record's head.
					p.Error = p.T("nc.close_missing")
				}
				return s.renderNonconformity(w, r, p, s.status(r, err))
			}
			return err
		}
		s.redirect(w, r, p0(r, idPath("/nonconformities/", id)), flash)
		return nil
	}
}

var nonconformitiesQuery = []apiParam{{"status", "string", "open, analysed, actions, review, closed (derived from what is recorded)"},
	{"source", "string", "incident, supplier, decision, report, audit, measurement, other"},
	{"not_closed", "boolean", "only nonconformities not closed"}, {"owner", "integer", "owner's user id"},
	{"incident", "integer", "only those raised from this incident"},
	{"q", "string", "text in title, description or root cause"},
	{"sort", "string", "title, detected, owner, status, updated; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// ncExport writes the nonconformities as a spreadsheet, one row each.
func (s *Server) ncExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Nonconformity
	for {
		page, total, err := s.Nonconformities.Nonconformities(r.Context(), org.ID, isms.NonconformityFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	t := translator(i18n.Negotiate(r))
	today := isms.DateOf(s.cfg.Now())
	sheet := export.Sheet{Name: t("nc.export.sheet"), Title: t("nc.export.title", org.Name, today.String()),
		Widths: []float64{36, 16, 24, 16, 12, 20, 30, 30, 40, 12, 12, 12, 14}}
	for _, k := range []string{"field.title", "nc.source", "nc.source_ref", "nc.requirement", "nc.detected_on", "field.owner_id", "nc.correction",
		"nc.root_cause", "nc.actions", "nc.actions_done", "nc.reviewed_on", "nc.effective", "field.status"} {
		sheet.Header = append(sheet.Header, t(i18n.Key(k)))
	}
	for _, n := range all {
		// The source column names the linked record where there is one.
		ref := n.SourceRef
		switch {
		case n.SourceDecisionID != nil:
			ref = n.SourceDecisionText
		case n.SourceIncidentID != nil:
			ref = n.SourceIncidentTitle
		case n.SourceSupervisionID != nil:
			ref = n.SourceSupervisionText
		}
		var actions []string
		done := 0
		for _, a := range n.Actions {
			line := a.Action
			if a.OwnerName != "" {
				line += " (" + a.OwnerName + ")"
			}
			if a.DueOn != nil {
				line += " " + a.DueOn.String()
			}
			actions = append(actions, line)
			if a.DoneOn != nil {
				done++
			}
		}
		if n.NoActionNeeded {
			actions = append(actions, t("nc.no_action_needed")+": "+n.NoActionReason)
		}
		effective := ""
		if v := n.YesNo(n.Effective); v != "" {
			effective = t(i18n.Key("nc.yn." + v))
		}
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{n.Title, t(i18n.Key("nc.source." + string(n.Source))), ref,
			t(i18n.Key("nc.req."+string(n.RequirementKind))) + " " + n.Requirement, n.DetectedOn, n.OwnerName, n.Correction, n.RootCause,
			strings.Join(actions, "\n"), fmt.Sprintf("%d/%d", done, len(n.Actions)), n.ReviewedOn, effective,
			t(i18n.Key("nc.status." + string(n.Status)))}})
	}
	s.streamXLSX(w, "nonconformities export", t("nc.export.file")+".xlsx", []export.Sheet{sheet})
	return nil
}

// nonconformityDue puts on the dashboard the corrective actions not done
// and the effectiveness reviews not held that are due in its window or
// overdue.
func nonconformityDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	for offset := 0; ; {
		list, total, err := s.Nonconformities.Nonconformities(r.Context(), orgID, isms.NonconformityFilter{NotClosed: true, Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, n := range list {
			path := idPath("/nonconformities/", n.ID)
			for _, a := range n.Actions {
				if a.DoneOn != nil || a.DueOn == nil || until.Before(*a.DueOn) {
					continue
				}
				out = append(out, dueItem{Label: n.Title + ": " + a.Action, Kind: "nc.due.action", Due: *a.DueOn, Overdue: a.Overdue(today), Path: path})
			}
			if n.ReviewedOn == nil && n.ReviewPlannedOn != nil && !until.Before(*n.ReviewPlannedOn) {
				out = append(out, dueItem{Label: n.Title, Kind: "nc.due.review", Due: *n.ReviewPlannedOn, Overdue: n.ReviewOverdue(today), Path: path})
			}
		}
		offset += len(list)
		if len(list) == 0 || offset >= total {
			break
		}
	}
	return out, nil
}

func init() { dueSources = append(dueSources, nonconformityDue) }

// ncSupervision is a supervision as the form offers it.
type ncSupervision struct {
	ID    int64
	Label string // the supplier and the planned day
}

// ncSourceRecords reads the incidents (triaged as incidents, newest
// first) and the supervisions of every supplier, for the form's choices.
func (s *Server) ncSourceRecords(r *http.Request, orgID int64) ([]*isms.Incident, []ncSupervision, error) {
	incs, _, err := s.Incidents.Incidents(r.Context(), orgID, isms.IncidentFilter{Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	var out []*isms.Incident
	for _, i := range incs {
		if i.Status.IsIncident() {
			out = append(out, i)
		}
	}
	sups, _, err := s.Suppliers.Suppliers(r.Context(), orgID, isms.SupplierFilter{Sort: "name", Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	var svs []ncSupervision
	for _, sup := range sups {
		list, err := s.Suppliers.Supervisions(r.Context(), orgID, sup.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, v := range list {
			svs = append(svs, ncSupervision{ID: v.ID, Label: sup.Name + " " + v.PlannedOn.String()})
		}
	}
	return out, svs, nil
}
