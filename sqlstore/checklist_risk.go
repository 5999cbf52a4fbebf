package sqlstore

import (
	"github.com/ismsdk/isms"
)

// Rule for checklist question 3.1 (guide 2.3): are there risk assessments
// of the business-critical assets, processes and systems? Its readable
// statement is the catalogue key rule.3.1.
func init() {
	registerRule("3.1", ruleRiskAssessed)
}

// riskUnsettledSQL holds for a risk above the acceptance criteria that is
// neither decided and treated down to within them nor validly accepted.
// today is bound as the one parameter.
func riskUnsettledSQL(m *isms.RiskMethod) string {
	return `(NOT ` + riskAcceptableCellSQL(m, "r.inherent") + ` AND (r.treatment = '' OR (NOT ` + riskAcceptableCellSQL(m, "r.residual") +
		` AND NOT (COALESCE(r.accepted_until, '') >= ? AND r.residual_l <= r.accepted_l AND r.residual_c <= r.accepted_c))))`
}

// 3.1: yes when every active business-critical process, information and
// IT system of the business overview has a current risk assessment (not
// past its reassessment date, not marked for ad-hoc reassessment, made
// against the entry's present requirement levels) and every risk above the
// acceptance criteria is treated or accepted by management until a day
// that has not passed; partly when some are; no when none is assessed.
func ruleRiskAssessed(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today().String()
	rows, err := tx.query(`SELECT e.kind, e.name, CASE WHEN a.id IS NOT NULL AND `+riskCurrentAssessmentSQL()+` THEN 1 ELSE 0 END
		FROM overview_entries e LEFT JOIN assets a ON a.organisation_id = e.organisation_id AND a.entry_id = e.id
		WHERE e.organisation_id = ? AND e.kind IN ('process', 'information', 'system') AND e.status = 'active'
		ORDER BY CASE e.kind WHEN 'process' THEN 1 WHEN 'information' THEN 2 ELSE 3 END, e.name`, today, orgID)
	if err != nil {
		return nil, err
	}
	type lack struct{ kind, name string }
	var missing []lack
	total, assessed := 0, 0
	for rows.Next() {
		var kind, name string
		var ok int
		if err := rows.Scan(&kind, &name, &ok); err != nil {
			rows.Close()
			return nil, err
		}
		total++
		if ok == 1 {
			assessed++
		} else {
			missing = append(missing, lack{kind, name})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if total == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.risk_no_assets"))
		return a, nil
	}
	const shown = 10
	for i, l := range missing {
		if i == shown {
			a.Reasons = append(a.Reasons, isms.Msg("reason.risk_unassessed_more", len(missing)-shown))
			break
		}
		a.Reasons = append(a.Reasons, isms.Msg("reason.risk_unassessed", "risk.asset_kind."+l.kind, l.name))
	}
	risks, err := tx.count("SELECT COUNT(*) FROM risks WHERE organisation_id = ?", orgID)
	if err != nil {
		return nil, err
	}
	unsettled, err := tx.count("SELECT COUNT(*) FROM risks r WHERE r.organisation_id = ? AND "+riskUnsettledSQL(m), orgID, today)
	if err != nil {
		return nil, err
	}
	a.Status = grade(assessed, total)
	if risks > 0 {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: "register", RecordID: int64(risks), Label: "risk_register", Path: "/risks"},
			isms.Evidence{RecordType: "register", RecordID: int64(assessed), Label: "risk_assessments", Path: "/risk-assessments?status=completed"},
			isms.Evidence{RecordType: "register", RecordID: int64(risks), Label: "risk_heatmap", Path: "/risks/heatmap"})
	}
	if unsettled > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.risk_unsettled", unsettled))
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: "register", RecordID: int64(unsettled), Label: "risk_unsettled",
			Path: "/risks?needs_acceptance=1"})
		if a.Status == isms.AnswerYes {
			a.Status = isms.AnswerPartly
		}
	}
	if a.Status == isms.AnswerYes {
		a.Reasons = append([]isms.Message{isms.Msg("reason.risk_complete", total, risks)}, a.Reasons...)
	}
	return a, nil
}
