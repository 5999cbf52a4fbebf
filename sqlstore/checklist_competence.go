package sqlstore

import (
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Rules for checklist questions 4.2 and 4.3, answered from the competence
// needs and what the holders of the security roles have (guide 2.5).
func init() {
	registerRule("4.2", ruleCompetenceNeeds)
	registerRule("4.3", ruleCompetenceMet)
	registerRule("4.4", ruleCompetenceProcess)
}

// 4.4: a process closes the gaps (guide 2.5: "each gap has a plan, or a
// recurring competence review is in the annual wheel and was done on
// time"). Two routes lead to yes:
//
//   - the plans: every gap of a holder against a need of their role has an
//     open development plan that is not overdue, and the process has been
//     used (a plan has been recorded);
//   - the wheel: an active, recurring activity of the annual wheel serves
//     competence ("guide:2.5" or "clause:7.2"), at least one of its
//     occurrences fell due in the last 12 months (before today), and every
//     one that did was completed on or before its due date (a skipped one
//     is not a review); and every gap has an open, not overdue plan or is
//     younger than the last such review (it arose after the review, which
//     could not have dealt with it yet).
//
// Otherwise partly, naming the gaps without a plan and the review that was
// late or is missing, when some gap is covered or the review route holds;
// no when nothing is in place.
func ruleCompetenceProcess(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	m, err := tx.competenceMatrix(orgID)
	if err != nil {
		return nil, err
	}
	plans, err := tx.plans(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if len(m.Roles) == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_needs"))
		return a, nil
	}
	review, err := tx.competenceReview(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	covered := map[[2]int64]*isms.CompetencePlan{}
	for _, p := range plans {
		if p.CompletedOn == nil && !p.Overdue(today) {
			covered[[2]int64{p.NeedID, p.UserID}] = p
		}
	}
	var open []string
	have, young := 0, 0
	for _, g := range m.Gaps {
		if p := covered[[2]int64{g.Need.ID, g.Person.UserID}]; p != nil {
			have++
			a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetencePlan, RecordID: p.ID, Label: p.UserName + ": " + p.Action, Path: planPath(p.ID)})
			continue
		}
		if review.holds && review.last.Before(g.Since) {
			have++
			young++
			continue
		}
		open = append(open, g.Person.Name+": "+g.Need.Subject)
	}
	if review.holds {
		a.Evidence = append(a.Evidence, wheelOccurrenceEvidence(review.lastOcc))
	}
	reviewReason := func() {
		switch {
		case review.holds:
			a.Reasons = append(a.Reasons, isms.Msg("reason.comp_review_on_time", review.activity.Title, review.last.String()))
		case review.activity != nil && review.lateOcc != nil:
			a.Reasons = append(a.Reasons, isms.Msg("reason.comp_review_late", review.activity.Title, review.lateOcc.DueDate.String()))
			a.Evidence = append(a.Evidence, wheelOccurrenceEvidence(review.lateOcc))
		case review.activity != nil:
			a.Reasons = append(a.Reasons, isms.Msg("reason.comp_review_not_due", review.activity.Title))
		default:
			a.Reasons = append(a.Reasons, isms.Msg("reason.comp_review_missing"))
		}
	}
	if len(open) > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_gaps_without_plan", strings.Join(open, "; ")))
		reviewReason()
		a.Status = isms.AnswerPartly
		if have == 0 && !review.holds {
			a.Status = isms.AnswerNo
		}
		return a, nil
	}
	if len(plans) == 0 && !review.holds {
		a.Status = isms.AnswerPartly
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_plans"))
		reviewReason()
		return a, nil
	}
	if len(a.Evidence) == 0 {
		p := plans[0]
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetencePlan, RecordID: p.ID, Label: p.UserName + ": " + p.Action, Path: planPath(p.ID)})
	}
	a.Status = isms.AnswerYes
	switch {
	case len(m.Gaps) == 0 && len(plans) > 0:
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_gaps_process"))
	case len(m.Gaps) > 0 && young == 0:
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_gaps_planned", len(m.Gaps)))
	case young > 0:
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_gaps_since_review", young))
	}
	if review.holds {
		reviewReason()
	}
	return a, nil
}

// competenceReviewState is how the annual wheel's competence review
// stands: the activity that holds (or else the first that serves
// competence), the last review done, and the first occurrence late.
type competenceReviewState struct {
	holds    bool
	activity *isms.Activity
	last     isms.Date
	lastOcc  *isms.Occurrence
	lateOcc  *isms.Occurrence
}

// servesCompetence reports whether an activity of the wheel serves guide
// 2.5 or clause 7.2.
func servesCompetence(a *isms.Activity) bool {
	return a.Serves == "guide:2.5" || a.Serves == "clause:7.2"
}

// competenceReview finds whether a recurring competence review in the
// annual wheel was done on time in the last 12 months (see rule 4.4).
func (tx *Tx) competenceReview(orgID int64) (competenceReviewState, error) {
	var st competenceReviewState
	acts, err := tx.wheelActiveActivities(orgID)
	if err != nil {
		return st, err
	}
	var serving []*isms.Activity
	for _, a := range acts {
		if servesCompetence(a) && a.Recurrence != isms.RecurAdHoc {
			serving = append(serving, a)
		}
	}
	if len(serving) == 0 {
		return st, nil
	}
	today := tx.Today()
	from := isms.DateOf(tx.now.AddDate(-1, 0, 0))
	occ, err := tx.wheelOccurrencesBetween(orgID, from, today)
	if err != nil {
		return st, err
	}
	byActivity := map[int64][]*isms.Occurrence{}
	for _, o := range occ {
		// Due before today; one due today counts once it is done.
		if o.DueDate.Before(today) || o.Status == isms.OccDone {
			byActivity[o.ActivityID] = append(byActivity[o.ActivityID], o)
		}
	}
	st.activity = serving[0]
	for _, a := range serving {
		os := byActivity[a.ID]
		var last *isms.Occurrence
		var late *isms.Occurrence
		for _, o := range os {
			if o.Status != isms.OccDone || o.CompletedOn == nil || o.DueDate.Before(*o.CompletedOn) {
				if late == nil {
					late = o
				}
				continue
			}
			if last == nil || last.CompletedOn.Before(*o.CompletedOn) {
				last = o
			}
		}
		if len(os) > 0 && late == nil {
			return competenceReviewState{holds: true, activity: a, last: *last.CompletedOn, lastOcc: last}, nil
		}
		if late != nil && st.lateOcc == nil {
			st.activity, st.lateOcc = a, late
		}
	}
	return st, nil
}

func planPath(id int64) string { return "/competence/plans/" + strconv.FormatInt(id, 10) }

func needPath(id int64) string { return "/competence/needs/" + strconv.FormatInt(id, 10) }

// 4.2: the competence needed is recorded for every security role.
func ruleCompetenceNeeds(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	m, err := tx.competenceMatrix(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	total := len(m.Roles) + len(m.NoNeeds)
	if total == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_roles"))
		return a, nil
	}
	for _, r := range m.Roles {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetenceNeed, RecordID: r.Needs[0].ID, Label: r.Role.Name + ": " + r.Needs[0].Subject, Path: needPath(r.Needs[0].ID)})
	}
	if len(m.NoNeeds) > 0 {
		names := make([]string, len(m.NoNeeds))
		for i, r := range m.NoNeeds {
			names[i] = r.Name
		}
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_roles_without_needs", strings.Join(names, ", ")))
	}
	a.Status = grade(len(m.Roles), total)
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_needs_recorded", total))
	}
	return a, nil
}

// 4.3: the holders of each role meet its needs: every need of a role is
// met by at least one holder, with a valid competence at the level.
func ruleCompetenceMet(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	m, err := tx.competenceMatrix(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	want, have := 0, 0
	var unmet []string
	for _, r := range m.Roles {
		want += len(r.Needs)
		have += len(r.Needs) - len(r.Unmet)
		for _, n := range r.Unmet {
			unmet = append(unmet, r.Role.Name+": "+n.Subject)
			a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetenceNeed, RecordID: n.ID, Label: r.Role.Name + ": " + n.Subject, Path: needPath(n.ID)})
		}
	}
	if want == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_needs"))
		return a, nil
	}
	if len(unmet) > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_unmet", strings.Join(unmet, "; ")))
	}
	a.Status = grade(have, want)
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_all_met", want))
		for _, r := range m.Roles {
			n := r.Needs[0]
			a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetenceNeed, RecordID: n.ID, Label: r.Role.Name + ": " + n.Subject, Path: needPath(n.ID)})
		}
	}
	return a, nil
}
