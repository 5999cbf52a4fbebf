package sqlstore

import (
	"strconv"

	"github.com/ismsdk/isms"
)

// Rule for checklist question 7.3 (guide 2.9 "Ledelsesmæssig opfølgning"):
// is there a plan for how management takes part in following up on the
// quality of the ISMS? Clause 9.3 asks for management reviews at planned
// intervals on the inputs of 9.3.2; the plan is an activity of the annual
// wheel serving clause 9.3, and the reviews are the records.
func init() {
	registerRule("7.3", ruleManagementReview)
}

// reviewWheelActivity is the active annual-wheel activity that plans the
// management reviews (serving clause 9.3), if any.
func (tx *Tx) reviewWheelActivity(orgID int64) (*isms.Activity, error) {
	as, err := tx.wheelActiveActivities(orgID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Serves == "clause:9.3" {
			return a, nil
		}
	}
	return nil, nil
}

// 7.3: yes when the annual wheel plans the management review (an activity
// serving clause 9.3 with a coming date), a review was held within the
// plan's interval (twelve months without a plan) and its frozen pack had
// every input of clause 9.3.2, with content or declared as having nothing
// to report. Partly names what is missing; no when there is neither a
// plan nor a held review.
func ruleManagementReview(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	today := tx.Today()
	a := &isms.ChecklistAnswer{}
	act, err := tx.reviewWheelActivity(orgID)
	if err != nil {
		return nil, err
	}
	months := 12
	var next *isms.Date
	if act != nil {
		if s := act.StepMonths(); s > 0 {
			months = s
		}
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeWheelActivity, RecordID: act.ID, Label: act.Title, Path: "/wheel/activities/" + strconv.FormatInt(act.ID, 10)})
		if ds := act.DueDates(today, isms.Date{Time: today.AddDate(0, months+3, 0)}); len(ds) > 0 {
			next = &ds[0]
		}
	}
	rs, err := tx.allReviews(orgID)
	if err != nil {
		return nil, err
	}
	var held *isms.ManagementReview
	for _, r := range rs {
		if r.Status == isms.ReviewHeld && !today.Before(r.ReviewDate) {
			held = r
			break
		}
	}
	// A review planned as a record (not yet held) also shows the next one.
	if next == nil {
		for _, r := range rs {
			if r.Status != isms.ReviewHeld && !r.ReviewDate.Before(today) {
				d := r.ReviewDate
				next = &d
			}
		}
	}
	if act == nil && held == nil {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_none"))
		return a, nil
	}
	ok := true
	switch {
	case act == nil:
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_no_plan"))
	case next == nil:
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_no_next"))
	}
	switch {
	case held == nil:
		ok = false
		a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_never"))
	default:
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeManagementReview, RecordID: held.ID, Label: held.Title, Path: reviewPath(held.ID)})
		if held.ReviewDate.Before(isms.Date{Time: today.AddDate(0, -months, 0)}) {
			ok = false
			a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_stale", held.ReviewDate.String(), months))
		}
		if held.Pack == nil {
			ok = false
			a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_not_sent", held.Title))
		} else if missing := held.Pack.Missing(); len(missing) > 0 {
			ok = false
			// One reason per missing input, so each is named in the
			// reader's language.
			for _, m := range missing {
				a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_missing."+m, held.Title))
			}
		}
	}
	if ok {
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.mrev_yes", held.ReviewDate.String(), next.String()))
		return a, nil
	}
	a.Status = isms.AnswerPartly
	return a, nil
}
