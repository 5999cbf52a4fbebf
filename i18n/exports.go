package i18n

// The registers' spreadsheets (XLSX exports): the headings of the columns
// that name a level beside its number, and the risk register's further
// consequences.
func init() {
	add(map[Key][2]string{
		// A level's number is one column, its name the next: "Sandsynlighed"
		// 3, "Sandsynlighed – navn" "Høj". The name column is not read back
		// by the imports, which read the number.
		"xlsx.level_name": {"%s – navn", "%s – name"},

		"risk.sheet.consequence_organisation":      {"Konsekvens for organisationen", "Consequence for the organisation"},
		"risk.sheet.consequence_citizens":          {"Konsekvens for borgerne", "Consequence for citizens"},
		"risk.sheet.consequence_society":           {"Konsekvens for samfundet", "Consequence for society"},
		"risk.sheet.consequence_organisation.help": {"Tal eller skalaens etiket, når risikometoden vurderer konsekvensen for organisationen.", "Number or the scale's label, where the risk method assesses the consequence for the organisation."},
		"risk.sheet.consequence_citizens.help":     {"Tal eller skalaens etiket, når risikometoden vurderer konsekvensen for de berørte borgere.", "Number or the scale's label, where the risk method assesses the consequence for the citizens concerned."},
		"risk.sheet.consequence_society.help":      {"Tal eller skalaens etiket, når risikometoden vurderer konsekvensen for samfundet.", "Number or the scale's label, where the risk method assesses the consequence for society."},

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
