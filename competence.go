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
)

// CompetenceKinds lists the kinds in order.
var CompetenceKinds = []CompetenceKind{CompetenceKnowledge, CompetenceEducation, CompetenceCertification, CompetenceExperience}

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
	Version     int64           `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
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
	Version     int64           `json:"version"`
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
}
