package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// Questions 4.2 and 4.3 follow the needs and what the holders have.
func TestChecklistCompetence(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Kompetenceregler")
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		want := func(q string, status isms.AnswerStatus, reason string) {
			t.Helper()
			a := checklistByID(t, db.DB, f.coord, f.org.ID)[q]
			if a.Status != status || (reason != "" && !hasReason(a, reason)) {
				t.Fatalf("%s: %s %+v", q, a.Status, a.Reasons)
			}
		}
		want("4.2", isms.AnswerNo, "reason.comp_no_roles")
		coordRole, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Koordinator", HolderIDs: []int64{f.contrib.ID}})
		if err != nil {
			t.Fatal(err)
		}
		owner, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Systemejer", HolderIDs: []int64{f.reader.ID}})
		if err != nil {
			t.Fatal(err)
		}
		want("4.3", isms.AnswerNo, "reason.comp_no_needs")
		if _, err := db.CreateCompetenceNeed(ctx, f.org.ID, isms.CompetenceNeedInput{RoleID: &coordRole.ID, Subject: "ISO 27001 Lead Implementer",
			Kind: isms.CompetenceCertification, Level: isms.LevelPractitioner}); err != nil {
			t.Fatal(err)
		}
		want("4.2", isms.AnswerPartly, "reason.comp_roles_without_needs")
		want("4.3", isms.AnswerNo, "reason.comp_unmet")
		if _, err := db.CreateCompetenceNeed(ctx, f.org.ID, isms.CompetenceNeedInput{RoleID: &owner.ID, Subject: "Hændelsesprocessen",
			Kind: isms.CompetenceKnowledge, Level: isms.LevelBasic}); err != nil {
			t.Fatal(err)
		}
		want("4.2", isms.AnswerYes, "reason.comp_needs_recorded")
		exp := isms.DateOf(db.Now()).AddDays(10)
		cert, err := db.CreateCompetence(as(f.contrib), f.org.ID, isms.CompetenceInput{UserID: f.contrib.ID, Subject: "ISO 27001 Lead Implementer",
			Kind: isms.CompetenceCertification, Level: isms.LevelExpert, ExpiresOn: &exp})
		if err != nil {
			t.Fatal(err)
		}
		want("4.3", isms.AnswerPartly, "reason.comp_unmet")
		if _, err := db.CreateCompetence(as(f.reader), f.org.ID, isms.CompetenceInput{UserID: f.reader.ID, Subject: "hændelsesprocessen",
			Kind: isms.CompetenceTraining, Level: isms.LevelBasic}); err != nil {
			t.Fatal(err)
		}
		want("4.3", isms.AnswerYes, "reason.comp_all_met")
		m, err := db.CompetenceMatrix(as(f.reader), f.org.ID)
		if err != nil || len(m.Expiring) != 1 || m.Expiring[0].ID != cert.ID || len(m.Gaps) != 0 {
			t.Fatalf("matrix %+v %v", m, err)
		}
		// The certification expires: the kept answer follows the day.
		db.Now = func() time.Time { return time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC) }
		want("4.3", isms.AnswerPartly, "reason.comp_unmet")
		other := newLeadFixture(t, db.DB, "AndreRegler")
		if _, err := db.CompetenceMatrix(as(other.coord), f.org.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation: %v", err)
		}
	})
}
