package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var inclTables = []string{"incidents", "nonconformities", "nonconformity_actions", "incident_risks", "incident_threats", "incident_controls",
	"incident_communications", "incident_timeline", "threats"}

// triagedIncident reports an event as the coordinator and triages it into
// an incident of the category.
func triagedIncident(t *testing.T, db *sqlstore.DB, coord *isms.User, orgID int64, title string, category isms.IncidentCategory, personal bool, at time.Time) *isms.Incident {
	t.Helper()
	ev, err := db.ReportEvent(as(coord), orgID, isms.IncidentEventInput{Title: title, Description: "Hvad der skete: " + title, DetectedAt: tp(at)})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := db.TriageIncident(as(coord), orgID, ev.ID, isms.IncidentTriageInput{Incident: true, Category: category, Severity: 2,
		OwnerID: &coord.ID, PersonalData: personal, Version: ev.Version})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// setIncident changes an incident's status and nonconformity flag.
func setIncident(t *testing.T, db *sqlstore.DB, coord *isms.User, orgID, id int64, status isms.IncidentStatus, flagged bool) *isms.Incident {
	t.Helper()
	i, err := db.Incident(as(coord), orgID, id)
	if err != nil {
		t.Fatal(err)
	}
	i, err = db.UpdateIncident(as(coord), orgID, id, isms.IncidentInput{Title: i.Title, Description: i.Description, DetectedAt: tp(i.DetectedAt),
		Status: status, Category: i.Category, Severity: i.Severity, OwnerID: i.OwnerID, Lessons: "Læring", Nonconformity: flagged,
		PersonalData: i.PersonalData, NIS2Significant: i.NIS2Significant, Version: i.Version})
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// analyse records a root cause and an action on a nonconformity, with the
// effectiveness review planned on a day.
func analyse(t *testing.T, db *sqlstore.DB, u *isms.User, orgID int64, n *isms.Nonconformity, requirement string, reviewOn *isms.Date) *isms.Nonconformity {
	t.Helper()
	in := isms.NonconformityInput{Title: n.Title, Source: n.Source, SourceIncidentID: n.SourceIncidentID, RequirementKind: isms.NCReqControl,
		Requirement: requirement, Description: n.Description, DetectedOn: &n.DetectedOn, OwnerID: n.OwnerID, RootCause: "Manglende træning",
		Actions: []isms.NCActionInput{{Action: "Kursus for alle", OwnerID: n.OwnerID, DueOn: dp("2026-12-01")}}, ReviewPlannedOn: reviewOn,
		Version: n.Version}
	out, err := db.UpdateNonconformity(as(u), orgID, n.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIncidentNonconformityLinks(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "HaendAfvig")
		other := newLeadFixture(t, db.DB, "HaendAfvigAndre")
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		inc := triagedIncident(t, db.DB, f.coord, f.org.ID, "Phishing mod lønkontoret", "phishing", false, now.Add(-48*time.Hour))
		theirs := triagedIncident(t, db.DB, other.coord, other.org.ID, "Deres hændelse", "malware", false, now.Add(-time.Hour))
		event, err := db.ReportEvent(as(f.reader), f.org.ID, isms.IncidentEventInput{Title: "Uafklaret", DetectedAt: tp(now)})
		if err != nil {
			t.Fatal(err)
		}

		// Not flagged: nothing registered. Flag it.
		leadUnchanged(t, db, f.org.ID, inclTables, func() error {
			_, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, inc.ID, inc.Version)
			return err
		}, func(err error) { wantCode(t, err, isms.EInvalid) })
		inc = setIncident(t, db.DB, f.coord, f.org.ID, inc.ID, isms.IncidentInvestigating, true)

		// Only an editor of incidents registers; another organisation's
		// coordinator does not see it; a stale version is a conflict.
		for _, u := range []*isms.User{f.reader, f.contrib, f.auditor, f.mgmt} {
			leadUnchanged(t, db, f.org.ID, inclTables, func() error {
				_, err := db.RegisterIncidentNonconformity(as(u), f.org.ID, inc.ID, inc.Version)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		for _, orgID := range []int64{f.org.ID, other.org.ID} {
			leadUnchanged(t, db, f.org.ID, inclTables, func() error {
				_, err := db.RegisterIncidentNonconformity(as(other.coord), orgID, inc.ID, inc.Version)
				return err
			}, func(err error) { wantCode(t, err, isms.ENotFound) })
		}
		leadUnchanged(t, db, f.org.ID, inclTables, func() error {
			_, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, inc.ID, inc.Version-1)
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })

		n, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, inc.ID, inc.Version)
		if err != nil {
			t.Fatal(err)
		}
		if n.Source != isms.NCSourceIncident || n.SourceIncidentID == nil || *n.SourceIncidentID != inc.ID || n.SourceIncidentTitle != inc.Title ||
			n.Requirement != "A.6.3" || n.Title != inc.Title || n.DetectedOn != isms.DateOf(inc.DetectedAt) || n.OwnerID == nil || *n.OwnerID != f.coord.ID ||
			n.Status != isms.NCOpen {
			t.Fatalf("registered %+v", n)
		}
		// The same click again, on the page read before: a conflict, one
		// nonconformity.
		_, err = db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, inc.ID, inc.Version)
		wantCode(t, err, isms.EConflict)
		list, total, err := db.Nonconformities(as(f.reader), f.org.ID, isms.NonconformityFilter{IncidentID: inc.ID})
		if err != nil || total != 1 || list[0].ID != n.ID {
			t.Fatalf("the incident's nonconformities: %d %v", total, err)
		}

		// An "other" incident's nonconformity has no requirement yet; its
		// owner must give one when saving it.
		odd := triagedIncident(t, db.DB, f.coord, f.org.ID, "Noget andet", "other", false, now.Add(-time.Hour))
		odd = setIncident(t, db.DB, f.coord, f.org.ID, odd.ID, isms.IncidentInvestigating, true)
		blank, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, odd.ID, odd.Version)
		if err != nil || blank.Requirement != "" {
			t.Fatalf("blank requirement: %+v %v", blank, err)
		}
		_, err = db.UpdateNonconformity(as(f.coord), f.org.ID, blank.ID, isms.NonconformityInput{Title: blank.Title, Source: blank.Source,
			SourceIncidentID: blank.SourceIncidentID, RequirementKind: isms.NCReqControl, DetectedOn: &blank.DetectedOn, OwnerID: blank.OwnerID,
			Version: blank.Version})
		leadWantField(t, err, "requirement", "err.required")

		// The source records, checked by field and organisation.
		sup, err := db.CreateSupplier(as(f.coord), f.org.ID, supInput(&f.coord.ID))
		if err != nil {
			t.Fatal(err)
		}
		sv, err := db.CreateSupervision(as(f.coord), f.org.ID, sup.ID, isms.SupervisionInput{Method: isms.SupervisionQuestionnaire, PlannedOn: dp("2026-04-01")})
		if err != nil {
			t.Fatal(err)
		}
		bad, notIncident := theirs.ID, event.ID
		for _, c := range []struct {
			name       string
			change     func(in *isms.NonconformityInput)
			field, key string
		}{
			{"incident with another source", func(in *isms.NonconformityInput) { in.Source = isms.NCSourceReport }, "source_incident_id", "incl.err.incident_only"},
			{"another organisation's incident", func(in *isms.NonconformityInput) { in.SourceIncidentID = &bad }, "source_incident_id", "err.unknown_reference"},
			{"an event not triaged", func(in *isms.NonconformityInput) { in.SourceIncidentID = &notIncident }, "source_incident_id", "incl.err.not_incident"},
			{"supervision with another source", func(in *isms.NonconformityInput) { in.SourceIncidentID, in.SourceSupervisionID = nil, &sv.ID },
				"source_supervision_id", "incl.err.supervision_only"},
			{"unknown supervision", func(in *isms.NonconformityInput) {
				in.Source, in.SourceIncidentID, in.SourceSupervisionID = isms.NCSourceSupplier, nil, &bad
			}, "source_supervision_id", "err.unknown_reference"},
		} {
			in := ncInput(&f.coord.ID)
			in.Source, in.SourceIncidentID = isms.NCSourceIncident, &inc.ID
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, inclTables, func() error {
				_, err := db.CreateNonconformity(as(f.coord), f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		in := ncInput(&f.coord.ID)
		in.Source, in.SourceSupervisionID = isms.NCSourceSupplier, &sv.ID
		fromSv, err := db.CreateNonconformity(as(f.coord), f.org.ID, in)
		if err != nil || fromSv.SourceSupervisionID == nil || *fromSv.SourceSupervisionID != sv.ID ||
			!strings.Contains(fromSv.SourceSupervisionText, sup.Name) {
			t.Fatalf("from a supervision: %+v %v", fromSv, err)
		}
		// The supervision deleted with its supplier: the nonconformity
		// stays, its source a supplier without the record.
		sup, _ = db.Supplier(as(f.coord), f.org.ID, sup.ID)
		if err := db.DeleteSupplier(as(f.coord), f.org.ID, sup.ID, sup.Version); err != nil {
			t.Fatal(err)
		}
		if x, err := db.Nonconformity(as(f.reader), f.org.ID, fromSv.ID); err != nil || x.SourceSupervisionID != nil || x.Source != isms.NCSourceSupplier {
			t.Fatalf("after the supplier went: %+v %v", x, err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM audit_events WHERE record_type = 'incident' AND action = 'register_nonconformity'"); n != 2 {
			t.Fatalf("%d register events", n)
		}
	})
}

// Question 7.4 follows the records: no → partly → yes → partly → yes →
// partly → yes as the procedure, the incidents and their nonconformities
// change.
func TestChecklistIncidentAnalysis(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newDocFixture(t, db.DB)
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		answer := func(want isms.AnswerStatus, reason string) *isms.ChecklistAnswer {
			t.Helper()
			got := checklistByID(t, db.DB, f.reader, f.org.ID)
			wantAnswer(t, got, "7.4", want, reason)
			return got["7.4"]
		}
		answer(isms.AnswerNo, "incl.reason.no_analysis")

		// A closed incident flagged as a nonconformity, its nonconformity
		// analysed with an action: partly, the procedure missing.
		first := triagedIncident(t, db.DB, f.coord, f.org.ID, "Ransomware på filserver", "malware", false, now.AddDate(0, -2, 0))
		first = setIncident(t, db.DB, f.coord, f.org.ID, first.ID, isms.IncidentInvestigating, true)
		n1, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, first.ID, first.Version)
		if err != nil {
			t.Fatal(err)
		}
		analyse(t, db.DB, f.coord, f.org.ID, n1, "A.8.7", nil)
		setIncident(t, db.DB, f.coord, f.org.ID, first.ID, isms.IncidentClosed, true)
		answer(isms.AnswerPartly, "incl.reason.procedure_missing")

		// The procedure in the register, unapproved, then approved.
		reqs, err := db.DocumentationRequirements(as(f.coord), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var reqID int64
		for _, q := range reqs {
			if q.Key == "incident_response" {
				reqID = q.ID
			}
		}
		next := isms.DateOf(now).AddDays(300)
		proc := f.doc(t, db.DB, isms.DocumentInput{Title: "Håndtering af sikkerhedshændelser", RequirementID: &reqID, ApproverIDs: []int64{f.mgmt.ID},
			ReviewIntervalMonths: 12, NextReview: &next, Classification: isms.ClassInternal})
		answer(isms.AnswerPartly, "incl.reason.procedure_unapproved")
		publishText(t, db.DB, f, proc, "Proceduren", true, f.mgmt)
		a := answer(isms.AnswerYes, "incl.reason.all_analysed")
		paths := map[string]bool{}
		for _, ev := range a.Evidence {
			paths[ev.Path] = true
		}
		if !paths["/incidents/"+itoa(first.ID)] || !paths["/nonconformities/"+itoa(n1.ID)] || !paths["/documents/"+itoa(proc.ID)] {
			t.Fatalf("evidence %+v", a.Evidence)
		}

		// A second one closed without a nonconformity: partly, named.
		second := triagedIncident(t, db.DB, f.coord, f.org.ID, "Bærbar glemt i toget", "device_loss", false, now.AddDate(0, 0, -10))
		second = setIncident(t, db.DB, f.coord, f.org.ID, second.ID, isms.IncidentClosed, true)
		a = answer(isms.AnswerPartly, "incl.reason.no_nc")
		if !strings.Contains(a.Reasons[0].Args[0].(string), "Bærbar glemt i toget") {
			t.Fatalf("reasons %+v", a.Reasons)
		}
		// Its nonconformity registered (the incident taken up again for
		// it): no cause, no action yet.
		second = setIncident(t, db.DB, f.coord, f.org.ID, second.ID, isms.IncidentResolved, true)
		n2, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, second.ID, second.Version)
		if err != nil {
			t.Fatal(err)
		}
		setIncident(t, db.DB, f.coord, f.org.ID, second.ID, isms.IncidentClosed, true)
		answer(isms.AnswerPartly, "incl.reason.no_cause")
		answer(isms.AnswerPartly, "incl.reason.no_action")
		review := isms.DateOf(now).AddDays(20)
		n2 = analyse(t, db.DB, f.coord, f.org.ID, n2, "A.8.1", &review)
		answer(isms.AnswerYes, "incl.reason.all_analysed")

		// The review's day passes without a review: partly; recorded: yes.
		now = now.AddDate(0, 0, 30)
		answer(isms.AnswerPartly, "incl.reason.no_review")
		in := isms.NonconformityInput{Title: n2.Title, Source: n2.Source, SourceIncidentID: n2.SourceIncidentID, RequirementKind: n2.RequirementKind,
			Requirement: n2.Requirement, DetectedOn: &n2.DetectedOn, OwnerID: n2.OwnerID, RootCause: n2.RootCause, ReviewPlannedOn: n2.ReviewPlannedOn,
			ReviewedOn: &review, Effective: bp(true), Version: n2.Version}
		for _, x := range n2.Actions {
			in.Actions = append(in.Actions, isms.NCActionInput{ID: x.ID, Action: x.Action, OwnerID: x.OwnerID, DueOn: x.DueOn})
		}
		if _, err := db.UpdateNonconformity(as(f.coord), f.org.ID, n2.ID, in); err != nil {
			t.Fatal(err)
		}
		answer(isms.AnswerYes, "incl.reason.all_analysed")

		// A year on, the incidents are out of the window.
		now = now.AddDate(1, 0, 0)
		proc, _ = db.Document(as(f.coord), f.org.ID, proc.ID)
		answer(isms.AnswerPartly, "incl.reason.procedure_overdue")
	})
}

