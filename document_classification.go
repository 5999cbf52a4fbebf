package isms

import "slices"

// Who may read a document (guide 2.8: access by classification). A role
// reads up to a classification; a document's owner and its named
// approvers read it whatever its classification.

// rank orders the classifications by how restricted they are; an
// unset or unknown classification is read as internal.
func (c Classification) rank() int {
	switch c {
	case ClassSecret:
		return 3
	case ClassConfidential:
		return 2
	}
	return 1
}

// readRank is the most restricted classification the caller reads by
// role alone: everything for those who run the organisation (site
// administrators run the installation and read everything too), up to
// confidential for contributors and auditors, public and internal for
// readers and members of a parent organisation with oversight.
func (a Access) readRank() int {
	if a.SiteAdmin {
		return 3
	}
	switch a.Role {
	case RoleAdministrator, RoleCoordinator, RoleManagement:
		return 3
	case RoleContributor, RoleAuditor:
		return 2
	}
	return 1
}

// ReadableBy reports whether the caller reads documents of classification
// c by role alone, without owning or approving them.
func (c Classification) ReadableBy(a Access) bool { return a.readRank() >= c.rank() }

// ReadableBy reports whether the caller (access a, user id user) may read
// the document: by role, or as its owner or one of its approvers.
func (d *Document) ReadableBy(a Access, user int64) bool {
	if d.Classification.ReadableBy(a) {
		return true
	}
	if d.OwnerID != nil && *d.OwnerID == user {
		return true
	}
	return slices.Contains(d.ApproverIDs(), user)
}
