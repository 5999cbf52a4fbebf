package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// orgArchive is an organisation's archive, read back for the tests: its
// rows per table.
type orgArchive struct {
	raw    []byte
	header sqlstore.OrgArchiveHeader
	rows   map[string]int
	lines  []string
}

func exportOrg(t *testing.T, db *sqlstore.DB, orgID int64) *orgArchive {
	t.Helper()
	var buf bytes.Buffer
	if err := db.ExportOrganisation(asSystem(), orgID, &buf); err != nil {
		t.Fatal(err)
	}
	a := &orgArchive{raw: buf.Bytes(), rows: map[string]int{}}
	a.lines = strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if err := json.Unmarshal([]byte(a.lines[0]), &a.header); err != nil {
		t.Fatal(err)
	}
	table := ""
	for _, l := range a.lines[1 : len(a.lines)-1] {
		if strings.HasPrefix(l, "[") {
			a.rows[table]++
			continue
		}
		var h struct{ Table string }
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatal(err)
		}
		table = h.Table
		a.rows[table] += 0
	}
	return a
}

func importOrg(t *testing.T, db *sqlstore.DB, a *orgArchive, name string) *isms.OrganisationImported {
	t.Helper()
	res, err := db.ImportOrganisation(asSystem(), bytes.NewReader(a.raw), isms.OrganisationImport{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameRows compares two archives' rows per table; the audit trail of the
// later one has the import's event more, and its people may differ by the
// import's own actor.
func sameRows(t *testing.T, want, got *orgArchive, importsBetween int) {
	t.Helper()
	var tables []string
	for n := range want.rows {
		tables = append(tables, n)
	}
	for n := range got.rows {
		if _, ok := want.rows[n]; !ok {
			tables = append(tables, n)
		}
	}
	sort.Strings(tables)
	for _, n := range tables {
		w, g := want.rows[n], got.rows[n]
		if n == "audit_events" {
			w += importsBetween
		}
		if w != g {
			t.Errorf("table %s: %d rows, want %d", n, g, w)
		}
	}
}

func demoOrg(t *testing.T, db *sqlstore.DB) *demo.Demo {
	t.Helper()
	d, err := demo.Fill(context.Background(), db, io.Discard, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// files reads every document version's file of an organisation, by
// document title and version number.
func files(t *testing.T, db *sqlstore.DB, orgID int64) map[string][]byte {
	t.Helper()
	docs, _, err := db.Documents(asSystem(), orgID, isms.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, d := range docs {
		vs, err := db.DocumentVersions(asSystem(), orgID, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.FileName == "" {
				continue
			}
			c, err := db.DocumentContent(asSystem(), orgID, d.ID, v.Number)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(c.Body)
			c.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			out[d.Title+"#"+v.FileName] = b
		}
	}
	return out
}

func risks(t *testing.T, db *sqlstore.DB, orgID int64) []string {
	t.Helper()
	rs, _, err := db.Risks(asSystem(), orgID, isms.RiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		owner := ""
		if r.OwnerID != nil {
			u, err := db.User(asSystem(), *r.OwnerID)
			if err != nil {
				t.Fatal(err)
			}
			owner = u.Email
		}
		out = append(out, r.Title+"|"+r.Description+"|"+owner)
	}
	sort.Strings(out)
	return out
}

// TestOrgArchiveMovesAnOrganisation moves the demo municipality from
// SQLite to PostgreSQL and back: every table's rows arrive, files byte for
// byte, people by e-mail, and both installations' audit chains verify.
func TestOrgArchiveMovesAnOrganisation(t *testing.T) {
	src := sqltest.OpenSQLite(t)
	d := demoOrg(t, src)
	noBreaks(t, src)
	first := exportOrg(t, src, d.Org.ID)
	if first.rows["document_chunks"] == 0 || first.rows["risks"] == 0 || first.rows["audit_events"] == 0 {
		t.Fatalf("the archive lacks files, risks or audit events: %v", first.rows)
	}
	wantFiles := files(t, src, d.Org.ID)
	wantRisks := risks(t, src, d.Org.ID)
	if len(wantFiles) == 0 {
		t.Fatal("the demo has no files to compare")
	}

	pg := sqltest.OpenPostgres(t)
	// The target has an organisation and people of its own, so every id
	// moves, and one of the demo's people already has an account.
	mustUser(t, pg, "someone@else.example")
	mustOrg(t, pg, "Andet Sted")
	mustUser(t, pg, d.Users[isms.RoleCoordinator].Email)
	res := importOrg(t, pg, first, "")
	if res.PeopleMatched != 1 || res.PeopleCreated == 0 {
		t.Errorf("people matched %d, created %d; want 1 matched", res.PeopleMatched, res.PeopleCreated)
	}
	if res.Organisation.Name != d.Org.Name || res.Organisation.ParentID != nil {
		t.Errorf("imported as %+v", res.Organisation)
	}
	noBreaks(t, pg)
	second := exportOrg(t, pg, res.Organisation.ID)
	sameRows(t, first, second, 1)
	if got := files(t, pg, res.Organisation.ID); !equalFiles(wantFiles, got) {
		t.Errorf("files differ after the move to PostgreSQL")
	}
	if got := risks(t, pg, res.Organisation.ID); strings.Join(got, "\n") != strings.Join(wantRisks, "\n") {
		t.Errorf("risks differ:\n%v\nwant\n%v", got, wantRisks)
	}
	// A created account has no password: it cannot sign in.
	for _, u := range d.Users {
		if u.Email == d.Users[isms.RoleCoordinator].Email {
			continue
		}
		if _, err := pg.Authenticate(context.Background(), u.Email, demo.Password, "test"); err == nil {
			t.Errorf("%s signs in with the demo password on the target", u.Email)
		}
		break
	}

	// And back into a new SQLite installation.
	back := sqltest.OpenSQLite(t)
	res2 := importOrg(t, back, second, "")
	noBreaks(t, back)
	third := exportOrg(t, back, res2.Organisation.ID)
	sameRows(t, first, third, 2)
	if got := files(t, back, res2.Organisation.ID); !equalFiles(wantFiles, got) {
		t.Errorf("files differ after the move back")
	}
	if got := risks(t, back, res2.Organisation.ID); strings.Join(got, "\n") != strings.Join(wantRisks, "\n") {
		t.Errorf("risks differ after the move back")
	}

	// An imported record's history finds its events under its new id.
	rs, _, err := back.Risks(asSystem(), res2.Organisation.ID, isms.RiskFilter{})
	if err != nil || len(rs) == 0 {
		t.Fatal(err)
	}
	events, _, err := back.AuditEvents(asSystem(), res2.Organisation.ID, isms.AuditFilter{RecordType: "risk", RecordID: rs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 {
		t.Errorf("risk %d (%s) has no history after the move", rs[0].ID, rs[0].Title)
	}
	// The import's event, then the export's (of the third archive).
	latest, _, err := back.AuditEvents(asSystem(), res2.Organisation.ID, isms.AuditFilter{Limit: 2})
	if err != nil || len(latest) != 2 || latest[1].Action != "import" || latest[0].Action != "export" {
		t.Fatalf("the last events are not the import and the export: %v", err)
	}
}

func equalFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestOrgArchiveImportIntoSameInstallation imports a copy beside the
// original: refused under the same name, accepted under another, and the
// chains of both verify (the copy's links get tokens of their own).
func TestOrgArchiveImportIntoSameInstallation(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d := demoOrg(t, db)
		a := exportOrg(t, db, d.Org.ID)
		_, err := db.ImportOrganisation(asSystem(), bytes.NewReader(a.raw), isms.OrganisationImport{})
		if !errors.Is(err, sqlstore.ErrNameTaken) {
			t.Fatalf("same name: %v", err)
		}
		res := importOrg(t, db, a, d.Org.Name+" (kopi)")
		noBreaks(t, db)
		copyOf := exportOrg(t, db, res.Organisation.ID)
		sameRows(t, a, copyOf, 1)
	})
}

// TestOrgArchiveRefusesDamage: a changed archive, a broken chain, a newer
// schema or a caller who is no site administrator store nothing.
func TestOrgArchiveRefusesDamage(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d := demoOrg(t, db)
		a := exportOrg(t, db, d.Org.ID)
		target := sqltest.OpenSQLite(t)
		if db.Dialect == sqlstore.Postgres {
			target = sqltest.OpenPostgres(t)
		}
		mustUser(t, target, "admin@target.example")
		before, err := target.CountUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}

		changed := func(f func(lines []string) []string, reseal bool) []byte {
			lines := f(append([]string{}, a.lines[:len(a.lines)-1]...))
			if reseal {
				return []byte(resealOrg(lines))
			}
			return []byte(strings.Join(append(lines, a.lines[len(a.lines)-1]), "\n") + "\n")
		}
		eventLine := func(lines []string) int {
			in := false
			for i, l := range lines {
				if strings.HasPrefix(l, `{"table":"audit_events"`) {
					in = true
				} else if in && strings.Contains(l, `"create"`) {
					return i
				}
			}
			t.Fatal("no audit event in the archive")
			return 0
		}
		cases := map[string][]byte{
			"changed row": changed(func(l []string) []string {
				for i, line := range l {
					if strings.HasPrefix(line, `{"table":"risks"`) {
						l[i+1] = strings.Replace(l[i+1], `,"`, `,"X`, 1)
						return l
					}
				}
				t.Fatal("no risks in the archive")
				return l
			}, false),
			"changed event, resealed": changed(func(l []string) []string {
				i := eventLine(l)
				l[i] = strings.Replace(l[i], `"create"`, `"update"`, 1)
				return l
			}, true),
			"removed event, resealed": changed(func(l []string) []string {
				i := eventLine(l)
				return append(l[:i], l[i+1:]...)
			}, true),
			"newer schema": changed(func(l []string) []string {
				l[0] = strings.Replace(l[0], `"migrations":[`, `"migrations":[99999,`, 1)
				return l
			}, true),
			"cut off": a.raw[:len(a.raw)/2],
		}
		for name, raw := range cases {
			if _, err := target.ImportOrganisation(asSystem(), bytes.NewReader(raw), isms.OrganisationImport{}); err == nil {
				t.Errorf("%s: imported", name)
			} else {
				t.Logf("%s: %v", name, err)
			}
		}
		admin, err := target.UserByEmail(asSystem(), "admin@target.example")
		if err != nil {
			t.Fatal(err)
		}
		member := mustUser(t, target, "member@target.example")
		if _, err := target.ImportOrganisation(as(member), bytes.NewReader(a.raw), isms.OrganisationImport{}); isms.ErrorCode(err) != isms.EForbidden {
			t.Errorf("a user who is no site administrator: %v", err)
		}
		_ = admin
		orgs, err := target.Organisations(asSystem())
		if err != nil {
			t.Fatal(err)
		}
		after, err := target.CountUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(orgs) != 0 || after != before+1 {
			t.Errorf("something was stored: %d organisations, %d users (had %d, and one added by the test)", len(orgs), after, before)
		}
		noBreaks(t, target)
	})
}

// resealOrg writes an archive's closing line again over changed lines,
// as someone who changed it on purpose would.
func resealOrg(lines []string) string {
	rows, tables := 0, 0
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "[") {
			rows++
		} else {
			tables++
		}
	}
	body := strings.Join(lines, "\n") + "\n"
	sum := sha256.Sum256([]byte(body))
	end, _ := json.Marshal(map[string]any{"end": map[string]any{"tables": tables, "rows": rows, "sha256": hex.EncodeToString(sum[:])}})
	return body + string(end) + "\n"
}

// TestOrgArchiveExportNeedsAnAdministrator: an administrator of one
// organisation cannot export another, and a coordinator not even their own.
func TestOrgArchiveExportNeedsAnAdministrator(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		mustUser(t, db, "site@admin.example") // the first account is a site administrator
		a := mustOrg(t, db, "A")
		b := mustOrg(t, db, "B")
		adminA := mustUser(t, db, "admin@a.example")
		coordB := mustUser(t, db, "coord@b.example")
		mustMember(t, db, a, adminA, isms.RoleAdministrator)
		mustMember(t, db, b, coordB, isms.RoleCoordinator)
		if err := db.ExportOrganisation(as(adminA), a.ID, io.Discard); err != nil {
			t.Errorf("administrator of A exports A: %v", err)
		}
		if err := db.ExportOrganisation(as(adminA), b.ID, io.Discard); err == nil {
			t.Errorf("administrator of A exports B")
		}
		if err := db.ExportOrganisation(as(coordB), b.ID, io.Discard); isms.ErrorCode(err) != isms.EForbidden {
			t.Errorf("coordinator of B exports B: %v", err)
		}
	})
}

// TestOrgArchiveVerifyNoticesChangedIDs: after an import, the ids an
// imported event shows are under the import event's hash (ids_sha256), and
// the values it was hashed with under its own: changing either is a break
// that isms audit verify names.
func TestOrgArchiveVerifyNoticesChangedIDs(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		d := demoOrg(t, db.DB)
		a := exportOrg(t, db.DB, d.Org.ID)
		res := importOrg(t, db.DB, a, "Kopi")
		noBreaks(t, db.DB)
		org := res.Organisation.ID
		for _, change := range []string{
			"UPDATE audit_events SET record_id = record_id + 1 WHERE organisation_id = ? AND seq = 5",
			"UPDATE audit_events SET origin_record_id = origin_record_id + 1 WHERE organisation_id = ? AND seq = 5",
			"UPDATE audit_events SET actor_id = actor_id + 12345 WHERE organisation_id = ? AND seq = 5",
		} {
			row := db.int(t, "SELECT id FROM audit_events WHERE organisation_id = ? AND seq = 5", org)
			saved := [3]int64{db.int(t, "SELECT record_id FROM audit_events WHERE id = ?", row),
				db.int(t, "SELECT origin_record_id FROM audit_events WHERE id = ?", row),
				db.int(t, "SELECT actor_id FROM audit_events WHERE id = ?", row)}
			db.exec(t, change, org)
			_, breaks, err := db.VerifyAudit(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(breaks) != 1 || breaks[0].OrganisationID != org {
				t.Errorf("%s: breaks %+v", change, breaks)
			} else {
				t.Logf("%s: %s", change, breaks[0].Reason)
			}
			db.exec(t, "UPDATE audit_events SET record_id = ?, origin_record_id = ?, actor_id = ? WHERE id = ?", saved[0], saved[1], saved[2], row)
			noBreaks(t, db.DB)
		}
	})
}

// TestOrgArchiveConcurrentImports: two instances importing the same
// archive at once make one organisation; the other is refused by name,
// and the chains verify.
func TestOrgArchiveConcurrentImports(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		d := demoOrg(t, db.DB)
		a := exportOrg(t, db.DB, d.Org.ID)
		second := db.secondInstance(t)
		errs := make(chan error, 2)
		for _, inst := range []*sqlstore.DB{db.DB, second} {
			go func() {
				_, err := inst.ImportOrganisation(asSystem(), bytes.NewReader(a.raw), isms.OrganisationImport{Name: "Samtidig"})
				errs <- err
			}()
		}
		var ok, taken int
		for range 2 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errors.Is(err, sqlstore.ErrNameTaken):
				taken++
			default:
				t.Errorf("import: %v", err)
			}
		}
		if ok != 1 || taken != 1 {
			t.Errorf("%d imports stored, %d refused by name; want one of each", ok, taken)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM organisations WHERE name = ?", "Samtidig"); n != 1 {
			t.Errorf("%d organisations of the name", n)
		}
		noBreaks(t, db.DB)
	})
}

// FuzzOrgArchiveImport feeds the import damaged archives: it must refuse
// them with an error and store nothing, never panic.
func FuzzOrgArchiveImport(f *testing.F) {
	db := sqltest.OpenSQLite(f)
	mustUserF(f, db, "fuzz@sample.example")
	o, err := db.CreateOrganisation(asSystem(), isms.OrganisationInput{Name: "Fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := db.ExportOrganisation(asSystem(), o.ID, &buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"create"`), []byte(`"update"`)))
	f.Add([]byte(`{"format":"isms-organisation-archive","format_version":1,"migrations":[]}` + "\n"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	n := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := db.Organisations(asSystem())
		if err != nil {
			t.Fatal(err)
		}
		n++
		_, err = db.ImportOrganisation(asSystem(), bytes.NewReader(data), isms.OrganisationImport{Name: "Fuzz " + strconv.Itoa(n)})
		after, lerr := db.Organisations(asSystem())
		if lerr != nil {
			t.Fatal(lerr)
		}
		if err != nil && len(after) != len(before) {
			t.Fatalf("a refused archive stored an organisation: %v", err)
		}
	})
}

func mustUserF(f *testing.F, db *sqlstore.DB, email string) {
	f.Helper()
	if _, err := db.CreateUser(asSystem(), email, "User "+email, "correct horse battery", false); err != nil {
		f.Fatal(err)
	}
}
