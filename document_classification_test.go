package isms_test

import (
	"testing"

	"github.com/ismsdk/isms"
)

// Which role reads which classification by role alone.
func TestClassificationReadableBy(t *testing.T) {
	classes := []isms.Classification{isms.ClassUnset, isms.ClassPublic, isms.ClassInternal, isms.ClassConfidential, isms.ClassSecret}
	for _, c := range []struct {
		access isms.Access
		want   []bool // in the order of classes
	}{
		{isms.Access{SiteAdmin: true}, []bool{true, true, true, true, true}},
		{isms.Access{Role: isms.RoleAdministrator}, []bool{true, true, true, true, true}},
		{isms.Access{Role: isms.RoleCoordinator}, []bool{true, true, true, true, true}},
		{isms.Access{Role: isms.RoleManagement}, []bool{true, true, true, true, true}},
		{isms.Access{Role: isms.RoleContributor}, []bool{true, true, true, true, false}},
		{isms.Access{Role: isms.RoleAuditor}, []bool{true, true, true, true, false}},
		{isms.Access{Role: isms.RoleReader}, []bool{true, true, true, false, false}},
		{isms.Access{Oversight: true}, []bool{true, true, true, false, false}},
		{isms.Access{Role: isms.RoleAuditor, Oversight: true}, []bool{true, true, true, true, false}},
		{isms.Access{Role: isms.RoleReader, SiteAdmin: true}, []bool{true, true, true, true, true}},
	} {
		if len(isms.Classifications)+1 != len(classes) {
			t.Fatal("a classification is missing from the table")
		}
		for i, cl := range classes {
			if got := cl.ReadableBy(c.access); got != c.want[i] {
				t.Errorf("%+v reading %q: got %v, want %v", c.access, cl, got, c.want[i])
			}
		}
	}
}

// A document's owner and approvers read it whatever its classification.
func TestDocumentReadableBy(t *testing.T) {
	owner, approver, other := int64(1), int64(2), int64(3)
	reader := isms.Access{Role: isms.RoleReader}
	for _, c := range []struct {
		class isms.Classification
		user  int64
		want  bool
	}{
		{isms.ClassInternal, other, true},
		{isms.ClassConfidential, other, false},
		{isms.ClassConfidential, owner, true},
		{isms.ClassSecret, approver, true},
		{isms.ClassSecret, owner, true},
		{isms.ClassSecret, other, false},
	} {
		d := &isms.Document{Classification: c.class, OwnerID: &owner, Approvers: []isms.Approver{{UserID: approver}}}
		if got := d.ReadableBy(reader, c.user); got != c.want {
			t.Errorf("a reader, user %d, reading a %s document: got %v, want %v", c.user, c.class, got, c.want)
		}
	}
	if (&isms.Document{Classification: isms.ClassSecret}).ReadableBy(isms.Access{Role: isms.RoleContributor}, 0) {
		t.Error("a secret document without owner is read by a contributor")
	}
}
