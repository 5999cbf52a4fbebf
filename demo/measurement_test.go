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

// The demo's measurement programme answers rule 7.1 yes: a documented
// guideline, indicators measured by hand for a year and computed from the
// records, a breach turned into a nonconformity, and the results carried
// by the status report to management; the parent organisation's overseer
// reads the indicators.
func TestFillMeasurementProgramme(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		answers, err := db.Checklist(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			if a.QuestionID == "7.1" && (a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) < 3) {
				t.Fatalf("7.1: %+v", a)
			}
		}
		inds, total, err := db.Indicators(reader, d.Org.ID, isms.IndicatorFilter{})
		if err != nil || total != 8 {
			t.Fatalf("%d indicators, %v", total, err)
		}
		computed, year := 0, false
		for _, ind := range inds {
			if ind.Latest == nil || ind.Overdue(d.Today) {
				t.Errorf("%s: latest %v, overdue %v", ind.Title, ind.Latest, ind.Overdue(d.Today))
			}
			if ind.Source == isms.SourceComputed {
				computed++
			}
			vals, err := db.IndicatorValues(reader, d.Org.ID, ind.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(vals) == 12 && vals[11].MeasuredOn.AddDays(366).After(vals[0].MeasuredOn.Time) {
				year = true
			}
		}
		if computed != 4 || !year {
			t.Errorf("%d computed, a year of values %v", computed, year)
		}
		ncs, _, err := db.Nonconformities(reader, d.Org.ID, isms.NonconformityFilter{Source: isms.NCSourceMeasurement})
		if err != nil || len(ncs) != 1 {
			t.Fatalf("nonconformities from measurement: %d %v", len(ncs), err)
		}
		bs, _, err := db.IndicatorBreaches(reader, d.Org.ID, isms.BreachFilter{})
		if err != nil {
			t.Fatal(err)
		}
		linked, handled := 0, 0
		for _, b := range bs {
			if b.NonconformityID != nil && *b.NonconformityID == ncs[0].ID {
				linked++
			}
			if b.HandledAt != nil {
				handled++
			}
		}
		if linked != 1 || handled == 0 {
			t.Errorf("breaches: %d linked, %d handled", linked, handled)
		}
		reports, err := db.StatusReports(reader, d.Org.ID)
		if err != nil || len(reports) == 0 || len(reports[0].Content.Indicators) != 8 {
			t.Fatalf("the status report's indicators: %v", err)
		}
		if over, _, err := db.Indicators(d.AsOverseer(), d.Org.ID, isms.IndicatorFilter{}); err != nil || len(over) != 8 {
			t.Fatalf("the overseer reads %d indicators: %v", len(over), err)
		}
	})
}
