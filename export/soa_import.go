package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// Reading a Statement of Applicability of the 2013 edition, as
// coordinators keep it in Excel: one row per control (A.5.1.1 or 5.1.1),
// with columns for whether it applies, the justification, the reason for
// an exclusion and the implementation status, headed in Danish or
// English. Heading rows (A.5, A.5.1) and empty rows are skipped. Every
// problem is named by row and column; the caller imports nothing unless
// there are none.

// Limits on what an import file may be.
const (
	soaMaxFileBytes = 5 << 20
	soaMaxRows      = 5000
	soaMaxText      = 5000
	soaHeaderScan   = 20 // rows searched for the header
)

// soaColumn is a column the import reads.
type soaColumn int

const (
	soaColNone soaColumn = iota
	soaColID
	soaColApplicable
	soaColJustification
	soaColExclusion
	soaColStatus
)

// soaHeaderWords recognise a column by words in its heading, in the order
// tried: "Begrundelse for fravalg" is the exclusion reason, not the
// justification; "Implementeringsstatus" the status.
var soaHeaderWords = []struct {
	col   soaColumn
	words []string
}{
	{soaColExclusion, []string{"fravalg", "exclu", "udelad", "ikke valgt", "not selected", "not applicable reason", "why not"}},
	{soaColStatus, []string{"status", "implement", "gennemf", "modenhed", "maturity"}},
	{soaColApplicable, []string{"anvend", "applicab", "relevant", "tilvalg", "valgt", "included", "inkluder", "selected", "til/fra", "in scope", "omfattet"}},
	{soaColJustification, []string{"begrund", "justif", "reason", "rationale", "årsag", "arsag", "hvorfor", "why"}},
	{soaColID, []string{"kontrol", "control", "id", "ref", "nr", "nummer", "number", "annex", "anneks", "foranstaltning", "clause", "punkt"}},
}

// soaIDPattern reads a control id at the start of a cell: A.5.1.1,
// A 5.1.1, A5.1.1, 5.1.1, and the same followed by the title.
var soaIDPattern = regexp.MustCompile(`^\s*(?:[Aa]\s*\.?\s*)?(\d{1,2})(?:\s*\.\s*(\d{1,2}))?(?:\s*\.\s*(\d{1,2}))?(?:[\s.:)\-–]|$)`)

var soaYes = map[string]bool{"ja": true, "j": true, "yes": true, "y": true, "x": true, "1": true, "true": true, "sand": true,
	"anvendelig": true, "applicable": true, "included": true, "inkluderet": true, "tilvalgt": true, "valgt": true, "relevant": true,
	"selected": true, "til": true, "tilvalg": true, "✓": true, "✔": true}

var soaNo = map[string]bool{"nej": true, "n": true, "no": true, "0": true, "false": true, "falsk": true, "ikke anvendelig": true,
	"not applicable": true, "excluded": true, "udeladt": true, "fravalgt": true, "ikke valgt": true, "ikke relevant": true,
	"not relevant": true, "not selected": true, "fra": true, "fravalg": true, "n/a": true, "na": true, "-": true, "✗": true, "✘": true}

var soaStatusWords = []struct {
	status isms.ImplementationStatus
	words  []string
}{
	{isms.ImplNotApplicable, []string{"not applicable", "ikke relevant", "ikke anvendelig", "n/a", "na", "-"}},
	{isms.ImplPartial, []string{"partially implemented", "partly implemented", "partial", "partially", "partly", "delvist implementeret", "delvis implementeret", "delvist", "delvis", "i gang", "in progress", "ongoing"}},
	{isms.ImplPlanned, []string{"planned", "planlagt", "plan"}},
	{isms.ImplNotStarted, []string{"not started", "not implemented", "ikke påbegyndt", "ikke startet", "ikke implementeret", "mangler", "missing", "nej", "no", "none", "ingen"}},
	{isms.ImplImplemented, []string{"implemented", "fully implemented", "implementeret", "fuldt implementeret", "gennemført", "done", "ja", "yes", "på plads", "etableret", "established", "in place"}},
}

// ParseSoA2013 reads a 2013-edition SoA from a CSV or XLSX file. It
// never panics: a file it cannot make sense of is a problem for row 0.
func ParseSoA2013(data []byte) (rows []isms.SoAImportRow, problems []isms.SoAImportProblem) {
	fileProblem := func(key string, args ...any) {
		problems = append(problems, isms.SoAImportProblem{Message: isms.Msg(key, args...)})
	}
	defer func() {
		if r := recover(); r != nil {
			rows, problems = nil, []isms.SoAImportProblem{{Message: isms.Msg("soa.import.err.unreadable")}}
		}
	}()
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		fileProblem("soa.import.err.empty_file")
		return nil, problems
	case len(data) > soaMaxFileBytes:
		fileProblem("soa.import.err.file_too_large", soaMaxFileBytes>>20)
		return nil, problems
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		fileProblem("soa.import.err.old_excel")
		return nil, problems
	}
	var table [][]string
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		table, err = soaReadXLSX(data)
	} else {
		table, err = soaReadCSV(data)
	}
	if err != nil {
		fileProblem("soa.import.err.unreadable")
		return nil, problems
	}
	return soaReadTable(table)
}

// soaReadXLSX returns the first sheet that has a recognisable header.
func soaReadXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var first [][]string
	for i, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = rows
		}
		if _, ok := soaFindHeader(rows); ok {
			return rows, nil
		}
	}
	return first, nil
}

// soaReadCSV reads comma-, semicolon- or tab-separated text in UTF-8 (with
// or without a byte-order mark) or Windows-1252, which Danish Excel writes.
func soaReadCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	text := string(data)
	if !utf8.ValidString(text) {
		text = soaFromWindows1252(data)
	}
	firstLine, _, _ := strings.Cut(text, "\n")
	delim, best := ',', -1
	for _, d := range []rune{';', ',', '\t'} {
		if n := strings.Count(firstLine, string(d)); n > best {
			delim, best = d, n
		}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = delim, -1, true, false
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
		if len(out) > soaMaxRows+soaHeaderScan {
			break
		}
	}
	return out, nil
}

// soaCP1252 are the characters Windows-1252 puts at 0x80–0x9F; the rest
// of the code page is Latin-1.
var soaCP1252 = [32]rune{'€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
	'\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ'}

func soaFromWindows1252(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(soaCP1252[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

func soaNormHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Join(strings.Fields(s), " ")
}

// soaHeaderColumn says which column a heading names.
func soaHeaderColumn(h string) soaColumn {
	h = soaNormHeader(h)
	if h == "" {
		return soaColNone
	}
	for _, hw := range soaHeaderWords {
		for _, w := range hw.words {
			if hw.col == soaColID && len(w) <= 3 {
				// Short words ("id", "nr", "ref") must stand alone.
				for _, f := range strings.FieldsFunc(h, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
					if f == w {
						return hw.col
					}
				}
				continue
			}
			if strings.Contains(h, w) {
				return hw.col
			}
		}
	}
	return soaColNone
}

type soaHeader struct {
	row   int // index in the table
	cols  map[soaColumn]int
	names []string
}

// soaFindHeader finds the first row among the first few that names both a
// control-id column and an applicability column.
func soaFindHeader(table [][]string) (soaHeader, bool) {
	for i := 0; i < len(table) && i < soaHeaderScan; i++ {
		h := soaHeader{row: i, cols: map[soaColumn]int{}, names: table[i]}
		for j, cell := range table[i] {
			c := soaHeaderColumn(cell)
			if _, taken := h.cols[c]; c != soaColNone && !taken {
				h.cols[c] = j
			}
		}
		_, id := h.cols[soaColID]
		_, app := h.cols[soaColApplicable]
		if id && app {
			return h, true
		}
	}
	return soaHeader{}, false
}

// soaColumnName names a column as the user sees it: its letter and heading.
func soaColumnName(h soaHeader, j int) string {
	letter, err := excelize.ColumnNumberToName(j + 1)
	if err != nil {
		letter = fmt.Sprint(j + 1)
	}
	if j < len(h.names) {
		if name := strings.TrimSpace(h.names[j]); name != "" {
			if utf8.RuneCountInString(name) > 40 {
				name = string([]rune(name)[:40]) + "…"
			}
			return letter + " (" + name + ")"
		}
	}
	return letter
}

func soaCell(rec []string, j int, ok bool) string {
	if !ok || j >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[j])
}

// soaParseStatus reads an implementation status in Danish or English.
func soaParseStatus(s string) (isms.ImplementationStatus, bool) {
	n := soaNormHeader(strings.Trim(s, ".!"))
	if n == "" {
		return "", true
	}
	for _, sw := range soaStatusWords {
		for _, w := range sw.words {
			if n == w {
				return sw.status, true
			}
		}
	}
	for _, v := range isms.ImplementationStatuses {
		if n == string(v) || n == strings.ReplaceAll(string(v), "_", " ") {
			return v, true
		}
	}
	// Percentages, as some SoAs keep them: 0 % not started, 100 %
	// implemented, anything between partly.
	if p := strings.TrimSpace(strings.TrimSuffix(n, "%")); p != n {
		switch p {
		case "0":
			return isms.ImplNotStarted, true
		case "100":
			return isms.ImplImplemented, true
		}
		var x int
		if _, err := fmt.Sscan(p, &x); err == nil && x > 0 && x < 100 {
			return isms.ImplPartial, true
		}
	}
	return "", false
}

func soaReadTable(table [][]string) (rows []isms.SoAImportRow, problems []isms.SoAImportProblem) {
	h, ok := soaFindHeader(table)
	if !ok {
		return nil, []isms.SoAImportProblem{{Message: isms.Msg("soa.import.err.no_header")}}
	}
	idCol := h.cols[soaColID]
	appCol := h.cols[soaColApplicable]
	justCol, hasJust := h.cols[soaColJustification]
	exclCol, hasExcl := h.cols[soaColExclusion]
	statCol, hasStat := h.cols[soaColStatus]
	data := table[h.row+1:]
	if len(data) > soaMaxRows {
		problems = append(problems, isms.SoAImportProblem{Message: isms.Msg("soa.import.err.too_many_rows", soaMaxRows)})
		data = data[:soaMaxRows]
	}
	for i, rec := range data {
		rowNum := h.row + 2 + i // 1-based, as the spreadsheet numbers rows
		problem := func(col int, key string, args ...any) {
			problems = append(problems, isms.SoAImportProblem{Row: rowNum, Column: soaColumnName(h, col), Message: isms.Msg(key, args...)})
		}
		empty := true
		for _, c := range rec {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		// A cell holding a NUL character (an XLSX cell's _x0000_, a byte
		// in a CSV file) cannot be stored (see isms.HasNUL): it is refused,
		// and the row read no further.
		nul := false
		for c := soaColID; c <= soaColStatus; c++ {
			if j, ok := h.cols[c]; ok && j < len(rec) && isms.HasNUL(rec[j]) {
				problem(j, "err.nul_character")
				nul = true
			}
		}
		if nul {
			continue
		}
		idText := soaCell(rec, idCol, true)
		appText := soaCell(rec, appCol, true)
		m := soaIDPattern.FindStringSubmatch(idText)
		if m == nil {
			if appText == "" {
				continue // a heading without an id, a note, a blank line
			}
			problem(idCol, "soa.import.err.bad_id", soaShort(idText))
			continue
		}
		if m[3] == "" {
			continue // A.5 or A.5.1: a heading of the 2013 structure
		}
		r := isms.SoAImportRow{Row: rowNum, Ref2013: m[1] + "." + m[2] + "." + m[3],
			Justification: soaCell(rec, justCol, hasJust), ExclusionReason: soaCell(rec, exclCol, hasExcl)}
		n := soaNormHeader(strings.Trim(appText, ".!"))
		switch {
		case n == "":
			problem(appCol, "soa.import.err.no_decision")
		case soaYes[n]:
			r.Applicability = isms.Applicable
		case soaNo[n]:
			r.Applicability = isms.Excluded
		default:
			problem(appCol, "soa.import.err.bad_applicable", soaShort(appText))
		}
		if hasStat {
			st, ok := soaParseStatus(soaCell(rec, statCol, true))
			if !ok {
				problem(statCol, "soa.import.err.bad_status_value", soaShort(soaCell(rec, statCol, true)))
			}
			r.Status = st
		}
		if utf8.RuneCountInString(r.Justification) > soaMaxText {
			problem(justCol, "soa.import.err.too_long", soaMaxText)
		}
		if utf8.RuneCountInString(r.ExclusionReason) > soaMaxText {
			problem(exclCol, "soa.import.err.too_long", soaMaxText)
		}
		if r.Applicability == isms.Excluded && r.ExclusionReason == "" && r.Justification == "" {
			col := justCol
			if hasExcl {
				col = exclCol
			}
			if !hasExcl && !hasJust {
				col = appCol
			}
			problem(col, "soa.import.err.excluded_no_reason")
		}
		if r.Applicability != "" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, isms.SoAImportProblem{Message: isms.Msg("soa.import.err.no_rows")})
	}
	return rows, problems
}

// soaShort is a cell's value as quoted in a message.
func soaShort(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}
