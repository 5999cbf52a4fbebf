package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
)

// Participation in the awareness programme (guide 2.6): the list of who
// took part, filtered by activity, unit, theme and period; the reach per
// unit and theme in the last twelve months; entry by hand; and the import
// of a file an e-learning system or HR exports, previewed row by row
// before anything is stored.

type partFilterChoices struct {
	Activities []*isms.AwarenessActivity
	Units      []*isms.OrgUnit
	Themes     []string
}

// partChoices reads what the filters and forms offer.
func (s *Server) partChoices(r *http.Request) (partFilterChoices, error) {
	org := orgFrom(r.Context()).ID
	acts, err := s.AwarenessParticipation.AwarenessActivities(r.Context(), org, isms.AwarenessActivityFilter{})
	if err != nil {
		return partFilterChoices{}, err
	}
	units, err := s.AwarenessParticipation.OrgUnits(r.Context(), org)
	if err != nil {
		return partFilterChoices{}, err
	}
	c := partFilterChoices{Activities: acts, Units: units, Themes: slices.Clone(isms.AwarenessThemes)}
	var own []string
	for _, a := range acts {
		for _, t := range a.Themes {
			if !isms.KnownTheme(t) && !slices.Contains(own, t) {
				own = append(own, t)
			}
		}
	}
	slices.Sort(own)
	c.Themes = append(c.Themes, own...)
	return c, nil
}

// themeLabel names a theme: a known one in the page's language, the
// organisation's own as written.
func themeLabel(p *page, t string) string {
	if isms.KnownTheme(t) {
		return p.T("awareness.theme." + t)
	}
	return t
}

func partFilterFrom(r *http.Request, limit int) (isms.ParticipationFilter, error) {
	q := r.URL.Query()
	var v isms.Validation
	f := isms.ParticipationFilter{Theme: strings.TrimSpace(q.Get("theme"))}
	f.ActivityID = queryIDAtLeast(&v, q, "activity", "activity_id", 0)
	f.UnitID = queryIDAtLeast(&v, q, "unit", "unit_id", 0)
	f.From = parseOptionalDate(&v, "from", q.Get("from"))
	f.To = parseOptionalDate(&v, "to", q.Get("to"))
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	if f.Limit < 1 || f.Limit > 500 || f.Offset < 0 {
		v.Add("limit", "err.number")
	}
	return f, v.Err()
}

var participationsQuery = []apiParam{{"activity", "integer", "the activity's id"}, {"unit", "integer", "the unit's id"},
	{"theme", "string", "a theme key (incident_reporting, information_handling, remote_work, phishing, passwords) or the organisation's own theme"},
	{"from", "string", "first day taken, YYYY-MM-DD"}, {"to", "string", "last day taken, YYYY-MM-DD"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

type partListData struct {
	partFilterChoices
	Items   []*isms.Participation
	Filter  isms.ParticipationFilter
	Pager   pager
	Reach   *isms.AwarenessReach
	Imports []*isms.AwarenessImport
	Query   string // the filter as a query string, for the export link
	// ReachLabels name the reach's themes in order; GuideTheme marks the
	// guide's.
	ReachLabels  []string
	GuideTheme   []bool
	ThemeChoices []choice
}

// reachLabels names the reach's themes in the page's language.
func reachLabels(p *page, r *isms.AwarenessReach) (labels []string, guide []bool) {
	for _, t := range r.Themes {
		labels = append(labels, themeLabel(p, t))
		guide = append(guide, slices.Contains(isms.GuideThemes, t))
	}
	return labels, guide
}

func (s *Server) partListPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context()).ID
	f, err := partFilterFrom(r, 50)
	if err != nil {
		return err
	}
	items, total, err := s.AwarenessParticipation.Participations(r.Context(), org, f)
	if err != nil {
		return err
	}
	c, err := s.partChoices(r)
	if err != nil {
		return err
	}
	reach, err := s.AwarenessParticipation.AwarenessReach(r.Context(), org)
	if err != nil {
		return err
	}
	imports, err := s.AwarenessParticipation.AwarenessImports(r.Context(), org)
	if err != nil {
		return err
	}
	if len(imports) > 10 {
		imports = imports[:10]
	}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "offset" && k != "limit" {
			q[k] = v
		}
	}
	p := s.newPage(r, "title.awp_participation")
	d := partListData{partFilterChoices: c, Items: items, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit), Reach: reach,
		Imports: imports, Query: q.Encode()}
	d.ReachLabels, d.GuideTheme = reachLabels(p, reach)
	for _, t := range c.Themes {
		d.ThemeChoices = append(d.ThemeChoices, choice{Value: t, Label: themeLabel(p, t)})
	}
	p.Data = d
	s.render(w, http.StatusOK, "awareness_participation", p)
	return nil
}

type reachData struct {
	Reach  *isms.AwarenessReach
	Labels []string
}

func (s *Server) reachPage(w http.ResponseWriter, r *http.Request) error {
	reach, err := s.AwarenessParticipation.AwarenessReach(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.awp_reach")
	labels, _ := reachLabels(p, reach)
	p.Data = reachData{Reach: reach, Labels: labels}
	s.render(w, http.StatusOK, "awareness_participation_reach", p)
	return nil
}

// Entry by hand.

type partFormData struct {
	partFilterChoices
	Today isms.Date
}

func (s *Server) partForm(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	c, err := s.partChoices(r)
	if err != nil {
		return err
	}
	p.Data = partFormData{partFilterChoices: c, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, status, "awareness_participation_form", p)
	return nil
}

func (s *Server) partNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.partForm(w, r, s.newPage(r, "title.awp_participation_new"), http.StatusOK)
}

func partInputFromForm(r *http.Request) (isms.ParticipationInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ParticipationInput{Name: f.Get("name"), Email: f.Get("email"), UnitID: parseOptionalID(&v, "unit_id", f.Get("unit_id")),
		TakenOn: parseOptionalDate(&v, "taken_on", f.Get("taken_on"))}
	if id := parseOptionalID(&v, "activity_id", f.Get("activity_id")); id != nil {
		in.ActivityID = *id
	}
	if sc := strings.TrimSpace(f.Get("score")); sc != "" {
		if x, ok := isms.ParseScore(sc); ok {
			in.Score = &x
		} else {
			v.Add("score", "awp.err.bad_score", sc)
		}
	}
	return in, v.Err()
}

func (s *Server) partCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, partInputFromForm, s.AwarenessParticipation.CreateParticipation,
		func(*isms.Participation) string { return "/awareness/participation" },
		func(_ isms.ParticipationInput, err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.awp_participation_new"), nil,
				func(p *page, status int) error { return s.partForm(w, r, p, status) })
		})
}

func (s *Server) partDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.AwarenessParticipation.DeleteParticipation(r.Context(), orgFrom(r.Context()).ID, id), "/awareness/participation")
}

func (s *Server) importUndoSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.AwarenessParticipation.UndoAwarenessImport(r.Context(), orgFrom(r.Context()).ID, id); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/awareness/participation"), "flash.awp_import_undone")
	return nil
}

// The import.

type partImportColumn struct {
	Field  string
	DA, EN string
}

type partImportData struct {
	Activities []*isms.AwarenessActivity
	Columns    []partImportColumn
	MaxMiB     int
	MaxRows    int
	Preview    *isms.ParticipationPreview
	Activity   string // the chosen activity's title
}

func (s *Server) partImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPartImport(w, r, s.newPage(r, "title.awp_import"), http.StatusOK)
}

func (s *Server) renderPartImport(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	c, err := s.partChoices(r)
	if err != nil {
		return err
	}
	d := partImportData{Activities: c.Activities, MaxMiB: export.ParticipationMaxBytes >> 20, MaxRows: export.ParticipationMaxRows}
	for _, f := range isms.ParticipationSheetFields {
		d.Columns = append(d.Columns, partImportColumn{Field: f, DA: export.ParticipationHeading(f, "da"), EN: export.ParticipationHeading(f, "en")})
	}
	p.Data = d
	s.render(w, status, "awareness_participation_import", p)
	return nil
}

// readImportForm reads the upload form as it arrives: the file (at most
// limit bytes) and the small field naming the activity for a file without
// an activity column. Other fields are skipped.
func readImportForm(r *http.Request, limit int64) (name string, data []byte, activity string, err error) {
	if r.MultipartForm != nil {
		name, data, err = readFormFile(r, "import_file", limit)
		return name, data, firstOf(r.MultipartForm.Value["activity_id"]), err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, "", errFormBroken
	}
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, "", formReadError(err)
		}
		switch part.FormName() {
		case "import_file":
			if found {
				break
			}
			found = true
			name = part.FileName()
			if data, err = io.ReadAll(io.LimitReader(part, limit+1)); err != nil {
				return "", nil, "", formReadError(err)
			}
			if int64(len(data)) > limit {
				return "", nil, "", errFormTooLarge
			}
		case "activity_id":
			b, err := io.ReadAll(io.LimitReader(part, 32))
			if err != nil {
				return "", nil, "", formReadError(err)
			}
			activity = string(b)
		}
		if _, err := io.Copy(io.Discard, part); err != nil {
			return "", nil, "", formReadError(err)
		}
		part.Close()
	}
	if !found || (name == "" && len(data) == 0) {
		return "", nil, activity, errFormNoFile
	}
	return name, data, activity, nil
}

func firstOf(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// importFileError is an upload's refusal as the error of the form's file
// field (or of the activity field).
func importFileError(err error) error {
	if e := isms.AsError(err); e != nil && e.Code == isms.EInvalid && len(e.Fields) == 0 {
		return &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "import_file", Key: e.Key, Args: e.Args}}}
	}
	return err
}

func uploadError(err error) error {
	switch {
	case errors.Is(err, errFormTooLarge):
		return isms.Errorf(isms.EInvalid, "awp.err.import_too_large", export.ParticipationMaxBytes>>20)
	case errors.Is(err, errFormNoFile):
		return isms.Errorf(isms.EInvalid, "awp.err.import_no_file")
	}
	return isms.Errorf(isms.EInvalid, "awp.err.import_unreadable")
}

func (s *Server) partImportUpload(w http.ResponseWriter, r *http.Request) error {
	refuse := func(err error) error {
		err = importFileError(err)
		if isms.ErrorCode(err) != isms.EInvalid {
			return err
		}
		p := s.newPage(r, "title.awp_import")
		p.setError(err)
		return s.renderPartImport(w, r, p, s.status(r, err))
	}
	release, err := s.uploads.acquire(r.Context())
	if err != nil {
		io.Copy(io.Discard, r.Body)
		return err
	}
	defer release()
	name, data, act, err := readImportForm(r, export.ParticipationMaxBytes)
	if err != nil {
		return refuse(uploadError(err))
	}
	var v isms.Validation
	chosen := parseOptionalID(&v, "activity_id", act)
	if err := v.Err(); err != nil {
		return refuse(err)
	}
	sheet, err := export.ReadParticipation(name, data)
	if err != nil {
		return refuse(err)
	}
	pv, err := s.AwarenessParticipation.StageParticipation(r.Context(), orgFrom(r.Context()).ID, sheet, chosen)
	if err != nil {
		return refuse(err)
	}
	http.Redirect(w, r, p0(r, "/awareness/import-uploads/"+pv.SHA256), http.StatusSeeOther)
	return nil
}

// stagedSHA reads the upload's name from the path: a SHA-256 in hex.
func stagedSHA(r *http.Request) (string, error) {
	sha := r.PathValue("sha")
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return "", isms.Errorf(isms.ENotFound, "err.not_found", "import")
	}
	return sha, nil
}

func (s *Server) partImportPreviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPartPreview(w, r, s.newPage(r, "title.awp_import_preview"), http.StatusOK)
}

func (s *Server) renderPartPreview(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	sha, err := stagedSHA(r)
	if err != nil {
		return err
	}
	pv, err := s.AwarenessParticipation.StagedParticipation(r.Context(), orgFrom(r.Context()).ID, sha)
	if err != nil {
		return err
	}
	d := partImportData{Preview: pv}
	if pv.ActivityID != nil {
		c, err := s.partChoices(r)
		if err != nil {
			return err
		}
		for _, a := range c.Activities {
			if a.ID == *pv.ActivityID {
				d.Activity = a.Title
			}
		}
	}
	p.Data = d
	s.render(w, status, "awareness_participation_preview", p)
	return nil
}

func (s *Server) partImportConfirm(w http.ResponseWriter, r *http.Request) error {
	sha, err := stagedSHA(r)
	if err != nil {
		return err
	}
	_, err = s.AwarenessParticipation.ImportStagedParticipation(r.Context(), orgFrom(r.Context()).ID, sha)
	if err != nil {
		if c := isms.ErrorCode(err); c == isms.EInvalid || c == isms.EConflict {
			p := s.newPage(r, "title.awp_import_preview")
			p.setError(err)
			return s.renderPartPreview(w, r, p, s.status(r, err))
		}
		return err
	}
	s.redirect(w, r, p0(r, "/awareness/participation"), "flash.awp_imported")
	return nil
}

func (s *Server) partImportRefuse(w http.ResponseWriter, r *http.Request) error {
	sha, err := stagedSHA(r)
	if err != nil {
		return err
	}
	if err := s.AwarenessParticipation.DiscardStagedParticipation(r.Context(), orgFrom(r.Context()).ID, sha); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/awareness/imports/new"), "flash.awp_import_refused")
	return nil
}
