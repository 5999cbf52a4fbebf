package isms

import (
	"context"
	"time"
)

// The public reporting link for security events (guide 2.9, Annex A 6.8
// "Rapportering af informationssikkerhedshændelser"): the guide asks for
// "optionally an address that staff can use without an account, behind
// a secret link". The coordinator turns the link on for the
// organisation; whoever holds it reports an event with the short form
// (what happened, when detected, where, contact), and the event awaits
// triage like one reported by a member, marked as come through the link.
// Only the link's hash is kept; a new link stops the old one working.

// ReportedViaPublicLink marks an event reported through the public link
// rather than by a signed-in member.
const ReportedViaPublicLink = "public_link"

// IncidentIntakeLink is the state of the organisation's public reporting
// link. The token itself is shown only when the link is made.
type IncidentIntakeLink struct {
	Active        bool       `json:"active"`
	ID            int64      `json:"id,omitempty"`
	CreatedAt     *time.Time `json:"created_at,omitempty"`
	CreatedByName string     `json:"created_by_name,omitempty"`
	// Reports is how many events came through this link.
	Reports int `json:"reports"`
}

// IncidentIntakePage is what the public link shows: whose link it is.
type IncidentIntakePage struct {
	OrganisationName string `json:"organisation_name"`
}

// IncidentIntakeService keeps the public reporting link and takes the
// events reported through it.
type IncidentIntakeService interface {
	IncidentIntakeLink(ctx context.Context, orgID int64) (*IncidentIntakeLink, error)
	// CreateIncidentIntakeLink turns the link on, or makes a new one in
	// place of the old (coordinators). The token is returned this once.
	CreateIncidentIntakeLink(ctx context.Context, orgID int64) (string, *IncidentIntakeLink, error)
	// RevokeIncidentIntakeLink turns the link off (coordinators).
	RevokeIncidentIntakeLink(ctx context.Context, orgID int64) error
	// IncidentIntakePage reads what the link shows; a wrong or revoked
	// token is not found.
	IncidentIntakePage(ctx context.Context, token string) (*IncidentIntakePage, error)
	// ReportEventByLink records an event reported through the link,
	// awaiting triage, without a reporting member.
	ReportEventByLink(ctx context.Context, token string, in IncidentEventInput) error
}
