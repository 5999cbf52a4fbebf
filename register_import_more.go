package isms

import "context"

// More registers that import from spreadsheets, in the flow of
// register_import.go: the risk assessment's assets and threats (guide
// 2.3), the organisation's members with their roles (guide 2.2), and the
// registers of the business overview (guide 2.1). A coordinator arrives
// with these lists in Excel; each row is checked, shown with its outcome,
// and stored in one transaction.
//
// Unlike the supplier list, these registers store nothing while a row is
// refused unless the caller says so (SkipRefused): a file that half goes
// in is harder to put right than one refused as a whole with every bad row
// named. A row that only lacks something (an owner nobody in the
// organisation answers to, a security role the organisation has not
// named) is not refused: it is stored with a warning, to be completed in
// the product.

// The registers added to ImportSuppliers and ImportIncidents.
const (
	ImportAssets   = "assets"
	ImportThreats  = "threats"
	ImportMembers  = "members"
	ImportOverview = "overview"
)

// ImportKinds lists every register that imports through this flow.
var ImportKinds = []string{ImportSuppliers, ImportIncidents, ImportAssets, ImportThreats, ImportMembers, ImportOverview}

// StrictImport reports whether a register's import stores nothing while a
// row is refused, unless the caller asks for the refused rows to be
// skipped.
func StrictImport(kind string) bool { return kind != ImportSuppliers && kind != ImportIncidents }

// The fields of the registers' spreadsheets, in the order the upload pages
// list them.
var (
	AssetSheetFields = []string{"name", "kind", "description", "owner", "status", "criticality", "confidentiality", "integrity",
		"availability", "supports"}
	ThreatSheetFields = []string{"name", "name_en", "group", "description", "description_en", "affects", "asset_kinds", "status",
		"catalogue"}
	MemberSheetFields   = []string{"email", "name", "role", "security_roles", "deputy_roles"}
	OverviewSheetFields = []string{"kind", "name", "category", "description", "owner", "status", "next_review", "confidentiality",
		"integrity", "availability", "requirements"}
)

// RegisterImportOptions are what a confirmation decides besides the file.
type RegisterImportOptions struct {
	// PreviewSHA256, when not empty, must name the outcomes as they stand
	// (see RegisterImportPreview.PreviewSHA256).
	PreviewSHA256 string
	// SkipRefused stores the rows that can be stored although others are
	// refused; without it a strict register (StrictImport) stores nothing
	// then.
	SkipRefused bool
}

// ImportInvitation is an invitation a members import made, with its
// secret for the caller to mail or show once: it is not kept.
type ImportInvitation struct {
	Row        int         `json:"row"`
	Token      string      `json:"-"`
	Invitation *Invitation `json:"invitation"`
}

// RegisterImportOptionsService imports with the confirmation's options.
type RegisterImportOptionsService interface {
	ImportRegister(ctx context.Context, orgID int64, s *RegisterSheet, opt RegisterImportOptions) (*RegisterImportPreview, error)
	ImportStagedRegisterWith(ctx context.Context, orgID int64, kind, sha string, opt RegisterImportOptions) (*RegisterImportPreview, error)
}
