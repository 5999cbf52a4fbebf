package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

const orgColumns = "id, parent_id, name, purpose, version, created_at, updated_at"

func scanOrg(row scanner) (*isms.Organisation, error) {
	var o isms.Organisation
	var parent sql.NullInt64
	if err := row.Scan(&o.ID, &parent, &o.Name, &o.Purpose, &o.Version, scanTime{&o.CreatedAt}, scanTime{&o.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("organisation")
		}
		return nil, err
	}
	o.ParentID = int64Ptr(parent)
	return &o, nil
}

func (tx *Tx) org(id int64) (*isms.Organisation, error) {
	return scanOrg(tx.queryRow("SELECT "+orgColumns+" FROM organisations WHERE id = ?", id))
}

func validateOrg(in *isms.OrganisationInput) error {
	in.Name = strings.TrimSpace(in.Name)
	var v isms.Validation
	requireText(&v, "name", in.Name, 200)
	checkText(&v, "purpose", in.Purpose, 5000)
	return v.Err()
}

// CreateOrganisation makes an organisation. A site administrator may make
// any; the administrator of a parent organisation may make its children.
// A creator who is not a site administrator becomes its administrator.
func (db *DB) CreateOrganisation(ctx context.Context, in isms.OrganisationInput) (*isms.Organisation, error) {
	if err := validateOrg(&in); err != nil {
		return nil, err
	}
	var o *isms.Organisation
	err := db.write(ctx, "CreateOrganisation", func(tx *Tx) error {
		if tx.actor == nil {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		// The list of organisations is the site's: names are unique in it.
		if err := tx.lockSite(); err != nil {
			return err
		}
		if in.ParentID != nil {
			if _, err := tx.require(*in.ParentID, isms.PermManageMembers); err != nil {
				if isms.ErrorCode(err) == isms.ENotFound {
					var v isms.Validation
					v.Add("parent_id", "err.unknown_reference")
					return v.Err()
				}
				return err
			}
		} else if !tx.actor.SiteAdmin {
			return isms.Errorf(isms.EForbidden, "err.forbidden_create_org")
		}
		now := ts(tx.now)
		id, err := tx.insert("INSERT INTO organisations (parent_id, name, purpose, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
			nullInt(in.ParentID), in.Name, in.Purpose, now, now)
		if err != nil {
			if isms.ErrorCode(err) == isms.EConflict {
				var v isms.Validation
				v.Add("name", "err.name_taken")
				return v.Err()
			}
			return err
		}
		if err := tx.startChain(id); err != nil {
			return err
		}
		if err := tx.lockOrganisation(id); err != nil {
			return err
		}
		if !tx.actor.SiteAdmin {
			if _, err := tx.exec("INSERT INTO memberships (organisation_id, user_id, role, oversight, version, created_at) VALUES (?, ?, ?, 0, 1, ?)",
				id, tx.actor.UserID, isms.RoleAdministrator, now); err != nil {
				return err
			}
			tx.forgetAccess()
		}
		if o, err = tx.org(id); err != nil {
			return err
		}
		if err := tx.audit(id, "create", "organisation", id, nil, o); err != nil {
			return err
		}
		// The register of documented information starts with the guide's
		// lists.
		return tx.ensureDocumentationRequirements(id)
	})
	return o, err
}

// Organisation reads one organisation with the caller's access.
func (db *DB) Organisation(ctx context.Context, id int64) (*isms.Organisation, error) {
	var o *isms.Organisation
	err := db.read(ctx, "Organisation", func(tx *Tx) error {
		a, err := tx.access(id)
		if err != nil {
			return err
		}
		if o, err = tx.org(id); err != nil {
			return err
		}
		o.Access = a
		return nil
	})
	return o, err
}

// Access tells what the caller may do in an organisation.
func (db *DB) Access(ctx context.Context, orgID int64) (isms.Access, error) {
	var a isms.Access
	err := db.read(ctx, "Access", func(tx *Tx) (err error) {
		a, err = tx.access(orgID)
		return err
	})
	return a, err
}

// Organisations lists those the caller may see: all for a site
// administrator, else those they are a member of and the descendants of
// those where they hold oversight.
func (db *DB) Organisations(ctx context.Context) ([]*isms.Organisation, error) {
	var out []*isms.Organisation
	err := db.read(ctx, "Organisations", func(tx *Tx) error {
		if tx.actor == nil {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		all, err := queryAll(tx, scanOrg, "SELECT "+orgColumns+" FROM organisations ORDER BY name")
		if err != nil {
			return err
		}
		if tx.actor.SiteAdmin {
			for _, o := range all {
				o.Access.SiteAdmin = true
			}
			out = all
			return nil
		}
		type member struct {
			role      isms.Role
			oversight bool
		}
		mine := map[int64]member{}
		mrows, err := tx.query("SELECT organisation_id, role, oversight FROM memberships WHERE user_id = ?", tx.actor.UserID)
		if err != nil {
			return err
		}
		for mrows.Next() {
			var id int64
			var role string
			var over int
			if err := mrows.Scan(&id, &role, &over); err != nil {
				mrows.Close()
				return err
			}
			mine[id] = member{isms.Role(role), over == 1}
		}
		mrows.Close()
		parent := map[int64]*int64{}
		for _, o := range all {
			parent[o.ID] = o.ParentID
		}
		for _, o := range all {
			o.Access.Role = mine[o.ID].role
			seen := map[int64]bool{o.ID: true}
			for p := o.ParentID; p != nil && !seen[*p]; p = parent[*p] {
				seen[*p] = true
				if mine[*p].oversight {
					o.Access.Oversight = true
					break
				}
			}
			if o.Access.Any() {
				out = append(out, o)
			}
		}
		return nil
	})
	return out, err
}

// UpdateOrganisation changes the name and purpose (coordinators and
// administrators), and the parent (site administrators only).
func (db *DB) UpdateOrganisation(ctx context.Context, id int64, in isms.OrganisationInput) (*isms.Organisation, error) {
	if err := validateOrg(&in); err != nil {
		return nil, err
	}
	var o *isms.Organisation
	err := db.write(ctx, "UpdateOrganisation", func(tx *Tx) error {
		if _, err := tx.require(id, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.org(id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		parent := before.ParentID
		if !sameID(in.ParentID, before.ParentID) {
			if !tx.actor.SiteAdmin {
				return isms.Errorf(isms.EForbidden, "err.forbidden_parent")
			}
			if err := tx.checkParent(id, in.ParentID); err != nil {
				return err
			}
			parent = in.ParentID
		}
		if _, err := tx.exec("UPDATE organisations SET name = ?, purpose = ?, parent_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
			in.Name, in.Purpose, nullInt(parent), ts(tx.now), id); err != nil {
			if isms.ErrorCode(err) == isms.EConflict {
				var v isms.Validation
				v.Add("name", "err.name_taken")
				return v.Err()
			}
			return err
		}
		tx.forgetAccess()
		if o, err = tx.org(id); err != nil {
			return err
		}
		return tx.audit(id, "update", "organisation", id, before, o)
	})
	return o, err
}

// checkParent refuses a parent that does not exist or that would make a cycle.
func (tx *Tx) checkParent(id int64, parent *int64) error {
	var v isms.Validation
	for p := parent; p != nil; {
		if *p == id {
			v.Add("parent_id", "err.parent_cycle")
			return v.Err()
		}
		o, err := tx.org(*p)
		if err != nil {
			v.Add("parent_id", "err.unknown_reference")
			return v.Err()
		}
		p = o.ParentID
	}
	return nil
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

const membershipColumns = "m.id, m.organisation_id, m.user_id, u.name, u.email, m.role, m.oversight, m.version"

func scanMembership(row scanner) (*isms.Membership, error) {
	var m isms.Membership
	var role string
	var over int
	if err := row.Scan(&m.ID, &m.OrganisationID, &m.UserID, &m.UserName, &m.UserEmail, &role, &over, &m.Version); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("membership")
		}
		return nil, err
	}
	m.Role, m.Oversight = isms.Role(role), over == 1
	return &m, nil
}

func (tx *Tx) membership(orgID, id int64) (*isms.Membership, error) {
	return scanMembership(tx.queryRow("SELECT "+membershipColumns+" FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? AND m.id = ?", orgID, id))
}

// Memberships lists who works in an organisation, to anyone who may read it.
func (db *DB) Memberships(ctx context.Context, orgID int64) ([]*isms.Membership, error) {
	var out []*isms.Membership
	err := db.read(ctx, "Memberships", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		// The members are on every register's filter: kept until the
		// records or the accounts change (derived.go), each caller given
		// its own list.
		kept, err := keep(tx, orgID, "memberships", func() ([]*isms.Membership, error) {
			rows, err := tx.query("SELECT "+membershipColumns+" FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? ORDER BY u.name", orgID)
			if err != nil {
				return nil, err
			}
			return collect(rows, scanMembership)
		})
		out = slices.Clone(kept)
		return err
	})
	return out, err
}

func validateMembership(in *isms.MembershipInput, needEmail bool) error {
	var v isms.Validation
	if needEmail && strings.TrimSpace(in.Email) == "" {
		v.Add("email", "err.required")
	}
	if !in.Role.Valid() {
		v.Add("role", "err.choice")
	}
	return v.Err()
}

// AddMembership gives an existing user a role in the organisation. Only a
// site administrator may: they see every account anyway. An organisation's
// administrator invites people instead (invitations.go), so that adding
// someone by address cannot tell them who has an account.
func (db *DB) AddMembership(ctx context.Context, orgID int64, in isms.MembershipInput) (*isms.Membership, error) {
	if err := validateMembership(&in, true); err != nil {
		return nil, err
	}
	var m *isms.Membership
	err := db.write(ctx, "AddMembership", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		if !tx.actor.SiteAdmin {
			return isms.Errorf(isms.EForbidden, "err.forbidden_add_member")
		}
		var userID int64
		var deactivated sql.NullString
		if err := tx.queryRow("SELECT id, deactivated_at FROM users WHERE email = ?", normEmail(in.Email)).Scan(&userID, &deactivated); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				var v isms.Validation
				v.Add("email", "err.no_such_account")
				return v.Err()
			}
			return err
		}
		if deactivated.Valid {
			var v isms.Validation
			v.Add("email", "err.user_deactivated")
			return v.Err()
		}
		id, err := tx.insert("INSERT INTO memberships (organisation_id, user_id, role, oversight, version, created_at) VALUES (?, ?, ?, ?, 1, ?)",
			orgID, userID, in.Role, b2i(in.Oversight), ts(tx.now))
		if err != nil {
			if isms.ErrorCode(err) == isms.EConflict {
				var v isms.Validation
				v.Add("email", "err.already_member")
				return v.Err()
			}
			return err
		}
		tx.forgetAccess()
		if m, err = tx.membership(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", "membership", id, nil, m)
	})
	return m, err
}

// UpdateMembership changes a member's role or oversight right. The last
// administrator cannot be demoted, so an organisation is never orphaned.
func (db *DB) UpdateMembership(ctx context.Context, orgID, id int64, in isms.MembershipInput) (*isms.Membership, error) {
	if err := validateMembership(&in, false); err != nil {
		return nil, err
	}
	var m *isms.Membership
	err := db.write(ctx, "UpdateMembership", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		before, err := tx.membership(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if before.Role == isms.RoleAdministrator && in.Role != isms.RoleAdministrator {
			if err := tx.keepOneAdmin(orgID); err != nil {
				return err
			}
		}
		if _, err := tx.exec("UPDATE memberships SET role = ?, oversight = ?, version = version + 1 WHERE id = ?", in.Role, b2i(in.Oversight), id); err != nil {
			return err
		}
		tx.forgetAccess()
		if m, err = tx.membership(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", "membership", id, before, m)
	})
	return m, err
}

// RemoveMembership takes a user out of the organisation.
func (db *DB) RemoveMembership(ctx context.Context, orgID, id int64) error {
	return db.write(ctx, "RemoveMembership", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermManageMembers); err != nil {
			return err
		}
		before, err := tx.membership(orgID, id)
		if err != nil {
			return err
		}
		if before.Role == isms.RoleAdministrator {
			if err := tx.keepOneAdmin(orgID); err != nil {
				return err
			}
		}
		if _, err := tx.exec("DELETE FROM memberships WHERE id = ?", id); err != nil {
			return err
		}
		tx.forgetAccess()
		return tx.audit(orgID, "delete", "membership", id, before, nil)
	})
}

func (tx *Tx) keepOneAdmin(orgID int64) error {
	n, err := tx.count("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND role = ?", orgID, isms.RoleAdministrator)
	if err != nil {
		return err
	}
	if n <= 1 {
		return isms.Errorf(isms.EConflict, "err.last_admin")
	}
	return nil
}
