package export_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

func participationXLSX(t testing.TB, header []string, rows ...[]any) []byte {
	t.Helper()
	sh := export.Sheet{Name: "Deltagelse", Header: header}
	for _, r := range rows {
		sh.Rows = append(sh.Rows, export.Row{Cells: r})
	}
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, []export.Sheet{sh}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadParticipationFormats(t *testing.T) {
	win1252 := []byte("Navn;Afdeling;Dato\r\nS\xf8ren \xc6rl\xf8;B\xf8rn og Unge;03-02-2026\r\n")
	cases := []struct {
		name, file string
		data       []byte
		want       map[string]string // the first row's cells
		row        int
	}{
		{"semicolon UTF-8 with BOM", "a.csv", []byte("\xef\xbb\xbfNavn;E-mail;Enhed;Aktivitet;Dato;Score\nAnna;anna@x.dk;IT;Quiz;02-03-2026;85 %\n"),
			map[string]string{"name": "Anna", "email": "anna@x.dk", "unit": "IT", "activity": "Quiz", "date": "02-03-2026", "score": "85 %"}, 2},
		{"comma English headings", "b.csv", []byte("Full name,Email address,Department,Course,Completion date,Result\nBo,bo@x.dk,HR,Phishing,2026-03-02,0.85\n"),
			map[string]string{"name": "Bo", "email": "bo@x.dk", "unit": "HR", "activity": "Phishing", "date": "2026-03-02", "score": "0.85"}, 2},
		{"Windows-1252", "c.csv", win1252, map[string]string{"name": "Søren Ærlø", "unit": "Børn og Unge", "date": "03-02-2026"}, 2},
		{"heading below a title, e-mail only", "d.csv", []byte("Eksport fra LMS\n\nE-mail;Gennemført\nc@x.dk;1.3.2026\n"),
			map[string]string{"email": "c@x.dk", "date": "1.3.2026"}, 4},
		{"XLSX", "e.xlsx", participationXLSX(t, []string{"Navn", "Enhed", "Dato"}, []any{"Dorte", "IT", 46083}),
			map[string]string{"name": "Dorte", "unit": "IT", "date": "46083"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := export.ReadParticipation(c.file, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Rows) != 1 || s.Rows[0].Row != c.row {
				t.Fatalf("rows %+v, want one at row %d", s.Rows, c.row)
			}
			for k, v := range c.want {
				if s.Rows[0].Cells[k] != v {
					t.Errorf("%s = %q, want %q", k, s.Rows[0].Cells[k], v)
				}
			}
			if len(s.SHA256) != 64 {
				t.Errorf("sha256 %q", s.SHA256)
			}
		})
	}
}

func TestReadParticipationRefuses(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		key  string
	}{
		{"empty", nil, "awp.err.import_empty"},
		{"no heading", []byte("a;b\n1;2\n"), "awp.err.import_no_header"},
		{"no rows", []byte("Navn;Dato\n"), "awp.err.import_no_rows"},
		{"column twice", []byte("Navn;Medarbejder;Dato\nA;B;1-1-2026\n"), "awp.err.import_column_twice"},
		{"too large", bytes.Repeat([]byte("x"), export.ParticipationMaxBytes+1), "awp.err.import_too_large"},
		{"too many rows", []byte("Navn;Dato\n" + strings.Repeat("a;1-1-2026\n", export.ParticipationMaxRows+1)), "awp.err.import_too_many_rows"},
		{"UTF-16", []byte("\xff\xfeN\x00a\x00v\x00n\x00"), "awp.err.import_unreadable"},
		{"broken zip", []byte("PK\x03\x04garbage"), "awp.err.import_unreadable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := export.ReadParticipation("f.csv", c.data)
			e := isms.AsError(err)
			if e == nil || e.Code != isms.EInvalid || e.Key != c.key {
				t.Fatalf("err = %v, want %s", err, c.key)
			}
		})
	}
}

// The file LibreOffice made from an e-learning export (testdata/README.md)
// reads with Excel serial dates and fractions for the per cent scores.
func TestReadParticipationLibreOffice(t *testing.T) {
	data, err := os.ReadFile("testdata/elaering-eksport.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	s, err := export.ReadParticipation("elaering-eksport.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rows) != 12 || len(s.Columns) != 6 {
		t.Fatalf("%d rows, columns %+v", len(s.Rows), s.Columns)
	}
	first := s.Rows[0]
	if first.Row != 2 || first.Cells["date"] != "46083" || first.Cells["score"] != "0.92" || first.Cells["name"] != "Anna Jensen" {
		t.Errorf("first row %+v", first)
	}
}

func FuzzReadParticipation(f *testing.F) {
	f.Add("a.csv", []byte("Navn;E-mail;Enhed;Aktivitet;Dato;Score\nAnna;a@x.dk;IT;Quiz;02-03-2026;85 %\n"))
	f.Add("b.csv", []byte("Name,Date\n\"Bo\nHansen\",2026-01-01\n"))
	f.Add("c.csv", []byte("E-mail\tDato\r\nx@y\t46083\r\n"))
	f.Add("d.csv", []byte("Navn;Dato\nS\xf8ren;1.1.2026\n"))
	f.Add("e.xlsx", participationXLSX(f, []string{"Navn", "Enhed", "Dato"}, []any{"Dorte", "IT", 46083}))
	if data, err := os.ReadFile("testdata/elaering-eksport.xlsx"); err == nil {
		f.Add("f.xlsx", data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		s, err := export.ReadParticipation(name, data)
		if err != nil {
			if e := isms.AsError(err); e == nil || e.Code != isms.EInvalid || !strings.HasPrefix(e.Key, "awp.err.import_") {
				t.Fatalf("unclear error %v", err)
			}
			return
		}
		if len(s.Rows) == 0 || len(s.Rows) > export.ParticipationMaxRows {
			t.Fatalf("%d rows", len(s.Rows))
		}
		for _, r := range s.Rows {
			if r.Row < 1 || len(r.Cells) == 0 {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
