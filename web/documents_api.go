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

var documentQuery = []apiParam{{"kind", "string", "document kind, e.g. information_security_policy"},
	{"classification", "string", "public, internal, confidential, secret"},
	{"state", "string", "state of the newest version: draft, in_review, approved, published, superseded, returned, withdrawn, or none"},
	{"owner", "integer", "owner's user id"}, {"requirement", "integer", "id of the documentation requirement it fulfils"},
	{"q", "string", "text in title, owner, kind or clause"}, {"overdue", "boolean", "only documents past their review date"},
	{"sort", "string", "title, kind, owner, classification, clause, next_review, updated; prefix - for descending"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

const (
	requirementsSummary = "The register of documented information (guide 2.8): the mandatory documentation with its 2013 and 2022 clauses and the optional documentation with its Annex A controls, decisions and the documents that fulfil each"
	addVersionSummary   = "Add a draft version: a file or text. Send JSON with file_name and content_base64 (or text), change_note and the document's version; " +
		"or multipart/form-data with the fields file, change_note and version. Files are limited to the server's upload limit " +
		"(serve --max-upload, default 50 MiB) and to the accepted file formats, checked by extension and content. " +
		"Either way the file is streamed, never held in the server's memory. The server reads a bounded number of uploads at once; " +
		"when all are busy for longer than it waits, it answers 503 with Retry-After and stores nothing"
	contentSummary = "Download a version's content as base64, checked against its stored SHA-256 as it is streamed: content that fails the check is " +
		"refused before the answer begins when it is one piece (up to 1 MiB), and otherwise the connection is cut before the last piece, " +
		"so the answer is never complete (the page /orgs/{org}/documents/{id}/versions/{number}/download serves it as a file, the same way)"
	formRulesSummary = "Record the form rules: naming standard and pattern, format and media standards, required metadata (" +
		"owner, classification, language, format, medium, storage_location, clause, requirement, approvers, review_interval, description) " +
		"and accepted file formats (send the version you read; 0 for the first)"
)

// documentListFilter reads the register's filter; the kind's names are
// searched in the request's language.
func documentListFilter(r *http.Request) (isms.DocumentFilter, error) {
	return docFilterFrom(r, i18n.Negotiate(r), 100)
}

// addDocumentVersionAPI streams a new version in, holding one of the
// server's upload slots while it does.
func (s *Server) addDocumentVersionAPI(r *http.Request) (any, error) {
	org, id, err := pathIDs(r)
	if err != nil {
		return nil, err
	}
	return s.withUploadSlot(r, func() (any, error) {
		in, err := s.readAPIVersion(r)
		if err != nil {
			return nil, err
		}
		defer in.File.Close()
		return s.Documents.AddDocumentVersion(r.Context(), org, id, in)
	})
}

// documentVersionAPI answers version {number} of a document.
func (s *Server) documentVersionAPI(r *http.Request) (any, error) {
	org, id, n, err := orgAndDoc(r)
	if err != nil {
		return nil, err
	}
	return s.Documents.DocumentVersion(r.Context(), org, id, n)
}

// documentContentAPI streams a version's content, checked as it goes.
func (s *Server) documentContentAPI(r *http.Request) (any, error) {
	org, id, n, err := orgAndDoc(r)
	if err != nil {
		return nil, err
	}
	c, err := s.Documents.DocumentContent(r.Context(), org, id, n)
	if err != nil {
		return nil, err
	}
	return contentStream{s, r, c}, nil
}

// deleteDocumentContentAPI deletes a version's content past retention.
func (s *Server) deleteDocumentContentAPI(r *http.Request) (any, error) {
	org, id, n, err := orgAndDoc(r)
	if err != nil {
		return nil, err
	}
	return nil, s.Documents.DeleteDocumentContent(r.Context(), org, id, n)
}

// transitionRoute is the operation that moves a version on by one action
// of its state machine (submit, approve, …).
func (s *Server) transitionRoute(pattern, action, summary string) apiRoute {
	method, path := splitPattern(pattern)
	return apiRoute{Method: method, Pattern: path, Summary: summary + " (send the document's version you read)",
		Request: transitionBody{}, Response: &isms.DocumentVersion{},
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
				Action: action, Comment: b.Comment, SHA256: b.SHA256, Version: b.Version})
		}}
}
