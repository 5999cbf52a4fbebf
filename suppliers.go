package isms

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
)

// Suppliers and their supervision (guide 2.9 "Drift og evaluering",
// ISO/IEC 27001 Annex A 5.19–5.23): who delivers what, how critical it is,
// which of the organisation's systems, information and processes depend on
// it, the contracts and data processing agreements (GDPR Art. 28) in force,
// the controls and risk treatments the supplier carries for us, and the
// supervision (tilsyn) of the supplier: planned by criticality, recorded
// with its method, result, findings and follow-up.

// SupplierCriticality says how much the organisation depends on a supplier.
type SupplierCriticality string

const (
	CriticalityLow      SupplierCriticality = "low"
	CriticalityMedium   SupplierCriticality = "medium"
	CriticalityHigh     SupplierCriticality = "high"
	CriticalityCritical SupplierCriticality = "critical"
)

// SupplierCriticalities lists the criticalities, lowest first.
var SupplierCriticalities = []SupplierCriticality{CriticalityLow, CriticalityMedium, CriticalityHigh, CriticalityCritical}

// Valid reports whether c is a known criticality.
func (c SupplierCriticality) Valid() bool { return slices.Contains(SupplierCriticalities, c) }

// SupervisionYears is how often a supplier of this criticality is
// supervised, in years; 0 means no supervision is planned by default.
// The frequencies are constants of the product (critical and high: every
// year, medium: every second year, low: none), as the guide suggests.
func (c SupplierCriticality) SupervisionYears() int {
	switch c {
	case CriticalityCritical, CriticalityHigh:
		return 1
	case CriticalityMedium:
		return 2
	}
	return 0
}

// SupplierStatus is whether the supplier still delivers.
type SupplierStatus string

const (
	SupplierActive SupplierStatus = "active"
	SupplierEnded  SupplierStatus = "ended"
)

// SupplierStatuses lists the statuses.
var SupplierStatuses = []SupplierStatus{SupplierActive, SupplierEnded}

// Valid reports whether s is a known status.
func (s SupplierStatus) Valid() bool { return slices.Contains(SupplierStatuses, s) }

// SupplierLink is something a supplier is linked to: a business-overview
// entry that depends on it, an Annex A control it carries, or a risk whose
// treatment it carries.
type SupplierLink struct {
	ID      int64  `json:"id"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en,omitempty"` // a control's English title
	Kind    string `json:"kind,omitempty"`     // for entries: system, information or process
}

// Localised is the link's label in the language given ("en" or Danish).
func (l SupplierLink) Localised(lang string) string {
	if lang == "en" && l.LabelEN != "" {
		return l.LabelEN
	}
	return l.Label
}

// Supplier is one supplier in the register.
type Supplier struct {
	ID             int64               `json:"id"`
	OrganisationID int64               `json:"organisation_id"`
	Name           string              `json:"name"`
	CVR            string              `json:"cvr"`
	Contact        string              `json:"contact"`
	Delivers       string              `json:"delivers"`
	Criticality    SupplierCriticality `json:"criticality"`
	Status         SupplierStatus      `json:"status"`
	OwnerID        *int64              `json:"owner_id"`
	OwnerName      string              `json:"owner_name"`
	Note           string              `json:"note"`
	Dependencies   []SupplierLink      `json:"dependencies"`
	Controls       []SupplierLink      `json:"controls"`
	Risks          []SupplierLink      `json:"risks"`
	// The earliest planned supervision not yet done, and the day of the
	// latest one done.
	PlannedSupervision *Date `json:"planned_supervision"`
	LastSupervision    *Date `json:"last_supervision"`
	// NextSupervision is when the supplier is next to be supervised: the
	// earliest planned supervision, or else the latest done plus the
	// criticality's frequency, or, never supervised, the day it was
	// registered. None for an ended supplier or one of low criticality
	// without a planned supervision.
	NextSupervision *Date     `json:"next_supervision"`
	Version         int64     `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// SetNextSupervision works out NextSupervision from the planned and last
// supervisions, the criticality and the status.
func (s *Supplier) SetNextSupervision() {
	s.NextSupervision = nil
	if s.Status == SupplierEnded {
		return
	}
	if s.PlannedSupervision != nil {
		d := *s.PlannedSupervision
		s.NextSupervision = &d
		return
	}
	years := s.Criticality.SupervisionYears()
	if years == 0 {
		return
	}
	d := DateOf(s.CreatedAt)
	if s.LastSupervision != nil {
		d = Date{s.LastSupervision.AddDate(years, 0, 0)}
	}
	s.NextSupervision = &d
}

// SupervisionOverdue reports whether the next supervision's day has passed.
func (s *Supplier) SupervisionOverdue(today Date) bool {
	return s.NextSupervision != nil && s.NextSupervision.Before(today)
}

// SupplierInput is what a caller sets on a supplier.
type SupplierInput struct {
	Name        string              `json:"name"`
	CVR         string              `json:"cvr"`
	Contact     string              `json:"contact"`
	Delivers    string              `json:"delivers"`
	Criticality SupplierCriticality `json:"criticality"`
	Status      SupplierStatus      `json:"status"`
	OwnerID     *int64              `json:"owner_id"`
	Note        string              `json:"note"`
	// Ids of the business-overview entries, controls and risks.
	Dependencies []int64 `json:"dependencies"`
	Controls     []int64 `json:"controls"`
	Risks        []int64 `json:"risks"`
	Version      int64   `json:"version"`
}

// ValidCVR reports whether s is a Danish CVR number: eight digits, the
// first not 0, whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11.
func ValidCVR(s string) bool {
	if len(s) != 8 || s[0] == '0' {
		return false
	}
	weights := []int{2, 7, 6, 5, 4, 3, 2, 1}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		sum += int(r-'0') * weights[i]
	}
	return sum%11 == 0
}

// NormaliseCVR removes spaces and a leading "DK" from a CVR number.
func NormaliseCVR(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	return strings.TrimPrefix(s, "DK")
}

// AgreementKind is what kind of agreement is held with a supplier.
type AgreementKind string

const (
	AgreementContract AgreementKind = "contract"
	AgreementDPA      AgreementKind = "dpa" // data processing agreement, GDPR Art. 28
)

// AgreementKinds lists the kinds.
var AgreementKinds = []AgreementKind{AgreementContract, AgreementDPA}

// Valid reports whether k is a known kind.
func (k AgreementKind) Valid() bool { return slices.Contains(AgreementKinds, k) }

// AgreementExpiryDays is how far ahead an agreement's end or review day
// shows as approaching.
const AgreementExpiryDays = 90

// SupplierAgreement is a contract or data processing agreement.
type SupplierAgreement struct {
	ID            int64         `json:"id"`
	SupplierID    int64         `json:"supplier_id"`
	SupplierName  string        `json:"supplier_name"`
	Kind          AgreementKind `json:"kind"`
	Title         string        `json:"title"`
	StartsOn      *Date         `json:"starts_on"`
	EndsOn        *Date         `json:"ends_on"`
	ReviewOn      *Date         `json:"review_on"` // renewal or review
	DocumentID    *int64        `json:"document_id"`
	DocumentTitle string        `json:"document_title"`
	Note          string        `json:"note"`
	Version       int64         `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
}

// Expired reports whether the agreement has ended.
func (a *SupplierAgreement) Expired(today Date) bool {
	return a.EndsOn != nil && a.EndsOn.Before(today)
}

// Expiring reports whether the agreement ends or is due for renewal or
// review within AgreementExpiryDays (and has not ended).
func (a *SupplierAgreement) Expiring(today Date) bool {
	if a.Expired(today) {
		return false
	}
	horizon := today.AddDays(AgreementExpiryDays)
	for _, d := range []*Date{a.EndsOn, a.ReviewOn} {
		if d != nil && !horizon.Before(*d) {
			return true
		}
	}
	return false
}

// SupplierAgreementInput is a new agreement, or a change to one.
type SupplierAgreementInput struct {
	Kind       AgreementKind `json:"kind"`
	Title      string        `json:"title"`
	StartsOn   *Date         `json:"starts_on"`
	EndsOn     *Date         `json:"ends_on"`
	ReviewOn   *Date         `json:"review_on"`
	DocumentID *int64        `json:"document_id"`
	Note       string        `json:"note"`
	// Version is the version read, for a change (ignored when adding).
	Version int64 `json:"version"`
}

// SupervisionMethod is how a supplier was supervised.
type SupervisionMethod string

const (
	SupervisionQuestionnaire SupervisionMethod = "questionnaire"
	SupervisionISAE3000      SupervisionMethod = "isae3000"
	SupervisionISAE3402      SupervisionMethod = "isae3402"
	SupervisionAudit         SupervisionMethod = "audit"
	SupervisionOther         SupervisionMethod = "other"
)

// SupervisionMethods lists the methods.
var SupervisionMethods = []SupervisionMethod{SupervisionQuestionnaire, SupervisionISAE3000, SupervisionISAE3402, SupervisionAudit, SupervisionOther}

// Valid reports whether m is a known method.
func (m SupervisionMethod) Valid() bool { return slices.Contains(SupervisionMethods, m) }

// Statement reports whether the method is the review of an auditor's
// ISAE statement, which covers a period.
func (m SupervisionMethod) Statement() bool {
	return m == SupervisionISAE3000 || m == SupervisionISAE3402
}

// SupervisionResult is what a supervision concluded.
type SupervisionResult string

const (
	ResultSatisfactory   SupervisionResult = "satisfactory"
	ResultRemarks        SupervisionResult = "remarks"
	ResultUnsatisfactory SupervisionResult = "unsatisfactory"
)

// SupervisionResults lists the results.
var SupervisionResults = []SupervisionResult{ResultSatisfactory, ResultRemarks, ResultUnsatisfactory}

// Valid reports whether r is a known result.
func (r SupervisionResult) Valid() bool { return slices.Contains(SupervisionResults, r) }

// Supervision is one supervision (tilsyn) of a supplier.
type Supervision struct {
	ID             int64             `json:"id"`
	OrganisationID int64             `json:"organisation_id"`
	SupplierID     int64             `json:"supplier_id"`
	SupplierName   string            `json:"supplier_name"`
	SupplierOwner  *int64            `json:"supplier_owner_id"`
	Method         SupervisionMethod `json:"method"`
	PlannedOn      Date              `json:"planned_on"`
	DoneOn         *Date             `json:"done_on"`
	Result         SupervisionResult `json:"result" enum:",empty"` // empty until done
	Findings       []string          `json:"findings"`
	PeriodFrom     *Date             `json:"period_from"` // an ISAE statement's period
	PeriodTo       *Date             `json:"period_to"`
	FollowUp       string            `json:"follow_up"`
	FollowUpDue    *Date             `json:"follow_up_due"`
	FollowUpDone   bool              `json:"follow_up_done"`
	Version        int64             `json:"version"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

// Overdue reports whether a supervision not done has passed its planned day.
func (s *Supervision) Overdue(today Date) bool { return s.DoneOn == nil && s.PlannedOn.Before(today) }

// FollowUpOverdue reports whether an open follow-up has passed its due day.
func (s *Supervision) FollowUpOverdue(today Date) bool {
	return s.FollowUp != "" && !s.FollowUpDone && s.FollowUpDue != nil && s.FollowUpDue.Before(today)
}

// SupervisionInput is what a caller sets on a supervision.
type SupervisionInput struct {
	Method       SupervisionMethod `json:"method"`
	PlannedOn    *Date             `json:"planned_on"`
	DoneOn       *Date             `json:"done_on"`
	Result       SupervisionResult `json:"result" enum:",empty"`
	Findings     []string          `json:"findings"`
	PeriodFrom   *Date             `json:"period_from"`
	PeriodTo     *Date             `json:"period_to"`
	FollowUp     string            `json:"follow_up"`
	FollowUpDue  *Date             `json:"follow_up_due"`
	FollowUpDone bool              `json:"follow_up_done"`
	Version      int64             `json:"version"`
}

// StatementGap is a stretch of days no ISAE statement covers, between two
// consecutive statements of a supplier.
type StatementGap struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// StatementGaps finds the gaps between consecutive ISAE statements'
// periods among a supplier's supervisions.
func StatementGaps(sups []*Supervision) []StatementGap {
	var periods []*Supervision
	for _, s := range sups {
		if s.Method.Statement() && s.PeriodFrom != nil && s.PeriodTo != nil {
			periods = append(periods, s)
		}
	}
	sort.Slice(periods, func(i, j int) bool { return periods[i].PeriodFrom.Before(*periods[j].PeriodFrom) })
	var gaps []StatementGap
	var covered *Date
	for _, p := range periods {
		if covered != nil && covered.AddDays(1).Before(*p.PeriodFrom) {
			gaps = append(gaps, StatementGap{From: covered.AddDays(1), To: p.PeriodFrom.AddDays(-1)})
		}
		if covered == nil || covered.Before(*p.PeriodTo) {
			d := *p.PeriodTo
			covered = &d
		}
	}
	return gaps
}

// SupplierFilter narrows and orders the register.
type SupplierFilter struct {
	Criticality SupplierCriticality
	Status      SupplierStatus
	// Overdue lists only suppliers whose next supervision has passed.
	Overdue bool
	Query   string // matched against name, CVR and what it delivers
	Sort    string // name, criticality, status, owner (prefix "-" for descending)
	Offset  int
	Limit   int
}

// SupplierChoices is what a supplier may be linked to.
type SupplierChoices struct {
	Entries  []SupplierLink `json:"entries"`
	Controls []SupplierLink `json:"controls"`
	Risks    []SupplierLink `json:"risks"`
}

// SupplierService keeps the supplier register and the supervision of
// suppliers (guide 2.9).
type SupplierService interface {
	Suppliers(ctx context.Context, orgID int64, f SupplierFilter) ([]*Supplier, int, error)
	Supplier(ctx context.Context, orgID, id int64) (*Supplier, error)
	CreateSupplier(ctx context.Context, orgID int64, in SupplierInput) (*Supplier, error)
	UpdateSupplier(ctx context.Context, orgID, id int64, in SupplierInput) (*Supplier, error)
	DeleteSupplier(ctx context.Context, orgID, id, version int64) error
	// SupplierChoices lists the overview entries, the SoA's Annex A
	// controls and the risks a supplier may be linked to.
	SupplierChoices(ctx context.Context, orgID int64) (*SupplierChoices, error)

	// SupplierAgreements lists the agreements of one supplier, or of all
	// when supplierID is 0, by end day.
	SupplierAgreements(ctx context.Context, orgID, supplierID int64) ([]*SupplierAgreement, error)
	AddSupplierAgreement(ctx context.Context, orgID, supplierID int64, in SupplierAgreementInput) (*SupplierAgreement, error)
	UpdateSupplierAgreement(ctx context.Context, orgID, supplierID, agreementID int64, in SupplierAgreementInput) (*SupplierAgreement, error)
	DeleteSupplierAgreement(ctx context.Context, orgID, supplierID, agreementID int64) error

	// Supervisions lists the supervisions of one supplier, or of all
	// when supplierID is 0, newest planned first.
	Supervisions(ctx context.Context, orgID, supplierID int64) ([]*Supervision, error)
	Supervision(ctx context.Context, orgID, id int64) (*Supervision, error)
	CreateSupervision(ctx context.Context, orgID, supplierID int64, in SupervisionInput) (*Supervision, error)
	UpdateSupervision(ctx context.Context, orgID, id int64, in SupervisionInput) (*Supervision, error)
	DeleteSupervision(ctx context.Context, orgID, id, version int64) error
}

// FindingsText is the findings as written in a form, one a line.
func (s *Supervision) FindingsText() string { return strings.Join(s.Findings, "\n") }
