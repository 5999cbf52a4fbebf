package web

import (
	"bytes"
	"net/http"

	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// This file is the one home of answering with an XLSX workbook (the
// registers' exports) and of the translating function the exports build
// their headings and cells with.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// translator translates keys in one language, for text built outside a
// page (a workbook, a mail, a calendar).
func translator(lang string) func(key i18n.Key, args ...any) string {
	return func(key i18n.Key, args ...any) string { return i18n.T(lang, key, args...) }
}

// sendXLSX answers with a workbook as an attachment named name. It is
// written to memory first, so a failure gets the error page rather than
// a broken file.
func (s *Server) sendXLSX(w http.ResponseWriter, name string, sheets []export.Sheet) error {
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, sheets); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.Bytes())
	return nil
}

// workbook runs an export's handler when it may make a workbook. Reading
// what goes into a workbook and making it takes a processor and tens of
// megabytes while it runs (a large organisation's SoA export about 20); an
// export is an occasional download, so at most half the processors make
// workbooks at once, and the pages keep the rest and the memory.
func (s *Server) workbook(h func(w http.ResponseWriter, r *http.Request) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		select {
		case s.workbooks <- struct{}{}:
		case <-r.Context().Done():
			return r.Context().Err()
		}
		defer func() { <-s.workbooks }()
		return h(w, r)
	}
}

// streamXLSX answers with a workbook as an attachment named name, written
// as it is made: a register's export can be long, and a failure after
// the first byte can only be logged (what names the export).
func (s *Server) streamXLSX(w http.ResponseWriter, what, name string, sheets []export.Sheet) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := export.WriteXLSX(w, sheets); err != nil {
		s.log.Error(what, "err", err)
	}
}
