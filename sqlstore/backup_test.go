package sqlstore_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// fillSample puts a little of everything into a database: accounts, a
// parent and a child organisation (the child created first, so its row
// refers to a later one), memberships, linked register entries, an approved
// scope, a manual checklist answer and snapshot, a session, an API token
// and a failed login, and the audit events of all of it.
func fillSample(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	mustUser(t, db, "admin@sample.example")
	coord := mustUser(t, db, "coord@sample.example")
	mgmt := mustUser(t, db, "mgmt@sample.example")
	child := mustOrg(t, db, "Styrelsen for Prøver")
	parent := mustOrg(t, db, "Ministeriet for Prøver")
	o, err := db.Organisation(asSystem(), child.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateOrganisation(asSystem(), child.ID, isms.OrganisationInput{Name: o.Name, ParentID: &parent.ID,
		Purpose: "Formål med \"citat\", æøå,\nen ny linje og et \\ tegn.", Version: o.Version}); err != nil {
		t.Fatal(err)
	}
	mustMember(t, db, child, coord, isms.RoleCoordinator)
	mustMember(t, db, child, mgmt, isms.RoleManagement)
	if _, err := db.AddMembership(asSystem(), parent.ID, isms.MembershipInput{Email: mgmt.Email, Role: isms.RoleReader, Oversight: true}); err != nil {
		t.Fatal(err)
	}
	next := isms.DateOf(db.Now()).AddDays(200)
	req := isms.Requirements{Confidentiality: 3, Integrity: 2, Availability: 4, Text: "Høje krav"}
	info, err := db.CreateOverviewEntry(as(coord), child.ID, isms.OverviewEntryInput{Kind: isms.KindInformation, Name: "CPR-data",
		OwnerID: &coord.ID, NextReview: &next, Requirements: req})
	if err != nil {
		t.Fatal(err)
	}
	sys, err := db.CreateOverviewEntry(as(coord), child.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "ESDH",
		Requirements: req, Links: []int64{info.ID}})
	if err != nil {
		t.Fatal(err)
	}
	proc, err := db.CreateOverviewEntry(as(coord), child.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Sagsbehandling",
		Requirements: req, Links: []int64{info.ID, sys.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateOverviewEntry(as(coord), child.ID, isms.OverviewEntryInput{Kind: isms.KindExternalFactor, Category: "law",
		Name: "Databeskyttelsesforordningen", Status: isms.StatusDraft}); err != nil {
		t.Fatal(err)
	}
	s, err := db.SaveScope(as(coord), child.ID, isms.ScopeInput{Description: "Hele styrelsen", ProcessIDs: []int64{proc.ID},
		BoundaryCriteria: "Organisatorisk", Exclusions: "Ingen", OwnerID: &coord.ID, NextReview: &next})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveScope(as(mgmt), child.ID, s.Version); err != nil {
		t.Fatal(err)
	}
	// An approved objective with a whole and a fractional measurement.
	obj, err := db.CreateObjective(as(coord), child.ID, isms.ObjectiveInput{Title: "Awareness", TargetValue: fp(95), Unit: "%",
		DueDate: &next, OwnerID: &coord.ID, Status: isms.ObjectiveInProgress})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveObjective(as(mgmt), child.ID, obj.ID, obj.Version); err != nil {
		t.Fatal(err)
	}
	today := isms.DateOf(db.Now())
	for _, v := range []float64{40, 62.5} {
		if _, err := db.AddObjectiveProgress(as(coord), child.ID, obj.ID, isms.ObjectiveProgressInput{MeasuredOn: &today, Value: fp(v)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AnswerManually(as(coord), child.ID, "2.1", isms.AnswerPartly, "Ledelsen mødes kvartalsvis", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Checklist(as(coord), child.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateSession(ctx, coord.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateAPIToken(asSystem(), coord.ID, "integration"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, coord.Email, "wrong password", "192.0.2.1"); isms.ErrorCode(err) != isms.EUnauthorized {
		t.Fatalf("failed login: %v", err)
	}
}

// archive is a backup split into its lines.
type archive struct {
	raw    []byte
	header sqlstore.ArchiveHeader
	body   []string // every line between the header and the closing line
	end    map[string]any
}

func backup(t *testing.T, db *sqlstore.DB) *archive {
	t.Helper()
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	a := &archive{raw: buf.Bytes()}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("archive of %d lines", len(lines))
	}
	if err := json.Unmarshal([]byte(lines[0]), &a.header); err != nil {
		t.Fatal(err)
	}
	var end struct {
		End map[string]any `json:"end"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &end); err != nil || end.End == nil {
		t.Fatalf("closing line %q: %v", lines[len(lines)-1], err)
	}
	a.end, a.body = end.End, lines[1:len(lines)-1]
	return a
}

// sameData compares two archives line by line, header and checksum aside.
func sameData(t *testing.T, want, got *archive) {
	t.Helper()
	if want.end["tables"] != got.end["tables"] || want.end["rows"] != got.end["rows"] {
		t.Errorf("counts differ: want %v, got %v", want.end, got.end)
	}
	for i := 0; i < max(len(want.body), len(got.body)); i++ {
		var w, g string
		if i < len(want.body) {
			w = want.body[i]
		}
		if i < len(got.body) {
			g = got.body[i]
		}
		if w != g {
			t.Fatalf("archives differ at line %d:\nwant %s\ngot  %s", i+2, w, g)
		}
	}
}

func fresh(t *testing.T, d sqlstore.Dialect) *sqlstore.DB {
	if d == sqlstore.Postgres {
		return sqltest.OpenPostgres(t)
	}
	return sqltest.OpenSQLite(t)
}

func restore(t *testing.T, db *sqlstore.DB, a *archive) {
	t.Helper()
	if err := db.Restore(context.Background(), bytes.NewReader(a.raw)); err != nil {
		t.Fatal(err)
	}
}

func noBreaks(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	n, breaks, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(breaks) > 0 {
		t.Fatalf("audit chain broken: %+v", breaks)
	}
	return n
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fillSample(t, db)
		first := backup(t, db)
		if first.header.Format != sqlstore.ArchiveFormat || first.header.FormatVersion != sqlstore.ArchiveVersion ||
			len(first.header.Migrations) < 2 || first.header.CreatedAt.IsZero() || first.header.Source != db.Dialect.String() {
			t.Fatalf("header %+v", first.header)
		}
		for _, table := range []string{"schema_migrations", "organisations", "users", "memberships", "sessions", "api_tokens",
			"login_failures", "audit_heads", "audit_events", "record_links", "checklist_manual", "checklist_snapshots",
			"overview_entries", "scopes", "objectives", "objective_progress"} {
			if !strings.Contains(string(first.raw), `{"table":"`+table+`"`) {
				t.Errorf("table %s missing from the archive", table)
			}
		}
		events := noBreaks(t, db)

		target := fresh(t, db.Dialect)
		restore(t, target, first)
		second := backup(t, target)
		sameData(t, first, second)
		if got := noBreaks(t, target); got != events {
			t.Fatalf("restored database has %d audit events, the original %d", got, events)
		}

		// The restored database works: logins, reads, and new records get
		// fresh ids and extend the audit chains.
		coord, err := target.Authenticate(context.Background(), "coord@sample.example", "correct horse battery", "192.0.2.9")
		if err != nil {
			t.Fatalf("login after restore: %v", err)
		}
		orgs, err := target.Organisations(as(coord))
		if err != nil || len(orgs) != 1 || orgs[0].ParentID == nil {
			t.Fatalf("organisations after restore: %+v, %v", orgs, err)
		}
		if _, err := target.CreateOverviewEntry(as(coord), orgs[0].ID, isms.OverviewEntryInput{Kind: isms.KindCompetence, Name: "Jura"}); err != nil {
			t.Fatalf("new entry after restore: %v", err)
		}
		mustUser(t, target, "new@sample.example")
		mustOrg(t, target, "New organisation")
		noBreaks(t, target)
	})
}

func TestBackupIsGzipTolerant(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fillSample(t, db)
		a := backup(t, db)
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(a.raw)
		w.Close()
		target := fresh(t, db.Dialect)
		if err := target.Restore(context.Background(), &z); err != nil {
			t.Fatal(err)
		}
		sameData(t, a, backup(t, target))
	})
}

// A table that a later migration adds is archived without changing the
// backup code, binary data included.
func TestBackupIncludesEveryTableAndBinaryData(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		create := "CREATE TABLE zz_files (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, data BLOB, note TEXT)"
		if db.pg {
			create = "CREATE TABLE zz_files (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, data BYTEA, note TEXT)"
		}
		db.exec(t, create)
		fillSample(t, db.DB)
		blob := []byte{0, 1, 2, 0xff, 0xfe, '\n', '"', 0}
		db.exec(t, "INSERT INTO zz_files (name, data, note) VALUES (?, ?, ?)", "binær.pdf", blob, nil)
		db.exec(t, "INSERT INTO zz_files (name, data, note) VALUES (?, ?, ?)", "tom", []byte{}, "tom fil")
		a := backup(t, db.DB)
		if !strings.Contains(string(a.raw), `{"table":"zz_files"`) || !strings.Contains(string(a.raw), `{"b64":"AAEC//4KIgA="}`) {
			t.Fatalf("the new table or its binary data is missing:\n%s", a.raw)
		}

		var target *rawDB
		if db.pg {
			target = openPostgresRaw(t)
		} else {
			target = openSQLiteRaw(t)
		}
		target.exec(t, create)
		restore(t, target.DB, a)
		sameData(t, a, backup(t, target.DB))
		var got []byte
		if err := target.raw.QueryRow("SELECT data FROM zz_files WHERE name = 'binær.pdf'").Scan(&got); err != nil || !bytes.Equal(got, blob) {
			t.Fatalf("binary data after restore: %v %v", got, err)
		}
		if db.pg {
			if n := target.int(t, `SELECT COUNT(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
				WHERE n.nspname = current_schema() AND k.contype = 'f' AND k.condeferrable`); n != 0 {
				t.Fatalf("%d foreign keys left deferrable after the restore", n)
			}
		}
		// The id sequence moved past the restored rows.
		target.exec(t, "INSERT INTO zz_files (name) VALUES (?)", "ny")
		if id := target.int(t, "SELECT id FROM zz_files WHERE name = 'ny'"); id != 3 {
			t.Fatalf("new row got id %d, want 3", id)
		}
	})
}

func TestBackupAcrossDialects(t *testing.T) {
	t.Parallel()
	if sqltest.PostgresURL() == "" {
		t.Skip("PostgreSQL not configured")
	}
	lite := sqltest.OpenSQLite(t)
	fillSample(t, lite)
	fromLite := backup(t, lite)
	events := noBreaks(t, lite)

	pg := sqltest.OpenPostgres(t)
	restore(t, pg, fromLite)
	fromPG := backup(t, pg)
	sameData(t, fromLite, fromPG)
	if n := noBreaks(t, pg); n != events {
		t.Fatalf("PostgreSQL has %d events, SQLite %d", n, events)
	}
	mustOrg(t, pg, "Made on PostgreSQL")

	lite2 := sqltest.OpenSQLite(t)
	again := backup(t, pg)
	restore(t, lite2, again)
	sameData(t, again, backup(t, lite2))
	noBreaks(t, lite2)
}

func TestRestoreRefusesNonEmptyDatabase(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fillSample(t, db)
		a := backup(t, db)

		target := fresh(t, db.Dialect)
		mustUser(t, target, "someone@else.example")
		before := backup(t, target)
		err := target.Restore(context.Background(), bytes.NewReader(a.raw))
		if !errors.Is(err, sqlstore.ErrNotEmpty) {
			t.Fatalf("restore into a database with a user: %v", err)
		}
		sameData(t, before, backup(t, target))

		// Restoring onto itself is refused just the same.
		if err := db.Restore(context.Background(), bytes.NewReader(a.raw)); !errors.Is(err, sqlstore.ErrNotEmpty) {
			t.Fatalf("restore into the source: %v", err)
		}
		sameData(t, a, backup(t, db))
	})
}

type brokenArchive struct {
	archive string
	bad     bool   // the error wraps ErrBadArchive
	says    string // and says this
}

func TestRestoreRefusesBrokenArchives(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fillSample(t, db)
		a := backup(t, db)
		good := string(a.raw)
		lines := strings.SplitAfter(good, "\n")
		last := len(lines) - 2 // the closing line; the split leaves "" after it
		mid := len(lines) / 2

		var withNewer archive
		withNewer.header = a.header
		withNewer.header.Migrations = append(append([]int{}, a.header.Migrations...), 9999)
		hb, _ := json.Marshal(withNewer.header)

		cases := map[string]brokenArchive{
			"empty":                {"", true, "ends before"},
			"not an archive":       {"hello\n", true, "header"},
			"cut in a line":        {good[:len(good)/2], true, "cut off"},
			"cut at a line":        {strings.Join(lines[:mid], ""), true, "cut off"},
			"closing line missing": {strings.Join(lines[:last], ""), true, "cut off"},
			"a value changed":      {strings.Replace(good, "Sagsbehandling", "Sagsbehandlinx", 1), true, "checksum"},
			"a row removed":        {strings.Join(lines[:mid], "") + strings.Join(lines[mid+1:], ""), true, ""},
			"garbage line":         {strings.Join(lines[:mid], "") + "{nonsense\n" + strings.Join(lines[mid:], ""), true, "JSON"},
			"unknown table":        {strings.Join(lines[:mid], "") + `{"table":"nope","columns":["a"]}` + "\n" + strings.Join(lines[mid:], ""), true, "nope"},
			"trailing data":        {good + "[1]\n", true, "more after"},
			"newer migrations":     {string(hb) + "\n" + strings.Join(lines[1:], ""), false, "newer version"},
		}
		// Archives that are whole and carry a correct checksum, but whose
		// content does not fit: resealed after the change.
		var users, members int
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, `{"table":"users"`):
				users = i
			case strings.HasPrefix(l, `{"table":"memberships"`):
				members = i
			}
		}
		dangling := append([]string{}, lines...)
		dangling[members+1] = strings.Replace(dangling[members+1], "[1,", "[1000,", 1)
		dangling[members+1] = replaceField(t, dangling[members+1], 2, "424242")
		short := append([]string{}, lines...)
		short[users+1] = "[1]\n"
		textForInt := append([]string{}, lines...)
		textForInt[users+1] = replaceField(t, textForInt[users+1], 0, `{"x":1}`)
		cases["a reference to a missing row"] = brokenArchive{reseal(dangling[:last]), true, "refer to rows"}
		cases["a row too short"] = brokenArchive{reseal(short[:last]), true, "1 values for"}
		cases["an object for a value"] = brokenArchive{reseal(textForInt[:last]), true, "not binary data"}

		target := fresh(t, db.Dialect)
		empty := backup(t, target)
		for name, c := range cases {
			t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
				err := target.Restore(context.Background(), strings.NewReader(c.archive))
				if err == nil {
					t.Fatal("a broken archive was restored")
				}
				if c.bad != errors.Is(err, sqlstore.ErrBadArchive) {
					t.Errorf("error %q: wraps ErrBadArchive = %v, want %v", err, !c.bad, c.bad)
				}
				if !strings.Contains(err.Error(), c.says) {
					t.Errorf("error %q does not say %q", err, c.says)
				}
				if n, _ := target.CountUsers(context.Background()); n != 0 {
					t.Fatalf("%d users after a failed restore", n)
				}
				sameData(t, empty, backup(t, target))
			})
		}
		// After all the refusals the good archive still restores.
		restore(t, target, a)
		sameData(t, a, backup(t, target))
	})
}

// reseal joins archive lines (without the closing line) and appends a
// closing line with the right counts and checksum.
func reseal(lines []string) string {
	body := strings.Join(lines, "")
	tables, rows := 0, 0
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "[") {
			rows++
		} else {
			tables++
		}
	}
	sum := sha256.Sum256([]byte(body))
	end, _ := json.Marshal(map[string]any{"end": map[string]any{"tables": tables, "rows": rows, "sha256": hex.EncodeToString(sum[:])}})
	return body + string(end) + "\n"
}

// replaceField replaces the i-th value of a row line.
func replaceField(t *testing.T, line string, i int, value string) string {
	t.Helper()
	var row []json.RawMessage
	if err := json.Unmarshal([]byte(line), &row); err != nil {
		t.Fatal(err)
	}
	row[i] = json.RawMessage(value)
	b, _ := json.Marshal(row)
	return string(b) + "\n"
}

// An archive from an older version of the program, made before its latest
// migration, restores; the migrations this database ran stay recorded, so
// they are not run again.
func TestRestoreOlderArchive(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		fillSample(t, db)
		a := backup(t, db)
		versions := a.header.Migrations
		latest := versions[len(versions)-1]
		lines := strings.SplitAfter(string(a.raw), "\n")
		lines = lines[:len(lines)-2] // without the closing line
		older := a.header
		older.Migrations = versions[:len(versions)-1]
		hb, _ := json.Marshal(older)
		var kept []string
		for i, l := range lines {
			switch {
			case i == 0:
				kept = append(kept, string(hb)+"\n")
			case strings.HasPrefix(l, "["+strconv.Itoa(latest)+",") && inTable(lines, i, "schema_migrations"):
				// the older program had not run the latest migration
			default:
				kept = append(kept, l)
			}
		}
		target := fresh(t, db.Dialect)
		if err := target.Restore(context.Background(), strings.NewReader(reseal(kept))); err != nil {
			t.Fatal(err)
		}
		if got := backup(t, target).header.Migrations; !slices.Equal(got, versions) {
			t.Fatalf("migrations after restoring an older archive: %v, want %v", got, versions)
		}
		noBreaks(t, target)
	})
}

// inTable reports whether line i of an archive belongs to the named table.
func inTable(lines []string, i int, table string) bool {
	for j := i; j >= 0; j-- {
		if strings.HasPrefix(lines[j], `{"table":`) {
			return strings.HasPrefix(lines[j], `{"table":"`+table+`"`)
		}
	}
	return false
}
