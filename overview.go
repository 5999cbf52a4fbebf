package isms

import (
	"context"
	"time"
)

// The business overview (guide 2.1, ISO/IEC 27001 clause 4): the
// organisation's purpose, its business-critical processes, information, IT
// systems and staff competences, its internal and external stakeholders and
// the external factors it must respect, the requirements each places on
// confidentiality, integrity and availability, and the ISMS scope.

// EntryKind is which register of the business overview an entry is in.
type EntryKind string

const (
	KindProcess             EntryKind = "process"              // business-critical process
	KindInformation         EntryKind = "information"          // business-critical information
	KindSystem              EntryKind = "system"               // business-critical IT system
	KindCompetence          EntryKind = "competence"           // business-critical staff competence
	KindInternalStakeholder EntryKind = "internal_stakeholder" // e.g. staff, works council
	KindExternalFactor      EntryKind = "external_factor"      // law, contract, supplier agreement, international agreement
	KindExternalStakeholder EntryKind = "external_stakeholder" // citizens, partners, authorities, suppliers
)

// EntryKinds lists the registers in the guide's order.
var EntryKinds = []EntryKind{KindProcess, KindInformation, KindSystem, KindCompetence,
	KindInternalStakeholder, KindExternalFactor, KindExternalStakeholder}

// InternalKinds are the guide's points ii to vi (point i is the purpose).
var InternalKinds = []EntryKind{KindProcess, KindInformation, KindSystem, KindCompetence, KindInternalStakeholder}

// ExternalKinds are the external factors and stakeholders.
var ExternalKinds = []EntryKind{KindExternalFactor, KindExternalStakeholder}

// Valid reports whether k is a known register.
func (k EntryKind) Valid() bool {
	for _, x := range EntryKinds {
		if x == k {
			return true
		}
	}
	return false
}

// External reports whether the register holds external factors or stakeholders.
func (k EntryKind) External() bool {
	return k == KindExternalFactor || k == KindExternalStakeholder
}

// FactorCategories are the kinds of external factor the guide names.
var FactorCategories = []string{"law", "contract", "supplier_agreement", "international_agreement", "other"}

// EntryStatus is where an entry is in its life.
type EntryStatus string

const (
	StatusDraft   EntryStatus = "draft"
	StatusActive  EntryStatus = "active"
	StatusRetired EntryStatus = "retired"
)

// EntryStatuses lists the statuses in order.
var EntryStatuses = []EntryStatus{StatusDraft, StatusActive, StatusRetired}

// Level is a requirement level for confidentiality, integrity or
// availability: 0 not yet assessed, 1 low, 2 medium, 3 high, 4 very high.
type Level int

// MaxLevel is the highest requirement level.
const MaxLevel Level = 4

// Requirements are what an entry demands of confidentiality, integrity and
// availability, with the reasoning in words.
type Requirements struct {
	Confidentiality Level  `json:"confidentiality"`
	Integrity       Level  `json:"integrity"`
	Availability    Level  `json:"availability"`
	Text            string `json:"text"`
}

// Assessed reports whether all three levels are set.
func (r Requirements) Assessed() bool {
	return r.Confidentiality > 0 && r.Integrity > 0 && r.Availability > 0
}

// OverviewEntry is one entry of a business-overview register.
type OverviewEntry struct {
	ID             int64        `json:"id"`
	OrganisationID int64        `json:"organisation_id"`
	Kind           EntryKind    `json:"kind"`
	Category       string       `json:"category" enum:"FactorCategory,empty"` // for external factors: law, contract, …
	Name           string       `json:"name"`
	Description    string       `json:"description"`
	OwnerID        *int64       `json:"owner_id"`
	OwnerName      string       `json:"owner_name"`
	Status         EntryStatus  `json:"status"`
	NextReview     *Date        `json:"next_review"`
	Requirements   Requirements `json:"requirements"`
	Links          []int64      `json:"links"` // ids of related entries
	Version        int64        `json:"version"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// ReviewOverdue reports whether the next review date has passed.
func (e *OverviewEntry) ReviewOverdue(today Date) bool {
	return e.Status != StatusRetired && e.NextReview != nil && e.NextReview.Before(today)
}

// OverviewEntryInput is what a caller sets on an entry.
type OverviewEntryInput struct {
	Kind         EntryKind    `json:"kind"`
	Category     string       `json:"category" enum:"FactorCategory,empty"`
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	OwnerID      *int64       `json:"owner_id"`
	Status       EntryStatus  `json:"status"`
	NextReview   *Date        `json:"next_review"`
	Requirements Requirements `json:"requirements"`
	Links        []int64      `json:"links"`
	Version      int64        `json:"version"`
}

// EntryFilter narrows and orders a register listing.
type EntryFilter struct {
	Kind    EntryKind
	Status  EntryStatus
	OwnerID int64
	Query   string // matched against name and description
	Overdue bool   // only entries whose review date has passed
	Sort    string // name, kind, status, owner, next_review (prefix "-" for descending)
	Offset  int
	Limit   int
}

// Scope is the ISMS scope: what is inside, by information types,
// organisation units and business processes, what is left out and why, and
// the criteria that drew the boundary (ISO/IEC 27001 clause 4.3).
type Scope struct {
	OrganisationID    int64      `json:"organisation_id"`
	Description       string     `json:"description"`
	InformationTypes  string     `json:"information_types"`
	OrganisationUnits string     `json:"organisation_units"`
	ProcessIDs        []int64    `json:"process_ids"` // business processes inside the scope
	Exclusions        string     `json:"exclusions"`  // what is left out, and why
	BoundaryCriteria  string     `json:"boundary_criteria"`
	OwnerID           *int64     `json:"owner_id"`
	OwnerName         string     `json:"owner_name"`
	NextReview        *Date      `json:"next_review"`
	ApprovedBy        *int64     `json:"approved_by"`
	ApprovedByName    string     `json:"approved_by_name"`
	ApprovedAt        *time.Time `json:"approved_at"`
	ApprovedVersion   int64      `json:"approved_version"`
	Version           int64      `json:"version"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Recorded reports whether a scope has been written down at all.
func (s *Scope) Recorded() bool { return s != nil && s.Version > 0 && s.Description != "" }

// HasDimensions reports whether the scope names what is inside by at least
// one of the guide's dimensions.
func (s *Scope) HasDimensions() bool {
	return s.InformationTypes != "" || s.OrganisationUnits != "" || len(s.ProcessIDs) > 0
}

// Approved reports whether the current version is the approved one.
func (s *Scope) Approved() bool {
	return s != nil && s.ApprovedAt != nil && s.ApprovedVersion == s.Version
}

// ScopeInput is what a caller sets on the scope.
type ScopeInput struct {
	Description       string  `json:"description"`
	InformationTypes  string  `json:"information_types"`
	OrganisationUnits string  `json:"organisation_units"`
	ProcessIDs        []int64 `json:"process_ids"`
	Exclusions        string  `json:"exclusions"`
	BoundaryCriteria  string  `json:"boundary_criteria"`
	OwnerID           *int64  `json:"owner_id"`
	NextReview        *Date   `json:"next_review"`
	Version           int64   `json:"version"`
}

// OverviewService keeps the business overview and the scope.
type OverviewService interface {
	OverviewEntries(ctx context.Context, orgID int64, f EntryFilter) ([]*OverviewEntry, int, error)
	OverviewEntry(ctx context.Context, orgID, id int64) (*OverviewEntry, error)
	CreateOverviewEntry(ctx context.Context, orgID int64, in OverviewEntryInput) (*OverviewEntry, error)
	UpdateOverviewEntry(ctx context.Context, orgID, id int64, in OverviewEntryInput) (*OverviewEntry, error)
	DeleteOverviewEntry(ctx context.Context, orgID, id int64, version int64) error

	Scope(ctx context.Context, orgID int64) (*Scope, error)
	SaveScope(ctx context.Context, orgID int64, in ScopeInput) (*Scope, error)
	ApproveScope(ctx context.Context, orgID int64, version int64) (*Scope, error)
}
