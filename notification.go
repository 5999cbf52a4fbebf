package isms

import (
	"context"
	"strings"
	"time"
)

// Notifications tell each person what is assigned to them across the
// ISMS: a risk treatment action, an incident, a corrective action or an
// effectiveness review, an improvement, a review date, a decision's
// follow-up, a supplier supervision, a document version to approve, a
// development plan, the next status report to management, an occurrence
// of the annual wheel. Each reaches the person's inbox in the product and,
// with an SMTP server, a mail: when it is assigned, before it is due and
// while it is overdue, immediately or gathered into a daily or weekly
// digest as the person chooses. Overdue (or nearly overdue) NIS2 and GDPR
// reporting clocks of an incident escalate to its owner and the
// coordinators.

// NotificationEvent is what happened to an assigned item.
type NotificationEvent string

const (
	// NotifyAssigned: the item became the person's (a new item, or its
	// assignee changed to them by someone else).
	NotifyAssigned NotificationEvent = "assigned"
	// NotifyDueSoon: the item falls due within its lead time.
	NotifyDueSoon NotificationEvent = "due_soon"
	// NotifyOverdue: the item's due date passed; repeated weekly at most.
	NotifyOverdue NotificationEvent = "overdue"
	// NotifyEscalation: an incident's reporting clock is overdue or about
	// to be.
	NotifyEscalation NotificationEvent = "escalation"
)

// NotificationEvents lists the events in the order the inbox explains them.
var NotificationEvents = []NotificationEvent{NotifyAssigned, NotifyDueSoon, NotifyOverdue, NotifyEscalation}

// NotificationDigest is how a person wants their notifications mailed.
type NotificationDigest string

const (
	DigestImmediate NotificationDigest = "immediate" // one mail per notification
	DigestDaily     NotificationDigest = "daily"     // at most one mail a day with what is new
	DigestWeekly    NotificationDigest = "weekly"    // at most one mail a week with what is new
	DigestNone      NotificationDigest = "none"      // the inbox only
)

// NotificationDigests lists the choices in the order the form offers them.
var NotificationDigests = []NotificationDigest{DigestImmediate, DigestDaily, DigestWeekly, DigestNone}

// DefaultNotificationDigest is the choice of a person who made none: the
// annual wheel's reminders go out one by one, and so do these.
const DefaultNotificationDigest = DigestImmediate

// Valid reports whether d is one of the choices.
func (d NotificationDigest) Valid() bool {
	for _, x := range NotificationDigests {
		if d == x {
			return true
		}
	}
	return false
}

// NotificationDueSoonDays is how many days before its due date an item is
// "due soon", unless the item has its own lead (an annual-wheel activity's
// remind days).
const NotificationDueSoonDays = 7

// NotificationEscalationLead is how long before a reporting clock runs
// out that its escalation goes out: the NIS2 early warning has only 24
// hours, so a quarter of a day leaves time to act.
const NotificationEscalationLead = 6 * time.Hour

// Notification is one entry of a person's inbox.
type Notification struct {
	ID             int64 `json:"id"`
	OrganisationID int64 `json:"organisation_id"`
	UserID         int64 `json:"user_id"`
	// Source is the kind of item, a catalogue key's tail (notif.source.*):
	// risk_task, incident, nc_action, ...
	Source string            `json:"source"`
	Event  NotificationEvent `json:"event"`
	Title  string            `json:"title"`
	// Path is the item's page below the organisation, e.g. "/risk-tasks/7".
	Path string `json:"path"`
	Due  *Date  `json:"due"`
	// Detail says more where the event needs it: for an escalation the
	// reporting clock, whether it runs out soon or has, and its deadline
	// ("gdpr/notification|soon|2026-05-04 10:00 UTC"; see Clock).
	Detail    string     `json:"detail"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// Read reports whether the person has marked it read.
func (n *Notification) Read() bool { return n.ReadAt != nil }

// EscalatedClock is the reporting clock an escalation is about.
type EscalatedClock struct {
	Regime, Kind string
	State        string // soon or overdue
	Deadline     string // e.g. "2026-05-04 10:00 UTC"
}

// Clock reads an escalation's clock from its detail; nil for any other
// notification.
func (n *Notification) Clock() *EscalatedClock {
	if n.Event != NotifyEscalation {
		return nil
	}
	parts := strings.SplitN(n.Detail, "|", 3)
	if len(parts) != 3 {
		return nil
	}
	regime, kind, _ := strings.Cut(parts[0], "/")
	return &EscalatedClock{Regime: regime, Kind: kind, State: parts[1], Deadline: parts[2]}
}

// EscalationDetail writes an escalation's detail (see Clock).
func EscalationDetail(regime, kind, state string, deadline time.Time) string {
	return regime + "/" + kind + "|" + state + "|" + deadline.UTC().Format("2006-01-02 15:04") + " UTC"
}

// NotificationFilter narrows a person's inbox.
type NotificationFilter struct {
	// Unread lists only notifications not yet marked read.
	Unread bool
	Offset int
	Limit  int
}

// NotificationPreferences are a person's choices for notification mails.
type NotificationPreferences struct {
	Digest NotificationDigest `json:"digest"`
}

// NotificationService is a person's inbox and their choices. Every method
// acts for the caller only: no one reads another's inbox.
type NotificationService interface {
	// Notifications lists the caller's notifications in an organisation
	// they may see, newest first (only members receive any).
	Notifications(ctx context.Context, orgID int64, f NotificationFilter) ([]*Notification, int, error)
	// UnreadNotifications counts the caller's unread notifications there.
	UnreadNotifications(ctx context.Context, orgID int64) (int, error)
	// MarkNotificationRead marks one of the caller's notifications read.
	MarkNotificationRead(ctx context.Context, orgID, id int64) (*Notification, error)
	// MarkAllNotificationsRead marks all of the caller's notifications in
	// the organisation read and answers how many were unread.
	MarkAllNotificationsRead(ctx context.Context, orgID int64) (int, error)
	NotificationPreferences(ctx context.Context) (*NotificationPreferences, error)
	SetNotificationPreferences(ctx context.Context, in NotificationPreferences) (*NotificationPreferences, error)
}

// NotificationMailKind says what a notification mail carries.
type NotificationMailKind string

const (
	// NotificationMailSingle carries one notification (the person wants
	// them immediately, or it is an escalation, which never waits).
	NotificationMailSingle NotificationMailKind = "notification"
	// NotificationMailDigest carries everything new since the last digest.
	NotificationMailDigest NotificationMailKind = "notification_digest"
)

// NotificationMail is a mail to send: to one person, with the
// notifications it carries.
type NotificationMail struct {
	Key              string
	Kind             NotificationMailKind
	Digest           NotificationDigest
	OrganisationID   int64
	OrganisationName string
	UserID           int64
	Name, Email      string
	Lang             string
	Items            []*Notification
	// Subject is set by whoever writes the mail, before the claim, so the
	// mail log shows it.
	Subject string
	// LogID is the mail log's row, set by the claim.
	LogID int64
}

// NotificationStore is what the notification job needs: it creates the
// notifications due (inbox only, with or without mail), lists the mails to
// send, claims each before sending and records the outcome. It acts for no
// user.
type NotificationStore interface {
	GenerateNotifications(ctx context.Context, mailing bool) (int, error)
	PendingNotificationMails(ctx context.Context) ([]*NotificationMail, error)
	ClaimNotificationMail(ctx context.Context, m *NotificationMail) (bool, error)
	FinishNotificationMail(ctx context.Context, logID int64, sendErr error) error
}
