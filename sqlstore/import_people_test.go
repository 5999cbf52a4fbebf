package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// An owner as registers write it: the e-mail, the full name in any case or
// spacing, with or without its accents or Danish letters, "Efternavn,
// Fornavn", or the title of the security role the person holds. A name
// or role that means several people finds no one, with the reason; a
// person of another organisation is not found.
func TestImportPeopleFindsOwnersByNameAndRole(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "people")
		named := func(email, name string) *isms.User {
			u, err := db.CreateUser(asSystem(), email, name, "correct horse battery", false)
			if err != nil {
				t.Fatal(err)
			}
			mustMember(t, db, f.org, u, isms.RoleContributor)
			return u
		}
		soren := named("soren@people.example", "Søren Ærø-Ågård")
		mette := named("mette@people.example", "Mette Hansen")
		named("jens1@people.example", "Jens Jensen")
		named("jens2@people.example", "jens  jensen")
		other := newLeadFixture(t, db, "people-other")
		stranger, err := db.CreateUser(asSystem(), "anna@people-other.example", "Anna Andersen", "correct horse battery", false)
		if err != nil {
			t.Fatal(err)
		}
		mustMember(t, db, other.org, stranger, isms.RoleContributor)
		for _, r := range []isms.SecurityRoleInput{
			{Name: "IT-chef", Description: "Leder IT-driften", HolderIDs: []int64{mette.ID}},
			{Name: "Systemejer", Description: "Ejer et system", HolderIDs: []int64{mette.ID, soren.ID}},
			{Name: "Databeskyttelsesrådgiver", Description: "DPO"},
		} {
			if _, err := db.CreateSecurityRole(as(f.coord), f.org.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			cell string
			want int64
			why  string
		}{
			{"soren@people.example", soren.ID, ""},
			{" SOREN@people.example ", soren.ID, ""},
			{"Søren Ærø <soren@people.example>", soren.ID, ""},
			{"Søren Ærø-Ågård", soren.ID, ""},
			{"soren aero agard", soren.ID, ""},
			{"Ærø-Ågård, Søren", soren.ID, ""},
			{"  mette   HANSEN ", mette.ID, ""},
			{"Hansen, Mette", mette.ID, ""},
			{"Hansen Mette", mette.ID, ""},
			{"IT-chef", mette.ID, ""},
			{"it chef", mette.ID, ""},
			{"Jens Jensen", 0, "imp.err.person_ambiguous"},
			{"Systemejer", 0, "imp.err.person_role_ambiguous"},
			{"Databeskyttelsesrådgiver", 0, "imp.err.person_role_empty"},
			{"Anna Andersen", 0, "imp.err.person_unknown"},
			{"anna@people-other.example", 0, "imp.err.person_unknown"},
			{"Kommunaldirektøren", 0, "imp.err.person_unknown"},
		} {
			id, display, why, err := db.FindImportPerson(asSystem(), f.org.ID, c.cell)
			if err != nil {
				t.Fatal(err)
			}
			if id != c.want || why != c.why {
				t.Errorf("%q: %d %q %q, want %d %q", c.cell, id, display, why, c.want, c.why)
			}
		}
		if _, display, _, _ := db.FindImportPerson(asSystem(), f.org.ID, "IT-chef"); display != "Mette Hansen (IT-chef)" {
			t.Errorf("display %q", display)
		}
	})
}
