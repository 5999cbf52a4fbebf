package isms

import (
	"context"
	"io"
)

// OrganisationArchiveService moves one organisation between installations:
// its archive holds its records, its files, its audit trail and the people
// they name (sqlstore/org_archive.go describes the format and how the
// audit chain stays verifiable under new ids).
type OrganisationArchiveService interface {
	// ExportOrganisation writes the organisation's archive to w
	// (its administrators and site administrators).
	ExportOrganisation(ctx context.Context, orgID int64, w io.Writer) error
	// ImportOrganisation reads an archive into this installation as a new
	// organisation (site administrators), all or nothing.
	ImportOrganisation(ctx context.Context, r io.Reader, in OrganisationImport) (*OrganisationImported, error)
}

// OrganisationImport says how to import an organisation's archive.
type OrganisationImport struct {
	// Name, when set, is the imported organisation's name instead of the
	// archive's (which may be taken here).
	Name string
}

// OrganisationImported reports an import.
type OrganisationImported struct {
	Organisation  *Organisation
	SourceID      int64          // the organisation's id where the archive was made
	Rows          int64          // rows stored, the people's accounts not counted
	Tables        map[string]int // rows stored per table
	PeopleMatched int            // accounts that existed here, matched by e-mail
	PeopleCreated int            // accounts created without a password
	AuditEvents   int            // events of the imported chain, verified
}
