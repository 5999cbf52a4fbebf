package sqlstore_test

import (
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var ncTables = []string{"nonconformities", "nonconformity_actions"}

func bp(b bool) *bool { return &b }

func dp(s string) *isms.Date { d := mustDate(s); return &d }

// ncInput is a complete new nonconformity found by someone's report.
func ncInput(owner *int64) isms.NonconformityInput {
	return isms.NonconformityInput{Title: "Adgang ikke fjernet ved fratrædelse", Source: isms.NCSourceReport, ReportedBy: "Lønkontoret",
		RequirementKind: isms.NCReqControl, Requirement: "A.5.18", Description: "To fratrådte havde stadig adgang til ESDH.",
		DetectedOn: dp("2026-03-20"), OwnerID: owner}
}

// wantNCStatus checks the derived status in Go and the same derivation in
// SQL (the status filter) agree.
func wantNCStatus(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64, n *isms.Nonconformity, want isms.NCStatus) {
	t.Helper()
	if n.Status != want {
		t.Fatalf("status %s, want %s", n.Status, want)
	}
	list, _, err := db.Nonconformities(as(u), orgID, isms.NonconformityFilter{Status: want})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.ID == n.ID {
			return
		}
	}
	t.Fatalf("status filter %s does not list nonconformity %d", want, n.ID)
}

func TestNonconformityLifecycle(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Afvig")
		other := newLeadFixture(t, db.DB, "Afvig2")
		ctx := as(f.coord)
		db.Now = func() time.Time { return time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC) }
		_, held, _ := leadCommittee(t, db.DB, f)
		dec, err := db.CreateDecision(ctx, f.org.ID, held.ID, isms.DecisionInput{Text: "Fratrædelsesprocessen skal gennemgås", OwnerID: &f.coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, oheld, _ := leadCommittee(t, db.DB, other)
		odec, err := db.CreateDecision(as(other.coord), other.org.ID, oheld.ID, isms.DecisionInput{Text: "Andet", OwnerID: &other.coord.ID})
		if err != nil {
			t.Fatal(err)
		}

		good := ncInput(&f.contrib.ID)
		for _, c := range []struct {
			name       string
			change     func(in *isms.NonconformityInput)
			field, key string
		}{
			{"no title", func(in *isms.NonconformityInput) { in.Title = " " }, "title", "err.required"},
			{"bad source", func(in *isms.NonconformityInput) { in.Source = "rumour" }, "source", "err.choice"},
			{"decision without decision", func(in *isms.NonconformityInput) { in.Source = isms.NCSourceDecision }, "source_decision_id", "nc.err.decision_required"},
			{"other organisation's decision", func(in *isms.NonconformityInput) { in.Source, in.SourceDecisionID = isms.NCSourceDecision, &odec.ID }, "source_decision_id", "err.unknown_reference"},
			{"decision on a report", func(in *isms.NonconformityInput) { in.SourceDecisionID = &dec.ID }, "source_decision_id", "nc.err.decision_only"},
			{"bad requirement kind", func(in *isms.NonconformityInput) { in.RequirementKind = "law" }, "requirement_kind", "err.choice"},
			{"no requirement", func(in *isms.NonconformityInput) { in.Requirement = "" }, "requirement", "err.required"},
			{"unknown control", func(in *isms.NonconformityInput) { in.Requirement = "A.9.99" }, "requirement", "nc.err.control"},
			{"unknown clause", func(in *isms.NonconformityInput) { in.RequirementKind, in.Requirement = isms.NCReqClause, "11.3" }, "requirement", "nc.err.clause"},
			{"no detection day", func(in *isms.NonconformityInput) { in.DetectedOn = nil }, "detected_on", "err.required"},
			{"detected in the future", func(in *isms.NonconformityInput) { in.DetectedOn = dp("2026-04-02") }, "detected_on", "nc.err.future"},
			{"no owner", func(in *isms.NonconformityInput) { in.OwnerID = nil }, "owner_id", "nc.err.owner_required"},
			{"owner not a member", func(in *isms.NonconformityInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
			{"correction date without correction", func(in *isms.NonconformityInput) { in.CorrectionOn = dp("2026-03-21") }, "correction", "nc.err.correction_required"},
			{"whys without the method", func(in *isms.NonconformityInput) { in.Whys = []string{"Fordi"} }, "whys", "nc.err.whys_method"},
			{"six whys", func(in *isms.NonconformityInput) {
				in.Method, in.Whys = isms.NCMethodFiveWhys, []string{"1", "2", "3", "4", "5", "6"}
			}, "whys", "nc.err.whys_max"},
			{"gap among the whys", func(in *isms.NonconformityInput) { in.Method, in.Whys = isms.NCMethodFiveWhys, []string{"1", " ", "3"} }, "whys.1", "err.required"},
			{"no action without reason", func(in *isms.NonconformityInput) { in.NoActionNeeded = true }, "no_action_reason", "nc.err.reason_required"},
			{"no action with actions", func(in *isms.NonconformityInput) {
				in.NoActionNeeded, in.NoActionReason, in.Actions = true, "Engangstilfælde", []isms.NCActionInput{{Action: "X"}}
			}, "actions", "nc.err.no_action_with_actions"},
			{"action without text", func(in *isms.NonconformityInput) { in.Actions = []isms.NCActionInput{{Action: "A"}, {Action: " "}} }, "actions.1.action", "err.required"},
			{"action owner outside", func(in *isms.NonconformityInput) {
				in.Actions = []isms.NCActionInput{{Action: "A", OwnerID: &f.outside.ID}}
			}, "actions.0.owner_id", "err.not_member"},
			{"reviewed without verdict", func(in *isms.NonconformityInput) { in.ReviewedOn = dp("2026-03-30") }, "effective", "nc.err.effective_required"},
			{"verdict without review day", func(in *isms.NonconformityInput) { in.Effective = bp(true) }, "reviewed_on", "nc.err.reviewed_on_required"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := good
				c.change(&in)
				leadUnchanged(t, db, f.org.ID, ncTables, func() error {
					_, err := db.CreateNonconformity(ctx, f.org.ID, in)
					return err
				}, func(err error) { leadWantField(t, err, c.field, c.key) })
			})
		}

		// Readers read; contributors record only what they own.
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.CreateNonconformity(as(f.reader), f.org.ID, good)
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.CreateNonconformity(as(f.contrib), f.org.ID, ncInput(&f.coord.ID))
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })

		n, err := db.CreateNonconformity(as(f.contrib), f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCOpen)
		if n.OwnerName != f.contrib.Name || n.DetectedOn.String() != "2026-03-20" || len(n.Whys) != 0 || len(n.Actions) != 0 {
			t.Fatalf("new nonconformity %+v", n)
		}
		// Another organisation sees nothing of it.
		if _, err := db.Nonconformity(as(other.coord), f.org.ID, n.ID); err == nil {
			t.Fatal("another organisation's coordinator read the nonconformity")
		}
		if _, err := db.Nonconformity(as(other.coord), other.org.ID, n.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("read through own organisation: %v", err)
		}
		if _, err := db.CloseNonconformity(as(other.coord), other.org.ID, n.ID, n.Version); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("close through own organisation: %v", err)
		}

		// Closing now names everything missing.
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.CloseNonconformity(as(f.contrib), f.org.ID, n.ID, n.Version)
			return err
		}, func(err error) {
			for field, key := range map[string]string{"root_cause": "nc.err.close_cause", "actions": "nc.err.close_no_actions", "effective": "nc.err.close_review"} {
				leadWantField(t, err, field, key)
			}
		})

		// The analysis: five whys and a root cause.
		in := good
		in.Version, in.Correction, in.CorrectionOn = n.Version, "Adgangene lukket", dp("2026-03-21")
		in.Method, in.Whys, in.RootCause = isms.NCMethodFiveWhys, []string{"Ingen fik besked", "HR sender ikke liste", "Ingen procedure", "", ""}, "Ingen fast procedure for fratrædelser"
		in.SimilarExist, in.SimilarCouldOccur, in.SimilarNote = bp(false), bp(true), "Kan ske i alle fagsystemer"
		if n, err = db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		if len(n.Whys) != 3 || n.Whys[2] != "Ingen procedure" || n.SimilarExist == nil || *n.SimilarExist || !*n.SimilarCouldOccur {
			t.Fatalf("analysis %+v", n)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCAnalysed)

		// Actions; a reader and a stale version are refused.
		in.Version = n.Version
		in.Actions = []isms.NCActionInput{{Action: "Skriv fratrædelsesprocedure", OwnerID: &f.coord.ID, DueOn: dp("2026-04-15")},
			{Action: "Månedlig kontrol af brugere", OwnerID: &f.contrib.ID, DueOn: dp("2026-03-31")}}
		for _, u := range []*isms.User{f.reader, f.auditor} {
			leadUnchanged(t, db, f.org.ID, ncTables, func() error {
				_, err := db.UpdateNonconformity(as(u), f.org.ID, n.ID, in)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		stale := in
		stale.Version = n.Version - 1
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, stale)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		if n, err = db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCActions)
		if len(n.Actions) != 2 || n.Actions[0].OwnerName != f.coord.Name || !n.Overdue(mustDate("2026-04-01")) {
			t.Fatalf("actions %+v", n.Actions)
		}
		// An action of another nonconformity cannot be smuggled in.
		bad := in
		bad.Version, bad.Actions = n.Version, []isms.NCActionInput{{ID: 999999, Action: "X"}}
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, bad)
			return err
		}, func(err error) { leadWantField(t, err, "actions.0.id", "err.unknown_reference") })

		// The overdue action and the planned review are in the calendar.
		in.Version, in.ReviewPlannedOn = n.Version, dp("2026-06-01")
		in.Actions = []isms.NCActionInput{{ID: n.Actions[0].ID, Action: n.Actions[0].Action, OwnerID: &f.coord.ID, DueOn: dp("2026-04-15"), DoneOn: dp("2026-03-30")},
			{ID: n.Actions[1].ID, Action: n.Actions[1].Action, OwnerID: &f.contrib.ID, DueOn: dp("2026-03-31"), DoneOn: dp("2026-03-31")}}
		if n, err = db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCReview)
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, mustDate("2026-01-01"), mustDate("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, it := range items {
			kinds[it.Kind]++
		}
		if kinds["nc.schedule.action"] != 2 || kinds["nc.schedule.review"] != 1 {
			t.Fatalf("scheduled %v", kinds)
		}

		// A review that finds the actions not effective sends it back;
		// a new action clears that review.
		in.Version, in.ReviewedOn, in.Effective, in.ReviewNote = n.Version, dp("2026-03-31"), bp(false), "To nye tilfælde i april"
		if n, err = db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCActions)
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.CloseNonconformity(as(f.contrib), f.org.ID, n.ID, n.Version)
			return err
		}, func(err error) { leadWantField(t, err, "effective", "nc.err.close_review") })
		in.Version = n.Version
		in.Actions = append(in.Actions, isms.NCActionInput{Action: "Automatisk lukning via HR-systemet", OwnerID: &f.contrib.ID, DueOn: dp("2026-05-01")})
		if n, err = db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		if n.ReviewedOn != nil || n.Effective != nil || len(n.Actions) != 3 {
			t.Fatalf("after a new action: reviewed %v effective %v, %d actions", n.ReviewedOn, n.Effective, len(n.Actions))
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCActions)
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.CloseNonconformity(as(f.contrib), f.org.ID, n.ID, n.Version)
			return err
		}, func(err error) {
			leadWantField(t, err, "actions", "nc.err.close_actions_open")
			leadWantField(t, err, "effective", "nc.err.close_review")
		})
		// Removing an action: the input leaves it out.
		in.Version = n.Version
		in.Actions = []isms.NCActionInput{in.Actions[0], in.Actions[1], {ID: n.Actions[2].ID, Action: n.Actions[2].Action, OwnerID: &f.contrib.ID, DueOn: dp("2026-05-01"), DoneOn: dp("2026-04-01")}}
		in.ReviewedOn, in.Effective, in.ReviewNote = dp("2026-04-01"), bp(true), "Ingen nye tilfælde"
		if n, err = db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in); err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, n, isms.NCReview)

		closed, err := db.CloseNonconformity(as(f.contrib), f.org.ID, n.ID, n.Version)
		if err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, closed, isms.NCClosed)
		if closed.ClosedOn.String() != "2026-04-01" {
			t.Fatalf("closed on %v", closed.ClosedOn)
		}
		in.Version = closed.Version
		leadUnchanged(t, db, f.org.ID, ncTables, func() error {
			_, err := db.UpdateNonconformity(as(f.contrib), f.org.ID, n.ID, in)
			return err
		}, func(err error) { wantCode(t, err, isms.EInvalid) })

		// A closed nonconformity is an occasion of the topic "improvement".
		topics, err := db.ManagementTopicStatus(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, st := range topics {
			if st.Topic == "improvement" && st.Last != nil && st.Last.Evidence.RecordType == "nonconformity" && st.Last.Evidence.RecordID == n.ID {
				found = true
			}
		}
		if !found {
			t.Fatalf("topic improvement not dealt with by the closed nonconformity: %+v", topics)
		}

		// Reopened, it can be changed again; deleted, its actions go too.
		re, err := db.ReopenNonconformity(as(f.contrib), f.org.ID, n.ID, closed.Version)
		if err != nil || re.ClosedOn != nil || re.Status != isms.NCReview {
			t.Fatal(re, err)
		}
		if err := db.DeleteNonconformity(as(f.reader), f.org.ID, n.ID, re.Version); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader deleted: %v", err)
		}
		if err := db.DeleteNonconformity(as(f.contrib), f.org.ID, n.ID, re.Version); err != nil {
			t.Fatal(err)
		}
		for _, tb := range ncTables {
			if c := db.int(t, "SELECT COUNT(*) FROM "+tb); c != 0 {
				t.Errorf("%s: %d rows left", tb, c)
			}
		}

		// A committee decision as the source links the decision.
		src := good
		src.Source, src.SourceDecisionID = isms.NCSourceDecision, &dec.ID
		d, err := db.CreateNonconformity(ctx, f.org.ID, src)
		if err != nil || d.SourceDecisionText != dec.Text {
			t.Fatal(d, err)
		}
		// A justified "no action needed" stands in for actions.
		src.Version, src.RootCause, src.NoActionNeeded, src.NoActionReason = d.Version, "Engangsfejl", true, "Fejlen skyldtes en enkeltstående migrering"
		src.ReviewedOn, src.Effective = dp("2026-04-01"), bp(true)
		if d, err = db.UpdateNonconformity(ctx, f.org.ID, d.ID, src); err != nil {
			t.Fatal(err)
		}
		wantNCStatus(t, db.DB, f.reader, f.org.ID, d, isms.NCReview)
		if _, err := db.CloseNonconformity(ctx, f.org.ID, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
	})
}

// Two owners closing the same version: one closes, the other is told the
// record changed; one close event is written.
func TestConcurrentCloseOfANonconformityOneWins(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "ncclose-"+in.name)
		raw.Now = func() time.Time { return time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC) }
		x := ncInput(&f.coord.ID)
		x.RootCause, x.NoActionNeeded, x.NoActionReason, x.ReviewedOn, x.Effective = "Årsag", true, "Begrundelse", dp("2026-04-01"), bp(true)
		n, err := raw.CreateNonconformity(as(f.coord), f.org.ID, x)
		if err != nil {
			t.Fatal(err)
		}
		const writers = 16
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			_, err := db.CloseNonconformity(as(f.coord), f.org.ID, n.ID, n.Version)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != writers-1 {
			t.Fatalf("outcomes %v", got)
		}
		events, _, err := raw.AuditEvents(as(f.coord), f.org.ID, isms.AuditFilter{RecordType: "nonconformity", RecordID: n.ID})
		if err != nil {
			t.Fatal(err)
		}
		closes := 0
		for _, ev := range events {
			if ev.Action == "close" {
				closes++
			}
		}
		if closes != 1 {
			t.Fatalf("%d close events", closes)
		}
		wantIntactChain(t, raw.DB)
	})
}

func TestImprovements(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Forbedr")
		other := newLeadFixture(t, db.DB, "Forbedr2")
		db.Now = func() time.Time { return time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC) }
		tables := []string{"improvements"}
		good := isms.ImprovementInput{Title: "Fælles skabelon for procedurer", Area: isms.ImpDocumentation, Benefit: "Ensartede procedurer",
			OwnerID: &f.contrib.ID, Status: isms.ImpApproved, DueOn: dp("2026-06-30")}
		for _, c := range []struct {
			name       string
			change     func(in *isms.ImprovementInput)
			field, key string
		}{
			{"no title", func(in *isms.ImprovementInput) { in.Title = "" }, "title", "err.required"},
			{"bad area", func(in *isms.ImprovementInput) { in.Area = "mood" }, "area", "err.choice"},
			{"bad status", func(in *isms.ImprovementInput) { in.Status = "maybe" }, "status", "err.choice"},
			{"no owner", func(in *isms.ImprovementInput) { in.OwnerID = nil }, "owner_id", "imp.err.owner_required"},
			{"owner outside", func(in *isms.ImprovementInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
			{"done without date", func(in *isms.ImprovementInput) { in.Status = isms.ImpDone }, "done_on", "imp.err.done_on_required"},
			{"date but not done", func(in *isms.ImprovementInput) { in.DoneOn = dp("2026-03-01") }, "done_on", "imp.err.done_on_not_done"},
			{"done in the future", func(in *isms.ImprovementInput) { in.Status, in.DoneOn = isms.ImpDone, dp("2026-05-01") }, "done_on", "nc.err.future"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := good
				c.change(&in)
				leadUnchanged(t, db, f.org.ID, tables, func() error {
					_, err := db.CreateImprovement(as(f.coord), f.org.ID, in)
					return err
				}, func(err error) { leadWantField(t, err, c.field, c.key) })
			})
		}
		if _, err := db.CreateImprovement(as(f.reader), f.org.ID, good); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader: %v", err)
		}
		i, err := db.CreateImprovement(as(f.contrib), f.org.ID, good)
		if err != nil || i.OwnerName != f.contrib.Name || i.Overdue(mustDate("2026-04-01")) || !i.Overdue(mustDate("2026-07-01")) {
			t.Fatal(i, err)
		}
		if _, err := db.Improvement(as(other.coord), other.org.ID, i.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation: %v", err)
		}
		in := good
		in.Version = i.Version
		if _, err := db.UpdateImprovement(as(other.coord), other.org.ID, i.ID, in); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation update: %v", err)
		}
		in.Status, in.DoneOn = isms.ImpDone, dp("2026-03-31")
		if i, err = db.UpdateImprovement(as(f.contrib), f.org.ID, i.ID, in); err != nil {
			t.Fatal(err)
		}
		list, total, err := db.Improvements(as(f.reader), f.org.ID, isms.ImprovementFilter{Status: isms.ImpDone, Area: isms.ImpDocumentation, Query: "skabelon"})
		if err != nil || total != 1 || list[0].ID != i.ID {
			t.Fatal(list, total, err)
		}
		topics, err := db.ManagementTopicStatus(as(f.reader), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range topics {
			if st.Topic == "improvement" && (st.Last == nil || st.Last.Evidence.RecordID != i.ID || st.Last.Day.String() != "2026-03-31") {
				t.Fatalf("topic improvement %+v", st.Last)
			}
		}
		if err := db.DeleteImprovement(as(f.contrib), f.org.ID, i.ID, i.Version-1); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale delete: %v", err)
		}
		if err := db.DeleteImprovement(as(f.contrib), f.org.ID, i.ID, i.Version); err != nil {
			t.Fatal(err)
		}
	})
}
