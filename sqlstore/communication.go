package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The communication plan (guide 2.7). An entry's responsible person
// acknowledges it as it stands; a change of the person or of what, when,
// to whom, how or how confidentially asks for a new acknowledgement, so
// an acknowledgement always covers what the entry now says.

const typeCommunication = "communication_entry"

const commColumns = `c.id, c.organisation_id, c.case_key, c.what, c.key_points, c.timing, c.trigger_event, c.response_time, c.audience,
	c.channel, c.direction, c.sensitivity, c.responsible_id, COALESCE(u.name, ''), CASE WHEN m.id IS NULL THEN 0 ELSE 1 END,
	c.sender_role_id, COALESCE(r.name, ''), c.status, c.assigned_at, c.acknowledged_by, COALESCE(k.name, ''), c.acknowledged_at,
	c.version, c.created_at, c.updated_at`

const commFrom = ` FROM communication_entries c LEFT JOIN users u ON u.id = c.responsible_id
	LEFT JOIN memberships m ON m.organisation_id = c.organisation_id AND m.user_id = c.responsible_id
	LEFT JOIN security_roles r ON r.id = c.sender_role_id LEFT JOIN users k ON k.id = c.acknowledged_by`

func scanCommunication(row scanner) (*isms.CommunicationEntry, error) {
	var e isms.CommunicationEntry
	var timing, direction, sensitivity, status string
	var responsible, role, ackBy sql.NullInt64
	var member int
	if err := row.Scan(&e.ID, &e.OrganisationID, &e.CaseKey, &e.What, &e.KeyPoints, &timing, &e.TriggerEvent, &e.ResponseTime, &e.Audience,
		&e.Channel, &direction, &sensitivity, &responsible, &e.ResponsibleName, &member, &role, &e.SenderRoleName, &status,
		scanTimePtr{&e.AssignedAt}, &ackBy, &e.AcknowledgedByName, scanTimePtr{&e.AcknowledgedAt}, &e.Version, scanTime{&e.CreatedAt}, scanTime{&e.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("communication entry")
		}
		return nil, err
	}
	e.Timing, e.Direction, e.Sensitivity, e.Status = isms.Timing(timing), isms.Direction(direction), isms.Sensitivity(sensitivity), isms.EntryStatus(status)
	e.ResponsibleID, e.SenderRoleID, e.AcknowledgedBy = int64Ptr(responsible), int64Ptr(role), int64Ptr(ackBy)
	e.ResponsibleMember = member == 1
	return &e, nil
}

func (tx *Tx) communication(orgID, id int64) (*isms.CommunicationEntry, error) {
	return scanCommunication(tx.queryRow("SELECT "+commColumns+commFrom+" WHERE c.organisation_id = ? AND c.id = ?", orgID, id))
}

// validateCommunication checks an entry's input. An active entry is part
// of the adopted plan and must name who is responsible for it.
func (tx *Tx) validateCommunication(orgID int64, in *isms.CommunicationEntryInput) error {
	for _, s := range []*string{&in.What, &in.TriggerEvent, &in.ResponseTime, &in.Audience, &in.Channel} {
		*s = strings.TrimSpace(*s)
	}
	var v isms.Validation
	if in.CaseKey != "" {
		if _, ok := isms.CommunicationCaseByKey(in.CaseKey); !ok {
			v.Add("case_key", "err.choice")
		}
	}
	requireText(&v, "what", in.What, 300)
	checkText(&v, "key_points", in.KeyPoints, 10000)
	if in.Timing == "" {
		v.Add("timing", "err.required")
	} else if !in.Timing.Valid() {
		v.Add("timing", "err.choice")
	}
	if in.Timing == isms.TimingEvent && in.TriggerEvent == "" {
		v.Add("trigger_event", "comm.err.trigger_required")
	} else {
		checkText(&v, "trigger_event", in.TriggerEvent, 1000)
	}
	checkText(&v, "response_time", in.ResponseTime, 200)
	requireText(&v, "audience", in.Audience, 1000)
	requireText(&v, "channel", in.Channel, 300)
	if in.Direction == "" {
		v.Add("direction", "err.required")
	} else if !in.Direction.Valid() {
		v.Add("direction", "err.choice")
	}
	if in.Sensitivity == "" {
		v.Add("sensitivity", "err.required")
	} else if !in.Sensitivity.Valid() {
		v.Add("sensitivity", "err.choice")
	}
	if in.Status == "" {
		in.Status = isms.StatusDraft
	}
	if !slices.Contains(isms.EntryStatuses, in.Status) {
		v.Add("status", "err.choice")
	}
	if in.ResponsibleID == nil && in.Status == isms.StatusActive {
		v.Add("responsible_id", "comm.err.responsible_required")
	}
	tx.checkMember(&v, "responsible_id", orgID, in.ResponsibleID)
	if in.SenderRoleID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM security_roles WHERE organisation_id = ? AND id = ?", orgID, *in.SenderRoleID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("sender_role_id", "err.unknown_reference")
		}
	}
	return v.Err()
}

// commRecord is an entry as the audit trail keeps it: people and roles by
// name, the acknowledgement with who and when.
func commRecord(e *isms.CommunicationEntry) map[string]any {
	var ackAt any
	if e.AcknowledgedAt != nil {
		ackAt = e.AcknowledgedAt
	}
	return map[string]any{"case_key": e.CaseKey, "what": e.What, "key_points": e.KeyPoints, "timing": e.Timing,
		"trigger_event": e.TriggerEvent, "response_time": e.ResponseTime, "audience": e.Audience, "channel": e.Channel,
		"direction": e.Direction, "sensitivity": e.Sensitivity, "responsible": e.ResponsibleName, "sender_role": e.SenderRoleName,
		"status": e.Status, "acknowledged_by": e.AcknowledgedByName, "acknowledged_at": ackAt}
}

// substanceChanged reports whether an update changes what the responsible
// person took on: anything but the status.
func substanceChanged(before *isms.CommunicationEntry, in *isms.CommunicationEntryInput) bool {
	eq := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return before.CaseKey != in.CaseKey || before.What != in.What || before.KeyPoints != in.KeyPoints || before.Timing != in.Timing ||
		before.TriggerEvent != in.TriggerEvent || before.ResponseTime != in.ResponseTime || before.Audience != in.Audience ||
		before.Channel != in.Channel || before.Direction != in.Direction || before.Sensitivity != in.Sensitivity ||
		!eq(before.ResponsibleID, in.ResponsibleID) || !eq(before.SenderRoleID, in.SenderRoleID)
}

// CommunicationEntries lists the plan, filtered, sorted and paginated.
func (db *DB) CommunicationEntries(ctx context.Context, orgID int64, f isms.CommunicationFilter) ([]*isms.CommunicationEntry, int, error) {
	var out []*isms.CommunicationEntry
	var total int
	err := db.read(ctx, "CommunicationEntries", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE c.organisation_id = ?"
		args := []any{orgID}
		if f.Direction != "" {
			where += " AND c.direction = ?"
			args = append(args, string(f.Direction))
		}
		if f.Status != "" {
			where += " AND c.status = ?"
			args = append(args, string(f.Status))
		}
		if f.CaseKey != "" {
			where += " AND c.case_key = ?"
			args = append(args, f.CaseKey)
		}
		if f.ResponsibleID != 0 {
			where += " AND c.responsible_id = ?"
			args = append(args, f.ResponsibleID)
		}
		if f.PendingFor != 0 {
			where += ` AND c.responsible_id = ? AND c.status <> 'retired' AND m.id IS NOT NULL
				AND (c.acknowledged_by IS NULL OR c.acknowledged_by <> c.responsible_id)`
			args = append(args, f.PendingFor)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(c.what) LIKE ? OR LOWER(c.key_points) LIKE ? OR LOWER(c.audience) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+commFrom+where, args...); err != nil {
			return err
		}
		order := orderBy(f.Sort, commSorts, "c.direction, c.what")
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		rows, err := tx.query("SELECT "+commColumns+commFrom+where+" ORDER BY "+order+", c.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanCommunication)
		return err
	})
	return out, total, err
}

var commSorts = map[string]string{
	"what": "c.what", "direction": "c.direction", "timing": "c.timing", "responsible": "u.name", "status": "c.status",
	"audience": "c.audience", "sensitivity": "c.sensitivity",
}

// CommunicationEntry reads one entry.
func (db *DB) CommunicationEntry(ctx context.Context, orgID, id int64) (*isms.CommunicationEntry, error) {
	return view(db, ctx, "CommunicationEntry", orgID, func(tx *Tx) (*isms.CommunicationEntry, error) { return tx.communication(orgID, id) })
}

// CreateCommunicationEntry adds an entry to the plan. Contributors may add
// entries they are responsible for themselves.
func (db *DB) CreateCommunicationEntry(ctx context.Context, orgID int64, in isms.CommunicationEntryInput) (*isms.CommunicationEntry, error) {
	var e *isms.CommunicationEntry
	err := db.write(ctx, "CreateCommunicationEntry", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.ResponsibleID); err != nil {
			return err
		}
		if err := tx.validateCommunication(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		var assigned any
		if in.ResponsibleID != nil {
			assigned = now
		}
		id, err := tx.insert(`INSERT INTO communication_entries (organisation_id, case_key, what, key_points, timing, trigger_event, response_time,
			audience, channel, direction, sensitivity, responsible_id, sender_role_id, status, assigned_at, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.CaseKey, in.What, in.KeyPoints, string(in.Timing), in.TriggerEvent, in.ResponseTime, in.Audience, in.Channel,
			string(in.Direction), string(in.Sensitivity), nullInt(in.ResponsibleID), nullInt(in.SenderRoleID), string(in.Status), assigned, now, now)
		if err != nil {
			return err
		}
		if e, err = tx.communication(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeCommunication, id, nil, commRecord(e))
	})
	return e, err
}

// UpdateCommunicationEntry changes an entry, refusing a stale version. A
// change of the responsible person or of the substance clears the
// acknowledgement: the responsible person must take on the new version.
func (db *DB) UpdateCommunicationEntry(ctx context.Context, orgID, id int64, in isms.CommunicationEntryInput) (*isms.CommunicationEntry, error) {
	var e *isms.CommunicationEntry
	err := db.write(ctx, "UpdateCommunicationEntry", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.communication(orgID, id)
		if err != nil {
			return err
		}
		// A contributor must be responsible before and after the change.
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.ResponsibleID, in.ResponsibleID); err != nil {
			return err
		}
		if err := tx.validateCommunication(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		q := `UPDATE communication_entries SET case_key = ?, what = ?, key_points = ?, timing = ?, trigger_event = ?, response_time = ?,
			audience = ?, channel = ?, direction = ?, sensitivity = ?, responsible_id = ?, sender_role_id = ?, status = ?,
			version = version + 1, updated_at = ?`
		args := []any{in.CaseKey, in.What, in.KeyPoints, string(in.Timing), in.TriggerEvent, in.ResponseTime, in.Audience, in.Channel,
			string(in.Direction), string(in.Sensitivity), nullInt(in.ResponsibleID), nullInt(in.SenderRoleID), string(in.Status), now}
		if substanceChanged(before, &in) {
			var assigned any
			if in.ResponsibleID != nil {
				assigned = now
			}
			q += ", assigned_at = ?, acknowledged_by = NULL, acknowledged_at = NULL"
			args = append(args, assigned)
		}
		if _, err := tx.exec(q+" WHERE organisation_id = ? AND id = ?", append(args, orgID, id)...); err != nil {
			return err
		}
		if e, err = tx.communication(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeCommunication, id, commRecord(before), commRecord(e))
	})
	return e, err
}

// DeleteCommunicationEntry removes an entry from the plan.
func (db *DB) DeleteCommunicationEntry(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteCommunicationEntry", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.communication(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.ResponsibleID); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "communication_entries", typeCommunication, id, commRecord(before))
	})
}

// AcknowledgeCommunication records that the responsible person has taken
// on the entry in the version they read. Only that person may, whatever
// their role; a version changed since they read it is refused, so no one
// acknowledges what they have not seen. Acknowledging again what one has
// already acknowledged changes nothing.
func (db *DB) AcknowledgeCommunication(ctx context.Context, orgID, id, version int64) (*isms.CommunicationEntry, error) {
	var e *isms.CommunicationEntry
	err := db.write(ctx, "AcknowledgeCommunication", func(tx *Tx) error {
		a, err := tx.require(orgID, isms.PermView)
		if err != nil {
			return err
		}
		before, err := tx.communication(orgID, id)
		if err != nil {
			return err
		}
		if !a.AssignedTo(tx.actor.UserID, before.ResponsibleID) {
			return isms.Errorf(isms.EForbidden, "comm.err.not_responsible")
		}
		if before.Acknowledged() && before.Version == version {
			e = before
			return nil
		}
		if before.Status == isms.StatusRetired {
			return isms.Errorf(isms.EInvalid, "comm.err.retired")
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE communication_entries SET acknowledged_by = ?, acknowledged_at = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, tx.actor.UserID, ts(tx.now), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if e, err = tx.communication(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "acknowledge_responsibility", typeCommunication, id, commRecord(before), commRecord(e))
	})
	return e, err
}

func commPath(id int64) string { return "/communication/entries/" + strconv.FormatInt(id, 10) }
