package web

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The JSON API of controlled documentation (guide 2.8).

// versionUpload is the JSON body that adds a version: a file as base64
// with its name, or text. The same operation also takes
// multipart/form-data with the fields file, change_note and version.
type versionUpload struct {
	FileName      string `json:"file_name"`
	ContentBase64 string `json:"content_base64"`
	Text          string `json:"text"`
	ChangeNote    string `json:"change_note"`
	Version       int64  `json:"version"`
}

// transitionBody moves a version on.
type transitionBody struct {
	Comment string `json:"comment"`
	SHA256  string `json:"sha256"`
	Version int64  `json:"version"`
}

// contentResponse is a version's content in the API, checked against its
// checksum.
type contentResponse struct {
	FileName      string `json:"file_name"`
	MediaType     string `json:"media_type"`
	SHA256        string `json:"sha256"`
	Size          int64  `json:"size"`
	ContentBase64 string `json:"content_base64"`
}

func orgAndDoc(r *http.Request) (int64, int64, int, error) {
	org, id, err := pathIDs(r)
	if err != nil {
		return 0, 0, 0, err
	}
	if r.PathValue("number") == "" {
		return org, id, 0, nil
	}
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n <= 0 {
		return 0, 0, 0, isms.Errorf(isms.ENotFound, "err.not_found", "document_version")
	}
	return org, id, n, nil
}

// readAPIVersion reads a new version from multipart/form-data or JSON,
// either way with the file streamed into a temporary file. The caller
// closes the returned input's File.
func (s *Server) readAPIVersion(r *http.Request) (isms.VersionInput, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, s.uploadBodyLimit())
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return s.readMultipartVersion(r)
	}
	return readJSONVersion(r.Body, s.maxUpload())
}

// contentStream is a version's content as the API's JSON answer
// (contentResponse), written as the content comes from the store, base64
// encoded on the way.
type contentStream struct {
	s *Server
	r *http.Request
	c *isms.DocumentContent
}

func (cs contentStream) writeAPI(w http.ResponseWriter, status int) {
	defer cs.c.Body.Close()
	quote := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "{\n  \"file_name\": %s,\n  \"media_type\": %s,\n  \"sha256\": %s,\n  \"size\": %d,\n  \"content_base64\": \"",
		quote(cs.c.FileName), quote(cs.c.MediaType), quote(cs.c.SHA256), cs.c.Size)
	enc := base64.NewEncoder(base64.StdEncoding, w)
	cs.s.copyContent(enc, cs.r, cs.c)
	enc.Close()
	io.WriteString(w, "\"\n}\n")
}

func (s *Server) documentAPI(mux *http.ServeMux) {
	const tag = "documentation"
	base := "/api/v1/organisations/{org}/documents"
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/requirements", Tag: tag,
		Summary:  "The register of documented information (guide 2.8): the mandatory documentation with its 2013 and 2022 clauses and the optional documentation with its Annex A controls, decisions and the documents that fulfil each",
		Response: []*isms.DocumentationRequirement{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			out, err := s.Documents.DocumentationRequirements(r.Context(), org)
			return nonNil(out), err
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/requirements/{id}", Tag: tag,
		Summary: "Choose or decline an optional type of documentation, with a reason (decision chosen, declined or \"\"; send the version you read)",
		Request: isms.RequirementDecisionInput{}, Response: &isms.DocumentationRequirement{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.RequirementDecisionInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Documents.DecideDocumentationRequirement(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base, Tag: tag,
		Summary: "List the documents the caller may read (by classification), filtered, searched, sorted and paginated",
		Query: []apiParam{{"kind", "string", "document kind, e.g. information_security_policy"},
			{"classification", "string", "public, internal, confidential, secret"},
			{"state", "string", "state of the newest version: draft, in_review, approved, published, superseded, returned, withdrawn, or none"},
			{"owner", "integer", "owner's user id"}, {"requirement", "integer", "id of the documentation requirement it fulfils"},
			{"q", "string", "text in title, owner, kind or clause"}, {"overdue", "boolean", "only documents past their review date"},
			{"sort", "string", "title, kind, owner, classification, clause, next_review, updated; prefix - for descending"},
			{"offset", "integer", ""}, {"limit", "integer", "at most 500"}},
		Response: listResponse[*isms.Document]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := docFilterFrom(r, i18n.Negotiate(r), 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Documents.Documents(r.Context(), org, f)
			if err != nil {
				return nil, err
			}
			return listResponse[*isms.Document]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, nil
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base, Tag: tag, Status: http.StatusCreated,
		Summary: "Add a document to the register (the form rules' naming pattern and required metadata apply)",
		Request: isms.DocumentInput{}, Response: &isms.Document{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var in isms.DocumentInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Documents.CreateDocument(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/{id}", Tag: tag,
		Summary: "Read a document's metadata and the state of its versions", Response: &isms.Document{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Documents.Document(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/{id}", Tag: tag,
		Summary: "Change a document's metadata (send the version you read)", Request: isms.DocumentInput{}, Response: &isms.Document{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.DocumentInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Documents.UpdateDocument(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/{id}/review", Tag: tag,
		Summary: "Record that the document was reviewed without change: the next review moves one interval on", Request: versionBody{}, Response: &isms.Document{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return s.Documents.RecordDocumentReview(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/{id}/versions", Tag: tag,
		Summary: "List a document's versions, newest first, with their checksums and approvals", Response: []*isms.DocumentVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			out, err := s.Documents.DocumentVersions(r.Context(), org, id)
			return nonNil(out), err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/{id}/versions", Tag: tag, Status: http.StatusCreated,
		Summary: "Add a draft version: a file or text. Send JSON with file_name and content_base64 (or text), change_note and the document's version; " +
			"or multipart/form-data with the fields file, change_note and version. Files are limited to the server's upload limit " +
			"(documents.max_upload_bytes, default 50 MiB) and to the accepted file formats, checked by extension and content. " +
			"Either way the file is streamed, never held in the server's memory. The server reads a bounded number of uploads at once; " +
			"when all are busy for longer than it waits, it answers 503 with Retry-After and stores nothing",
		Request: versionUpload{}, Response: &isms.DocumentVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			release, err := s.uploads.acquire(r.Context())
			if err != nil {
				return nil, err
			}
			defer release()
			in, err := s.readAPIVersion(r)
			if err != nil {
				return nil, err
			}
			defer in.File.Close()
			return s.Documents.AddDocumentVersion(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/{id}/versions/{number}", Tag: tag,
		Summary: "Read one version (a text version with its text)", Response: &isms.DocumentVersion{},
		Handle: func(r *http.Request) (any, error) {
			org, id, n, err := orgAndDoc(r)
			if err != nil {
				return nil, err
			}
			return s.Documents.DocumentVersion(r.Context(), org, id, n)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/{id}/versions/{number}/content", Tag: tag,
		Summary: "Download a version's content as base64, checked against its stored SHA-256 as it is streamed: content that fails the check is " +
			"refused before the answer begins when it is one piece (up to 1 MiB), and otherwise the connection is cut before the last piece, " +
			"so the answer is never complete (the page /orgs/{org}/documents/{id}/versions/{number}/download serves it as a file, the same way)",
		Response: &contentResponse{},
		Handle: func(r *http.Request) (any, error) {
			org, id, n, err := orgAndDoc(r)
			if err != nil {
				return nil, err
			}
			c, err := s.Documents.DocumentContent(r.Context(), org, id, n)
			if err != nil {
				return nil, err
			}
			return contentStream{s, r, c}, nil
		}})
	for _, t := range []struct{ path, action, summary string }{
		{"submit", isms.TransitionSubmit, "Send a draft version for review by the document's named approvers"},
		{"approve", isms.TransitionApprove, "Approve a version in review as one of its named approvers (management for the information security policy and the roles and responsibilities); send the sha256 you read to approve exactly that content. The version is approved once every approver has"},
		{"send-back", isms.TransitionSendBack, "Send a version in review back with a comment (a named approver)"},
		{"publish", isms.TransitionPublish, "Publish an approved version; the version published before is superseded"},
		{"withdraw", isms.TransitionWithdraw, "Withdraw a version (draft, in review, approved or published), with a reason in comment"},
	} {
		t := t
		s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/{id}/versions/{number}/" + t.path, Tag: tag,
			Summary: t.summary + " (send the document's version you read)", Request: transitionBody{}, Response: &isms.DocumentVersion{},
			Handle: func(r *http.Request) (any, error) {
				org, id, n, err := orgAndDoc(r)
				if err != nil {
					return nil, err
				}
				var b transitionBody
				if err := decodeJSON(r, &b); err != nil {
					return nil, err
				}
				return s.Documents.TransitionDocumentVersion(r.Context(), org, id, n, isms.TransitionInput{
					Action: t.action, Comment: b.Comment, SHA256: b.SHA256, Version: b.Version})
			}})
	}
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/{id}/versions/{number}/content", Tag: tag,
		Summary: "Delete the content of a version whose retention period has passed (coordinator); the deletion is recorded in the audit trail",
		Handle: func(r *http.Request) (any, error) {
			org, id, n, err := orgAndDoc(r)
			if err != nil {
				return nil, err
			}
			return nil, s.Documents.DeleteDocumentContent(r.Context(), org, id, n)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/form-rules", Tag: tag,
		Summary: "Read the form rules for documentation (version 0 when none are recorded)", Response: &isms.DocumentFormRules{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			return s.Documents.DocumentFormRules(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/form-rules", Tag: tag,
		Summary: "Record the form rules: naming standard and pattern, format and media standards, required metadata (" +
			"owner, classification, language, format, medium, storage_location, clause, requirement, approvers, review_interval, description) " +
			"and accepted file formats (send the version you read; 0 for the first)",
		Request: isms.DocumentFormRulesInput{}, Response: &isms.DocumentFormRules{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var in isms.DocumentFormRulesInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Documents.SaveDocumentFormRules(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/retention", Tag: tag,
		Summary: "List the retention period and deletion procedure of every document kind", Response: []*isms.RetentionRule{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			out, err := s.Documents.RetentionRules(r.Context(), org)
			return nonNil(out), err
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/retention", Tag: tag,
		Summary: "Set the retention period (months) and deletion procedure of a document kind (send the rule's version; 0 for a new one)",
		Request: isms.RetentionRuleInput{}, Response: &isms.RetentionRule{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var in isms.RetentionRuleInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Documents.SaveRetentionRule(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/deletion-queue", Tag: tag,
		Summary: "List the versions whose retention period has passed and whose content awaits deletion", Response: []*isms.DeletionCandidate{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			out, err := s.Documents.DeletionQueue(r.Context(), org)
			return nonNil(out), err
		}})
}
