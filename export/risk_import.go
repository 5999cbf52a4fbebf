package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// Reading a risk register as organisations keep it today: an XLSX
// workbook (the first sheet) or a CSV file as Excel writes it (semicolon
// or comma separated, UTF-8 or Windows-1252). The heading row is found
// among the first rows by its Danish or English column names; the cells
// are returned as text for the store to check against the records. The
// reader never panics on any input: a file it cannot read is an error that
// says so.

// Limits of an imported register.
const (
	RiskSheetMaxBytes   = 2 << 20
	RiskSheetMaxRows    = 5000
	riskSheetMaxColumns = 60
	riskSheetMaxCell    = 20000
	riskHeaderSearch    = 15 // rows searched for the heading row
)

// riskHeadings maps normalised column headings (lower case, letters and
// digits only) to fields, in Danish and English, as registers are
// commonly headed.
var riskHeadings = map[string]string{
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

// RiskHeadingField is the field a heading fills, "" when not recognised.
func RiskHeadingField(heading string) string { return riskHeadings[NormalizeRiskHeading(heading)] }

func riskSheetError(key string, args ...any) error {
	return &isms.Error{Code: isms.EInvalid, Key: key, Args: args}
}

// ReadRiskSheet reads a risk register from an XLSX or CSV file.
func ReadRiskSheet(filename string, data []byte) (sheet *isms.RiskSheet, err error) {
	defer func() {
		// A library's panic on a malformed file is the file's fault, not
		// the server's: report it as unreadable.
		if v := recover(); v != nil {
			sheet, err = nil, riskSheetError("risk.err.import_unreadable")
		}
	}()
	if len(data) == 0 {
		return nil, riskSheetError("risk.err.import_empty")
	}
	if len(data) > RiskSheetMaxBytes {
		return nil, riskSheetError("risk.err.import_too_large", RiskSheetMaxBytes>>20)
	}
	var rows [][]string
	var lines []int
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err = riskXLSXRows(data)
	} else {
		rows, lines, err = riskCSVRows(data)
	}
	if err != nil {
		return nil, err
	}
	return riskSheetFromRows(filename, rows, lines)
}

func riskXLSXRows(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, riskSheetError("risk.err.import_unreadable")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, riskSheetError("risk.err.import_empty")
	}
	// Raw values: dates come as Excel serial numbers, read as dates by
	// the store, instead of in whatever display format the cell has.
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, riskSheetError("risk.err.import_unreadable")
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) > RiskSheetMaxRows+riskHeaderSearch {
			return nil, riskSheetError("risk.err.import_too_many_rows", RiskSheetMaxRows)
		}
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, riskSheetError("risk.err.import_unreadable")
		}
		if len(cols) > riskSheetMaxColumns {
			cols = cols[:riskSheetMaxColumns]
		}
		rows = append(rows, cols)
	}
	if it.Error() != nil {
		return nil, riskSheetError("risk.err.import_unreadable")
	}
	return rows, nil
}

// riskCSVRows reads a CSV file's records and the line each begins on
// (blank lines are skipped, and a quoted cell may span lines, so record
// and line numbers differ).
func riskCSVRows(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data = riskFromWindows1252(data)
	}
	// A NUL in the first line means another encoding (UTF-16, as Excel's
	// "Unicode text" is) or no text at all. A NUL further down is a cell's,
	// which the store refuses by row and column.
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.IndexByte(first, 0) >= 0 {
		return nil, nil, riskSheetError("risk.err.import_unreadable")
	}
	// The separator is the one the first line uses most: Danish Excel
	// writes semicolons, others commas or tabs.
	sep, best := ',', -1
	for _, c := range []rune{';', ',', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > best {
			sep, best = c, n
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = sep, true, -1, false
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, riskSheetError("risk.err.import_csv", pe.Line)
			}
			return nil, nil, riskSheetError("risk.err.import_unreadable")
		}
		if len(rows) > RiskSheetMaxRows+riskHeaderSearch {
			return nil, nil, riskSheetError("risk.err.import_too_many_rows", RiskSheetMaxRows)
		}
		if len(rec) > riskSheetMaxColumns {
			rec = rec[:riskSheetMaxColumns]
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	return rows, lines, nil
}

// riskWin1252 are the characters Windows-1252 puts at 0x80–0x9F; the rest
// of the upper half is Latin-1.
var riskWin1252 = [32]rune{'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ'}

func riskFromWindows1252(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out.WriteByte(c)
		case c < 0xA0:
			out.WriteRune(riskWin1252[c-0x80])
		default:
			out.WriteRune(rune(c))
		}
	}
	return out.Bytes()
}

// riskColumnLetter is the spreadsheet letter of a 0-based column.
func riskColumnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// riskSheetFromRows finds the heading row (the first with both an asset
// and a threat column) and reads the data rows below it. lines are the
// rows' numbers in the file, nil when they follow one another.
func riskSheetFromRows(filename string, rows [][]string, lines []int) (*isms.RiskSheet, error) {
	lineOf := func(i int) int {
		if lines != nil && i < len(lines) {
			return lines[i]
		}
		return i + 1
	}
	header := -1
	for i := 0; i < len(rows) && i < riskHeaderSearch; i++ {
		fields := map[string]bool{}
		for _, h := range rows[i] {
			fields[RiskHeadingField(h)] = true
		}
		if fields["asset"] && fields["threat"] {
			header = i
			break
		}
	}
	if header < 0 {
		if len(rows) == 0 {
			return nil, riskSheetError("risk.err.import_empty")
		}
		return nil, riskSheetError("risk.err.import_no_header")
	}
	s := &isms.RiskSheet{Filename: riskCleanHeading(filename), HeaderRow: lineOf(header)}
	index := map[int]string{}
	taken := map[string]bool{}
	for i, h := range rows[header] {
		h = riskCleanHeading(h)
		f := RiskHeadingField(h)
		switch {
		case f == "" && h != "":
			s.Ignored = append(s.Ignored, riskColumnLetter(i)+" · "+h)
		case f == "":
		case taken[f]:
			return nil, riskSheetError("risk.err.import_column_twice", h, riskColumnLetter(i))
		default:
			taken[f] = true
			index[i] = f
			s.Columns = append(s.Columns, isms.RiskSheetColumn{Field: f, Header: h, Letter: riskColumnLetter(i)})
		}
	}
	for n, rec := range rows[header+1:] {
		cells := map[string]string{}
		empty := true
		for i, v := range rec {
			f, ok := index[i]
			if !ok {
				continue
			}
			v = riskCleanCell(v, riskSheetMaxCell)
			if v != "" {
				cells[f] = v
				empty = false
			}
		}
		if empty {
			continue // blank lines between blocks are common
		}
		if len(s.Rows) == RiskSheetMaxRows {
			return nil, riskSheetError("risk.err.import_too_many_rows", RiskSheetMaxRows)
		}
		s.Rows = append(s.Rows, isms.RiskSheetRow{Row: lineOf(header + 1 + n), Cells: cells})
	}
	if len(s.Rows) == 0 {
		return nil, riskSheetError("risk.err.import_no_rows")
	}
	return s, nil
}

// riskCleanCell trims a cell, makes it valid UTF-8 without control
// characters other than line breaks, tabs and NUL, and caps its length. A
// NUL (an XLSX cell's _x0000_, a byte in a CSV file) is kept, so the store
// refuses the cell by row and column instead of changing it unseen: text
// holding one cannot be stored (see isms.HasNUL).
func riskCleanCell(s string, max int) string {
	s = strings.ToValidUTF8(s, "\ufffd")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == 0 {
			return r
		}
		if r == '\r' {
			return -1
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// riskCleanHeading cleans a heading or the file's name, which are matched
// and shown, never stored as a risk's text: without any control character.
func riskCleanHeading(s string) string {
	return strings.ReplaceAll(riskCleanCell(s, 200), "\x00", "")
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
	"asset": {"Aktiv", "Asset"}, "threat": {"Trussel", "Threat"}, "title": {"Risiko", "Risk"},
	"description": {"Beskrivelse", "Description"}, "likelihood": {"Sandsynlighed", "Likelihood"},
	"consequence": {"Konsekvens", "Consequence"}, "consequence_c": {"Konsekvens fortrolighed", "Consequence confidentiality"},
	"consequence_i": {"Konsekvens integritet", "Consequence integrity"}, "consequence_a": {"Konsekvens tilgængelighed", "Consequence availability"},
	"existing_controls": {"Eksisterende foranstaltninger", "Existing controls"}, "treatment": {"Håndtering", "Treatment"},
	"owner": {"Ejer e-mail", "Owner e-mail"}, "deadline": {"Frist", "Deadline"},
	"residual_likelihood": {"Restsandsynlighed", "Residual likelihood"}, "residual_consequence": {"Restkonsekvens", "Residual consequence"},
	"planned_controls": {"Planlagte foranstaltninger (Anneks A)", "Planned controls (Annex A)"},
}
