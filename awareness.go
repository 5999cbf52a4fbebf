package isms

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Awareness and behaviour (guide 2.6, ISO/IEC 27001 clause 7.3): the
// behaviour policy says how staff should act to keep incidents away; an
// awareness programme of campaigns and activities tells them, on the
// guide's themes and the organisation's own, to the target groups that
// need it; participation shows whom it reached, per unit and theme,
// against how many staff each unit has; phishing exercises and quizzes
// show the effect over time.

// The guide's themes (2.6) and the common ones every programme has. An
// activity may also carry the organisation's own theme, in its own words.
const (
	ThemeIncidentReporting   = "incident_reporting"   // how and where to report a security incident
	ThemeInformationHandling = "information_handling" // handling physical and digital information
	ThemeRemoteWork          = "remote_work"          // working from home and on the move
	ThemePhishing            = "phishing"
	ThemePasswords           = "passwords"
)

// AwarenessThemes lists the known themes in the order the UI offers them.
var AwarenessThemes = []string{ThemeIncidentReporting, ThemeInformationHandling, ThemeRemoteWork, ThemePhishing, ThemePasswords}

// GuideThemes are the themes guide 2.6 names: checklist question 4.6 asks
// that staff were reached on each of them.
var GuideThemes = []string{ThemeIncidentReporting, ThemeInformationHandling, ThemeRemoteWork}

// KnownTheme reports whether t is one of AwarenessThemes (and not the
// organisation's own theme).
func KnownTheme(t string) bool { return slices.Contains(AwarenessThemes, t) }

// MaxOwnThemeLength bounds an organisation's own theme.
const MaxOwnThemeLength = 80

// AwarenessChannel is how an activity reaches people.
type AwarenessChannel string

const (
	ChannelELearning AwarenessChannel = "e_learning"
	ChannelMeeting   AwarenessChannel = "meeting" // a talk, a workshop, a staff meeting
	ChannelEmail     AwarenessChannel = "email"   // a newsletter or a mail to staff
	ChannelIntranet  AwarenessChannel = "intranet"
	ChannelPoster    AwarenessChannel = "poster"
	ChannelPhishing  AwarenessChannel = "phishing_exercise" // a simulated phishing mail
	ChannelQuiz      AwarenessChannel = "quiz"
	ChannelOther     AwarenessChannel = "other"
)

// AwarenessChannels lists the channels in the order the UI offers them.
var AwarenessChannels = []AwarenessChannel{ChannelELearning, ChannelMeeting, ChannelEmail, ChannelIntranet, ChannelPoster, ChannelPhishing, ChannelQuiz, ChannelOther}

// Valid reports whether c is a known channel.
func (c AwarenessChannel) Valid() bool { return slices.Contains(AwarenessChannels, c) }

// AwarenessTarget is whom an activity is for.
type AwarenessTarget string

const (
	TargetAllStaff     AwarenessTarget = "all_staff"
	TargetNewEmployees AwarenessTarget = "new_employees"
	TargetUnits        AwarenessTarget = "units" // the activity's UnitIDs
	TargetRoles        AwarenessTarget = "roles" // the holders of the activity's RoleIDs
)

// AwarenessTargets lists the targets in the order the UI offers them.
var AwarenessTargets = []AwarenessTarget{TargetAllStaff, TargetNewEmployees, TargetUnits, TargetRoles}

// Valid reports whether t is a known target.
func (t AwarenessTarget) Valid() bool { return slices.Contains(AwarenessTargets, t) }

// AwarenessStatus is where an activity stands.
type AwarenessStatus string

const (
	AwarenessPlanned   AwarenessStatus = "planned"
	AwarenessRunning   AwarenessStatus = "running"
	AwarenessHeld      AwarenessStatus = "held"
	AwarenessCancelled AwarenessStatus = "cancelled"
)

// AwarenessStatuses lists the statuses in order.
var AwarenessStatuses = []AwarenessStatus{AwarenessPlanned, AwarenessRunning, AwarenessHeld, AwarenessCancelled}

// Valid reports whether s is a known status.
func (s AwarenessStatus) Valid() bool { return slices.Contains(AwarenessStatuses, s) }

// OrgUnit is one unit of the organisation with the number of staff in it.
type OrgUnit struct {
	ID             int64     `json:"id"`
	OrganisationID int64     `json:"organisation_id"`
	Name           string    `json:"name"`
	StaffCount     int       `json:"staff_count"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// AwarenessActivity is one campaign or activity of the awareness
// programme.
type AwarenessActivity struct {
	ID             int64            `json:"id"`
	OrganisationID int64            `json:"organisation_id"`
	Title          string           `json:"title"`
	Description    string           `json:"description"`
	Themes         []string         `json:"themes"`
	Channel        AwarenessChannel `json:"channel"`
	Target         AwarenessTarget  `json:"target"`
	UnitIDs        []int64          `json:"unit_ids"`
	RoleIDs        []int64          `json:"role_ids"`
	StartsOn       Date             `json:"starts_on"`
	EndsOn         *Date            `json:"ends_on"`
	OwnerID        *int64           `json:"owner_id"`
	OwnerName      string           `json:"owner_name"`
	// WheelActivityID is the annual wheel's activity that brings a
	// recurring awareness activity round (a yearly e-learning, a quarterly
	// newsletter); nil for a one-off.
	WheelActivityID    *int64          `json:"wheel_activity_id"`
	WheelActivityTitle string          `json:"wheel_activity_title"`
	Status             AwarenessStatus `json:"status"`
	HeldOn             *Date           `json:"held_on"`
	// A phishing exercise's result.
	ExerciseSent     *int      `json:"exercise_sent"`
	ExerciseClicked  *int      `json:"exercise_clicked"`
	ExerciseReported *int      `json:"exercise_reported"`
	Version          int64     `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	// Filled when one activity is read: how many participations are
	// recorded, and where its wheel activity stands.
	Participations int              `json:"participations"`
	Rhythm         *AwarenessRhythm `json:"rhythm,omitempty"`
}

// AwarenessRhythm is where the annual wheel's activity that brings a
// recurring awareness activity round stands: its next occurrence and
// whether the last one due was done on time.
type AwarenessRhythm struct {
	WheelActivityID int64      `json:"wheel_activity_id"`
	Title           string     `json:"title"`
	Recurrence      Recurrence `json:"recurrence"`
	IntervalMonths  int        `json:"interval_months"`
	Active          bool       `json:"active"` // active and recurring (not ad hoc, not retired)
	// NextID and NextDue are the first open occurrence due today or later.
	NextID  int64 `json:"next_occurrence_id"`
	NextDue *Date `json:"next_due"`
	// The last occurrence due before today: its status, the day it was
	// done, and whether it was done on or before its due date.
	LastID          int64            `json:"last_occurrence_id"`
	LastDue         *Date            `json:"last_due"`
	LastStatus      OccurrenceStatus `json:"last_status"`
	LastCompletedOn *Date            `json:"last_completed_on"`
	LastOnTime      bool             `json:"last_on_time"`
}

// AwarenessWheelInput asks for a new annual wheel activity that brings a
// recurring awareness activity round, made in the same write as the
// activity: it has the activity's title and owner, serves guide 2.6 and no
// management topic.
type AwarenessWheelInput struct {
	Recurrence     Recurrence `json:"recurrence"`      // monthly, quarterly, yearly or every_n_months
	IntervalMonths int        `json:"interval_months"` // N for every_n_months
	StartDate      *Date      `json:"start_date"`      // the first due date; the activity's start when empty
	RecordText     string     `json:"record_text"`     // the record each occurrence leaves
}

// Participation is one person's participation in one activity.
type Participation struct {
	ID            int64    `json:"id"`
	ActivityID    int64    `json:"activity_id"`
	ActivityTitle string   `json:"activity_title"`
	Person        string   `json:"person"`
	Email         string   `json:"email"` // the e-mail address it was recorded with, which makes the person one; "" when by name
	UnitID        *int64   `json:"unit_id"`
	UnitName      string   `json:"unit_name"`
	TakenOn       Date     `json:"taken_on"`
	Score         *float64 `json:"score"`
	ImportID      *int64   `json:"import_id"`
}

// AwarenessSettings are the organisation's choices for awareness.
type AwarenessSettings struct {
	// ReachThreshold is the share of staff, in per cent, that each of the
	// guide's themes must have reached in the last twelve months.
	ReachThreshold int `json:"reach_threshold"`
	// AcknowledgementWanted says staff are asked to acknowledge the
	// behaviour policy through its link.
	AcknowledgementWanted bool  `json:"acknowledgement_wanted"`
	Version               int64 `json:"version"`
}

// DefaultReachThreshold is the reach asked for until the organisation sets
// its own.
const DefaultReachThreshold = 80

// CompareKey is a name as it is compared when records are matched by
// name (a unit, an activity's title, a person without an e-mail address):
// lower case, with runs of spaces made one and the ends trimmed.
func CompareKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// AwarenessActivityInput is what a caller sets on an activity.
type AwarenessActivityInput struct {
	Title            string           `json:"title"`
	Description      string           `json:"description"`
	Themes           []string         `json:"themes"`
	Channel          AwarenessChannel `json:"channel"`
	Target           AwarenessTarget  `json:"target"`
	UnitIDs          []int64          `json:"unit_ids"`
	RoleIDs          []int64          `json:"role_ids"`
	StartsOn         *Date            `json:"starts_on"`
	EndsOn           *Date            `json:"ends_on"`
	OwnerID          *int64           `json:"owner_id"`
	WheelActivityID  *int64           `json:"wheel_activity_id"`
	Status           AwarenessStatus  `json:"status"`
	HeldOn           *Date            `json:"held_on"`
	ExerciseSent     *int             `json:"exercise_sent"`
	ExerciseClicked  *int             `json:"exercise_clicked"`
	ExerciseReported *int             `json:"exercise_reported"`
	// NewWheelActivity, when set, makes a new wheel activity for the
	// activity (instead of WheelActivityID).
	NewWheelActivity *AwarenessWheelInput `json:"new_wheel_activity,omitempty"`
	Version          int64                `json:"version"`
}

// AwarenessActivityFilter narrows the programme's list.
type AwarenessActivityFilter struct {
	Theme   string           `json:"theme"`
	Channel AwarenessChannel `json:"channel"`
	Status  AwarenessStatus  `json:"status"`
	Year    int              `json:"year"` // activities whose period touches the year; 0 for all
}

// AwarenessService keeps the awareness programme.
type AwarenessService interface {
	AwarenessActivities(ctx context.Context, orgID int64, f AwarenessActivityFilter) ([]*AwarenessActivity, error)
	AwarenessActivity(ctx context.Context, orgID, id int64) (*AwarenessActivity, error)
	CreateAwarenessActivity(ctx context.Context, orgID int64, in AwarenessActivityInput) (*AwarenessActivity, error)
	UpdateAwarenessActivity(ctx context.Context, orgID, id int64, in AwarenessActivityInput) (*AwarenessActivity, error)
	DeleteAwarenessActivity(ctx context.Context, orgID, id, version int64) error
}

// AcknowledgementLink is the state of the secret link staff follow to read
// and acknowledge the behaviour policy. The token itself is shown once,
// when the link is made.
type AcknowledgementLink struct {
	Active        bool       `json:"active"`
	ID            int64      `json:"id,omitempty"`
	DocumentID    int64      `json:"document_id,omitempty"`
	DocumentTitle string     `json:"document_title,omitempty"`
	CreatedAt     *time.Time `json:"created_at,omitempty"`
	CreatedByName string     `json:"created_by_name,omitempty"`
}

// Acknowledgement is one person's acknowledgement of one published
// version of the behaviour policy.
type Acknowledgement struct {
	ID              int64     `json:"id"`
	DocumentID      int64     `json:"document_id"`
	DocumentVersion int       `json:"document_version"`
	Name            string    `json:"name"`
	Email           string    `json:"email"`
	UnitID          *int64    `json:"unit_id"`
	UnitName        string    `json:"unit_name"`
	AcknowledgedAt  time.Time `json:"acknowledged_at"`
}

// AcknowledgementInput is what a person sends through the link.
type AcknowledgementInput struct {
	Name   string `json:"name"`
	Email  string `json:"email"`
	UnitID *int64 `json:"unit_id"`
	// Accept is the "I have read and will follow the policy" box.
	Accept bool `json:"accept"`
}

// UnitAcknowledgements counts the acknowledgements of one unit against
// its staff. UnitID 0 is the acknowledgements that name no unit.
type UnitAcknowledgements struct {
	UnitID     int64  `json:"unit_id"`
	UnitName   string `json:"unit_name"`
	StaffCount int    `json:"staff_count"`
	Count      int    `json:"count"`
	Percent    int    `json:"percent"` // of StaffCount, 0 when the unit has no staff count
}

// AcknowledgementStatus is the coordinator's view: the behaviour policy
// and its published version, the link, the counts per unit and every
// acknowledgement of the published version, newest first.
type AcknowledgementStatus struct {
	Wanted           bool                    `json:"wanted"` // the organisation asks staff to acknowledge
	DocumentID       int64                   `json:"document_id"`
	DocumentTitle    string                  `json:"document_title"`
	PublishedVersion int                     `json:"published_version"` // 0 when no version is published
	Link             *AcknowledgementLink    `json:"link"`
	Units            []*UnitAcknowledgements `json:"units"`
	Total            int                     `json:"total"`
	Acknowledgements []*Acknowledgement      `json:"acknowledgements"`
}

// AcknowledgementPage is what the public link shows: the organisation,
// the policy's published text (or, for a file, its name) and the units to
// choose from.
type AcknowledgementPage struct {
	OrganisationName string     `json:"organisation_name"`
	DocumentTitle    string     `json:"document_title"`
	Version          int        `json:"version"`
	PublishedAt      *time.Time `json:"published_at"`
	Text             string     `json:"text"`
	FileName         string     `json:"file_name"`
	Units            []*OrgUnit `json:"units"`
}

// AcknowledgementService keeps the behaviour policy's acknowledgement
// link and the acknowledgements made through it.
type AcknowledgementService interface {
	AcknowledgementStatus(ctx context.Context, orgID int64) (*AcknowledgementStatus, error)
	// CreateAcknowledgementLink makes a new secret link for the behaviour
	// policy's published version, revoking the one before; the token is
	// returned this once.
	CreateAcknowledgementLink(ctx context.Context, orgID int64) (string, *AcknowledgementLink, error)
	RevokeAcknowledgementLink(ctx context.Context, orgID int64) error
	// AcknowledgementPage and Acknowledge answer the public link: a
	// wrong or revoked token is not found.
	AcknowledgementPage(ctx context.Context, token string) (*AcknowledgementPage, error)
	// Acknowledge records one acknowledgement per published version and
	// e-mail address; acknowledging again is not an error and counts once.
	// It reports whether this one was new.
	Acknowledge(ctx context.Context, token string, in AcknowledgementInput) (bool, error)
}
