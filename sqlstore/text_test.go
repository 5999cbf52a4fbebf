package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

const nul = "før\x00efter"

// wantNUL checks that err is the store's refusal of a NUL character: the
// domain's EInvalid with its catalogue key, not a driver error.
func wantNUL(t *testing.T, what string, err error) {
	t.Helper()
	if e := isms.AsError(err); e == nil || e.Code != isms.EInvalid || e.Key != "err.nul_character" {
		t.Errorf("%s: want the refusal of a NUL character, got %v", what, err)
	}
}

// TestStoreRefusesNULInEveryStatement: whatever path a NUL takes past the
// web layer's checks, no statement runs with it (PostgreSQL would answer
// with a driver error, SQLite would store it): writes and the searches of
// reads alike get the domain's EInvalid, and nothing is stored.
func TestStoreRefusesNULInEveryStatement(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		ctx := as(w.coord)
		_, entries, _ := db.OverviewEntries(ctx, w.org.ID, isms.EntryFilter{})
		_, events, _ := db.AuditEvents(ctx, w.org.ID, isms.AuditFilter{})

		// Writes: an insert (RETURNING id, through queryRow), an update
		// (exec), a write that looks the text up first (query).
		_, err := db.CreateOverviewEntry(ctx, w.org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: nul})
		wantNUL(t, "new entry", err)
		_, err = db.CreateOverviewEntry(ctx, w.org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Løn", Description: nul})
		wantNUL(t, "new entry's description", err)
		o, err := db.Organisation(asSystem(), w.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.UpdateOrganisation(asSystem(), w.org.ID, isms.OrganisationInput{Name: o.Name, Purpose: nul, Version: o.Version})
		wantNUL(t, "organisation's purpose", err)
		_, err = db.CreateUser(asSystem(), "nul@example.org", nul, "correct horse battery", false)
		wantNUL(t, "user's name", err)
		_, err = db.AddMembership(asSystem(), w.org.ID, isms.MembershipInput{Email: "x\x00@example.org", Role: isms.RoleReader})
		wantNUL(t, "member's e-mail", err)
		_, err = db.Authenticate(context.Background(), "coord@risk.example\x00", "correct horse battery", "192.0.2.1")
		wantNUL(t, "login", err)

		// Reads: the searches of the lists.
		_, _, err = db.OverviewEntries(ctx, w.org.ID, isms.EntryFilter{Query: nul})
		wantNUL(t, "search of the business overview", err)
		_, _, err = db.Risks(ctx, w.org.ID, isms.RiskFilter{Query: nul})
		wantNUL(t, "search of the risk register", err)
		_, _, err = db.Documents(ctx, w.org.ID, isms.DocumentFilter{Query: nul})
		wantNUL(t, "search of the documents", err)
		_, _, err = db.CommunicationEntries(ctx, w.org.ID, isms.CommunicationFilter{Query: nul})
		wantNUL(t, "search of the communication plan", err)
		_, _, err = db.WheelActivities(ctx, w.org.ID, isms.ActivityFilter{Query: nul})
		wantNUL(t, "search of the annual wheel", err)

		_, after, _ := db.OverviewEntries(ctx, w.org.ID, isms.EntryFilter{})
		_, events2, _ := db.AuditEvents(ctx, w.org.ID, isms.AuditFilter{})
		if after != entries || events2 != events {
			t.Errorf("refused writes stored something: entries %d → %d, audit events %d → %d", entries, after, events, events2)
		}
		// Binary data is not text: a file may hold NUL bytes (see the
		// document tests), and text without NUL passes as before.
		if _, err := db.CreateOverviewEntry(ctx, w.org.ID, isms.OverviewEntryInput{Kind: isms.KindProcess, Name: "Løn", Description: "før\u2400efter"}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRiskImportRefusesNULCells: a cell holding a NUL is a problem of the
// preview, named by row and column like every other; the rest of the row
// is not read, and nothing is imported.
func TestRiskImportRefusesNULCells(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newRiskWorld(t, db)
		sheet := &isms.RiskSheet{Filename: "register.csv", HeaderRow: 1,
			Columns: []isms.RiskSheetColumn{{Field: "asset", Header: "Aktiv", Letter: "A"}, {Field: "threat", Header: "Trussel", Letter: "B"},
				{Field: "likelihood", Header: "Sandsynlighed", Letter: "C"}, {Field: "consequence", Header: "Konsekvens", Letter: "D"},
				{Field: "description", Header: "Beskrivelse", Letter: "E"}},
			Rows: []isms.RiskSheetRow{
				{Row: 2, Cells: map[string]string{"asset": "ESDH", "threat": "fire", "likelihood": "2", "consequence": "3", "description": "ok"}},
				{Row: 3, Cells: map[string]string{"asset": "ESDH", "threat": "phishing", "likelihood": "2", "consequence": "3", "description": nul}},
				{Row: 4, Cells: map[string]string{"asset": "ESDH\x00", "threat": "ransomware", "likelihood": "2", "consequence": "3"}},
			}}
		before := riskRows(t, db, "risks")
		pv, err := db.PreviewRiskSheet(as(w.coord), w.org.ID, sheet, isms.RiskImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range pv.Problems {
			got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Message.Key))
		}
		if want := "3 E · Beskrivelse err.nul_character|4 A · Aktiv err.nul_character"; strings.Join(got, "|") != want || pv.Valid {
			t.Fatalf("problems\n got %s\nwant %s", strings.Join(got, "|"), want)
		}
		_, err = db.ImportRiskSheet(as(w.coord), w.org.ID, sheet, isms.RiskImportOptions{})
		wantCode(t, err, isms.EInvalid)
		if after := riskRows(t, db, "risks"); after != before {
			t.Fatalf("a refused import stored something: %s → %s", before, after)
		}
		// Staged for the preview page (the sheet is kept as JSON, where
		// the NUL is written \u0000), and refused when confirmed.
		staged, err := db.StageRiskImport(as(w.coord), w.org.ID, sheet)
		if err != nil || staged.Valid || len(staged.Problems) != 2 {
			t.Fatalf("staged: %+v %v", staged, err)
		}
		before = riskRows(t, db, "risks")
		_, err = db.ImportStagedRisks(as(w.coord), w.org.ID, staged.ID, isms.RiskImportOptions{})
		wantCode(t, err, isms.EInvalid)
		if after := riskRows(t, db, "risks"); after != before {
			t.Fatalf("a refused import stored something: %s → %s", before, after)
		}
	})
}

// TestRestoreRefusesNULText: a SQLite database holding a NUL (written
// behind the store's back, as an older version of the product could) backs
// up, but its archive restores into neither database: the restore names
// the table, the record and the column to correct, and restores nothing.
func TestRestoreRefusesNULText(t *testing.T) {
	t.Parallel()
	src := openSQLiteRaw(t)
	fillSample(t, src.DB)
	clean := backup(t, src.DB)
	if n := src.exec(t, "UPDATE overview_entries SET description = ? WHERE name = ?", nul, "ESDH"); n != 1 {
		t.Fatalf("%d rows updated", n)
	}
	id := src.int(t, "SELECT id FROM overview_entries WHERE name = ?", "ESDH")
	if n := src.int(t, "SELECT length(CAST(description AS BLOB)) FROM overview_entries WHERE id = ?", id); n != int64(len(nul)) {
		t.Fatalf("SQLite holds %d bytes, want %d", n, len(nul))
	}
	withNUL := backup(t, src.DB)
	if !bytes.Contains(withNUL.raw, []byte(`f\u00f8r\u0000efter`)) && !bytes.Contains(withNUL.raw, []byte(`før\u0000efter`)) {
		t.Fatal("the archive does not hold the NUL")
	}
	// A table without an id names its record by its key (the checklist's
	// answers come before the business overview in the archive).
	src.exec(t, "UPDATE checklist_manual SET reason = ? WHERE question_id = ?", nul, "2.1")
	keyed := backup(t, src.DB)

	for _, d := range []sqlstore.Dialect{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			for _, c := range []struct {
				archive *archive
				says    []string
			}{
				{withNUL, []string{"table overview_entries", fmt.Sprintf("record id %d,", id), "column description", "U+0000"}},
				{keyed, []string{"table checklist_manual", `question_id "2.1"`, "column reason", "U+0000"}},
			} {
				target := fresh(t, d)
				err := target.Restore(context.Background(), bytes.NewReader(c.archive.raw))
				if !errors.Is(err, sqlstore.ErrBadArchive) {
					t.Fatalf("restore of an archive holding a NUL: %v", err)
				}
				for _, s := range c.says {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("the refusal does not say %q: %v", s, err)
					}
				}
				// Nothing was restored: the clean archive still goes in.
				restore(t, target, clean)
			}
		})
	}
}
