package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

func TestAcknowledgements(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		anon := context.Background()
		// No published behaviour policy: no link.
		if _, _, err := db.CreateAcknowledgementLink(as(f.coord), f.org.ID); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("link without a published policy: %v", err)
		}
		d := behaviourPolicy(t, db.DB, f, "Lås din skærm, når du går fra den.", true)
		// Only those who may edit the ISMS make links; another
		// organisation's coordinator may not.
		for _, u := range []*isms.User{f.contrib, f.reader, f.outsider} {
			if _, _, err := db.CreateAcknowledgementLink(as(u), f.org.ID); isms.ErrorCode(err) != isms.EForbidden && isms.ErrorCode(err) != isms.ENotFound {
				t.Fatalf("%s made a link: %v", u.Email, err)
			}
		}
		if _, err := db.AcknowledgementStatus(as(f.outsider), f.org.ID); isms.ErrorCode(err) == "" {
			t.Fatal("another organisation read the acknowledgements")
		}
		token, link, err := db.CreateAcknowledgementLink(as(f.coord), f.org.ID)
		if err != nil || !link.Active || link.DocumentID != d.ID || token == "" {
			t.Fatalf("link %+v %v", link, err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM acknowledgement_links WHERE token_hash = ?", token); n != 0 {
			t.Fatal("the token is stored as it is")
		}
		pg, err := db.AcknowledgementPage(anon, token)
		if err != nil || pg.Text != "Lås din skærm, når du går fra den." || pg.Version != 1 || pg.OrganisationName != f.org.Name {
			t.Fatalf("page %+v %v", pg, err)
		}
		if _, err := db.AcknowledgementPage(anon, token+"x"); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("wrong token: %v", err)
		}

		// Bad input names the field and stores nothing.
		for _, c := range []struct {
			in    isms.AcknowledgementInput
			field string
		}{
			{isms.AcknowledgementInput{Email: "a@b.dk", Accept: true}, "name"},
			{isms.AcknowledgementInput{Name: "Anna", Email: "ikke en adresse", Accept: true}, "email"},
			{isms.AcknowledgementInput{Name: "Anna", Email: "a@b.dk"}, "accept"},
			{isms.AcknowledgementInput{Name: "Anna", Email: "a@b.dk", Accept: true, UnitID: new(int64)}, "unit_id"},
		} {
			_, err := db.Acknowledge(anon, token, c.in)
			if e := isms.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Fatalf("%+v: %v", c.in, err)
			}
		}
		if n := db.int(t, "SELECT COUNT(*) FROM policy_acknowledgements"); n != 0 {
			t.Fatalf("%d acknowledgements after bad input", n)
		}
		created, err := db.Acknowledge(anon, token, isms.AcknowledgementInput{Name: "Anna Holm", Email: "Anna@Solbjerg.dk ", Accept: true})
		if err != nil || !created {
			t.Fatalf("acknowledge: %v %v", created, err)
		}
		// Again, with the address written otherwise: not an error, counted once.
		created, err = db.Acknowledge(anon, token, isms.AcknowledgementInput{Name: "Anna Holm", Email: "anna@solbjerg.dk", Accept: true})
		if err != nil || created {
			t.Fatalf("acknowledge again: %v %v", created, err)
		}
		st, err := db.AcknowledgementStatus(as(f.reader), f.org.ID)
		if err != nil || st.Total != 1 || st.PublishedVersion != 1 || st.Acknowledgements[0].Email != "anna@solbjerg.dk" || st.Wanted {
			t.Fatalf("status %+v %v", st, err)
		}
		if len(st.Units) != 1 || st.Units[0].UnitID != 0 || st.Units[0].Count != 1 {
			t.Fatalf("units %+v", st.Units)
		}
		// The acknowledgement is an audit event with the link as its actor.
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND record_type = 'policy_acknowledgement' AND actor_id = 0 AND actor_name LIKE 'acknowledgement link %'", f.org.ID); n != 1 {
			t.Fatalf("%d audit events for the acknowledgement", n)
		}

		// A new published version needs new acknowledgements.
		publishText(t, db.DB, f, d, "Lås din skærm, og rapportér hændelser straks.", true, f.mgmt)
		st, _ = db.AcknowledgementStatus(as(f.reader), f.org.ID)
		if st.PublishedVersion != 2 || st.Total != 0 {
			t.Fatalf("after a new version %+v", st)
		}
		if created, err := db.Acknowledge(anon, token, isms.AcknowledgementInput{Name: "Anna Holm", Email: "anna@solbjerg.dk", Accept: true}); err != nil || !created {
			t.Fatalf("acknowledge the new version: %v %v", created, err)
		}

		// A new link revokes the old; revoking ends the new one.
		token2, _, err := db.CreateAcknowledgementLink(as(f.coord), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AcknowledgementPage(anon, token); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("old link after a new one: %v", err)
		}
		if err := db.RevokeAcknowledgementLink(as(f.reader), f.org.ID); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader revoked: %v", err)
		}
		if err := db.RevokeAcknowledgementLink(as(f.coord), f.org.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Acknowledge(anon, token2, isms.AcknowledgementInput{Name: "B", Email: "b@b.dk", Accept: true}); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("revoked link: %v", err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND record_type = 'acknowledgement_link'", f.org.ID); n != 3 {
			t.Fatalf("%d link audit events", n)
		}
	})
}

// TestConcurrentAcknowledgements: the same person acknowledging at once
// from several tabs (and instances) counts once, without an error.
func TestConcurrentAcknowledgements(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newDocFixture(t, raw.DB)
		behaviourPolicy(t, raw.DB, f, "Politikken", true)
		token, _, err := raw.CreateAcknowledgementLink(as(f.coord), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var newOnes [8]bool
		errs := together(in, 8, func(i int, db *sqlstore.DB) error {
			var err error
			newOnes[i], err = db.Acknowledge(context.Background(), token, isms.AcknowledgementInput{Name: fmt.Sprint("Bo ", i), Email: "bo@solbjerg.dk", Accept: true})
			return err
		})
		if got := outcomes(errs); got[""] != 8 {
			t.Fatalf("outcomes %v", got)
		}
		created := 0
		for _, c := range newOnes {
			if c {
				created++
			}
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM policy_acknowledgements"); n != 1 || created != 1 {
			t.Fatalf("%d acknowledgements, %d reported new", n, created)
		}
		wantIntactChain(t, raw.DB)
	})
}

// TestConcurrentAcknowledgementLinks: coordinators making links at once
// leave exactly one active, the last made.
func TestConcurrentAcknowledgementLinks(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newDocFixture(t, raw.DB)
		behaviourPolicy(t, raw.DB, f, "Politikken", true)
		tokens := make([]string, 6)
		errs := together(in, 6, func(i int, db *sqlstore.DB) error {
			var err error
			tokens[i], _, err = db.CreateAcknowledgementLink(as(f.coord), f.org.ID)
			return err
		})
		if got := outcomes(errs); got[""] != 6 {
			t.Fatalf("outcomes %v", got)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM acknowledgement_links WHERE organisation_id = ? AND revoked_at IS NULL", f.org.ID); n != 1 {
			t.Fatalf("%d active links", n)
		}
		working := 0
		for _, tok := range tokens {
			if _, err := raw.AcknowledgementPage(context.Background(), tok); err == nil {
				working++
			}
		}
		if working != 1 {
			t.Fatalf("%d links work", working)
		}
		wantIntactChain(t, raw.DB)
	})
}
