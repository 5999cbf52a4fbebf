package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
)

// BenchmarkSoAPageWith20000Risks measures the SoA listing (what the SoA
// page reads) for an organisation whose risk register links 20,000 risks
// to controls, three each: a constant number of queries, the risks
// counted per control in one grouped query.
//
//	go test ./sqlstore/ -run XXX -bench SoAPage
func BenchmarkSoAPageWith20000Risks(b *testing.B) {
	db := openSQLiteRaw(b)
	mustUserB := func(email string) *isms.User {
		u, err := db.CreateUser(asSystem(), email, email, "correct horse battery", false)
		if err != nil {
			b.Fatal(err)
		}
		return u
	}
	u := mustUserB("coord@example.org")
	org, err := db.CreateOrganisation(asSystem(), isms.OrganisationInput{Name: "Stor kommune"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.AddMembership(asSystem(), org.ID, isms.MembershipInput{Email: u.Email, Role: isms.RoleCoordinator}); err != nil {
		b.Fatal(err)
	}
	first := db.int(b, "SELECT MIN(id) FROM controls")
	tx, err := db.raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for r := int64(1); r <= 20000; r++ {
		for k := int64(0); k < 3; k++ {
			if _, err := tx.Exec("INSERT INTO record_links (organisation_id, from_type, from_id, to_type, to_id) VALUES (?, 'risk', ?, 'control', ?)",
				org.ID, r, first+(r*7+k*31)%93); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.exec(b, "ANALYZE")
	ctx := as(u)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := db.SoA(ctx, org.ID, isms.SoAFilter{})
		if err != nil || s.Summary.Total != 93 {
			b.Fatal(s, err)
		}
	}
}
