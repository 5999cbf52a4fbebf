package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The status report to management (guide 2.4): assembled live from the
// objectives, the year's resources and the overdue actions of the risk
// treatment plan, the annual wheel and the development plans; kept, when
// presented, with a frozen copy of what it showed. A presented report is
// an occasion on which management dealt with the topics "objectives" and
// "resources"; the next report's due date is a planned one, and a date in
// the annual wheel's calendar.

const typeStatusReport = "status_report"

func init() {
	registerTopicSource("topic.source.status_reports", "topic.source.status_reports.planned", statusReportTopicActivities)
	registerScheduleSource(statusReportScheduledItems)
}

// statusReportTopics are the management topics a status report deals with.
var statusReportTopics = []string{"objectives", "resources"}

func statusReportPath(id int64) string { return "/status-reports/" + strconv.FormatInt(id, 10) }

const srColumns = `s.id, s.organisation_id, s.title, s.presented_on, s.forum_id, COALESCE(f.name, ''), s.presented_to, s.presented_by,
	COALESCE(p.name, ''), s.next_due, s.content_json, s.received_by, COALESCE(r.name, ''), s.received_at, s.decisions, s.version, s.created_at`

const srFrom = ` FROM status_reports s LEFT JOIN forums f ON f.id = s.forum_id LEFT JOIN users p ON p.id = s.presented_by
	LEFT JOIN users r ON r.id = s.received_by`

func scanStatusReport(row scanner) (*isms.StatusReport, error) {
	var s isms.StatusReport
	var forum, by, recv sql.NullInt64
	var next sql.NullString
	var content string
	if err := row.Scan(&s.ID, &s.OrganisationID, &s.Title, scanDate{&s.PresentedOn}, &forum, &s.ForumName, &s.PresentedTo, &by,
		&s.PresentedByName, &next, &content, &recv, &s.ReceivedByName, scanTimePtr{&s.ReceivedAt}, &s.Decisions, &s.Version,
		scanTime{&s.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("status report")
		}
		return nil, err
	}
	s.ForumID, s.PresentedBy, s.ReceivedBy = int64Ptr(forum), int64Ptr(by), int64Ptr(recv)
	s.NextDue = parseDatePtr(next)
	if err := json.Unmarshal([]byte(content), &s.Content); err != nil {
		return nil, err
	}
	return &s, nil
}

func (tx *Tx) statusReports(orgID int64, where string, args ...any) ([]*isms.StatusReport, error) {
	return queryAll(tx, scanStatusReport, "SELECT "+srColumns+srFrom+" WHERE s.organisation_id = ?"+where+
		" ORDER BY s.presented_on DESC, s.id DESC", append([]any{orgID}, args...)...)
}

func (tx *Tx) statusReport(orgID, id int64) (*isms.StatusReport, error) {
	return scanStatusReport(tx.queryRow("SELECT "+srColumns+srFrom+" WHERE s.organisation_id = ? AND s.id = ?", orgID, id))
}

// latestStatusReport is the report presented last, if any; once per
// transaction.
func (tx *Tx) latestStatusReport(orgID int64) (*isms.StatusReport, error) {
	return remember(tx, "latestStatusReport:"+strconv.FormatInt(orgID, 10), func() (*isms.StatusReport, error) {
		rs, err := tx.statusReports(orgID, " AND s.presented_on <= ?", tx.Today().String())
		if err != nil || len(rs) == 0 {
			return nil, err
		}
		return rs[0], nil
	})
}

// statusContent assembles the report from the records as they are.
func (tx *Tx) statusContent(orgID int64) (*isms.StatusReportContent, error) {
	today := tx.Today()
	c := &isms.StatusReportContent{AsOf: today, Year: today.Year(), Objectives: []isms.ReportObjective{}, GapLines: []isms.ReportGapLine{},
		Unresourced: []string{}, Overdue: []isms.ReportOverdue{}}
	var err error
	if c.Indicators, err = tx.reportIndicators(orgID); err != nil {
		return nil, err
	}
	y, err := tx.resourceYear(orgID, c.Year)
	if err != nil {
		return nil, err
	}
	c.Totals, c.ISMSTotals = y.Totals, y.ISMSTotals
	objs, err := tx.allObjectives(orgID)
	if err != nil {
		return nil, err
	}
	byObj := map[int64]*isms.ObjectiveResources{}
	for _, or := range y.Objectives {
		byObj[or.ObjectiveID] = or
	}
	for _, o := range objs {
		// Current objectives, and those closed with a date in the year.
		if !o.Status.Current() && (o.Status == isms.ObjectiveWithdrawn || o.DueDate == nil || o.DueDate.Year() != c.Year) {
			continue
		}
		ro := isms.ReportObjective{ID: o.ID, Title: o.Title, OwnerName: o.OwnerName, Status: o.Status, LatestOn: o.LatestOn, DueDate: o.DueDate,
			Overdue: o.Overdue(today), Approved: o.Approved(), Measurable: o.Measurable()}
		if o.TargetValue != nil {
			ro.Target = strings.TrimSpace(o.TargetText() + " " + o.Unit)
		}
		if o.LatestValue != nil {
			ro.Latest = strings.TrimSpace(o.LatestText() + " " + o.Unit)
		}
		if or := byObj[o.ID]; or != nil {
			ro.Lines, ro.Gap = or.Totals.Lines, or.Totals.Gaps > 0
		}
		c.Objectives = append(c.Objectives, ro)
	}
	for _, o := range y.Unresourced {
		c.Unresourced = append(c.Unresourced, o.Title)
	}
	lines, err := tx.resourceLinesOfYear(orgID, c.Year)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if l.Gap() {
			c.GapLines = append(c.GapLines, isms.ReportGapLine{ID: l.ID, Title: l.Title, Objective: l.ObjectiveTitle, Kind: l.Kind, Granted: l.IsGranted()})
		}
	}
	// The overdue actions of the other elements, read by small queries of
	// their tables: (kind, id, title, owner, due).
	for _, q := range []struct {
		kind, path, sql string
	}{
		{"risk_task", "/risk-tasks/", `SELECT k.id, k.title, COALESCE(u.name, ''), k.deadline FROM risk_tasks k LEFT JOIN users u ON u.id = k.owner_id
			WHERE k.organisation_id = ? AND k.status IN ('planned', 'in_progress') AND k.deadline IS NOT NULL AND k.deadline < ? ORDER BY k.deadline, k.id LIMIT 100`},
		{"wheel", "/wheel/occurrences/", `SELECT o.id, a.title, COALESCE(u.name, ''), o.due_date FROM wheel_occurrences o JOIN wheel_activities a ON a.id = o.activity_id
			LEFT JOIN users u ON u.id = a.owner_id WHERE o.organisation_id = ? AND o.status IN ('planned', 'in_progress') AND o.due_date < ? ORDER BY o.due_date, o.id LIMIT 100`},
		{"competence_plan", "/competence/plans/", `SELECT p.id, p.action, COALESCE(u.name, ''), p.due_on FROM competence_plans p LEFT JOIN users u ON u.id = p.owner_id
			WHERE p.organisation_id = ? AND p.completed_on IS NULL AND p.due_on < ? ORDER BY p.due_on, p.id LIMIT 100`},
	} {
		err := tx.queryEach(q.sql, []any{orgID, today.String()}, func(row scanner) error {
			o := isms.ReportOverdue{Kind: q.kind}
			if err := row.Scan(&o.ID, &o.Title, &o.OwnerName, scanDate{&o.Due}); err != nil {
				return err
			}
			o.Path = q.path + strconv.FormatInt(o.ID, 10)
			c.Overdue = append(c.Overdue, o)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// StatusReportPreview assembles the report as it would be presented now.
func (db *DB) StatusReportPreview(ctx context.Context, orgID int64) (*isms.StatusReportContent, error) {
	return view(db, ctx, "StatusReportPreview", orgID, func(tx *Tx) (*isms.StatusReportContent, error) { return tx.statusContent(orgID) })
}

// StatusReports lists the presented reports, newest first.
func (db *DB) StatusReports(ctx context.Context, orgID int64) ([]*isms.StatusReport, error) {
	return view(db, ctx, "StatusReports", orgID, func(tx *Tx) ([]*isms.StatusReport, error) { return tx.statusReports(orgID, "") })
}

// StatusReport reads one presented report with its frozen content.
func (db *DB) StatusReport(ctx context.Context, orgID, id int64) (*isms.StatusReport, error) {
	return view(db, ctx, "StatusReport", orgID, func(tx *Tx) (*isms.StatusReport, error) { return tx.statusReport(orgID, id) })
}

func srRecord(s *isms.StatusReport) map[string]any {
	var next, recv any
	if s.NextDue != nil {
		next = s.NextDue.String()
	}
	if s.ReceivedAt != nil {
		recv = s.ReceivedAt
	}
	return map[string]any{"title": s.Title, "presented_on": s.PresentedOn.String(), "presented_to": s.Audience(), "presented_by": s.PresentedByName,
		"next_due": next, "objectives": len(s.Content.Objectives), "indicators": len(s.Content.Indicators), "resource_gaps": len(s.Content.GapLines), "overdue": len(s.Content.Overdue),
		"received_by": s.ReceivedByName, "received_at": recv, "decisions": s.Decisions}
}

// PresentStatusReport keeps the report as it now stands, with the day it
// was presented and to whom.
func (db *DB) PresentStatusReport(ctx context.Context, orgID int64, in isms.StatusReportInput) (*isms.StatusReport, error) {
	var s *isms.StatusReport
	err := db.write(ctx, "PresentStatusReport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		in.Title, in.PresentedTo = strings.TrimSpace(in.Title), strings.TrimSpace(in.PresentedTo)
		var v isms.Validation
		requireText(&v, "title", in.Title, 300)
		checkText(&v, "presented_to", in.PresentedTo, 300)
		today := tx.Today()
		if in.PresentedOn == nil {
			v.Add("presented_on", "err.required")
		} else if today.Before(*in.PresentedOn) {
			v.Add("presented_on", "sr.err.future")
		}
		if in.ForumID == nil && in.PresentedTo == "" {
			v.Add("presented_to", "sr.err.audience")
		}
		if in.ForumID != nil {
			n, err := tx.count("SELECT COUNT(*) FROM forums WHERE organisation_id = ? AND id = ?", orgID, *in.ForumID)
			if err != nil {
				return err
			}
			if n == 0 {
				v.Add("forum_id", "err.unknown_reference")
			}
		}
		if in.NextDue != nil && in.PresentedOn != nil && !in.PresentedOn.Before(*in.NextDue) {
			v.Add("next_due", "sr.err.next_due")
		}
		if err := v.Err(); err != nil {
			return err
		}
		content, err := tx.statusContent(orgID)
		if err != nil {
			return err
		}
		js, err := json.Marshal(content)
		if err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO status_reports (organisation_id, title, presented_on, forum_id, presented_to, presented_by, next_due,
			content_json, decisions, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?)`,
			orgID, in.Title, in.PresentedOn.String(), nullInt(in.ForumID), in.PresentedTo, tx.actor.UserID, dateArg(in.NextDue), string(js), ts(tx.now))
		if err != nil {
			return err
		}
		if s, err = tx.statusReport(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeStatusReport, id, nil, srRecord(s))
	})
	return s, err
}

// ReceiveStatusReport records management's receipt of a report and its
// decisions; sent again, it changes the decisions noted.
func (db *DB) ReceiveStatusReport(ctx context.Context, orgID, id int64, in isms.StatusReportReceipt) (*isms.StatusReport, error) {
	var s *isms.StatusReport
	err := db.write(ctx, "ReceiveStatusReport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.statusReport(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		checkText(&v, "decisions", in.Decisions, 10000)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE status_reports SET received_by = ?, received_at = ?, decisions = ?, version = version + 1
			WHERE organisation_id = ? AND id = ?`, tx.actor.UserID, ts(tx.now), strings.TrimSpace(in.Decisions), orgID, id); err != nil {
			return err
		}
		if s, err = tx.statusReport(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "receive", typeStatusReport, id, srRecord(before), srRecord(s))
	})
	return s, err
}

// DeleteStatusReport removes a report recorded in error (PermEdit).
func (db *DB) DeleteStatusReport(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteStatusReport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.statusReport(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "status_reports", typeStatusReport, id, srRecord(before))
	})
}

// statusReportTopicActivities reports each presented report as an
// occasion on which management dealt with the objectives and the
// resources, and the latest report's next due date as a planned one.
func statusReportTopicActivities(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	rs, err := tx.statusReports(orgID, "")
	if err != nil {
		return nil, err
	}
	var out []isms.TopicActivity
	for i, s := range rs {
		ev := isms.Evidence{RecordType: typeStatusReport, RecordID: s.ID, Label: s.Title, Path: statusReportPath(s.ID)}
		topics := statusReportTopics
		if len(s.Content.Indicators) > 0 {
			// The measurement results are management's follow-up on the
			// ISMS (guide 2.2's seventh topic, 2.9).
			topics = append(slices.Clip(topics), "improvement")
		}
		for _, t := range topics {
			out = append(out, isms.TopicActivity{Topic: t, Day: s.PresentedOn, Done: true, Label: s.Title, Evidence: ev})
			if i == 0 && s.NextDue != nil {
				out = append(out, isms.TopicActivity{Topic: t, Day: *s.NextDue, Label: s.Title, Evidence: ev})
			}
		}
	}
	return out, nil
}

// statusReportScheduledItems puts the presented reports and the next due
// report in the annual wheel's calendar.
func statusReportScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	rs, err := tx.statusReports(orgID, "")
	if err != nil {
		return nil, err
	}
	var out []isms.ScheduledItem
	for i, s := range rs {
		ev := isms.Evidence{RecordType: typeStatusReport, RecordID: s.ID, Label: s.Title, Path: statusReportPath(s.ID)}
		if !s.PresentedOn.Before(from) && !to.Before(s.PresentedOn) {
			out = append(out, isms.ScheduledItem{Day: s.PresentedOn, Label: s.Title, Kind: "sr.schedule.presented", Done: true, Evidence: ev})
		}
		if i == 0 && s.NextDue != nil && !s.NextDue.Before(from) && !to.Before(*s.NextDue) {
			out = append(out, isms.ScheduledItem{Day: *s.NextDue, Label: s.Title, Kind: "sr.schedule.next", Evidence: ev})
		}
	}
	return out, nil
}
