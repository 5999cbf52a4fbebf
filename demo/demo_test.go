package demo_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

func TestFillAnswersTheOverviewQuestions(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		var out bytes.Buffer
		d, err := demo.Fill(context.Background(), db, &out, "")
		if err != nil {
			t.Fatal(err)
		}
		answers, err := db.Checklist(d.As(isms.RoleReader), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*isms.ChecklistAnswer{}
		for _, a := range answers {
			got[a.QuestionID] = a
		}
		for _, q := range []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.6"} {
			a := got[q]
			if a == nil || a.Status != isms.AnswerYes || a.Source != isms.SourceRecords {
				t.Errorf("question %s: %+v, want yes from the records", q, a)
			}
		}

		// Every register is filled, with owners, future reviews and
		// assessed requirements.
		entries, total, err := db.OverviewEntries(d.As(isms.RoleAuditor), d.Org.ID, isms.EntryFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(entries) || total < 30 {
			t.Fatalf("%d entries (%d listed)", total, len(entries))
		}
		perKind := map[isms.EntryKind]int{}
		categories := map[string]bool{}
		for _, e := range entries {
			perKind[e.Kind]++
			categories[e.Category] = true
			if e.Status != isms.StatusActive || e.OwnerID == nil || e.Description == "" || !e.Requirements.Assessed() ||
				e.Requirements.Text == "" || e.NextReview == nil || !d.Today.Before(*e.NextReview) {
				t.Errorf("entry %q is incomplete: %+v", e.Name, e)
			}
			if e.Kind == isms.KindProcess || e.Kind == isms.KindSystem {
				// Listings leave links out; the single entry has them.
				full, err := db.OverviewEntry(d.As(isms.RoleReader), d.Org.ID, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(full.Links) == 0 {
					t.Errorf("%s %q is linked to nothing", e.Kind, e.Name)
				}
			}
		}
		for _, k := range isms.EntryKinds {
			if perKind[k] < 3 {
				t.Errorf("register %s has %d entries", k, perKind[k])
			}
		}
		for _, c := range []string{"law", "contract", "supplier_agreement", "international_agreement"} {
			if !categories[c] {
				t.Errorf("no external factor of category %s", c)
			}
		}
		// The system owner recorded his own systems.
		sys, _, err := db.OverviewEntries(d.As(isms.RoleReader), d.Org.ID, isms.EntryFilter{Kind: isms.KindSystem, OwnerID: d.Users[isms.RoleContributor].ID})
		if err != nil || len(sys) == 0 {
			t.Fatalf("systems owned by the system owner: %d, %v", len(sys), err)
		}
		events, _, err := db.AuditEvents(d.As(isms.RoleAuditor), d.Org.ID, isms.AuditFilter{RecordType: "overview_entry", RecordID: sys[0].ID})
		if err != nil || len(events) == 0 || events[len(events)-1].ActorID != d.Users[isms.RoleContributor].ID {
			t.Fatalf("the system %q was not recorded by its owner: %+v %v", sys[0].Name, events, err)
		}

		// The scope is complete and approved by management.
		s, err := db.Scope(d.As(isms.RoleReader), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Approved() || s.ApprovedBy == nil || *s.ApprovedBy != d.Users[isms.RoleManagement].ID || len(s.ProcessIDs) < 3 ||
			s.InformationTypes == "" || s.OrganisationUnits == "" || s.Exclusions == "" || s.BoundaryCriteria == "" ||
			s.OwnerID == nil || s.NextReview == nil {
			t.Fatalf("scope %+v", s)
		}

		// Every role is there, and the parent's overseer reads the municipality.
		members, err := db.Memberships(d.As(isms.RoleReader), d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[isms.Role]bool{}
		for _, m := range members {
			roles[m.Role] = true
		}
		for _, r := range isms.Roles {
			if !roles[r] {
				t.Errorf("no member with role %s", r)
			}
		}
		a, err := db.Access(d.AsOverseer(), d.Org.ID)
		if err != nil || !a.Oversight || a.Role != "" {
			t.Fatalf("overseer's access: %+v %v", a, err)
		}
		o, err := db.Organisation(d.AsOverseer(), d.Org.ID)
		if err != nil || o.Purpose == "" || o.ParentID == nil || *o.ParentID != d.Parent.ID {
			t.Fatalf("organisation seen by the overseer: %+v %v", o, err)
		}
		if _, breaks, err := db.VerifyAudit(context.Background()); err != nil || len(breaks) > 0 {
			t.Fatalf("audit: %v %v", breaks, err)
		}

		// The demo users can log in with the printed password.
		text := out.String()
		for _, want := range []string{demo.DefaultAddress, demo.Password} {
			if !strings.Contains(text, want) {
				t.Errorf("output lacks %q:\n%s", want, text)
			}
		}
		for _, p := range demo.People {
			if !strings.Contains(text, p.Email) || (p.Role != "" && !strings.Contains(text, string(p.Role))) {
				t.Errorf("output lacks %s (%s):\n%s", p.Email, p.Role, text)
			}
			if _, err := db.Authenticate(context.Background(), p.Email, demo.Password, "test"); err != nil {
				t.Errorf("log in as %s: %v", p.Email, err)
			}
		}
	})
}

func TestFillTwiceIsRefused(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, ""); err != nil {
			t.Fatal(err)
		}
		admin := isms.WithActor(context.Background(), &isms.Actor{Name: "test", SiteAdmin: true})
		orgs, _ := db.Organisations(admin)
		users, _ := db.CountUsers(context.Background())
		var out bytes.Buffer
		_, err := demo.Fill(context.Background(), db, &out, "")
		if !errors.Is(err, demo.ErrExists) || !strings.Contains(err.Error(), "demo organisation already exists") {
			t.Fatalf("second fill: %v", err)
		}
		orgs2, _ := db.Organisations(admin)
		users2, _ := db.CountUsers(context.Background())
		if len(orgs2) != len(orgs) || users2 != users || out.Len() != 0 {
			t.Fatalf("second fill changed something: %d→%d organisations, %d→%d users, output %q", len(orgs), len(orgs2), users, users2, out.String())
		}
	})
}

// In a database that is already in use, the demo's users are ordinary
// users, not site administrators.
func TestFillBesideExistingData(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		first, err := db.CreateUser(context.Background(), "owner@example.org", "Owner", "a long enough password", true)
		if err != nil || !first.SiteAdmin {
			t.Fatal(first, err)
		}
		var out bytes.Buffer
		d, err := demo.Fill(context.Background(), db, &out, "https://isms.example.org")
		if err != nil {
			t.Fatal(err)
		}
		for r, u := range d.Users {
			if u.SiteAdmin {
				t.Errorf("demo %s is a site administrator", r)
			}
		}
		if !strings.Contains(out.String(), "https://isms.example.org") || strings.Contains(out.String(), "site admin") {
			t.Errorf("output:\n%s", out.String())
		}
	})
}
