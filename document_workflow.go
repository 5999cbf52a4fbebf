package isms

import (
	"slices"
	"strings"
)

// A version's way through review and approval (guide 2.8, clause 7.5.2
// and 7.5.3): written as a draft, sent to its named approvers, approved by
// every one of them or sent back, published, and superseded by the next
// published version or withdrawn.

// versionStep is what one action does: the states it may leave and the
// state it leads to.
type versionStep struct {
	from []VersionState
	to   VersionState
}

// versionSteps is the one table of the state machine. Publishing also
// supersedes the version published before; approving leads to approved
// only once every named approver has approved the same content, and
// leaves the version in review until then.
var versionSteps = map[string]versionStep{
	TransitionSubmit:   {[]VersionState{VersionDraft}, VersionInReview},
	TransitionApprove:  {[]VersionState{VersionInReview}, VersionApproved},
	TransitionSendBack: {[]VersionState{VersionInReview}, VersionReturned},
	TransitionPublish:  {[]VersionState{VersionApproved}, VersionPublished},
	TransitionWithdraw: {[]VersionState{VersionDraft, VersionInReview, VersionApproved, VersionPublished}, VersionWithdrawn},
}

// Allows reports whether action applies to a version in state s; the
// pages offer only those.
func (s VersionState) Allows(action string) bool {
	step, ok := versionSteps[action]
	return ok && slices.Contains(step.from, s)
}

// Next is the state action takes a version in state s to. An action that
// does not apply to s is refused, naming both.
func (s VersionState) Next(action string) (VersionState, error) {
	if !s.Allows(action) {
		return s, Errorf(EInvalid, "doc.err.transition", "doc.action."+action, "doc.state."+string(s))
	}
	return versionSteps[action].to, nil
}

// CheckTransitionBy decides whether the caller (access a, user id user)
// may take action on the document's versions, whatever the version's
// state: submitting, publishing and withdrawing are for whoever may edit
// the document; approving and sending back are for its named approvers,
// and approving a document that needs management's approval (guide 2.2)
// for an approver who approves on management's behalf. An unknown action
// is a wrong choice of the field action.
func (d *Document) CheckTransitionBy(action string, a Access, user int64) error {
	switch action {
	case TransitionSubmit, TransitionPublish, TransitionWithdraw:
		return a.CheckEdit(user, d.OwnerID)
	case TransitionApprove, TransitionSendBack:
		if !slices.Contains(d.ApproverIDs(), user) {
			return Errorf(EForbidden, "doc.err.not_approver")
		}
		if action == TransitionApprove && d.Kind.NeedsManagementApproval() && !a.Role.Can(PermApprove) {
			return Errorf(EForbidden, "doc.err.needs_management")
		}
		return nil
	}
	var v Validation
	v.Add("action", "err.choice")
	return v.Err()
}

// CheckComment trims the comment and checks it: sending back and
// withdrawing say why.
func (in *TransitionInput) CheckComment() error {
	in.Comment = strings.TrimSpace(in.Comment)
	var v Validation
	v.CheckText("comment", in.Comment, 5000)
	if (in.Action == TransitionSendBack || in.Action == TransitionWithdraw) && in.Comment == "" {
		v.Add("comment", "err.required")
	}
	return v.Err()
}
