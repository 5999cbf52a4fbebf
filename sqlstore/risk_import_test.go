package sqlstore_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// riskImportPeople adds the people the test registers name: Mette Hansen,
// who holds the role of IT-chef, and Søren Ærø.
func riskImportPeople(t *testing.T, db *sqlstore.DB, w *riskWorld) (mette, soren *isms.User) {
	t.Helper()
	for _, x := range []struct {
		u           **isms.User
		email, name string
	}{{&mette, "mette@risk.example", "Mette Hansen"}, {&soren, "soren@risk.example", "Søren Ærø"}} {
		u, err := db.CreateUser(asSystem(), x.email, x.name, "correct horse battery", false)
		if err != nil {
			t.Fatal(err)
		}
		mustMember(t, db, w.org, u, isms.RoleContributor)
		*x.u = u
	}
	if _, err := db.CreateSecurityRole(as(w.coord), w.org.ID, isms.SecurityRoleInput{Name: "IT-chef", Description: "Leder IT-driften",
		HolderIDs: []int64{mette.ID}}); err != nil {
		t.Fatal(err)
	}
	return mette, soren
}

func riskImportFile(t *testing.T, name string) *isms.RiskSheet {
	t.Helper()
	data, err := os.ReadFile("../export/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := export.ReadRiskSheet(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// riskImportOutcomes writes each row's outcome with its reasons' and
// warnings' keys: "6 created !imp.warn.incomplete_controls".
func riskImportOutcomes(pv *isms.RiskImportPreview) []string {
	var out []string
	for _, r := range pv.Rows {
		s := fmt.Sprintf("%d %s", r.Row, r.Outcome)
		for _, m := range r.Reasons {
			s += " " + m.Key
		}
		for _, m := range r.Warnings {
			s += " !" + m.Key
		}
		out = append(out, s)
	}
	return out
}

// A municipality's risk register as Danish Excel saves it (Windows-1252,
// semicolons, title rows, bracketed headings, decimal commas, dd-mm-yyyy,
// owners by name and role title, two scenarios for one asset and threat,
// an asset and a threat not in the register, a reduction without planned
// controls) and the same file saved as XLSX by LibreOffice: every row's
// outcome before anything is stored, the missing asset and threat only
// with the user's agreement, the values as stored, and the same file
// again changing nothing.
func TestRiskImportDanishExcelRegister(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"risikoregister-1252.csv", "risikoregister.xlsx"} {
		t.Run(file, func(t *testing.T) {
			sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
				w := newRiskWorld(t, db)
				mette, soren := riskImportPeople(t, db, w)
				s := riskImportFile(t, file)
				if s.HeaderRow != 4 || len(s.Rows) != 5 || !s.Has("key") || !s.Has("likelihood") || !s.Has("consequence") || !s.Has("owner") {
					t.Fatalf("read: header %d, %d rows, columns %+v, ignored %v", s.HeaderRow, len(s.Rows), s.Columns, s.Ignored)
				}
				ctx := as(w.coord)
				before := riskRows(t, db, "risks")
				pv, err := db.PreviewRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"5 created", "6 created", "7 created", "8 refused imp.err.asset_missing imp.err.threat_missing",
					"9 created !imp.err.person_unknown !imp.warn.incomplete_owner !imp.warn.incomplete_controls"}
				if got := riskImportOutcomes(pv); !slices.Equal(got, want) {
					t.Fatalf("outcomes\n got %q\nwant %q", got, want)
				}
				if !slices.Equal(pv.MissingAssets, []string{"Lønsystem"}) || !slices.Equal(pv.MissingThreats, []string{"Leverandørkonkurs"}) {
					t.Fatalf("missing: %v %v", pv.MissingAssets, pv.MissingThreats)
				}
				// Without agreement to create what is missing, or to skip
				// the refused row, nothing is stored.
				_, err = db.ImportRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{})
				wantCode(t, err, isms.EInvalid)
				if e := isms.AsError(err); len(e.Fields) != 2 || !strings.HasPrefix(e.Fields[0].Field, "row 8: ") {
					t.Fatalf("refusal: %+v", e)
				}
				if after := riskRows(t, db, "risks"); after != before {
					t.Fatalf("a refused import stored something: %s → %s", before, after)
				}
				res, err := db.ImportRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{CreateMissing: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.Risks != 5 || res.AssetsCreated != 1 || res.ThreatsCreated != 1 || res.Preview.Incomplete != 1 {
					t.Fatalf("import: %+v", res)
				}
				risks, n, err := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Sort: "title", Limit: 50})
				if err != nil || n != 5 {
					t.Fatalf("register: %d %v", n, err)
				}
				byTitle := map[string]*isms.Risk{}
				for _, r := range risks {
					byTitle[r.Title] = r
				}
				id := func(u *isms.User) int64 { return u.ID }
				for _, c := range []struct {
					title               string
					l, c, rl            int
					treatment           isms.Treatment
					owner               int64
					deadline            string
					planned, incomplete bool
					asset, threat       string
				}{
					{"Kryptering af sagsarkivet", 3, 4, 2, isms.TreatmentMitigate, id(mette), "2026-09-01", true, false, "ESDH", "Ransomware (kryptering og afpresning)"},
					{"Afpresning med lækkede sager", 2, 4, 1, isms.TreatmentMitigate, id(mette), "2026-10-15", true, false, "ESDH", "Ransomware (kryptering og afpresning)"},
					{"Fejlagtig videregivelse via phishing", 3, 3, 3, isms.TreatmentAccept, id(soren), "", false, false, "Helbredsoplysninger", "Phishing og social engineering"},
					{"Lønsystemet går ned hos leverandøren", 1, 2, 1, isms.TreatmentShare, id(soren), "2026-12-31", false, false, "Lønsystem", "Leverandørkonkurs"},
					{"Sletning ved en fejl", 2, 1, 2, isms.TreatmentMitigate, 0, "2026-06-01", false, true, "ESDH", "Menneskelige fejl"},
				} {
					r := byTitle[c.title]
					if r == nil {
						t.Fatalf("no risk %q in %v", c.title, byTitle)
					}
					owner := int64(0)
					if r.OwnerID != nil {
						owner = *r.OwnerID
					}
					deadline := ""
					if r.Deadline != nil {
						deadline = r.Deadline.String()
					}
					if r.Likelihood != c.l || r.Inherent.Consequence != c.c || r.Residual.Likelihood != c.rl || r.Treatment != c.treatment ||
						owner != c.owner || deadline != c.deadline || (len(r.PlannedControls) > 0) != c.planned || r.Incomplete != c.incomplete ||
						r.AssetName != c.asset || r.ThreatNameDA != c.threat {
						t.Errorf("%s: %+v", c.title, r)
					}
				}
				if _, n, _ := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{Incomplete: true}); n != 1 {
					t.Errorf("incomplete filter: %d", n)
				}
				// The same file again: matched by its key column, nothing
				// changes; and a changed cell is an update, never a copy.
				pv, err = db.PreviewRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{CreateMissing: true})
				if err != nil || pv.Skipped != 5 || pv.Created != 0 {
					t.Fatalf("again: %v %v", riskImportOutcomes(pv), err)
				}
				s.Rows[0].Cells["likelihood"] = "Meget høj"
				res, err = db.ImportRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{CreateMissing: true})
				if err != nil || res.Risks != 0 || res.Updated != 1 || res.Skipped != 4 {
					t.Fatalf("changed: %+v %v", res, err)
				}
				if _, n, _ := db.Risks(as(w.reader), w.org.ID, isms.RiskFilter{}); n != 5 {
					t.Fatalf("%d risks after the second import", n)
				}
				// Another organisation's coordinator cannot preview into
				// this one.
				_, err = db.PreviewRiskSheet(as(w.outsider), w.org.ID, s, isms.RiskImportOptions{})
				wantCode(t, err, isms.ENotFound)
			})
		})
	}
}

// A broken copy of the register: the bad rows named by the row numbers
// the file shows, and nothing stored unless the user skips them.
func TestRiskImportBrokenCopyStoresNothing(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		riskImportPeople(t, db, w)
		s := riskImportFile(t, "risikoregister-fejl-1252.csv")
		ctx := as(w.coord)
		before := riskRows(t, db, "risks")
		_, err := db.ImportRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{CreateMissing: true})
		wantCode(t, err, isms.EInvalid)
		var named []string
		for _, f := range isms.AsError(err).Fields {
			named = append(named, f.Field+" "+f.Key)
		}
		if want := []string{"row 6: E · Sandsynlighed (1-4) risk.err.import_level", "row 7: C · Trussel err.required"}; !slices.Equal(named, want) {
			t.Fatalf("named\n got %q\nwant %q", named, want)
		}
		if after := riskRows(t, db, "risks"); after != before {
			t.Fatalf("a refused import stored something: %s → %s", before, after)
		}
		res, err := db.ImportRiskSheet(ctx, w.org.ID, s, isms.RiskImportOptions{CreateMissing: true, SkipRefused: true})
		if err != nil || res.Risks != 3 || res.Refused != 2 {
			t.Fatalf("skipping refused rows: %+v %v", res, err)
		}
	})
}

// A mapping saved for a file shape is used for the next file with the
// same headings: a column the proposal ignores, and words it does not
// know. Mappings belong to their organisation.
func TestRiskImportSavedMapping(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		file := []byte("Objekt;Fare;P;Skade;Note\nESDH;Menneskelige fejl;Tit;Slem;x\n")
		s, err := export.ReadRiskSheet("r.csv", file)
		if err == nil {
			t.Fatalf("the proposal read an unknown shape: %+v", s)
		}
		// The headings as the mapping step shows them.
		headings := []string{"Objekt", "Fare", "P", "Skade", "Note"}
		in := isms.ImportMappingInput{Kind: isms.ImportRisks, Headings: headings,
			Columns: map[string]string{"objekt": "asset", "fare": "threat", "p": "likelihood", "skade": "consequence", "note": ""},
			Values:  map[string]map[string]string{"likelihood": {"tit": "3"}, "consequence": {"slem": "4"}}}
		_, err = db.SaveImportMapping(as(w.reader), w.org.ID, in)
		wantCode(t, err, isms.EForbidden)
		bad := in
		bad.Columns = map[string]string{"objekt": "asset", "fare": "asset"}
		_, err = db.SaveImportMapping(as(w.coord), w.org.ID, bad)
		wantCode(t, err, isms.EInvalid)
		m, err := db.SaveImportMapping(as(w.coord), w.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.SaveImportMapping(as(w.coord), w.org.ID, in)
		if err != nil || again.ID != m.ID || again.Version != 2 {
			t.Fatalf("saved twice: %+v %v", again, err)
		}
		found, err := db.ImportMappingForShape(as(w.coord), w.org.ID, isms.ImportRisks, isms.SheetShape(isms.ImportRisks, headings))
		if err != nil || found.ID != m.ID {
			t.Fatalf("by shape: %+v %v", found, err)
		}
		s, err = export.ReadRiskSheetMapped("r.csv", file, found)
		if err != nil {
			t.Fatal(err)
		}
		pv, err := db.PreviewRiskSheet(as(w.coord), w.org.ID, s, isms.RiskImportOptions{})
		if err != nil || pv.Created != 1 || pv.Rows[0].Likelihood != 3 || pv.Rows[0].Inherent.Consequence != 4 || pv.MappingID != m.ID {
			t.Fatalf("mapped: %+v %v", pv, err)
		}
		// Another organisation's coordinator sees none of it.
		for _, err := range []error{
			func() error { _, err := db.ImportMapping(as(w.outsider), w.org.ID, m.ID); return err }(),
			func() error { _, err := db.ImportMappings(as(w.outsider), w.org.ID); return err }(),
			db.DeleteImportMapping(as(w.outsider), w.org.ID, m.ID),
		} {
			wantCode(t, err, isms.ENotFound)
		}
		_, err = db.ImportMapping(as(w.outsider), w.other.ID, m.ID)
		wantCode(t, err, isms.ENotFound)
		if err := db.DeleteImportMapping(as(w.coord), w.org.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportMapping(as(w.coord), w.org.ID, m.ID)
		wantCode(t, err, isms.ENotFound)
	})
}

// Two confirmations of one staged upload, at once, from one or two
// instances: the register gets its risks once.
func TestRiskImportConcurrentConfirmStoresOnce(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		w := newRiskWorld(t, raw.DB)
		riskImportPeople(t, raw.DB, w)
		s := riskImportFile(t, "risikoregister-1252.csv")
		staged, err := raw.DB.StageRiskImport(as(w.coord), w.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		opt := isms.RiskImportOptions{CreateMissing: true}
		errs := together(in, 6, func(i int, db *sqlstore.DB) error {
			_, err := db.ImportStagedRisks(as(w.coord), w.org.ID, staged.ID, opt)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != 5 {
			t.Fatalf("outcomes %v (%v)", got, errs)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM risks"); n != 5 {
			t.Fatalf("%d risks", n)
		}
		// And two direct imports of the file at once: the second finds
		// the first's risks and skips them.
		errs = together(in, 4, func(i int, db *sqlstore.DB) error {
			_, err := db.ImportRiskSheet(as(w.coord), w.org.ID, s, opt)
			return err
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM risks"); n != 5 {
			t.Fatalf("%d risks after direct imports", n)
		}
		wantIntactChain(t, raw.DB)
	})
}
