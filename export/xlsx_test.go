package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

func TestWriteXLSXReadsBack(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXLSX(&buf, []Sheet{{Name: "Register", Title: "Dokumenter", Header: []string{"Id", "Titel"}, Widths: []float64{8, 40},
		Rows: []Row{{Section: "Organisatoriske"}, {Cells: []any{1, "Politik for informationssikkerhed"}}, {Cells: []any{2, nil}}}},
		{Name: "Andet", Header: []string{"A"}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Register")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Dokumenter" || rows[2][1] != "Titel" || rows[3][0] != "Organisatoriske" || rows[4][1] != "Politik for informationssikkerhed" {
		t.Fatalf("rows read back: %q", rows)
	}
	if got := f.GetSheetList(); len(got) != 2 || got[1] != "Andet" {
		t.Fatalf("sheets: %v", got)
	}
}

// A workbook's cells are typed: dates are date cells with a dd-mm-yyyy
// number format, times date-time cells in Danish time, numbers numbers,
// a level its number with its name beside it; the header row is frozen
// with an autofilter over the table, below the title; the columns are as
// wide as their content, within their caps.
func TestWriteXLSXTypedCells(t *testing.T) {
	day := isms.Date{Time: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)}
	at := time.Date(2026, 3, 9, 13, 30, 0, 0, time.UTC) // 14:30 in Copenhagen (winter)
	score := 2.5
	var none *isms.Date
	var buf bytes.Buffer
	err := WriteXLSX(&buf, []Sheet{{Name: "Risici", Title: "Risikoregister · Solbjerg Kommune",
		Header: []string{"Titel", "Frist", "Opdaget", "Antal", "Score", "Sandsynlighed", "Sandsynlighed – navn", "Tom", "Lang"},
		Widths: []float64{0, 0, 0, 0, 0, 0, 0, 0, 30},
		Rows: []Row{{Section: "Afsnit"}, {Cells: []any{"Phishing", day, at, 3, &score, Level{3, "Høj"}, none, strings.Repeat("ord ", 40)}},
			{Cells: []any{"Ransomware", &day, &at, int64(0), nil, Level{}, "", "kort"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	const sh = "Risici"
	typ := func(ref string) excelize.CellType {
		t.Helper()
		ct, err := f.GetCellType(sh, ref)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	numFmt := func(ref string) string {
		t.Helper()
		id, err := f.GetCellStyle(sh, ref)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if s.CustomNumFmt == nil {
			return ""
		}
		return *s.CustomNumFmt
	}
	raw := func(ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	shown := func(ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sh, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Row 3 is the header, 4 the section, 5 and 6 the data.
	if raw("B5") != "46090" || numFmt("B5") != DateFormat || shown("B5") != "09-03-2026" {
		t.Errorf("date cell: raw %q, format %q, shown %q", raw("B5"), numFmt("B5"), shown("B5"))
	}
	if numFmt("C5") != DateTimeFormat || shown("C5") != "09-03-2026 14:30" {
		t.Errorf("date-time cell: raw %q, format %q, shown %q", raw("C5"), numFmt("C5"), shown("C5"))
	}
	if shown("B6") != "09-03-2026" || shown("C6") != "09-03-2026 14:30" {
		t.Errorf("pointer date cells: %q %q", shown("B6"), shown("C6"))
	}
	for _, ref := range []string{"D5", "E5", "F5", "D6"} {
		if typ(ref) != excelize.CellTypeNumber && typ(ref) != excelize.CellTypeUnset {
			t.Errorf("%s: type %v, want a number", ref, typ(ref))
		}
	}
	if raw("D5") != "3" || raw("E5") != "2.5" || raw("F5") != "3" || raw("G5") != "Høj" || raw("D6") != "0" {
		t.Errorf("numbers and level: %q %q %q %q %q", raw("D5"), raw("E5"), raw("F5"), raw("G5"), raw("D6"))
	}
	if typ("G5") == excelize.CellTypeNumber {
		t.Errorf("a level's name is text")
	}
	for _, ref := range []string{"E6", "F6", "G6", "H5", "H6"} {
		if raw(ref) != "" {
			t.Errorf("%s: %q, want an empty cell", ref, raw(ref))
		}
	}
	panes, err := f.GetPanes(sh)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 3 || panes.TopLeftCell != "A4" {
		t.Errorf("panes: %+v, want frozen below the header row 3", panes)
	}
	filter := ""
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && d.Scope == sh {
			filter = d.RefersTo
		}
	}
	if filter != "'Risici'!$A$3:$I$6" && filter != "Risici!$A$3:$I$6" {
		t.Errorf("autofilter over %q, want the table A3:I6", filter)
	}
	width := func(col string) float64 {
		w, err := f.GetColWidth(sh, col)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	if w := width("A"); w < 10 || w > 14 {
		t.Errorf("column A (\"Ransomware\", \"Titel\") width %v", w)
	}
	if w := width("B"); w < 10 || w > 13 {
		t.Errorf("date column width %v", w)
	}
	if w := width("I"); w != 30 {
		t.Errorf("long text column width %v, want its cap 30", w)
	}
	if w := width("G"); w < 20 || w > 24 {
		t.Errorf("level name column width %v (its header is 20 characters)", w)
	}
}

// benchSheet is a register of 5000 rows of 20 columns: text, dates,
// times, numbers and levels, as a large organisation's risk register.
func benchSheet() []Sheet {
	sh := Sheet{Name: "Register", Title: "Risikoregister", Widths: make([]float64, 20)}
	for c := range 20 {
		sh.Header = append(sh.Header, "Kolonne "+strings.Repeat("x", c))
	}
	day := isms.Date{Time: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)}
	at := time.Date(2026, 3, 9, 13, 30, 0, 0, time.UTC)
	for r := range 5000 {
		cells := []any{"Aktiv " + strings.Repeat("a", r%30), "Trussel", "Beskrivelse af et scenarie\nover to linjer", r, float64(r) / 3, day, &day, at,
			Level{r%4 + 1, "Høj"}, "", nil, "tekst", r % 7, day, "a", "b", "c", "d"}
		sh.Rows = append(sh.Rows, Row{Cells: cells})
	}
	return []Sheet{sh}
}

// BenchmarkWriteXLSX measures a large register's workbook.
func BenchmarkWriteXLSX(b *testing.B) {
	sheets := benchSheet()
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, sheets); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len()), "bytes/file")
	}
}
