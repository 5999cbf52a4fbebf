package web

import (
	"compress/gzip"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// An organisation's archive in the browser: its administrators download
// it from the organisation's settings, a site administrator brings one in
// as a new organisation (sqlstore/org_archive.go holds the format; `isms
// org export` and `isms org import` do the same from the command line).

// orgArchivePage explains the archive and offers its download to those
// who may make it (the organisation's administrators).
func (s *Server) orgArchivePage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "org_archive.title")
	if !p.Can(string(isms.PermManageMembers)) {
		return isms.Errorf(isms.EForbidden, "err.forbidden")
	}
	s.render(w, http.StatusOK, "org_archive", p)
	return nil
}

// orgArchiveDownload streams the archive, compressed. The headers are
// written with the first byte, so a refusal (which comes before any byte)
// is still an error page.
func (s *Server) orgArchiveDownload(w http.ResponseWriter, r *http.Request) error {
	o := orgFrom(r.Context())
	name := "isms-" + fileSlug(o.Name) + "-" + strconv.FormatInt(o.ID, 10) + ".isms-org.gz"
	lw := &lazyHeaders{w: w, set: func(h http.Header) {
		h.Set("Content-Type", "application/gzip")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		h.Set("Cache-Control", "no-store")
	}}
	z := gzip.NewWriter(lw)
	if err := s.OrgArchives.ExportOrganisation(r.Context(), o.ID, z); err != nil {
		if lw.started {
			// The download is cut off; its missing closing line makes
			// the import refuse it.
			s.log.Error("organisation archive cut off", "org", o.ID, "err", err)
			return nil
		}
		return err
	}
	return z.Close()
}

// lazyHeaders sets a download's headers on its first write.
type lazyHeaders struct {
	w       http.ResponseWriter
	set     func(http.Header)
	started bool
}

func (l *lazyHeaders) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.set(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

var slugRun = regexp.MustCompile(`[^a-z0-9æøå]+`)

// fileSlug makes a name fit for a file name: lower case, dashes.
func fileSlug(name string) string {
	s := strings.Trim(slugRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		return "organisation"
	}
	return s
}

// orgImportPage offers a site administrator the upload of an archive.
func (s *Server) orgImportPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "org_archive.import_title")
	if !p.User.SiteAdmin {
		return isms.Errorf(isms.EForbidden, "err.forbidden_site_admin")
	}
	p.Data = sizeText(s.maxUpload())
	s.render(w, http.StatusOK, "org_import", p)
	return nil
}

// orgImportSubmit reads the form's name field and then streams its file
// into the import, in one of the server's upload slots; nothing is stored
// unless the whole archive is sound.
func (s *Server) orgImportSubmit(w http.ResponseWriter, r *http.Request) error {
	if u := userFrom(r.Context()); u == nil || !u.SiteAdmin {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		return isms.Errorf(isms.EForbidden, "err.forbidden_site_admin")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.uploadBodyLimit())
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	name, res, err := s.readOrgImport(r)
	release()
	if err != nil {
		io.Copy(io.Discard, r.Body)
		p := s.newPage(r, "org_archive.import_title")
		r.PostForm = map[string][]string{"name": {name}}
		p.Data = sizeText(s.maxUpload())
		p.setError(err)
		s.render(w, http.StatusUnprocessableEntity, "org_import", p)
		return nil
	}
	s.redirect(w, r, "/orgs/"+strconv.FormatInt(res.Organisation.ID, 10), "org_archive.flash.imported")
	return nil
}

// readOrgImport reads the multipart form: the name (which comes first),
// then the archive, handed to the import as it arrives.
func (s *Server) readOrgImport(r *http.Request) (string, *isms.OrganisationImported, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, orgImportNoFile()
	}
	name := ""
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return name, nil, orgImportNoFile()
		}
		if err != nil {
			return name, nil, s.orgImportReadError(err)
		}
		switch part.FormName() {
		case "name":
			b, _ := io.ReadAll(io.LimitReader(part, 1000))
			name = strings.TrimSpace(string(b))
		case "file":
			if part.FileName() == "" {
				return name, nil, orgImportNoFile()
			}
			res, err := s.OrgArchives.ImportOrganisation(r.Context(), part, isms.OrganisationImport{Name: name})
			if err != nil && isms.AsError(err) == nil {
				return name, nil, s.orgImportReadError(err)
			}
			return name, res, err
		}
	}
}

// orgImportReadError names what went wrong reading the form: a file over
// the upload limit (larger archives are imported with isms org import), or
// a broken body; anything else is the installation's fault.
func (s *Server) orgImportReadError(err error) error {
	var v isms.Validation
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		v.Add("file", "org_archive.err.too_large", sizeText(s.maxUpload()))
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart"):
		v.Add("file", "org_archive.err.broken")
	default:
		return err
	}
	return v.Err()
}

// isOrgImport recognises the archive upload, which limits its body
// itself (ownBodyLimit).
func isOrgImport(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/organisations/import"
}

func orgImportNoFile() error {
	var v isms.Validation
	v.Add("file", "org_archive.err.no_file")
	return v.Err()
}
