package export

import "github.com/ismsdk/isms"

// Values of a measurement programme's indicator imported from a
// spreadsheet (guide 2.9): an XLSX or CSV file with a date column and a
// value column, and optionally a note, as a monitoring tool or a colleague's
// sheet writes them. The shared sheet reader finds the heading row; the
// rows are checked as values by the store, all or none.

const (
	// IndicatorSheetMaxBytes bounds an indicator's value file.
	IndicatorSheetMaxBytes = 2 << 20
	// IndicatorSheetMaxRows bounds its rows, as the store's import does.
	IndicatorSheetMaxRows = 1000
)

// indicatorHeadings are the headings recognised, normalised (letters and
// digits, lower case), in Danish and English.
var indicatorHeadings = map[string]string{
	"dato": "measured_on", "maaltden": "measured_on", "måltden": "measured_on", "date": "measured_on", "measuredon": "measured_on",
	"dag": "measured_on", "day": "measured_on", "periode": "measured_on", "period": "measured_on",
	"værdi": "value", "vaerdi": "value", "måltværdi": "value", "value": "value", "measuredvalue": "value", "resultat": "value", "result": "value",
	"bemærkning": "note", "bemaerkning": "note", "note": "note", "kommentar": "note", "comment": "note",
}

// IndicatorHeadingField is the field a heading names, "" when none.
func IndicatorHeadingField(heading string) string {
	return indicatorHeadings[NormalizeRiskHeading(heading)]
}

var indicatorSpec = sheetSpec{maxBytes: IndicatorSheetMaxBytes, maxRows: IndicatorSheetMaxRows, field: IndicatorHeadingField,
	isHeader: func(f map[string]bool) bool { return f["measured_on"] && f["value"] }, errFamily: "meas"}

// ReadIndicatorValues reads an indicator's values from an XLSX or CSV
// file: each data row's cells by field (measured_on, value, note) with its
// row number in the file.
func ReadIndicatorValues(filename string, data []byte) ([]isms.SheetRow, error) {
	r, err := readSheet(indicatorSpec, filename, data)
	if err != nil {
		return nil, err
	}
	return r.Rows, nil
}
