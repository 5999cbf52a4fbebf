package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ismsdk/isms"
)

// Competence (guide 2.5): the needs of each security role and ISMS
// function. Needs are set by those who may edit the whole ISMS
// (coordinators and administrators); everyone in the organisation reads
// them.

const typeCompetenceNeed = "competence_need"

const needColumns = `n.id, n.organisation_id, n.role_id, COALESCE(r.name, ''), n.isms_function, n.subject, n.kind, n.level, n.description,
	n.refresh_months, w.id, COALESCE(w.title, ''), n.version, n.created_at, n.updated_at`

// needFrom joins the wheel's activity of the organisation only: one
// deleted from the wheel leaves the need without a link.
const needFrom = ` FROM competence_needs n LEFT JOIN security_roles r ON r.id = n.role_id
	LEFT JOIN wheel_activities w ON w.id = n.wheel_activity_id AND w.organisation_id = n.organisation_id`

func scanNeed(row scanner) (*isms.CompetenceNeed, error) {
	var n isms.CompetenceNeed
	var role, activity sql.NullInt64
	var kind, level string
	if err := row.Scan(&n.ID, &n.OrganisationID, &role, &n.RoleName, &n.Function, &n.Subject, &kind, &level, &n.Description,
		&n.RefreshMonths, &activity, &n.WheelActivityTitle, &n.Version, scanTime{&n.CreatedAt}, scanTime{&n.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("competence need")
		}
		return nil, err
	}
	n.RoleID, n.Kind, n.Level = int64Ptr(role), isms.CompetenceKind(kind), isms.CompetenceLevel(level)
	n.WheelActivityID = int64Ptr(activity)
	return &n, nil
}

func (tx *Tx) need(orgID, id int64) (*isms.CompetenceNeed, error) {
	return scanNeed(tx.queryRow("SELECT "+needColumns+needFrom+" WHERE n.organisation_id = ? AND n.id = ?", orgID, id))
}

// validateNeed checks a need's input (needID 0 for a new one): a role of
// the organisation or a function in words, not both; the subject; a known
// kind and level; the refresh interval and the wheel's activity.
func (tx *Tx) validateNeed(orgID, needID int64, in *isms.CompetenceNeedInput) error {
	in.Function, in.Subject = strings.TrimSpace(in.Function), strings.TrimSpace(in.Subject)
	var v isms.Validation
	switch {
	case in.RoleID == nil && in.Function == "":
		v.Add("role_id", "competence.err.role_or_function")
	case in.RoleID != nil && in.Function != "":
		v.Add("function", "competence.err.role_and_function")
	case in.RoleID != nil:
		n, err := tx.count("SELECT COUNT(*) FROM security_roles WHERE organisation_id = ? AND id = ?", orgID, *in.RoleID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("role_id", "err.unknown_reference")
		}
	default:
		checkText(&v, "function", in.Function, 200)
	}
	requireText(&v, "subject", in.Subject, 300)
	if in.Kind == "" {
		v.Add("kind", "err.required")
	} else if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	if in.Level == "" {
		v.Add("level", "err.required")
	} else if !in.Level.Valid() {
		v.Add("level", "err.choice")
	}
	checkText(&v, "description", in.Description, 10000)
	if in.RefreshMonths < 0 || in.RefreshMonths > isms.MaxRefreshMonths {
		v.Add("refresh_months", "competence.err.refresh_months", isms.MaxRefreshMonths)
	}
	if in.WheelActivityID != nil {
		// An activity of the organisation that still comes round; one
		// already linked may stay linked after it was retired.
		n, err := tx.count(`SELECT COUNT(*) FROM wheel_activities WHERE organisation_id = ? AND id = ?
			AND (status = 'active' OR id IN (SELECT wheel_activity_id FROM competence_needs WHERE organisation_id = ? AND id = ?))`,
			orgID, *in.WheelActivityID, orgID, needID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("wheel_activity_id", "err.unknown_reference")
		}
	}
	return v.Err()
}

// needRecord is a need as the audit trail keeps it: the role by name.
func needRecord(n *isms.CompetenceNeed) map[string]any {
	return map[string]any{"role": n.RoleName, "function": n.Function, "subject": n.Subject, "kind": n.Kind, "level": n.Level,
		"description": n.Description, "refresh_months": n.RefreshMonths, "wheel_activity": n.WheelActivityTitle}
}

// CompetenceNeeds lists the needs, the roles' in the roles' order, then
// the functions' by name.
func (db *DB) CompetenceNeeds(ctx context.Context, orgID int64) ([]*isms.CompetenceNeed, error) {
	return view(db, ctx, "CompetenceNeeds", orgID, func(tx *Tx) ([]*isms.CompetenceNeed, error) { return tx.needs(orgID) })
}

func (tx *Tx) needs(orgID int64) ([]*isms.CompetenceNeed, error) {
	rows, err := tx.query("SELECT "+needColumns+needFrom+
		" WHERE n.organisation_id = ? ORDER BY CASE WHEN n.role_id IS NULL THEN 1 ELSE 0 END, r.position, n.isms_function, n.subject, n.id", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanNeed)
}

// CompetenceNeed reads one need.
func (db *DB) CompetenceNeed(ctx context.Context, orgID, id int64) (*isms.CompetenceNeed, error) {
	return view(db, ctx, "CompetenceNeed", orgID, func(tx *Tx) (*isms.CompetenceNeed, error) { return tx.need(orgID, id) })
}

// CreateCompetenceNeed records a need.
func (db *DB) CreateCompetenceNeed(ctx context.Context, orgID int64, in isms.CompetenceNeedInput) (*isms.CompetenceNeed, error) {
	var n *isms.CompetenceNeed
	err := db.write(ctx, "CreateCompetenceNeed", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.validateNeed(orgID, 0, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO competence_needs (organisation_id, role_id, isms_function, subject, kind, level, description,
			refresh_months, wheel_activity_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, nullInt(in.RoleID), in.Function, in.Subject, string(in.Kind), string(in.Level), in.Description,
			in.RefreshMonths, nullInt(in.WheelActivityID), now, now)
		if err != nil {
			return err
		}
		if n, err = tx.need(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeCompetenceNeed, id, nil, needRecord(n))
	})
	return n, err
}

// UpdateCompetenceNeed changes a need, refusing a stale version.
func (db *DB) UpdateCompetenceNeed(ctx context.Context, orgID, id int64, in isms.CompetenceNeedInput) (*isms.CompetenceNeed, error) {
	var n *isms.CompetenceNeed
	err := db.write(ctx, "UpdateCompetenceNeed", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.need(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateNeed(orgID, id, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE competence_needs SET role_id = ?, isms_function = ?, subject = ?, kind = ?, level = ?, description = ?,
			refresh_months = ?, wheel_activity_id = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			nullInt(in.RoleID), in.Function, in.Subject, string(in.Kind), string(in.Level), in.Description,
			in.RefreshMonths, nullInt(in.WheelActivityID), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if n, err = tx.need(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeCompetenceNeed, id, needRecord(before), needRecord(n))
	})
	return n, err
}

// DeleteCompetenceNeed removes a need.
func (db *DB) DeleteCompetenceNeed(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteCompetenceNeed", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.need(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "competence_needs", typeCompetenceNeed, id, needRecord(before))
	})
}
