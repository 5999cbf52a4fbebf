package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Controlled documentation (guide 2.8) and the leadership documents of
// guide 2.2: the register of documented information, documents with
// versions, review and approval, form rules, retention and deletion, and
// the XLSX export. UI pages here; the JSON API in documents_api.go.

// ---------------------------------------------------------------------
// Uploads: a larger body limit than the rest of the product.

// DefaultMaxUpload is the largest document file accepted unless
// Config.MaxUpload says otherwise.
const DefaultMaxUpload = 50 << 20

// maxUpload is the configured upload limit in bytes.
func (s *Server) maxUpload() int64 {
	if s.cfg.MaxUpload > 0 {
		return s.cfg.MaxUpload
	}
	return DefaultMaxUpload
}

// isDocumentUpload recognises the upload routes, which limit their bodies
// themselves (the file's limit plus room for the form and, in the API, for
// base64).
func isDocumentUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && documentUploadPath.MatchString(r.URL.Path)
}

var documentUploadPath = regexp.MustCompile(`^/(orgs|api/v1/organisations)/[0-9]+/documents/[0-9]+/versions$`)

// uploadBodyLimit is the body limit of an upload request.
func (s *Server) uploadBodyLimit() int64 { return s.maxUpload()/3*4 + 1<<20 }

// readMultipartVersion reads an upload form (fields file, change_note,
// version, text) part by part. The file goes straight into a temporary
// file, measured on the way (isms.SpoolUpload), so memory does not grow
// with it; a file over the limit is refused as soon as it passes it, and a
// broken or cut-off body is reported as such. On an error nothing is kept.
// Its text parts and the file's name may not hold a NUL character (see
// text.go); the file may.
func (s *Server) readMultipartVersion(r *http.Request) (in isms.VersionInput, err error) {
	defer func() {
		if err != nil {
			in.File.Close()
			in.File = nil
		}
	}()
	mr, err := r.MultipartReader()
	if err != nil {
		return in, isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
	}
	limit := s.maxUpload()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, uploadProblem(err, limit)
		}
		switch part.FormName() {
		case "file":
			if in.File != nil || in.FileName != "" {
				return in, isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
			}
			if isms.HasNUL(part.FileName()) {
				return in, isms.NULError("file") // the name is text; the content is binary
			}
			f, err := isms.SpoolUpload(part, limit)
			if err != nil {
				return in, uploadProblem(err, limit)
			}
			in.FileName = part.FileName()
			if f.Size() == 0 && in.FileName == "" {
				f.Close() // the form's file field left empty
			} else {
				in.File = f
			}
		case "change_note", "version", "text":
			// Text versions may be as long as the store takes (and one
			// byte more, so the store names what is too long); the other
			// fields are short.
			max := int64(64 << 10)
			if part.FormName() == "text" {
				max = isms.MaxVersionText
			}
			b, err := io.ReadAll(io.LimitReader(part, max+1))
			if err != nil {
				return in, uploadProblem(err, limit)
			}
			if int64(len(b)) > max && part.FormName() != "text" {
				return in, isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
			}
			if isms.HasNUL(string(b)) {
				return in, isms.NULError(part.FormName())
			}
			switch part.FormName() {
			case "change_note":
				in.ChangeNote = string(b)
			case "version":
				in.Version = parseVersion(strings.TrimSpace(string(b)))
			case "text":
				in.Text = string(b)
			}
		default:
			io.Copy(io.Discard, io.LimitReader(part, 64<<10))
		}
		part.Close()
	}
	return in, nil
}

// uploadProblem names what went wrong reading an upload. A failure of the
// temporary file is the server's (an internal error, logged); anything
// else the upload's.
func uploadProblem(err error, limit int64) error {
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr), errors.Is(err, isms.ErrUploadTooLarge):
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
			Fields: []isms.FieldError{{Field: "file", Key: "doc.err.too_large", Args: []any{sizeText(limit)}}}}
	case errors.Is(err, isms.ErrUploadSpool):
		return err
	}
	return isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
}

// sizeText writes a byte count for people.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// ---------------------------------------------------------------------
// Forms and errors.

// docSetError shows a domain error on a documentation page. Field names
// get the prefix doc_ on the page, so the labels and anchors of this
// element's forms cannot clash with other elements' fields.
func docSetError(p *page, err error) { p.setFieldError(err, "doc_") }

// docFormError re-renders a form after a refused submission: 422 for
// invalid input, 409 for a stale version; other errors are returned, for
// the error page. It is formRefused for the documents' forms, whose
// fields carry the prefix doc_ (see docSetError).
func (s *Server) docFormError(r *http.Request, p *page, err error, rerender func(status int) error) error {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		docSetError(p, err)
		if r.PostForm != nil {
			p.Form = r.PostForm
		} else {
			p.Form = url.Values{}
		}
		return rerender(s.status(r, err))
	}
	return err
}

// docKindsMatching are the kinds whose name in the reader's language
// contains the search text, so "politik" finds policies by kind.
func docKindsMatching(lang, q string) []isms.DocumentKind {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil
	}
	var out []isms.DocumentKind
	for _, k := range isms.DocumentKinds {
		if strings.Contains(strings.ToLower(i18n.T(lang, i18n.Key("doc.kind."+string(k)))), q) {
			out = append(out, k)
		}
	}
	return out
}

// docFilterFrom reads a register filter from the query string.
func docFilterFrom(r *http.Request, lang string, limit int) (isms.DocumentFilter, error) {
	q := r.URL.Query()
	f := isms.DocumentFilter{Kind: isms.DocumentKind(q.Get("kind")), Classification: isms.Classification(q.Get("classification")),
		State: isms.VersionState(q.Get("state")), Query: q.Get("q"), Sort: q.Get("sort"),
		Overdue: parseFlag(q.Get("overdue"))}
	f.QueryKinds = docKindsMatching(lang, f.Query)
	var v isms.Validation
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	if f.Classification != "" && !f.Classification.Valid() {
		v.Add("classification", "err.choice")
	}
	if f.State != "" && f.State != "none" && !slices.Contains(isms.VersionStates, f.State) {
		v.Add("state", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner")
	f.RequirementID = queryID(&v, q, "requirement", "requirement")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

// ---------------------------------------------------------------------
// The register.

type docListData struct {
	Docs []*isms.Document // while the rows are rendered (docListView)
	// RowsHTML is the page's rows rendered, kept with the filter's page;
	// Shown is how many there are.
	RowsHTML        template.HTML
	Shown           int
	Filter          isms.DocumentFilter
	Pager           pager
	Members         []*isms.Membership
	Kinds           []isms.DocumentKind
	Classes         []isms.Classification
	States          []isms.VersionState
	Today           isms.Date
	MandatoryTotal  int
	MandatoryHave   int
	OptionalTotal   int
	OptionalDecided int
}

func (s *Server) docListPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.doc_list")
	org := orgFrom(r.Context())
	f, err := docFilterFrom(r, p.Lang, 50)
	if err != nil {
		return err
	}
	// Per reader: the register lists only the documents the reader's
	// clearance shows.
	today := isms.DateOf(s.cfg.Now())
	v, err := s.derived(r, org.ID, "documents:"+p.Lang+"?"+r.URL.RawQuery, true, func(r *http.Request) (any, error) {
		return s.docListView(r, p, f, today)
	})
	if err != nil {
		return err
	}
	d := *v.(*docListData)
	if d.Members, err = s.Orgs.Memberships(r.Context(), org.ID); err != nil {
		return err
	}
	d.Pager = newPager(r, d.Pager.Total, f.Offset, f.Limit)
	p.Data = d
	s.render(w, http.StatusOK, "document_list", p)
	return nil
}

// docListView reads a page of the register for a filter, renders its rows
// and counts the documentation requirements met: kept until the records
// change, for each reader, filter, page and language.
func (s *Server) docListView(r *http.Request, p *page, f isms.DocumentFilter, today isms.Date) (*docListData, error) {
	org := orgFrom(r.Context())
	docs, total, err := s.Documents.Documents(r.Context(), org.ID, f)
	if err != nil {
		return nil, err
	}
	reqs, err := s.Documents.DocumentationRequirements(r.Context(), org.ID)
	if err != nil {
		return nil, err
	}
	d := &docListData{Docs: docs, Shown: len(docs), Filter: f, Pager: pager{Total: total},
		Kinds: isms.DocumentKinds, Classes: isms.Classifications, States: isms.VersionStates, Today: today}
	for _, q := range reqs {
		if q.Kind == "mandatory" {
			d.MandatoryTotal++
			if q.Fulfilled {
				d.MandatoryHave++
			}
		} else {
			d.OptionalTotal++
			if q.Decision != "" {
				d.OptionalDecided++
			}
		}
	}
	if d.RowsHTML, err = s.fragment("document_list", "document_rows", p, d); err != nil {
		return nil, err
	}
	d.Docs = nil
	return d, nil
}

type docRequirementsData struct {
	Mandatory []*isms.DocumentationRequirement
	Optional  []*isms.DocumentationRequirement
	FormID    int64 // the row whose decision form was refused
}

func (s *Server) docRequirementsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocRequirements(w, r, s.newPage(r, "title.doc_requirements"), 0, http.StatusOK)
}

func (s *Server) renderDocRequirements(w http.ResponseWriter, r *http.Request, p *page, formID int64, status int) error {
	reqs, err := s.Documents.DocumentationRequirements(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	d := docRequirementsData{FormID: formID}
	for _, q := range reqs {
		if q.Kind == "mandatory" {
			d.Mandatory = append(d.Mandatory, q)
		} else {
			d.Optional = append(d.Optional, q)
		}
	}
	p.Data = d
	s.render(w, status, "document_requirements", p)
	return nil
}

func (s *Server) docDecideSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	_, err = s.Documents.DecideDocumentationRequirement(r.Context(), orgFrom(r.Context()).ID, id, isms.RequirementDecisionInput{
		Decision: f.Get("decision"), Reason: f.Get("reason"), Version: parseVersion(f.Get("version"))})
	if err != nil {
		p := s.newPage(r, "title.doc_requirements")
		return s.docFormError(r, p, err, func(status int) error { return s.renderDocRequirements(w, r, p, id, status) })
	}
	s.redirect(w, r, p0(r, "/documents/requirements")+"#req-"+strconv.FormatInt(id, 10), "flash.saved")
	return nil
}

// ---------------------------------------------------------------------
// A document's metadata.

type docFormData struct {
	Doc          *isms.Document
	Members      []*isms.Membership
	Requirements []*isms.DocumentationRequirement
	Kinds        []isms.DocumentKind
	Classes      []isms.Classification
	Media        []string
	Rules        *isms.DocumentFormRules
	// In holds the values the form starts from: the document's, or a
	// preset for a new document (e.g. from a requirement row).
	In isms.DocumentInput
}

// Required reports whether the form rules make a metadata field required.
func (d docFormData) Required(field string) bool {
	return d.Rules != nil && slices.Contains(d.Rules.RequiredMetadata, field)
}

func (s *Server) docForm(w http.ResponseWriter, r *http.Request, p *page, d *isms.Document, preset isms.DocumentInput, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	reqs, err := s.Documents.DocumentationRequirements(r.Context(), org.ID)
	if err != nil {
		return err
	}
	rules, err := s.Documents.DocumentFormRules(r.Context(), org.ID)
	if err != nil {
		return err
	}
	in := preset
	if d != nil {
		in = isms.DocumentInput{Kind: d.Kind, Title: d.Title, Description: d.Description, OwnerID: d.OwnerID, Classification: d.Classification,
			Language: d.Language, Format: d.Format, Medium: d.Medium, StorageLocation: d.StorageLocation, Clause: d.Clause,
			RequirementID: d.RequirementID, ApproverIDs: d.ApproverIDs(), ReviewIntervalMonths: d.ReviewIntervalMonths,
			NextReview: d.NextReview, Version: d.Version}
	}
	p.Data = docFormData{Doc: d, Members: members, Requirements: reqs, Kinds: isms.DocumentKinds, Classes: isms.Classifications,
		Media: isms.DocumentMedia, Rules: rules, In: in}
	s.render(w, status, "document_form", p)
	return nil
}

func (s *Server) docNewPage(w http.ResponseWriter, r *http.Request) error {
	preset := isms.DocumentInput{Kind: isms.DocumentKind(r.URL.Query().Get("kind")), Language: "da", Medium: "electronic",
		Classification: isms.ClassInternal, ReviewIntervalMonths: 12}
	if u := userFrom(r.Context()); u != nil {
		preset.OwnerID = &u.ID
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("requirement"), 10, 64); err == nil && id > 0 {
		reqs, err := s.Documents.DocumentationRequirements(r.Context(), orgFrom(r.Context()).ID)
		if err != nil {
			return err
		}
		for _, q := range reqs {
			if q.ID == id {
				preset.RequirementID = &q.ID
				if !preset.Kind.Valid() {
					preset.Kind = isms.DocumentKind(q.DocKind)
				}
				preset.Clause = q.Clause2022
				if q.Kind == "optional" {
					preset.Clause = q.AnnexA
				}
				preset.Title = q.Title(i18n.Negotiate(r))
			}
		}
	}
	if !preset.Kind.Valid() {
		preset.Kind = isms.DocProcedure
	}
	return s.docForm(w, r, s.newPage(r, "title.doc_new"), nil, preset, http.StatusOK)
}

// docInputFromForm reads a document form.
func docInputFromForm(r *http.Request) (isms.DocumentInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.DocumentInput{Kind: isms.DocumentKind(f.Get("kind")), Title: f.Get("title"), Description: f.Get("description"),
		Classification: isms.Classification(f.Get("classification")), Language: f.Get("language"), Format: f.Get("format"),
		Medium: f.Get("medium"), StorageLocation: f.Get("storage_location"), Clause: f.Get("clause"),
		OwnerID:       parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		RequirementID: parseOptionalID(&v, "requirement_id", f.Get("requirement_id")),
		NextReview:    parseOptionalDate(&v, "next_review", f.Get("next_review")),
		Version:       parseVersion(f.Get("version"))}
	if iv := strings.TrimSpace(f.Get("review_interval_months")); iv != "" {
		n, err := strconv.Atoi(iv)
		if err != nil {
			v.Add("review_interval_months", "err.number")
		}
		in.ReviewIntervalMonths = n
	}
	for _, a := range f["approver_ids"] {
		if id := parseOptionalID(&v, "approver_ids", a); id != nil {
			in.ApproverIDs = append(in.ApproverIDs, *id)
		}
	}
	return in, v.Err()
}

func (s *Server) docCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, docInputFromForm, s.Documents.CreateDocument,
		func(d *isms.Document) string { return idPath("/documents/", d.ID) },
		func(in isms.DocumentInput, err error) error {
			p := s.newPage(r, "title.doc_new")
			return s.docFormError(r, p, err, func(status int) error { return s.docForm(w, r, p, nil, in, status) })
		})
}

func (s *Server) loadDoc(r *http.Request) (*isms.Document, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Documents.Document(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) docEditPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDoc(r)
	if err != nil {
		return err
	}
	return s.docForm(w, r, s.newPage(r, "title.doc_edit"), d, isms.DocumentInput{}, http.StatusOK)
}

func (s *Server) docUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDoc(r)
	if err != nil {
		return err
	}
	return saveForm(s, w, r, docInputFromForm,
		func(ctx context.Context, in isms.DocumentInput) (*isms.Document, error) {
			return s.Documents.UpdateDocument(ctx, d.OrganisationID, d.ID, in)
		},
		func(*isms.Document) string { return idPath("/documents/", d.ID) },
		func(in isms.DocumentInput, err error) error {
			p := s.newPage(r, "title.doc_edit")
			if isms.ErrorCode(err) == isms.EConflict {
				// Offer the current version, so saving again is a deliberate
				// overwrite of what the other person saved.
				r.PostForm.Set("version", strconv.FormatInt(d.Version, 10))
			}
			return s.docFormError(r, p, err, func(status int) error { return s.docForm(w, r, p, d, in, status) })
		})
}

func (s *Server) docReviewSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDoc(r)
	if err == nil {
		_, err = s.Documents.RecordDocumentReview(r.Context(), d.OrganisationID, d.ID, formVersion(r))
	}
	if err != nil {
		if d != nil && (isms.ErrorCode(err) == isms.EInvalid || isms.ErrorCode(err) == isms.EConflict) {
			p := s.newPage(r, "title.doc")
			docSetError(p, err)
			return s.renderDoc(w, r, p, d, s.status(r, err))
		}
		return err
	}
	s.redirect(w, r, p0(r, "/documents/"+strconv.FormatInt(d.ID, 10)), "flash.doc_reviewed")
	return nil
}

// ---------------------------------------------------------------------
// The document page with its versions.

type docPageData struct {
	Doc         *isms.Document
	Versions    []*isms.DocumentVersion
	Open        *isms.DocumentVersion // the version on its way, if any
	Requirement *isms.DocumentationRequirement
	History     []historyItem
	Today       isms.Date
	MaxUpload   string
	Formats     string
	CanEdit     bool
	IsApprover  bool
}

func (s *Server) renderDoc(w http.ResponseWriter, r *http.Request, p *page, d *isms.Document, status int) error {
	org := orgFrom(r.Context())
	versions, err := s.Documents.DocumentVersions(r.Context(), org.ID, d.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "document", d.ID)
	if err != nil {
		return err
	}
	rules, err := s.Documents.DocumentFormRules(r.Context(), org.ID)
	if err != nil {
		return err
	}
	formats := rules.AcceptedFormats
	if len(formats) == 0 {
		formats = isms.DefaultAcceptedFormats
	}
	data := docPageData{Doc: d, Versions: versions, History: hist, Today: isms.DateOf(s.cfg.Now()), MaxUpload: sizeText(s.maxUpload()),
		Formats: strings.Join(formats, ", "), CanEdit: p.OwnsOrCan(d.OwnerID), IsApprover: p.User != nil && slices.Contains(d.ApproverIDs(), p.User.ID)}
	for _, v := range versions {
		if v.State.Open() {
			data.Open = v
		}
	}
	if d.RequirementID != nil {
		reqs, err := s.Documents.DocumentationRequirements(r.Context(), org.ID)
		if err != nil {
			return err
		}
		for _, q := range reqs {
			if q.ID == *d.RequirementID {
				data.Requirement = q
			}
		}
	}
	p.Data = data
	s.render(w, status, "document", p)
	return nil
}

func (s *Server) docPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDoc(r)
	if err != nil {
		return err
	}
	return s.renderDoc(w, r, s.newPage(r, "title.doc"), d, http.StatusOK)
}

// docVersionError shows a refused version or transition on the document
// page, or the error page for anything but bad input and stale pages.
func (s *Server) docVersionError(w http.ResponseWriter, r *http.Request, err error) error {
	d, lerr := s.loadDoc(r)
	if lerr != nil {
		return lerr
	}
	p := s.newPage(r, "title.doc")
	return s.docFormError(r, p, err, func(status int) error { return s.renderDoc(w, r, p, d, status) })
}

// docUploadSubmit takes a file as a new draft version, in one of the
// server's upload slots (uploads.go).
func (s *Server) docUploadSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.uploadBodyLimit())
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	in, err := s.readMultipartVersion(r)
	if err == nil {
		_, err = s.Documents.AddDocumentVersion(r.Context(), orgFrom(r.Context()).ID, id, in)
		in.File.Close()
	}
	release()
	if err != nil {
		// Drain what is left, so the browser sees the answer rather than a
		// reset connection; MaxBytesReader stops at the limit.
		io.Copy(io.Discard, r.Body)
		r.PostForm = url.Values{"change_note": {in.ChangeNote}}
		return s.docVersionError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/documents/"+strconv.FormatInt(id, 10)), "flash.doc_version_added")
	return nil
}

// docTextSubmit takes text written in the product as a new draft version.
func (s *Server) docTextSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	in := isms.VersionInput{Text: f.Get("text"), ChangeNote: f.Get("change_note"), Version: parseVersion(f.Get("version"))}
	if strings.TrimSpace(in.Text) == "" {
		var v isms.Validation
		v.Add("text", "err.required")
		return s.docVersionError(w, r, v.Err())
	}
	if _, err := s.Documents.AddDocumentVersion(r.Context(), orgFrom(r.Context()).ID, id, in); err != nil {
		return s.docVersionError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/documents/"+strconv.FormatInt(id, 10)), "flash.doc_version_added")
	return nil
}

// docVersionPath reads a version's path: the document's {id} and the
// version's number {n}.
func docVersionPath(r *http.Request) (int64, int, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	n, err := versionNumber(r)
	return id, n, err
}

// versionNumber reads the number {n} of a document's version.
func versionNumber(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		return 0, isms.Errorf(isms.ENotFound, "err.not_found", "document_version")
	}
	return n, nil
}

type docVersionData struct {
	Doc        *isms.Document
	V          *isms.DocumentVersion
	CanEdit    bool
	IsApprover bool
	Approved   bool // the caller has approved this version already
}

func (s *Server) docVersionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocVersion(w, r, s.newPage(r, "title.doc_version"), http.StatusOK)
}

func (s *Server) renderDocVersion(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	d, err := s.loadDoc(r)
	if err != nil {
		return err
	}
	n, err := versionNumber(r)
	if err != nil {
		return err
	}
	v, err := s.Documents.DocumentVersion(r.Context(), d.OrganisationID, d.ID, n)
	if err != nil {
		return err
	}
	data := docVersionData{Doc: d, V: v, CanEdit: p.OwnsOrCan(d.OwnerID), IsApprover: p.User != nil && slices.Contains(d.ApproverIDs(), p.User.ID)}
	for _, a := range v.Approvals {
		if p.User != nil && a.UserID == p.User.ID && a.Decision == "approve" {
			data.Approved = true
		}
	}
	p.Data = data
	s.render(w, status, "document_version", p)
	return nil
}

// docDownload serves a version's content, checked against its checksum,
// as an attachment of its stored media type that browsers must not
// sniff or show inline.
func (s *Server) docDownload(w http.ResponseWriter, r *http.Request) error {
	id, n, err := docVersionPath(r)
	if err != nil {
		return err
	}
	c, err := s.Documents.DocumentContent(r.Context(), orgFrom(r.Context()).ID, id, n)
	if err != nil {
		return err
	}
	defer c.Body.Close()
	s.serveDocContent(w, r, c)
	return nil
}

// serveDocContent streams a version's content as it comes from the store.
// The store checks it against its checksum as it goes and fails before the
// last piece when it does not match; the answer has begun by then, so the
// connection is cut instead, and the client, short of the announced
// Content-Length, cannot take what it received for the file.
func (s *Server) serveDocContent(w http.ResponseWriter, r *http.Request, c *isms.DocumentContent) {
	h := w.Header()
	h.Set("Content-Type", c.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.FileName}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.FormatInt(c.Size, 10))
	h.Set("X-Checksum-SHA256", c.SHA256)
	w.WriteHeader(http.StatusOK)
	s.copyContent(w, r, c)
}

// copyContent copies a version's content to an answer that has begun,
// cutting the connection when the content fails on the way.
func (s *Server) copyContent(w io.Writer, r *http.Request, c *isms.DocumentContent) {
	src := &contentSource{r: c.Body}
	if _, err := io.Copy(w, src); err != nil && src.err != nil {
		if r.Context().Err() == nil { // not the client's leaving
			s.status(r, src.err) // logs it
		}
		panic(http.ErrAbortHandler)
	}
}

// contentSource remembers the store's error, to tell it from the client's
// going away.
type contentSource struct {
	r   io.Reader
	err error
}

func (c *contentSource) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

// docTransitionSubmit moves a version on: submit, approve, send back,
// publish or withdraw.
func (s *Server) docTransitionSubmit(w http.ResponseWriter, r *http.Request) error {
	id, n, err := docVersionPath(r)
	if err != nil {
		return err
	}
	action := strings.ReplaceAll(r.PathValue("action"), "-", "_")
	switch action {
	case isms.TransitionSubmit, isms.TransitionApprove, isms.TransitionSendBack, isms.TransitionPublish, isms.TransitionWithdraw:
	default:
		return errPageNotFound
	}
	f := r.PostForm
	_, err = s.Documents.TransitionDocumentVersion(r.Context(), orgFrom(r.Context()).ID, id, n, isms.TransitionInput{
		Action: action, Comment: f.Get("comment"), SHA256: f.Get("sha256"), Version: parseVersion(f.Get("version"))})
	if err != nil {
		p := s.newPage(r, "title.doc_version")
		return s.docFormError(r, p, err, func(status int) error { return s.renderDocVersion(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, fmt.Sprintf("/documents/%d/versions/%d", id, n)), docTransitionFlash[action])
	return nil
}

// docTransitionFlash is the notice after each transition.
var docTransitionFlash = map[string]string{
	isms.TransitionSubmit: "flash.doc_submit", isms.TransitionApprove: "flash.doc_approve", isms.TransitionSendBack: "flash.doc_send_back",
	isms.TransitionPublish: "flash.doc_publish", isms.TransitionWithdraw: "flash.doc_withdraw",
}

// ---------------------------------------------------------------------
// Form rules.

type docRulesData struct {
	Rules    *isms.DocumentFormRules
	Fields   []string
	Defaults string
	History  []historyItem
}

func (s *Server) docRulesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocRules(w, r, s.newPage(r, "title.doc_rules"), http.StatusOK)
}

func (s *Server) renderDocRules(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	rules, err := s.Documents.DocumentFormRules(r.Context(), org.ID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "document_form_rules", org.ID)
	if err != nil {
		return err
	}
	p.Data = docRulesData{Rules: rules, Fields: isms.DocumentMetadataFields, Defaults: strings.Join(isms.DefaultAcceptedFormats, ", "), History: hist}
	s.render(w, status, "document_rules", p)
	return nil
}

// AcceptedText is the accepted formats as the form shows them.
func (d docRulesData) AcceptedText() string { return strings.Join(d.Rules.AcceptedFormats, ", ") }

// MetadataChosen tells the checkboxes which metadata fields are required.
func (d docRulesData) MetadataChosen(p *page, field string) bool {
	if p.Form != nil {
		return slices.Contains(p.Form["required_metadata"], field)
	}
	return slices.Contains(d.Rules.RequiredMetadata, field)
}

// splitList reads a list typed with commas, semicolons or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func (s *Server) docRulesSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	in := isms.DocumentFormRulesInput{NamingStandard: f.Get("naming_standard"), NamingPattern: f.Get("naming_pattern"),
		FormatStandard: f.Get("format_standard"), MediaStandard: f.Get("media_standard"), RequiredMetadata: f["required_metadata"],
		AcceptedFormats: splitList(f.Get("accepted_formats")), Version: parseVersion(f.Get("version"))}
	if _, err := s.Documents.SaveDocumentFormRules(r.Context(), orgFrom(r.Context()).ID, in); err != nil {
		p := s.newPage(r, "title.doc_rules")
		return s.docFormError(r, p, err, func(status int) error { return s.renderDocRules(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/documents/rules"), "flash.saved")
	return nil
}

// ---------------------------------------------------------------------
// Retention and deletion.

type docRetentionData struct {
	Rules   []*isms.RetentionRule
	Queue   []*isms.DeletionCandidate
	FormFor isms.DocumentKind // the kind whose form was refused
}

func (s *Server) docRetentionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocRetention(w, r, s.newPage(r, "title.doc_retention"), "", http.StatusOK)
}

func (s *Server) renderDocRetention(w http.ResponseWriter, r *http.Request, p *page, formFor isms.DocumentKind, status int) error {
	org := orgFrom(r.Context())
	rules, err := s.Documents.RetentionRules(r.Context(), org.ID)
	if err != nil {
		return err
	}
	queue, err := s.Documents.DeletionQueue(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p.Data = docRetentionData{Rules: rules, Queue: queue, FormFor: formFor}
	s.render(w, status, "document_retention", p)
	return nil
}

func (s *Server) docRetentionSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	in := isms.RetentionRuleInput{Kind: isms.DocumentKind(f.Get("kind")), DeletionProcedure: f.Get("deletion_procedure"),
		Version: parseVersion(f.Get("version"))}
	var v isms.Validation
	if m := strings.TrimSpace(f.Get("retention_months")); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			v.Add("retention_months", "err.number")
		}
		in.RetentionMonths = n
	}
	err := v.Err()
	if err == nil {
		_, err = s.Documents.SaveRetentionRule(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		p := s.newPage(r, "title.doc_retention")
		return s.docFormError(r, p, err, func(status int) error { return s.renderDocRetention(w, r, p, in.Kind, status) })
	}
	s.redirect(w, r, p0(r, "/documents/retention")+"#ret-"+string(in.Kind), "flash.saved")
	return nil
}

func (s *Server) docDeleteContentSubmit(w http.ResponseWriter, r *http.Request) error {
	id, n, err := docVersionPath(r)
	if err != nil {
		return err
	}
	if err := s.Documents.DeleteDocumentContent(r.Context(), orgFrom(r.Context()).ID, id, n); err != nil {
		p := s.newPage(r, "title.doc_retention")
		return s.docFormError(r, p, err, func(status int) error { return s.renderDocRetention(w, r, p, "", status) })
	}
	s.redirect(w, r, p0(r, "/documents/retention"), "flash.doc_content_deleted")
	return nil
}

// ---------------------------------------------------------------------
// The dashboard: reviews due and versions awaiting the caller's approval.

func documentsDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	for offset := 0; ; offset += 500 {
		docs, total, err := s.Documents.Documents(r.Context(), orgID, isms.DocumentFilter{Sort: "next_review", Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		u := userFrom(r.Context())
		for _, d := range docs {
			path := "/documents/" + strconv.FormatInt(d.ID, 10)
			if d.NextReview != nil && !until.Before(*d.NextReview) {
				out = append(out, dueItem{Label: d.Title, Kind: "doc.due_review", Due: *d.NextReview, Overdue: d.NextReview.Before(today), Path: path})
			}
			if u != nil && d.Current != nil && d.Current.State == isms.VersionInReview && slices.Contains(d.ApproverIDs(), u.ID) {
				out = append(out, dueItem{Label: d.Title, Kind: "doc.due_approval", Due: today,
					Path: fmt.Sprintf("%s/versions/%d", path, d.Current.Number)})
			}
		}
		if offset+500 >= total {
			break
		}
	}
	return out, nil
}
