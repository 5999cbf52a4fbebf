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

// 4.4: a process closes the gaps: every gap of a holder against a need of
// their role has an open development plan that is not overdue, and the
// process has been used (a plan has been recorded).
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
	today := tx.Today()
	covered := map[[2]int64]*isms.CompetencePlan{}
	for _, p := range plans {
		if p.CompletedOn == nil && !p.Overdue(today) {
			covered[[2]int64{p.NeedID, p.UserID}] = p
		}
	}
	var open []string
	have := 0
	for _, g := range m.Gaps {
		if p := covered[[2]int64{g.Need.ID, g.Person.UserID}]; p != nil {
			have++
			a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetencePlan, RecordID: p.ID, Label: p.UserName + ": " + p.Action, Path: planPath(p.ID)})
			continue
		}
		open = append(open, g.Person.Name+": "+g.Need.Subject)
	}
	if len(open) > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_gaps_without_plan", strings.Join(open, "; ")))
		a.Status = isms.AnswerPartly
		if have == 0 {
			a.Status = isms.AnswerNo
		}
		return a, nil
	}
	if len(plans) == 0 {
		a.Status = isms.AnswerPartly
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_plans"))
		return a, nil
	}
	if len(a.Evidence) == 0 {
		p := plans[0]
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeCompetencePlan, RecordID: p.ID, Label: p.UserName + ": " + p.Action, Path: planPath(p.ID)})
	}
	a.Status = isms.AnswerYes
	if len(m.Gaps) == 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_no_gaps_process"))
	} else {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comp_gaps_planned", len(m.Gaps)))
	}
	return a, nil
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
