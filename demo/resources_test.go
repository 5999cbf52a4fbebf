package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo municipality's objectives have owners, measurable targets and
// resources for the year covered by management's grant, and a status
// report reached management this week: checklist 4.1 answers yes from the
// records. The year's page shows the one gap, on a line of the ISMS as a
// whole; lowering a grant on an objective's line turns 4.1 to partly,
// naming that objective.
func TestFillAnswersTheResourcesQuestion(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		answer := func() *isms.ChecklistAnswer {
			t.Helper()
			answers, err := db.Checklist(reader, d.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range answers {
				if a.QuestionID == "4.1" {
					return a
				}
			}
			t.Fatal("no 4.1")
			return nil
		}
		if a := answer(); a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) < 2 {
			t.Fatalf("4.1: %s from %s, reasons %v, evidence %v", a.Status, a.Source, a.Reasons, a.Evidence)
		}
		y, err := db.ResourceYear(reader, d.Org.ID, d.Today.Year())
		if err != nil {
			t.Fatal(err)
		}
		if y.Totals.Gaps != 1 || y.ISMSTotals.Gaps != 1 || len(y.Unresourced) != 0 || len(y.Objectives) != 3 || len(y.Carried) == 0 {
			t.Fatalf("year: totals %+v, isms %+v, unresourced %d, objectives %d, carried %d", y.Totals, y.ISMSTotals, len(y.Unresourced), len(y.Objectives), len(y.Carried))
		}
		kinds := map[string]int{}
		for _, k := range y.Carried {
			kinds[k.Kind]++
		}
		if kinds[isms.LinkControl] < 3 || kinds[isms.LinkActivity] == 0 || kinds[isms.LinkTask] == 0 {
			t.Errorf("carried %v", kinds)
		}
		reports, err := db.StatusReports(reader, d.Org.ID)
		if err != nil || len(reports) != 1 || reports[0].ReceivedAt == nil || len(reports[0].Content.Objectives) != 3 {
			t.Fatalf("reports %v %v", reports, err)
		}
		// Management grants less than planned on a line of the phishing
		// objective.
		var line *isms.ResourceLine
		for _, o := range y.Objectives {
			if strings.HasPrefix(o.Title, "Færre medarbejdere") {
				line = o.Lines[0]
			}
		}
		if line == nil {
			t.Fatal("no line for the phishing objective")
		}
		g := line.Granted
		less := *g.OneOff - 10000
		g.OneOff = &less
		if _, err := db.GrantResourceLine(d.As(isms.RoleManagement), d.Org.ID, line.ID, isms.ResourceGrantInput{Granted: g, Version: line.Version}); err != nil {
			t.Fatal(err)
		}
		a := answer()
		if a.Status != isms.AnswerPartly || len(a.Reasons) != 1 || a.Reasons[0].Key != "reason.obj_resource_gap" ||
			!strings.Contains(a.Reasons[0].Args[0].(string), "Færre medarbejdere") {
			t.Fatalf("after the lower grant 4.1: %s, reasons %v", a.Status, a.Reasons)
		}
	})
}
