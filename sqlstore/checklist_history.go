package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// The checklist's history: once a day a job of isms serve takes every
// question's answer in every organisation (TakeChecklistSnapshots),
// whether or not anyone opens the checklist, and stores it per question
// and day. A question's answers day by day are its path; counted per day
// they are the progress chart's tallies. Days before the per-question
// snapshots keep the tallies that page views used to write
// (checklist_snapshots), which the chart still shows.

// TakeChecklistSnapshots takes today's snapshot in every organisation that
// has none yet and reports in how many it did. It acts for no user and is
// safe to run from several instances at once: each organisation's snapshot
// is taken under the organisation's write lock, and a row already there for
// an organisation, day and question is kept, never doubled.
func (db *DB) TakeChecklistSnapshots(ctx context.Context) (int, error) {
	var ids []int64
	err := db.read(ctx, "TakeChecklistSnapshots", func(tx *Tx) error {
		rows, err := tx.query("SELECT id FROM organisations ORDER BY id")
		if err != nil {
			return err
		}
		ids, err = collect(rows, scanInt64)
		return err
	})
	if err != nil {
		return 0, err
	}
	taken := 0
	for _, id := range ids {
		ok, err := db.TakeChecklistSnapshot(ctx, id)
		if err != nil {
			return taken, fmt.Errorf("checklist snapshot of organisation %d: %w", id, err)
		}
		if ok {
			taken++
		}
	}
	return taken, nil
}

// TakeChecklistSnapshot takes today's snapshot of one organisation's
// answers unless it is there already, and reports whether it took it.
func (db *DB) TakeChecklistSnapshot(ctx context.Context, orgID int64) (bool, error) {
	// Most runs find the day's snapshot taken: a read says so without
	// waiting for the organisation's writers.
	done := false
	err := db.read(ctx, "TakeChecklistSnapshot", func(tx *Tx) (err error) {
		done, err = tx.checklistSnapshotTaken(orgID, tx.Today())
		return err
	})
	if err != nil || done {
		return false, err
	}
	taken := false
	err = db.write(ctx, "TakeChecklistSnapshot", func(tx *Tx) error {
		// What the answers are decided on is read under the lock, and so
		// is whether another instance has taken the snapshot meanwhile.
		if err := tx.lockOrganisation(orgID); err != nil {
			return err
		}
		day := tx.Today()
		if done, err := tx.checklistSnapshotTaken(orgID, day); err != nil || done {
			return err
		}
		answers, err := tx.checklist(orgID)
		if err != nil {
			return err
		}
		for _, a := range answers {
			if _, err := tx.exec(`INSERT INTO checklist_answer_days (organisation_id, day, question_id, status, source) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (organisation_id, day, question_id) DO NOTHING`, orgID, day.String(), a.QuestionID, a.Status, a.Source); err != nil {
				return err
			}
		}
		taken = true
		return nil
	})
	return taken, err
}

// checklistSnapshotTaken reports whether every question has its answer of
// the day.
func (tx *Tx) checklistSnapshotTaken(orgID int64, day isms.Date) (bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM checklist_answer_days WHERE organisation_id = ? AND day = ?", orgID, day.String())
	return n >= len(catalog.Checklist), err
}

// ChecklistHistory counts the answers of each status per day, oldest
// first: the days of the per-question snapshots, and before them the
// tallies kept earlier.
func (db *DB) ChecklistHistory(ctx context.Context, orgID int64) ([]isms.ChecklistSnapshot, error) {
	var out []isms.ChecklistSnapshot
	err := db.read(ctx, "ChecklistHistory", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT day, status, COUNT(*) FROM checklist_answer_days WHERE organisation_id = ?
			GROUP BY day, status ORDER BY day`, orgID)
		if err != nil {
			return err
		}
		var days []isms.ChecklistSnapshot
		for rows.Next() {
			var day, status string
			var n int
			if err := rows.Scan(&day, &status, &n); err != nil {
				rows.Close()
				return err
			}
			d, err := isms.ParseDate(day)
			if err != nil {
				rows.Close()
				return fmt.Errorf("checklist snapshot day %q: %w", day, err)
			}
			if len(days) == 0 || days[len(days)-1].Day != d {
				days = append(days, isms.ChecklistSnapshot{Day: d})
			}
			s := &days[len(days)-1]
			switch isms.AnswerStatus(status) {
			case isms.AnswerYes:
				s.Yes += n
			case isms.AnswerPartly:
				s.Partly += n
			case isms.AnswerNo:
				s.No += n
			default:
				s.Unanswered += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The tallies of the days before the first per-question snapshot.
		q := `SELECT day, yes_count, partly_count, no_count, unanswered_count FROM checklist_snapshots WHERE organisation_id = ?`
		args := []any{orgID}
		if len(days) > 0 {
			q += " AND day < ?"
			args = append(args, days[0].Day.String())
		}
		rows, err = tx.query(q+" ORDER BY day", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s isms.ChecklistSnapshot
			var day string
			if err := rows.Scan(&day, &s.Yes, &s.Partly, &s.No, &s.Unanswered); err != nil {
				return err
			}
			if s.Day, err = isms.ParseDate(day); err != nil {
				return fmt.Errorf("checklist tally day %q: %w", day, err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		out = append(out, days...)
		return nil
	})
	return out, err
}

// ChecklistAnswerHistory lists each question's answer per day from a day
// on, by question in the checklist's order and then by day.
func (db *DB) ChecklistAnswerHistory(ctx context.Context, orgID int64, from isms.Date) ([]isms.ChecklistDayAnswer, error) {
	var out []isms.ChecklistDayAnswer
	err := db.read(ctx, "ChecklistAnswerHistory", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		var err error
		out, err = queryAll(tx, func(row scanner) (a isms.ChecklistDayAnswer, err error) {
			var day, status string
			if err := row.Scan(&a.QuestionID, &day, &status, &a.Source); err != nil {
				return a, err
			}
			if a.Day, err = isms.ParseDate(day); err != nil {
				return a, fmt.Errorf("checklist snapshot day %q: %w", day, err)
			}
			a.Status = isms.AnswerStatus(status)
			return a, nil
		}, `SELECT question_id, day, status, source FROM checklist_answer_days
			WHERE organisation_id = ? AND day >= ? ORDER BY day, question_id`, orgID, from.String())
		return err
	})
	if err != nil {
		return nil, err
	}
	order := make(map[string]int, len(catalog.Checklist))
	for i, q := range catalog.Checklist {
		order[q.ID] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].QuestionID] < order[out[j].QuestionID] })
	return out, nil
}
