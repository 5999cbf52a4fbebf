package export

import (
	"github.com/ismsdk/isms"
)

// Reading an incident log kept in a spreadsheet or exported from another
// tool (guide 2.9), through the shared sheet reader (sheet_reader.go): the
// heading row is the first with a title column and a column for the time
// of detection; the cells are returned as text for the store to check.

// Limits of an imported incident log.
const (
	IncidentSheetMaxBytes = 4 << 20
	IncidentSheetMaxRows  = 5000
)

// incidentHeadings maps normalised headings (see NormalizeImportHeading)
// to fields, in Danish and English as incident logs are headed.
var incidentHeadings = map[string]string{
	"title": "title", "titel": "title", "overskrift": "title", "hændelse": "title", "hændelsen": "title", "incident": "title",
	"incidenttitle": "title", "summary": "title", "resumé": "title", "emne": "title", "subject": "title", "navn": "title", "name": "title",
	"hændelsestitel": "title", "kortbeskrivelse": "title", "shortdescription": "title", "sikkerhedshændelse": "title",

	"description": "description", "beskrivelse": "description", "detaljer": "description", "details": "description",
	"hændelsesbeskrivelse": "description", "forløb": "description", "hvadskete": "description", "hvadsketerder": "description",
	"whathappened": "description", "incidentdescription": "description", "uddybning": "description",

	"detected": "detected", "detectedat": "detected", "detectedon": "detected", "datedetected": "detected", "detectiondate": "detected",
	"opdaget": "detected", "opdagetden": "detected", "opdagetdato": "detected", "tidspunktforopdagelse": "detected",
	"dato": "detected", "date": "detected", "hændelsesdato": "detected", "incidentdate": "detected", "datoforopdagelse": "detected",
	"opdagelsesdato": "detected", "opdagelsestidspunkt": "detected", "registreret": "detected", "reported": "detected",
	"dateandtime": "detected", "datoogtid": "detected", "datoogklokkeslæt": "detected", "tidspunkt": "detected",

	"time": "detected_time", "klokkeslæt": "detected_time", "kl": "detected_time", "tid": "detected_time", "timedetected": "detected_time",
	"detectedtime": "detected_time", "klokkeslætopdaget": "detected_time", "opdagetkl": "detected_time", "opdagetklokkeslæt": "detected_time",

	"location": "location", "sted": "location", "lokation": "location", "placering": "location", "afdeling": "location",
	"department": "location", "enhed": "location", "unit": "location", "berørtsystem": "location", "affectedsystem": "location",

	"category": "category", "kategori": "category", "type": "category", "hændelsestype": "category", "incidenttype": "category",
	"art": "category", "klassifikation": "category", "classification": "category",

	"severity": "severity", "alvorlighed": "severity", "alvorlighedsgrad": "severity", "alvor": "severity", "prioritet": "severity",
	"priority": "severity", "niveau": "severity", "level": "severity", "impact": "severity", "konsekvens": "severity",

	"status": "status", "state": "status", "tilstand": "status", "stade": "status",

	"personaldata": "personal_data", "personaldatabreach": "personal_data", "personoplysninger": "personal_data",
	"brudpåpersondatasikkerheden": "personal_data", "persondatabrud": "personal_data", "gdpr": "personal_data",
	"gdprbrud": "personal_data", "persondata": "personal_data", "brudpåpersondata": "personal_data", "databreach": "personal_data",
	"personoplysningerberørt": "personal_data",

	"nis2": "nis2", "nis2significant": "nis2", "nis2væsentlig": "nis2", "væsentlignis2": "nis2", "væsentlighændelse": "nis2",
	"significantincident": "nis2", "væsentligefternis2": "nis2", "significantundernis2": "nis2", "nis2betydelig": "nis2",

	"lessons": "lessons", "lessonslearned": "lessons", "læring": "lessons", "erfaringer": "lessons", "læringspunkter": "lessons",
	"erfaring": "lessons", "hvadlærtevi": "lessons", "opfølgning": "lessons", "learnings": "lessons", "lærdom": "lessons",

	"owner": "owner", "ejer": "owner", "ansvarlig": "owner", "owneremail": "owner", "ansvarligemail": "owner", "sagsbehandler": "owner",
	"handler": "owner", "assignee": "owner", "håndteretaf": "owner", "handledby": "owner", "hændelsesansvarlig": "owner",
}

// IncidentHeadingField is the field a heading fills, "" when not
// recognised.
func IncidentHeadingField(heading string) string {
	return incidentHeadings[NormalizeImportHeading(heading)]
}

var incidentSpec = sheetSpec{maxBytes: IncidentSheetMaxBytes, maxRows: IncidentSheetMaxRows, field: IncidentHeadingField,
	isHeader: func(f map[string]bool) bool { return f["title"] && f["detected"] }, errFamily: "rimp"}

// ReadIncidents reads an incident log from an XLSX or CSV file.
func ReadIncidents(filename string, data []byte) (*isms.RegisterSheet, error) {
	return readRegister(isms.ImportIncidents, incidentSpec, filename, data)
}

// IncidentHeading is the heading an incident log uses for a field, in the
// given language; the reader recognises every one of them.
func IncidentHeading(field, lang string) string {
	return registerHeading(incidentExportHeadings, field, lang)
}

var incidentExportHeadings = map[string][2]string{
	"title": {"Hændelse", "Incident"}, "description": {"Beskrivelse", "Description"}, "detected": {"Opdaget", "Detected"},
	"detected_time": {"Klokkeslæt", "Time"}, "location": {"Sted", "Location"}, "category": {"Kategori", "Category"},
	"severity": {"Alvorlighed", "Severity"}, "status": {"Status", "Status"}, "personal_data": {"Brud på persondatasikkerheden", "Personal data breach"},
	"nis2": {"Væsentlig efter NIS2", "NIS2 significant"}, "lessons": {"Læring", "Lessons learned"}, "owner": {"Ansvarlig", "Owner"},
}
