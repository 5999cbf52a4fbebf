package isms

// Role is what a member may do in one organisation.
type Role string

const (
	RoleAdministrator Role = "administrator" // manages the organisation and its members
	RoleCoordinator   Role = "coordinator"   // runs the ISMS: edits every record
	RoleContributor   Role = "contributor"   // owns and edits the records assigned to them
	RoleManagement    Role = "management"    // approves and accepts
	RoleAuditor       Role = "auditor"       // reads everything, records findings
	RoleReader        Role = "reader"        // reads
)

// Roles lists the roles in the order the UI offers them.
var Roles = []Role{RoleAdministrator, RoleCoordinator, RoleContributor, RoleManagement, RoleAuditor, RoleReader}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if k == r {
			return true
		}
	}
	return false
}

// Permission is one kind of act on an organisation's records.
type Permission string

const (
	PermView          Permission = "view"           // read the organisation's records
	PermEdit          Permission = "edit"           // create and change any record
	PermEditOwn       Permission = "edit_own"       // create records and change those one owns
	PermApprove       Permission = "approve"        // approve on behalf of management, accept risks
	PermManageMembers Permission = "manage_members" // add, change and remove memberships
	PermAnswer        Permission = "answer"         // answer checklist questions by hand
	PermAudit         Permission = "audit"          // record audit findings
)

// rolePermissions is the one table that says which role may do what.
var rolePermissions = map[Role][]Permission{
	RoleAdministrator: {PermView, PermEdit, PermEditOwn, PermManageMembers, PermAnswer},
	RoleCoordinator:   {PermView, PermEdit, PermEditOwn, PermAnswer},
	RoleContributor:   {PermView, PermEditOwn},
	RoleManagement:    {PermView, PermApprove},
	RoleAuditor:       {PermView, PermAudit},
	RoleReader:        {PermView},
}

// Can reports whether role r carries permission p.
func (r Role) Can(p Permission) bool {
	for _, q := range rolePermissions[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Access is what the caller may do in one organisation: their own role, or
// read-only oversight inherited from a parent organisation, or everything as
// a site administrator.
type Access struct {
	Role      Role // empty when the access comes from oversight only
	Oversight bool // read-only view through a parent organisation
	SiteAdmin bool
}

// Can reports whether this access carries permission p.
func (a Access) Can(p Permission) bool {
	if a.SiteAdmin {
		return true
	}
	if a.Role != "" && a.Role.Can(p) {
		return true
	}
	return a.Oversight && p == PermView
}

// Any reports whether the caller may see the organisation at all.
func (a Access) Any() bool { return a.SiteAdmin || a.Role != "" || a.Oversight }

// CheckEdit decides whether the caller, user, may change a record with the
// given owner (for a new record, the owner it will get): anyone with the
// edit permission, or one who may edit their own records and owns it. The
// refusal says whether owning the record would have been enough. The
// store asks it inside the write's transaction; the pages ask MayEdit to
// offer only what the store will allow.
func (a Access) CheckEdit(user int64, owner *int64) error {
	if a.Can(PermEdit) {
		return nil
	}
	if a.Can(PermEditOwn) && owner != nil && *owner == user {
		return nil
	}
	if a.Can(PermEditOwn) {
		return Errorf(EForbidden, "err.forbidden_not_owner")
	}
	return Errorf(EForbidden, "err.forbidden")
}

// MayEdit reports whether CheckEdit allows the change.
func (a Access) MayEdit(user int64, owner *int64) bool { return a.CheckEdit(user, owner) == nil }

// AssignedTo reports whether the caller, user, is the member a record is
// assigned to (assignee, nil when nobody): the one responsible for
// acknowledging a communication entry or following up a decision. Only a
// member of the organisation itself counts, not one who oversees it from
// a parent or runs the site.
func (a Access) AssignedTo(user int64, assignee *int64) bool {
	return a.Role != "" && assignee != nil && *assignee == user
}
