// Package export writes the product's records in the formats other tools
// read: XLSX spreadsheets (and, in their own files, iCalendar and the JSON
// archive).
package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet is one worksheet: a title row, a header row and the data rows.
// Cells may be string, int, int64, float64, bool or nil. A row whose
// Section is set is written as a bold section heading across the sheet
// (e.g. the themes of Annex A).
type Sheet struct {
	Name   string
	Title  string
	Header []string
	Widths []float64 // column widths in characters; optional
	Rows   []Row
}

// Row is a data row or, with Section set, a heading.
type Row struct {
	Section string
	Cells   []any
}

// WriteXLSX writes the sheets as one workbook: the header frozen and bold,
// an autofilter over the data, text wrapped in the columns given a width.
func WriteXLSX(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	section, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Fill: excelize.Fill{Type: "pattern", Color: []string{"EEF1F5"}, Pattern: 1}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		name := sh.Name
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		row := 1
		if sh.Title != "" {
			f.SetCellValue(name, "A1", sh.Title)
			f.SetCellStyle(name, "A1", "A1", title)
			row = 3
		}
		headerRow := row
		for c, h := range sh.Header {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			f.SetCellValue(name, cell, h)
		}
		if len(sh.Header) > 0 {
			first, _ := excelize.CoordinatesToCellName(1, row)
			last, _ := excelize.CoordinatesToCellName(len(sh.Header), row)
			f.SetCellStyle(name, first, last, bold)
		}
		for c, width := range sh.Widths {
			col, _ := excelize.ColumnNumberToName(c + 1)
			f.SetColWidth(name, col, col, width)
			f.SetColStyle(name, col, wrap)
		}
		for _, r := range sh.Rows {
			row++
			if r.Section != "" {
				cell, _ := excelize.CoordinatesToCellName(1, row)
				f.SetCellValue(name, cell, r.Section)
				last, _ := excelize.CoordinatesToCellName(max(1, len(sh.Header)), row)
				f.SetCellStyle(name, cell, last, section)
				continue
			}
			for c, v := range r.Cells {
				cell, _ := excelize.CoordinatesToCellName(c+1, row)
				if err := f.SetCellValue(name, cell, v); err != nil {
					return fmt.Errorf("sheet %s cell %s: %w", name, cell, err)
				}
			}
		}
		if len(sh.Header) > 0 {
			first, _ := excelize.CoordinatesToCellName(1, headerRow)
			f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: "A" + fmt.Sprint(headerRow+1), ActivePane: "bottomLeft"})
			if row > headerRow {
				last, _ := excelize.CoordinatesToCellName(len(sh.Header), row)
				f.AutoFilter(name, first+":"+last, nil)
			}
		}
	}
	return f.Write(w)
}
