package isms

import (
	"context"
	"time"
)

// An organisation's administrator invites a colleague by e-mail to a role.
// The invitation is a one-time link that expires: the person opens it,
// creates their account (or logs in to the one they have) and accepts, and
// is then a member with that role. The inviter is told the same whether or
// not the address already has an account, so inviting cannot be used to
// find out who uses the product.

// InvitationLifetime is how long an invitation's link can be accepted.
const InvitationLifetime = 7 * 24 * time.Hour

// InvitationState is where an invitation stands.
type InvitationState string

const (
	InvitationPending  InvitationState = "pending"
	InvitationAccepted InvitationState = "accepted"
	InvitationRevoked  InvitationState = "revoked"
	InvitationExpired  InvitationState = "expired"
)

// InvitationStates lists the states in the order the UI offers them.
var InvitationStates = []InvitationState{InvitationPending, InvitationAccepted, InvitationRevoked, InvitationExpired}

// Valid reports whether s is one of the known states.
func (s InvitationState) Valid() bool {
	for _, k := range InvitationStates {
		if k == s {
			return true
		}
	}
	return false
}

// Invitation is one invitation to a role in an organisation. Its secret is
// never stored or shown again after it was made.
type Invitation struct {
	ID               int64           `json:"id"`
	OrganisationID   int64           `json:"organisation_id"`
	OrganisationName string          `json:"organisation_name"`
	Email            string          `json:"email"`
	Role             Role            `json:"role"`
	InvitedByName    string          `json:"invited_by_name"`
	CreatedAt        time.Time       `json:"created_at"`
	ExpiresAt        time.Time       `json:"expires_at"`
	AcceptedAt       *time.Time      `json:"accepted_at"`
	RevokedAt        *time.Time      `json:"revoked_at"`
	State            InvitationState `json:"state"`
}

// StateAt works out the state at a moment: revoked and accepted are final,
// a pending invitation expires when its time runs out.
func (i *Invitation) StateAt(now time.Time) InvitationState {
	switch {
	case i.RevokedAt != nil:
		return InvitationRevoked
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case !now.Before(i.ExpiresAt):
		return InvitationExpired
	}
	return InvitationPending
}

// InvitationInput is whom to invite and to which role.
type InvitationInput struct {
	Email string `json:"email"`
	Role  Role   `json:"role"`
}

// InvitationFilter narrows an organisation's list of invitations.
type InvitationFilter struct {
	State  InvitationState // "" for all
	Offset int
	Limit  int
}

// Acceptance is what the invited person sends. Logged in with the invited
// address, they send nothing; without an account, the name and password
// of the account the acceptance creates for the invited address.
type Acceptance struct {
	Name     string
	Password string
}

// InvitationService keeps invitations. Creating, listing and revoking
// them takes the right to manage the organisation's members; reading one
// by its secret and accepting it takes only the secret.
type InvitationService interface {
	CreateInvitation(ctx context.Context, orgID int64, in InvitationInput) (token string, inv *Invitation, err error)
	Invitations(ctx context.Context, orgID int64, f InvitationFilter) ([]*Invitation, int, error)
	RevokeInvitation(ctx context.Context, orgID, id int64) error
	InvitationByToken(ctx context.Context, token string) (*Invitation, error)
	AcceptInvitation(ctx context.Context, token string, in Acceptance) (*User, *Invitation, error)
}

// Mailer sends one plain-text message to one person. The web server gets
// one when an SMTP server is configured, and mails invitations through it.
type Mailer interface {
	Send(ctx context.Context, toName, toAddress, subject, body string) error
}
