package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// forEachNotifDSN runs fn on a fresh database of each dialect by its
// address, so the test can open it twice, as two servers would.
func forEachNotifDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "isms.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, sqltest.PostgresSchema(t)) })
}

func openNotifDB(t *testing.T, dsn string, clock func() time.Time) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = clock
	return db
}

type notifWorld struct {
	db           *sqlstore.DB
	org          *isms.Organisation
	coord, owner *isms.User
	nc           *isms.Nonconformity
	inc          *isms.Incident
}

// newNotifWorld is an organisation whose coordinator reads Danish and
// wants a daily digest, and a contributor who reads English and wants
// each notification at once. The job has looked once before the records
// are made, so their assignments are news.
func newNotifWorld(t *testing.T, db *sqlstore.DB, now time.Time) *notifWorld {
	t.Helper()
	w := &notifWorld{db: db}
	sys := isms.WithActor(context.Background(), &isms.Actor{Name: "test", SiteAdmin: true})
	var err error
	if _, err = db.CreateUser(sys, "admin@notif.example", "Admin", "correct horse battery", true); err != nil {
		t.Fatal(err)
	}
	if w.coord, err = db.CreateUser(sys, "koordinator@notif.example", "Søren Ærø", "correct horse battery", false); err != nil {
		t.Fatal(err)
	}
	if w.owner, err = db.CreateUser(sys, "ejer@notif.example", "Åse Owner", "correct horse battery", false); err != nil {
		t.Fatal(err)
	}
	if w.org, err = db.CreateOrganisation(sys, isms.OrganisationInput{Name: "Notifby Kommune"}); err != nil {
		t.Fatal(err)
	}
	for u, role := range map[*isms.User]isms.Role{w.coord: isms.RoleCoordinator, w.owner: isms.RoleContributor} {
		if _, err := db.AddMembership(sys, w.org.ID, isms.MembershipInput{Email: u.Email, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetMailLanguage(actor(w.owner), "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetNotificationPreferences(actor(w.coord), isms.NotificationPreferences{Digest: isms.DigestDaily}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GenerateNotifications(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	today := isms.DateOf(now)
	yesterday, soon := today.AddDays(-1), today.AddDays(5)
	// A corrective action of the contributor's, overdue since yesterday.
	if w.nc, err = db.CreateNonconformity(actor(w.coord), w.org.ID, isms.NonconformityInput{Title: "Adgang ikke fjernet", Source: isms.NCSourceReport,
		RequirementKind: isms.NCReqControl, Requirement: "A.5.18", DetectedOn: &yesterday, OwnerID: &w.coord.ID,
		Actions: []isms.NCActionInput{{Action: "Fjern adgange for fratrådte", OwnerID: &w.owner.ID, DueOn: &yesterday}}}); err != nil {
		t.Fatal(err)
	}
	// Two improvements the site administrator gives the coordinator.
	for _, title := range []string{"Bedre logning", "Kortere svartider"} {
		if _, err := db.CreateImprovement(sys, w.org.ID, isms.ImprovementInput{Title: title, Area: isms.ImpProcedures, OwnerID: &w.coord.ID,
			Status: isms.ImpApproved, DueOn: &soon}); err != nil {
			t.Fatal(err)
		}
	}
	// A personal data breach detected 70 hours ago: its GDPR clock runs
	// out in two hours.
	ev, err := db.ReportEvent(actor(w.owner), w.org.ID, isms.IncidentEventInput{Title: "Borgerdata sendt til forkert modtager",
		DetectedAt: isms.InstantOf(now.Add(-70 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if w.inc, err = db.TriageIncident(actor(w.coord), w.org.ID, ev.ID, isms.IncidentTriageInput{Incident: true, Category: "data_leak", Severity: 2,
		OwnerID: &w.owner.ID, PersonalData: true, Version: ev.Version}); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestNotificationMailsAreSentOnceToTheRightPeople(t *testing.T) {
	forEachNotifDSN(t, func(t *testing.T, dsn string) {
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		db := openNotifDB(t, dsn, clock)
		w := newNotifWorld(t, db, now)
		second := openNotifDB(t, dsn, clock)
		mb := startMailbox(t, "127.0.0.1", nil, nil)
		cfg := mailConfig{Addr: mb.addr, From: "ISMS <isms@notif.example>", Timeout: 10 * time.Second}
		base := "https://isms.notif.example"

		// Two instances run the job at once.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var total notificationResult
		for _, s := range []*sqlstore.DB{db, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := sendNotifications(context.Background(), s, cfg, base, clock)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total.Created += res.Created
				total.Sent += res.Sent
				total.Failed += res.Failed
				mu.Unlock()
			}()
		}
		wg.Wait()
		got := byTo(mb.take())
		if total.Sent != 6 || total.Failed != 0 || len(got[w.owner.Email]) != 4 || len(got[w.coord.Email]) != 2 {
			t.Fatalf("sent %+v: owner %d, coordinator %d", total, len(got[w.owner.Email]), len(got[w.coord.Email]))
		}
		subjects := func(msgs []received) []string {
			var out []string
			for _, m := range msgs {
				out = append(out, m.Subject)
			}
			sort.Strings(out)
			return out
		}
		own := got[w.owner.Email]
		want := []string{"Assigned to you: Borgerdata sendt til forkert modtager", "Assigned to you: Fjern adgange for fratrådte",
			"Incident reporting deadline: Borgerdata sendt til forkert modtager", "Overdue: Fjern adgange for fratrådte"}
		if s := subjects(own); strings.Join(s, "|") != strings.Join(want, "|") {
			t.Fatalf("the owner's subjects %q", s)
		}
		ncLink := fmt.Sprintf("%s/orgs/%d/nonconformities/%d", base, w.org.ID, w.nc.ID)
		incLink := fmt.Sprintf("%s/orgs/%d/incidents/%d", base, w.org.ID, w.inc.ID)
		for _, m := range own {
			switch {
			case strings.HasPrefix(m.Subject, "Overdue"):
				if !strings.Contains(m.Body, "Dear Åse Owner") || !strings.Contains(m.Body, "Corrective action: Fjern adgange for fratrådte") ||
					!strings.Contains(m.Body, "due 2026-05-03") || !strings.Contains(m.Body, ncLink) {
					t.Errorf("overdue mail:\n%s", m.Body)
				}
			case strings.HasPrefix(m.Subject, "Incident reporting"):
				if !strings.Contains(m.Body, "GDPR: notification to Datatilsynet (72 hours) – runs out soon – due 2026-05-04 10:00 UTC") || !strings.Contains(m.Body, incLink) {
					t.Errorf("escalation mail:\n%s", m.Body)
				}
			}
			if m.From != "isms@notif.example" {
				t.Errorf("from %q", m.From)
			}
		}
		// The coordinator: the escalation at once despite the daily
		// digest, in Danish; the two improvements in one digest.
		coord := subjects(got[w.coord.Email])
		want = []string{"Indberetningsfrist for hændelse: Borgerdata sendt til forkert modtager", "Notifby Kommune: dagens notifikationer (4)"}
		if strings.Join(coord, "|") != strings.Join(want, "|") {
			t.Fatalf("the coordinator's subjects %q", coord)
		}
		for _, m := range got[w.coord.Email] {
			if strings.Contains(m.Subject, "dagens") {
				if strings.Count(m.Body, "Forbedring: ") != 4 || !strings.Contains(m.Body, "Tildelt dig – Forbedring: Bedre logning") ||
					!strings.Contains(m.Body, "Frist nærmer sig – Forbedring: Kortere svartider – frist 2026-05-09") ||
					!strings.Contains(m.Body, fmt.Sprintf("%s/orgs/%d/inbox", base, w.org.ID)) {
					t.Errorf("digest:\n%s", m.Body)
				}
			}
		}

		// An hour later, from either instance: nothing is sent again.
		now = now.Add(time.Hour)
		for _, s := range []*sqlstore.DB{second, db} {
			res, err := sendNotifications(context.Background(), s, cfg, base, clock)
			if err != nil || res.Sent != 0 {
				t.Fatalf("again: %+v %v", res, err)
			}
		}
		if n := len(mb.take()); n != 0 {
			t.Fatalf("%d mails again", n)
		}
		// A week after the action's due date it is overdue again; the
		// GDPR clock ran out unreported, which escalates once more; the
		// improvements are overdue, in the coordinator's next digest.
		now = now.AddDate(0, 0, 8)
		res, err := sendNotifications(context.Background(), db, cfg, base, clock)
		if err != nil {
			t.Fatal(err)
		}
		got = byTo(mb.take())
		want = []string{"Incident reporting deadline: Borgerdata sendt til forkert modtager", "Overdue: Fjern adgange for fratrådte"}
		if o := subjects(got[w.owner.Email]); strings.Join(o, "|") != strings.Join(want, "|") {
			t.Fatalf("a week later %+v: %q", res, o)
		}
		want = []string{"Indberetningsfrist for hændelse: Borgerdata sendt til forkert modtager", "Notifby Kommune: dagens notifikationer (2)"}
		if c := subjects(got[w.coord.Email]); strings.Join(c, "|") != strings.Join(want, "|") {
			t.Fatalf("the coordinator a week later: %q", c)
		}
		for _, m := range append(got[w.owner.Email], got[w.coord.Email]...) {
			if strings.HasPrefix(m.Subject, "Ind") && !strings.Contains(m.Body, "overskredet") || strings.HasPrefix(m.Subject, "Incident") && !strings.Contains(m.Body, "– overdue") {
				t.Errorf("escalation of an overdue clock:\n%s", m.Body)
			}
		}
	})
}

func TestFailedNotificationMailsAreRetriedThreeTimes(t *testing.T) {
	forEachNotifDSN(t, func(t *testing.T, dsn string) {
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		db := openNotifDB(t, dsn, clock)
		w := newNotifWorld(t, db, now)
		mb := startMailbox(t, "127.0.0.1", nil, nil)
		mb.rejectTo = w.owner.Email
		cfg := mailConfig{Addr: mb.addr, From: "isms@notif.example", Timeout: 10 * time.Second}
		for round := 1; round <= 4; round++ {
			res, err := sendNotifications(context.Background(), db, cfg, "", clock)
			if err != nil {
				t.Fatal(err)
			}
			want := 4
			if round > 3 {
				want = 0 // given up after three attempts
			}
			if res.Failed != want {
				t.Fatalf("round %d: %+v", round, res)
			}
		}
		if got := byTo(mb.take()); len(got[w.owner.Email]) != 0 || len(got[w.coord.Email]) != 2 {
			t.Fatalf("delivered %v", got)
		}
	})
}

func TestNotificationsSendCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "isms.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	newNotifWorld(t, db, time.Now())
	db.Close()
	var out bytes.Buffer
	mb := startMailbox(t, "127.0.0.1", nil, nil)
	if err := run(context.Background(), []string{"notifications", "send", "--db", path, "--smtp-addr", mb.addr, "--smtp-from", "isms@notif.example",
		"--base-url", "https://isms.notif.example"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if n := len(mb.take()); n != 6 || !strings.Contains(out.String(), "6 mails sent") {
		t.Fatalf("%d mails: %s", n, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"notifications", "send", "--db", path, "--smtp-addr", mb.addr, "--smtp-from", "isms@notif.example"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if n := len(mb.take()); n != 0 || !strings.Contains(out.String(), "0 mails sent") {
		t.Fatalf("second run sent %d: %s", n, out.String())
	}
	// Without a mail server it fills the inboxes only.
	out.Reset()
	if err := run(context.Background(), []string{"notifications", "send", "--db", path}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "no mail sent") {
		t.Fatalf("output %q", out.String())
	}
}

// serve's loop fills the inboxes even without a mail server, and stops
// with the server.
func TestNotificationLoopFillsInboxesWithoutMail(t *testing.T) {
	now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	db := openNotifDB(t, filepath.Join(t.TempDir(), "isms.db"), func() time.Time { return now })
	w := newNotifWorld(t, db, now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		runNotificationLoop(ctx, db, &reminderFlags{interval: time.Minute}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		close(done)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := db.UnreadNotifications(actor(w.owner), w.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d notifications after 30 seconds", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	// Noted without a mail server, they wait for no mail.
	if mails, err := db.PendingNotificationMails(context.Background()); err != nil || len(mails) != 0 {
		t.Fatalf("pending mails %d %v", len(mails), err)
	}
}
