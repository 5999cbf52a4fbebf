package web

import (
	"net/http"
	"strings"

	"github.com/ismsdk/isms"
)

// What the members have (guide 2.5): each person's education,
// experience, certifications with their expiry and completed training,
// with the register's document that shows it.

type compPeopleData struct {
	Records []*isms.Competence
	Person  int64 // the person shown, 0 for everyone
	Members []*isms.Membership
	Today   isms.Date
}

func (s *Server) compPeoplePage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var v isms.Validation
	person := queryID(&v, r.URL.Query(), "person", "person")
	if err := v.Err(); err != nil {
		return err
	}
	recs, err := s.Competence.Competences(r.Context(), org.ID, person)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.comp_people")
	p.Data = compPeopleData{Records: recs, Person: person, Members: members, Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "competence_people", p)
	return nil
}

func (s *Server) loadCompetence(r *http.Request) (*isms.Competence, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Competence.Competence(r.Context(), orgFrom(r.Context()).ID, id)
}

type compRecordData struct {
	Record  *isms.Competence
	Mine    bool // the caller may change it
	Today   isms.Date
	History []historyItem
}

func (s *Server) compRecordPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCompetence(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "competence", c.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.comp_record")
	p.Data = compRecordData{Record: c, Mine: p.User != nil && orgFrom(r.Context()).Access.MayRecordCompetence(p.User.ID, c.UserID),
		Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, http.StatusOK, "competence_record", p)
	return nil
}

type compRecordFormData struct {
	Record    *isms.Competence
	Person    int64 // the person a new record is for
	MayChoose bool  // the caller may record for others
	Members   []*isms.Membership
	Documents []*isms.Document
	Kinds     []isms.CompetenceKind
	Levels    []isms.CompetenceLevel
	// MaxUpload is the upload limit, for people; Formats the evidence
	// file formats, as the file field's accept attribute.
	MaxUpload string
	Formats   string
	Classes   []isms.Classification
}

func (s *Server) compRecordForm(w http.ResponseWriter, r *http.Request, p *page, c *isms.Competence, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	docs, _, err := s.Documents.Documents(r.Context(), org.ID, isms.DocumentFilter{Limit: 500, Sort: "title"})
	if err != nil {
		return err
	}
	d := compRecordFormData{Record: c, MayChoose: org.Access.Can(isms.PermEdit), Members: members, Documents: docs,
		Kinds: isms.CompetenceKinds, Levels: isms.CompetenceLevels, MaxUpload: sizeText(s.maxUpload()),
		Formats: "." + strings.Join(isms.EvidenceFormats, ",."), Classes: []isms.Classification{isms.ClassInternal, isms.ClassConfidential}}
	switch {
	case c != nil:
		d.Person = c.UserID
	case p.User != nil:
		d.Person = p.User.ID
		var v isms.Validation
		if id := queryID(&v, r.URL.Query(), "person", "person"); id != 0 && d.MayChoose {
			d.Person = id
		}
	}
	p.Data = d
	s.render(w, status, "competence_record_form", p)
	return nil
}

func (s *Server) compRecordNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.compRecordForm(w, r, s.newPage(r, "title.comp_record_new"), nil, http.StatusOK)
}

func (s *Server) compRecordEditPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCompetence(r)
	if err != nil {
		return err
	}
	return s.compRecordForm(w, r, s.newPage(r, "title.comp_record_edit"), c, http.StatusOK)
}

func compInputFromForm(r *http.Request) (isms.CompetenceInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.CompetenceInput{Subject: f.Get("subject"), Kind: isms.CompetenceKind(f.Get("comp_kind")), Level: isms.CompetenceLevel(f.Get("level")),
		Provider: f.Get("provider"), AchievedOn: parseOptionalDate(&v, "achieved_on", f.Get("achieved_on")),
		ExpiresOn: parseOptionalDate(&v, "expires_on", f.Get("expires_on")), EvidenceID: parseOptionalID(&v, "evidence_id", f.Get("evidence_id")),
		Note: f.Get("note"), Version: parseVersion(f.Get("version"))}
	if id := parseOptionalID(&v, "user_id", f.Get("user_id")); id != nil {
		in.UserID = *id
	}
	return in, v.Err()
}

func (s *Server) compRecordFormError(w http.ResponseWriter, r *http.Request, c *isms.Competence, err error) error {
	title, current := "title.comp_record_new", func() int64 { return 0 }
	if c != nil {
		title = "title.comp_record_edit"
		if cur, x := s.Competence.Competence(r.Context(), c.OrganisationID, c.ID); x == nil {
			c = cur
		}
		current = func() int64 { return c.Version }
	}
	return s.formRefused(r, compKindField(err), s.newPage(r, title), current,
		func(p *page, status int) error { return s.compRecordForm(w, r, p, c, status) })
}

// compRecordCreateSubmit records a competence from its form, with the
// evidence file uploaded on it, if any (competence_evidence.go).
func (s *Server) compRecordCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	ev, release, err := s.readCompetenceForm(w, r)
	defer release()
	if err != nil {
		return s.compRecordFormError(w, r, nil, err)
	}
	return createFromForm(s, w, r, compInputWithEvidence(ev), s.Competence.CreateCompetence,
		func(c *isms.Competence) string { return idPath("/competence/records/", c.ID) },
		func(_ isms.CompetenceInput, err error) error { return s.compRecordFormError(w, r, nil, err) })
}

func (s *Server) compRecordUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	ev, release, err := s.readCompetenceForm(w, r)
	defer release()
	c, lerr := s.loadCompetence(r)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		return s.compRecordFormError(w, r, c, err)
	}
	return updateFromForm(s, w, r, compInputWithEvidence(ev), s.Competence.UpdateCompetence, c.OrganisationID, c.ID,
		idPath("/competence/records/", c.ID), func(err error) error { return s.compRecordFormError(w, r, c, err) })
}

// compInputWithEvidence reads the competence form with the uploaded
// evidence file, if any.
func compInputWithEvidence(ev *isms.EvidenceUpload) func(r *http.Request) (isms.CompetenceInput, error) {
	return func(r *http.Request) (isms.CompetenceInput, error) {
		in, err := compInputFromForm(r)
		in.EvidenceFile = ev
		return in, err
	}
}

func (s *Server) compRecordDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCompetence(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Competence.DeleteCompetence(r.Context(), c.OrganisationID, c.ID, formVersion(r)), "/competence/people")
}

var compPeopleQuery = []apiParam{{"person", "integer", "only this member's (user id)"}}

// competencesAPI lists what the members have, or one member's.
func (s *Server) competencesAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	var v isms.Validation
	person := queryID(&v, r.URL.Query(), "person", "person")
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.Competence.Competences(r.Context(), org, person)
}
