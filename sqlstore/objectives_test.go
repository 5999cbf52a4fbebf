package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

var objTables = []string{"objectives", "objective_progress"}

func fp(f float64) *float64 { return &f }

// objInput is a complete current objective.
func objInput(owner *int64) isms.ObjectiveInput {
	due := mustDate("2026-12-31")
	return isms.ObjectiveInput{Title: "Alle medarbejdere har gennemført awareness-træning", Measure: "Andel af medarbejderne med gennemført kursus",
		TargetValue: fp(95), Unit: "%", DueDate: &due, OwnerID: owner, Plan: "E-læring i foråret, opfølgning i afdelingerne",
		Status: isms.ObjectiveInProgress}
}

func TestObjectivesApprovalAndProgress(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Maal")
		ctx := as(f.coord)
		start := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return start }

		good := objInput(&f.contrib.ID)
		for _, c := range []struct {
			name       string
			change     func(in *isms.ObjectiveInput)
			field, key string
		}{
			{"no title", func(in *isms.ObjectiveInput) { in.Title = " " }, "title", "err.required"},
			{"target without unit", func(in *isms.ObjectiveInput) { in.Unit = "" }, "unit", "obj.err.unit_required"},
			{"bad status", func(in *isms.ObjectiveInput) { in.Status = "dreaming" }, "status", "err.choice"},
			{"current without owner", func(in *isms.ObjectiveInput) { in.OwnerID = nil }, "owner_id", "obj.err.owner_required"},
			{"owner not a member", func(in *isms.ObjectiveInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
			{"unknown document", func(in *isms.ObjectiveInput) { x := int64(999999); in.DocumentID = &x }, "document_id", "err.unknown_reference"},
			{"unknown risk", func(in *isms.ObjectiveInput) { x := int64(999999); in.RiskID = &x }, "risk_id", "err.unknown_reference"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, objTables, func() error {
				_, err := db.CreateObjective(ctx, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		o, err := db.CreateObjective(ctx, f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if o.Approved() || !o.Measurable() || o.OwnerName != f.contrib.Name || *o.TargetValue != 95 || o.DueDate.String() != "2026-12-31" {
			t.Fatalf("new objective %+v", o)
		}
		// Only management approves, and only the version it read.
		for _, u := range []*isms.User{f.coord, f.admin, f.contrib, f.reader, f.auditor} {
			leadUnchanged(t, db, f.org.ID, objTables, func() error {
				_, err := db.ApproveObjective(as(u), f.org.ID, o.ID, o.Version)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		leadUnchanged(t, db, f.org.ID, objTables, func() error {
			_, err := db.ApproveObjective(as(f.mgmt), f.org.ID, o.ID, o.Version+1)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		ok, err := db.ApproveObjective(as(f.mgmt), f.org.ID, o.ID, o.Version)
		if err != nil || !ok.Approved() || ok.ApprovedByName != f.mgmt.Name || !ok.ApprovedAt.Equal(start) {
			t.Fatal(ok, err)
		}
		if _, n, _ := db.Objectives(ctx, f.org.ID, isms.ObjectiveFilter{Unapproved: true}); n != 0 {
			t.Fatalf("%d unapproved after approval", n)
		}

		// Progress is recorded by whoever may edit the objective and does
		// not touch the approval.
		day := mustDate("2026-03-31")
		_, err = db.AddObjectiveProgress(as(f.reader), f.org.ID, o.ID, isms.ObjectiveProgressInput{MeasuredOn: &day, Value: fp(40)})
		wantCode(t, err, isms.EForbidden)
		tomorrow := mustDate("2026-04-02")
		for _, c := range []struct {
			in         isms.ObjectiveProgressInput
			field, key string
		}{
			{isms.ObjectiveProgressInput{Value: fp(1)}, "measured_on", "err.required"},
			{isms.ObjectiveProgressInput{MeasuredOn: &tomorrow, Value: fp(1)}, "measured_on", "obj.err.future"},
			{isms.ObjectiveProgressInput{MeasuredOn: &day}, "value", "err.required"},
		} {
			leadUnchanged(t, db, f.org.ID, objTables, func() error {
				_, err := db.AddObjectiveProgress(as(f.contrib), f.org.ID, o.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		p, err := db.AddObjectiveProgress(as(f.contrib), f.org.ID, o.ID, isms.ObjectiveProgressInput{MeasuredOn: &day, Value: fp(40), Note: "Første hold"})
		if err != nil || p.Value != 40 || p.RecordedName != f.contrib.Name {
			t.Fatal(p, err)
		}
		later := mustDate("2026-04-01")
		if _, err := db.AddObjectiveProgress(ctx, f.org.ID, o.ID, isms.ObjectiveProgressInput{MeasuredOn: &later, Value: fp(62.5)}); err != nil {
			t.Fatal(err)
		}
		cur, _ := db.Objective(as(f.reader), f.org.ID, o.ID)
		if !cur.Approved() || cur.LatestValue == nil || *cur.LatestValue != 62.5 || cur.LatestOn.String() != "2026-04-01" {
			t.Fatalf("after progress %+v", cur)
		}
		ps, err := db.ObjectiveProgress(as(f.reader), f.org.ID, o.ID)
		if err != nil || len(ps) != 2 || ps[0].Value != 62.5 {
			t.Fatal(ps, err)
		}
		if err := db.DeleteObjectiveProgress(as(f.contrib), f.org.ID, o.ID, p.ID); err != nil {
			t.Fatal(err)
		}

		// A change after approval awaits approval again.
		in := good
		in.TargetValue, in.Version = fp(98), cur.Version
		changed, err := db.UpdateObjective(as(f.contrib), f.org.ID, o.ID, in)
		if err != nil || changed.Approved() || changed.ApprovedAt == nil {
			t.Fatalf("changed %+v %v", changed, err)
		}
		if _, n, _ := db.Objectives(ctx, f.org.ID, isms.ObjectiveFilter{Unapproved: true}); n != 1 {
			t.Fatalf("%d unapproved after change", n)
		}
		// A stale edit is refused.
		leadUnchanged(t, db, f.org.ID, objTables, func() error {
			_, err := db.UpdateObjective(ctx, f.org.ID, o.ID, in)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		events, _, _ := db.AuditEvents(asSystem(), f.org.ID, isms.AuditFilter{RecordType: "objective", RecordID: o.ID})
		if len(events) != 3 || events[1].Action != "approve" || events[1].ActorID != f.mgmt.ID {
			t.Fatalf("audit %+v", events)
		}
		// A withdrawn objective is not approved; the deleted one takes its
		// progress with it.
		in.Status, in.Version = isms.ObjectiveWithdrawn, changed.Version
		w, err := db.UpdateObjective(ctx, f.org.ID, o.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ApproveObjective(as(f.mgmt), f.org.ID, o.ID, w.Version)
		if e := isms.AsError(err); e == nil || e.Key != "obj.err.withdrawn" {
			t.Fatalf("withdrawn: %v", err)
		}
		if err := db.DeleteObjective(ctx, f.org.ID, o.ID, w.Version); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM objective_progress"); n != 0 {
			t.Fatalf("%d progress rows left", n)
		}
	})
}

func TestObjectivesAccess(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "MaalAdgang")
		other := newLeadFixture(t, db, "MaalAndre")
		o, err := db.CreateObjective(as(f.coord), f.org.ID, objInput(&f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		day := mustDate("2026-01-01")
		// A member of another organisation sees and changes nothing.
		if _, err := db.Objective(as(other.coord), f.org.ID, o.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("read: %v", err)
		}
		if _, _, err := db.Objectives(as(other.coord), f.org.ID, isms.ObjectiveFilter{}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("list: %v", err)
		}
		if _, err := db.ApproveObjective(as(other.mgmt), f.org.ID, o.ID, o.Version); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("approve: %v", err)
		}
		if _, err := db.AddObjectiveProgress(as(other.coord), f.org.ID, o.ID, isms.ObjectiveProgressInput{MeasuredOn: &day, Value: fp(1)}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("progress: %v", err)
		}
		if _, err := db.Objective(as(other.coord), other.org.ID, o.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("read through the other organisation: %v", err)
		}
		// Readers, auditors and management change nothing; a contributor
		// changes only the objectives they own.
		for _, u := range []*isms.User{f.reader, f.auditor, f.mgmt} {
			_, err := db.CreateObjective(as(u), f.org.ID, objInput(&u.ID))
			wantCode(t, err, isms.EForbidden)
			in := objInput(&f.contrib.ID)
			in.Version = o.Version
			_, err = db.UpdateObjective(as(u), f.org.ID, o.ID, in)
			wantCode(t, err, isms.EForbidden)
			wantCode(t, db.DeleteObjective(as(u), f.org.ID, o.ID, o.Version), isms.EForbidden)
		}
		_, err = db.CreateObjective(as(f.contrib), f.org.ID, objInput(&f.coord.ID))
		wantCode(t, err, isms.EForbidden)
		theirs, err := db.CreateObjective(as(f.coord), f.org.ID, objInput(&f.coord.ID))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AddObjectiveProgress(as(f.contrib), f.org.ID, theirs.ID, isms.ObjectiveProgressInput{MeasuredOn: &day, Value: fp(1)})
		wantCode(t, err, isms.EForbidden)
		in := objInput(&f.coord.ID)
		in.Version = o.Version
		_, err = db.UpdateObjective(as(f.contrib), f.org.ID, o.ID, in)
		wantCode(t, err, isms.EForbidden) // cannot hand it to someone else
		if err := db.DeleteObjective(as(f.contrib), f.org.ID, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
	})
}

func mustDate(s string) isms.Date {
	d, err := isms.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
