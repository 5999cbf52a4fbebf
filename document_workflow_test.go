package isms_test

import (
	"reflect"
	"testing"

	"github.com/ismsdk/isms"
)

// The state machine of a version: every action from every state.
func TestVersionStateNext(t *testing.T) {
	const refused = isms.VersionState("refused")
	actions := []string{isms.TransitionSubmit, isms.TransitionApprove, isms.TransitionSendBack, isms.TransitionPublish, isms.TransitionWithdraw}
	want := map[isms.VersionState][]isms.VersionState{ // in the order of actions
		isms.VersionDraft:      {isms.VersionInReview, refused, refused, refused, isms.VersionWithdrawn},
		isms.VersionInReview:   {refused, isms.VersionApproved, isms.VersionReturned, refused, isms.VersionWithdrawn},
		isms.VersionApproved:   {refused, refused, refused, isms.VersionPublished, isms.VersionWithdrawn},
		isms.VersionPublished:  {refused, refused, refused, refused, isms.VersionWithdrawn},
		isms.VersionSuperseded: {refused, refused, refused, refused, refused},
		isms.VersionReturned:   {refused, refused, refused, refused, refused},
		isms.VersionWithdrawn:  {refused, refused, refused, refused, refused},
	}
	if len(want) != len(isms.VersionStates) {
		t.Fatalf("the table covers %d states of %d", len(want), len(isms.VersionStates))
	}
	for _, from := range isms.VersionStates {
		for i, action := range append(actions, "archive") {
			w := refused
			if i < len(actions) {
				w = want[from][i]
			}
			got, err := from.Next(action)
			if err != nil {
				e := isms.AsError(err)
				if e == nil || e.Code != isms.EInvalid || e.Key != "doc.err.transition" ||
					!reflect.DeepEqual(e.Args, []any{"doc.action." + action, "doc.state." + string(from)}) {
					t.Errorf("%s from %s: error %v", action, from, err)
				}
				got = refused
			}
			if got != w {
				t.Errorf("%s from %s: got %s, want %s", action, from, got, w)
			}
			if from.Allows(action) != (w != refused) {
				t.Errorf("%s from %s: Allows disagrees with Next", action, from)
			}
		}
	}
	// Only an open or the published version can be withdrawn; a version
	// is open until it is published or closed.
	for _, s := range isms.VersionStates {
		if s.Allows(isms.TransitionWithdraw) != (s.Open() || s == isms.VersionPublished) {
			t.Errorf("withdraw from %s", s)
		}
	}
}

// Who may take each action on a document's versions.
func TestDocumentCheckTransitionBy(t *testing.T) {
	owner, approver, other := int64(1), int64(2), int64(3)
	doc := &isms.Document{Kind: isms.DocProcedure, OwnerID: &owner, Approvers: []isms.Approver{{UserID: approver}}}
	policy := &isms.Document{Kind: isms.DocInformationSecurityPolicy, OwnerID: &owner, Approvers: []isms.Approver{{UserID: approver}}}
	contributor, coordinator := isms.Access{Role: isms.RoleContributor}, isms.Access{Role: isms.RoleCoordinator}
	management, reader := isms.Access{Role: isms.RoleManagement}, isms.Access{Role: isms.RoleReader}
	for _, c := range []struct {
		doc    *isms.Document
		action string
		access isms.Access
		user   int64
		want   string // the refusal's key, "" when allowed
	}{
		{doc, isms.TransitionSubmit, contributor, owner, ""},
		{doc, isms.TransitionSubmit, contributor, other, "err.forbidden_not_owner"},
		{doc, isms.TransitionSubmit, coordinator, other, ""},
		{doc, isms.TransitionSubmit, reader, owner, "err.forbidden"},
		{doc, isms.TransitionPublish, contributor, owner, ""},
		{doc, isms.TransitionPublish, management, approver, "err.forbidden"},
		{doc, isms.TransitionWithdraw, coordinator, other, ""},
		{doc, isms.TransitionWithdraw, contributor, approver, "err.forbidden_not_owner"},
		{doc, isms.TransitionApprove, reader, approver, ""},
		{doc, isms.TransitionApprove, coordinator, other, "doc.err.not_approver"},
		{doc, isms.TransitionApprove, coordinator, owner, "doc.err.not_approver"},
		{doc, isms.TransitionSendBack, contributor, approver, ""},
		{doc, isms.TransitionSendBack, coordinator, other, "doc.err.not_approver"},
		{policy, isms.TransitionApprove, management, approver, ""},
		{policy, isms.TransitionApprove, coordinator, approver, "doc.err.needs_management"},
		{policy, isms.TransitionApprove, isms.Access{SiteAdmin: true}, approver, "doc.err.needs_management"},
		{policy, isms.TransitionSendBack, coordinator, approver, ""},
		{doc, "archive", coordinator, owner, "err.invalid"},
	} {
		got := ""
		if e := isms.AsError(c.doc.CheckTransitionBy(c.action, c.access, c.user)); e != nil {
			got = e.Key
		}
		if got != c.want {
			t.Errorf("%s of a %s by %+v as user %d: got %q, want %q", c.action, c.doc.Kind, c.access, c.user, got, c.want)
		}
	}
	e := isms.AsError(doc.CheckTransitionBy("archive", coordinator, owner))
	if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "action" || e.Fields[0].Key != "err.choice" {
		t.Errorf("an unknown action: %v", e)
	}
}

// Sending back and withdrawing need a reason; every comment is trimmed.
func TestTransitionInputCheckComment(t *testing.T) {
	long := string(make([]rune, 5001))
	for _, c := range []struct {
		action, comment, want, trimmed string
	}{
		{isms.TransitionSubmit, "", "", ""},
		{isms.TransitionApprove, "  fine ", "", "fine"},
		{isms.TransitionSendBack, " ", "err.required", ""},
		{isms.TransitionSendBack, "Section 3 is out of date", "", "Section 3 is out of date"},
		{isms.TransitionWithdraw, "", "err.required", ""},
		{isms.TransitionPublish, "\xff", "err.bad_text", "\xff"},
		{isms.TransitionApprove, "x" + long, "err.too_long", "x" + long},
	} {
		in := isms.TransitionInput{Action: c.action, Comment: c.comment}
		got := ""
		if e := isms.AsError(in.CheckComment()); e != nil {
			if len(e.Fields) == 0 || e.Fields[0].Field != "comment" {
				t.Fatalf("%s %q: %v", c.action, c.comment, e)
			}
			got = e.Fields[0].Key
		}
		if got != c.want || in.Comment != c.trimmed {
			t.Errorf("%s %q: got %q and %q, want %q and %q", c.action, c.comment, got, in.Comment, c.want, c.trimmed)
		}
	}
}
