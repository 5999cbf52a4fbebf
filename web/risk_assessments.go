package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// Risk assessments: the list with what is due for reassessment, each
// assessment with its risks and the threats not yet assessed, its
// completion, the coordinator's mark for ad-hoc reassessment.

func riskAssessmentFilterFrom(r *http.Request, limit int) (isms.AssessmentFilter, error) {
	q := r.URL.Query()
	f := isms.AssessmentFilter{Status: isms.AssessmentStatus(q.Get("status")), Query: q.Get("q"), Sort: q.Get("sort"), Reassess: parseFlag(q.Get("reassess"))}
	var v isms.Validation
	if f.Status != "" && f.Status != isms.AssessmentInProgress && f.Status != isms.AssessmentCompleted {
		v.Add("status", "err.choice")
	}
	f.AssetID = queryID(&v, q, "asset", "asset_id")
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type riskAssessmentsData struct {
	UI          riskUI
	Assessments []*isms.RiskAssessment
	Filter      isms.AssessmentFilter
	Pager       pager
	Members     []*isms.Membership
}

func (s *Server) riskAssessmentsPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.risk_assessments")
	org := orgFrom(r.Context())
	f, err := riskAssessmentFilterFrom(r, 50)
	if err != nil {
		return err
	}
	d := riskAssessmentsData{Filter: f}
	if d.UI, err = s.riskUI(r, p.Lang, false); err != nil {
		return err
	}
	var total int
	if d.Assessments, total, err = s.Risk.RiskAssessments(r.Context(), org.ID, f); err != nil {
		return err
	}
	d.Pager = newPager(r, total, f.Offset, f.Limit)
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, http.StatusOK, "risk_assessments", p)
	return nil
}

type riskAssessmentPageData struct {
	UI         riskUI
	Assessment *isms.RiskAssessment
	Asset      *isms.Asset
	Risks      []*isms.Risk
	Missing    []*isms.Threat // threats that apply to the asset and are not assessed yet
	History    []historyItem
}

func (s *Server) loadRiskAssessment(r *http.Request) (*isms.RiskAssessment, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risk.RiskAssessment(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) riskAssessmentPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRiskAssessment(w, r, s.newPage(r, "title.risk_assessment"), http.StatusOK)
}

func (s *Server) renderRiskAssessment(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	a, err := s.loadRiskAssessment(r)
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	d := riskAssessmentPageData{Assessment: a}
	if d.UI, err = s.riskUI(r, p.Lang, false); err != nil {
		return err
	}
	if d.Risks, _, err = s.Risk.Risks(r.Context(), org.ID, isms.RiskFilter{AssessmentID: a.ID, Sort: "-residual", Limit: 500}); err != nil {
		return err
	}
	if a.AssetID != nil {
		if d.Asset, err = s.Risk.Asset(r.Context(), org.ID, *a.AssetID); err != nil {
			return err
		}
		threats, err := s.Risk.Threats(r.Context(), org.ID, isms.ThreatFilter{Status: isms.StatusActive})
		if err != nil {
			return err
		}
		have := map[int64]bool{}
		for _, rk := range d.Risks {
			have[rk.ThreatID] = true
		}
		for _, t := range threats {
			if !have[t.ID] && t.AppliesTo(d.Asset.Kind) {
				d.Missing = append(d.Missing, t)
			}
		}
	}
	if d.History, err = s.history(r, "risk_assessment", a.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "risk_assessment", p)
	return nil
}

type riskAssessmentFormData struct {
	UI         riskUI
	Assessment *isms.RiskAssessment
	Assets     []*isms.Asset
	Members    []*isms.Membership
}

func (s *Server) riskAssessmentForm(w http.ResponseWriter, r *http.Request, p *page, a *isms.RiskAssessment, status int) error {
	org := orgFrom(r.Context())
	d := riskAssessmentFormData{Assessment: a}
	var err error
	if d.UI, err = s.riskUI(r, p.Lang, false); err != nil {
		return err
	}
	if d.Assets, _, err = s.Risk.Assets(r.Context(), org.ID, isms.AssetFilter{Status: isms.StatusActive, Limit: 500}); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "risk_assessment_form", p)
	return nil
}

func (s *Server) riskAssessmentNewPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.risk_assessment_new")
	if a := r.URL.Query().Get("asset"); a != "" {
		// Assessing the asset whose page the user came from.
		p.Form = map[string][]string{"asset_id": {a}, "version": {"0"}}
	}
	return s.riskAssessmentForm(w, r, p, nil, http.StatusOK)
}

func (s *Server) riskAssessmentEditPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadRiskAssessment(r)
	if err != nil {
		return err
	}
	return s.riskAssessmentForm(w, r, s.newPage(r, "title.risk_assessment_edit"), a, http.StatusOK)
}

func riskAssessmentInputFromForm(r *http.Request) (isms.RiskAssessmentInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.RiskAssessmentInput{Title: f.Get("assessment_title"), Scenario: f.Get("scenario"), Description: f.Get("description"),
		AssetID: parseOptionalID(&v, "asset_id", f.Get("asset_id")), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		IntervalMonths:   formInt(&v, "interval_months", f.Get("interval_months"), 0),
		NextReassessment: parseOptionalDate(&v, "next_reassessment", f.Get("next_reassessment")), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) riskAssessmentFormError(w http.ResponseWriter, r *http.Request, a *isms.RiskAssessment, err error) error {
	current := versionOf(a, func(a *isms.RiskAssessment) int64 { return a.Version })
	return s.formRefused(r, err, s.newPage(r, "title.risk_assessment_edit"), current,
		func(p *page, status int) error { return s.riskAssessmentForm(w, r, p, a, status) })
}

func (s *Server) riskAssessmentCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, riskAssessmentInputFromForm, s.Risk.CreateRiskAssessment,
		func(a *isms.RiskAssessment) string { return idPath("/risk-assessments/", a.ID) },
		func(_ isms.RiskAssessmentInput, err error) error { return s.riskAssessmentFormError(w, r, nil, err) })
}

func (s *Server) riskAssessmentUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadRiskAssessment(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, riskAssessmentInputFromForm, s.Risk.UpdateRiskAssessment, a.OrganisationID, a.ID,
		idPath("/risk-assessments/", a.ID), func(err error) error { return s.riskAssessmentFormError(w, r, a, err) })
}

// riskAssessmentAction runs a button's action on the assessment and
// shows a refusal on its page.
func (s *Server) riskAssessmentAction(w http.ResponseWriter, r *http.Request, flash string, act func(a *isms.RiskAssessment) error) error {
	a, err := s.loadRiskAssessment(r)
	if err == nil {
		err = act(a)
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.risk_assessment"), nil,
			func(p *page, status int) error { return s.renderRiskAssessment(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/risk-assessments/"+strconv.FormatInt(a.ID, 10)), flash)
	return nil
}

func (s *Server) riskAssessmentCompleteSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.riskAssessmentAction(w, r, "flash.risk_assessed", func(a *isms.RiskAssessment) error {
		_, err := s.Risk.CompleteRiskAssessment(r.Context(), a.OrganisationID, a.ID, formVersion(r))
		return err
	})
}

func (s *Server) riskAssessmentMarkSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.riskAssessmentAction(w, r, "flash.risk_marked", func(a *isms.RiskAssessment) error {
		_, err := s.Risk.MarkRiskReassessment(r.Context(), a.OrganisationID, a.ID, r.PostForm.Get("reassess_note"), formVersion(r))
		return err
	})
}

func (s *Server) riskAssessmentDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadRiskAssessment(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Risk.DeleteRiskAssessment(r.Context(), a.OrganisationID, a.ID, formVersion(r)), "/risk-assessments")
}
