package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// notifOf lists a user's notifications in the organisation as
// "event source title due" lines, oldest first.
func notifOf(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64) []string {
	t.Helper()
	list, _, err := db.Notifications(as(u), orgID, isms.NotificationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		n := list[i]
		due := "-"
		if n.Due != nil {
			due = n.Due.String()
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", n.Event, n.Source, n.Title, due))
	}
	return out
}

func generate(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	n, err := db.GenerateNotifications(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// pendingFor lists the pending mails' items of one recipient as "event
// title" lines.
func pendingFor(t *testing.T, db *sqlstore.DB, u *isms.User) []string {
	t.Helper()
	mails, err := db.PendingNotificationMails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range mails {
		if m.UserID != u.ID {
			continue
		}
		for _, n := range m.Items {
			out = append(out, string(n.Event)+" "+n.Title)
		}
	}
	sort.Strings(out)
	return out
}

func wantLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestNotificationsFollowTheRecords(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Notif")
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		today := isms.DateOf(now)
		day := func(n int) *isms.Date { d := today.AddDays(n); return &d }

		// An improvement that exists before the job first looks: the first
		// look learns who has what and announces no old assignment.
		old, err := db.CreateImprovement(as(f.coord), f.org.ID, isms.ImprovementInput{Title: "Gammel forbedring", Area: isms.ImpProcedures,
			OwnerID: &f.contrib.ID, Status: isms.ImpApproved, DueOn: day(30)})
		if err != nil {
			t.Fatal(err)
		}
		if n := generate(t, db.DB); n != 0 {
			t.Fatalf("first look created %d", n)
		}
		wantLines(t, "nothing on the first look", notifOf(t, db.DB, f.contrib, f.org.ID))

		// The coordinator gives the contributor a corrective action due in
		// three days: assigned, and due soon.
		in := ncInput(&f.coord.ID)
		in.Actions = []isms.NCActionInput{{Action: "Skriv fratrædelsesprocedure", OwnerID: &f.contrib.ID, DueOn: day(3)}}
		nc, err := db.CreateNonconformity(as(f.coord), f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		// What the coordinator gives themselves is no news to them.
		if _, err := db.CreateImprovement(as(f.coord), f.org.ID, isms.ImprovementInput{Title: "Egen forbedring", Area: isms.ImpProcedures,
			OwnerID: &f.coord.ID, Status: isms.ImpApproved}); err != nil {
			t.Fatal(err)
		}
		if n := generate(t, db.DB); n != 2 {
			t.Fatalf("created %d, want 2", n)
		}
		actionDue := day(3).String()
		wantLines(t, "the contributor's inbox", notifOf(t, db.DB, f.contrib, f.org.ID),
			"assigned nc_action Skriv fratrædelsesprocedure "+actionDue, "due_soon nc_action Skriv fratrædelsesprocedure "+actionDue)
		wantLines(t, "the coordinator's inbox", notifOf(t, db.DB, f.coord, f.org.ID))
		// Running again creates nothing twice.
		if n := generate(t, db.DB); n != 0 {
			t.Fatalf("second run created %d", n)
		}
		wantLines(t, "pending mails", pendingFor(t, db.DB, f.contrib), "assigned Skriv fratrædelsesprocedure", "due_soon Skriv fratrædelsesprocedure")
		// What is noted while no mail server is configured stays in the
		// inbox: a server configured later mails only what is new.
		if _, err := db.CreateImprovement(as(f.coord), f.org.ID, isms.ImprovementInput{Title: "Uden mail", Area: isms.ImpProcedures,
			OwnerID: &f.mgmt.ID, Status: isms.ImpApproved}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.GenerateNotifications(context.Background(), false); err != nil || n != 1 {
			t.Fatalf("inbox only: %d %v", n, err)
		}
		wantLines(t, "management's inbox", notifOf(t, db.DB, f.mgmt, f.org.ID), "assigned improvement Uden mail -")
		wantLines(t, "management's pending", pendingFor(t, db.DB, f.mgmt))
		wantLines(t, "pending left waiting before", pendingFor(t, db.DB, f.contrib))
		// The rest of the test mails again: put the contributor's back in the queue.
		db.exec(t, "UPDATE notifications SET mail_key = NULL WHERE mail_key = 'inbox' AND user_id = ?", f.contrib.ID)

		// The day after the due date it is overdue, again a week later.
		now = now.AddDate(0, 0, 4)
		generate(t, db.DB)
		now = now.AddDate(0, 0, 3)
		if n := generate(t, db.DB); n != 0 {
			t.Fatalf("overdue repeated within the week: %d", n)
		}
		now = now.AddDate(0, 0, 4)
		if n := generate(t, db.DB); n != 1 {
			t.Fatalf("overdue a week later: %d", n)
		}
		got := notifOf(t, db.DB, f.contrib, f.org.ID)
		if len(got) != 4 || got[2] != "overdue nc_action Skriv fratrædelsesprocedure "+actionDue || got[3] != got[2] {
			t.Fatalf("overdue: %q", got)
		}

		// The due date moves on: what was pending about the old date is
		// no longer mailed; the new date is due soon.
		today = isms.DateOf(now)
		nc, err = db.Nonconformity(as(f.coord), f.org.ID, nc.ID)
		if err != nil {
			t.Fatal(err)
		}
		upd := ncUpdate(nc)
		upd.Actions[0].DueOn = day(2)
		if nc, err = db.UpdateNonconformity(as(f.coord), f.org.ID, nc.ID, upd); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "pending after the date moved", pendingFor(t, db.DB, f.contrib), "assigned Skriv fratrædelsesprocedure", "due_soon Skriv fratrædelsesprocedure")

		// The owner changes: management is assigned it; the contributor's
		// pending mails about it go.
		upd = ncUpdate(nc)
		upd.Actions[0].OwnerID = &f.mgmt.ID
		if nc, err = db.UpdateNonconformity(as(f.coord), f.org.ID, nc.ID, upd); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "the contributor's pending", pendingFor(t, db.DB, f.contrib))
		wantLines(t, "management's pending", pendingFor(t, db.DB, f.mgmt), "assigned Skriv fratrædelsesprocedure", "due_soon Skriv fratrædelsesprocedure")

		// Done: nothing more comes of it, and what waited is not mailed.
		upd = ncUpdate(nc)
		upd.Actions[0].DoneOn = &today
		if _, err = db.UpdateNonconformity(as(f.coord), f.org.ID, nc.ID, upd); err != nil {
			t.Fatal(err)
		}
		now = now.AddDate(0, 0, 10)
		if n := generate(t, db.DB); n != 0 {
			t.Fatalf("done action notified: %d", n)
		}
		wantLines(t, "management's pending after done", pendingFor(t, db.DB, f.mgmt))

		// A deactivated member gets nothing, new or pending.
		if _, err := db.UpdateImprovement(as(f.coord), f.org.ID, old.ID, isms.ImprovementInput{Title: old.Title, Area: old.Area,
			OwnerID: &f.reader.ID, Status: old.Status, DueOn: old.DueOn, Version: old.Version}); err != nil {
			t.Fatal(err)
		}
		db.exec(t, "UPDATE users SET deactivated_at = ? WHERE id = ?", now.Format(time.RFC3339), f.reader.ID)
		generate(t, db.DB)
		if got := notifOf(t, db.DB, f.reader, f.org.ID); len(got) != 0 {
			t.Fatalf("deactivated member notified: %q", got)
		}
		// What waited for a member who is then deactivated is not mailed.
		if _, err := db.CreateImprovement(as(f.coord), f.org.ID, isms.ImprovementInput{Title: "Til revisor", Area: isms.ImpProcedures,
			OwnerID: &f.auditor.ID, Status: isms.ImpApproved}); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "the auditor's pending", pendingFor(t, db.DB, f.auditor), "assigned Til revisor")
		db.exec(t, "UPDATE users SET deactivated_at = ? WHERE id = ?", now.Format(time.RFC3339), f.auditor.ID)
		generate(t, db.DB)
		wantLines(t, "the deactivated auditor's pending", pendingFor(t, db.DB, f.auditor))
		if n := db.int(t, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND mail_key = 'left'", f.auditor.ID); n != 1 {
			t.Fatalf("%d marked left", n)
		}

		// The inbox is the member's own: an outsider, or another member
		// marking the contributor's notification, finds nothing. The
		// contributor has five: assigned, due soon, overdue twice, and due
		// soon on the moved date.
		list, total, err := db.Notifications(as(f.contrib), f.org.ID, isms.NotificationFilter{Unread: true})
		if err != nil || total != 5 || len(list) != 5 {
			t.Fatalf("unread %d %v", total, err)
		}
		_, _, err = db.Notifications(as(f.outside), f.org.ID, isms.NotificationFilter{})
		wantCode(t, err, isms.ENotFound)
		_, err = db.MarkNotificationRead(as(f.outside), f.org.ID, list[0].ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.MarkNotificationRead(as(f.mgmt), f.org.ID, list[0].ID)
		wantCode(t, err, isms.ENotFound)
		other := mustOrg(t, db.DB, "Anden Kommune")
		mustMember(t, db.DB, other, f.contrib, isms.RoleContributor)
		_, err = db.MarkNotificationRead(as(f.contrib), other.ID, list[0].ID)
		wantCode(t, err, isms.ENotFound)
		if n, _ := db.UnreadNotifications(as(f.contrib), f.org.ID); n != 5 {
			t.Fatalf("unread after refused marks: %d", n)
		}
		read, err := db.MarkNotificationRead(as(f.contrib), f.org.ID, list[0].ID)
		if err != nil || !read.Read() {
			t.Fatalf("mark read: %+v %v", read, err)
		}
		if n, _ := db.UnreadNotifications(as(f.contrib), f.org.ID); n != 4 {
			t.Fatalf("unread after one read: %d", n)
		}
		if n, err := db.MarkAllNotificationsRead(as(f.contrib), f.org.ID); err != nil || n != 4 {
			t.Fatalf("mark all: %d %v", n, err)
		}
		if _, total, _ := db.Notifications(as(f.contrib), f.org.ID, isms.NotificationFilter{Unread: true}); total != 0 {
			t.Fatalf("unread after mark all: %d", total)
		}
	})
}

// ncUpdate is the input that keeps a nonconformity as it is.
func ncUpdate(n *isms.Nonconformity) isms.NonconformityInput {
	in := isms.NonconformityInput{Title: n.Title, Source: n.Source, SourceRef: n.SourceRef, RequirementKind: n.RequirementKind,
		Requirement: n.Requirement, Description: n.Description, DetectedOn: &n.DetectedOn, ReportedBy: n.ReportedBy, OwnerID: n.OwnerID,
		Version: n.Version}
	for _, a := range n.Actions {
		in.Actions = append(in.Actions, isms.NCActionInput{ID: a.ID, Action: a.Action, OwnerID: a.OwnerID, DueOn: a.DueOn, DoneOn: a.DoneOn})
	}
	return in
}

func TestNotificationPreferences(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "NotifPrefs")
		p, err := db.NotificationPreferences(as(f.contrib))
		if err != nil || p.Digest != isms.DefaultNotificationDigest {
			t.Fatalf("default %+v %v", p, err)
		}
		before := int(db.int(t, "SELECT COUNT(*) FROM audit_events"))
		_, err = db.SetNotificationPreferences(as(f.contrib), isms.NotificationPreferences{Digest: "hourly"})
		leadWantField(t, err, "digest", "err.choice")
		if n := int(db.int(t, "SELECT COUNT(*) FROM notification_preferences")); n != 0 {
			t.Fatalf("refused choice stored: %d", n)
		}
		if _, err := db.SetNotificationPreferences(as(f.contrib), isms.NotificationPreferences{Digest: isms.DigestWeekly}); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.NotificationPreferences(as(f.contrib)); p.Digest != isms.DigestWeekly {
			t.Fatalf("stored %+v", p)
		}
		if n := int(db.int(t, "SELECT COUNT(*) FROM audit_events")); n != before+1 {
			t.Fatalf("audit events %d, want %d", n, before+1)
		}
		// Another's choice is untouched.
		if p, _ := db.NotificationPreferences(as(f.coord)); p.Digest != isms.DefaultNotificationDigest {
			t.Fatalf("coordinator's %+v", p)
		}
		_, err = db.NotificationPreferences(context.Background())
		wantCode(t, err, isms.EUnauthorized)
	})
}

// TestNotificationJobOnceAcrossInstances runs the job from two store
// handles on one database at once, as two servers would: each
// notification is created once and each mail claimed once.
func TestNotificationJobOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "NotifTwo")
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		db.Now = clock
		second := db.secondInstance(t)
		second.Now = clock
		generate(t, db.DB) // the first look
		today := isms.DateOf(now)
		for i := range 6 {
			due := today.AddDays(i - 3)
			in := ncInput(&f.coord.ID)
			in.Title = fmt.Sprintf("Afvigelse %d", i)
			in.Actions = []isms.NCActionInput{{Action: fmt.Sprintf("Handling %d", i), OwnerID: &f.contrib.ID, DueOn: &due},
				{Action: fmt.Sprintf("Handling %d b", i), OwnerID: &f.mgmt.ID, DueOn: &due}}
			if _, err := db.CreateNonconformity(as(f.coord), f.org.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SetNotificationPreferences(as(f.mgmt), isms.NotificationPreferences{Digest: isms.DigestDaily}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for _, s := range []*sqlstore.DB{db.DB, second, db.DB, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := s.GenerateNotifications(context.Background(), true)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				created += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		// Twelve assignments, and for each a second notice: three of each
		// person's six actions are overdue, three due within the week.
		want := int(db.int(t, "SELECT COUNT(*) FROM notifications"))
		if created != want || want != 12+12 {
			t.Fatalf("created %d, rows %d, want 24", created, want)
		}
		// Both instances claim every mail at once: each is claimed once.
		claimed := map[string]int{}
		items := map[int64]int{}
		for _, s := range []*sqlstore.DB{db.DB, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mails, err := s.PendingNotificationMails(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				for _, m := range mails {
					m.Subject = "x"
					ok, err := s.ClaimNotificationMail(context.Background(), m)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						continue
					}
					mu.Lock()
					claimed[m.Key]++
					for _, n := range m.Items {
						items[n.ID]++
					}
					mu.Unlock()
					if err := s.FinishNotificationMail(context.Background(), m.LogID, nil); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		// The contributor wants each at once: twelve mails; management a
		// daily digest: one mail with its twelve.
		if len(claimed) != 13 || len(items) != 24 {
			t.Fatalf("claimed %d mails with %d notifications", len(claimed), len(items))
		}
		for k, n := range claimed {
			if n != 1 {
				t.Errorf("mail %s claimed %d times", k, n)
			}
		}
		for id, n := range items {
			if n != 1 {
				t.Errorf("notification %d in %d mails", id, n)
			}
		}
		if n := int(db.int(t, "SELECT COUNT(*) FROM notification_mails WHERE result = 'sent'")); n != 13 {
			t.Fatalf("%d mails logged sent", n)
		}
		// Nothing is left to send the same day.
		if mails, err := second.PendingNotificationMails(context.Background()); err != nil || len(mails) != 0 {
			t.Fatalf("left: %d %v", len(mails), err)
		}
	})
}

// A version sent for review is assigned to each named approver; one who
// has approved is no longer waited for, so their mail that had not yet
// gone is dropped, while the other approver's stays.
func TestNotificationsOfDocumentApprovals(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		d := f.doc(t, db.DB, isms.DocumentInput{Title: "Adgangspolitik", OwnerID: &f.contrib.ID, ApproverIDs: []int64{f.mgmt.ID, f.mgmt2.ID}})
		generate(t, db.DB)
		if _, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: "Kun de nødvendige adgange.", Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		v, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionSubmit, Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if n := generate(t, db.DB); n != 2 {
			t.Fatalf("created %d, want one per approver", n)
		}
		for _, u := range []*isms.User{f.mgmt, f.mgmt2} {
			list, _, err := db.Notifications(as(u), f.org.ID, isms.NotificationFilter{})
			if err != nil || len(list) != 1 || list[0].Source != "document_approval" || list[0].Title != "Adgangspolitik (v1)" ||
				list[0].Path != fmt.Sprintf("/documents/%d/versions/1", d.ID) || list[0].Event != isms.NotifyAssigned {
				t.Fatalf("%s: %+v %v", u.Email, list, err)
			}
		}
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if _, err := db.TransitionDocumentVersion(as(f.mgmt), f.org.ID, d.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, SHA256: v.SHA256, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "the approver who approved", pendingFor(t, db.DB, f.mgmt))
		wantLines(t, "the approver still waited for", pendingFor(t, db.DB, f.mgmt2), "assigned Adgangspolitik (v1)")
		// The other organisation's coordinator has no notification here.
		_, total, err := db.Notifications(as(f.outsider), f.org.ID, isms.NotificationFilter{})
		if total != 0 {
			t.Fatalf("outsider: %d", total)
		}
		wantCode(t, err, isms.ENotFound)
	})
}

// A security objective's owner hears of it and of its deadline coming up;
// once achieved it is no longer pending.
func TestNotificationsOfObjectives(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "NotifMaal")
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		generate(t, db.DB)
		in := objInput(&f.contrib.ID)
		due := isms.DateOf(now).AddDays(5)
		in.DueDate = &due
		o, err := db.CreateObjective(as(f.coord), f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "the owner's inbox", notifOf(t, db.DB, f.contrib, f.org.ID),
			"assigned objective "+in.Title+" "+due.String(), "due_soon objective "+in.Title+" "+due.String())
		in.Status, in.Version = isms.ObjectiveAchieved, o.Version
		if _, err := db.UpdateObjective(as(f.coord), f.org.ID, o.ID, in); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "pending once achieved", pendingFor(t, db.DB, f.contrib))
	})
}

// A breached threshold is its indicator owner's to answer: it reaches the
// owner's inbox when recorded and leaves the mail queue once answered.
func TestNotificationsOfIndicatorBreaches(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "NotifBrud")
		db.Now = func() time.Time { return time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC) }
		generate(t, db.DB)
		ind, err := db.CreateIndicator(as(f.coord), f.org.ID, indInput(&f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "no breach yet", notifOf(t, db.DB, f.contrib, f.org.ID))
		if _, err := db.AddIndicatorValue(as(f.coord), f.org.ID, ind.ID, isms.IndicatorValueInput{MeasuredOn: dp("2026-04-15"), Value: fp(70)}); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		title := ind.Title + " · 2026-04"
		wantLines(t, "the owner's inbox", notifOf(t, db.DB, f.contrib, f.org.ID), "assigned indicator_breach "+title+" -")
		wantLines(t, "the owner's mail", pendingFor(t, db.DB, f.contrib), "assigned "+title)
		bs, err := db.OpenMeasurementBreaches(as(f.coord), f.org.ID)
		if err != nil || len(bs) != 1 {
			t.Fatal(bs, err)
		}
		if _, err := db.HandleBreach(as(f.contrib), f.org.ID, bs[0].ID, isms.BreachHandling{Note: "Patchværktøjet var nede i to uger; genstartet", Version: bs[0].Version}); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "pending once answered", pendingFor(t, db.DB, f.contrib))
	})
}

// An internal audit is its lead auditor's to hold and, once held, to
// approve the report of: each reaches the lead auditor's inbox.
func TestNotificationsOfInternalAudits(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "NotifAudit")
		db.Now = func() time.Time { return time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC) }
		audSoA(t, db, f, f.contrib.ID)
		generate(t, db.DB)
		prog, err := db.CreateAuditProgramme(as(f.coord), f.org.ID, isms.AuditProgrammeInput{Title: "P", FirstYear: 2026, LastYear: 2028})
		if err != nil {
			t.Fatal(err)
		}
		in := audInput(prog.ID, &f.auditor.ID, "2026-05-08")
		a, err := db.CreateAudit(as(f.coord), f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		wantLines(t, "the lead auditor's inbox", notifOf(t, db.DB, f.auditor, f.org.ID),
			"assigned internal_audit "+in.Title+" 2026-05-08", "due_soon internal_audit "+in.Title+" 2026-05-08")
		in.HeldFrom, in.HeldTo, in.Version = dp("2026-05-04"), dp("2026-05-04"), a.Version
		if _, err := db.UpdateAudit(as(f.coord), f.org.ID, a.ID, in); err != nil {
			t.Fatal(err)
		}
		generate(t, db.DB)
		got := notifOf(t, db.DB, f.auditor, f.org.ID)
		if last := got[len(got)-1]; last != "assigned internal_audit "+in.Title+" 2026-06-03" {
			t.Fatalf("after the audit was held: %q", got)
		}
	})
}
