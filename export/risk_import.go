package export

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ismsdk/isms"
)

// Reading a risk register as organisations keep it today, through the
// shared sheet reader (sheet_reader.go): the heading row is found among
// the first rows by its Danish or English column names; the cells are
// returned as text for the store to check against the records.

// Limits of an imported register.
const (
	RiskSheetMaxBytes = 2 << 20
	RiskSheetMaxRows  = 5000
)

// riskHeadings maps normalised column headings (lower case, letters and
// digits only) to fields, in Danish and English, as registers are
// commonly headed.
var riskHeadings = map[string]string{
	"key": "key", "id": "key", "riskid": "key", "risikoid": "key", "risikonr": "key", "risikonummer": "key", "risknumber": "key",
	"riskno": "key", "nr": "key", "nummer": "key", "løbenummer": "key", "lbnr": "key", "nøgle": "key", "ref": "key", "reference": "key",
	"riskref": "key", "risikoreference": "key",

	"consequenceorganisation": "consequence_org", "consequenceorganization": "consequence_org", "konsekvensorganisation": "consequence_org",
	"konsekvensfororganisationen": "consequence_org", "organisation": "consequence_org", "organisationen": "consequence_org",
	"consequencecitizens": "consequence_citizens", "konsekvensborgere": "consequence_citizens", "konsekvensforborgerne": "consequence_citizens",
	"borgere": "consequence_citizens", "borgerne": "consequence_citizens", "citizens": "consequence_citizens",
	"consequencesociety": "consequence_society", "konsekvenssamfund": "consequence_society", "konsekvensforsamfundet": "consequence_society",
	"samfund": "consequence_society", "samfundet": "consequence_society", "society": "consequence_society",

	"asset": "asset", "aktiv": "asset", "aktivet": "asset", "system": "asset", "aktivsystem": "asset", "process": "asset",
	"proces": "asset", "informationsaktiv": "asset", "assetname": "asset", "aktivnavn": "asset", "objekt": "asset",

	"threat": "threat", "trussel": "threat", "trusler": "threat", "truslen": "threat", "threatname": "threat", "trusselsnavn": "threat",

	"title": "title", "titel": "title", "risk": "title", "risiko": "title", "risikotitel": "title", "risktitle": "title", "risikonavn": "title", "riskname": "title",

	"description": "description", "beskrivelse": "description", "scenario": "description", "scenarie": "description",
	"risikobeskrivelse": "description", "riskdescription": "description", "sårbarhed": "description", "vulnerability": "description",

	"likelihood": "likelihood", "probability": "likelihood", "sandsynlighed": "likelihood", "sandsynligheden": "likelihood",
	"inherentlikelihood": "likelihood", "brutosandsynlighed": "likelihood",

	"consequence": "consequence", "impact": "consequence", "konsekvens": "consequence", "konsekvensen": "consequence",
	"inherentconsequence": "consequence", "brutokonsekvens": "consequence",
	"consequenceconfidentiality": "consequence_c", "konsekvensfortrolighed": "consequence_c", "fortrolighed": "consequence_c",
	"confidentiality": "consequence_c", "consequencec": "consequence_c", "konsekvensf": "consequence_c",
	"consequenceintegrity": "consequence_i", "konsekvensintegritet": "consequence_i", "integritet": "consequence_i",
	"integrity": "consequence_i", "consequencei": "consequence_i", "konsekvensi": "consequence_i",
	"consequenceavailability": "consequence_a", "konsekvenstilgængelighed": "consequence_a", "tilgængelighed": "consequence_a",
	"availability": "consequence_a", "consequencea": "consequence_a", "konsekvenst": "consequence_a",

	"existingcontrols": "existing_controls", "eksisterendeforanstaltninger": "existing_controls", "eksisterendekontroller": "existing_controls",
	"eksisterendesikringsforanstaltninger": "existing_controls", "currentcontrols": "existing_controls", "existingmeasures": "existing_controls",

	"treatment": "treatment", "håndtering": "treatment", "risikohåndtering": "treatment", "behandling": "treatment",
	"riskresponse": "treatment", "beslutning": "treatment", "treatmentdecision": "treatment", "håndteringsbeslutning": "treatment",

	"owner": "owner", "owneremail": "owner", "ejer": "owner", "ejeremail": "owner", "risikoejer": "owner", "riskowner": "owner",
	"ansvarlig": "owner", "ansvarligemail": "owner", "riskowneremail": "owner", "risikoejeremail": "owner",

	"deadline": "deadline", "frist": "deadline", "tidsfrist": "deadline", "duedate": "deadline", "slutdato": "deadline",

	"residuallikelihood": "residual_likelihood", "restsandsynlighed": "residual_likelihood", "nettosandsynlighed": "residual_likelihood",
	"residualprobability": "residual_likelihood",
	"residualconsequence": "residual_consequence", "restkonsekvens": "residual_consequence", "nettokonsekvens": "residual_consequence",
	"residualimpact": "residual_consequence",

	"controls": "planned_controls", "plannedcontrols": "planned_controls", "annexa": "planned_controls", "anneksa": "planned_controls",
	"kontroller": "planned_controls", "foranstaltninger": "planned_controls", "planlagteforanstaltninger": "planned_controls",
	"planlagtekontroller": "planned_controls", "sikringsforanstaltninger": "planned_controls", "plannedcontrolsannexa": "planned_controls",
	"planlagteforanstaltningeranneksa": "planned_controls",
}

// NormalizeRiskHeading is how headings are compared: lower case, letters
// and digits only ("Owner e-mail" → "owneremail").
func NormalizeRiskHeading(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RiskHeadingField is the field a heading fills, "" when not recognised:
// the heading as written, or else without what stands in brackets
// ("Sandsynlighed (1-4)", "Konsekvens [1-5]", "Risikoejer (navn)").
func RiskHeadingField(heading string) string {
	if f, ok := riskHeadings[NormalizeRiskHeading(heading)]; ok {
		return f
	}
	return riskHeadings[isms.MappingKey(heading)]
}

// riskSpec is how the shared sheet reader reads a risk register: the
// heading row is the first with both an asset and a threat column.
var riskSpec = sheetSpec{maxBytes: RiskSheetMaxBytes, maxRows: RiskSheetMaxRows, field: RiskHeadingField,
	isHeader: func(f map[string]bool) bool { return f["asset"] && f["threat"] }, errFamily: "risk"}

// ReadRiskSheet reads a risk register from an XLSX or CSV file, its
// columns as the product proposes.
func ReadRiskSheet(filename string, data []byte) (*isms.RiskSheet, error) {
	return ReadRiskSheetMapped(filename, data, nil)
}

// ReadRiskSheetMapped reads a risk register with a mapping's choice of
// fields for its headings (nil for the proposal); the mapping's words go
// with the sheet for the store to read the cells by.
func ReadRiskSheetMapped(filename string, data []byte, m *isms.ImportMapping) (*isms.RiskSheet, error) {
	sp := riskSpec
	if m != nil {
		sp = sp.withColumns(m.Columns)
	}
	r, err := readSheet(sp, filename, data)
	if err != nil {
		return nil, err
	}
	s := &isms.RiskSheet{Filename: r.Filename, HeaderRow: r.HeaderRow, Ignored: r.Ignored, Headings: r.Headings}
	var hs []string
	for _, h := range r.Headings {
		hs = append(hs, h.Header)
	}
	s.Shape = isms.SheetShape(isms.ImportRisks, hs)
	if m != nil {
		s.MappingID, s.Values = m.ID, m.Values
	}
	for _, c := range r.Columns {
		s.Columns = append(s.Columns, isms.RiskSheetColumn(c))
	}
	for _, row := range r.Rows {
		s.Rows = append(s.Rows, isms.RiskSheetRow(row))
	}
	return s, nil
}

// RiskSheetHeading is the heading the export writes for a field, in the
// given language; the importer recognises every one of them.
func RiskSheetHeading(field, lang string) string {
	h, ok := riskExportHeadings[field]
	if !ok {
		panic(fmt.Sprintf("export: no heading for risk field %q", field))
	}
	if lang == "en" {
		return h[1]
	}
	return h[0]
}

var riskExportHeadings = map[string][2]string{
	"key": {"Risiko-id", "Risk id"}, "consequence_org": {"Konsekvens organisation", "Consequence organisation"},
	"consequence_citizens": {"Konsekvens borgere", "Consequence citizens"}, "consequence_society": {"Konsekvens samfund", "Consequence society"},
	"asset": {"Aktiv", "Asset"}, "threat": {"Trussel", "Threat"}, "title": {"Risiko", "Risk"},
	"description": {"Beskrivelse", "Description"}, "likelihood": {"Sandsynlighed", "Likelihood"},
	"consequence": {"Konsekvens", "Consequence"}, "consequence_c": {"Konsekvens fortrolighed", "Consequence confidentiality"},
	"consequence_i": {"Konsekvens integritet", "Consequence integrity"}, "consequence_a": {"Konsekvens tilgængelighed", "Consequence availability"},
	"existing_controls": {"Eksisterende foranstaltninger", "Existing controls"}, "treatment": {"Håndtering", "Treatment"},
	"owner": {"Ejer e-mail", "Owner e-mail"}, "deadline": {"Frist", "Deadline"},
	"residual_likelihood": {"Restsandsynlighed", "Residual likelihood"}, "residual_consequence": {"Restkonsekvens", "Residual consequence"},
	"planned_controls": {"Planlagte foranstaltninger (Anneks A)", "Planned controls (Annex A)"},
}
