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

		// The personal data breach's plan entries are recorded, without a
		// gap; the ransomware names its risk, threat and controls, and the
		// risk shows it back.
		for _, i := range incs {
			comms, err := db.IncidentCommunications(reader, d.Org.ID, i.ID)
			if err != nil {
				t.Fatal(err)
			}
			recorded := 0
			for _, c := range comms {
				if c.Gap {
					t.Errorf("%s: gap in %s", i.Title, c.CaseKey)
				}
				if c.DoneAt != nil {
					recorded++
				}
			}
			if (i.PersonalData || i.NIS2Significant) && recorded != 2 {
				t.Errorf("%s: %d communications recorded", i.Title, recorded)
			}
			if i.NIS2Significant {
				if len(i.Risks) == 0 || len(i.Threats) != 1 || len(i.Controls) != 3 {
					t.Errorf("%s: links %+v %+v %+v", i.Title, i.Risks, i.Threats, i.Controls)
				} else if refs, err := db.IncidentsOfRisk(reader, d.Org.ID, i.Risks[0].ID); err != nil || len(refs) != 1 || refs[0].ID != i.ID {
					t.Errorf("the risk's incidents: %+v %v", refs, err)
				}
			}
		}

		// Question 7.4 answers yes from the records: the procedure is
		// approved and every closed incident flagged as a nonconformity
		// has its analysed nonconformity. What the other elements answer
		// yes stays yes.
		answers, err := db.Checklist(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		yes := map[string]bool{}
		for _, a := range answers {
			if a.Status == isms.AnswerYes && a.Source == isms.SourceRecords {
				yes[a.QuestionID] = true
			}
			if a.QuestionID == "7.4" && (a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) < 5) {
				t.Errorf("7.4: %s from %s, reasons %v, evidence %v", a.Status, a.Source, a.Reasons, a.Evidence)
			}
		}
		for _, q := range []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2", "4.3", "4.4",
			"4.5", "4.6", "4.7", "6.1", "6.2", "6.3", "6.4", "7.4"} {
			if !yes[q] {
				t.Errorf("question %s is not yes from the records", q)
			}
		}
	})
}
