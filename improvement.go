package isms

import (
	"context"
	"slices"
	"time"
)

// Continual improvement (guide 2.10, ISO/IEC 27001 clause 10.1):
// improvements of the ISMS that are not corrections of a nonconformity,
// e.g. a clearer procedure or better information flow, each with what it
// improves, the benefit expected, an owner and where it stands.

// ImprovementArea is what an improvement improves.
type ImprovementArea string

const (
	ImpOrganisation  ImprovementArea = "organisation"
	ImpInformation   ImprovementArea = "information_flow"
	ImpDocumentation ImprovementArea = "documentation"
	ImpProcedures    ImprovementArea = "procedures"
	ImpTechnology    ImprovementArea = "technology"
	ImpOther         ImprovementArea = "other"
)

// ImprovementAreas lists the areas in order.
var ImprovementAreas = []ImprovementArea{ImpOrganisation, ImpInformation, ImpDocumentation, ImpProcedures, ImpTechnology, ImpOther}

// Valid reports whether a is a known area.
func (a ImprovementArea) Valid() bool { return slices.Contains(ImprovementAreas, a) }

// ImprovementStatus is where an improvement stands.
type ImprovementStatus string

const (
	ImpProposed   ImprovementStatus = "proposed"
	ImpApproved   ImprovementStatus = "approved"
	ImpInProgress ImprovementStatus = "in_progress"
	ImpDone       ImprovementStatus = "done"
	ImpRejected   ImprovementStatus = "rejected"
)

// ImprovementStatuses lists the statuses in order.
var ImprovementStatuses = []ImprovementStatus{ImpProposed, ImpApproved, ImpInProgress, ImpDone, ImpRejected}

// Valid reports whether s is a known status.
func (s ImprovementStatus) Valid() bool { return slices.Contains(ImprovementStatuses, s) }

// Current reports whether an improvement in this status is still to be
// carried out.
func (s ImprovementStatus) Current() bool {
	return s == ImpProposed || s == ImpApproved || s == ImpInProgress
}

// Improvement is one continual improvement.
type Improvement struct {
	ID             int64             `json:"id"`
	OrganisationID int64             `json:"organisation_id"`
	Title          string            `json:"title"`
	Area           ImprovementArea   `json:"area"`
	Description    string            `json:"description"`
	Benefit        string            `json:"benefit"`
	OwnerID        *int64            `json:"owner_id"`
	OwnerName      string            `json:"owner_name"`
	Status         ImprovementStatus `json:"status"`
	DueOn          *Date             `json:"due_on"`
	DoneOn         *Date             `json:"done_on"`
	Version        int64             `json:"version"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

// Overdue reports whether a current improvement has passed its date.
func (i *Improvement) Overdue(today Date) bool {
	return i.Status.Current() && i.DueOn != nil && i.DueOn.Before(today)
}

// ImprovementInput is what a caller sets on an improvement.
type ImprovementInput struct {
	Title       string            `json:"title"`
	Area        ImprovementArea   `json:"area"`
	Description string            `json:"description"`
	Benefit     string            `json:"benefit"`
	OwnerID     *int64            `json:"owner_id"`
	Status      ImprovementStatus `json:"status"`
	DueOn       *Date             `json:"due_on"`
	DoneOn      *Date             `json:"done_on"`
	Version     int64             `json:"version"`
}

// ImprovementFilter narrows and orders the improvements.
type ImprovementFilter struct {
	Status  ImprovementStatus
	Area    ImprovementArea
	OwnerID int64
	Query   string // matched against title, description and benefit
	Sort    string // title, due, owner, status, updated (prefix "-" for descending)
	Offset  int
	Limit   int
}

// ImprovementService keeps the continual improvements (guide 2.10).
type ImprovementService interface {
	Improvements(ctx context.Context, orgID int64, f ImprovementFilter) ([]*Improvement, int, error)
	Improvement(ctx context.Context, orgID, id int64) (*Improvement, error)
	CreateImprovement(ctx context.Context, orgID int64, in ImprovementInput) (*Improvement, error)
	UpdateImprovement(ctx context.Context, orgID, id int64, in ImprovementInput) (*Improvement, error)
	DeleteImprovement(ctx context.Context, orgID, id, version int64) error
}
