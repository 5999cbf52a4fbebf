package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ismsdk/isms"
)

// Development plans (guide 2.5): owned records; a contributor keeps the
// plans they own.

const typeCompetencePlan = "competence_plan"

const planColumns = `p.id, p.organisation_id, p.need_id, COALESCE(n.subject, ''), p.user_id, COALESCE(u.name, ''), p.action, p.owner_id,
	COALESCE(o.name, ''), p.due_on, p.completed_on, p.version, p.created_at, p.updated_at`

const planFrom = ` FROM competence_plans p LEFT JOIN competence_needs n ON n.id = p.need_id LEFT JOIN users u ON u.id = p.user_id
	LEFT JOIN users o ON o.id = p.owner_id`

func scanPlan(row scanner) (*isms.CompetencePlan, error) {
	var p isms.CompetencePlan
	var owner sql.NullInt64
	if err := row.Scan(&p.ID, &p.OrganisationID, &p.NeedID, &p.NeedSubject, &p.UserID, &p.UserName, &p.Action, &owner, &p.OwnerName,
		scanDate{&p.DueOn}, scanDatePtr{&p.CompletedOn}, &p.Version, scanTime{&p.CreatedAt}, scanTime{&p.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("development plan")
		}
		return nil, err
	}
	p.OwnerID = int64Ptr(owner)
	return &p, nil
}

func (tx *Tx) plan(orgID, id int64) (*isms.CompetencePlan, error) {
	return scanPlan(tx.queryRow("SELECT "+planColumns+planFrom+" WHERE p.organisation_id = ? AND p.id = ?", orgID, id))
}

func (tx *Tx) plans(orgID int64) ([]*isms.CompetencePlan, error) {
	return queryAll(tx, scanPlan, "SELECT "+planColumns+planFrom+" WHERE p.organisation_id = ? ORDER BY p.completed_on IS NOT NULL, p.due_on, p.id", orgID)
}

func (tx *Tx) validatePlan(orgID int64, in *isms.CompetencePlanInput) error {
	in.Action = strings.TrimSpace(in.Action)
	var v isms.Validation
	n, err := tx.count("SELECT COUNT(*) FROM competence_needs WHERE organisation_id = ? AND id = ?", orgID, in.NeedID)
	if err != nil {
		return err
	}
	if n == 0 {
		v.Add("need_id", "err.unknown_reference")
	}
	if in.UserID == 0 {
		v.Add("user_id", "err.required")
	} else {
		tx.checkMember(&v, "user_id", orgID, &in.UserID)
	}
	requireText(&v, "action", in.Action, 1000)
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.DueOn == nil {
		v.Add("due_on", "err.required")
	}
	if in.CompletedOn != nil && tx.Today().Before(*in.CompletedOn) {
		v.Add("completed_on", "competence.err.achieved_future")
	}
	return v.Err()
}

func planRecord(p *isms.CompetencePlan) map[string]any {
	var done any
	if p.CompletedOn != nil {
		done = p.CompletedOn.String()
	}
	return map[string]any{"need": p.NeedSubject, "person": p.UserName, "action": p.Action, "owner": p.OwnerName, "due_on": p.DueOn.String(),
		"completed_on": done}
}

// CompetencePlans lists the plans, open ones first by due date.
func (db *DB) CompetencePlans(ctx context.Context, orgID int64) ([]*isms.CompetencePlan, error) {
	return view(db, ctx, "CompetencePlans", orgID, func(tx *Tx) ([]*isms.CompetencePlan, error) { return tx.plans(orgID) })
}

// CompetencePlan reads one plan.
func (db *DB) CompetencePlan(ctx context.Context, orgID, id int64) (*isms.CompetencePlan, error) {
	return view(db, ctx, "CompetencePlan", orgID, func(tx *Tx) (*isms.CompetencePlan, error) { return tx.plan(orgID, id) })
}

// CreateCompetencePlan records a plan; a contributor may add the plans
// they own.
func (db *DB) CreateCompetencePlan(ctx context.Context, orgID int64, in isms.CompetencePlanInput) (*isms.CompetencePlan, error) {
	var p *isms.CompetencePlan
	err := db.write(ctx, "CreateCompetencePlan", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validatePlan(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO competence_plans (organisation_id, need_id, user_id, action, owner_id, due_on, completed_on, version,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.NeedID, in.UserID, in.Action, nullInt(in.OwnerID), dateArg(in.DueOn), dateArg(in.CompletedOn), now, now)
		if err != nil {
			return err
		}
		if p, err = tx.plan(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeCompetencePlan, id, nil, planRecord(p))
	})
	return p, err
}

// UpdateCompetencePlan changes a plan, refusing a stale version.
func (db *DB) UpdateCompetencePlan(ctx context.Context, orgID, id int64, in isms.CompetencePlanInput) (*isms.CompetencePlan, error) {
	var p *isms.CompetencePlan
	err := db.write(ctx, "UpdateCompetencePlan", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.plan(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validatePlan(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE competence_plans SET need_id = ?, user_id = ?, action = ?, owner_id = ?, due_on = ?, completed_on = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.NeedID, in.UserID, in.Action, nullInt(in.OwnerID), dateArg(in.DueOn), dateArg(in.CompletedOn), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if p, err = tx.plan(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeCompetencePlan, id, planRecord(before), planRecord(p))
	})
	return p, err
}

// DeleteCompetencePlan removes a plan.
func (db *DB) DeleteCompetencePlan(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteCompetencePlan", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.plan(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "competence_plans", typeCompetencePlan, id, planRecord(before))
	})
}
