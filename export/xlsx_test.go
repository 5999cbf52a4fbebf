package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
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
