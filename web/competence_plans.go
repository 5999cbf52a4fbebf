package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// Development plans (guide 2.5): the action that closes each gap of the
// competence matrix, with its owner, due date and completion.

type compPlansData struct {
	Plans []*isms.CompetencePlan
	// Unplanned are the matrix's gaps without an open plan.
	Unplanned []isms.Gap
	Today     isms.Date
}

func (s *Server) compPlansPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	plans, err := s.Competence.CompetencePlans(r.Context(), org.ID)
	if err != nil {
		return err
	}
	m, err := s.Competence.CompetenceMatrix(r.Context(), org.ID)
	if err != nil {
		return err
	}
	today := isms.DateOf(s.cfg.Now())
	open := map[[2]int64]bool{}
	for _, p := range plans {
		if p.CompletedOn == nil {
			open[[2]int64{p.NeedID, p.UserID}] = true
		}
	}
	d := compPlansData{Plans: plans, Today: today}
	for _, g := range m.Gaps {
		if !open[[2]int64{g.Need.ID, g.Person.UserID}] {
			d.Unplanned = append(d.Unplanned, g)
		}
	}
	p := s.newPage(r, "title.comp_plans")
	p.Data = d
	s.render(w, http.StatusOK, "competence_plans", p)
	return nil
}

func (s *Server) loadPlan(r *http.Request) (*isms.CompetencePlan, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Competence.CompetencePlan(r.Context(), orgFrom(r.Context()).ID, id)
}

type compPlanData struct {
	Plan    *isms.CompetencePlan
	Today   isms.Date
	History []historyItem
}

func (s *Server) compPlanPage(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "competence_plan", pl.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.comp_plan")
	p.Data = compPlanData{Plan: pl, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, http.StatusOK, "competence_plan", p)
	return nil
}

type compPlanFormData struct {
	Plan    *isms.CompetencePlan
	Needs   []*isms.CompetenceNeed
	Members []*isms.Membership
	NeedID  int64 // for a new plan, from ?need=
	UserID  int64 // for a new plan, from ?person=
}

func (s *Server) compPlanForm(w http.ResponseWriter, r *http.Request, p *page, pl *isms.CompetencePlan, status int) error {
	org := orgFrom(r.Context())
	needs, err := s.Competence.CompetenceNeeds(r.Context(), org.ID)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	d := compPlanFormData{Plan: pl, Needs: needs, Members: members}
	if pl != nil {
		d.NeedID, d.UserID = pl.NeedID, pl.UserID
	} else {
		var v isms.Validation
		d.NeedID = queryID(&v, r.URL.Query(), "need", "need_id")
		d.UserID = queryID(&v, r.URL.Query(), "person", "user_id")
	}
	p.Data = d
	s.render(w, status, "competence_plan_form", p)
	return nil
}

func (s *Server) compPlanNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.compPlanForm(w, r, s.newPage(r, "title.comp_plan_new"), nil, http.StatusOK)
}

func (s *Server) compPlanEditPage(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	return s.compPlanForm(w, r, s.newPage(r, "title.comp_plan_edit"), pl, http.StatusOK)
}

func compPlanInputFromForm(r *http.Request) (isms.CompetencePlanInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.CompetencePlanInput{Action: f.Get("action"), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		DueOn: parseOptionalDate(&v, "due_on", f.Get("due_on")), CompletedOn: parseOptionalDate(&v, "completed_on", f.Get("completed_on")),
		Version: parseVersion(f.Get("version"))}
	if id := parseOptionalID(&v, "need_id", f.Get("need_id")); id != nil {
		in.NeedID = *id
	}
	if id := parseOptionalID(&v, "user_id", f.Get("user_id")); id != nil {
		in.UserID = *id
	}
	return in, v.Err()
}

func (s *Server) compPlanFormError(w http.ResponseWriter, r *http.Request, pl *isms.CompetencePlan, err error) error {
	title, current := "title.comp_plan_new", func() int64 { return 0 }
	if pl != nil {
		title = "title.comp_plan_edit"
		if cur, x := s.Competence.CompetencePlan(r.Context(), pl.OrganisationID, pl.ID); x == nil {
			pl = cur
		}
		current = func() int64 { return pl.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.compPlanForm(w, r, p, pl, status) })
}

func (s *Server) compPlanCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, compPlanInputFromForm, s.Competence.CreateCompetencePlan,
		func(pl *isms.CompetencePlan) string { return idPath("/competence/plans/", pl.ID) },
		func(_ isms.CompetencePlanInput, err error) error { return s.compPlanFormError(w, r, nil, err) })
}

func (s *Server) compPlanUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, compPlanInputFromForm, s.Competence.UpdateCompetencePlan, pl.OrganisationID, pl.ID,
		idPath("/competence/plans/", pl.ID), func(err error) error { return s.compPlanFormError(w, r, pl, err) })
}

func (s *Server) compPlanDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Competence.DeleteCompetencePlan(r.Context(), pl.OrganisationID, pl.ID, formVersion(r)), "/competence/plans")
}
