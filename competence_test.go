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
