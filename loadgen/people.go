package loadgen

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// The organisation and its people: one member in each role and a body of
// system owners (contributors) who own systems, risks and actions. A large
// municipality has many; the register pages filter and sort by owner.

func init() { addStep(100, "organisation and people", 0, 0.01, fillPeople) }

var firstNames = []string{"Anne", "Bo", "Camilla", "Dorte", "Erik", "Frederik", "Gitte", "Hans", "Ida", "Jens", "Karen",
	"Lars", "Mette", "Niels", "Ole", "Pernille", "Rasmus", "Sanne", "Thomas", "Ulla", "Vibeke", "Anders", "Birgitte",
	"Christian", "Lone", "Morten", "Louise", "Søren", "Helle", "Kasper"}

var lastNames = []string{"Andersen", "Bech", "Christensen", "Dahl", "Eriksen", "Frandsen", "Gregersen", "Hansen",
	"Iversen", "Jensen", "Kristensen", "Larsen", "Mikkelsen", "Nielsen", "Olsen", "Pedersen", "Rasmussen", "Sørensen",
	"Thomsen", "Vestergaard", "Madsen", "Poulsen", "Knudsen", "Holm", "Lund"}

// roleAccounts are the members with one role each; the local part of the
// e-mail address says which.
var roleAccounts = []struct {
	local, name string
	role        isms.Role
}{
	{"admin", "Karsten Storm", isms.RoleAdministrator},
	{"koordinator", "Signe Vinther", isms.RoleCoordinator},
	{"direktion", "Poul Brandt", isms.RoleManagement},
	{"revisor", "Marianne Krog", isms.RoleAuditor},
	{"medarbejder", "Tobias Ravn", isms.RoleReader},
}

// owners is how many system owners an organisation of this size has.
func (g *Gen) owners() int { return max(5, min(60, g.Cfg.Assets/100)) }

func fillPeople(g *Gen) error {
	n := g.owners()
	g.Phase(len(roleAccounts) + 2*n + 3)
	// In an empty database the first account must be a site administrator;
	// the generated administrator is that account.
	first, err := g.DB.CountUsers(g.ctx)
	if err != nil {
		return err
	}
	for _, a := range roleAccounts {
		if err := g.Tick(); err != nil {
			return err
		}
		u, err := g.DB.CreateUser(g.operator, g.Email(a.local), a.name, Password, first == 0 && a.role == isms.RoleAdministrator)
		if err != nil {
			return fmt.Errorf("account %s: %w", a.local, err)
		}
		g.Users[a.role] = u
	}
	for i := 1; i <= n; i++ {
		if err := g.Tick(); err != nil {
			return err
		}
		name := g.Pick(firstNames) + " " + g.Pick(lastNames)
		u, err := g.DB.CreateUser(g.operator, g.Email(fmt.Sprintf("systemejer%02d", i)), name, Password, false)
		if err != nil {
			return fmt.Errorf("system owner %d: %w", i, err)
		}
		g.Owners = append(g.Owners, u)
	}
	g.Count("users", len(roleAccounts)+n)

	if err := g.Tick(); err != nil {
		return err
	}
	org, err := g.DB.CreateOrganisation(g.operator, isms.OrganisationInput{Name: g.OrgName()})
	if err != nil {
		return err
	}
	admin := g.Users[isms.RoleAdministrator]
	if err := g.Tick(); err != nil {
		return err
	}
	if _, err := g.DB.AddMembership(g.operator, org.ID, isms.MembershipInput{Email: admin.Email, Role: isms.RoleAdministrator}); err != nil {
		return err
	}
	for _, a := range roleAccounts[1:] {
		if err := g.Tick(); err != nil {
			return err
		}
		if _, err := g.DB.AddMembership(g.operator, org.ID, isms.MembershipInput{Email: g.Users[a.role].Email, Role: a.role}); err != nil {
			return fmt.Errorf("membership of %s: %w", a.local, err)
		}
	}
	for _, u := range g.Owners {
		if err := g.Tick(); err != nil {
			return err
		}
		if _, err := g.DB.AddMembership(g.operator, org.ID, isms.MembershipInput{Email: u.Email, Role: isms.RoleContributor}); err != nil {
			return fmt.Errorf("membership of %s: %w", u.Email, err)
		}
	}
	if err := g.Tick(); err != nil {
		return err
	}
	g.Org, err = g.DB.UpdateOrganisation(g.AsRole(isms.RoleCoordinator), org.ID, isms.OrganisationInput{
		Name: org.Name, Purpose: "Storby Kommune løser kommunens opgaver for borgere og virksomheder: velfærd, skole, " +
			"dagtilbud, beskæftigelse, teknik og miljø. Informationssikkerheden skal sikre, at borgernes oplysninger er " +
			"fortrolige, korrekte og tilgængelige, og at kommunen kan levere sine ydelser.", Version: org.Version})
	if err != nil {
		return err
	}
	g.weekly()
	g.Count("organisations", 1)
	g.Count("memberships", len(roleAccounts)+n)
	return nil
}
