package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

// Question 4.4's second route: a recurring competence review in the
// annual wheel, done on time, with every gap planned or younger than the
// last review; and the change when the next review falls overdue.
func TestChecklistCompetenceWheelRoute(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Kompetencehjul")
		at := func(day string) {
			d, err := isms.ParseDate(day)
			if err != nil {
				t.Fatal(err)
			}
			db.Now = func() time.Time { return d.Time.Add(9 * time.Hour) }
		}
		at("2026-03-01")
		ctx := as(f.coord)
		answer := func(status isms.AnswerStatus, reasons ...string) *isms.ChecklistAnswer {
			t.Helper()
			a := checklistByID(t, db.DB, f.coord, f.org.ID)["4.4"]
			if a.Status != status {
				t.Fatalf("4.4: want %s, got %s %+v", status, a.Status, a.Reasons)
			}
			for _, r := range reasons {
				if !hasReason(a, r) {
					t.Fatalf("4.4: want reason %s, got %+v", r, a.Reasons)
				}
			}
			return a
		}
		role, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Koordinator", HolderIDs: []int64{f.contrib.ID, f.reader.ID}})
		if err != nil {
			t.Fatal(err)
		}
		need, err := db.CreateCompetenceNeed(ctx, f.org.ID, isms.CompetenceNeedInput{RoleID: &role.ID, Subject: "GDPR", Kind: isms.CompetenceKnowledge,
			Level: isms.LevelBasic})
		if err != nil {
			t.Fatal(err)
		}
		// The reader's GDPR runs out before the review below, the
		// contributor's after it.
		achieved := day("2024-01-10")
		for _, c := range []struct {
			who     *isms.User
			expires string
		}{{f.reader, "2026-04-01"}, {f.contrib, "2026-05-20"}} {
			exp := day(c.expires)
			if _, err := db.CreateCompetence(ctx, f.org.ID, isms.CompetenceInput{UserID: c.who.ID, Subject: "GDPR", Kind: isms.CompetenceTraining,
				Level: isms.LevelBasic, AchievedOn: &achieved, ExpiresOn: &exp}); err != nil {
				t.Fatal(err)
			}
		}
		at("2026-06-01")
		answer(isms.AnswerNo, "reason.comp_gaps_without_plan", "reason.comp_review_missing")

		// A yearly review in the wheel; this year's is overdue.
		start := day("2025-05-15")
		act, err := db.CreateWheelActivity(ctx, f.org.ID, isms.ActivityInput{Title: "Kompetencegennemgang", Recurrence: isms.RecurYearly,
			StartDate: &start, Serves: "guide:2.5", RecordText: "Opdateret kompetencematrix", OwnerID: &f.coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		answer(isms.AnswerNo, "reason.comp_gaps_without_plan", "reason.comp_review_late")
		occ, _, err := db.WheelOccurrences(ctx, f.org.ID, isms.OccurrenceFilter{ActivityID: act.ID, Year: 2026})
		if err != nil || len(occ) != 1 {
			t.Fatal(occ, err)
		}
		// Done late: still not on time.
		late := day("2026-05-20")
		o, err := db.CompleteOccurrence(ctx, f.org.ID, occ[0].ID, isms.CompletionInput{Result: "Gennemgået", CompletedOn: &late, Version: occ[0].Version})
		if err != nil {
			t.Fatal(err)
		}
		answer(isms.AnswerNo, "reason.comp_review_late")
		onTime := day("2026-05-10")
		if _, err := db.CompleteOccurrence(ctx, f.org.ID, o.ID, isms.CompletionInput{Result: "Gennemgået", CompletedOn: &onTime, Version: o.Version}); err != nil {
			t.Fatal(err)
		}
		// On time: the contributor's gap is younger than the review; the
		// reader's is older and has no plan.
		a := answer(isms.AnswerPartly, "reason.comp_gaps_without_plan", "reason.comp_review_on_time")
		if len(a.Reasons[0].Args) == 0 || a.Reasons[0].Args[0] != f.reader.Name+": GDPR" {
			t.Fatalf("the gap without a plan: %+v", a.Reasons)
		}
		due := isms.DateOf(db.Now()).AddDays(30)
		if _, err := db.CreateCompetencePlan(ctx, f.org.ID, isms.CompetencePlanInput{NeedID: need.ID, UserID: f.reader.ID, Action: "GDPR-opfriskning",
			OwnerID: &f.coord.ID, DueOn: &due}); err != nil {
			t.Fatal(err)
		}
		a = answer(isms.AnswerYes, "reason.comp_gaps_since_review", "reason.comp_review_on_time")
		if !hasEvidence(a, "wheel_occurrence") {
			t.Fatalf("the review is not evidence: %+v", a.Evidence)
		}

		// A year on, with the plan's due date moved past it: the review
		// still holds on the day next year's falls due.
		p, _ := db.CompetencePlans(ctx, f.org.ID)
		later := day("2027-09-01")
		if _, err := db.UpdateCompetencePlan(ctx, f.org.ID, p[0].ID, isms.CompetencePlanInput{NeedID: need.ID, UserID: f.reader.ID,
			Action: "GDPR-opfriskning", OwnerID: &f.coord.ID, DueOn: &later, Version: p[0].Version}); err != nil {
			t.Fatal(err)
		}
		at("2027-05-15")
		answer(isms.AnswerYes, "reason.comp_review_on_time")
		// The next review is due on 15 May 2027 and not done: overdue the
		// day after, and the route no longer holds.
		at("2027-05-16")
		answer(isms.AnswerPartly, "reason.comp_gaps_without_plan", "reason.comp_review_late")
	})
}

func hasEvidence(a *isms.ChecklistAnswer, recordType string) bool {
	for _, e := range a.Evidence {
		if e.RecordType == recordType {
			return true
		}
	}
	return false
}

// A need's refresh interval makes an older competence a gap, and the need
// may name an active activity of the organisation's wheel, nobody else's.
func TestCompetenceRefreshers(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Genopfriskning")
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		role, err := db.CreateSecurityRole(ctx, f.org.ID, isms.SecurityRoleInput{Name: "Systemejer", HolderIDs: []int64{f.contrib.ID}})
		if err != nil {
			t.Fatal(err)
		}
		start := day("2026-03-01")
		act, err := db.CreateWheelActivity(ctx, f.org.ID, isms.ActivityInput{Title: "GDPR-kursus", Recurrence: isms.RecurYearly,
			StartDate: &start, Serves: "clause:7.2", RecordText: "Deltagerliste", OwnerID: &f.coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		other := newLeadFixture(t, db.DB, "AndetHjul")
		foreign, err := db.CreateWheelActivity(as(other.coord), other.org.ID, isms.ActivityInput{Title: "Fremmed", Recurrence: isms.RecurYearly,
			StartDate: &start, Serves: "clause:7.2", RecordText: "x", OwnerID: &other.coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		good := isms.CompetenceNeedInput{RoleID: &role.ID, Subject: "GDPR", Kind: isms.CompetenceTraining, Level: isms.LevelBasic,
			RefreshMonths: 24, WheelActivityID: &act.ID}
		for _, c := range []struct {
			change     func(in *isms.CompetenceNeedInput)
			field, key string
		}{
			{func(in *isms.CompetenceNeedInput) { in.RefreshMonths = -1 }, "refresh_months", "competence.err.refresh_months"},
			{func(in *isms.CompetenceNeedInput) { in.RefreshMonths = 121 }, "refresh_months", "competence.err.refresh_months"},
			{func(in *isms.CompetenceNeedInput) { in.WheelActivityID = &foreign.ID }, "wheel_activity_id", "err.unknown_reference"},
		} {
			in := good
			c.change(&in)
			_, err := db.CreateCompetenceNeed(ctx, f.org.ID, in)
			leadWantField(t, err, c.field, c.key)
		}
		need, err := db.CreateCompetenceNeed(ctx, f.org.ID, good)
		if err != nil || need.RefreshMonths != 24 || need.WheelActivityTitle != "GDPR-kursus" {
			t.Fatal(need, err)
		}
		// Achieved 25 months ago, with no expiry of its own: expired for
		// the need (a gap since the need was recorded, today). Achieved 23 months ago: met, and expiring within 90 days.
		old := day("2024-05-01")
		c, err := db.CreateCompetence(ctx, f.org.ID, isms.CompetenceInput{UserID: f.contrib.ID, Subject: "GDPR", Kind: isms.CompetenceTraining,
			Level: isms.LevelBasic, AchievedOn: &old})
		if err != nil {
			t.Fatal(err)
		}
		m, err := db.CompetenceMatrix(ctx, f.org.ID)
		if err != nil || len(m.Gaps) != 1 || m.Gaps[0].Status != isms.GapExpired || m.Gaps[0].Since.String() != "2026-06-01" {
			t.Fatalf("refresh due: %+v %v", m.Gaps, err)
		}
		recent := day("2024-07-01")
		if _, err := db.UpdateCompetence(ctx, f.org.ID, c.ID, isms.CompetenceInput{UserID: f.contrib.ID, Subject: "GDPR", Kind: isms.CompetenceTraining,
			Level: isms.LevelBasic, AchievedOn: &recent, Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		m, _ = db.CompetenceMatrix(ctx, f.org.ID)
		if len(m.Gaps) != 0 || m.Roles[0].Cells[0][0].Status != isms.GapExpiring {
			t.Fatalf("refreshed: %+v %+v", m.Gaps, m.Roles[0].Cells)
		}
		// Another organisation does not see the need.
		if _, err := db.CompetenceNeed(as(other.coord), f.org.ID, need.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation: %v", err)
		}
		// Retired, the activity stays linked to the need that has it but
		// cannot be newly chosen; deleted, the need keeps no link.
		act, _ = db.WheelActivity(ctx, f.org.ID, act.ID)
		ain := isms.ActivityInput{Title: act.Title, Recurrence: act.Recurrence, StartDate: &act.StartDate, Serves: act.Serves, RecordText: act.RecordText,
			OwnerID: act.OwnerID, Status: isms.ActivityRetired, Version: act.Version}
		if act, err = db.UpdateWheelActivity(ctx, f.org.ID, act.ID, ain); err != nil {
			t.Fatal(err)
		}
		upd := good
		upd.Description, upd.Version = "Årligt", need.Version
		if need, err = db.UpdateCompetenceNeed(ctx, f.org.ID, need.ID, upd); err != nil {
			t.Fatal(err)
		}
		fresh := good
		fresh.Subject = "Databeskyttelse"
		_, err = db.CreateCompetenceNeed(ctx, f.org.ID, fresh)
		leadWantField(t, err, "wheel_activity_id", "err.unknown_reference")
		if err := db.DeleteWheelActivity(ctx, f.org.ID, act.ID, act.Version); err != nil {
			t.Fatal(err)
		}
		if need, err = db.CompetenceNeed(ctx, f.org.ID, need.ID); err != nil || need.WheelActivityID != nil || need.WheelActivityTitle != "" {
			t.Fatalf("after the activity's delete: %+v %v", need, err)
		}
	})
}
