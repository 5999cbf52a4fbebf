package isms

import (
	"context"
	"slices"
	"time"
)

// The communication plan (guide 2.7, ISO/IEC 27001 clause 7.4): for each
// kind of communication about information security, what is communicated,
// when (on a schedule or on an event), to whom, by whom, through which
// channel, whether it leaves the organisation, and how confidential the
// content is. The person responsible for an entry acknowledges it, so the
// plan shows that responsibility has been both assigned and communicated
// (checklist question 5.2).

// Direction says whether communication stays inside the organisation.
type Direction string

const (
	DirectionInternal Direction = "internal"
	DirectionExternal Direction = "external"
)

// Directions lists the directions in order.
var Directions = []Direction{DirectionInternal, DirectionExternal}

// Valid reports whether d is a known direction.
func (d Direction) Valid() bool { return slices.Contains(Directions, d) }

// Sensitivity is how confidential the content of a communication is.
// External communication about security is to be tightly controlled
// (guide 2.7): it can reveal vulnerabilities and how safeguards work.
type Sensitivity string

const (
	SensitivityPublic       Sensitivity = "public"
	SensitivityInternal     Sensitivity = "internal"
	SensitivityConfidential Sensitivity = "confidential"
)

// Sensitivities lists the levels in order.
var Sensitivities = []Sensitivity{SensitivityPublic, SensitivityInternal, SensitivityConfidential}

// Valid reports whether s is a known level.
func (s Sensitivity) Valid() bool { return slices.Contains(Sensitivities, s) }

// Timing is when communication happens: on an event (with the trigger in
// words) or on a schedule.
type Timing string

const (
	TimingEvent      Timing = "event"
	TimingWeekly     Timing = "weekly"
	TimingMonthly    Timing = "monthly"
	TimingQuarterly  Timing = "quarterly"
	TimingHalfYearly Timing = "half_yearly"
	TimingYearly     Timing = "yearly"
)

// Timings lists the timings in order.
var Timings = []Timing{TimingEvent, TimingWeekly, TimingMonthly, TimingQuarterly, TimingHalfYearly, TimingYearly}

// Valid reports whether t is a known timing.
func (t Timing) Valid() bool { return slices.Contains(Timings, t) }

// CommunicationCase is one of the typical situations the guide names, used
// as a template for a new entry and as a tag that says which situation an
// entry covers. Its texts are in the message catalogue
// ("comm.case.<key>…").
type CommunicationCase struct {
	Key         string
	Direction   Direction
	Timing      Timing
	Sensitivity Sensitivity
	// Essential cases must be covered for the plan to count as adopted
	// guidelines for internal and external communication (checklist 5.1).
	Essential bool
}

// CommunicationCases are the guide's typical cases, in its order.
var CommunicationCases = []CommunicationCase{
	{"supplier_exchange", DirectionExternal, TimingEvent, SensitivityConfidential, false},
	{"breach_notice", DirectionExternal, TimingEvent, SensitivityPublic, true},
	{"breach_authority", DirectionExternal, TimingEvent, SensitivityConfidential, false},
	{"emergency_notice", DirectionExternal, TimingEvent, SensitivityPublic, false},
	{"management_reporting", DirectionInternal, TimingQuarterly, SensitivityConfidential, true},
	{"risk_consultation", DirectionInternal, TimingYearly, SensitivityConfidential, false},
	{"staff_notice", DirectionInternal, TimingEvent, SensitivityInternal, true},
}

// CommunicationCaseByKey finds a case.
func CommunicationCaseByKey(key string) (CommunicationCase, bool) {
	for _, c := range CommunicationCases {
		if c.Key == key {
			return c, true
		}
	}
	return CommunicationCase{}, false
}

// CommunicationEntry is one line of the communication plan.
type CommunicationEntry struct {
	ID             int64       `json:"id"`
	OrganisationID int64       `json:"organisation_id"`
	CaseKey        string      `json:"case_key"` // the guide's case it covers, "" for none
	What           string      `json:"what"`
	KeyPoints      string      `json:"key_points"`
	Timing         Timing      `json:"timing"`
	TriggerEvent   string      `json:"trigger_event"` // what sets it off (for timing "event") or when in the period
	ResponseTime   string      `json:"response_time"` // e.g. "within 72 hours"
	Audience       string      `json:"audience"`
	Channel        string      `json:"channel"`
	Direction      Direction   `json:"direction"`
	Sensitivity    Sensitivity `json:"sensitivity"`
	ResponsibleID  *int64      `json:"responsible_id"`
	// ResponsibleName is empty when no one is responsible.
	ResponsibleName string `json:"responsible_name"`
	// ResponsibleMember is false when the responsible person has left the
	// organisation.
	ResponsibleMember bool        `json:"responsible_member"`
	SenderRoleID      *int64      `json:"sender_role_id"` // the security role that communicates, if any
	SenderRoleName    string      `json:"sender_role_name"`
	Status            EntryStatus `json:"status"`
	// AssignedAt is when the current responsibility began: the entry was
	// given to its responsible person, or its substance last changed.
	AssignedAt         *time.Time `json:"assigned_at"`
	AcknowledgedBy     *int64     `json:"acknowledged_by"`
	AcknowledgedByName string     `json:"acknowledged_by_name"`
	AcknowledgedAt     *time.Time `json:"acknowledged_at"`
	Version            int64      `json:"version"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// AcknowledgeWithin is how long a responsible person has to acknowledge
// an entry before it shows as overdue.
const AcknowledgeWithin = 14 // days

// Acknowledged reports whether the responsible person has acknowledged
// the entry as it stands.
func (e *CommunicationEntry) Acknowledged() bool {
	return e.ResponsibleID != nil && e.AcknowledgedBy != nil && *e.AcknowledgedBy == *e.ResponsibleID && e.AcknowledgedAt != nil
}

// AwaitsAcknowledgement reports whether the entry waits for its
// responsible person to acknowledge it.
func (e *CommunicationEntry) AwaitsAcknowledgement() bool {
	return e.Status != StatusRetired && e.ResponsibleID != nil && e.ResponsibleMember && !e.Acknowledged()
}

// AcknowledgeBy is the day by which the acknowledgement is expected.
func (e *CommunicationEntry) AcknowledgeBy() Date {
	if e.AssignedAt == nil {
		return DateOf(e.UpdatedAt).AddDays(AcknowledgeWithin)
	}
	return DateOf(*e.AssignedAt).AddDays(AcknowledgeWithin)
}

// CommunicationEntryInput is what a caller sets on an entry. Changing the
// responsible person or the substance (everything but the status) asks
// the responsible person to acknowledge the entry again.
type CommunicationEntryInput struct {
	CaseKey       string      `json:"case_key"`
	What          string      `json:"what"`
	KeyPoints     string      `json:"key_points"`
	Timing        Timing      `json:"timing"`
	TriggerEvent  string      `json:"trigger_event"`
	ResponseTime  string      `json:"response_time"`
	Audience      string      `json:"audience"`
	Channel       string      `json:"channel"`
	Direction     Direction   `json:"direction"`
	Sensitivity   Sensitivity `json:"sensitivity"`
	ResponsibleID *int64      `json:"responsible_id"`
	SenderRoleID  *int64      `json:"sender_role_id"`
	Status        EntryStatus `json:"status"`
	Version       int64       `json:"version"`
}

// CommunicationFilter narrows and orders the plan.
type CommunicationFilter struct {
	Direction     Direction
	Status        EntryStatus
	CaseKey       string
	ResponsibleID int64
	// PendingFor lists only the entries that wait for this user's
	// acknowledgement.
	PendingFor int64
	Query      string // matched against what, key points and audience
	Sort       string // what, direction, timing, responsible, status (prefix "-" for descending)
	Offset     int
	Limit      int
}

// CommunicationService keeps the communication plan (guide 2.7).
type CommunicationService interface {
	CommunicationEntries(ctx context.Context, orgID int64, f CommunicationFilter) ([]*CommunicationEntry, int, error)
	CommunicationEntry(ctx context.Context, orgID, id int64) (*CommunicationEntry, error)
	CreateCommunicationEntry(ctx context.Context, orgID int64, in CommunicationEntryInput) (*CommunicationEntry, error)
	UpdateCommunicationEntry(ctx context.Context, orgID, id int64, in CommunicationEntryInput) (*CommunicationEntry, error)
	DeleteCommunicationEntry(ctx context.Context, orgID, id, version int64) error
	// AcknowledgeCommunication records that the responsible person has
	// taken on the entry as it stands (version).
	AcknowledgeCommunication(ctx context.Context, orgID, id, version int64) (*CommunicationEntry, error)
}
