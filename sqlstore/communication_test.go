package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

var commTables = []string{"communication_entries"}

// commInput is a complete active entry of the plan.
func commInput(caseKey string, dir isms.Direction, responsible *int64) isms.CommunicationEntryInput {
	return isms.CommunicationEntryInput{CaseKey: caseKey, What: "Orientering om " + caseKey, KeyPoints: "Hvad der skete og hvad man skal gøre",
		Timing: isms.TimingEvent, TriggerEvent: "Ved en sikkerhedshændelse", ResponseTime: "inden for 24 timer", Audience: "Alle medarbejdere",
		Channel: "Intranet og e-mail", Direction: dir, Sensitivity: isms.SensitivityInternal, ResponsibleID: responsible, Status: isms.StatusActive}
}

func TestCommunicationPlanAndAcknowledgement(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Kommunikation")
		ctx := as(f.coord)
		start := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return start }

		// Bad input is refused with the field named; nothing is stored.
		good := commInput("staff_notice", isms.DirectionInternal, &f.contrib.ID)
		for _, c := range []struct {
			name       string
			change     func(in *isms.CommunicationEntryInput)
			field, key string
		}{
			{"no what", func(in *isms.CommunicationEntryInput) { in.What = " " }, "what", "err.required"},
			{"no audience", func(in *isms.CommunicationEntryInput) { in.Audience = "" }, "audience", "err.required"},
			{"no channel", func(in *isms.CommunicationEntryInput) { in.Channel = "" }, "channel", "err.required"},
			{"event without trigger", func(in *isms.CommunicationEntryInput) { in.TriggerEvent = "" }, "trigger_event", "comm.err.trigger_required"},
			{"bad timing", func(in *isms.CommunicationEntryInput) { in.Timing = "hourly" }, "timing", "err.choice"},
			{"no direction", func(in *isms.CommunicationEntryInput) { in.Direction = "" }, "direction", "err.required"},
			{"bad sensitivity", func(in *isms.CommunicationEntryInput) { in.Sensitivity = "secret" }, "sensitivity", "err.choice"},
			{"unknown case", func(in *isms.CommunicationEntryInput) { in.CaseKey = "gossip" }, "case_key", "err.choice"},
			{"active without responsible", func(in *isms.CommunicationEntryInput) { in.ResponsibleID = nil }, "responsible_id", "comm.err.responsible_required"},
			{"responsible not a member", func(in *isms.CommunicationEntryInput) { in.ResponsibleID = &f.outside.ID }, "responsible_id", "err.not_member"},
			{"unknown sender role", func(in *isms.CommunicationEntryInput) { x := int64(999999); in.SenderRoleID = &x }, "sender_role_id", "err.unknown_reference"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, commTables, func() error {
				_, err := db.CreateCommunicationEntry(ctx, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// A recurring entry needs no trigger; a draft needs no one responsible.
		draft := good
		draft.Timing, draft.TriggerEvent, draft.ResponsibleID, draft.Status = isms.TimingQuarterly, "", nil, ""
		d, err := db.CreateCommunicationEntry(ctx, f.org.ID, draft)
		if err != nil || d.Status != isms.StatusDraft || d.AssignedAt != nil || d.AwaitsAcknowledgement() {
			t.Fatal(d, err)
		}

		e, err := db.CreateCommunicationEntry(ctx, f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if e.Acknowledged() || !e.AwaitsAcknowledgement() || e.AssignedAt == nil || e.AcknowledgeBy() != isms.DateOf(start).AddDays(isms.AcknowledgeWithin) {
			t.Fatalf("new entry %+v", e)
		}
		pending, n, err := db.CommunicationEntries(as(f.contrib), f.org.ID, isms.CommunicationFilter{PendingFor: f.contrib.ID})
		if err != nil || n != 1 || pending[0].ID != e.ID {
			t.Fatalf("pending: %v %d %v", pending, n, err)
		}

		// Only the responsible person acknowledges, and only the version
		// they read.
		for _, u := range []*isms.User{f.coord, f.admin, f.mgmt, f.reader} {
			leadUnchanged(t, db, f.org.ID, commTables, func() error {
				_, err := db.AcknowledgeCommunication(as(u), f.org.ID, e.ID, e.Version)
				return err
			}, func(err error) {
				wantCode(t, err, isms.EForbidden)
				if isms.AsError(err).Key != "comm.err.not_responsible" {
					t.Errorf("refusal %v", err)
				}
			})
		}
		leadUnchanged(t, db, f.org.ID, commTables, func() error {
			_, err := db.AcknowledgeCommunication(as(f.contrib), f.org.ID, e.ID, e.Version+1)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		later := start.Add(48 * time.Hour)
		db.Now = func() time.Time { return later }
		ack, err := db.AcknowledgeCommunication(as(f.contrib), f.org.ID, e.ID, e.Version)
		if err != nil || !ack.Acknowledged() || ack.AcknowledgedByName != f.contrib.Name || !ack.AcknowledgedAt.Equal(later) || ack.Version != e.Version+1 {
			t.Fatal(ack, err)
		}
		// A second click changes nothing.
		leadUnchanged(t, db, f.org.ID, commTables, func() error {
			_, err := db.AcknowledgeCommunication(as(f.contrib), f.org.ID, e.ID, ack.Version)
			return err
		}, func(err error) {
			if err != nil {
				t.Errorf("second acknowledgement: %v", err)
			}
		})
		events, _, _ := db.AuditEvents(asSystem(), f.org.ID, isms.AuditFilter{RecordType: "communication_entry", RecordID: e.ID})
		if len(events) != 2 || events[0].Action != "acknowledge_responsibility" || events[0].ActorID != f.contrib.ID {
			t.Fatalf("audit %+v", events)
		}
		if _, n, _ := db.CommunicationEntries(as(f.contrib), f.org.ID, isms.CommunicationFilter{PendingFor: f.contrib.ID}); n != 0 {
			t.Fatalf("%d still pending", n)
		}

		// Changing only the status keeps the acknowledgement …
		in := good
		in.Status, in.Version = isms.StatusDraft, ack.Version
		kept, err := db.UpdateCommunicationEntry(ctx, f.org.ID, e.ID, in)
		if err != nil || !kept.Acknowledged() {
			t.Fatalf("status change: %+v %v", kept, err)
		}
		// … changing the substance asks for a new one …
		in.Status, in.Version, in.ResponseTime = isms.StatusActive, kept.Version, "straks"
		changed, err := db.UpdateCommunicationEntry(ctx, f.org.ID, e.ID, in)
		if err != nil || changed.Acknowledged() || changed.AcknowledgedAt != nil || !changed.AssignedAt.Equal(later) {
			t.Fatalf("substance change: %+v %v", changed, err)
		}
		// … and so does another responsible person; the old one may no
		// longer acknowledge.
		ack2, err := db.AcknowledgeCommunication(as(f.contrib), f.org.ID, e.ID, changed.Version)
		if err != nil {
			t.Fatal(err)
		}
		in.ResponsibleID, in.Version = &f.mgmt.ID, ack2.Version
		moved, err := db.UpdateCommunicationEntry(ctx, f.org.ID, e.ID, in)
		if err != nil || moved.Acknowledged() {
			t.Fatalf("new responsible: %+v %v", moved, err)
		}
		_, err = db.AcknowledgeCommunication(as(f.contrib), f.org.ID, e.ID, moved.Version)
		wantCode(t, err, isms.EForbidden)
		if _, err := db.AcknowledgeCommunication(as(f.mgmt), f.org.ID, e.ID, moved.Version); err != nil {
			t.Fatalf("management acknowledges its own entry: %v", err)
		}
		// A stale edit is refused and keeps the acknowledgement.
		leadUnchanged(t, db, f.org.ID, commTables, func() error {
			_, err := db.UpdateCommunicationEntry(ctx, f.org.ID, e.ID, in)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })

		// Retired entries are not acknowledged.
		cur, _ := db.CommunicationEntry(ctx, f.org.ID, e.ID)
		in.Status, in.Version, in.What = isms.StatusRetired, cur.Version, "Ny tekst"
		retired, err := db.UpdateCommunicationEntry(ctx, f.org.ID, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AcknowledgeCommunication(as(f.mgmt), f.org.ID, e.ID, retired.Version)
		if e := isms.AsError(err); e == nil || e.Key != "comm.err.retired" {
			t.Fatalf("retired: %v", err)
		}
		if err := db.DeleteCommunicationEntry(ctx, f.org.ID, e.ID, retired.Version); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCommunicationAccess(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "Adgang")
		other := newLeadFixture(t, db, "Andre")
		e, err := db.CreateCommunicationEntry(as(f.coord), f.org.ID, commInput("breach_notice", isms.DirectionExternal, &f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		// A member of another organisation sees nothing.
		if _, err := db.CommunicationEntry(as(other.coord), f.org.ID, e.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("read: %v", err)
		}
		if _, _, err := db.CommunicationEntries(as(other.coord), f.org.ID, isms.CommunicationFilter{}); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("list: %v", err)
		}
		if _, err := db.AcknowledgeCommunication(as(other.coord), f.org.ID, e.ID, e.Version); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("acknowledge: %v", err)
		}
		if _, err := db.CreateCommunicationEntry(as(other.coord), f.org.ID, commInput("", isms.DirectionInternal, nil)); isms.ErrorCode(err) != isms.ENotFound {
			t.Errorf("create: %v", err)
		}
		// Readers, auditors and management change nothing; a contributor
		// changes only the entries they are responsible for.
		for _, u := range []*isms.User{f.reader, f.auditor, f.mgmt} {
			_, err := db.CreateCommunicationEntry(as(u), f.org.ID, commInput("", isms.DirectionInternal, &u.ID))
			wantCode(t, err, isms.EForbidden)
			in := commInput("breach_notice", isms.DirectionExternal, &f.contrib.ID)
			in.Version = e.Version
			_, err = db.UpdateCommunicationEntry(as(u), f.org.ID, e.ID, in)
			wantCode(t, err, isms.EForbidden)
			wantCode(t, db.DeleteCommunicationEntry(as(u), f.org.ID, e.ID, e.Version), isms.EForbidden)
		}
		_, err = db.CreateCommunicationEntry(as(f.contrib), f.org.ID, commInput("", isms.DirectionInternal, &f.coord.ID))
		wantCode(t, err, isms.EForbidden)
		mine, err := db.CreateCommunicationEntry(as(f.contrib), f.org.ID, commInput("", isms.DirectionInternal, &f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		in := commInput("", isms.DirectionInternal, &f.coord.ID)
		in.Version = mine.Version
		_, err = db.UpdateCommunicationEntry(as(f.contrib), f.org.ID, mine.ID, in)
		wantCode(t, err, isms.EForbidden) // cannot hand it to someone else
		if err := db.DeleteCommunicationEntry(as(f.contrib), f.org.ID, mine.ID, mine.Version); err != nil {
			t.Fatal(err)
		}
		// A security role that sends communication of the plan is not
		// deleted in passing.
		sender, err := db.CreateSecurityRole(as(f.coord), f.org.ID, isms.SecurityRoleInput{Name: "Kommunikationsafdelingen"})
		if err != nil {
			t.Fatal(err)
		}
		sent := commInput("emergency_notice", isms.DirectionExternal, &f.coord.ID)
		sent.SenderRoleID = &sender.ID
		if _, err := db.CreateCommunicationEntry(as(f.coord), f.org.ID, sent); err != nil {
			t.Fatal(err)
		}
		err = db.DeleteSecurityRole(as(f.coord), f.org.ID, sender.ID, sender.Version)
		if e := isms.AsError(err); e == nil || e.Code != isms.EConflict || e.Key != "lead.err.role_communicates" {
			t.Fatalf("deleting a sending role: %v", err)
		}
		// A responsible person who left the organisation no longer counts
		// and is not asked to acknowledge.
		ms, _ := db.Memberships(asSystem(), f.org.ID)
		for _, m := range ms {
			if m.UserID == f.contrib.ID {
				if err := db.RemoveMembership(asSystem(), f.org.ID, m.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		left, _ := db.CommunicationEntry(as(f.reader), f.org.ID, e.ID)
		if left.ResponsibleMember || left.AwaitsAcknowledgement() {
			t.Fatalf("after leaving: %+v", left)
		}
		if _, err := db.AcknowledgeCommunication(as(f.contrib), f.org.ID, e.ID, e.Version); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("acknowledgement by a former member: %v", err)
		}
	})
}

// The rules for 5.1 and 5.2 followed step by step as the plan is built.
func TestChecklistCommunicationRules(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newLeadFixture(t, db, "Regler")
		ctx := as(f.coord)
		want := func(step, q string, status isms.AnswerStatus, reason string) {
			t.Helper()
			a := checklistByID(t, db, f.reader, f.org.ID)[q]
			if a.Status != status || a.Source != isms.SourceRecords {
				t.Errorf("%s: %s is %s (%s), want %s; reasons %v", step, q, a.Status, a.Source, status, a.Reasons)
			}
			if reason != "" && !hasReason(a, reason) {
				t.Errorf("%s: %s lacks reason %s: %v", step, q, reason, a.Reasons)
			}
		}
		want("empty", "5.1", isms.AnswerNo, "reason.comm_no_direction")
		want("empty", "5.2", isms.AnswerNo, "reason.comm_empty")

		// A draft does not count.
		draft := commInput("management_reporting", isms.DirectionInternal, &f.mgmt.ID)
		draft.Status = isms.StatusDraft
		if _, err := db.CreateCommunicationEntry(ctx, f.org.ID, draft); err != nil {
			t.Fatal(err)
		}
		want("draft", "5.1", isms.AnswerNo, "reason.comm_case_missing")

		staff, err := db.CreateCommunicationEntry(ctx, f.org.ID, commInput("staff_notice", isms.DirectionInternal, &f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		want("internal staff notice", "5.1", isms.AnswerPartly, "reason.comm_no_direction")
		want("unacknowledged", "5.2", isms.AnswerNo, "reason.comm_unacknowledged")
		if _, err := db.AcknowledgeCommunication(as(f.contrib), f.org.ID, staff.ID, staff.Version); err != nil {
			t.Fatal(err)
		}
		want("acknowledged", "5.2", isms.AnswerYes, "reason.comm_acknowledged")

		breach, err := db.CreateCommunicationEntry(ctx, f.org.ID, commInput("breach_notice", isms.DirectionExternal, &f.coord.ID))
		if err != nil {
			t.Fatal(err)
		}
		want("breach notice", "5.1", isms.AnswerPartly, "reason.comm_case_missing")
		want("one of two acknowledged", "5.2", isms.AnswerPartly, "reason.comm_unacknowledged")

		// An entry of the organisation's own counts once tagged with the case.
		own := commInput("", isms.DirectionInternal, &f.mgmt.ID)
		own.What, own.Timing, own.TriggerEvent = "Kvartalsrapport til direktionen", isms.TimingQuarterly, ""
		rep, err := db.CreateCommunicationEntry(ctx, f.org.ID, own)
		if err != nil {
			t.Fatal(err)
		}
		want("untagged report", "5.1", isms.AnswerPartly, "reason.comm_case_missing")
		own.CaseKey, own.Version = "management_reporting", rep.Version
		rep, err = db.UpdateCommunicationEntry(ctx, f.org.ID, rep.ID, own)
		if err != nil {
			t.Fatal(err)
		}
		want("tagged report", "5.1", isms.AnswerYes, "reason.comm_guidelines")
		a := checklistByID(t, db, f.reader, f.org.ID)["5.1"]
		if len(a.Evidence) < 3 || a.Evidence[0].Path == "" {
			t.Errorf("evidence %+v", a.Evidence)
		}
		for _, e := range []*isms.CommunicationEntry{breach, rep} {
			u := f.coord
			if *e.ResponsibleID == f.mgmt.ID {
				u = f.mgmt
			}
			if _, err := db.AcknowledgeCommunication(as(u), f.org.ID, e.ID, e.Version); err != nil {
				t.Fatal(err)
			}
		}
		want("all acknowledged", "5.2", isms.AnswerYes, "")

		// A change of substance needs a new acknowledgement.
		cur, _ := db.CommunicationEntry(ctx, f.org.ID, breach.ID)
		in := commInput("breach_notice", isms.DirectionExternal, &f.coord.ID)
		in.Channel, in.Version = "Digital Post", cur.Version
		if _, err := db.UpdateCommunicationEntry(ctx, f.org.ID, breach.ID, in); err != nil {
			t.Fatal(err)
		}
		want("changed", "5.2", isms.AnswerPartly, "reason.comm_unacknowledged")
		// Retiring the only external entry takes 5.1 back to partly.
		cur, _ = db.CommunicationEntry(ctx, f.org.ID, breach.ID)
		in.Status, in.Version = isms.StatusRetired, cur.Version
		if _, err := db.UpdateCommunicationEntry(ctx, f.org.ID, breach.ID, in); err != nil {
			t.Fatal(err)
		}
		want("retired", "5.1", isms.AnswerPartly, "reason.comm_no_direction")
		want("retired", "5.2", isms.AnswerYes, "reason.comm_acknowledged")
	})
}
