package i18n

// The registers' spreadsheets (XLSX exports): the headings of the columns
// that name a level beside its number, the risk register's further
// consequences, and an indicator's values.
func init() {
	add(map[Key][2]string{
		// A level's number is one column, its name the next: "Sandsynlighed"
		// 3, "Sandsynlighed – navn" "Høj". The name column is not read back
		// by the imports, which read the number.
		"xlsx.level_name": {"%s – navn", "%s – name"},

		// The further consequences a risk method may assess, headed as the
		// risk import reads them.
		"risk.export.consequence_org":      {"Konsekvens organisation", "Consequence organisation"},
		"risk.export.consequence_citizens": {"Konsekvens borgere", "Consequence citizens"},
		"risk.export.consequence_society":  {"Konsekvens samfund", "Consequence society"},
		"risk.export.product_id":           {"Id i ISMS", "ISMS id"},

		// An indicator's values, headed as the value import reads them.
		"meas.export.values_link":  {"Hent værdierne som regneark (XLSX)", "Download the values as a spreadsheet (XLSX)"},
		"meas.export.values_sheet": {"Værdier", "Values"},
		"meas.export.values_title": {"%s · %s · værdier pr. %s", "%s · %s · values as of %s"},
		"meas.export.values_file":  {"maalinger", "measurements"},

		"risk.export.inherent_score": {"Iboende risiko, score", "Inherent risk, score"},
		"risk.export.inherent_band":  {"Iboende risiko, niveau", "Inherent risk, band"},
		"risk.export.residual_score": {"Restrisiko, score", "Residual risk, score"},
		"risk.export.residual_band":  {"Restrisiko, niveau", "Residual risk, band"},
		"risk.export.accepted_on":    {"Accepteret den", "Accepted on"},
		"risk.export.accepted_until": {"Accepten gælder til", "Acceptance valid until"},
	})
}
