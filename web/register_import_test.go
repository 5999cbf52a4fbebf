package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/export"
)

// rimpEnv is an organisation whose members are the owners the test files
// (export/testdata) name, a reader, and another organisation.
type rimpEnv struct {
	e                           *env
	coord, contrib, reader, out *isms.User
	otherOrg                    *isms.Organisation
}

func newRimpEnv(t *testing.T) *rimpEnv {
	e := newEnv(t)
	e.db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	r := &rimpEnv{e: e}
	r.coord = e.member("coordinator@imp.example", e.org, isms.RoleCoordinator)
	r.contrib = e.member("contributor@imp.example", e.org, isms.RoleContributor)
	r.reader = e.member("reader@imp.example", e.org, isms.RoleReader)
	r.otherOrg = mustOrgFor(t, e, "Nabokommune")
	r.out = e.member("coord@nabo.example", r.otherOrg, isms.RoleCoordinator)
	return r
}

// count is how many suppliers or incidents the organisation has.
func (r *rimpEnv) count(register string) int {
	r.e.t.Helper()
	var n int
	var err error
	if register == "suppliers" {
		_, n, err = r.e.db.Suppliers(r.e.as(r.coord), r.e.org.ID, isms.SupplierFilter{})
	} else {
		_, n, err = r.e.db.Incidents(r.e.as(r.coord), r.e.org.ID, isms.IncidentFilter{})
	}
	if err != nil {
		r.e.t.Fatal(err)
	}
	return n
}

func rimpFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../export/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The supplier list as LibreOffice saved it, through the pages as a
// coordinator meets them: the link from the register, the upload, the
// preview naming every row's outcome and every problem by row and column,
// nothing stored before the confirmation; a confirmation whose preview no
// longer holds is refused with nothing stored; the confirmation stores
// the good rows. A reader is not offered the import and may not confirm
// it; another organisation does not find the upload.
func TestSupplierImportPages(t *testing.T) {
	t.Parallel()
	r := newRimpEnv(t)
	o := fmt.Sprintf("/orgs/%d", r.e.org.ID)
	b := r.e.login("coordinator@imp.example")
	if html := body(b.get(o + "/suppliers")); !strings.Contains(html, `href="`+o+`/supplier-import"`) {
		t.Fatal("the supplier register does not link to the import")
	}
	if html := body(b.get(o + "/supplier-import")); !strings.Contains(html, "Kritikalitet") || !strings.Contains(html, "Databehandleraftale udløber") {
		t.Fatal("the upload page does not list the columns")
	}
	res := b.importUpload(o+"/supplier-import", "leverandoerliste.xlsx", rimpFile(t, "leverandoerliste.xlsx"), "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	// A file of a shape with no saved mapping goes to the mapping step
	// first, each column with its proposed field; the preview is open all
	// the same.
	mapping := res.Header.Get("Location")
	if !regexp.MustCompile(`/supplier-import/[0-9a-f]{64}/mapping$`).MatchString(mapping) {
		t.Fatalf("mapping step at %q", mapping)
	}
	if html := body(b.get(mapping)); !strings.Contains(html, `<option value="cvr" selected>`) {
		t.Error("the mapping step does not propose the CVR column")
	}
	preview := strings.TrimSuffix(mapping, "/mapping")
	html := body(b.get(preview))
	for _, want := range []string{"9 rows: 4 created, 0 updated, 0 skipped (unchanged), 5 refused.", "Store 4 rows",
		"“nobody@imp.example” is neither the e-mail, the name nor the role of a member of the organisation", "The same as row 4.", "“vital” is not a criticality",
		"“32-13-2026” is not a date", "E · Ejer (e-mail)", "contract, data processing agreement"} {
		if !strings.Contains(html, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if n := r.count("suppliers"); n != 0 {
		t.Fatalf("%d suppliers stored by the preview", n)
	}
	hash := regexp.MustCompile(`name="preview_sha256" value="([0-9a-f]{64})"`).FindStringSubmatch(html)
	if hash == nil {
		t.Fatal("no preview hash in the form")
	}
	// The reader and the other organisation.
	rb := r.e.login("reader@imp.example")
	if html := body(rb.get(o + "/suppliers")); strings.Contains(html, "/supplier-import") {
		t.Error("the reader is offered the import")
	}
	if res := rb.post(preview, url.Values{"preview_sha256": {hash[1]}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reader confirms: %d", res.StatusCode)
	}
	ob := r.e.login("coord@nabo.example")
	if res := ob.post(strings.Replace(preview, o, fmt.Sprintf("/orgs/%d", r.otherOrg.ID), 1), url.Values{"preview_sha256": {hash[1]}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other organisation confirms: %d", res.StatusCode)
	}
	if res := ob.get(preview); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other organisation opens the preview: %d", res.StatusCode)
	}
	// The register changes after the preview: the confirmation is refused.
	if _, err := r.e.db.CreateSupplier(r.e.as(r.coord), r.e.org.ID, isms.SupplierInput{Name: "Skolefoto I/S", Criticality: isms.CriticalityLow,
		OwnerID: &r.coord.ID}); err != nil {
		t.Fatal(err)
	}
	res = b.post(preview, url.Values{"preview_sha256": {hash[1]}})
	if html := body(res); res.StatusCode != http.StatusConflict || !strings.Contains(html, "The register changed since the review") ||
		!strings.Contains(html, "3 created, 1 updated") {
		t.Fatalf("stale confirmation: %d", res.StatusCode)
	}
	if n := r.count("suppliers"); n != 1 {
		t.Fatalf("%d suppliers after a stale confirmation", n)
	}
	html = body(b.get(preview))
	hash = regexp.MustCompile(`name="preview_sha256" value="([0-9a-f]{64})"`).FindStringSubmatch(html)
	res = b.post(preview, url.Values{"preview_sha256": {hash[1]}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), o+"/suppliers") {
		t.Fatalf("confirmation: %d %s", res.StatusCode, body(res))
	}
	if n := r.count("suppliers"); n != 4 {
		t.Fatalf("%d suppliers", n)
	}
	if res := b.get(preview); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the upload outlives its import: %d", res.StatusCode)
	}
	// A file that cannot be read is refused on the upload page, by its field.
	res = b.importUpload(o+"/supplier-import", "x.csv", []byte("Farve;Form\nblå;rund\n"), "")
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "No heading row") ||
		!strings.Contains(html, `aria-invalid="true"`) {
		t.Fatalf("unreadable file: %d", res.StatusCode)
	}
	// Refusing an upload stores nothing and lets it go.
	res = b.importUpload(o+"/supplier-import", "leverandoerliste-1252.csv", rimpFile(t, "leverandoerliste-1252.csv"), "")
	loc := strings.TrimSuffix(res.Header.Get("Location"), "/mapping")
	if res := b.post(loc+"/refuse", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d", res.StatusCode)
	}
	if res := b.get(loc); res.StatusCode != http.StatusNotFound || r.count("suppliers") != 4 {
		t.Fatalf("refused upload: %d", res.StatusCode)
	}
}

// The incident log through the pages, in Danish: the outcome of each row
// and the imported incidents marked on their timeline; only those who
// triage are offered it.
func TestIncidentImportPages(t *testing.T) {
	t.Parallel()
	r := newRimpEnv(t)
	o := fmt.Sprintf("/orgs/%d", r.e.org.ID)
	b := r.e.login("coordinator@imp.example")
	b.lang = "da"
	if html := body(b.get(o + "/incidents")); !strings.Contains(html, `href="`+o+`/incident-import"`) {
		t.Fatal("the incident log does not link to the import")
	}
	res := b.importUpload(o+"/incident-import", "haendelseslog.xlsx", rimpFile(t, "haendelseslog.xlsx"), "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, body(res))
	}
	preview := strings.TrimSuffix(res.Header.Get("Location"), "/mapping")
	html := body(b.get(preview))
	for _, want := range []string{"9 rækker: 3 oprettes, 0 opdateres, 0 springes over (uændret), 6 afvises.", "2025-03-12 14:30",
		"“Alienangreb” er ikke en kategori.", "importerede hændelser er vurderede hændelser"} {
		if !strings.Contains(html, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	hash := regexp.MustCompile(`name="preview_sha256" value="([0-9a-f]{64})"`).FindStringSubmatch(html)
	if res := b.post(preview, url.Values{"preview_sha256": {hash[1]}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmation: %d", res.StatusCode)
	}
	incs, _, _ := r.e.db.Incidents(r.e.as(r.coord), r.e.org.ID, isms.IncidentFilter{Sort: "detected"})
	if len(incs) != 3 {
		t.Fatalf("%d incidents", len(incs))
	}
	if html := body(b.get(fmt.Sprintf("%s/incidents/%d", o, incs[0].ID))); !strings.Contains(html, "Importeret fra filen «haendelseslog.xlsx», række 3") {
		t.Error("the incident's timeline does not say where it came from")
	}
	// A contributor may report events but not import a log.
	cb := r.e.login("contributor@imp.example")
	if html := body(cb.get(o + "/incidents")); strings.Contains(html, "/incident-import") {
		t.Error("the contributor is offered the import")
	}
	if res := cb.importUpload(o+"/incident-import", "haendelseslog.xlsx", rimpFile(t, "haendelseslog.xlsx"), ""); res.StatusCode != http.StatusForbidden {
		t.Fatalf("contributor uploads: %d", res.StatusCode)
	}
}

// The API: the file as the body, a dry run that stores nothing and
// answers every row's outcome in the risk import's shape, the import
// refused when its preview no longer holds, then stored; a second import
// of the same file changes nothing; a file whose every row is refused is
// 422 with each problem by row and column; another organisation's token
// finds nothing.
func TestRegisterImportAPI(t *testing.T) {
	t.Parallel()
	r := newRimpEnv(t)
	tok := r.e.token(r.coord)
	api := fmt.Sprintf("/api/v1/organisations/%d", r.e.org.ID)
	send := func(tok, path, file string) (*http.Response, map[string]any) {
		return r.e.apiBody(tok, "POST", path, "application/octet-stream", bytes.NewReader(rimpFile(t, file)))
	}
	res, out := send(tok, api+"/suppliers/import?dry_run=true&filename=leverandoerliste.xlsx", "leverandoerliste.xlsx")
	if res.StatusCode != 200 || out["created"] != 4.0 || out["refused"] != 5.0 || out["imported"] != false || out["valid"] != false {
		t.Fatalf("dry run: %d %v", res.StatusCode, out)
	}
	rows := out["rows"].([]any)
	row8 := rows[4].(map[string]any)
	if row8["row"] != 8.0 || row8["outcome"] != "refused" || row8["reasons"].([]any)[0] != "An active supplier needs an owner." {
		t.Fatalf("row 8: %v", row8)
	}
	problem := out["problems"].([]any)[0].(map[string]any)
	if problem["row"] != 8.0 || problem["column"] != "E · Ejer (e-mail)" || problem["field"] != "owner" {
		t.Fatalf("first problem %v", problem)
	}
	if r.count("suppliers") != 0 {
		t.Fatal("the dry run stored suppliers")
	}
	hash := out["preview_sha256"].(string)
	// Stale preview: nothing stored.
	if res, _ := send(tok, api+"/suppliers/import?preview_sha256="+strings.Repeat("a", 64), "leverandoerliste.xlsx"); res.StatusCode != http.StatusConflict || r.count("suppliers") != 0 {
		t.Fatalf("stale preview: %d", res.StatusCode)
	}
	res, out = send(tok, api+"/suppliers/import?filename=leverandoerliste.xlsx&preview_sha256="+hash, "leverandoerliste.xlsx")
	if res.StatusCode != 200 || out["imported"] != true || out["created"] != 4.0 || r.count("suppliers") != 4 {
		t.Fatalf("import: %d %v", res.StatusCode, out)
	}
	if id := out["rows"].([]any)[0].(map[string]any)["record_id"]; id == nil {
		t.Fatal("no record id for a created row")
	}
	res, out = send(tok, api+"/suppliers/import", "leverandoerliste.xlsx")
	if res.StatusCode != 200 || out["skipped"] != 4.0 || out["created"] != 0.0 || r.count("suppliers") != 4 {
		t.Fatalf("second import: %d %v", res.StatusCode, out)
	}
	// Every row refused: 422, each problem by row and column.
	res, out = r.e.apiBody(tok, "POST", api+"/incidents/import", "text/csv", strings.NewReader("Hændelse;Opdaget;Kategori;Alvorlighed\nA;31-02-2025;andet;1\nB;01-01-2025;;1\n"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out), "row 2: B · Opdaget") || !strings.Contains(fmt.Sprint(out), "row 3: C · Kategori") {
		t.Fatalf("all refused: %d %v", res.StatusCode, out)
	}
	res, out = send(tok, api+"/incidents/import?filename=haendelseslog.xlsx", "haendelseslog.xlsx")
	if res.StatusCode != 200 || out["created"] != 3.0 || r.count("incidents") != 3 {
		t.Fatalf("incident import: %d %v", res.StatusCode, out)
	}
	// Others: a contributor's incidents import and another organisation's.
	if res, _ := send(r.e.token(r.contrib), api+"/incidents/import?dry_run=1", "haendelseslog.xlsx"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("contributor: %d", res.StatusCode)
	}
	if res, _ := send(r.e.token(r.out), api+"/suppliers/import?dry_run=1", "leverandoerliste.xlsx"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("other organisation: %d", res.StatusCode)
	}
}

// walkImportPreviews stages the test files in the demo organisation and
// returns their preview pages, for the browser walk.
func walkImportPreviews(t *testing.T, e *env, d *demo.Demo) []walkPage {
	t.Helper()
	org := fmt.Sprintf("/orgs/%d", d.Org.ID)
	out := []walkPage{{org + "/supplier-import", 200}, {org + "/incident-import", 200}, {org + "/asset-import", 200},
		{org + "/threat-import", 200}, {org + "/member-import", 200}, {org + "/overview-import", 200}}
	for _, f := range []struct{ kind, file, path string }{{isms.ImportSuppliers, "leverandoerliste.xlsx", "/supplier-import/"},
		{isms.ImportIncidents, "haendelseslog.xlsx", "/incident-import/"}, {isms.ImportAssets, "aktiver.csv", "/asset-import/"},
		{isms.ImportThreats, "trusler.csv", "/threat-import/"}, {isms.ImportMembers, "medarbejdere.tsv", "/member-import/"},
		{isms.ImportOverview, "forretningsoverblik.xlsx", "/overview-import/"}} {
		s, err := export.ReadRegister(f.kind, f.file, rimpFile(t, f.file))
		if err != nil {
			t.Fatal(err)
		}
		role := isms.RoleCoordinator
		if f.kind == isms.ImportMembers {
			role = isms.RoleAdministrator
		}
		if _, err := e.db.StageRegisterImport(d.As(role), d.Org.ID, s); err != nil {
			t.Fatal(err)
		}
		out = append(out, walkPage{org + f.path + s.SHA256, 200})
	}
	return out
}

// rimpKeyFormats are the keys the import pages build: each register's
// texts by its prefix, its fields' names and help, the outcomes, and the
// default severity levels the store reads words from.
func rimpKeyFormats() map[string][]any {
	prefixes := words("rimp.sup.", "rimp.inc.", "rimp.asset.", "rimp.threat.", "rimp.member.", "rimp.overview.")
	var fields, helps []any
	for _, f := range append(isms.SupplierSheetFields, "contract", "dpa") {
		fields = append(fields, []any{"rimp.sup.", f})
	}
	for _, f := range isms.SupplierSheetFields {
		helps = append(helps, []any{"rimp.sup.", f})
	}
	for _, f := range isms.IncidentSheetFields {
		fields = append(fields, []any{"rimp.inc.", f})
		helps = append(helps, []any{"rimp.inc.", f})
	}
	more := map[string][]string{"rimp.asset.": isms.AssetSheetFields, "rimp.threat.": isms.ThreatSheetFields,
		"rimp.member.":   append(slices.Clone(isms.MemberSheetFields), "membership", "invitation_new", "invitation_pending"),
		"rimp.overview.": isms.OverviewSheetFields}
	for p, fs := range more {
		for _, f := range fs {
			fields = append(fields, []any{p, f})
			if !strings.HasPrefix(f, "invitation") && f != "membership" {
				helps = append(helps, []any{p, f})
			}
		}
	}
	return map[string][]any{
		"%sintro": prefixes, "%smatching": prefixes, "%seditors_only": prefixes, "%sname": prefixes, "%sdetail": prefixes,
		"%s%s": fields, "%s%s.help": helps, "rimp.inc.%s": words(isms.IncidentSheetFields...),
		"rimp.outcome.%s": each([]isms.ImportOutcome{isms.OutcomeCreated, isms.OutcomeUpdated, isms.OutcomeSkipped, isms.OutcomeRefused}),
		"inc.severity.%s": words("1", "2", "3", "4"),
	}
}
