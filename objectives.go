package isms

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// Information security objectives (guide 2.4, ISO/IEC 27001 clause 6.2):
// what is to be achieved, how it is measured (a target value and its
// unit), by when, who is responsible, which policy statement or risk it
// serves, the plan to reach it and its status over time. Management
// approves an objective as it stands; a change to it afterwards means the
// new version awaits approval again, as the scope's does. Progress is
// recorded as dated measurements, which do not change what was approved.

// ObjectiveStatus is where an objective stands.
type ObjectiveStatus string

const (
	ObjectivePlanned     ObjectiveStatus = "planned"
	ObjectiveInProgress  ObjectiveStatus = "in_progress"
	ObjectiveAchieved    ObjectiveStatus = "achieved"
	ObjectiveNotAchieved ObjectiveStatus = "not_achieved"
	ObjectiveWithdrawn   ObjectiveStatus = "withdrawn"
)

// ObjectiveStatuses lists the statuses in order.
var ObjectiveStatuses = []ObjectiveStatus{ObjectivePlanned, ObjectiveInProgress, ObjectiveAchieved, ObjectiveNotAchieved, ObjectiveWithdrawn}

// Valid reports whether s is a known status.
func (s ObjectiveStatus) Valid() bool { return slices.Contains(ObjectiveStatuses, s) }

// Current reports whether an objective in this status is still being
// pursued (planned or in progress).
func (s ObjectiveStatus) Current() bool { return s == ObjectivePlanned || s == ObjectiveInProgress }

// Objective is one information security objective.
type Objective struct {
	ID             int64           `json:"id"`
	OrganisationID int64           `json:"organisation_id"`
	Title          string          `json:"title"`       // what is to be achieved
	Description    string          `json:"description"` // why, in more words
	Measure        string          `json:"measure"`     // how it is measured
	TargetValue    *float64        `json:"target_value"`
	Unit           string          `json:"unit"`
	DueDate        *Date           `json:"due_date"`
	OwnerID        *int64          `json:"owner_id"`
	OwnerName      string          `json:"owner_name"`
	DocumentID     *int64          `json:"document_id"` // the policy statement it serves
	DocumentTitle  string          `json:"document_title"`
	RiskID         *int64          `json:"risk_id"` // the risk it serves
	RiskTitle      string          `json:"risk_title"`
	Plan           string          `json:"plan"`
	Status         ObjectiveStatus `json:"status"`
	// The latest progress measurement, if any.
	LatestValue     *float64   `json:"latest_value"`
	LatestOn        *Date      `json:"latest_on"`
	ApprovedBy      *int64     `json:"approved_by"`
	ApprovedByName  string     `json:"approved_by_name"`
	ApprovedAt      *time.Time `json:"approved_at"`
	ApprovedVersion int64      `json:"approved_version"`
	Version         int64      `json:"version"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Approved reports whether management approved the objective as it now
// stands.
func (o *Objective) Approved() bool {
	return o != nil && o.ApprovedAt != nil && o.ApprovedVersion == o.Version
}

// Measurable reports whether the objective has a target value with a
// unit, so progress can be measured against it.
func (o *Objective) Measurable() bool { return o.TargetValue != nil && o.Unit != "" }

// Overdue reports whether a current objective has passed its date.
func (o *Objective) Overdue(today Date) bool {
	return o.Status.Current() && o.DueDate != nil && o.DueDate.Before(today)
}

// ObjectiveInput is what a caller sets on an objective.
type ObjectiveInput struct {
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Measure     string          `json:"measure"`
	TargetValue *float64        `json:"target_value"`
	Unit        string          `json:"unit"`
	DueDate     *Date           `json:"due_date"`
	OwnerID     *int64          `json:"owner_id"`
	DocumentID  *int64          `json:"document_id"`
	RiskID      *int64          `json:"risk_id"`
	Plan        string          `json:"plan"`
	Status      ObjectiveStatus `json:"status"`
	Version     int64           `json:"version"`
}

// ObjectiveProgress is one dated measurement of an objective.
type ObjectiveProgress struct {
	ID           int64     `json:"id"`
	ObjectiveID  int64     `json:"objective_id"`
	MeasuredOn   Date      `json:"measured_on"`
	Value        float64   `json:"value"`
	Note         string    `json:"note"`
	RecordedBy   *int64    `json:"recorded_by"`
	RecordedName string    `json:"recorded_by_name"`
	CreatedAt    time.Time `json:"created_at"`
}

// ObjectiveProgressInput is a new measurement.
type ObjectiveProgressInput struct {
	MeasuredOn *Date    `json:"measured_on"`
	Value      *float64 `json:"value"`
	Note       string   `json:"note"`
}

// ObjectiveFilter narrows and orders the objectives.
type ObjectiveFilter struct {
	Status  ObjectiveStatus
	OwnerID int64
	// Current lists only planned and in-progress objectives.
	Current bool
	// Unapproved lists only objectives awaiting management's approval.
	Unapproved bool
	Query      string // matched against title, measure and plan
	Sort       string // title, due, owner, status (prefix "-" for descending)
	Offset     int
	Limit      int
}

// ObjectiveService keeps the information security objectives (guide 2.4).
type ObjectiveService interface {
	Objectives(ctx context.Context, orgID int64, f ObjectiveFilter) ([]*Objective, int, error)
	Objective(ctx context.Context, orgID, id int64) (*Objective, error)
	CreateObjective(ctx context.Context, orgID int64, in ObjectiveInput) (*Objective, error)
	UpdateObjective(ctx context.Context, orgID, id int64, in ObjectiveInput) (*Objective, error)
	DeleteObjective(ctx context.Context, orgID, id, version int64) error
	// ApproveObjective records management's approval of the objective as
	// it stands (version).
	ApproveObjective(ctx context.Context, orgID, id, version int64) (*Objective, error)
	// ObjectiveProgress lists an objective's measurements, newest first.
	ObjectiveProgress(ctx context.Context, orgID, id int64) ([]*ObjectiveProgress, error)
	AddObjectiveProgress(ctx context.Context, orgID, id int64, in ObjectiveProgressInput) (*ObjectiveProgress, error)
	DeleteObjectiveProgress(ctx context.Context, orgID, id, progressID int64) error
}

// NumberText writes a measured number as short as it reads exactly
// ("95", "62.5"); none is "".
func NumberText(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// TargetText is the target value as written in forms.
func (o *Objective) TargetText() string { return NumberText(o.TargetValue) }

// LatestText is the latest measured value as written.
func (o *Objective) LatestText() string { return NumberText(o.LatestValue) }

// ValueText is the measured value as written.
func (p *ObjectiveProgress) ValueText() string { return NumberText(&p.Value) }
