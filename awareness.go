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
}

// Participation is one person's participation in one activity.
type Participation struct {
	ID            int64    `json:"id"`
	ActivityID    int64    `json:"activity_id"`
	ActivityTitle string   `json:"activity_title"`
	Person        string   `json:"person"`
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
	Version          int64            `json:"version"`
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
