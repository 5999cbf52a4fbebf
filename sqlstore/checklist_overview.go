package sqlstore

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// Rules for checklist questions 1.1 to 1.6, answered from the business
// overview and the scope (guide 2.1). Their readable statements are the
// catalogue keys rule.1.1 … rule.1.6.
func init() {
	registerRule("1.1", ruleInternalIdentified)
	registerRule("1.2", func(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
		return ruleRequirements(tx, orgID, isms.InternalKinds)
	})
	registerRule("1.3", ruleExternalIdentified)
	registerRule("1.4", func(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
		return ruleRequirements(tx, orgID, isms.ExternalKinds)
	})
	registerRule("1.5", ruleScopeDefined)
	registerRule("1.6", ruleScopeCriteria)
}

// kindCounts counts the active entries of each register, and how many of
// them have their requirements assessed and are overdue for review.
type kindCount struct{ active, assessed, overdue int }

func (tx *Tx) kindCounts(orgID int64) (map[isms.EntryKind]kindCount, error) {
	return remember(tx, fmt.Sprint("kindCounts", orgID), func() (map[isms.EntryKind]kindCount, error) { return tx.readKindCounts(orgID) })
}

func (tx *Tx) readKindCounts(orgID int64) (map[isms.EntryKind]kindCount, error) {
	return queryMap(tx, scanKindCount, `SELECT kind,
		COUNT(*),
		SUM(CASE WHEN req_confidentiality > 0 AND req_integrity > 0 AND req_availability > 0 AND req_text <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN next_review < ? THEN 1 ELSE 0 END)
		FROM overview_entries WHERE organisation_id = ? AND status = 'active' GROUP BY kind`, tx.Today().String(), orgID)
}

func scanKindCount(row scanner) (isms.EntryKind, kindCount, error) {
	var k string
	var c kindCount
	err := row.Scan(&k, &c.active, &c.assessed, &c.overdue)
	return isms.EntryKind(k), c, err
}

func registerEvidence(k isms.EntryKind, n int) isms.Evidence {
	return isms.Evidence{RecordType: "register", Label: string(k), Path: "/overview?kind=" + string(k), RecordID: int64(n)}
}

// downgradeOverdue turns a yes into partly when entries are past review:
// a register nobody keeps current is only partly documented.
func downgradeOverdue(a *isms.ChecklistAnswer, overdue int) {
	if overdue == 0 {
		return
	}
	a.Reasons = append(a.Reasons, isms.Msg("reason.entries_overdue", overdue))
	if a.Status == isms.AnswerYes {
		a.Status = isms.AnswerPartly
	}
}

// 1.1: the purpose and at least one active entry in each of the five
// internal registers.
func ruleInternalIdentified(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	o, err := tx.org(orgID)
	if err != nil {
		return nil, err
	}
	counts, err := tx.kindCounts(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	have, overdue := 0, 0
	if o.Purpose != "" {
		have++
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: "organisation", RecordID: orgID, Label: "purpose", Path: "/overview"})
	} else {
		a.Reasons = append(a.Reasons, isms.Msg("reason.purpose_missing"))
	}
	for _, k := range isms.InternalKinds {
		c := counts[k]
		overdue += c.overdue
		if c.active > 0 {
			have++
			a.Evidence = append(a.Evidence, registerEvidence(k, c.active))
		} else {
			a.Reasons = append(a.Reasons, isms.Msg("reason.register_empty", "kind."+string(k)))
		}
	}
	a.Status = grade(have, 1+len(isms.InternalKinds))
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.internal_complete"))
	}
	downgradeOverdue(a, overdue)
	return a, nil
}

// 1.2 and 1.4: every active entry of the registers has its confidentiality,
// integrity and availability requirements assessed and explained.
func ruleRequirements(tx *Tx, orgID int64, kinds []isms.EntryKind) (*isms.ChecklistAnswer, error) {
	counts, err := tx.kindCounts(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	total, assessed := 0, 0
	for _, k := range kinds {
		c := counts[k]
		total += c.active
		assessed += c.assessed
		if c.active > 0 {
			a.Evidence = append(a.Evidence, registerEvidence(k, c.active))
		}
		if c.active > c.assessed {
			a.Reasons = append(a.Reasons, isms.Msg("reason.requirements_missing", c.active-c.assessed, "kind."+string(k)))
		}
	}
	if total == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.no_entries"))
		return a, nil
	}
	a.Status = grade(assessed, total)
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.requirements_complete", total))
	}
	return a, nil
}

// 1.3: at least one external factor and one external stakeholder.
func ruleExternalIdentified(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	counts, err := tx.kindCounts(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	have, overdue := 0, 0
	for _, k := range isms.ExternalKinds {
		c := counts[k]
		overdue += c.overdue
		if c.active > 0 {
			have++
			a.Evidence = append(a.Evidence, registerEvidence(k, c.active))
		} else {
			a.Reasons = append(a.Reasons, isms.Msg("reason.register_empty", "kind."+string(k)))
		}
	}
	a.Status = grade(have, len(isms.ExternalKinds))
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.external_complete"))
	}
	downgradeOverdue(a, overdue)
	return a, nil
}

func scopeEvidence(orgID int64) isms.Evidence {
	return isms.Evidence{RecordType: typeScope, RecordID: orgID, Label: "scope", Path: "/scope"}
}

// 1.5: a scope is recorded that says what is inside by at least one of the
// guide's dimensions (information types, organisation units, processes) and
// states what is left out. Approval and a current review are reported.
func ruleScopeDefined(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	s, err := tx.scope(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if !s.Recorded() {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_missing"))
		return a, nil
	}
	a.Evidence = append(a.Evidence, scopeEvidence(orgID))
	a.Status = isms.AnswerYes
	if !s.HasDimensions() {
		a.Status = isms.AnswerPartly
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_no_dimensions"))
	}
	if s.BoundaryCriteria == "" {
		a.Status = isms.AnswerPartly
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_no_criteria"))
	}
	if s.Approved() {
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_approved", s.ApprovedByName, s.ApprovedAt.Format(isms.DateLayout)))
	} else {
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_not_approved"))
	}
	if s.NextReview != nil && s.NextReview.Before(tx.Today()) {
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_review_overdue", s.NextReview.String()))
		if a.Status == isms.AnswerYes {
			a.Status = isms.AnswerPartly
		}
	}
	if a.Status == isms.AnswerYes {
		a.Reasons = append([]isms.Message{isms.Msg("reason.scope_complete")}, a.Reasons...)
	}
	return a, nil
}

// 1.6: the criteria that drew the boundary are written down, and so is
// what was left out (or that nothing was).
func ruleScopeCriteria(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	s, err := tx.scope(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if !s.Recorded() {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_missing"))
		return a, nil
	}
	a.Evidence = append(a.Evidence, scopeEvidence(orgID))
	switch {
	case s.BoundaryCriteria != "" && s.Exclusions != "":
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.criteria_complete"))
	case s.BoundaryCriteria != "":
		a.Status = isms.AnswerPartly
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_no_exclusions"))
	case s.HasDimensions():
		a.Status = isms.AnswerPartly
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_no_criteria"))
	default:
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.scope_no_criteria"))
	}
	return a, nil
}
