package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// Security incidents (guide 2.9). Reporting an event is open to every
// member of the organisation, readers included: it is the one write a
// reader may make, so ReportEvent asks for a membership (or the site
// administrator) rather than for PermView, which a parent organisation's
// oversight also gives. Triage and every later change to an incident is
// the coordinator's (PermEdit). An event may be deleted only while it is
// not an incident (awaiting triage or triaged as "not an incident"): an
// incident stays in the log, as the standard asks the organisation to
// learn from it.

const (
	typeIncident         = "incident"
	typeIncidentTimeline = "incident_timeline"
	typeIncidentReport   = "incident_report"
	typeIncidentSettings = "incident_settings"
)

const incColumns = `i.id, i.organisation_id, i.title, i.description, i.detected_at, i.location, i.reporter_contact,
	i.reported_by, COALESCE(r.name, ''), i.reported_at, i.status, i.category, i.severity, i.not_incident_reason,
	i.owner_id, COALESCE(u.name, ''), i.lessons, i.nonconformity, i.personal_data, i.nis2_significant,
	i.triaged_by, COALESCE(t.name, ''), i.triaged_at, i.version, i.created_at, i.updated_at, i.reported_via, i.closed_at`

const incFrom = ` FROM incidents i LEFT JOIN users r ON r.id = i.reported_by LEFT JOIN users u ON u.id = i.owner_id
	LEFT JOIN users t ON t.id = i.triaged_by`

func scanIncident(row scanner) (*isms.Incident, error) {
	var i isms.Incident
	var by, owner, triager sql.NullInt64
	var status, category string
	var nc, pd, sig int
	if err := row.Scan(&i.ID, &i.OrganisationID, &i.Title, &i.Description, scanTime{&i.DetectedAt}, &i.Location, &i.ReporterContact,
		&by, &i.ReportedByName, scanTime{&i.ReportedAt}, &status, &category, &i.Severity, &i.NotIncidentReason,
		&owner, &i.OwnerName, &i.Lessons, &nc, &pd, &sig, &triager, &i.TriagedByName, scanTimePtr{&i.TriagedAt},
		&i.Version, scanTime{&i.CreatedAt}, scanTime{&i.UpdatedAt}, &i.ReportedVia, scanTimePtr{&i.ClosedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("incident")
		}
		return nil, err
	}
	i.Status, i.Category = isms.IncidentStatus(status), isms.IncidentCategory(category)
	i.ReportedBy, i.OwnerID, i.TriagedBy = int64Ptr(by), int64Ptr(owner), int64Ptr(triager)
	i.Nonconformity, i.PersonalData, i.NIS2Significant = nc != 0, pd != 0, sig != 0
	return &i, nil
}

// incident reads one incident with its affected assets and reports.
func (tx *Tx) incident(orgID, id int64) (*isms.Incident, error) {
	i, err := scanIncident(tx.queryRow("SELECT "+incColumns+incFrom+" WHERE i.organisation_id = ? AND i.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	return i, tx.incidentDetails(orgID, []*isms.Incident{i})
}

// incidentDetails fills in the affected assets and reports of incidents.
func (tx *Tx) incidentDetails(orgID int64, incs []*isms.Incident) error {
	if len(incs) == 0 {
		return nil
	}
	byID := map[int64]*isms.Incident{}
	ids := make([]any, 0, len(incs)+1)
	ids = append(ids, orgID)
	marks := make([]string, 0, len(incs))
	for _, i := range incs {
		byID[i.ID] = i
		i.EntryIDs, i.AssetIDs, i.Affected, i.Reports = []int64{}, []int64{}, []isms.IncidentLink{}, []*isms.IncidentReport{}
		i.Risks, i.Threats, i.Controls = []isms.IncidentRiskRef{}, []isms.IncidentThreatRef{}, []isms.IncidentControl{}
		ids = append(ids, i.ID)
		marks = append(marks, "?")
	}
	in := " IN (" + strings.Join(marks, ", ") + ")"
	err := tx.queryEach(`SELECT l.incident_id, l.entry_id, COALESCE(e.name, ''), l.asset_id, COALESCE(a.name, '') FROM incident_links l
		LEFT JOIN overview_entries e ON e.id = l.entry_id LEFT JOIN assets a ON a.id = l.asset_id
		WHERE l.organisation_id = ? AND l.incident_id`+in+` ORDER BY l.id`, ids, func(row scanner) error {
		var iid int64
		var entry, asset sql.NullInt64
		var en, an string
		if err := row.Scan(&iid, &entry, &en, &asset, &an); err != nil {
			return err
		}
		i := byID[iid]
		if entry.Valid {
			i.EntryIDs = append(i.EntryIDs, entry.Int64)
			i.Affected = append(i.Affected, isms.IncidentLink{Kind: "entry", ID: entry.Int64, Name: en})
		}
		if asset.Valid {
			i.AssetIDs = append(i.AssetIDs, asset.Int64)
			i.Affected = append(i.Affected, isms.IncidentLink{Kind: "asset", ID: asset.Int64, Name: an})
		}
		return nil
	})
	if err != nil {
		return err
	}
	reports, err := queryAll(tx, scanIncidentReport, "SELECT "+reportColumns+reportFrom+" WHERE p.organisation_id = ? AND p.incident_id"+in+
		" ORDER BY p.sent_at, p.id", ids...)
	if err != nil {
		return err
	}
	for _, r := range reports {
		byID[r.IncidentID].Reports = append(byID[r.IncidentID].Reports, r)
	}
	return tx.incidentRecordLinks(in, ids, byID)
}

func incRecord(i *isms.Incident) map[string]any {
	var triaged, closed any
	if i.TriagedAt != nil {
		triaged = ts(*i.TriagedAt)
	}
	if i.ClosedAt != nil {
		closed = ts(*i.ClosedAt)
	}
	return map[string]any{"title": i.Title, "description": i.Description, "detected_at": ts(i.DetectedAt), "location": i.Location,
		"reporter_contact": i.ReporterContact, "reported_by": i.ReportedByName, "status": i.Status, "category": i.Category,
		"severity": i.Severity, "not_incident_reason": i.NotIncidentReason, "owner": i.OwnerName, "lessons_learned": i.Lessons,
		"nonconformity": i.Nonconformity, "personal_data_breach": i.PersonalData, "nis2_significant": i.NIS2Significant,
		"triaged_by": i.TriagedByName, "triaged_at": triaged, "overview_entry_ids": i.EntryIDs, "asset_ids": i.AssetIDs,
		"closed_at": closed}
}

var incSorts = map[string]string{"detected": "i.detected_at", "title": "i.title", "status": "i.status", "severity": "i.severity"}

// Incidents lists the incident log, filtered, sorted and paginated. The
// overdue filter is decided on the clocks as they stand now, so those
// are computed for every incident the other filters leave.
func (db *DB) Incidents(ctx context.Context, orgID int64, f isms.IncidentFilter) ([]*isms.Incident, int, error) {
	var out []*isms.Incident
	var total int
	err := db.read(ctx, "Incidents", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE i.organisation_id = ?"
		args := []any{orgID}
		if f.Status != "" {
			where += " AND i.status = ?"
			args = append(args, string(f.Status))
		}
		if f.Category != "" {
			where += " AND i.category = ?"
			args = append(args, string(f.Category))
		}
		if f.Severity != 0 {
			where += " AND i.severity = ?"
			args = append(args, f.Severity)
		}
		if f.Open {
			where += " AND i.status NOT IN ('not_incident', 'closed')"
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(i.title) LIKE ? OR LOWER(i.description) LIKE ? OR LOWER(i.location) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		order := orderBy(f.Sort, incSorts, "i.detected_at DESC")
		if f.Overdue {
			settings, err := tx.incidentSettings(orgID)
			if err != nil {
				return err
			}
			all, err := queryAll(tx, scanIncident, "SELECT "+incColumns+incFrom+where+
				" AND (i.personal_data <> 0 OR i.nis2_significant <> 0) ORDER BY "+order+", i.id", args...)
			if err != nil {
				return err
			}
			if err := tx.incidentDetails(orgID, all); err != nil {
				return err
			}
			all = slices.DeleteFunc(all, func(i *isms.Incident) bool { return !incidentOverdue(i, *settings, tx.now) })
			total = len(all)
			out = all[min(f.Offset, len(all)):min(f.Offset+limit, len(all))]
			return nil
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+incFrom+where, args...); err != nil {
			return err
		}
		if out, err = queryAll(tx, scanIncident, "SELECT "+incColumns+incFrom+where+" ORDER BY "+order+", i.id LIMIT ? OFFSET ?",
			append(args, limit, f.Offset)...); err != nil {
			return err
		}
		return tx.incidentDetails(orgID, out)
	})
	return out, total, err
}

func incidentOverdue(i *isms.Incident, s isms.IncidentSettings, now time.Time) bool {
	for _, c := range isms.IncidentClocks(i, s, i.Reports, now) {
		if c.State == isms.ClockOverdue {
			return true
		}
	}
	return false
}

// Incident reads one incident.
func (db *DB) Incident(ctx context.Context, orgID, id int64) (*isms.Incident, error) {
	return view(db, ctx, "Incident", orgID, func(tx *Tx) (*isms.Incident, error) { return tx.incident(orgID, id) })
}

// requireMember lets through a member of the organisation in any role, and
// the site administrator, but not one who only oversees it.
func (tx *Tx) requireMember(orgID int64) error {
	a, err := tx.access(orgID)
	if err != nil {
		return err
	}
	if a.Role == "" && !a.SiteAdmin {
		return isms.Errorf(isms.EForbidden, "err.forbidden")
	}
	return nil
}

func (tx *Tx) validateEvent(v *isms.Validation, in *isms.IncidentEventInput) {
	for _, s := range []*string{&in.Title, &in.Location, &in.ReporterContact} {
		*s = strings.TrimSpace(*s)
	}
	requireText(v, "title", in.Title, 300)
	checkText(v, "description", in.Description, 20000)
	checkText(v, "location", in.Location, 300)
	checkText(v, "reporter_contact", in.ReporterContact, 300)
	if in.DetectedAt == nil || in.DetectedAt.IsZero() {
		v.Add("detected_at", "err.required")
	} else if in.DetectedAt.After(tx.now.Add(5 * time.Minute)) {
		v.Add("detected_at", "inc.err.future")
	}
}

// ReportEvent records a reported security event awaiting triage.
func (db *DB) ReportEvent(ctx context.Context, orgID int64, in isms.IncidentEventInput) (*isms.Incident, error) {
	var i *isms.Incident
	err := db.write(ctx, "ReportEvent", func(tx *Tx) error {
		if err := tx.requireMember(orgID); err != nil {
			return err
		}
		var v isms.Validation
		tx.validateEvent(&v, &in)
		if err := v.Err(); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO incidents (organisation_id, title, description, detected_at, location, reporter_contact, reported_by,
			reported_at, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Title, in.Description, ts(in.DetectedAt.Time), in.Location, in.ReporterContact, tx.actor.UserID, now,
			string(isms.IncidentReported), now, now)
		if err != nil {
			return err
		}
		if i, err = tx.incident(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIncident, id, nil, incRecord(i))
	})
	return i, err
}

func checkSeverity(v *isms.Validation, s *isms.IncidentSettings, level int) {
	if level < 1 || level > s.Levels() {
		v.Add("severity", "err.choice")
	}
}

// TriageIncident decides a reported event: an incident with its category
// and severity, or not an incident with the reason. Only an event
// awaiting triage (or one judged not an incident, reconsidered) is
// triaged.
func (db *DB) TriageIncident(ctx context.Context, orgID, id int64, in isms.IncidentTriageInput) (*isms.Incident, error) {
	var i *isms.Incident
	err := db.write(ctx, "TriageIncident", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if before.Status.IsIncident() {
			return isms.Errorf(isms.EInvalid, "inc.err.already_triaged")
		}
		settings, err := tx.incidentSettings(orgID)
		if err != nil {
			return err
		}
		var v isms.Validation
		status, reason := isms.IncidentNotIncident, strings.TrimSpace(in.Reason)
		if in.Incident {
			status, reason = isms.IncidentTriaged, ""
			if !in.Category.Valid() {
				v.Add("category", "err.choice")
			}
			checkSeverity(&v, settings, in.Severity)
			tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
		} else {
			requireText(&v, "reason", reason, 2000)
			in.Category, in.Severity, in.OwnerID, in.PersonalData, in.NIS2Significant = "", 0, nil, false, false
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE incidents SET status = ?, category = ?, severity = ?, owner_id = ?, personal_data = ?, nis2_significant = ?,
			not_incident_reason = ?, triaged_by = ?, triaged_at = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			string(status), string(in.Category), in.Severity, nullInt(in.OwnerID), b2i(in.PersonalData), b2i(in.NIS2Significant),
			reason, tx.actor.UserID, ts(tx.now), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if i, err = tx.incident(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "triage", typeIncident, id, incRecord(before), incRecord(i))
	})
	return i, err
}

// UpdateIncident changes a triaged incident, refusing a stale version.
// Closing needs the lessons learned.
func (db *DB) UpdateIncident(ctx context.Context, orgID, id int64, in isms.IncidentInput) (*isms.Incident, error) {
	var i *isms.Incident
	err := db.write(ctx, "UpdateIncident", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if !before.Status.IsIncident() {
			return isms.Errorf(isms.EInvalid, "inc.err.not_triaged")
		}
		settings, err := tx.incidentSettings(orgID)
		if err != nil {
			return err
		}
		var v isms.Validation
		ev := isms.IncidentEventInput{Title: in.Title, Description: in.Description, DetectedAt: in.DetectedAt, Location: in.Location,
			ReporterContact: in.ReporterContact}
		tx.validateEvent(&v, &ev)
		in.Lessons = strings.TrimSpace(in.Lessons)
		checkText(&v, "lessons_learned", in.Lessons, 20000)
		if !in.Status.IsIncident() {
			v.Add("status", "err.choice")
		}
		if in.Status == isms.IncidentClosed && in.Lessons == "" {
			v.Add("lessons_learned", "inc.err.lessons_required")
		}
		if !in.Category.Valid() {
			v.Add("category", "err.choice")
		}
		checkSeverity(&v, settings, in.Severity)
		tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
		for _, ref := range []struct {
			field, table string
			ids          []int64
		}{{"overview_entry_ids", "overview_entries", in.EntryIDs}, {"asset_ids", "assets", in.AssetIDs}} {
			for _, rid := range ref.ids {
				n, err := tx.count("SELECT COUNT(*) FROM "+ref.table+" WHERE organisation_id = ? AND id = ?", orgID, rid)
				if err != nil {
					return err
				}
				if n == 0 {
					v.Add(ref.field, "err.unknown_reference")
					break
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE incidents SET title = ?, description = ?, detected_at = ?, location = ?, reporter_contact = ?, status = ?,
			category = ?, severity = ?, owner_id = ?, lessons = ?, nonconformity = ?, personal_data = ?, nis2_significant = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			ev.Title, ev.Description, ts(ev.DetectedAt.Time), ev.Location, ev.ReporterContact, string(in.Status), string(in.Category), in.Severity,
			nullInt(in.OwnerID), in.Lessons, b2i(in.Nonconformity), b2i(in.PersonalData), b2i(in.NIS2Significant), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setIncidentClosedAt(orgID, id, in.Status); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM incident_links WHERE organisation_id = ? AND incident_id = ?", orgID, id); err != nil {
			return err
		}
		seen := map[[2]int64]bool{}
		for k, ids := range [][]int64{in.EntryIDs, in.AssetIDs} {
			for _, rid := range ids {
				if seen[[2]int64{int64(k), rid}] {
					continue
				}
				seen[[2]int64{int64(k), rid}] = true
				var entry, asset any = rid, nil
				if k == 1 {
					entry, asset = nil, rid
				}
				if _, err := tx.insert("INSERT INTO incident_links (organisation_id, incident_id, entry_id, asset_id) VALUES (?, ?, ?, ?)",
					orgID, id, entry, asset); err != nil {
					return err
				}
			}
		}
		if i, err = tx.incident(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeIncident, id, incRecord(before), incRecord(i))
	})
	return i, err
}

// DeleteIncident removes an event reported by mistake or triaged as not
// an incident, with its timeline.
func (db *DB) DeleteIncident(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteIncident", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if before.Status.IsIncident() {
			return isms.Errorf(isms.EInvalid, "inc.err.delete_incident")
		}
		for _, table := range []string{"incident_timeline", "incident_reports", "incident_links", "incident_risks", "incident_threats",
			"incident_controls", "incident_communications"} {
			if _, err := tx.exec("DELETE FROM "+table+" WHERE organisation_id = ? AND incident_id = ?", orgID, id); err != nil {
				return err
			}
		}
		return tx.deleteRecord(orgID, "incidents", typeIncident, id, incRecord(before))
	})
}

const timelineColumns = `e.id, e.incident_id, e.at, e.text, e.actor, COALESCE(u.name, ''), e.created_at`
const timelineFrom = ` FROM incident_timeline e LEFT JOIN users u ON u.id = e.recorded_by`

func scanTimeline(row scanner) (*isms.IncidentTimelineEntry, error) {
	var e isms.IncidentTimelineEntry
	if err := row.Scan(&e.ID, &e.IncidentID, scanTime{&e.At}, &e.Text, &e.Actor, &e.RecordedBy, scanTime{&e.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("timeline entry")
		}
		return nil, err
	}
	return &e, nil
}

// IncidentTimeline lists an incident's timeline, oldest first.
func (db *DB) IncidentTimeline(ctx context.Context, orgID, id int64) ([]*isms.IncidentTimelineEntry, error) {
	return view(db, ctx, "IncidentTimeline", orgID, func(tx *Tx) ([]*isms.IncidentTimelineEntry, error) {
		if _, err := tx.incident(orgID, id); err != nil {
			return nil, err
		}
		return queryAll(tx, scanTimeline, "SELECT "+timelineColumns+timelineFrom+
			" WHERE e.organisation_id = ? AND e.incident_id = ? ORDER BY e.at, e.id", orgID, id)
	})
}

func timelineRecord(i *isms.Incident, e *isms.IncidentTimelineEntry) map[string]any {
	return map[string]any{"incident": i.Title, "at": ts(e.At), "text": e.Text, "actor": e.Actor}
}

// AddIncidentTimeline adds a dated entry to an incident's timeline.
func (db *DB) AddIncidentTimeline(ctx context.Context, orgID, id int64, in isms.IncidentTimelineInput) (*isms.IncidentTimelineEntry, error) {
	var e *isms.IncidentTimelineEntry
	err := db.write(ctx, "AddIncidentTimeline", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		i, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		var v isms.Validation
		in.Text, in.Actor = strings.TrimSpace(in.Text), strings.TrimSpace(in.Actor)
		if in.At == nil || in.At.IsZero() {
			v.Add("at", "err.required")
		} else if in.At.After(tx.now.Add(5 * time.Minute)) {
			v.Add("at", "inc.err.future")
		}
		requireText(&v, "text", in.Text, 5000)
		checkText(&v, "actor", in.Actor, 200)
		if err := v.Err(); err != nil {
			return err
		}
		eid, err := tx.insert(`INSERT INTO incident_timeline (organisation_id, incident_id, at, text, actor, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, id, ts(in.At.Time), in.Text, in.Actor, tx.actor.UserID, ts(tx.now))
		if err != nil {
			return err
		}
		if e, err = scanTimeline(tx.queryRow("SELECT "+timelineColumns+timelineFrom+" WHERE e.organisation_id = ? AND e.id = ?", orgID, eid)); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIncidentTimeline, eid, nil, timelineRecord(i, e))
	})
	return e, err
}

// DeleteIncidentTimeline removes a timeline entry recorded in error.
func (db *DB) DeleteIncidentTimeline(ctx context.Context, orgID, id, entryID int64) error {
	return db.write(ctx, "DeleteIncidentTimeline", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		i, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		e, err := scanTimeline(tx.queryRow("SELECT "+timelineColumns+timelineFrom+" WHERE e.organisation_id = ? AND e.incident_id = ? AND e.id = ?",
			orgID, id, entryID))
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "incident_timeline", typeIncidentTimeline, entryID, timelineRecord(i, e))
	})
}

const reportColumns = `p.id, p.incident_id, p.regime, p.kind, p.sent_at, p.recipient, p.content, COALESCE(u.name, ''), p.created_at`
const reportFrom = ` FROM incident_reports p LEFT JOIN users u ON u.id = p.recorded_by`

func scanIncidentReport(row scanner) (*isms.IncidentReport, error) {
	var r isms.IncidentReport
	if err := row.Scan(&r.ID, &r.IncidentID, &r.Regime, &r.Kind, scanTime{&r.SentAt}, &r.Recipient, &r.Content, &r.RecordedBy, scanTime{&r.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("report")
		}
		return nil, err
	}
	return &r, nil
}

func reportRecord(i *isms.Incident, r *isms.IncidentReport) map[string]any {
	return map[string]any{"incident": i.Title, "regime": r.Regime, "kind": r.Kind, "sent_at": ts(r.SentAt), "recipient": r.Recipient, "content": r.Content}
}

// AddIncidentReport records a report sent to an authority about an
// incident; it stops the report's clock.
func (db *DB) AddIncidentReport(ctx context.Context, orgID, id int64, in isms.IncidentReportInput) (*isms.IncidentReport, error) {
	var r *isms.IncidentReport
	err := db.write(ctx, "AddIncidentReport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		i, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		if !i.Status.IsIncident() {
			return isms.Errorf(isms.EInvalid, "inc.err.not_triaged")
		}
		var v isms.Validation
		in.Recipient = strings.TrimSpace(in.Recipient)
		if _, ok := isms.IncidentReportKinds[in.Regime]; !ok {
			v.Add("regime", "err.choice")
		} else if !isms.ValidReportKind(in.Regime, in.Kind) {
			v.Add("kind", "err.choice")
		}
		if in.SentAt == nil || in.SentAt.IsZero() {
			v.Add("sent_at", "err.required")
		} else if in.SentAt.After(tx.now.Add(5 * time.Minute)) {
			v.Add("sent_at", "inc.err.future")
		} else if in.SentAt.Before(i.DetectedAt) {
			v.Add("sent_at", "inc.err.before_detection")
		}
		requireText(&v, "recipient", in.Recipient, 300)
		checkText(&v, "content", in.Content, 20000)
		if err := v.Err(); err != nil {
			return err
		}
		rid, err := tx.insert(`INSERT INTO incident_reports (organisation_id, incident_id, regime, kind, sent_at, recipient, content, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, orgID, id, in.Regime, in.Kind, ts(in.SentAt.Time), in.Recipient, in.Content, tx.actor.UserID, ts(tx.now))
		if err != nil {
			return err
		}
		if r, err = scanIncidentReport(tx.queryRow("SELECT "+reportColumns+reportFrom+" WHERE p.organisation_id = ? AND p.id = ?", orgID, rid)); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIncidentReport, rid, nil, reportRecord(i, r))
	})
	return r, err
}

// DeleteIncidentReport removes a report recorded in error.
func (db *DB) DeleteIncidentReport(ctx context.Context, orgID, id, reportID int64) error {
	return db.write(ctx, "DeleteIncidentReport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		i, err := tx.incident(orgID, id)
		if err != nil {
			return err
		}
		r, err := scanIncidentReport(tx.queryRow("SELECT "+reportColumns+reportFrom+" WHERE p.organisation_id = ? AND p.incident_id = ? AND p.id = ?",
			orgID, id, reportID))
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "incident_reports", typeIncidentReport, reportID, reportRecord(i, r))
	})
}

// incidentSettings reads the settings; until the organisation saves its
// own, the defaults (GDPR applies, NIS2 does not, the default scale) read
// as version 1.
func (tx *Tx) incidentSettings(orgID int64) (*isms.IncidentSettings, error) {
	s := &isms.IncidentSettings{GDPRApplies: true, Severities: []string{}, Version: 1}
	var nis2, gdpr int
	var levels string
	found := false
	err := tx.queryEach("SELECT nis2_applies, gdpr_applies, severities, version FROM incident_settings WHERE organisation_id = ?", []any{orgID},
		func(row scanner) error { found = true; return row.Scan(&nis2, &gdpr, &levels, &s.Version) })
	if found {
		s.NIS2Applies, s.GDPRApplies = nis2 != 0, gdpr != 0
		for _, l := range strings.Split(levels, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				s.Severities = append(s.Severities, l)
			}
		}
	}
	return s, err
}

func incSettingsRecord(s *isms.IncidentSettings) map[string]any {
	return map[string]any{"nis2_applies": s.NIS2Applies, "gdpr_applies": s.GDPRApplies, "severities": s.Severities}
}

// IncidentSettings reads the organisation's incident settings.
func (db *DB) IncidentSettings(ctx context.Context, orgID int64) (*isms.IncidentSettings, error) {
	return view(db, ctx, "IncidentSettings", orgID, func(tx *Tx) (*isms.IncidentSettings, error) { return tx.incidentSettings(orgID) })
}

// UpdateIncidentSettings changes the settings, refusing a stale version. A
// scale may not become shorter than the highest severity an incident has.
func (db *DB) UpdateIncidentSettings(ctx context.Context, orgID int64, in isms.IncidentSettings) (*isms.IncidentSettings, error) {
	var s *isms.IncidentSettings
	err := db.write(ctx, "UpdateIncidentSettings", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.incidentSettings(orgID)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		var levels []string
		for _, l := range in.Severities {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			if strings.ContainsAny(l, "\r\n") || len(l) > 60 {
				v.Add("severities", "inc.err.severities")
				break
			}
			levels = append(levels, l)
		}
		if len(levels) == 1 || len(levels) > 10 {
			v.Add("severities", "inc.err.severities")
		}
		n := isms.DefaultSeverityLevels
		if len(levels) > 0 {
			n = len(levels)
		}
		if used, err := tx.count("SELECT COUNT(*) FROM incidents WHERE organisation_id = ? AND severity > ?", orgID, n); err != nil {
			return err
		} else if used > 0 {
			v.Add("severities", "inc.err.severities_in_use")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM incident_settings WHERE organisation_id = ?", orgID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO incident_settings (organisation_id, nis2_applies, gdpr_applies, severities, version, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, orgID, b2i(in.NIS2Applies), b2i(in.GDPRApplies), strings.Join(levels, "\n"), before.Version+1, ts(tx.now)); err != nil {
			return err
		}
		if s, err = tx.incidentSettings(orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeIncidentSettings, orgID, incSettingsRecord(before), incSettingsRecord(s))
	})
	return s, err
}
