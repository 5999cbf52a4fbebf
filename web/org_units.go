package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// The organisation's units with their staff counts (guide 2.6), kept by
// those who may edit the whole ISMS: the reach of the awareness programme
// is counted against them. The list page holds the form for a new unit;
// each unit has an edit form with its delete button.

type unitsData struct {
	Units []*isms.OrgUnit
	Total int
}

func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUnits(w, r, s.newPage(r, "title.awp_units"), http.StatusOK)
}

func (s *Server) renderUnits(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	units, err := s.AwarenessParticipation.OrgUnits(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	d := unitsData{Units: units}
	for _, u := range units {
		d.Total += u.StaffCount
	}
	p.Data = d
	s.render(w, status, "org_units", p)
	return nil
}

func unitInputFromForm(r *http.Request) (isms.OrgUnitInput, error) {
	var v isms.Validation
	f := r.PostForm
	in := isms.OrgUnitInput{Name: f.Get("name"), StaffCount: formInt(&v, "staff_count", f.Get("staff_count"), 0), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) unitCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, unitInputFromForm, s.AwarenessParticipation.CreateOrgUnit,
		func(*isms.OrgUnit) string { return "/awareness/units" },
		func(_ isms.OrgUnitInput, err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.awp_units"), nil,
				func(p *page, status int) error { return s.renderUnits(w, r, p, status) })
		})
}

func (s *Server) loadUnit(r *http.Request) (*isms.OrgUnit, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.AwarenessParticipation.OrgUnit(r.Context(), orgFrom(r.Context()).ID, id)
}

type unitData struct {
	Unit    *isms.OrgUnit
	Reach   *isms.AwarenessReach
	Cells   []isms.ReachCell
	Labels  []string
	History []historyItem
}

// unitPage shows a unit with its reach per theme in the last twelve
// months.
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.loadUnit(r)
	if err != nil {
		return err
	}
	reach, err := s.AwarenessParticipation.AwarenessReach(r.Context(), u.OrganisationID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "org_unit", u.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.awp_unit")
	d := unitData{Unit: u, Reach: reach, History: hist}
	d.Labels, _ = reachLabels(p, reach)
	for _, ur := range reach.Units {
		if ur.Unit.ID == u.ID {
			d.Cells = ur.Cells
		}
	}
	p.Data = d
	s.render(w, http.StatusOK, "org_unit", p)
	return nil
}

func (s *Server) unitForm(w http.ResponseWriter, p *page, u *isms.OrgUnit, status int) error {
	p.Data = u
	s.render(w, status, "org_unit_form", p)
	return nil
}

func (s *Server) unitEditPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.loadUnit(r)
	if err != nil {
		return err
	}
	return s.unitForm(w, s.newPage(r, "title.awp_unit_edit"), u, http.StatusOK)
}

func (s *Server) unitUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	u, err := s.loadUnit(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, unitInputFromForm, s.AwarenessParticipation.UpdateOrgUnit, u.OrganisationID, u.ID, idPath("/awareness/units/", u.ID),
		func(err error) error {
			if cur, x := s.AwarenessParticipation.OrgUnit(r.Context(), u.OrganisationID, u.ID); x == nil {
				u = cur
			}
			return s.formRefused(r, err, s.newPage(r, "title.awp_unit_edit"), func() int64 { return u.Version },
				func(p *page, status int) error { return s.unitForm(w, p, u, status) })
		})
}

func (s *Server) unitDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	u, err := s.loadUnit(r)
	if err != nil {
		return err
	}
	err = s.AwarenessParticipation.DeleteOrgUnit(r.Context(), u.OrganisationID, u.ID, formVersion(r))
	if isms.ErrorCode(err) == isms.EConflict {
		// In use, or changed since: say so on the unit's form.
		p := s.newPage(r, "title.awp_unit_edit")
		p.setError(err)
		if cur, x := s.AwarenessParticipation.OrgUnit(r.Context(), u.OrganisationID, u.ID); x == nil {
			u = cur
		}
		return s.unitForm(w, p, u, s.status(r, err))
	}
	return s.deleted(w, r, err, "/awareness/units")
}
