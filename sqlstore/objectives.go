package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"

	"github.com/ismsdk/isms"
)

// Information security objectives (guide 2.4). Management approves an
// objective as it stands: the approval names the version approved, so any
// later change leaves the objective awaiting approval again, as the
// scope's approval does. Progress measurements are records of their own
// and do not change what was approved.

const (
	typeObjective         = "objective"
	typeObjectiveProgress = "objective_progress"
)

const objColumns = `o.id, o.organisation_id, o.title, o.description, o.measure, o.target_value, o.unit, o.due_date,
	o.owner_id, COALESCE(u.name, ''), o.document_id, COALESCE(d.title, ''), COALESCE(d.classification, ''), o.risk_id, COALESCE(k.title, ''),
	o.plan, o.status,
	(SELECT p.value FROM objective_progress p WHERE p.objective_id = o.id ORDER BY p.measured_on DESC, p.id DESC LIMIT 1),
	(SELECT p.measured_on FROM objective_progress p WHERE p.objective_id = o.id ORDER BY p.measured_on DESC, p.id DESC LIMIT 1),
	o.approved_by, COALESCE(a.name, ''), o.approved_at, o.approved_version, o.version, o.created_at, o.updated_at`

const objFrom = ` FROM objectives o LEFT JOIN users u ON u.id = o.owner_id LEFT JOIN documents d ON d.id = o.document_id
	LEFT JOIN risks k ON k.id = o.risk_id LEFT JOIN users a ON a.id = o.approved_by`

// scanObjective reads an objective; a linked document the reader may not
// read by its classification keeps its id but not its title.
func scanObjective(a isms.Access) func(row scanner) (*isms.Objective, error) {
	return func(row scanner) (*isms.Objective, error) {
		var o isms.Objective
		var target, latest sql.NullFloat64
		var owner, doc, risk, approver sql.NullInt64
		var due, latestOn sql.NullString
		var class, status string
		if err := row.Scan(&o.ID, &o.OrganisationID, &o.Title, &o.Description, &o.Measure, &target, &o.Unit, &due,
			&owner, &o.OwnerName, &doc, &o.DocumentTitle, &class, &risk, &o.RiskTitle, &o.Plan, &status, &latest, &latestOn,
			&approver, &o.ApprovedByName, scanTimePtr{&o.ApprovedAt}, &o.ApprovedVersion, &o.Version, scanTime{&o.CreatedAt}, scanTime{&o.UpdatedAt}); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, notFound("objective")
			}
			return nil, err
		}
		o.Status = isms.ObjectiveStatus(status)
		o.TargetValue, o.LatestValue = floatPtr(target), floatPtr(latest)
		o.DueDate, o.LatestOn = parseDatePtr(due), parseDatePtr(latestOn)
		o.OwnerID, o.DocumentID, o.RiskID, o.ApprovedBy = int64Ptr(owner), int64Ptr(doc), int64Ptr(risk), int64Ptr(approver)
		if o.DocumentID != nil && !isms.Classification(class).ReadableBy(a) {
			o.DocumentTitle = ""
		}
		return &o, nil
	}
}

func floatPtr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func (tx *Tx) objective(orgID, id int64) (*isms.Objective, error) {
	a, err := tx.access(orgID)
	if err != nil {
		return nil, err
	}
	return scanObjective(a)(tx.queryRow("SELECT "+objColumns+objFrom+" WHERE o.organisation_id = ? AND o.id = ?", orgID, id))
}

// validateObjective checks an objective's input. A current objective must
// say who is responsible for it.
func (tx *Tx) validateObjective(orgID int64, in *isms.ObjectiveInput) error {
	for _, s := range []*string{&in.Title, &in.Measure, &in.Unit} {
		*s = strings.TrimSpace(*s)
	}
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	checkText(&v, "measure", in.Measure, 1000)
	checkText(&v, "unit", in.Unit, 50)
	checkText(&v, "plan", in.Plan, 20000)
	if in.TargetValue != nil && (math.IsNaN(*in.TargetValue) || math.IsInf(*in.TargetValue, 0) || math.Abs(*in.TargetValue) > 1e12) {
		v.Add("target_value", "obj.err.number")
	}
	if in.TargetValue != nil && in.Unit == "" {
		v.Add("unit", "obj.err.unit_required")
	}
	if in.Status == "" {
		in.Status = isms.ObjectivePlanned
	}
	if !in.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if in.OwnerID == nil && in.Status.Current() {
		v.Add("owner_id", "obj.err.owner_required")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	for _, ref := range []struct {
		field, table string
		id           *int64
	}{{"document_id", "documents", in.DocumentID}, {"risk_id", "risks", in.RiskID}} {
		if ref.id == nil {
			continue
		}
		n, err := tx.count("SELECT COUNT(*) FROM "+ref.table+" WHERE organisation_id = ? AND id = ?", orgID, *ref.id)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add(ref.field, "err.unknown_reference")
		}
	}
	return v.Err()
}

// objRecord is an objective as the audit trail keeps it.
func objRecord(o *isms.Objective) map[string]any {
	var approvedAt, due any
	if o.ApprovedAt != nil {
		approvedAt = o.ApprovedAt
	}
	if o.DueDate != nil {
		due = o.DueDate.String()
	}
	return map[string]any{"title": o.Title, "description": o.Description, "measure": o.Measure, "target_value": o.TargetValue,
		"unit": o.Unit, "due_date": due, "owner": o.OwnerName, "document_id": o.DocumentID, "risk_id": o.RiskID, "plan": o.Plan,
		"status": o.Status, "approved_by": o.ApprovedByName, "approved_at": approvedAt, "approved_version": o.ApprovedVersion}
}

var objSorts = map[string]string{"title": "o.title", "due": "o.due_date", "owner": "u.name", "status": "o.status", "updated": "o.updated_at"}

// Objectives lists the objectives, filtered, sorted and paginated.
func (db *DB) Objectives(ctx context.Context, orgID int64, f isms.ObjectiveFilter) ([]*isms.Objective, int, error) {
	var out []*isms.Objective
	var total int
	err := db.read(ctx, "Objectives", func(tx *Tx) error {
		a, err := tx.require(orgID, isms.PermView)
		if err != nil {
			return err
		}
		where := " WHERE o.organisation_id = ?"
		args := []any{orgID}
		if f.Status != "" {
			where += " AND o.status = ?"
			args = append(args, string(f.Status))
		}
		if f.Current {
			where += " AND o.status IN ('planned', 'in_progress')"
		}
		if f.Unapproved {
			where += " AND (o.approved_at IS NULL OR o.approved_version <> o.version) AND o.status <> 'withdrawn'"
		}
		if f.OwnerID != 0 {
			where += " AND o.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(o.title) LIKE ? OR LOWER(o.measure) LIKE ? OR LOWER(o.plan) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		if total, err = tx.count("SELECT COUNT(*)"+objFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		order := orderBy(f.Sort, objSorts, "o.due_date, o.title")
		rows, err := tx.query("SELECT "+objColumns+objFrom+where+" ORDER BY "+order+", o.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanObjective(a))
		return err
	})
	return out, total, err
}

// Objective reads one objective.
func (db *DB) Objective(ctx context.Context, orgID, id int64) (*isms.Objective, error) {
	return view(db, ctx, "Objective", orgID, func(tx *Tx) (*isms.Objective, error) { return tx.objective(orgID, id) })
}

// CreateObjective adds an objective. Contributors may add objectives they
// own themselves.
func (db *DB) CreateObjective(ctx context.Context, orgID int64, in isms.ObjectiveInput) (*isms.Objective, error) {
	var o *isms.Objective
	err := db.write(ctx, "CreateObjective", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateObjective(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO objectives (organisation_id, title, description, measure, target_value, unit, due_date, owner_id,
			document_id, risk_id, plan, status, approved_version, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?)`,
			orgID, in.Title, in.Description, in.Measure, nullFloat(in.TargetValue), in.Unit, dateArg(in.DueDate), nullInt(in.OwnerID),
			nullInt(in.DocumentID), nullInt(in.RiskID), in.Plan, string(in.Status), now, now)
		if err != nil {
			return err
		}
		if o, err = tx.objective(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeObjective, id, nil, objRecord(o))
	})
	return o, err
}

// UpdateObjective changes an objective, refusing a stale version. The
// approval stays on the version it was given to, so the changed
// objective awaits approval again.
func (db *DB) UpdateObjective(ctx context.Context, orgID, id int64, in isms.ObjectiveInput) (*isms.Objective, error) {
	var o *isms.Objective
	err := db.write(ctx, "UpdateObjective", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.objective(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateObjective(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE objectives SET title = ?, description = ?, measure = ?, target_value = ?, unit = ?, due_date = ?,
			owner_id = ?, document_id = ?, risk_id = ?, plan = ?, status = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`,
			in.Title, in.Description, in.Measure, nullFloat(in.TargetValue), in.Unit, dateArg(in.DueDate), nullInt(in.OwnerID),
			nullInt(in.DocumentID), nullInt(in.RiskID), in.Plan, string(in.Status), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if o, err = tx.objective(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeObjective, id, objRecord(before), objRecord(o))
	})
	return o, err
}

// DeleteObjective removes an objective with its progress measurements
// and its resource lines.
func (db *DB) DeleteObjective(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteObjective", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.objective(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM objective_progress WHERE organisation_id = ? AND objective_id = ?", orgID, id); err != nil {
			return err
		}
		// Its resource lines go with it, each kept in the audit trail.
		lines, err := tx.resourceLines(orgID, " AND l.objective_id = ?", id)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if err := tx.deleteResourceLine(orgID, l); err != nil {
				return err
			}
		}
		return tx.deleteRecord(orgID, "objectives", typeObjective, id, objRecord(before))
	})
}

// ApproveObjective records management's approval of the objective in the
// version the approver read.
func (db *DB) ApproveObjective(ctx context.Context, orgID, id, version int64) (*isms.Objective, error) {
	var o *isms.Objective
	err := db.write(ctx, "ApproveObjective", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.objective(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if before.Status == isms.ObjectiveWithdrawn {
			return isms.Errorf(isms.EInvalid, "obj.err.withdrawn")
		}
		if before.Approved() {
			o = before
			return nil
		}
		if _, err := tx.exec("UPDATE objectives SET approved_by = ?, approved_at = ?, approved_version = version WHERE organisation_id = ? AND id = ?",
			tx.actor.UserID, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if o, err = tx.objective(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "approve", typeObjective, id, objRecord(before), objRecord(o))
	})
	return o, err
}

const progressColumns = `p.id, p.objective_id, p.measured_on, p.value, p.note, p.recorded_by, COALESCE(u.name, ''), p.created_at`

func scanProgress(row scanner) (*isms.ObjectiveProgress, error) {
	var p isms.ObjectiveProgress
	var by sql.NullInt64
	if err := row.Scan(&p.ID, &p.ObjectiveID, scanDate{&p.MeasuredOn}, &p.Value, &p.Note, &by, &p.RecordedName, scanTime{&p.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("progress")
		}
		return nil, err
	}
	p.RecordedBy = int64Ptr(by)
	return &p, nil
}

// ObjectiveProgress lists an objective's measurements, newest first.
func (db *DB) ObjectiveProgress(ctx context.Context, orgID, id int64) ([]*isms.ObjectiveProgress, error) {
	return view(db, ctx, "ObjectiveProgress", orgID, func(tx *Tx) ([]*isms.ObjectiveProgress, error) {
		if _, err := tx.objective(orgID, id); err != nil {
			return nil, err
		}
		return queryAll(tx, scanProgress, "SELECT "+progressColumns+` FROM objective_progress p LEFT JOIN users u ON u.id = p.recorded_by
			WHERE p.organisation_id = ? AND p.objective_id = ? ORDER BY p.measured_on DESC, p.id DESC`, orgID, id)
	})
}

func progressRecord(o *isms.Objective, p *isms.ObjectiveProgress) map[string]any {
	return map[string]any{"objective": o.Title, "measured_on": p.MeasuredOn.String(), "value": p.Value, "unit": o.Unit, "note": p.Note}
}

// AddObjectiveProgress records a measurement of an objective: whoever may
// edit the objective may record its progress.
func (db *DB) AddObjectiveProgress(ctx context.Context, orgID, id int64, in isms.ObjectiveProgressInput) (*isms.ObjectiveProgress, error) {
	var p *isms.ObjectiveProgress
	err := db.write(ctx, "AddObjectiveProgress", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		o, err := tx.objective(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, o.OwnerID); err != nil {
			return err
		}
		var v isms.Validation
		if in.MeasuredOn == nil {
			v.Add("measured_on", "err.required")
		} else if in.MeasuredOn.After(tx.now) {
			v.Add("measured_on", "obj.err.future")
		}
		if in.Value == nil {
			v.Add("value", "err.required")
		} else if math.IsNaN(*in.Value) || math.IsInf(*in.Value, 0) || math.Abs(*in.Value) > 1e12 {
			v.Add("value", "obj.err.number")
		}
		checkText(&v, "note", in.Note, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		pid, err := tx.insert(`INSERT INTO objective_progress (organisation_id, objective_id, measured_on, value, note, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, id, in.MeasuredOn.String(), *in.Value, strings.TrimSpace(in.Note), tx.actor.UserID, ts(tx.now))
		if err != nil {
			return err
		}
		if p, err = scanProgress(tx.queryRow("SELECT "+progressColumns+` FROM objective_progress p LEFT JOIN users u ON u.id = p.recorded_by
			WHERE p.organisation_id = ? AND p.id = ?`, orgID, pid)); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeObjectiveProgress, pid, nil, progressRecord(o, p))
	})
	return p, err
}

// DeleteObjectiveProgress removes a measurement recorded in error.
func (db *DB) DeleteObjectiveProgress(ctx context.Context, orgID, id, progressID int64) error {
	return db.write(ctx, "DeleteObjectiveProgress", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		o, err := tx.objective(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, o.OwnerID); err != nil {
			return err
		}
		p, err := scanProgress(tx.queryRow("SELECT "+progressColumns+` FROM objective_progress p LEFT JOIN users u ON u.id = p.recorded_by
			WHERE p.organisation_id = ? AND p.objective_id = ? AND p.id = ?`, orgID, id, progressID))
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "objective_progress", typeObjectiveProgress, progressID, progressRecord(o, p))
	})
}
