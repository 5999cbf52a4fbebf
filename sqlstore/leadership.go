package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/ismsdk/isms"
)

// Leadership (guide 2.2): security roles with their holders, the ISMS
// activities and the responsibility matrix, and management's approval of
// the list as a whole. Forums, meetings and decisions are in
// leadership_forums.go.

// Record types as they appear in the audit trail and in links.
const (
	typeSecurityRole = "security_role"
	typeISMSActivity = "isms_activity"
	typeRACIMatrix   = "raci_matrix"
	typeRolesList    = "roles_list"
)

// Limits on the lists a caller may send.
const (
	maxPeople   = 200
	maxSystems  = 200
	ownPosition = 1000 // roles and activities of the organisation's own sort after the offered ones
)

const roleColumns = "id, organisation_id, template_key, name, description, version, created_at, updated_at"

func scanRole(row scanner) (*isms.SecurityRole, error) {
	var r isms.SecurityRole
	if err := row.Scan(&r.ID, &r.OrganisationID, &r.TemplateKey, &r.Name, &r.Description, &r.Version, scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("security role")
		}
		return nil, err
	}
	r.Holders, r.Deputies, r.SystemIDs = []isms.RolePerson{}, []isms.RolePerson{}, []int64{}
	return &r, nil
}

// roles reads the organisation's roles, or one role when id is set, with
// their holders, deputies and systems: three queries whatever the count.
func (tx *Tx) roles(orgID, id int64) ([]*isms.SecurityRole, error) {
	q := "SELECT " + roleColumns + " FROM security_roles WHERE organisation_id = ?"
	args := []any{orgID}
	if id != 0 {
		q += " AND id = ?"
		args = append(args, id)
	}
	out, err := queryAll(tx, scanRole, q+" ORDER BY position, name, id", args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := make(map[int64]*isms.SecurityRole, len(out))
	for _, r := range out {
		byID[r.ID] = r
	}
	err = tx.queryEach(`SELECT p.role_id, p.user_id, u.name, p.deputy, CASE WHEN m.id IS NULL THEN 0 ELSE 1 END
		FROM security_role_people p JOIN users u ON u.id = p.user_id
		LEFT JOIN memberships m ON m.organisation_id = p.organisation_id AND m.user_id = p.user_id
		WHERE p.organisation_id = ? ORDER BY u.name, u.id`, []any{orgID}, func(row scanner) error {
		var roleID int64
		var p isms.RolePerson
		var deputy, member int
		if err := row.Scan(&roleID, &p.UserID, &p.Name, &deputy, &member); err != nil {
			return err
		}
		p.Member = member == 1
		if r := byID[roleID]; r != nil {
			if deputy == 1 {
				r.Deputies = append(r.Deputies, p)
			} else {
				r.Holders = append(r.Holders, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.queryEach("SELECT from_id, to_id FROM record_links WHERE organisation_id = ? AND from_type = ? AND to_type = ? ORDER BY to_id",
		[]any{orgID, typeSecurityRole, typeEntry}, func(row scanner) error {
			var from, to int64
			if err := row.Scan(&from, &to); err != nil {
				return err
			}
			if r := byID[from]; r != nil {
				r.SystemIDs = append(r.SystemIDs, to)
			}
			return nil
		})
	return out, err
}

func (tx *Tx) role(orgID, id int64) (*isms.SecurityRole, error) {
	rs, err := tx.roles(orgID, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, notFound("security role")
	}
	return rs[0], nil
}

// checkMembers validates that every id names a member of the
// organisation, for lists of people.
func (tx *Tx) checkMembers(v *isms.Validation, field string, orgID int64, ids []int64) error {
	if len(ids) > maxPeople {
		v.Add(field, "err.too_many_links", maxPeople)
		return nil
	}
	ids = uniq(ids)
	if len(ids) == 0 {
		return nil
	}
	n, err := tx.count("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id IN ("+placeholders(len(ids))+")",
		append([]any{orgID}, int64sToAny(ids)...)...)
	if err != nil {
		return err
	}
	if n != len(ids) {
		v.Add(field, "err.not_member")
	}
	return nil
}

// nameTaken reports whether another record of the table already has the
// name in the organisation (case does not make a name different).
func (tx *Tx) nameTaken(table string, orgID, exceptID int64, name string) (bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM "+table+" WHERE organisation_id = ? AND id <> ? AND LOWER(name) = LOWER(?)", orgID, exceptID, name)
	return n > 0, err
}

// templateTaken reports whether a record was already made from a template.
func (tx *Tx) templateTaken(table string, orgID int64, key string) (bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM "+table+" WHERE organisation_id = ? AND template_key = ?", orgID, key)
	return n > 0, err
}

// checkNamed checks what roles and ISMS activities share: a name unique in
// the organisation, a description, and for a new record made from an
// offered template, a template that is offered and not used yet. id is 0
// for a new record.
func (tx *Tx) checkNamed(v *isms.Validation, table string, templates []string, orgID, id int64, name, description, templateKey string) error {
	requireText(v, "name", name, 200)
	checkText(v, "description", description, 10000)
	if name != "" && !v.Has("name") {
		taken, err := tx.nameTaken(table, orgID, id, name)
		if err != nil {
			return err
		}
		if taken {
			v.Add("name", "err.name_taken")
		}
	}
	if id == 0 && templateKey != "" {
		if !slices.Contains(templates, templateKey) {
			v.Add("template_key", "err.choice")
		} else if taken, err := tx.templateTaken(table, orgID, templateKey); err != nil {
			return err
		} else if taken {
			v.Add("template_key", "lead.err.template_used")
		}
	}
	return nil
}

// validateRole checks a role's input. id is 0 for a new role.
func (tx *Tx) validateRole(orgID, id int64, in *isms.SecurityRoleInput) error {
	in.Name = strings.TrimSpace(in.Name)
	in.HolderIDs, in.DeputyIDs, in.SystemIDs = uniq(in.HolderIDs), uniq(in.DeputyIDs), uniq(in.SystemIDs)
	var v isms.Validation
	if err := tx.checkNamed(&v, "security_roles", isms.RoleTemplates, orgID, id, in.Name, in.Description, in.TemplateKey); err != nil {
		return err
	}
	if err := tx.checkHolders(&v, orgID, in.HolderIDs, in.DeputyIDs); err != nil {
		return err
	}
	if len(in.SystemIDs) > maxSystems {
		v.Add("system_ids", "err.too_many_links", maxSystems)
	} else if len(in.SystemIDs) > 0 {
		n, err := tx.count("SELECT COUNT(*) FROM overview_entries WHERE organisation_id = ? AND kind = 'system' AND id IN ("+placeholders(len(in.SystemIDs))+")",
			append([]any{orgID}, int64sToAny(in.SystemIDs)...)...)
		if err != nil {
			return err
		}
		if n != len(in.SystemIDs) {
			v.Add("system_ids", "lead.err.not_system")
		}
	}
	return v.Err()
}

func (tx *Tx) checkHolders(v *isms.Validation, orgID int64, holders, deputies []int64) error {
	if err := tx.checkMembers(v, "holder_ids", orgID, holders); err != nil {
		return err
	}
	if err := tx.checkMembers(v, "deputy_ids", orgID, deputies); err != nil {
		return err
	}
	for _, d := range deputies {
		if slices.Contains(holders, d) {
			v.Add("deputy_ids", "lead.err.holder_and_deputy")
			break
		}
	}
	return nil
}

// setRolePeople replaces a role's holders and deputies.
func (tx *Tx) setRolePeople(orgID, roleID int64, holders, deputies []int64) error {
	if _, err := tx.exec("DELETE FROM security_role_people WHERE organisation_id = ? AND role_id = ?", orgID, roleID); err != nil {
		return err
	}
	for i, ids := range [][]int64{holders, deputies} {
		for _, u := range ids {
			if _, err := tx.exec("INSERT INTO security_role_people (role_id, user_id, organisation_id, deputy) VALUES (?, ?, ?, ?)",
				roleID, u, orgID, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// templatePosition orders records made from an offered template in the
// template's order, and the organisation's own after them.
func templatePosition(templates []string, key string) int {
	if i := slices.Index(templates, key); i >= 0 {
		return i + 1
	}
	return ownPosition
}

// SecurityRoles lists the roles, offered ones in the guide's order first.
func (db *DB) SecurityRoles(ctx context.Context, orgID int64) ([]*isms.SecurityRole, error) {
	return view(db, ctx, "SecurityRoles", orgID, func(tx *Tx) ([]*isms.SecurityRole, error) { return tx.roles(orgID, 0) })
}

// SecurityRole reads one role.
func (db *DB) SecurityRole(ctx context.Context, orgID, id int64) (*isms.SecurityRole, error) {
	return view(db, ctx, "SecurityRole", orgID, func(tx *Tx) (*isms.SecurityRole, error) { return tx.role(orgID, id) })
}

// CreateSecurityRole adds a role, from an offered template or the
// organisation's own.
func (db *DB) CreateSecurityRole(ctx context.Context, orgID int64, in isms.SecurityRoleInput) (*isms.SecurityRole, error) {
	return first(db.CreateSecurityRoles(ctx, orgID, []isms.SecurityRoleInput{in}))
}

// CreateSecurityRoles adds several roles in one transaction: all of them
// or, when one is refused, none.
func (db *DB) CreateSecurityRoles(ctx context.Context, orgID int64, in []isms.SecurityRoleInput) ([]*isms.SecurityRole, error) {
	return createEach(db, ctx, "CreateSecurityRoles", orgID, in, (*Tx).createRole)
}

func (tx *Tx) createRole(orgID int64, in isms.SecurityRoleInput) (*isms.SecurityRole, error) {
	if err := tx.validateRole(orgID, 0, &in); err != nil {
		return nil, err
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO security_roles (organisation_id, template_key, name, description, position, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, orgID, in.TemplateKey, in.Name, in.Description, templatePosition(isms.RoleTemplates, in.TemplateKey), now, now)
	if err != nil {
		return nil, err
	}
	if err := tx.setRolePeople(orgID, id, in.HolderIDs, in.DeputyIDs); err != nil {
		return nil, err
	}
	if err := tx.setLinks(orgID, typeSecurityRole, id, typeEntry, in.SystemIDs, false); err != nil {
		return nil, err
	}
	if err := tx.bumpRolesList(orgID); err != nil {
		return nil, err
	}
	r, err := tx.role(orgID, id)
	if err != nil {
		return nil, err
	}
	return r, tx.audit(orgID, "create", typeSecurityRole, id, nil, roleRecord(r))
}

// UpdateSecurityRole changes a role, refusing a stale version.
func (db *DB) UpdateSecurityRole(ctx context.Context, orgID, id int64, in isms.SecurityRoleInput) (*isms.SecurityRole, error) {
	var r *isms.SecurityRole
	err := db.write(ctx, "UpdateSecurityRole", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.role(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateRole(orgID, id, &in); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE security_roles SET name = ?, description = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			in.Name, in.Description, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setRolePeople(orgID, id, in.HolderIDs, in.DeputyIDs); err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeSecurityRole, id, typeEntry, in.SystemIDs, false); err != nil {
			return err
		}
		if err := tx.bumpRolesList(orgID); err != nil {
			return err
		}
		if r, err = tx.role(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeSecurityRole, id, roleRecord(before), roleRecord(r))
	})
	return r, err
}

// SetRoleHolders changes only who holds a role and who stands in.
func (db *DB) SetRoleHolders(ctx context.Context, orgID, id int64, in isms.RoleHoldersInput) (*isms.SecurityRole, error) {
	var r *isms.SecurityRole
	err := db.write(ctx, "SetRoleHolders", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.role(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		holders, deputies := uniq(in.HolderIDs), uniq(in.DeputyIDs)
		var v isms.Validation
		if err := tx.checkHolders(&v, orgID, holders, deputies); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE security_roles SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setRolePeople(orgID, id, holders, deputies); err != nil {
			return err
		}
		if err := tx.bumpRolesList(orgID); err != nil {
			return err
		}
		if r, err = tx.role(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeSecurityRole, id, roleRecord(before), roleRecord(r))
	})
	return r, err
}

// DeleteSecurityRole removes a role with its holders and its column of
// the matrix. A role that answers for an activity (A) or that sends
// communication of the plan is kept until those are given to another
// role, so removing it never leaves a gap unnoticed.
func (db *DB) DeleteSecurityRole(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteSecurityRole", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.role(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		acts, err := tx.texts(`SELECT a.name FROM raci_cells c JOIN isms_activities a ON a.id = c.activity_id
			WHERE c.organisation_id = ? AND c.role_id = ? AND c.value IN ('A', 'AR') ORDER BY a.position, a.name`, orgID, id)
		if err != nil {
			return err
		}
		if len(acts) > 0 {
			return isms.Errorf(isms.EConflict, "lead.err.role_accountable", strings.Join(acts, ", "))
		}
		n, err := tx.count("SELECT COUNT(*) FROM communication_entries WHERE organisation_id = ? AND sender_role_id = ?", orgID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EConflict, "lead.err.role_communicates", n)
		}
		if n, err = tx.count("SELECT COUNT(*) FROM competence_needs WHERE organisation_id = ? AND role_id = ?", orgID, id); err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EConflict, "competence.err.role_has_needs", n)
		}
		for _, q := range []string{
			"DELETE FROM raci_cells WHERE organisation_id = ? AND role_id = ?",
			"DELETE FROM security_role_people WHERE organisation_id = ? AND role_id = ?",
		} {
			if _, err := tx.exec(q, orgID, id); err != nil {
				return err
			}
		}
		if err := tx.deleteLinks(orgID, typeSecurityRole, id); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM security_roles WHERE organisation_id = ? AND id = ?", orgID, id); err != nil {
			return err
		}
		if err := tx.bumpRolesList(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "delete", typeSecurityRole, id, roleRecord(before), nil)
	})
}

// createEach adds several records of one kind in one transaction, for
// someone with the edit permission: all of them or, when one is refused,
// none. create adds one with its links and its audit event.
func createEach[In, Out any](db *DB, ctx context.Context, op string, orgID int64, in []In, create func(tx *Tx, orgID int64, in In) (Out, error)) ([]Out, error) {
	var out []Out
	err := db.write(ctx, op, func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		for _, x := range in {
			r, err := create(tx, orgID, x)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// first is the one record of a list written for one input.
func first[T any](out []T, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return out[0], nil
}

// peopleNames lists people by name for the audit trail.
func peopleNames(ps []isms.RolePerson) string {
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

// roleRecord is a role as the audit trail keeps it: people by name, so
// the history reads without looking up ids.
func roleRecord(r *isms.SecurityRole) map[string]any {
	return map[string]any{"name": r.Name, "description": r.Description, "template_key": r.TemplateKey,
		"holders": peopleNames(r.Holders), "deputies": peopleNames(r.Deputies), "system_ids": r.SystemIDs}
}

// texts runs a query that returns one text column.
func (tx *Tx) texts(q string, args ...any) ([]string, error) {
	return queryAll(tx, scanString, q, args...)
}

// ISMS activities.

const activityColumns = "id, organisation_id, template_key, name, description, version, created_at, updated_at"

func scanActivity(row scanner) (*isms.ISMSActivity, error) {
	var a isms.ISMSActivity
	if err := row.Scan(&a.ID, &a.OrganisationID, &a.TemplateKey, &a.Name, &a.Description, &a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("activity")
		}
		return nil, err
	}
	return &a, nil
}

func (tx *Tx) activities(orgID int64) ([]*isms.ISMSActivity, error) {
	return queryAll(tx, scanActivity, "SELECT "+activityColumns+" FROM isms_activities WHERE organisation_id = ? ORDER BY position, name, id", orgID)
}

func (tx *Tx) activity(orgID, id int64) (*isms.ISMSActivity, error) {
	return scanActivity(tx.queryRow("SELECT "+activityColumns+" FROM isms_activities WHERE organisation_id = ? AND id = ?", orgID, id))
}

func (tx *Tx) validateActivity(orgID, id int64, in *isms.ISMSActivityInput) error {
	in.Name = strings.TrimSpace(in.Name)
	var v isms.Validation
	if err := tx.checkNamed(&v, "isms_activities", isms.ActivityTemplates, orgID, id, in.Name, in.Description, in.TemplateKey); err != nil {
		return err
	}
	return v.Err()
}

// ISMSActivities lists the activities of the matrix.
func (db *DB) ISMSActivities(ctx context.Context, orgID int64) ([]*isms.ISMSActivity, error) {
	return view(db, ctx, "ISMSActivities", orgID, func(tx *Tx) ([]*isms.ISMSActivity, error) { return tx.activities(orgID) })
}

// CreateISMSActivity adds an activity; it has no accountable role until
// the matrix gives it one.
func (db *DB) CreateISMSActivity(ctx context.Context, orgID int64, in isms.ISMSActivityInput) (*isms.ISMSActivity, error) {
	return first(db.CreateISMSActivities(ctx, orgID, []isms.ISMSActivityInput{in}))
}

// CreateISMSActivities adds several activities in one transaction.
func (db *DB) CreateISMSActivities(ctx context.Context, orgID int64, in []isms.ISMSActivityInput) ([]*isms.ISMSActivity, error) {
	return createEach(db, ctx, "CreateISMSActivities", orgID, in, (*Tx).createActivity)
}

func (tx *Tx) createActivity(orgID int64, in isms.ISMSActivityInput) (*isms.ISMSActivity, error) {
	if err := tx.validateActivity(orgID, 0, &in); err != nil {
		return nil, err
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO isms_activities (organisation_id, template_key, name, description, position, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, orgID, in.TemplateKey, in.Name, in.Description, templatePosition(isms.ActivityTemplates, in.TemplateKey), now, now)
	if err != nil {
		return nil, err
	}
	if err := tx.bumpRolesList(orgID); err != nil {
		return nil, err
	}
	a, err := tx.activity(orgID, id)
	if err != nil {
		return nil, err
	}
	return a, tx.audit(orgID, "create", typeISMSActivity, id, nil, a)
}

// UpdateISMSActivity renames or redescribes an activity.
func (db *DB) UpdateISMSActivity(ctx context.Context, orgID, id int64, in isms.ISMSActivityInput) (*isms.ISMSActivity, error) {
	var a *isms.ISMSActivity
	err := db.write(ctx, "UpdateISMSActivity", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.activity(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateActivity(orgID, id, &in); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE isms_activities SET name = ?, description = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			in.Name, in.Description, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.bumpRolesList(orgID); err != nil {
			return err
		}
		a, err = audited(tx, tx.activity, orgID, "update", typeISMSActivity, id, before)
		return err
	})
	return a, err
}

// DeleteISMSActivity removes an activity and its row of the matrix.
func (db *DB) DeleteISMSActivity(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteISMSActivity", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.activity(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM raci_cells WHERE organisation_id = ? AND activity_id = ?", orgID, id); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM isms_activities WHERE organisation_id = ? AND id = ?", orgID, id); err != nil {
			return err
		}
		if err := tx.bumpRolesList(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "delete", typeISMSActivity, id, before, nil)
	})
}

// The roles list: matrix, version and approval.

// bumpRolesList raises the version of the list of roles and
// responsibilities, so an earlier approval no longer covers it.
func (tx *Tx) bumpRolesList(orgID int64) error {
	_, err := tx.exec(`INSERT INTO roles_lists (organisation_id, version, approved_version, updated_at) VALUES (?, 1, 0, ?)
		ON CONFLICT (organisation_id) DO UPDATE SET version = roles_lists.version + 1, updated_at = excluded.updated_at`,
		orgID, ts(tx.now))
	return err
}

func (tx *Tx) cells(orgID int64) ([]isms.MatrixCell, error) {
	out, err := queryAll(tx, func(row scanner) (isms.MatrixCell, error) {
		var c isms.MatrixCell
		var v string
		err := row.Scan(&c.ActivityID, &c.RoleID, &v)
		c.Value = isms.RACI(v)
		return c, err
	}, `SELECT c.activity_id, c.role_id, c.value FROM raci_cells c
		JOIN isms_activities a ON a.id = c.activity_id JOIN security_roles r ON r.id = c.role_id
		WHERE c.organisation_id = ? ORDER BY a.position, a.name, r.position, r.name`, orgID)
	if err != nil {
		return nil, err
	}
	return nonNilSlice(out), nil
}

func (tx *Tx) rolesList(orgID int64) (*isms.RolesList, error) {
	l := &isms.RolesList{}
	var approver sql.NullInt64
	err := tx.queryRow(`SELECT l.version, l.approved_version, l.approved_by, COALESCE(u.name, ''), l.approved_at, l.updated_at
		FROM roles_lists l LEFT JOIN users u ON u.id = l.approved_by WHERE l.organisation_id = ?`, orgID).Scan(
		&l.Version, &l.ApprovedVersion, &approver, &l.ApprovedByName, scanTimePtr{&l.ApprovedAt}, scanTimePtr{&l.UpdatedAt})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	l.ApprovedBy = int64Ptr(approver)
	if l.Roles, err = tx.roles(orgID, 0); err != nil {
		return nil, err
	}
	if l.Activities, err = tx.activities(orgID); err != nil {
		return nil, err
	}
	if l.Cells, err = tx.cells(orgID); err != nil {
		return nil, err
	}
	l.Roles, l.Activities = nonNilSlice(l.Roles), nonNilSlice(l.Activities)
	return l, nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// matrixRecord is the matrix as the audit trail keeps it: by activity
// name, each role's part, so the history reads like the grid.
func matrixRecord(l *isms.RolesList) map[string]map[string]string {
	roles := map[int64]string{}
	for _, r := range l.Roles {
		roles[r.ID] = r.Name
	}
	out := map[string]map[string]string{}
	for _, a := range l.Activities {
		row := map[string]string{}
		for _, c := range l.Cells {
			if c.ActivityID == a.ID {
				row[roles[c.RoleID]] = string(c.Value)
			}
		}
		out[a.Name] = row
	}
	return out
}

// RolesList reads the roles, the activities and the matrix as one list.
func (db *DB) RolesList(ctx context.Context, orgID int64) (*isms.RolesList, error) {
	return view(db, ctx, "RolesList", orgID, func(tx *Tx) (*isms.RolesList, error) { return tx.rolesList(orgID) })
}

// SaveMatrix replaces the whole responsibility matrix in one transaction.
// Every activity must have exactly one accountable role: an activity no
// one answers for, or that several answer for, is refused with the
// activities named.
func (db *DB) SaveMatrix(ctx context.Context, orgID int64, in isms.MatrixInput) (*isms.RolesList, error) {
	var l *isms.RolesList
	err := db.write(ctx, "SaveMatrix", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.rolesList(orgID)
		if err != nil {
			return err
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		acts := map[int64]*isms.ISMSActivity{}
		for _, a := range before.Activities {
			acts[a.ID] = a
		}
		roles := map[int64]bool{}
		for _, r := range before.Roles {
			roles[r.ID] = true
		}
		var v isms.Validation
		type key struct{ a, r int64 }
		seen := map[key]bool{}
		accountable := map[int64]int{}
		var cells []isms.MatrixCell
		for _, c := range in.Cells {
			if c.Value == "" {
				continue // an empty cell: the role has no part
			}
			if acts[c.ActivityID] == nil || !roles[c.RoleID] {
				v.Add("raci", "err.unknown_reference")
				continue
			}
			if !c.Value.Valid() {
				v.Add("raci", "lead.err.raci_value")
				continue
			}
			if seen[key{c.ActivityID, c.RoleID}] {
				v.Add("raci", "lead.err.raci_twice")
				continue
			}
			seen[key{c.ActivityID, c.RoleID}] = true
			if c.Value.Accountable() {
				accountable[c.ActivityID]++
			}
			cells = append(cells, c)
		}
		var none, several []string
		for _, a := range before.Activities {
			switch n := accountable[a.ID]; {
			case n == 0:
				none = append(none, a.Name)
			case n > 1:
				several = append(several, a.Name)
			}
		}
		if len(none) > 0 {
			v.Add("raci", "lead.err.no_accountable", strings.Join(none, ", "))
		}
		if len(several) > 0 {
			v.Add("raci_accountable", "lead.err.several_accountable", strings.Join(several, ", "))
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM raci_cells WHERE organisation_id = ?", orgID); err != nil {
			return err
		}
		for _, c := range cells {
			if _, err := tx.exec("INSERT INTO raci_cells (activity_id, role_id, organisation_id, value) VALUES (?, ?, ?, ?)",
				c.ActivityID, c.RoleID, orgID, string(c.Value)); err != nil {
				return err
			}
		}
		if err := tx.bumpRolesList(orgID); err != nil {
			return err
		}
		if l, err = tx.rolesList(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeRACIMatrix, orgID, matrixRecord(before), matrixRecord(l))
	})
	return l, err
}

// rolesListRecord is what the audit trail keeps of an approval.
func rolesListRecord(l *isms.RolesList) map[string]any {
	roles := make([]string, 0, len(l.Roles))
	for _, r := range l.Roles {
		roles = append(roles, r.Name)
	}
	sort.Strings(roles)
	return map[string]any{"version": l.Version, "approved_version": l.ApprovedVersion, "approved_by": l.ApprovedByName, "roles": roles}
}

// ApproveRolesList records management's approval of the current list of
// roles and responsibilities. A list without roles, or with an activity
// that no single role answers for, cannot be approved.
func (db *DB) ApproveRolesList(ctx context.Context, orgID, version int64) (*isms.RolesList, error) {
	var l *isms.RolesList
	err := db.write(ctx, "ApproveRolesList", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.rolesList(orgID)
		if err != nil {
			return err
		}
		if len(before.Roles) == 0 {
			return isms.Errorf(isms.EInvalid, "lead.err.no_roles")
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if !before.Complete() {
			return isms.Errorf(isms.EInvalid, "lead.err.matrix_incomplete")
		}
		if _, err := tx.exec("UPDATE roles_lists SET approved_version = version, approved_by = ?, approved_at = ? WHERE organisation_id = ?",
			tx.actor.UserID, ts(tx.now), orgID); err != nil {
			return err
		}
		if l, err = tx.rolesList(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "approve", typeRolesList, orgID, rolesListRecord(before), rolesListRecord(l))
	})
	return l, err
}
