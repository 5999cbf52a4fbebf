package isms

import (
	"context"
	"io"
	"time"
)

// Controlled documentation (guide 2.8, ISO/IEC 27001 clause 7.5): the
// register of documented information pre-filled with the guide's mandatory
// and optional documentation, documents with versions (an uploaded file
// kept in the database, or text written in the product), review and
// approval by named approvers, the organisation's form rules, access by
// classification, retention periods and the deletion of content that has
// passed them. The information security policy and the list of roles and
// responsibilities (guide 2.2) are documents of this register whose
// approval needs management.

// DocumentKind says what a document is.
type DocumentKind string

const (
	DocInformationSecurityPolicy DocumentKind = "information_security_policy"
	DocRolesResponsibilities     DocumentKind = "roles_responsibilities"
	DocBehaviourPolicy           DocumentKind = "behaviour_policy" // how staff should act to keep incidents away (guide 2.6)
	DocRiskMethod                DocumentKind = "risk_method"      // the risk assessment process (clause 6.1.2)
	DocRiskTreatmentMethod       DocumentKind = "risk_treatment_method"
	DocScope                     DocumentKind = "scope"
	DocSoA                       DocumentKind = "soa"
	DocCompetenceRecords         DocumentKind = "competence_records"
	DocRiskResults               DocumentKind = "risk_results"
	DocEvaluation                DocumentKind = "evaluation"
	DocInternalAudit             DocumentKind = "internal_audit"
	DocManagementReview          DocumentKind = "management_review"
	DocNonconformities           DocumentKind = "nonconformities"
	DocPolicy                    DocumentKind = "policy" // topic-specific policies
	DocProcedure                 DocumentKind = "procedure"
	DocPlan                      DocumentKind = "plan"
	DocRegister                  DocumentKind = "register"
	DocContract                  DocumentKind = "contract"
	DocRecord                    DocumentKind = "record"
	DocOther                     DocumentKind = "other"
)

// DocumentKinds lists the kinds in the order the UI offers them.
var DocumentKinds = []DocumentKind{DocInformationSecurityPolicy, DocRolesResponsibilities, DocBehaviourPolicy, DocScope, DocRiskMethod,
	DocRiskTreatmentMethod, DocSoA, DocRiskResults, DocCompetenceRecords, DocEvaluation, DocInternalAudit,
	DocManagementReview, DocNonconformities, DocPolicy, DocProcedure, DocPlan, DocRegister, DocContract, DocRecord, DocOther}

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool {
	for _, x := range DocumentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// NeedsManagementApproval reports whether only management may approve a
// document of this kind (guide 2.2: a management-approved policy and list
// of roles and responsibilities; guide 2.6: the behaviour policy).
func (k DocumentKind) NeedsManagementApproval() bool {
	return k == DocInformationSecurityPolicy || k == DocRolesResponsibilities || k == DocBehaviourPolicy
}

// Classification decides who may read a document.
type Classification string

const (
	ClassUnset        Classification = ""             // read as internal
	ClassPublic       Classification = "public"       // offentlig: every member
	ClassInternal     Classification = "internal"     // intern: every member
	ClassConfidential Classification = "confidential" // fortrolig: members except readers and oversight
	ClassSecret       Classification = "secret"       // hemmelig: administrators, coordinators, management, owner, approvers
)

// Classifications lists the classifications from least to most restricted.
var Classifications = []Classification{ClassPublic, ClassInternal, ClassConfidential, ClassSecret}

// Valid reports whether c is a known classification (or unset).
func (c Classification) Valid() bool {
	if c == ClassUnset {
		return true
	}
	for _, x := range Classifications {
		if x == c {
			return true
		}
	}
	return false
}

// Media are where a document is kept (guide 2.8: the media standard).
var DocumentMedia = []string{"electronic", "paper", "both"}

// VersionState is where a version is in review and approval.
type VersionState string

const (
	VersionDraft      VersionState = "draft"      // written or uploaded, not yet sent for review
	VersionInReview   VersionState = "in_review"  // waiting for the named approvers
	VersionApproved   VersionState = "approved"   // every approver approved this exact content
	VersionPublished  VersionState = "published"  // the version in force
	VersionSuperseded VersionState = "superseded" // a newer version was published
	VersionReturned   VersionState = "returned"   // sent back by an approver with a comment
	VersionWithdrawn  VersionState = "withdrawn"  // taken out of use or abandoned
)

// VersionStates lists the states in the order of the workflow.
var VersionStates = []VersionState{VersionDraft, VersionInReview, VersionApproved, VersionPublished, VersionSuperseded, VersionReturned, VersionWithdrawn}

// Open reports whether the version is still on its way (a document has at
// most one open version at a time).
func (s VersionState) Open() bool {
	return s == VersionDraft || s == VersionInReview || s == VersionApproved
}

// Closed reports whether the version is out of use, so that its retention
// period runs.
func (s VersionState) Closed() bool {
	return s == VersionSuperseded || s == VersionReturned || s == VersionWithdrawn
}

// Transitions of a version, as sent to TransitionDocumentVersion.
const (
	TransitionSubmit   = "submit"    // draft → in review (owner or editor)
	TransitionApprove  = "approve"   // in review → approved, once every named approver has approved
	TransitionSendBack = "send_back" // in review → returned, with a comment (a named approver)
	TransitionPublish  = "publish"   // approved → published; the published one before becomes superseded
	TransitionWithdraw = "withdraw"  // draft, in review, approved or published → withdrawn, with a reason
)

// Metadata fields the form rules can make required.
var DocumentMetadataFields = []string{"owner", "classification", "language", "format", "medium", "storage_location",
	"clause", "requirement", "approvers", "review_interval", "description"}

// DocumentationRequirement is one row of the organisation's register of
// documented information: a mandatory document (clause references 2013 and
// 2022) or an optional one (Annex A references) with the organisation's
// decision whether it needs it, and why.
type DocumentationRequirement struct {
	ID             int64      `json:"id"`
	OrganisationID int64      `json:"organisation_id"`
	Key            string     `json:"key"`
	Kind           string     `json:"kind"` // mandatory or optional
	DocKind        string     `json:"doc_kind"`
	Clause2013     string     `json:"clause_2013"`
	Clause2022     string     `json:"clause_2022"`
	AnnexA         string     `json:"annex_a"`
	TitleDA        string     `json:"title_da"`
	TitleEN        string     `json:"title_en"`
	Decision       string     `json:"decision"` // chosen, declined or "" (undecided); optional ones only
	Reason         string     `json:"reason"`
	DecidedBy      string     `json:"decided_by"`
	DecidedAt      *time.Time `json:"decided_at"`
	Version        int64      `json:"version"`
	// Documents are the documents that name this requirement, and
	// Fulfilled says whether one of them has an approved or published
	// version (only documents the caller may read are listed).
	Documents []DocumentRef `json:"documents"`
	Fulfilled bool          `json:"fulfilled"`
}

// Title returns the title in the given language.
func (r *DocumentationRequirement) Title(lang string) string {
	if lang == "en" {
		return r.TitleEN
	}
	return r.TitleDA
}

// DocumentRef names a document briefly.
type DocumentRef struct {
	ID    int64        `json:"id"`
	Title string       `json:"title"`
	State VersionState `json:"state" enum:",empty"` // state of its current version, "" when it has none
}

// RequirementDecisionInput chooses or declines an optional requirement.
type RequirementDecisionInput struct {
	Decision string `json:"decision"` // chosen, declined, or "" to undo
	Reason   string `json:"reason"`
	Version  int64  `json:"version"`
}

// Document is one controlled document with its metadata and the state of
// its versions.
type Document struct {
	ID                   int64          `json:"id"`
	OrganisationID       int64          `json:"organisation_id"`
	Kind                 DocumentKind   `json:"kind"`
	Title                string         `json:"title"`
	Description          string         `json:"description"`
	OwnerID              *int64         `json:"owner_id"`
	OwnerName            string         `json:"owner_name"`
	Classification       Classification `json:"classification"`
	Language             string         `json:"language"`
	Format               string         `json:"format"`
	Medium               string         `json:"medium" enum:"DocumentMedium,empty"`
	StorageLocation      string         `json:"storage_location"`
	Clause               string         `json:"clause"` // ISO clause or Annex A control it serves
	RequirementID        *int64         `json:"requirement_id"`
	RequirementKey       string         `json:"requirement_key"`
	Approvers            []Approver     `json:"approvers"`
	ReviewIntervalMonths int            `json:"review_interval_months"`
	NextReview           *Date          `json:"next_review"`
	// Current is the newest version, Published the one in force.
	Current   *VersionSummary `json:"current"`
	Published *VersionSummary `json:"published"`
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// ReviewOverdue reports whether the next review date has passed.
func (d *Document) ReviewOverdue(today Date) bool {
	return d.NextReview != nil && d.NextReview.Before(today)
}

// Approver is a user named to approve a document's versions.
type Approver struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// ApproverIDs returns the approvers' user ids.
func (d *Document) ApproverIDs() []int64 {
	out := make([]int64, 0, len(d.Approvers))
	for _, a := range d.Approvers {
		out = append(out, a.UserID)
	}
	return out
}

// VersionSummary is a version's number and state.
type VersionSummary struct {
	Number      int          `json:"number"`
	State       VersionState `json:"state"`
	PublishedAt *time.Time   `json:"published_at"`
}

// DocumentInput is what a caller sets on a document.
type DocumentInput struct {
	Kind                 DocumentKind   `json:"kind"`
	Title                string         `json:"title"`
	Description          string         `json:"description"`
	OwnerID              *int64         `json:"owner_id"`
	Classification       Classification `json:"classification"`
	Language             string         `json:"language"`
	Format               string         `json:"format"`
	Medium               string         `json:"medium" enum:"DocumentMedium,empty"`
	StorageLocation      string         `json:"storage_location"`
	Clause               string         `json:"clause"`
	RequirementID        *int64         `json:"requirement_id"`
	ApproverIDs          []int64        `json:"approver_ids"`
	ReviewIntervalMonths int            `json:"review_interval_months"`
	NextReview           *Date          `json:"next_review"`
	Version              int64          `json:"version"`
}

// DocumentFilter narrows and orders the register.
type DocumentFilter struct {
	Kind           DocumentKind
	Classification Classification
	State          VersionState // state of the current version; "none" for documents without versions
	OwnerID        int64
	RequirementID  int64
	Query          string // matched against title, owner, kind and clause
	// QueryKinds are kinds whose name in the reader's language matches
	// Query (the web layer knows the names; the store knows the keys).
	QueryKinds []DocumentKind
	Overdue    bool
	Sort       string // title, kind, owner, classification, next_review, updated (prefix "-" for descending)
	Offset     int
	Limit      int
}

// DocumentVersion is one version of a document: a file kept in the
// database or text written in the product, with its checksum and where it
// is in review and approval.
type DocumentVersion struct {
	ID             int64        `json:"id"`
	DocumentID     int64        `json:"document_id"`
	Number         int          `json:"number"`
	State          VersionState `json:"state"`
	Source         string       `json:"source"` // file or text
	FileName       string       `json:"file_name"`
	MediaType      string       `json:"media_type"`
	Size           int64        `json:"size"`
	SHA256         string       `json:"sha256"`
	ChangeNote     string       `json:"change_note"`
	CreatedBy      string       `json:"created_by"`
	CreatedAt      time.Time    `json:"created_at"`
	SubmittedAt    *time.Time   `json:"submitted_at"`
	ApprovedAt     *time.Time   `json:"approved_at"`
	PublishedAt    *time.Time   `json:"published_at"`
	PublishedBy    string       `json:"published_by"`
	ClosedAt       *time.Time   `json:"closed_at"` // superseded, returned or withdrawn
	ClosedBy       string       `json:"closed_by"`
	CloseComment   string       `json:"close_comment"` // the approver's comment or the reason for withdrawal
	ContentDeleted *time.Time   `json:"content_deleted_at"`
	DeletedBy      string       `json:"content_deleted_by"`
	DeletionRule   string       `json:"deletion_rule"`
	Approvals      []Approval   `json:"approvals"`
	// Text is the content of a text version, filled when one version is read.
	Text string `json:"text,omitempty"`
}

// Approval is one approver's decision on a version: who, when, with which
// role, and the exact checksum of the content they approved.
type Approval struct {
	UserID   int64     `json:"user_id"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Decision string    `json:"decision"` // approve or send_back
	Comment  string    `json:"comment"`
	SHA256   string    `json:"sha256"`
	At       time.Time `json:"at"`
}

// VersionInput is a new version: either a file or text, never both. A
// file comes as File, read from the request into a temporary file (see
// Upload), or, when the program made it, as Content in memory.
type VersionInput struct {
	FileName   string  `json:"file_name"`
	File       *Upload `json:"-"`
	Content    []byte  `json:"-"`
	Text       string  `json:"text"`
	ChangeNote string  `json:"change_note"`
	Version    int64   `json:"version"` // the document's version the change was based on
}

// MaxVersionText is the longest text version written in the product, in
// bytes (files have the server's upload limit).
const MaxVersionText = 1 << 20

// TransitionInput moves a version on in review and approval.
type TransitionInput struct {
	Action  string `json:"action"`  // submit, approve, send_back, publish, withdraw
	Comment string `json:"comment"` // required to send back and to withdraw
	// SHA256, when given, must be the checksum of the version's content:
	// the approver approves exactly what they read.
	SHA256  string `json:"sha256"`
	Version int64  `json:"version"` // the document's version
}

// DocumentContent is a version's content for download. Body reads it
// from the store a piece at a time and checks it against SHA256 as it goes:
// it holds back the last piece until the whole content has passed, and
// fails instead when it does not, so a reader never receives the whole of
// content that differs from what was stored and approved. Content that
// fits in one piece is checked before DocumentContent returns. The caller
// closes Body.
type DocumentContent struct {
	FileName  string
	MediaType string
	SHA256    string
	Size      int64
	Body      io.ReadCloser
}

// DocumentFormRules are the organisation's form rules for documentation
// (guide 2.8): naming, format and media standards, required metadata and
// accepted file formats. The product enforces the naming pattern, the
// required metadata and the accepted formats.
type DocumentFormRules struct {
	OrganisationID   int64      `json:"organisation_id"`
	NamingStandard   string     `json:"naming_standard"`
	NamingPattern    string     `json:"naming_pattern"` // regular expression (^…$ or /…/) or a simple pattern with * ? #
	FormatStandard   string     `json:"format_standard"`
	MediaStandard    string     `json:"media_standard"`
	RequiredMetadata []string   `json:"required_metadata" enum:"MetadataField"`
	AcceptedFormats  []string   `json:"accepted_formats"` // file name extensions without the dot
	UpdatedAt        *time.Time `json:"updated_at"`
	Version          int64      `json:"version"`
}

// DocumentFormRulesInput sets the form rules.
type DocumentFormRulesInput struct {
	NamingStandard   string   `json:"naming_standard"`
	NamingPattern    string   `json:"naming_pattern"`
	FormatStandard   string   `json:"format_standard"`
	MediaStandard    string   `json:"media_standard"`
	RequiredMetadata []string `json:"required_metadata" enum:"MetadataField"`
	AcceptedFormats  []string `json:"accepted_formats"`
	Version          int64    `json:"version"`
}

// DefaultAcceptedFormats apply until the organisation records its own.
var DefaultAcceptedFormats = []string{"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "md", "csv", "png", "jpg", "jpeg"}

// RetentionRule is how long a kind of document is kept once a version is
// out of use, and how its content is deleted.
type RetentionRule struct {
	Kind              DocumentKind `json:"kind"`
	RetentionMonths   int          `json:"retention_months"`
	DeletionProcedure string       `json:"deletion_procedure"`
	InUse             int          `json:"in_use"` // documents of this kind
	Version           int64        `json:"version"`
}

// RetentionRuleInput sets the retention of one kind.
type RetentionRuleInput struct {
	Kind              DocumentKind `json:"kind"`
	RetentionMonths   int          `json:"retention_months"`
	DeletionProcedure string       `json:"deletion_procedure"`
	Version           int64        `json:"version"` // 0 for a kind without a rule yet
}

// DeletionCandidate is a version whose retention period has passed and
// whose content awaits deletion.
type DeletionCandidate struct {
	DocumentID      int64        `json:"document_id"`
	DocumentTitle   string       `json:"document_title"`
	Kind            DocumentKind `json:"kind"`
	Number          int          `json:"number"`
	State           VersionState `json:"state"`
	ClosedAt        time.Time    `json:"closed_at"`
	DueAt           Date         `json:"due"`
	RetentionMonths int          `json:"retention_months"`
	Procedure       string       `json:"deletion_procedure"`
}

// DocumentService serves controlled documentation (guide 2.8): the register
// of documented information, documents, versions, approval, form rules,
// retention and deletion.
type DocumentService interface {
	// DocumentationRequirements lists the register of mandatory and
	// optional documentation, pre-filling it on first use.
	DocumentationRequirements(ctx context.Context, orgID int64) ([]*DocumentationRequirement, error)
	DecideDocumentationRequirement(ctx context.Context, orgID, id int64, in RequirementDecisionInput) (*DocumentationRequirement, error)

	Documents(ctx context.Context, orgID int64, f DocumentFilter) ([]*Document, int, error)
	Document(ctx context.Context, orgID, id int64) (*Document, error)
	CreateDocument(ctx context.Context, orgID int64, in DocumentInput) (*Document, error)
	UpdateDocument(ctx context.Context, orgID, id int64, in DocumentInput) (*Document, error)
	// RecordDocumentReview records that the owner reviewed the document
	// without changing it; the next review moves one interval on.
	RecordDocumentReview(ctx context.Context, orgID, id, version int64) (*Document, error)

	DocumentVersions(ctx context.Context, orgID, docID int64) ([]*DocumentVersion, error)
	DocumentVersion(ctx context.Context, orgID, docID int64, number int) (*DocumentVersion, error)
	AddDocumentVersion(ctx context.Context, orgID, docID int64, in VersionInput) (*DocumentVersion, error)
	TransitionDocumentVersion(ctx context.Context, orgID, docID int64, number int, in TransitionInput) (*DocumentVersion, error)
	// DocumentContent opens a version's content for reading, checked
	// against its stored checksum as it is read (see DocumentContent).
	DocumentContent(ctx context.Context, orgID, docID int64, number int) (*DocumentContent, error)

	DocumentFormRules(ctx context.Context, orgID int64) (*DocumentFormRules, error)
	SaveDocumentFormRules(ctx context.Context, orgID int64, in DocumentFormRulesInput) (*DocumentFormRules, error)

	RetentionRules(ctx context.Context, orgID int64) ([]*RetentionRule, error)
	SaveRetentionRule(ctx context.Context, orgID int64, in RetentionRuleInput) (*RetentionRule, error)
	DeletionQueue(ctx context.Context, orgID int64) ([]*DeletionCandidate, error)
	// DeleteDocumentContent removes the content of a version whose
	// retention has passed; the deletion record stays in the audit trail.
	DeleteDocumentContent(ctx context.Context, orgID, docID int64, number int) error
}
