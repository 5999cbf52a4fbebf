package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The JSON API of risk management: the same services as the pages.

const riskTag = "risk management"

type riskMarkBody struct {
	Note    string `json:"reassess_note"`
	Version int64  `json:"version"`
}

// riskImportResponse is an import's preview as the API answers it: the
// problems in the request's language (as every message of the API), and
// lists that are [] rather than null when empty.
type riskImportResponse struct {
	ID             int64                  `json:"id"` // always 0: the API does not stage
	Filename       string                 `json:"filename"`
	MappingID      int64                  `json:"mapping_id"` // the saved mapping the file was read with, 0 for the proposal
	Headings       []isms.SheetHeading    `json:"headings"`   // the file's heading row and the field of each column
	Columns        []isms.RiskSheetColumn `json:"columns"`
	Ignored        []string               `json:"ignored"`
	Rows           []riskImportRowJSON    `json:"rows"`
	Problems       []riskImportProblem    `json:"problems"`
	Warnings       []riskImportProblem    `json:"warnings"`
	MissingAssets  []string               `json:"missing_assets"`  // created with create_missing=true
	MissingThreats []string               `json:"missing_threats"` // created with create_missing=true
	Created        int                    `json:"created"`
	Updated        int                    `json:"updated"`
	Skipped        int                    `json:"skipped"`
	Refused        int                    `json:"refused"`
	Incomplete     int                    `json:"incomplete"`
	Valid          bool                   `json:"valid"`
	Assessments    int                    `json:"new_assessments"`
	Imported       bool                   `json:"imported"`
}

// riskImportRowJSON is one row with its reasons and warnings in the
// request's language.
type riskImportRowJSON struct {
	isms.RiskImportRow
	Reasons  []string `json:"reasons"`
	Warnings []string `json:"warnings"`
}

// riskImportProblem is one problem of an imported file: its row (0 for the
// file as a whole), the column as headed in the file (empty when the file
// lacks it), the field of the register it concerns, and the message.
type riskImportProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func riskImportJSON(lang string, s *isms.RiskSheet, pv *isms.RiskImportPreview) *riskImportResponse {
	out := &riskImportResponse{ID: pv.ID, Filename: pv.Filename, MappingID: pv.MappingID, Headings: nonNil(s.Headings), Columns: nonNil(pv.Columns),
		Ignored: nonNil(pv.Ignored), Rows: make([]riskImportRowJSON, 0, len(pv.Rows)), Problems: make([]riskImportProblem, 0, len(pv.Problems)),
		MissingAssets: nonNil(pv.MissingAssets), MissingThreats: nonNil(pv.MissingThreats), Created: pv.Created, Updated: pv.Updated,
		Skipped: pv.Skipped, Refused: pv.Refused, Incomplete: pv.Incomplete, Valid: pv.Valid, Assessments: pv.Assessments, Imported: pv.Imported}
	msgs := func(ms []isms.Message) []string {
		out := make([]string, 0, len(ms))
		for _, m := range ms {
			out = append(out, i18n.T(lang, i18n.Key(m.Key), m.Args...))
		}
		return out
	}
	for _, r := range pv.Rows {
		row := riskImportRowJSON{RiskImportRow: r, Reasons: msgs(r.Reasons), Warnings: msgs(r.Warnings)}
		row.ExistingControls, row.PlannedControls, row.Changes = nonNil(row.ExistingControls), nonNil(row.PlannedControls), nonNil(row.Changes)
		out.Rows = append(out.Rows, row)
	}
	for _, p := range pv.Problems {
		out.Problems = append(out.Problems, riskImportProblem{Row: p.Row, Column: p.Column, Field: p.Field,
			Message: i18n.T(lang, i18n.Key(p.Message.Key), p.Message.Args...)})
	}
	out.Warnings = make([]riskImportProblem, 0, len(pv.Warnings))
	for _, p := range pv.Warnings {
		out.Warnings = append(out.Warnings, riskImportProblem{Row: p.Row, Column: p.Column, Field: p.Field,
			Message: i18n.T(lang, i18n.Key(p.Message.Key), p.Message.Args...)})
	}
	return out
}

type riskPageResponse struct {
	Risk        *isms.Risk             `json:"risk"`
	Acceptances []*isms.RiskAcceptance `json:"acceptances"`
	Incidents   []*isms.IncidentRef    `json:"incidents"` // the security incidents that name the risk
}

func riskOrg(r *http.Request) (int64, error) { return pathID(r, "org") }

// riskQuery filters the register (and its heat map).
var riskQuery = []apiParam{{"asset", "integer", "asset id"}, {"owner", "integer", "owner's user id"},
	{"assessment", "integer", "assessment id"}, {"threat", "integer", "threat id"},
	{"grid", "string", "inherent or residual (default): the grid band, l and c apply to"},
	{"band", "string", "a band key of the organisation's scale"}, {"l", "integer", "likelihood of a cell"}, {"c", "integer", "consequence of a cell"},
	{"treatment", "string", "mitigate, accept, avoid, share, or none for undecided"},
	{"overdue", "boolean", "only risks whose treatment is past a deadline"},
	{"needs_acceptance", "boolean", "only residual risks above the acceptance criteria without a valid acceptance"},
	{"incomplete", "boolean", "only risks whose treatment lacks an owner, a deadline or planned controls (as an imported register may leave them)"},
	{"q", "string", "text in title or description"},
	{"sort", "string", "title, asset, threat, owner, inherent, residual, treatment, deadline, next_due, assessment; prefix - for descending (default -residual)"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

var (
	assetQuery = []apiParam{{"kind", "string", "process, information, system, hardware, software, location, supplier, person"},
		{"primary", "string", "primary or supporting"}, {"owner", "integer", ""}, {"q", "string", "text in the name"},
		{"unassessed", "boolean", "only active assets without a current risk assessment"}, {"status", "string", "draft, active, retired"},
		{"sort", "string", "name, kind, owner, status, criticality; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", ""}}
	threatQuery = []apiParam{{"catalogue", "integer", ""}, {"group", "string", "malicious, human, technical, physical, supplier, organisational"},
		{"q", "string", ""}, {"status", "string", "active or retired"}}
	riskAssessmentQuery = []apiParam{{"asset", "integer", ""}, {"owner", "integer", ""}, {"status", "string", "in_progress or completed"},
		{"reassess", "boolean", "only those due or marked for reassessment"}, {"q", "string", ""},
		{"sort", "string", "title, asset, owner, next_reassessment, assessed_on, status"}, {"offset", "integer", ""}, {"limit", "integer", ""}}
	riskTaskQuery = []apiParam{{"risk", "integer", ""}, {"owner", "integer", ""}, {"status", "string", "planned, in_progress, done, cancelled"},
		{"open", "boolean", ""}, {"overdue", "boolean", ""}, {"sort", "string", "deadline, title, owner, status, risk, asset"},
		{"offset", "integer", ""}, {"limit", "integer", ""}}
	riskImportQuery = []apiParam{{"filename", "string", "the file's name, for the record"}, {"dry_run", "boolean", "only check the file"},
		{"create_missing", "boolean", "create the assets and threats the file names that are not in the register (the preview's missing_assets and missing_threats)"},
		{"skip_refused", "boolean", "store the other rows of a file with refused rows; without it such a file stores nothing (422 with the rows)"},
		{"mapping", "integer", "a saved mapping's id; without it the mapping saved for the file's shape is used, else the proposal"}}
)

const riskImportSummary = "Import a risk register: the body is the XLSX or CSV file itself; every row is created, updated (matched by the file's key " +
	"column, else by title, asset and threat), skipped (nothing changes) or refused with its reasons, by its row number in the file; with dry_run " +
	"nothing is stored, without it every created and updated row is stored in one transaction, or nothing when a row is refused and skip_refused " +
	"is not set (422 with the rows)"

// threatsAPI lists the threats matching the query's filter (all of them:
// the list is not paginated).
func (s *Server) threatsAPI(r *http.Request) (any, error) {
	org, err := riskOrg(r)
	if err != nil {
		return nil, err
	}
	f, err := threatFilterFrom(r)
	if err != nil {
		return nil, err
	}
	t, err := s.Risk.Threats(r.Context(), org, f)
	return nonNil(t), err
}

// riskHeatMapAPI counts the risks of the register's filter per cell.
func (s *Server) riskHeatMapAPI(r *http.Request) (any, error) {
	org, err := riskOrg(r)
	if err != nil {
		return nil, err
	}
	f, err := riskFilterFrom(r, 1)
	if err != nil {
		return nil, err
	}
	return s.Risk.RiskHeatMap(r.Context(), org, f)
}

// readRiskAPI answers a risk with the history of its acceptances.
func (s *Server) readRiskAPI(r *http.Request) (any, error) {
	org, id, err := pathIDs(r)
	if err != nil {
		return nil, err
	}
	rk, err := s.Risk.Risk(r.Context(), org, id)
	if err != nil {
		return nil, err
	}
	acc, err := s.Risk.RiskAcceptances(r.Context(), org, id)
	if err != nil {
		return nil, err
	}
	incs, err := s.Incidents.IncidentsOfRisk(r.Context(), org, id)
	return &riskPageResponse{Risk: rk, Acceptances: nonNil(acc), Incidents: nonNil(incs)}, err
}

// importRiskSheetAPI reads the file from the body (holding one of the
// server's upload slots while it does), checks it, and imports it whole or
// not at all.
func (s *Server) importRiskSheetAPI(r *http.Request) (any, error) {
	org, err := riskOrg(r)
	if err != nil {
		return nil, err
	}
	return s.withUploadSlot(r, func() (any, error) { return s.importRiskSheet(r, org) })
}

// importRiskSheet checks the file of the body and, unless only a dry run
// is asked for, imports it.
func (s *Server) importRiskSheet(r *http.Request, org int64) (any, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, export.RiskSheetMaxBytes+1))
	if err != nil {
		return nil, isms.Errorf(isms.EInvalid, "risk.err.import_too_large", export.RiskSheetMaxBytes>>20)
	}
	q := r.URL.Query()
	name := q.Get("filename")
	if name == "" {
		name = "upload"
	}
	var mappingID int64
	if v := q.Get("mapping"); v != "" {
		if mappingID, err = strconv.ParseInt(v, 10, 64); err != nil || mappingID <= 0 {
			return nil, isms.Errorf(isms.EInvalid, "err.invalid")
		}
	}
	sheet, err := s.readRiskSheet(r, org, name, data, mappingID)
	if err != nil {
		return nil, err
	}
	opt := isms.RiskImportOptions{CreateMissing: parseFlag(q.Get("create_missing")), SkipRefused: parseFlag(q.Get("skip_refused"))}
	lang := i18n.Negotiate(r)
	if parseFlag(q.Get("dry_run")) {
		pv, err := s.Risk.PreviewRiskSheet(r.Context(), org, sheet, opt)
		if err != nil {
			return nil, err
		}
		return riskImportJSON(lang, sheet, pv), nil
	}
	res, err := s.Risk.ImportRiskSheet(r.Context(), org, sheet, opt)
	if err != nil {
		return nil, err
	}
	return riskImportJSON(lang, sheet, res.Preview), nil
}

// readRiskSheet reads an uploaded risk register with the mapping named
// (by id, 0 for none) or, failing that, the one saved for the file's
// shape, or else the proposal.
func (s *Server) readRiskSheet(r *http.Request, org int64, name string, data []byte, mappingID int64) (*isms.RiskSheet, error) {
	ms := s.importMappings()
	if mappingID != 0 {
		m, err := ms.ImportMapping(r.Context(), org, mappingID)
		if err != nil {
			return nil, err
		}
		if m.Kind != isms.ImportRisks {
			return nil, isms.Errorf(isms.EInvalid, "imp.err.mapping_kind", m.Kind)
		}
		return export.ReadRiskSheetMapped(name, data, m)
	}
	sheet, err := export.ReadRiskSheet(name, data)
	if err != nil {
		// A file the proposal cannot read may still be one a saved
		// mapping reads; the caller names a mapping for it.
		return nil, err
	}
	m, err := ms.ImportMappingForShape(r.Context(), org, isms.ImportRisks, sheet.Shape)
	switch {
	case isms.ErrorCode(err) == isms.ENotFound:
		return sheet, nil
	case err != nil:
		return nil, err
	}
	return export.ReadRiskSheetMapped(name, data, m)
}

// riskRowField names a row's problem for the API's field list, e.g.
// "row 4: C · Likelihood".
func riskRowField(row int, column string) string {
	if row == 0 {
		return column
	}
	return "row " + itoa(row) + ": " + column
}
