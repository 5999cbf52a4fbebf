package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
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

		// A year on, the procedure's review is overdue (partly) and the
		// incidents closed over a year ago no longer count.
		now = now.AddDate(1, 0, 0)
		a = answer(isms.AnswerPartly, "incl.reason.procedure_overdue")
		for _, ev := range a.Evidence {
			if ev.RecordType == "incident" {
				t.Fatalf("an incident closed over a year ago is evidence: %+v", a.Evidence)
			}
		}
	})
}

// An incident names risks, threats and controls; the risk and the control
// show it back, the control also through the risk it treats.
func TestIncidentRiskThreatControlLinks(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, raw *rawDB) {
		w := newRiskWorld(t, raw.DB)
		db := raw.DB
		ra := w.assessment(t, w.system)
		access := w.control(t, "5.15")
		malware := w.control(t, "8.7")
		r := w.risk(t, ra, "ransomware", 3, 3, func(in *isms.RiskInput) { in.ExistingControls = []int64{access} })
		inc := triagedIncident(t, db, w.coord, w.org.ID, "Ransomware", "malware", false, w.now.Add(-time.Hour))
		theirs := triagedIncident(t, db, w.outsider, w.other.ID, "Deres", "malware", false, w.now.Add(-time.Hour))
		threat := w.threat(t, "ransomware")

		good := isms.IncidentLinksInput{RiskIDs: []int64{r.ID, r.ID}, ThreatIDs: []int64{threat.ID},
			Controls: []isms.IncidentControlInput{{ControlID: malware, Effect: isms.ControlFailed}}, Version: inc.Version}
		for _, c := range []struct {
			name   string
			change func(in *isms.IncidentLinksInput)
			field  string
		}{
			{"unknown risk", func(in *isms.IncidentLinksInput) { in.RiskIDs = []int64{999999} }, "risk_ids"},
			{"unknown threat", func(in *isms.IncidentLinksInput) { in.ThreatIDs = []int64{999999} }, "threat_ids"},
			{"bad effect", func(in *isms.IncidentLinksInput) { in.Controls[0].Effect = "neutral" }, "controls"},
		} {
			in := good
			in.Controls = []isms.IncidentControlInput{good.Controls[0]}
			c.change(&in)
			before := riskRows(t, db, "incident_risks")
			_, err := db.SetIncidentLinks(as(w.coord), w.org.ID, inc.ID, in)
			if isms.ErrorCode(err) != isms.EInvalid || leadFieldKey(err, c.field) == "" {
				t.Fatalf("%s: %v", c.name, err)
			}
			if after := riskRows(t, db, "incident_risks"); after != before {
				t.Fatalf("%s: written %s → %s", c.name, before, after)
			}
		}
		// Another organisation's risk is unknown here; its coordinator
		// cannot touch this incident; a reader does not edit.
		if _, err := db.SetIncidentLinks(as(w.outsider), w.org.ID, inc.ID, good); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("outsider: %v", err)
		}
		if _, err := db.SetIncidentLinks(as(w.reader), w.org.ID, inc.ID, good); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader: %v", err)
		}
		if _, err := db.SetIncidentLinks(as(w.outsider), w.other.ID, theirs.ID, isms.IncidentLinksInput{RiskIDs: []int64{r.ID}, Version: theirs.Version}); leadFieldKey(err, "risk_ids") != "err.unknown_reference" {
			t.Fatalf("another organisation's risk: %v", err)
		}
		if _, err := db.IncidentsOfRisk(as(w.outsider), w.org.ID, r.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("outsider reads the risk's incidents: %v", err)
		}
		if _, err := db.IncidentsOfRisk(as(w.outsider), w.other.ID, r.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("outsider reads through their organisation: %v", err)
		}

		got, err := db.SetIncidentLinks(as(w.coord), w.org.ID, inc.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Risks) != 1 || got.Risks[0].ID != r.ID || len(got.Threats) != 1 || len(got.Controls) != 1 ||
			got.Controls[0].Ref != "8.7" || got.Controls[0].Effect != isms.ControlFailed || got.Version != inc.Version+1 {
			t.Fatalf("links %+v", got)
		}
		if _, err := db.SetIncidentLinks(as(w.coord), w.org.ID, inc.ID, good); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale: %v", err)
		}
		refs, err := db.IncidentsOfRisk(as(w.reader), w.org.ID, r.ID)
		if err != nil || len(refs) != 1 || refs[0].ID != inc.ID {
			t.Fatalf("risk's incidents %+v %v", refs, err)
		}
		// 8.7 directly; 5.15 through the risk it treats.
		direct, err := db.IncidentsOfControl(as(w.reader), w.org.ID, malware)
		if err != nil || len(direct) != 1 || direct[0].Via != "control" || direct[0].Effect != isms.ControlFailed {
			t.Fatalf("8.7's incidents %+v %v", direct, err)
		}
		via, err := db.IncidentsOfControl(as(w.reader), w.org.ID, access)
		if err != nil || len(via) != 1 || via[0].Via != "risk" || via[0].RiskTitle != r.Title {
			t.Fatalf("5.15's incidents %+v %v", via, err)
		}
		// Unlinking the risk: the control no longer shows it.
		got, err = db.SetIncidentLinks(as(w.coord), w.org.ID, inc.ID, isms.IncidentLinksInput{Version: got.Version})
		if err != nil || len(got.Risks)+len(got.Threats)+len(got.Controls) != 0 {
			t.Fatalf("unlinked %+v %v", got, err)
		}
		if via, _ := db.IncidentsOfControl(as(w.reader), w.org.ID, access); len(via) != 0 {
			t.Fatalf("5.15 still shows %+v", via)
		}

		// A new threat from the incident: in an own catalogue, linked, in
		// one transaction; bad input writes neither.
		cat, err := db.CreateThreatCatalogue(as(w.coord), w.org.ID, isms.ThreatCatalogueInput{Name: "Egne trusler"})
		if err != nil {
			t.Fatal(err)
		}
		nt := isms.ThreatInput{CatalogueID: cat.ID, Group: "malicious", NameDA: "QR-kode-phishing", Affects: isms.Affects{Confidentiality: true}, Status: isms.StatusActive}
		bad := nt
		bad.NameDA = ""
		before := riskRows(t, db, "threats")
		if _, err := db.AddIncidentThreat(as(w.coord), w.org.ID, inc.ID, isms.IncidentThreatInput{Threat: bad, Version: got.Version}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("bad threat: %v", err)
		}
		if _, err := db.AddIncidentThreat(as(w.coord), w.org.ID, inc.ID, isms.IncidentThreatInput{Threat: nt, Version: got.Version - 1}); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale threat: %v", err)
		}
		if after := riskRows(t, db, "threats"); after != before {
			t.Fatalf("refused threats wrote: %s → %s", before, after)
		}
		got, err = db.AddIncidentThreat(as(w.coord), w.org.ID, inc.ID, isms.IncidentThreatInput{Threat: nt, Version: got.Version})
		if err != nil || len(got.Threats) != 1 || got.Threats[0].NameDA != "QR-kode-phishing" {
			t.Fatalf("new threat %+v %v", got, err)
		}
	})
}

// The communication plan for an incident: the breach cases apply to a
// personal data breach and show a gap until recorded; each entry is
// recorded once, with a timeline entry; other entries are attached.
func TestIncidentCommunications(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "HaendKomm")
		other := newLeadFixture(t, db.DB, "HaendKommAndre")
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		entry := func(caseKey string) *isms.CommunicationEntry {
			e, err := db.CreateCommunicationEntry(as(f.coord), f.org.ID, commInput(caseKey, isms.DirectionExternal, &f.contrib.ID))
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		notice, staff, mgmt := entry("breach_notice"), entry("staff_notice"), entry("management_reporting")
		theirs, err := db.CreateCommunicationEntry(as(other.coord), other.org.ID, commInput("breach_authority", isms.DirectionExternal, &other.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		plain := triagedIncident(t, db.DB, f.coord, f.org.ID, "Nedbrud", "outage", false, now.Add(-3*time.Hour))
		breach := triagedIncident(t, db.DB, f.coord, f.org.ID, "Brev til forkert borger", "data_leak", true, now.Add(-3*time.Hour))
		list := func(i *isms.Incident) map[string]*isms.IncidentCommunication {
			t.Helper()
			cs, err := db.IncidentCommunications(as(f.reader), f.org.ID, i.ID)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]*isms.IncidentCommunication{}
			for _, c := range cs {
				m[c.CaseKey] = c
			}
			return m
		}
		if m := list(plain); len(m) != 1 || m["staff_notice"] == nil || m["staff_notice"].Gap {
			t.Fatalf("an ordinary incident: %+v", m)
		}
		m := list(breach)
		if !m["breach_notice"].Gap || m["breach_notice"].ID != 0 || !m["breach_authority"].Gap || m["breach_authority"].EntryID != nil {
			t.Fatalf("a breach before anything is recorded: %+v %+v", m["breach_notice"], m["breach_authority"])
		}

		rec := isms.IncidentCommunicationInput{EntryID: notice.ID, DoneAt: tp(now.Add(-time.Hour)), DoneBy: "Databeskyttelsesrådgiveren", Note: "Brev i Digital Post"}
		for _, c := range []struct {
			name       string
			change     func(in *isms.IncidentCommunicationInput)
			field, key string
		}{
			{"no time", func(in *isms.IncidentCommunicationInput) { in.DoneAt = nil }, "done_at", "err.required"},
			{"before detection", func(in *isms.IncidentCommunicationInput) { in.DoneAt = tp(now.Add(-5 * time.Hour)) }, "done_at", "inc.err.before_detection"},
			{"in the future", func(in *isms.IncidentCommunicationInput) { in.DoneAt = tp(now.Add(time.Hour)) }, "done_at", "inc.err.future"},
			{"by no one", func(in *isms.IncidentCommunicationInput) { in.DoneBy = " " }, "done_by", "err.required"},
			{"another organisation's entry", func(in *isms.IncidentCommunicationInput) { in.EntryID = theirs.ID }, "entry_id", "err.unknown_reference"},
		} {
			in := rec
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, inclTables, func() error {
				_, err := db.RecordIncidentCommunication(as(f.coord), f.org.ID, breach.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		for _, u := range []*isms.User{f.reader, f.contrib, f.mgmt} {
			leadUnchanged(t, db, f.org.ID, inclTables, func() error {
				_, err := db.RecordIncidentCommunication(as(u), f.org.ID, breach.ID, rec)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		leadUnchanged(t, db, f.org.ID, inclTables, func() error {
			_, err := db.RecordIncidentCommunication(as(other.coord), f.org.ID, breach.ID, rec)
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		if _, err := db.IncidentCommunications(as(other.coord), f.org.ID, breach.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation reads: %v", err)
		}

		c, err := db.RecordIncidentCommunication(as(f.coord), f.org.ID, breach.ID, rec)
		if err != nil || c.DoneAt == nil || c.DoneBy != rec.DoneBy || c.Attached {
			t.Fatalf("recorded %+v %v", c, err)
		}
		if m = list(breach); m["breach_notice"].Gap || !m["breach_authority"].Gap {
			t.Fatalf("after the notice: %+v %+v", m["breach_notice"], m["breach_authority"])
		}
		tl, err := db.IncidentTimeline(as(f.reader), f.org.ID, breach.ID)
		if err != nil || len(tl) != 1 || !strings.Contains(tl[0].Text, notice.What) || tl[0].Actor != rec.DoneBy || !tl[0].At.Equal(rec.DoneAt.Time) {
			t.Fatalf("timeline %+v %v", tl, err)
		}
		// Once per entry.
		leadUnchanged(t, db, f.org.ID, inclTables, func() error {
			_, err := db.RecordIncidentCommunication(as(f.coord), f.org.ID, breach.ID, rec)
			return err
		}, func(err error) { leadWantField(t, err, "entry_id", "incl.err.comm_recorded") })

		// The staff notice applies already; management reporting is
		// attached, then recorded.
		if _, err := db.AttachIncidentCommunication(as(f.coord), f.org.ID, breach.ID, isms.IncidentAttachInput{EntryID: staff.ID}); leadFieldKey(err, "entry_id") != "incl.err.comm_listed" {
			t.Fatalf("attach an entry that applies: %v", err)
		}
		att, err := db.AttachIncidentCommunication(as(f.coord), f.org.ID, breach.ID, isms.IncidentAttachInput{EntryID: mgmt.ID})
		if err != nil || !att.Attached || att.DoneAt != nil {
			t.Fatalf("attached %+v %v", att, err)
		}
		done, err := db.RecordIncidentCommunication(as(f.coord), f.org.ID, breach.ID, isms.IncidentCommunicationInput{EntryID: mgmt.ID, DoneAt: tp(now), DoneBy: "Koordinatoren"})
		if err != nil || done.ID != att.ID || done.DoneAt == nil {
			t.Fatalf("recorded the attached %+v %v", done, err)
		}
		refs, err := db.IncidentsOfCommunication(as(f.reader), f.org.ID, mgmt.ID)
		if err != nil || len(refs) != 1 || refs[0].ID != breach.ID || refs[0].Via != "done" {
			t.Fatalf("the entry's incidents %+v %v", refs, err)
		}
		if _, err := db.IncidentsOfCommunication(as(other.coord), other.org.ID, mgmt.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("through another organisation: %v", err)
		}
		// Recorded in error: deleted, the gap is back.
		if err := db.DeleteIncidentCommunication(as(f.reader), f.org.ID, breach.ID, c.ID); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader deletes: %v", err)
		}
		if err := db.DeleteIncidentCommunication(as(f.coord), f.org.ID, breach.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if m = list(breach); !m["breach_notice"].Gap {
			t.Fatalf("after the delete: %+v", m["breach_notice"])
		}
		// The plan's entry removed: the record of what was done stays.
		mgmt, _ = db.CommunicationEntry(as(f.coord), f.org.ID, mgmt.ID)
		if err := db.DeleteCommunicationEntry(as(f.coord), f.org.ID, mgmt.ID, mgmt.Version); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range list(breach) {
			found = found || (x.ID == done.ID && x.EntryID == nil && x.What == mgmt.What && x.DoneAt != nil)
		}
		if !found {
			t.Fatalf("the record went with the plan's entry: %+v", list(breach))
		}
	})
}

// Many coordinators at once: one nonconformity per registration read, one
// record per plan entry, on one instance and two.
func TestIncidentLinksConcurrent(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "inclconc-"+in.name)
		now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		raw.Now = func() time.Time { return now }
		inc := triagedIncident(t, raw.DB, f.coord, f.org.ID, "Brud", "data_leak", true, now.Add(-time.Hour))
		inc = setIncident(t, raw.DB, f.coord, f.org.ID, inc.ID, isms.IncidentInvestigating, true)
		const writers = 12
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			_, err := db.RegisterIncidentNonconformity(as(f.coord), f.org.ID, inc.ID, inc.Version)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != writers-1 {
			t.Fatalf("register outcomes %v", got)
		}
		if _, n, _ := raw.Nonconformities(as(f.coord), f.org.ID, isms.NonconformityFilter{IncidentID: inc.ID}); n != 1 {
			t.Fatalf("%d nonconformities", n)
		}
		e, err := raw.CreateCommunicationEntry(as(f.coord), f.org.ID, commInput("breach_authority", isms.DirectionExternal, &f.contrib.ID))
		if err != nil {
			t.Fatal(err)
		}
		errs = together(in, writers, func(i int, db *sqlstore.DB) error {
			_, err := db.RecordIncidentCommunication(as(f.coord), f.org.ID, inc.ID, isms.IncidentCommunicationInput{EntryID: e.ID, DoneAt: tp(now), DoneBy: "DPO"})
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EInvalid] != writers-1 {
			t.Fatalf("record outcomes %v", got)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM incident_communications"); n != 1 {
			t.Fatalf("%d records", n)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM incident_timeline"); n != 1 {
			t.Fatalf("%d timeline entries", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// closed_at follows the status however it changes: the form closing,
// reopening and closing again, and the incident log's import.
func TestIncidentClosedAt(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "HaendLukket")
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		inc := triagedIncident(t, db.DB, f.coord, f.org.ID, "Nedbrud", "outage", false, now.Add(-time.Hour))
		if inc.ClosedAt != nil {
			t.Fatalf("open with closed_at %v", inc.ClosedAt)
		}
		inc = setIncident(t, db.DB, f.coord, f.org.ID, inc.ID, isms.IncidentClosed, false)
		if inc.ClosedAt == nil || !inc.ClosedAt.Equal(now) {
			t.Fatalf("closed at %v", inc.ClosedAt)
		}
		now = now.Add(time.Hour)
		if inc = setIncident(t, db.DB, f.coord, f.org.ID, inc.ID, isms.IncidentClosed, true); !inc.ClosedAt.Equal(now.Add(-time.Hour)) {
			t.Fatalf("a change while closed moved closed_at to %v", inc.ClosedAt)
		}
		if inc = setIncident(t, db.DB, f.coord, f.org.ID, inc.ID, isms.IncidentInvestigating, true); inc.ClosedAt != nil {
			t.Fatalf("reopened with closed_at %v", inc.ClosedAt)
		}
		if inc = setIncident(t, db.DB, f.coord, f.org.ID, inc.ID, isms.IncidentClosed, true); !inc.ClosedAt.Equal(now) {
			t.Fatalf("closed again at %v", inc.ClosedAt)
		}

		csv := "Hændelse;Beskrivelse;Opdaget (dd-mm-åååå tt:mm);Kategori;Alvorlighed;Status;Persondata (ja/nej);NIS2 væsentlig;Læring;Ansvarlig\n" +
			"Phishing mod økonomi;Falsk faktura;12-02-2026 14:30;Phishing;Høj;Lukket;nej;nej;Træning i falske fakturaer;" + f.coord.Email + "\n" +
			"Nedbrud på borgerservice;;20-02-2026 08:15;Nedbrud;kritisk;undersøges;nej;ja;;\n"
		s, err := export.ReadRegister(isms.ImportIncidents, "haendelser.csv", []byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		pv, err := db.PreviewRegisterSheet(as(f.coord), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportRegisterSheet(as(f.coord), f.org.ID, s, pv.PreviewSHA256); err != nil {
			t.Fatal(err)
		}
		incs, _, err := db.Incidents(as(f.coord), f.org.ID, isms.IncidentFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		closed := 0
		for _, i := range incs {
			if (i.Status == isms.IncidentClosed) != (i.ClosedAt != nil) {
				t.Errorf("%s: status %s, closed at %v", i.Title, i.Status, i.ClosedAt)
			}
			if i.Status == isms.IncidentClosed {
				closed++
			}
		}
		if closed < 2 {
			t.Fatalf("%d closed incidents after the import", closed)
		}
	})
}
