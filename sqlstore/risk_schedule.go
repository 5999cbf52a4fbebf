package sqlstore

import (
	"context"
	"strconv"

	"github.com/ismsdk/isms"
)

// Risk management's dates in the rest of the ISMS: reassessments, treatment
// actions and acceptance expiries in the annual wheel's calendar (guide 2.9
// asks for risk reassessment to be planned there), management's risk
// acceptances as occasions on which it dealt with objectives and risk
// acceptance (guide 2.2), and what is due for the dashboard.

func init() {
	registerScheduleSource(riskScheduledItems)
	registerTopicSource("topic.source.risk", "topic.source.risk.planned", riskTopicActivities)
}

func riskAssessmentEvidence(id int64, title string) isms.Evidence {
	return isms.Evidence{RecordType: typeRiskAssessment, RecordID: id, Label: title, Path: "/risk-assessments/" + strconv.FormatInt(id, 10)}
}

func riskEvidence(id int64, title string) isms.Evidence {
	return isms.Evidence{RecordType: typeRisk, RecordID: id, Label: title, Path: "/risks/" + strconv.FormatInt(id, 10)}
}

// datedRow is a row of (record id, day, label), as the calendar and the
// agenda read what falls due.
type datedRow struct {
	id         int64
	day, label string
}

func scanDatedRow(row scanner) (datedRow, error) {
	var r datedRow
	err := row.Scan(&r.id, &r.day, &r.label)
	return r, err
}

// riskScheduledItems reports risk management's dated obligations between
// two days: reassessments due and carried out, treatment actions due and
// done, and acceptances that run out.
func riskScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	var out []isms.ScheduledItem
	f, t := from.String(), to.String()
	add := func(q string, kind string, done bool, evidence func(int64, string) isms.Evidence, args ...any) error {
		rs, err := queryAll(tx, scanDatedRow, q, args...)
		if err != nil {
			return err
		}
		for _, r := range rs {
			d, err := isms.ParseDate(r.day)
			if err != nil {
				continue
			}
			out = append(out, isms.ScheduledItem{Day: d, Label: r.label, Kind: kind, Done: done, Evidence: evidence(r.id, r.label)})
		}
		return nil
	}
	task := func(id int64, label string) isms.Evidence {
		return isms.Evidence{RecordType: typeRiskTask, RecordID: id, Label: label, Path: "/risk-tasks/" + strconv.FormatInt(id, 10)}
	}
	for _, q := range []struct {
		sql  string
		kind string
		done bool
		ev   func(int64, string) isms.Evidence
	}{
		{`SELECT id, next_reassessment, title FROM risk_assessments WHERE organisation_id = ? AND status = 'completed'
			AND next_reassessment >= ? AND next_reassessment <= ? ORDER BY next_reassessment, id`, "risk.scheduled.reassessment", false, riskAssessmentEvidence},
		{`SELECT id, assessed_on, title FROM risk_assessments WHERE organisation_id = ? AND status = 'completed'
			AND assessed_on >= ? AND assessed_on <= ? ORDER BY assessed_on, id`, "risk.scheduled.assessed", true, riskAssessmentEvidence},
		{`SELECT id, deadline, title FROM risk_tasks WHERE organisation_id = ? AND status IN ('planned', 'in_progress')
			AND deadline >= ? AND deadline <= ? ORDER BY deadline, id`, "risk.scheduled.task", false, task},
		{`SELECT id, completed_on, title FROM risk_tasks WHERE organisation_id = ? AND status = 'done'
			AND completed_on >= ? AND completed_on <= ? ORDER BY completed_on, id`, "risk.scheduled.task_done", true, task},
		{`SELECT id, accepted_until, title FROM risks WHERE organisation_id = ? AND accepted_until >= ? AND accepted_until <= ?
			ORDER BY accepted_until, id`, "risk.scheduled.acceptance_expiry", false, riskEvidence},
	} {
		if err := add(q.sql, q.kind, q.done, q.ev, orgID, f, t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// riskTopicActivities reports management's risk acceptances as occasions
// on which it dealt with objectives and risk acceptance, and their
// expiries as the occasions it will again. Only the latest matter for the
// topic's status, so the query stays short on a large register.
func riskTopicActivities(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	rows, err := tx.query(`SELECT acc.risk_id, acc.accepted_at, acc.expires, r.title FROM risk_acceptances acc JOIN risks r ON r.id = acc.risk_id
		WHERE acc.organisation_id = ? ORDER BY acc.id DESC LIMIT 50`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []isms.TopicActivity
	for rows.Next() {
		var id int64
		var at, expires, title string
		if err := rows.Scan(&id, &at, &expires, &title); err != nil {
			return nil, err
		}
		out = append(out, isms.TopicActivity{Topic: "objectives", Day: isms.DateOf(parseTS(at)), Done: true, Label: title, Evidence: riskEvidence(id, title)})
		if d, err := isms.ParseDate(expires); err == nil {
			out = append(out, isms.TopicActivity{Topic: "objectives", Day: d, Done: false, Label: title, Evidence: riskEvidence(id, title)})
		}
	}
	return out, rows.Err()
}

// RiskAgenda lists what of risk management is due up to a day: assessments
// to do again, treatment actions and decisions past or near their
// deadline, acceptances running out. Each kind is capped, so the dashboard
// stays quick on a large register.
func (db *DB) RiskAgenda(ctx context.Context, orgID int64, until isms.Date) ([]isms.RiskAgendaItem, error) {
	var out []isms.RiskAgendaItem
	err := db.read(ctx, "RiskAgenda", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		today, u := tx.Today(), until.String()
		scan := func(kind, path string, q string, args ...any) error {
			rs, err := queryAll(tx, scanDatedRow, q, args...)
			if err != nil {
				return err
			}
			for _, r := range rs {
				d, err := isms.ParseDate(r.day)
				if err != nil {
					d = today
				}
				out = append(out, isms.RiskAgendaItem{Kind: kind, Label: r.label, Due: d, Path: path + strconv.FormatInt(r.id, 10)})
			}
			return nil
		}
		// Marked or changed assessments are due today.
		if err := scan("risk.agenda.reassessment", "/risk-assessments/", `SELECT ra.id,
			CASE WHEN ra.next_reassessment <= ? THEN ra.next_reassessment ELSE ? END, ra.title`+assessmentFrom+`
			WHERE ra.organisation_id = ? AND (ra.next_reassessment <= ? OR `+riskReassessSQL()+`) AND ra.status = 'completed'
			ORDER BY ra.next_reassessment, ra.id LIMIT 100`, today.String(), today.String(), orgID, u, today.String()); err != nil {
			return err
		}
		if err := scan("risk.agenda.task", "/risk-tasks/", `SELECT id, deadline, title FROM risk_tasks WHERE organisation_id = ?
			AND status IN ('planned', 'in_progress') AND deadline <= ? ORDER BY deadline, id LIMIT 100`, orgID, u); err != nil {
			return err
		}
		if err := scan("risk.agenda.treatment", "/risks/", `SELECT id, next_due, title FROM risks WHERE organisation_id = ?
			AND open_tasks = 0 AND next_due <= ? ORDER BY next_due, id LIMIT 100`, orgID, u); err != nil {
			return err
		}
		return scan("risk.agenda.acceptance", "/risks/", `SELECT r.id, r.accepted_until, r.title FROM risks r WHERE r.organisation_id = ?
			AND r.accepted_until <= ? AND NOT `+riskAcceptableCellSQL(m, "r.residual")+` ORDER BY r.accepted_until, r.id LIMIT 100`, orgID, u)
	})
	return out, err
}
