package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// Import of a risk register kept in a spreadsheet: upload, a preview that
// names every problem by row and column, then the import of the whole file
// in one transaction, or nothing.

// riskImportColumn describes one column the import reads.
type riskImportColumn struct {
	Field    string
	DA, EN   string
	Required bool
}

type riskImportData struct {
	UI       riskUI
	Columns  []riskImportColumn
	Preview  *isms.RiskImportPreview
	MaxMiB   int
	MaxRows  int
	Problems int
}

func riskImportColumns() []riskImportColumn {
	var out []riskImportColumn
	for _, f := range isms.RiskSheetFields {
		out = append(out, riskImportColumn{Field: f, DA: export.RiskSheetHeading(f, "da"), EN: export.RiskSheetHeading(f, "en"),
			Required: f == "asset" || f == "threat" || f == "likelihood" || f == "consequence"})
	}
	return out
}

func (s *Server) riskImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRiskImport(w, r, s.newPage(r, "title.risk_import"), http.StatusOK)
}

func (s *Server) renderRiskImport(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	ui, err := s.riskUI(r, p.Lang, false)
	if err != nil {
		return err
	}
	p.Data = riskImportData{UI: ui, Columns: riskImportColumns(), MaxMiB: export.RiskSheetMaxBytes >> 20, MaxRows: export.RiskSheetMaxRows}
	s.render(w, status, "risk_import", p)
	return nil
}

func (s *Server) riskImportUpload(w http.ResponseWriter, r *http.Request) error {
	fileErr := func(err error) error {
		p := s.newPage(r, "title.risk_import")
		if e := isms.AsError(err); e != nil && e.Code == isms.EInvalid && len(e.Fields) == 0 {
			// A problem with the file as a whole belongs to its field.
			err = &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "import_file", Key: e.Key, Args: e.Args}}}
		}
		if isms.ErrorCode(err) != isms.EInvalid {
			return err
		}
		p.setError(err)
		return s.renderRiskImport(w, r, p, s.status(r, err))
	}
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	defer release()
	name, data, err := readFormFile(r, "import_file", export.RiskSheetMaxBytes)
	switch err {
	case nil:
	case errFormTooLarge:
		return fileErr(isms.Errorf(isms.EInvalid, "risk.err.import_too_large", export.RiskSheetMaxBytes>>20))
	case errFormNoFile:
		return fileErr(isms.Errorf(isms.EInvalid, "risk.err.import_no_file"))
	default:
		return fileErr(isms.Errorf(isms.EInvalid, "risk.err.import_unreadable"))
	}
	org := orgFrom(r.Context()).ID
	sheet, err := s.readRiskSheet(r, org, name, data, 0)
	if err != nil {
		return fileErr(err)
	}
	sheet.File = data
	pv, err := s.Risk.StageRiskImport(r.Context(), org, sheet)
	if err != nil {
		return fileErr(err)
	}
	// A file of a shape with a saved mapping goes straight to the
	// preview; another first to the mapping step.
	to := "/risk-import/" + strconv.FormatInt(pv.ID, 10)
	if sheet.MappingID == 0 {
		to += "/mapping"
	}
	http.Redirect(w, r, p0(r, to), http.StatusSeeOther)
	return nil
}

func (s *Server) riskImportPreviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRiskImportPreview(w, r, s.newPage(r, "title.risk_import_preview"), http.StatusOK)
}

func (s *Server) renderRiskImportPreview(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	// The preview shows the rows as they would be stored with the
	// missing assets and threats created; the confirmation asks.
	pv, err := s.Risk.StagedRiskImport(r.Context(), orgFrom(r.Context()).ID, id, isms.RiskImportOptions{CreateMissing: true, SkipRefused: true})
	if err != nil {
		return err
	}
	ui, err := s.riskUI(r, p.Lang, false)
	if err != nil {
		return err
	}
	p.Data = riskImportData{UI: ui, Preview: pv, Problems: len(pv.Problems)}
	s.render(w, status, "risk_import_preview", p)
	return nil
}

func (s *Server) riskImportConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	opt := isms.RiskImportOptions{CreateMissing: parseFlag(r.PostForm.Get("create_missing")), SkipRefused: parseFlag(r.PostForm.Get("skip_refused"))}
	if _, err := s.Risk.ImportStagedRisks(r.Context(), orgFrom(r.Context()).ID, id, opt); err != nil {
		switch isms.ErrorCode(err) {
		case isms.EInvalid, isms.EConflict:
			p := s.newPage(r, "title.risk_import_preview")
			p.setError(err)
			return s.renderRiskImportPreview(w, r, p, s.status(r, err))
		}
		return err
	}
	s.redirect(w, r, p0(r, "/risks?sort=-inherent"), "flash.risk_imported")
	return nil
}
