package isms

import (
	"context"
	"slices"
	"time"
)

// Competence (guide 2.5, ISO/IEC 27001 clause 7.2): what each security
// role of the organisation (guide 2.2) and each function of the ISMS
// needs to know, have learnt or be certified in, and at which level.

// CompetenceKind is what kind of competence a need asks for.
type CompetenceKind string

const (
	CompetenceKnowledge     CompetenceKind = "knowledge"
	CompetenceEducation     CompetenceKind = "education"
	CompetenceCertification CompetenceKind = "certification"
	CompetenceExperience    CompetenceKind = "experience"
	CompetenceTraining      CompetenceKind = "training"
)

// CompetenceKinds lists the kinds in order.
var CompetenceKinds = []CompetenceKind{CompetenceKnowledge, CompetenceEducation, CompetenceCertification, CompetenceExperience, CompetenceTraining}

// Valid reports whether k is a known kind.
func (k CompetenceKind) Valid() bool { return slices.Contains(CompetenceKinds, k) }

// CompetenceLevel is how deep a competence goes, from basic to expert.
type CompetenceLevel string

const (
	LevelBasic        CompetenceLevel = "basic"
	LevelPractitioner CompetenceLevel = "practitioner"
	LevelExpert       CompetenceLevel = "expert"
)

// CompetenceLevels lists the levels from lowest to highest.
var CompetenceLevels = []CompetenceLevel{LevelBasic, LevelPractitioner, LevelExpert}

// Valid reports whether l is a known level.
func (l CompetenceLevel) Valid() bool { return slices.Contains(CompetenceLevels, l) }

// Meets reports whether a competence at level l covers a need at level need.
func (l CompetenceLevel) Meets(need CompetenceLevel) bool {
	return slices.Index(CompetenceLevels, l) >= slices.Index(CompetenceLevels, need) && l.Valid()
}

// CompetenceNeed is one competence a security role, or a function of the
// ISMS that is not a role (e.g. "internal audit"), needs.
type CompetenceNeed struct {
	ID             int64 `json:"id"`
	OrganisationID int64 `json:"organisation_id"`
	// RoleID is the security role that needs it; nil for a function of
	// the ISMS named in Function.
	RoleID   *int64 `json:"role_id"`
	RoleName string `json:"role_name"`
	Function string `json:"function"`
	// Subject is the competence in words: "ISO 27001 Lead Implementer",
	// "GDPR", "the organisation's incident process".
	Subject     string          `json:"subject"`
	Kind        CompetenceKind  `json:"kind"`
	Level       CompetenceLevel `json:"level"`
	Description string          `json:"description"`
	// RefreshMonths, when not 0, is how often the competence must be
	// renewed: one achieved longer ago counts as expired for this need
	// (a GDPR refresher every 24 months, say).
	RefreshMonths int `json:"refresh_months"`
	// WheelActivityID is the annual wheel's activity that brings the
	// refresher round, if any; WheelActivityTitle its title (empty when
	// the activity has been deleted from the wheel).
	WheelActivityID    *int64    `json:"wheel_activity_id"`
	WheelActivityTitle string    `json:"wheel_activity_title"`
	Version            int64     `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// MaxRefreshMonths bounds a need's refresh interval: ten years.
const MaxRefreshMonths = 120

// ValidUntil is the last day a competence c counts for the need: its own
// expiry, or, for a need that must be refreshed, RefreshMonths after it
// was achieved, whichever comes first. A competence with no date of
// achievement cannot show it is recent, so for such a need it counts as
// expired the day before it was recorded; nil means it does not expire.
func (n *CompetenceNeed) ValidUntil(c *Competence) *Date {
	until := c.ExpiresOn
	if n.RefreshMonths > 0 {
		var r Date
		if c.AchievedOn == nil {
			r = DateOf(c.CreatedAt).AddDays(-1)
		} else {
			r = Date{c.AchievedOn.AddDate(0, n.RefreshMonths, 0)}
		}
		if until == nil || r.Before(*until) {
			until = &r
		}
	}
	return until
}

// Holder names whom the need is for: the role or the function.
func (n *CompetenceNeed) Holder() string {
	if n.RoleID != nil {
		return n.RoleName
	}
	return n.Function
}

// CompetenceNeedInput is what a caller sets on a need: a role or a
// function, not both.
type CompetenceNeedInput struct {
	RoleID      *int64          `json:"role_id"`
	Function    string          `json:"function"`
	Subject     string          `json:"subject"`
	Kind        CompetenceKind  `json:"kind"`
	Level       CompetenceLevel `json:"level"`
	Description string          `json:"description"`
	// RefreshMonths is 0 for a competence that need not be renewed.
	RefreshMonths   int    `json:"refresh_months"`
	WheelActivityID *int64 `json:"wheel_activity_id"`
	Version         int64  `json:"version"`
}

// ExpiresSoonDays is how far ahead a certification's expiry is shown as
// coming.
const ExpiresSoonDays = 90

// Competence is what a member has: an education, experience, a
// certification (which may expire) or a completed training, with its
// evidence in the documentation register.
type Competence struct {
	ID             int64           `json:"id"`
	OrganisationID int64           `json:"organisation_id"`
	UserID         int64           `json:"user_id"`
	UserName       string          `json:"user_name"`
	Subject        string          `json:"subject"`
	Kind           CompetenceKind  `json:"kind"`
	Level          CompetenceLevel `json:"level"`
	Provider       string          `json:"provider"` // school, issuer or course provider
	AchievedOn     *Date           `json:"achieved_on"`
	ExpiresOn      *Date           `json:"expires_on"` // nil: does not expire
	// EvidenceID is the document of the register that shows it (a
	// diploma, a certificate, a course list).
	EvidenceID    *int64    `json:"evidence_id"`
	EvidenceTitle string    `json:"evidence_title"`
	Note          string    `json:"note"`
	Version       int64     `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Expired reports whether the competence has expired by today.
func (c *Competence) Expired(today Date) bool { return c.ExpiresOn != nil && c.ExpiresOn.Before(today) }

// ExpiresSoon reports whether the competence is valid today but expires
// within ExpiresSoonDays.
func (c *Competence) ExpiresSoon(today Date) bool {
	return c.ExpiresOn != nil && !c.Expired(today) && c.ExpiresOn.Before(today.AddDays(ExpiresSoonDays+1))
}

// CompetenceInput is what a caller sets on a member's competence.
type CompetenceInput struct {
	UserID     int64           `json:"user_id"`
	Subject    string          `json:"subject"`
	Kind       CompetenceKind  `json:"kind"`
	Level      CompetenceLevel `json:"level"`
	Provider   string          `json:"provider"`
	AchievedOn *Date           `json:"achieved_on"`
	ExpiresOn  *Date           `json:"expires_on"`
	EvidenceID *int64          `json:"evidence_id"`
	// EvidenceFile, instead of EvidenceID, is a file that shows the
	// competence: stored as a new document of the register (kind
	// competence_records) in the same write, and linked as its evidence.
	EvidenceFile *EvidenceUpload `json:"evidence_file,omitempty"`
	Note         string          `json:"note"`
	Version      int64           `json:"version"`
}

// EvidenceFormats are the file formats accepted as uploaded evidence of a
// competence: a scanned or printed certificate or diploma.
var EvidenceFormats = []string{"pdf", "png", "jpg", "jpeg"}

// EvidenceUpload is an uploaded file that shows a competence. The web
// form streams it into File (see Upload); the API sends it as Content,
// base64 in JSON.
type EvidenceUpload struct {
	FileName string  `json:"file_name"`
	Content  []byte  `json:"content"`
	File     *Upload `json:"-"`
	// Classification is internal (the default) or confidential.
	Classification Classification `json:"classification"`
}

// MayRecordCompetence reports whether the caller (user) may record what
// person has: the person themself, whatever their role, or anyone who may
// edit the ISMS.
func (a Access) MayRecordCompetence(user, person int64) bool {
	return a.Can(PermEdit) || a.AssignedTo(user, &person)
}

// CompetenceService keeps the competence needs, what people have, and
// the plans that close the gaps (guide 2.5).
type CompetenceService interface {
	// CompetenceNeeds lists the needs: the roles' in the roles' order,
	// then the functions' by name.
	CompetenceNeeds(ctx context.Context, orgID int64) ([]*CompetenceNeed, error)
	CompetenceNeed(ctx context.Context, orgID, id int64) (*CompetenceNeed, error)
	CreateCompetenceNeed(ctx context.Context, orgID int64, in CompetenceNeedInput) (*CompetenceNeed, error)
	UpdateCompetenceNeed(ctx context.Context, orgID, id int64, in CompetenceNeedInput) (*CompetenceNeed, error)
	DeleteCompetenceNeed(ctx context.Context, orgID, id, version int64) error

	// Competences lists what the members have, by person and subject;
	// userID 0 for everyone.
	Competences(ctx context.Context, orgID, userID int64) ([]*Competence, error)
	Competence(ctx context.Context, orgID, id int64) (*Competence, error)
	CreateCompetence(ctx context.Context, orgID int64, in CompetenceInput) (*Competence, error)
	UpdateCompetence(ctx context.Context, orgID, id int64, in CompetenceInput) (*Competence, error)
	DeleteCompetence(ctx context.Context, orgID, id, version int64) error

	// CompetenceMatrix is the gap view: each role's needs against what
	// its holders have today.
	CompetenceMatrix(ctx context.Context, orgID int64) (*CompetenceMatrix, error)

	CompetencePlanService
}
