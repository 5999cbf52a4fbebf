package isms

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"time"
)

// Security incidents (guide 2.9 "Drift og evaluering"; Annex A 5.24–5.28
// and 6.8). Any member reports a security event quickly; the coordinator
// triages it into an incident, with its category and severity, or closes
// it as "not an incident" with the reason. An incident carries a timeline
// of dated entries, the assets it touched, the lessons learned (required
// to close it) and three flags: a nonconformity, a personal data breach
// (GDPR article 33) and significant under NIS2 (article 23).
//
// Reporting clocks run from the time the event was detected:
//   - NIS2, for a significant incident where the organisation is covered:
//     early warning within 24 hours, incident notification within 72
//     hours, and a final report within one month of the notification.
//     While no notification has been sent, the final report's deadline is
//     read as one month from detection: the earliest the law could demand
//     it, so the clock never shows more time than there may be.
//   - GDPR, for a personal data breach where the organisation applies
//     GDPR (the default): notification to the supervisory authority
//     (Datatilsynet) within 72 hours.
// Each report sent is recorded and stops its clock.

// IncidentStatus is where a reported event or incident stands.
type IncidentStatus string

const (
	IncidentReported      IncidentStatus = "reported"     // an event awaiting triage
	IncidentNotIncident   IncidentStatus = "not_incident" // triaged: not an incident
	IncidentTriaged       IncidentStatus = "triaged"
	IncidentInvestigating IncidentStatus = "investigating"
	IncidentContained     IncidentStatus = "contained"
	IncidentResolved      IncidentStatus = "resolved"
	IncidentClosed        IncidentStatus = "closed"
)

// IncidentStatuses lists every status in order.
var IncidentStatuses = []IncidentStatus{IncidentReported, IncidentNotIncident, IncidentTriaged, IncidentInvestigating,
	IncidentContained, IncidentResolved, IncidentClosed}

// IncidentWorkStatuses are the statuses an incident moves through after
// triage.
var IncidentWorkStatuses = []IncidentStatus{IncidentTriaged, IncidentInvestigating, IncidentContained, IncidentResolved, IncidentClosed}

// Valid reports whether s is a known status.
func (s IncidentStatus) Valid() bool { return slices.Contains(IncidentStatuses, s) }

// IsIncident reports whether the event was triaged into an incident.
func (s IncidentStatus) IsIncident() bool { return slices.Contains(IncidentWorkStatuses, s) }

// Open reports whether the event still needs work: awaiting triage or an
// incident not yet closed.
func (s IncidentStatus) Open() bool {
	return s != IncidentNotIncident && s != IncidentClosed
}

// IncidentCategory is what kind of incident it is.
type IncidentCategory string

// IncidentCategories is the fixed list of categories.
var IncidentCategories = []IncidentCategory{"malware", "phishing", "unauthorised_access", "data_leak", "device_loss",
	"outage", "misconfiguration", "physical", "other"}

// Valid reports whether c is a known category.
func (c IncidentCategory) Valid() bool { return slices.Contains(IncidentCategories, c) }

// Reporting regimes and the kinds of report each requires.
const (
	RegimeNIS2 = "nis2"
	RegimeGDPR = "gdpr"

	ReportEarlyWarning = "early_warning" // NIS2, 24 hours
	ReportNotification = "notification"  // NIS2 72 hours; GDPR 72 hours
	ReportFinal        = "final"         // NIS2, one month after the notification
)

// IncidentReportKinds lists, per regime, the kinds of report in the order
// they are due.
var IncidentReportKinds = map[string][]string{
	RegimeNIS2: {ReportEarlyWarning, ReportNotification, ReportFinal},
	RegimeGDPR: {ReportNotification},
}

// ValidReportKind reports whether kind is a report the regime knows.
func ValidReportKind(regime, kind string) bool {
	return slices.Contains(IncidentReportKinds[regime], kind)
}

// Incident is one reported security event, and the incident it became.
type Incident struct {
	ID              int64            `json:"id"`
	OrganisationID  int64            `json:"organisation_id"`
	Title           string           `json:"title"`       // what happened, in a line
	Description     string           `json:"description"` // what happened, in more words
	DetectedAt      time.Time        `json:"detected_at"`
	Location        string           `json:"location"` // where: place, unit or system
	ReporterContact string           `json:"reporter_contact"`
	ReportedBy      *int64           `json:"reported_by"`
	ReportedByName  string           `json:"reported_by_name"`
	ReportedAt      time.Time        `json:"reported_at"`
	Status          IncidentStatus   `json:"status"`
	Category        IncidentCategory `json:"category"`
	// Severity is the level's place (1 = lowest) on the organisation's
	// scale; 0 before triage.
	Severity          int        `json:"severity"`
	NotIncidentReason string     `json:"not_incident_reason"`
	OwnerID           *int64     `json:"owner_id"`
	OwnerName         string     `json:"owner_name"`
	Lessons           string     `json:"lessons_learned"`
	Nonconformity     bool       `json:"nonconformity"`
	PersonalData      bool       `json:"personal_data_breach"`
	NIS2Significant   bool       `json:"nis2_significant"`
	TriagedBy         *int64     `json:"triaged_by"`
	TriagedByName     string     `json:"triaged_by_name"`
	TriagedAt         *time.Time `json:"triaged_at"`
	// The business overview entries (guide 2.1) and risk assets touched.
	EntryIDs []int64        `json:"overview_entry_ids"`
	AssetIDs []int64        `json:"asset_ids"`
	Affected []IncidentLink `json:"affected"`
	// The risks it touched, the threats it shows and the controls it put
	// to the test (see incident_links.go).
	Risks    []IncidentRiskRef   `json:"risks"`
	Threats  []IncidentThreatRef `json:"threats"`
	Controls []IncidentControl   `json:"controls"`
	// ClosedAt is when the incident was closed; nil while it is not.
	ClosedAt *time.Time `json:"closed_at"`
	// The reports sent to the authorities, oldest first.
	Reports   []*IncidentReport `json:"reports"`
	Version   int64             `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`

	// ReportedVia is ReportedViaPublicLink for an event reported through
	// the public reporting link (incident_intake.go), else empty.
	ReportedVia string `json:"reported_via"`
}

// IncidentLink is one affected business overview entry or risk asset.
type IncidentLink struct {
	Kind string `json:"kind"` // "entry" or "asset"
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// IncidentEventInput is what anyone reports about a security event.
type IncidentEventInput struct {
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	DetectedAt      *Instant `json:"detected_at"`
	Location        string   `json:"location"`
	ReporterContact string   `json:"reporter_contact"`
}

// IncidentTriageInput is the coordinator's decision on a reported event:
// an incident with category and severity, or not an incident with the
// reason.
type IncidentTriageInput struct {
	Incident        bool             `json:"incident"`
	Category        IncidentCategory `json:"category"`
	Severity        int              `json:"severity"`
	OwnerID         *int64           `json:"owner_id"`
	PersonalData    bool             `json:"personal_data_breach"`
	NIS2Significant bool             `json:"nis2_significant"`
	Reason          string           `json:"reason"` // why it is not an incident
	Version         int64            `json:"version"`
}

// IncidentInput is a change to a triaged incident.
type IncidentInput struct {
	Title           string           `json:"title"`
	Description     string           `json:"description"`
	DetectedAt      *Instant         `json:"detected_at"`
	Location        string           `json:"location"`
	ReporterContact string           `json:"reporter_contact"`
	Status          IncidentStatus   `json:"status"`
	Category        IncidentCategory `json:"category"`
	Severity        int              `json:"severity"`
	OwnerID         *int64           `json:"owner_id"`
	Lessons         string           `json:"lessons_learned"`
	Nonconformity   bool             `json:"nonconformity"`
	PersonalData    bool             `json:"personal_data_breach"`
	NIS2Significant bool             `json:"nis2_significant"`
	EntryIDs        []int64          `json:"overview_entry_ids"`
	AssetIDs        []int64          `json:"asset_ids"`
	Version         int64            `json:"version"`
}

// IncidentTimelineEntry is one dated entry of an incident's timeline:
// what happened or what was done, and by whom.
type IncidentTimelineEntry struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	At         time.Time `json:"at"`
	Text       string    `json:"text"`
	Actor      string    `json:"actor"` // who did it, in the organisation's words
	RecordedBy string    `json:"recorded_by_name"`
	CreatedAt  time.Time `json:"created_at"`
}

// IncidentTimelineInput is a new timeline entry.
type IncidentTimelineInput struct {
	At    *Instant `json:"at"`
	Text  string   `json:"text"`
	Actor string   `json:"actor"`
}

// IncidentReport is one report sent to an authority.
type IncidentReport struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	Regime     string    `json:"regime"`
	Kind       string    `json:"kind"`
	SentAt     time.Time `json:"sent_at"`
	Recipient  string    `json:"recipient"`
	Content    string    `json:"content"` // the content or a reference to it
	RecordedBy string    `json:"recorded_by_name"`
	CreatedAt  time.Time `json:"created_at"`
}

// IncidentReportInput is a report sent.
type IncidentReportInput struct {
	Regime    string   `json:"regime"`
	Kind      string   `json:"kind"`
	SentAt    *Instant `json:"sent_at"`
	Recipient string   `json:"recipient"`
	Content   string   `json:"content"`
}

// IncidentSettings is how the organisation handles incidents: which
// reporting regimes apply and its severity scale.
type IncidentSettings struct {
	NIS2Applies bool `json:"nis2_applies"`
	GDPRApplies bool `json:"gdpr_applies"`
	// Severities names the levels from lowest to highest in the
	// organisation's words; empty means the default scale (low, medium,
	// high, critical).
	Severities []string `json:"severities"`
	Version    int64    `json:"version"`
}

// DefaultSeverityLevels is the number of levels on the default scale.
const DefaultSeverityLevels = 4

// Levels is the number of levels on the scale.
func (s *IncidentSettings) Levels() int {
	if len(s.Severities) == 0 {
		return DefaultSeverityLevels
	}
	return len(s.Severities)
}

// ClockState is where a reporting clock stands.
type ClockState string

const (
	ClockDue     ClockState = "due"     // running, the deadline ahead
	ClockOverdue ClockState = "overdue" // running, the deadline passed
	ClockMet     ClockState = "met"     // report sent in time
	ClockLate    ClockState = "late"    // report sent after the deadline
)

// ReportingClock is one deadline for a report to an authority.
type ReportingClock struct {
	Regime string     `json:"regime"`
	Kind   string     `json:"kind"`
	Due    time.Time  `json:"due"`
	State  ClockState `json:"state"`
	SentAt *time.Time `json:"sent_at"`
	// Remaining is the time left (negative when overdue); zero once sent.
	Remaining time.Duration `json:"remaining_ns"`
}

// Running reports whether the clock still waits for its report.
func (c ReportingClock) Running() bool { return c.State == ClockDue || c.State == ClockOverdue }

// IncidentClocks computes the reporting clocks of an incident at now from
// its detection time, its flags, the regimes that apply and the reports
// sent. A reported event not (yet) triaged into an incident has none. The
// clocks come in the order they fall due.
func IncidentClocks(inc *Incident, settings IncidentSettings, reports []*IncidentReport, now time.Time) []ReportingClock {
	if inc == nil || !inc.Status.IsIncident() {
		return nil
	}
	sent := func(regime, kind string) *time.Time {
		var first *time.Time
		for _, r := range reports {
			if r.Regime == regime && r.Kind == kind && (first == nil || r.SentAt.Before(*first)) {
				t := r.SentAt
				first = &t
			}
		}
		return first
	}
	var out []ReportingClock
	add := func(regime, kind string, due time.Time) {
		c := ReportingClock{Regime: regime, Kind: kind, Due: due, SentAt: sent(regime, kind)}
		switch {
		case c.SentAt != nil && !c.SentAt.After(due):
			c.State = ClockMet
		case c.SentAt != nil:
			c.State = ClockLate
		case now.After(due):
			c.State, c.Remaining = ClockOverdue, due.Sub(now)
		default:
			c.State, c.Remaining = ClockDue, due.Sub(now)
		}
		out = append(out, c)
	}
	d := inc.DetectedAt
	if settings.NIS2Applies && inc.NIS2Significant {
		add(RegimeNIS2, ReportEarlyWarning, d.Add(24*time.Hour))
		add(RegimeNIS2, ReportNotification, d.Add(72*time.Hour))
		from := d
		if n := sent(RegimeNIS2, ReportNotification); n != nil {
			from = *n
		}
		add(RegimeNIS2, ReportFinal, from.AddDate(0, 1, 0))
	}
	if settings.GDPRApplies && inc.PersonalData {
		add(RegimeGDPR, ReportNotification, d.Add(72*time.Hour))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// NearestClock is the running clock due first, or nil when none runs.
func NearestClock(clocks []ReportingClock) *ReportingClock {
	for i := range clocks {
		if clocks[i].Running() {
			return &clocks[i]
		}
	}
	return nil
}

// IncidentFilter narrows and orders the incident log.
type IncidentFilter struct {
	Status   IncidentStatus
	Category IncidentCategory
	Severity int
	// Open lists only events awaiting triage and incidents not closed.
	Open bool
	// Overdue lists only incidents with a reporting clock overdue now.
	Overdue bool
	Query   string // matched against title, description and location
	Sort    string // detected, title, status, severity (prefix "-" for descending)
	Offset  int
	Limit   int
}

// IncidentService keeps the incident log (guide 2.9).
type IncidentService interface {
	Incidents(ctx context.Context, orgID int64, f IncidentFilter) ([]*Incident, int, error)
	Incident(ctx context.Context, orgID, id int64) (*Incident, error)
	// ReportEvent records a security event; every member may report.
	ReportEvent(ctx context.Context, orgID int64, in IncidentEventInput) (*Incident, error)
	TriageIncident(ctx context.Context, orgID, id int64, in IncidentTriageInput) (*Incident, error)
	UpdateIncident(ctx context.Context, orgID, id int64, in IncidentInput) (*Incident, error)
	// DeleteIncident removes an event that was not an incident or was
	// reported by mistake; an incident stays in the log.
	DeleteIncident(ctx context.Context, orgID, id, version int64) error
	IncidentTimeline(ctx context.Context, orgID, id int64) ([]*IncidentTimelineEntry, error)
	AddIncidentTimeline(ctx context.Context, orgID, id int64, in IncidentTimelineInput) (*IncidentTimelineEntry, error)
	DeleteIncidentTimeline(ctx context.Context, orgID, id, entryID int64) error
	AddIncidentReport(ctx context.Context, orgID, id int64, in IncidentReportInput) (*IncidentReport, error)
	DeleteIncidentReport(ctx context.Context, orgID, id, reportID int64) error
	IncidentSettings(ctx context.Context, orgID int64) (*IncidentSettings, error)
	UpdateIncidentSettings(ctx context.Context, orgID int64, in IncidentSettings) (*IncidentSettings, error)
	// The links to nonconformities, risks, threats, controls and the
	// communication plan (incident_links.go).
	IncidentLinkService
}

// Instant is a moment given in the API as an RFC 3339 timestamp ("2026-03-10T14:00:00Z").
// Anything else is refused by the field's name.
type Instant struct{ time.Time }

// InstantOf makes an Instant of t.
func InstantOf(t time.Time) *Instant { return &Instant{t} }

// MarshalJSON writes RFC 3339.
func (i Instant) MarshalJSON() ([]byte, error) {
	return json.Marshal(i.Time.UTC().Format(time.RFC3339))
}

// UnmarshalJSON reads RFC 3339 and refuses anything else.
func (i *Instant) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return &Error{Code: EInvalid, Key: "err.timestamp"}
	}
	i.Time = t
	return nil
}
