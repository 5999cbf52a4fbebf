package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// The sheet reader every import shares: an XLSX workbook (its first sheet)
// or a CSV file as Excel and other systems write it (semicolon, comma or
// tab separated; UTF-8 with or without a byte order mark, or
// Windows-1252), its heading row found among the first rows by the names
// the import knows, and the data rows below it as text by field. It never
// panics on any input: a file it cannot read is an error that says so,
// with the import's own catalogue keys.

// sheetSpec is what one import reads: its limits, its headings, when a
// row is the heading row, and the family of its error keys (the keys are
// family+".err.import_" and "empty", "too_large", "unreadable",
// "too_many_rows", "csv", "no_header", "column_twice" or "no_rows").
type sheetSpec struct {
	maxBytes, maxRows int
	field             func(heading string) string
	isHeader          func(fields map[string]bool) bool
	errFamily         string
}

const (
	sheetMaxColumns   = 60
	sheetMaxCell      = 20000
	sheetHeaderSearch = 15 // rows searched for the heading row
)

// sheetRead is a file as read: the heading row's number, its recognised
// columns, the headings not recognised, and the data rows.
type sheetRead struct {
	Filename  string
	HeaderRow int
	Columns   []isms.SheetColumn
	Ignored   []string
	Rows      []isms.SheetRow
	// Headings is the whole heading row, each with the field it fills
	// ("" when ignored), for the mapping step.
	Headings []isms.SheetHeading
}

// withColumns is the spec with a mapping's choices over its own: a
// heading the mapping names (by isms.MappingKey) fills the field the
// mapping gives it, "" ignoring it; other headings as the spec reads them.
func (sp sheetSpec) withColumns(columns map[string]string) sheetSpec {
	if len(columns) == 0 {
		return sp
	}
	own := sp.field
	sp.field = func(h string) string {
		if f, ok := columns[isms.MappingKey(h)]; ok {
			return f
		}
		return own(h)
	}
	return sp
}

func (sp sheetSpec) err(key string, args ...any) error {
	return &isms.Error{Code: isms.EInvalid, Key: sp.errFamily + ".err.import_" + key, Args: args}
}

// readSheet reads a file by the spec.
func readSheet(sp sheetSpec, filename string, data []byte) (s *sheetRead, err error) {
	defer func() {
		// A library's panic on a malformed file is the file's fault, not
		// the server's: report it as unreadable.
		if v := recover(); v != nil {
			s, err = nil, sp.err("unreadable")
		}
	}()
	if len(data) == 0 {
		return nil, sp.err("empty")
	}
	if len(data) > sp.maxBytes {
		return nil, sp.err("too_large", sp.maxBytes>>20)
	}
	var rows [][]string
	var lines []int
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err = sp.xlsxRows(data)
	} else {
		rows, lines, err = sp.csvRows(data)
	}
	if err != nil {
		return nil, err
	}
	return sp.fromRows(filename, rows, lines)
}

func (sp sheetSpec) xlsxRows(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, sp.err("unreadable")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, sp.err("empty")
	}
	// Raw values: dates come as Excel serial numbers, read as dates by
	// the store, instead of in whatever display format the cell has.
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, sp.err("unreadable")
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) > sp.maxRows+sheetHeaderSearch {
			return nil, sp.err("too_many_rows", sp.maxRows)
		}
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, sp.err("unreadable")
		}
		if len(cols) > sheetMaxColumns {
			cols = cols[:sheetMaxColumns]
		}
		rows = append(rows, cols)
	}
	if it.Error() != nil {
		return nil, sp.err("unreadable")
	}
	return rows, nil
}

// csvRows reads a CSV file's records and the line each begins on (blank
// lines are skipped, and a quoted cell may span lines, so record and line
// numbers differ).
func (sp sheetSpec) csvRows(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data = fromWindows1252(data)
	}
	// A NUL in the first line means another encoding (UTF-16, as Excel's
	// "Unicode text" is) or no text at all. A NUL further down is a cell's,
	// which the store refuses by row and column.
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.IndexByte(first, 0) >= 0 {
		return nil, nil, sp.err("unreadable")
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
				return nil, nil, sp.err("csv", pe.Line)
			}
			return nil, nil, sp.err("unreadable")
		}
		if len(rows) > sp.maxRows+sheetHeaderSearch {
			return nil, nil, sp.err("too_many_rows", sp.maxRows)
		}
		if len(rec) > sheetMaxColumns {
			rec = rec[:sheetMaxColumns]
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	return rows, lines, nil
}

// win1252 are the characters Windows-1252 puts at 0x80–0x9F; the rest of
// the upper half is Latin-1.
var win1252 = [32]rune{'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ'}

func fromWindows1252(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out.WriteByte(c)
		case c < 0xA0:
			out.WriteRune(win1252[c-0x80])
		default:
			out.WriteRune(rune(c))
		}
	}
	return out.Bytes()
}

// columnLetter is the spreadsheet letter of a 0-based column.
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// fromRows finds the heading row (the first the spec takes for one) and
// reads the data rows below it. lines are the rows' numbers in the file,
// nil when they follow one another.
func (sp sheetSpec) fromRows(filename string, rows [][]string, lines []int) (*sheetRead, error) {
	lineOf := func(i int) int {
		if lines != nil && i < len(lines) {
			return lines[i]
		}
		return i + 1
	}
	header := -1
	for i := 0; i < len(rows) && i < sheetHeaderSearch; i++ {
		fields := map[string]bool{}
		for _, h := range rows[i] {
			fields[sp.field(h)] = true
		}
		if sp.isHeader(fields) {
			header = i
			break
		}
	}
	if header < 0 {
		if len(rows) == 0 {
			return nil, sp.err("empty")
		}
		return nil, sp.err("no_header")
	}
	s := &sheetRead{Filename: cleanHeading(filename), HeaderRow: lineOf(header)}
	index := map[int]string{}
	taken := map[string]bool{}
	for i, h := range rows[header] {
		h = cleanHeading(h)
		f := sp.field(h)
		if h != "" {
			s.Headings = append(s.Headings, isms.SheetHeading{Letter: columnLetter(i), Header: h, Field: f})
		}
		switch {
		case f == "" && h != "":
			s.Ignored = append(s.Ignored, columnLetter(i)+" · "+h)
		case f == "":
		case taken[f]:
			return nil, sp.err("column_twice", h, columnLetter(i))
		default:
			taken[f] = true
			index[i] = f
			s.Columns = append(s.Columns, isms.SheetColumn{Field: f, Header: h, Letter: columnLetter(i)})
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
			v = cleanCell(v, sheetMaxCell)
			if v != "" {
				cells[f] = v
				empty = false
			}
		}
		if empty {
			continue // blank lines between blocks are common
		}
		if len(s.Rows) == sp.maxRows {
			return nil, sp.err("too_many_rows", sp.maxRows)
		}
		s.Rows = append(s.Rows, isms.SheetRow{Row: lineOf(header + 1 + n), Cells: cells})
	}
	if len(s.Rows) == 0 {
		return nil, sp.err("no_rows")
	}
	return s, nil
}

// cleanCell trims a cell, makes it valid UTF-8 without control characters
// other than line breaks, tabs and NUL, and caps its length. A NUL (an
// XLSX cell's _x0000_, a byte in a CSV file) is kept, so the store refuses
// the cell by row and column instead of changing it unseen: text holding
// one cannot be stored (see isms.HasNUL).
func cleanCell(s string, max int) string {
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

// cleanHeading cleans a heading or the file's name, which are matched and
// shown, never stored as a record's text: without any control character.
func cleanHeading(s string) string {
	return strings.ReplaceAll(cleanCell(s, 200), "\x00", "")
}
