package isms

import (
	"context"
	"sort"
	"strings"
	"time"
)

// The annual wheel ("årshjul", guide 2.2 and 2.9): the recurring activities
// that keep the ISMS running (policy review, risk reassessment, internal
// audit, management review, awareness campaigns, supplier reviews, …), each
// with an owner, a recurrence, the clause or element it serves, the
// management topics it lets management deal with and the record each
// occurrence must leave behind. Occurrences are laid out per year; each is
// done, skipped with a reason, or still open (and overdue once its due date
// has passed). The year's wheel is a plan that management approves.

// Recurrence is how often an activity comes round.
type Recurrence string

const (
	RecurMonthly   Recurrence = "monthly"
	RecurQuarterly Recurrence = "quarterly"
	RecurYearly    Recurrence = "yearly"
	RecurMonths    Recurrence = "every_n_months" // every IntervalMonths months
	RecurAdHoc     Recurrence = "ad_hoc"         // on the explicit Dates only
)

// Recurrences lists the recurrences in the order the UI offers them.
var Recurrences = []Recurrence{RecurMonthly, RecurQuarterly, RecurYearly, RecurMonths, RecurAdHoc}

// Valid reports whether r is a known recurrence.
func (r Recurrence) Valid() bool {
	for _, x := range Recurrences {
		if x == r {
			return true
		}
	}
	return false
}

// MaxIntervalMonths bounds "every N months": beyond three years an activity
// is not part of a yearly wheel any more.
const MaxIntervalMonths = 36

// ActivityStatus says whether an activity still produces occurrences.
type ActivityStatus string

const (
	ActivityActive  ActivityStatus = "active"
	ActivityRetired ActivityStatus = "retired" // kept for its records, no new occurrences
)

// ActivityStatuses lists the statuses in order.
var ActivityStatuses = []ActivityStatus{ActivityActive, ActivityRetired}

// DefaultRemindDays is how many days before the due date the owner is
// reminded unless the activity says otherwise.
const DefaultRemindDays = 7

// Activity is one recurring activity of the annual wheel.
type Activity struct {
	ID             int64      `json:"id"`
	OrganisationID int64      `json:"organisation_id"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	OwnerID        *int64     `json:"owner_id"`
	OwnerName      string     `json:"owner_name"`
	Recurrence     Recurrence `json:"recurrence"`
	// IntervalMonths is N for every_n_months (and 1, 3, 12 for the fixed
	// recurrences, filled in by the store).
	IntervalMonths int `json:"interval_months"`
	// StartDate is the first due date: the rule counts months from it.
	StartDate Date `json:"start_date"`
	// DueDay is the day of the month occurrences fall due: 0 for the start
	// date's day, 1–31 for that day (31 means the month's last day; a day
	// past the month's end falls on its last day).
	DueDay  int    `json:"due_day"`
	EndDate *Date  `json:"end_date"` // no occurrences after it
	Dates   []Date `json:"dates"`    // the explicit dates of an ad hoc activity
	// Serves is the element of the guide or the clause of ISO/IEC 27001 the
	// activity serves, as "guide:2.9", "clause:9.3" or "annex:5.35".
	Serves     string         `json:"serves"`
	Topics     []string       `json:"topics"`      // management topics (ManagementTopics)
	RecordText string         `json:"record_text"` // the record each occurrence must produce
	RemindDays int            `json:"remind_days"` // days before the due date the owner is reminded
	Status     ActivityStatus `json:"status"`
	Version    int64          `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// ActivityInput is what a caller sets on an activity.
type ActivityInput struct {
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	OwnerID        *int64         `json:"owner_id"`
	Recurrence     Recurrence     `json:"recurrence"`
	IntervalMonths int            `json:"interval_months"`
	StartDate      *Date          `json:"start_date"`
	DueDay         int            `json:"due_day"`
	EndDate        *Date          `json:"end_date"`
	Dates          []Date         `json:"dates"`
	Serves         string         `json:"serves"`
	Topics         []string       `json:"topics"`
	RecordText     string         `json:"record_text"`
	RemindDays     *int           `json:"remind_days"` // nil for the default
	Status         ActivityStatus `json:"status"`
	Version        int64          `json:"version"`
}

// StepMonths is the number of months between two occurrences, 0 for ad hoc.
func (a *Activity) StepMonths() int {
	switch a.Recurrence {
	case RecurMonthly:
		return 1
	case RecurQuarterly:
		return 3
	case RecurYearly:
		return 12
	case RecurMonths:
		return a.IntervalMonths
	}
	return 0
}

// DueDates returns the days the activity falls due from from to to, both
// included, in order. A retired activity has none.
func (a *Activity) DueDates(from, to Date) []Date {
	if a.Status == ActivityRetired || to.Before(from) {
		return nil
	}
	inRange := func(d Date) bool {
		return !d.Before(from) && !to.Before(d) && (a.EndDate == nil || !a.EndDate.Before(d))
	}
	periodic := inRange
	inRange = func(d Date) bool { return periodic(d) && (a.Recurrence == RecurAdHoc || !d.Before(a.StartDate)) }
	var out []Date
	if a.Recurrence == RecurAdHoc {
		for _, d := range a.Dates {
			if inRange(d) {
				out = append(out, d)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
		return out
	}
	step := a.StepMonths()
	if step <= 0 || a.StartDate.IsZero() {
		return nil
	}
	day := a.DueDay
	if day == 0 {
		day = a.StartDate.Day()
	}
	y, m := a.StartDate.Year(), int(a.StartDate.Month())
	// Skip whole steps before from, then walk forward.
	months := (from.Year()-y)*12 + int(from.Month()) - m
	k := 0
	if months > 0 {
		k = months/step - 1
		if k < 0 {
			k = 0
		}
	}
	for ; ; k++ {
		d := MonthDay(y, m+k*step, day)
		if to.Before(d) {
			break
		}
		if inRange(d) {
			out = append(out, d)
		}
	}
	return out
}

// MonthDay is the given day of a month (months past 12 roll into later
// years), or the month's last day when the month is shorter.
func MonthDay(year, month, day int) Date {
	first := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	if day < 1 {
		day = 1
	}
	return Date{time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)}
}

// ServesKind splits a Serves value into its kind (guide, clause, annex)
// and reference.
func ServesKind(s string) (kind, ref string) {
	kind, ref, _ = strings.Cut(s, ":")
	return kind, ref
}

// GuideSections are the guide's elements an activity can serve.
var GuideSections = []string{"2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10"}

// StandardClauses are the clauses of ISO/IEC 27001:2022 an activity can
// serve (numbers only; the titles are the product's own short names in the
// message catalogue).
var StandardClauses = []string{"4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.1.2", "6.1.3", "6.2", "6.3",
	"7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "9.1", "9.2", "9.3", "10.1", "10.2"}

// OccurrenceStatus is where one occurrence of an activity stands.
type OccurrenceStatus string

const (
	OccPlanned    OccurrenceStatus = "planned"
	OccInProgress OccurrenceStatus = "in_progress"
	OccDone       OccurrenceStatus = "done"
	OccSkipped    OccurrenceStatus = "skipped"
)

// OccurrenceStatuses lists the stored statuses; "overdue" is derived.
var OccurrenceStatuses = []OccurrenceStatus{OccPlanned, OccInProgress, OccDone, OccSkipped}

// Open reports whether the occurrence still awaits completion.
func (s OccurrenceStatus) Open() bool { return s == OccPlanned || s == OccInProgress }

// Occurrence is one time an activity falls due.
type Occurrence struct {
	ID              int64            `json:"id"`
	OrganisationID  int64            `json:"organisation_id"`
	ActivityID      int64            `json:"activity_id"`
	ActivityTitle   string           `json:"activity_title"`
	OwnerID         *int64           `json:"owner_id"`
	OwnerName       string           `json:"owner_name"`
	Topics          []string         `json:"topics"`
	RecordText      string           `json:"record_text"`
	PlannedDate     Date             `json:"planned_date"` // the day the rule gave; with the activity it names the occurrence
	DueDate         Date             `json:"due_date"`     // the day it is due now (moved when rescheduled)
	Status          OccurrenceStatus `json:"status"`
	Overdue         bool             `json:"overdue"` // open and past its due date
	SkipReason      string           `json:"skip_reason"`
	Result          string           `json:"result"`
	Comment         string           `json:"comment"`
	CompletedOn     *Date            `json:"completed_on"`
	CompletedBy     *int64           `json:"completed_by"`
	CompletedByName string           `json:"completed_by_name"`
	CompletedAt     *time.Time       `json:"completed_at"`
	EvidencePath    string           `json:"evidence_path"` // below /orgs/{id}, e.g. "/documents/12"
	EvidenceRef     string           `json:"evidence_ref"`  // a reference outside the product (journal number, …)
	Version         int64            `json:"version"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
}

// DisplayStatus is the status shown: "overdue" for an open occurrence past
// its due date.
func (o *Occurrence) DisplayStatus() string {
	if o.Overdue {
		return "overdue"
	}
	return string(o.Status)
}

// CompletionInput records the outcome of an occurrence. Sent again for a
// completed occurrence, it amends the record (audited as such).
type CompletionInput struct {
	Result       string `json:"result"`
	Comment      string `json:"comment"`
	CompletedOn  *Date  `json:"completed_on"` // the day it was done; today when empty
	EvidencePath string `json:"evidence_path"`
	EvidenceRef  string `json:"evidence_ref"`
	Version      int64  `json:"version"`
}

// OccurrenceFilter narrows and orders a listing of occurrences.
type OccurrenceFilter struct {
	Year       int    // 0 for any
	From, To   *Date  // due date range, both included
	Status     string // a stored status, "open" or "overdue"
	ActivityID int64
	OwnerID    int64
	Topic      string
	Sort       string // due_date, activity, owner, status (prefix "-" for descending)
	Offset     int
	Limit      int
}

// ActivityFilter narrows and orders a listing of activities.
type ActivityFilter struct {
	Status  ActivityStatus
	OwnerID int64
	Topic   string
	Query   string
	Sort    string // title, recurrence, owner, status, start_date
	Offset  int
	Limit   int
}

// WheelCalendar is one year of the wheel: its occurrences by due date and
// the dated obligations other elements put in the calendar.
type WheelCalendar struct {
	Year int `json:"year"`
	// LaidOut says whether the year's occurrences are laid out. This year
	// and the next always are (with every change of an activity, and by the
	// daily job); another year is laid out when a coordinator asks for it
	// (OpenWheelYear), never by reading it.
	LaidOut     bool            `json:"laid_out"`
	Occurrences []*Occurrence   `json:"occurrences"`
	Scheduled   []ScheduledItem `json:"scheduled"`
}

// Plan statuses.
const (
	PlanSubmitted  = "submitted"
	PlanApproved   = "approved"
	PlanSuperseded = "superseded" // a newer version was submitted before this one was approved
)

// YearPlan is one submitted version of a year's wheel: a frozen snapshot
// of the activities and the occurrences planned for the year, with its
// checksum, submitted by a coordinator and approved by management.
type YearPlan struct {
	ID              int64         `json:"id"`
	OrganisationID  int64         `json:"organisation_id"`
	Year            int           `json:"year"`
	Number          int           `json:"number"` // 1, 2, … per year
	Status          string        `json:"status"`
	Note            string        `json:"note"`
	Checksum        string        `json:"checksum"` // SHA-256 of the snapshot's JSON
	Snapshot        *PlanSnapshot `json:"snapshot,omitempty"`
	SubmittedBy     *int64        `json:"submitted_by"`
	SubmittedByName string        `json:"submitted_by_name"`
	SubmittedAt     time.Time     `json:"submitted_at"`
	ApprovedBy      *int64        `json:"approved_by"`
	ApprovedByName  string        `json:"approved_by_name"`
	ApprovedAt      *time.Time    `json:"approved_at"`
}

// PlanSnapshot is what a year plan holds: the plan, not its execution
// (statuses and completion records are left out, so doing the work does
// not change the plan).
type PlanSnapshot struct {
	Year        int              `json:"year"`
	Activities  []PlanActivity   `json:"activities"`
	Occurrences []PlanOccurrence `json:"occurrences"`
}

// PlanActivity is an activity as frozen in a plan.
type PlanActivity struct {
	ID             int64      `json:"id"`
	Title          string     `json:"title"`
	OwnerID        *int64     `json:"owner_id"`
	Recurrence     Recurrence `json:"recurrence"`
	IntervalMonths int        `json:"interval_months"`
	Serves         string     `json:"serves"`
	Topics         []string   `json:"topics"`
	RecordText     string     `json:"record_text"`
}

// PlanOccurrence is an occurrence as frozen in a plan.
type PlanOccurrence struct {
	ActivityID  int64 `json:"activity_id"`
	PlannedDate Date  `json:"planned_date"`
	DueDate     Date  `json:"due_date"`
}

// YearPlanState is where a year's plan stands.
type YearPlanState struct {
	Year int `json:"year"`
	// Approved is the latest approved version; Pending a newer submitted
	// version awaiting approval.
	Approved *YearPlan `json:"approved"`
	Pending  *YearPlan `json:"pending"`
	// CurrentChecksum is the checksum of the wheel as it is now;
	// ChangedSinceApproval is true when it differs from the approved one.
	CurrentChecksum      string      `json:"current_checksum"`
	ChangedSinceApproval bool        `json:"changed_since_approval"`
	Versions             []*YearPlan `json:"versions"` // every version, newest first, without snapshots
}

// ProgressCount is how the occurrences of the approved plan stand.
type ProgressCount struct {
	Planned int `json:"planned"` // in the approved plan
	Done    int `json:"done"`
	Skipped int `json:"skipped"`
	Overdue int `json:"overdue"`
	Open    int `json:"open"`    // not yet due
	Removed int `json:"removed"` // no longer in the wheel
}

// TopicProgress is the progress of the occurrences that serve one topic.
type TopicProgress struct {
	Topic string        `json:"topic"`
	Count ProgressCount `json:"count"`
}

// PlanProgress is how the year is going against the approved plan.
type PlanProgress struct {
	Year   int               `json:"year"`
	Plan   *YearPlan         `json:"plan"` // the approved version, nil when none is
	Total  ProgressCount     `json:"total"`
	Months [12]ProgressCount `json:"months"`
	Topics []TopicProgress   `json:"topics"`
	// Added and Removed are activities in the wheel now but not in the
	// approved plan, and the other way round; Unplanned counts the
	// occurrences of the year that the approved plan does not hold.
	Added     []PlanActivity `json:"added"`
	Removed   []PlanActivity `json:"removed"`
	Unplanned int            `json:"unplanned"`
}

// FeedToken is the state of an organisation's calendar feed. The token
// itself is shown once, when it is made; only its hash is kept.
type FeedToken struct {
	Active        bool       `json:"active"`
	CreatedAt     *time.Time `json:"created_at"`
	CreatedByName string     `json:"created_by_name"`
	LastUsedAt    *time.Time `json:"last_used_at"`
}

// WheelFeed is what the calendar feed publishes.
type WheelFeed struct {
	OrganisationID   int64
	OrganisationName string
	Occurrences      []*Occurrence
	Scheduled        []ScheduledItem
}

// Reminder kinds.
const (
	ReminderDue     = "due"     // to the owner, some days before the due date
	ReminderOverdue = "overdue" // to the owner, at most weekly while overdue
	ReminderDigest  = "digest"  // to each coordinator, weekly
)

// Mail log results.
const (
	MailPending = "pending" // claimed; the outcome of the send is not known yet
	MailSent    = "sent"
	MailFailed  = "failed"
)

// MailLogEntry is one reminder mail: claimed once, then sent or failed.
type MailLogEntry struct {
	ID             int64      `json:"id"`
	OrganisationID int64      `json:"organisation_id"`
	Kind           string     `json:"kind"`
	Recipient      string     `json:"recipient"`
	UserID         *int64     `json:"user_id"`
	Subject        string     `json:"subject"`
	OccurrenceID   *int64     `json:"occurrence_id"`
	ClaimedAt      time.Time  `json:"claimed_at"`
	SentAt         *time.Time `json:"sent_at"`
	Result         string     `json:"result"`
	Error          string     `json:"error"`
}

// OccurrenceRef is the id of the occurrence the mail was about, 0 for a
// digest.
func (e *MailLogEntry) OccurrenceRef() int64 {
	if e.OccurrenceID == nil {
		return 0
	}
	return *e.OccurrenceID
}

// Reminder is a mail the reminder run should send, before it is claimed.
type Reminder struct {
	Key              string // names the reminder; the same key is never sent twice
	Kind             string
	OrganisationID   int64
	OrganisationName string
	UserID           int64
	Name             string
	Email            string
	Lang             string // the recipient's mail language
	Items            []ReminderItem
	Subject          string // set by the sender before claiming
	LogID            int64  // set when claimed
}

// ReminderItem is one occurrence a reminder is about.
type ReminderItem struct {
	OccurrenceID  int64
	ActivityTitle string
	OwnerName     string
	RecordText    string
	Due           Date
	Overdue       bool
}

// ReminderStore is what the reminder run needs of the store. It is an
// operator's job: it acts for no user and reads every organisation.
type ReminderStore interface {
	PendingReminders(ctx context.Context) ([]*Reminder, error)
	ClaimReminder(ctx context.Context, r *Reminder) (bool, error)
	FinishReminder(ctx context.Context, logID int64, sendErr error) error
}

// AnnualWheelService serves the annual wheel (guide 2.2 and 2.9): recurring
// activities, occurrences, the approved year plan, the calendar feed and
// the reminder log.
type AnnualWheelService interface {
	WheelActivities(ctx context.Context, orgID int64, f ActivityFilter) ([]*Activity, int, error)
	WheelActivity(ctx context.Context, orgID, id int64) (*Activity, error)
	CreateWheelActivity(ctx context.Context, orgID int64, in ActivityInput) (*Activity, error)
	UpdateWheelActivity(ctx context.Context, orgID, id int64, in ActivityInput) (*Activity, error)
	DeleteWheelActivity(ctx context.Context, orgID, id, version int64) error

	// OpenWheelYear lays out the year's occurrences; it is idempotent and
	// returns how many were new. WheelYearLaidOut says whether it has been.
	OpenWheelYear(ctx context.Context, orgID int64, year int) (int, error)
	WheelYearLaidOut(ctx context.Context, orgID int64, year int) (bool, error)
	WheelOccurrences(ctx context.Context, orgID int64, f OccurrenceFilter) ([]*Occurrence, int, error)
	WheelOccurrence(ctx context.Context, orgID, id int64) (*Occurrence, error)
	StartOccurrence(ctx context.Context, orgID, id, version int64) (*Occurrence, error)
	CompleteOccurrence(ctx context.Context, orgID, id int64, in CompletionInput) (*Occurrence, error)
	SkipOccurrence(ctx context.Context, orgID, id int64, reason string, version int64) (*Occurrence, error)
	ReopenOccurrence(ctx context.Context, orgID, id, version int64) (*Occurrence, error)
	RescheduleOccurrence(ctx context.Context, orgID, id int64, due Date, version int64) (*Occurrence, error)
	WheelCalendar(ctx context.Context, orgID int64, year int) (*WheelCalendar, error)

	YearPlan(ctx context.Context, orgID int64, year int) (*YearPlanState, error)
	YearPlanVersion(ctx context.Context, orgID int64, year, number int) (*YearPlan, error)
	SubmitYearPlan(ctx context.Context, orgID int64, year int, note string) (*YearPlan, error)
	// ApproveYearPlan approves version number of the year's plan; checksum
	// is the one the approver saw.
	ApproveYearPlan(ctx context.Context, orgID int64, year, number int, checksum string) (*YearPlan, error)
	PlanProgress(ctx context.Context, orgID int64, year int) (*PlanProgress, error)

	FeedTokenState(ctx context.Context, orgID int64) (*FeedToken, error)
	// CreateFeedToken makes a new secret for the feed, revoking the old.
	CreateFeedToken(ctx context.Context, orgID int64) (string, *FeedToken, error)
	RevokeFeedToken(ctx context.Context, orgID int64) error
	// WheelFeed answers the public feed: only to the right, unrevoked token.
	WheelFeed(ctx context.Context, token string) (*WheelFeed, error)

	MailLog(ctx context.Context, orgID int64, offset, limit int) ([]*MailLogEntry, int, error)
	// MailLanguage and SetMailLanguage are the caller's own choice of
	// language for reminder mails (Danish unless chosen).
	MailLanguage(ctx context.Context) (string, error)
	SetMailLanguage(ctx context.Context, lang string) error
}
