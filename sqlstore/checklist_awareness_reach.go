package sqlstore

import (
	"slices"
	"strconv"

	"github.com/ismsdk/isms"
)

// Rule for checklist question 4.6, answered from the reach of the
// awareness programme (guide 2.6): are staff aware of how to act? Yes when
// each of the guide's themes reached at least the organisation's threshold
// of all staff in the last twelve months.
func init() {
	registerRule("4.6", ruleAwarenessReach)
}

func ruleAwarenessReach(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	r, err := tx.awarenessReach(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if r.TotalStaff == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.awp_no_staff"))
		return a, nil
	}
	if r.Participations == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.awp_no_participation", r.From.String()))
		return a, nil
	}
	var below []string
	met := 0
	for _, t := range isms.GuideThemes {
		c, _ := r.Total(t)
		if c.Met {
			met++
			continue
		}
		below = append(below, t)
		// The theme's name is a catalogue key, translated as the
		// reason is shown.
		a.Reasons = append(a.Reasons, isms.Msg("reason.awp_theme_below", "awareness.theme."+t, c.Percent, r.Threshold))
	}
	// The evidence: for each guide theme, the activity on it that reached
	// the most people in the period.
	for _, t := range isms.GuideThemes {
		err := tx.queryEach(`SELECT a.id, a.title FROM awareness_participations p JOIN awareness_activities a ON a.id = p.activity_id
			JOIN awareness_activity_themes t ON t.activity_id = a.id
			WHERE p.organisation_id = ? AND t.theme = ? AND p.taken_on >= ? AND p.taken_on <= ?
			GROUP BY a.id, a.title ORDER BY COUNT(DISTINCT p.person_key) DESC, a.id LIMIT 1`, []any{orgID, t, r.From.String(), r.To.String()},
			func(row scanner) error {
				var e isms.Evidence
				if err := row.Scan(&e.RecordID, &e.Label); err != nil {
					return err
				}
				e.RecordType, e.Path = typeAwarenessActivity, "/awareness/participation?activity="+strconv.FormatInt(e.RecordID, 10)
				if !slices.ContainsFunc(a.Evidence, func(x isms.Evidence) bool { return x.RecordID == e.RecordID }) {
					a.Evidence = append(a.Evidence, e)
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	switch {
	case len(below) == 0:
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.awp_reached", r.Threshold, r.TotalStaff))
	case met == 0 && len(below) == len(isms.GuideThemes) && allZero(r):
		a.Status = isms.AnswerNo
	default:
		a.Status = isms.AnswerPartly
	}
	return a, nil
}

// allZero reports whether no guide theme reached anyone.
func allZero(r *isms.AwarenessReach) bool {
	for _, t := range isms.GuideThemes {
		if c, _ := r.Total(t); c.People > 0 {
			return false
		}
	}
	return true
}
