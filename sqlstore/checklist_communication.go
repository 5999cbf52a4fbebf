package sqlstore

import (
	"github.com/ismsdk/isms"
)

// Rules for checklist questions 5.1 and 5.2, answered from the
// communication plan (guide 2.7). Only active entries count: a draft is
// not yet an adopted guideline.
func init() {
	registerRule("5.1", ruleCommunicationGuidelines)
	registerRule("5.2", ruleCommunicationResponsibility)
}

func (tx *Tx) activeCommunication(orgID int64) ([]*isms.CommunicationEntry, error) {
	return queryAll(tx, scanCommunication, "SELECT "+commColumns+commFrom+" WHERE c.organisation_id = ? AND c.status = 'active' ORDER BY c.direction, c.what, c.id", orgID)
}

func commEvidence(e *isms.CommunicationEntry) isms.Evidence {
	return isms.Evidence{RecordType: typeCommunication, RecordID: e.ID, Label: e.What, Path: commPath(e.ID)}
}

// 5.1: guidelines for internal and external communication are adopted
// when the plan has at least one active internal and one active external
// entry, and the guide's essential cases are each covered by an active
// entry made from or tagged with the case.
func ruleCommunicationGuidelines(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	entries, err := tx.activeCommunication(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	have, want := 0, 2
	for _, dir := range isms.Directions {
		var first *isms.CommunicationEntry
		for _, e := range entries {
			if e.Direction == dir {
				first = e
				break
			}
		}
		if first == nil {
			a.Reasons = append(a.Reasons, isms.Msg("reason.comm_no_direction", "comm.dir."+string(dir)))
			continue
		}
		have++
		a.Evidence = append(a.Evidence, commEvidence(first))
	}
	for _, c := range isms.CommunicationCases {
		if !c.Essential {
			continue
		}
		want++
		var covering *isms.CommunicationEntry
		for _, e := range entries {
			if e.CaseKey == c.Key {
				covering = e
				break
			}
		}
		if covering == nil {
			a.Reasons = append(a.Reasons, isms.Msg("reason.comm_case_missing", "comm.case."+c.Key))
			continue
		}
		have++
		if !containsEvidence(a.Evidence, covering.ID) {
			a.Evidence = append(a.Evidence, commEvidence(covering))
		}
	}
	a.Status = grade(have, want)
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comm_guidelines", len(entries)))
	}
	return a, nil
}

func containsEvidence(ev []isms.Evidence, id int64) bool {
	for _, e := range ev {
		if e.RecordType == typeCommunication && e.RecordID == id {
			return true
		}
	}
	return false
}

// 5.2: responsibility for communication is assigned and communicated
// when every active entry has a responsible member who has acknowledged
// the entry as it now stands.
func ruleCommunicationResponsibility(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	entries, err := tx.activeCommunication(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if len(entries) == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.comm_empty"))
		return a, nil
	}
	have, unassigned, unacknowledged := 0, 0, 0
	for _, e := range entries {
		switch {
		case e.ResponsibleID == nil || !e.ResponsibleMember:
			unassigned++
		case !e.Acknowledged():
			unacknowledged++
		default:
			have++
			a.Evidence = append(a.Evidence, commEvidence(e))
		}
	}
	if unassigned > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comm_unassigned", unassigned))
	}
	if unacknowledged > 0 {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comm_unacknowledged", unacknowledged))
	}
	a.Status = grade(have, len(entries))
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.comm_acknowledged", have))
	}
	return a, nil
}
