package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ismsdk/isms"
)

// The organisation's units with their staff counts (guide 2.6): the reach
// of the awareness programme is counted per unit against them. A unit's
// name is unique in the organisation as compared (isms.CompareKey), since
// an imported file names units by name; the unique index decides between
// two writers, and its refusal is the same clear error as the check's.

const typeOrgUnit = "org_unit"

const unitColumns = `id, organisation_id, name, staff_count, version, created_at, updated_at`

func scanOrgUnit(row scanner) (*isms.OrgUnit, error) {
	var u isms.OrgUnit
	if err := row.Scan(&u.ID, &u.OrganisationID, &u.Name, &u.StaffCount, &u.Version, scanTime{&u.CreatedAt}, scanTime{&u.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("unit")
		}
		return nil, err
	}
	return &u, nil
}

func (tx *Tx) orgUnit(orgID, id int64) (*isms.OrgUnit, error) {
	return scanOrgUnit(tx.queryRow("SELECT "+unitColumns+" FROM org_units WHERE organisation_id = ? AND id = ?", orgID, id))
}

func (tx *Tx) orgUnits(orgID int64) ([]*isms.OrgUnit, error) {
	return queryAll(tx, scanOrgUnit, "SELECT "+unitColumns+" FROM org_units WHERE organisation_id = ? ORDER BY name_key, id", orgID)
}

// validateOrgUnit checks a unit's input; id is the unit changed, 0 for a
// new one.
func (tx *Tx) validateOrgUnit(orgID, id int64, in *isms.OrgUnitInput) error {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	var v isms.Validation
	requireText(&v, "name", in.Name, 200)
	if in.StaffCount < 0 || in.StaffCount > isms.MaxStaffCount {
		v.Add("staff_count", "awp.err.staff_count", isms.MaxStaffCount)
	}
	if !v.Has("name") {
		n, err := tx.count("SELECT COUNT(*) FROM org_units WHERE organisation_id = ? AND name_key = ? AND id <> ?", orgID, isms.CompareKey(in.Name), id)
		if err != nil {
			return err
		}
		if n > 0 {
			v.Add("name", "awp.err.unit_exists")
		}
	}
	return v.Err()
}

// unitDuplicate turns the unique index's refusal (a writer that checked
// before another's unit was committed) into the check's own error.
func unitDuplicate(err error) error {
	if e := isms.AsError(err); e != nil && e.Key == "err.duplicate" {
		var v isms.Validation
		v.Add("name", "awp.err.unit_exists")
		return v.Err()
	}
	return err
}

func unitRecord(u *isms.OrgUnit) map[string]any {
	return map[string]any{"name": u.Name, "staff_count": u.StaffCount}
}

// OrgUnits lists the units by name.
func (db *DB) OrgUnits(ctx context.Context, orgID int64) ([]*isms.OrgUnit, error) {
	return view(db, ctx, "OrgUnits", orgID, func(tx *Tx) ([]*isms.OrgUnit, error) { return tx.orgUnits(orgID) })
}

// OrgUnit reads one unit.
func (db *DB) OrgUnit(ctx context.Context, orgID, id int64) (*isms.OrgUnit, error) {
	return view(db, ctx, "OrgUnit", orgID, func(tx *Tx) (*isms.OrgUnit, error) { return tx.orgUnit(orgID, id) })
}

// CreateOrgUnit adds a unit.
func (db *DB) CreateOrgUnit(ctx context.Context, orgID int64, in isms.OrgUnitInput) (*isms.OrgUnit, error) {
	var u *isms.OrgUnit
	err := db.write(ctx, "CreateOrgUnit", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.validateOrgUnit(orgID, 0, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO org_units (organisation_id, name, name_key, staff_count, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, 1, ?, ?)`, orgID, in.Name, isms.CompareKey(in.Name), in.StaffCount, now, now)
		if err != nil {
			return unitDuplicate(err)
		}
		if u, err = tx.orgUnit(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeOrgUnit, id, nil, unitRecord(u))
	})
	return u, err
}

// UpdateOrgUnit renames a unit or changes its staff count, refusing a
// stale version.
func (db *DB) UpdateOrgUnit(ctx context.Context, orgID, id int64, in isms.OrgUnitInput) (*isms.OrgUnit, error) {
	var u *isms.OrgUnit
	err := db.write(ctx, "UpdateOrgUnit", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.orgUnit(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateOrgUnit(orgID, id, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE org_units SET name = ?, name_key = ?, staff_count = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, in.Name, isms.CompareKey(in.Name), in.StaffCount, ts(tx.now), orgID, id); err != nil {
			return unitDuplicate(err)
		}
		if u, err = tx.orgUnit(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeOrgUnit, id, unitRecord(before), unitRecord(u))
	})
	return u, err
}

// DeleteOrgUnit removes a unit. One that participation, an activity's
// target or an acknowledgement names is refused: the reach and the counts
// that name it would silently change.
func (db *DB) DeleteOrgUnit(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteOrgUnit", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.orgUnit(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		uses, err := tx.count(`SELECT (SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ? AND unit_id = ?)
			+ (SELECT COUNT(*) FROM awareness_activity_units WHERE unit_id = ?)
			+ (SELECT COUNT(*) FROM policy_acknowledgements WHERE organisation_id = ? AND unit_id = ?)`, orgID, id, id, orgID, id)
		if err != nil {
			return err
		}
		if uses > 0 {
			return isms.Errorf(isms.EConflict, "awp.err.unit_in_use", before.Name, uses)
		}
		return tx.deleteRecord(orgID, "org_units", typeOrgUnit, id, unitRecord(before))
	})
}
