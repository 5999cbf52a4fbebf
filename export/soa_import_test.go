package export_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

const soaDanishCSV = "\ufeffKontrol;Titel;Anvendelig;Begrundelse;Begrundelse for fravalg;Implementeringsstatus\r\n" +
	"A.5;Informationssikkerhedspolitikker;;;;\r\n" +
	"A.5.1;Retningslinjer fra ledelsen;;;;\r\n" +
	"A.5.1.1;Politikker for informationssikkerhed;Ja;Krav i ISO 27001;;Implementeret\r\n" +
	"A.5.1.2;Gennemgang af politikker;ja;;;Delvist\r\n" +
	";;;;;\r\n" +
	"A.14.2.7;Outsourcet udvikling;Nej;;Kommunen udvikler ikke;Ikke relevant\r\n" +
	"A.12.4.1 Hændelseslogning;;X;Risiko R-12;;50 %\r\n"

func soaRefs(rows []isms.SoAImportRow) string {
	var s []string
	for _, r := range rows {
		s = append(s, fmt.Sprintf("%d:%s:%s:%s", r.Row, r.Ref2013, r.Applicability, r.Status))
	}
	return strings.Join(s, " ")
}

func soaProblems(ps []isms.SoAImportProblem) string {
	var s []string
	for _, p := range ps {
		s = append(s, fmt.Sprintf("%d|%s|%s%v", p.Row, p.Column, p.Message.Key, p.Message.Args))
	}
	return strings.Join(s, "\n")
}

func TestParseSoA2013DanishCSV(t *testing.T) {
	rows, problems := export.ParseSoA2013([]byte(soaDanishCSV))
	if len(problems) != 0 {
		t.Fatalf("problems:\n%s", soaProblems(problems))
	}
	want := "4:5.1.1:applicable:implemented 5:5.1.2:applicable:partially_implemented 7:14.2.7:excluded:not_applicable 8:12.4.1:applicable:partially_implemented"
	if got := soaRefs(rows); got != want {
		t.Fatalf("rows\n got %s\nwant %s", got, want)
	}
	if rows[0].Justification != "Krav i ISO 27001" || rows[2].ExclusionReason != "Kommunen udvikler ikke" {
		t.Fatalf("texts: %+v", rows)
	}
}

func TestParseSoA2013Windows1252AndCommas(t *testing.T) {
	// "Begrundelse" and "Årsag" in Windows-1252, as Danish Excel saves CSV.
	text := "Control ID,Applicable,Justification,Reason for exclusion,Status\n5.1.1,Yes,L\xe6ringsm\xe5l,,Implemented\n6.2.2,No,,Ingen fjernarbejde \x96 kontor,\n"
	rows, problems := export.ParseSoA2013([]byte(text))
	if len(problems) != 0 || len(rows) != 2 {
		t.Fatalf("rows %v problems\n%s", soaRefs(rows), soaProblems(problems))
	}
	if rows[0].Justification != "Læringsmål" || rows[1].ExclusionReason != "Ingen fjernarbejde – kontor" {
		t.Fatalf("decoded: %q %q", rows[0].Justification, rows[1].ExclusionReason)
	}
}

func TestParseSoA2013XLSX(t *testing.T) {
	var buf bytes.Buffer
	err := export.WriteXLSX(&buf, []export.Sheet{
		{Name: "Forside", Header: []string{"Statement of Applicability 2019"}},
		{Name: "SoA", Title: "SoA 2019", Header: []string{"Ref.", "Kontrol", "Relevant", "Begrundelse", "Status"}, Rows: []export.Row{
			{Section: "A.9 Adgangsstyring"},
			{Cells: []any{"A.9.1.1", "Politik for adgangsstyring", "Ja", "GDPR art. 32", "Implementeret"}},
			{Cells: []any{"A.9.1.2", "Adgang til netværk", "Nej", "Dækket af 9.1.1", ""}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := export.ParseSoA2013(buf.Bytes())
	if len(problems) != 0 || soaRefs(rows) != "5:9.1.1:applicable:implemented 6:9.1.2:excluded:" {
		t.Fatalf("rows %s problems\n%s", soaRefs(rows), soaProblems(problems))
	}
	if rows[1].Justification != "Dækket af 9.1.1" {
		t.Fatalf("%+v", rows[1])
	}
}

func TestParseSoA2013NamesEachProblemByRowAndColumn(t *testing.T) {
	text := "Kontrol;Anvendelig;Begrundelse;Status\n" +
		"A.5.1.1;Måske;;\n" +
		"A.5.1.2;;;\n" +
		"Politik;Ja;;\n" +
		"A.6.1.1;Nej;;\n" +
		"A.6.1.2;Ja;;Snart\n"
	_, problems := export.ParseSoA2013([]byte(text))
	want := "2|B (Anvendelig)|soa.import.err.bad_applicable[Måske]\n" +
		"3|B (Anvendelig)|soa.import.err.no_decision[]\n" +
		"4|A (Kontrol)|soa.import.err.bad_id[Politik]\n" +
		"5|C (Begrundelse)|soa.import.err.excluded_no_reason[]\n" +
		"6|D (Status)|soa.import.err.bad_status_value[Snart]"
	if got := soaProblems(problems); got != want {
		t.Fatalf("problems\n got %s\nwant %s", got, want)
	}
}

func TestParseSoA2013RefusesWhatItCannotRead(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		key  string
	}{
		"empty":     {[]byte("  \n"), "soa.import.err.empty_file"},
		"old excel": {append([]byte{0xD0, 0xCF, 0x11, 0xE0}, make([]byte, 100)...), "soa.import.err.old_excel"},
		"no header": {[]byte("a;b;c\n1;2;3\n"), "soa.import.err.no_header"},
		"bad zip":   {[]byte("PK\x03\x04this is not a workbook"), "soa.import.err.unreadable"},
		"no rows":   {[]byte("Kontrol;Anvendelig\nA.5;\n"), "soa.import.err.no_rows"},
		"too large": {bytes.Repeat([]byte("x"), 5<<20+1), "soa.import.err.file_too_large"},
	} {
		rows, problems := export.ParseSoA2013(tc.data)
		if len(rows) != 0 || len(problems) != 1 || problems[0].Message.Key != tc.key || problems[0].Row != 0 {
			t.Errorf("%s: rows %v problems %s", name, soaRefs(rows), soaProblems(problems))
		}
	}
}

// FuzzParseSoA2013 feeds the parser arbitrary files: it must never panic,
// and whatever it accepts is a well-formed row.
func FuzzParseSoA2013(f *testing.F) {
	f.Add([]byte(soaDanishCSV))
	f.Add([]byte("Control ID,Applicable,Justification\n5.1.1,Yes,x\n"))
	f.Add([]byte("Kontrol\tAnvendelig\tStatus\nA 9.1.1\tnej\t0 %\n"))
	f.Add([]byte("Kontrol;Anvendelig\n\"A.5.1.1;ja\n"))
	f.Add([]byte("PK\x03\x04"))
	var buf bytes.Buffer
	export.WriteXLSX(&buf, []export.Sheet{{Name: "SoA", Header: []string{"Kontrol", "Anvendelig", "Begrundelse"},
		Rows: []export.Row{{Cells: []any{"A.5.1.1", "Ja", "x"}}}}})
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems := export.ParseSoA2013(data)
		for _, r := range rows {
			if r.Row < 1 || r.Ref2013 == "" || (r.Applicability != isms.Applicable && r.Applicability != isms.Excluded) {
				t.Fatalf("malformed row %+v", r)
			}
			if r.Status != "" && !r.Status.Valid() {
				t.Fatalf("unknown status %+v", r)
			}
			if isms.HasNUL(r.Justification) || isms.HasNUL(r.ExclusionReason) {
				t.Fatalf("a row holding a NUL %+v", r)
			}
		}
		for _, p := range problems {
			if p.Row < 0 || p.Message.Key == "" {
				t.Fatalf("malformed problem %+v", p)
			}
		}
	})
}

// TestParseSoA2013RefusesNUL: a cell holding a NUL character (a byte in a
// CSV file, _x0000_ in an XLSX cell) cannot be stored; it is a problem named
// by row and column, and its row is not imported.
func TestParseSoA2013RefusesNUL(t *testing.T) {
	rows, problems := export.ParseSoA2013([]byte("Kontrol;Anvendelig;Begrundelse\nA.5.1.1;Ja;før\x00efter\nA.5.1.2;Ja;ok\n"))
	if got := soaProblems(problems); got != "2|C (Begrundelse)|err.nul_character[]" || soaRefs(rows) != "3:5.1.2:applicable:" {
		t.Fatalf("csv: rows %s problems\n%s", soaRefs(rows), soaProblems(problems))
	}
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, []export.Sheet{{Name: "SoA", Header: []string{"Kontrol", "Anvendelig", "Begrundelse for fravalg"},
		Rows: []export.Row{{Cells: []any{"A.5.1.1", "Nej", "Ikke_x0000_relevant"}}, {Cells: []any{"A.5.1.2", "Ja_x0000_", ""}}}}}); err != nil {
		t.Fatal(err)
	}
	rows, problems = export.ParseSoA2013(buf.Bytes())
	if got := soaProblems(problems); got != "2|C (Begrundelse for fravalg)|err.nul_character[]\n3|B (Anvendelig)|err.nul_character[]" || len(rows) != 0 {
		t.Fatalf("xlsx: rows %s problems\n%s", soaRefs(rows), soaProblems(problems))
	}
}
