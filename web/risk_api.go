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

// riskAcceptBody is management's acceptance in the API.
type riskAcceptBody = isms.RiskAcceptanceInput

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
	return out
}

type riskPageResponse struct {
	Risk        *isms.Risk             `json:"risk"`
	Acceptances []*isms.RiskAcceptance `json:"acceptances"`
}

func riskOrg(r *http.Request) (int64, error) { return pathID(r, "org") }

func (s *Server) riskAPI(mux *http.ServeMux) {
	base := "/api/v1/organisations/{org}"
	riskQuery := []apiParam{{"asset", "integer", "asset id"}, {"owner", "integer", "owner's user id"},
		{"assessment", "integer", "assessment id"}, {"threat", "integer", "threat id"},
		{"grid", "string", "inherent or residual (default): the grid band, l and c apply to"},
		{"band", "string", "a band key of the organisation's scale"}, {"l", "integer", "likelihood of a cell"}, {"c", "integer", "consequence of a cell"},
		{"treatment", "string", "mitigate, accept, avoid, share, or none for undecided"},
		{"overdue", "boolean", "only risks whose treatment is past a deadline"},
		{"needs_acceptance", "boolean", "only residual risks above the acceptance criteria without a valid acceptance"},
		{"q", "string", "text in title or description"},
		{"sort", "string", "title, asset, threat, owner, inherent, residual, treatment, deadline, next_due, assessment; prefix - for descending (default -residual)"},
		{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

	// The method.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risk-method", Tag: riskTag,
		Summary:  "Read the risk method: scale, acceptance criteria, dimensions, reassessment interval (version 0 while the defaults apply)",
		Response: &isms.RiskMethod{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			return s.Risk.RiskMethod(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/risk-method", Tag: riskTag,
		Summary: "Set the risk method (scale_key: SCALE_1_4, SCALE_1_4_KL, SCALE_1_4_HERNING, SCALE_1_4_DATATILSYNET or custom with scale)",
		Request: isms.RiskMethodInput{}, Response: &isms.RiskMethod{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskMethodInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.SaveRiskMethod(r.Context(), org, in)
		}})

	// Assets.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/assets", Tag: riskTag,
		Summary: "List the assets: the business overview's processes, information and systems, and supporting assets",
		Query: []apiParam{{"kind", "string", "process, information, system, hardware, software, location, supplier, person"},
			{"primary", "string", "primary or supporting"}, {"owner", "integer", ""}, {"q", "string", "text in the name"},
			{"unassessed", "boolean", "only active assets without a current risk assessment"}, {"status", "string", "draft, active, retired"},
			{"sort", "string", "name, kind, owner, status, criticality; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", ""}},
		Response: listResponse[*isms.Asset]{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			f, err := assetFilterFrom(r, 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Risk.Assets(r.Context(), org, f)
			if err != nil {
				return nil, err
			}
			return listResponse[*isms.Asset]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, nil
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/assets", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Add a supporting asset", Request: isms.AssetInput{}, Response: &isms.Asset{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.AssetInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateAsset(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/assets/{id}", Tag: riskTag, Summary: "Read an asset", Response: &isms.Asset{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Risk.Asset(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/assets/{id}", Tag: riskTag,
		Summary: "Change an asset (of a primary asset only owner, criticality and needs; null to derive)", Request: isms.AssetInput{},
		Response: &isms.Asset{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.AssetInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.UpdateAsset(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/assets/{id}", Tag: riskTag, Summary: "Delete a supporting asset no assessment covers",
		Request: versionBody{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return nil, s.Risk.DeleteAsset(r.Context(), org, id, b.Version)
		}})

	// Threats.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/threats", Tag: riskTag,
		Summary: "List the threats: the shipped catalogue's and the organisation's own",
		Query: []apiParam{{"catalogue", "integer", ""}, {"group", "string", "malicious, human, technical, physical, supplier, organisational"},
			{"q", "string", ""}, {"status", "string", "active or retired"}},
		Response: []*isms.Threat{}, Handle: func(r *http.Request) (any, error) {
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
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/threats", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Add a threat to an own catalogue (marks the assessments it may apply to for reassessment)", Request: isms.ThreatInput{},
		Response: &isms.Threat{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.ThreatInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateThreat(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/threats/{id}", Tag: riskTag, Summary: "Read a threat", Response: &isms.Threat{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Risk.Threat(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/threats/{id}", Tag: riskTag, Summary: "Change an own threat", Request: isms.ThreatInput{},
		Response: &isms.Threat{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.ThreatInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.UpdateThreat(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/threat-catalogues", Tag: riskTag, Summary: "List the threat catalogues",
		Response: []*isms.ThreatCatalogue{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			c, err := s.Risk.ThreatCatalogues(r.Context(), org)
			return nonNil(c), err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/threat-catalogues", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Add an own threat catalogue", Request: isms.ThreatCatalogueInput{}, Response: &isms.ThreatCatalogue{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.ThreatCatalogueInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateThreatCatalogue(r.Context(), org, in)
		}})

	// Assessments.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risk-assessments", Tag: riskTag, Summary: "List the risk assessments",
		Query: []apiParam{{"asset", "integer", ""}, {"owner", "integer", ""}, {"status", "string", "in_progress or completed"},
			{"reassess", "boolean", "only those due or marked for reassessment"}, {"q", "string", ""},
			{"sort", "string", "title, asset, owner, next_reassessment, assessed_on, status"}, {"offset", "integer", ""}, {"limit", "integer", ""}},
		Response: listResponse[*isms.RiskAssessment]{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			f, err := riskAssessmentFilterFrom(r, 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Risk.RiskAssessments(r.Context(), org, f)
			if err != nil {
				return nil, err
			}
			return listResponse[*isms.RiskAssessment]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, nil
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risk-assessments", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Begin a risk assessment of an asset or a scenario", Request: isms.RiskAssessmentInput{}, Response: &isms.RiskAssessment{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskAssessmentInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateRiskAssessment(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risk-assessments/{id}", Tag: riskTag, Summary: "Read a risk assessment",
		Response: &isms.RiskAssessment{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Risk.RiskAssessment(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/risk-assessments/{id}", Tag: riskTag, Summary: "Change a risk assessment",
		Request: isms.RiskAssessmentInput{}, Response: &isms.RiskAssessment{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskAssessmentInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.UpdateRiskAssessment(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risk-assessments/{id}/complete", Tag: riskTag,
		Summary: "Record that the assessment was carried out (or again) today", Request: versionBody{}, Response: &isms.RiskAssessment{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return s.Risk.CompleteRiskAssessment(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risk-assessments/{id}/mark", Tag: riskTag,
		Summary: "Mark a completed assessment for ad-hoc reassessment, with the reason", Request: riskMarkBody{}, Response: &isms.RiskAssessment{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b riskMarkBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return s.Risk.MarkRiskReassessment(r.Context(), org, id, b.Note, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/risk-assessments/{id}", Tag: riskTag,
		Summary: "Delete an assessment with its risks", Request: versionBody{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return nil, s.Risk.DeleteRiskAssessment(r.Context(), org, id, b.Version)
		}})

	// The register.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risks", Tag: riskTag,
		Summary: "The risk register, filtered, sorted and paginated", Query: riskQuery, Response: listResponse[*isms.Risk]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			f, err := riskFilterFrom(r, 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Risk.Risks(r.Context(), org, f)
			if err != nil {
				return nil, err
			}
			return listResponse[*isms.Risk]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, nil
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risks", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Add a risk to an assessment", Request: isms.RiskInput{}, Response: &isms.Risk{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateRisk(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risks/heatmap", Tag: riskTag,
		Summary: "Counts of risks per cell before and after treatment, for the register's filter", Query: riskQuery,
		Response: &isms.RiskHeatMap{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			f, err := riskFilterFrom(r, 1)
			if err != nil {
				return nil, err
			}
			return s.Risk.RiskHeatMap(r.Context(), org, f)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risks/summary", Tag: riskTag,
		Summary: "The register's headline: risks in all, needing acceptance, past a deadline, undecided", Response: &isms.RiskSummary{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			return s.Risk.RiskSummary(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risks/import", Tag: riskTag,
		Summary: "Import a risk register: the body is the XLSX or CSV file itself; with dry_run the problems are reported and nothing is stored, " +
			"without it the whole file is imported in one transaction or, if any row has a problem, nothing (422 with the preview's problems)",
		Query:    []apiParam{{"filename", "string", "the file's name, for the record"}, {"dry_run", "boolean", "only check the file"}},
		Response: &riskImportResponse{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			release, err := s.uploads.acquire(r.Context())
			if err != nil {
				return nil, err
			}
			defer release()
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
			if riskFlag(r.URL.Query().Get("dry_run")) {
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
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risks/{id}", Tag: riskTag,
		Summary: "Read a risk with its controls and the history of its acceptances", Response: &riskPageResponse{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			rk, err := s.Risk.Risk(r.Context(), org, id)
			if err != nil {
				return nil, err
			}
			acc, err := s.Risk.RiskAcceptances(r.Context(), org, id)
			return &riskPageResponse{Risk: rk, Acceptances: nonNil(acc)}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/risks/{id}", Tag: riskTag, Summary: "Change a risk (send the version you read)",
		Request: isms.RiskInput{}, Response: &isms.Risk{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.UpdateRisk(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/risks/{id}", Tag: riskTag, Summary: "Delete a risk with its actions",
		Request: versionBody{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return nil, s.Risk.DeleteRisk(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risks/{id}/acceptance", Tag: riskTag,
		Summary: "Accept a residual risk above the acceptance criteria (management), with a reason and an expiry", Request: riskAcceptBody{},
		Response: &isms.Risk{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskAcceptanceInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.AcceptRisk(r.Context(), org, id, in)
		}})

	// The treatment plan and controls.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risk-tasks", Tag: riskTag, Summary: "The risk treatment plan's actions",
		Query: []apiParam{{"risk", "integer", ""}, {"owner", "integer", ""}, {"status", "string", "planned, in_progress, done, cancelled"},
			{"open", "boolean", ""}, {"overdue", "boolean", ""}, {"sort", "string", "deadline, title, owner, status, risk, asset"},
			{"offset", "integer", ""}, {"limit", "integer", ""}},
		Response: listResponse[*isms.RiskTask]{}, Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			f, err := riskTaskFilterFrom(r, 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Risk.RiskTasks(r.Context(), org, f)
			if err != nil {
				return nil, err
			}
			return listResponse[*isms.RiskTask]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, nil
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risk-tasks", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Add an action to the treatment plan", Request: isms.RiskTaskInput{}, Response: &isms.RiskTask{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskTaskInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateRiskTask(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/risk-tasks/{id}", Tag: riskTag, Summary: "Change an action",
		Request: isms.RiskTaskInput{}, Response: &isms.RiskTask{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.RiskTaskInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.UpdateRiskTask(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risk-tasks/{id}", Tag: riskTag, Summary: "Read an action",
		Response: &isms.RiskTask{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Risk.RiskTask(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/risk-tasks/{id}", Tag: riskTag, Summary: "Delete an action",
		Request: versionBody{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return nil, s.Risk.DeleteRiskTask(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/threat-catalogues/{id}", Tag: riskTag, Summary: "Rename an own threat catalogue",
		Request: isms.ThreatCatalogueInput{}, Response: &isms.ThreatCatalogue{}, Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.ThreatCatalogueInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.UpdateThreatCatalogue(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/risk-controls", Tag: riskTag,
		Summary: "The controls a risk can name: Annex A 2022 and the organisation's own", Response: []*isms.RiskControlRef{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			c, err := s.Risk.RiskControlOptions(r.Context(), org)
			return nonNil(c), err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/risk-controls", Tag: riskTag, Status: http.StatusCreated,
		Summary: "Add an own control", Request: isms.OwnRiskControlInput{}, Response: &isms.RiskControlRef{},
		Handle: func(r *http.Request) (any, error) {
			org, err := riskOrg(r)
			if err != nil {
				return nil, err
			}
			var in isms.OwnRiskControlInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Risk.CreateOwnRiskControl(r.Context(), org, in)
		}})
}

// riskRowField names a row's problem for the API's field list, e.g.
// "row 4: C · Likelihood".
func riskRowField(row int, column string) string {
	if row == 0 {
		return column
	}
	return "row " + itoa(row) + ": " + column
}
