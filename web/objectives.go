package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Information security objectives (guide 2.4): the list with its filters,
// each objective with its measurements over time and management's
// approval, the form, and the API.

func objFilterFrom(r *http.Request, limit int) (isms.ObjectiveFilter, error) {
	q := r.URL.Query()
	f := isms.ObjectiveFilter{Status: isms.ObjectiveStatus(q.Get("status")), Query: q.Get("q"), Sort: q.Get("sort"),
		Current: parseFlag(q.Get("current")), Unapproved: parseFlag(q.Get("unapproved"))}
	var v isms.Validation
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type objListData struct {
	Objectives []*isms.Objective
	Filter     isms.ObjectiveFilter
	Pager      pager
	Members    []*isms.Membership
	Statuses   []isms.ObjectiveStatus
	Today      isms.Date
}

func (s *Server) objListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := objFilterFrom(r, 50)
	if err != nil {
		return err
	}
	objs, total, err := s.Objectives.Objectives(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.objectives")
	p.Data = objListData{Objectives: objs, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members,
		Statuses: isms.ObjectiveStatuses, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "objective_list", p)
	return nil
}

func (s *Server) loadObjective(r *http.Request) (*isms.Objective, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Objectives.Objective(r.Context(), orgFrom(r.Context()).ID, id)
}

type objData struct {
	Objective *isms.Objective
	Progress  []*isms.ObjectiveProgress
	Today     isms.Date
	History   []historyItem
	// The objective's resources of the current budget year.
	Year           int
	Resources      []resView
	ResourceTotals []totalView
	ResourceGaps   int
}

func (s *Server) objPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderObjective(w, r, s.newPage(r, "title.objective"), http.StatusOK)
}

func (s *Server) renderObjective(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	o, err := s.loadObjective(r)
	if err != nil {
		return err
	}
	progress, err := s.Objectives.ObjectiveProgress(r.Context(), o.OrganisationID, o.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "objective", o.ID)
	if err != nil {
		return err
	}
	today := isms.DateOf(s.cfg.Now())
	lines, err := s.Resources.ObjectiveResources(r.Context(), o.OrganisationID, o.ID, today.Year())
	if err != nil {
		return err
	}
	var totals isms.ResourceTotals
	for _, l := range lines {
		totals.Add(l)
	}
	p.Data = objData{Objective: o, Progress: progress, Today: today, History: hist, Year: today.Year(), Resources: resViews(p.Lang, lines),
		ResourceTotals: totalViews(p.Lang, totals), ResourceGaps: totals.Gaps}
	s.render(w, status, "objective", p)
	return nil
}

type objFormData struct {
	Objective *isms.Objective
	Members   []*isms.Membership
	Documents []*isms.Document
	Risks     []*isms.Risk
	Statuses  []isms.ObjectiveStatus
}

func (s *Server) objForm(w http.ResponseWriter, r *http.Request, p *page, o *isms.Objective, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	docs, _, err := s.Documents.Documents(r.Context(), org.ID, isms.DocumentFilter{Sort: "title", Limit: 500})
	if err != nil {
		return err
	}
	risks, _, err := s.Risk.Risks(r.Context(), org.ID, isms.RiskFilter{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = objFormData{Objective: o, Members: members, Documents: docs, Risks: risks, Statuses: isms.ObjectiveStatuses}
	s.render(w, status, "objective_form", p)
	return nil
}

func (s *Server) objNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.objForm(w, r, s.newPage(r, "title.objective_new"), nil, http.StatusOK)
}

func (s *Server) objEditPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadObjective(r)
	if err != nil {
		return err
	}
	return s.objForm(w, r, s.newPage(r, "title.objective_edit"), o, http.StatusOK)
}

// parseOptionalNumber reads a number written with a decimal point or a
// Danish decimal comma; empty is none.
func parseOptionalNumber(v *isms.Validation, field, s string) *float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		v.Add(field, "obj.err.number")
		return nil
	}
	return &f
}

func objInputFromForm(r *http.Request) (isms.ObjectiveInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ObjectiveInput{Title: f.Get("title"), Description: f.Get("description"), Measure: f.Get("measure"),
		TargetValue: parseOptionalNumber(&v, "target_value", f.Get("target_value")), Unit: f.Get("unit"),
		DueDate: parseOptionalDate(&v, "due_date", f.Get("due_date")), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		DocumentID: parseOptionalID(&v, "document_id", f.Get("document_id")), RiskID: parseOptionalID(&v, "risk_id", f.Get("risk_id")),
		Plan: f.Get("plan"), Status: isms.ObjectiveStatus(f.Get("status")), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) objFormError(w http.ResponseWriter, r *http.Request, o *isms.Objective, err error) error {
	title, current := "title.objective_new", func() int64 { return 0 }
	if o != nil {
		title = "title.objective_edit"
		if cur, x := s.Objectives.Objective(r.Context(), o.OrganisationID, o.ID); x == nil {
			o = cur
		}
		current = func() int64 { return o.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.objForm(w, r, p, o, status) })
}

func (s *Server) objCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, objInputFromForm, s.Objectives.CreateObjective,
		func(o *isms.Objective) string { return idPath("/objectives/", o.ID) },
		func(_ isms.ObjectiveInput, err error) error { return s.objFormError(w, r, nil, err) })
}

func (s *Server) objUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadObjective(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, objInputFromForm, s.Objectives.UpdateObjective, o.OrganisationID, o.ID,
		idPath("/objectives/", o.ID), func(err error) error { return s.objFormError(w, r, o, err) })
}

func (s *Server) objDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadObjective(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Objectives.DeleteObjective(r.Context(), o.OrganisationID, o.ID, formVersion(r)), "/objectives")
}

func (s *Server) objApproveSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Objectives.ApproveObjective(r.Context(), orgFrom(r.Context()).ID, id, formVersion(r)); err != nil {
		if isms.ErrorCode(err) == isms.EConflict {
			p := s.newPage(r, "title.objective")
			p.setError(isms.Errorf(isms.EConflict, "obj.err.changed"))
			return s.renderObjective(w, r, p, http.StatusConflict)
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/objectives/", id)), "flash.approved")
	return nil
}

func (s *Server) objProgressSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	var v isms.Validation
	in := isms.ObjectiveProgressInput{MeasuredOn: parseOptionalDate(&v, "measured_on", f.Get("measured_on")),
		Value: parseOptionalNumber(&v, "value", f.Get("value")), Note: f.Get("note")}
	err = v.Err()
	if err == nil {
		_, err = s.Objectives.AddObjectiveProgress(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		if isms.ErrorCode(err) == isms.EInvalid {
			p := s.newPage(r, "title.objective")
			p.setError(err)
			return s.renderObjective(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.redirect(w, r, p0(r, idPath("/objectives/", id)), "flash.obj_progress_added")
	return nil
}

func (s *Server) objProgressDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := pathID(r, "progress")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Objectives.DeleteObjectiveProgress(r.Context(), orgFrom(r.Context()).ID, id, pid), idPath("/objectives/", id))
}

var objectivesQuery = []apiParam{{"status", "string", "planned, in_progress, achieved, not_achieved, withdrawn"},
	{"current", "boolean", "only planned and in-progress objectives"}, {"unapproved", "boolean", "only objectives awaiting management's approval"},
	{"owner", "integer", "owner's user id"}, {"q", "string", "text in title, measure or plan"},
	{"sort", "string", "title, due, owner, status, updated; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// objExport writes the objectives as a spreadsheet, one row each with its
// target, latest measurement and approval, current ones first.
func (s *Server) objExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Objective
	for {
		page, total, err := s.Objectives.Objectives(r.Context(), org.ID, isms.ObjectiveFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	t := translator(i18n.Negotiate(r))
	sheet := export.Sheet{Name: t("obj.export.sheet"), Title: t("obj.export.title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Widths: []float64{36, 30, 10, 10, 12, 10, 12, 20, 30, 40, 14, 20, 18}}
	for _, k := range []string{"obj.what", "field.measure", "field.target_value", "field.unit", "obj.due", "obj.latest", "field.measured_on",
		"field.owner_id", "obj.serves", "field.plan", "field.status", "obj.export.approved_by", "obj.export.approved_at"} {
		sheet.Header = append(sheet.Header, t(i18n.Key(k)))
	}
	for _, part := range []struct {
		current bool
		key     i18n.Key
	}{{true, "obj.export.current"}, {false, "obj.export.closed"}} {
		current := part.current
		sheet.Rows = append(sheet.Rows, export.Row{Section: t(part.key)})
		for _, o := range all {
			if o.Status.Current() != current {
				continue
			}
			by, at := "", (*time.Time)(nil)
			if o.Approved() {
				by, at = o.ApprovedByName, o.ApprovedAt
			}
			serves := strings.TrimSpace(strings.Trim(o.DocumentTitle+" · "+o.RiskTitle, " ·"))
			sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{o.Title, o.Measure, o.TargetValue, o.Unit, o.DueDate, o.LatestValue, o.LatestOn, o.OwnerName, serves, o.Plan,
				t(i18n.Key("obj.status." + string(o.Status))), by, at}})
		}
	}
	s.streamXLSX(w, "objectives export", t("obj.export.file")+".xlsx", []export.Sheet{sheet})
	return nil
}
