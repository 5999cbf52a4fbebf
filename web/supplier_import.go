package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Imports of the supplier list and the incident log from spreadsheets
// (guide 2.9): an upload page listing the columns read, a preview naming
// every row's outcome (created, updated, skipped, refused with its
// reasons), then the confirmation, which stores nothing unless the
// outcomes are still those the preview showed. The two registers share the
// handlers; each has its routes, under /supplier-import and
// /incident-import, and its API (register_import API below).

// regImportKind describes one register's import for the pages.
type regImportKind struct {
	Kind     string
	Path     string // below the organisation: "/supplier-import"
	List     string // the register's page
	ListKey  string // the register's title
	Prefix   string // of the field labels: "rimp.sup." or "rimp.inc."
	Title    string
	Preview  string
	EditPerm string // the permission the upload form is offered for
	// RecordPath is the path below the organisation of a row's record
	// ("/assets" for /assets/{id}); "" when records have no page.
	RecordPath string
}

var (
	supImportKind = regImportKind{Kind: isms.ImportSuppliers, Path: "/supplier-import", List: "/suppliers", ListKey: "title.suppliers",
		Prefix: "rimp.sup.", Title: "title.rimp_suppliers", Preview: "title.rimp_suppliers_preview", EditPerm: "edit_own",
		RecordPath: "/suppliers"}
	incImportKind = regImportKind{Kind: isms.ImportIncidents, Path: "/incident-import", List: "/incidents", ListKey: "title.incidents",
		Prefix: "rimp.inc.", Title: "title.rimp_incidents", Preview: "title.rimp_incidents_preview", EditPerm: "edit",
		RecordPath: "/incidents"}
)

type regImportColumn struct {
	Field  string
	DA, EN string
}

type regImportData struct {
	K       regImportKind
	Columns []regImportColumn
	MaxMiB  int
	MaxRows int
	Preview *isms.RegisterImportPreview
	Strict  bool // nothing is stored while a row is refused, unless told
}

func (s *Server) regImportPage(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.renderRegImport(w, r, k, s.newPage(r, k.Title), http.StatusOK)
	}
}

func (s *Server) renderRegImport(w http.ResponseWriter, r *http.Request, k regImportKind, p *page, status int) error {
	d := regImportData{K: k, MaxMiB: export.RegisterMaxBytes(k.Kind) >> 20, MaxRows: export.RegisterMaxRows(k.Kind)}
	for _, f := range export.RegisterSheetFields(k.Kind) {
		d.Columns = append(d.Columns, regImportColumn{Field: f, DA: export.RegisterHeading(k.Kind, f, "da"), EN: export.RegisterHeading(k.Kind, f, "en")})
	}
	p.Data = d
	s.render(w, status, "register_import", p)
	return nil
}

// regUploadError is an upload the form could not read, as the error of
// the form's file field.
func regUploadError(kind string, err error) error {
	switch {
	case errors.Is(err, errFormTooLarge):
		return isms.Errorf(isms.EInvalid, "rimp.err.import_too_large", export.RegisterMaxBytes(kind)>>20)
	case errors.Is(err, errFormNoFile):
		return isms.Errorf(isms.EInvalid, "rimp.err.import_no_file")
	}
	return isms.Errorf(isms.EInvalid, "rimp.err.import_unreadable")
}

func (s *Server) regImportUpload(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		refuse := func(err error) error {
			err = importFileError(err)
			if isms.ErrorCode(err) != isms.EInvalid {
				return err
			}
			p := s.newPage(r, k.Title)
			p.setError(err)
			return s.renderRegImport(w, r, k, p, s.status(r, err))
		}
		release, err := s.uploads.acquire(r.Context())
		if err != nil {
			io.Copy(io.Discard, r.Body)
			return err
		}
		defer release()
		name, data, err := readFormFile(r, "import_file", int64(export.RegisterMaxBytes(k.Kind)))
		if err != nil {
			return refuse(regUploadError(k.Kind, err))
		}
		org := orgFrom(r.Context()).ID
		sheet, err := s.readRegisterSheet(r, org, k.Kind, name, data, 0)
		if err != nil {
			return refuse(err)
		}
		sheet.File = data
		pv, err := s.RegisterImports.StageRegisterImport(r.Context(), org, sheet)
		if err != nil {
			return refuse(err)
		}
		// A file of a shape with a saved mapping goes straight to the
		// preview; another first to the mapping step.
		to := k.Path + "/" + pv.SHA256
		if sheet.MappingID == 0 {
			to += "/mapping"
		}
		http.Redirect(w, r, p0(r, to), http.StatusSeeOther)
		return nil
	}
}

func (s *Server) regImportPreviewPage(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.renderRegPreview(w, r, k, s.newPage(r, k.Preview), http.StatusOK)
	}
}

func (s *Server) renderRegPreview(w http.ResponseWriter, r *http.Request, k regImportKind, p *page, status int) error {
	sha, err := stagedSHA(r)
	if err != nil {
		return err
	}
	pv, err := s.RegisterImports.StagedRegisterImport(r.Context(), orgFrom(r.Context()).ID, k.Kind, sha)
	if err != nil {
		return err
	}
	p.Data = regImportData{K: k, Preview: pv, Strict: isms.StrictImport(k.Kind)}
	s.render(w, status, "register_import_preview", p)
	return nil
}

func (s *Server) regImportConfirm(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sha, err := stagedSHA(r)
		if err != nil {
			return err
		}
		opt := isms.RegisterImportOptions{PreviewSHA256: strings.TrimSpace(r.PostForm.Get("preview_sha256")),
			SkipRefused: !isms.StrictImport(k.Kind) || parseFlag(r.PostForm.Get("skip_refused"))}
		pv, err := s.RegisterImports.ImportStagedRegisterWith(r.Context(), orgFrom(r.Context()).ID, k.Kind, sha, opt)
		if err != nil {
			if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
				p := s.newPage(r, k.Preview)
				p.setError(err)
				return s.renderRegPreview(w, r, k, p, s.status(r, err))
			}
			return err
		}
		if len(pv.Invitations) > 0 {
			return s.renderImportInvitations(w, r, k, pv)
		}
		s.redirect(w, r, p0(r, k.List), "flash.rimp_imported")
		return nil
	}
}

func (s *Server) regImportRefuse(k regImportKind) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		sha, err := stagedSHA(r)
		if err != nil {
			return err
		}
		if err := s.RegisterImports.DiscardStagedRegisterImport(r.Context(), orgFrom(r.Context()).ID, k.Kind, sha); err != nil {
			return err
		}
		s.redirect(w, r, p0(r, k.Path), "flash.rimp_refused")
		return nil
	}
}

// regImportRoutes adds a register's import pages.
func (s *Server) regImportRoutes(mux *http.ServeMux, k regImportKind) {
	base := "/orgs/{org}" + k.Path
	mux.HandleFunc("GET "+base, s.inOrg(s.page(s.regImportPage(k))))
	mux.HandleFunc("POST "+base, s.inOrg(s.upload(s.regImportUpload(k))))
	mux.HandleFunc("GET "+base+"/{sha}", s.inOrg(s.page(s.regImportPreviewPage(k))))
	mux.HandleFunc("POST "+base+"/{sha}", s.inOrg(s.page(s.regImportConfirm(k))))
	mux.HandleFunc("POST "+base+"/{sha}/refuse", s.inOrg(s.page(s.regImportRefuse(k))))
	mux.HandleFunc("GET "+base+"/{sha}/mapping", s.inOrg(s.page(s.regImportMappingPage(k))))
	mux.HandleFunc("POST "+base+"/{sha}/mapping", s.inOrg(s.page(s.regImportMappingSubmit(k))))
}

// The API: the file is the body, as for the risk import; the answer has
// the risk import's shape (rows, problems by row and column), each row
// with its outcome.

// regImportResponse is an import's preview as the API answers it, the
// problems in the request's language.
type regImportResponse struct {
	ID            int64                  `json:"id"` // always 0: the API does not stage
	Kind          string                 `json:"kind"`
	Filename      string                 `json:"filename"`
	SHA256        string                 `json:"sha256"`
	PreviewSHA256 string                 `json:"preview_sha256"`
	Columns       []isms.SheetColumn     `json:"columns"`
	Ignored       []string               `json:"ignored"`
	Rows          []regImportRowResponse `json:"rows"`
	Problems      []riskImportProblem    `json:"problems"`
	Valid         bool                   `json:"valid"` // no row refused
	Created       int                    `json:"created"`
	Updated       int                    `json:"updated"`
	Skipped       int                    `json:"skipped"`
	Refused       int                    `json:"refused"`
	Imported      bool                   `json:"imported"`
	// Invitations are those a members import made: mailed when the server
	// sends mail, else with the link to pass on, in this response only.
	Invitations []importInvitationResponse `json:"invitations"`
}

// importInvitationResponse is an invitation an import made.
type importInvitationResponse struct {
	Row    int    `json:"row"`
	Email  string `json:"email"`
	Role   string `json:"role"`
	Mailed bool   `json:"mailed"`
	URL    string `json:"url,omitempty"`
}

// regImportRowResponse is one row: its number as the spreadsheet shows
// it, its outcome, the record it concerns, what it changes and why it is
// refused.
type regImportRowResponse struct {
	isms.RegisterImportRow
	Reasons  []string `json:"reasons"`
	Warnings []string `json:"warnings"` // what a stored row lacks
}

func regImportJSON(lang string, pv *isms.RegisterImportPreview) *regImportResponse {
	out := &regImportResponse{Kind: pv.Kind, Filename: pv.Filename, SHA256: pv.SHA256, PreviewSHA256: pv.PreviewSHA256,
		Columns: nonNil(pv.Columns), Ignored: nonNil(pv.Ignored), Rows: make([]regImportRowResponse, 0, len(pv.Rows)),
		Problems: make([]riskImportProblem, 0, len(pv.Problems)), Valid: len(pv.Problems) == 0, Created: pv.Created, Updated: pv.Updated,
		Skipped: pv.Skipped, Refused: pv.Refused, Imported: pv.Imported, Invitations: []importInvitationResponse{}}
	for _, r := range pv.Rows {
		row := regImportRowResponse{RegisterImportRow: r, Reasons: make([]string, 0, len(r.Reasons)), Warnings: make([]string, 0, len(r.Warnings))}
		row.Changes = nonNil(row.Changes)
		for _, m := range r.Reasons {
			row.Reasons = append(row.Reasons, i18n.T(lang, i18n.Key(m.Key), m.Args...))
		}
		for _, m := range r.Warnings {
			row.Warnings = append(row.Warnings, i18n.T(lang, i18n.Key(m.Key), m.Args...))
		}
		out.Rows = append(out.Rows, row)
	}
	for _, p := range pv.Problems {
		out.Problems = append(out.Problems, riskImportProblem{Row: p.Row, Column: p.Column, Field: p.Field,
			Message: i18n.T(lang, i18n.Key(p.Message.Key), p.Message.Args...)})
	}
	return out
}

var regImportQuery = []apiParam{{"filename", "string", "the file's name, for the record"}, {"dry_run", "boolean", "only check the file"},
	{"preview_sha256", "string", "the preview_sha256 of a dry run: nothing is stored unless the rows' outcomes are still those"},
	{"mapping", "integer", "the id of a saved mapping of this register (GET import-mappings) to read the file with; without it the mapping saved for the file's headings is used, else the proposal"},
	{"skip_refused", "boolean", "store the rows that can be stored although others are refused (assets, threats, members and the business overview store nothing while a row is refused unless this is set)"}}

const (
	supImportSummary = "Import a supplier list: the body is the XLSX or CSV file itself; rows match suppliers by CVR number, else by name, " +
		"and are created, updated, skipped (nothing changes) or refused with their reasons; with dry_run nothing is stored, without it " +
		"every created and updated row is stored in one transaction (422 when every row is refused)"
	incImportSummary = "Import an incident log: the body is the XLSX or CSV file itself; rows match incidents by title and day detected, " +
		"and are created (as triaged incidents, marked on their timeline as imported), updated, skipped or refused with their reasons; " +
		"with dry_run nothing is stored, without it every created and updated row is stored in one transaction (422 when every row is refused)"
)

// regImportAPI reads the file from the body (holding one of the server's
// upload slots while it does), checks it, and imports it unless only a
// dry run is asked for.
func (s *Server) regImportAPI(kind string) func(r *http.Request) (any, error) {
	return func(r *http.Request) (any, error) {
		org, err := pathID(r, "org")
		if err != nil {
			return nil, err
		}
		return s.withUploadSlot(r, func() (any, error) {
			max := export.RegisterMaxBytes(kind)
			data, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
			if err != nil || len(data) > max {
				return nil, isms.Errorf(isms.EInvalid, "rimp.err.import_too_large", max>>20)
			}
			q := r.URL.Query()
			name := q.Get("filename")
			if name == "" {
				name = "upload"
			}
			var mappingID int64
			if v := q.Get("mapping"); v != "" {
				if mappingID, err = strconv.ParseInt(v, 10, 64); err != nil || mappingID <= 0 {
					return nil, isms.Errorf(isms.EInvalid, "imp.err.mapping_id")
				}
			}
			sheet, err := s.readRegisterSheet(r, org, kind, name, data, mappingID)
			if err != nil {
				return nil, err
			}
			lang := i18n.Negotiate(r)
			var pv *isms.RegisterImportPreview
			if parseFlag(q.Get("dry_run")) {
				pv, err = s.RegisterImports.PreviewRegisterSheet(r.Context(), org, sheet)
			} else {
				opt := isms.RegisterImportOptions{PreviewSHA256: strings.TrimSpace(q.Get("preview_sha256")),
					SkipRefused: !isms.StrictImport(kind) || parseFlag(q.Get("skip_refused"))}
				pv, err = s.RegisterImports.ImportRegister(r.Context(), org, sheet, opt)
				if e := isms.AsError(err); e != nil && e.Key == "rimp.err.nothing_to_store" {
					return nil, s.regRefusedRows(r, org, sheet, e)
				}
			}
			if err != nil {
				return nil, err
			}
			out := regImportJSON(lang, pv)
			for _, sent := range s.sendImportInvitations(r, pv) {
				out.Invitations = append(out.Invitations, importInvitationResponse{Row: sent.Row, Email: sent.Invitation.Email,
					Role: string(sent.Invitation.Role), Mailed: sent.Mailed, URL: sent.URL})
			}
			return out, nil
		})
	}
}

// regRefusedRows names, for a file whose every row is refused, each
// row's problems in the refusal's field list ("row 4: C · CVR-nr.").
func (s *Server) regRefusedRows(r *http.Request, org int64, sheet *isms.RegisterSheet, refusal *isms.Error) error {
	pv, err := s.RegisterImports.PreviewRegisterSheet(r.Context(), org, sheet)
	if err != nil {
		return err
	}
	e := &isms.Error{Code: refusal.Code, Key: refusal.Key, Args: refusal.Args}
	for _, p := range pv.Problems {
		field := p.Column
		if field == "" {
			field = p.Field
		}
		if field == "" {
			field = "file"
		}
		e.Fields = append(e.Fields, isms.FieldError{Field: riskRowField(p.Row, field), Key: p.Message.Key, Args: p.Message.Args})
	}
	return e
}
