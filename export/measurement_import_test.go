package export_test

import (
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

func TestReadIndicatorValues(t *testing.T) {
	rows, err := export.ReadIndicatorValues("patch.csv", []byte("Patchrapport\n\nDato;Målt værdi;Bemærkning\n31-01-2026;93,5;\n2026-02-28;96;Efter vinduet\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Row != 4 || rows[0].Cells["measured_on"] != "31-01-2026" || rows[0].Cells["value"] != "93,5" || rows[1].Cells["note"] != "Efter vinduet" {
		t.Fatalf("rows %+v", rows)
	}
	for _, c := range []struct {
		data, key string
	}{{"", "meas.err.import_empty"}, {"Navn;Tal\nx;1\n", "meas.err.import_no_header"}, {"Date,Value\n", "meas.err.import_no_rows"}} {
		_, err := export.ReadIndicatorValues("x.csv", []byte(c.data))
		if e := isms.AsError(err); e == nil || e.Key != c.key {
			t.Errorf("%q: %v, want %s", c.data, err, c.key)
		}
	}
}

// The reader never panics and answers every file with rows or a clear
// error of the measurement import's own.
func FuzzReadIndicatorValues(f *testing.F) {
	f.Add("v.csv", []byte("Dato;Værdi\n2026-01-31;95\n"))
	f.Add("v.csv", []byte("Date,Value,Note\n\"31.01.2026\",\"1,5\",\"a\nb\"\n"))
	f.Add("v.csv", []byte("\xef\xbb\xbfDato\tVærdi\r\n46053\t7\r\n"))
	f.Add("v.csv", []byte("Dato;Værdi\n\"unterminated;x\n"))
	f.Add("v.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		rows, err := export.ReadIndicatorValues(name, data)
		if err != nil {
			if e := isms.AsError(err); e == nil || e.Code != isms.EInvalid || !strings.HasPrefix(e.Key, "meas.err.import_") {
				t.Fatalf("unclear error %v", err)
			}
			return
		}
		if len(rows) == 0 || len(rows) > export.IndicatorSheetMaxRows {
			t.Fatalf("%d rows", len(rows))
		}
	})
}
