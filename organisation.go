package isms

import (
	"context"
	"time"
)

// Organisation is one authority or company that runs its own ISMS. A
// department may be the parent of its agencies (guide 2.2, "koncernstyring").
type Organisation struct {
	ID        int64     `json:"id"`
	ParentID  *int64    `json:"parent_id"`
	Name      string    `json:"name"`
	Purpose   string    `json:"purpose"` // the organisation's purpose (guide 2.1)
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Access is the caller's access, filled in when read for a caller.
	Access Access `json:"-"`
}

// OrganisationInput is what a caller sets when creating or changing one.
type OrganisationInput struct {
	Name     string `json:"name"`
	ParentID *int64 `json:"parent_id"`
	Purpose  string `json:"purpose"`
	Version  int64  `json:"version"` // the version the change was based on
}

// Membership says which role a user holds in an organisation.
type Membership struct {
	ID             int64  `json:"id"`
	OrganisationID int64  `json:"organisation_id"`
	UserID         int64  `json:"user_id"`
	UserName       string `json:"user_name"`
	UserEmail      string `json:"user_email"`
	Role           Role   `json:"role"`
	// Oversight lets a member of a parent organisation read its children.
	Oversight bool  `json:"oversight"`
	Version   int64 `json:"version"`
}

// MembershipInput adds a user (by e-mail) or changes a membership.
type MembershipInput struct {
	Email     string `json:"email"`
	Role      Role   `json:"role"`
	Oversight bool   `json:"oversight"`
	Version   int64  `json:"version"`
}

// OrganisationService manages organisations and who works in them.
type OrganisationService interface {
	CreateOrganisation(ctx context.Context, in OrganisationInput) (*Organisation, error)
	Organisation(ctx context.Context, id int64) (*Organisation, error)
	Organisations(ctx context.Context) ([]*Organisation, error)
	UpdateOrganisation(ctx context.Context, id int64, in OrganisationInput) (*Organisation, error)
	Access(ctx context.Context, orgID int64) (Access, error)

	Memberships(ctx context.Context, orgID int64) ([]*Membership, error)
	AddMembership(ctx context.Context, orgID int64, in MembershipInput) (*Membership, error)
	UpdateMembership(ctx context.Context, orgID, id int64, in MembershipInput) (*Membership, error)
	RemoveMembership(ctx context.Context, orgID, id int64) error
}
