package sqlstore_test

import (
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// Two risk rules are written twice: in Go (Risk.JudgeAcceptance and
// Risk.Settled, read with every risk) and in SQL (the register's filter
// "needs acceptance" and the checklist's count of unsettled risks). The
// same cases run through both, on both databases, so the two cannot drift.
func TestRiskRulesGoAndSQL(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		ra := w.assessment(t, w.system)
		day0 := w.now
		deadline := isms.DateOf(day0.AddDate(0, 3, 0))
		decide := func(tr isms.Treatment, l, c int) func(*isms.RiskInput) {
			return func(in *isms.RiskInput) {
				in.Treatment, in.OwnerID, in.ResidualLikelihood, in.ResidualConsequence = tr, &w.coord.ID, l, c
				if tr == isms.TreatmentMitigate {
					in.Deadline, in.PlannedControls = &deadline, []int64{w.control(t, "5.15")}
				}
			}
		}
		cases, want := map[int64]string{}, map[int64][2]bool{}
		// Every case is set up on day 0 and judged on day 10. The default
		// method (4×4 Standard) accepts (1,1), (1,2), (1,3), (2,1), (2,2)
		// and (3,1) as likelihood and consequence; (3,4) and (3,3) are above.
		for _, c := range []struct {
			name          string
			l, c          int
			decide        func(*isms.RiskInput)
			acceptFor     int                   // days from day 0 the acceptance holds; 0: not accepted
			then          func(*isms.RiskInput) // a change after the acceptance
			needs, settle bool
		}{
			{name: "within the criteria, undecided", l: 1, c: 2, settle: true},
			{name: "above, undecided", l: 3, c: 4, needs: true},
			{name: "above, mitigated to within", l: 3, c: 4, decide: decide(isms.TreatmentMitigate, 1, 1), settle: true},
			{name: "above, mitigated, still above", l: 3, c: 4, decide: decide(isms.TreatmentMitigate, 3, 3), needs: true},
			{name: "above, accepted", l: 3, c: 4, decide: decide(isms.TreatmentAccept, 0, 0), acceptFor: 30, settle: true},
			{name: "accepted until the day judged", l: 3, c: 4, decide: decide(isms.TreatmentAccept, 0, 0), acceptFor: 10, settle: true},
			{name: "acceptance expired the day before", l: 3, c: 4, decide: decide(isms.TreatmentAccept, 0, 0), acceptFor: 9, needs: true},
			{name: "risen above what was accepted", l: 3, c: 4, decide: decide(isms.TreatmentAccept, 0, 0), acceptFor: 30,
				then: func(in *isms.RiskInput) { in.Likelihood, in.ResidualLikelihood = 4, 0 }, needs: true},
			{name: "lowered below what was accepted", l: 3, c: 4, decide: decide(isms.TreatmentMitigate, 3, 3), acceptFor: 30,
				then: func(in *isms.RiskInput) { in.ResidualLikelihood = 2 }, settle: true},
			{name: "mitigated to within, acceptance expired", l: 3, c: 4, decide: decide(isms.TreatmentMitigate, 3, 3), acceptFor: 5,
				then: func(in *isms.RiskInput) { in.ResidualLikelihood, in.ResidualConsequence = 1, 1 }, settle: true},
			{name: "undecided again after acceptance", l: 3, c: 4, decide: decide(isms.TreatmentAccept, 0, 0), acceptFor: 30,
				then: func(in *isms.RiskInput) { in.Treatment = isms.TreatmentNone }},
		} {
			w.now = day0
			r := w.risk(t, ra, "ransomware", c.l, c.c, c.decide)
			if c.acceptFor > 0 {
				exp := isms.DateOf(day0.AddDate(0, 0, c.acceptFor))
				var err error
				if r, err = db.AcceptRisk(as(w.mgmt), w.org.ID, r.ID, isms.RiskAcceptanceInput{Reason: "Budget", Expires: &exp, Version: r.Version}); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
			}
			if c.then != nil {
				in := riskInputOf(r)
				c.then(&in)
				var err error
				if r, err = db.UpdateRisk(as(w.coord), w.org.ID, r.ID, in); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
			}
			cases[r.ID] = c.name
			want[r.ID] = [2]bool{c.needs, c.settle}
		}
		w.now = day0.AddDate(0, 0, 10)
		judge := func(method string, stated bool) {
			t.Helper()
			rs, _, err := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != len(cases) {
				t.Fatalf("%d risks, want %d", len(rs), len(cases))
			}
			for _, r := range rs {
				name := method + ": " + cases[r.ID]
				needs, unsettled, err := db.RiskRulesInSQL(context.Background(), w.org.ID, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if r.NeedsAcceptance != needs {
					t.Errorf("%s: needs acceptance in Go %v, in SQL %v", name, r.NeedsAcceptance, needs)
				}
				if r.Settled() == unsettled {
					t.Errorf("%s: settled in Go %v, unsettled in SQL %v", name, r.Settled(), unsettled)
				}
				if stated && (r.NeedsAcceptance != want[r.ID][0] || r.Settled() != want[r.ID][1]) {
					t.Errorf("%s: needs acceptance %v, settled %v; want %v, %v", name, r.NeedsAcceptance, r.Settled(), want[r.ID][0], want[r.ID][1])
				}
			}
		}
		judge("default method", true)
		// Another method moves the criteria under the same risks: Go and
		// SQL must still agree.
		m, err := db.RiskMethod(as(w.coord), w.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveRiskMethod(as(w.coord), w.org.ID, isms.RiskMethodInput{ScaleKey: "SCALE_1_4_KL", AcceptRule: isms.AcceptByBand,
			AcceptBand: "below_medium", DefaultIntervalMonths: 12, Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		judge("KL scale, below medium accepted", false)
		if _, err := db.SaveRiskMethod(as(w.coord), w.org.ID, isms.RiskMethodInput{ScaleKey: "SCALE_1_4_KL", AcceptRule: isms.AcceptByScore,
			AcceptScore: 9, DefaultIntervalMonths: 12, Version: m.Version + 1}); err != nil {
			t.Fatal(err)
		}
		judge("KL scale, scores up to 9 accepted", false)
	})
}

// riskInputOf is the input that would save a risk unchanged.
func riskInputOf(r *isms.Risk) isms.RiskInput {
	return isms.RiskInput{AssessmentID: r.AssessmentID, ThreatID: r.ThreatID, Title: r.Title, Description: r.Description,
		Likelihood: r.Likelihood, Consequence: r.Consequence, ExistingControls: r.ExistingControls,
		ExistingControlsText: r.ExistingControlsText, Treatment: r.Treatment, TreatmentNote: r.TreatmentNote, OwnerID: r.OwnerID,
		Deadline: r.Deadline, PlannedControls: r.PlannedControls, ResidualLikelihood: r.Residual.Likelihood,
		ResidualConsequence: r.Residual.Consequence, Version: r.Version}
}

// Who reads a document is written twice: in Go (Document.ReadableBy,
// asked when one document is read) and in SQL (the condition every
// listing of documents carries). Every role runs through both over
// documents of every classification, with and without an owner and an
// approver, on both databases.
func TestDocumentReadersGoAndSQL(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		classes := append([]isms.Classification{isms.ClassUnset}, isms.Classifications...)
		for _, cl := range classes {
			for _, owner := range []*int64{nil, &f.contrib.ID, &f.reader.ID} {
				for _, approvers := range [][]int64{nil, {f.reader.ID}, {f.auditor.ID, f.mgmt.ID}} {
					f.doc(t, db, isms.DocumentInput{Classification: cl, OwnerID: owner, ApproverIDs: approvers})
				}
			}
		}
		all, n, err := db.Documents(as(f.admin), f.org.ID, isms.DocumentFilter{Limit: 500})
		if err != nil || n != len(classes)*9 || len(all) != n {
			t.Fatalf("%d documents of %d: %v", len(all), len(classes)*9, err)
		}
		for _, m := range []struct {
			u    *isms.User
			role isms.Role
		}{{f.admin, isms.RoleAdministrator}, {f.coord, isms.RoleCoordinator}, {f.contrib, isms.RoleContributor}, {f.mgmt, isms.RoleManagement},
			{f.auditor, isms.RoleAuditor}, {f.reader, isms.RoleReader}} {
			listed, _, err := db.Documents(as(m.u), f.org.ID, isms.DocumentFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			inSQL := map[int64]bool{}
			for _, d := range listed {
				inSQL[d.ID] = true
			}
			a := isms.Access{Role: m.role, SiteAdmin: m.u.SiteAdmin}
			for _, d := range all {
				if inGo := d.ReadableBy(a, m.u.ID); inGo != inSQL[d.ID] {
					t.Errorf("%s reading a %q document owned by %v, approvers %v: Go %v, SQL %v", m.role, d.Classification, d.OwnerID, d.ApproverIDs(), inGo, inSQL[d.ID])
				}
			}
		}
	})
}
