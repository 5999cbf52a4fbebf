// Package export writes the product's records in the formats other tools
// read: XLSX spreadsheets (and, in their own files, iCalendar and the JSON
// archive).
package export

import (
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the Danish time zone, on a server without zoneinfo
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ismsdk/isms"
)

// Sheet is one worksheet: a title row, a header row and the data rows.
// A row whose Section is set is written as a bold section heading across
// the sheet (e.g. the themes of Annex A).
//
// Cells are typed by their Go type, so that a spreadsheet sorts, filters
// and computes on them as on the user's own:
//
//   - string: text (an empty string is an empty cell);
//   - int, int64, float64 and the other numbers, and *int, *int64,
//     *float64: a number (a nil pointer is an empty cell);
//   - isms.Date, *isms.Date: a date cell shown dd-mm-yyyy;
//   - time.Time, *time.Time: a date-time cell shown dd-mm-yyyy hh:mm in
//     Danish time (the zone the imports read times without one in); the
//     zero time is an empty cell;
//   - Level: a level of a scale, which fills two columns: its number, and
//     its name in the next (the header names both columns);
//   - bool: a logical cell; nil: an empty cell.
type Sheet struct {
	Name   string
	Title  string
	Header []string
	// Widths are the most characters a column is widened to for its
	// content (longer text wraps); a column without one is capped at
	// DefaultMaxWidth.
	Widths []float64
	Rows   []Row
}

// Row is a data row or, with Section set, a heading.
type Row struct {
	Section string
	Cells   []any
}

// Level is a level of a scale (a likelihood, a consequence, a risk's
// score, a criticality, an incident's severity): the number, which sorts
// and filters, and the name the organisation gives it. It fills two
// columns. A Value of 0 is "not assessed": both cells are empty.
type Level struct {
	Value int
	Name  string
}

// Widths of columns, in characters.
const (
	DefaultMaxWidth = 50
	minWidth        = 6
)

// Number formats of date and date-time cells: the Danish way of writing
// a day, which Excel and LibreOffice read as a date in any locale.
const (
	DateFormat     = "dd-mm-yyyy"
	DateTimeFormat = "dd-mm-yyyy hh:mm"
)

// Zone is the time zone date-time cells are written in.
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Copenhagen"); err == nil {
		return l
	}
	return time.UTC
}()

// excelEpoch is day 0 of Excel's serial day numbers (as the 1900 date
// system counts them from March 1900 on).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// DateSerial is a day's Excel serial number.
func DateSerial(d isms.Date) float64 {
	y, m, dd := d.Date()
	return math.Round(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Sub(excelEpoch).Hours() / 24)
}

// TimeSerial is a moment's Excel serial number in Danish time, to the
// second: the day, and the time of day as its fraction.
func TimeSerial(t time.Time) float64 {
	t = t.In(Zone)
	y, m, d := t.Date()
	day := DateSerial(isms.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)})
	secs := t.Hour()*3600 + t.Minute()*60 + t.Second()
	return day + float64(secs)/86400
}

// cellKind is how a value is written.
type cellKind int

const (
	kindEmpty cellKind = iota
	kindText
	kindNumber
	kindDate
	kindDateTime
	kindBool
)

// xcell is one written cell: its kind, its value for excelize and the
// characters it shows (for the column's width).
type xcell struct {
	kind  cellKind
	value any
	shown int
}

// cellsOf turns a row's values into cells; a Level gives two.
func cellsOf(vs []any) ([]xcell, error) {
	out := make([]xcell, 0, len(vs))
	num := func(f float64) xcell {
		return xcell{kind: kindNumber, value: f, shown: len(strconv.FormatFloat(f, 'f', -1, 64))}
	}
	for _, v := range vs {
		switch x := v.(type) {
		case nil:
			out = append(out, xcell{})
		case string:
			if x == "" {
				out = append(out, xcell{})
				continue
			}
			out = append(out, xcell{kind: kindText, value: x, shown: longestLine(x)})
		case int:
			out = append(out, num(float64(x)))
		case int32:
			out = append(out, num(float64(x)))
		case int64:
			out = append(out, num(float64(x)))
		case float32:
			out = append(out, num(float64(x)))
		case float64:
			out = append(out, num(x))
		case *int:
			if x == nil {
				out = append(out, xcell{})
			} else {
				out = append(out, num(float64(*x)))
			}
		case *int64:
			if x == nil {
				out = append(out, xcell{})
			} else {
				out = append(out, num(float64(*x)))
			}
		case *float64:
			if x == nil {
				out = append(out, xcell{})
			} else {
				out = append(out, num(*x))
			}
		case bool:
			out = append(out, xcell{kind: kindBool, value: x, shown: 5})
		case isms.Date:
			out = append(out, dateCell(x))
		case *isms.Date:
			if x == nil {
				out = append(out, xcell{})
			} else {
				out = append(out, dateCell(*x))
			}
		case time.Time:
			out = append(out, timeCell(x))
		case *time.Time:
			if x == nil {
				out = append(out, xcell{})
			} else {
				out = append(out, timeCell(*x))
			}
		case Level:
			if x.Value == 0 {
				out = append(out, xcell{}, xcell{})
				continue
			}
			out = append(out, num(float64(x.Value)))
			if x.Name == "" {
				out = append(out, xcell{})
			} else {
				out = append(out, xcell{kind: kindText, value: x.Name, shown: longestLine(x.Name)})
			}
		default:
			// A named number or text (a count type, a status): by its kind.
			switch rv := reflect.ValueOf(v); rv.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				out = append(out, num(float64(rv.Int())))
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				out = append(out, num(float64(rv.Uint())))
			case reflect.Float32, reflect.Float64:
				out = append(out, num(rv.Float()))
			case reflect.String:
				if rv.String() == "" {
					out = append(out, xcell{})
				} else {
					out = append(out, xcell{kind: kindText, value: rv.String(), shown: longestLine(rv.String())})
				}
			default:
				return nil, fmt.Errorf("export: a cell of type %T", v)
			}
		}
	}
	return out, nil
}

func dateCell(d isms.Date) xcell {
	if d.IsZero() {
		return xcell{}
	}
	return xcell{kind: kindDate, value: DateSerial(d), shown: len(DateFormat)}
}

func timeCell(t time.Time) xcell {
	if t.IsZero() {
		return xcell{}
	}
	return xcell{kind: kindDateTime, value: TimeSerial(t), shown: len(DateTimeFormat)}
}

// longestLine is the characters of a text's longest line.
func longestLine(s string) int {
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

// styles are the workbook's cell styles.
type styles struct {
	header, title, section, text, date, dateTime int
}

func newStyles(f *excelize.File) (*styles, error) {
	top := &excelize.Alignment{WrapText: true, Vertical: "top"}
	dateFmt, dateTimeFmt := DateFormat, DateTimeFormat
	var st styles
	for _, s := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "bottom"},
			Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1}}},
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.section, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Fill: excelize.Fill{Type: "pattern", Color: []string{"EEF1F5"}, Pattern: 1}}},
		{&st.text, &excelize.Style{Alignment: top}},
		{&st.date, &excelize.Style{Alignment: top, CustomNumFmt: &dateFmt}},
		{&st.dateTime, &excelize.Style{Alignment: top, CustomNumFmt: &dateTimeFmt}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return nil, err
		}
		*s.dst = id
	}
	return &st, nil
}

// WriteXLSX writes the sheets as one workbook: the header row bold and
// frozen with an autofilter over the table below it, each cell typed by
// its value (see Sheet), and each column as wide as its content up to its
// cap, longer text wrapped.
func WriteXLSX(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		if err := writeSheet(f, st, i, sh); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.Name, err)
		}
	}
	return f.Write(w)
}

func writeSheet(f *excelize.File, st *styles, i int, sh Sheet) error {
	name := sh.Name
	if i == 0 {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	// The cells first: the columns' widths and the table's breadth come
	// from them.
	rows := make([][]xcell, len(sh.Rows))
	cols := len(sh.Header)
	shown := make([]int, cols)
	for c, h := range sh.Header {
		shown[c] = longestLine(h) + 2 // the filter's button
	}
	for r, row := range sh.Rows {
		if row.Section != "" {
			continue
		}
		cells, err := cellsOf(row.Cells)
		if err != nil {
			return err
		}
		rows[r] = cells
		for len(shown) < len(cells) {
			shown = append(shown, 0)
		}
		for c, x := range cells {
			shown[c] = max(shown[c], x.shown)
		}
	}
	cols = max(cols, len(shown))
	// A column takes the style of its dates or times, so that its cells
	// need no style of their own (styling each cell costs a large
	// register's workbook half as long again); text and numbers show the
	// same under either.
	colStyle := make([]int, cols)
	for c := range colStyle {
		dates, times := 0, 0
		for _, cells := range rows {
			if c < len(cells) {
				switch cells[c].kind {
				case kindDate:
					dates++
				case kindDateTime:
					times++
				}
			}
		}
		switch {
		case dates >= times && dates > 0:
			colStyle[c] = st.date
		case times > 0:
			colStyle[c] = st.dateTime
		default:
			colStyle[c] = st.text
		}
	}
	for c := range cols {
		capW := float64(DefaultMaxWidth)
		if c < len(sh.Widths) && sh.Widths[c] > 0 {
			capW = sh.Widths[c]
		}
		width := math.Min(math.Max(float64(shown[c])+1, minWidth), math.Max(capW, minWidth))
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
		if err := f.SetColStyle(name, col, colStyle[c]); err != nil {
			return err
		}
	}
	row := 1
	if sh.Title != "" {
		f.SetCellValue(name, "A1", sh.Title)
		f.SetCellStyle(name, "A1", "A1", st.title)
		row = 3
	}
	headerRow := row
	for c, h := range sh.Header {
		ref, _ := excelize.CoordinatesToCellName(c+1, row)
		f.SetCellStr(name, ref, h)
	}
	if len(sh.Header) > 0 {
		first, _ := excelize.CoordinatesToCellName(1, row)
		last, _ := excelize.CoordinatesToCellName(len(sh.Header), row)
		f.SetCellStyle(name, first, last, st.header)
	}
	for r, data := range sh.Rows {
		row++
		if data.Section != "" {
			ref, _ := excelize.CoordinatesToCellName(1, row)
			f.SetCellStr(name, ref, data.Section)
			last, _ := excelize.CoordinatesToCellName(max(1, cols), row)
			f.SetCellStyle(name, ref, last, st.section)
			continue
		}
		for c, x := range rows[r] {
			ref, _ := excelize.CoordinatesToCellName(c+1, row)
			var err error
			switch x.kind {
			case kindEmpty:
				continue
			case kindText:
				err = f.SetCellStr(name, ref, x.value.(string))
			case kindNumber:
				err = f.SetCellFloat(name, ref, x.value.(float64), -1, 64)
			case kindDate, kindDateTime:
				style := st.date
				if x.kind == kindDateTime {
					style = st.dateTime
				}
				err = f.SetCellFloat(name, ref, x.value.(float64), -1, 64)
				if err == nil && style != colStyle[c] {
					err = f.SetCellStyle(name, ref, ref, style)
				}
			case kindBool:
				err = f.SetCellBool(name, ref, x.value.(bool))
			}
			if err != nil {
				return fmt.Errorf("cell %s: %w", ref, err)
			}
		}
	}
	if len(sh.Header) > 0 {
		first, _ := excelize.CoordinatesToCellName(1, headerRow)
		if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: "A" + strconv.Itoa(headerRow+1),
			ActivePane: "bottomLeft", Selection: []excelize.Selection{{SQRef: "A" + strconv.Itoa(headerRow+1), ActiveCell: "A" + strconv.Itoa(headerRow+1), Pane: "bottomLeft"}}}); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(max(len(sh.Header), cols), max(row, headerRow+1))
		if err := f.AutoFilter(name, first+":"+last, nil); err != nil {
			return err
		}
	}
	return nil
}
