package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Management review (guide 2.9 "Ledelsesmæssig opfølgning", clause 9.3):
// the review, its pack of the inputs of clause 9.3.2 assembled from the
// records and frozen with a checksum when sent, and its decisions. A held
// review is an occasion on which management dealt with the improvement of
// the ISMS and the objectives; its decisions add the topics they concern,
// and their due dates are planned occasions.

const (
	typeManagementReview = "management_review"
	typeReviewDecision   = "management_review_decision"
)

func init() {
	registerTopicSource("topic.source.management_reviews", "topic.source.management_reviews.planned", reviewTopicActivities)
	registerScheduleSource(reviewScheduledItems)
}

func reviewPath(id int64) string { return "/management-reviews/" + strconv.FormatInt(id, 10) }

// reviewAuditResults reads the nonconformities audits raised that were
// open in the pack's period (source "audit": from the internal audit's
// findings or recorded by hand from an external audit), beside the audits
// themselves (reviewAudits).
func reviewAuditResults(tx *Tx, orgID int64, from, to isms.Date) ([]isms.PackNC, error) {
	return tx.packNCs(orgID, " AND n.source = 'audit' AND (n.closed_on IS NULL OR n.closed_on >= ?) AND n.detected_on <= ?", from.String(), to.String())
}

// reviewAudits reads the internal audits held in the pack's period with
// their findings counted by type, from the internal audit programme
// (clause 9.2; internal_audit.go).
func reviewAudits(tx *Tx, orgID int64, from, to isms.Date) ([]isms.PackAudit, error) {
	res, err := tx.auditResults(orgID, from, to)
	if err != nil {
		return nil, err
	}
	out := []isms.PackAudit{}
	for _, a := range res.Audits {
		out = append(out, isms.PackAudit{ID: a.AuditID, Title: a.Title, HeldTo: a.HeldTo, LeadAuditor: a.LeadAuditorName, Approved: a.Approved,
			Conclusion: a.Conclusion, Major: a.Counts.MajorNC, Minor: a.Counts.MinorNC, Observations: a.Counts.Observations,
			Opportunities: a.Counts.Opportunity, Path: a.Path})
	}
	return out, nil
}

const mrColumns = `r.id, r.organisation_id, r.title, r.review_date, r.forum_id, COALESCE(f.name, ''), r.status, r.feedback, r.threat_landscape,
	r.nothing_to_report, r.minutes, r.pack_json, r.checksum, r.frozen_at, r.frozen_by, COALESCE(u.name, ''), r.version, r.created_at, r.updated_at`

const mrFrom = ` FROM management_reviews r LEFT JOIN forums f ON f.id = r.forum_id LEFT JOIN users u ON u.id = r.frozen_by`

func scanReview(row scanner) (*isms.ManagementReview, error) {
	var r isms.ManagementReview
	var forum, by sql.NullInt64
	var status, nothing string
	var pack sql.NullString
	if err := row.Scan(&r.ID, &r.OrganisationID, &r.Title, scanDate{&r.ReviewDate}, &forum, &r.ForumName, &status, &r.Feedback, &r.ThreatLandscape,
		&nothing, &r.Minutes, &pack, &r.Checksum, scanTimePtr{&r.FrozenAt}, &by, &r.FrozenByName, &r.Version, scanTime{&r.CreatedAt},
		scanTime{&r.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("management review")
		}
		return nil, err
	}
	r.ForumID, r.FrozenBy = int64Ptr(forum), int64Ptr(by)
	r.Status = isms.ReviewStatus(status)
	r.NothingToReport = splitTopics(nothing)
	if pack.Valid {
		r.Pack = &isms.ReviewPack{}
		if err := json.Unmarshal([]byte(pack.String), r.Pack); err != nil {
			return nil, err
		}
	}
	r.Decisions = []*isms.ReviewDecision{}
	return &r, nil
}

const rdColumns = `d.id, d.review_id, r.title, d.kind, d.text, d.owner_id, COALESCE(u.name, ''), d.due_on, d.status, d.note, d.version, d.created_at, d.updated_at`

const rdFrom = ` FROM management_review_decisions d JOIN management_reviews r ON r.id = d.review_id LEFT JOIN users u ON u.id = d.owner_id`

func scanReviewDecision(row scanner) (*isms.ReviewDecision, error) {
	var d isms.ReviewDecision
	var kind, status string
	if err := row.Scan(&d.ID, &d.ReviewID, &d.Review, &kind, &d.Text, &d.OwnerID, &d.OwnerName, scanDatePtr{&d.DueOn}, &status, &d.Note,
		&d.Version, scanTime{&d.CreatedAt}, scanTime{&d.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("decision")
		}
		return nil, err
	}
	d.Kind, d.Status = isms.ReviewDecisionKind(kind), isms.FollowUp(status)
	return &d, nil
}

func (tx *Tx) reviewDecisions(orgID int64, where string, args ...any) ([]*isms.ReviewDecision, error) {
	return queryAll(tx, scanReviewDecision, "SELECT "+rdColumns+rdFrom+" WHERE d.organisation_id = ?"+where+
		" ORDER BY CASE WHEN d.due_on IS NULL THEN 1 ELSE 0 END, d.due_on, d.id", append([]any{orgID}, args...)...)
}

func (tx *Tx) reviewDecision(orgID, id int64) (*isms.ReviewDecision, error) {
	return scanReviewDecision(tx.queryRow("SELECT "+rdColumns+rdFrom+" WHERE d.organisation_id = ? AND d.id = ?", orgID, id))
}

// reviews lists the reviews, newest first, with their decisions.
func (tx *Tx) reviews(orgID int64, where string, args ...any) ([]*isms.ManagementReview, error) {
	rs, err := queryAll(tx, scanReview, "SELECT "+mrColumns+mrFrom+" WHERE r.organisation_id = ?"+where+" ORDER BY r.review_date DESC, r.id DESC",
		append([]any{orgID}, args...)...)
	if err != nil || len(rs) == 0 {
		return rs, err
	}
	ds, err := tx.reviewDecisions(orgID, "")
	if err != nil {
		return nil, err
	}
	byID := map[int64]*isms.ManagementReview{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	for _, d := range ds {
		if r := byID[d.ReviewID]; r != nil {
			r.Decisions = append(r.Decisions, d)
		}
	}
	return rs, nil
}

func (tx *Tx) review(orgID, id int64) (*isms.ManagementReview, error) {
	r, err := scanReview(tx.queryRow("SELECT "+mrColumns+mrFrom+" WHERE r.organisation_id = ? AND r.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	if r.Decisions, err = tx.reviewDecisions(orgID, " AND d.review_id = ?", id); err != nil {
		return nil, err
	}
	return r, nil
}

// allReviews is every review of the organisation, once per transaction.
func (tx *Tx) allReviews(orgID int64) ([]*isms.ManagementReview, error) {
	return remember(tx, "reviews:"+strconv.FormatInt(orgID, 10), func() ([]*isms.ManagementReview, error) { return tx.reviews(orgID, "") })
}

// packNCs reads nonconformities as the pack shows them.
func (tx *Tx) packNCs(orgID int64, where string, args ...any) ([]isms.PackNC, error) {
	today := tx.Today().String()
	q := `SELECT n.id, n.title, n.source, n.source_ref, ` + ncStatusSQL + `, n.detected_on, COALESCE(u.name, ''),
		(SELECT COUNT(*) FROM nonconformity_actions x WHERE x.nonconformity_id = n.id),
		(SELECT COUNT(*) FROM nonconformity_actions x WHERE x.nonconformity_id = n.id AND x.done_on IS NOT NULL),
		(SELECT COUNT(*) FROM nonconformity_actions x WHERE x.nonconformity_id = n.id AND x.done_on IS NULL AND x.due_on < ?)
		FROM nonconformities n LEFT JOIN users u ON u.id = n.owner_id WHERE n.organisation_id = ?` + where + ` ORDER BY n.detected_on DESC, n.id LIMIT 200`
	out := []isms.PackNC{}
	err := tx.queryEach(q, append([]any{today, orgID}, args...), func(row scanner) error {
		var n isms.PackNC
		var source, status string
		if err := row.Scan(&n.ID, &n.Title, &source, &n.SourceRef, &status, scanDate{&n.DetectedOn}, &n.OwnerName, &n.Actions, &n.ActionsDone, &n.Overdue); err != nil {
			return err
		}
		n.Source, n.Status = isms.NCSource(source), isms.NCStatus(status)
		out = append(out, n)
		return nil
	})
	return out, err
}

// reviewPeriodStart is where a review's period begins: the day of the
// latest review held before it, or a year before.
func (tx *Tx) reviewPeriodStart(orgID, reviewID int64, asOf isms.Date) (isms.Date, error) {
	from := isms.Date{Time: asOf.AddDate(-1, 0, 0)}
	rs, err := tx.allReviews(orgID)
	if err != nil {
		return from, err
	}
	for _, r := range rs {
		if r.ID != reviewID && r.Status == isms.ReviewHeld && r.ReviewDate.Before(asOf) {
			return r.ReviewDate, nil
		}
	}
	return from, nil
}

// reviewPack assembles a review's pack from the records as they are.
func (tx *Tx) reviewPack(orgID int64, r *isms.ManagementReview) (*isms.ReviewPack, error) {
	today := tx.Today()
	from, err := tx.reviewPeriodStart(orgID, r.ID, today)
	if err != nil {
		return nil, err
	}
	p := &isms.ReviewPack{AsOf: today, From: from, PreviousActions: []isms.PackAction{}, ContextChanges: []isms.PackChange{},
		Indicators: []isms.PackIndicator{}, Improvements: []isms.PackImprovement{}, Feedback: r.Feedback, ThreatLandscape: r.ThreatLandscape,
		NothingToReport: slices.Clone(r.NothingToReport)}
	if p.NothingToReport == nil {
		p.NothingToReport = []string{}
	}
	// Status of actions from earlier reviews: every decision of another
	// review still open, and those finished in the period.
	ds, err := tx.reviewDecisions(orgID, " AND d.review_id <> ? AND (d.status <> 'done' OR d.updated_at >= ?)", r.ID, from.String())
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		p.PreviousActions = append(p.PreviousActions, isms.PackAction{ID: d.ID, ReviewID: d.ReviewID, Review: d.Review, Kind: d.Kind, Text: d.Text,
			OwnerName: d.OwnerName, DueOn: d.DueOn, Status: d.Status, Note: d.Note, Overdue: d.Overdue(today)})
	}
	// Changes to the business overview (2.1) in the period, from the
	// audit trail: what was added, changed or removed.
	err = tx.queryEach(`SELECT action, at, before_json, after_json FROM audit_events WHERE organisation_id = ? AND record_type = ? AND at >= ?
		ORDER BY seq DESC LIMIT 200`, []any{orgID, typeEntry, from.String()}, func(row scanner) error {
		var action, at, before, after string
		if err := row.Scan(&action, &at, &before, &after); err != nil {
			return err
		}
		var e struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		}
		js := after
		if action == "delete" || js == "null" || js == "" {
			js = before
		}
		_ = json.Unmarshal([]byte(js), &e)
		on, _ := isms.ParseDate(at[:min(len(at), 10)])
		if e.Name != "" {
			p.ContextChanges = append(p.ContextChanges, isms.PackChange{Kind: e.Kind, Name: e.Name, Action: action, On: on})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Nonconformities open, or closed in the period.
	if p.Nonconformities, err = tx.packNCs(orgID, " AND (n.closed_on IS NULL OR n.closed_on >= ?)", from.String()); err != nil {
		return nil, err
	}
	if p.AuditResults, err = reviewAuditResults(tx, orgID, from, today); err != nil {
		return nil, err
	}
	if p.Audits, err = reviewAudits(tx, orgID, from, today); err != nil {
		return nil, err
	}
	sc, err := tx.statusContent(orgID)
	if err != nil {
		return nil, err
	}
	p.Objectives = sc.Objectives
	inds, err := tx.allIndicators(orgID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*isms.Indicator{}
	for _, ind := range inds {
		byID[ind.ID] = ind
	}
	for _, ri := range sc.Indicators {
		pi := isms.PackIndicator{ReportIndicator: ri, Points: []isms.PackPoint{}}
		if ind := byID[ri.ID]; ind != nil {
			pi.Unit, pi.TargetValue, pi.Warning, pi.Breach = ind.Unit, ind.Target, ind.Warning, ind.Breach
		}
		err := tx.queryEach("SELECT measured_on, value FROM indicator_values WHERE indicator_id = ? AND measured_on >= ? AND measured_on <= ? ORDER BY measured_on",
			[]any{ri.ID, from.String(), today.String()}, func(row scanner) error {
				var pt isms.PackPoint
				err := row.Scan(scanDate{&pt.On}, &pt.Value)
				pi.Points = append(pi.Points, pt)
				return err
			})
		if err != nil {
			return nil, err
		}
		if pi.Breaches, err = tx.count("SELECT COUNT(*) FROM indicator_breaches WHERE indicator_id = ? AND measured_on >= ?", ri.ID, from.String()); err != nil {
			return nil, err
		}
		p.Indicators = append(p.Indicators, pi)
	}
	// Risk assessment and treatment plan.
	m, err := tx.riskMethod(orgID)
	if err != nil {
		return nil, err
	}
	err = tx.queryEach("SELECT residual_l, residual_c, acceptance_id FROM risks WHERE organisation_id = ?", []any{orgID}, func(row scanner) error {
		var l, c int
		var acc sql.NullInt64
		if err := row.Scan(&l, &c, &acc); err != nil {
			return err
		}
		p.Risk.Risks++
		switch {
		case acc.Valid:
			p.Risk.Accepted++
		case !m.Acceptable(l, c):
			p.Risk.AboveAccept++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.Risk.TasksOpen, err = tx.count("SELECT COUNT(*) FROM risk_tasks WHERE organisation_id = ? AND status IN ('planned', 'in_progress')", orgID); err != nil {
		return nil, err
	}
	if p.Risk.TasksDone, err = tx.count("SELECT COUNT(*) FROM risk_tasks WHERE organisation_id = ? AND completed_on >= ?", orgID, from.String()); err != nil {
		return nil, err
	}
	p.Risk.Overdue = []isms.ReportOverdue{}
	for _, o := range sc.Overdue {
		if o.Kind == "risk_task" {
			p.Risk.Overdue = append(p.Risk.Overdue, o)
		}
	}
	p.Risk.TasksOverdue = len(p.Risk.Overdue)
	// Opportunities for improvement: current ones and those done in the
	// period.
	err = tx.queryEach(`SELECT i.id, i.title, i.area, i.status, COALESCE(u.name, ''), i.due_on FROM improvements i LEFT JOIN users u ON u.id = i.owner_id
		WHERE i.organisation_id = ? AND (i.status IN ('proposed', 'approved', 'in_progress') OR i.done_on >= ?) ORDER BY i.created_at, i.id LIMIT 200`,
		[]any{orgID, from.String()}, func(row scanner) error {
			var i isms.PackImprovement
			var area, status string
			if err := row.Scan(&i.ID, &i.Title, &area, &status, &i.OwnerName, scanDatePtr{&i.DueOn}); err != nil {
				return err
			}
			i.Area, i.Status = isms.ImprovementArea(area), isms.ImprovementStatus(status)
			p.Improvements = append(p.Improvements, i)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// packChecksum is the SHA-256 of the pack's JSON, in hex.
func packChecksum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func reviewRecord(r *isms.ManagementReview) map[string]any {
	return map[string]any{"title": r.Title, "review_date": r.ReviewDate.String(), "forum": r.ForumName, "status": r.Status, "feedback": r.Feedback,
		"threat_landscape": r.ThreatLandscape, "nothing_to_report": r.NothingToReport, "minutes": r.Minutes, "checksum": r.Checksum}
}

func reviewDecisionRecord(d *isms.ReviewDecision) map[string]any {
	return map[string]any{"review_id": d.ReviewID, "kind": d.Kind, "decision": d.Text, "owner": d.OwnerName, "due_on": d.DueOn, "status": d.Status,
		"follow_up_note": d.Note}
}

// ManagementReviews lists the reviews, newest first.
func (db *DB) ManagementReviews(ctx context.Context, orgID int64) ([]*isms.ManagementReview, error) {
	return view(db, ctx, "ManagementReviews", orgID, func(tx *Tx) ([]*isms.ManagementReview, error) { return tx.reviews(orgID, "") })
}

// ManagementReview reads one review with its decisions.
func (db *DB) ManagementReview(ctx context.Context, orgID, id int64) (*isms.ManagementReview, error) {
	return view(db, ctx, "ManagementReview", orgID, func(tx *Tx) (*isms.ManagementReview, error) { return tx.review(orgID, id) })
}

// ManagementReviewPack is the frozen pack of a sent review, or the pack
// assembled from the records as they are now.
func (db *DB) ManagementReviewPack(ctx context.Context, orgID, id int64) (*isms.ReviewPack, error) {
	return view(db, ctx, "ManagementReviewPack", orgID, func(tx *Tx) (*isms.ReviewPack, error) {
		r, err := tx.review(orgID, id)
		if err != nil {
			return nil, err
		}
		if r.Pack != nil {
			return r.Pack, nil
		}
		return tx.reviewPack(orgID, r)
	})
}

// validateReview checks the coordinator's input.
func (tx *Tx) validateReview(orgID int64, in *isms.ManagementReviewInput) error {
	in.Title, in.Feedback, in.ThreatLandscape, in.Minutes = strings.TrimSpace(in.Title), strings.TrimSpace(in.Feedback),
		strings.TrimSpace(in.ThreatLandscape), strings.TrimSpace(in.Minutes)
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "feedback", in.Feedback, 20000)
	checkText(&v, "threat_landscape", in.ThreatLandscape, 20000)
	checkText(&v, "minutes", in.Minutes, 50000)
	if in.ReviewDate == nil {
		v.Add("review_date", "err.required")
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
	var nothing []string
	for _, k := range in.NothingToReport {
		if !isms.ValidReviewInput(k) {
			v.Add("nothing_to_report", "err.choice")
			break
		}
		if !slices.Contains(nothing, k) {
			nothing = append(nothing, k)
		}
	}
	// Kept in the pack's order, so the same choice reads the same.
	slices.SortFunc(nothing, func(a, b string) int {
		return slices.Index(isms.ReviewInputs, a) - slices.Index(isms.ReviewInputs, b)
	})
	in.NothingToReport = nothing
	return v.Err()
}

// CreateManagementReview plans a review (PermEdit).
func (db *DB) CreateManagementReview(ctx context.Context, orgID int64, in isms.ManagementReviewInput) (*isms.ManagementReview, error) {
	var r *isms.ManagementReview
	err := db.write(ctx, "CreateManagementReview", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.validateReview(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO management_reviews (organisation_id, title, review_date, forum_id, status, feedback, threat_landscape,
			nothing_to_report, minutes, version, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Title, in.ReviewDate.String(), nullInt(in.ForumID), in.Feedback, in.ThreatLandscape, joinTopics(in.NothingToReport), in.Minutes, now, now)
		if err != nil {
			return err
		}
		if r, err = tx.review(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeManagementReview, id, nil, reviewRecord(r))
	})
	return r, err
}

// UpdateManagementReview changes a review. Once the pack is frozen its
// inputs (feedback, threat landscape, nothing to report) are what
// management saw and stay; the title, date, forum and minutes may change.
func (db *DB) UpdateManagementReview(ctx context.Context, orgID, id int64, in isms.ManagementReviewInput) (*isms.ManagementReview, error) {
	var r *isms.ManagementReview
	err := db.write(ctx, "UpdateManagementReview", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.review(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if before.Frozen() {
			in.Feedback, in.ThreatLandscape, in.NothingToReport = before.Feedback, before.ThreatLandscape, before.NothingToReport
		}
		if err := tx.validateReview(orgID, &in); err != nil {
			return err
		}
		if before.Status == isms.ReviewHeld && tx.Today().Before(*in.ReviewDate) {
			var v isms.Validation
			v.Add("review_date", "mrev.err.held_future")
			return v.Err()
		}
		if _, err := tx.exec(`UPDATE management_reviews SET title = ?, review_date = ?, forum_id = ?, feedback = ?, threat_landscape = ?,
			nothing_to_report = ?, minutes = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, in.ReviewDate.String(), nullInt(in.ForumID), in.Feedback, in.ThreatLandscape, joinTopics(in.NothingToReport), in.Minutes,
			ts(tx.now), orgID, id); err != nil {
			return err
		}
		if r, err = tx.review(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeManagementReview, id, reviewRecord(before), reviewRecord(r))
	})
	return r, err
}

// SendManagementReview freezes the pack as it now stands, with its
// checksum, and marks the review sent. A review is sent once: a second
// send (or one racing the first) finds it frozen and is refused.
func (db *DB) SendManagementReview(ctx context.Context, orgID, id, version int64) (*isms.ManagementReview, error) {
	var r *isms.ManagementReview
	err := db.write(ctx, "SendManagementReview", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.review(orgID, id)
		if err != nil {
			return err
		}
		if before.Frozen() {
			return isms.Errorf(isms.EConflict, "mrev.err.already_sent")
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		p, err := tx.reviewPack(orgID, before)
		if err != nil {
			return err
		}
		js, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE management_reviews SET status = 'sent', pack_json = ?, checksum = ?, frozen_at = ?, frozen_by = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ? AND pack_json IS NULL`,
			string(js), packChecksum(js), ts(tx.now), tx.actor.UserID, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if r, err = tx.review(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "send", typeManagementReview, id, reviewRecord(before), reviewRecord(r))
	})
	return r, err
}

// HoldManagementReview records that the review meeting was held: the
// pack must have been sent, and the day must have come.
func (db *DB) HoldManagementReview(ctx context.Context, orgID, id, version int64) (*isms.ManagementReview, error) {
	var r *isms.ManagementReview
	err := db.write(ctx, "HoldManagementReview", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.review(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		switch {
		case before.Status == isms.ReviewHeld:
			return isms.Errorf(isms.EConflict, "mrev.err.already_held")
		case !before.Frozen():
			return isms.Errorf(isms.EInvalid, "mrev.err.not_sent")
		case tx.Today().Before(before.ReviewDate):
			return isms.Errorf(isms.EInvalid, "mrev.err.held_future")
		}
		if _, err := tx.exec(`UPDATE management_reviews SET status = 'held', version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			ts(tx.now), orgID, id); err != nil {
			return err
		}
		if r, err = tx.review(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "hold", typeManagementReview, id, reviewRecord(before), reviewRecord(r))
	})
	return r, err
}

// DeleteManagementReview removes a review recorded in error, with its
// decisions (PermEdit).
func (db *DB) DeleteManagementReview(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteManagementReview", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.review(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		for _, d := range before.Decisions {
			if err := tx.deleteRecord(orgID, "management_review_decisions", typeReviewDecision, d.ID, reviewDecisionRecord(d)); err != nil {
				return err
			}
		}
		return tx.deleteRecord(orgID, "management_reviews", typeManagementReview, id, reviewRecord(before))
	})
}

// ReviewDecisions lists the decisions of all reviews by due date.
func (db *DB) ReviewDecisions(ctx context.Context, orgID int64, openOnly bool) ([]*isms.ReviewDecision, error) {
	return view(db, ctx, "ReviewDecisions", orgID, func(tx *Tx) ([]*isms.ReviewDecision, error) {
		if openOnly {
			return tx.reviewDecisions(orgID, " AND d.status <> 'done'")
		}
		return tx.reviewDecisions(orgID, "")
	})
}

func (tx *Tx) validateReviewDecision(orgID int64, in *isms.ReviewDecisionInput) error {
	in.Text, in.Note = strings.TrimSpace(in.Text), strings.TrimSpace(in.Note)
	var v isms.Validation
	requireText(&v, "decision", in.Text, 5000)
	checkText(&v, "follow_up_note", in.Note, 5000)
	if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	if in.OwnerID == nil {
		v.Add("owner_id", "lead.err.owner_required")
	} else {
		tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	}
	if in.DueOn == nil {
		v.Add("due_on", "err.required")
	}
	if in.Status == "" {
		in.Status = isms.FollowUpOpen
	}
	if !in.Status.Valid() {
		v.Add("status", "err.choice")
	}
	return v.Err()
}

// CreateReviewDecision records an output of a held review. Decisions are
// management's: the caller needs PermApprove.
func (db *DB) CreateReviewDecision(ctx context.Context, orgID, reviewID int64, in isms.ReviewDecisionInput) (*isms.ReviewDecision, error) {
	var d *isms.ReviewDecision
	err := db.write(ctx, "CreateReviewDecision", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		r, err := tx.review(orgID, reviewID)
		if err != nil {
			return err
		}
		if r.Status != isms.ReviewHeld {
			return isms.Errorf(isms.EInvalid, "mrev.err.decision_needs_held")
		}
		if err := tx.validateReviewDecision(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO management_review_decisions (organisation_id, review_id, kind, text, owner_id, due_on, status, note,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, reviewID, string(in.Kind), in.Text, *in.OwnerID, dateArg(in.DueOn), string(in.Status), in.Note, now, now)
		if err != nil {
			return err
		}
		if d, err = tx.reviewDecision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeReviewDecision, id, nil, reviewDecisionRecord(d))
	})
	return d, err
}

// UpdateReviewDecision changes a decision. Management (PermApprove) may
// change all of it; the coordinator (PermEdit) and the decision's owner
// record the follow-up (status and note) only, as with the committee's
// decisions.
func (db *DB) UpdateReviewDecision(ctx context.Context, orgID, id int64, in isms.ReviewDecisionInput) (*isms.ReviewDecision, error) {
	var d *isms.ReviewDecision
	err := db.write(ctx, "UpdateReviewDecision", func(tx *Tx) error {
		a, err := tx.require(orgID, isms.PermView)
		if err != nil {
			return err
		}
		before, err := tx.reviewDecision(orgID, id)
		if err != nil {
			return err
		}
		if !a.Can(isms.PermApprove) {
			if !a.Can(isms.PermEdit) && before.OwnerID != tx.actor.UserID {
				return isms.Errorf(isms.EForbidden, "err.forbidden")
			}
			in.Kind, in.Text, in.OwnerID, in.DueOn = before.Kind, before.Text, &before.OwnerID, before.DueOn
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateReviewDecision(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE management_review_decisions SET kind = ?, text = ?, owner_id = ?, due_on = ?, status = ?, note = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			string(in.Kind), in.Text, *in.OwnerID, dateArg(in.DueOn), string(in.Status), in.Note, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if d, err = tx.reviewDecision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeReviewDecision, id, reviewDecisionRecord(before), reviewDecisionRecord(d))
	})
	return d, err
}

// DeleteReviewDecision removes a decision recorded in error (PermApprove).
func (db *DB) DeleteReviewDecision(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteReviewDecision", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.reviewDecision(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "management_review_decisions", typeReviewDecision, id, reviewDecisionRecord(before))
	})
}

// ReviewAssignedItems lists the open decisions of the reviews with their
// owners and due dates: the items of this element for a person's inbox
// and reminders.
func (db *DB) ReviewAssignedItems(ctx context.Context, orgID int64) ([]isms.AssignedItem, error) {
	return view(db, ctx, "ReviewAssignedItems", orgID, func(tx *Tx) ([]isms.AssignedItem, error) {
		ds, err := tx.reviewDecisions(orgID, " AND d.status <> 'done'")
		if err != nil {
			return nil, err
		}
		out := []isms.AssignedItem{}
		for _, d := range ds {
			out = append(out, isms.AssignedItem{OwnerID: d.OwnerID, Due: d.DueOn, Title: d.Text, Path: reviewPath(d.ReviewID)})
		}
		return out, nil
	})
}

// reviewTopicActivities reports each held review as an occasion on which
// management dealt with the improvement of the ISMS and the objectives,
// plus the topics of its decisions; a planned review, and the open
// decisions' due dates, are planned occasions.
func reviewTopicActivities(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	rs, err := tx.allReviews(orgID)
	if err != nil {
		return nil, err
	}
	var out []isms.TopicActivity
	for _, r := range rs {
		ev := isms.Evidence{RecordType: typeManagementReview, RecordID: r.ID, Label: r.Title, Path: reviewPath(r.ID)}
		topics := []string{"improvement", "objectives"}
		for _, d := range r.Decisions {
			if t := d.Kind.Topic(); !slices.Contains(topics, t) {
				topics = append(topics, t)
			}
			if r.Status == isms.ReviewHeld && d.Status != isms.FollowUpDone && d.DueOn != nil {
				out = append(out, isms.TopicActivity{Topic: d.Kind.Topic(), Day: *d.DueOn, Label: d.Text, Evidence: ev})
			}
		}
		for _, t := range topics {
			out = append(out, isms.TopicActivity{Topic: t, Day: r.ReviewDate, Done: r.Status == isms.ReviewHeld, Label: r.Title, Evidence: ev})
		}
	}
	return out, nil
}

// reviewScheduledItems puts the reviews and the decisions' due dates in
// the annual wheel's calendar.
func reviewScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	rs, err := tx.allReviews(orgID)
	if err != nil {
		return nil, err
	}
	in := func(d isms.Date) bool { return !d.Before(from) && !to.Before(d) }
	var out []isms.ScheduledItem
	for _, r := range rs {
		ev := isms.Evidence{RecordType: typeManagementReview, RecordID: r.ID, Label: r.Title, Path: reviewPath(r.ID)}
		if in(r.ReviewDate) {
			out = append(out, isms.ScheduledItem{Day: r.ReviewDate, Label: r.Title, Kind: "mrev.schedule.review", Done: r.Status == isms.ReviewHeld, Evidence: ev})
		}
		for _, d := range r.Decisions {
			if d.DueOn != nil && in(*d.DueOn) {
				out = append(out, isms.ScheduledItem{Day: *d.DueOn, Label: d.Text, Kind: "mrev.schedule.decision", Done: d.Status == isms.FollowUpDone, Evidence: ev})
			}
		}
	}
	return out, nil
}
