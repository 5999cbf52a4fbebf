package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

func wantAnswer(t *testing.T, got map[string]*isms.ChecklistAnswer, q string, want isms.AnswerStatus, reason string) {
	t.Helper()
	a := got[q]
	if a == nil || a.Status != want || a.Source != isms.SourceRecords || a.Rule.Key != "rule."+q {
		t.Fatalf("question %s: %+v, want %s from the records", q, a, want)
	}
	if reason == "" {
		return
	}
	for _, m := range a.Reasons {
		if m.Key == reason {
			return
		}
	}
	t.Fatalf("question %s: reasons %+v lack %s", q, a.Reasons, reason)
}

// publishText adds a text version and takes it through approval by the
// given approvers; publish says whether to publish it too.
func publishText(t *testing.T, db *sqlstore.DB, f *docFixture, d *isms.Document, text string, publish bool, approvers ...*isms.User) {
	t.Helper()
	d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
	v, err := db.AddDocumentVersion(as(f.coord), f.org.ID, d.ID, isms.VersionInput{Text: text, Version: d.Version})
	if err != nil {
		t.Fatal(err)
	}
	docApprove(t, db, f, d, v.Number, approvers...)
	if publish {
		d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
		if _, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, d.ID, v.Number, isms.TransitionInput{Action: isms.TransitionPublish, Version: d.Version}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChecklistLeadershipDocuments(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		got := checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.3", isms.AnswerNo, "reason.doc_kind_missing")
		wantAnswer(t, got, "2.4", isms.AnswerNo, "reason.doc_kind_missing")

		next := isms.DateOf(db.Now()).AddDays(200)
		policy := f.doc(t, db, isms.DocumentInput{Kind: isms.DocInformationSecurityPolicy, Title: "Informationssikkerhedspolitik",
			ApproverIDs: []int64{f.mgmt.ID}, ReviewIntervalMonths: 12, NextReview: &next, Classification: isms.ClassPublic})
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.3", isms.AnswerPartly, "reason.doc_not_management_approved")

		// A procedure approved by a coordinator does not count; a policy
		// approved by management, not yet published, does.
		publishText(t, db, f, policy, "Politikken", false, f.mgmt)
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.3", isms.AnswerYes, "reason.doc_not_published")
		if ev := got["2.3"].Evidence; len(ev) != 1 || ev[0].RecordID != policy.ID || ev[0].Path == "" {
			t.Fatalf("evidence %+v", ev)
		}

		// Overdue review: partly.
		policy, _ = db.Document(as(f.coord), f.org.ID, policy.ID)
		past := isms.DateOf(db.Now()).AddDays(-1)
		in := isms.DocumentInput{Kind: policy.Kind, Title: policy.Title, ApproverIDs: policy.ApproverIDs(), ReviewIntervalMonths: 12,
			NextReview: &past, Classification: policy.Classification, Version: policy.Version}
		if _, err := db.UpdateDocument(as(f.coord), f.org.ID, policy.ID, in); err != nil {
			t.Fatal(err)
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.3", isms.AnswerPartly, "reason.doc_review_overdue")

		// Roles and responsibilities: a list approved by a contributor as
		// a named approver of an ordinary procedure cannot stand in for it.
		proc := f.doc(t, db, isms.DocumentInput{Kind: isms.DocProcedure, Title: "Roller i driften", ApproverIDs: []int64{f.contrib.ID}})
		publishText(t, db, f, proc, "Roller", true, f.contrib)
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.4", isms.AnswerNo, "reason.doc_kind_missing")
		roles := f.doc(t, db, isms.DocumentInput{Kind: isms.DocRolesResponsibilities, Title: "Roller og ansvar",
			ApproverIDs: []int64{f.mgmt.ID, f.mgmt2.ID}, ReviewIntervalMonths: 12, Classification: isms.ClassInternal})
		publishText(t, db, f, roles, "Roller og ansvar", false, f.mgmt)
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.4", isms.AnswerPartly, "reason.doc_not_management_approved")
		roles, _ = db.Document(as(f.coord), f.org.ID, roles.ID)
		if _, err := db.TransitionDocumentVersion(as(f.mgmt2), f.org.ID, roles.ID, 1, isms.TransitionInput{Action: isms.TransitionApprove, Version: roles.Version}); err != nil {
			t.Fatal(err)
		}
		roles, _ = db.Document(as(f.coord), f.org.ID, roles.ID)
		if _, err := db.TransitionDocumentVersion(as(f.coord), f.org.ID, roles.ID, 1, isms.TransitionInput{Action: isms.TransitionPublish, Version: roles.Version}); err != nil {
			t.Fatal(err)
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "2.4", isms.AnswerYes, "reason.doc_management_approved")
	})
}

func TestChecklistDocumentation(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newDocFixture(t, db)
		got := checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.1", isms.AnswerNo, "reason.doc_mandatory_missing")
		if n := len(got["6.1"].Reasons); n != 11 {
			t.Fatalf("6.1 names %d missing items, want 11", n)
		}
		wantAnswer(t, got, "6.3", isms.AnswerNo, "reason.doc_form_rule_missing")
		wantAnswer(t, got, "6.4", isms.AnswerNo, "reason.doc_none")

		// 6.1 step by step: one mandatory document approved, then all.
		reqs, _ := db.DocumentationRequirements(as(f.coord), f.org.ID)
		var mandatory []*isms.DocumentationRequirement
		for _, q := range reqs {
			if q.Kind == "mandatory" {
				mandatory = append(mandatory, q)
			}
		}
		var docs []*isms.Document
		for _, q := range mandatory {
			id := q.ID
			docs = append(docs, f.doc(t, db, isms.DocumentInput{Kind: isms.DocumentKind(q.DocKind), Title: q.TitleDA, RequirementID: &id,
				ApproverIDs: []int64{f.mgmt.ID}, ReviewIntervalMonths: 12}))
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.1", isms.AnswerNo, "reason.doc_mandatory_unapproved")
		publishText(t, db, f, docs[0], "Omfanget", true, f.mgmt)
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.1", isms.AnswerPartly, "reason.doc_mandatory_unapproved")
		for _, d := range docs[1:] {
			publishText(t, db, f, d, "Indhold", true, f.mgmt)
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.1", isms.AnswerYes, "reason.doc_mandatory_complete")
		if len(got["6.1"].Evidence) != 11 {
			t.Fatalf("6.1 evidence %d", len(got["6.1"].Evidence))
		}

		// 6.3: some form rules, then all.
		r, err := db.SaveDocumentFormRules(as(f.coord), f.org.ID, isms.DocumentFormRulesInput{NamingStandard: "Titel på dansk"})
		if err != nil {
			t.Fatal(err)
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.3", isms.AnswerPartly, "reason.doc_form_rule_missing")
		if _, err := db.SaveDocumentFormRules(as(f.coord), f.org.ID, isms.DocumentFormRulesInput{NamingStandard: "Titel på dansk",
			FormatStandard: "Kommunens skabelon", MediaStandard: "Elektronisk", RequiredMetadata: []string{"owner"},
			AcceptedFormats: []string{"pdf", "docx"}, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.3", isms.AnswerYes, "reason.doc_form_rules_complete")

		// 6.4: documents are unclassified and their kinds have no retention.
		wantAnswer(t, got, "6.4", isms.AnswerPartly, "reason.doc_retention_missing")
		wantAnswer(t, got, "6.4", isms.AnswerPartly, "reason.doc_unclassified")
		kinds := map[isms.DocumentKind]bool{}
		for _, d := range docs {
			kinds[d.Kind] = true
		}
		for k := range kinds {
			if _, err := db.SaveRetentionRule(as(f.coord), f.org.ID, isms.RetentionRuleInput{Kind: k, RetentionMonths: 60, DeletionProcedure: "Slettes i ISMS'et"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range docs {
			d, _ = db.Document(as(f.coord), f.org.ID, d.ID)
			in := isms.DocumentInput{Kind: d.Kind, Title: d.Title, RequirementID: d.RequirementID, ApproverIDs: d.ApproverIDs(),
				ReviewIntervalMonths: d.ReviewIntervalMonths, NextReview: d.NextReview, Classification: isms.ClassInternal, OwnerID: &f.coord.ID, Version: d.Version}
			if _, err := db.UpdateDocument(as(f.coord), f.org.ID, d.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.4", isms.AnswerYes, "reason.doc_control_complete")

		// A document without approvers or review interval, and an overdue
		// review, take it back to partly.
		f.doc(t, db, isms.DocumentInput{Kind: isms.DocScope, Title: "Kladde til omfang", Classification: isms.ClassInternal, OwnerID: &f.coord.ID})
		got = checklistByID(t, db, f.reader, f.org.ID)
		wantAnswer(t, got, "6.4", isms.AnswerPartly, "reason.doc_no_approvers")
		wantAnswer(t, got, "6.4", isms.AnswerPartly, "reason.doc_no_interval")
	})
}
