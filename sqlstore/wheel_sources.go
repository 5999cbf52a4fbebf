package sqlstore

import (
	"fmt"
	"sort"

	"github.com/ismsdk/isms"
)

// The annual wheel reports to the management topics (guide 2.2): every
// completed occurrence is an occasion on which management dealt with the
// topics its activity is tagged with, every open one still due an occasion
// planned. Checklist questions 2.1 and 2.2 read these.
func init() {
	registerTopicSource("topic.source.wheel", "topic.source.wheel.planned", wheelTopicActivities)
}

// How far back and ahead the wheel reports: a year each way is what the
// rules ask about, with a margin.
const (
	wheelTopicReachBack  = -13 // months
	wheelTopicReachAhead = 13
)

func wheelTopicActivities(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	today := tx.Today()
	from, to := isms.DateOf(tx.now.AddDate(0, wheelTopicReachBack, 0)), isms.DateOf(tx.now.AddDate(0, wheelTopicReachAhead, 0))
	occ, err := tx.wheelOccurrencesBetween(orgID, from, to)
	if err != nil {
		return nil, err
	}
	// A completion recorded for an occurrence due long ago still counts on
	// the day it was done.
	done, err := tx.wheelQueryOccurrences(orgID, " WHERE o.organisation_id = ? AND o.status = 'done' AND o.completed_on >= ? AND o.due_date < ?",
		orgID, from.String(), from.String())
	if err != nil {
		return nil, err
	}
	occ = append(occ, done...)
	var out []isms.TopicActivity
	for _, o := range occ {
		var act isms.TopicActivity
		switch {
		case o.Status == isms.OccDone && o.CompletedOn != nil:
			act = isms.TopicActivity{Day: *o.CompletedOn, Done: true}
		case o.Status.Open() && !o.DueDate.Before(today):
			act = isms.TopicActivity{Day: o.DueDate}
		default:
			continue // skipped, or overdue: neither dealt with nor planned
		}
		act.Label = o.ActivityTitle
		act.Evidence = wheelOccurrenceEvidence(o)
		for _, t := range o.Topics {
			a := act
			a.Topic = t
			out = append(out, a)
		}
	}
	return out, nil
}

// wheelOccurrenceEvidence points at an occurrence's page, or at its activity's
// page for an occurrence of a year not laid out yet.
func wheelOccurrenceEvidence(o *isms.Occurrence) isms.Evidence {
	label := o.ActivityTitle + " " + o.DueDate.String()
	if o.ID == 0 {
		return isms.Evidence{RecordType: typeWheelActivity, RecordID: o.ActivityID, Label: label, Path: fmt.Sprintf("/wheel/activities/%d", o.ActivityID)}
	}
	return isms.Evidence{RecordType: typeWheelOccurrence, RecordID: o.ID, Label: label, Path: fmt.Sprintf("/wheel/occurrences/%d", o.ID)}
}

// wheelOccurrencesBetween returns the occurrences due between two days:
// the stored ones in years laid out, and for the other years the ones the
// activities' rules give (with id 0), so a year nobody has opened yet still
// counts as planned.
func (tx *Tx) wheelOccurrencesBetween(orgID int64, from, to isms.Date) ([]*isms.Occurrence, error) {
	out, err := tx.wheelQueryOccurrences(orgID, " WHERE o.organisation_id = ? AND o.due_date >= ? AND o.due_date <= ? ORDER BY o.due_date, a.title, o.id",
		orgID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	years, err := tx.wheelOpenYears(orgID)
	if err != nil {
		return nil, err
	}
	var missing []int
	for y := from.Year(); y <= to.Year(); y++ {
		if !years[y] {
			missing = append(missing, y)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	acts, err := tx.wheelActiveActivities(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	for _, y := range missing {
		ys, ye := wheelYearBounds(y)
		if ys.Before(from) {
			ys = from
		}
		if to.Before(ye) {
			ye = to
		}
		for _, a := range acts {
			for _, d := range a.DueDates(ys, ye) {
				out = append(out, wheelProjectedOccurrence(a, d, today))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueDate.Before(out[j].DueDate) })
	return out, nil
}

func wheelProjectedOccurrence(a *isms.Activity, d, today isms.Date) *isms.Occurrence {
	return &isms.Occurrence{OrganisationID: a.OrganisationID, ActivityID: a.ID, ActivityTitle: a.Title, OwnerID: a.OwnerID, OwnerName: a.OwnerName,
		Topics: a.Topics, RecordText: a.RecordText, PlannedDate: d, DueDate: d, Status: isms.OccPlanned, Overdue: d.Before(today)}
}

// wheelActiveActivities reads the active activities with their topics.
func (tx *Tx) wheelActiveActivities(orgID int64) ([]*isms.Activity, error) {
	return tx.wheelQueryActivities(orgID, " WHERE a.organisation_id = ? AND a.status = 'active' ORDER BY a.id", orgID)
}

// wheelQueryActivities reads the activities that rest selects (the WHERE
// clause and what follows it, over wheelActivityFrom), with their topics.
func (tx *Tx) wheelQueryActivities(orgID int64, rest string, args ...any) ([]*isms.Activity, error) {
	acts, err := queryAll(tx, scanWheelActivity, "SELECT "+wheelActivityColumns+wheelActivityFrom+rest, args...)
	if err != nil {
		return nil, err
	}
	topics, err := tx.wheelActivityTopics(orgID)
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		if t := topics[a.ID]; t != nil {
			a.Topics = t
		}
	}
	return acts, nil
}
