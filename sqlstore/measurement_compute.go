package sqlstore

import (
	"context"
	"fmt"
	"math"

	"github.com/ismsdk/isms"
)

// The indicators the product computes from its own records, every day,
// with no one typing them. Each computation reads the records as the
// checklist's rules and the registers read them, so an indicator and the
// checklist never disagree on what, say, "a current risk assessment" is.
// A computation answers ok=false when there is nothing to measure yet
// (no business-critical entries, no staff, no activity due): a share of
// nothing is no measurement, and storing 0 % would record a false breach.

type computation func(tx *Tx, orgID int64, day isms.Date) (value float64, ok bool, err error)

var computations = map[string]computation{
	"critical_assessed":    computeCriticalAssessed,
	"documents_overdue":    computeDocumentsOverdue,
	"risks_untreated":      computeRisksUntreated,
	"awareness_reach":      computeAwarenessReach,
	"wheel_on_time":        computeWheelOnTime,
	"nonconformities_late": computeNonconformitiesLate,
}

func init() {
	for _, k := range isms.Computations {
		if computations[k] == nil {
			panic("no computation for indicator " + k)
		}
	}
	if len(computations) != len(isms.Computations) {
		panic("a computation not listed in isms.Computations")
	}
}

// share is part of whole in per cent with one decimal.
func share(part, whole int) float64 {
	return math.Round(1000*float64(part)/float64(whole)) / 10
}

// critical_assessed: the share of the active business-critical processes,
// information and IT systems with a current risk assessment (as rule 3.1
// reads it).
func computeCriticalAssessed(tx *Tx, orgID int64, day isms.Date) (float64, bool, error) {
	var total, assessed int
	err := tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.id IS NOT NULL AND `+riskCurrentAssessmentSQL()+` THEN 1 ELSE 0 END), 0)
		FROM overview_entries e LEFT JOIN assets a ON a.organisation_id = e.organisation_id AND a.entry_id = e.id
		WHERE e.organisation_id = ? AND e.kind IN ('process', 'information', 'system') AND e.status = 'active'`, day.String(), orgID).Scan(&total, &assessed)
	if err != nil || total == 0 {
		return 0, false, err
	}
	return share(assessed, total), true, nil
}

// documents_overdue: the documents whose review date has passed.
func computeDocumentsOverdue(tx *Tx, orgID int64, day isms.Date) (float64, bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM documents WHERE organisation_id = ? AND next_review < ?", orgID, day.String())
	return float64(n), err == nil, err
}

// risks_untreated: the risks above the acceptance criteria that are
// neither treated down to within them nor validly accepted by management.
func computeRisksUntreated(tx *Tx, orgID int64, day isms.Date) (float64, bool, error) {
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return 0, false, err
	}
	n, err := tx.count("SELECT COUNT(*) FROM risks r WHERE r.organisation_id = ? AND "+riskUnsettledSQL(m), orgID, day.String())
	return float64(n), err == nil, err
}

// awareness_reach: the lowest reach among the guide's awareness themes in
// the reach period, in per cent of the staff: the programme is as strong
// as its weakest theme (rule 4.6 asks each theme to reach the threshold).
func computeAwarenessReach(tx *Tx, orgID int64, _ isms.Date) (float64, bool, error) {
	r, err := tx.awarenessReach(orgID)
	if err != nil || r.TotalStaff == 0 {
		return 0, false, err
	}
	low := 100
	for _, t := range isms.GuideThemes {
		c, _ := r.Total(t)
		low = min(low, c.Percent)
	}
	return float64(low), true, nil
}

// wheel_on_time: of the annual-wheel occurrences due in the last 12
// months, the share completed on or before their due date (one skipped
// with a reason counts as handled on time).
func computeWheelOnTime(tx *Tx, orgID int64, day isms.Date) (float64, bool, error) {
	from := isms.Date{Time: day.AddDate(-1, 0, 0)}
	var total, onTime int
	err := tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN (o.status = 'done' AND o.completed_on IS NOT NULL AND o.completed_on <= o.due_date)
			OR o.status = 'skipped' THEN 1 ELSE 0 END), 0)
		FROM wheel_occurrences o WHERE o.organisation_id = ? AND o.due_date >= ? AND o.due_date < ?`, orgID, from.String(), day.String()).Scan(&total, &onTime)
	if err != nil || total == 0 {
		return 0, false, err
	}
	return share(onTime, total), true, nil
}

// nonconformities_late: the open nonconformities with a corrective action
// or an effectiveness review past its date.
func computeNonconformitiesLate(tx *Tx, orgID int64, day isms.Date) (float64, bool, error) {
	n, err := tx.count(`SELECT COUNT(*) FROM nonconformities n WHERE n.organisation_id = ? AND n.closed_on IS NULL
		AND ((n.reviewed_on IS NULL AND n.review_planned_on IS NOT NULL AND n.review_planned_on < ?)
		OR EXISTS (SELECT 1 FROM nonconformity_actions a WHERE a.nonconformity_id = n.id AND a.done_on IS NULL AND a.due_on IS NOT NULL AND a.due_on < ?))`,
		orgID, day.String(), day.String())
	return float64(n), err == nil, err
}

// computeIndicators stores today's value of every active computed
// indicator of the organisation and records the breaches they make. The
// transaction holds the organisation's lock; a value of the day already
// there is replaced (the records may have changed since), and the unique
// (indicator, day) index keeps one value however many writers compute the
// day at once. Each stored value is audited, by the caller or "system".
func (tx *Tx) computeIndicators(orgID int64) (int, error) {
	day := tx.Today()
	inds, err := queryAll(tx, scanIndicator, "SELECT "+indColumns+indFrom+" WHERE i.organisation_id = ? AND i.active = 1 AND i.source = 'computed' ORDER BY i.id", orgID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ind := range inds {
		compute := computations[ind.Computation]
		if compute == nil {
			continue
		}
		value, ok, err := compute(tx, orgID, day)
		if err != nil {
			return n, fmt.Errorf("indicator %d (%s): %w", ind.ID, ind.Computation, err)
		}
		if !ok {
			continue
		}
		var actor any
		if tx.actor != nil {
			actor = tx.actor.UserID
		}
		if _, err := tx.exec(`INSERT INTO indicator_values (organisation_id, indicator_id, measured_on, value, note, source, recorded_by, created_at)
			VALUES (?, ?, ?, ?, '', 'computed', ?, ?)
			ON CONFLICT (indicator_id, measured_on) DO UPDATE SET value = excluded.value, recorded_by = excluded.recorded_by, created_at = excluded.created_at`,
			orgID, ind.ID, day.String(), value, actor, ts(tx.now)); err != nil {
			return n, err
		}
		v, err := scanIndicatorValue(tx.queryRow("SELECT "+valColumns+valFrom+" WHERE v.indicator_id = ? AND v.measured_on = ?", ind.ID, day.String()))
		if err != nil {
			return n, err
		}
		if err := tx.audit(orgID, "meas_compute", typeIndicatorValue, v.ID, nil, valueRecord(ind, v)); err != nil {
			return n, err
		}
		if err := tx.recordBreach(orgID, ind, day, value); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ComputeIndicators computes today's values now, for the coordinator who
// has just changed the records an indicator reads.
func (db *DB) ComputeIndicators(ctx context.Context, orgID int64) (*isms.ComputeResult, error) {
	n := 0
	err := db.write(ctx, "ComputeIndicators", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		n, err = tx.computeIndicators(orgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &isms.ComputeResult{Computed: n}, nil
}

// ComputeIndicatorsDaily is the daily task: in every organisation with a
// computed indicator not yet computed today, today's values. A run that
// finds the day done only reads; two instances running it at once are
// serialised by the organisation's lock, and the second finds the day
// done. It acts for no user ("system" in the audit trail).
func (db *DB) ComputeIndicatorsDaily(ctx context.Context) (int, error) {
	var orgs []int64
	err := db.read(ctx, "ComputeIndicatorsDaily", func(tx *Tx) error {
		rows, err := tx.query(`SELECT DISTINCT i.organisation_id FROM indicators i WHERE i.active = 1 AND i.source = 'computed'
			AND NOT EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator_id = i.id AND v.measured_on = ?) ORDER BY i.organisation_id`, tx.Today().String())
		if err != nil {
			return err
		}
		orgs, err = collect(rows, scanInt64)
		return err
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, orgID := range orgs {
		err := db.write(ctx, "ComputeIndicatorsDaily", func(tx *Tx) error {
			if err := tx.lockOrganisation(orgID); err != nil {
				return err
			}
			// Another instance may have computed the day meanwhile.
			left, err := tx.count(`SELECT COUNT(*) FROM indicators i WHERE i.organisation_id = ? AND i.active = 1 AND i.source = 'computed'
				AND NOT EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator_id = i.id AND v.measured_on = ?)`, orgID, tx.Today().String())
			if err != nil || left == 0 {
				return err
			}
			n, err := tx.computeIndicators(orgID)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("indicators of organisation %d: %w", orgID, err)
		}
	}
	return total, nil
}
