package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
)

// The dashboard's due items name a certification that expires within 60
// days (not one further off), a competence a role's holder still needs
// that has expired, and an overdue development plan (marked overdue); a
// completed plan leaves the list.
func TestCompetenceOnDashboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	ctx := e.as(l.coord)
	today := isms.DateOf(e.db.Now())
	soon, later, past, long := today.AddDays(40), today.AddDays(80), today.AddDays(-5), today.AddDays(-400)
	for _, in := range []isms.CompetenceInput{
		{UserID: l.coord.ID, Subject: "CISSP", Kind: isms.CompetenceCertification, Level: isms.LevelExpert, ExpiresOn: &soon},
		{UserID: l.coord.ID, Subject: "CISM", Kind: isms.CompetenceCertification, Level: isms.LevelExpert, ExpiresOn: &later},
		{UserID: l.mgmt.ID, Subject: "Ledelse af informationssikkerhed", Kind: isms.CompetenceTraining, Level: isms.LevelExpert, AchievedOn: &long, ExpiresOn: &past},
	} {
		if _, err := e.db.CreateCompetence(ctx, e.org.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	need, err := e.db.CreateCompetenceNeed(ctx, e.org.ID, isms.CompetenceNeedInput{RoleID: &l.roles[0].ID, Subject: "Ledelse af informationssikkerhed",
		Kind: isms.CompetenceTraining, Level: isms.LevelBasic})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := e.db.CreateCompetencePlan(ctx, e.org.ID, isms.CompetencePlanInput{NeedID: need.ID, UserID: l.mgmt.ID, Action: "Lederkursus i foråret",
		OwnerID: &l.coord.ID, DueOn: &past})
	if err != nil {
		t.Fatal(err)
	}
	b := e.login("reader@example.org")
	b.lang = "en"
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	page := body(b.get(o))
	for _, want := range []string{"Certification expires", "User coord@example.org: CISSP", "Expired competence the role needs",
		"User mgmt@example.org: Ledelse af informationssikkerhed (Direktionen)", "Development plan", "User mgmt@example.org: Lederkursus i foråret"} {
		if !strings.Contains(page, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "CISM") {
		t.Error("a certification 80 days off is on the dashboard")
	}
	if !strings.Contains(page, fmt.Sprintf(`<tr class="overdue"><td><time datetime="%s"`, past)) {
		t.Error("the overdue plan and the expired competence are not marked overdue")
	}
	done := today
	if _, err := e.db.UpdateCompetencePlan(ctx, e.org.ID, plan.ID, isms.CompetencePlanInput{NeedID: need.ID, UserID: l.mgmt.ID, Action: plan.Action,
		OwnerID: &l.coord.ID, DueOn: &past, CompletedOn: &done, Version: plan.Version}); err != nil {
		t.Fatal(err)
	}
	if page := body(b.get(o)); strings.Contains(page, "Lederkursus i foråret") {
		t.Error("the completed plan is still due")
	}
}
