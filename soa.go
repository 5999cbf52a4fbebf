package isms

import (
	"context"
	"time"
)

// The Statement of Applicability (SoA, guide 2.3 with footnote 5, and 2.8
// point 2; ISO/IEC 27001 clause 6.1.3 d): for every control of ISO/IEC
// 27001:2022 Annex A and for the organisation's own controls, whether it
// applies, why (the risks it treats, the legal or contractual requirements
// that demand it, a business reason), why an excluded control is
// unnecessary, how far it is implemented, who owns it and what shows it.
// The SoA is frozen in versions that management approves, like a document.

// Applicability is the decision on one control.
type Applicability string

const (
	Undecided  Applicability = ""           // not decided yet
	Applicable Applicability = "applicable" // included in the SoA
	Excluded   Applicability = "excluded"   // left out, with a reason
)

// Valid reports whether a is a known decision (undecided included).
func (a Applicability) Valid() bool { return a == Undecided || a == Applicable || a == Excluded }

// ImplementationStatus is how far a control is implemented.
type ImplementationStatus string

const (
	ImplNotStarted    ImplementationStatus = "not_started"
	ImplPlanned       ImplementationStatus = "planned"
	ImplPartial       ImplementationStatus = "partially_implemented"
	ImplImplemented   ImplementationStatus = "implemented"
	ImplNotApplicable ImplementationStatus = "not_applicable"
)

// ImplementationStatuses lists the statuses in the order of progress.
var ImplementationStatuses = []ImplementationStatus{ImplNotStarted, ImplPlanned, ImplPartial, ImplImplemented, ImplNotApplicable}

// Valid reports whether s is a known status (empty is not).
func (s ImplementationStatus) Valid() bool {
	for _, x := range ImplementationStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// ControlThemes are the four themes of Annex A 2022, in the standard's order.
var ControlThemes = []string{"organizational", "people", "physical", "technological"}

// ValidTheme reports whether t is one of the four themes.
func ValidTheme(t string) bool {
	for _, x := range ControlThemes {
		if x == t {
			return true
		}
	}
	return false
}

// Control catalogues.
const (
	CatalogueAnnexA2022 = "iso27001:2022"
	CatalogueOwn        = "own"
)

// SoARef names a record that a control is linked to: a risk, a
// requirement (an external factor of the business overview) or a document.
type SoARef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"` // an external factor's category, a document's kind
}

// SoADocChoice is an optional documentation type of the documentation
// register (guide 2.8) whose Annex A references include the control, with
// the register's decision on it.
type SoADocChoice struct {
	TitleDA  string `json:"title_da"`
	TitleEN  string `json:"title_en"`
	AnnexA   string `json:"annex_a"`
	Decision string `json:"decision"` // chosen, declined or empty
	Reason   string `json:"reason"`
}

// Title returns the documentation type's title in a language.
func (c SoADocChoice) Title(lang string) string {
	if lang == "en" && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.TitleDA
}

// SoAControl is one line of the SoA: a control and the organisation's
// decision on it.
type SoAControl struct {
	ControlID       int64                `json:"control_id"`
	Catalogue       string               `json:"catalogue"` // iso27001:2022 or own
	Ref             string               `json:"ref"`
	Theme           string               `json:"theme"`
	TitleDA         string               `json:"title_da"`
	TitleEN         string               `json:"title_en"`
	Applicability   Applicability        `json:"applicability"`
	BusinessReason  string               `json:"business_reason"`
	ExclusionReason string               `json:"exclusion_reason"`
	Status          ImplementationStatus `json:"implementation_status"`
	OwnerID         *int64               `json:"owner_id"`
	OwnerName       string               `json:"owner_name"`
	Evidence        string               `json:"implementation_evidence"` // where the evidence is: paths, texts
	// RiskCount is the number of risks whose treatment uses the control
	// (linked by the risk register, read live).
	RiskCount int `json:"risk_count"`
	// Risks, Requirements and Documents are filled when one control is
	// read, and in snapshots. Listings carry the counts only for risks.
	Risks        []SoARef       `json:"risks,omitempty"`
	Requirements []SoARef       `json:"requirements"`
	Documents    []SoARef       `json:"documents"`
	DocChoices   []SoADocChoice `json:"documentation_choices"`
	// Digest identifies the decision, its justification and its links; two
	// equal digests mean nothing in the SoA line changed.
	Digest string `json:"digest"`
	// ChangedSinceApproval tells whether the line differs from the latest
	// approved version (false when none is approved).
	ChangedSinceApproval bool       `json:"changed_since_approval"`
	Version              int64      `json:"version"` // 0 while nothing is recorded for the control
	UpdatedAt            *time.Time `json:"updated_at,omitempty"`
}

// Own reports whether the control is one of the organisation's own.
func (c *SoAControl) Own() bool { return c.Catalogue == CatalogueOwn }

// Title returns the title in a language.
func (c *SoAControl) Title(lang string) string {
	if lang == "en" && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.TitleDA
}

// JustifiedByRecords reports whether an applicable control is justified by
// a risk it treats or a requirement that demands it.
func (c *SoAControl) JustifiedByRecords() bool {
	return c.RiskCount > 0 || len(c.Requirements) > 0
}

// Problems of an SoA line that the list filters on and the checklist
// counts.
const (
	SoAProblemUndecided         = "undecided"           // no decision yet
	SoAProblemUnjustified       = "unjustified"         // applicable with no risk, requirement or business reason
	SoAProblemBusinessOnly      = "business_only"       // applicable on a business reason alone
	SoAProblemNoExclusionReason = "no_exclusion_reason" // excluded without saying why
	SoAProblemExcludedWithRisks = "excluded_with_risks" // excluded although risks rely on it
)

// Problems lists what a coordinator or an auditor would question.
func (c *SoAControl) Problems() []string {
	var out []string
	switch c.Applicability {
	case Undecided:
		out = append(out, SoAProblemUndecided)
	case Applicable:
		if !c.JustifiedByRecords() {
			if c.BusinessReason == "" {
				out = append(out, SoAProblemUnjustified)
			} else {
				out = append(out, SoAProblemBusinessOnly)
			}
		}
	case Excluded:
		if c.ExclusionReason == "" {
			out = append(out, SoAProblemNoExclusionReason)
		}
		if c.RiskCount > 0 {
			out = append(out, SoAProblemExcludedWithRisks)
		}
	}
	return out
}

// SoASummary counts the SoA's lines.
type SoASummary struct {
	Total             int                          `json:"total"`
	Applicable        int                          `json:"applicable"`
	Excluded          int                          `json:"excluded"`
	Undecided         int                          `json:"undecided"`
	JustifiedByRisk   int                          `json:"justified_by_risk"`
	Unjustified       int                          `json:"unjustified"`
	BusinessOnly      int                          `json:"business_only"`
	NoExclusionReason int                          `json:"no_exclusion_reason"`
	ExcludedWithRisks int                          `json:"excluded_with_risks"`
	Changed           int                          `json:"changed_since_approval"`
	ByStatus          map[ImplementationStatus]int `json:"by_status"`
}

// StatementOfApplicability is the current SoA of an organisation.
type StatementOfApplicability struct {
	OrganisationID int64         `json:"organisation_id"`
	Controls       []*SoAControl `json:"controls"` // those matching the filter, in catalogue order
	Summary        SoASummary    `json:"summary"`  // over every control, whatever the filter
	// StateToken identifies the whole current state; freezing and
	// importing send back the token they were shown, so a change made in
	// between is not frozen or overwritten unseen.
	StateToken string      `json:"state_token"`
	Latest     *SoAVersion `json:"latest_version"`   // the latest frozen version, if any
	Approved   *SoAVersion `json:"approved_version"` // the latest approved version, if any
	// UpToDate tells whether the current state equals the latest approved
	// version.
	UpToDate bool `json:"up_to_date"`
}

// SoAFilter narrows the SoA listing.
type SoAFilter struct {
	Applicability string               // applicable, excluded, undecided
	Status        ImplementationStatus // an implementation status
	OwnerID       int64
	Theme         string
	Problem       string // one of the SoAProblem… values, or "unjustified_any" for unjustified or business-only
	Changed       bool   // only lines changed since the approved version
	Query         string // matched against ref and titles
}

// SoAControlInput is what a caller records on a control.
type SoAControlInput struct {
	Applicability   Applicability        `json:"applicability"`
	BusinessReason  string               `json:"business_reason"`
	ExclusionReason string               `json:"exclusion_reason"`
	Status          ImplementationStatus `json:"implementation_status"`
	OwnerID         *int64               `json:"owner_id"`
	Evidence        string               `json:"implementation_evidence"`
	RequirementIDs  []int64              `json:"requirement_ids"` // external factors of the business overview
	DocumentIDs     []int64              `json:"document_ids"`    // documents of the documentation register
	Version         int64                `json:"version"`         // the version read; 0 for a control never recorded
}

// OwnControlInput describes an organisation's own control.
type OwnControlInput struct {
	Ref     string `json:"control_ref"`
	Theme   string `json:"control_theme"`
	Title   string `json:"control_title"`
	Version int64  `json:"version"` // for changes: the SoA line's version read
}

// SoAVersion is a frozen state of the SoA: a snapshot of every line with
// its checksum, and management's approval once given. A frozen snapshot
// never changes.
type SoAVersion struct {
	ID              int64      `json:"id"`
	OrganisationID  int64      `json:"organisation_id"`
	Number          int64      `json:"number"`
	Note            string     `json:"note"`
	Checksum        string     `json:"checksum"` // SHA-256 of the stored snapshot
	StateToken      string     `json:"state_token"`
	ControlCount    int        `json:"control_count"`
	ApplicableCount int        `json:"applicable_count"`
	ExcludedCount   int        `json:"excluded_count"`
	FrozenBy        int64      `json:"frozen_by"`
	FrozenByName    string     `json:"frozen_by_name"`
	FrozenAt        time.Time  `json:"frozen_at"`
	ApprovedBy      *int64     `json:"approved_by"`
	ApprovedByName  string     `json:"approved_by_name"`
	ApprovedAt      *time.Time `json:"approved_at"`
	ApprovalNote    string     `json:"approval_note"`
	Version         int64      `json:"version"`
	// Intact tells whether the stored snapshot still matches its checksum;
	// set when the snapshot is read.
	Intact   bool         `json:"intact"`
	Snapshot *SoASnapshot `json:"snapshot,omitempty"`
}

// Approved reports whether management has approved the version.
func (v *SoAVersion) Approved() bool { return v != nil && v.ApprovedAt != nil }

// SoASnapshot is every line of the SoA with its links in full.
type SoASnapshot struct {
	Controls []*SoAControl `json:"controls"`
}

// SoAFreezeInput freezes the current state as a new version.
type SoAFreezeInput struct {
	Note       string `json:"note"`
	StateToken string `json:"state_token"` // the state the coordinator reviewed
}

// SoAApprovalInput approves a frozen version.
type SoAApprovalInput struct {
	Version int64  `json:"version"` // the version record's version read
	Note    string `json:"approval_note"`
}

// SoADiff is what changed between two versions, or between a version and
// the current state.
type SoADiff struct {
	From    *SoAVersion        `json:"from"`
	To      *SoAVersion        `json:"to"` // nil for the current state
	Changes []SoAControlChange `json:"changes"`
}

// SoAControlChange is how one control's line changed.
type SoAControlChange struct {
	ControlID           int64            `json:"control_id"`
	Ref                 string           `json:"ref"`
	TitleDA             string           `json:"title_da"`
	TitleEN             string           `json:"title_en"`
	Kind                string           `json:"kind"` // added, removed, changed
	Fields              []SoAFieldChange `json:"fields"`
	RisksAdded          []SoARef         `json:"risks_added"`
	RisksRemoved        []SoARef         `json:"risks_removed"`
	RequirementsAdded   []SoARef         `json:"requirements_added"`
	RequirementsRemoved []SoARef         `json:"requirements_removed"`
	DocumentsAdded      []SoARef         `json:"documents_added"`
	DocumentsRemoved    []SoARef         `json:"documents_removed"`
}

// Title returns the control's title in a language.
func (c SoAControlChange) Title(lang string) string {
	if lang == "en" && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.TitleDA
}

// SoAFieldChange is one changed field of a line.
type SoAFieldChange struct {
	Field  string `json:"field"` // applicability, implementation_status, business_reason, …
	Before string `json:"before"`
	After  string `json:"after"`
}

// SoAImportRow is one control of a 2013-edition SoA file, as read.
type SoAImportRow struct {
	Row             int                  `json:"row"`      // row number in the file (1-based)
	Ref2013         string               `json:"ref_2013"` // e.g. 5.1.1
	Applicability   Applicability        `json:"applicability"`
	Justification   string               `json:"justification"`
	ExclusionReason string               `json:"exclusion_reason"`
	Status          ImplementationStatus `json:"implementation_status" enum:",empty"` // empty when the file says nothing
}

// SoAImportProblem is one problem of an import, named by row and column
// (row 0 for the file as a whole, column empty for the whole row).
type SoAImportProblem struct {
	Row     int     `json:"row"`
	Column  string  `json:"column"`
	Message Message `json:"message"`
}

// Choices for a flagged control in an import.
const (
	ImportChoiceKeep       = "keep"       // leave the control as it is now
	ImportChoiceApplicable = "applicable" // include it (a new control)
	ImportChoiceExcluded   = "excluded"   // exclude it, with a reason
	// "row:N" takes the decision of file row N.
)

// SoAImportDecision is the user's decision on a flagged control.
type SoAImportDecision struct {
	Choice string `json:"choice"` // keep, applicable, excluded or row:N
	Reason string `json:"reason"` // the business or exclusion reason for applicable or excluded
}

// SoAImportInput is a parsed 2013 SoA with the user's decisions.
type SoAImportInput struct {
	FileName   string                       `json:"file_name"`
	Rows       []SoAImportRow               `json:"rows"`
	Decisions  map[string]SoAImportDecision `json:"decisions"`   // by 2022 control ref
	StateToken string                       `json:"state_token"` // the state the preview was made against (for applying)
}

// Flags on a 2022 control in an import preview.
const (
	ImportFlagNew      = "new"      // new in 2022: no 2013 control feeds it
	ImportFlagConflict = "conflict" // fed by 2013 controls with different decisions or statuses
	ImportFlagRequired = "required" // the file excludes it, but requirements recorded here demand it
)

// SoAImportControl is what an import does to one 2022 control.
type SoAImportControl struct {
	ControlID int64          `json:"control_id"`
	Ref       string         `json:"ref"`
	Theme     string         `json:"theme"`
	TitleDA   string         `json:"title_da"`
	TitleEN   string         `json:"title_en"`
	Sources   []SoAImportRow `json:"sources"` // the 2013 rows that feed it
	Flag      string         `json:"flag"`    // empty, new, conflict or required
	// Decision is the user's decision on a flagged control, as sent.
	Decision *SoAImportDecision `json:"decision,omitempty"`
	// Current is the control's line now.
	CurrentApplicability Applicability        `json:"current_applicability"`
	CurrentStatus        ImplementationStatus `json:"current_status"`
	// Outcome: "set" writes Result, "keep" leaves the line, "pending"
	// waits for a decision.
	Outcome string         `json:"outcome"`
	Result  *SoAImportLine `json:"result,omitempty"`
}

// Title returns the control's title in a language.
func (c *SoAImportControl) Title(lang string) string {
	if lang == "en" && c.TitleEN != "" {
		return c.TitleEN
	}
	return c.TitleDA
}

// SoAImportLine is what an import writes on a control.
type SoAImportLine struct {
	Applicability   Applicability        `json:"applicability"`
	BusinessReason  string               `json:"business_reason"`
	ExclusionReason string               `json:"exclusion_reason"`
	Status          ImplementationStatus `json:"implementation_status"`
}

// SoAImportPreview shows what an import would do, and whether it may.
type SoAImportPreview struct {
	FileName   string              `json:"file_name"`
	Rows       int                 `json:"rows"`
	Controls   []*SoAImportControl `json:"controls"`
	Flagged    int                 `json:"flagged"`
	Pending    int                 `json:"pending"` // flagged controls still without a valid decision
	Changes    int                 `json:"changes"` // controls the import would write
	Problems   []SoAImportProblem  `json:"problems"`
	StateToken string              `json:"state_token"`
	Ready      bool                `json:"ready"` // no problems and every flag decided
}

// SoAImportResult is what an applied import wrote.
type SoAImportResult struct {
	Changed int `json:"changed"`
}

// SoAService serves the Statement of Applicability (guide 2.3 and 2.8) over
// ISO/IEC 27001:2022 Annex A and the organisation's own controls.
type SoAService interface {
	// SoA lists the current lines with the summary and the approval state.
	SoA(ctx context.Context, orgID int64, f SoAFilter) (*StatementOfApplicability, error)
	// SoAControl reads one line with its risks, requirements, documents and
	// documentation choices.
	SoAControl(ctx context.Context, orgID, controlID int64) (*SoAControl, error)
	// SoAControlsOfRisk lists the lines of the controls a risk uses.
	SoAControlsOfRisk(ctx context.Context, orgID, riskID int64) ([]*SoAControl, error)
	SaveSoAControl(ctx context.Context, orgID, controlID int64, in SoAControlInput) (*SoAControl, error)
	// SoADocumentCandidates lists the documents a line may point to.
	SoADocumentCandidates(ctx context.Context, orgID int64) ([]SoARef, error)

	CreateOwnControl(ctx context.Context, orgID int64, in OwnControlInput) (*SoAControl, error)
	UpdateOwnControl(ctx context.Context, orgID, controlID int64, in OwnControlInput) (*SoAControl, error)
	DeleteOwnControl(ctx context.Context, orgID, controlID, version int64) error

	// SoASnapshotNow is the current state in full, as a version would freeze it.
	SoASnapshotNow(ctx context.Context, orgID int64) (*SoASnapshot, error)
	SoAVersions(ctx context.Context, orgID int64) ([]*SoAVersion, error)
	// SoAVersion reads a version with its snapshot.
	SoAVersion(ctx context.Context, orgID, id int64) (*SoAVersion, error)
	FreezeSoA(ctx context.Context, orgID int64, in SoAFreezeInput) (*SoAVersion, error)
	ApproveSoAVersion(ctx context.Context, orgID, id int64, in SoAApprovalInput) (*SoAVersion, error)
	// SoADiff compares version from with version to (0 for the current state).
	SoADiff(ctx context.Context, orgID, from, to int64) (*SoADiff, error)

	// PreviewSoAImport maps a 2013 SoA onto 2022 and shows what applying
	// it would do; ApplySoAImport writes it in one transaction when every
	// row is sound and every flagged control decided.
	PreviewSoAImport(ctx context.Context, orgID int64, in SoAImportInput) (*SoAImportPreview, error)
	ApplySoAImport(ctx context.Context, orgID int64, in SoAImportInput) (*SoAImportResult, error)
}
