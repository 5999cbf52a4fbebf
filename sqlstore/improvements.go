package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Continual improvements (guide 2.10, clause 10.1): improvements of the
// ISMS not caused by a nonconformity. Contributors edit the improvements
// they own. A done improvement says when it was done; one not done has no
// done date.

const typeImprovement = "improvement"

func improvementPath(id int64) string { return "/improvements/" + strconv.FormatInt(id, 10) }

const impColumns = `i.id, i.organisation_id, i.title, i.area, i.description, i.benefit, i.owner_id, COALESCE(u.name, ''), i.status,
	i.due_on, i.done_on, i.version, i.created_at, i.updated_at`

const impFrom = ` FROM improvements i LEFT JOIN users u ON u.id = i.owner_id`

func scanImprovement(row scanner) (*isms.Improvement, error) {
	var i isms.Improvement
	var owner sql.NullInt64
	var area, status string
	if err := row.Scan(&i.ID, &i.OrganisationID, &i.Title, &area, &i.Description, &i.Benefit, &owner, &i.OwnerName, &status,
		scanDatePtr{&i.DueOn}, scanDatePtr{&i.DoneOn}, &i.Version, scanTime{&i.CreatedAt}, scanTime{&i.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("improvement")
		}
		return nil, err
	}
	i.Area, i.Status, i.OwnerID = isms.ImprovementArea(area), isms.ImprovementStatus(status), int64Ptr(owner)
	return &i, nil
}

func (tx *Tx) improvement(orgID, id int64) (*isms.Improvement, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	return scanImprovement(tx.queryRow("SELECT "+impColumns+impFrom+" WHERE i.organisation_id = ? AND i.id = ?", orgID, id))
}

func (tx *Tx) validateImprovement(orgID int64, in *isms.ImprovementInput) error {
	in.Title = strings.TrimSpace(in.Title)
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	checkText(&v, "benefit", in.Benefit, 5000)
	if !in.Area.Valid() {
		v.Add("area", "err.choice")
	}
	if in.Status == "" {
		in.Status = isms.ImpProposed
	}
	if !in.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if in.OwnerID == nil && in.Status != isms.ImpRejected {
		v.Add("owner_id", "imp.err.owner_required")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.Status == isms.ImpDone && in.DoneOn == nil {
		v.Add("done_on", "imp.err.done_on_required")
	}
	if in.Status != isms.ImpDone && in.DoneOn != nil {
		v.Add("done_on", "imp.err.done_on_not_done")
	}
	if in.DoneOn != nil && tx.Today().Before(*in.DoneOn) {
		v.Add("done_on", "nc.err.future")
	}
	return v.Err()
}

func impRecord(i *isms.Improvement) map[string]any {
	return map[string]any{"title": i.Title, "area": i.Area, "description": i.Description, "benefit": i.Benefit, "owner": i.OwnerName,
		"status": i.Status, "due_on": dateArg(i.DueOn), "done_on": dateArg(i.DoneOn)}
}

var impSorts = map[string]string{"title": "i.title", "due": "i.due_on", "owner": "u.name", "status": "i.status", "updated": "i.updated_at"}

// Improvements lists the improvements, filtered, sorted and paginated.
func (db *DB) Improvements(ctx context.Context, orgID int64, f isms.ImprovementFilter) ([]*isms.Improvement, int, error) {
	var out []*isms.Improvement
	var total int
	err := db.read(ctx, "Improvements", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE i.organisation_id = ?"
		args := []any{orgID}
		if f.Status != "" {
			where += " AND i.status = ?"
			args = append(args, string(f.Status))
		}
		if f.Area != "" {
			where += " AND i.area = ?"
			args = append(args, string(f.Area))
		}
		if f.OwnerID != 0 {
			where += " AND i.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(i.title) LIKE ? OR LOWER(i.description) LIKE ? OR LOWER(i.benefit) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+impFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		order := orderBy(f.Sort, impSorts, "i.created_at DESC")
		out, err = queryAll(tx, scanImprovement, "SELECT "+impColumns+impFrom+where+" ORDER BY "+order+", i.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		return err
	})
	return out, total, err
}

// Improvement reads one improvement.
func (db *DB) Improvement(ctx context.Context, orgID, id int64) (*isms.Improvement, error) {
	return view(db, ctx, "Improvement", orgID, func(tx *Tx) (*isms.Improvement, error) { return tx.improvement(orgID, id) })
}

// CreateImprovement adds an improvement. Contributors may add ones they
// own themselves.
func (db *DB) CreateImprovement(ctx context.Context, orgID int64, in isms.ImprovementInput) (*isms.Improvement, error) {
	var i *isms.Improvement
	err := db.write(ctx, "CreateImprovement", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateImprovement(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO improvements (organisation_id, title, area, description, benefit, owner_id, status, due_on, done_on, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, orgID, in.Title, string(in.Area), in.Description, in.Benefit, nullInt(in.OwnerID),
			string(in.Status), dateArg(in.DueOn), dateArg(in.DoneOn), now, now)
		if err != nil {
			return err
		}
		if i, err = tx.improvement(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeImprovement, id, nil, impRecord(i))
	})
	return i, err
}

// UpdateImprovement changes an improvement, refusing a stale version.
func (db *DB) UpdateImprovement(ctx context.Context, orgID, id int64, in isms.ImprovementInput) (*isms.Improvement, error) {
	var i *isms.Improvement
	err := db.write(ctx, "UpdateImprovement", func(tx *Tx) error {
		before, err := tx.improvement(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateImprovement(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE improvements SET title = ?, area = ?, description = ?, benefit = ?, owner_id = ?, status = ?, due_on = ?, done_on = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`, in.Title, string(in.Area), in.Description, in.Benefit,
			nullInt(in.OwnerID), string(in.Status), dateArg(in.DueOn), dateArg(in.DoneOn), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if i, err = tx.improvement(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeImprovement, id, impRecord(before), impRecord(i))
	})
	return i, err
}

// DeleteImprovement removes an improvement.
func (db *DB) DeleteImprovement(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteImprovement", func(tx *Tx) error {
		before, err := tx.improvement(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "improvements", typeImprovement, id, impRecord(before))
	})
}
