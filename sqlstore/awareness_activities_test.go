package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
)

var awarenessTables = []string{"awareness_activities", "awareness_activity_themes", "awareness_activity_units", "awareness_activity_roles"}

func ip(n int) *int { return &n }

// awarenessInput is a complete activity: a yearly e-learning for all staff.
func awarenessInput(owner *int64) isms.AwarenessActivityInput {
	start := mustDate("2026-03-01")
	return isms.AwarenessActivityInput{Title: "E-læring: Sådan anmelder du en sikkerhedshændelse", Themes: []string{isms.ThemeIncidentReporting, "Klar skærm"},
		Channel: isms.ChannelELearning, Target: isms.TargetAllStaff, StartsOn: &start, OwnerID: owner}
}

func TestAwarenessActivities(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Awareness")
		other := newLeadFixture(t, db.DB, "AwarenessAndre")
		db.Now = func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		good := awarenessInput(&f.contrib.ID)
		future := mustDate("2026-06-01")
		before := mustDate("2026-02-01")
		unknown := int64(999999)
		for _, c := range []struct {
			name       string
			change     func(in *isms.AwarenessActivityInput)
			field, key string
		}{
			{"no title", func(in *isms.AwarenessActivityInput) { in.Title = " " }, "title", "err.required"},
			{"no theme", func(in *isms.AwarenessActivityInput) { in.Themes = []string{" "} }, "themes", "awareness.err.theme_required"},
			{"bad channel", func(in *isms.AwarenessActivityInput) { in.Channel = "pigeon" }, "channel", "err.choice"},
			{"units without units", func(in *isms.AwarenessActivityInput) { in.Target = isms.TargetUnits }, "unit_ids", "awareness.err.units_required"},
			{"unknown unit", func(in *isms.AwarenessActivityInput) { in.Target, in.UnitIDs = isms.TargetUnits, []int64{unknown} }, "unit_ids", "err.unknown_reference"},
			{"unknown wheel activity", func(in *isms.AwarenessActivityInput) { in.WheelActivityID = &unknown }, "wheel_activity_id", "err.unknown_reference"},
			{"ends before start", func(in *isms.AwarenessActivityInput) { in.EndsOn = &before }, "ends_on", "awareness.err.ends_before_start"},
			{"held in the future", func(in *isms.AwarenessActivityInput) { in.Status, in.HeldOn = isms.AwarenessHeld, &future }, "held_on", "awareness.err.held_future"},
			{"held without a date", func(in *isms.AwarenessActivityInput) { in.Status = isms.AwarenessHeld }, "held_on", "awareness.err.held_on_required"},
			{"more clicks than mails", func(in *isms.AwarenessActivityInput) {
				in.Channel, in.ExerciseSent, in.ExerciseClicked = isms.ChannelPhishing, ip(10), ip(11)
			}, "exercise_clicked", "awareness.err.more_than_sent"},
			{"owner not a member", func(in *isms.AwarenessActivityInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, awarenessTables, func() error {
				_, err := db.CreateAwarenessActivity(ctx, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		a, err := db.CreateAwarenessActivity(ctx, f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Themes) != 2 || a.Themes[0] != isms.ThemeIncidentReporting || a.Themes[1] != "Klar skærm" || a.Status != isms.AwarenessPlanned || a.OwnerName != f.contrib.Name {
			t.Fatalf("new activity %+v", a)
		}
		// A phishing exercise's result is kept with it; other channels drop it.
		in := good
		in.Title, in.Channel, in.Themes, in.Status, in.HeldOn = "Phishing-øvelse maj", isms.ChannelPhishing, []string{isms.ThemePhishing}, isms.AwarenessHeld, &a.StartsOn
		in.ExerciseSent, in.ExerciseClicked, in.ExerciseReported = ip(400), ip(48), ip(130)
		ph, err := db.CreateAwarenessActivity(ctx, f.org.ID, in)
		if err != nil || *ph.ExerciseClicked != 48 || ph.HeldOn == nil {
			t.Fatalf("phishing exercise %+v %v", ph, err)
		}
		list, err := db.AwarenessActivities(ctx, f.org.ID, isms.AwarenessActivityFilter{Theme: isms.ThemePhishing})
		if err != nil || len(list) != 1 || list[0].ID != ph.ID {
			t.Fatalf("by theme: %v %v", list, err)
		}
		if list, _ := db.AwarenessActivities(ctx, f.org.ID, isms.AwarenessActivityFilter{Year: 2025}); len(list) != 0 {
			t.Fatalf("2025 holds %d activities", len(list))
		}
		// The owner (a contributor) keeps it; the reader and another
		// organisation may not; a stale version is refused.
		up := good
		up.Version, up.Themes = a.Version, []string{isms.ThemeRemoteWork}
		if _, err := db.UpdateAwarenessActivity(as(f.reader), f.org.ID, a.ID, up); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader changed an activity: %v", err)
		}
		if _, err := db.AwarenessActivity(as(other.coord), f.org.ID, a.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation read an activity: %v", err)
		}
		if _, err := db.AwarenessActivity(as(other.coord), other.org.ID, a.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("an activity of another organisation through one's own: %v", err)
		}
		b, err := db.UpdateAwarenessActivity(as(f.contrib), f.org.ID, a.ID, up)
		if err != nil || len(b.Themes) != 1 || b.Themes[0] != isms.ThemeRemoteWork || b.Version != a.Version+1 {
			t.Fatalf("update: %+v %v", b, err)
		}
		if _, err := db.UpdateAwarenessActivity(ctx, f.org.ID, a.ID, up); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		if err := db.DeleteAwarenessActivity(ctx, f.org.ID, a.ID, b.Version); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM awareness_activity_themes WHERE activity_id = ?", a.ID); n != 0 {
			t.Fatalf("%d themes left of a deleted activity", n)
		}
	})
}

// TestAwarenessNewWheelActivity makes the wheel activity with the
// awareness activity, in one write: a bad recurrence names the wheel's
// field and leaves nothing behind, on both tables.
func TestAwarenessNewWheelActivity(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "AwarenessHjul")
		db.Now = func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
		in := awarenessInput(&f.contrib.ID)
		tables := append([]string{"wheel_activities", "wheel_occurrences"}, awarenessTables...)
		for _, c := range []struct {
			nw         isms.AwarenessWheelInput
			field, key string
		}{
			{isms.AwarenessWheelInput{Recurrence: isms.RecurAdHoc, RecordText: "x"}, "wheel_recurrence", "awareness.err.wheel_recurrence"},
			{isms.AwarenessWheelInput{Recurrence: isms.RecurMonths, IntervalMonths: 0, RecordText: "x"}, "wheel_interval_months", "wheel.err.interval"},
			{isms.AwarenessWheelInput{Recurrence: isms.RecurYearly}, "wheel_record_text", "err.required"},
		} {
			nw := c.nw
			in.NewWheelActivity = &nw
			leadUnchanged(t, db, f.org.ID, tables, func() error {
				_, err := db.CreateAwarenessActivity(as(f.contrib), f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// A contributor makes their own yearly e-learning with its wheel
		// activity, owned by them; the reader may not.
		in.NewWheelActivity = &isms.AwarenessWheelInput{Recurrence: isms.RecurYearly, RecordText: "Kurset er åbnet for alle"}
		if _, err := db.CreateAwarenessActivity(as(f.reader), f.org.ID, in); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader made an activity: %v", err)
		}
		a, err := db.CreateAwarenessActivity(as(f.contrib), f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		w, err := db.WheelActivity(as(f.contrib), f.org.ID, *a.WheelActivityID)
		if err != nil || w.Recurrence != isms.RecurYearly || w.StartDate.String() != "2026-03-01" || *w.OwnerID != f.contrib.ID {
			t.Fatalf("wheel activity %+v %v", w, err)
		}
		if a.Rhythm == nil || a.Rhythm.NextDue == nil || a.Rhythm.NextDue.String() != "2027-03-01" || a.Rhythm.LastDue == nil || a.Rhythm.LastOnTime {
			t.Fatalf("rhythm %+v", a.Rhythm)
		}
		if a.Participations != 0 {
			t.Fatalf("participations %d", a.Participations)
		}
		// The wheel's activity cannot be deleted while the programme
		// repeats an activity through it; once unlinked, it can.
		leadUnchanged(t, db, f.org.ID, tables, func() error {
			return db.DeleteWheelActivity(as(f.coord), f.org.ID, w.ID, w.Version)
		}, func(err error) {
			if isms.ErrorCode(err) != isms.EConflict {
				t.Fatalf("deleting a wheel activity the programme uses: %v", err)
			}
		})
		up := in
		up.NewWheelActivity, up.WheelActivityID, up.Version = nil, nil, a.Version
		if _, err := db.UpdateAwarenessActivity(as(f.contrib), f.org.ID, a.ID, up); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteWheelActivity(as(f.coord), f.org.ID, w.ID, w.Version); err != nil {
			t.Fatalf("deleting the unlinked wheel activity: %v", err)
		}
	})
}
