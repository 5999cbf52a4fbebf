package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// soaImportBody is an import through the API: the file itself (base64 in
// JSON) and the decisions on flagged controls.
type soaImportBody struct {
	FileName   string                            `json:"file_name"`
	Content    []byte                            `json:"content"` // the CSV or XLSX file, base64
	Decisions  map[string]isms.SoAImportDecision `json:"decisions"`
	StateToken string                            `json:"state_token"` // for applying: the preview's
}

var (
	soaQuery = []apiParam{{"applicability", "string", "applicable, excluded, undecided"}, {"status", "string", "not_started, planned, partially_implemented, implemented, not_applicable"},
		{"owner", "integer", "owner's user id"}, {"theme", "string", "organizational, people, physical, technological"},
		{"problem", "string", "undecided, unjustified, business_only, excluded_with_risks, unjustified_any"},
		{"changed", "boolean", "only lines changed since the approved version"}, {"q", "string", "text in the reference or title"}}
	soaDiffQuery = []apiParam{{"from", "integer", "a version's id (required)"}, {"to", "integer", "a version's id; omit for the current state"}}
)

const soaSummary = "The Statement of Applicability (guide 2.3): every Annex A 2022 and own control with its decision, justification, status and owner; the summary; the approval state"

// soaAPI answers the SoA with the lines the query's filter keeps.
func (s *Server) soaAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	f, err := soaFilterFrom(r)
	if err != nil {
		return nil, err
	}
	return s.SoA.SoA(r.Context(), org, f)
}

// soaControlsOfRiskAPI answers the lines of the controls ?risk= uses.
func (s *Server) soaControlsOfRiskAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	rid, err := strconv.ParseInt(r.URL.Query().Get("risk"), 10, 64)
	if err != nil || rid <= 0 {
		return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "risk", Key: "err.number"}}}
	}
	return s.SoA.SoAControlsOfRisk(r.Context(), org, rid)
}

// soaDiffAPI compares ?from= with ?to= (the current state when absent).
func (s *Server) soaDiffAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	from, err := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	if err != nil || from <= 0 {
		return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "from", Key: "err.number"}}}
	}
	to, _ := queryInt(r, "to", 0)
	return s.SoA.SoADiff(r.Context(), org, from, int64(to))
}

// soaImportPreviewAPI previews an import.
func (s *Server) soaImportPreviewAPI(r *http.Request) (any, error) {
	return s.readSoAImport(r, func(org int64, b soaImportBody) (any, error) {
		prev, err := s.soaPreview(r, org, b.FileName, b.Content, b.Decisions)
		if err != nil {
			return nil, err
		}
		return soaImportPreviewJSON(i18n.Negotiate(r), prev), nil
	})
}

// soaImportAPI applies an import whose file parses without a problem.
func (s *Server) soaImportAPI(r *http.Request) (any, error) {
	return s.readSoAImport(r, func(org int64, b soaImportBody) (any, error) {
		rows, problems := export.ParseSoA2013(b.Content)
		if len(problems) > 0 {
			return nil, isms.Errorf(isms.EInvalid, "soa.err.import_file", len(problems))
		}
		return s.SoA.ApplySoAImport(r.Context(), org, isms.SoAImportInput{FileName: b.FileName, Rows: rows, Decisions: b.Decisions, StateToken: b.StateToken})
	})
}

// readSoAImport reads an import's body while holding one of the server's
// upload slots, and uses it before the slot is given back.
func (s *Server) readSoAImport(r *http.Request, use func(org int64, b soaImportBody) (any, error)) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	return s.withUploadSlot(r, func() (any, error) {
		var b soaImportBody
		if err := decodeJSON(r, &b); err != nil {
			return nil, err
		}
		return use(org, b)
	})
}

// soaImportPreviewResponse is an import's preview as the API answers it:
// each problem's message as text in the request's language (as every
// message of the API), and lists that are [] rather than null when empty.
type soaImportPreviewResponse struct {
	*isms.SoAImportPreview
	Controls []*isms.SoAImportControl `json:"controls"`
	Problems []soaImportProblemJSON   `json:"problems"`
}

// soaImportProblemJSON is one problem of an imported file: its row (0 for
// the file as a whole), the column as headed in the file, and the message.
type soaImportProblemJSON struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

func soaImportPreviewJSON(lang string, p *isms.SoAImportPreview) *soaImportPreviewResponse {
	out := &soaImportPreviewResponse{SoAImportPreview: p, Controls: nonNil(p.Controls), Problems: make([]soaImportProblemJSON, 0, len(p.Problems))}
	for _, x := range p.Problems {
		// A column missing from the file is named by the catalogue.
		col := x.Column
		if i18n.Has(i18n.Key(col)) {
			col = i18n.T(lang, i18n.Key(col))
		}
		out.Problems = append(out.Problems, soaImportProblemJSON{Row: x.Row, Column: col, Message: i18n.T(lang, i18n.Key(x.Message.Key), x.Message.Args...)})
	}
	return out
}
