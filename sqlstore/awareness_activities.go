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

// The awareness programme (guide 2.6): campaigns and activities, owned
// records; a contributor keeps the activities they own. An activity's
// themes, target units and target roles are rows of their own tables,
// replaced whole on every write.

const typeAwarenessActivity = "awareness_activity"

const awarenessColumns = `a.id, a.organisation_id, a.title, a.description, a.channel, a.target, a.starts_on, a.ends_on, a.owner_id,
	COALESCE(o.name, ''), a.wheel_activity_id, COALESCE(w.title, ''), a.status, a.held_on, a.exercise_sent, a.exercise_clicked,
	a.exercise_reported, a.version, a.created_at, a.updated_at`

const awarenessFrom = ` FROM awareness_activities a LEFT JOIN users o ON o.id = a.owner_id
	LEFT JOIN wheel_activities w ON w.id = a.wheel_activity_id`

func scanAwarenessActivity(row scanner) (*isms.AwarenessActivity, error) {
	var a isms.AwarenessActivity
	var owner, wheel, sent, clicked, reported sql.NullInt64
	if err := row.Scan(&a.ID, &a.OrganisationID, &a.Title, &a.Description, &a.Channel, &a.Target, scanDate{&a.StartsOn},
		scanDatePtr{&a.EndsOn}, &owner, &a.OwnerName, &wheel, &a.WheelActivityTitle, &a.Status, scanDatePtr{&a.HeldOn},
		&sent, &clicked, &reported, &a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("awareness activity")
		}
		return nil, err
	}
	a.OwnerID, a.WheelActivityID = int64Ptr(owner), int64Ptr(wheel)
	a.ExerciseSent, a.ExerciseClicked, a.ExerciseReported = intPtr(sent), intPtr(clicked), intPtr(reported)
	a.Themes, a.UnitIDs, a.RoleIDs = []string{}, []int64{}, []int64{}
	return &a, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func nullIntValue(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// fillAwarenessSets reads the themes, target units and target roles of
// the activities in one query each.
func (tx *Tx) fillAwarenessSets(orgID int64, acts []*isms.AwarenessActivity) error {
	if len(acts) == 0 {
		return nil
	}
	byID := make(map[int64]*isms.AwarenessActivity, len(acts))
	for _, a := range acts {
		byID[a.ID] = a
	}
	scope := " JOIN awareness_activities a ON a.id = x.activity_id WHERE a.organisation_id = ?"
	if len(acts) == 1 {
		scope += " AND a.id = " + strconv.FormatInt(acts[0].ID, 10)
	}
	if err := tx.queryEach("SELECT x.activity_id, x.theme FROM awareness_activity_themes x"+scope, []any{orgID}, func(row scanner) error {
		var id int64
		var t string
		if err := row.Scan(&id, &t); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Themes = append(a.Themes, t)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, set := range []struct {
		table, column string
		add           func(a *isms.AwarenessActivity, id int64)
	}{
		{"awareness_activity_units", "unit_id", func(a *isms.AwarenessActivity, id int64) { a.UnitIDs = append(a.UnitIDs, id) }},
		{"awareness_activity_roles", "role_id", func(a *isms.AwarenessActivity, id int64) { a.RoleIDs = append(a.RoleIDs, id) }},
	} {
		if err := tx.queryEach("SELECT x.activity_id, x."+set.column+" FROM "+set.table+" x"+scope, []any{orgID}, func(row scanner) error {
			var id, ref int64
			if err := row.Scan(&id, &ref); err != nil {
				return err
			}
			if a := byID[id]; a != nil {
				set.add(a, ref)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for _, a := range acts {
		a.Themes = orderThemes(a.Themes)
		slices.Sort(a.UnitIDs)
		slices.Sort(a.RoleIDs)
	}
	return nil
}

// orderThemes puts the known themes first in their order, then the
// organisation's own alphabetically.
func orderThemes(ts []string) []string {
	out := []string{}
	for _, t := range isms.AwarenessThemes {
		if slices.Contains(ts, t) {
			out = append(out, t)
		}
	}
	var own []string
	for _, t := range ts {
		if !isms.KnownTheme(t) {
			own = append(own, t)
		}
	}
	slices.Sort(own)
	return append(out, own...)
}

func (tx *Tx) awarenessActivity(orgID, id int64) (*isms.AwarenessActivity, error) {
	a, err := scanAwarenessActivity(tx.queryRow("SELECT "+awarenessColumns+awarenessFrom+" WHERE a.organisation_id = ? AND a.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	return a, tx.fillAwarenessSets(orgID, []*isms.AwarenessActivity{a})
}

// awarenessActivityDetail is one activity with the count of its
// participations and where its wheel activity stands.
func (tx *Tx) awarenessActivityDetail(orgID, id int64) (*isms.AwarenessActivity, error) {
	a, err := tx.awarenessActivity(orgID, id)
	if err != nil {
		return nil, err
	}
	if a.Participations, err = tx.count("SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ? AND activity_id = ?", orgID, id); err != nil {
		return nil, err
	}
	if a.WheelActivityID != nil {
		if a.Rhythm, err = tx.awarenessRhythm(orgID, *a.WheelActivityID); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (tx *Tx) awarenessActivities(orgID int64, f isms.AwarenessActivityFilter) ([]*isms.AwarenessActivity, error) {
	q := "SELECT " + awarenessColumns + awarenessFrom + " WHERE a.organisation_id = ?"
	args := []any{orgID}
	if f.Channel != "" {
		q += " AND a.channel = ?"
		args = append(args, f.Channel)
	}
	if f.Status != "" {
		q += " AND a.status = ?"
		args = append(args, f.Status)
	}
	if f.Theme != "" {
		q += " AND EXISTS (SELECT 1 FROM awareness_activity_themes t WHERE t.activity_id = a.id AND t.theme = ?)"
		args = append(args, f.Theme)
	}
	if f.Year != 0 {
		year := strconv.Itoa(f.Year)
		q += " AND a.starts_on <= ? AND COALESCE(a.ends_on, a.starts_on) >= ?"
		args = append(args, year+"-12-31", year+"-01-01")
	}
	acts, err := queryAll(tx, scanAwarenessActivity, q+" ORDER BY a.starts_on DESC, a.title, a.id", args...)
	if err != nil {
		return nil, err
	}
	return acts, tx.fillAwarenessSets(orgID, acts)
}

func (tx *Tx) validateAwarenessActivity(orgID int64, in *isms.AwarenessActivityInput) error {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	themes := []string{}
	for _, t := range in.Themes {
		t = strings.TrimSpace(t)
		switch {
		case t == "" || slices.Contains(themes, t):
		case !isms.KnownTheme(t) && len([]rune(t)) > isms.MaxOwnThemeLength:
			v.Add("themes", "awareness.err.theme_long")
		default:
			themes = append(themes, t)
		}
	}
	in.Themes = themes
	if len(in.Themes) == 0 {
		v.Add("themes", "awareness.err.theme_required")
	}
	if !in.Channel.Valid() {
		v.Add("channel", "err.choice")
	}
	if !in.Target.Valid() {
		v.Add("target", "err.choice")
	}
	if in.Target != isms.TargetUnits {
		in.UnitIDs = nil
	}
	if in.Target != isms.TargetRoles {
		in.RoleIDs = nil
	}
	if err := tx.checkAwarenessRefs(&v, orgID, in); err != nil {
		return err
	}
	if in.StartsOn == nil {
		v.Add("starts_on", "err.required")
	} else if in.EndsOn != nil && in.EndsOn.Before(*in.StartsOn) {
		v.Add("ends_on", "awareness.err.ends_before_start")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.Status == "" {
		in.Status = isms.AwarenessPlanned
	}
	if !in.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if in.Status == isms.AwarenessHeld && in.HeldOn == nil {
		v.Add("held_on", "awareness.err.held_on_required")
	}
	if in.Status != isms.AwarenessHeld {
		in.HeldOn = nil
	}
	if in.HeldOn != nil && tx.Today().Before(*in.HeldOn) {
		v.Add("held_on", "awareness.err.held_future")
	}
	if in.Channel != isms.ChannelPhishing {
		in.ExerciseSent, in.ExerciseClicked, in.ExerciseReported = nil, nil, nil
	}
	for _, c := range []struct {
		field string
		n     *int
	}{{"exercise_sent", in.ExerciseSent}, {"exercise_clicked", in.ExerciseClicked}, {"exercise_reported", in.ExerciseReported}} {
		if c.n != nil && *c.n < 0 {
			v.Add(c.field, "awareness.err.count_negative")
		}
	}
	if in.ExerciseSent == nil && (in.ExerciseClicked != nil || in.ExerciseReported != nil) {
		v.Add("exercise_sent", "awareness.err.sent_required")
	}
	if nw := in.NewWheelActivity; nw != nil {
		in.WheelActivityID = nil
		nw.RecordText = strings.TrimSpace(nw.RecordText)
		switch nw.Recurrence {
		case isms.RecurMonthly, isms.RecurQuarterly, isms.RecurYearly:
		case isms.RecurMonths:
			if nw.IntervalMonths < 1 || nw.IntervalMonths > isms.MaxIntervalMonths {
				v.Add("wheel_interval_months", "wheel.err.interval", isms.MaxIntervalMonths)
			}
		default:
			v.Add("wheel_recurrence", "awareness.err.wheel_recurrence")
		}
		requireText(&v, "wheel_record_text", nw.RecordText, 2000)
	}
	if in.ExerciseSent != nil {
		if in.ExerciseClicked != nil && *in.ExerciseClicked > *in.ExerciseSent {
			v.Add("exercise_clicked", "awareness.err.more_than_sent")
		}
		if in.ExerciseReported != nil && *in.ExerciseReported > *in.ExerciseSent {
			v.Add("exercise_reported", "awareness.err.more_than_sent")
		}
	}
	return v.Err()
}

// checkAwarenessRefs checks that the target units and roles and the
// annual wheel's activity are the organisation's.
func (tx *Tx) checkAwarenessRefs(v *isms.Validation, orgID int64, in *isms.AwarenessActivityInput) error {
	in.UnitIDs, in.RoleIDs = uniqueIDs(in.UnitIDs), uniqueIDs(in.RoleIDs)
	for _, ref := range []struct {
		field, table string
		ids          []int64
	}{{"unit_ids", "org_units", in.UnitIDs}, {"role_ids", "security_roles", in.RoleIDs}} {
		for _, id := range ref.ids {
			n, err := tx.count("SELECT COUNT(*) FROM "+ref.table+" WHERE organisation_id = ? AND id = ?", orgID, id)
			if err != nil {
				return err
			}
			if n == 0 {
				v.Add(ref.field, "err.unknown_reference")
				break
			}
		}
	}
	if in.Target == isms.TargetUnits && len(in.UnitIDs) == 0 {
		v.Add("unit_ids", "awareness.err.units_required")
	}
	if in.Target == isms.TargetRoles && len(in.RoleIDs) == 0 {
		v.Add("role_ids", "awareness.err.roles_required")
	}
	if in.WheelActivityID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM wheel_activities WHERE organisation_id = ? AND id = ?", orgID, *in.WheelActivityID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("wheel_activity_id", "err.unknown_reference")
		}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func (tx *Tx) setAwarenessSets(id int64, in *isms.AwarenessActivityInput) error {
	for _, table := range []string{"awareness_activity_themes", "awareness_activity_units", "awareness_activity_roles"} {
		if _, err := tx.exec("DELETE FROM "+table+" WHERE activity_id = ?", id); err != nil {
			return err
		}
	}
	for _, t := range in.Themes {
		if _, err := tx.exec("INSERT INTO awareness_activity_themes (activity_id, theme) VALUES (?, ?)", id, t); err != nil {
			return err
		}
	}
	for _, u := range in.UnitIDs {
		if _, err := tx.exec("INSERT INTO awareness_activity_units (activity_id, unit_id) VALUES (?, ?)", id, u); err != nil {
			return err
		}
	}
	for _, r := range in.RoleIDs {
		if _, err := tx.exec("INSERT INTO awareness_activity_roles (activity_id, role_id) VALUES (?, ?)", id, r); err != nil {
			return err
		}
	}
	return nil
}

func awarenessRecord(a *isms.AwarenessActivity) map[string]any {
	rec := map[string]any{"title": a.Title, "description": a.Description, "themes": a.Themes, "channel": a.Channel, "target": a.Target,
		"unit_ids": a.UnitIDs, "role_ids": a.RoleIDs, "starts_on": a.StartsOn.String(), "ends_on": dateArg(a.EndsOn),
		"owner": a.OwnerName, "wheel_activity": a.WheelActivityTitle, "status": a.Status, "held_on": dateArg(a.HeldOn)}
	if a.ExerciseSent != nil {
		rec["exercise_sent"], rec["exercise_clicked"], rec["exercise_reported"] = a.ExerciseSent, a.ExerciseClicked, a.ExerciseReported
	}
	return rec
}

// AwarenessActivities lists the programme, newest first.
func (db *DB) AwarenessActivities(ctx context.Context, orgID int64, f isms.AwarenessActivityFilter) ([]*isms.AwarenessActivity, error) {
	return view(db, ctx, "AwarenessActivities", orgID, func(tx *Tx) ([]*isms.AwarenessActivity, error) {
		return tx.awarenessActivities(orgID, f)
	})
}

// AwarenessActivity reads one activity.
func (db *DB) AwarenessActivity(ctx context.Context, orgID, id int64) (*isms.AwarenessActivity, error) {
	return view(db, ctx, "AwarenessActivity", orgID, func(tx *Tx) (*isms.AwarenessActivity, error) {
		return tx.awarenessActivityDetail(orgID, id)
	})
}

// CreateAwarenessActivity adds an activity to the programme; a
// contributor may add the activities they own.
func (db *DB) CreateAwarenessActivity(ctx context.Context, orgID int64, in isms.AwarenessActivityInput) (*isms.AwarenessActivity, error) {
	var a *isms.AwarenessActivity
	err := db.write(ctx, "CreateAwarenessActivity", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateAwarenessActivity(orgID, &in); err != nil {
			return err
		}
		if err := tx.newAwarenessWheelActivity(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO awareness_activities (organisation_id, title, title_key, description, channel, target, starts_on,
			ends_on, owner_id, wheel_activity_id, status, held_on, exercise_sent, exercise_clicked, exercise_reported, version, created_at,
			updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Title, isms.CompareKey(in.Title), in.Description, in.Channel, in.Target, dateArg(in.StartsOn), dateArg(in.EndsOn),
			nullInt(in.OwnerID), nullInt(in.WheelActivityID), in.Status, dateArg(in.HeldOn), nullIntValue(in.ExerciseSent),
			nullIntValue(in.ExerciseClicked), nullIntValue(in.ExerciseReported), now, now)
		if err != nil {
			return err
		}
		if err := tx.setAwarenessSets(id, &in); err != nil {
			return err
		}
		if a, err = tx.awarenessActivityDetail(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeAwarenessActivity, id, nil, awarenessRecord(a))
	})
	return a, err
}

// UpdateAwarenessActivity changes an activity, refusing a stale version.
func (db *DB) UpdateAwarenessActivity(ctx context.Context, orgID, id int64, in isms.AwarenessActivityInput) (*isms.AwarenessActivity, error) {
	var a *isms.AwarenessActivity
	err := db.write(ctx, "UpdateAwarenessActivity", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.awarenessActivity(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateAwarenessActivity(orgID, &in); err != nil {
			return err
		}
		if err := tx.newAwarenessWheelActivity(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE awareness_activities SET title = ?, title_key = ?, description = ?, channel = ?, target = ?,
			starts_on = ?, ends_on = ?, owner_id = ?, wheel_activity_id = ?, status = ?, held_on = ?, exercise_sent = ?,
			exercise_clicked = ?, exercise_reported = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, isms.CompareKey(in.Title), in.Description, in.Channel, in.Target, dateArg(in.StartsOn), dateArg(in.EndsOn),
			nullInt(in.OwnerID), nullInt(in.WheelActivityID), in.Status, dateArg(in.HeldOn), nullIntValue(in.ExerciseSent),
			nullIntValue(in.ExerciseClicked), nullIntValue(in.ExerciseReported), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setAwarenessSets(id, &in); err != nil {
			return err
		}
		if a, err = tx.awarenessActivityDetail(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeAwarenessActivity, id, awarenessRecord(before), awarenessRecord(a))
	})
	return a, err
}

// DeleteAwarenessActivity removes an activity. One with participation
// recorded is refused: the reach it shows would silently vanish; cancel
// it instead, or delete its participation first.
func (db *DB) DeleteAwarenessActivity(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteAwarenessActivity", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.awarenessActivity(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ? AND activity_id = ?", orgID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EConflict, "awareness.err.has_participation", n)
		}
		for _, table := range []string{"awareness_activity_themes", "awareness_activity_units", "awareness_activity_roles"} {
			if _, err := tx.exec("DELETE FROM "+table+" WHERE activity_id = ?", id); err != nil {
				return err
			}
		}
		return tx.deleteRecord(orgID, "awareness_activities", typeAwarenessActivity, id, awarenessRecord(before))
	})
}

// newAwarenessWheelActivity makes the annual wheel's activity an awareness
// activity asked for (NewWheelActivity), in the same transaction, and ties
// the activity to it: the activity's title and owner, serving guide 2.6,
// first due on the activity's start unless another day is given.
func (tx *Tx) newAwarenessWheelActivity(orgID int64, in *isms.AwarenessActivityInput) error {
	nw := in.NewWheelActivity
	if nw == nil {
		return nil
	}
	start := nw.StartDate
	if start == nil {
		start = in.StartsOn
	}
	wa, err := tx.createWheelActivity(orgID, isms.ActivityInput{Title: in.Title, Description: in.Description, OwnerID: in.OwnerID, Recurrence: nw.Recurrence,
		IntervalMonths: nw.IntervalMonths, StartDate: start, Serves: "guide:2.6", RecordText: nw.RecordText})
	if e := isms.AsError(err); e != nil {
		// The wheel's fields are the form's wheel_ fields.
		for i := range e.Fields {
			e.Fields[i].Field = "wheel_" + e.Fields[i].Field
		}
	}
	if err != nil {
		return err
	}
	in.WheelActivityID = &wa.ID
	in.NewWheelActivity = nil
	return nil
}

// awarenessRhythm reads where a wheel activity stands: its next open
// occurrence due today or later, and the last one due before today.
func (tx *Tx) awarenessRhythm(orgID, wheelID int64) (*isms.AwarenessRhythm, error) {
	r := &isms.AwarenessRhythm{WheelActivityID: wheelID}
	var status string
	if err := tx.queryRow("SELECT title, recurrence, interval_months, status FROM wheel_activities WHERE organisation_id = ? AND id = ?", orgID, wheelID).
		Scan(&r.Title, &r.Recurrence, &r.IntervalMonths, &status); err != nil {
		return nil, err
	}
	r.Active = status == string(isms.ActivityActive) && r.Recurrence != isms.RecurAdHoc
	today := tx.Today().String()
	var next isms.Date
	err := tx.queryRow(`SELECT id, due_date FROM wheel_occurrences WHERE organisation_id = ? AND activity_id = ? AND due_date >= ?
		AND status IN ('planned', 'in_progress') ORDER BY due_date, id LIMIT 1`, orgID, wheelID, today).Scan(&r.NextID, scanDate{&next})
	switch {
	case err == nil:
		r.NextDue = &next
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	var last isms.Date
	var lastStatus string
	err = tx.queryRow(`SELECT id, due_date, status, completed_on FROM wheel_occurrences WHERE organisation_id = ? AND activity_id = ? AND due_date < ?
		ORDER BY due_date DESC, id DESC LIMIT 1`, orgID, wheelID, today).Scan(&r.LastID, scanDate{&last}, &lastStatus, scanDatePtr{&r.LastCompletedOn})
	switch {
	case err == nil:
		r.LastDue, r.LastStatus = &last, isms.OccurrenceStatus(lastStatus)
		r.LastOnTime = r.LastStatus == isms.OccDone && r.LastCompletedOn != nil && !last.Before(*r.LastCompletedOn)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	return r, nil
}
