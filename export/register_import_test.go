package export_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The supplier list as a spreadsheet has it, and as LibreOffice saves it:
// the heading row below two title rows, the headings' bracket notes
// ignored, the rows numbered as the spreadsheet shows them; the XLSX's
// dates come as serial numbers, the CSV's as written.
func TestReadSuppliersFiles(t *testing.T) {
	for _, c := range []struct{ file, end string }{{"leverandoerliste.csv", "31-12-2026"}, {"leverandoerliste.xlsx", "46387"}} {
		t.Run(c.file, func(t *testing.T) {
			s, err := export.ReadSuppliers(c.file, readTestdata(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind != isms.ImportSuppliers || s.HeaderRow != 3 || len(s.Rows) != 9 || len(s.SHA256) != 64 {
				t.Fatalf("kind %s, heading row %d, %d rows", s.Kind, s.HeaderRow, len(s.Rows))
			}
			var fields []string
			for _, col := range s.Columns {
				fields = append(fields, col.Field)
			}
			if got := strings.Join(fields, ","); got != "name,cvr,delivers,criticality,owner,contact,status,contract_end,dpa_end" {
				t.Fatalf("columns %s", got)
			}
			if s.Column("criticality") != "D · Kritikalitet (høj/middel/lav)" {
				t.Fatalf("criticality column %q", s.Column("criticality"))
			}
			first := s.Rows[0]
			if first.Row != 4 || first.Cells["name"] != "Nordhavn Hosting A/S" || first.Cells["cvr"] != "DK 1000 0009" || first.Cells["contract_end"] != c.end {
				t.Fatalf("first row %+v", first)
			}
			if last := s.Rows[8]; last.Row != 12 || last.Cells["criticality"] != "vital" {
				t.Fatalf("last row %+v", last)
			}
		})
	}
	// Danish Excel's "CSV (semicolon separated)": Windows-1252.
	s, err := export.ReadSuppliers("leverandoerliste-1252.csv", readTestdata(t, "leverandoerliste-1252.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderRow != 2 || len(s.Rows) != 2 || s.Rows[0].Cells["name"] != "Århus Printservice ApS" || s.Rows[1].Cells["delivers"] != "Netværk – drift og overvågning" ||
		s.Rows[1].Cells["contact"] != "Æble-vej 3; 2860 Søborg" || s.Rows[0].Row != 3 {
		t.Fatalf("1252 file: %+v", s.Rows)
	}
}

// The incident log: dates with and without a time, the time in the same
// cell or a column of its own, in both encodings.
func TestReadIncidentsFiles(t *testing.T) {
	for _, c := range []struct{ file, detected string }{{"haendelseslog.csv", "12-03-2025 14:30"}, {"haendelseslog.xlsx", "45728.6041666667"}} {
		t.Run(c.file, func(t *testing.T) {
			s, err := export.ReadIncidents(c.file, readTestdata(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind != isms.ImportIncidents || s.HeaderRow != 2 || len(s.Rows) != 9 {
				t.Fatalf("heading row %d, %d rows", s.HeaderRow, len(s.Rows))
			}
			for _, f := range []string{"title", "description", "detected", "category", "severity", "status", "personal_data", "nis2", "lessons", "owner"} {
				if !s.Has(f) {
					t.Errorf("no %s column", f)
				}
			}
			if r := s.Rows[0]; r.Row != 3 || r.Cells["title"] != "Phishingmail til økonomi" || r.Cells["detected"] != c.detected {
				t.Fatalf("first row %+v", r)
			}
		})
	}
	s, err := export.ReadIncidents("haendelseslog-1252.csv", readTestdata(t, "haendelseslog-1252.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Rows[0]; r.Cells["title"] != "Virus på skolens PC'er" || r.Cells["detected_time"] != "kl. 09.45" || r.Cells["detected"] != "03.02.2025" {
		t.Fatalf("1252 file: %+v", r)
	}
}

// Headings are recognised in Danish and English, in any case, with notes
// in brackets; a file without the heading row, or with a column twice, is
// refused by the import's own message.
func TestRegisterHeadings(t *testing.T) {
	for h, want := range map[string]string{"CVR-nr.": "cvr", "KRITIKALITET [A-D]": "criticality", "Owner (e-mail)": "owner",
		"Databehandleraftale udløber": "dpa_end", "Contract end": "contract_end", "Leverandør": "name", "Farve": ""} {
		if got := export.SupplierHeadingField(h); got != want {
			t.Errorf("supplier heading %q: %q, want %q", h, got, want)
		}
	}
	for h, want := range map[string]string{"Opdaget (dd-mm-åååå)": "detected", "Detected at": "detected", "Klokkeslæt": "detected_time",
		"Brud på persondatasikkerheden": "personal_data", "NIS2 significant": "nis2", "Lessons learned": "lessons", "Alvorlighed (1-4)": "severity"} {
		if got := export.IncidentHeadingField(h); got != want {
			t.Errorf("incident heading %q: %q, want %q", h, got, want)
		}
	}
	// Every heading the upload pages list is read back.
	for _, kind := range []string{isms.ImportSuppliers, isms.ImportIncidents} {
		for _, f := range export.RegisterSheetFields(kind) {
			for _, lang := range []string{"da", "en"} {
				h := export.RegisterHeading(kind, f, lang)
				got := export.SupplierHeadingField(h)
				if kind == isms.ImportIncidents {
					got = export.IncidentHeadingField(h)
				}
				if got != f {
					t.Errorf("%s heading %q reads as %q, want %q", kind, h, got, f)
				}
			}
		}
	}
	for _, c := range []struct {
		name, data, key string
		incidents       bool
	}{
		{"no heading", "Leverandør;Farve\nA;blå\n", "rimp.err.import_no_header", false},
		{"column twice", "Navn;CVR;CVR-nr.\nA;1;2\n", "rimp.err.import_column_twice", false},
		{"empty", "", "rimp.err.import_empty", false},
		{"no rows", "Hændelse;Opdaget\n;;\n", "rimp.err.import_no_rows", true},
		{"not a workbook", "PK\x03\x04garbage", "rimp.err.import_unreadable", true},
	} {
		var err error
		if c.incidents {
			_, err = export.ReadIncidents("x.csv", []byte(c.data))
		} else {
			_, err = export.ReadSuppliers("x.csv", []byte(c.data))
		}
		if e := isms.AsError(err); e == nil || e.Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
}

func fuzzRegister(f *testing.F, read func(string, []byte) (*isms.RegisterSheet, error), max int, seeds ...string) {
	for i, s := range seeds {
		f.Add("seed"+string(rune('a'+i))+".csv", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		s, err := read(name, data)
		if err != nil {
			if e := isms.AsError(err); e == nil || e.Code != isms.EInvalid || !strings.HasPrefix(e.Key, "rimp.err.import_") {
				t.Fatalf("unclear error %v", err)
			}
			return
		}
		if len(s.Rows) == 0 || len(s.Rows) > max || len(s.SHA256) != 64 {
			t.Fatalf("%d rows", len(s.Rows))
		}
		for _, r := range s.Rows {
			if r.Row <= s.HeaderRow || len(r.Cells) == 0 {
				t.Fatalf("row %+v below heading row %d", r, s.HeaderRow)
			}
		}
	})
}

func FuzzReadSuppliers(f *testing.F) {
	for _, name := range []string{"leverandoerliste.csv", "leverandoerliste.xlsx", "leverandoerliste-1252.csv"} {
		f.Add(name, readTestdata(f, name))
	}
	fuzzRegister(f, export.ReadSuppliers, export.SupplierSheetMaxRows,
		"Navn;CVR\nA;12345674\n", "Name,Criticality\n\"A\nB\",high\n", "Leverandør\tEjer\r\nS\xf8ren\tx@y\r\n", "x\n\nNavn;Kontakt (tlf)\n;\nA;1\n")
}

func FuzzReadIncidents(f *testing.F) {
	for _, name := range []string{"haendelseslog.csv", "haendelseslog.xlsx", "haendelseslog-1252.csv"} {
		f.Add(name, readTestdata(f, name))
	}
	fuzzRegister(f, export.ReadIncidents, export.IncidentSheetMaxRows,
		"Hændelse;Opdaget\nA;12-03-2025 14:30\n", "Title,Detected,Time\nA,45728.5,kl. 9.30\n", "Titel\tDato\r\nS\xf8ren\t1.1.2026\r\n")
}
