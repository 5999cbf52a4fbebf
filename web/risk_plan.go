package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// The risk treatment plan (clause 6.1.3 e): every action with its owner,
// deadline, status and controls, and the treatment decisions that have no
// action yet.

func riskTaskFilterFrom(r *http.Request, limit int) (isms.RiskTaskFilter, error) {
	q := r.URL.Query()
	f := isms.RiskTaskFilter{Status: isms.TaskStatus(q.Get("status")), Open: parseFlag(q.Get("open")), Overdue: parseFlag(q.Get("overdue")),
		Sort: q.Get("sort")}
	var v isms.Validation
	if f.Status != "" && !f.Status.Valid() {
		v.Add("task_status", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner_id")
	f.RiskID = queryID(&v, q, "risk", "risk_id")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

type riskPlanData struct {
	UI       riskUI
	Tasks    []*isms.RiskTask
	Untasked []*isms.Risk
	Filter   isms.RiskTaskFilter
	Pager    pager
	Members  []*isms.Membership
	Statuses []isms.TaskStatus
}

func (s *Server) riskPlanPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.risk_plan")
	org := orgFrom(r.Context())
	f, err := riskTaskFilterFrom(r, 50)
	if err != nil {
		return err
	}
	d := riskPlanData{Filter: f, Statuses: isms.TaskStatuses}
	if d.UI, err = s.riskUI(r, p.Lang, true); err != nil {
		return err
	}
	var total int
	if d.Tasks, total, err = s.Risk.RiskTasks(r.Context(), org.ID, f); err != nil {
		return err
	}
	d.Pager = newPager(r, total, f.Offset, f.Limit)
	if d.Untasked, err = s.Risk.UntaskedRisks(r.Context(), org.ID, 100); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, http.StatusOK, "risk_plan", p)
	return nil
}

type riskTaskFormData struct {
	UI       riskUI
	Task     *isms.RiskTask
	Risk     *isms.Risk
	Members  []*isms.Membership
	Controls []*isms.RiskControlRef
	Statuses []isms.TaskStatus
	History  []historyItem
}

// Chosen are the stored controls of the action, or for a new one the
// risk's planned controls, which an action usually puts in place.
func (d riskTaskFormData) Chosen() []int64 {
	if d.Task != nil {
		return d.Task.Controls
	}
	if d.Risk != nil {
		return d.Risk.PlannedControls
	}
	return nil
}

func (s *Server) riskTaskForm(w http.ResponseWriter, r *http.Request, p *page, t *isms.RiskTask, riskID int64, status int) error {
	org := orgFrom(r.Context())
	d := riskTaskFormData{Task: t, Statuses: isms.TaskStatuses}
	var err error
	if d.UI, err = s.riskUI(r, p.Lang, false); err != nil {
		return err
	}
	if t != nil {
		riskID = t.RiskID
		if d.History, err = s.history(r, "risk_task", t.ID); err != nil {
			return err
		}
	}
	if d.Risk, err = s.Risk.Risk(r.Context(), org.ID, riskID); err != nil {
		return err
	}
	if d.Controls, err = s.Risk.RiskControlOptions(r.Context(), org.ID); err != nil {
		return err
	}
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	p.Data = d
	s.render(w, status, "risk_task_form", p)
	return nil
}

func (s *Server) riskTaskNewPage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("risk"), 10, 64)
	if err != nil {
		return isms.Errorf(isms.ENotFound, "err.not_found", "risk")
	}
	return s.riskTaskForm(w, r, s.newPage(r, "title.risk_task_new"), nil, id, http.StatusOK)
}

func (s *Server) loadRiskTask(r *http.Request) (*isms.RiskTask, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risk.RiskTask(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) riskTaskPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadRiskTask(r)
	if err != nil {
		return err
	}
	return s.riskTaskForm(w, r, s.newPage(r, "title.risk_task"), t, 0, http.StatusOK)
}

func riskTaskInputFromForm(r *http.Request) (isms.RiskTaskInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.RiskTaskInput{Title: f.Get("task_title"), Description: f.Get("description"), Status: isms.TaskStatus(f.Get("task_status")),
		OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")), Deadline: parseOptionalDate(&v, "task_deadline", f.Get("task_deadline")),
		Controls: parseIDs(&v, "task_controls", f["task_controls"]), Version: parseVersion(f.Get("version"))}
	in.RiskID = int64(formInt(&v, "risk_id", f.Get("risk_id"), 0))
	return in, v.Err()
}

func (s *Server) riskTaskFormError(w http.ResponseWriter, r *http.Request, t *isms.RiskTask, riskID int64, err error) error {
	current := versionOf(t, func(t *isms.RiskTask) int64 { return t.Version })
	return s.formRefused(r, err, s.newPage(r, "title.risk_task"), current,
		func(p *page, status int) error { return s.riskTaskForm(w, r, p, t, riskID, status) })
}

func (s *Server) riskTaskCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, riskTaskInputFromForm, s.Risk.CreateRiskTask,
		func(t *isms.RiskTask) string { return idPath("/risks/", t.RiskID) },
		func(in isms.RiskTaskInput, err error) error {
			if in.RiskID == 0 {
				return err
			}
			return s.riskTaskFormError(w, r, nil, in.RiskID, err)
		})
}

func (s *Server) riskTaskUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadRiskTask(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, riskTaskInputFromForm, s.Risk.UpdateRiskTask, t.OrganisationID, t.ID, "/risk-plan",
		func(err error) error { return s.riskTaskFormError(w, r, t, t.RiskID, err) })
}

func (s *Server) riskTaskDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadRiskTask(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Risk.DeleteRiskTask(r.Context(), t.OrganisationID, t.ID, formVersion(r)), idPath("/risks/", t.RiskID))
}
