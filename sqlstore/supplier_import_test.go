package sqlstore_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/sqlstore"
)

var rimpSupTables = []string{"suppliers", "supplier_agreements", "register_import_uploads"}

func rimpSheet(t testing.TB, kind, file string) *isms.RegisterSheet {
	t.Helper()
	data, err := os.ReadFile("../export/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := export.ReadRegister(kind, file, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rimpOutcomes writes each row's outcome and its reasons' keys, e.g.
// "4 created", "8 refused sup.err.owner_required !imp.err.person_unknown@owner".
func rimpOutcomes(pv *isms.RegisterImportPreview) []string {
	var out []string
	for _, r := range pv.Rows {
		s := fmt.Sprintf("%d %s", r.Row, r.Outcome)
		for _, m := range r.Reasons {
			s += " " + m.Key
		}
		for _, m := range r.Warnings {
			s += " !" + m.Key
		}
		for _, p := range pv.Problems {
			if p.Row == r.Row {
				s += "@" + p.Field
			}
		}
		out = append(out, s)
	}
	return out
}

func rimpWant(t *testing.T, pv *isms.RegisterImportPreview, want ...string) {
	t.Helper()
	if got := rimpOutcomes(pv); !slices.Equal(got, want) {
		t.Fatalf("outcomes\n got %q\nwant %q", got, want)
	}
}

// The supplier list made by LibreOffice: every row's outcome before
// anything is stored; the confirmation refused when the preview named
// other outcomes, and storing the good rows with their agreements and
// audit events in one transaction when it names them; the same file again
// changes nothing, and a changed register shows as an update.
func TestImportSupplierList(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "imp")
		db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
		ctx := as(f.coord)
		s := rimpSheet(t, isms.ImportSuppliers, "leverandoerliste.xlsx")
		refusedRows := []string{"8 refused sup.err.owner_required !imp.err.person_unknown@owner", "9 refused sup.err.cvr@cvr", "10 refused rimp.err.duplicate_row@name",
			"11 refused err.required@criticality", "12 refused rimp.err.sup_criticality rimp.err.date@criticality@contract_end"}
		var pv *isms.RegisterImportPreview
		leadUnchanged(t, db, f.org.ID, rimpSupTables, func() (err error) {
			pv, err = db.PreviewRegisterSheet(ctx, f.org.ID, s)
			return err
		}, func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		})
		rimpWant(t, pv, append([]string{"4 created", "5 created", "6 created", "7 created"}, refusedRows...)...)
		if pv.Created != 4 || pv.Refused != 5 || strings.Join(pv.Rows[0].Changes, ",") != "contract,dpa" || pv.Rows[8].Problems != 2 {
			t.Fatalf("preview %+v", pv)
		}
		if p := pv.Problems[0]; p.Row != 8 || p.Column != "E · Ejer (e-mail)" {
			t.Fatalf("first problem %+v", p)
		}

		// Staged, then confirmed with another preview's hash: nothing.
		staged, err := db.StageRegisterImport(ctx, f.org.ID, s)
		if err != nil || staged.PreviewSHA256 != pv.PreviewSHA256 {
			t.Fatalf("staged %v %v", staged, err)
		}
		leadUnchanged(t, db, f.org.ID, []string{"suppliers", "supplier_agreements"}, func() error {
			_, err := db.ImportStagedRegister(ctx, f.org.ID, isms.ImportSuppliers, s.SHA256, strings.Repeat("0", 64))
			return err
		}, func(err error) { wantCode(t, err, isms.EConflict) })
		// A reader sees neither the preview nor the import; another
		// organisation's coordinator does not find the upload.
		if _, err := db.StagedRegisterImport(as(f.reader), f.org.ID, isms.ImportSuppliers, s.SHA256); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader previews: %v", err)
		}
		other := newLeadFixture(t, db.DB, "imp-other")
		if _, err := db.ImportStagedRegister(as(other.coord), f.org.ID, isms.ImportSuppliers, s.SHA256, pv.PreviewSHA256); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation imports: %v", err)
		}
		if _, err := db.StagedRegisterImport(as(other.coord), other.org.ID, isms.ImportSuppliers, s.SHA256); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("other organisation sees the upload: %v", err)
		}

		events := auditCount(t, db.DB, f.org.ID)
		done, err := db.ImportStagedRegister(ctx, f.org.ID, isms.ImportSuppliers, s.SHA256, pv.PreviewSHA256)
		if err != nil {
			t.Fatal(err)
		}
		if !done.Imported || done.Created != 4 || done.Rows[0].RecordID == nil {
			t.Fatalf("imported %+v", done)
		}
		// 4 suppliers, 3 agreements, and the import itself.
		if n := auditCount(t, db.DB, f.org.ID) - events; n != 8 {
			t.Fatalf("%d audit events", n)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM register_import_uploads"); n != 0 {
			t.Fatalf("%d uploads left", n)
		}
		sups, _, err := db.Suppliers(ctx, f.org.ID, isms.SupplierFilter{Sort: "name"})
		if err != nil || len(sups) != 4 {
			t.Fatalf("%d suppliers %v", len(sups), err)
		}
		byName := map[string]*isms.Supplier{}
		for _, x := range sups {
			byName[x.Name] = x
		}
		nord, lon, foto := byName["Nordhavn Hosting A/S"], byName["Lønservice Øst ApS"], byName["Skolefoto I/S"]
		if nord == nil || nord.CVR != "10000009" || nord.Criticality != isms.CriticalityCritical || *nord.OwnerID != f.coord.ID ||
			nord.Contact != "drift@nordhavn.example" || lon == nil || *lon.OwnerID != f.contrib.ID || lon.Criticality != isms.CriticalityHigh ||
			foto == nil || foto.Status != isms.SupplierEnded || foto.Criticality != isms.CriticalityMedium {
			t.Fatalf("suppliers %+v %+v %+v", nord, lon, foto)
		}
		ags, err := db.SupplierAgreements(ctx, f.org.ID, nord.ID)
		if err != nil || len(ags) != 2 || ags[0].EndsOn.String() != "2026-12-31" {
			t.Fatalf("agreements %+v %v", ags, err)
		}

		// The same file again: nothing new, nothing changed.
		again, err := db.ImportRegisterSheet(ctx, f.org.ID, s, "")
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, again, append([]string{"4 skipped", "5 skipped", "6 skipped", "7 skipped"}, refusedRows...)...)
		if n := db.int(t, "SELECT COUNT(*) FROM suppliers"); n != 4+0 {
			t.Fatalf("%d suppliers after the second import", n)
		}
		// A supplier changed in the register: the file puts it back.
		in := isms.SupplierInput{Name: lon.Name, CVR: lon.CVR, Delivers: lon.Delivers, Criticality: isms.CriticalityLow, Status: lon.Status,
			OwnerID: lon.OwnerID, Version: lon.Version}
		if _, err := db.UpdateSupplier(ctx, f.org.ID, lon.ID, in); err != nil {
			t.Fatal(err)
		}
		pv2, err := db.PreviewRegisterSheet(ctx, f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		if r := pv2.Rows[1]; r.Outcome != isms.OutcomeUpdated || strings.Join(r.Changes, ",") != "criticality" || *r.RecordID != lon.ID {
			t.Fatalf("changed supplier's row %+v", r)
		}
		if pv2.PreviewSHA256 == again.PreviewSHA256 {
			t.Fatal("the preview's hash did not change with the outcomes")
		}
		if _, err := db.ImportRegisterSheet(ctx, f.org.ID, s, pv2.PreviewSHA256); err != nil {
			t.Fatal(err)
		}
		if x, _ := db.Supplier(ctx, f.org.ID, lon.ID); x.Criticality != isms.CriticalityHigh || x.Version != lon.Version+2 {
			t.Fatalf("updated supplier %+v", x)
		}

		// A Windows-1252 file with English headings, owners by name.
		res, err := db.ImportRegisterSheet(ctx, f.org.ID, rimpSheet(t, isms.ImportSuppliers, "leverandoerliste-1252.csv"), "")
		if err != nil {
			t.Fatal(err)
		}
		rimpWant(t, res, "3 created", "4 created")
		if sups, _, _ := db.Suppliers(ctx, f.org.ID, isms.SupplierFilter{Query: "Printservice"}); len(sups) != 1 || sups[0].Name != "Århus Printservice ApS" {
			t.Fatalf("Århus: %+v", sups)
		}
	})
}

// Who may: a contributor imports only the suppliers they own (the rows of
// others' are refused, by the owner column), a reader nothing; the file's
// rows are checked against the importing organisation's members only.
func TestImportSupplierListRoles(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "imp")
		s := rimpSheet(t, isms.ImportSuppliers, "leverandoerliste.csv")
		pv, err := db.ImportRegisterSheet(as(f.contrib), f.org.ID, s, "")
		if err != nil {
			t.Fatal(err)
		}
		if pv.Created != 1 || pv.Rows[1].Outcome != isms.OutcomeCreated || pv.Rows[0].Reasons[0].Key != "err.forbidden_not_owner" {
			t.Fatalf("contributor's import %v", rimpOutcomes(pv))
		}
		leadUnchanged(t, db, f.org.ID, rimpSupTables, func() error {
			_, err := db.ImportRegisterSheet(as(f.reader), f.org.ID, s, "")
			return err
		}, func(err error) { wantCode(t, err, isms.EForbidden) })
		other := newLeadFixture(t, db.DB, "imp-other")
		leadUnchanged(t, db, f.org.ID, rimpSupTables, func() error {
			_, err := db.ImportRegisterSheet(as(other.coord), f.org.ID, s, "")
			return err
		}, func(err error) { wantCode(t, err, isms.ENotFound) })
		// In the other organisation the file's owners are no members:
		// each is a warning, and only the ended supplier, which needs no
		// owner, could be stored.
		pv, err = db.PreviewRegisterSheet(as(other.coord), other.org.ID, s)
		if err != nil || pv.Changing() != 1 || len(pv.Warnings) < 5 {
			t.Fatalf("other organisation %v %v", rimpOutcomes(pv), err)
		}
		// A cell holding a NUL character cannot be stored: its row is
		// refused by that column.
		nul, err := export.ReadSuppliers("nul.csv", []byte("Navn;CVR-nr.;Kritikalitet;Ejer\nNul\x00A/S;;lav;coordinator@imp.example\n"))
		if err != nil {
			t.Fatal(err)
		}
		if pv, err := db.PreviewRegisterSheet(as(f.coord), f.org.ID, nul); err != nil || strings.Join(rimpOutcomes(pv), "|") != "2 refused err.nul_character@name" {
			t.Fatalf("NUL: %v %v", rimpOutcomes(pv), err)
		}
		// Every row refused: the import says so and stores nothing.
		refused, err := export.ReadSuppliers("refused.csv", []byte("Navn;CVR-nr.;Kritikalitet;Ejer\nA A/S;;vital;\nB A/S;;lav;nobody@imp.example\n"))
		if err != nil {
			t.Fatal(err)
		}
		leadUnchanged(t, db, other.org.ID, rimpSupTables, func() error {
			_, err := db.ImportRegisterSheet(as(other.coord), other.org.ID, refused, "")
			return err
		}, func(err error) { wantCode(t, err, isms.EInvalid) })
	})
}

// Two people import the same file at once, from one or two instances:
// the suppliers are created once, and the other import finds them.
func TestConcurrentSupplierImportsCreateOnce(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "imp")
		s := rimpSheet(t, isms.ImportSuppliers, "leverandoerliste.xlsx")
		results := make([]*isms.RegisterImportPreview, 8)
		errs := together(in, 8, func(i int, db *sqlstore.DB) (err error) {
			results[i], err = db.ImportRegisterSheet(as(f.coord), f.org.ID, s, "")
			return err
		})
		created, skipped := 0, 0
		for i, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
			created += results[i].Created
			skipped += results[i].Skipped
		}
		if created != 4 || skipped != 7*4 {
			t.Fatalf("created %d, skipped %d", created, skipped)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM suppliers"); n != 4 {
			t.Fatalf("%d suppliers", n)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM supplier_agreements"); n != 3 {
			t.Fatalf("%d agreements", n)
		}
		wantIntactChain(t, raw.DB)
	})
}

// 2,000 suppliers, imported and imported again, timed on both databases.
func TestImportSupplierListAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("times a large import")
	}
	t.Parallel()
	var b strings.Builder
	b.WriteString("Leverandør;CVR-nr.;Leverer;Kritikalitet;Ejer;Kontrakt udløber\n")
	n := 0
	for base := 10000000; n < 2000; base += 10 {
		cvr := rimpValidCVR(base)
		if cvr == "" {
			continue
		}
		fmt.Fprintf(&b, "Leverandør %d A/S;%s;Ydelse %d;%s;coordinator@imp.example;31-12-2027\n", n, cvr, n, []string{"lav", "middel", "høj", "kritisk"}[n%4])
		n++
	}
	s, err := export.ReadSuppliers("2000.csv", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "imp")
		start := time.Now()
		pv, err := db.ImportRegisterSheet(as(f.coord), f.org.ID, s, "")
		first := time.Since(start)
		if err != nil || pv.Created != 2000 {
			t.Fatalf("created %v, %v", pv, err)
		}
		start = time.Now()
		pv, err = db.ImportRegisterSheet(as(f.coord), f.org.ID, s, "")
		again := time.Since(start)
		if err != nil || pv.Skipped != 2000 {
			t.Fatalf("again %v, %v", pv, err)
		}
		t.Logf("2,000 suppliers with a contract each: imported in %v, the same file again (all skipped) in %v", first.Round(time.Millisecond), again.Round(time.Millisecond))
	})
}

// rimpValidCVR is the CVR number in base's ten that passes the check, if any.
func rimpValidCVR(base int) string {
	w := []int{2, 7, 6, 5, 4, 3, 2, 1}
	for last := 0; last < 10; last++ {
		s := fmt.Sprint(base/10*10 + last)
		sum := 0
		for i, r := range s {
			sum += int(r-'0') * w[i]
		}
		if sum%11 == 0 {
			return s
		}
	}
	return ""
}

// One staged upload confirmed by several people at once: it is imported
// once; the other confirmations find it gone.
func TestConcurrentConfirmationsImportOnce(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "imp")
		s := rimpSheet(t, isms.ImportSuppliers, "leverandoerliste.xlsx")
		pv, err := raw.StageRegisterImport(as(f.coord), f.org.ID, s)
		if err != nil {
			t.Fatal(err)
		}
		errs := together(in, 8, func(i int, db *sqlstore.DB) error {
			_, err := db.ImportStagedRegister(as(f.coord), f.org.ID, isms.ImportSuppliers, s.SHA256, pv.PreviewSHA256)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.ENotFound] != 7 {
			t.Fatalf("outcomes %v", got)
		}
		if n := raw.int(t, "SELECT COUNT(*) FROM suppliers"); n != 4 {
			t.Fatalf("%d suppliers", n)
		}
		wantIntactChain(t, raw.DB)
	})
}
