package i18n

// An organisation's archive: the download for its administrators, the
// import for site administrators, and the import's refusals
// (sqlstore/org_archive.go).
func init() {
	add(map[Key][2]string{
		"org_archive.title": {"Organisationens arkiv", "The organisation's archive"},
		"org_archive.intro": {"Hent hele organisationens ISMS som én fil: til at flytte den til en anden installation af produktet eller til at gemme en kopi offline.",
			"Download the organisation's whole ISMS as one file: to move it to another installation of the product, or to keep a copy offline."},
		"org_archive.holds": {"Filen rummer alle organisationens registreringer, dens filer (dokumentversioner og dokumentation) og hele dens revisionsspor.",
			"The file holds every record of the organisation, its files (document versions and evidence) and its whole audit trail."},
		"org_archive.people": {"Personerne, som registreringerne nævner, følger med med navn og e-mailadresse, aldrig med adgangskode.",
			"The people the records name come along with their name and e-mail address, never with a password."},
		"org_archive.chain": {"Revisionssporets hashkæde kontrolleres ved importen, og importen registreres oven på den.",
			"The audit trail's hash chain is checked on import, and the import is recorded on top of it."},
		"org_archive.parent": {"Kun denne organisation kommer med: en overordnet organisation og underorganisationer har hver sit arkiv.",
			"Only this organisation is included: a parent organisation and child organisations each have their own archive."},
		"org_archive.confidential": {"Arkivet rummer også fortrolige dokumenter og beredskabsplaner. Opbevar det som dem.",
			"The archive also holds confidential documents and contingency plans. Keep it as you keep them."},
		"org_archive.download": {"Hent arkivet", "Download the archive"},
		"org_archive.cli":      {"Fra kommandolinjen:", "From the command line:"},
		"org_archive.cli_file": {"arkiv.isms-org.gz", "archive.isms-org.gz"},
		"org_archive.settings_intro": {"Hele organisationen som én fil, til flytning eller en kopi offline.",
			"The whole organisation as one file, to move it or keep a copy offline."},
		"org_archive.settings_link": {"Hent organisationens arkiv", "Download the organisation's archive"},
		"org_archive.home_intro": {"Har I en organisation i en anden installation af produktet?",
			"Is an organisation kept in another installation of the product?"},
		"org_archive.home_link": {"Importér dens arkiv", "Import its archive"},

		"org_archive.import_title": {"Importér en organisation", "Import an organisation"},
		"org_archive.import_intro": {"Et arkiv hentet fra en anden installation bliver til en ny organisation her, med alle dens registreringer, filer og dens revisionsspor.",
			"An archive downloaded from another installation becomes a new organisation here, with all its records, files and its audit trail."},
		"org_archive.import_people": {"Personer findes ud fra e-mailadressen. Dem, der ikke har en konto her, får en konto uden adgangskode: de kan logge ind, når en siteadministrator har sat en adgangskode, eller via single sign-on.",
			"People are matched by e-mail address. Those without an account here get one without a password: they can log in once a site administrator has set a password, or through single sign-on."},
		"org_archive.import_chain": {"Arkivets kontrolsum og revisionssporets hashkæde kontrolleres, før noget gemmes. Er noget forkert, gemmes intet.",
			"The archive's checksum and the audit trail's hash chain are checked before anything is stored. If anything is wrong, nothing is stored."},
		"org_archive.import_size": {"Filer op til %s kan importeres her; større arkiver importeres med isms org import.",
			"Files up to %s can be imported here; larger archives are imported with isms org import."},
		"org_archive.field.name":      {"Nyt navn (valgfrit)", "New name (optional)"},
		"org_archive.field.name_help": {"Lad feltet stå tomt for at bruge arkivets navn.", "Leave it empty to use the archive's name."},
		"org_archive.field.file":      {"Arkivfil", "Archive file"},
		"org_archive.import":          {"Importér", "Import"},
		"org_archive.flash.imported": {"Organisationen er importeret, og dens revisionsspor er kontrolleret.",
			"The organisation has been imported and its audit trail checked."},

		"org_archive.err.name_taken": {"Der findes allerede en organisation med navnet %q. Giv den importerede organisation et andet navn.",
			"An organisation named %q already exists. Give the imported organisation another name."},
		"org_archive.err.refused": {"Arkivet blev afvist, og intet er gemt: %s",
			"The archive was refused and nothing was stored: %s"},
		"org_archive.err.no_file": {"Vælg arkivfilen.", "Choose the archive file."},
		"org_archive.err.too_large": {"Filen er større end grænsen på %s. Importér den med isms org import.",
			"The file is larger than the limit of %s. Import it with isms org import."},
		"org_archive.err.broken": {"Formularen kom ikke helt frem. Prøv igen.", "The form did not arrive whole. Try again."},

		"action.import": {"importeret", "imported"},
		"action.export": {"hentet som arkiv", "downloaded as an archive"},
	})
}
