package isms_test

import (
	"testing"

	"github.com/ismsdk/isms"
)

// Who may change a record with a given owner: the table the store refuses
// by and the pages offer their edit buttons by.
func TestAccessCheckEdit(t *testing.T) {
	me, other := int64(7), int64(8)
	const (
		ok       = ""
		notOwner = "err.forbidden_not_owner"
		refused  = "err.forbidden"
	)
	for _, c := range []struct {
		access isms.Access
		owner  *int64
		want   string
	}{
		{isms.Access{Role: isms.RoleAdministrator}, &other, ok},
		{isms.Access{Role: isms.RoleAdministrator}, nil, ok},
		{isms.Access{Role: isms.RoleCoordinator}, &other, ok},
		{isms.Access{Role: isms.RoleCoordinator}, nil, ok},
		{isms.Access{Role: isms.RoleContributor}, &me, ok},
		{isms.Access{Role: isms.RoleContributor}, &other, notOwner},
		{isms.Access{Role: isms.RoleContributor}, nil, notOwner},
		{isms.Access{Role: isms.RoleManagement}, &me, refused},
		{isms.Access{Role: isms.RoleManagement}, &other, refused},
		{isms.Access{Role: isms.RoleAuditor}, &me, refused},
		{isms.Access{Role: isms.RoleReader}, &me, refused},
		{isms.Access{Role: isms.RoleReader}, nil, refused},
		{isms.Access{Oversight: true}, &me, refused},
		{isms.Access{Role: isms.RoleReader, Oversight: true}, &me, refused},
		{isms.Access{}, &me, refused},
		{isms.Access{SiteAdmin: true}, &other, ok},
		{isms.Access{SiteAdmin: true}, nil, ok},
		{isms.Access{Role: isms.RoleContributor, SiteAdmin: true}, &other, ok},
	} {
		err := c.access.CheckEdit(me, c.owner)
		got := ok
		if err != nil {
			e := isms.AsError(err)
			if e == nil || e.Code != isms.EForbidden {
				t.Fatalf("%+v: got %v, want a forbidden error", c.access, err)
			}
			got = e.Key
		}
		owner := "none"
		if c.owner != nil {
			owner = map[int64]string{me: "me", other: "another"}[*c.owner]
		}
		if got != c.want {
			t.Errorf("%+v editing a record owned by %s: got %q, want %q", c.access, owner, got, c.want)
		}
		if c.access.MayEdit(me, c.owner) != (c.want == ok) {
			t.Errorf("%+v editing a record owned by %s: MayEdit disagrees with CheckEdit", c.access, owner)
		}
	}
}

// Who counts as the member a record is assigned to.
func TestAccessAssignedTo(t *testing.T) {
	me, other := int64(7), int64(8)
	for _, c := range []struct {
		access   isms.Access
		assignee *int64
		want     bool
	}{
		{isms.Access{Role: isms.RoleReader}, &me, true},
		{isms.Access{Role: isms.RoleManagement}, &me, true},
		{isms.Access{Role: isms.RoleCoordinator}, &other, false},
		{isms.Access{Role: isms.RoleCoordinator}, nil, false},
		{isms.Access{Oversight: true}, &me, false},
		{isms.Access{SiteAdmin: true}, &me, false},
		{isms.Access{SiteAdmin: true}, &other, false},
		{isms.Access{}, &me, false},
	} {
		if got := c.access.AssignedTo(me, c.assignee); got != c.want {
			t.Errorf("%+v, assignee %v: got %v, want %v", c.access, c.assignee, got, c.want)
		}
	}
}
