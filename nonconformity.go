package isms

import (
	"context"
	"slices"
	"time"
)

// Nonconformities and corrective action (guide 2.10, ISO/IEC 27001
// clause 10.2): what was found not to meet a requirement, where it came
// from, the immediate correction, the analysis of its cause, whether
// similar nonconformities exist or could occur, the corrective actions
// and the review of whether they worked.
//
// The status is derived from what has been recorded, never set by hand,
// so it cannot disagree with the record:
//
//	open      no root cause recorded yet
//	analysed  a root cause, but no corrective action and no justified "no action needed"
//	actions   corrective actions not all done, or the last effectiveness review found them not effective
//	review    every action done (or none needed): awaiting a review that finds them effective
//	closed    closed after an effective review
//
// Closing is an act of its own (CloseNonconformity) that requires a cause
// analysis, at least one action with every action done or a justified
// "no action needed", and an effectiveness review that says effective. A
// review that finds the actions not effective puts the nonconformity back
// to actions; adding a new action then clears that review so the new
// actions get a review of their own (the audit trail keeps the old one).
//
// A nonconformity's source may be a record of this product or a text
// reference: a committee decision links the decision itself
// (SourceDecisionID), an incident the incident record (SourceIncidentID),
// a supplier's the supervision that found it (SourceSupervisionID);
// internal audits have no register yet, so their source is a text
// reference (SourceRef) such as a report number.

// NCSource is where a nonconformity was found.
type NCSource string

const (
	NCSourceIncident    NCSource = "incident"
	NCSourceSupplier    NCSource = "supplier"
	NCSourceDecision    NCSource = "decision"
	NCSourceReport      NCSource = "report"
	NCSourceAudit       NCSource = "audit"
	NCSourceMeasurement NCSource = "measurement"
	NCSourceOther       NCSource = "other"
)

// NCSources lists the sources in order.
var NCSources = []NCSource{NCSourceIncident, NCSourceSupplier, NCSourceDecision, NCSourceReport, NCSourceAudit, NCSourceMeasurement, NCSourceOther}

// Valid reports whether s is a known source.
func (s NCSource) Valid() bool { return slices.Contains(NCSources, s) }

// NCRequirementKind says what kind of requirement was not met.
type NCRequirementKind string

const (
	NCReqClause  NCRequirementKind = "clause"  // a clause of ISO/IEC 27001
	NCReqControl NCRequirementKind = "control" // an Annex A control
	NCReqOwn     NCRequirementKind = "own"     // the organisation's own requirement
)

// NCRequirementKinds lists the kinds in order.
var NCRequirementKinds = []NCRequirementKind{NCReqClause, NCReqControl, NCReqOwn}

// Valid reports whether k is a known kind.
func (k NCRequirementKind) Valid() bool { return slices.Contains(NCRequirementKinds, k) }

// NCMethod is how the cause was analysed.
type NCMethod string

const (
	NCMethodNone     NCMethod = ""
	NCMethodFiveWhys NCMethod = "five_whys"
	NCMethodFishbone NCMethod = "fishbone"
	NCMethodOther    NCMethod = "other"
)

// NCMethods lists the analysis methods in order.
var NCMethods = []NCMethod{NCMethodFiveWhys, NCMethodFishbone, NCMethodOther}

// Valid reports whether m is a known method or none.
func (m NCMethod) Valid() bool { return m == NCMethodNone || slices.Contains(NCMethods, m) }

// NCStatus is where a nonconformity stands (derived; see above).
type NCStatus string

const (
	NCOpen     NCStatus = "open"
	NCAnalysed NCStatus = "analysed"
	NCActions  NCStatus = "actions"
	NCReview   NCStatus = "review"
	NCClosed   NCStatus = "closed"
)

// NCStatuses lists the statuses in order.
var NCStatuses = []NCStatus{NCOpen, NCAnalysed, NCActions, NCReview, NCClosed}

// Valid reports whether s is a known status.
func (s NCStatus) Valid() bool { return slices.Contains(NCStatuses, s) }

// MaxWhys is how many why-answers a five-whys analysis holds.
const MaxWhys = 5

// NCAction is one corrective action.
type NCAction struct {
	ID        int64  `json:"id"`
	Action    string `json:"action"`
	OwnerID   *int64 `json:"owner_id"`
	OwnerName string `json:"owner_name"`
	DueOn     *Date  `json:"due_on"`
	DoneOn    *Date  `json:"done_on"`
}

// Overdue reports whether an action not done has passed its due date.
func (a *NCAction) Overdue(today Date) bool {
	return a.DoneOn == nil && a.DueOn != nil && a.DueOn.Before(today)
}

// Nonconformity is one nonconformity with its correction, analysis,
// actions and review.
type Nonconformity struct {
	ID                 int64    `json:"id"`
	OrganisationID     int64    `json:"organisation_id"`
	Title              string   `json:"title"`
	Source             NCSource `json:"source"`
	SourceDecisionID   *int64   `json:"source_decision_id"`
	SourceDecisionText string   `json:"source_decision_text"`
	SourceRef          string   `json:"source_ref"`
	// The incident record an incident's nonconformity came from, and the
	// supervision record a supplier's came from (either may be absent:
	// older ones carry a text reference only).
	SourceIncidentID      *int64            `json:"source_incident_id"`
	SourceIncidentTitle   string            `json:"source_incident_title"`
	SourceSupervisionID   *int64            `json:"source_supervision_id"`
	SourceSupervisionText string            `json:"source_supervision_text"` // the supplier and the supervision's planned day
	RequirementKind       NCRequirementKind `json:"requirement_kind"`
	Requirement           string            `json:"requirement"`
	Description           string            `json:"description"`
	DetectedOn            Date              `json:"detected_on"`
	ReportedBy            string            `json:"reported_by"`
	OwnerID               *int64            `json:"owner_id"`
	OwnerName             string            `json:"owner_name"`
	Correction            string            `json:"correction"`
	CorrectionOn          *Date             `json:"correction_on"`
	Method                NCMethod          `json:"method"`
	Whys                  []string          `json:"whys"`
	RootCause             string            `json:"root_cause"`
	SimilarExist          *bool             `json:"similar_exist"`
	SimilarCouldOccur     *bool             `json:"similar_could_occur"`
	SimilarNote           string            `json:"similar_note"`
	NoActionNeeded        bool              `json:"no_action_needed"`
	NoActionReason        string            `json:"no_action_reason"`
	Actions               []NCAction        `json:"actions"`
	ReviewPlannedOn       *Date             `json:"review_planned_on"`
	ReviewedOn            *Date             `json:"reviewed_on"`
	Effective             *bool             `json:"effective"`
	ReviewNote            string            `json:"review_note"`
	ClosedOn              *Date             `json:"closed_on"`
	Status                NCStatus          `json:"status"`
	Version               int64             `json:"version"`
	CreatedAt             time.Time         `json:"created_at"`
	UpdatedAt             time.Time         `json:"updated_at"`
}

// ActionsDone reports whether there is at least one action and every one
// is done.
func (n *Nonconformity) ActionsDone() bool {
	if len(n.Actions) == 0 {
		return false
	}
	for _, a := range n.Actions {
		if a.DoneOn == nil {
			return false
		}
	}
	return true
}

// DeriveStatus works the status out from what is recorded.
func (n *Nonconformity) DeriveStatus() NCStatus {
	switch {
	case n.ClosedOn != nil:
		return NCClosed
	case n.RootCause == "":
		return NCOpen
	case len(n.Actions) == 0 && !n.NoActionNeeded:
		return NCAnalysed
	case n.Effective != nil && !*n.Effective:
		return NCActions
	case len(n.Actions) > 0 && !n.ActionsDone():
		return NCActions
	}
	return NCReview
}

// Overdue reports whether any action not done, or a planned review not
// held, has passed its date.
func (n *Nonconformity) Overdue(today Date) bool {
	if n.ClosedOn != nil {
		return false
	}
	for i := range n.Actions {
		if n.Actions[i].Overdue(today) {
			return true
		}
	}
	return n.ReviewOverdue(today)
}

// ReviewOverdue reports whether a planned effectiveness review has passed
// its date without a review recorded.
func (n *Nonconformity) ReviewOverdue(today Date) bool {
	return n.ClosedOn == nil && n.ReviewedOn == nil && n.ReviewPlannedOn != nil && n.ReviewPlannedOn.Before(today)
}

// NCActionInput is a corrective action as a caller sets it; ID 0 is a new
// action. Actions left out of the input are removed.
type NCActionInput struct {
	ID      int64  `json:"id"`
	Action  string `json:"action"`
	OwnerID *int64 `json:"owner_id"`
	DueOn   *Date  `json:"due_on"`
	DoneOn  *Date  `json:"done_on"`
}

// NonconformityInput is what a caller sets on a nonconformity.
type NonconformityInput struct {
	Title               string            `json:"title"`
	Source              NCSource          `json:"source"`
	SourceDecisionID    *int64            `json:"source_decision_id"`
	SourceRef           string            `json:"source_ref"`
	SourceIncidentID    *int64            `json:"source_incident_id"`
	SourceSupervisionID *int64            `json:"source_supervision_id"`
	RequirementKind     NCRequirementKind `json:"requirement_kind"`
	Requirement         string            `json:"requirement"`
	Description         string            `json:"description"`
	DetectedOn          *Date             `json:"detected_on"`
	ReportedBy          string            `json:"reported_by"`
	OwnerID             *int64            `json:"owner_id"`
	Correction          string            `json:"correction"`
	CorrectionOn        *Date             `json:"correction_on"`
	Method              NCMethod          `json:"method"`
	Whys                []string          `json:"whys"`
	RootCause           string            `json:"root_cause"`
	SimilarExist        *bool             `json:"similar_exist"`
	SimilarCouldOccur   *bool             `json:"similar_could_occur"`
	SimilarNote         string            `json:"similar_note"`
	NoActionNeeded      bool              `json:"no_action_needed"`
	NoActionReason      string            `json:"no_action_reason"`
	Actions             []NCActionInput   `json:"actions"`
	ReviewPlannedOn     *Date             `json:"review_planned_on"`
	ReviewedOn          *Date             `json:"reviewed_on"`
	Effective           *bool             `json:"effective"`
	ReviewNote          string            `json:"review_note"`
	Version             int64             `json:"version"`
}

// NonconformityFilter narrows and orders the nonconformities.
type NonconformityFilter struct {
	Status  NCStatus
	Source  NCSource
	OwnerID int64
	// IncidentID lists only the nonconformities raised from this incident.
	IncidentID int64
	// NotClosed lists only nonconformities not yet closed.
	NotClosed bool
	Query     string // matched against title, description and root cause
	Sort      string // title, detected, owner, updated (prefix "-" for descending)
	Offset    int
	Limit     int
}

// NonconformityService keeps the nonconformities (guide 2.10).
type NonconformityService interface {
	Nonconformities(ctx context.Context, orgID int64, f NonconformityFilter) ([]*Nonconformity, int, error)
	Nonconformity(ctx context.Context, orgID, id int64) (*Nonconformity, error)
	CreateNonconformity(ctx context.Context, orgID int64, in NonconformityInput) (*Nonconformity, error)
	UpdateNonconformity(ctx context.Context, orgID, id int64, in NonconformityInput) (*Nonconformity, error)
	DeleteNonconformity(ctx context.Context, orgID, id, version int64) error
	// CloseNonconformity closes a nonconformity whose analysis, actions
	// and effective review are recorded; otherwise it names what is
	// missing by field.
	CloseNonconformity(ctx context.Context, orgID, id, version int64) (*Nonconformity, error)
	// ReopenNonconformity takes a closed nonconformity back into work.
	ReopenNonconformity(ctx context.Context, orgID, id, version int64) (*Nonconformity, error)
}

// YesNo writes a yes/no answer that may not be given as "yes", "no" or "".
func (n *Nonconformity) YesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

// DoneActions counts the corrective actions done.
func (n *Nonconformity) DoneActions() int {
	done := 0
	for _, a := range n.Actions {
		if a.DoneOn != nil {
			done++
		}
	}
	return done
}

func idOf(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// SourceDecision, SourceIncident and SourceSupervision are the source
// records' ids, 0 for none: the form a page's links are written with.
func (n *Nonconformity) SourceDecision() int64    { return idOf(n.SourceDecisionID) }
func (n *Nonconformity) SourceIncident() int64    { return idOf(n.SourceIncidentID) }
func (n *Nonconformity) SourceSupervision() int64 { return idOf(n.SourceSupervisionID) }
