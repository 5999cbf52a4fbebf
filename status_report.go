package isms

import (
	"context"
	"time"
)

// The status report to management (guide 2.4: "status på arbejdet
// rapporteres til ledelsen"): the objectives with their progress, the
// year's resources granted against needed, the actions that are
// overdue, and the indicators of the measurement programme (guide 2.9), assembled live from the records. When it is presented to
// management it is kept as a dated record with a frozen copy of what was
// shown, to whom and by whom; management may mark it received and note
// its decisions. A presented report is an occasion on which management
// dealt with the topics "objectives" and "resources" (guide 2.2), and its
// next due date a planned one.

// ReportObjective is one objective as the report shows it.
type ReportObjective struct {
	ID         int64           `json:"id"`
	Title      string          `json:"title"`
	OwnerName  string          `json:"owner_name"`
	Status     ObjectiveStatus `json:"status"`
	Target     string          `json:"target"` // value and unit, "" when none
	Latest     string          `json:"latest"` // value and unit, "" when none
	LatestOn   *Date           `json:"latest_on"`
	DueDate    *Date           `json:"due_date"`
	Overdue    bool            `json:"overdue"`
	Approved   bool            `json:"approved"`
	Measurable bool            `json:"measurable"`
	// Resources of the year for the objective.
	Lines int  `json:"resource_lines"`
	Gap   bool `json:"resource_gap"`
}

// ReportOverdue is an action past its date.
type ReportOverdue struct {
	Kind      string `json:"kind"` // risk_task, wheel, competence_plan
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	OwnerName string `json:"owner_name"`
	Due       Date   `json:"due"`
	Path      string `json:"path"` // below /orgs/{id}
}

// Overdue action kinds.
var OverdueKinds = []string{"risk_task", "wheel", "competence_plan"}

// StatusReportContent is what a status report shows.
type StatusReportContent struct {
	AsOf       Date              `json:"as_of"`
	Year       int               `json:"year"`
	Objectives []ReportObjective `json:"objectives"`
	Totals     ResourceTotals    `json:"totals"`
	ISMSTotals ResourceTotals    `json:"isms_totals"`
	// GapLines are the year's lines with less granted than planned.
	GapLines    []ReportGapLine `json:"gap_lines"`
	Unresourced []string        `json:"unresourced"` // current objectives without resources
	Overdue     []ReportOverdue `json:"overdue"`
	// Indicators are the measurement programme's results (guide 2.9,
	// clause 9.1): what management follows up on, with the trend and
	// the breaches of thresholds. A report that carries them is how the
	// results are reported.
	Indicators []ReportIndicator `json:"indicators"`
}

// ReportIndicator is one active indicator as the report shows it.
type ReportIndicator struct {
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	OwnerName    string         `json:"owner_name"`
	Target       string         `json:"target"` // value and unit
	Latest       string         `json:"latest"` // value and unit, "" when none
	LatestOn     *Date          `json:"latest_on"`
	Level        IndicatorLevel `json:"level"` // of the latest value
	Trend        string         `json:"trend"` // better, worse, same; "" with fewer than two values
	OpenBreaches int            `json:"open_breaches"`
	Overdue      bool           `json:"overdue"` // a measurement is past its schedule
}

// ReportGapLine is a resource line whose need is not covered.
type ReportGapLine struct {
	ID        int64        `json:"id"`
	Title     string       `json:"title"`
	Objective string       `json:"objective"` // "" for the ISMS as a whole
	Kind      ResourceKind `json:"kind"`
	Granted   bool         `json:"granted"` // false: awaiting management's grant
}

// StatusReport is a report presented to management.
type StatusReport struct {
	ID              int64               `json:"id"`
	OrganisationID  int64               `json:"organisation_id"`
	Title           string              `json:"title"`
	PresentedOn     Date                `json:"presented_on"`
	ForumID         *int64              `json:"forum_id"`
	ForumName       string              `json:"forum_name"`
	PresentedTo     string              `json:"presented_to"`
	PresentedBy     *int64              `json:"presented_by"`
	PresentedByName string              `json:"presented_by_name"`
	NextDue         *Date               `json:"next_due"`
	Content         StatusReportContent `json:"content"`
	ReceivedBy      *int64              `json:"received_by"`
	ReceivedByName  string              `json:"received_by_name"`
	ReceivedAt      *time.Time          `json:"received_at"`
	Decisions       string              `json:"decisions"`
	Version         int64               `json:"version"`
	CreatedAt       time.Time           `json:"created_at"`
}

// Audience is whom the report was presented to, as shown.
func (r *StatusReport) Audience() string {
	switch {
	case r.ForumName != "" && r.PresentedTo != "":
		return r.ForumName + " · " + r.PresentedTo
	case r.ForumName != "":
		return r.ForumName
	}
	return r.PresentedTo
}

// StatusReportInput presents the report as it now stands.
type StatusReportInput struct {
	Title       string `json:"title"`
	PresentedOn *Date  `json:"presented_on"`
	ForumID     *int64 `json:"forum_id"`
	PresentedTo string `json:"presented_to"`
	NextDue     *Date  `json:"next_due"`
}

// StatusReportReceipt is management's receipt of a report.
type StatusReportReceipt struct {
	Decisions string `json:"decisions"`
	Version   int64  `json:"version"`
}

// StatusReportService assembles and keeps the status reports.
type StatusReportService interface {
	// StatusReportPreview assembles the report from the records as they
	// are, for the current budget year.
	StatusReportPreview(ctx context.Context, orgID int64) (*StatusReportContent, error)
	StatusReports(ctx context.Context, orgID int64) ([]*StatusReport, error)
	StatusReport(ctx context.Context, orgID, id int64) (*StatusReport, error)
	// PresentStatusReport keeps the report as it now stands (PermEdit).
	PresentStatusReport(ctx context.Context, orgID int64, in StatusReportInput) (*StatusReport, error)
	// ReceiveStatusReport records management's receipt and decisions
	// (PermApprove).
	ReceiveStatusReport(ctx context.Context, orgID, id int64, in StatusReportReceipt) (*StatusReport, error)
	DeleteStatusReport(ctx context.Context, orgID, id, version int64) error
}
