package sqlstore

import (
	"strings"

	"github.com/ismsdk/isms"
)

// Rule for checklist question 7.1 (guide 2.9 "Overvågning og måling"): is
// there a plan for the ongoing self-evaluation of the ISMS? The guide asks
// for documented guidelines on methods, frequency and objects, and a
// measurement programme computed and reported according to a plan.
func init() {
	registerRule("7.1", ruleMeasurementPlan)
}

// reportIndicators are the active indicators as the status report shows
// them: the latest value with its level and its trend against the value
// before, the open breaches and whether a measurement is overdue.
func (tx *Tx) reportIndicators(orgID int64) ([]isms.ReportIndicator, error) {
	inds, err := tx.allIndicators(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	out := []isms.ReportIndicator{}
	for _, ind := range inds {
		if !ind.Active {
			continue
		}
		ri := isms.ReportIndicator{ID: ind.ID, Title: ind.Title, OwnerName: ind.OwnerName, Target: strings.TrimSpace(ind.TargetText() + " " + ind.Unit),
			LatestOn: ind.LatestOn, Level: ind.LatestLevel(), OpenBreaches: ind.OpenBreaches, Overdue: ind.Overdue(today)}
		if ind.Latest != nil {
			ri.Latest = strings.TrimSpace(ind.LatestText() + " " + ind.Unit)
			// The trend is the latest value against the one before it.
			var prev []float64
			err := tx.queryEach("SELECT value FROM indicator_values WHERE indicator_id = ? ORDER BY measured_on DESC LIMIT 2", []any{ind.ID}, func(row scanner) error {
				var v float64
				err := row.Scan(&v)
				prev = append(prev, v)
				return err
			})
			if err != nil {
				return nil, err
			}
			if len(prev) == 2 {
				ri.Trend = trend(ind.Direction, prev[1], prev[0])
			}
		}
		out = append(out, ri)
	}
	return out, nil
}

// trend says whether going from a to b is better, worse or the same.
func trend(d isms.IndicatorDirection, a, b float64) string {
	switch {
	case a == b:
		return "same"
	case (b > a) == (d == isms.HigherIsBetter):
		return "better"
	}
	return "worse"
}

// 7.1: yes when the monitoring guideline says what is monitored, by which
// method, when results are analysed and to whom they are reported how
// often; at least one indicator is active, each has an owner and none has
// missed its schedule; and a status report carrying the indicators'
// results was presented within the guideline's reporting interval. Partly
// names what is missing; no when there is neither a guideline nor an
// active indicator.
func ruleMeasurementPlan(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	g, err := tx.guideline(orgID)
	if err != nil {
		return nil, err
	}
	inds, err := tx.allIndicators(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	a := &isms.ChecklistAnswer{}
	var active int
	var late, unowned, never []string
	for _, ind := range inds {
		if !ind.Active {
			continue
		}
		active++
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeIndicator, RecordID: ind.ID, Label: ind.Title, Path: indicatorPath(ind.ID)})
		if ind.OwnerID == nil {
			unowned = append(unowned, ind.Title)
		}
		switch {
		case ind.Latest == nil:
			never = append(never, ind.Title)
		case ind.Overdue(today):
			late = append(late, ind.Title)
		}
	}
	documented := g.Documented()
	if !documented && active == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.meas_none"))
		return a, nil
	}
	ok := true
	if documented {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeMonitoringGuideline, RecordID: orgID, Label: g.Audience(), Path: "/indicators/guideline"})
	} else {
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.meas_no_guideline"))
	}
	if active == 0 {
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.meas_no_indicators"))
	}
	for _, part := range []struct {
		key   string
		names []string
	}{{"reason.meas_unowned", unowned}, {"reason.meas_never", never}, {"reason.meas_late", late}} {
		if len(part.names) > 0 {
			ok = false
			a.Reasons = append(a.Reasons, isms.Msg(part.key, strings.Join(part.names, "; ")))
		}
	}
	// The results reported: the latest status report that carried the
	// indicators, within the guideline's interval (a year without one).
	months := g.ReportMonths
	if months <= 0 {
		months = 12
	}
	reports, err := tx.statusReports(orgID, " AND s.presented_on <= ?", today.String())
	if err != nil {
		return nil, err
	}
	var reported *isms.StatusReport
	for _, r := range reports {
		if len(r.Content.Indicators) > 0 {
			reported = r
			break
		}
	}
	switch {
	case reported == nil:
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.meas_not_reported"))
	case reported.PresentedOn.Before(isms.Date{Time: today.AddDate(0, -months, 0)}):
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.meas_report_stale", reported.PresentedOn.String(), months))
	}
	if reported != nil {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeStatusReport, RecordID: reported.ID, Label: reported.Title, Path: statusReportPath(reported.ID)})
	}
	if ok {
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.meas_yes", active, reported.PresentedOn.String()))
		return a, nil
	}
	a.Status = isms.AnswerPartly
	return a, nil
}
