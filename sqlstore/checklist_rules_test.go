package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

var overviewQuestions = []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.6"}

// checklistCase is one state of the records and the answers it must give
// to questions 1.1–1.6 (n = no, p = partly, y = yes, in that order).
type checklistCase struct {
	name    string
	change  func(t *testing.T)
	answers string
	reasons map[string]string // question → a reason key its answer must give
}

func answerOf(c byte) isms.AnswerStatus {
	switch c {
	case 'y':
		return isms.AnswerYes
	case 'p':
		return isms.AnswerPartly
	}
	return isms.AnswerNo
}

func checklistByID(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64) map[string]*isms.ChecklistAnswer {
	t.Helper()
	answers, err := db.Checklist(as(u), orgID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*isms.ChecklistAnswer{}
	for _, a := range answers {
		out[a.QuestionID] = a
	}
	if len(out) != len(catalog.Checklist) {
		t.Fatalf("%d answers for %d questions", len(out), len(catalog.Checklist))
	}
	return out
}

func hasReason(a *isms.ChecklistAnswer, key string) bool {
	for _, r := range a.Reasons {
		if r.Key == key {
			return true
		}
	}
	return false
}

// The rules for 1.1–1.6, followed as the records are built up step by
// step, from nothing to complete, and back when reviews fall due.
func TestChecklistOverviewRules(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		today := isms.DateOf(now)
		yesterday, tomorrow := today.AddDays(-1), today.AddDays(1)
		firstAccount(t, db)
		org := mustOrg(t, db, "Rules")
		coord := mustUser(t, db, "coordinator@rules.example")
		mustMember(t, db, org, coord, isms.RoleCoordinator)
		mgmt := mustUser(t, db, "management@rules.example")
		mustMember(t, db, org, mgmt, isms.RoleManagement)
		ctx := as(coord)

		assessed := isms.Requirements{Confidentiality: 3, Integrity: 3, Availability: 2, Text: "Why"}
		entries := map[string]*isms.OverviewEntry{}
		add := func(key string, kind isms.EntryKind, status isms.EntryStatus, req isms.Requirements, next *isms.Date) func(t *testing.T) {
			return func(t *testing.T) {
				in := isms.OverviewEntryInput{Kind: kind, Name: key, Status: status, Requirements: req, NextReview: next}
				if kind == isms.KindExternalFactor {
					in.Category = "law"
				}
				e, err := db.CreateOverviewEntry(ctx, org.ID, in)
				if err != nil {
					t.Fatal(err)
				}
				entries[key] = e
			}
		}
		change := func(key string, edit func(in *isms.OverviewEntryInput)) func(t *testing.T) {
			return func(t *testing.T) {
				e := entries[key]
				in := isms.OverviewEntryInput{Kind: e.Kind, Category: e.Category, Name: e.Name, Status: e.Status,
					Requirements: e.Requirements, NextReview: e.NextReview, OwnerID: e.OwnerID, Links: e.Links, Version: e.Version}
				edit(&in)
				e, err := db.UpdateOverviewEntry(ctx, org.ID, e.ID, in)
				if err != nil {
					t.Fatal(err)
				}
				entries[key] = e
			}
		}
		scope := func(edit func(in *isms.ScopeInput)) func(t *testing.T) {
			return func(t *testing.T) {
				s, err := db.Scope(ctx, org.ID)
				if err != nil {
					t.Fatal(err)
				}
				in := isms.ScopeInput{Description: s.Description, InformationTypes: s.InformationTypes, OrganisationUnits: s.OrganisationUnits,
					ProcessIDs: s.ProcessIDs, Exclusions: s.Exclusions, BoundaryCriteria: s.BoundaryCriteria, OwnerID: s.OwnerID,
					NextReview: s.NextReview, Version: s.Version}
				edit(&in)
				if _, err := db.SaveScope(ctx, org.ID, in); err != nil {
					t.Fatal(err)
				}
			}
		}
		steps := []checklistCase{
			{"nothing recorded", func(t *testing.T) {}, "nnnnnn",
				map[string]string{"1.1": "reason.purpose_missing", "1.2": "reason.no_entries", "1.5": "reason.scope_missing", "1.6": "reason.scope_missing"}},
			{"purpose written", func(t *testing.T) {
				if _, err := db.UpdateOrganisation(ctx, org.ID, isms.OrganisationInput{Name: org.Name, Purpose: "Serve the citizens", Version: org.Version}); err != nil {
					t.Fatal(err)
				}
			}, "pnnnnn", map[string]string{"1.1": "reason.register_empty"}},
			{"a process without requirements", add("process", isms.KindProcess, isms.StatusActive, isms.Requirements{}, &tomorrow), "pnnnnn",
				map[string]string{"1.2": "reason.requirements_missing"}},
			{"draft and retired entries do not count", func(t *testing.T) {
				add("draft system", isms.KindSystem, isms.StatusDraft, assessed, nil)(t)
				add("retired system", isms.KindSystem, isms.StatusRetired, assessed, &yesterday)(t)
			}, "pnnnnn", map[string]string{"1.1": "reason.register_empty"}},
			{"every internal register has an entry", func(t *testing.T) {
				add("information", isms.KindInformation, isms.StatusActive, assessed, &tomorrow)(t)
				add("system", isms.KindSystem, isms.StatusActive, assessed, nil)(t)
				add("competence", isms.KindCompetence, isms.StatusActive, assessed, &today)(t)
				add("staff", isms.KindInternalStakeholder, isms.StatusActive, assessed, nil)(t)
			}, "ypnnnn", map[string]string{"1.1": "reason.internal_complete", "1.2": "reason.requirements_missing"}},
			{"levels without the reasoning are not an assessment", change("process", func(in *isms.OverviewEntryInput) {
				in.Requirements = isms.Requirements{Confidentiality: 2, Integrity: 2, Availability: 2}
			}), "ypnnnn", nil},
			{"every internal requirement assessed", change("process", func(in *isms.OverviewEntryInput) {
				in.Requirements.Text = "Citizens' data"
			}), "yynnnn", map[string]string{"1.2": "reason.requirements_complete"}},
			{"an overdue review makes 1.1 partly", change("information", func(in *isms.OverviewEntryInput) { in.NextReview = &yesterday }),
				"pynnnn", map[string]string{"1.1": "reason.entries_overdue"}},
			{"the review done", change("information", func(in *isms.OverviewEntryInput) { d := today.AddDays(365); in.NextReview = &d }),
				"yynnnn", nil},
			{"an external factor", add("law", isms.KindExternalFactor, isms.StatusActive, isms.Requirements{}, nil),
				"yypnnn", map[string]string{"1.3": "reason.register_empty", "1.4": "reason.requirements_missing"}},
			{"an external stakeholder", add("citizens", isms.KindExternalStakeholder, isms.StatusActive, assessed, nil),
				"yyypnn", map[string]string{"1.3": "reason.external_complete"}},
			{"every external requirement assessed", change("law", func(in *isms.OverviewEntryInput) { in.Requirements = assessed }),
				"yyyynn", map[string]string{"1.4": "reason.requirements_complete"}},
			{"an overdue external review makes 1.3 partly", change("citizens", func(in *isms.OverviewEntryInput) { in.NextReview = &yesterday }),
				"yypynn", map[string]string{"1.3": "reason.entries_overdue"}},
			{"a retired entry is not overdue", change("citizens", func(in *isms.OverviewEntryInput) { in.Status = isms.StatusRetired }),
				"yypynn", map[string]string{"1.3": "reason.register_empty"}},
			{"the stakeholder back and reviewed", change("citizens", func(in *isms.OverviewEntryInput) {
				in.Status, in.NextReview = isms.StatusActive, &tomorrow
			}), "yyyynn", nil},
			{"a scope with a description only", scope(func(in *isms.ScopeInput) { in.Description = "The whole organisation" }),
				"yyyypn", map[string]string{"1.5": "reason.scope_no_dimensions", "1.6": "reason.scope_no_criteria"}},
			{"the scope names information types", scope(func(in *isms.ScopeInput) { in.InformationTypes = "Personal data" }),
				"yyyypp", map[string]string{"1.5": "reason.scope_no_criteria", "1.6": "reason.scope_no_criteria"}},
			{"the boundary criteria", scope(func(in *isms.ScopeInput) { in.BoundaryCriteria = "Everything that holds personal data" }),
				"yyyyyp", map[string]string{"1.5": "reason.scope_not_approved", "1.6": "reason.scope_no_exclusions"}},
			{"the exclusions", scope(func(in *isms.ScopeInput) { in.Exclusions = "Nothing is left out" }),
				"yyyyyy", map[string]string{"1.5": "reason.scope_complete", "1.6": "reason.criteria_complete"}},
			{"processes alone are a dimension", scope(func(in *isms.ScopeInput) {
				in.InformationTypes, in.ProcessIDs = "", []int64{entries["process"].ID}
			}), "yyyyyy", nil},
			{"approved by management", func(t *testing.T) {
				s, err := db.Scope(ctx, org.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.ApproveScope(as(mgmt), org.ID, s.Version); err != nil {
					t.Fatal(err)
				}
			}, "yyyyyy", map[string]string{"1.5": "reason.scope_approved"}},
			{"an overdue scope review makes 1.5 partly", scope(func(in *isms.ScopeInput) { in.NextReview = &yesterday }),
				"yyyypy", map[string]string{"1.5": "reason.scope_review_overdue"}},
			{"the scope reviewed", scope(func(in *isms.ScopeInput) { d := today.AddDays(365); in.NextReview = &d }),
				"yyyyyy", map[string]string{"1.5": "reason.scope_not_approved"}},
		}
		for _, step := range steps {
			step.change(t)
			got := checklistByID(t, db, coord, org.ID)
			for i, q := range overviewQuestions {
				a := got[q]
				if want := answerOf(step.answers[i]); a.Status != want || a.Source != isms.SourceRecords || a.Rule.Key != "rule."+q {
					t.Errorf("%s: question %s is %s (%s), want %s; reasons %v", step.name, q, a.Status, a.Source, want, a.Reasons)
				}
				if a.Status != isms.AnswerNo && len(a.Evidence) == 0 {
					t.Errorf("%s: question %s answers %s without evidence", step.name, q, a.Status)
				}
			}
			for q, key := range step.reasons {
				if !hasReason(got[q], key) {
					t.Errorf("%s: question %s does not give reason %s: %v", step.name, q, key, got[q].Reasons)
				}
			}
		}

		// Reading the checklist writes no history; the daily snapshot does,
		// and the progress chart counts it.
		if history, err := db.ChecklistHistory(ctx, org.ID); err != nil || len(history) != 0 {
			t.Fatalf("history after reads only: %+v %v", history, err)
		}
		if taken, err := db.TakeChecklistSnapshot(context.Background(), org.ID); err != nil || !taken {
			t.Fatalf("snapshot: %v %v", taken, err)
		}
		history, err := db.ChecklistHistory(ctx, org.ID)
		if err != nil || len(history) != 1 || history[0].Day != today || history[0].Yes < 6 {
			t.Fatalf("history %+v %v", history, err)
		}
	})
}

// A manual answer never overrides a rule: the records still answer, and
// the person's answer is shown beside. Where no rule exists, the manual
// answer is the answer.
func TestChecklistManualAnswers(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		firstAccount(t, db)
		org := mustOrg(t, db, "Manual")
		coord := mustUser(t, db, "coordinator@manual.example")
		mustMember(t, db, org, coord, isms.RoleCoordinator)
		ctx := as(coord)

		if err := db.AnswerManually(ctx, org.ID, "1.1", isms.AnswerYes, "We know our purpose", 0); err != nil {
			t.Fatal(err)
		}
		a := checklistByID(t, db, coord, org.ID)["1.1"]
		if a.Status != isms.AnswerNo || a.Source != isms.SourceRecords || a.Manual == nil ||
			a.Manual.Status != isms.AnswerYes || a.Manual.Reason != "We know our purpose" || a.Manual.AnsweredBy != coord.Name || a.Manual.Version != 1 {
			t.Fatalf("1.1 with a manual yes and no records: %+v (manual %+v)", a, a.Manual)
		}

		// Every question has a rule, so a person's answer is kept beside
		// the records' answer, versioned: a second one names the first's.
		if err := db.AnswerManually(ctx, org.ID, "1.1", isms.AnswerPartly, "Purpose drafted", 0); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("an answer over another without its version: %v", err)
		}
		if err := db.AnswerManually(ctx, org.ID, "1.1", isms.AnswerPartly, "Purpose drafted", 1); err != nil {
			t.Fatal(err)
		}
		a = checklistByID(t, db, coord, org.ID)["1.1"]
		if a.Status != isms.AnswerNo || a.Source != isms.SourceRecords || a.Manual == nil || a.Manual.Status != isms.AnswerPartly ||
			a.Manual.Reason != "Purpose drafted" || a.Manual.Version != 2 {
			t.Fatalf("1.1 answered by hand again: %+v (manual %+v)", a, a.Manual)
		}
		events, _, err := db.AuditEvents(ctx, org.ID, isms.AuditFilter{RecordType: "checklist_answer"})
		if err != nil || len(events) != 2 {
			t.Fatalf("%d audit events for manual answers, %v", len(events), err)
		}
	})
}
