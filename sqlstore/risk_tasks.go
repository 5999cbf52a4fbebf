package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ismsdk/isms"
)

// The risk treatment plan (clause 6.1.3 e): the actions that carry out the
// treatment decisions, each with an owner, a deadline, a status and the
// controls it puts in place. A control an action puts in place is one of
// its risk's planned controls; naming a new one adds it to the risk, so the
// Statement of Applicability sees every control the plan relies on.

const riskTaskFrom = ` FROM risk_tasks k JOIN risks r ON r.id = k.risk_id
	LEFT JOIN assets a ON a.id = r.asset_id
	LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id
	LEFT JOIN users u ON u.id = k.owner_id`

const riskTaskColumns = `k.id, k.organisation_id, k.risk_id, r.title, COALESCE(e.name, a.name, ''), k.title, k.description, k.owner_id,
	COALESCE(u.name, ''), k.deadline, k.status, k.completed_on, k.version, k.created_at, k.updated_at`

func scanRiskTask(row scanner) (*isms.RiskTask, error) {
	var t isms.RiskTask
	var owner sql.NullInt64
	var status string
	if err := row.Scan(&t.ID, &t.OrganisationID, &t.RiskID, &t.RiskTitle, &t.AssetName, &t.Title, &t.Description, &owner, &t.OwnerName,
		scanDatePtr{&t.Deadline}, &status, scanDatePtr{&t.CompletedOn}, &t.Version, scanTime{&t.CreatedAt}, scanTime{&t.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("treatment action")
		}
		return nil, err
	}
	t.OwnerID, t.Status = int64Ptr(owner), isms.TaskStatus(status)
	return &t, nil
}

func (tx *Tx) riskTask(orgID, id int64) (*isms.RiskTask, error) {
	t, err := scanRiskTask(tx.queryRow("SELECT "+riskTaskColumns+riskTaskFrom+" WHERE k.organisation_id = ? AND k.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	if t.Controls, err = tx.links(orgID, typeRiskTask, id, typeRiskControl, false); err != nil {
		return nil, err
	}
	return t, nil
}

var riskTaskSorts = map[string]string{"deadline": "k.deadline", "title": "LOWER(k.title)", "owner": "u.name", "status": "k.status",
	"risk": "LOWER(r.title)", "asset": "LOWER(COALESCE(e.name, a.name, ''))"}

// RiskTasks lists the treatment plan, filtered, sorted and paginated.
func (db *DB) RiskTasks(ctx context.Context, orgID int64, f isms.RiskTaskFilter) ([]*isms.RiskTask, int, error) {
	var out []*isms.RiskTask
	var total int
	err := db.read(ctx, "RiskTasks", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE k.organisation_id = ?"
		args := []any{orgID}
		if f.RiskID != 0 {
			where += " AND k.risk_id = ?"
			args = append(args, f.RiskID)
		}
		if f.OwnerID != 0 {
			where += " AND k.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if f.Status != "" {
			if !f.Status.Valid() {
				return &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "task_status", Key: "err.choice"}}}
			}
			where += " AND k.status = ?"
			args = append(args, f.Status)
		}
		if f.Open || f.Overdue {
			where += " AND k.status IN ('planned', 'in_progress')"
		}
		if f.Overdue {
			where += " AND k.deadline < ?"
			args = append(args, tx.Today().String())
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+riskTaskFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		order := orderBy(f.Sort, riskTaskSorts, "k.deadline")
		rows, err := tx.query("SELECT "+riskTaskColumns+riskTaskFrom+where+" ORDER BY "+order+", k.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanRiskTask)
		if err != nil {
			return err
		}
		for _, t := range out {
			if t.Controls, err = tx.links(orgID, typeRiskTask, t.ID, typeRiskControl, false); err != nil {
				return err
			}
		}
		return nil
	})
	return out, total, err
}

// RiskTask reads one action.
func (db *DB) RiskTask(ctx context.Context, orgID, id int64) (*isms.RiskTask, error) {
	return view(db, ctx, "RiskTask", orgID, func(tx *Tx) (*isms.RiskTask, error) { return tx.riskTask(orgID, id) })
}

func (tx *Tx) validateRiskTask(orgID int64, in *isms.RiskTaskInput) error {
	var v isms.Validation
	in.Title = strings.TrimSpace(in.Title)
	n, err := tx.count("SELECT COUNT(*) FROM risks WHERE organisation_id = ? AND id = ?", orgID, in.RiskID)
	if err != nil {
		return err
	}
	if n == 0 {
		v.Add("risk_id", "err.unknown_reference")
	}
	requireText(&v, "task_title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	if in.OwnerID == nil {
		v.Add("owner_id", "err.required")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.Deadline == nil {
		v.Add("task_deadline", "err.required")
	}
	if in.Status == "" {
		in.Status = isms.TaskPlanned
	}
	if !in.Status.Valid() {
		v.Add("task_status", "err.choice")
	}
	if err := tx.riskValidControls(&v, "task_controls", orgID, in.Controls); err != nil {
		return err
	}
	return v.Err()
}

// riskTaskControlsToRisk adds the controls an action names to its risk's
// planned controls, where they are not there already, with the risk's
// change in the audit trail.
func (tx *Tx) riskTaskControlsToRisk(orgID, riskID int64, controls []int64) error {
	if len(controls) == 0 {
		return nil
	}
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return err
	}
	before, err := tx.risk(orgID, m, riskID)
	if err != nil {
		return err
	}
	have := map[int64]bool{}
	for _, id := range append(append([]int64{}, before.ExistingControls...), before.PlannedControls...) {
		have[id] = true
	}
	planned := append([]int64{}, before.PlannedControls...)
	for _, id := range uniq(controls) {
		if !have[id] {
			planned = append(planned, id)
		}
	}
	if len(planned) == len(before.PlannedControls) {
		return nil
	}
	if err := tx.riskSetControls(orgID, riskID, before.ExistingControls, planned); err != nil {
		return err
	}
	if _, err := tx.exec("UPDATE risks SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?", ts(tx.now), orgID, riskID); err != nil {
		return err
	}
	after, err := tx.risk(orgID, m, riskID)
	if err != nil {
		return err
	}
	return tx.audit(orgID, "update", typeRisk, riskID, before, after)
}

func riskCompletedOn(tx *Tx, status isms.TaskStatus, before *isms.RiskTask) any {
	if status != isms.TaskDone {
		return nil
	}
	if before != nil && before.Status == isms.TaskDone && before.CompletedOn != nil {
		return before.CompletedOn.String()
	}
	return tx.Today().String()
}

// CreateRiskTask adds an action to the treatment plan. Contributors may
// add actions they own.
func (db *DB) CreateRiskTask(ctx context.Context, orgID int64, in isms.RiskTaskInput) (*isms.RiskTask, error) {
	var t *isms.RiskTask
	err := db.write(ctx, "CreateRiskTask", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateRiskTask(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO risk_tasks (organisation_id, risk_id, title, description, owner_id, deadline, status, completed_on,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.RiskID, in.Title, strings.TrimSpace(in.Description), nullInt(in.OwnerID), dateArg(in.Deadline), in.Status,
			riskCompletedOn(tx, in.Status, nil), now, now)
		if err != nil {
			return err
		}
		if err := tx.setRiskTaskControls(orgID, id, in.RiskID, in.Controls); err != nil {
			return err
		}
		t, err = audited(tx, tx.riskTask, orgID, "create", typeRiskTask, id, nil)
		return err
	})
	return t, err
}

// setRiskTaskControls links an action to the controls it names, adds them
// to its risk's planned controls, and works out again what of the risk's
// treatment is due, as every change to an action must.
func (tx *Tx) setRiskTaskControls(orgID, taskID, riskID int64, controls []int64) error {
	if err := tx.setLinks(orgID, typeRiskTask, taskID, typeRiskControl, controls, false); err != nil {
		return err
	}
	if err := tx.riskTaskControlsToRisk(orgID, riskID, controls); err != nil {
		return err
	}
	return tx.riskRefreshDue(orgID, riskID)
}

// UpdateRiskTask changes an action, refusing a stale version.
func (db *DB) UpdateRiskTask(ctx context.Context, orgID, id int64, in isms.RiskTaskInput) (*isms.RiskTask, error) {
	var t *isms.RiskTask
	err := db.write(ctx, "UpdateRiskTask", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.riskTask(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		in.RiskID = before.RiskID // an action stays with its risk
		if err := tx.validateRiskTask(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE risk_tasks SET title = ?, description = ?, owner_id = ?, deadline = ?, status = ?, completed_on = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, strings.TrimSpace(in.Description), nullInt(in.OwnerID), dateArg(in.Deadline), in.Status,
			riskCompletedOn(tx, in.Status, before), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setRiskTaskControls(orgID, id, in.RiskID, in.Controls); err != nil {
			return err
		}
		t, err = audited(tx, tx.riskTask, orgID, "update", typeRiskTask, id, before)
		return err
	})
	return t, err
}

// DeleteRiskTask removes an action.
func (db *DB) DeleteRiskTask(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteRiskTask", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.riskTask(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if err := tx.deleteLinks(orgID, typeRiskTask, id); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM risk_tasks WHERE organisation_id = ? AND id = ?", orgID, id); err != nil {
			return err
		}
		if err := tx.riskRefreshDue(orgID, before.RiskID); err != nil {
			return err
		}
		return tx.audit(orgID, "delete", typeRiskTask, id, before, nil)
	})
}

// UntaskedRisks lists risks decided to be mitigated, avoided or shared
// that have no action in the plan yet: gaps in the treatment plan.
func (db *DB) UntaskedRisks(ctx context.Context, orgID int64, limit int) ([]*isms.Risk, error) {
	var out []*isms.Risk
	err := db.read(ctx, "UntaskedRisks", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		m, err := tx.riskMethod(orgID)
		if err != nil {
			return err
		}
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		rows, err := tx.query("SELECT "+riskColumns+riskFrom+` WHERE r.organisation_id = ? AND r.treatment IN ('mitigate', 'avoid', 'share')
			AND NOT EXISTS (SELECT 1 FROM risk_tasks k WHERE k.organisation_id = r.organisation_id AND k.risk_id = r.id)
			ORDER BY r.deadline, r.residual_score DESC, r.id LIMIT ?`, orgID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		today := tx.Today()
		out, err = collect(rows, func(r scanner) (*isms.Risk, error) { return scanRisk(r, m, today) })
		return err
	})
	return out, err
}
