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

// The demo's nonconformities come from several sources, one linked to a
// real committee decision and two to the incidents they came from; two
// are closed after an effective review, one
// has an overdue action; there are three improvements, and the closed
// nonconformity counts for the management topic "improvement".
func TestFillNonconformitiesAndImprovements(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		// Five recorded here (the ransomware's registered from its
		// incident), the one the measurement programme's breach raised
		// (measurement.go) and the one the internal audit's finding raised
		// (internal_audit.go), which their own tests check.
		all, total, err := db.Nonconformities(reader, d.Org.ID, isms.NonconformityFilter{})
		if err != nil || total != 7 {
			t.Fatalf("%d nonconformities, %v", total, err)
		}
		findings, err := db.AuditFindings(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		fromFindings := map[int64]bool{}
		for _, f := range findings {
			if f.NonconformityID != nil {
				fromFindings[*f.NonconformityID] = true
			}
		}
		var list []*isms.Nonconformity
		for _, n := range all {
			if n.Source != isms.NCSourceMeasurement && !fromFindings[n.ID] {
				list = append(list, n)
			}
		}
		sources := map[isms.NCSource]bool{}
		statuses := map[isms.NCStatus]int{}
		overdue, linked, fromIncidents := 0, 0, 0
		for _, n := range list {
			sources[n.Source] = true
			statuses[n.Status]++
			if n.Overdue(d.Today) {
				overdue++
			}
			if n.SourceDecisionID != nil {
				if _, err := db.Decision(reader, d.Org.ID, *n.SourceDecisionID); err != nil || n.SourceDecisionText == "" {
					t.Errorf("linked decision: %v", err)
				}
				linked++
			}
			if n.SourceIncidentID != nil {
				inc, err := db.Incident(reader, d.Org.ID, *n.SourceIncidentID)
				if err != nil || !inc.Nonconformity || inc.Status != isms.IncidentClosed || n.SourceIncidentTitle != inc.Title || n.Status != isms.NCClosed {
					t.Errorf("nonconformity %q from incident %+v: %v", n.Title, inc, err)
				}
				fromIncidents++
			}
		}
		for _, s := range []isms.NCSource{isms.NCSourceIncident, isms.NCSourceDecision, isms.NCSourceReport, isms.NCSourceAudit} {
			if !sources[s] {
				t.Errorf("no nonconformity from %s", s)
			}
		}
		if statuses[isms.NCClosed] != 2 || statuses[isms.NCActions] != 1 || statuses[isms.NCOpen] != 1 || statuses[isms.NCAnalysed] != 1 || overdue != 1 ||
			linked != 1 || fromIncidents != 2 {
			t.Errorf("statuses %v, %d overdue, %d linked to a decision, %d to an incident", statuses, overdue, linked, fromIncidents)
		}
		imps, n, err := db.Improvements(reader, d.Org.ID, isms.ImprovementFilter{})
		if err != nil || n != 3 {
			t.Fatalf("%d improvements, %v", n, err)
		}
		done := 0
		for _, i := range imps {
			if i.Status == isms.ImpDone {
				done++
			}
		}
		topics, err := db.ManagementTopicStatus(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range topics {
			// The management review, held on the demo's last day, is the
			// latest occasion when the demo has one; before it, a
			// nonconformity's effectiveness review.
			if st.Topic == "improvement" && (st.Last == nil || st.Last.Evidence.RecordType != "nonconformity" && st.Last.Evidence.RecordType != "management_review") {
				t.Errorf("topic improvement last dealt with by %+v", st.Last)
			}
		}
		if done != 1 {
			t.Errorf("%d improvements done", done)
		}
	})
}
