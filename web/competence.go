package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// Competence (guide 2.5): the needs of each security role and ISMS
// function, with the level each requires.

type compNeedsData struct {
	Needs []*isms.CompetenceNeed
	// Uncovered are the security roles no need is recorded for.
	Uncovered []*isms.SecurityRole
	Roles     int
}

func (s *Server) compNeedsPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	needs, err := s.Competence.CompetenceNeeds(r.Context(), org.ID)
	if err != nil {
		return err
	}
	roles, err := s.Leadership.SecurityRoles(r.Context(), org.ID)
	if err != nil {
		return err
	}
	covered := map[int64]bool{}
	for _, n := range needs {
		if n.RoleID != nil {
			covered[*n.RoleID] = true
		}
	}
	d := compNeedsData{Needs: needs, Roles: len(roles)}
	for _, ro := range roles {
		if !covered[ro.ID] {
			d.Uncovered = append(d.Uncovered, ro)
		}
	}
	p := s.newPage(r, "title.comp_needs")
	p.Data = d
	s.render(w, http.StatusOK, "competence_needs", p)
	return nil
}

func (s *Server) loadNeed(r *http.Request) (*isms.CompetenceNeed, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Competence.CompetenceNeed(r.Context(), orgFrom(r.Context()).ID, id)
}

type compNeedData struct {
	Need *isms.CompetenceNeed
	// Next is the next open occurrence of the wheel's activity that
	// brings the refresher round (overdue when it has passed), if any.
	Next    *isms.Occurrence
	History []historyItem
}

func (s *Server) compNeedPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNeed(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "competence_need", n.ID)
	if err != nil {
		return err
	}
	d := compNeedData{Need: n, History: hist}
	if n.WheelActivityID != nil {
		occ, _, err := s.Wheel.WheelOccurrences(r.Context(), n.OrganisationID, isms.OccurrenceFilter{ActivityID: *n.WheelActivityID, Status: "open",
			Sort: "due_date", Limit: 1})
		if err != nil {
			return err
		}
		if len(occ) > 0 {
			d.Next = occ[0]
		}
	}
	p := s.newPage(r, "title.comp_need")
	p.Data = d
	s.render(w, http.StatusOK, "competence_need", p)
	return nil
}

type compNeedFormData struct {
	Need   *isms.CompetenceNeed
	Roles  []*isms.SecurityRole
	RoleID *int64 // the role a new need is for, from ?role=
	Kinds  []isms.CompetenceKind
	Levels []isms.CompetenceLevel
	// Activities are the wheel's active activities a refresher can be
	// tied to (and the need's own, if it has been retired since).
	Activities []*isms.Activity
}

func (s *Server) compNeedForm(w http.ResponseWriter, r *http.Request, p *page, n *isms.CompetenceNeed, status int) error {
	org := orgFrom(r.Context())
	roles, err := s.Leadership.SecurityRoles(r.Context(), org.ID)
	if err != nil {
		return err
	}
	acts, _, err := s.Wheel.WheelActivities(r.Context(), org.ID, isms.ActivityFilter{Sort: "title", Limit: 500})
	if err != nil {
		return err
	}
	d := compNeedFormData{Need: n, Roles: roles, Kinds: isms.CompetenceKinds, Levels: isms.CompetenceLevels}
	for _, a := range acts {
		if a.Status == isms.ActivityActive || (n != nil && n.WheelActivityID != nil && *n.WheelActivityID == a.ID) {
			d.Activities = append(d.Activities, a)
		}
	}
	if n != nil {
		d.RoleID = n.RoleID
	} else {
		var v isms.Validation
		d.RoleID = parseOptionalID(&v, "role", r.URL.Query().Get("role"))
	}
	p.Data = d
	s.render(w, status, "competence_need_form", p)
	return nil
}

func (s *Server) compNeedNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.compNeedForm(w, r, s.newPage(r, "title.comp_need_new"), nil, http.StatusOK)
}

func (s *Server) compNeedEditPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNeed(r)
	if err != nil {
		return err
	}
	return s.compNeedForm(w, r, s.newPage(r, "title.comp_need_edit"), n, http.StatusOK)
}

func compNeedInputFromForm(r *http.Request) (isms.CompetenceNeedInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.CompetenceNeedInput{RoleID: parseOptionalID(&v, "role_id", f.Get("role_id")), Function: f.Get("function"),
		Subject: f.Get("subject"), Kind: isms.CompetenceKind(f.Get("comp_kind")), Level: isms.CompetenceLevel(f.Get("level")),
		Description: f.Get("description"), RefreshMonths: formInt(&v, "refresh_months", f.Get("refresh_months"), 0),
		WheelActivityID: parseOptionalID(&v, "wheel_activity_id", f.Get("wheel_activity_id")), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) compNeedFormError(w http.ResponseWriter, r *http.Request, n *isms.CompetenceNeed, err error) error {
	title, current := "title.comp_need_new", func() int64 { return 0 }
	if n != nil {
		title = "title.comp_need_edit"
		if cur, x := s.Competence.CompetenceNeed(r.Context(), n.OrganisationID, n.ID); x == nil {
			n = cur
		}
		current = func() int64 { return n.Version }
	}
	return s.formRefused(r, compKindField(err), s.newPage(r, title), current,
		func(p *page, status int) error { return s.compNeedForm(w, r, p, n, status) })
}

func (s *Server) compNeedCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, compNeedInputFromForm, s.Competence.CreateCompetenceNeed,
		func(n *isms.CompetenceNeed) string { return idPath("/competence/needs/", n.ID) },
		func(_ isms.CompetenceNeedInput, err error) error { return s.compNeedFormError(w, r, nil, err) })
}

func (s *Server) compNeedUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNeed(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, compNeedInputFromForm, s.Competence.UpdateCompetenceNeed, n.OrganisationID, n.ID,
		idPath("/competence/needs/", n.ID), func(err error) error { return s.compNeedFormError(w, r, n, err) })
}

func (s *Server) compNeedDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.loadNeed(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Competence.DeleteCompetenceNeed(r.Context(), n.OrganisationID, n.ID, formVersion(r)), "/competence")
}

// compKindField names the kind of competence "comp_kind" in a form's
// error, as the competence forms name their field: "kind" is the
// register's kind of document elsewhere in the product, with its own label.
func compKindField(err error) error {
	e := isms.AsError(err)
	if e == nil {
		return err
	}
	for i, f := range e.Fields {
		if f.Field == "kind" {
			c := *e
			c.Fields = append([]isms.FieldError(nil), e.Fields...)
			c.Fields[i].Field = "comp_kind"
			return &c
		}
	}
	return err
}
