package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

// soaFixture is an organisation with a member of every role, an outsider
// in another organisation, and two external factors to justify controls.
type soaFixture struct {
	db                                          *rawDB
	org, other                                  *isms.Organisation
	coord, contrib, mgmt, reader, auditor, ousd *isms.User
	law, contract                               *isms.OverviewEntry
	otherLaw                                    *isms.OverviewEntry
	threat                                      int64 // the risk register's test rows, once made
}

func newSoAFixture(t *testing.T, db *rawDB) *soaFixture {
	t.Helper()
	f := &soaFixture{db: db}
	// The first account of a database becomes site administrator; take
	// that place so the members below hold only their roles.
	mustUser(t, db.DB, "first@example.org")
	f.org = mustOrg(t, db.DB, "Kommune")
	f.other = mustOrg(t, db.DB, "Anden kommune")
	for _, m := range []struct {
		u    **isms.User
		role isms.Role
		org  *isms.Organisation
	}{{&f.coord, isms.RoleCoordinator, f.org}, {&f.contrib, isms.RoleContributor, f.org}, {&f.mgmt, isms.RoleManagement, f.org},
		{&f.reader, isms.RoleReader, f.org}, {&f.auditor, isms.RoleAuditor, f.org}, {&f.ousd, isms.RoleCoordinator, f.other}} {
		*m.u = mustUser(t, db.DB, fmt.Sprintf("%s-%d@example.org", m.role, m.org.ID))
		mustMember(t, db.DB, m.org, *m.u, m.role)
	}
	var err error
	f.law, err = db.CreateOverviewEntry(as(f.coord), f.org.ID, isms.OverviewEntryInput{Kind: isms.KindExternalFactor, Category: "law", Name: "Databeskyttelsesforordningen"})
	if err != nil {
		t.Fatal(err)
	}
	f.contract, err = db.CreateOverviewEntry(as(f.coord), f.org.ID, isms.OverviewEntryInput{Kind: isms.KindExternalFactor, Category: "contract", Name: "Driftskontrakt"})
	if err != nil {
		t.Fatal(err)
	}
	f.otherLaw, err = db.CreateOverviewEntry(as(f.ousd), f.other.ID, isms.OverviewEntryInput{Kind: isms.KindExternalFactor, Category: "law", Name: "Anden lov"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// control returns the line of an Annex A control by its reference.
func (f *soaFixture) control(t *testing.T, ref string) *isms.SoAControl {
	t.Helper()
	s, err := f.db.SoA(as(f.reader), f.org.ID, isms.SoAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Controls {
		if c.Ref == ref && c.Catalogue == isms.CatalogueAnnexA2022 {
			return c
		}
	}
	t.Fatalf("no control %s", ref)
	return nil
}

// linkRisk records that a risk's treatment uses a control, as the risk
// register does. The risk is a real row of the register (in an assessment
// against a threat), so its title shows; the register is part of every
// build, and a missing table fails the test rather than thinning it.
func (f *soaFixture) linkRisk(t *testing.T, riskID, controlID int64) {
	t.Helper()
	if f.db.int(t, soaTableExistsSQL(f.db), "risks") == 0 {
		t.Fatal("the risk register's table is missing")
	}
	if f.db.int(t, "SELECT COUNT(*) FROM risks WHERE id = ?", riskID) == 0 {
		now := "2026-03-01T09:00:00Z"
		if f.threat == 0 {
			f.db.exec(t, "INSERT INTO threat_catalogues (id, organisation_id, name, created_at, updated_at) VALUES (9001, ?, 'Test', ?, ?)", f.org.ID, now, now)
			f.db.exec(t, `INSERT INTO threats (id, catalogue_id, organisation_id, threat_group, name_da, name_en, created_at, updated_at)
				VALUES (9001, 9001, ?, 'test', 'Ransomware', 'Ransomware', ?, ?)`, f.org.ID, now, now)
			f.db.exec(t, `INSERT INTO risk_assessments (id, organisation_id, title, status, interval_months, created_at, updated_at)
				VALUES (9001, ?, 'Vurdering af ESDH', 'approved', 12, ?, ?)`, f.org.ID, now, now)
			f.threat = 9001
		}
		f.db.exec(t, `INSERT INTO risks (id, organisation_id, assessment_id, threat_id, title, likelihood, inherent_l, inherent_c, inherent_score,
			residual_l, residual_c, residual_score, created_at, updated_at) VALUES (?, ?, 9001, 9001, ?, 2, 2, 3, 6, 1, 3, 3, ?, ?)`,
			riskID, f.org.ID, fmt.Sprintf("Risiko %d", riskID), now, now)
	}
	f.db.exec(t, "INSERT INTO record_links (organisation_id, from_type, from_id, to_type, to_id) VALUES (?, 'risk', ?, 'control', ?)", f.org.ID, riskID, controlID)
}

func soaTableExistsSQL(db *rawDB) string {
	if db.pg {
		return "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
}

func (f *soaFixture) auditEvents(t *testing.T) int64 {
	return f.db.int(t, "SELECT COUNT(*) FROM audit_events WHERE organisation_id = ?", f.org.ID)
}

func (f *soaFixture) soaRows(t *testing.T) int64 {
	return f.db.int(t, "SELECT COUNT(*) FROM soa_controls WHERE organisation_id = ?", f.org.ID) +
		f.db.int(t, "SELECT COUNT(*) FROM record_links WHERE organisation_id = ? AND from_type = 'soa'", f.org.ID) +
		f.db.int(t, "SELECT COUNT(*) FROM soa_versions WHERE organisation_id = ?", f.org.ID)
}

// unchanged fails when fn changes the SoA or writes an audit event.
func (f *soaFixture) unchanged(t *testing.T, what string, fn func()) {
	t.Helper()
	a, r := f.auditEvents(t), f.soaRows(t)
	fn()
	if a2, r2 := f.auditEvents(t), f.soaRows(t); a2 != a || r2 != r {
		t.Fatalf("%s changed something: audit %d→%d, SoA rows %d→%d", what, a, a2, r, r2)
	}
}

func TestSoAHasEveryAnnexAControl(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		s, err := db.SoA(as(f.reader), f.org.ID, isms.SoAFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Controls) != 93 || s.Summary.Total != 93 || s.Summary.Undecided != 93 || s.Latest != nil || s.UpToDate {
			t.Fatalf("fresh SoA: %d controls, summary %+v", len(s.Controls), s.Summary)
		}
		themes := map[string]int{}
		for _, c := range s.Controls {
			themes[c.Theme]++
			if c.TitleDA == "" || c.TitleEN == "" || c.Version != 0 || len(c.Problems()) != 1 {
				t.Fatalf("line %+v", c)
			}
		}
		if themes["organizational"] != 37 || themes["people"] != 8 || themes["physical"] != 14 || themes["technological"] != 34 {
			t.Fatalf("themes %v", themes)
		}
		if s.Controls[0].Ref != "5.1" || s.Controls[92].Ref != "8.34" || s.Controls[9].Ref != "5.10" {
			t.Fatalf("order: %s %s %s", s.Controls[0].Ref, s.Controls[9].Ref, s.Controls[92].Ref)
		}
	})
}

func TestSoADecisionsAndTheirJustification(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		ctx := as(f.coord)
		c := f.control(t, "5.34")

		// Excluded without a reason is refused, and nothing is stored.
		f.unchanged(t, "excluded without reason", func() {
			_, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, isms.SoAControlInput{Applicability: isms.Excluded})
			wantCode(t, err, isms.EInvalid)
			if e := isms.AsError(err); len(e.Fields) != 1 || e.Fields[0].Field != "exclusion_reason" {
				t.Fatalf("fields %+v", e.Fields)
			}
		})
		// So are: no decision, an unknown decision, an excluded control that
		// a requirement demands, a requirement of another organisation or of
		// the wrong kind, an owner who is not a member, an applicable control
		// said to be not applicable, an unknown control.
		proc, err := db.CreateOverviewEntry(ctx, f.org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Proces"})
		if err != nil {
			t.Fatal(err)
		}
		for name, in := range map[string]isms.SoAControlInput{
			"undecided":          {},
			"unknown decision":   {Applicability: "maybe"},
			"excluded required":  {Applicability: isms.Excluded, ExclusionReason: "Ingen behandling", RequirementIDs: []int64{f.law.ID}},
			"other org's law":    {Applicability: isms.Applicable, RequirementIDs: []int64{f.otherLaw.ID}},
			"not an ext. factor": {Applicability: isms.Applicable, RequirementIDs: []int64{proc.ID}},
			"outsider owner":     {Applicability: isms.Applicable, OwnerID: &f.ousd.ID},
			"applicable n/a":     {Applicability: isms.Applicable, Status: isms.ImplNotApplicable},
			"excluded with work": {Applicability: isms.Excluded, ExclusionReason: "x", Status: isms.ImplImplemented},
			"unknown status":     {Applicability: isms.Applicable, Status: "done"},
			"unknown document":   {Applicability: isms.Applicable, DocumentIDs: []int64{999999}},
			"too long":           {Applicability: isms.Excluded, ExclusionReason: strings.Repeat("x", 5001)},
		} {
			f.unchanged(t, name, func() {
				_, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, in)
				wantCode(t, err, isms.EInvalid)
			})
		}
		f.unchanged(t, "unknown control", func() {
			_, err := db.SaveSoAControl(ctx, f.org.ID, 999999, isms.SoAControlInput{Applicability: isms.Applicable})
			wantCode(t, err, isms.ENotFound)
		})

		// Applicable with a requirement: justified by the records.
		got, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, isms.SoAControlInput{Applicability: isms.Applicable,
			RequirementIDs: []int64{f.law.ID, f.law.ID}, OwnerID: &f.contrib.ID, Evidence: "Fortegnelse over behandlinger, SharePoint/ISMS"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1 || got.Status != isms.ImplNotStarted || len(got.Requirements) != 1 || got.Requirements[0].Name != f.law.Name ||
			!got.JustifiedByRecords() || len(got.Problems()) != 0 || got.OwnerName == "" {
			t.Fatalf("saved %+v", got)
		}
		// A stale version is refused and changes nothing.
		f.unchanged(t, "stale version", func() {
			_, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, isms.SoAControlInput{Applicability: isms.Applicable, Version: 0})
			wantCode(t, err, isms.EConflict)
		})

		// Applicable without any justification is allowed, and flagged.
		u := f.control(t, "5.1")
		u2, err := db.SaveSoAControl(ctx, f.org.ID, u.ControlID, isms.SoAControlInput{Applicability: isms.Applicable})
		if err != nil || len(u2.Problems()) != 1 || u2.Problems()[0] != isms.SoAProblemUnjustified {
			t.Fatalf("unjustified: %+v %v", u2, err)
		}
		s, _ := db.SoA(as(f.reader), f.org.ID, isms.SoAFilter{Problem: "unjustified_any"})
		if len(s.Controls) != 1 || s.Controls[0].Ref != "5.1" || s.Summary.Unjustified != 1 || s.Summary.Applicable != 2 {
			t.Fatalf("unjustified filter: %d lines, %+v", len(s.Controls), s.Summary)
		}

		// Risks that the risk register links to a control justify it, live.
		f.linkRisk(t, 501, u.ControlID)
		f.linkRisk(t, 502, u.ControlID)
		u3, err := db.SoAControl(as(f.auditor), f.org.ID, u.ControlID)
		if err != nil || u3.RiskCount != 2 || len(u3.Risks) != 2 || u3.Risks[0].ID != 501 || len(u3.Problems()) != 0 {
			t.Fatalf("with risks: %+v %v", u3, err)
		}
		of, err := db.SoAControlsOfRisk(as(f.reader), f.org.ID, 501)
		if err != nil || len(of) != 1 || of[0].ControlID != u.ControlID {
			t.Fatalf("controls of risk 501: %+v %v", of, err)
		}

		// Excluding a control the risks rely on is recorded but flagged.
		x, err := db.SaveSoAControl(ctx, f.org.ID, u.ControlID, isms.SoAControlInput{Applicability: isms.Excluded,
			ExclusionReason: "Dækkes af koncernens politik", Version: u3.Version})
		if err != nil || x.Status != isms.ImplNotApplicable || len(x.Problems()) != 1 || x.Problems()[0] != isms.SoAProblemExcludedWithRisks {
			t.Fatalf("excluded with risks: %+v %v", x, err)
		}

		// The history shows who changed what.
		events, _, err := db.AuditEvents(as(f.auditor), f.org.ID, isms.AuditFilter{RecordType: "soa_control", RecordID: u.ControlID})
		if err != nil || len(events) != 2 || events[0].Action != "update" || events[1].Action != "create" ||
			!strings.Contains(string(events[0].After), "Dækkes af koncernens politik") {
			t.Fatalf("history: %+v %v", events, err)
		}
	})
}

func TestSoARolesAndIsolation(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		c := f.control(t, "8.13")
		in := isms.SoAControlInput{Applicability: isms.Applicable, BusinessReason: "Genetablering efter nedbrud"}
		for _, u := range []*isms.User{f.reader, f.auditor, f.mgmt, f.contrib} {
			f.unchanged(t, "save as "+u.Email, func() {
				_, err := db.SaveSoAControl(as(u), f.org.ID, c.ControlID, in)
				wantCode(t, err, isms.EForbidden)
			})
		}
		// A member of another organisation sees nothing of this one.
		f.unchanged(t, "outsider", func() {
			_, err := db.SaveSoAControl(as(f.ousd), f.org.ID, c.ControlID, in)
			wantCode(t, err, isms.ENotFound)
			_, err = db.SoA(as(f.ousd), f.org.ID, isms.SoAFilter{})
			wantCode(t, err, isms.ENotFound)
			_, err = db.SoAControl(as(f.ousd), f.org.ID, c.ControlID)
			wantCode(t, err, isms.ENotFound)
			_, err = db.SoAVersions(as(f.ousd), f.org.ID)
			wantCode(t, err, isms.ENotFound)
			_, err = db.FreezeSoA(as(f.ousd), f.org.ID, isms.SoAFreezeInput{})
			wantCode(t, err, isms.ENotFound)
		})
		// The coordinator makes the contributor owner of the line; the owner
		// may then report status and evidence, but not change the decision.
		in.OwnerID = &f.contrib.ID
		line, err := db.SaveSoAControl(as(f.coord), f.org.ID, c.ControlID, in)
		if err != nil {
			t.Fatal(err)
		}
		own := in
		own.Status, own.Evidence, own.Version = isms.ImplImplemented, "Backuprapport for marts", line.Version
		line, err = db.SaveSoAControl(as(f.contrib), f.org.ID, c.ControlID, own)
		if err != nil || line.Status != isms.ImplImplemented || line.Evidence != "Backuprapport for marts" {
			t.Fatalf("owner's report: %+v %v", line, err)
		}
		for name, change := range map[string]func(*isms.SoAControlInput){
			"decision": func(i *isms.SoAControlInput) {
				i.Applicability, i.BusinessReason, i.ExclusionReason = isms.Excluded, "", "Nej"
			},
			"reason":      func(i *isms.SoAControlInput) { i.BusinessReason = "Anden begrundelse" },
			"owner":       func(i *isms.SoAControlInput) { i.OwnerID = nil },
			"requirement": func(i *isms.SoAControlInput) { i.RequirementIDs = []int64{f.law.ID} },
		} {
			x := own
			x.Version = line.Version
			change(&x)
			f.unchanged(t, "owner changes "+name, func() {
				_, err := db.SaveSoAControl(as(f.contrib), f.org.ID, c.ControlID, x)
				wantCode(t, err, isms.EForbidden)
			})
		}
		// An own control of another organisation is not found here.
		oc, err := db.CreateOwnControl(as(f.ousd), f.other.ID, isms.OwnControlInput{Ref: "K-1", Theme: "people", Title: "Andens kontrol"})
		if err != nil {
			t.Fatal(err)
		}
		f.unchanged(t, "other org's own control", func() {
			_, err := db.SaveSoAControl(as(f.coord), f.org.ID, oc.ControlID, in)
			wantCode(t, err, isms.ENotFound)
		})
	})
}

func TestSoAOwnControls(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		ctx := as(f.coord)
		oc, err := db.CreateOwnControl(ctx, f.org.ID, isms.OwnControlInput{Ref: "SK-1", Theme: "organizational", Title: "Kontrol af fakturaer over 100.000 kr."})
		if err != nil || !oc.Own() || oc.Applicability != isms.Undecided || oc.Version != 1 {
			t.Fatalf("own control: %+v %v", oc, err)
		}
		s, _ := db.SoA(as(f.reader), f.org.ID, isms.SoAFilter{Theme: "organizational"})
		if s.Summary.Total != 94 || s.Controls[len(s.Controls)-1].ControlID != oc.ControlID {
			t.Fatalf("own control is not last of its theme: total %d", s.Summary.Total)
		}
		for name, in := range map[string]isms.OwnControlInput{
			"duplicate": {Ref: "sk-1", Theme: "people", Title: "x"},
			"annex ref": {Ref: "A.5.1", Theme: "people", Title: "x"},
			"no title":  {Ref: "SK-2", Theme: "people"},
			"theme":     {Ref: "SK-2", Theme: "legal", Title: "x"},
			"spaces":    {Ref: "SK 2", Theme: "people", Title: "x"},
		} {
			f.unchanged(t, name, func() {
				_, err := db.CreateOwnControl(ctx, f.org.ID, in)
				wantCode(t, err, isms.EInvalid)
			})
		}
		f.unchanged(t, "contributor creates", func() {
			_, err := db.CreateOwnControl(as(f.contrib), f.org.ID, isms.OwnControlInput{Ref: "SK-2", Theme: "people", Title: "x"})
			wantCode(t, err, isms.EForbidden)
		})
		up, err := db.UpdateOwnControl(ctx, f.org.ID, oc.ControlID, isms.OwnControlInput{Ref: "SK-1", Theme: "technological", Title: "Ny titel", Version: 1})
		if err != nil || up.Theme != "technological" || up.TitleEN != "Ny titel" || up.Version != 2 {
			t.Fatalf("update: %+v %v", up, err)
		}
		f.unchanged(t, "stale update", func() {
			_, err := db.UpdateOwnControl(ctx, f.org.ID, oc.ControlID, isms.OwnControlInput{Ref: "SK-1", Theme: "people", Title: "x", Version: 1})
			wantCode(t, err, isms.EConflict)
		})
		annex := f.control(t, "5.1")
		f.unchanged(t, "update Annex A", func() {
			_, err := db.UpdateOwnControl(ctx, f.org.ID, annex.ControlID, isms.OwnControlInput{Ref: "X", Theme: "people", Title: "x"})
			wantCode(t, err, isms.EInvalid)
		})
		// A control a risk relies on cannot be deleted.
		f.linkRisk(t, 77, oc.ControlID)
		f.unchanged(t, "delete in use", func() {
			wantCode(t, db.DeleteOwnControl(ctx, f.org.ID, oc.ControlID, 2), isms.EInvalid)
		})
		db.exec(t, "DELETE FROM record_links WHERE from_type = 'risk'")
		if err := db.DeleteOwnControl(ctx, f.org.ID, oc.ControlID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SoAControl(ctx, f.org.ID, oc.ControlID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("deleted control still there: %v", err)
		}
	})
}

// decideAll records a decision on every undecided line: applicable and
// justified by the law, except the references in excluded.
func decideAll(t *testing.T, db *sqlstore.DB, ctx context.Context, f *soaFixture, excluded ...string) {
	t.Helper()
	s, err := db.SoA(ctx, f.org.ID, isms.SoAFilter{Applicability: "undecided"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Controls {
		in := isms.SoAControlInput{Applicability: isms.Applicable, Status: isms.ImplImplemented, RequirementIDs: []int64{f.law.ID}, Version: c.Version}
		for _, x := range excluded {
			if x == c.Ref {
				in = isms.SoAControlInput{Applicability: isms.Excluded, ExclusionReason: "Ingen udvikling i kommunen", Version: c.Version}
			}
		}
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, in); err != nil {
			t.Fatalf("%s: %v", c.Ref, err)
		}
	}
}

func answer(t *testing.T, db *sqlstore.DB, ctx context.Context, orgID int64, q string) *isms.ChecklistAnswer {
	t.Helper()
	all, err := db.Checklist(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.QuestionID == q {
			return a
		}
	}
	t.Fatalf("no answer to %s", q)
	return nil
}

func reasonKeys(a *isms.ChecklistAnswer) string {
	var keys []string
	for _, r := range a.Reasons {
		keys = append(keys, r.Key)
	}
	return strings.Join(keys, " ")
}

func TestSoAVersionsApprovalAndRule32(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		ctx := as(f.coord)
		if a := answer(t, db.DB, as(f.reader), f.org.ID, "3.2"); a.Status != isms.AnswerNo || a.Source != isms.SourceRecords || reasonKeys(a) != "reason.soa_none" {
			t.Fatalf("3.2 without an SoA: %+v", a)
		}
		s, _ := db.SoA(ctx, f.org.ID, isms.SoAFilter{})
		// Freezing needs every control decided.
		f.unchanged(t, "freeze undecided", func() {
			_, err := db.FreezeSoA(ctx, f.org.ID, isms.SoAFreezeInput{StateToken: s.StateToken})
			wantCode(t, err, isms.EInvalid)
		})
		c1 := f.control(t, "5.1")
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c1.ControlID, isms.SoAControlInput{Applicability: isms.Applicable, BusinessReason: "Politikken er grundlaget"}); err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "3.2"); a.Status != isms.AnswerPartly ||
			!strings.Contains(reasonKeys(a), "reason.soa_undecided") || !strings.Contains(reasonKeys(a), "reason.soa_business_only") {
			t.Fatalf("3.2 with one business-only line: %+v", a)
		}
		decideAll(t, db.DB, ctx, f, "8.4", "8.28")
		f.linkRisk(t, 11, f.control(t, "8.13").ControlID)
		c1 = f.control(t, "5.1")
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c1.ControlID, isms.SoAControlInput{Applicability: isms.Applicable, Status: isms.ImplImplemented,
			BusinessReason: "Politikken er grundlaget", RequirementIDs: []int64{f.contract.ID}, Version: c1.Version}); err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "3.2"); a.Status != isms.AnswerPartly || reasonKeys(a) != "reason.soa_not_approved" {
			t.Fatalf("3.2 decided, not approved: %s", reasonKeys(a))
		}

		// A stale state token is refused.
		f.unchanged(t, "freeze stale", func() {
			_, err := db.FreezeSoA(ctx, f.org.ID, isms.SoAFreezeInput{StateToken: s.StateToken})
			wantCode(t, err, isms.EConflict)
		})
		s, _ = db.SoA(ctx, f.org.ID, isms.SoAFilter{})
		for _, u := range []*isms.User{f.mgmt, f.contrib, f.reader} {
			f.unchanged(t, "freeze as "+u.Email, func() {
				_, err := db.FreezeSoA(as(u), f.org.ID, isms.SoAFreezeInput{StateToken: s.StateToken})
				wantCode(t, err, isms.EForbidden)
			})
		}
		v1, err := db.FreezeSoA(ctx, f.org.ID, isms.SoAFreezeInput{Note: "Første udgave", StateToken: s.StateToken})
		if err != nil || v1.Number != 1 || v1.ControlCount != 93 || v1.ExcludedCount != 2 || v1.ApplicableCount != 91 || v1.Approved() {
			t.Fatalf("v1: %+v %v", v1, err)
		}
		f.unchanged(t, "freeze unchanged", func() {
			_, err := db.FreezeSoA(ctx, f.org.ID, isms.SoAFreezeInput{StateToken: s.StateToken})
			wantCode(t, err, isms.EInvalid)
		})
		// Only management approves.
		for _, u := range []*isms.User{f.coord, f.contrib, f.auditor} {
			f.unchanged(t, "approve as "+u.Email, func() {
				_, err := db.ApproveSoAVersion(as(u), f.org.ID, v1.ID, isms.SoAApprovalInput{Version: v1.Version})
				wantCode(t, err, isms.EForbidden)
			})
		}
		f.unchanged(t, "approve stale", func() {
			_, err := db.ApproveSoAVersion(as(f.mgmt), f.org.ID, v1.ID, isms.SoAApprovalInput{Version: v1.Version + 1})
			wantCode(t, err, isms.EConflict)
		})
		ap, err := db.ApproveSoAVersion(as(f.mgmt), f.org.ID, v1.ID, isms.SoAApprovalInput{Version: v1.Version, Note: "Godkendt på direktionsmødet"})
		if err != nil || !ap.Approved() || ap.ApprovedByName == "" || *ap.ApprovedBy != f.mgmt.ID {
			t.Fatalf("approve: %+v %v", ap, err)
		}
		f.unchanged(t, "approve twice", func() {
			_, err := db.ApproveSoAVersion(as(f.mgmt), f.org.ID, v1.ID, isms.SoAApprovalInput{Version: ap.Version})
			wantCode(t, err, isms.EConflict)
		})
		a := answer(t, db.DB, ctx, f.org.ID, "3.2")
		if a.Status != isms.AnswerYes || len(a.Evidence) != 2 || a.Evidence[1].Path != fmt.Sprintf("/soa/versions/%d", v1.ID) {
			t.Fatalf("3.2 approved: %+v %s", a, reasonKeys(a))
		}
		full, err := db.SoAVersion(as(f.auditor), f.org.ID, v1.ID)
		if err != nil || !full.Intact || len(full.Snapshot.Controls) != 93 {
			t.Fatalf("snapshot: %v %v", full, err)
		}

		// A risk linked after approval changes the state: no longer yes.
		c2 := f.control(t, "5.2")
		f.linkRisk(t, 12, c2.ControlID)
		st, _ := db.SoA(ctx, f.org.ID, isms.SoAFilter{Changed: true})
		if st.UpToDate || st.Summary.Changed != 1 || len(st.Controls) != 1 || st.Controls[0].Ref != "5.2" {
			t.Fatalf("after a new risk link: up to date %v, changed %d", st.UpToDate, st.Summary.Changed)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "3.2"); a.Status != isms.AnswerPartly || !strings.Contains(reasonKeys(a), "reason.soa_changed_since_approval") {
			t.Fatalf("3.2 after change: %+v", a)
		}
		// The change shows in the comparison with the current state.
		d, err := db.SoADiff(as(f.reader), f.org.ID, v1.ID, 0)
		if err != nil || len(d.Changes) != 1 || d.Changes[0].Ref != "5.2" || len(d.Changes[0].RisksAdded) != 1 || d.Changes[0].RisksAdded[0].ID != 12 {
			t.Fatalf("diff with current: %+v %v", d, err)
		}
		c3 := f.control(t, "8.4")
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c3.ControlID, isms.SoAControlInput{Applicability: isms.Applicable, Status: isms.ImplPlanned,
			RequirementIDs: []int64{f.contract.ID}, Version: c3.Version}); err != nil {
			t.Fatal(err)
		}
		v2, err := db.FreezeSoA(ctx, f.org.ID, isms.SoAFreezeInput{StateToken: mustToken(t, db.DB, ctx, f.org.ID)})
		if err != nil || v2.Number != 2 {
			t.Fatalf("v2: %+v %v", v2, err)
		}
		// The older version can no longer be approved; the approved snapshot
		// has not changed.
		d, err = db.SoADiff(as(f.reader), f.org.ID, v1.ID, v2.ID)
		if err != nil || len(d.Changes) != 2 || d.Changes[1].Ref != "8.4" {
			t.Fatalf("diff v1 v2: %+v %v", d, err)
		}
		var fields []string
		for _, x := range d.Changes[1].Fields {
			fields = append(fields, x.Field+":"+x.Before+">"+x.After)
		}
		if strings.Join(fields, " ") != "applicability:excluded>applicable implementation_status:not_applicable>planned exclusion_reason:Ingen udvikling i kommunen>" ||
			len(d.Changes[1].RequirementsAdded) != 1 {
			t.Fatalf("8.4 changes: %v", fields)
		}
		again, _ := db.SoAVersion(ctx, f.org.ID, v1.ID)
		if !again.Intact || again.Checksum != full.Checksum || !again.Approved() {
			t.Fatalf("approved version changed: %+v", again)
		}
		// Someone changing the stored snapshot is caught by the checksum,
		// and a damaged snapshot is not approved.
		db.exec(t, "UPDATE soa_versions SET snapshot = REPLACE(snapshot, 'Ingen udvikling', 'Ingen grund') WHERE id = ?", v2.ID)
		bad, _ := db.SoAVersion(ctx, f.org.ID, v2.ID)
		if bad.Intact {
			t.Fatal("a changed snapshot passes as intact")
		}
		f.unchanged(t, "approve damaged", func() {
			_, err := db.ApproveSoAVersion(as(f.mgmt), f.org.ID, v2.ID, isms.SoAApprovalInput{Version: v2.Version})
			wantCode(t, err, isms.EInvalid)
		})
		// A version superseded by a newer one is not approved either.
		c := f.control(t, "8.5")
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, isms.SoAControlInput{Applicability: isms.Applicable, Status: isms.ImplPartial,
			RequirementIDs: []int64{f.law.ID}, Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FreezeSoA(ctx, f.org.ID, isms.SoAFreezeInput{StateToken: mustToken(t, db.DB, ctx, f.org.ID)}); err != nil {
			t.Fatal(err)
		}
		f.unchanged(t, "approve superseded", func() {
			_, err := db.ApproveSoAVersion(as(f.mgmt), f.org.ID, v2.ID, isms.SoAApprovalInput{Version: v2.Version})
			wantCode(t, err, isms.EConflict)
		})
	})
}

func mustToken(t *testing.T, db *sqlstore.DB, ctx context.Context, orgID int64) string {
	t.Helper()
	s, err := db.SoA(ctx, orgID, isms.SoAFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return s.StateToken
}

func TestSoARule62AgainstTheDocumentationRegister(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		ctx := as(f.coord)
		// The documentation register is part of every build: without its
		// table the rule could only answer no, and the test must say so
		// rather than pass by skipping.
		if db.int(t, soaTableExistsSQL(db), "documentation_requirements") == 0 {
			t.Fatal("the documentation register's table is missing")
		}
		db.exec(t, "DELETE FROM documentation_requirements WHERE organisation_id = ?", f.org.ID)
		if a := answer(t, db.DB, ctx, f.org.ID, "6.2"); a.Status != isms.AnswerNo || reasonKeys(a) != "reason.soa_no_optional_types" {
			t.Fatalf("6.2 with no optional types: %+v", a)
		}
		add := func(key, annex, decision, reason string) {
			db.exec(t, `INSERT INTO documentation_requirements (organisation_id, key, kind, annex_a, title_da, title_en, decision, reason, created_at, updated_at)
				VALUES (?, ?, 'optional', ?, ?, ?, ?, ?, '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z')`, f.org.ID, key, annex, "Type "+key, "Type "+key, decision, reason)
		}
		add("access", "A.5.15", "chosen", "Adgangsstyring kræver en politik")
		add("logs", "A.8.15 A.8.16", "declined", "Logning dokumenteres i driftsaftalen")
		add("assets", "A.5.9", "", "")
		a := answer(t, db.DB, ctx, f.org.ID, "6.2")
		if a.Status != isms.AnswerPartly || !strings.Contains(reasonKeys(a), "reason.soa_optional_undecided") ||
			!strings.Contains(reasonKeys(a), "reason.soa_optional_disagree") {
			t.Fatalf("6.2 with undecided SoA: %+v %s", a, reasonKeys(a))
		}
		// The choices show with their controls in the SoA.
		c := f.control(t, "8.16")
		if len(c.DocChoices) != 1 || c.DocChoices[0].Decision != "declined" || c.DocChoices[0].Reason == "" {
			t.Fatalf("8.16 choices: %+v", c.DocChoices)
		}
		db.exec(t, "UPDATE documentation_requirements SET decision = 'chosen', reason = 'Fortegnelsen er grundlaget' WHERE organisation_id = ? AND key = 'assets'", f.org.ID)
		decideAll(t, db.DB, ctx, f, "8.16")
		if a := answer(t, db.DB, ctx, f.org.ID, "6.2"); a.Status != isms.AnswerYes || a.Source != isms.SourceRecords {
			t.Fatalf("6.2 decided and consistent: %+v %s", a, reasonKeys(a))
		}
		// A chosen type whose control is excluded disagrees.
		c = f.control(t, "5.15")
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c.ControlID, isms.SoAControlInput{Applicability: isms.Excluded, ExclusionReason: "x", Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		if a := answer(t, db.DB, ctx, f.org.ID, "6.2"); a.Status != isms.AnswerPartly || a.Reasons[0].Args[0] != "5.15" {
			t.Fatalf("6.2 with 5.15 excluded: %+v", a)
		}
	})
}

func importRows() []isms.SoAImportRow {
	return []isms.SoAImportRow{
		{Row: 2, Ref2013: "A.5.1.1", Applicability: isms.Applicable, Status: isms.ImplImplemented, Justification: "Politik vedtaget af direktionen"},
		{Row: 3, Ref2013: "5.1.2", Applicability: isms.Applicable, Status: isms.ImplImplemented, Justification: "Årlig gennemgang"},
		{Row: 4, Ref2013: "12.4.1", Applicability: isms.Applicable, Status: isms.ImplImplemented, Justification: "Central log"},
		{Row: 5, Ref2013: "12.4.2", Applicability: isms.Applicable, Status: isms.ImplPartial, Justification: "Logs beskyttes delvist"},
		{Row: 6, Ref2013: "8.3.1", Applicability: isms.Applicable, Status: isms.ImplImplemented},
		{Row: 7, Ref2013: "8.3.3", Applicability: isms.Excluded, Justification: "Ingen fysiske medier sendes"},
		{Row: 8, Ref2013: "14.2.7", Applicability: isms.Excluded, ExclusionReason: "Ingen egen udvikling"},
	}
}

func TestSoAImportOf2013(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		ctx := as(f.coord)
		c830 := f.control(t, "8.30")
		if _, err := db.SaveSoAControl(ctx, f.org.ID, c830.ControlID, isms.SoAControlInput{Applicability: isms.Applicable,
			RequirementIDs: []int64{f.contract.ID}}); err != nil {
			t.Fatal(err)
		}
		in := isms.SoAImportInput{FileName: "soa-2019.xlsx", Rows: importRows()}
		p, err := db.PreviewSoAImport(ctx, f.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		flags := map[string]string{}
		byRef := map[string]*isms.SoAImportControl{}
		for _, c := range p.Controls {
			byRef[c.Ref] = c
			if c.Flag != "" {
				flags[c.Ref] = c.Flag
			}
		}
		if len(p.Problems) != 0 || p.Flagged != 14 || p.Pending != 14 || p.Ready || flags["8.15"] != "conflict" || flags["7.10"] != "conflict" ||
			flags["8.30"] != "required" || flags["5.7"] != "new" || flags["8.28"] != "new" || len(p.Controls) != 93 {
			t.Fatalf("preview: problems %v flagged %d pending %d flags %v", p.Problems, p.Flagged, p.Pending, flags)
		}
		if r := byRef["5.1"]; r.Outcome != "set" || r.Result.BusinessReason != "A.5.1.1: Politik vedtaget af direktionen\nA.5.1.2: Årlig gennemgang" ||
			r.Result.Status != isms.ImplImplemented || len(r.Sources) != 2 {
			t.Fatalf("5.1 merged: %+v %+v", r, r.Result)
		}
		if byRef["5.2"].Outcome != "keep" {
			t.Fatalf("5.2 is not in the file and stays: %+v", byRef["5.2"])
		}
		// Nothing is imported while flags are open.
		f.unchanged(t, "apply undecided", func() {
			in.StateToken = p.StateToken
			_, err := db.ApplySoAImport(ctx, f.org.ID, in)
			wantCode(t, err, isms.EInvalid)
		})
		in.Decisions = map[string]isms.SoAImportDecision{"8.15": {Choice: "row:5"}, "7.10": {Choice: "row:7"}, "8.30": {Choice: "row:8"},
			"5.7": {Choice: "applicable", Reason: "Trusselsinformation fra CFCS"}, "8.28": {Choice: "excluded"}}
		for _, ref := range []string{"5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23"} {
			in.Decisions[ref] = isms.SoAImportDecision{Choice: "keep"}
		}
		p, err = db.PreviewSoAImport(ctx, f.org.ID, in)
		if err != nil || p.Ready || len(p.Problems) != 1 || p.Problems[0].Message.Key != "soa.import.err.decision_reason" || p.Pending != 1 {
			t.Fatalf("excluded without reason: %+v %v", p.Problems, err)
		}
		in.Decisions["8.28"] = isms.SoAImportDecision{Choice: "excluded", Reason: "Kommunen programmerer ikke selv"}
		in.Decisions["8.15"] = isms.SoAImportDecision{Choice: "row:99"}
		if p, _ = db.PreviewSoAImport(ctx, f.org.ID, in); p.Ready || p.Problems[0].Message.Key != "soa.import.err.bad_decision" {
			t.Fatalf("a row that does not feed 8.15: %+v", p.Problems)
		}
		in.Decisions["8.15"] = isms.SoAImportDecision{Choice: "row:5"}
		p, err = db.PreviewSoAImport(ctx, f.org.ID, in)
		if err != nil || !p.Ready || p.Changes != 6 {
			t.Fatalf("decided preview: ready %v changes %d problems %+v", p.Ready, p.Changes, p.Problems)
		}
		// The import writes against the state it was previewed on only.
		f.unchanged(t, "apply stale", func() {
			in.StateToken = "stale"
			_, err := db.ApplySoAImport(ctx, f.org.ID, in)
			wantCode(t, err, isms.EConflict)
		})
		for _, u := range []*isms.User{f.mgmt, f.contrib, f.reader} {
			f.unchanged(t, "import as "+u.Email, func() {
				in.StateToken = p.StateToken
				_, err := db.ApplySoAImport(as(u), f.org.ID, in)
				wantCode(t, err, isms.EForbidden)
			})
		}
		in.StateToken = p.StateToken
		res, err := db.ApplySoAImport(ctx, f.org.ID, in)
		if err != nil || res.Changed != 6 {
			t.Fatalf("apply: %+v %v", res, err)
		}
		if c := f.control(t, "8.15"); c.Applicability != isms.Applicable || c.Status != isms.ImplPartial || c.BusinessReason != "A.12.4.2: Logs beskyttes delvist" {
			t.Fatalf("8.15: %+v", c)
		}
		if c := f.control(t, "7.10"); c.Applicability != isms.Excluded || c.ExclusionReason != "A.8.3.3: Ingen fysiske medier sendes" {
			t.Fatalf("7.10: %+v", c)
		}
		if c := f.control(t, "8.30"); c.Applicability != isms.Excluded || len(c.Requirements) != 0 {
			t.Fatalf("8.30: %+v", c)
		}
		if c := f.control(t, "5.7"); c.Applicability != isms.Applicable || c.BusinessReason != "Trusselsinformation fra CFCS" {
			t.Fatalf("5.7: %+v", c)
		}
		if c := f.control(t, "5.23"); c.Applicability != isms.Undecided {
			t.Fatalf("5.23 kept: %+v", c)
		}
		events, _, _ := db.AuditEvents(as(f.auditor), f.org.ID, isms.AuditFilter{RecordType: "soa_control", RecordID: f.control(t, "8.15").ControlID})
		if len(events) != 1 || events[0].Action != "soa_import" {
			t.Fatalf("8.15 history: %+v", events)
		}
	})
}

func TestSoAImportNamesEveryBadRow(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newSoAFixture(t, db)
		ctx := as(f.coord)
		rows := []isms.SoAImportRow{
			{Row: 2, Ref2013: "19.1.1", Applicability: isms.Applicable},
			{Row: 3, Ref2013: "5.1.1", Applicability: isms.Applicable},
			{Row: 4, Ref2013: "5.1.1", Applicability: isms.Applicable},
			{Row: 5, Ref2013: "6.1.1", Applicability: isms.Excluded},
			{Row: 6, Ref2013: "6.1.2"},
			{Row: 7, Ref2013: "6.1.3", Applicability: isms.Excluded, Justification: "x", Status: isms.ImplImplemented},
		}
		p, err := db.PreviewSoAImport(ctx, f.org.ID, isms.SoAImportInput{Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, pr := range p.Problems {
			got = append(got, fmt.Sprintf("%d %s %s", pr.Row, pr.Column, pr.Message.Key))
		}
		want := []string{"2 soa.col.ref_2013 soa.import.err.unknown_control", "4 soa.col.ref_2013 soa.import.err.duplicate",
			"5 soa.col.exclusion_reason soa.import.err.excluded_no_reason", "6 soa.col.applicability soa.import.err.no_decision",
			"7 soa.col.status soa.import.err.excluded_status"}
		if strings.Join(got, "|") != strings.Join(want, "|") || p.Ready {
			t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
		}
		f.unchanged(t, "broken import", func() {
			_, err := db.ApplySoAImport(ctx, f.org.ID, isms.SoAImportInput{Rows: rows, StateToken: p.StateToken})
			wantCode(t, err, isms.EInvalid)
		})
	})
}
