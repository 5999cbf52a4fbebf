package export_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

func riskXLSX(t testing.TB, header []string, rows ...[]any) []byte {
	t.Helper()
	sh := export.Sheet{Name: "Risici", Title: "Risikoregister 2026", Header: header}
	for _, r := range rows {
		sh.Rows = append(sh.Rows, export.Row{Cells: r})
	}
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, []export.Sheet{sh}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadRiskSheetCSV(t *testing.T) {
	// Danish Excel: semicolons, Windows-1252, a title row above the headings.
	csv := "Risikoregister;;;\r\n\r\nAktiv;Trussel;Sandsynlighed;Konsekvens;Ejer e-mail;Noter\r\n" +
		"Løn;Brand;2;3;a@b.dk;x\r\n;;;;;\r\n\"ESDH; drift\";\"Ransomware\";4;4;;\r\n"
	latin := []byte{}
	for _, r := range csv {
		latin = append(latin, byte(r)) // ø is 0xF8 in both Latin-1 and Windows-1252
	}
	s, err := export.ReadRiskSheet("register.csv", latin)
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderRow != 3 || len(s.Rows) != 2 || s.Rows[0].Row != 4 || s.Rows[1].Row != 6 {
		t.Fatalf("rows: %+v", s)
	}
	if s.Rows[0].Cells["asset"] != "Løn" || s.Rows[1].Cells["asset"] != "ESDH; drift" || s.Rows[0].Cells["owner"] != "a@b.dk" {
		t.Fatalf("cells: %+v", s.Rows)
	}
	if len(s.Ignored) != 1 || !strings.HasPrefix(s.Ignored[0], "F · Noter") || s.Column("likelihood") != "C · Sandsynlighed" {
		t.Fatalf("columns: %+v %v", s.Columns, s.Ignored)
	}
	// Comma-separated English with a byte-order mark.
	s, err = export.ReadRiskSheet("r.csv", []byte("\xef\xbb\xbfAsset,Threat,Likelihood,Impact,Residual likelihood\nESDH,Fire,1,2,1\n"))
	if err != nil || len(s.Rows) != 1 || s.Rows[0].Cells["consequence"] != "2" || !s.Has("residual_likelihood") {
		t.Fatalf("english: %+v %v", s, err)
	}
}

func TestReadRiskSheetXLSXAndExportHeadings(t *testing.T) {
	var header []string
	for _, f := range isms.RiskSheetFields {
		header = append(header, export.RiskSheetHeading(f, "en"))
	}
	row := make([]any, len(header))
	row[0], row[1], row[4] = "ESDH", "Fire", 2
	data := riskXLSX(t, header, row)
	s, err := export.ReadRiskSheet("r.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Columns) != len(isms.RiskSheetFields) || len(s.Rows) != 1 || s.Rows[0].Cells["likelihood"] != "2" || s.HeaderRow != 3 {
		t.Fatalf("xlsx: %+v", s)
	}
	// Every heading the export writes, in both languages, reads back as
	// its field.
	for _, lang := range []string{"da", "en"} {
		for _, f := range isms.RiskSheetFields {
			if got := export.RiskHeadingField(export.RiskSheetHeading(f, lang)); got != f {
				t.Errorf("%s heading of %s reads as %q", lang, f, got)
			}
		}
	}
}

func TestReadRiskSheetRefusals(t *testing.T) {
	for name, c := range map[string]struct {
		data string
		key  string
	}{
		"empty":        {"", "risk.err.import_empty"},
		"no heading":   {"a;b;c\n1;2;3\n", "risk.err.import_no_header"},
		"no rows":      {"Aktiv;Trussel\n;;\n", "risk.err.import_no_rows"},
		"column twice": {"Aktiv;Trussel;Asset\nx;y;z\n", "risk.err.import_column_twice"},
		"broken xlsx":  {"PK\x03\x04garbage", "risk.err.import_unreadable"},
		"bad quote":    {"Aktiv;Trussel\n\"x;y\n", ""},
	} {
		_, err := export.ReadRiskSheet(name, []byte(c.data))
		e := isms.AsError(err)
		if c.key == "" {
			continue // either read leniently or refused; never a panic
		}
		if e == nil || e.Key != c.key || e.Code != isms.EInvalid {
			t.Errorf("%s: %v, want %s", name, err, c.key)
		}
	}
	big := "Aktiv;Trussel\n" + strings.Repeat("x;y\n", export.RiskSheetMaxRows+1)
	if _, err := export.ReadRiskSheet("big.csv", []byte(big)); isms.AsError(err) == nil || isms.AsError(err).Key != "risk.err.import_too_many_rows" {
		t.Errorf("too many rows: %v", err)
	}
}

// FuzzReadRiskSheet feeds the reader arbitrary bytes: it must return a
// sheet or an error, never panic, and a sheet it returns must keep its
// promises (known fields, rows below the heading in order, limits kept).
func FuzzReadRiskSheet(f *testing.F) {
	f.Add("register.csv", []byte("Aktiv;Trussel;Sandsynlighed;Konsekvens\nESDH;Brand;2;3\n"))
	f.Add("r.csv", []byte("Asset,Threat,Likelihood,Consequence,Owner e-mail,Deadline,Planned controls (Annex A)\n\"a,b\",Fire,1,2,x@y.z,2026-01-01,\"A.8.7, 5.15\"\n"))
	f.Add("r.csv", []byte("\xef\xbb\xbfAktiv\tTrussel\nx\ty\n"))
	f.Add("r.csv", []byte("Aktiv;Trussel\n\"unterminated;x\n"))
	f.Add("r.csv", []byte("Risikoregister\n\nAktiv;Trussel;Sandsynlighed\n\xf8;\xe6;\x80\n"))
	f.Add("r.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Add("", []byte{})
	f.Add("r.csv", []byte("\x00\x01\x02"))
	var header []string
	for _, fl := range isms.RiskSheetFields {
		header = append(header, export.RiskSheetHeading(fl, "da"))
	}
	f.Add("r.xlsx", riskXLSX(f, header, []any{"ESDH", "Brand", 2, 3}, []any{"Løn", "Ransomware", "Sandsynligt", 4}))
	// The Danish Excel register and its XLSX, with bracketed headings.
	for _, name := range []string{"risikoregister-1252.csv", "risikoregister.xlsx", "risikoregister-fejl-1252.csv"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, data)
	}
	f.Add("r.csv", []byte("Nr.;Aktiv (navn);Trussel [katalog];Sandsynlighed (1-4);Konsekvens [1-5];Risikoejer (navn)\nR1;ESDH;Brand;Høj;4 - Høj;IT-chef\n"))
	known := map[string]bool{}
	for _, fl := range isms.RiskSheetFields {
		known[fl] = true
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		s, err := export.ReadRiskSheet(name, data)
		if err == nil {
			// Every heading the reader keeps for the mapping step names a
			// known field or none.
			for _, h := range s.Headings {
				if h.Field != "" && !known[h.Field] {
					t.Fatalf("heading %+v fills an unknown field", h)
				}
			}
			for _, r := range s.Rows {
				for fl, v := range r.Cells {
					if _, ok := isms.ProposeLevel(v, []isms.ScaleLabel{{}, {}, {}, {}}); ok && fl == "" {
						t.Fatal("a cell without a field")
					}
					isms.ProposeTreatment(v)
				}
			}
		}
		if err != nil {
			if isms.AsError(err) == nil {
				t.Fatalf("an error without a message for the user: %v", err)
			}
			return
		}
		if len(s.Rows) == 0 || len(s.Rows) > export.RiskSheetMaxRows {
			t.Fatalf("%d rows", len(s.Rows))
		}
		for _, c := range s.Columns {
			if !known[c.Field] || c.Letter == "" {
				t.Fatalf("column %+v", c)
			}
		}
		last := s.HeaderRow
		for _, r := range s.Rows {
			if r.Row <= last {
				t.Fatalf("row %d after %d", r.Row, last)
			}
			last = r.Row
			for k := range r.Cells {
				if !known[k] {
					t.Fatalf("cell of unknown field %q", k)
				}
			}
		}
	})
}

// TestReadRiskSheetKeepsNULForTheStore: a NUL in a cell (a byte in a CSV
// file, _x0000_ in an XLSX cell, as Excel writes control characters) is
// kept, for the store to refuse by row and column, rather than dropped
// unseen; in a heading it is dropped, and in the first line of a CSV file
// it means the file is not text of ours (UTF-16) at all.
func TestReadRiskSheetKeepsNULForTheStore(t *testing.T) {
	s, err := export.ReadRiskSheet("r.csv", []byte("Aktiv;Trussel;Beskrivelse\nESDH;Brand;før\x00efter\n"))
	if err != nil || s.Rows[0].Cells["description"] != "før\x00efter" {
		t.Fatalf("csv: %+v %v", s, err)
	}
	s, err = export.ReadRiskSheet("r.xlsx", riskXLSX(t, []string{"Aktiv", "Trussel", "Beskri_x0000_velse"}, []any{"ESDH", "Brand_x0000_", "x"}))
	if err != nil || s.Rows[0].Cells["threat"] != "Brand\x00" || s.Column("description") != "C · Beskrivelse" {
		t.Fatalf("xlsx: %+v %v", s, err)
	}
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "Aktiv;Trussel\nESDH;Brand\n" {
		utf16 = append(utf16, byte(r), 0)
	}
	if _, err := export.ReadRiskSheet("r.csv", utf16); isms.AsError(err) == nil || isms.AsError(err).Key != "risk.err.import_unreadable" {
		t.Fatalf("utf-16: %v", err)
	}
}
