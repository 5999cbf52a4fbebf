package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// behaviourPolicy makes a behaviour policy approved by management and,
// when publish is set, published.
func behaviourPolicy(t *testing.T, db *sqlstore.DB, f *docFixture, text string, publish bool) *isms.Document {
	t.Helper()
	next := isms.DateOf(db.Now()).AddDays(300)
	d := f.doc(t, db, isms.DocumentInput{Kind: isms.DocBehaviourPolicy, Title: "Adfærdspolitik", ApproverIDs: []int64{f.mgmt.ID},
		ReviewIntervalMonths: 12, NextReview: &next, Classification: isms.ClassPublic})
	publishText(t, db, f, d, text, publish, f.mgmt)
	return d
}

func TestChecklistBehaviourPolicy(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		wantAnswer(t, checklistByID(t, db, f.reader, f.org.ID), "4.5", isms.AnswerNo, "reason.doc_kind_missing")

		// A draft is not approved: not yes.
		next := isms.DateOf(db.Now()).AddDays(300)
		d := f.doc(t, db, isms.DocumentInput{Kind: isms.DocBehaviourPolicy, Title: "Adfærdspolitik", ApproverIDs: []int64{f.mgmt.ID},
			ReviewIntervalMonths: 12, NextReview: &next, Classification: isms.ClassPublic})
		if _, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Udkast", Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		wantAnswer(t, checklistByID(t, db, f.reader, f.org.ID), "4.5", isms.AnswerPartly, "reason.doc_not_management_approved")

		// Only management approves the behaviour policy.
		if _, err := db.CreateDocument(as(f.coord), f.org.ID, isms.DocumentInput{Kind: isms.DocBehaviourPolicy, Title: "Anden",
			ApproverIDs: []int64{f.coord.ID}}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("a coordinator as the behaviour policy's approver: %v", err)
		}

		// Approved by management and published: yes, with the policy as evidence.
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		docApprove(t, db, f, d, 1, f.mgmt)
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if _, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		got := checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "4.5", isms.AnswerYes, "reason.doc_management_approved")
		if ev := got["4.5"].Evidence; len(ev) != 1 || ev[0].RecordID != d.ID {
			t.Fatalf("evidence %+v", ev)
		}
		for _, r := range got["4.5"].Reasons {
			if r.Key == "reason.doc_not_published" {
				t.Fatalf("a published policy said unpublished: %+v", got["4.5"].Reasons)
			}
		}
	})
}

// TestChecklistAwarenessReminders changes the occurrences of a recurring
// awareness activity's wheel activity and sees 4.7 follow.
func TestChecklistAwarenessReminders(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Paamindelser")
		now := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := as(f.coord)
		wantAnswer(t, checklistByID(t, db.DB, f.reader, f.org.ID), "4.7", isms.AnswerNo, "reason.awareness_no_recurring")

		// A one-off activity does not remind anyone.
		in := awarenessInput(&f.coord.ID)
		if _, err := db.CreateAwarenessActivity(ctx, f.org.ID, in); err != nil {
			t.Fatal(err)
		}
		wantAnswer(t, checklistByID(t, db.DB, f.reader, f.org.ID), "4.7", isms.AnswerNo, "reason.awareness_no_recurring")

		// A quarterly newsletter made with its wheel activity in one write.
		start := mustDate("2026-01-15")
		in.Title, in.Channel, in.StartsOn = "Nyhedsbrev om informationssikkerhed", isms.ChannelEmail, &start
		in.NewWheelActivity = &isms.AwarenessWheelInput{Recurrence: isms.RecurQuarterly, RecordText: "Nyhedsbrevet er udsendt"}
		a, err := db.CreateAwarenessActivity(ctx, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.WheelActivityID == nil || a.Rhythm == nil || !a.Rhythm.Active || a.Rhythm.NextDue == nil || a.Rhythm.NextDue.String() != "2026-07-15" {
			t.Fatalf("activity with a new wheel activity: %+v %+v", a, a.Rhythm)
		}
		w, err := db.WheelActivity(ctx, f.org.ID, *a.WheelActivityID)
		if err != nil || w.Serves != "guide:2.6" || w.OwnerID == nil || *w.OwnerID != f.coord.ID || len(w.Topics) != 0 || w.Title != in.Title {
			t.Fatalf("wheel activity %+v %v", w, err)
		}
		occs, _, err := db.WheelOccurrences(ctx, f.org.ID, isms.OccurrenceFilter{ActivityID: w.ID, Year: 2026, Sort: "due_date", Limit: 10})
		if err != nil || len(occs) != 4 {
			t.Fatalf("occurrences %d %v", len(occs), err)
		}
		jan, apr := occs[0], occs[1]
		// Two past occurrences not done: partly, naming them.
		got := checklistByID(t, db.DB, f.reader, f.org.ID)
		wantAnswer(t, got, "4.7", isms.AnswerPartly, "reason.awareness_missed")

		complete := func(o *isms.Occurrence, on string) *isms.Occurrence {
			t.Helper()
			o, _ = db.WheelOccurrence(ctx, f.org.ID, o.ID)
			d := mustDate(on)
			o, err := db.CompleteOccurrence(ctx, f.org.ID, o.ID, isms.CompletionInput{Result: "Udsendt", CompletedOn: &d, Version: o.Version})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		complete(jan, "2026-01-15")
		complete(apr, "2026-04-10")
		got = checklistByID(t, db.DB, f.reader, f.org.ID)
		wantAnswer(t, got, "4.7", isms.AnswerYes, "reason.awareness_reminders_on_time")
		if ev := got["4.7"].Evidence; len(ev) < 3 || ev[0].RecordID != a.ID || ev[0].Path == "" {
			t.Fatalf("evidence %+v", ev)
		}
		if r, _ := db.AwarenessActivity(ctx, f.org.ID, a.ID); r.Rhythm.LastID != apr.ID || !r.Rhythm.LastOnTime {
			t.Fatalf("rhythm after on-time completion %+v", r.Rhythm)
		}

		// Completed late: partly.
		complete(apr, "2026-04-20")
		got = checklistByID(t, db.DB, f.reader, f.org.ID)
		wantAnswer(t, got, "4.7", isms.AnswerPartly, "reason.awareness_late")
		if r, _ := db.AwarenessActivity(ctx, f.org.ID, a.ID); r.Rhythm.LastOnTime {
			t.Fatalf("late completion on time %+v", r.Rhythm)
		}

		// Skipped is not held: partly.
		o, _ := db.WheelOccurrence(ctx, f.org.ID, apr.ID)
		if o, err = db.ReopenOccurrence(ctx, f.org.ID, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		if _, err = db.SkipOccurrence(ctx, f.org.ID, o.ID, "Ingen nyheder", o.Version); err != nil {
			t.Fatal(err)
		}
		got = checklistByID(t, db.DB, f.reader, f.org.ID)
		wantAnswer(t, got, "4.7", isms.AnswerPartly, "reason.awareness_missed")

		// Nothing planned ahead: the wheel activity ends today.
		o, _ = db.WheelOccurrence(ctx, f.org.ID, apr.ID)
		if o, err = db.ReopenOccurrence(ctx, f.org.ID, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		complete(o, "2026-04-15")
		wantAnswer(t, checklistByID(t, db.DB, f.reader, f.org.ID), "4.7", isms.AnswerYes, "")
		w, _ = db.WheelActivity(ctx, f.org.ID, w.ID)
		end := isms.DateOf(now)
		win := isms.ActivityInput{Title: w.Title, OwnerID: w.OwnerID, Recurrence: w.Recurrence, StartDate: &w.StartDate, EndDate: &end,
			Serves: w.Serves, RecordText: w.RecordText, Version: w.Version}
		if _, err := db.UpdateWheelActivity(ctx, f.org.ID, w.ID, win); err != nil {
			t.Fatal(err)
		}
		wantAnswer(t, checklistByID(t, db.DB, f.reader, f.org.ID), "4.7", isms.AnswerPartly, "reason.awareness_unplanned")

		// The one-off activity is in the wheel's calendar; the recurring
		// one is there through its wheel activity only.
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, mustDate("2026-01-01"), mustDate("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		var awareness []isms.ScheduledItem
		for _, it := range items {
			if it.Kind == "awareness.calendar" {
				awareness = append(awareness, it)
			}
		}
		if len(awareness) != 1 || awareness[0].Day.String() != "2026-03-01" || awareness[0].Done || awareness[0].Evidence.Path == "" {
			t.Fatalf("calendar items %+v", awareness)
		}

		// A cancelled activity no longer counts.
		a, _ = db.AwarenessActivity(ctx, f.org.ID, a.ID)
		up := in
		up.NewWheelActivity, up.WheelActivityID, up.Status, up.Version = nil, a.WheelActivityID, isms.AwarenessCancelled, a.Version
		if _, err := db.UpdateAwarenessActivity(ctx, f.org.ID, a.ID, up); err != nil {
			t.Fatal(err)
		}
		wantAnswer(t, checklistByID(t, db.DB, f.reader, f.org.ID), "4.7", isms.AnswerNo, "reason.awareness_no_recurring")
	})
}
