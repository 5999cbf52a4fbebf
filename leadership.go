package isms

import (
	"context"
	"slices"
	"time"
)

// Leadership (guide 2.2, ISO/IEC 27001 clause 5): the security roles and
// who holds them, the responsibility matrix (RACI) over the ISMS
// activities, the list's approval by management, and the forums (the
// security committee and others) with their members, meetings, agendas
// and decisions. Agenda items and decisions are tagged with the seven
// management topics, so the committee's work shows when management last
// dealt with each topic and when it next will.

// RoleTemplates are the security roles the guide and ISO/IEC 27001 lead
// an organisation to name, offered so the coordinator can add them with
// one click. Their names and descriptions are in the message catalogue
// ("lead.role.<key>" and "lead.role.<key>.desc").
var RoleTemplates = []string{
	"top_management", // den øverste ledelse
	"security_owner", // informationssikkerhedsansvarlig (ejer af ISMS'et)
	"coordinator",    // informationssikkerhedskoordinator
	"committee",      // sikkerhedsudvalget
	"system_owner",   // systemejere
	"data_owner",     // dataejere
	"dpo",            // databeskyttelsesrådgiver (DPO)
	"it_operations",  // IT-drift
	"all_staff",      // alle medarbejdere
}

// ActivityTemplates are the ISMS activities offered for the
// responsibility matrix ("lead.activity.<key>" in the catalogue).
var ActivityTemplates = []string{
	"policy", "risk_assessment", "soa", "documentation", "annual_wheel", "incident_handling",
	"supplier_management", "awareness", "internal_audit", "management_review", "improvement", "communication",
}

// SecurityRole is one role in the organisation of information security:
// what it is responsible for, who holds it and who stands in.
type SecurityRole struct {
	ID             int64        `json:"id"`
	OrganisationID int64        `json:"organisation_id"`
	TemplateKey    string       `json:"template_key"` // the offered role it was made from, "" for the organisation's own
	Name           string       `json:"name"`
	Description    string       `json:"description"` // the responsibilities, in words
	Holders        []RolePerson `json:"holders"`
	Deputies       []RolePerson `json:"deputies"`
	// SystemIDs are the IT systems of the business overview the role is
	// responsible for (for system owners).
	SystemIDs []int64   `json:"system_ids"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// RolePerson is a member who holds or deputises for a role.
type RolePerson struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	// Member is false when the person has since left the organisation:
	// the role needs a new holder.
	Member bool `json:"member"`
}

// HolderIDs returns the ids of the holders.
func (r *SecurityRole) HolderIDs() []int64 { return personIDs(r.Holders) }

// DeputyIDs returns the ids of the deputies.
func (r *SecurityRole) DeputyIDs() []int64 { return personIDs(r.Deputies) }

// Vacant reports whether no current member holds the role.
func (r *SecurityRole) Vacant() bool {
	return !slices.ContainsFunc(r.Holders, func(p RolePerson) bool { return p.Member })
}

func personIDs(ps []RolePerson) []int64 {
	out := make([]int64, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.UserID)
	}
	return out
}

// SecurityRoleInput is what a caller sets on a role.
type SecurityRoleInput struct {
	TemplateKey string  `json:"template_key"` // only on creation
	Name        string  `json:"name"`
	Description string  `json:"description"`
	HolderIDs   []int64 `json:"holder_ids"`
	DeputyIDs   []int64 `json:"deputy_ids"`
	SystemIDs   []int64 `json:"system_ids"`
	Version     int64   `json:"version"`
}

// RoleHoldersInput sets who holds a role and who stands in.
type RoleHoldersInput struct {
	HolderIDs []int64 `json:"holder_ids"`
	DeputyIDs []int64 `json:"deputy_ids"`
	Version   int64   `json:"version"`
}

// ISMSActivity is one activity of the ISMS that the responsibility matrix
// assigns (policy, risk assessment, internal audit, …).
type ISMSActivity struct {
	ID             int64     `json:"id"`
	OrganisationID int64     `json:"organisation_id"`
	TemplateKey    string    `json:"template_key"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ISMSActivityInput is what a caller sets on an activity.
type ISMSActivityInput struct {
	TemplateKey string `json:"template_key"` // only on creation
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     int64  `json:"version"`
}

// RACI is what a role is for an activity: Responsible (does the work),
// Accountable (answers for it; exactly one per activity), both, Consulted
// or Informed.
type RACI string

const (
	RACIResponsible            RACI = "R"
	RACIAccountable            RACI = "A"
	RACIAccountableResponsible RACI = "AR"
	RACIConsulted              RACI = "C"
	RACIInformed               RACI = "I"
)

// RACIValues lists the values a cell of the matrix may take.
var RACIValues = []RACI{RACIResponsible, RACIAccountable, RACIAccountableResponsible, RACIConsulted, RACIInformed}

// Valid reports whether v is a known value.
func (v RACI) Valid() bool { return slices.Contains(RACIValues, v) }

// Accountable reports whether the role answers for the activity.
func (v RACI) Accountable() bool { return v == RACIAccountable || v == RACIAccountableResponsible }

// Responsible reports whether the role does the work.
func (v RACI) Responsible() bool { return v == RACIResponsible || v == RACIAccountableResponsible }

// MatrixCell is one role's part in one activity.
type MatrixCell struct {
	ActivityID int64 `json:"activity_id"`
	RoleID     int64 `json:"role_id"`
	Value      RACI  `json:"value"`
}

// RolesList is the list of roles and responsibilities as a whole: the
// roles, the activities and the matrix between them, with its version and
// management's approval of a version (checklist question 2.4).
type RolesList struct {
	Roles           []*SecurityRole `json:"roles"`
	Activities      []*ISMSActivity `json:"activities"`
	Cells           []MatrixCell    `json:"cells"`
	Version         int64           `json:"version"` // rises with every change to roles, holders, activities or the matrix
	ApprovedVersion int64           `json:"approved_version"`
	ApprovedBy      *int64          `json:"approved_by"`
	ApprovedByName  string          `json:"approved_by_name"`
	ApprovedAt      *time.Time      `json:"approved_at"`
	UpdatedAt       *time.Time      `json:"updated_at"`
}

// Approved reports whether management approved the current version.
func (l *RolesList) Approved() bool {
	return l.ApprovedAt != nil && l.Version > 0 && l.ApprovedVersion == l.Version
}

// Cell returns a role's value for an activity, "" when it has none.
func (l *RolesList) Cell(activityID, roleID int64) RACI {
	for _, c := range l.Cells {
		if c.ActivityID == activityID && c.RoleID == roleID {
			return c.Value
		}
	}
	return ""
}

// Accountable returns the number of accountable roles of an activity.
func (l *RolesList) Accountable(activityID int64) int {
	n := 0
	for _, c := range l.Cells {
		if c.ActivityID == activityID && c.Value.Accountable() {
			n++
		}
	}
	return n
}

// Complete reports whether every activity has exactly one accountable role.
func (l *RolesList) Complete() bool {
	for _, a := range l.Activities {
		if l.Accountable(a.ID) != 1 {
			return false
		}
	}
	return len(l.Activities) > 0
}

// MatrixInput replaces the whole responsibility matrix at once. Version is
// the roles list's version the form was based on.
type MatrixInput struct {
	Cells   []MatrixCell `json:"cells"`
	Version int64        `json:"version"`
}

// Forum is a body through which management deals with information
// security: the security committee ("sikkerhedsudvalg"), the executive
// board's meeting, a group forum, ….
type Forum struct {
	ID             int64        `json:"id"`
	OrganisationID int64        `json:"organisation_id"`
	Name           string       `json:"name"`
	Mandate        string       `json:"mandate"` // what it decides and reports on, and to whom
	ChairID        *int64       `json:"chair_id"`
	ChairName      string       `json:"chair_name"`
	Members        []RolePerson `json:"members"`
	Version        int64        `json:"version"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// MemberIDs returns the ids of the forum's members.
func (f *Forum) MemberIDs() []int64 { return personIDs(f.Members) }

// ForumInput is what a caller sets on a forum. The chair is always one of
// the members.
type ForumInput struct {
	Name      string  `json:"name"`
	Mandate   string  `json:"mandate"`
	ChairID   *int64  `json:"chair_id"`
	MemberIDs []int64 `json:"member_ids"`
	Version   int64   `json:"version"`
}

// MeetingStatus is where a meeting is.
type MeetingStatus string

const (
	MeetingPlanned   MeetingStatus = "planned"
	MeetingHeld      MeetingStatus = "held"
	MeetingCancelled MeetingStatus = "cancelled"
)

// MeetingStatuses lists the statuses in order.
var MeetingStatuses = []MeetingStatus{MeetingPlanned, MeetingHeld, MeetingCancelled}

// Valid reports whether s is a known status.
func (s MeetingStatus) Valid() bool { return slices.Contains(MeetingStatuses, s) }

// Meeting is one meeting of a forum with its agenda and minutes.
type Meeting struct {
	ID             int64         `json:"id"`
	OrganisationID int64         `json:"organisation_id"`
	ForumID        int64         `json:"forum_id"`
	ForumName      string        `json:"forum_name"`
	Date           Date          `json:"meeting_date"`
	Status         MeetingStatus `json:"status"`
	Venue          string        `json:"venue"`
	Minutes        string        `json:"minutes"`
	Agenda         []AgendaItem  `json:"agenda"`
	Decisions      []*Decision   `json:"decisions"`
	Version        int64         `json:"version"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// Topics returns the management topics the meeting's agenda and decisions
// touch, in the guide's order.
func (m *Meeting) Topics() []string {
	seen := map[string]bool{}
	for _, a := range m.Agenda {
		for _, t := range a.Topics {
			seen[t] = true
		}
	}
	for _, d := range m.Decisions {
		for _, t := range d.Topics {
			seen[t] = true
		}
	}
	var out []string
	for _, t := range ManagementTopics {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

// Overdue reports whether a planned meeting's day has passed without it
// being recorded as held or cancelled.
func (m *Meeting) Overdue(today Date) bool {
	return m.Status == MeetingPlanned && m.Date.Before(today)
}

// AgendaItem is one item of a meeting's agenda.
type AgendaItem struct {
	ID     int64    `json:"id"`
	Title  string   `json:"title"`
	Notes  string   `json:"notes"`
	Topics []string `json:"management_topics"`
}

// AgendaItemInput is one agenda item as a caller sets it.
type AgendaItemInput struct {
	Title  string   `json:"title"`
	Notes  string   `json:"notes"`
	Topics []string `json:"management_topics"`
}

// MeetingInput is what a caller sets on a meeting; the agenda is replaced
// as a whole, in the order given.
type MeetingInput struct {
	Date    *Date             `json:"meeting_date"`
	Status  MeetingStatus     `json:"status"`
	Venue   string            `json:"venue"`
	Minutes string            `json:"minutes"`
	Agenda  []AgendaItemInput `json:"agenda"`
	Version int64             `json:"version"`
}

// MeetingFilter narrows a listing of meetings.
type MeetingFilter struct {
	ForumID int64
	Status  MeetingStatus
	From    *Date // on or after
	To      *Date // on or before
	Offset  int
	Limit   int
}

// FollowUp is the follow-up status of a decision.
type FollowUp string

const (
	FollowUpOpen       FollowUp = "open"
	FollowUpInProgress FollowUp = "in_progress"
	FollowUpDone       FollowUp = "done"
)

// FollowUps lists the statuses in order.
var FollowUps = []FollowUp{FollowUpOpen, FollowUpInProgress, FollowUpDone}

// Valid reports whether f is a known status.
func (f FollowUp) Valid() bool { return slices.Contains(FollowUps, f) }

// Decision is a decision made at a held meeting, with who carries it out,
// by when, and how the follow-up stands.
type Decision struct {
	ID             int64     `json:"id"`
	OrganisationID int64     `json:"organisation_id"`
	MeetingID      int64     `json:"meeting_id"`
	MeetingDate    Date      `json:"meeting_date"`
	ForumName      string    `json:"forum_name"`
	Text           string    `json:"decision"`
	OwnerID        int64     `json:"owner_id"`
	OwnerName      string    `json:"owner_name"`
	FollowUpBy     *Date     `json:"follow_up_by"`
	Status         FollowUp  `json:"status"`
	FollowUpNote   string    `json:"follow_up_note"`
	Topics         []string  `json:"management_topics"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Overdue reports whether an unfinished decision is past its date.
func (d *Decision) Overdue(today Date) bool {
	return d.Status != FollowUpDone && d.FollowUpBy != nil && d.FollowUpBy.Before(today)
}

// DecisionInput is what a caller sets on a decision.
type DecisionInput struct {
	Text         string   `json:"decision"`
	OwnerID      *int64   `json:"owner_id"`
	FollowUpBy   *Date    `json:"follow_up_by"`
	Status       FollowUp `json:"status"`
	FollowUpNote string   `json:"follow_up_note"`
	Topics       []string `json:"management_topics"`
	Version      int64    `json:"version"`
}

// FollowUpInput records how a decision's follow-up stands; the decision's
// owner may record it as well as the coordinator.
type FollowUpInput struct {
	Status       FollowUp `json:"status"`
	FollowUpNote string   `json:"follow_up_note"`
	Version      int64    `json:"version"`
}

// DecisionFilter narrows a listing of decisions.
type DecisionFilter struct {
	Status    FollowUp
	Open      bool // not done
	Overdue   bool // not done and past the follow-up date
	OwnerID   int64
	DueBefore *Date // not done, follow-up date on or before this day
	Offset    int
	Limit     int
}

// LeadershipService serves leadership (guide 2.2): security roles and who holds them, the responsibility matrix, the security committee.
type LeadershipService interface {
	SecurityRoles(ctx context.Context, orgID int64) ([]*SecurityRole, error)
	SecurityRole(ctx context.Context, orgID, id int64) (*SecurityRole, error)
	CreateSecurityRole(ctx context.Context, orgID int64, in SecurityRoleInput) (*SecurityRole, error)
	// CreateSecurityRoles adds several roles at once (e.g. the offered
	// ones), all or none.
	CreateSecurityRoles(ctx context.Context, orgID int64, in []SecurityRoleInput) ([]*SecurityRole, error)
	UpdateSecurityRole(ctx context.Context, orgID, id int64, in SecurityRoleInput) (*SecurityRole, error)
	SetRoleHolders(ctx context.Context, orgID, id int64, in RoleHoldersInput) (*SecurityRole, error)
	DeleteSecurityRole(ctx context.Context, orgID, id, version int64) error

	ISMSActivities(ctx context.Context, orgID int64) ([]*ISMSActivity, error)
	CreateISMSActivity(ctx context.Context, orgID int64, in ISMSActivityInput) (*ISMSActivity, error)
	CreateISMSActivities(ctx context.Context, orgID int64, in []ISMSActivityInput) ([]*ISMSActivity, error)
	UpdateISMSActivity(ctx context.Context, orgID, id int64, in ISMSActivityInput) (*ISMSActivity, error)
	DeleteISMSActivity(ctx context.Context, orgID, id, version int64) error

	// RolesList reads the roles, activities and matrix as one list.
	RolesList(ctx context.Context, orgID int64) (*RolesList, error)
	SaveMatrix(ctx context.Context, orgID int64, in MatrixInput) (*RolesList, error)
	ApproveRolesList(ctx context.Context, orgID int64, version int64) (*RolesList, error)

	Forums(ctx context.Context, orgID int64) ([]*Forum, error)
	Forum(ctx context.Context, orgID, id int64) (*Forum, error)
	CreateForum(ctx context.Context, orgID int64, in ForumInput) (*Forum, error)
	UpdateForum(ctx context.Context, orgID, id int64, in ForumInput) (*Forum, error)
	DeleteForum(ctx context.Context, orgID, id, version int64) error

	Meetings(ctx context.Context, orgID int64, f MeetingFilter) ([]*Meeting, int, error)
	Meeting(ctx context.Context, orgID, id int64) (*Meeting, error)
	CreateMeeting(ctx context.Context, orgID, forumID int64, in MeetingInput) (*Meeting, error)
	UpdateMeeting(ctx context.Context, orgID, id int64, in MeetingInput) (*Meeting, error)
	DeleteMeeting(ctx context.Context, orgID, id, version int64) error

	Decisions(ctx context.Context, orgID int64, f DecisionFilter) ([]*Decision, int, error)
	Decision(ctx context.Context, orgID, id int64) (*Decision, error)
	CreateDecision(ctx context.Context, orgID, meetingID int64, in DecisionInput) (*Decision, error)
	UpdateDecision(ctx context.Context, orgID, id int64, in DecisionInput) (*Decision, error)
	RecordFollowUp(ctx context.Context, orgID, id int64, in FollowUpInput) (*Decision, error)
	DeleteDecision(ctx context.Context, orgID, id, version int64) error
}
