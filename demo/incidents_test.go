package demo_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo's significant NIS2 incident has its three reports sent on time
// and its personal data breach was notified within 72 hours: every clock
// is met, none runs overdue, and one event was not an incident.
func TestFillIncidentClocksMet(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		set, err := db.IncidentSettings(reader, d.Org.ID)
		if err != nil || !set.NIS2Applies || !set.GDPRApplies {
			t.Fatal(set, err)
		}
		incs, _, err := db.Incidents(reader, d.Org.ID, isms.IncidentFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var nis2, gdpr, not, ordinary int
		for _, i := range incs {
			clocks := isms.IncidentClocks(i, *set, i.Reports, db.Now())
			for _, c := range clocks {
				if c.State != isms.ClockMet {
					t.Errorf("%s: clock %s/%s %s", i.Title, c.Regime, c.Kind, c.State)
				}
			}
			switch {
			case i.Status == isms.IncidentNotIncident:
				not++
			case i.NIS2Significant:
				nis2++
				if len(clocks) != 3 {
					t.Errorf("%s: %d NIS2 clocks", i.Title, len(clocks))
				}
			case i.PersonalData:
				gdpr++
				if len(clocks) != 1 || clocks[0].Regime != isms.RegimeGDPR {
					t.Errorf("%s: clocks %+v", i.Title, clocks)
				}
			default:
				ordinary++
			}
		}
		if nis2 != 1 || gdpr != 1 || not != 1 || ordinary < 2 {
			t.Fatalf("NIS2 %d, GDPR %d, not incidents %d, ordinary %d", nis2, gdpr, not, ordinary)
		}
		if _, n, _ := db.Incidents(reader, d.Org.ID, isms.IncidentFilter{Overdue: true}); n != 0 {
			t.Fatalf("%d incidents with an overdue clock", n)
		}
	})
}
