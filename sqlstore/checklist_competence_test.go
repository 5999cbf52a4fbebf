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

// Question 4.4 follows the development plans of the gaps.
func TestChecklistCompetencePlans(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Udviklingsplaner")
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		answer := func() *isms.ChecklistAnswer { return checklistByID(t, db.DB, f.coord, f.org.ID)["4.4"] }
		if a := answer(); a.Status != isms.AnswerNo || !hasReason(a, "reason.comp_no_needs") {
			t.Fatalf("no needs: %+v", a)
		}
		role, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Koordinator", HolderIDs: []int64{f.contrib.ID, f.reader.ID}})
		if err != nil {
			t.Fatal(err)
		}
		need, err := db.CreateCompetenceNeed(ctx, f.org.ID, isms.CompetenceNeedInput{RoleID: &role.ID, Subject: "GDPR", Kind: isms.CompetenceKnowledge, Level: isms.LevelBasic})
		if err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerNo || !hasReason(a, "reason.comp_gaps_without_plan") {
			t.Fatalf("two gaps: %+v", a)
		}
		due := isms.DateOf(db.Now()).AddDays(30)
		good := isms.CompetencePlanInput{NeedID: need.ID, UserID: f.contrib.ID, Action: "GDPR-kursus", OwnerID: &f.contrib.ID, DueOn: &due}
		// Bad input names the field; a contributor adds only plans they own.
		for _, c := range []struct {
			change     func(in *isms.CompetencePlanInput)
			field, key string
		}{
			{func(in *isms.CompetencePlanInput) { in.Action = "" }, "action", "err.required"},
			{func(in *isms.CompetencePlanInput) { in.DueOn = nil }, "due_on", "err.required"},
			{func(in *isms.CompetencePlanInput) { in.NeedID = 999999 }, "need_id", "err.unknown_reference"},
			{func(in *isms.CompetencePlanInput) { in.UserID = f.outside.ID }, "user_id", "err.not_member"},
		} {
			in := good
			c.change(&in)
			_, err := db.CreateCompetencePlan(as(f.contrib), f.org.ID, in)
			leadWantField(t, err, c.field, c.key)
		}
		notMine := good
		notMine.OwnerID = &f.coord.ID
		_, err = db.CreateCompetencePlan(as(f.contrib), f.org.ID, notMine)
		wantCode(t, err, isms.EForbidden)
		p, err := db.CreateCompetencePlan(as(f.contrib), f.org.ID, good)
		if err != nil || p.NeedSubject != "GDPR" || p.UserName != f.contrib.Name {
			t.Fatal(p, err)
		}
		if a := answer(); a.Status != isms.AnswerPartly {
			t.Fatalf("one of two gaps planned: %+v", a)
		}
		second := good
		second.UserID = f.reader.ID
		if _, err := db.CreateCompetencePlan(ctx, f.org.ID, second); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerYes || !hasReason(a, "reason.comp_gaps_planned") || len(a.Evidence) != 2 {
			t.Fatalf("both planned: %+v", a)
		}
		// A plan past its due date no longer covers its gap.
		db.Now = func() time.Time { return time.Date(2026, 7, 15, 9, 0, 0, 0, time.UTC) }
		if a := answer(); a.Status != isms.AnswerNo {
			t.Fatalf("overdue: %+v", a)
		}
		// Others see nothing; stale versions are refused.
		other := newLeadFixture(t, db.DB, "AndrePlaner")
		if _, err := db.CompetencePlan(as(other.coord), f.org.ID, p.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other org: %v", err)
		}
		in := good
		in.Version = p.Version + 1
		_, err = db.UpdateCompetencePlan(as(f.contrib), f.org.ID, p.ID, in)
		wantCode(t, err, isms.EConflict)
		if err := db.DeleteCompetencePlan(as(f.contrib), f.org.ID, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
	})
}
