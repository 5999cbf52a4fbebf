package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/ismsdk/isms"
)

// Reading participation in the awareness programme as an e-learning
// system or HR exports it, through the shared sheet reader
// (sheet_reader.go): a person by name and/or e-mail address, their unit,
// the activity (by its title; or chosen on the upload for a file without
// that column), the day and, where there is one, the score. The heading
// row is the first with a name or e-mail column and a date column.

// Limits of an imported participation file.
const (
	ParticipationMaxBytes = 2 << 20
	ParticipationMaxRows  = 5000
)

// participationHeadings maps normalised headings (lower case, letters and
// digits only, see NormalizeRiskHeading) to fields, in Danish and English
// as e-learning systems and HR systems head their exports.
var participationHeadings = map[string]string{
	"name": "name", "navn": "name", "fuldtnavn": "name", "fullname": "name", "medarbejder": "name", "medarbejdernavn": "name",
	"employee": "name", "employeename": "name", "deltager": "name", "deltagernavn": "name", "participant": "name",
	"participantname": "name", "learner": "name", "learnername": "name", "person": "name", "username": "name", "brugernavn": "name",

	"email": "email", "emailaddress": "email", "emailadresse": "email", "mail": "email", "mailadresse": "email",
	"useremail": "email", "epost": "email", "arbejdsmail": "email", "workemail": "email",

	"unit": "unit", "enhed": "unit", "afdeling": "unit", "department": "unit", "organisationsenhed": "unit", "orgunit": "unit",
	"organisationalunit": "unit", "organizationalunit": "unit", "forvaltning": "unit", "team": "unit", "division": "unit",

	"activity": "activity", "aktivitet": "activity", "course": "activity", "coursename": "activity", "coursetitle": "activity",
	"kursus": "activity", "kursusnavn": "activity", "kursustitel": "activity", "module": "activity", "modul": "activity",
	"campaign": "activity", "kampagne": "activity", "training": "activity", "awarenessaktivitet": "activity",

	"date": "date", "dato": "date", "completed": "date", "completedon": "date", "completiondate": "date", "datecompleted": "date",
	"completedat": "date", "gennemført": "date", "gennemførtdato": "date", "gennemførelsesdato": "date", "gennemførtden": "date",
	"deltagetdato": "date", "datoforgennemførelse": "date", "afsluttet": "date", "finished": "date",

	"score": "score", "point": "score", "points": "score", "resultat": "score", "result": "score", "karakter": "score",
	"procent": "score", "percent": "score", "scoreprocent": "score", "scorepercent": "score", "testresultat": "score",
}

// ParticipationHeadingField is the field a heading fills, "" when not
// recognised.
func ParticipationHeadingField(heading string) string {
	return participationHeadings[NormalizeRiskHeading(heading)]
}

var participationSpec = sheetSpec{maxBytes: ParticipationMaxBytes, maxRows: ParticipationMaxRows, field: ParticipationHeadingField,
	isHeader: func(f map[string]bool) bool { return (f["name"] || f["email"]) && f["date"] }, errFamily: "awp"}

// ReadParticipation reads a participation file (XLSX or CSV). The sheet
// carries the file's SHA-256, which names its upload.
func ReadParticipation(filename string, data []byte) (*isms.ParticipationSheet, error) {
	r, err := readSheet(participationSpec, filename, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	return &isms.ParticipationSheet{Filename: r.Filename, SHA256: hex.EncodeToString(sum[:]), HeaderRow: r.HeaderRow,
		Columns: r.Columns, Ignored: r.Ignored, Rows: r.Rows}, nil
}

// ParticipationHeading is the heading a template file uses for a field,
// in the given language; the reader recognises every one of them.
func ParticipationHeading(field, lang string) string {
	h, ok := participationExportHeadings[field]
	if !ok {
		panic(fmt.Sprintf("export: no heading for participation field %q", field))
	}
	if lang == "en" {
		return h[1]
	}
	return h[0]
}

var participationExportHeadings = map[string][2]string{
	"name": {"Navn", "Name"}, "email": {"E-mail", "E-mail"}, "unit": {"Enhed", "Unit"}, "activity": {"Aktivitet", "Activity"},
	"date": {"Dato", "Date"}, "score": {"Score", "Score"},
}

// ParticipationFromRows makes a sheet of rows given by field (the API's
// JSON import), numbered from 1 as a file's data rows below a heading
// would be from 2; data names the upload by its SHA-256. The cells are
// cleaned as a file's are.
func ParticipationFromRows(filename string, data []byte, rows []map[string]string) *isms.ParticipationSheet {
	sum := sha256.Sum256(data)
	if filename = cleanHeading(filename); filename == "" {
		filename = "api"
	}
	s := &isms.ParticipationSheet{Filename: filename, SHA256: hex.EncodeToString(sum[:]), HeaderRow: 0}
	seen := map[string]bool{}
	for i, r := range rows {
		cells := map[string]string{}
		for f, v := range r {
			if v = cleanCell(v, sheetMaxCell); v != "" {
				cells[f] = v
				seen[f] = true
			}
		}
		s.Rows = append(s.Rows, isms.SheetRow{Row: i + 1, Cells: cells})
	}
	for _, f := range isms.ParticipationSheetFields {
		if seen[f] {
			s.Columns = append(s.Columns, isms.SheetColumn{Field: f, Header: f})
		}
	}
	return s
}
