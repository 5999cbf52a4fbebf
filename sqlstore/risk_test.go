package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// riskWorld is an organisation with a member in each role, a few
// business-critical entries and a second organisation beside it.
type riskWorld struct {
	db                                              *sqlstore.DB
	org, other                                      *isms.Organisation
	coord, contrib, mgmt, reader, auditor, outsider *isms.User
	process, info, system                           *isms.OverviewEntry
	now                                             time.Time
}

func newRiskWorld(t *testing.T, db *sqlstore.DB) *riskWorld {
	t.Helper()
	w := &riskWorld{db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return w.now }
	w.org, w.other = mustOrg(t, db, "Risikokommune"), mustOrg(t, db, "Nabokommune")
	// The first account of a database is a site administrator; the
	// members below must be ordinary users.
	mustUser(t, db, "first@risk.example")
	for _, x := range []struct {
		u    **isms.User
		mail string
		role isms.Role
		org  *isms.Organisation
	}{{&w.coord, "coord@risk.example", isms.RoleCoordinator, w.org}, {&w.contrib, "contrib@risk.example", isms.RoleContributor, w.org},
		{&w.mgmt, "mgmt@risk.example", isms.RoleManagement, w.org}, {&w.reader, "reader@risk.example", isms.RoleReader, w.org},
		{&w.auditor, "auditor@risk.example", isms.RoleAuditor, w.org}, {&w.outsider, "outsider@risk.example", isms.RoleCoordinator, w.other}} {
		*x.u = mustUser(t, db, x.mail)
		mustMember(t, db, x.org, *x.u, x.role)
	}
	entry := func(kind isms.EntryKind, name string, c, i, a isms.Level) *isms.OverviewEntry {
		e, err := db.CreateOverviewEntry(as(w.coord), w.org.ID, isms.OverviewEntryInput{Kind: kind, Name: name, Status: isms.StatusActive,
			Requirements: isms.Requirements{Confidentiality: c, Integrity: i, Availability: a, Text: "krav"}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	w.process = entry(isms.KindProcess, "Udbetaling af ydelser", 3, 4, 3)
	w.info = entry(isms.KindInformation, "Helbredsoplysninger", 4, 4, 2)
	w.system = entry(isms.KindSystem, "ESDH", 3, 3, 4)
	return w
}

// asset returns the asset of a business-overview entry.
func (w *riskWorld) asset(t *testing.T, e *isms.OverviewEntry) *isms.Asset {
	t.Helper()
	a, err := w.db.AssetForEntry(as(w.coord), w.org.ID, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (w *riskWorld) threat(t *testing.T, key string) *isms.Threat {
	t.Helper()
	ts, err := w.db.Threats(as(w.reader), w.org.ID, isms.ThreatFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range ts {
		if th.Key == key {
			return th
		}
	}
	t.Fatalf("no threat %s", key)
	return nil
}

// control returns the id of an Annex A 2022 control.
func (w *riskWorld) control(t *testing.T, ref string) int64 {
	t.Helper()
	cs, err := w.db.RiskControlOptions(as(w.reader), w.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Ref == ref && !c.Own {
			return c.ID
		}
	}
	t.Fatalf("no control %s", ref)
	return 0
}

func (w *riskWorld) assessment(t *testing.T, e *isms.OverviewEntry) *isms.RiskAssessment {
	t.Helper()
	a := w.asset(t, e)
	ra, err := w.db.CreateRiskAssessment(as(w.coord), w.org.ID, isms.RiskAssessmentInput{AssetID: &a.ID, OwnerID: &w.coord.ID})
	if err != nil {
		t.Fatal(err)
	}
	return ra
}

func (w *riskWorld) risk(t *testing.T, ra *isms.RiskAssessment, threat string, l, c int, mutate func(*isms.RiskInput)) *isms.Risk {
	t.Helper()
	in := isms.RiskInput{AssessmentID: ra.ID, ThreatID: w.threat(t, threat).ID, Likelihood: l, Consequence: isms.Consequences{Confidentiality: c}}
	if mutate != nil {
		mutate(&in)
	}
	r, err := w.db.CreateRisk(as(w.coord), w.org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rows counts the rows of a table and the audit events, to show that a
// refused change stored nothing.
func riskRows(t *testing.T, db *sqlstore.DB, table string) string {
	t.Helper()
	return fmt.Sprintf("%s=%d audit=%d", table, riskCount(t, db, "SELECT COUNT(*) FROM "+table), riskCount(t, db, "SELECT COUNT(*) FROM audit_events"))
}

// riskCount runs a counting query through the store's backup reader,
// which sees every table.
func riskCount(t *testing.T, db *sqlstore.DB, q string) int {
	t.Helper()
	n, err := db.RiskTestCount(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func riskWantField(t *testing.T, err error, field string) {
	t.Helper()
	e := isms.AsError(err)
	if e == nil || e.Code != isms.EInvalid {
		t.Fatalf("want invalid input on %s, got %v", field, err)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("want a problem with %s, got %v", field, err)
}

func TestThreatCatalogueShipsWithTheProduct(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		got, err := db.Threats(as(w.reader), w.org.ID, isms.ThreatFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := catalog.Threats()
		if len(got) != len(want) || len(want) < 30 {
			t.Fatalf("%d threats in the database, %d in the catalogue", len(got), len(want))
		}
		byKey := map[string]*isms.Threat{}
		for _, th := range got {
			byKey[th.Key] = th
		}
		groups := map[string]bool{}
		for _, x := range want {
			th := byKey[x.Key]
			if th == nil || th.NameDA != x.NameDA || th.NameEN != x.NameEN || th.DescriptionDA != x.DescriptionDA ||
				th.DescriptionEN != x.DescriptionEN || th.Affects != x.Affects || th.Group != x.Group || !th.Builtin ||
				fmt.Sprint(th.AssetKinds) != fmt.Sprint(x.AssetKinds) {
				t.Errorf("threat %s differs from the catalogue: %+v", x.Key, th)
			}
			if !isms.ValidThreatGroup(x.Group) || x.NameDA == "" || x.NameEN == "" || x.DescriptionDA == "" || x.DescriptionEN == "" {
				t.Errorf("threat %s is incomplete", x.Key)
			}
			groups[x.Group] = true
		}
		if len(groups) != len(isms.ThreatGroups) {
			t.Errorf("groups used: %v", groups)
		}
		for _, k := range []string{"ransomware", "malware", "phishing", "unauthorised_access", "insider_misuse", "loss_of_equipment",
			"supplier_failure", "power_outage", "fire", "water_damage", "human_error", "software_vulnerability", "ddos", "data_leakage",
			"loss_of_key_staff", "legal_noncompliance"} {
			if byKey[k] == nil {
				t.Errorf("the catalogue lacks %s", k)
			}
		}
	})
}

func TestRiskMethod(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		m, err := db.RiskMethod(as(w.reader), w.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Version != 0 || m.Scale.Key != "SCALE_1_4" || m.Scale.Size != 4 || m.AcceptBand != "low" || m.DefaultIntervalMonths != 12 {
			t.Fatalf("defaults: %+v", m)
		}
		// The 4x4 Standard classifies consequence 3 × likelihood 4 red
		// and 1 × 1 green, as the Danish file says.
		if b := m.Scale.Band(4, 3); b == nil || b.Key != "high" {
			t.Fatalf("band of (4,3): %+v", b)
		}
		if !m.Acceptable(1, 1) || m.Acceptable(4, 4) {
			t.Fatal("acceptance of the default method")
		}
		if len(catalog.RiskScales()) != 4 {
			t.Fatal("the four Danish scales are offered")
		}

		// Only those who edit may change the method.
		in := isms.RiskMethodInput{ScaleKey: "SCALE_1_4_KL", AcceptRule: isms.AcceptByBand, AcceptBand: "below_medium", DefaultIntervalMonths: 12}
		_, err = db.SaveRiskMethod(as(w.mgmt), w.org.ID, in)
		wantCode(t, err, isms.EForbidden)
		_, err = db.SaveRiskMethod(as(w.outsider), w.org.ID, in)
		wantCode(t, err, isms.ENotFound)
		m, err = db.SaveRiskMethod(as(w.coord), w.org.ID, in)
		if err != nil || m.Scale.Key != "SCALE_1_4_KL" || len(m.Scale.Bands) != 5 || m.Version != 1 {
			t.Fatalf("KL scale: %+v %v", m, err)
		}
		if !m.Acceptable(2, 2) || m.Acceptable(3, 3) {
			t.Fatal("accepting up to 'below medium'")
		}
		// A stale version is refused.
		_, err = db.SaveRiskMethod(as(w.coord), w.org.ID, in)
		wantCode(t, err, isms.EConflict)

		// A custom scale: every label in both languages, ranges covering
		// every score, sizes 3 to 6.
		bad := []struct {
			field string
			edit  func(s *isms.RiskScale)
		}{
			{"scale_size", func(s *isms.RiskScale) { s.Size = 7 }},
			{"scale_likelihood", func(s *isms.RiskScale) { s.Likelihood[2].EN = "" }},
			{"scale_consequence", func(s *isms.RiskScale) { s.Consequence = s.Consequence[:2] }},
			{"scale_bands", func(s *isms.RiskScale) { s.Bands[1].MinScore++ }},
			{"scale_bands", func(s *isms.RiskScale) { s.Bands[2].MaxScore-- }},
			{"scale_bands", func(s *isms.RiskScale) { s.Bands[0].Color = "green" }},
			{"scale_cells", func(s *isms.RiskScale) {
				s.Classification = isms.ClassifyCells
				s.Cells = map[string]string{"1-1": "low"}
			}},
		}
		before := riskRows(t, db, "risk_methods")
		for _, b := range bad {
			s := catalog.StarterRiskScale(5)
			b.edit(&s)
			_, err := db.SaveRiskMethod(as(w.coord), w.org.ID, isms.RiskMethodInput{ScaleKey: isms.CustomScale, Scale: &s,
				AcceptRule: isms.AcceptByScore, AcceptScore: 4, DefaultIntervalMonths: 12, Version: 1})
			riskWantField(t, err, b.field)
		}
		if after := riskRows(t, db, "risk_methods"); after != before {
			t.Fatalf("refused methods stored something: %s → %s", before, after)
		}
		s := catalog.StarterRiskScale(5)
		m, err = db.SaveRiskMethod(as(w.coord), w.org.ID, isms.RiskMethodInput{ScaleKey: isms.CustomScale, Scale: &s,
			AcceptRule: isms.AcceptByScore, AcceptScore: 4, DefaultIntervalMonths: 6, Dimensions: isms.ConsequenceDimensions{Citizens: true},
			Version: 1})
		if err != nil || m.Scale.Size != 5 || !m.Acceptable(2, 2) || m.Acceptable(1, 5) || !m.Dimensions.Citizens {
			t.Fatalf("custom scale: %+v %v", m, err)
		}
		// A method document that does not exist is refused.
		doc := int64(999999)
		_, err = db.SaveRiskMethod(as(w.coord), w.org.ID, isms.RiskMethodInput{ScaleKey: isms.CustomScale, Scale: &s,
			AcceptRule: isms.AcceptByScore, AcceptScore: 4, DefaultIntervalMonths: 6, MethodDocumentID: &doc, Version: 2})
		riskWantField(t, err, "method_document_id")

		// Once risks are rated on the scale, its size is fixed.
		ra := w.assessment(t, w.system)
		w.risk(t, ra, "ransomware", 2, 5, nil)
		_, err = db.SaveRiskMethod(as(w.coord), w.org.ID, isms.RiskMethodInput{ScaleKey: "SCALE_1_4", AcceptRule: isms.AcceptByBand,
			AcceptBand: "low", DefaultIntervalMonths: 12, Version: 2})
		riskWantField(t, err, "scale_size")
	})
}

func TestAssetsComeFromTheBusinessOverview(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		assets, total, err := db.Assets(as(w.reader), w.org.ID, isms.AssetFilter{Primary: "primary"})
		if err != nil || total != 3 || len(assets) != 3 {
			t.Fatalf("primary assets: %d %v", total, err)
		}
		sys := w.asset(t, w.system)
		if sys.Kind != isms.AssetSystem || sys.Name != "ESDH" || sys.Needs != (isms.CIA{Confidentiality: 3, Integrity: 3, Availability: 4}) ||
			sys.Overridden.Any() || sys.Criticality != 4 || sys.AssessmentStatus != isms.AssetUnassessed {
			t.Fatalf("derived asset: %+v", sys)
		}
		// Overriding a need shows as overridden; the rest stays derived.
		four := isms.Level(4)
		sys, err = db.UpdateAsset(as(w.coord), w.org.ID, sys.ID, isms.AssetInput{Confidentiality: &four, OwnerID: &w.contrib.ID, Version: sys.Version})
		if err != nil || sys.Needs.Confidentiality != 4 || !sys.Overridden.Confidentiality || sys.Overridden.Availability ||
			sys.Derived.Confidentiality != 3 || sys.OwnerName != "User contrib@risk.example" {
			t.Fatalf("override: %+v %v", sys, err)
		}
		// A stale version is refused.
		_, err = db.UpdateAsset(as(w.coord), w.org.ID, sys.ID, isms.AssetInput{Version: sys.Version - 1})
		wantCode(t, err, isms.EConflict)

		// A supporting asset takes the highest needs of what it supports.
		info := w.asset(t, w.info)
		srv, err := db.CreateAsset(as(w.contrib), w.org.ID, isms.AssetInput{Kind: isms.AssetHardware, Name: "Database server",
			OwnerID: &w.contrib.ID, Supports: []int64{sys.ID, info.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if srv.Needs != (isms.CIA{Confidentiality: 4, Integrity: 4, Availability: 4}) || srv.Overridden.Any() || len(srv.Supports) != 2 {
			t.Fatalf("supporting asset: %+v", srv)
		}
		if sys = w.asset(t, w.system); len(sys.SupportedBy) != 1 || sys.SupportedBy[0] != srv.ID {
			t.Fatalf("supported by: %+v", sys.SupportedBy)
		}
		// Bad input: a primary kind, no name, a need off the scale, a
		// supported asset that is not primary.
		before := riskRows(t, db, "assets")
		for field, in := range map[string]isms.AssetInput{
			"asset_kind":           {Kind: isms.AssetSystem, Name: "x"},
			"name":                 {Kind: isms.AssetLocation},
			"need_confidentiality": {Kind: isms.AssetLocation, Name: "x", Confidentiality: func() *isms.Level { l := isms.Level(5); return &l }()},
			"supports":             {Kind: isms.AssetLocation, Name: "x", Supports: []int64{srv.ID}},
			"owner_id":             {Kind: isms.AssetLocation, Name: "x", OwnerID: &w.outsider.ID},
		} {
			_, err := db.CreateAsset(as(w.coord), w.org.ID, in)
			riskWantField(t, err, field)
		}
		if after := riskRows(t, db, "assets"); after != before {
			t.Fatalf("refused assets stored something: %s → %s", before, after)
		}
		// Roles: a contributor edits only its own, readers and management
		// nothing, another organisation does not see it.
		_, err = db.CreateAsset(as(w.contrib), w.org.ID, isms.AssetInput{Kind: isms.AssetPerson, Name: "x", OwnerID: &w.coord.ID})
		wantCode(t, err, isms.EForbidden)
		_, err = db.CreateAsset(as(w.reader), w.org.ID, isms.AssetInput{Kind: isms.AssetPerson, Name: "x"})
		wantCode(t, err, isms.EForbidden)
		_, err = db.Asset(as(w.outsider), w.org.ID, srv.ID)
		wantCode(t, err, isms.ENotFound)
		_, err = db.Asset(as(w.outsider), w.other.ID, srv.ID)
		wantCode(t, err, isms.ENotFound)
		// The business overview's assets are not deleted here.
		err = db.DeleteAsset(as(w.coord), w.org.ID, sys.ID, sys.Version)
		wantCode(t, err, isms.EInvalid)
		if err := db.DeleteAsset(as(w.contrib), w.org.ID, srv.ID, srv.Version); err != nil {
			t.Fatal(err)
		}
		// Filters and sorting.
		if list, n, err := db.Assets(as(w.reader), w.org.ID, isms.AssetFilter{Sort: "-criticality", Unassessed: true}); err != nil || n != 3 ||
			list[0].Criticality != 4 {
			t.Fatalf("unassessed by criticality: %d %v", n, err)
		}
	})
}

func TestRiskAssessmentAndItsRisks(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		ra := w.assessment(t, w.system)
		if ra.Title != "ESDH" || ra.Status != isms.AssessmentInProgress || ra.IntervalMonths != 12 {
			t.Fatalf("assessment: %+v", ra)
		}
		r := w.risk(t, ra, "ransomware", 3, 2, func(in *isms.RiskInput) {
			in.Consequence.Availability = 4
			in.ExistingControls = []int64{w.control(t, "8.13")}
		})
		if r.Inherent.Likelihood != 3 || r.Inherent.Consequence != 4 || r.Inherent.Score != 12 || r.Inherent.Band != "high" ||
			r.Residual != r.Inherent || !r.NeedsAcceptance || r.Title != "Ransomware (kryptering og afpresning) – ESDH" {
			t.Fatalf("risk: %+v", r)
		}
		// Every bad input is refused with the field named, nothing stored.
		own, err := db.CreateOwnRiskControl(as(w.outsider), w.other.ID, isms.OwnRiskControlInput{Ref: "N1", TitleDA: "Nabos kontrol", Theme: "organizational"})
		if err != nil {
			t.Fatal(err)
		}
		otherTh, err := db.CreateThreatCatalogue(as(w.outsider), w.other.ID, isms.ThreatCatalogueInput{Name: "Nabos"})
		if err != nil {
			t.Fatal(err)
		}
		otherThreat, err := db.CreateThreat(as(w.outsider), w.other.ID, isms.ThreatInput{CatalogueID: otherTh.ID, Group: "human",
			NameDA: "Nabotrussel", Affects: isms.Affects{Integrity: true}})
		if err != nil {
			t.Fatal(err)
		}
		base := isms.RiskInput{AssessmentID: ra.ID, ThreatID: w.threat(t, "fire").ID, Likelihood: 2, Consequence: isms.Consequences{Availability: 3}}
		deadline := isms.DateOf(w.now).AddDays(30)
		before := riskRows(t, db, "risks")
		for field, edit := range map[string]func(in *isms.RiskInput){
			"likelihood":                  func(in *isms.RiskInput) { in.Likelihood = 5 },
			"consequence_availability":    func(in *isms.RiskInput) { in.Consequence.Availability = 0 - 1 },
			"consequence_confidentiality": func(in *isms.RiskInput) { in.Consequence = isms.Consequences{} },
			"consequence_citizens":        func(in *isms.RiskInput) { in.Consequence.Citizens = 2 },
			"threat_id":                   func(in *isms.RiskInput) { in.ThreatID = otherThreat.ID },
			"assessment_id":               func(in *isms.RiskInput) { in.AssessmentID = 999999 },
			"existing_controls":           func(in *isms.RiskInput) { in.ExistingControls = []int64{own.ID} },
			"planned_controls":            func(in *isms.RiskInput) { in.PlannedControls = []int64{999999} },
			"treatment":                   func(in *isms.RiskInput) { in.Treatment = "ignore" },
			"owner_id":                    func(in *isms.RiskInput) { in.Treatment = isms.TreatmentAccept },
			"treatment_deadline": func(in *isms.RiskInput) {
				in.Treatment, in.OwnerID, in.PlannedControls = isms.TreatmentMitigate, &w.coord.ID, []int64{w.control(t, "7.5")}
			},
			"residual_likelihood": func(in *isms.RiskInput) {
				in.Treatment, in.OwnerID, in.Deadline, in.PlannedControls = isms.TreatmentMitigate, &w.coord.ID, &deadline, []int64{w.control(t, "7.5")}
				in.ResidualLikelihood = 3
			},
		} {
			in := base
			edit(&in)
			_, err := db.CreateRisk(as(w.coord), w.org.ID, in)
			riskWantField(t, err, field)
		}
		if after := riskRows(t, db, "risks"); after != before {
			t.Fatalf("refused risks stored something: %s → %s", before, after)
		}
		// An assessment of an asset that is not the organisation's.
		otherAsset, err := db.CreateAsset(as(w.outsider), w.other.ID, isms.AssetInput{Kind: isms.AssetLocation, Name: "Nabos serverrum"})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{otherAsset.ID, 999999} {
			_, err := db.CreateRiskAssessment(as(w.coord), w.org.ID, isms.RiskAssessmentInput{AssetID: &id})
			riskWantField(t, err, "asset_id")
		}
		_, err = db.CreateRiskAssessment(as(w.coord), w.org.ID, isms.RiskAssessmentInput{})
		riskWantField(t, err, "asset_id")
		// Mitigation with planned controls lowers the residual risk; the
		// controls are linked for the Statement of Applicability.
		r, err = db.UpdateRisk(as(w.coord), w.org.ID, r.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: r.ThreatID, Likelihood: 3,
			Consequence: isms.Consequences{Confidentiality: 2, Availability: 4}, ExistingControls: []int64{w.control(t, "8.13")},
			Treatment: isms.TreatmentMitigate, OwnerID: &w.contrib.ID, Deadline: &deadline,
			PlannedControls: []int64{w.control(t, "8.7"), w.control(t, "8.8")}, ResidualLikelihood: 1, ResidualConsequence: 3, Version: r.Version})
		if err != nil {
			t.Fatal(err)
		}
		if r.Residual.Score != 3 || !r.Residual.Acceptable || r.NeedsAcceptance || !r.Settled() || len(r.PlannedControls) != 2 || len(r.ExistingControls) != 1 {
			t.Fatalf("treated risk: %+v", r)
		}
		if n := riskCount(t, db, fmt.Sprintf("SELECT COUNT(*) FROM record_links WHERE from_type = 'risk' AND from_id = %d AND to_type = 'control'", r.ID)); n != 3 {
			t.Fatalf("%d control links for the SoA", n)
		}
		// A stale version is refused and changes nothing.
		_, err = db.UpdateRisk(as(w.coord), w.org.ID, r.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: r.ThreatID, Likelihood: 1,
			Consequence: isms.Consequences{Confidentiality: 1}, Version: r.Version - 1})
		wantCode(t, err, isms.EConflict)
		// The contributor owns the risk now and may change it; a reader may not.
		_, err = db.UpdateRisk(as(w.reader), w.org.ID, r.ID, isms.RiskInput{Version: r.Version})
		wantCode(t, err, isms.EForbidden)
		_, err = db.Risk(as(w.outsider), w.org.ID, r.ID)
		wantCode(t, err, isms.ENotFound)

		// Completing the assessment makes it current until its date.
		_, err = db.CompleteRiskAssessment(as(w.reader), w.org.ID, ra.ID, ra.Version)
		wantCode(t, err, isms.EForbidden)
		ra, err = db.RiskAssessment(as(w.reader), w.org.ID, ra.ID)
		if err != nil {
			t.Fatal(err)
		}
		ra, err = db.CompleteRiskAssessment(as(w.coord), w.org.ID, ra.ID, ra.Version)
		if err != nil {
			t.Fatal(err)
		}
		today := isms.DateOf(w.now)
		if !ra.Current(today) || ra.NextReassessment.String() != "2027-03-02" || ra.Basis != (isms.CIA{Confidentiality: 3, Integrity: 3, Availability: 4}) {
			t.Fatalf("completed: %+v", ra)
		}
		// The business overview raises the system's integrity requirement:
		// the assessment is due again, with the reason.
		sys, _ := db.OverviewEntry(as(w.coord), w.org.ID, w.system.ID)
		if _, err := db.UpdateOverviewEntry(as(w.coord), w.org.ID, sys.ID, isms.OverviewEntryInput{Name: sys.Name, Status: sys.Status,
			Requirements: isms.Requirements{Confidentiality: 3, Integrity: 4, Availability: 4, Text: "mere krav"}, Version: sys.Version}); err != nil {
			t.Fatal(err)
		}
		ra, _ = db.RiskAssessment(as(w.reader), w.org.ID, ra.ID)
		if ra.Current(today) || !ra.NeedsChanged() || len(ra.ReassessReasons(today)) != 1 || ra.ReassessReasons(today)[0].Key != "risk.reason.needs_changed" {
			t.Fatalf("after the requirement change: %+v", ra)
		}
		due, n, err := db.RiskAssessments(as(w.reader), w.org.ID, isms.AssessmentFilter{Reassess: true})
		if err != nil || n != 1 || due[0].ID != ra.ID {
			t.Fatalf("due for reassessment: %d %v", n, err)
		}
		// Reassessing clears it.
		if ra, err = db.CompleteRiskAssessment(as(w.coord), w.org.ID, ra.ID, ra.Version); err != nil || !ra.Current(today) {
			t.Fatalf("reassessed: %+v %v", ra, err)
		}
		// A coordinator marks it by hand, with a reason; without one it is refused.
		_, err = db.MarkRiskReassessment(as(w.coord), w.org.ID, ra.ID, " ", ra.Version)
		riskWantField(t, err, "reassess_note")
		_, err = db.MarkRiskReassessment(as(w.contrib), w.org.ID, ra.ID, "ny leverandør", ra.Version)
		wantCode(t, err, isms.EForbidden)
		ra, err = db.MarkRiskReassessment(as(w.coord), w.org.ID, ra.ID, "Ny driftsleverandør", ra.Version)
		if err != nil || ra.Current(today) || ra.Mark == nil || ra.Mark.Reason != isms.ReassessManual {
			t.Fatalf("marked: %+v %v", ra, err)
		}
		ra, _ = db.CompleteRiskAssessment(as(w.coord), w.org.ID, ra.ID, ra.Version)

		// A new threat of the organisation's own marks the assessments it
		// may apply to.
		cat, err := db.CreateThreatCatalogue(as(w.coord), w.org.ID, isms.ThreatCatalogueInput{Name: "Kommunens egne trusler"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateThreat(as(w.coord), w.org.ID, isms.ThreatInput{CatalogueID: w.threat(t, "fire").CatalogueID, Group: "human",
			NameDA: "x", Affects: isms.Affects{Integrity: true}})
		riskWantField(t, err, "catalogue_id")
		th, err := db.CreateThreat(as(w.coord), w.org.ID, isms.ThreatInput{CatalogueID: cat.ID, Group: "supplier",
			NameDA: "Konkurs hos driftsleverandør", NameEN: "Bankruptcy of the operator", Affects: isms.Affects{Availability: true},
			AssetKinds: []isms.AssetKind{isms.AssetSystem}})
		if err != nil {
			t.Fatal(err)
		}
		ra, _ = db.RiskAssessment(as(w.reader), w.org.ID, ra.ID)
		if ra.Mark == nil || ra.Mark.Reason != isms.ReassessNewThreat || ra.Mark.Note != th.NameDA {
			t.Fatalf("new threat: %+v", ra.Mark)
		}
		// Shipped threats are read-only.
		fire := w.threat(t, "fire")
		_, err = db.UpdateThreat(as(w.coord), w.org.ID, fire.ID, isms.ThreatInput{CatalogueID: cat.ID, Group: "physical", NameDA: "Ild",
			Affects: isms.Affects{Availability: true}, Version: fire.Version})
		wantCode(t, err, isms.EForbidden)
		// Own threats are invisible to other organisations.
		_, err = db.Threat(as(w.outsider), w.other.ID, th.ID)
		wantCode(t, err, isms.ENotFound)

		// Deleting the assessment takes its risks along, each audited.
		if err := db.DeleteRiskAssessment(as(w.coord), w.org.ID, ra.ID, ra.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Risk(as(w.coord), w.org.ID, r.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("risk after its assessment was deleted: %v", err)
		}
		events, _, _ := db.AuditEvents(as(w.auditor), w.org.ID, isms.AuditFilter{RecordType: "risk", RecordID: r.ID})
		if len(events) == 0 || events[0].Action != "delete" {
			t.Fatalf("risk deletion not audited: %+v", events)
		}
	})
}

func TestRiskAcceptanceByManagement(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		ra := w.assessment(t, w.info)
		deadline := isms.DateOf(w.now).AddDays(60)
		r := w.risk(t, ra, "phishing", 4, 4, func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.Deadline = isms.TreatmentMitigate, &w.coord.ID, &deadline
			in.PlannedControls = []int64{w.control(t, "6.3")}
			in.ResidualLikelihood, in.ResidualConsequence = 3, 3
		})
		if !r.NeedsAcceptance || r.Settled() {
			t.Fatalf("residual above the criteria: %+v", r)
		}
		expires := isms.DateOf(w.now).AddDays(365)
		good := isms.RiskAcceptanceInput{Reason: "Awareness-træning er besluttet; resten bæres.", Expires: &expires, Version: r.Version}
		before := riskRows(t, db, "risk_acceptances")
		// Not management: refused.
		for _, u := range []*isms.User{w.coord, w.contrib, w.reader, w.auditor} {
			_, err := db.AcceptRisk(as(u), w.org.ID, r.ID, good)
			wantCode(t, err, isms.EForbidden)
		}
		_, err := db.AcceptRisk(as(w.outsider), w.org.ID, r.ID, good)
		wantCode(t, err, isms.ENotFound)
		// No reason, no expiry, an expiry in the past or too far ahead.
		past := isms.DateOf(w.now).AddDays(-1)
		far := isms.DateOf(w.now).AddDays(4 * 365)
		for field, in := range map[string]isms.RiskAcceptanceInput{
			"reason":             {Reason: "  ", Expires: &expires, Version: r.Version},
			"acceptance_expires": {Reason: "ok", Version: r.Version},
		} {
			_, err := db.AcceptRisk(as(w.mgmt), w.org.ID, r.ID, in)
			riskWantField(t, err, field)
		}
		for _, d := range []*isms.Date{&past, &far} {
			_, err := db.AcceptRisk(as(w.mgmt), w.org.ID, r.ID, isms.RiskAcceptanceInput{Reason: "ok", Expires: d, Version: r.Version})
			riskWantField(t, err, "acceptance_expires")
		}
		// A stale version.
		_, err = db.AcceptRisk(as(w.mgmt), w.org.ID, r.ID, isms.RiskAcceptanceInput{Reason: "ok", Expires: &expires, Version: r.Version + 1})
		wantCode(t, err, isms.EConflict)
		if after := riskRows(t, db, "risk_acceptances"); after != before {
			t.Fatalf("refused acceptances stored something: %s → %s", before, after)
		}
		r, err = db.AcceptRisk(as(w.mgmt), w.org.ID, r.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Accepted || r.NeedsAcceptance || !r.Settled() || r.Acceptance.AcceptedByID != w.mgmt.ID || r.Acceptance.Reason != good.Reason {
			t.Fatalf("accepted: %+v", r)
		}
		if list, _, _ := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{NeedsAcceptance: true}); len(list) != 0 {
			t.Fatal("an accepted risk is listed as needing acceptance")
		}
		events, _, _ := db.AuditEvents(as(w.auditor), w.org.ID, isms.AuditFilter{RecordType: "risk", RecordID: r.ID})
		if events[0].Action != "accept_risk" || events[0].ActorID != w.mgmt.ID {
			t.Fatalf("acceptance audit: %+v", events[0])
		}
		// A higher residual risk later is not covered by the acceptance.
		r2, err := db.UpdateRisk(as(w.coord), w.org.ID, r.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: r.ThreatID, Likelihood: 4,
			Consequence: r.Consequence, Treatment: isms.TreatmentMitigate, OwnerID: &w.coord.ID, Deadline: &deadline,
			PlannedControls: r.PlannedControls, ResidualLikelihood: 4, ResidualConsequence: 3, Version: r.Version})
		if err != nil || r2.Accepted || !r2.NeedsAcceptance {
			t.Fatalf("higher residual: %+v %v", r2, err)
		}
		r2, err = db.UpdateRisk(as(w.coord), w.org.ID, r.ID, isms.RiskInput{AssessmentID: ra.ID, ThreatID: r.ThreatID, Likelihood: 4,
			Consequence: r.Consequence, Treatment: isms.TreatmentMitigate, OwnerID: &w.coord.ID, Deadline: &deadline,
			PlannedControls: r.PlannedControls, ResidualLikelihood: 3, ResidualConsequence: 3, Version: r2.Version})
		if err != nil || !r2.Accepted {
			t.Fatalf("back to the accepted level: %+v %v", r2, err)
		}
		// An expired acceptance counts as missing.
		w.now = w.now.AddDate(1, 0, 2)
		r2, _ = db.Risk(as(w.reader), w.org.ID, r.ID)
		if r2.Accepted || !r2.NeedsAcceptance {
			t.Fatalf("after expiry: %+v", r2)
		}
		if list, _, _ := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{NeedsAcceptance: true}); len(list) != 1 {
			t.Fatal("an expired acceptance is not listed as needing acceptance")
		}
		hist, err := db.RiskAcceptances(as(w.reader), w.org.ID, r.ID)
		if err != nil || len(hist) != 1 {
			t.Fatalf("acceptance history: %v %v", hist, err)
		}
		// An acceptable risk needs no acceptance.
		low := w.risk(t, ra, "fire", 1, 1, func(in *isms.RiskInput) { in.Treatment, in.OwnerID = isms.TreatmentAccept, &w.coord.ID })
		_, err = db.AcceptRisk(as(w.mgmt), w.org.ID, low.ID, isms.RiskAcceptanceInput{Reason: "ok", Expires: &expires, Version: low.Version})
		wantCode(t, err, isms.EInvalid)
	})
}

func TestRiskRegisterFiltersSortsAndHeatMap(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		ras := []*isms.RiskAssessment{w.assessment(t, w.process), w.assessment(t, w.info), w.assessment(t, w.system)}
		threats := []string{"ransomware", "phishing", "fire", "human_error", "ddos"}
		past := isms.DateOf(w.now).AddDays(-5)
		n := 0
		for i, ra := range ras {
			for j, th := range threats {
				l, c := 1+(i+j)%4, 1+(i*2+j)%4
				w.risk(t, ra, th, l, c, func(in *isms.RiskInput) {
					if j == 0 {
						in.Treatment, in.OwnerID, in.Deadline, in.PlannedControls = isms.TreatmentMitigate, &w.contrib.ID, &past, []int64{w.control(t, "8.7")}
						in.ResidualLikelihood, in.ResidualConsequence = 1, 1
					}
				})
				n++
			}
		}
		all, total, err := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Limit: 4})
		if err != nil || total != n || len(all) != 4 {
			t.Fatalf("page: %d of %d, %v", len(all), total, err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Residual.Score > all[i-1].Residual.Score {
				t.Fatal("the register is not sorted by residual risk, highest first")
			}
		}
		next, _, _ := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Limit: 4, Offset: 4})
		if len(next) != 4 || next[0].ID == all[0].ID {
			t.Fatal("the second page")
		}
		count := func(f isms.RiskFilter) int {
			t.Helper()
			_, k, err := db.Risks(as(w.reader), w.org.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		sys := w.asset(t, w.system)
		if k := count(isms.RiskFilter{AssetID: sys.ID}); k != 5 {
			t.Errorf("by asset: %d", k)
		}
		if k := count(isms.RiskFilter{OwnerID: w.contrib.ID}); k != 3 {
			t.Errorf("by owner: %d", k)
		}
		if k := count(isms.RiskFilter{Treatment: "mitigate"}); k != 3 {
			t.Errorf("by treatment: %d", k)
		}
		if k := count(isms.RiskFilter{Treatment: "none"}); k != n-3 {
			t.Errorf("undecided: %d", k)
		}
		if k := count(isms.RiskFilter{Overdue: true}); k != 3 {
			t.Errorf("overdue: %d", k)
		}
		if k := count(isms.RiskFilter{Grid: isms.GridResidual, Likelihood: 1, Consequence: 1}); k < 3 {
			t.Errorf("cell (1,1): %d", k)
		}
		h, err := db.RiskHeatMap(as(w.reader), w.org.ID, isms.RiskFilter{})
		if err != nil || h.Size != 4 || h.Total != n {
			t.Fatalf("heat map: %+v %v", h, err)
		}
		sum, bands := 0, 0
		for l := 1; l <= 4; l++ {
			for c := 1; c <= 4; c++ {
				sum += h.Inherent[l-1][c-1]
				if k := count(isms.RiskFilter{Grid: isms.GridInherent, Likelihood: l, Consequence: c}); k != h.Inherent[l-1][c-1] {
					t.Errorf("cell (%d,%d): map %d, register %d", l, c, h.Inherent[l-1][c-1], k)
				}
			}
		}
		for _, b := range []string{"low", "medium", "high"} {
			bands += count(isms.RiskFilter{Grid: isms.GridInherent, Band: b})
		}
		if sum != n || bands != n {
			t.Errorf("heat map sums to %d, bands to %d, of %d", sum, bands, n)
		}
		if h.Residual[0][0] < 3 {
			t.Errorf("residual (1,1): %d", h.Residual[0][0])
		}
		for _, s := range []string{"title", "-title", "asset", "threat", "owner", "inherent", "-inherent", "treatment", "deadline", "-next_due"} {
			if _, _, err := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Sort: s, AssetID: sys.ID}); err != nil {
				t.Errorf("sort %s: %v", s, err)
			}
		}
		_, _, err = db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Band: "purple"})
		riskWantField(t, err, "band")
		// The search ignores case, Danish letters too.
		w.risk(t, ras[0], "payment_fraud", 1, 1, func(in *isms.RiskInput) { in.Title = "Økonomisk tab ved svindel" })
		for _, q := range []string{"ØKONOMISK TAB", "økonomisk", "Svindel"} {
			if k := count(isms.RiskFilter{Query: q}); k != 1 {
				t.Errorf("search %q: %d", q, k)
			}
		}
		_, _, err = db.Risks(as(w.outsider), w.org.ID, isms.RiskFilter{})
		wantCode(t, err, isms.ENotFound)
		_, err = db.RiskHeatMap(as(w.outsider), w.org.ID, isms.RiskFilter{})
		wantCode(t, err, isms.ENotFound)
	})
}

func TestRiskTreatmentPlan(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		ra := w.assessment(t, w.process)
		deadline := isms.DateOf(w.now).AddDays(30)
		r := w.risk(t, ra, "payment_fraud", 3, 4, func(in *isms.RiskInput) {
			in.Treatment, in.OwnerID, in.Deadline, in.PlannedControls = isms.TreatmentMitigate, &w.coord.ID, &deadline, []int64{w.control(t, "5.3")}
			in.ResidualLikelihood, in.ResidualConsequence = 1, 4
		})
		if untasked, err := db.UntaskedRisks(as(w.reader), w.org.ID, 10); err != nil || len(untasked) != 1 {
			t.Fatalf("untasked: %v %v", untasked, err)
		}
		soon := isms.DateOf(w.now).AddDays(10)
		_, err := db.CreateRiskTask(as(w.coord), w.org.ID, isms.RiskTaskInput{RiskID: r.ID, Title: "x", OwnerID: &w.contrib.ID, Deadline: &soon,
			Controls: []int64{999999}})
		riskWantField(t, err, "task_controls")
		_, err = db.CreateRiskTask(as(w.coord), w.org.ID, isms.RiskTaskInput{RiskID: r.ID, Title: "x", OwnerID: &w.contrib.ID})
		riskWantField(t, err, "task_deadline")
		_, err = db.CreateRiskTask(as(w.contrib), w.org.ID, isms.RiskTaskInput{RiskID: r.ID, Title: "x", OwnerID: &w.coord.ID, Deadline: &soon})
		wantCode(t, err, isms.EForbidden)
		task, err := db.CreateRiskTask(as(w.contrib), w.org.ID, isms.RiskTaskInput{RiskID: r.ID, Title: "Dobbeltgodkendelse af kontoændringer",
			OwnerID: &w.contrib.ID, Deadline: &soon, Controls: []int64{w.control(t, "5.3"), w.control(t, "5.14")}})
		if err != nil {
			t.Fatal(err)
		}
		// The action's new control joined the risk's planned controls.
		r, _ = db.Risk(as(w.reader), w.org.ID, r.ID)
		if len(r.PlannedControls) != 2 || r.OpenTasks != 1 || r.NextDue == nil || *r.NextDue != soon {
			t.Fatalf("risk after its action: %+v", r)
		}
		w.now = w.now.AddDate(0, 0, 11)
		if list, n, err := db.RiskTasks(as(w.reader), w.org.ID, isms.RiskTaskFilter{Overdue: true}); err != nil || n != 1 || !list[0].Overdue(isms.DateOf(w.now)) {
			t.Fatalf("overdue actions: %d %v", n, err)
		}
		if _, n, _ := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Overdue: true}); n != 1 {
			t.Fatal("the risk is overdue with its action")
		}
		agenda, err := db.RiskAgenda(as(w.reader), w.org.ID, isms.DateOf(w.now).AddDays(30))
		if err != nil || len(agenda) == 0 || agenda[0].Kind != "risk.agenda.task" {
			t.Fatalf("agenda: %+v %v", agenda, err)
		}
		_, err = db.UpdateRiskTask(as(w.contrib), w.org.ID, task.ID, isms.RiskTaskInput{Title: task.Title, OwnerID: &w.contrib.ID,
			Deadline: task.Deadline, Status: isms.TaskDone, Controls: task.Controls, Version: task.Version + 1})
		wantCode(t, err, isms.EConflict)
		task, err = db.UpdateRiskTask(as(w.contrib), w.org.ID, task.ID, isms.RiskTaskInput{Title: task.Title, OwnerID: &w.contrib.ID,
			Deadline: task.Deadline, Status: isms.TaskDone, Controls: task.Controls, Version: task.Version})
		if err != nil || task.CompletedOn == nil {
			t.Fatalf("done: %+v %v", task, err)
		}
		if r, _ = db.Risk(as(w.reader), w.org.ID, r.ID); r.OpenTasks != 0 || r.NextDue != nil {
			t.Fatalf("risk after its action is done: %+v", r)
		}
		// The annual wheel's calendar shows the completed action.
		items, err := db.ScheduledItems(as(w.reader), w.org.ID, isms.DateOf(w.now).AddDays(-30), isms.DateOf(w.now).AddDays(400))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items {
			found = found || (it.Kind == "risk.scheduled.task_done" && it.Done)
		}
		if !found {
			t.Fatalf("calendar: %+v", items)
		}
		_, err = db.RiskTask(as(w.outsider), w.org.ID, task.ID)
		wantCode(t, err, isms.ENotFound)
	})
}

// The checklist's question 3.1, step by step.
func TestChecklistRiskAssessed(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		answer := func() *isms.ChecklistAnswer {
			t.Helper()
			all, err := db.Checklist(as(w.reader), w.org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range all {
				if a.QuestionID == "3.1" {
					if a.Source != isms.SourceRecords || a.Rule.Key != "rule.3.1" {
						t.Fatalf("3.1 is not answered from the records: %+v", a)
					}
					return a
				}
			}
			t.Fatal("no 3.1")
			return nil
		}
		reasons := func(a *isms.ChecklistAnswer) string {
			var s []string
			for _, m := range a.Reasons {
				s = append(s, fmt.Sprint(m.Key, m.Args))
			}
			return strings.Join(s, "; ")
		}
		if a := answer(); a.Status != isms.AnswerNo || !strings.Contains(reasons(a), "ESDH") {
			t.Fatalf("nothing assessed: %s %s", a.Status, reasons(a))
		}
		complete := func(ra *isms.RiskAssessment) *isms.RiskAssessment {
			ra, _ = db.RiskAssessment(as(w.coord), w.org.ID, ra.ID)
			ra, err := db.CompleteRiskAssessment(as(w.coord), w.org.ID, ra.ID, ra.Version)
			if err != nil {
				t.Fatal(err)
			}
			return ra
		}
		// An assessment in progress does not count.
		ra1 := w.assessment(t, w.system)
		_, err := db.CompleteRiskAssessment(as(w.coord), w.org.ID, ra1.ID, ra1.Version)
		wantCode(t, err, isms.EInvalid) // no risks yet
		w.risk(t, ra1, "ransomware", 1, 2, nil)
		if a := answer(); a.Status != isms.AnswerNo {
			t.Fatalf("in progress: %s", a.Status)
		}
		complete(ra1)
		if a := answer(); a.Status != isms.AnswerPartly || strings.Contains(reasons(a), "ESDH") || !strings.Contains(reasons(a), "Helbredsoplysninger") {
			t.Fatalf("one of three: %s %s", a.Status, reasons(a))
		}
		ra2, ra3 := w.assessment(t, w.info), w.assessment(t, w.process)
		deadline := isms.DateOf(w.now).AddDays(90)
		high := w.risk(t, ra2, "insider_misuse", 4, 4, nil)
		w.risk(t, ra3, "human_error", 2, 1, nil)
		complete(ra2)
		ra3 = complete(ra3)
		// All assessed, but a risk above the criteria is untreated.
		if a := answer(); a.Status != isms.AnswerPartly || !strings.Contains(reasons(a), "reason.risk_unsettled") {
			t.Fatalf("untreated risk: %s %s", a.Status, reasons(a))
		}
		high, err = db.UpdateRisk(as(w.coord), w.org.ID, high.ID, isms.RiskInput{AssessmentID: ra2.ID, ThreatID: high.ThreatID, Likelihood: 4,
			Consequence: high.Consequence, Treatment: isms.TreatmentMitigate, OwnerID: &w.coord.ID, Deadline: &deadline,
			PlannedControls: []int64{w.control(t, "8.15"), w.control(t, "5.18")}, ResidualLikelihood: 2, ResidualConsequence: 4, Version: high.Version})
		if err != nil {
			t.Fatal(err)
		}
		// Treated, but the residual risk is still above the criteria.
		if a := answer(); a.Status != isms.AnswerPartly {
			t.Fatalf("residual above: %s %s", a.Status, reasons(a))
		}
		expires := isms.DateOf(w.now).AddDays(200)
		if _, err := db.AcceptRisk(as(w.mgmt), w.org.ID, high.ID, isms.RiskAcceptanceInput{Reason: "Logning og rettighedsgennemgang er det muligt",
			Expires: &expires, Version: high.Version}); err != nil {
			t.Fatal(err)
		}
		if a := answer(); a.Status != isms.AnswerYes || len(a.Evidence) == 0 || a.Reasons[0].Key != "reason.risk_complete" {
			t.Fatalf("all assessed and settled: %s %s", a.Status, reasons(a))
		}
		// A mark for ad-hoc reassessment makes it partly again.
		ra3, _ = db.MarkRiskReassessment(as(w.coord), w.org.ID, ra3.ID, "Ny sagsgang", ra3.Version)
		if a := answer(); a.Status != isms.AnswerPartly || !strings.Contains(reasons(a), "Udbetaling af ydelser") {
			t.Fatalf("marked: %s %s", a.Status, reasons(a))
		}
		complete(ra3)
		// The acceptance runs out before the reassessments are due.
		w.now = w.now.AddDate(0, 7, 0)
		if a := answer(); a.Status != isms.AnswerPartly || !strings.Contains(reasons(a), "reason.risk_unsettled") {
			t.Fatalf("acceptance expired: %s %s", a.Status, reasons(a))
		}
		// A year on, every assessment is past its date.
		w.now = w.now.AddDate(0, 6, 0)
		if a := answer(); a.Status != isms.AnswerNo {
			t.Fatalf("past reassessment: %s %s", a.Status, reasons(a))
		}
		// A retired entry needs no assessment.
		for _, e := range []*isms.OverviewEntry{w.process, w.info, w.system} {
			cur, _ := db.OverviewEntry(as(w.coord), w.org.ID, e.ID)
			if _, err := db.UpdateOverviewEntry(as(w.coord), w.org.ID, e.ID, isms.OverviewEntryInput{Name: cur.Name, Status: isms.StatusRetired,
				Requirements: cur.Requirements, Version: cur.Version}); err != nil {
				t.Fatal(err)
			}
		}
		if a := answer(); a.Status != isms.AnswerNo || !strings.HasPrefix(reasons(a), "reason.risk_no_assets") {
			t.Fatalf("nothing active: %s %s", a.Status, reasons(a))
		}
	})
}

func TestRiskImportChecksEveryRowFirst(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		cols := func(fields ...string) []isms.RiskSheetColumn {
			var out []isms.RiskSheetColumn
			for i, f := range fields {
				out = append(out, isms.RiskSheetColumn{Field: f, Header: "H-" + f, Letter: string(rune('A' + i))})
			}
			return out
		}
		sheet := &isms.RiskSheet{Filename: "register.xlsx", HeaderRow: 1,
			Columns: cols("asset", "threat", "likelihood", "consequence", "treatment", "owner", "deadline", "residual_likelihood", "residual_consequence", "planned_controls", "existing_controls"),
			Rows: []isms.RiskSheetRow{
				{Row: 2, Cells: map[string]string{"asset": "esdh", "threat": "Ransomware (encryption and extortion)", "likelihood": "3", "consequence": "4",
					"treatment": "Reducér", "owner": "COORD@risk.example", "deadline": "01.06.2026", "residual_likelihood": "1", "residual_consequence": "4",
					"planned_controls": "A.8.7, 8.13", "existing_controls": "Antivirus på klienter; A.12.3.1"}},
				{Row: 3, Cells: map[string]string{"asset": "Helbredsoplysninger", "threat": "phishing", "likelihood": "Sandsynligt", "consequence": "2"}},
			}}
		pv, err := db.PreviewRiskSheet(as(w.coord), w.org.ID, sheet, isms.RiskImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !pv.Valid || len(pv.Rows) != 2 || pv.Assessments != 2 || pv.Rows[0].Residual.Score != 4 || pv.Rows[1].Likelihood != 3 {
			t.Fatalf("valid preview: %+v", pv)
		}
		// Bad rows: every problem named by row and column, nothing stored.
		bad := *sheet
		bad.Rows = append(append([]isms.RiskSheetRow{}, sheet.Rows...),
			isms.RiskSheetRow{Row: 4, Cells: map[string]string{"asset": "Ukendt system", "threat": "phishing", "likelihood": "9", "consequence": "2"}},
			isms.RiskSheetRow{Row: 5, Cells: map[string]string{"asset": "ESDH", "threat": "Meteor", "likelihood": "2", "consequence": "2",
				"owner": "nobody@example.org", "deadline": "snart", "planned_controls": "A.99.1"}},
			isms.RiskSheetRow{Row: 6, Cells: map[string]string{"asset": "ESDH", "threat": "ransomware", "likelihood": "2", "consequence": "2"}},
			isms.RiskSheetRow{Row: 7, Cells: map[string]string{"asset": "ESDH", "threat": "fire", "likelihood": "2", "consequence": "2", "treatment": "mitigate"}},
		)
		before := riskRows(t, db, "risks")
		pv, err = db.PreviewRiskSheet(as(w.coord), w.org.ID, &bad, isms.RiskImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"4 A · H-asset": true, "4 C · H-likelihood": true, "5 B · H-threat": true,
			"5 G · H-deadline": true, "5 J · H-planned_controls": true, "6 B · H-threat": true}
		for _, p := range pv.Problems {
			delete(want, fmt.Sprintf("%d %s", p.Row, p.Column))
		}
		if pv.Valid || len(want) > 0 {
			t.Fatalf("problems not named: %v in %+v", want, pv.Problems)
		}
		// An owner no member matches is a warning: the row would be
		// imported without one.
		// A treatment without what it needs is imported as incomplete.
		warned := map[string]bool{}
		for _, w := range pv.Warnings {
			warned[fmt.Sprintf("%d %s %s", w.Row, w.Column, w.Message.Key)] = true
		}
		if len(pv.Warnings) != 4 || !warned["5 F · H-owner imp.err.person_unknown"] || !warned["7 F · H-owner imp.warn.incomplete_owner"] ||
			!warned["7 J · H-planned_controls imp.warn.incomplete_controls"] || !pv.Rows[5].Incomplete {
			t.Fatalf("warnings: %+v", pv.Warnings)
		}
		_, err = db.ImportRiskSheet(as(w.coord), w.org.ID, &bad, isms.RiskImportOptions{})
		wantCode(t, err, isms.EInvalid)
		if after := riskRows(t, db, "risks"); after != before {
			t.Fatalf("a refused import stored something: %s → %s", before, after)
		}
		// Staged, then imported in one go by a coordinator only.
		_, err = db.StageRiskImport(as(w.contrib), w.org.ID, sheet)
		wantCode(t, err, isms.EForbidden)
		staged, err := db.StageRiskImport(as(w.coord), w.org.ID, sheet)
		if err != nil || staged.ID == 0 || !staged.Valid {
			t.Fatalf("staged: %+v %v", staged, err)
		}
		_, err = db.StagedRiskImport(as(w.outsider), w.org.ID, staged.ID, isms.RiskImportOptions{})
		wantCode(t, err, isms.ENotFound)
		res, err := db.ImportStagedRisks(as(w.coord), w.org.ID, staged.ID, isms.RiskImportOptions{})
		if err != nil || res.Risks != 2 || res.Assessments != 2 {
			t.Fatalf("import: %+v %v", res, err)
		}
		_, err = db.ImportStagedRisks(as(w.coord), w.org.ID, staged.ID, isms.RiskImportOptions{})
		wantCode(t, err, isms.EConflict)
		r, err := db.Risk(as(w.reader), w.org.ID, res.RiskIDs[0])
		if err != nil || r.Treatment != isms.TreatmentMitigate || r.OwnerID == nil || *r.OwnerID != w.coord.ID || len(r.PlannedControls) != 2 ||
			len(r.ExistingControls) == 0 || r.ExistingControlsText != "Antivirus på klienter" || r.Deadline.String() != "2026-06-01" {
			t.Fatalf("imported risk: %+v %v", r, err)
		}
		ra, _ := db.RiskAssessment(as(w.reader), w.org.ID, r.AssessmentID)
		if !ra.Current(isms.DateOf(w.now)) {
			t.Fatalf("the import's assessment: %+v", ra)
		}
		// The same file again changes nothing: its risks are in the
		// register, matched by title, asset and threat.
		pv, _ = db.PreviewRiskSheet(as(w.coord), w.org.ID, sheet, isms.RiskImportOptions{})
		if !pv.Valid || pv.Skipped != 2 || pv.Created != 0 {
			t.Fatalf("a second import of the same rows: %+v", pv)
		}
	})
}
