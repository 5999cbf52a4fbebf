package isms

import "testing"

func TestMayRecordCompetence(t *testing.T) {
	for _, c := range []struct {
		a      Access
		person int64
		want   bool
	}{
		{Access{Role: RoleReader}, 1, true},       // one's own
		{Access{Role: RoleReader}, 2, false},      // another's
		{Access{Role: RoleContributor}, 2, false}, // a contributor records only their own
		{Access{Role: RoleCoordinator}, 2, true},  // who edits the ISMS records for anyone
		{Access{Oversight: true}, 1, false},       // overseeing is not being a member
		{Access{SiteAdmin: true}, 2, true},
	} {
		if got := c.a.MayRecordCompetence(1, c.person); got != c.want {
			t.Errorf("%+v for %d: %v", c.a, c.person, got)
		}
	}
}

func TestCompetenceLevelMeets(t *testing.T) {
	if !LevelExpert.Meets(LevelPractitioner) || !LevelBasic.Meets(LevelBasic) || LevelBasic.Meets(LevelExpert) || CompetenceLevel("x").Meets(LevelBasic) {
		t.Error("levels")
	}
}

func TestBuildCompetenceMatrix(t *testing.T) {
	today, _ := ParseDate("2026-06-01")
	d := func(n int) *Date { x := today.AddDays(n); return &x }
	role := func(id int64, holders ...int64) *SecurityRole {
		r := &SecurityRole{ID: id, Name: "R"}
		for _, h := range holders {
			r.Holders = append(r.Holders, RolePerson{UserID: h, Member: h != 9})
		}
		return r
	}
	one, two := int64(1), int64(2)
	roles := []*SecurityRole{role(1, 10, 11, 9), role(2, 12), role(3)}
	needs := []*CompetenceNeed{
		{ID: 100, RoleID: &one, Subject: "ISO 27001 Lead Implementer", Level: LevelExpert},
		{ID: 101, RoleID: &one, Subject: "GDPR", Level: LevelPractitioner},
		{ID: 102, RoleID: &two, Subject: "Incident process", Level: LevelBasic},
		{ID: 103, Function: "Intern audit", Subject: "ISO 19011", Level: LevelBasic},
	}
	have := []*Competence{
		{ID: 1, UserID: 10, Subject: " iso 27001 lead implementer", Level: LevelExpert, ExpiresOn: d(30)}, // expiring, meets
		{ID: 2, UserID: 10, Subject: "GDPR", Level: LevelBasic},                                           // below level
		{ID: 3, UserID: 11, Subject: "GDPR", Level: LevelExpert, ExpiresOn: d(-1)},                        // expired
		{ID: 4, UserID: 9, Subject: "GDPR", Level: LevelExpert},                                           // left the organisation
		{ID: 5, UserID: 12, Subject: "Incident process", Level: LevelPractitioner, ExpiresOn: d(91)},      // met, not soon
	}
	m := BuildCompetenceMatrix(roles, needs, have, today)
	if len(m.Roles) != 2 || len(m.NoNeeds) != 1 || m.NoNeeds[0].ID != 3 || len(m.Functions) != 1 {
		t.Fatalf("%+v", m)
	}
	r1 := m.Roles[0]
	if len(r1.Holders) != 2 || r1.Cells[0][0].Status != GapExpiring || r1.Cells[0][1].Status != GapBelowLevel ||
		r1.Cells[1][0].Status != GapMissing || r1.Cells[1][1].Status != GapExpired {
		t.Fatalf("cells %+v", r1.Cells)
	}
	if len(r1.Unmet) != 1 || r1.Unmet[0].ID != 101 || len(m.Roles[1].Unmet) != 0 || m.Unmet() != 1 {
		t.Fatalf("unmet %+v", r1.Unmet)
	}
	if len(m.Gaps) != 3 {
		t.Fatalf("gaps %+v", m.Gaps)
	}
	if len(m.Expiring) != 2 || m.Expiring[0].ID != 3 || m.Expiring[1].ID != 1 {
		t.Fatalf("expiring %+v", m.Expiring)
	}
}
