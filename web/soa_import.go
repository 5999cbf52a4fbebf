package web

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// Import of a 2013-edition SoA: upload, a preview with a decision on each
// flagged control, then one transaction. Nothing is stored between the
// steps: the preview page carries the file back (it is small: a 2013 SoA
// has 114 rows), so the import works the same on several instances.

// soaImportMax bounds the uploaded file.
const soaImportMax = 1 << 20

type soaImportData struct {
	Preview  *isms.SoAImportPreview
	FileName string
	Content  string // the file, base64, carried to the next step
	Problems []soaProblemText
	Flagged  []*isms.SoAImportControl
	Changes  []*isms.SoAImportControl
}

// soaProblemText is a problem in the reader's language.
type soaProblemText struct {
	Row    int
	Column string
	Text   string
}

func soaProblemTexts(lang string, ps []isms.SoAImportProblem) []soaProblemText {
	out := make([]soaProblemText, 0, len(ps))
	for _, p := range ps {
		col := p.Column
		if i18n.Has(i18n.Key(col)) {
			col = i18n.T(lang, i18n.Key(col))
		}
		out = append(out, soaProblemText{Row: p.Row, Column: col, Text: i18n.T(lang, i18n.Key(p.Message.Key), p.Message.Args...)})
	}
	return out
}

// soaPreview parses the file and maps it, putting the file's own problems
// first. The store's preview checks the caller's role.
func (s *Server) soaPreview(r *http.Request, orgID int64, name string, data []byte, decisions map[string]isms.SoAImportDecision) (*isms.SoAImportPreview, error) {
	rows, problems := export.ParseSoA2013(data)
	p, err := s.SoA.PreviewSoAImport(r.Context(), orgID, isms.SoAImportInput{FileName: name, Rows: rows, Decisions: decisions})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		kept := problems
		for _, x := range p.Problems {
			if x.Message.Key != "soa.import.err.no_rows" {
				kept = append(kept, x)
			}
		}
		p.Problems, p.Ready = kept, false
	}
	return p, nil
}

func (s *Server) soaImportPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.soa_import")
	p.Data = soaImportData{}
	s.render(w, http.StatusOK, "soa_import", p)
	return nil
}

func (s *Server) renderSoAImport(w http.ResponseWriter, r *http.Request, p *page, name string, data []byte, prev *isms.SoAImportPreview, status int) {
	d := soaImportData{Preview: prev, FileName: name, Content: base64.StdEncoding.EncodeToString(data), Problems: soaProblemTexts(p.Lang, prev.Problems)}
	for _, c := range prev.Controls {
		if c.Flag != "" {
			d.Flagged = append(d.Flagged, c)
		} else if c.Outcome == "set" {
			d.Changes = append(d.Changes, c)
		}
	}
	p.Data = d
	s.render(w, status, "soa_import", p)
}

func (s *Server) soaImportPreviewSubmit(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.soa_import")
	if !p.Can("edit") {
		return isms.Errorf(isms.EForbidden, "err.forbidden")
	}
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	defer release()
	name, data, err := readFormFile(r, "file", soaImportMax)
	if err != nil {
		switch err {
		case errFormTooLarge:
			p.Error = p.T("soa.import.err.file_too_large", soaImportMax>>20)
		case errFormNoFile:
			p.Error = p.T("soa.import.err.no_file")
		default:
			p.Error = p.T("soa.import.err.upload")
		}
		p.Data = soaImportData{}
		s.render(w, http.StatusUnprocessableEntity, "soa_import", p)
		return nil
	}
	prev, err := s.soaPreview(r, orgFrom(r.Context()).ID, name, data, nil)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(prev.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.renderSoAImport(w, r, p, name, data, prev, status)
	return nil
}

// soaDecisionsFromForm reads the decision on each flagged control: the
// choice in d.<ref>, the reason in r.<ref>.
func soaDecisionsFromForm(r *http.Request) map[string]isms.SoAImportDecision {
	out := map[string]isms.SoAImportDecision{}
	for k, v := range r.PostForm {
		ref, ok := strings.CutPrefix(k, "d.")
		if !ok || len(v) == 0 || v[0] == "" {
			continue
		}
		out[ref] = isms.SoAImportDecision{Choice: v[0], Reason: r.PostForm.Get("r." + ref)}
	}
	return out
}

func (s *Server) soaImportApplySubmit(w http.ResponseWriter, r *http.Request) error {
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	defer release()
	p := s.newPage(r, "title.soa_import")
	name := r.PostForm.Get("file_name")
	data, err := base64.StdEncoding.DecodeString(r.PostForm.Get("content"))
	if err != nil || len(data) == 0 {
		p.Error = p.T("soa.import.err.no_file")
		p.Data = soaImportData{}
		s.render(w, http.StatusUnprocessableEntity, "soa_import", p)
		return nil
	}
	decisions := soaDecisionsFromForm(r)
	rows, problems := export.ParseSoA2013(data)
	if len(problems) == 0 {
		var res *isms.SoAImportResult
		res, err = s.SoA.ApplySoAImport(r.Context(), orgFrom(r.Context()).ID, isms.SoAImportInput{FileName: name, Rows: rows,
			Decisions: decisions, StateToken: r.PostForm.Get("state_token")})
		if err == nil {
			s.log.InfoContext(r.Context(), "soa import", "organisation", orgFrom(r.Context()).ID, "changed", res.Changed)
			s.redirect(w, r, p0(r, "/soa"), "flash.soa_imported")
			return nil
		}
		if c := isms.ErrorCode(err); c != isms.EInvalid && c != isms.EConflict {
			return err
		}
		p.setError(err)
	}
	// Show the preview again with what is still missing.
	prev, perr := s.soaPreview(r, orgFrom(r.Context()).ID, name, data, decisions)
	if perr != nil {
		return perr
	}
	status := http.StatusUnprocessableEntity
	if isms.ErrorCode(err) == isms.EConflict {
		status = http.StatusConflict
	}
	s.renderSoAImport(w, r, p, name, data, prev, status)
	return nil
}
