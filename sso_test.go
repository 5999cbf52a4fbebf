package isms

import (
	"maps"
	"testing"
)

func TestMappedRoles(t *testing.T) {
	ms := []*SSORoleMapping{
		{Provider: "", ClaimValue: "staff", OrganisationID: 1, Role: RoleReader},
		{Provider: "entra", ClaimValue: "isms-admins", OrganisationID: 1, Role: RoleAdministrator},
		{Provider: "entra", ClaimValue: "auditors", OrganisationID: 2, Role: RoleAuditor},
		{Provider: "entra", ClaimValue: "mgmt", OrganisationID: 2, Role: RoleManagement},
		{Provider: "keycloak", ClaimValue: "staff", OrganisationID: 3, Role: RoleCoordinator},
	}
	for _, c := range []struct {
		name     string
		provider string
		groups   []string
		want     map[int64]Role
	}{
		{"no groups", "entra", nil, map[int64]Role{}},
		{"any provider's row", "entra", []string{"staff"}, map[int64]Role{1: RoleReader}},
		{"other provider's row ignored", "keycloak", []string{"isms-admins", "staff"}, map[int64]Role{1: RoleReader, 3: RoleCoordinator}},
		{"broadest wins", "entra", []string{"staff", "isms-admins"}, map[int64]Role{1: RoleAdministrator}},
		{"management before auditor", "entra", []string{"auditors", "mgmt"}, map[int64]Role{2: RoleManagement}},
		{"values are exact", "entra", []string{"Staff", "staff "}, map[int64]Role{}},
	} {
		if got := MappedRoles(ms, c.provider, c.groups); !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSSORoleMappingInputValidate(t *testing.T) {
	in := SSORoleMappingInput{ClaimValue: "  g  ", OrganisationID: 1, Role: RoleReader}
	if err := in.Validate(); err != nil || in.ClaimValue != "g" {
		t.Fatalf("%v %q", err, in.ClaimValue)
	}
	bad := SSORoleMappingInput{Role: "boss"}
	if e := AsError(bad.Validate()); e == nil || len(e.Fields) != 3 {
		t.Fatalf("%v", bad.Validate())
	}
}
