package isms

import (
	"context"
	"time"
)

// A development plan (guide 2.5): the training or other action that
// closes a person's gap against a need of their role, with its owner, due
// date and completion.

// CompetencePlan is one planned action for one person and one need.
type CompetencePlan struct {
	ID             int64     `json:"id"`
	OrganisationID int64     `json:"organisation_id"`
	NeedID         int64     `json:"need_id"`
	NeedSubject    string    `json:"need_subject"`
	UserID         int64     `json:"user_id"` // the person whose gap it closes
	UserName       string    `json:"user_name"`
	Action         string    `json:"action"` // e.g. "Lead Implementer course in March"
	OwnerID        *int64    `json:"owner_id"`
	OwnerName      string    `json:"owner_name"`
	DueOn          Date      `json:"due_on"`
	CompletedOn    *Date     `json:"completed_on"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Overdue reports whether the plan is not completed by its due date.
func (p *CompetencePlan) Overdue(today Date) bool {
	return p.CompletedOn == nil && p.DueOn.Before(today)
}

// CompetencePlanInput is what a caller sets on a plan.
type CompetencePlanInput struct {
	NeedID      int64  `json:"need_id"`
	UserID      int64  `json:"user_id"`
	Action      string `json:"action"`
	OwnerID     *int64 `json:"owner_id"`
	DueOn       *Date  `json:"due_on"`
	CompletedOn *Date  `json:"completed_on"`
	Version     int64  `json:"version"`
}

// CompetencePlanService keeps the development plans.
type CompetencePlanService interface {
	CompetencePlans(ctx context.Context, orgID int64) ([]*CompetencePlan, error)
	CompetencePlan(ctx context.Context, orgID, id int64) (*CompetencePlan, error)
	CreateCompetencePlan(ctx context.Context, orgID int64, in CompetencePlanInput) (*CompetencePlan, error)
	UpdateCompetencePlan(ctx context.Context, orgID, id int64, in CompetencePlanInput) (*CompetencePlan, error)
	DeleteCompetencePlan(ctx context.Context, orgID, id, version int64) error
}
