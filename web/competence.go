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
	Need    *isms.CompetenceNeed
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
	p := s.newPage(r, "title.comp_need")
	p.Data = compNeedData{Need: n, History: hist}
	s.render(w, http.StatusOK, "competence_need", p)
	return nil
}

type compNeedFormData struct {
	Need   *isms.CompetenceNeed
	Roles  []*isms.SecurityRole
	RoleID *int64 // the role a new need is for, from ?role=
	Kinds  []isms.CompetenceKind
	Levels []isms.CompetenceLevel
}

func (s *Server) compNeedForm(w http.ResponseWriter, r *http.Request, p *page, n *isms.CompetenceNeed, status int) error {
	org := orgFrom(r.Context())
	roles, err := s.Leadership.SecurityRoles(r.Context(), org.ID)
	if err != nil {
		return err
	}
	d := compNeedFormData{Need: n, Roles: roles, Kinds: isms.CompetenceKinds, Levels: isms.CompetenceLevels}
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
		Subject: f.Get("subject"), Kind: isms.CompetenceKind(f.Get("kind")), Level: isms.CompetenceLevel(f.Get("level")),
		Description: f.Get("description"), Version: parseVersion(f.Get("version"))}
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
	return s.formRefused(r, err, s.newPage(r, title), current,
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
