package sqlstore

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Rules for checklist questions 4.5 and 4.7 (guide 2.6): the behaviour
// policy approved by management, and recurring awareness activities that
// remind staff, planned and held on time. Their readable statements are
// the catalogue keys rule.4.5 and rule.4.7.
func init() {
	registerRule("4.5", ruleManagementApproved(isms.DocBehaviourPolicy))
	registerRule("4.7", ruleAwarenessReminders)
	registerScheduleSource(awarenessScheduledItems)
}

// awarenessScheduledItems puts the programme's one-off activities in the
// annual wheel's calendar, on the day they were held or else start; a
// recurring one is there already through its wheel activity, and a
// cancelled one is not.
func awarenessScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	var out []isms.ScheduledItem
	err := tx.queryEach(`SELECT id, title, COALESCE(held_on, starts_on), status FROM awareness_activities WHERE organisation_id = ?
		AND wheel_activity_id IS NULL AND status <> 'cancelled' AND COALESCE(held_on, starts_on) >= ? AND COALESCE(held_on, starts_on) <= ?
		ORDER BY 3, id`, []any{orgID, from.String(), to.String()}, func(row scanner) error {
		var id int64
		var title, status string
		var day isms.Date
		if err := row.Scan(&id, &title, scanDate{&day}, &status); err != nil {
			return err
		}
		out = append(out, isms.ScheduledItem{Day: day, Label: title, Kind: "awareness.calendar", Done: status == string(isms.AwarenessHeld),
			Evidence: isms.Evidence{RecordType: typeAwarenessActivity, RecordID: id, Label: title, Path: awarenessActivityPath(id)}})
		return nil
	})
	return out, err
}

func awarenessActivityPath(id int64) string {
	return "/awareness/activities/" + strconv.FormatInt(id, 10)
}

func wheelOccurrencePath(id int64) string { return "/wheel/occurrences/" + strconv.FormatInt(id, 10) }

// awarenessRecurring is one wheel activity that brings programme
// activities round, with the activities tied to it.
type awarenessRecurring struct {
	wheelID    int64
	title      string
	active     bool // active and recurring
	activities []isms.Evidence
}

// awarenessOccurrence is one occurrence of such a wheel activity.
type awarenessOccurrence struct {
	id          int64
	activityID  int64
	due         isms.Date
	status      isms.OccurrenceStatus
	completedOn *isms.Date
}

// 4.7: yes when at least one programme activity is tied to an active,
// recurring wheel activity, and every such wheel activity's occurrences
// due in the last twelve months were done on or before their due date (a
// skipped one was not held) and it has one planned in the coming twelve
// months. Partly names the late, missed and unplanned ones; no when no
// programme activity is tied to an active, recurring wheel activity.
func ruleAwarenessReminders(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	byWheel := map[int64]*awarenessRecurring{}
	var order []int64
	if err := tx.queryEach(`SELECT a.id, a.title, w.id, w.title, w.recurrence, w.status FROM awareness_activities a
		JOIN wheel_activities w ON w.id = a.wheel_activity_id WHERE a.organisation_id = ? AND a.status <> 'cancelled'
		ORDER BY w.title, w.id, a.starts_on, a.id`, []any{orgID}, func(row scanner) error {
		var aID, wID int64
		var aTitle, wTitle, recurrence, status string
		if err := row.Scan(&aID, &aTitle, &wID, &wTitle, &recurrence, &status); err != nil {
			return err
		}
		r := byWheel[wID]
		if r == nil {
			r = &awarenessRecurring{wheelID: wID, title: wTitle,
				active: status == string(isms.ActivityActive) && recurrence != string(isms.RecurAdHoc)}
			byWheel[wID] = r
			order = append(order, wID)
		}
		r.activities = append(r.activities, isms.Evidence{RecordType: typeAwarenessActivity, RecordID: aID, Label: aTitle, Path: awarenessActivityPath(aID)})
		return nil
	}); err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{Status: isms.AnswerNo}
	var recurring []*awarenessRecurring
	for _, id := range order {
		if byWheel[id].active {
			recurring = append(recurring, byWheel[id])
		}
	}
	if len(recurring) == 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.awareness_no_recurring"))
		return a, nil
	}
	today := tx.Today()
	from, to := isms.DateOf(today.AddDate(-1, 0, 0)), isms.DateOf(today.AddDate(1, 0, 0))
	ids := make([]any, 0, len(recurring)+3)
	ids = append(ids, orgID, from.String(), to.String())
	for _, r := range recurring {
		ids = append(ids, r.wheelID)
	}
	occs := map[int64][]awarenessOccurrence{}
	if err := tx.queryEach(`SELECT id, activity_id, due_date, status, completed_on FROM wheel_occurrences
		WHERE organisation_id = ? AND due_date >= ? AND due_date <= ? AND activity_id IN (`+placeholders(len(recurring))+`)
		ORDER BY due_date, id`, ids, func(row scanner) error {
		var o awarenessOccurrence
		var status string
		if err := row.Scan(&o.id, &o.activityID, scanDate{&o.due}, &status, scanDatePtr{&o.completedOn}); err != nil {
			return err
		}
		o.status = isms.OccurrenceStatus(status)
		occs[o.activityID] = append(occs[o.activityID], o)
		return nil
	}); err != nil {
		return nil, err
	}
	var late, missed, unplanned []string
	var good []isms.Evidence
	held := 0
	for _, r := range recurring {
		var problems []isms.Evidence
		planned := false
		onTime := 0
		for _, o := range occs[r.wheelID] {
			if !o.due.Before(today) {
				planned = planned || o.status != isms.OccSkipped
				continue
			}
			label := r.title + " " + o.due.String()
			ev := isms.Evidence{RecordType: typeWheelOccurrence, RecordID: o.id, Label: label, Path: wheelOccurrencePath(o.id)}
			switch {
			case o.status == isms.OccDone && o.completedOn != nil && !o.due.Before(*o.completedOn):
				onTime++
				good = append(good, ev)
			case o.status == isms.OccDone:
				late = append(late, label)
				problems = append(problems, ev)
			default:
				missed = append(missed, label)
				problems = append(problems, ev)
			}
		}
		held += onTime
		if !planned {
			unplanned = append(unplanned, r.title)
		}
		if len(problems) > 0 || !planned {
			a.Evidence = append(a.Evidence, r.activities...)
			a.Evidence = append(a.Evidence, problems...)
		}
	}
	if len(late)+len(missed)+len(unplanned) == 0 {
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.awareness_reminders_on_time", len(recurring), held))
		for _, r := range recurring {
			a.Evidence = append(a.Evidence, r.activities...)
		}
		a.Evidence = append(a.Evidence, good...)
		return a, nil
	}
	a.Status = isms.AnswerPartly
	if len(late) > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.awareness_late", strings.Join(late, "; ")))
	}
	if len(missed) > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.awareness_missed", strings.Join(missed, "; ")))
	}
	if len(unplanned) > 0 {
		slices.Sort(unplanned)
		a.Reasons = append(a.Reasons, isms.Msg("reason.awareness_unplanned", strings.Join(unplanned, "; ")))
	}
	return a, nil
}
