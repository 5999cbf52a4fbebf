package sqlstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

func answer73(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64) *isms.ChecklistAnswer {
	t.Helper()
	return checklistByID(t, db, u, orgID)["7.3"]
}

// TestManagementReview: a review's pack assembled live, frozen with its
// checksum when sent (later records do not change it, a new draft's do),
// the role checks and refusals, the decisions with their follow-up and
// topics, and rule 7.3 following the records.
func TestManagementReview(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Review")
		other := newLeadFixture(t, db.DB, "ReviewOther")
		now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		coord, mgmt := as(f.coord), as(f.mgmt)
		if a := answer73(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerNo || reasonKeys(a) != "reason.mrev_none" {
			t.Fatalf("nothing: %s %v", a.Status, a.Reasons)
		}

		day := mustDate("2026-09-28")
		in := isms.ManagementReviewInput{Title: "Ledelsens evaluering 2026", ReviewDate: &day, ThreatLandscape: "Flere phishing-angreb mod kommuner."}
		for _, c := range []struct {
			name       string
			change     func(in *isms.ManagementReviewInput)
			field, key string
		}{
			{"no title", func(in *isms.ManagementReviewInput) { in.Title = " " }, "title", "err.required"},
			{"no date", func(in *isms.ManagementReviewInput) { in.ReviewDate = nil }, "review_date", "err.required"},
			{"unknown input", func(in *isms.ManagementReviewInput) { in.NothingToReport = []string{"weather"} }, "nothing_to_report", "err.choice"},
			{"unknown forum", func(in *isms.ManagementReviewInput) { x := int64(999999); in.ForumID = &x }, "forum_id", "err.unknown_reference"},
		} {
			bad := in
			c.change(&bad)
			_, err := db.CreateManagementReview(coord, f.org.ID, bad)
			leadWantField(t, err, c.field, c.key)
		}
		wantCode(t, func() error { _, err := db.CreateManagementReview(as(f.reader), f.org.ID, in); return err }(), isms.EForbidden)
		wantCode(t, func() error { _, err := db.CreateManagementReview(as(other.coord), f.org.ID, in); return err }(), isms.ENotFound)
		if rs, _ := db.ManagementReviews(coord, f.org.ID); len(rs) != 0 {
			t.Fatalf("refused writes left %d reviews", len(rs))
		}
		r, err := db.CreateManagementReview(coord, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, func() error { _, err := db.ManagementReview(as(other.coord), f.org.ID, r.ID); return err }(), isms.ENotFound)
		wantCode(t, func() error { _, err := db.ManagementReview(as(other.coord), other.org.ID, r.ID); return err }(), isms.ENotFound)

		// The live pack: the threat landscape is there, the improvements
		// are not until one is recorded.
		p, err := db.ManagementReviewPack(as(f.reader), f.org.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Present(isms.InputThreats) || p.Present(isms.InputImprovement) || p.Present(isms.InputFeedback) {
			t.Fatalf("live pack: missing %v", p.Missing())
		}
		if _, err := db.CreateImprovement(coord, f.org.ID, isms.ImprovementInput{Title: "Automatisk patchning", Area: isms.ImpTechnology, Status: isms.ImpProposed, OwnerID: &f.coord.ID}); err != nil {
			t.Fatal(err)
		}
		if p, err = db.ManagementReviewPack(as(f.reader), f.org.ID, r.ID); err != nil || len(p.Improvements) != 1 {
			t.Fatalf("improvement in live pack: %v %+v", err, p)
		}
		// Nothing to report on the inputs without records; the feedback.
		in.NothingToReport = []string{isms.InputAudit, isms.InputPreviousActions, isms.InputNonconformities, isms.InputMeasurement,
			isms.InputObjectives, isms.InputRisk, isms.InputAudit}
		in.Feedback, in.Version = "Borgerpanelet ønsker bedre information om databrud.", r.Version
		if r, err = db.UpdateManagementReview(coord, f.org.ID, r.ID, in); err != nil {
			t.Fatal(err)
		}
		if strings.Join(r.NothingToReport, ",") != "previous_actions,nonconformities,measurement,audit,objectives,risk" {
			t.Fatalf("nothing to report kept as %v", r.NothingToReport)
		}
		// Recording it held before it is sent is refused.
		wantCode(t, func() error { _, err := db.HoldManagementReview(coord, f.org.ID, r.ID, r.Version); return err }(), isms.EInvalid)

		// Sending: twice at once gives one frozen pack. The overview entries
		// the fixture created are the changes to the context.
		wantCode(t, func() error { _, err := db.SendManagementReview(as(f.contrib), f.org.ID, r.ID, r.Version); return err }(), isms.EForbidden)
		errs := make(chan error, 2)
		for range 2 {
			go func() { _, err := db.SendManagementReview(coord, f.org.ID, r.ID, r.Version); errs <- err }()
		}
		codes := map[string]int{}
		for range 2 {
			codes[isms.ErrorCode(<-errs)]++
		}
		if codes[""] != 1 || codes[isms.EConflict] != 1 {
			t.Fatalf("two sends: %v", codes)
		}
		if r, err = db.ManagementReview(coord, f.org.ID, r.ID); err != nil || !r.Frozen() || len(r.Checksum) != 64 || r.Status != isms.ReviewSent {
			t.Fatalf("sent: %v %+v", err, r)
		}
		frozen := r.Pack
		if len(frozen.Missing()) != 0 || len(frozen.ContextChanges) != 2 {
			t.Fatalf("frozen pack missing %v, changes %+v", frozen.Missing(), frozen.ContextChanges)
		}
		// Later records do not change the frozen pack; a new draft sees them.
		if _, err := db.CreateImprovement(coord, f.org.ID, isms.ImprovementInput{Title: "MFA på alle konti", Area: isms.ImpTechnology, Status: isms.ImpProposed, OwnerID: &f.coord.ID}); err != nil {
			t.Fatal(err)
		}
		if p, err = db.ManagementReviewPack(coord, f.org.ID, r.ID); err != nil || len(p.Improvements) != 1 {
			t.Fatalf("frozen pack changed: %v %d", err, len(p.Improvements))
		}
		if again, err := db.ManagementReview(coord, f.org.ID, r.ID); err != nil || again.Checksum != r.Checksum {
			t.Fatalf("checksum changed: %v", err)
		}
		// The frozen inputs stay as sent.
		in.Feedback, in.Version = "ændret", r.Version
		if r, err = db.UpdateManagementReview(coord, f.org.ID, r.ID, in); err != nil || r.Feedback == "ændret" || r.Pack.Feedback == "ændret" {
			t.Fatalf("frozen feedback changed: %v", err)
		}

		// Decisions need the meeting held, and management.
		owner := f.contrib.ID
		due := mustDate("2026-12-31")
		din := isms.ReviewDecisionInput{Kind: isms.DecisionResources, Text: "Afsæt 200 timer til awareness", OwnerID: &owner, DueOn: &due}
		wantCode(t, func() error { _, err := db.CreateReviewDecision(mgmt, f.org.ID, r.ID, din); return err }(), isms.EInvalid)
		if r, err = db.HoldManagementReview(coord, f.org.ID, r.ID, r.Version); err != nil || r.Status != isms.ReviewHeld {
			t.Fatalf("hold: %v", err)
		}
		wantCode(t, func() error { _, err := db.CreateReviewDecision(coord, f.org.ID, r.ID, din); return err }(), isms.EForbidden)
		bad := din
		bad.Kind, bad.OwnerID = "wish", &f.outside.ID
		_, err = db.CreateReviewDecision(mgmt, f.org.ID, r.ID, bad)
		leadWantField(t, err, "kind", "err.choice")
		leadWantField(t, err, "owner_id", "err.not_member")
		d, err := db.CreateReviewDecision(mgmt, f.org.ID, r.ID, din)
		if err != nil {
			t.Fatal(err)
		}
		items, err := db.ReviewAssignedItems(as(f.reader), f.org.ID)
		if err != nil || len(items) != 1 || items[0].OwnerID != owner || items[0].Due == nil || *items[0].Due != due {
			t.Fatalf("assigned items: %v %+v", err, items)
		}
		// The owner records the follow-up but cannot change the decision.
		fu := din
		fu.Text, fu.Status, fu.Note, fu.Version = "noget andet", isms.FollowUpDone, "Timerne er afsat i budgettet.", d.Version
		if d, err = db.UpdateReviewDecision(as(f.contrib), f.org.ID, d.ID, fu); err != nil || d.Text != din.Text || d.Status != isms.FollowUpDone {
			t.Fatalf("owner's follow-up: %v %+v", err, d)
		}
		wantCode(t, func() error { _, err := db.UpdateReviewDecision(as(f.reader), f.org.ID, d.ID, fu); return err }(), isms.EForbidden)
		if items, _ = db.ReviewAssignedItems(coord, f.org.ID); len(items) != 0 {
			t.Fatalf("done decision still assigned: %+v", items)
		}
		// A held review counts for the management topics, resources too.
		topics, err := db.ManagementTopicStatus(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ts := range topics {
			if ts.Topic == "resources" || ts.Topic == "improvement" {
				if ts.Last == nil || ts.Last.Evidence.RecordID != r.ID {
					t.Fatalf("topic %s not from the review: %+v", ts.Topic, ts.Last)
				}
			}
		}

		// 7.3: held with every input, but no plan in the annual wheel.
		if a := answer73(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerPartly || reasonKeys(a) != "reason.mrev_no_plan" {
			t.Fatalf("no plan: %s %v", a.Status, a.Reasons)
		}
		start := mustDate("2027-09-15")
		if _, err := db.CreateWheelActivity(coord, f.org.ID, isms.ActivityInput{Title: "Ledelsens evaluering", OwnerID: &f.coord.ID, Recurrence: isms.RecurYearly,
			StartDate: &start, Serves: "clause:9.3", RecordText: "Referat"}); err != nil {
			t.Fatal(err)
		}
		if a := answer73(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerYes || reasonKeys(a) != "reason.mrev_yes" {
			t.Fatalf("yes: %s %v", a.Status, a.Reasons)
		}
		// A year and more later the review is stale.
		now = time.Date(2027, 11, 1, 9, 0, 0, 0, time.UTC)
		if a := answer73(t, db.DB, f.reader, f.org.ID); a.Status != isms.AnswerPartly || !strings.Contains(reasonKeys(a), "reason.mrev_stale") {
			t.Fatalf("stale: %s %v", a.Status, a.Reasons)
		}
		// A new review held without feedback names the missing input; the
		// earlier review's decision is now an action from an earlier review.
		d2 := mustDate("2027-10-30")
		r2, err := db.CreateManagementReview(coord, f.org.ID, isms.ManagementReviewInput{Title: "Ledelsens evaluering 2027", ReviewDate: &d2,
			ThreatLandscape: "Uændret."})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := db.ManagementReviewPack(coord, f.org.ID, r2.ID)
		if err != nil || len(p2.PreviousActions) != 1 || len(p2.Improvements) != 2 || !p2.From.Equal(day.Time) {
			t.Fatalf("second pack: %v from %v, %d actions, %d improvements", err, p2.From, len(p2.PreviousActions), len(p2.Improvements))
		}
		if r2, err = db.SendManagementReview(coord, f.org.ID, r2.ID, r2.Version); err != nil {
			t.Fatal(err)
		}
		if _, err = db.HoldManagementReview(coord, f.org.ID, r2.ID, r2.Version); err != nil {
			t.Fatal(err)
		}
		a := answer73(t, db.DB, f.reader, f.org.ID)
		if a.Status != isms.AnswerPartly || !strings.Contains(reasonKeys(a), "reason.mrev_missing.feedback") || strings.Contains(reasonKeys(a), "stale") {
			t.Fatalf("missing inputs: %s %v", a.Status, a.Reasons)
		}
	})
}

// Sending a review's pack is once only: twelve senders at once, over one
// or two instances of the store, give one frozen pack with one checksum
// and one "send" in the audit trail; the others are refused as conflicts
// (the pack was sent, or their version went stale).
func TestManagementReviewSentOnce(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "ReviewSend"+in.name)
		day := mustDate("2026-03-01")
		r, err := raw.CreateManagementReview(as(f.coord), f.org.ID, isms.ManagementReviewInput{Title: "Evaluering", ReviewDate: &day})
		if err != nil {
			t.Fatal(err)
		}
		const senders = 12
		errs := together(in, senders, func(i int, db *sqlstore.DB) error {
			_, err := db.SendManagementReview(as(f.coord), f.org.ID, r.ID, r.Version)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != senders-1 {
			t.Fatalf("outcomes %v, want 1 success and %d conflicts", got, senders-1)
		}
		sent, err := raw.ManagementReview(as(f.coord), f.org.ID, r.ID)
		if err != nil || !sent.Frozen() || sent.Version != r.Version+1 {
			t.Fatalf("sent %+v %v", sent, err)
		}
		events, _, err := raw.AuditEvents(as(f.coord), f.org.ID, isms.AuditFilter{RecordType: "management_review", RecordID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		sends := 0
		for _, ev := range events {
			if ev.Action == "send" {
				sends++
			}
		}
		if sends != 1 {
			t.Fatalf("%d send events", sends)
		}
		wantIntactChain(t, raw.DB)
	})
}

// A backup carries the reviews, their frozen packs and decisions: after a
// restore the pack reads the same and its JSON still hashes to the
// checksum recorded when it was sent.
func TestManagementReviewBackup(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "ReviewBackup")
		coord := as(f.coord)
		day := isms.DateOf(db.Now())
		r, err := db.CreateManagementReview(coord, f.org.ID, isms.ManagementReviewInput{Title: "Evaluering", ReviewDate: &day, Feedback: "Ros fra borgerne"})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = db.SendManagementReview(coord, f.org.ID, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		if r, err = db.HoldManagementReview(coord, f.org.ID, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateReviewDecision(as(f.mgmt), f.org.ID, r.ID, isms.ReviewDecisionInput{Kind: isms.DecisionImprovement, Text: "Mere awareness",
			OwnerID: &f.coord.ID, DueOn: &day}); err != nil {
			t.Fatal(err)
		}
		target := fresh(t, db.Dialect)
		restore(t, target, backup(t, db))
		got, err := target.ManagementReview(coord, f.org.ID, r.ID)
		if err != nil || got.Checksum != r.Checksum || len(got.Decisions) != 1 || got.Pack == nil || got.Pack.Feedback != "Ros fra borgerne" {
			t.Fatalf("restored review %+v %v", got, err)
		}
		js, _ := json.Marshal(got.Pack)
		if sum := sha256.Sum256(js); hex.EncodeToString(sum[:]) != r.Checksum {
			t.Fatal("the restored pack does not hash to its checksum")
		}
	})
}
