package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/ismsdk/isms"
)

// Evidence of a competence uploaded as a file on the competence form
// (guide 2.5). The form is multipart; its POST routes read the body part
// by part under the document uploads' limit, in one of the server's upload
// slots (uploads.go), the file straight into a temporary file
// (isms.SpoolUpload). The store keeps the file as a document of the
// register in the competence's own write (sqlstore/competence_evidence.go).

var competenceUploadPath = regexp.MustCompile(`^/orgs/[0-9]+/competence/records(/[0-9]+)?$`)

// isCompetenceUpload recognises a multipart post of the competence form,
// which limits its body itself; a form without a file (URL-encoded) keeps
// the ordinary limit.
func isCompetenceUpload(r *http.Request) bool {
	if r.Method != http.MethodPost || !competenceUploadPath.MatchString(r.URL.Path) {
		return false
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

func init() { ownBodyLimit = append(ownBodyLimit, isCompetenceUpload) }

// compFormMaxField is the longest text field of the competence form.
const compFormMaxField = 64 << 10

// readCompetenceForm reads the competence form into r.PostForm, and its
// evidence file, if one was chosen, into a temporary file. For a
// multipart form it takes an upload slot; release gives it back (and
// removes the temporary file) and is never nil. On an error nothing is
// kept.
func (s *Server) readCompetenceForm(w http.ResponseWriter, r *http.Request) (ev *isms.EvidenceUpload, release func(), err error) {
	release = func() {}
	if !isCompetenceUpload(r) {
		return nil, release, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.uploadBodyLimit())
	free, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return nil, release, err
	}
	var file *isms.Upload
	release = func() {
		file.Close()
		free()
	}
	defer func() {
		if err != nil {
			io.Copy(io.Discard, r.Body)
			release()
			release = func() {}
		}
	}()
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, release, isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
	}
	limit := s.maxUpload()
	vals := url.Values{}
	var name string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, release, evidenceUploadProblem(err, limit)
		}
		switch field := part.FormName(); field {
		case "evidence_file":
			if file != nil || name != "" {
				return nil, release, isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
			}
			if isms.HasNUL(part.FileName()) {
				return nil, release, isms.NULError("evidence_file")
			}
			f, err := isms.SpoolUpload(part, limit)
			if err != nil {
				return nil, release, evidenceUploadProblem(err, limit)
			}
			name = part.FileName()
			if f.Size() == 0 && name == "" {
				f.Close() // the file field left empty
			} else {
				file = f
			}
		default:
			b, err := io.ReadAll(io.LimitReader(part, compFormMaxField+1))
			if err != nil {
				return nil, release, evidenceUploadProblem(err, limit)
			}
			if len(b) > compFormMaxField {
				return nil, release, isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
			}
			if isms.HasNUL(field) || isms.HasNUL(string(b)) {
				return nil, release, isms.NULError(strings.ReplaceAll(field, "\x00", "\\u0000"))
			}
			vals.Add(field, string(b))
		}
		part.Close()
	}
	r.PostForm, r.Form = vals, vals
	if file == nil && name == "" {
		return nil, release, nil
	}
	return &isms.EvidenceUpload{FileName: name, File: file, Classification: isms.Classification(vals.Get("evidence_classification"))}, release, nil
}

// evidenceUploadProblem names what went wrong reading the form, the
// file's size on its field.
func evidenceUploadProblem(err error, limit int64) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) || errors.Is(err, isms.ErrUploadTooLarge) {
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
			Fields: []isms.FieldError{{Field: "evidence_file", Key: "doc.err.too_large", Args: []any{sizeText(limit)}}}}
	}
	return uploadProblem(err, limit)
}
