package web

import (
	"io"
	"net/http"

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
	ID          int64                  `json:"id"` // always 0: the API does not stage
	Filename    string                 `json:"filename"`
	Columns     []isms.RiskSheetColumn `json:"columns"`
	Ignored     []string               `json:"ignored"`
	Rows        []isms.RiskImportRow   `json:"rows"`
	Problems    []riskImportProblem    `json:"problems"`
	Warnings    []riskImportProblem    `json:"warnings"`
	Valid       bool                   `json:"valid"`
	Assessments int                    `json:"new_assessments"`
	Imported    bool                   `json:"imported"`
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

func riskImportJSON(lang string, pv *isms.RiskImportPreview) *riskImportResponse {
	out := &riskImportResponse{ID: pv.ID, Filename: pv.Filename, Columns: nonNil(pv.Columns), Ignored: nonNil(pv.Ignored), Rows: append([]isms.RiskImportRow{}, pv.Rows...),
		Problems: make([]riskImportProblem, 0, len(pv.Problems)), Valid: pv.Valid, Assessments: pv.Assessments, Imported: pv.Imported}
	for i := range out.Rows {
		row := &out.Rows[i]
		row.ExistingControls, row.PlannedControls = nonNil(row.ExistingControls), nonNil(row.PlannedControls)
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
	riskImportQuery = []apiParam{{"filename", "string", "the file's name, for the record"}, {"dry_run", "boolean", "only check the file"}}
)

const riskImportSummary = "Import a risk register: the body is the XLSX or CSV file itself; with dry_run the problems are reported and nothing is stored, " +
	"without it the whole file is imported in one transaction or, if any row has a problem, nothing (422 with the preview's problems)"

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
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "upload"
	}
	sheet, err := export.ReadRiskSheet(name, data)
	if err != nil {
		return nil, err
	}
	pv, err := s.Risk.PreviewRiskSheet(r.Context(), org, sheet)
	if err != nil {
		return nil, err
	}
	lang := i18n.Negotiate(r)
	if parseFlag(r.URL.Query().Get("dry_run")) {
		return riskImportJSON(lang, pv), nil
	}
	if !pv.Valid {
		e := &isms.Error{Code: isms.EInvalid, Key: "risk.err.import_invalid", Args: []any{len(pv.Problems)}}
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
		return nil, e
	}
	if _, err := s.Risk.ImportRiskSheet(r.Context(), org, sheet); err != nil {
		return nil, err
	}
	pv.Imported = true
	return riskImportJSON(lang, pv), nil
}

// riskRowField names a row's problem for the API's field list, e.g.
// "row 4: C · Likelihood".
func riskRowField(row int, column string) string {
	if row == 0 {
		return column
	}
	return "row " + itoa(row) + ": " + column
}
