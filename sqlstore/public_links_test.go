package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// The public reporting link: only coordinators make and revoke it, and no
// one of another organisation; only the hash is stored; an event reported
// through it awaits triage with no reporting member, marked, and the
// coordinator triages it; a wrong, replaced or revoked token reports
// nothing; bad input names the field and writes nothing.
func TestIncidentIntakeLink(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Indmelding")
		other := newLeadFixture(t, db.DB, "Andenkommune")
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		anon := context.Background()

		for _, u := range []*isms.User{f.contrib, f.reader, f.outside, other.coord} {
			if _, _, err := db.CreateIncidentIntakeLink(as(u), f.org.ID); isms.ErrorCode(err) != isms.EForbidden && isms.ErrorCode(err) != isms.ENotFound {
				t.Fatalf("%s made a link: %v", u.Email, err)
			}
		}
		if _, err := db.IncidentIntakeLink(as(other.coord), f.org.ID); isms.ErrorCode(err) == "" {
			t.Fatal("another organisation's coordinator read the link")
		}
		if l, err := db.IncidentIntakeLink(as(f.coord), f.org.ID); err != nil || l.Active {
			t.Fatalf("link before any: %+v %v", l, err)
		}
		token, link, err := db.CreateIncidentIntakeLink(as(f.coord), f.org.ID)
		if err != nil || !link.Active || !strings.HasPrefix(token, "ismsrep_") || len(token) < 40 {
			t.Fatalf("link %+v %q %v", link, token, err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM incident_intake_links WHERE token_hash = ?", token); n != 0 {
			t.Fatal("the token is stored as it is")
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE after_json LIKE ?", "%"+token[8:20]+"%"); n != 0 {
			t.Fatal("the token is in the audit trail")
		}
		pg, err := db.IncidentIntakePage(anon, token)
		if err != nil || pg.OrganisationName != f.org.Name {
			t.Fatalf("page %+v %v", pg, err)
		}
		for _, bad := range []string{token + "x", "ismsrep_", "", "ismsack_" + token[8:]} {
			if _, err := db.IncidentIntakePage(anon, bad); isms.ErrorCode(err) != isms.ENotFound || isms.AsError(err).Key != "pub.err.report_link" {
				t.Fatalf("wrong token %q: %v", bad, err)
			}
		}

		event := isms.IncidentEventInput{Title: "USB-nøgle fundet i kantinen", DetectedAt: tp(now.Add(-time.Hour)), Location: "Rådhuset",
			ReporterContact: "  "}
		for _, c := range []struct {
			name       string
			change     func(in *isms.IncidentEventInput)
			field, key string
		}{
			{"no title", func(in *isms.IncidentEventInput) { in.Title = "" }, "title", "err.required"},
			{"no time", func(in *isms.IncidentEventInput) { in.DetectedAt = nil }, "detected_at", "err.required"},
			{"future", func(in *isms.IncidentEventInput) { in.DetectedAt = tp(now.Add(time.Hour)) }, "detected_at", "inc.err.future"},
			{"long place", func(in *isms.IncidentEventInput) { in.Location = strings.Repeat("x", 301) }, "location", "err.too_long"},
		} {
			in := event
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, incTables, func() error { return db.ReportEventByLink(anon, token, in) },
				func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		if err := db.ReportEventByLink(anon, token, event); err != nil {
			t.Fatal(err)
		}
		list, total, err := db.Incidents(as(f.coord), f.org.ID, isms.IncidentFilter{Status: isms.IncidentReported})
		if err != nil || total != 1 {
			t.Fatalf("awaiting triage: %d %v", total, err)
		}
		inc := list[0]
		if inc.ReportedBy != nil || inc.ReportedVia != isms.ReportedViaPublicLink || inc.Title != event.Title || inc.ReporterContact != "" {
			t.Fatalf("reported event %+v", inc)
		}
		if l, _ := db.IncidentIntakeLink(as(f.coord), f.org.ID); l.Reports != 1 {
			t.Fatalf("reports through the link: %d", l.Reports)
		}
		ev := lastAuditEvent(t, db, f.org.ID)
		if ev.action != "create" || ev.recordType != "incident" || !strings.HasPrefix(ev.actor, "incident reporting link ") {
			t.Fatalf("audit %+v", ev)
		}
		// The coordinator triages it like any reported event.
		tri, err := db.TriageIncident(as(f.coord), f.org.ID, inc.ID, isms.IncidentTriageInput{Incident: true, Category: "device_loss", Severity: 1,
			OwnerID: &f.coord.ID, Version: inc.Version})
		if err != nil || tri.Status != isms.IncidentTriaged || tri.ReportedVia != isms.ReportedViaPublicLink {
			t.Fatalf("triage %+v %v", tri, err)
		}

		// A new link stops the old; revoking stops the new.
		token2, _, err := db.CreateIncidentIntakeLink(as(f.coord), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ReportEventByLink(anon, token, event); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("replaced link: %v", err)
		}
		if l, _ := db.IncidentIntakeLink(as(f.coord), f.org.ID); l.Reports != 0 {
			t.Fatalf("a new link counts the old one's reports: %d", l.Reports)
		}
		if err := db.RevokeIncidentIntakeLink(as(f.contrib), f.org.ID); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("contributor revoked: %v", err)
		}
		if err := db.RevokeIncidentIntakeLink(as(f.coord), f.org.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.ReportEventByLink(anon, token2, event); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("revoked link: %v", err)
		}
		if err := db.RevokeIncidentIntakeLink(as(f.coord), f.org.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("revoke twice: %v", err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND record_type = 'incident_intake_link'", f.org.ID); n != 3 {
			t.Fatalf("%d link audit events", n)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM incidents WHERE organisation_id = ?", f.org.ID); n != 1 {
			t.Fatalf("%d incidents", n)
		}
	})
}

type auditRow struct{ action, recordType, actor string }

func lastAuditEvent(t *testing.T, db *rawDB, orgID int64) auditRow {
	t.Helper()
	var a auditRow
	q := "SELECT action, record_type, actor_name FROM audit_events WHERE organisation_id = ? ORDER BY seq DESC LIMIT 1"
	if db.pg {
		q = rebindTest(q)
	}
	if err := db.raw.QueryRow(q, orgID).
		Scan(&a.action, &a.recordType, &a.actor); err != nil {
		t.Fatal(err)
	}
	return a
}

// qnFixture is an organisation with a supplier and a supervision by
// questionnaire.
type qnFixture struct {
	*leadFixture
	supplier    *isms.Supplier
	supervision *isms.Supervision
}

func newQnFixture(t *testing.T, db *sqlstore.DB, name string) *qnFixture {
	t.Helper()
	f := &qnFixture{leadFixture: newLeadFixture(t, db, name)}
	var err error
	if f.supplier, err = db.CreateSupplier(as(f.coord), f.org.ID, supInput(&f.contrib.ID)); err != nil {
		t.Fatal(err)
	}
	planned := isms.DateOf(db.Now())
	if f.supervision, err = db.CreateSupervision(as(f.coord), f.org.ID, f.supplier.ID, isms.SupervisionInput{Method: isms.SupervisionQuestionnaire,
		PlannedOn: &planned}); err != nil {
		t.Fatal(err)
	}
	return f
}

func qnInput(db *sqlstore.DB, questions ...string) isms.QuestionnaireInput {
	d := isms.DateOf(db.Now()).AddDays(30)
	return isms.QuestionnaireInput{Questions: questions, ExpiresOn: &d}
}

var qnTables = []string{"supplier_questionnaires", "supplier_questionnaire_questions"}

// A questionnaire is made from the coordinator's questions, answered
// through its link as a draft and then submitted, after which the link is
// read-only; wrong, expired and revoked links are refused; it can be
// reopened; roles and other organisations are refused.
func TestSupplierQuestionnaire(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newQnFixture(t, db.DB, "Tilsyn")
		other := newLeadFixture(t, db.DB, "Fremmed")
		anon := context.Background()
		sv := f.supervision.ID

		// Refused input names the field and writes nothing.
		past, far := isms.DateOf(now).AddDays(-1), isms.DateOf(now).AddDays(400)
		many := make([]string, 61)
		for i := range many {
			many[i] = fmt.Sprint("Spørgsmål ", i)
		}
		for _, c := range []struct {
			name       string
			in         isms.QuestionnaireInput
			field, key string
		}{
			{"no questions", qnInput(db.DB, " ", "\n"), "questions", "err.required"},
			{"too many", qnInput(db.DB, many...), "questions", "pub.err.too_many_questions"},
			{"long question", qnInput(db.DB, strings.Repeat("x", 1001)), "questions", "err.too_long"},
			{"no last day", isms.QuestionnaireInput{Questions: []string{"A?"}}, "expires_on", "err.required"},
			{"past last day", isms.QuestionnaireInput{Questions: []string{"A?"}, ExpiresOn: &past}, "expires_on", "pub.err.expiry_past"},
			{"far last day", isms.QuestionnaireInput{Questions: []string{"A?"}, ExpiresOn: &far}, "expires_on", "pub.err.expiry_far"},
			{"bad address", isms.QuestionnaireInput{Questions: []string{"A?"}, ExpiresOn: qnInput(db.DB).ExpiresOn, SendTo: "ikke en adresse"}, "send_to", "err.email"},
		} {
			leadUnchanged(t, db, f.org.ID, qnTables, func() error {
				_, _, err := db.CreateQuestionnaire(as(f.coord), f.org.ID, sv, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// Roles: the reader and other organisations may not; the
		// contributor who owns the supplier may.
		for _, u := range []*isms.User{f.reader, f.outside, other.coord} {
			if _, _, err := db.CreateQuestionnaire(as(u), f.org.ID, sv, qnInput(db.DB, "A?")); isms.ErrorCode(err) != isms.EForbidden && isms.ErrorCode(err) != isms.ENotFound {
				t.Fatalf("%s made a questionnaire: %v", u.Email, err)
			}
		}
		if _, err := db.SupervisionQuestionnaire(as(other.coord), f.org.ID, sv); isms.ErrorCode(err) == "" {
			t.Fatal("another organisation read the questionnaire")
		}
		// Only a supervision by questionnaire has one.
		audit := f.supervision.PlannedOn
		byAudit, err := db.CreateSupervision(as(f.coord), f.org.ID, f.supplier.ID, isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: &audit})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CreateQuestionnaire(as(f.coord), f.org.ID, byAudit.ID, qnInput(db.DB, "A?")); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("questionnaire on an audit: %v", err)
		}

		in := qnInput(db.DB, "Er I certificeret efter ISO 27001?\nHar I en ISAE 3402-erklæring?", "  Krypterer I data?  ")
		in.SendTo = " drift@nordhavn.example "
		token, q, err := db.CreateQuestionnaire(as(f.contrib), f.org.ID, sv, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Questions) != 3 || q.Questions[2].Text != "Krypterer I data?" || q.Status != isms.QuestionnaireOpen || q.SentTo != "drift@nordhavn.example" {
			t.Fatalf("questionnaire %+v", q)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM supplier_questionnaires WHERE token_hash = ?", token); n != 0 {
			t.Fatal("the token is stored as it is")
		}
		if _, _, err := db.CreateQuestionnaire(as(f.coord), f.org.ID, sv, in); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("second questionnaire: %v", err)
		}

		// The supplier opens it; a wrong token is refused.
		pub, err := db.QuestionnaireByToken(anon, token)
		if err != nil || pub.OrganisationName != f.org.Name || pub.SupplierName != f.supplier.Name || len(pub.Questions) != 3 {
			t.Fatalf("public %+v %v", pub, err)
		}
		for _, bad := range []string{token + "x", "ismsq_", strings.Replace(token, "ismsq_", "ismsrep_", 1)} {
			if _, err := db.QuestionnaireByToken(anon, bad); isms.ErrorCode(err) != isms.ENotFound || isms.AsError(err).Key != "pub.err.questionnaire_link" {
				t.Fatalf("wrong token: %v", err)
			}
		}
		ids := []int64{pub.Questions[0].ID, pub.Questions[1].ID, pub.Questions[2].ID}

		// A draft may be partial; bad answers are refused by field.
		for _, c := range []struct {
			name       string
			in         isms.QuestionnaireAnswersInput
			field, key string
		}{
			{"unknown answer", isms.QuestionnaireAnswersInput{Answers: []isms.QuestionnaireResponse{{QuestionID: ids[0], Answer: "maybe"}}}, fmt.Sprint("answer_", ids[0]), "err.choice"},
			{"another's question", isms.QuestionnaireAnswersInput{Answers: []isms.QuestionnaireResponse{{QuestionID: 999999, Answer: "yes"}}}, "answers", "err.unknown_reference"},
			{"long comment", isms.QuestionnaireAnswersInput{Answers: []isms.QuestionnaireResponse{{QuestionID: ids[0], Answer: "yes", Comment: strings.Repeat("x", 4001)}}}, fmt.Sprint("comment_", ids[0]), "err.too_long"},
			{"submit incomplete", isms.QuestionnaireAnswersInput{Submit: true, RespondentName: "Ida", RespondentEmail: "ida@nordhavn.example",
				Answers: []isms.QuestionnaireResponse{{QuestionID: ids[0], Answer: "yes"}}}, fmt.Sprint("answer_", ids[1]), "pub.err.answer_required"},
			{"submit anonymous", isms.QuestionnaireAnswersInput{Submit: true, RespondentEmail: "ida@nordhavn.example", Answers: []isms.QuestionnaireResponse{
				{QuestionID: ids[0], Answer: "yes"}, {QuestionID: ids[1], Answer: "no"}, {QuestionID: ids[2], Answer: "partly"}}}, "respondent_name", "err.required"},
		} {
			leadUnchanged(t, db, f.org.ID, qnTables, func() error {
				_, err := db.AnswerQuestionnaire(anon, token, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		draft, err := db.AnswerQuestionnaire(anon, token, isms.QuestionnaireAnswersInput{RespondentName: "Ida Holm",
			Answers: []isms.QuestionnaireResponse{{QuestionID: ids[0], Answer: "yes", Comment: " Certifikat fra 2025 "}}})
		if err != nil || draft.Status != isms.QuestionnaireOpen || draft.DraftSavedAt == nil || draft.Answered() != 1 || draft.Questions[0].Comment != "Certifikat fra 2025" {
			t.Fatalf("draft %+v %v", draft, err)
		}
		// The coordinator sees the draft's progress on the supervision.
		seen, err := db.SupervisionQuestionnaire(as(f.reader), f.org.ID, sv)
		if err != nil || seen.Answered() != 1 || seen.SubmittedAt != nil {
			t.Fatalf("coordinator's view %+v %v", seen, err)
		}
		final := isms.QuestionnaireAnswersInput{Submit: true, RespondentName: "Ida Holm", RespondentEmail: "Ida@Nordhavn.example", Answers: []isms.QuestionnaireResponse{
			{QuestionID: ids[1], Answer: "no", Comment: "Erklæring kommer i 2027"}, {QuestionID: ids[2], Answer: "partly"}}}
		done, err := db.AnswerQuestionnaire(anon, token, final)
		if err != nil || done.Status != isms.QuestionnaireSubmitted || done.SubmittedAt == nil || done.RespondentEmail != "ida@nordhavn.example" ||
			done.Answered() != 3 || done.Questions[0].Answer != isms.QuestionnaireYes {
			t.Fatalf("submitted %+v %v", done, err)
		}
		ev := lastAuditEvent(t, db, f.org.ID)
		if ev.action != "submit_answers" || ev.recordType != "supplier_questionnaire" || !strings.Contains(ev.actor, "Ida Holm") {
			t.Fatalf("audit %+v", ev)
		}
		// Submitted: read-only through the link.
		if _, err := db.AnswerQuestionnaire(anon, token, final); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("second submission: %v", err)
		}
		if _, err := db.AnswerQuestionnaire(anon, token, isms.QuestionnaireAnswersInput{RespondentName: "X"}); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("draft after submission: %v", err)
		}
		if ro, err := db.QuestionnaireByToken(anon, token); err != nil || ro.Status != isms.QuestionnaireSubmitted {
			t.Fatalf("read after submission: %+v %v", ro, err)
		}

		// Reopen: a stale version and an open questionnaire are refused.
		until := isms.DateOf(now).AddDays(10)
		if _, err := db.ReopenQuestionnaire(as(f.coord), f.org.ID, sv, isms.QuestionnaireReopenInput{ExpiresOn: &until, Version: done.Version - 1}); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale reopen: %v", err)
		}
		if _, err := db.ReopenQuestionnaire(as(f.reader), f.org.ID, sv, isms.QuestionnaireReopenInput{ExpiresOn: &until, Version: done.Version}); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader reopened: %v", err)
		}
		re, err := db.ReopenQuestionnaire(as(f.coord), f.org.ID, sv, isms.QuestionnaireReopenInput{ExpiresOn: &until, Version: done.Version})
		if err != nil || re.Status != isms.QuestionnaireOpen || re.SubmittedAt != nil || re.Answered() != 3 || !re.ExpiresOn.Equal(until.Time) {
			t.Fatalf("reopened %+v %v", re, err)
		}
		if _, err := db.ReopenQuestionnaire(as(f.coord), f.org.ID, sv, isms.QuestionnaireReopenInput{ExpiresOn: &until, Version: re.Version}); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("reopen an open one: %v", err)
		}

		// Past its last day the link is refused, saying when it expired;
		// the coordinator may reopen it then.
		now = now.AddDate(0, 0, 11)
		if _, err := db.QuestionnaireByToken(anon, token); isms.ErrorCode(err) != isms.ENotFound || isms.AsError(err).Key != "pub.err.questionnaire_expired" {
			t.Fatalf("expired: %v", err)
		}
		if _, err := db.AnswerQuestionnaire(anon, token, final); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("answer expired: %v", err)
		}
		until = isms.DateOf(now).AddDays(5)
		if re, err = db.ReopenQuestionnaire(as(f.coord), f.org.ID, sv, isms.QuestionnaireReopenInput{ExpiresOn: &until, Version: re.Version}); err != nil {
			t.Fatalf("reopen expired: %v", err)
		}

		// Revoked: refused, the answers stay; a new one may then be made.
		if err := db.RevokeQuestionnaire(as(f.coord), f.org.ID, sv, re.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := db.QuestionnaireByToken(anon, token); isms.ErrorCode(err) != isms.ENotFound || isms.AsError(err).Key != "pub.err.questionnaire_revoked" {
			t.Fatalf("revoked: %v", err)
		}
		if kept, _ := db.SupervisionQuestionnaire(as(f.coord), f.org.ID, sv); kept.Status != isms.QuestionnaireRevoked || kept.Answered() != 3 {
			t.Fatalf("revoked questionnaire %+v", kept)
		}
		token2, q2, err := db.CreateQuestionnaire(as(f.coord), f.org.ID, sv, qnInput(db.DB, "Nyt spørgsmål?"))
		if err != nil || len(q2.Questions) != 1 || token2 == token {
			t.Fatalf("new after revoke %+v %v", q2, err)
		}
		if _, err := db.QuestionnaireByToken(anon, token); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("old token after a new questionnaire: %v", err)
		}
		// Deleting the supervision deletes its questionnaire.
		cur, _ := db.Supervision(as(f.coord), f.org.ID, sv)
		if err := db.DeleteSupervision(as(f.coord), f.org.ID, sv, cur.Version); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM supplier_questionnaire_questions"); n != 0 {
			t.Fatalf("%d questions left", n)
		}
		wantIntactChain(t, db.DB)
	})
}

// Two submissions of the same questionnaire at once, from one instance
// or two: exactly one lands, the others are told it was already
// submitted, and the answers are the winner's whole.
func TestConcurrentQuestionnaireSubmissions(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newQnFixture(t, raw.DB, "Samtidigt"+in.name)
		token, q, err := raw.CreateQuestionnaire(as(f.coord), f.org.ID, f.supervision.ID, qnInput(raw.DB, "A?", "B?"))
		if err != nil {
			t.Fatal(err)
		}
		errs := together(in, 6, func(i int, db *sqlstore.DB) error {
			ans := isms.QuestionnaireAnswers[i%3]
			_, err := db.AnswerQuestionnaire(context.Background(), token, isms.QuestionnaireAnswersInput{Submit: true, RespondentName: fmt.Sprint("Svarer ", i),
				RespondentEmail: fmt.Sprintf("s%d@nordhavn.example", i), Answers: []isms.QuestionnaireResponse{
					{QuestionID: q.Questions[0].ID, Answer: ans, Comment: fmt.Sprint("fra ", i)}, {QuestionID: q.Questions[1].ID, Answer: ans, Comment: fmt.Sprint("fra ", i)}}})
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != 5 {
			t.Fatalf("outcomes %v", got)
		}
		got, err := raw.SupervisionQuestionnaire(as(f.coord), f.org.ID, f.supervision.ID)
		if err != nil || got.Status != isms.QuestionnaireSubmitted {
			t.Fatalf("%+v %v", got, err)
		}
		winner := strings.TrimPrefix(got.RespondentName, "Svarer ")
		for _, x := range got.Questions {
			if x.Comment != "fra "+winner {
				t.Fatalf("answers mixed from several submissions: %+v (winner %s)", got.Questions, winner)
			}
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND action = 'submit_answers'", f.org.ID); n != 1 {
			t.Fatalf("%d submissions audited", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// Agreements are edited with the same checks as when added, refusing a
// stale version, with an audit event; a contributor edits only the
// agreements of their own suppliers, and another organisation none.
func TestSupplierAgreementEdit(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newQnFixture(t, db.DB, "Aftaler")
		other := newLeadFixture(t, db.DB, "Udenfor")
		start := isms.DateOf(db.Now())
		a, err := db.AddSupplierAgreement(as(f.coord), f.org.ID, f.supplier.ID, isms.SupplierAgreementInput{Kind: isms.AgreementContract, Title: "Driftsaftale",
			StartsOn: &start})
		if err != nil || a.Version != 1 {
			t.Fatalf("%+v %v", a, err)
		}
		before := start.AddDays(-1)
		unknown := int64(999999)
		good := isms.SupplierAgreementInput{Kind: isms.AgreementDPA, Title: " Databehandleraftale ", StartsOn: &start, Note: "Bilag 3", Version: a.Version}
		for _, c := range []struct {
			name       string
			change     func(in *isms.SupplierAgreementInput)
			field, key string
		}{
			{"no title", func(in *isms.SupplierAgreementInput) { in.Title = " " }, "title", "err.required"},
			{"bad kind", func(in *isms.SupplierAgreementInput) { in.Kind = "sla" }, "kind", "err.choice"},
			{"ends before start", func(in *isms.SupplierAgreementInput) { in.EndsOn = &before }, "ends_on", "sup.err.ends_before_start"},
			{"unknown document", func(in *isms.SupplierAgreementInput) { in.DocumentID = &unknown }, "document_id", "err.unknown_reference"},
			{"no version", func(in *isms.SupplierAgreementInput) { in.Version = 0 }, "version", "err.version_required"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, supTables, func() error {
				_, err := db.UpdateSupplierAgreement(as(f.coord), f.org.ID, f.supplier.ID, a.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		for _, u := range []*isms.User{f.reader, other.coord} {
			if _, err := db.UpdateSupplierAgreement(as(u), f.org.ID, f.supplier.ID, a.ID, good); isms.ErrorCode(err) != isms.EForbidden && isms.ErrorCode(err) != isms.ENotFound {
				t.Fatalf("%s edited: %v", u.Email, err)
			}
		}
		// The supplier's owner (a contributor) may.
		got, err := db.UpdateSupplierAgreement(as(f.contrib), f.org.ID, f.supplier.ID, a.ID, good)
		if err != nil || got.Title != "Databehandleraftale" || got.Kind != isms.AgreementDPA || got.Version != 2 || got.Note != "Bilag 3" {
			t.Fatalf("%+v %v", got, err)
		}
		if _, err := db.UpdateSupplierAgreement(as(f.coord), f.org.ID, f.supplier.ID, a.ID, good); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale: %v", err)
		}
		// Another supplier's path does not reach it.
		s2, err := db.CreateSupplier(as(f.coord), f.org.ID, supInput(&f.coord.ID))
		if err != nil {
			t.Fatal(err)
		}
		good.Version = got.Version
		if _, err := db.UpdateSupplierAgreement(as(f.coord), f.org.ID, s2.ID, a.ID, good); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("through another supplier: %v", err)
		}
		ev := lastAuditEvent(t, db, f.org.ID)
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ? AND record_type = 'supplier_agreement' AND action = 'update'", f.org.ID); n != 1 || ev.recordType != "supplier" {
			t.Fatalf("%d agreement update events, last %+v", n, ev)
		}
	})
}

// Concurrent edits of the same version of an agreement: one wins.
func TestConcurrentAgreementEdits(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newQnFixture(t, raw.DB, "Aftalesamtidig"+in.name)
		a, err := raw.AddSupplierAgreement(as(f.coord), f.org.ID, f.supplier.ID, isms.SupplierAgreementInput{Kind: isms.AgreementContract, Title: "Aftale"})
		if err != nil {
			t.Fatal(err)
		}
		errs := together(in, 6, func(i int, db *sqlstore.DB) error {
			_, err := db.UpdateSupplierAgreement(as(f.coord), f.org.ID, f.supplier.ID, a.ID, isms.SupplierAgreementInput{Kind: isms.AgreementContract,
				Title: fmt.Sprint("Aftale ", i), Version: a.Version})
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != 5 {
			t.Fatalf("outcomes %v", got)
		}
		wantIntactChain(t, raw.DB)
	})
}
