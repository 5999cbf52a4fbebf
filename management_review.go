package isms

import (
	"context"
	"slices"
	"time"
)

// Management review (guide 2.9 "Ledelsesmæssig opfølgning", ISO/IEC
// 27001 clause 9.3): at planned intervals top management reviews the
// ISMS on a pack of inputs that clause 9.3.2 names. The pack is assembled
// from the live records at the review's date; when it is sent to
// management it is frozen (JSON with a SHA-256 checksum), so later changes
// to the records do not rewrite what management saw. The review's outputs
// are decisions (improvements, changes to the ISMS, resource needs) with
// owners and due dates, followed up like committee decisions.

// ReviewStatus is where a management review stands.
type ReviewStatus string

const (
	ReviewDraft ReviewStatus = "draft" // the pack is assembled live
	ReviewSent  ReviewStatus = "sent"  // the pack is frozen and sent to management
	ReviewHeld  ReviewStatus = "held"  // the meeting was held
)

// ReviewStatuses lists the statuses in order.
var ReviewStatuses = []ReviewStatus{ReviewDraft, ReviewSent, ReviewHeld}

// The inputs of clause 9.3.2 (and the guide's list), in the pack's order.
const (
	InputPreviousActions = "previous_actions" // status of actions from earlier reviews
	InputContextChanges  = "context_changes"  // changes in issues and interested parties (2.1)
	InputNonconformities = "nonconformities"  // nonconformities and corrective actions
	InputMeasurement     = "measurement"      // monitoring and measurement results
	InputAudit           = "audit"            // audit results
	InputObjectives      = "objectives"       // fulfilment of the security objectives
	InputFeedback        = "feedback"         // feedback from interested parties
	InputRisk            = "risk"             // risk assessment and treatment plan
	InputImprovement     = "improvement"      // opportunities for improvement
	InputThreats         = "threats"          // changes in the threat landscape
)

// ReviewInputs lists the inputs in the pack's order.
var ReviewInputs = []string{InputPreviousActions, InputContextChanges, InputNonconformities, InputMeasurement, InputAudit,
	InputObjectives, InputFeedback, InputRisk, InputImprovement, InputThreats}

// ValidReviewInput reports whether k names an input.
func ValidReviewInput(k string) bool { return slices.Contains(ReviewInputs, k) }

// ReviewDecisionKind is what a review's output is about (clause 9.3.3).
type ReviewDecisionKind string

const (
	DecisionImprovement ReviewDecisionKind = "improvement" // opportunities for continual improvement
	DecisionISMSChange  ReviewDecisionKind = "isms_change" // need for changes to the ISMS
	DecisionResources   ReviewDecisionKind = "resources"   // resource needs
)

// ReviewDecisionKinds lists the kinds in order.
var ReviewDecisionKinds = []ReviewDecisionKind{DecisionImprovement, DecisionISMSChange, DecisionResources}

// Valid reports whether k is a known kind.
func (k ReviewDecisionKind) Valid() bool { return slices.Contains(ReviewDecisionKinds, k) }

// Topic is the management topic (guide 2.2) a decision of the kind deals with.
func (k ReviewDecisionKind) Topic() string {
	switch k {
	case DecisionResources:
		return "resources"
	case DecisionISMSChange:
		return "organisation"
	}
	return "improvement"
}

// PackAction is a decision of an earlier review as the pack shows it.
type PackAction struct {
	ID        int64              `json:"id"`
	ReviewID  int64              `json:"review_id"`
	Review    string             `json:"review"`
	Kind      ReviewDecisionKind `json:"kind"`
	Text      string             `json:"text"`
	OwnerName string             `json:"owner_name"`
	DueOn     *Date              `json:"due_on"`
	Status    FollowUp           `json:"status"`
	Note      string             `json:"note"`
	Overdue   bool               `json:"overdue"`
}

// PackChange is a change to the business overview (guide 2.1: internal and
// external issues, interested parties and their requirements) in the
// period since the last review.
type PackChange struct {
	Kind   string `json:"kind"`   // overview entry kind
	Name   string `json:"name"`   // entry name
	Action string `json:"action"` // create, update, delete
	On     Date   `json:"on"`
}

// PackNC is a nonconformity as the pack shows it.
type PackNC struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	Source      NCSource `json:"source"`
	SourceRef   string   `json:"source_ref"`
	Status      NCStatus `json:"status"`
	DetectedOn  Date     `json:"detected_on"`
	OwnerName   string   `json:"owner_name"`
	Actions     int      `json:"actions"`
	ActionsDone int      `json:"actions_done"`
	Overdue     int      `json:"actions_overdue"`
}

// PackPoint is one measured value of an indicator.
type PackPoint struct {
	On    Date    `json:"on"`
	Value float64 `json:"value"`
}

// PackIndicator is an indicator with its values in the period, for the
// trend chart, and its threshold breaches.
type PackIndicator struct {
	ReportIndicator
	Unit string `json:"unit"`
	// The target and thresholds as numbers, for the chart.
	TargetValue *float64    `json:"target_value"`
	Warning     *float64    `json:"warning"`
	Breach      *float64    `json:"breach"`
	Points      []PackPoint `json:"points"`
	Breaches    int         `json:"breaches"` // in the period
}

// PackRisk summarises the risk assessment and the treatment plan.
type PackRisk struct {
	Risks        int             `json:"risks"`
	AboveAccept  int             `json:"above_acceptance"` // residual score above the accepted level and not accepted
	Accepted     int             `json:"accepted"`
	TasksOpen    int             `json:"tasks_open"`
	TasksOverdue int             `json:"tasks_overdue"`
	TasksDone    int             `json:"tasks_done"` // completed in the period
	Overdue      []ReportOverdue `json:"overdue"`
}

// Empty reports whether there is nothing recorded about risk.
func (r PackRisk) Empty() bool { return r.Risks == 0 && r.TasksOpen == 0 && r.TasksDone == 0 }

// PackImprovement is an opportunity for improvement.
type PackImprovement struct {
	ID        int64             `json:"id"`
	Title     string            `json:"title"`
	Area      ImprovementArea   `json:"area"`
	Status    ImprovementStatus `json:"status"`
	OwnerName string            `json:"owner_name"`
	DueOn     *Date             `json:"due_on"`
}

// PackAudit is an internal audit (clause 9.2) held in the period.
type PackAudit struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	HeldTo        Date   `json:"held_to"`
	LeadAuditor   string `json:"lead_auditor"`
	Approved      bool   `json:"report_approved"`
	Conclusion    string `json:"conclusion"`
	Major         int    `json:"major_nonconformities"`
	Minor         int    `json:"minor_nonconformities"`
	Observations  int    `json:"observations"`
	Opportunities int    `json:"opportunities"`
	Path          string `json:"path"` // below /orgs/{id}
}

// ReviewPack is what management reviews: every input of clause 9.3.2
// assembled from the records for the period From..AsOf.
type ReviewPack struct {
	AsOf            Date              `json:"as_of"`
	From            Date              `json:"from"`
	PreviousActions []PackAction      `json:"previous_actions"`
	ContextChanges  []PackChange      `json:"context_changes"`
	Nonconformities []PackNC          `json:"nonconformities"`
	Indicators      []PackIndicator   `json:"indicators"`
	Audits          []PackAudit       `json:"audits"`        // internal audits held in the period
	AuditResults    []PackNC          `json:"audit_results"` // nonconformities from audits
	Objectives      []ReportObjective `json:"objectives"`
	Feedback        string            `json:"feedback"`
	Risk            PackRisk          `json:"risk"`
	Improvements    []PackImprovement `json:"improvements"`
	ThreatLandscape string            `json:"threat_landscape"`
	// NothingToReport are the inputs the coordinator declared as having
	// nothing to report: present although empty.
	NothingToReport []string `json:"nothing_to_report"`
}

// HasContent reports whether the records give the input something to show.
func (p *ReviewPack) HasContent(input string) bool {
	switch input {
	case InputPreviousActions:
		return len(p.PreviousActions) > 0
	case InputContextChanges:
		return len(p.ContextChanges) > 0
	case InputNonconformities:
		return len(p.Nonconformities) > 0
	case InputMeasurement:
		return len(p.Indicators) > 0
	case InputAudit:
		return len(p.AuditResults) > 0 || len(p.Audits) > 0
	case InputObjectives:
		return len(p.Objectives) > 0
	case InputFeedback:
		return p.Feedback != ""
	case InputRisk:
		return !p.Risk.Empty()
	case InputImprovement:
		return len(p.Improvements) > 0
	case InputThreats:
		return p.ThreatLandscape != ""
	}
	return false
}

// Declared reports whether the coordinator declared nothing to report.
func (p *ReviewPack) Declared(input string) bool { return slices.Contains(p.NothingToReport, input) }

// Present reports whether the input is present in the pack: with content,
// or explicitly "nothing to report".
func (p *ReviewPack) Present(input string) bool { return p.HasContent(input) || p.Declared(input) }

// Missing lists the inputs not present, in order.
func (p *ReviewPack) Missing() []string {
	var out []string
	for _, k := range ReviewInputs {
		if !p.Present(k) {
			out = append(out, k)
		}
	}
	return out
}

// ManagementReview is one management review with its pack and decisions.
type ManagementReview struct {
	ID              int64        `json:"id"`
	OrganisationID  int64        `json:"organisation_id"`
	Title           string       `json:"title"`
	ReviewDate      Date         `json:"review_date"` // the meeting's day
	ForumID         *int64       `json:"forum_id"`
	ForumName       string       `json:"forum_name"`
	Status          ReviewStatus `json:"status"`
	Feedback        string       `json:"feedback"`
	ThreatLandscape string       `json:"threat_landscape"`
	NothingToReport []string     `json:"nothing_to_report"`
	Minutes         string       `json:"minutes"`
	// Pack is the frozen pack once sent; nil in a draft (see
	// ManagementReviewPack for the live one).
	Pack         *ReviewPack       `json:"pack"`
	Checksum     string            `json:"checksum"` // SHA-256 of the frozen pack's JSON, hex
	FrozenAt     *time.Time        `json:"frozen_at"`
	FrozenBy     *int64            `json:"frozen_by"`
	FrozenByName string            `json:"frozen_by_name"`
	Decisions    []*ReviewDecision `json:"decisions"`
	Version      int64             `json:"version"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// Frozen reports whether the pack was sent and is frozen.
func (r *ManagementReview) Frozen() bool { return r.Pack != nil }

// ManagementReviewInput is what the coordinator sets on a review.
type ManagementReviewInput struct {
	Title           string   `json:"title"`
	ReviewDate      *Date    `json:"review_date"`
	ForumID         *int64   `json:"forum_id"`
	Feedback        string   `json:"feedback"`
	ThreatLandscape string   `json:"threat_landscape"`
	NothingToReport []string `json:"nothing_to_report"`
	Minutes         string   `json:"minutes"`
	Version         int64    `json:"version"`
}

// ReviewDecision is an output of a review, followed up like a committee's
// decision.
type ReviewDecision struct {
	ID        int64              `json:"id"`
	ReviewID  int64              `json:"review_id"`
	Review    string             `json:"review"`
	Kind      ReviewDecisionKind `json:"kind"`
	Text      string             `json:"decision"`
	OwnerID   int64              `json:"owner_id"`
	OwnerName string             `json:"owner_name"`
	DueOn     *Date              `json:"due_on"`
	Status    FollowUp           `json:"status"`
	Note      string             `json:"follow_up_note"`
	Version   int64              `json:"version"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Overdue reports whether an unfinished decision is past its date.
func (d *ReviewDecision) Overdue(today Date) bool {
	return d.Status != FollowUpDone && d.DueOn != nil && d.DueOn.Before(today)
}

// ReviewDecisionInput is what management sets on a decision.
type ReviewDecisionInput struct {
	Kind    ReviewDecisionKind `json:"kind"`
	Text    string             `json:"decision"`
	OwnerID *int64             `json:"owner_id"`
	DueOn   *Date              `json:"due_on"`
	Status  FollowUp           `json:"status"`
	Note    string             `json:"follow_up_note"`
	Version int64              `json:"version"`
}

// AssignedItem is an open item assigned to a person: what the per-person
// inbox and reminders list.
type AssignedItem struct {
	OwnerID int64  `json:"owner_id"`
	Due     *Date  `json:"due"`
	Title   string `json:"title"`
	Path    string `json:"path"` // below /orgs/{id}
}

// ManagementReviewService keeps the management reviews.
type ManagementReviewService interface {
	ManagementReviews(ctx context.Context, orgID int64) ([]*ManagementReview, error)
	ManagementReview(ctx context.Context, orgID, id int64) (*ManagementReview, error)
	// ManagementReviewPack is the review's pack: the frozen one once
	// sent, otherwise assembled from the records as they are now.
	ManagementReviewPack(ctx context.Context, orgID, id int64) (*ReviewPack, error)
	CreateManagementReview(ctx context.Context, orgID int64, in ManagementReviewInput) (*ManagementReview, error)
	UpdateManagementReview(ctx context.Context, orgID, id int64, in ManagementReviewInput) (*ManagementReview, error)
	// SendManagementReview freezes the pack with its checksum; once only.
	SendManagementReview(ctx context.Context, orgID, id, version int64) (*ManagementReview, error)
	// HoldManagementReview records that the meeting was held.
	HoldManagementReview(ctx context.Context, orgID, id, version int64) (*ManagementReview, error)
	DeleteManagementReview(ctx context.Context, orgID, id, version int64) error

	ReviewDecisions(ctx context.Context, orgID int64, openOnly bool) ([]*ReviewDecision, error)
	CreateReviewDecision(ctx context.Context, orgID, reviewID int64, in ReviewDecisionInput) (*ReviewDecision, error)
	UpdateReviewDecision(ctx context.Context, orgID, id int64, in ReviewDecisionInput) (*ReviewDecision, error)
	DeleteReviewDecision(ctx context.Context, orgID, id, version int64) error
	// ReviewAssignedItems lists the open decisions with their owners, for
	// the per-person inbox.
	ReviewAssignedItems(ctx context.Context, orgID int64) ([]AssignedItem, error)
}
