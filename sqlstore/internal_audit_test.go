package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var audTables = []string{"audit_programmes", "internal_audits", "internal_audit_checks", "internal_audit_findings", "nonconformities"}

// audSoA includes controls in the SoA: 5.15 owned by owner, 8.8 by none.
func audSoA(t *testing.T, db *rawDB, f *leadFixture, owner int64) {
	t.Helper()
	for ref, o := range map[string]*int64{"5.15": &owner, "8.8": nil} {
		if _, err := db.SaveSoAControl(as(f.coord), f.org.ID, controlID(t, db, ref), isms.SoAControlInput{Applicability: isms.Applicable,
			BusinessReason: "Risikovurdering", Status: isms.ImplImplemented, OwnerID: o}); err != nil {
			t.Fatal(err)
		}
	}
}

func audInput(progID int64, lead *int64, planned string) isms.AuditInput {
	return isms.AuditInput{ProgrammeID: progID, Title: "Adgangsstyring og kapitel 9", Scope: "IT-afdelingen", Criteria: "ISO/IEC 27001:2022",
		Clauses: []string{"9.1", "9.2"}, Controls: []string{"5.15"}, PlannedOn: dp(planned), LeadAuditorID: lead,
		Independence: isms.IndependenceInternal}
}

func TestInternalAuditRecordedByTheAuditor(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Audit")
		other := newLeadFixture(t, db.DB, "Andenaudit")
		db.Now = func() time.Time { return time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC) }
		audSoA(t, db, f, f.contrib.ID)
		coord, auditor := as(f.coord), as(f.auditor)

		// The programme: the coordinator plans it; bad years are named.
		for _, c := range []struct {
			in         isms.AuditProgrammeInput
			field, key string
		}{
			{isms.AuditProgrammeInput{Title: "P", FirstYear: 2027, LastYear: 2025}, "last_year", "aud.err.last_before_first"},
			{isms.AuditProgrammeInput{Title: "P", FirstYear: 1990, LastYear: 2025}, "first_year", "aud.err.year"},
			{isms.AuditProgrammeInput{Title: "P", FirstYear: 2025, LastYear: 2031}, "last_year", "aud.err.cycle_long"},
			{isms.AuditProgrammeInput{Title: " ", FirstYear: 2025, LastYear: 2027}, "title", "err.required"},
		} {
			leadUnchanged(t, db, f.org.ID, audTables, func() error {
				_, err := db.CreateAuditProgramme(coord, f.org.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		progIn := isms.AuditProgrammeInput{Title: "Auditprogram 2025–2027", FirstYear: 2025, LastYear: 2027}
		for _, u := range []*isms.User{f.auditor, f.reader, f.mgmt} {
			leadUnchanged(t, db, f.org.ID, audTables, func() error {
				_, err := db.CreateAuditProgramme(as(u), f.org.ID, progIn)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		prog, err := db.CreateAuditProgramme(coord, f.org.ID, progIn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AuditProgramme(as(other.coord), f.org.ID, prog.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation reads the programme: %v", err)
		}

		// The audit, recorded by the auditor. An auditor who owns a
		// control in scope is refused; so is a date outside the cycle.
		good := audInput(prog.ID, &f.auditor.ID, "2026-05-10")
		for _, c := range []struct {
			name       string
			change     func(in *isms.AuditInput)
			field, key string
		}{
			{"own area", func(in *isms.AuditInput) { in.LeadAuditorID = &f.contrib.ID }, "lead_auditor_id", "aud.err.own_area"},
			{"outside cycle", func(in *isms.AuditInput) { in.PlannedOn = dp("2029-01-10") }, "planned_on", "aud.err.outside_cycle"},
			{"unknown clause", func(in *isms.AuditInput) { in.Clauses = []string{"11.1"} }, "clauses", "aud.err.unknown_clause"},
			{"unknown control", func(in *isms.AuditInput) { in.Controls = []string{"9.99"} }, "controls", "aud.err.unknown_control"},
			{"empty scope", func(in *isms.AuditInput) { in.Clauses, in.Controls = nil, nil }, "clauses", "aud.err.scope_empty"},
			{"ends before it starts", func(in *isms.AuditInput) { in.HeldFrom, in.HeldTo = dp("2026-05-12"), dp("2026-05-11") }, "held_to", "aud.err.held_to_before"},
			{"external without why", func(in *isms.AuditInput) { in.Independence = isms.IndependenceExternal }, "independence_note", "aud.err.independence_note"},
			{"lead not a member", func(in *isms.AuditInput) { in.LeadAuditorID = &f.outside.ID }, "lead_auditor_id", "err.not_member"},
			{"unknown programme", func(in *isms.AuditInput) { in.ProgrammeID = 999999 }, "programme_id", "err.unknown_reference"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, audTables, func() error {
				_, err := db.CreateAudit(auditor, f.org.ID, in)
				return err
			}, func(err error) {
				t.Helper()
				if isms.ErrorCode(err) != isms.EInvalid {
					t.Fatalf("%s: %v", c.name, err)
				}
				leadWantField(t, err, c.field, c.key)
			})
		}
		// The owner audited by an external party is independent.
		ext := good
		ext.LeadAuditorID, ext.Independence, ext.IndependenceWhy, ext.Title = &f.contrib.ID, isms.IndependenceExternal, "Revisionsfirma", "Ekstern"
		if _, err := db.CreateAudit(auditor, f.org.ID, ext); err != nil {
			t.Fatalf("external audit: %v", err)
		}
		for _, u := range []*isms.User{f.reader, f.mgmt, f.contrib} {
			leadUnchanged(t, db, f.org.ID, audTables, func() error {
				_, err := db.CreateAudit(as(u), f.org.ID, good)
				return err
			}, func(err error) { wantCode(t, err, isms.EForbidden) })
		}
		good.HeldFrom, good.HeldTo = dp("2026-05-10"), dp("2026-05-11")
		a, err := db.CreateAudit(auditor, f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != isms.AuditHeld || len(a.Checks) != 3 || a.Checks[0].Ref != "9.1" || a.Checks[2].Ref != "5.15" || a.Checks[2].Kind != "control" {
			t.Fatalf("audit %+v checks %+v", a, a.Checks)
		}

		// Findings: evidence is required, the reference is in scope; a
		// reader may not record one and another organisation sees none.
		fin := isms.AuditFindingInput{Type: isms.FindingMinorNC, Ref: "5.15", Title: "Adgangsrettigheder gennemgås ikke",
			Evidence: "Ingen dokumentation for kvartalsvis gennemgang i 2026"}
		for _, c := range []struct {
			change     func(in *isms.AuditFindingInput)
			field, key string
		}{
			{func(in *isms.AuditFindingInput) { in.Evidence = "" }, "evidence", "err.required"},
			{func(in *isms.AuditFindingInput) { in.Ref = "8.8" }, "ref", "aud.err.not_in_scope"},
			{func(in *isms.AuditFindingInput) { in.Type = "critical" }, "type", "err.choice"},
		} {
			in := fin
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, audTables, func() error {
				_, err := db.CreateAuditFinding(auditor, f.org.ID, a.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		leadUnchanged(t, db, f.org.ID, audTables, func() error {
			_, err := db.CreateAuditFinding(as(f.reader), f.org.ID, a.ID, fin)
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		if _, err := db.CreateAuditFinding(as(other.coord), f.org.ID, a.ID, fin); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation records a finding: %v", err)
		}
		nc1, err := db.CreateAuditFinding(auditor, f.org.ID, a.ID, fin)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := db.CreateAuditFinding(auditor, f.org.ID, a.ID, isms.AuditFindingInput{Type: isms.FindingObservation, Ref: "9.1",
			Title: "Målinger rapporteres uregelmæssigt", Evidence: "Statusrapporter marts og juni"})
		if err != nil {
			t.Fatal(err)
		}
		if nc1.RecordedByName != f.auditor.Name || !nc1.AwaitsRegistration() || obs.AwaitsRegistration() {
			t.Fatalf("findings %+v %+v", nc1, obs)
		}

		// Approval: only the lead auditor, and only with the checklist
		// answered, a conclusion and every nonconformity registered.
		a, err = db.Audit(auditor, f.org.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Checks[2].Result != isms.CheckFinding || a.Counts.MinorNC != 1 || a.Counts.Observations != 1 {
			t.Fatalf("after findings: %+v %+v", a.Checks, a.Counts)
		}
		if _, err := db.ApproveAuditReport(coord, f.org.ID, a.ID, a.Version); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("coordinator approves another's report: %v", err)
		}
		_, err = db.ApproveAuditReport(auditor, f.org.ID, a.ID, a.Version)
		leadWantField(t, err, "checks", "aud.err.checks_open")
		leadWantField(t, err, "conclusion", "aud.err.conclusion_required")
		leadWantField(t, err, "findings", "aud.err.unregistered")

		// Registration: not for an observation; for the nonconformity,
		// owned by the control's owner in the SoA, with source audit.
		if _, err := db.RegisterFindingNonconformity(auditor, f.org.ID, obs.ID, isms.FindingRegistration{Version: obs.Version}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("observation registered: %v", err)
		}
		if _, err := db.RegisterFindingNonconformity(as(f.reader), f.org.ID, nc1.ID, isms.FindingRegistration{Version: nc1.Version}); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader registers: %v", err)
		}
		n, err := db.RegisterFindingNonconformity(auditor, f.org.ID, nc1.ID, isms.FindingRegistration{Version: nc1.Version})
		if err != nil {
			t.Fatal(err)
		}
		if n.Source != isms.NCSourceAudit || n.RequirementKind != isms.NCReqControl || n.Requirement != "5.15" || n.OwnerID == nil ||
			*n.OwnerID != f.contrib.ID || n.DetectedOn.String() != "2026-05-11" || n.Status != isms.NCOpen {
			t.Fatalf("registered %+v", n)
		}
		if _, err := db.RegisterFindingNonconformity(auditor, f.org.ID, nc1.ID, isms.FindingRegistration{Version: nc1.Version + 1}); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("registered twice: %v", err)
		}
		got, err := db.AuditFinding(as(f.mgmt), f.org.ID, nc1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.NonconformityID == nil || *got.NonconformityID != n.ID || got.NCStatus != isms.NCOpen {
			t.Fatalf("finding after registration %+v", got)
		}

		a, _ = db.Audit(auditor, f.org.ID, a.ID)
		checks := isms.AuditCheckInput{Version: a.Version, Checks: []isms.AuditCheck{{Ref: "9.1", Result: isms.CheckFinding}, {Ref: "9.2", Result: isms.CheckConform, Note: "Programmet findes"}}}
		bad := checks
		bad.Checks = append([]isms.AuditCheck{{Ref: "8.8", Result: isms.CheckConform}}, checks.Checks...)
		_, err = db.SaveAuditChecks(auditor, f.org.ID, a.ID, bad)
		leadWantField(t, err, "checks.0.ref", "aud.err.not_in_scope")
		if a, err = db.SaveAuditChecks(auditor, f.org.ID, a.ID, checks); err != nil {
			t.Fatal(err)
		}
		up := good
		up.Conclusion, up.EvidenceSeen, up.Version = "ISMS'et fungerer med én mindre afvigelse.", "Politik, SoA, adgangslister", a.Version
		if a, err = db.UpdateAudit(auditor, f.org.ID, a.ID, up); err != nil {
			t.Fatal(err)
		}
		if a, err = db.ApproveAuditReport(auditor, f.org.ID, a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if a.Status != isms.AuditApproved || a.ApprovedByName != f.auditor.Name || len(a.Checksum) != 64 {
			t.Fatalf("approved %+v", a)
		}

		// An approved report is frozen: the audit, its checklist and
		// findings are refused until the lead auditor withdraws.
		up.Version = a.Version
		if _, err := db.UpdateAudit(auditor, f.org.ID, a.ID, up); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("changed after approval: %v", err)
		}
		if _, err := db.CreateAuditFinding(auditor, f.org.ID, a.ID, fin); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("finding after approval: %v", err)
		}
		if _, err := db.WithdrawAuditApproval(coord, f.org.ID, a.ID, a.Version); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("coordinator withdraws: %v", err)
		}
		w, err := db.WithdrawAuditApproval(auditor, f.org.ID, a.ID, a.Version)
		if err != nil || w.Status != isms.AuditHeld || w.Checksum != "" {
			t.Fatalf("withdrawn %+v %v", w, err)
		}
		again, err := db.ApproveAuditReport(auditor, f.org.ID, a.ID, w.Version)
		if err != nil || again.Checksum != a.Checksum {
			t.Fatalf("the same content approved again has another checksum: %v %v", again, err)
		}

		// The nonconformity is followed in the register to its
		// effectiveness review; the finding shows where it stands.
		ncIn := isms.NonconformityInput{Title: n.Title, Source: n.Source, SourceRef: n.SourceRef, RequirementKind: n.RequirementKind,
			Requirement: n.Requirement, Description: n.Description, DetectedOn: &n.DetectedOn, OwnerID: n.OwnerID, RootCause: "Ingen ejer af gennemgangen",
			Actions:    []isms.NCActionInput{{Action: "Kvartalsvis gennemgang i årshjulet", OwnerID: n.OwnerID, DueOn: dp("2026-05-15"), DoneOn: dp("2026-05-15")}},
			ReviewedOn: dp("2026-05-19"), Effective: bp(true), ReviewNote: "Gennemgang udført", Version: n.Version}
		if n, err = db.UpdateNonconformity(coord, f.org.ID, n.ID, ncIn); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.AuditFinding(auditor, f.org.ID, nc1.ID); got.NCStatus != isms.NCReview || got.NCEffective == nil || !*got.NCEffective {
			t.Fatalf("finding after review %+v", got)
		}
		if _, err = db.CloseNonconformity(coord, f.org.ID, n.ID, n.Version); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.AuditFinding(auditor, f.org.ID, nc1.ID); got.NCStatus != isms.NCClosed {
			t.Fatalf("finding after closing %+v", got)
		}
		events, _, err := db.AuditEvents(coord, f.org.ID, isms.AuditFilter{RecordType: "internal_audit", Limit: 50})
		if err != nil || len(events) < 6 {
			t.Fatalf("audit events of the audit: %d %v", len(events), err)
		}
	})
}

// Two auditors registering the same finding at once, on one instance or
// two, make one nonconformity.
func TestConcurrentFindingRegistrationMakesOneNC(t *testing.T) {
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "Samtidigaudit")
		raw.Now = func() time.Time { return time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC) }
		audSoA(t, raw, f, f.contrib.ID)
		second := mustUser(t, raw.DB, "auditor2@Samtidigaudit.example")
		mustMember(t, raw.DB, f.org, second, isms.RoleAuditor)
		prog, err := raw.CreateAuditProgramme(as(f.coord), f.org.ID, isms.AuditProgrammeInput{Title: "P", FirstYear: 2026, LastYear: 2028})
		if err != nil {
			t.Fatal(err)
		}
		ain := audInput(prog.ID, &f.auditor.ID, "2026-05-10")
		ain.HeldFrom, ain.HeldTo = dp("2026-05-10"), dp("2026-05-10")
		a, err := raw.CreateAudit(as(f.auditor), f.org.ID, ain)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := raw.CreateAuditFinding(as(f.auditor), f.org.ID, a.ID, isms.AuditFindingInput{Type: isms.FindingMajorNC, Ref: "9.2",
			Title: "Intet auditprogram før 2026", Evidence: "Ingen plan fundet"})
		if err != nil {
			t.Fatal(err)
		}
		const writers = 8
		errs := together(in, writers, func(i int, db *sqlstore.DB) error {
			u := f.auditor
			if i%2 == 1 {
				u = second
			}
			_, err := db.RegisterFindingNonconformity(as(u), f.org.ID, fd.ID, isms.FindingRegistration{OwnerID: &f.coord.ID, Version: fd.Version})
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != writers-1 {
			t.Fatalf("outcomes %v", got)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM nonconformities WHERE organisation_id = ? AND source = 'audit'", f.org.ID); n != 1 {
			t.Fatalf("%d nonconformities from one finding", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// Rule 7.2 follows the records: no programme, a programme that misses
// clauses and controls, one that covers them with a held and approved
// audit, then a planned audit that passes its date unheld.
func TestRuleInternalAuditPlan(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Auditplan")
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		audSoA(t, db, f, f.contrib.ID)
		coord, auditor := as(f.coord), as(f.auditor)
		answer := func() *isms.ChecklistAnswer {
			t.Helper()
			as, err := db.Checklist(coord, f.org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range as {
				if a.QuestionID == "7.2" {
					if a.Source != isms.SourceRecords {
						t.Fatalf("7.2 answered by %s", a.Source)
					}
					return a
				}
			}
			t.Fatal("no answer to 7.2")
			return nil
		}
		hasReason := func(a *isms.ChecklistAnswer, key string) bool {
			for _, r := range a.Reasons {
				if r.Key == key {
					return true
				}
			}
			return false
		}
		if a := answer(); a.Status != isms.AnswerNo || !hasReason(a, "reason.aud_none") {
			t.Fatalf("empty: %+v", a)
		}
		prog, err := db.CreateAuditProgramme(coord, f.org.ID, isms.AuditProgrammeInput{Title: "P", FirstYear: 2025, LastYear: 2027})
		if err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.aud_no_audits") || !hasReason(a, "reason.aud_clauses_missing") {
			t.Fatalf("programme only: %+v", a)
		}
		first := audInput(prog.ID, &f.auditor.ID, "2026-05-10")
		first.HeldFrom, first.HeldTo = dp("2026-05-10"), dp("2026-05-11")
		first.Conclusion = "I orden"
		a1, err := db.CreateAudit(auditor, f.org.ID, first)
		if err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.aud_controls_missing") || !hasReason(a, "reason.aud_unapproved") {
			t.Fatalf("one audit: %+v", a)
		}
		// The rest of the clauses and 8.8 in an audit planned for 2027.
		rest := audInput(prog.ID, &f.auditor.ID, "2027-03-01")
		rest.Title, rest.Controls = "Resten", []string{"8.8"}
		rest.Clauses = nil
		for _, c := range isms.StandardClauses {
			if c != "9.1" && c != "9.2" {
				rest.Clauses = append(rest.Clauses, c)
			}
		}
		if _, err := db.CreateAudit(auditor, f.org.ID, rest); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerPartly || hasReason(a, "reason.aud_controls_missing") || hasReason(a, "reason.aud_clauses_missing") ||
			!hasReason(a, "reason.aud_unapproved") {
			t.Fatalf("covered, not approved: %+v", a)
		}
		checks := isms.AuditCheckInput{Version: a1.Version}
		for _, c := range a1.Checks {
			checks.Checks = append(checks.Checks, isms.AuditCheck{Ref: c.Ref, Result: isms.CheckConform})
		}
		if a1, err = db.SaveAuditChecks(auditor, f.org.ID, a1.ID, checks); err != nil {
			t.Fatal(err)
		}
		if _, err = db.ApproveAuditReport(auditor, f.org.ID, a1.ID, a1.Version); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerYes || !hasReason(a, "reason.aud_yes") {
			t.Fatalf("covered and approved: %+v", a)
		}
		// A year on, the 2027 audit's date has passed and it was not held.
		now = time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)
		if a := answer(); a.Status != isms.AnswerPartly || !hasReason(a, "reason.aud_late") {
			t.Fatalf("late: %+v", a)
		}
		// After the cycle there is no programme for the year.
		now = time.Date(2028, 2, 1, 9, 0, 0, 0, time.UTC)
		if a := answer(); a.Status != isms.AnswerNo {
			t.Fatalf("after the cycle: %+v", a)
		}
	})
}

// AuditResults, what management review reads, counts the audits held in
// the period and lists the open nonconformities they raised.
func TestAuditResultsForManagementReview(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Auditresultat")
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		audSoA(t, db, f, f.contrib.ID)
		auditor := as(f.auditor)
		prog, err := db.CreateAuditProgramme(as(f.coord), f.org.ID, isms.AuditProgrammeInput{Title: "P", FirstYear: 2025, LastYear: 2027})
		if err != nil {
			t.Fatal(err)
		}
		results := func(from, to string) *isms.AuditResults {
			t.Helper()
			r, err := db.AuditResults(as(f.mgmt), f.org.ID, mustDate(from), mustDate(to))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := results("2026-01-01", "2026-12-31"); len(r.Audits) != 0 || len(r.OpenNonconformities) != 0 {
			t.Fatalf("nothing held: %+v", r)
		}
		in := audInput(prog.ID, &f.auditor.ID, "2026-03-01")
		in.HeldFrom, in.HeldTo = dp("2026-03-02"), dp("2026-03-03")
		a, err := db.CreateAudit(auditor, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, ty := range []isms.FindingType{isms.FindingMajorNC, isms.FindingObservation, isms.FindingObservation} {
			fd, err := db.CreateAuditFinding(auditor, f.org.ID, a.ID, isms.AuditFindingInput{Type: ty, Ref: "9.1", Title: string(ty), Evidence: "Set"})
			if err != nil {
				t.Fatal(err)
			}
			if ty == isms.FindingMajorNC {
				if _, err := db.RegisterFindingNonconformity(auditor, f.org.ID, fd.ID, isms.FindingRegistration{OwnerID: &f.coord.ID, Version: fd.Version}); err != nil {
					t.Fatal(err)
				}
			}
		}
		r := results("2026-01-01", "2026-12-31")
		if len(r.Audits) != 1 || r.Audits[0].Counts.MajorNC != 1 || r.Audits[0].Counts.Observations != 2 || r.Totals.Total() != 3 ||
			len(r.OpenNonconformities) != 1 || r.OpenNonconformities[0].FindingType != isms.FindingMajorNC || r.OpenNonconformities[0].Status != isms.NCOpen {
			t.Fatalf("held: %+v", r)
		}
		if r := results("2026-04-01", "2026-12-31"); len(r.Audits) != 0 || len(r.OpenNonconformities) != 1 {
			t.Fatalf("another period: %+v", r)
		}
		if _, err := db.AuditResults(as(newLeadFixture(t, db.DB, "Fremmedresultat").coord), f.org.ID, mustDate("2026-01-01"), mustDate("2026-12-31")); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("another organisation reads the results: %v", err)
		}
		items, err := db.OpenAuditAssignments(context.Background(), f.org.ID)
		if isms.ErrorCode(err) != isms.EUnauthorized {
			t.Fatalf("assignments without an actor: %v %v", items, err)
		}
		if items, err = db.OpenAuditAssignments(as(f.coord), f.org.ID); err != nil || len(items) != 1 || items[0].Kind != "approve" || items[0].UserID != f.auditor.ID {
			t.Fatalf("assignments %+v %v", items, err)
		}
	})
}

// The coverage weighs a control with earlier findings as yearly and
// follows the audits planned.
func TestAuditCoverageWeighting(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Auditdaekning")
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) }
		audSoA(t, db, f, f.contrib.ID)
		prog, err := db.CreateAuditProgramme(as(f.coord), f.org.ID, isms.AuditProgrammeInput{Title: "P", FirstYear: 2026, LastYear: 2028})
		if err != nil {
			t.Fatal(err)
		}
		line := func(ref string) isms.CoverageLine {
			t.Helper()
			cov, err := db.AuditCoverage(as(f.reader), f.org.ID, prog.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range cov.Controls {
				if l.Ref == ref {
					return l
				}
			}
			t.Fatalf("no line %s in %+v", ref, cov.Controls)
			return isms.CoverageLine{}
		}
		if l := line("5.15"); l.Covered() || l.Yearly {
			t.Fatalf("before: %+v", l)
		}
		in := audInput(prog.ID, &f.auditor.ID, "2026-05-01")
		in.HeldFrom, in.HeldTo = dp("2026-05-01"), dp("2026-05-01")
		a, err := db.CreateAudit(as(f.auditor), f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAuditFinding(as(f.auditor), f.org.ID, a.ID, isms.AuditFindingInput{Type: isms.FindingMinorNC, Ref: "5.15", Title: "X", Evidence: "Y"}); err != nil {
			t.Fatal(err)
		}
		l := line("5.15")
		if !l.Covered() || !l.Yearly || l.Findings != 1 || !l.Underweighted([]int{2026, 2027, 2028}) {
			t.Fatalf("after a finding: %+v", l)
		}
		// The annual wheel's calendar shows the audit on the day it ended.
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, mustDate("2026-04-01"), mustDate("2026-05-31"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items {
			if it.Kind == "aud.schedule.audit" && it.Evidence.RecordID == a.ID && it.Done && it.Day.String() == "2026-05-01" {
				found = true
			}
		}
		if !found {
			t.Fatalf("the audit is not on the calendar: %+v", items)
		}
	})
}
