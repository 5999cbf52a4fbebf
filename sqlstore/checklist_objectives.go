package sqlstore

import (
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Rule for checklist question 4.1 (guide 2.4): sufficient resources are
// allocated to meet the objectives set by management, and the status of
// the work is reported to management.
func init() {
	registerRule("4.1", ruleObjectivesResourced)
}

func objectivePath(id int64) string { return "/objectives/" + strconv.FormatInt(id, 10) }

// 4.1: yes when every current objective has an owner, a measurable target
// and resources for the current budget year whose grant covers what is
// planned (at least one line, granted ≥ planned on each), and a status
// report reached management in the last 12 months. Partly names the
// objectives lacking each of these and whether the report is missing or
// stale; no when there are no current objectives.
func ruleObjectivesResourced(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	objs, err := tx.allObjectives(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	lines, err := tx.resourceLinesOfYear(orgID, today.Year())
	if err != nil {
		return nil, err
	}
	type res struct {
		lines, gaps int
		gap         []*isms.ResourceLine
	}
	byObj := map[int64]*res{}
	for _, l := range lines {
		if l.ObjectiveID == nil {
			continue
		}
		r := byObj[*l.ObjectiveID]
		if r == nil {
			r = &res{}
			byObj[*l.ObjectiveID] = r
		}
		r.lines++
		if l.Gap() {
			r.gaps++
			r.gap = append(r.gap, l)
		}
	}
	a := &isms.ChecklistAnswer{}
	var noOwner, notMeasurable, noResources, gaps []string
	current, good := 0, 0
	for _, o := range objs {
		if !o.Status.Current() {
			continue
		}
		current++
		ok := true
		if o.OwnerID == nil {
			noOwner, ok = append(noOwner, o.Title), false
		}
		if !o.Measurable() {
			notMeasurable, ok = append(notMeasurable, o.Title), false
		}
		switch r := byObj[o.ID]; {
		case r == nil:
			noResources, ok = append(noResources, o.Title), false
		case r.gaps > 0:
			gaps, ok = append(gaps, o.Title), false
			for _, l := range r.gap {
				a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeResourceLine, RecordID: l.ID, Label: o.Title + ": " + l.Title, Path: resourcePath(l.ID)})
			}
		}
		if ok {
			good++
		}
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeObjective, RecordID: o.ID, Label: o.Title, Path: objectivePath(o.ID)})
	}
	if current == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.obj_none_current"))
		return a, nil
	}
	for _, part := range []struct {
		key   string
		names []string
		year  bool
	}{{"reason.obj_no_owner", noOwner, false}, {"reason.obj_not_measurable", notMeasurable, false},
		{"reason.obj_no_resources", noResources, true}, {"reason.obj_resource_gap", gaps, true}} {
		if len(part.names) == 0 {
			continue
		}
		args := []any{strings.Join(part.names, "; ")}
		if part.year {
			args = append(args, today.Year())
		}
		a.Reasons = append(a.Reasons, isms.Msg(part.key, args...))
	}
	report, err := tx.latestStatusReport(orgID)
	if err != nil {
		return nil, err
	}
	fresh := false
	switch {
	case report == nil:
		a.Reasons = append(a.Reasons, isms.Msg("reason.obj_no_report"))
	case report.PresentedOn.Before(isms.DateOf(today.AddDate(-1, 0, 0))):
		a.Reasons = append(a.Reasons, isms.Msg("reason.obj_report_stale", report.PresentedOn.String()))
	default:
		fresh = true
	}
	if report != nil {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeStatusReport, RecordID: report.ID, Label: report.Title, Path: statusReportPath(report.ID)})
	}
	if good == current && fresh {
		a.Status = isms.AnswerYes
		a.Reasons = append(a.Reasons, isms.Msg("reason.obj_resourced", current, today.Year(), report.PresentedOn.String()))
		return a, nil
	}
	a.Status = isms.AnswerPartly
	return a, nil
}
