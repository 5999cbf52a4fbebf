package isms

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Internal audit (guide 2.9 "Intern audit", ISO/IEC 27001 clause 9.2).
// The organisation keeps an audit programme ("auditplan") over a cycle of
// years, typically three, that covers every clause 4–10 of the standard and
// every Annex A control included in the SoA, more often where the risk is
// high or earlier audits found something. Each audit has a scope (clauses
// and controls), criteria, a lead auditor and their independence, its
// dates, the evidence seen, a checklist line per clause or control in
// scope, and findings: a major or minor nonconformity, an observation or an
// opportunity for improvement, each against a clause or control with its
// evidence. A nonconformity found becomes a record of the nonconformity
// register (nonconformity.go) in one step and is followed there to its
// effectiveness review; the finding shows that record's status.
//
// Who does what: the coordinator plans the programme and its audits
// (PermEdit); the auditor role records the audit itself, its checklist and
// findings and registers nonconformities (PermAudit); the lead auditor
// approves the report, which freezes it; management reads it.
//
// Independence (the guide: an independent external party, or a central
// unit supervising its institutions, may be the internal audit): an audit
// records how its auditors are independent. An internal auditor may not
// audit their own area: a lead auditor who owns an Annex A control in the
// audit's scope (the SoA's owner) is refused, naming the control; external
// and central-unit auditors are not members who own controls.
//
// The report is assembled from the audit's records. Approving it records
// who and when and a checksum of its content; after that the audit, its
// checklist and findings are refused changes (the report is what
// management read), except that a finding's nonconformity is followed in
// the register. The lead auditor may withdraw the approval to correct the
// audit, which the audit trail records.

// AuditIndependence is how an audit's auditors are independent of what
// they audit.
type AuditIndependence string

const (
	// IndependenceInternal: the organisation's own auditor, auditing an
	// area they are not responsible for.
	IndependenceInternal AuditIndependence = "internal"
	// IndependenceExternal: an independent external party.
	IndependenceExternal AuditIndependence = "external"
	// IndependenceCentral: a central unit's supervision of its
	// institutions (guide 2.9).
	IndependenceCentral AuditIndependence = "central"
)

// AuditIndependences lists the kinds in order.
var AuditIndependences = []AuditIndependence{IndependenceInternal, IndependenceExternal, IndependenceCentral}

// Valid reports whether k is a known kind.
func (k AuditIndependence) Valid() bool { return slices.Contains(AuditIndependences, k) }

// FindingType is what an audit found.
type FindingType string

const (
	FindingMajorNC     FindingType = "major_nc"
	FindingMinorNC     FindingType = "minor_nc"
	FindingObservation FindingType = "observation"
	FindingOpportunity FindingType = "opportunity"
)

// FindingTypes lists the types in order of weight.
var FindingTypes = []FindingType{FindingMajorNC, FindingMinorNC, FindingObservation, FindingOpportunity}

// Valid reports whether t is a known type.
func (t FindingType) Valid() bool { return slices.Contains(FindingTypes, t) }

// Nonconformity reports whether a finding of this type is a nonconformity
// that belongs in the nonconformity register.
func (t FindingType) Nonconformity() bool { return t == FindingMajorNC || t == FindingMinorNC }

// AuditStatus is where an audit stands, derived from its record.
type AuditStatus string

const (
	AuditPlanned  AuditStatus = "planned"  // no dates held yet
	AuditHeld     AuditStatus = "held"     // held, report not approved
	AuditApproved AuditStatus = "approved" // report approved by the lead auditor
)

// CheckResult is the outcome of one checklist line.
type CheckResult string

const (
	CheckNotChecked CheckResult = ""
	CheckConform    CheckResult = "conform"
	CheckFinding    CheckResult = "finding"
)

// Valid reports whether r is a known result.
func (r CheckResult) Valid() bool {
	return r == CheckNotChecked || r == CheckConform || r == CheckFinding
}

// AuditProgramme is the organisation's audit programme over a cycle of
// years (first and last year inclusive).
type AuditProgramme struct {
	ID             int64     `json:"id"`
	OrganisationID int64     `json:"organisation_id"`
	Title          string    `json:"title"`
	FirstYear      int       `json:"first_year"`
	LastYear       int       `json:"last_year"`
	Approach       string    `json:"approach"` // how the programme weights risk and earlier results
	Audits         []*Audit  `json:"audits"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Covers reports whether a year lies in the programme's cycle.
func (p *AuditProgramme) Covers(year int) bool { return year >= p.FirstYear && year <= p.LastYear }

// AuditProgrammeInput is what a caller sets on a programme.
type AuditProgrammeInput struct {
	Title     string `json:"title"`
	FirstYear int    `json:"first_year"`
	LastYear  int    `json:"last_year"`
	Approach  string `json:"approach"`
	Version   int64  `json:"version"`
}

// MaxAuditCycleYears bounds a programme's cycle.
const MaxAuditCycleYears = 5

// Validate checks a programme's input, naming the field.
func (in *AuditProgrammeInput) Validate() error {
	var v Validation
	v.RequireText("title", in.Title, 300)
	v.CheckText("approach", in.Approach, 10000)
	if in.FirstYear < 2000 || in.FirstYear > 2100 {
		v.Add("first_year", "aud.err.year")
	}
	switch {
	case in.LastYear < 2000 || in.LastYear > 2100:
		v.Add("last_year", "aud.err.year")
	case in.LastYear < in.FirstYear:
		v.Add("last_year", "aud.err.last_before_first")
	case in.LastYear-in.FirstYear+1 > MaxAuditCycleYears:
		v.Add("last_year", "aud.err.cycle_long", MaxAuditCycleYears)
	}
	return v.Err()
}

// Audit is one internal audit of the programme.
type Audit struct {
	ID              int64             `json:"id"`
	OrganisationID  int64             `json:"organisation_id"`
	ProgrammeID     int64             `json:"programme_id"`
	Title           string            `json:"title"`
	Scope           string            `json:"scope"`    // what is audited, in words
	Criteria        string            `json:"criteria"` // against what: ISO/IEC 27001, own policy, ...
	Clauses         []string          `json:"clauses"`  // StandardClauses in scope
	Controls        []string          `json:"controls"` // Annex A control refs in scope
	PlannedOn       Date              `json:"planned_on"`
	HeldFrom        *Date             `json:"held_from"`
	HeldTo          *Date             `json:"held_to"`
	LeadAuditorID   *int64            `json:"lead_auditor_id"`
	LeadAuditorName string            `json:"lead_auditor_name"`
	OtherAuditors   string            `json:"other_auditors"` // names, external parties
	Independence    AuditIndependence `json:"independence"`
	IndependenceWhy string            `json:"independence_note"`
	EvidenceSeen    string            `json:"evidence_seen"`
	Conclusion      string            `json:"conclusion"`
	WheelActivityID *int64            `json:"wheel_activity_id"`
	WheelActivity   string            `json:"wheel_activity_title"`
	ApprovedAt      *time.Time        `json:"approved_at"`
	ApprovedByID    *int64            `json:"approved_by_id"`
	ApprovedByName  string            `json:"approved_by_name"`
	Checksum        string            `json:"report_checksum"`
	Status          AuditStatus       `json:"status"`
	Counts          FindingCounts     `json:"finding_counts"`
	Checks          []*AuditCheck     `json:"checks,omitempty"`
	Findings        []*AuditFinding   `json:"findings,omitempty"`
	Version         int64             `json:"version"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
}

// DeriveStatus works the status out from the record.
func (a *Audit) DeriveStatus() AuditStatus {
	switch {
	case a.ApprovedAt != nil:
		return AuditApproved
	case a.HeldTo != nil:
		return AuditHeld
	}
	return AuditPlanned
}

// Overdue reports whether a planned audit's date has passed without it
// being held.
func (a *Audit) Overdue(today Date) bool { return a.HeldTo == nil && a.PlannedOn.Before(today) }

// Covers reports whether the audit has a clause or control in scope.
func (a *Audit) Covers(ref string) bool {
	return slices.Contains(a.Clauses, ref) || slices.Contains(a.Controls, ref)
}

// AuditInput is what the coordinator plans and the auditor records on an
// audit.
type AuditInput struct {
	ProgrammeID     int64             `json:"programme_id"`
	Title           string            `json:"title"`
	Scope           string            `json:"scope"`
	Criteria        string            `json:"criteria"`
	Clauses         []string          `json:"clauses"`
	Controls        []string          `json:"controls"`
	PlannedOn       *Date             `json:"planned_on"`
	HeldFrom        *Date             `json:"held_from"`
	HeldTo          *Date             `json:"held_to"`
	LeadAuditorID   *int64            `json:"lead_auditor_id"`
	OtherAuditors   string            `json:"other_auditors"`
	Independence    AuditIndependence `json:"independence"`
	IndependenceWhy string            `json:"independence_note"`
	EvidenceSeen    string            `json:"evidence_seen"`
	Conclusion      string            `json:"conclusion"`
	WheelActivityID *int64            `json:"wheel_activity_id"`
	Version         int64             `json:"version"`
}

// Validate checks what needs no records: texts, dates in order, known
// clauses and an independence kind. The store checks the programme,
// controls, people and the wheel activity.
func (in *AuditInput) Validate() *Validation {
	var v Validation
	v.RequireText("title", in.Title, 300)
	v.CheckText("scope", in.Scope, 10000)
	v.CheckText("criteria", in.Criteria, 5000)
	v.CheckText("other_auditors", in.OtherAuditors, 1000)
	v.CheckText("independence_note", in.IndependenceWhy, 2000)
	v.CheckText("evidence_seen", in.EvidenceSeen, 20000)
	v.CheckText("conclusion", in.Conclusion, 20000)
	if in.PlannedOn == nil {
		v.Add("planned_on", "err.required")
	}
	if in.HeldTo != nil && in.HeldFrom == nil {
		v.Add("held_from", "aud.err.held_from_required")
	}
	if in.HeldFrom != nil && in.HeldTo != nil && in.HeldTo.Before(*in.HeldFrom) {
		v.Add("held_to", "aud.err.held_to_before")
	}
	if in.Independence == "" {
		in.Independence = IndependenceInternal
	}
	if !in.Independence.Valid() {
		v.Add("independence", "err.choice")
	}
	if in.Independence != IndependenceInternal && in.IndependenceWhy == "" {
		v.Add("independence_note", "aud.err.independence_note")
	}
	for _, c := range in.Clauses {
		if !slices.Contains(StandardClauses, c) {
			v.Add("clauses", "aud.err.unknown_clause", c)
			break
		}
	}
	if len(in.Clauses) == 0 && len(in.Controls) == 0 {
		v.Add("clauses", "aud.err.scope_empty")
	}
	return &v
}

// AuditCheck is one line of an audit's checklist: a clause or control in
// scope, what was checked and the result.
type AuditCheck struct {
	Ref    string      `json:"ref"`
	Kind   string      `json:"kind"` // clause or control
	Result CheckResult `json:"result"`
	Note   string      `json:"note"`
}

// AuditCheckInput sets the checklist's results; lines not named keep
// theirs.
type AuditCheckInput struct {
	Checks  []AuditCheck `json:"checks"`
	Version int64        `json:"version"` // the audit's version
}

// AuditFinding is one finding of an audit.
type AuditFinding struct {
	ID              int64       `json:"id"`
	OrganisationID  int64       `json:"organisation_id"`
	AuditID         int64       `json:"audit_id"`
	AuditTitle      string      `json:"audit_title"`
	Type            FindingType `json:"type"`
	Ref             string      `json:"ref"` // the clause or control it is against
	Title           string      `json:"title"`
	Description     string      `json:"description"`
	Evidence        string      `json:"evidence"`
	DocumentID      *int64      `json:"document_id"`
	DocumentTitle   string      `json:"document_title"`
	RecordedByName  string      `json:"recorded_by_name"`
	NonconformityID *int64      `json:"nonconformity_id"`
	NCTitle         string      `json:"nonconformity_title"`
	NCStatus        NCStatus    `json:"nonconformity_status"`
	NCEffective     *bool       `json:"nonconformity_effective"`
	NCReviewedOn    *Date       `json:"nonconformity_reviewed_on"`
	Version         int64       `json:"version"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
}

// AwaitsRegistration reports whether a nonconformity finding is not yet
// in the nonconformity register.
func (f *AuditFinding) AwaitsRegistration() bool {
	return f.Type.Nonconformity() && f.NonconformityID == nil
}

// AuditFindingInput is what the auditor records on a finding.
type AuditFindingInput struct {
	Type        FindingType `json:"type"`
	Ref         string      `json:"ref"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Evidence    string      `json:"evidence"`
	DocumentID  *int64      `json:"document_id"`
	Version     int64       `json:"version"`
}

// Validate checks a finding's input; the store checks that the clause or
// control exists.
func (in *AuditFindingInput) Validate() *Validation {
	var v Validation
	if !in.Type.Valid() {
		v.Add("type", "err.choice")
	}
	v.RequireText("ref", in.Ref, 50)
	v.RequireText("title", in.Title, 300)
	v.CheckText("description", in.Description, 10000)
	// A finding stands on its evidence: what was seen or not seen.
	v.RequireText("evidence", in.Evidence, 10000)
	return &v
}

// FindingRegistration is the request to put a nonconformity finding into
// the nonconformity register: who owns the nonconformity there (by
// default the owner of the control in the SoA) and the finding's version.
type FindingRegistration struct {
	OwnerID *int64 `json:"owner_id"`
	Version int64  `json:"version"`
}

// FindingCounts counts an audit's findings by type.
type FindingCounts struct {
	MajorNC      int `json:"major_nc"`
	MinorNC      int `json:"minor_nc"`
	Observations int `json:"observations"`
	Opportunity  int `json:"opportunities"`
}

// Add counts one finding.
func (c *FindingCounts) Add(t FindingType) {
	switch t {
	case FindingMajorNC:
		c.MajorNC++
	case FindingMinorNC:
		c.MinorNC++
	case FindingObservation:
		c.Observations++
	case FindingOpportunity:
		c.Opportunity++
	}
}

// Total is the number of findings.
func (c FindingCounts) Total() int { return c.MajorNC + c.MinorNC + c.Observations + c.Opportunity }

// AuditResults is what the internal audits of a period found, as
// management review (clause 9.3 c 3: "audit results") reads it: the audits
// held in the period with their findings counted by type, and the
// nonconformities raised by audit findings (of any period) still open.
type AuditResults struct {
	From                Date                 `json:"from"`
	To                  Date                 `json:"to"`
	Audits              []AuditResult        `json:"audits"`
	Totals              FindingCounts        `json:"totals"`
	OpenNonconformities []AuditOpenFindingNC `json:"open_nonconformities"`
}

// AuditResult is one audit held in the period.
type AuditResult struct {
	AuditID         int64         `json:"audit_id"`
	Title           string        `json:"title"`
	HeldFrom        Date          `json:"held_from"`
	HeldTo          Date          `json:"held_to"`
	LeadAuditorName string        `json:"lead_auditor_name"`
	Approved        bool          `json:"report_approved"`
	Conclusion      string        `json:"conclusion"`
	Counts          FindingCounts `json:"finding_counts"`
	Path            string        `json:"path"`
}

// AuditOpenFindingNC is a nonconformity registered from an audit finding
// and not yet closed.
type AuditOpenFindingNC struct {
	NonconformityID int64       `json:"nonconformity_id"`
	Title           string      `json:"title"`
	Status          NCStatus    `json:"status"`
	FindingID       int64       `json:"finding_id"`
	FindingType     FindingType `json:"finding_type"`
	Ref             string      `json:"ref"`
	AuditID         int64       `json:"audit_id"`
	AuditTitle      string      `json:"audit_title"`
	Overdue         bool        `json:"overdue"`
	Path            string      `json:"path"`
}

// AuditCoverage is the programme's plan against what it must cover: every
// clause and every applicable control, each with the audits of the cycle
// that have it in scope, and a suggested frequency with its reasons.
type AuditCoverage struct {
	ProgrammeID int64          `json:"programme_id"`
	Years       []int          `json:"years"`
	Clauses     []CoverageLine `json:"clauses"`
	Controls    []CoverageLine `json:"controls"`
	// Uncovered counts the lines no audit of the cycle has in scope.
	Uncovered int `json:"uncovered"`
	// Underweighted counts lines suggested yearly but not planned every
	// year of the cycle.
	Underweighted int `json:"underweighted"`
}

// CoverageLine is one clause or control of the coverage.
type CoverageLine struct {
	Ref    string          `json:"ref"`
	Title  string          `json:"title"`
	Audits []CoverageAudit `json:"audits"`
	// Yearly is the suggestion to audit every year of the cycle, with why:
	// HighRisks names the risks above the acceptance level treated by the
	// control, Findings counts earlier nonconformities and observations
	// against it.
	Yearly       bool     `json:"suggest_yearly"`
	HighRisks    []string `json:"high_risks"`
	Findings     int      `json:"earlier_findings"`
	YearsPlanned []int    `json:"years_planned"`
}

// HighRiskNames names the first high risks for a reader and counts the
// rest, so a control that treats many risks keeps a short line.
func (l *CoverageLine) HighRiskNames() string {
	const shown = 3
	if len(l.HighRisks) <= shown {
		return strings.Join(l.HighRisks, "; ")
	}
	return strings.Join(l.HighRisks[:shown], "; ") + " (+" + strconv.Itoa(len(l.HighRisks)-shown) + ")"
}

// Covered reports whether any audit of the cycle has the line in scope.
func (l *CoverageLine) Covered() bool { return len(l.Audits) > 0 }

// Underweighted reports whether a line suggested yearly misses a year of
// the cycle.
func (l *CoverageLine) Underweighted(years []int) bool {
	if !l.Yearly {
		return false
	}
	for _, y := range years {
		if !slices.Contains(l.YearsPlanned, y) {
			return true
		}
	}
	return false
}

// CoverageAudit is an audit covering a line.
type CoverageAudit struct {
	AuditID int64       `json:"audit_id"`
	Title   string      `json:"title"`
	On      Date        `json:"on"` // held, or planned when not held
	Status  AuditStatus `json:"status"`
}

// AssignedAuditItem is an open item of the internal audit assigned to a
// person: an audit to hold or a report to approve (lead auditor).
type AssignedAuditItem struct {
	UserID int64  `json:"user_id"`
	DueOn  Date   `json:"due_on"`
	Title  string `json:"title"`
	Kind   string `json:"kind"` // hold or approve
	Path   string `json:"path"`
}

// InternalAuditService keeps the audit programme, the audits and their
// findings (guide 2.9, clause 9.2).
type InternalAuditService interface {
	AuditProgrammes(ctx context.Context, orgID int64) ([]*AuditProgramme, error)
	AuditProgramme(ctx context.Context, orgID, id int64) (*AuditProgramme, error)
	CreateAuditProgramme(ctx context.Context, orgID int64, in AuditProgrammeInput) (*AuditProgramme, error)
	UpdateAuditProgramme(ctx context.Context, orgID, id int64, in AuditProgrammeInput) (*AuditProgramme, error)
	DeleteAuditProgramme(ctx context.Context, orgID, id, version int64) error
	AuditCoverage(ctx context.Context, orgID, programmeID int64) (*AuditCoverage, error)

	Audit(ctx context.Context, orgID, id int64) (*Audit, error)
	CreateAudit(ctx context.Context, orgID int64, in AuditInput) (*Audit, error)
	UpdateAudit(ctx context.Context, orgID, id int64, in AuditInput) (*Audit, error)
	DeleteAudit(ctx context.Context, orgID, id, version int64) error
	SaveAuditChecks(ctx context.Context, orgID, id int64, in AuditCheckInput) (*Audit, error)
	ApproveAuditReport(ctx context.Context, orgID, id, version int64) (*Audit, error)
	WithdrawAuditApproval(ctx context.Context, orgID, id, version int64) (*Audit, error)

	AuditFindings(ctx context.Context, orgID int64) ([]*AuditFinding, error)
	AuditFinding(ctx context.Context, orgID, id int64) (*AuditFinding, error)
	CreateAuditFinding(ctx context.Context, orgID, auditID int64, in AuditFindingInput) (*AuditFinding, error)
	UpdateAuditFinding(ctx context.Context, orgID, id int64, in AuditFindingInput) (*AuditFinding, error)
	DeleteAuditFinding(ctx context.Context, orgID, id, version int64) error
	// RegisterFindingNonconformity puts a nonconformity finding into the
	// nonconformity register, once.
	RegisterFindingNonconformity(ctx context.Context, orgID, id int64, in FindingRegistration) (*Nonconformity, error)

	// AuditResults is what management review reads (see AuditResults).
	AuditResults(ctx context.Context, orgID int64, from, to Date) (*AuditResults, error)
	// OpenAuditAssignments lists each person's open internal-audit items.
	OpenAuditAssignments(ctx context.Context, orgID int64) ([]AssignedAuditItem, error)
}
