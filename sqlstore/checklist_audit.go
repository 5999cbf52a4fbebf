package sqlstore

import (
	"strings"

	"github.com/ismsdk/isms"
)

// Rule for checklist question 7.2 (guide 2.9 "Intern audit"): is there a
// plan for internal audit? The guide asks for an audit plan the
// organisation maintains, whose scope examines both the organisation's
// own requirements and ISO 27001, and for the audits' observations and
// recommendations to be documented.
func init() {
	registerRule("7.2", ruleInternalAuditPlan)
}

// maxNamed bounds how many missing clauses or controls a reason lists.
const maxNamed = 12

// 7.2: yes when an audit programme's cycle includes this year, its audits
// together cover every clause 4–10 and every control the SoA includes,
// every audit planned before today was held, and every held audit's
// report is approved. Partly names what is missing; no without a
// programme for this year.
func ruleInternalAuditPlan(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	progs, err := tx.auditProgrammes(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	a := &isms.ChecklistAnswer{}
	var p *isms.AuditProgramme
	for _, q := range progs {
		if q.Covers(today.Year()) {
			p = q
			break
		}
	}
	if p == nil {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.aud_none", today.Year()))
		return a, nil
	}
	a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeAuditProgramme, RecordID: p.ID, Label: p.Title, Path: auditProgrammePath(p.ID)})
	cov, err := tx.auditCoverage(orgID, p)
	if err != nil {
		return nil, err
	}
	ok := true
	missing := func(lines []isms.CoverageLine, key string) {
		var names []string
		for _, l := range lines {
			if !l.Covered() {
				names = append(names, l.Ref)
			}
		}
		if len(names) == 0 {
			return
		}
		ok = false
		text := strings.Join(names[:min(len(names), maxNamed)], ", ")
		if len(names) > maxNamed {
			text += " …"
		}
		a.Reasons = append(a.Reasons, isms.Msg(key, len(names), text))
	}
	if len(p.Audits) == 0 {
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.aud_no_audits"))
	}
	missing(cov.Clauses, "reason.aud_clauses_missing")
	missing(cov.Controls, "reason.aud_controls_missing")
	var late, unapproved []string
	held := 0
	for _, au := range p.Audits {
		switch {
		case au.Overdue(today):
			late = append(late, au.Title+" ("+au.PlannedOn.String()+")")
		case au.HeldTo != nil && au.ApprovedAt == nil:
			unapproved = append(unapproved, au.Title)
		}
		if au.HeldTo != nil {
			held++
			a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeInternalAudit, RecordID: au.ID, Label: au.Title, Path: internalAuditPath(au.ID)})
		}
	}
	if len(late) > 0 {
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.aud_late", strings.Join(late, "; ")))
	}
	if len(unapproved) > 0 {
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.aud_unapproved", strings.Join(unapproved, "; ")))
	}
	if ok {
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.aud_yes", p.FirstYear, p.LastYear, len(cov.Clauses), len(cov.Controls), held))
		return a, nil
	}
	a.Status = isms.AnswerPartly
	return a, nil
}
