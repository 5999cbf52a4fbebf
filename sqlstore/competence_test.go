package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
)

var compTables = []string{"competence_needs"}

func TestCompetenceNeeds(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Kompetence")
		ctx := as(f.coord)
		role, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Informationssikkerhedskoordinator", HolderIDs: []int64{f.contrib.ID}})
		if err != nil {
			t.Fatal(err)
		}
		good := isms.CompetenceNeedInput{RoleID: &role.ID, Subject: "ISO 27001 Lead Implementer", Kind: isms.CompetenceCertification,
			Level: isms.LevelExpert, Description: "Certificeret inden for et år"}

		// Bad input is refused with the field named; nothing is stored.
		other := newLeadFixture(t, db.DB, "AndenKompetence")
		otherRole, err := db.CreateSecurityRole(as(other.coord), other.org.ID, isms.SecurityRoleInput{Name: "Systemejer"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name       string
			change     func(in *isms.CompetenceNeedInput)
			field, key string
		}{
			{"no subject", func(in *isms.CompetenceNeedInput) { in.Subject = " " }, "subject", "err.required"},
			{"neither role nor function", func(in *isms.CompetenceNeedInput) { in.RoleID = nil }, "role_id", "competence.err.role_or_function"},
			{"both role and function", func(in *isms.CompetenceNeedInput) { in.Function = "Intern audit" }, "function", "competence.err.role_and_function"},
			{"another organisation's role", func(in *isms.CompetenceNeedInput) { in.RoleID = &otherRole.ID }, "role_id", "err.unknown_reference"},
			{"bad kind", func(in *isms.CompetenceNeedInput) { in.Kind = "hobby" }, "kind", "err.choice"},
			{"no level", func(in *isms.CompetenceNeedInput) { in.Level = "" }, "level", "err.required"},
			{"bad level", func(in *isms.CompetenceNeedInput) { in.Level = "guru" }, "level", "err.choice"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, compTables, func() error {
				_, err := db.CreateCompetenceNeed(ctx, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}

		n, err := db.CreateCompetenceNeed(ctx, f.org.ID, good)
		if err != nil || n.RoleName != role.Name || n.Holder() != role.Name || n.Level != isms.LevelExpert || n.Version != 1 {
			t.Fatal(n, err)
		}
		fn, err := db.CreateCompetenceNeed(ctx, f.org.ID, isms.CompetenceNeedInput{Function: " Intern audit ", Subject: "ISO 19011",
			Kind: isms.CompetenceKnowledge, Level: isms.LevelPractitioner})
		if err != nil || fn.Function != "Intern audit" || fn.RoleID != nil || fn.Holder() != "Intern audit" {
			t.Fatal(fn, err)
		}
		all, err := db.CompetenceNeeds(as(f.reader), f.org.ID)
		if err != nil || len(all) != 2 || all[0].ID != n.ID || all[1].ID != fn.ID {
			t.Fatalf("needs %v %v", all, err)
		}

		// Only those who edit the whole ISMS set needs.
		for _, u := range []*isms.User{f.contrib, f.mgmt, f.auditor, f.reader} {
			leadUnchanged(t, db, f.org.ID, compTables, func() error {
				_, err := db.CreateCompetenceNeed(as(u), f.org.ID, good)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
			in := good
			in.Version = n.Version
			_, err := db.UpdateCompetenceNeed(as(u), f.org.ID, n.ID, in)
			wantCode(t, err, isms.EForbidden)
			wantCode(t, db.DeleteCompetenceNeed(as(u), f.org.ID, n.ID, n.Version), isms.EForbidden)
		}
		// Another organisation's members see and change nothing.
		if _, err := db.CompetenceNeed(as(other.coord), f.org.ID, n.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation read: %v", err)
		}
		if _, err := db.CompetenceNeeds(as(other.coord), f.org.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation list: %v", err)
		}
		if _, err := db.CompetenceNeed(as(other.coord), other.org.ID, n.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("read through own organisation: %v", err)
		}
		if err := db.DeleteCompetenceNeed(as(other.coord), other.org.ID, n.ID, n.Version); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("delete through own organisation: %v", err)
		}

		// Changes refuse a stale version and are audited.
		in := good
		in.Level, in.Version = isms.LevelPractitioner, n.Version
		up, err := db.UpdateCompetenceNeed(ctx, f.org.ID, n.ID, in)
		if err != nil || up.Level != isms.LevelPractitioner || up.Version != 2 {
			t.Fatal(up, err)
		}
		leadUnchanged(t, db, f.org.ID, compTables, func() error {
			_, err := db.UpdateCompetenceNeed(ctx, f.org.ID, n.ID, in)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		events, _, _ := db.AuditEvents(asSystem(), f.org.ID, isms.AuditFilter{RecordType: "competence_need", RecordID: n.ID})
		if len(events) != 2 || events[0].Action != "update" {
			t.Fatalf("audit %+v", events)
		}

		// A role with needs is not deleted from under them.
		wantCode(t, db.DeleteSecurityRole(ctx, f.org.ID, role.ID, role.Version), isms.EConflict)
		wantCode(t, db.DeleteCompetenceNeed(ctx, f.org.ID, n.ID, n.Version), isms.EConflict)
		if err := db.DeleteCompetenceNeed(ctx, f.org.ID, n.ID, up.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CompetenceNeed(ctx, f.org.ID, n.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("deleted need: %v", err)
		}
		if err := db.DeleteSecurityRole(ctx, f.org.ID, role.ID, role.Version); err != nil {
			t.Fatal(err)
		}
	})
}
