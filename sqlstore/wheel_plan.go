package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/ismsdk/isms"
)

// The year plan: the year's wheel as a plan that a coordinator submits and
// management approves. Each submission freezes a snapshot of the plan (the
// activities and the occurrences planned for the year, not their
// execution) with its SHA-256; the wheel as it is now is compared with the
// approved snapshot to show whether it changed since approval and how the
// year is going against it.

// wheelPlanSnapshot freezes the year's plan as it stands in the transaction.
// Occurrences belong to the year of their planned date, so moving one
// keeps it in its year's plan.
func (tx *Tx) wheelPlanSnapshot(orgID int64, year int) (*isms.PlanSnapshot, string, error) {
	from, to := wheelYearBounds(year)
	occ, err := tx.wheelQueryOccurrences(orgID, " WHERE o.organisation_id = ? AND o.planned_date >= ? AND o.planned_date <= ?",
		orgID, from.String(), to.String())
	if err != nil {
		return nil, "", err
	}
	years, err := tx.wheelOpenYears(orgID)
	if err != nil {
		return nil, "", err
	}
	acts, err := tx.wheelAllActivities(orgID)
	if err != nil {
		return nil, "", err
	}
	if !years[year] {
		today := tx.Today()
		occ = occ[:0]
		for _, a := range acts {
			for _, d := range a.DueDates(from, to) {
				occ = append(occ, wheelProjectedOccurrence(a, d, today))
			}
		}
	}
	snap := &isms.PlanSnapshot{Year: year, Activities: []isms.PlanActivity{}, Occurrences: []isms.PlanOccurrence{}}
	inPlan := map[int64]bool{}
	for _, o := range occ {
		inPlan[o.ActivityID] = true
		snap.Occurrences = append(snap.Occurrences, isms.PlanOccurrence{ActivityID: o.ActivityID, PlannedDate: o.PlannedDate, DueDate: o.DueDate})
	}
	sort.Slice(snap.Occurrences, func(i, j int) bool {
		a, b := snap.Occurrences[i], snap.Occurrences[j]
		if a.PlannedDate != b.PlannedDate {
			return a.PlannedDate.Before(b.PlannedDate)
		}
		return a.ActivityID < b.ActivityID
	})
	for _, a := range acts {
		if !inPlan[a.ID] {
			continue
		}
		snap.Activities = append(snap.Activities, isms.PlanActivity{ID: a.ID, Title: a.Title, OwnerID: a.OwnerID,
			Recurrence: a.Recurrence, IntervalMonths: a.IntervalMonths, Serves: a.Serves, Topics: a.Topics, RecordText: a.RecordText})
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return nil, "", err
	}
	return snap, wheelChecksum(b), nil
}

func wheelChecksum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// wheelAllActivities reads every activity (active or retired) with its topics,
// by id.
func (tx *Tx) wheelAllActivities(orgID int64) ([]*isms.Activity, error) {
	return tx.wheelQueryActivities(orgID, " WHERE a.organisation_id = ? ORDER BY a.id", orgID)
}

const wheelPlanColumns = `p.id, p.organisation_id, p.year, p.number, p.status, p.note, p.checksum, p.submitted_by, COALESCE(s.name, ''), p.submitted_at,
	p.approved_by, COALESCE(m.name, ''), p.approved_at`

const wheelPlanFrom = " FROM wheel_year_plans p LEFT JOIN users s ON s.id = p.submitted_by LEFT JOIN users m ON m.id = p.approved_by"

func scanWheelPlan(row scanner) (*isms.YearPlan, error) {
	var p isms.YearPlan
	var by, approver sql.NullInt64
	if err := row.Scan(&p.ID, &p.OrganisationID, &p.Year, &p.Number, &p.Status, &p.Note, &p.Checksum, &by, &p.SubmittedByName, scanTime{&p.SubmittedAt},
		&approver, &p.ApprovedByName, scanTimePtr{&p.ApprovedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("year plan")
		}
		return nil, err
	}
	p.SubmittedBy, p.ApprovedBy = int64Ptr(by), int64Ptr(approver)
	return &p, nil
}

// wheelPlans lists a year's plan versions, newest first, without snapshots.
func (tx *Tx) wheelPlans(orgID int64, year int) ([]*isms.YearPlan, error) {
	out, err := queryAll(tx, scanWheelPlan, "SELECT "+wheelPlanColumns+wheelPlanFrom+" WHERE p.organisation_id = ? AND p.year = ? ORDER BY p.number DESC", orgID, year)
	return nonNilSlice(out), err
}

// plan reads one version with its snapshot.
func (tx *Tx) wheelPlan(orgID int64, year, number int) (*isms.YearPlan, error) {
	p, err := scanWheelPlan(tx.queryRow("SELECT "+wheelPlanColumns+wheelPlanFrom+" WHERE p.organisation_id = ? AND p.year = ? AND p.number = ?", orgID, year, number))
	if err != nil {
		return nil, err
	}
	var snap string
	if err := tx.queryRow("SELECT snapshot FROM wheel_year_plans WHERE id = ?", p.ID).Scan(&snap); err != nil {
		return nil, err
	}
	p.Snapshot = &isms.PlanSnapshot{}
	if err := json.Unmarshal([]byte(snap), p.Snapshot); err != nil {
		return nil, err
	}
	return p, nil
}

func (tx *Tx) wheelPlanState(orgID int64, year int) (*isms.YearPlanState, error) {
	st := &isms.YearPlanState{Year: year}
	var err error
	if st.Versions, err = tx.wheelPlans(orgID, year); err != nil {
		return nil, err
	}
	for _, p := range st.Versions {
		if p.Status == isms.PlanApproved && st.Approved == nil {
			st.Approved = p
		}
		if p.Status == isms.PlanSubmitted && st.Pending == nil {
			st.Pending = p
		}
	}
	if _, st.CurrentChecksum, err = tx.wheelPlanSnapshot(orgID, year); err != nil {
		return nil, err
	}
	st.ChangedSinceApproval = st.Approved != nil && st.Approved.Checksum != st.CurrentChecksum
	return st, nil
}

func wheelCheckPlanYear(year int) error {
	if !wheelValidYear(year) {
		var v isms.Validation
		v.Add("year", "wheel.err.date_range")
		return v.Err()
	}
	return nil
}

// YearPlan reads where a year's plan stands.
func (db *DB) YearPlan(ctx context.Context, orgID int64, year int) (*isms.YearPlanState, error) {
	var st *isms.YearPlanState
	err := db.read(ctx, "YearPlan", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		if err = wheelCheckPlanYear(year); err != nil {
			return err
		}
		st, err = tx.wheelPlanState(orgID, year)
		return err
	})
	return st, err
}

// YearPlanVersion reads one submitted version with its snapshot.
func (db *DB) YearPlanVersion(ctx context.Context, orgID int64, year, number int) (*isms.YearPlan, error) {
	return view(db, ctx, "YearPlanVersion", orgID, func(tx *Tx) (*isms.YearPlan, error) { return tx.wheelPlan(orgID, year, number) })
}

// SubmitYearPlan freezes the year's wheel as a new version for management
// to approve. A version still awaiting approval is superseded by it.
func (db *DB) SubmitYearPlan(ctx context.Context, orgID int64, year int, note string) (*isms.YearPlan, error) {
	var p *isms.YearPlan
	err := db.write(ctx, "SubmitYearPlan", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := checkWheelYear(tx.Today(), year); err != nil {
			return err
		}
		note = strings.TrimSpace(note)
		var v isms.Validation
		checkText(&v, "note", note, 5000)
		if err := v.Err(); err != nil {
			return err
		}
		// The plan is of the year as laid out.
		years, err := tx.wheelOpenYears(orgID)
		if err != nil {
			return err
		}
		if !years[year] {
			if _, err := tx.wheelMarkYearOpen(orgID, year); err != nil {
				return err
			}
			if _, err := tx.wheelLayOutYear(orgID, year); err != nil {
				return err
			}
		}
		snap, sum, err := tx.wheelPlanSnapshot(orgID, year)
		if err != nil {
			return err
		}
		if len(snap.Occurrences) == 0 {
			return isms.Errorf(isms.EInvalid, "wheel.err.plan_empty", year)
		}
		st, err := tx.wheelPlanState(orgID, year)
		if err != nil {
			return err
		}
		if st.Pending != nil && st.Pending.Checksum == sum {
			return isms.Errorf(isms.EConflict, "wheel.err.plan_already_submitted", st.Pending.Number)
		}
		if st.Approved != nil && st.Approved.Checksum == sum && (st.Pending == nil || st.Pending.Number < st.Approved.Number) {
			return isms.Errorf(isms.EConflict, "wheel.err.plan_already_approved", st.Approved.Number)
		}
		if _, err := tx.exec("UPDATE wheel_year_plans SET status = 'superseded' WHERE organisation_id = ? AND year = ? AND status = 'submitted'",
			orgID, year); err != nil {
			return err
		}
		number := 1
		if len(st.Versions) > 0 {
			number = st.Versions[0].Number + 1
		}
		b, err := json.Marshal(snap)
		if err != nil {
			return err
		}
		var by any
		if tx.actor.UserID != 0 {
			by = tx.actor.UserID
		}
		id, err := tx.insert(`INSERT INTO wheel_year_plans (organisation_id, year, number, status, note, snapshot, checksum, submitted_by, submitted_at)
			VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?, ?)`, orgID, year, number, note, string(b), sum, by, ts(tx.now))
		if err != nil {
			return err
		}
		if p, err = tx.wheelPlan(orgID, year, number); err != nil {
			return err
		}
		return tx.audit(orgID, "wheel_submit", typeYearPlan, id, nil, wheelPlanAudit(p))
	})
	return p, err
}

// wheelPlanAudit is what the audit trail keeps of a plan: everything but the
// snapshot, which the checksum names.
func wheelPlanAudit(p *isms.YearPlan) map[string]any {
	return map[string]any{"year": p.Year, "number": p.Number, "status": p.Status, "note": p.Note, "checksum": p.Checksum,
		"activities": len(p.Snapshot.Activities), "occurrences": len(p.Snapshot.Occurrences)}
}

// ApproveYearPlan records management's approval of a submitted version.
// It is refused when the version is not the one awaiting approval (a newer
// one was submitted, or it is approved already), when the checksum is not
// the one the approver saw, and when the wheel has changed since it was
// submitted: management approves the plan as it stands.
func (db *DB) ApproveYearPlan(ctx context.Context, orgID int64, year, number int, sum string) (*isms.YearPlan, error) {
	var p *isms.YearPlan
	err := db.write(ctx, "ApproveYearPlan", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.wheelPlan(orgID, year, number)
		if err != nil {
			return err
		}
		if before.Status != isms.PlanSubmitted || before.Checksum != sum {
			return conflict()
		}
		_, current, err := tx.wheelPlanSnapshot(orgID, year)
		if err != nil {
			return err
		}
		if current != before.Checksum {
			return isms.Errorf(isms.EConflict, "wheel.err.plan_outdated")
		}
		if tx.actor.UserID == 0 {
			return isms.Errorf(isms.EForbidden, "err.forbidden")
		}
		if _, err := tx.exec("UPDATE wheel_year_plans SET status = 'approved', approved_by = ?, approved_at = ? WHERE id = ?",
			tx.actor.UserID, ts(tx.now), before.ID); err != nil {
			return err
		}
		if p, err = tx.wheelPlan(orgID, year, number); err != nil {
			return err
		}
		return tx.audit(orgID, "approve", typeYearPlan, p.ID, wheelPlanAudit(before), wheelPlanAudit(p))
	})
	return p, err
}

// PlanProgress compares the year's wheel as it is now with the approved
// plan: per month and per topic, how many of the planned occurrences are
// done, skipped, overdue or still to come, and which activities were added
// or removed since approval.
func (db *DB) PlanProgress(ctx context.Context, orgID int64, year int) (*isms.PlanProgress, error) {
	pr := &isms.PlanProgress{Year: year, Added: []isms.PlanActivity{}, Removed: []isms.PlanActivity{}, Topics: []isms.TopicProgress{}}
	err := db.read(ctx, "PlanProgress", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		if err := wheelCheckPlanYear(year); err != nil {
			return err
		}
		st, err := tx.wheelPlanState(orgID, year)
		if err != nil {
			return err
		}
		for _, t := range isms.ManagementTopics {
			pr.Topics = append(pr.Topics, isms.TopicProgress{Topic: t})
		}
		if st.Approved == nil {
			return nil
		}
		if pr.Plan, err = tx.wheelPlan(orgID, year, st.Approved.Number); err != nil {
			return err
		}
		current, _, err := tx.wheelPlanSnapshot(orgID, year)
		if err != nil {
			return err
		}
		from, to := wheelYearBounds(year)
		now, err := tx.wheelQueryOccurrences(orgID, " WHERE o.organisation_id = ? AND o.planned_date >= ? AND o.planned_date <= ?",
			orgID, from.String(), to.String())
		if err != nil {
			return err
		}
		type key struct {
			act int64
			day string
		}
		live := map[key]*isms.Occurrence{}
		for _, o := range now {
			live[key{o.ActivityID, o.PlannedDate.String()}] = o
		}
		planned := map[key]bool{}
		acts := map[int64]isms.PlanActivity{}
		for _, a := range pr.Plan.Snapshot.Activities {
			acts[a.ID] = a
		}
		today := tx.Today()
		for _, po := range pr.Plan.Snapshot.Occurrences {
			k := key{po.ActivityID, po.PlannedDate.String()}
			planned[k] = true
			var c isms.ProgressCount
			c.Planned = 1
			switch o := live[k]; {
			case o == nil:
				c.Removed = 1
			case o.Status == isms.OccDone:
				c.Done = 1
			case o.Status == isms.OccSkipped:
				c.Skipped = 1
			case o.DueDate.Before(today):
				c.Overdue = 1
			default:
				c.Open = 1
			}
			wheelAddCount(&pr.Total, c)
			wheelAddCount(&pr.Months[po.DueDate.Month()-1], c)
			for _, t := range acts[po.ActivityID].Topics {
				for i := range pr.Topics {
					if pr.Topics[i].Topic == t {
						wheelAddCount(&pr.Topics[i].Count, c)
					}
				}
			}
		}
		for _, o := range current.Occurrences {
			if !planned[key{o.ActivityID, o.PlannedDate.String()}] {
				pr.Unplanned++
			}
		}
		inCurrent := map[int64]bool{}
		for _, a := range current.Activities {
			inCurrent[a.ID] = true
			if _, ok := acts[a.ID]; !ok {
				pr.Added = append(pr.Added, a)
			}
		}
		for _, a := range pr.Plan.Snapshot.Activities {
			if !inCurrent[a.ID] {
				pr.Removed = append(pr.Removed, a)
			}
		}
		return nil
	})
	return pr, err
}

func wheelAddCount(to *isms.ProgressCount, c isms.ProgressCount) {
	to.Planned += c.Planned
	to.Done += c.Done
	to.Skipped += c.Skipped
	to.Overdue += c.Overdue
	to.Open += c.Open
	to.Removed += c.Removed
}
