package i18n

// Imports that meet real files: the person resolver's reasons, the mapping
// step (a file's columns to the register's fields, its words to the
// organisation's scale and treatments), saved mappings, the import hub,
// and the risk register's import with its outcomes and warnings.
func init() {
	add(map[Key][2]string{
		"imp.warnings": {"Advarsler (rækkerne importeres alligevel)", "Warnings (the rows are imported all the same)"},
		"imp.warning":  {"Advarsel", "Warning"},
		"imp.err.person_unknown": {"“%s” er hverken e-mail, navn eller rolle for et medlem af organisationen; rækken importeres uden ejer.",
			"“%s” is neither the e-mail, the name nor the role of a member of the organisation; the row is imported without an owner."},
		"imp.err.person_ambiguous": {"Flere medlemmer hedder “%s”; angiv e-mailadressen. Rækken importeres uden ejer.",
			"Several members are called “%s”; give the e-mail address. The row is imported without an owner."},
		"imp.err.person_role_empty": {"Rollen “%s” har ingen indehaver; rækken importeres uden ejer.",
			"The role “%s” has no holder; the row is imported without an owner."},
		"imp.err.person_role_ambiguous": {"Rollen “%s” har flere indehavere; angiv personen. Rækken importeres uden ejer.",
			"The role “%s” has several holders; name the person. The row is imported without an owner."},
	})
}
