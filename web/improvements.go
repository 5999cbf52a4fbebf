package web

import (
	"net/http"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Continual improvements (guide 2.10): the register with its filters,
// each improvement, the form, the export and the API.

func impFilterFrom(r *http.Request, limit int) (isms.ImprovementFilter, error) {
	q := r.URL.Query()
	f := isms.ImprovementFilter{Status: isms.ImprovementStatus(q.Get("status")), Area: isms.ImprovementArea(q.Get("area")), Query: q.Get("q"), Sort: q.Get("sort")}
	var v isms.Validation
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if f.Area != "" && !f.Area.Valid() {
		v.Add("area", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type impListData struct {
	Improvements []*isms.Improvement
	Filter       isms.ImprovementFilter
	Pager        pager
	Members      []*isms.Membership
	Statuses     []isms.ImprovementStatus
	Areas        []isms.ImprovementArea
	Today        isms.Date
}

func (s *Server) impListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := impFilterFrom(r, 50)
	if err != nil {
		return err
	}
	list, total, err := s.Improvements.Improvements(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.improvements")
	p.Data = impListData{Improvements: list, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Members: members,
		Statuses: isms.ImprovementStatuses, Areas: isms.ImprovementAreas, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "improvement_list", p)
	return nil
}

func (s *Server) loadImprovement(r *http.Request) (*isms.Improvement, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Improvements.Improvement(r.Context(), orgFrom(r.Context()).ID, id)
}

type impData struct {
	Improvement *isms.Improvement
	Today       isms.Date
	History     []historyItem
}

func (s *Server) impPage(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadImprovement(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "improvement", i.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.improvement")
	p.Data = impData{Improvement: i, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, http.StatusOK, "improvement", p)
	return nil
}

type impFormData struct {
	Improvement *isms.Improvement
	Members     []*isms.Membership
	Statuses    []isms.ImprovementStatus
	Areas       []isms.ImprovementArea
}

func (s *Server) impForm(w http.ResponseWriter, r *http.Request, p *page, i *isms.Improvement, status int) error {
	members, err := s.Orgs.Memberships(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p.Data = impFormData{Improvement: i, Members: members, Statuses: isms.ImprovementStatuses, Areas: isms.ImprovementAreas}
	s.render(w, status, "improvement_form", p)
	return nil
}

func (s *Server) impNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.impForm(w, r, s.newPage(r, "title.improvement_new"), nil, http.StatusOK)
}

func (s *Server) impEditPage(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadImprovement(r)
	if err != nil {
		return err
	}
	return s.impForm(w, r, s.newPage(r, "title.improvement_edit"), i, http.StatusOK)
}

func impInputFromForm(r *http.Request) (isms.ImprovementInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ImprovementInput{Title: f.Get("title"), Area: isms.ImprovementArea(f.Get("area")), Description: f.Get("description"),
		Benefit: f.Get("benefit"), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Status: isms.ImprovementStatus(f.Get("status")),
		DueOn: parseOptionalDate(&v, "due_on", f.Get("due_on")), DoneOn: parseOptionalDate(&v, "done_on", f.Get("done_on")),
		Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) impFormError(w http.ResponseWriter, r *http.Request, i *isms.Improvement, err error) error {
	title, current := "title.improvement_new", func() int64 { return 0 }
	if i != nil {
		title = "title.improvement_edit"
		if cur, x := s.Improvements.Improvement(r.Context(), i.OrganisationID, i.ID); x == nil {
			i = cur
		}
		current = func() int64 { return i.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.impForm(w, r, p, i, status) })
}

func (s *Server) impCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, impInputFromForm, s.Improvements.CreateImprovement,
		func(i *isms.Improvement) string { return idPath("/improvements/", i.ID) },
		func(_ isms.ImprovementInput, err error) error { return s.impFormError(w, r, nil, err) })
}

func (s *Server) impUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadImprovement(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, impInputFromForm, s.Improvements.UpdateImprovement, i.OrganisationID, i.ID,
		idPath("/improvements/", i.ID), func(err error) error { return s.impFormError(w, r, i, err) })
}

func (s *Server) impDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	i, err := s.loadImprovement(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Improvements.DeleteImprovement(r.Context(), i.OrganisationID, i.ID, formVersion(r)), "/improvements")
}

var improvementsQuery = []apiParam{{"status", "string", "proposed, approved, in_progress, done, rejected"},
	{"area", "string", "organisation, information_flow, documentation, procedures, technology, other"},
	{"owner", "integer", "owner's user id"}, {"q", "string", "text in title, description or benefit"},
	{"sort", "string", "title, due, owner, status, updated; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

// impExport writes the improvements as a spreadsheet, one row each.
func (s *Server) impExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Improvement
	for {
		page, total, err := s.Improvements.Improvements(r.Context(), org.ID, isms.ImprovementFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	t := translator(i18n.Negotiate(r))
	sheet := export.Sheet{Name: t("imp.export.sheet"), Title: t("imp.export.title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Widths: []float64{36, 20, 40, 30, 20, 14, 12, 12}}
	for _, k := range []string{"field.title", "imp.area", "field.description", "imp.benefit", "field.owner_id", "field.status", "imp.due_on", "imp.done_on"} {
		sheet.Header = append(sheet.Header, t(i18n.Key(k)))
	}
	for _, i := range all {
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{i.Title, t(i18n.Key("imp.area." + string(i.Area))), i.Description, i.Benefit,
			i.OwnerName, t(i18n.Key("imp.status." + string(i.Status))), i.DueOn, i.DoneOn}})
	}
	s.streamXLSX(w, "improvements export", t("imp.export.file")+".xlsx", []export.Sheet{sheet})
	return nil
}
