package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/sqlstore"
)

// rimpMoreFixture is an organisation whose contributor holds the security
// role "IT-chef", as registers name owners.
func rimpMoreFixture(t *testing.T, db *rawDB, name string) *leadFixture {
	t.Helper()
	f := newLeadFixture(t, db.DB, name)
	db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	if _, err := db.CreateSecurityRole(as(f.coord), f.org.ID, isms.SecurityRoleInput{Name: "IT-chef", HolderIDs: []int64{f.contrib.ID}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// rimpStrict imports a file with refused rows: nothing is stored unless
// the refused rows are skipped, and the refusal names every bad row.
func rimpStrict(t *testing.T, db *rawDB, u *isms.User, orgID int64, s *isms.RegisterSheet, tables []string, refused int) *isms.RegisterImportPreview {
	t.Helper()
	leadUnchanged(t, db, orgID, tables, func() error {
		_, err := db.ImportRegister(as(u), orgID, s, isms.RegisterImportOptions{})
		if e := isms.AsError(err); e == nil || e.Key != "rimp.err.refused_rows" || len(e.Fields) < refused || !strings.HasPrefix(e.Fields[0].Field, "row ") {
			t.Fatalf("strict import: %v", err)
		}
		return err
	}, func(err error) { wantCode(t, err, isms.EInvalid) })
	pv, err := db.ImportRegister(as(u), orgID, s, isms.RegisterImportOptions{SkipRefused: true})
	if err != nil {
		t.Fatal(err)
	}
	if !pv.Imported || pv.Refused != refused {
		t.Fatalf("imported %v", rimpOutcomes(pv))
	}
	return pv
}

func rimpWarnings(r isms.RegisterImportRow) string {
	var keys []string
	for _, m := range r.Warnings {
		keys = append(keys, m.Key)
	}
	return strings.Join(keys, " ")
}

// The asset list: supporting assets created with owners found by e-mail
// and by security role title, an unknown owner left unassigned with a
// warning, a primary asset given only what risk management adds, and the
// rows that cannot be stored named; the same file again changes nothing.
func TestImportAssetList(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := rimpMoreFixture(t, db, "imp")
		s := rimpSheet(t, isms.ImportAssets, "aktiver.csv")
		pv, err := db.PreviewRegisterSheet(as(f.coord), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, pv, "4 created", "5 created", "6 created !imp.err.person_unknown", "7 updated", "8 refused rimp.err.asset_primary_new@kind", "9 refused rimp.err.level@criticality")
		if rimpWarnings(pv.Rows[2]) != "imp.err.person_unknown" || strings.Join(pv.Rows[3].Changes, ",") != "owner,criticality" {
			t.Fatalf("warnings %q changes %q", rimpWarnings(pv.Rows[2]), pv.Rows[3].Changes)
		}
		pv = rimpStrict(t, db, f.coord, f.org.ID, s, []string{"assets", "record_links"}, 2)
		if pv.Created != 3 || pv.Updated != 1 {
			t.Fatalf("imported %v", rimpOutcomes(pv))
		}
		assets, _, err := db.Assets(as(f.coord), f.org.ID, isms.AssetFilter{Sort: "name", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]*isms.Asset{}
		for _, a := range assets {
			by[a.Name] = a
		}
		fw, pc, room, esdh := by["Firewall"], by["Bærbare pc'er"], by["Serverrum"], by["ESDH"]
		if fw == nil || fw.Kind != isms.AssetHardware || fw.OwnerID == nil || *fw.OwnerID != f.contrib.ID || fw.Criticality != 3 ||
			fw.Needs.Confidentiality != 3 || !fw.Overridden.Confidentiality || fw.Description != "Perimeterfirewall ved rådhuset" {
			t.Fatalf("firewall %+v", fw)
		}
		if pc != nil {
			pc, err = db.Asset(as(f.coord), f.org.ID, pc.ID)
		}
		if err != nil || pc == nil || len(pc.Supports) != 2 || room == nil || room.OwnerID != nil || room.Kind != isms.AssetLocation {
			t.Fatalf("pc %+v room %+v", pc, room)
		}
		if esdh == nil || esdh.EntryID == nil || esdh.Criticality != 4 || esdh.OwnerID == nil || *esdh.OwnerID != f.coord.ID {
			t.Fatalf("ESDH %+v", esdh)
		}
		// Again: nothing changes.
		events := auditCount(t, db.DB, f.org.ID)
		pv, err = db.ImportRegister(as(f.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
		if err != nil || pv.Skipped != 4 || pv.Changing() != 0 {
			t.Fatalf("again %v %v", rimpOutcomes(pv), err)
		}
		if n := auditCount(t, db.DB, f.org.ID) - events; n != 1 {
			t.Fatalf("%d audit events for an import that changes nothing", n)
		}
		// A reader may not; another organisation's coordinator finds nothing.
		leadUnchanged(t, db, f.org.ID, []string{"assets"}, func() error {
			_, err := db.ImportRegister(as(f.reader), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		other := newLeadFixture(t, db.DB, "imp-other")
		leadUnchanged(t, db, f.org.ID, []string{"assets"}, func() error {
			_, err := db.ImportRegister(as(other.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		if _, err := db.StageRegisterImport(as(other.coord), f.org.ID, s); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation stages: %v", err)
		}
		wantIntactChain(t, db.DB)
	})
}

// The threat catalogue: threats created in a catalogue made with the
// import, a shipped threat skipped, a threat without group and properties
// imported with warnings; the same file again changes nothing.
func TestImportThreatCatalogue(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := rimpMoreFixture(t, db, "imp")
		s := rimpSheet(t, isms.ImportThreats, "trusler.csv")
		pv, err := db.PreviewRegisterSheet(as(f.coord), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, pv, "3 created !rimp.warn.threat_new_catalogue", "4 created", "5 created",
			"6 created !rimp.warn.threat_group !rimp.warn.threat_affects", "7 skipped !rimp.warn.threat_builtin",
			"8 refused rimp.err.threat_group rimp.err.threat_affects@group@affects")
		if w := rimpWarnings(pv.Rows[3]); w != "rimp.warn.threat_group rimp.warn.threat_affects" {
			t.Fatalf("warnings %q", w)
		}
		leadUnchanged(t, db, f.org.ID, []string{"threats", "threat_catalogues"}, func() error {
			_, err := db.ImportRegisterSheet(as(f.contrib), f.org.ID, s, "")
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		pv = rimpStrict(t, db, f.coord, f.org.ID, s, []string{"threats", "threat_catalogues"}, 1)
		if pv.Created != 4 || pv.Skipped != 1 {
			t.Fatalf("imported %v", rimpOutcomes(pv))
		}
		if n := db.int(t, "SELECT COUNT(*) FROM threat_catalogues WHERE organisation_id IS NOT NULL"); n != 1 {
			t.Fatalf("%d catalogues", n)
		}
		own, err := db.Threats(as(f.coord), f.org.ID, isms.ThreatFilter{Query: "Strømsvigt i serverrum"})
		if err != nil || len(own) != 1 {
			t.Fatalf("%v %v", own, err)
		}
		if th := own[0]; th.Group != "physical" || th.NameEN != "Server room power failure" || th.Affects != (isms.Affects{Integrity: true, Availability: true}) ||
			!slices.Equal(th.AssetKinds, []isms.AssetKind{isms.AssetLocation}) {
			t.Fatalf("threat %+v", th)
		}
		pv, err = db.ImportRegister(as(f.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
		if err != nil || pv.Skipped != 5 || pv.Changing() != 0 {
			t.Fatalf("again %v %v", rimpOutcomes(pv), err)
		}
		other := newLeadFixture(t, db.DB, "imp-other")
		leadUnchanged(t, db, f.org.ID, []string{"threats"}, func() error {
			_, err := db.ImportRegister(as(other.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		wantIntactChain(t, db.DB)
	})
}

// People and their roles: a member's role changed, a member made deputy
// of a security role, new addresses invited (an address with an account
// too, as the administrator is told nothing about accounts), no
// password anywhere; the same file again changes nothing. A site
// administrator's import makes an existing account a member at once.
func TestImportMembers(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := rimpMoreFixture(t, db, "imp")
		s := rimpSheet(t, isms.ImportMembers, "medarbejdere.tsv")
		pv, err := db.PreviewRegisterSheet(as(f.admin), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, pv, "2 updated", "3 updated", "4 created !rimp.warn.member_unknown_role", "5 created", "6 refused rimp.err.member_email@email")
		if strings.Join(pv.Rows[0].Changes, ",") != "role" || strings.Join(pv.Rows[1].Changes, ",") != "deputy_roles" ||
			strings.Join(pv.Rows[3].Changes, ",") != "invitation_new" ||
			rimpWarnings(pv.Rows[2]) != "rimp.warn.member_unknown_role" {
			t.Fatalf("rows %+v", pv.Rows)
		}
		leadUnchanged(t, db, f.org.ID, []string{"memberships", "invitations"}, func() error {
			_, err := db.ImportRegister(as(f.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		users := db.int(t, "SELECT COUNT(*) FROM users")
		pv = rimpStrict(t, db, f.admin, f.org.ID, s, []string{"memberships", "invitations", "security_role_people"}, 1)
		if len(pv.Invitations) != 2 || pv.Invitations[0].Token == "" || pv.Invitations[1].Invitation.Email != "outside@imp.example" {
			t.Fatalf("invitations %+v", pv.Invitations)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM users"); n != users {
			t.Fatalf("the import made %d accounts", n-users)
		}
		ms, err := db.Memberships(as(f.admin), f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.UserID == f.contrib.ID && m.Role != isms.RoleCoordinator {
				t.Fatalf("contributor's role %s", m.Role)
			}
		}
		roles, err := db.SecurityRoles(as(f.admin), f.org.ID)
		if err != nil || len(roles) != 1 || !slices.Equal(roles[0].DeputyIDs(), []int64{f.reader.ID}) || !slices.Equal(roles[0].HolderIDs(), []int64{f.contrib.ID}) {
			t.Fatalf("roles %+v %v", roles, err)
		}
		pv, err = db.ImportRegister(as(f.admin), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
		if err != nil || pv.Skipped != 4 || pv.Changing() != 0 {
			t.Fatalf("again %v %v", rimpOutcomes(pv), err)
		}
		pv, err = db.PreviewRegisterSheet(asSystem(), f.org.ID, s)
		if err != nil || pv.Rows[3].Outcome != isms.OutcomeCreated || strings.Join(pv.Rows[3].Changes, ",") != "membership" ||
			pv.Rows[2].Outcome != isms.OutcomeSkipped {
			t.Fatalf("site administrator %v %v", rimpOutcomes(pv), err)
		}
		other := newLeadFixture(t, db.DB, "imp-other")
		leadUnchanged(t, db, f.org.ID, []string{"memberships", "invitations"}, func() error {
			_, err := db.ImportRegister(as(other.admin), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		wantIntactChain(t, db.DB)
	})
}

// The business overview: several registers in one sheet made by
// LibreOffice (dates as serial numbers), and one register's sheet whose
// name column says which; new processes and information become assets.
func TestImportBusinessOverview(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := rimpMoreFixture(t, db, "imp")
		s := rimpSheet(t, isms.ImportOverview, "forretningsoverblik.xlsx")
		pv, err := db.PreviewRegisterSheet(as(f.coord), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, pv, "4 updated", "5 created", "6 created", "7 created", "8 created", "9 created !rimp.warn.entry_category",
			"10 refused rimp.err.entry_kind@kind")
		if rimpWarnings(pv.Rows[5]) != "rimp.warn.entry_category" {
			t.Fatalf("warnings %q", rimpWarnings(pv.Rows[5]))
		}
		pv = rimpStrict(t, db, f.coord, f.org.ID, s, []string{"overview_entries", "assets"}, 1)
		if pv.Created != 5 || pv.Updated != 1 {
			t.Fatalf("imported %v", rimpOutcomes(pv))
		}
		e, err := db.OverviewEntry(as(f.coord), f.org.ID, f.process.ID)
		if err != nil || e.OwnerID == nil || *e.OwnerID != f.contrib.ID || e.NextReview == nil || e.NextReview.String() != "2026-09-15" ||
			e.Requirements.Confidentiality != 3 || e.Description != "Behandling af borgernes sager" {
			t.Fatalf("entry %+v %v", e, err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM assets WHERE entry_id IS NOT NULL"); n != 4 {
			t.Fatalf("%d primary assets", n)
		}
		pv, err = db.ImportRegister(as(f.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
		if err != nil || pv.Skipped != 6 || pv.Changing() != 0 {
			t.Fatalf("again %v %v", rimpOutcomes(pv), err)
		}
		sys := rimpSheet(t, isms.ImportOverview, "systemoversigt.csv")
		pv, err = db.PreviewRegisterSheet(as(f.coord), f.org.ID, sys)
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, pv, "3 updated", "4 created", "5 refused rimp.err.date@next_review")
		// A contributor imports only what they own.
		pv, err = db.PreviewRegisterSheet(as(f.contrib), f.org.ID, sys)
		if err != nil || pv.Rows[0].Outcome != isms.OutcomeRefused || pv.Rows[1].Outcome != isms.OutcomeCreated {
			t.Fatalf("contributor %v %v", rimpOutcomes(pv), err)
		}
		other := newLeadFixture(t, db.DB, "imp-other")
		leadUnchanged(t, db, f.org.ID, []string{"overview_entries"}, func() error {
			_, err := db.ImportRegister(as(other.coord), f.org.ID, s, isms.RegisterImportOptions{SkipRefused: true})
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		wantIntactChain(t, db.DB)
	})
}

// The same preview confirmed eight times at once, from one instance or
// two, stores once; eight direct imports of one file create each record
// once.
func TestConcurrentMoreRegisterImports(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := rimpMoreFixture(t, raw, "imp")
		s := rimpSheet(t, isms.ImportAssets, "aktiver.csv")
		pv, err := raw.StageRegisterImport(as(f.coord), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		opt := isms.RegisterImportOptions{PreviewSHA256: pv.PreviewSHA256, SkipRefused: true}
		errs := together(in, 8, func(i int, db *sqlstore.DB) error {
			_, err := db.ImportStagedRegisterWith(as(f.coord), f.org.ID, isms.ImportAssets, s.SHA256, opt)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.ENotFound] != 7 {
			t.Fatalf("outcomes %v", got)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM assets WHERE entry_id IS NULL"); n != 3 {
			t.Fatalf("%d supporting assets", n)
		}
		o := rimpSheet(t, isms.ImportOverview, "forretningsoverblik.xlsx")
		results := make([]*isms.RegisterImportPreview, 8)
		errs = together(in, 8, func(i int, db *sqlstore.DB) (err error) {
			results[i], err = db.ImportRegister(as(f.coord), f.org.ID, o, isms.RegisterImportOptions{SkipRefused: true})
			return err
		})
		created := 0
		for i, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
			created += results[i].Created
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM overview_entries"); created != 5 || n != 7 {
			t.Fatalf("created %d, %d entries", created, n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// 2,000 assets and 2,000 overview entries, imported and imported again,
// timed on both databases.
func TestImportMoreRegistersAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("times a large import")
	}
	t.Parallel()
	var a, o strings.Builder
	a.WriteString("Aktiv;Type;Ejer;Kritikalitet (1-4);Fortrolighed\n")
	o.WriteString("Register;Navn;Ejer;Næste gennemgang;Fortrolighed (1-4)\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&a, "Server %d;hardware;coordinator@imp.example;%d;høj\n", i, i%4+1)
		fmt.Fprintf(&o, "%s;Post %d;IT-chef;31-12-2027;%d\n", []string{"Proces", "Information", "It-system", "Kompetence"}[i%4], i, i%4+1)
	}
	assets, err := export.ReadAssets("2000.csv", []byte(a.String()))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := export.ReadOverview("2000.csv", []byte(o.String()))
	if err != nil {
		t.Fatal(err)
	}
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := rimpMoreFixture(t, db, "imp")
		for _, s := range []*isms.RegisterSheet{assets, entries} {
			start := time.Now()
			pv, err := db.ImportRegister(as(f.coord), f.org.ID, s, isms.RegisterImportOptions{})
			first := time.Since(start)
			if err != nil || pv.Created != 2000 {
				t.Fatalf("created %v, %v", rimpOutcomes(pv), err)
			}
			start = time.Now()
			pv, err = db.ImportRegister(as(f.coord), f.org.ID, s, isms.RegisterImportOptions{})
			again := time.Since(start)
			if err != nil || pv.Skipped != 2000 {
				t.Fatalf("again %v, %v", pv, err)
			}
			t.Logf("2,000 rows of %s: imported in %v, the same file again (all skipped) in %v", s.Kind, first.Round(time.Millisecond), again.Round(time.Millisecond))
		}
	})
}
