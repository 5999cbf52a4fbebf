package sqlstore

import (
	"github.com/ismsdk/isms"
)

// 2.4 can be documented two ways: as a document of kind "roles and
// responsibilities" approved by management (documents element), or as the
// roles, holders and responsibility matrix kept as data and approved by
// management as a whole (leadership element). Either answers yes.
func ruleRolesResponsibilities(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	a, err := ruleManagementApproved(isms.DocRolesResponsibilities)(tx, orgID)
	if err != nil || a.Status == isms.AnswerYes {
		return a, err
	}
	l, err := tx.rolesList(orgID)
	if err != nil {
		return nil, err
	}
	ev := isms.Evidence{RecordType: "roles_list", RecordID: orgID, Label: "roles_list", Path: "/leadership/roles"}
	switch {
	case l.Approved():
		return &isms.ChecklistAnswer{Status: isms.AnswerYes, Evidence: []isms.Evidence{ev},
			Reasons: []isms.Message{isms.Msg("reason.roles_list_approved", l.ApprovedByName, l.ApprovedAt.Format(isms.DateLayout))}}, nil
	case len(l.Roles) > 0:
		a.Evidence = append(a.Evidence, ev)
		a.Reasons = append(a.Reasons, isms.Msg("reason.roles_list_unapproved"))
		if a.Status == isms.AnswerNo {
			a.Status = isms.AnswerPartly
		}
	}
	return a, nil
}
