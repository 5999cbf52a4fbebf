package sqlstore

import (
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Rule for checklist question 7.4 (guide 2.10 "Forbedring foranlediget af
// sikkerhedshændelser"): procedures ensure that security incidents are
// analysed to find improvements. Its readable statement is the catalogue
// key rule.7.4.
func init() {
	registerRule("7.4", ruleIncidentAnalysis)
}

// incidentProcedureKey is the documentation requirement the incident
// procedure fulfils: the guide's optional "Proces for håndtering af
// informationssikkerhedsbrud" (A.16.1.5, 2022: A.5.26). A document of the
// register is the procedure when it names that requirement.
const incidentProcedureKey = "incident_response"

func incidentPath(id int64) string { return "/incidents/" + strconv.FormatInt(id, 10) }

// 7.4: yes when a document fulfilling the incident procedure requirement
// has an approved or published version and its review date has not
// passed, and every incident closed in the last 12 months and flagged as a
// nonconformity has at least one nonconformity linked to it, each with its
// cause analysed, at least one corrective action and, once its planned
// effectiveness review is past, the review recorded. Partly names the
// incidents that lack any of this and says what the procedure lacks; no
// when there is no approved procedure and no incident's nonconformity has
// its cause analysed.
func ruleIncidentAnalysis(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	a := &isms.ChecklistAnswer{}
	today := tx.Today()
	procOK, err := tx.incidentProcedure(orgID, a, today)
	if err != nil {
		return nil, err
	}
	since := tx.now.AddDate(-1, 0, 0)
	type closedInc struct {
		id    int64
		title string
	}
	incs, err := queryAll(tx, func(row scanner) (closedInc, error) {
		var c closedInc
		return c, row.Scan(&c.id, &c.title)
	}, `SELECT id, title FROM incidents WHERE organisation_id = ? AND status = 'closed' AND nonconformity <> 0 AND closed_at >= ?
		ORDER BY closed_at, id`, orgID, ts(since))
	if err != nil {
		return nil, err
	}
	ncs, err := queryAll(tx, scanNonconformity, "SELECT "+ncColumns+ncFrom+
		" WHERE n.organisation_id = ? AND n.source_incident_id IS NOT NULL ORDER BY n.detected_on, n.id", orgID)
	if err != nil {
		return nil, err
	}
	if err := tx.withActions(orgID, ncs); err != nil {
		return nil, err
	}
	byIncident := map[int64][]*isms.Nonconformity{}
	analysed := 0
	for _, n := range ncs {
		byIncident[*n.SourceIncidentID] = append(byIncident[*n.SourceIncidentID], n)
		if n.RootCause != "" {
			analysed++
		}
	}
	var noNC, noCause, noAction, noReview []string
	for _, inc := range incs {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeIncident, RecordID: inc.id, Label: inc.title, Path: incidentPath(inc.id)})
		list := byIncident[inc.id]
		if len(list) == 0 {
			noNC = append(noNC, inc.title)
			continue
		}
		cause, action, review := true, true, true
		for _, n := range list {
			a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeNonconformity, RecordID: n.ID, Label: n.Title, Path: nonconformityPath(n.ID)})
			cause = cause && n.RootCause != ""
			action = action && len(n.Actions) > 0
			review = review && !(n.ReviewPlannedOn != nil && n.ReviewPlannedOn.Before(today) && n.ReviewedOn == nil)
		}
		if !cause {
			noCause = append(noCause, inc.title)
		}
		if !action {
			noAction = append(noAction, inc.title)
		}
		if !review {
			noReview = append(noReview, inc.title)
		}
	}
	for _, part := range []struct {
		key   string
		names []string
	}{{"incl.reason.no_nc", noNC}, {"incl.reason.no_cause", noCause}, {"incl.reason.no_action", noAction}, {"incl.reason.no_review", noReview}} {
		if len(part.names) > 0 {
			a.Reasons = append(a.Reasons, isms.Msg(part.key, strings.Join(part.names, "; ")))
		}
	}
	lacking := len(noNC) + len(noCause) + len(noAction) + len(noReview)
	switch {
	case procOK && lacking == 0:
		a.Status = isms.AnswerYes
		if len(incs) == 0 {
			a.Reasons = append(a.Reasons, isms.Msg("incl.reason.none_closed"))
		} else {
			a.Reasons = append(a.Reasons, isms.Msg("incl.reason.all_analysed", len(incs)))
		}
	case !procOK && analysed == 0:
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("incl.reason.no_analysis"))
	default:
		a.Status = isms.AnswerPartly
	}
	return a, nil
}

// incidentProcedure says whether the incident procedure is in force (an
// approved or published version, its review not overdue), adding its
// evidence and, when it is not, the reason to the answer.
func (tx *Tx) incidentProcedure(orgID int64, a *isms.ChecklistAnswer, today isms.Date) (bool, error) {
	ids, err := queryAll(tx, scanInt64, `SELECT d.id FROM documents d JOIN documentation_requirements r ON r.id = d.requirement_id
		WHERE d.organisation_id = ? AND r.key = ? ORDER BY d.id`, orgID, incidentProcedureKey)
	if err != nil {
		return false, err
	}
	if len(ids) == 0 {
		a.Reasons = append(a.Reasons, isms.Msg("incl.reason.procedure_missing"))
		return false, nil
	}
	docs, err := tx.allDocs(orgID, "")
	if err != nil {
		return false, err
	}
	approved, err := querySet[int64](tx, `SELECT DISTINCT v.document_id FROM document_versions v
		WHERE v.organisation_id = ? AND v.state IN ('approved', 'published')`, orgID)
	if err != nil {
		return false, err
	}
	rd := tx.docEvidenceReader(orgID)
	var reason isms.Message
	for _, d := range docs {
		if !containsID(ids, d.ID) {
			continue
		}
		switch {
		case !approved[d.ID]:
			reason = isms.Msg("incl.reason.procedure_unapproved")
		case d.ReviewOverdue(today):
			reason = isms.Msg("incl.reason.procedure_overdue", d.NextReview.String())
		default:
			a.Evidence = append(a.Evidence, docEvidence(rd, d))
			return true, nil
		}
		a.Evidence = append(a.Evidence, docEvidence(rd, d))
	}
	a.Reasons = append(a.Reasons, reason)
	return false, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
