package isms

import "context"

// Imports of the supplier register and the incident log from spreadsheets
// (guide 2.9): an organisation that starts using the product has these
// lists already, in a spreadsheet or another tool's export. A file is read
// (XLSX or CSV, Danish or English headings), every row is checked against
// the records and given an outcome — created, updated (the record it
// matches differs), skipped (it matches a record and changes nothing) or
// refused (with the reasons, by the row number the spreadsheet shows) —
// and the preview is shown before anything is stored. The confirmation
// stores every created and updated row in one transaction, and only if the
// rows' outcomes are still those the preview showed: the preview is named
// by a hash of its outcomes, so a register changed in between is noticed
// instead of imported over.

// The registers a spreadsheet can be imported into.
const (
	ImportSuppliers = "suppliers"
	ImportIncidents = "incidents"
)

// ValidImportKind reports whether kind names a register that imports.
func ValidImportKind(kind string) bool {
	for _, k := range ImportKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// The fields of the spreadsheets, in the order the upload pages list them.
var (
	SupplierSheetFields = []string{"name", "cvr", "delivers", "criticality", "owner", "contact", "status", "note", "contract_end", "dpa_end"}
	IncidentSheetFields = []string{"title", "description", "detected", "detected_time", "location", "category", "severity", "status",
		"personal_data", "nis2", "lessons", "owner"}
)

// RegisterSheet is a supplier list or incident log as read from a file,
// before it is checked against the records.
type RegisterSheet struct {
	Kind      string        `json:"kind"` // ImportSuppliers or ImportIncidents
	Filename  string        `json:"filename"`
	SHA256    string        `json:"sha256"` // the file's
	HeaderRow int           `json:"header_row"`
	Columns   []SheetColumn `json:"columns"`
	Ignored   []string      `json:"ignored"`
	Rows      []SheetRow    `json:"rows"`
	// Headings are the whole heading row with the field each fills, and
	// Shape names it (SheetShape), for the mapping step.
	Headings []SheetHeading `json:"headings,omitempty"`
	Shape    string         `json:"shape,omitempty"`
	// MappingID is the saved mapping the file was read with, 0 when the
	// proposal read it.
	MappingID int64 `json:"mapping_id,omitempty"`
	// File is the file itself, kept with a staged upload so the mapping
	// step can read it again.
	File []byte `json:"file,omitempty"`
}

// Has reports whether the sheet has a column for the field.
func (s *RegisterSheet) Has(field string) bool { return s.Column(field) != "" }

// Column names the column of a field as the file shows it ("C · CVR-nr."),
// "" when the file has none.
func (s *RegisterSheet) Column(field string) string {
	for _, c := range s.Columns {
		if c.Field == field {
			return c.Letter + " · " + c.Header
		}
	}
	return ""
}

// ImportOutcome is what an import does with one row.
type ImportOutcome string

const (
	OutcomeCreated ImportOutcome = "created" // a new record
	OutcomeUpdated ImportOutcome = "updated" // the matching record changes
	OutcomeSkipped ImportOutcome = "skipped" // the matching record already says this
	OutcomeRefused ImportOutcome = "refused" // not stored, for the reasons given
)

// RegisterImportRow is one row of an imported file and its outcome.
type RegisterImportRow struct {
	Row     int           `json:"row"` // as the spreadsheet numbers it, title rows counted
	Outcome ImportOutcome `json:"outcome"`
	// RecordID is the supplier or incident the row updates or skips (and,
	// once imported, the one it created); nil otherwise.
	RecordID *int64 `json:"record_id"`
	Name     string `json:"name"`   // the supplier's name or the incident's title
	Detail   string `json:"detail"` // the CVR number, or the day detected
	// Changes names the fields an update changes.
	Changes []string  `json:"changes"`
	Reasons []Message `json:"-"`
	// Warnings name what the row leaves unfinished (an owner no member
	// matches, left unassigned); the row is stored all the same.
	Warnings []Message `json:"-"`
	Problems int       `json:"problems"`
}

// RegisterImportPreview is what importing a file would do, or did.
type RegisterImportPreview struct {
	Kind     string `json:"kind"`
	Filename string `json:"filename"`
	SHA256   string `json:"sha256"`
	// PreviewSHA256 names the outcomes: the confirmation stores nothing
	// unless the rows' outcomes still hash to it.
	PreviewSHA256 string              `json:"preview_sha256"`
	Columns       []SheetColumn       `json:"columns"`
	Ignored       []string            `json:"ignored"`
	Rows          []RegisterImportRow `json:"rows"`
	Problems      []ImportProblem     `json:"problems"`
	Warnings      []ImportProblem     `json:"warnings"`
	Created       int                 `json:"created"`
	Updated       int                 `json:"updated"`
	Skipped       int                 `json:"skipped"`
	Refused       int                 `json:"refused"`
	Imported      bool                `json:"imported"`
	// Invitations are those a members import made, with their secrets.
	Invitations []*ImportInvitation `json:"-"`
}

// Changing reports whether the import would store anything.
func (p *RegisterImportPreview) Changing() int { return p.Created + p.Updated }

// RegisterImportService imports the supplier register and the incident
// log from spreadsheets. Staging keeps an uploaded file, named by its
// SHA-256, for the preview page and its confirmation; the API previews and
// imports without staging.
type RegisterImportService interface {
	StageRegisterImport(ctx context.Context, orgID int64, s *RegisterSheet) (*RegisterImportPreview, error)
	StagedRegisterImport(ctx context.Context, orgID int64, kind, sha string) (*RegisterImportPreview, error)
	// StagedRegisterSheet is a waiting upload as read, with its file.
	StagedRegisterSheet(ctx context.Context, orgID int64, kind, sha string) (*RegisterSheet, error)
	// ImportStagedRegister imports a staged file if its outcomes still
	// hash to previewSHA (a conflict otherwise), and lets the file go.
	ImportStagedRegister(ctx context.Context, orgID int64, kind, sha, previewSHA string) (*RegisterImportPreview, error)
	DiscardStagedRegisterImport(ctx context.Context, orgID int64, kind, sha string) error
	PreviewRegisterSheet(ctx context.Context, orgID int64, s *RegisterSheet) (*RegisterImportPreview, error)
	// ImportRegisterSheet imports a file at once; previewSHA, when not
	// empty, must name the outcomes as they stand.
	ImportRegisterSheet(ctx context.Context, orgID int64, s *RegisterSheet, previewSHA string) (*RegisterImportPreview, error)
	RegisterImportOptionsService
}
