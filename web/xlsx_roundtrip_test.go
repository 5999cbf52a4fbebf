package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
	"github.com/ismsdk/isms/web"
)

// What a register's XLSX export writes, its import reads back unchanged:
// for each register that imports, records are exported (in Danish and in
// English), and the file goes through the real import path, the API.
//
//   - Into the same organisation: the preview stores nothing and says of
//     every row that it is already recorded as it is (skipped, existing).
//   - Into a second organisation with the same people, units, activities
//     and assets: every row is created, and the records created compare
//     equal, field by field, with the records exported.
//
// Both on SQLite and PostgreSQL.

// roundTrip is an organisation pair for the round trips: the first holds
// the records, the second the same people and nothing else.
type roundTrip struct {
	e          *env
	a, b       *isms.Organisation
	coord      *isms.User
	owner      *isms.User
	tokA, tokB string
}

func newRoundTrip(t *testing.T, db *sqlstore.DB) *roundTrip {
	t.Helper()
	db.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	e := newEnvOn(t, db, web.Config{})
	rt := &roundTrip{e: e, a: e.org, b: mustOrgFor(t, e, "Nabokommune")}
	rt.coord = e.member("coord@rt.example", rt.a, isms.RoleCoordinator)
	rt.owner = e.member("bente@rt.example", rt.a, isms.RoleContributor)
	for _, m := range []isms.MembershipInput{{Email: "coord@rt.example", Role: isms.RoleCoordinator}, {Email: "bente@rt.example", Role: isms.RoleContributor}} {
		if _, err := db.AddMembership(e.as(e.admin), rt.b.ID, m); err != nil {
			t.Fatal(err)
		}
	}
	rt.tokA, rt.tokB = e.token(rt.coord), e.token(rt.coord)
	return rt
}

// export downloads an organisation's export in a language.
func (rt *roundTrip) export(t *testing.T, org *isms.Organisation, path, lang string) []byte {
	t.Helper()
	b := rt.e.login("coord@rt.example")
	b.lang = lang
	res := b.get(fmt.Sprintf("/orgs/%d%s", org.ID, path))
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, res.StatusCode, data)
	}
	return data
}

// importFile sends a file to an import of the API, the file as the body.
func (rt *roundTrip) importFile(t *testing.T, org *isms.Organisation, what string, data []byte, dryRun bool) (int, map[string]any) {
	t.Helper()
	q := "?filename=export.xlsx"
	if dryRun {
		q += "&dry_run=true"
	}
	res, out := rt.e.apiBody(rt.tokA, "POST", fmt.Sprintf("/api/v1/organisations/%d/%s/import%s", org.ID, what, q),
		"application/octet-stream", bytes.NewReader(data))
	return res.StatusCode, out
}

// importForm sends a file as the participation import takes it.
func (rt *roundTrip) importForm(t *testing.T, org *isms.Organisation, data []byte, dryRun bool) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("import_file", "export.xlsx")
	fw.Write(data)
	w.Close()
	q := ""
	if dryRun {
		q = "?dry_run=1"
	}
	res, out := rt.e.apiBody(rt.tokA, "POST", fmt.Sprintf("/api/v1/organisations/%d/participations/import%s", org.ID, q), w.FormDataContentType(), &buf)
	return res.StatusCode, out
}

func day(y int, m time.Month, d int) *isms.Date {
	x := isms.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	return &x
}

func TestXLSXRoundTripSuppliers(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		rt := newRoundTrip(t, db)
		ctx := rt.e.as(rt.coord)
		sups := []isms.SupplierInput{
			{Name: "Dokumentsystemer A/S", CVR: "12345674", Contact: "Jens Jensen\njens@dok.example", Delivers: "ESDH-system og drift",
				Criticality: isms.CriticalityCritical, Status: isms.SupplierActive, OwnerID: &rt.owner.ID, Note: "Databehandler; tilsyn årligt"},
			{Name: "Rengøring Øst ApS", Delivers: "Rengøring af rådhuset", Criticality: isms.CriticalityLow, Status: isms.SupplierEnded},
			{Name: "Net & Tele", Contact: "support@net.example", Delivers: "Fibernet", Criticality: isms.CriticalityMedium, Status: isms.SupplierActive,
				OwnerID: &rt.coord.ID},
		}
		for i, in := range sups {
			s, err := db.CreateSupplier(ctx, rt.a.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				for _, ag := range []isms.SupplierAgreementInput{{Kind: isms.AgreementContract, Title: "Kontrakt 2024", EndsOn: day(2027, 6, 30)},
					{Kind: isms.AgreementContract, Title: "Kontrakt 2021", EndsOn: day(2024, 6, 30)},
					{Kind: isms.AgreementDPA, Title: "Databehandleraftale", StartsOn: day(2024, 1, 1), EndsOn: day(2026, 12, 31)}} {
					if _, err := db.AddSupplierAgreement(ctx, rt.a.ID, s.ID, ag); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		type ends struct{ contract, dpa string }
		read := func(org *isms.Organisation) (map[string]isms.SupplierInput, map[string]ends) {
			t.Helper()
			list, _, err := db.Suppliers(ctx, org.ID, isms.SupplierFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			ags, err := db.SupplierAgreements(ctx, org.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			out, last := map[string]isms.SupplierInput{}, map[string]ends{}
			for _, s := range list {
				out[s.Name] = isms.SupplierInput{Name: s.Name, CVR: s.CVR, Contact: s.Contact, Delivers: s.Delivers, Criticality: s.Criticality,
					Status: s.Status, OwnerID: s.OwnerID, Note: s.Note}
			}
			for _, a := range ags {
				e := last[a.SupplierName]
				if a.EndsOn != nil && a.Kind == isms.AgreementContract && a.EndsOn.String() > e.contract {
					e.contract = a.EndsOn.String()
				}
				if a.EndsOn != nil && a.Kind == isms.AgreementDPA && a.EndsOn.String() > e.dpa {
					e.dpa = a.EndsOn.String()
				}
				last[a.SupplierName] = e
			}
			return out, last
		}
		want, wantEnds := read(rt.a)
		for _, lang := range []string{"da", "en"} {
			data := rt.export(t, rt.a, "/suppliers/export.xlsx", lang)
			code, out := rt.importFile(t, rt.a, "suppliers", data, true)
			if code != 200 || out["created"] != 0.0 || out["updated"] != 0.0 || out["refused"] != 0.0 || out["skipped"] != 3.0 {
				t.Fatalf("%s: re-import into the same organisation: %d %v", lang, code, out)
			}
		}
		data := rt.export(t, rt.a, "/suppliers/export.xlsx", "da")
		if code, out := rt.importFile(t, rt.b, "suppliers", data, false); code != 200 || out["created"] != 3.0 || out["refused"] != 0.0 {
			t.Fatalf("import into another organisation: %d %v", code, out)
		}
		got, gotEnds := read(rt.b)
		for name, w := range want {
			g := got[name]
			if g.Name != w.Name || g.CVR != w.CVR || g.Contact != w.Contact || g.Delivers != w.Delivers || g.Criticality != w.Criticality ||
				g.Status != w.Status || !sameID(g.OwnerID, w.OwnerID) || g.Note != w.Note {
				t.Errorf("%s read back as %+v, exported %+v", name, g, w)
			}
			if gotEnds[name] != wantEnds[name] {
				t.Errorf("%s: agreements end %+v, exported %+v", name, gotEnds[name], wantEnds[name])
			}
		}
	})
}

func sameID(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func TestXLSXRoundTripIncidents(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		rt := newRoundTrip(t, db)
		ctx := rt.e.as(rt.coord)
		// One detected in winter and one in summer time: the file's times
		// are Danish time, whatever the offset.
		for _, x := range []struct {
			title, desc, loc string
			at               time.Time
			triage           isms.IncidentTriageInput
			status           isms.IncidentStatus
			lessons          string
		}{
			{"Phishing-mail til Borgerservice", "Tre medarbejdere klikkede;\nén indtastede kodeord", "Borgerservice", time.Date(2026, 2, 20, 13, 35, 0, 0, time.UTC),
				isms.IncidentTriageInput{Incident: true, Category: "phishing", Severity: 3, OwnerID: &rt.owner.ID, PersonalData: true}, isms.IncidentInvestigating, ""},
			{"Bortkommet bærbar", "", "Rådhuset", time.Date(2025, 7, 3, 6, 5, 0, 0, time.UTC),
				isms.IncidentTriageInput{Incident: true, Category: "device_loss", Severity: 1, NIS2Significant: true}, isms.IncidentClosed, "Kryptering virkede"},
		} {
			i, err := db.ReportEvent(ctx, rt.a.ID, isms.IncidentEventInput{Title: x.title, Description: x.desc, DetectedAt: isms.InstantOf(x.at), Location: x.loc})
			if err != nil {
				t.Fatal(err)
			}
			x.triage.Version = i.Version
			if i, err = db.TriageIncident(ctx, rt.a.ID, i.ID, x.triage); err != nil {
				t.Fatal(err)
			}
			if _, err = db.UpdateIncident(ctx, rt.a.ID, i.ID, isms.IncidentInput{Title: i.Title, Description: i.Description, DetectedAt: isms.InstantOf(i.DetectedAt),
				Location: i.Location, Status: x.status, Category: i.Category, Severity: i.Severity, OwnerID: i.OwnerID, Lessons: x.lessons,
				PersonalData: i.PersonalData, NIS2Significant: i.NIS2Significant, Version: i.Version}); err != nil {
				t.Fatal(err)
			}
		}
		read := func(org *isms.Organisation) map[string]isms.Incident {
			t.Helper()
			list, _, err := db.Incidents(ctx, org.ID, isms.IncidentFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]isms.Incident{}
			for _, i := range list {
				out[i.Title] = *i
			}
			return out
		}
		want := read(rt.a)
		for _, lang := range []string{"da", "en"} {
			data := rt.export(t, rt.a, "/incidents/export.xlsx", lang)
			code, out := rt.importFile(t, rt.a, "incidents", data, true)
			if code != 200 || out["created"] != 0.0 || out["updated"] != 0.0 || out["refused"] != 0.0 || out["skipped"] != 2.0 {
				t.Fatalf("%s: re-import into the same organisation: %d %v", lang, code, out)
			}
		}
		data := rt.export(t, rt.a, "/incidents/export.xlsx", "en")
		if code, out := rt.importFile(t, rt.b, "incidents", data, false); code != 200 || out["created"] != 2.0 || out["refused"] != 0.0 {
			t.Fatalf("import into another organisation: %d %v", code, out)
		}
		got := read(rt.b)
		for title, w := range want {
			g := got[title]
			if g.Title != w.Title || g.Description != w.Description || !g.DetectedAt.Equal(w.DetectedAt) || g.Location != w.Location ||
				g.Category != w.Category || g.Severity != w.Severity || g.Status != w.Status || !sameID(g.OwnerID, w.OwnerID) ||
				g.PersonalData != w.PersonalData || g.NIS2Significant != w.NIS2Significant || g.Lessons != w.Lessons {
				t.Errorf("%q read back as\n%+v\nexported\n%+v", title, g, w)
			}
		}
	})
}

func TestXLSXRoundTripParticipation(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		rt := newRoundTrip(t, db)
		ctx := rt.e.as(rt.coord)
		units := map[int64]map[string]int64{}
		acts := map[int64]int64{}
		for _, org := range []*isms.Organisation{rt.a, rt.b} {
			units[org.ID] = map[string]int64{}
			for _, u := range []isms.OrgUnitInput{{Name: "Borgerservice", StaffCount: 40}, {Name: "Teknik og Miljø", StaffCount: 25}} {
				x, err := db.CreateOrgUnit(ctx, org.ID, u)
				if err != nil {
					t.Fatal(err)
				}
				units[org.ID][u.Name] = x.ID
			}
			a, err := db.CreateAwarenessActivity(ctx, org.ID, isms.AwarenessActivityInput{Title: "Quiz om phishing", Themes: []string{isms.ThemePhishing},
				Channel: isms.ChannelQuiz, Target: isms.TargetAllStaff, StartsOn: day(2026, 1, 1)})
			if err != nil {
				t.Fatal(err)
			}
			acts[org.ID] = a.ID
		}
		score := 87.5
		bs := units[rt.a.ID]["Borgerservice"]
		for _, in := range []isms.ParticipationInput{
			{ActivityID: acts[rt.a.ID], Name: "Anna Østergaard", UnitID: &bs, TakenOn: day(2026, 2, 10), Score: &score},
			{ActivityID: acts[rt.a.ID], Name: "Bo Berg", TakenOn: day(2026, 2, 27)},
			{ActivityID: acts[rt.a.ID], Name: "Carl Clausen", Email: "Carl.Clausen@rt.example", TakenOn: day(2026, 2, 27), Score: fpw(100)},
			{ActivityID: acts[rt.a.ID], Email: "dorte@rt.example", TakenOn: day(2026, 2, 11), Score: fpw(0)},
		} {
			if _, err := db.CreateParticipation(ctx, rt.a.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		type part struct {
			person, email, unit, taken string
			score                      float64
		}
		read := func(org *isms.Organisation) []part {
			t.Helper()
			list, _, err := db.Participations(ctx, org.ID, isms.ParticipationFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var out []part
			for _, p := range list {
				x := part{person: p.Person, email: p.Email, unit: p.UnitName, taken: p.TakenOn.String(), score: -1}
				if p.Score != nil {
					x.score = *p.Score
				}
				out = append(out, x)
			}
			slices.SortFunc(out, func(a, b part) int {
				if a.person < b.person {
					return -1
				}
				return 1
			})
			return out
		}
		for _, lang := range []string{"da", "en"} {
			data := rt.export(t, rt.a, "/awareness/participation/export.xlsx", lang)
			code, out := rt.importForm(t, rt.a, data, true)
			if code != 200 || out["new"] != 0.0 || out["existing"] != 4.0 || len(out["problems"].([]any)) != 0 {
				t.Fatalf("%s: re-import into the same organisation: %d %v", lang, code, out)
			}
		}
		data := rt.export(t, rt.a, "/awareness/participation/export.xlsx", "da")
		if code, out := rt.importForm(t, rt.b, data, false); code != 200 || out["new"] != 4.0 {
			t.Fatalf("import into another organisation: %d %v", code, out)
		}
		if want, got := read(rt.a), read(rt.b); !slices.Equal(want, got) {
			t.Errorf("participation read back as %+v, exported %+v", got, want)
		}
	})
}

// The risk register: the asset, the threat, the levels of likelihood and
// of every consequence the method assesses (those for the organisation
// and the citizens among them), the treatment, owner, deadline, controls
// and residual levels. A second organisation's register made from the file
// exports cell for cell as the first (but for the title, the assessment
// and the risk's id).
func TestXLSXRoundTripRiskRegister(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		rt := newRoundTrip(t, db)
		ctx := rt.e.as(rt.coord)
		for _, org := range []*isms.Organisation{rt.a, rt.b} {
			if _, err := db.SaveRiskMethod(ctx, org.ID, isms.RiskMethodInput{ScaleKey: "SCALE_1_4", AcceptRule: isms.AcceptByBand, AcceptBand: "low",
				DefaultIntervalMonths: 12, Dimensions: isms.ConsequenceDimensions{Organisation: true, Citizens: true}}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateAsset(ctx, org.ID, isms.AssetInput{Kind: isms.AssetSoftware, Name: "ESDH-system", Status: isms.StatusActive}); err != nil {
				t.Fatal(err)
			}
		}
		assets, _, err := db.Assets(ctx, rt.a.ID, isms.AssetFilter{})
		if err != nil || len(assets) != 1 {
			t.Fatalf("assets: %v %v", assets, err)
		}
		as, err := db.CreateRiskAssessment(ctx, rt.a.ID, isms.RiskAssessmentInput{AssetID: &assets[0].ID, OwnerID: &rt.coord.ID})
		if err != nil {
			t.Fatal(err)
		}
		threats, _ := db.Threats(ctx, rt.a.ID, isms.ThreatFilter{})
		byKey := map[string]int64{}
		for _, th := range threats {
			byKey[th.Key] = th.ID
		}
		controls, _ := db.RiskControlOptions(ctx, rt.a.ID)
		ref := map[string]int64{}
		for _, c := range controls {
			ref[c.Ref] = c.ID
		}
		for _, in := range []isms.RiskInput{
			{ThreatID: byKey["ransomware"], Title: "Kryptering af sagsarkivet", Description: "Angreb via phishing;\nbackup offline?", Likelihood: 3,
				Consequence: isms.Consequences{Confidentiality: 2, Integrity: 3, Availability: 4, Organisation: 3, Citizens: 4}, Treatment: isms.TreatmentMitigate,
				OwnerID: &rt.owner.ID, Deadline: day(2026, 9, 30), PlannedControls: []int64{ref["8.7"], ref["8.13"]}, ExistingControls: []int64{ref["8.8"]},
				ResidualLikelihood: 2, ResidualConsequence: 3},
			{ThreatID: byKey["fire"], Title: "Brand i serverrum", Likelihood: 1, Consequence: isms.Consequences{Availability: 2}},
		} {
			in.AssessmentID = as.ID
			if _, err := db.CreateRisk(ctx, rt.a.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range []string{"da", "en"} {
			data := rt.export(t, rt.a, "/risks/export.xlsx", lang)
			code, out := rt.importFile(t, rt.a, "risks", data, true)
			checkRiskReimport(t, lang, code, out)
		}
		data := rt.export(t, rt.a, "/risks/export.xlsx", "da")
		if code, out := rt.importFile(t, rt.b, "risks", data, false); code != 200 || out["valid"] != true || out["imported"] != true {
			t.Fatalf("import into another organisation: %d %v", code, out)
		}
		want, got := riskRegisterRows(t, data), riskRegisterRows(t, rt.export(t, rt.b, "/risks/export.xlsx", "da"))
		if len(want) != 3 || len(got) != len(want) {
			t.Fatalf("rows: exported %q, read back %q", want, got)
		}
		for i := range want {
			if !slices.Equal(want[i], got[i]) {
				t.Errorf("row %d read back as\n%q\nexported\n%q", i, got[i], want[i])
			}
		}
		if export.RiskHeadingField("Konsekvens organisation") == "" {
			t.Log("the risk import does not read the consequences for the organisation and citizens: their columns are not compared")
		}
		header := riskHeader(t, data)
		if !slices.Contains(header, "Konsekvens organisation") || !slices.Contains(header, "Konsekvens borgere") ||
			!slices.Contains(header, "Konsekvens borgere – navn") || slices.Contains(header, "Konsekvens samfund") {
			t.Errorf("the header names the consequences the method assesses: %q", header)
		}
	})
}

// checkRiskReimport checks the preview of a register imported into the
// organisation it came from: no row creates or changes a risk. Where the
// preview names each row's outcome, every one is skipped (the risk is
// recorded as the row says); where it does not, each row is refused as
// already recorded and nothing is valid to store.
func checkRiskReimport(t *testing.T, lang string, code int, out map[string]any) {
	t.Helper()
	if code != 200 {
		t.Fatalf("%s: re-import into the same organisation: %d %v", lang, code, out)
	}
	rows, _ := out["rows"].([]any)
	if len(rows) != 2 {
		t.Fatalf("%s: re-import: %d rows: %v", lang, len(rows), out)
	}
	for _, r := range rows {
		row := r.(map[string]any)
		if outcome, ok := row["outcome"]; ok {
			if outcome != "skipped" && outcome != "unchanged" {
				t.Errorf("%s: row %v would be %v: %v", lang, row["row"], outcome, out)
			}
			continue
		}
		// A preview without outcomes refuses a pair of asset and threat
		// already in the register.
		if out["valid"] != false || row["problems"] != 1.0 {
			t.Errorf("%s: row %v: %v", lang, row["row"], out)
		}
	}
	for _, p := range out["problems"].([]any) {
		if m := p.(map[string]any)["message"].(string); out["valid"] == false && !bytes.Contains([]byte(m), []byte("already")) {
			t.Errorf("%s: a problem other than the risk being recorded: %v", lang, p)
		}
	}
}

// riskHeader is the register's header row.
func riskHeader(t *testing.T, data []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) < 3 {
		t.Fatalf("rows %q: %v", rows, err)
	}
	return rows[2]
}

// riskRegisterRows reads the register's sheet below its title as text,
// without the columns that differ between organisations by nature: the
// assessment (named by the import that made it) and the risk's id.
func riskRegisterRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[2:]
	drop := map[int]bool{}
	for i, h := range rows[0] {
		if h == "Risikovurdering" || h == "Id i ISMS" {
			drop[i] = true
		}
		// A further consequence is compared where the import reads its
		// column (and then its name beside it too).
		if strings.HasPrefix(h, "Konsekvens organisation") || strings.HasPrefix(h, "Konsekvens borgere") {
			base, _, _ := strings.Cut(h, " – ")
			drop[i] = export.RiskHeadingField(base) == ""
		}
	}
	var out [][]string
	for _, r := range rows {
		var keep []string
		for i, c := range r {
			if !drop[i] {
				keep = append(keep, c)
			}
		}
		out = append(out, keep)
	}
	return out
}

// An indicator's values: exported, and uploaded into another indicator
// through the value import, they are the same days, values and notes;
// uploaded into the indicator they came from, nothing is recorded twice.
// Another organisation's member cannot download them.
func TestXLSXRoundTripIndicatorValues(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		rt := newRoundTrip(t, db)
		ctx := rt.e.as(rt.coord)
		mk := func(title string) *isms.Indicator {
			ind, err := db.CreateIndicator(ctx, rt.a.ID, isms.IndicatorInput{Title: title, Unit: "dage", Direction: isms.LowerIsBetter,
				Target: fpw(14), Breach: fpw(30), Frequency: isms.MeasureMonthly, OwnerID: &rt.coord.ID, Evaluates: isms.EvaluatesControl, Control: "8.8", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			return ind
		}
		from, to := mk("Patch-tid for kritiske opdateringer"), mk("Patch-tid, kopi")
		for i, v := range []float64{21, 18.5, 31} {
			note := []string{"", "Efter ny procedure", "Leverandøren forsinket;\nopfølgning aftalt"}[i]
			if _, err := db.AddIndicatorValue(ctx, rt.a.ID, from.ID, isms.IndicatorValueInput{MeasuredOn: []*isms.Date{day(2025, 12, 28), day(2026, 1, 28), day(2026, 2, 28)}[i], Value: fpw(v), Note: note}); err != nil {
				t.Fatal(err)
			}
		}
		type val struct {
			on    string
			value float64
			note  string
		}
		read := func(id int64) []val {
			t.Helper()
			vs, err := db.IndicatorValues(ctx, rt.a.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			var out []val
			for _, v := range vs {
				out = append(out, val{v.MeasuredOn.String(), v.Value, v.Note})
			}
			return out
		}
		want := read(from.ID)
		b := rt.e.login("coord@rt.example")
		for _, lang := range []string{"en", "da"} {
			data := rt.export(t, rt.a, fmt.Sprintf("/indicators/%d/values.xlsx", from.ID), lang)
			target := to
			if lang == "da" {
				target = from
			}
			res := b.importUpload(fmt.Sprintf("/orgs/%d/indicators/%d/values/upload", rt.a.ID, target.ID), "values.xlsx", data, "")
			res.Body.Close()
			if lang == "en" && res.StatusCode != http.StatusSeeOther {
				t.Fatalf("upload into another indicator: %d", res.StatusCode)
			}
		}
		if got := read(to.ID); !slices.Equal(got, want) {
			t.Errorf("values read back as %+v, exported %+v", got, want)
		}
		if got := read(from.ID); !slices.Equal(got, want) {
			t.Errorf("the indicator's own values, uploaded again, are now %+v; were %+v", got, want)
		}
		// Another organisation's coordinator finds no such indicator.
		out := rt.e.member("coord@nabo.example", rt.b, isms.RoleCoordinator)
		ob := rt.e.login(out.Email)
		for _, p := range []string{fmt.Sprintf("/orgs/%d/indicators/%d/values.xlsx", rt.a.ID, from.ID), fmt.Sprintf("/orgs/%d/indicators/%d/values.xlsx", rt.b.ID, from.ID)} {
			if res := ob.get(p); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("another organisation downloads %s: %d", p, res.StatusCode)
			}
		}
	})
}
