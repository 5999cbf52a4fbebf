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

func (s *Server) soaAPI(mux *http.ServeMux) {
	const tag = "statement of applicability"
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa", Tag: tag,
		Summary: "The Statement of Applicability (guide 2.3): every Annex A 2022 and own control with its decision, justification, status and owner; the summary; the approval state",
		Query: []apiParam{{"applicability", "string", "applicable, excluded, undecided"}, {"status", "string", "not_started, planned, partially_implemented, implemented, not_applicable"},
			{"owner", "integer", "owner's user id"}, {"theme", "string", "organizational, people, physical, technological"},
			{"problem", "string", "undecided, unjustified, business_only, excluded_with_risks, unjustified_any"},
			{"changed", "boolean", "only lines changed since the approved version"}, {"q", "string", "text in the reference or title"}},
		Response: &isms.StatementOfApplicability{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := soaFilterFrom(r)
			if err != nil {
				return nil, err
			}
			return s.SoA.SoA(r.Context(), org, f)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/controls", Tag: tag,
		Summary: "The SoA lines of the controls a risk's treatment uses", Query: []apiParam{{"risk", "integer", "the risk's id (required)"}},
		Response: []*isms.SoAControl{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			rid, err := strconv.ParseInt(r.URL.Query().Get("risk"), 10, 64)
			if err != nil || rid <= 0 {
				return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "risk", Key: "err.number"}}}
			}
			return s.SoA.SoAControlsOfRisk(r.Context(), org, rid)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/controls/{id}", Tag: tag,
		Summary: "One SoA line with its risks, requirements, documents and documentation choices", Response: &isms.SoAControl{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.SoA.SoAControl(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: "/api/v1/organisations/{org}/soa/controls/{id}", Tag: tag,
		Summary: "Record the decision on a control (send the version you read; 0 for a control never recorded)", Request: isms.SoAControlInput{},
		Response: &isms.SoAControl{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.SoAControlInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.SoA.SaveSoAControl(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/own-controls", Tag: tag, Status: http.StatusCreated,
		Summary: "Add a control of the organisation's own to the SoA", Request: isms.OwnControlInput{}, Response: &isms.SoAControl{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var in isms.OwnControlInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.SoA.CreateOwnControl(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: "/api/v1/organisations/{org}/soa/own-controls/{id}", Tag: tag,
		Summary: "Change an own control's reference, theme or title (send the line's version)", Request: isms.OwnControlInput{}, Response: &isms.SoAControl{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.OwnControlInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.SoA.UpdateOwnControl(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: "/api/v1/organisations/{org}/soa/own-controls/{id}", Tag: tag,
		Summary: "Delete an own control no risk relies on (send the line's version)", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return nil, s.SoA.DeleteOwnControl(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/versions", Tag: tag,
		Summary: "The frozen versions of the SoA, newest first", Response: []*isms.SoAVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			return s.SoA.SoAVersions(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/versions", Tag: tag, Status: http.StatusCreated,
		Summary: "Freeze the current state as a new version (send the state_token of the state you reviewed)", Request: isms.SoAFreezeInput{},
		Response: &isms.SoAVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var in isms.SoAFreezeInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.SoA.FreezeSoA(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/versions/{id}", Tag: tag,
		Summary: "A frozen version with its snapshot and whether it still matches its checksum", Response: &isms.SoAVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.SoA.SoAVersion(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/versions/{id}/approve", Tag: tag,
		Summary: "Approve the latest frozen version (management)", Request: isms.SoAApprovalInput{}, Response: &isms.SoAVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.SoAApprovalInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.SoA.ApproveSoAVersion(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: "/api/v1/organisations/{org}/soa/diff", Tag: tag,
		Summary:  "What changed between two versions, or between a version and the current state",
		Query:    []apiParam{{"from", "integer", "a version's id (required)"}, {"to", "integer", "a version's id; omit for the current state"}},
		Response: &isms.SoADiff{},
		Handle: func(r *http.Request) (any, error) {
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
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/import/preview", Tag: tag,
		Summary: "Preview the import of a 2013 SoA (CSV or XLSX): the mapping to 2022, the flagged controls and every problem by row and column",
		Request: soaImportBody{}, Response: &soaImportPreviewResponse{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			release, err := s.uploads.acquire(r.Context())
			if err != nil {
				return nil, err
			}
			defer release()
			var b soaImportBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			prev, err := s.soaPreview(r, org, b.FileName, b.Content, b.Decisions)
			if err != nil {
				return nil, err
			}
			return soaImportPreviewJSON(i18n.Negotiate(r), prev), nil
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/soa/import", Tag: tag,
		Summary: "Import a 2013 SoA in one transaction, once every row parses and every flagged control is decided (send the preview's state_token)",
		Request: soaImportBody{}, Response: &isms.SoAImportResult{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			release, err := s.uploads.acquire(r.Context())
			if err != nil {
				return nil, err
			}
			defer release()
			var b soaImportBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			rows, problems := export.ParseSoA2013(b.Content)
			if len(problems) > 0 {
				return nil, isms.Errorf(isms.EInvalid, "soa.err.import_file", len(problems))
			}
			return s.SoA.ApplySoAImport(r.Context(), org, isms.SoAImportInput{FileName: b.FileName, Rows: rows, Decisions: b.Decisions, StateToken: b.StateToken})
		}})
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
