package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Monitoring and measurement (guide 2.9, clause 9.1): the monitoring
// guideline, the indicators of the measurement programme, their values
// and the breaches of their thresholds. A value is one per indicator and
// day (a unique index), so the daily computation run by two instances at
// once, or a person entering a value twice, leaves one. A breach is one
// per indicator and period (a unique index): a value past the warning
// threshold records it, a worse one later in the period raises it to a
// breach, and it stays until someone answers it with a nonconformity or a
// note.

const (
	typeIndicator           = "indicator"
	typeIndicatorValue      = "indicator_value"
	typeIndicatorBreach     = "indicator_breach"
	typeMonitoringGuideline = "monitoring_guideline"
)

func indicatorPath(id int64) string { return "/indicators/" + strconv.FormatInt(id, 10) }

const indColumns = `i.id, i.organisation_id, i.title, i.definition, i.method, i.source, i.computation, i.unit, i.direction,
	i.target, i.warning, i.breach, i.frequency, i.owner_id, COALESCE(u.name, ''), i.measured_by, i.evaluates, i.objective_id,
	COALESCE(o.title, ''), i.control, i.process, i.active,
	(SELECT v.value FROM indicator_values v WHERE v.indicator_id = i.id ORDER BY v.measured_on DESC LIMIT 1),
	(SELECT v.measured_on FROM indicator_values v WHERE v.indicator_id = i.id ORDER BY v.measured_on DESC LIMIT 1),
	(SELECT COUNT(*) FROM indicator_breaches b WHERE b.indicator_id = i.id AND b.nonconformity_id IS NULL AND b.handled_at IS NULL),
	i.version, i.created_at, i.updated_at`

const indFrom = ` FROM indicators i LEFT JOIN users u ON u.id = i.owner_id LEFT JOIN objectives o ON o.id = i.objective_id`

func scanIndicator(row scanner) (*isms.Indicator, error) {
	var i isms.Indicator
	var target, warning, breach, latest sql.NullFloat64
	var owner, obj sql.NullInt64
	var latestOn sql.NullString
	var source, direction, frequency, evaluates string
	var active int
	if err := row.Scan(&i.ID, &i.OrganisationID, &i.Title, &i.Definition, &i.Method, &source, &i.Computation, &i.Unit, &direction,
		&target, &warning, &breach, &frequency, &owner, &i.OwnerName, &i.MeasuredBy, &evaluates, &obj, &i.ObjectiveTitle,
		&i.Control, &i.Process, &active, &latest, &latestOn, &i.OpenBreaches, &i.Version, scanTime{&i.CreatedAt}, scanTime{&i.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("indicator")
		}
		return nil, err
	}
	i.Source, i.Direction, i.Frequency, i.Evaluates = isms.IndicatorSource(source), isms.IndicatorDirection(direction),
		isms.IndicatorFrequency(frequency), isms.IndicatorEvaluates(evaluates)
	i.Target, i.Warning, i.Breach, i.Latest = floatPtr(target), floatPtr(warning), floatPtr(breach), floatPtr(latest)
	i.OwnerID, i.ObjectiveID = int64Ptr(owner), int64Ptr(obj)
	i.LatestOn = parseDatePtr(latestOn)
	i.Active = active == 1
	return &i, nil
}

func (tx *Tx) indicator(orgID, id int64) (*isms.Indicator, error) {
	return scanIndicator(tx.queryRow("SELECT "+indColumns+indFrom+" WHERE i.organisation_id = ? AND i.id = ?", orgID, id))
}

// allIndicators reads every indicator of the organisation, once per
// transaction.
func (tx *Tx) allIndicators(orgID int64) ([]*isms.Indicator, error) {
	return remember(tx, "allIndicators:"+strconv.FormatInt(orgID, 10), func() ([]*isms.Indicator, error) {
		return queryAll(tx, scanIndicator, "SELECT "+indColumns+indFrom+" WHERE i.organisation_id = ? ORDER BY i.title, i.id", orgID)
	})
}

// badNumber reports a number the database cannot keep exactly or that is
// no measurement at all.
func badNumber(p *float64) bool {
	return p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0) || math.Abs(*p) > 1e12)
}

// validateIndicator checks an indicator's input. An active indicator must
// say who owns it; one computed by the product names a known computation,
// one measured by hand names none; the thresholds lie on the worse side
// of the target, the breach beyond the warning.
func (tx *Tx) validateIndicator(orgID int64, in *isms.IndicatorInput) error {
	for _, s := range []*string{&in.Title, &in.Unit, &in.Computation, &in.MeasuredBy, &in.Control, &in.Process} {
		*s = strings.TrimSpace(*s)
	}
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "definition", in.Definition, 5000)
	checkText(&v, "method", in.Method, 5000)
	requireText(&v, "unit", in.Unit, 50)
	checkText(&v, "measured_by", in.MeasuredBy, 200)
	checkText(&v, "process", in.Process, 300)
	if in.Source == "" {
		in.Source = isms.SourceHand
		if in.Computation != "" {
			in.Source = isms.SourceComputed
		}
	}
	switch in.Source {
	case isms.SourceHand:
		if in.Computation != "" {
			v.Add("computation", "meas.err.computation_manual")
		}
	case isms.SourceComputed:
		if !isms.ValidComputation(in.Computation) {
			v.Add("computation", "err.choice")
		}
	default:
		v.Add("source", "err.choice")
	}
	if !in.Direction.Valid() {
		v.Add("direction", "err.choice")
	}
	if !in.Frequency.Valid() {
		v.Add("frequency", "err.choice")
	}
	for _, n := range []struct {
		field string
		p     *float64
	}{{"target", in.Target}, {"warning", in.Warning}, {"breach", in.Breach}} {
		if badNumber(n.p) {
			v.Add(n.field, "obj.err.number")
		}
	}
	if in.Target == nil {
		v.Add("target", "err.required")
	}
	if in.Warning == nil && in.Breach == nil {
		v.Add("breach", "meas.err.threshold_required")
	}
	if !v.Has("target") && !v.Has("warning") && !v.Has("breach") && in.Direction.Valid() {
		in.CheckThresholds(&v)
	}
	if in.OwnerID == nil && in.Active {
		v.Add("owner_id", "meas.err.owner_required")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.Evaluates == "" {
		in.Evaluates = isms.EvaluatesProcess
	}
	switch in.Evaluates {
	case isms.EvaluatesObjective:
		if in.ObjectiveID == nil {
			v.Add("objective_id", "meas.err.objective_required")
		}
	case isms.EvaluatesControl:
		if in.Control == "" {
			v.Add("control", "meas.err.control_required")
		} else if id, ok := annexAControl(in.Control); !ok {
			v.Add("control", "nc.err.control")
		} else {
			in.Control = id
		}
	case isms.EvaluatesProcess:
		if in.Process == "" {
			v.Add("process", "meas.err.process_required")
		}
	default:
		v.Add("evaluates", "err.choice")
	}
	if in.ObjectiveID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM objectives WHERE organisation_id = ? AND id = ?", orgID, *in.ObjectiveID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("objective_id", "err.unknown_reference")
		}
	}
	return v.Err()
}

// indRecord is an indicator as the audit trail keeps it.
func indRecord(i *isms.Indicator) map[string]any {
	return map[string]any{"title": i.Title, "definition": i.Definition, "method": i.Method, "source": i.Source, "computation": i.Computation,
		"unit": i.Unit, "direction": i.Direction, "target": i.Target, "warning": i.Warning, "breach": i.Breach, "frequency": i.Frequency,
		"owner": i.OwnerName, "measured_by": i.MeasuredBy, "evaluates": i.Evaluates, "objective_id": i.ObjectiveID, "control": i.Control,
		"process": i.Process, "active": i.Active}
}

var indSorts = map[string]string{"title": "i.title", "owner": "u.name", "frequency": "i.frequency", "updated": "i.updated_at"}

// Indicators lists the measurement programme, filtered, sorted and
// paginated.
func (db *DB) Indicators(ctx context.Context, orgID int64, f isms.IndicatorFilter) ([]*isms.Indicator, int, error) {
	var out []*isms.Indicator
	var total int
	err := db.read(ctx, "Indicators", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE i.organisation_id = ?"
		args := []any{orgID}
		if f.Active {
			where += " AND i.active = 1"
		}
		if f.OwnerID != 0 {
			where += " AND i.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if f.Source != "" {
			where += " AND i.source = ?"
			args = append(args, string(f.Source))
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(i.title) LIKE ? OR LOWER(i.definition) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+indFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		order := orderBy(f.Sort, indSorts, "i.title")
		out, err = queryAll(tx, scanIndicator, "SELECT "+indColumns+indFrom+where+" ORDER BY "+order+", i.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		return err
	})
	return out, total, err
}

// Indicator reads one indicator.
func (db *DB) Indicator(ctx context.Context, orgID, id int64) (*isms.Indicator, error) {
	return view(db, ctx, "Indicator", orgID, func(tx *Tx) (*isms.Indicator, error) { return tx.indicator(orgID, id) })
}

// CreateIndicator adds an indicator to the programme. Contributors may add
// indicators they own themselves.
func (db *DB) CreateIndicator(ctx context.Context, orgID int64, in isms.IndicatorInput) (*isms.Indicator, error) {
	var ind *isms.Indicator
	err := db.write(ctx, "CreateIndicator", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateIndicator(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO indicators (organisation_id, title, definition, method, source, computation, unit, direction, target,
			warning, breach, frequency, owner_id, measured_by, evaluates, objective_id, control, process, active, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Title, in.Definition, in.Method, string(in.Source), in.Computation, in.Unit, string(in.Direction), nullFloat(in.Target),
			nullFloat(in.Warning), nullFloat(in.Breach), string(in.Frequency), nullInt(in.OwnerID), in.MeasuredBy, string(in.Evaluates),
			nullInt(in.ObjectiveID), in.Control, in.Process, b2i(in.Active), now, now)
		if err != nil {
			return err
		}
		if ind, err = tx.indicator(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeIndicator, id, nil, indRecord(ind))
	})
	return ind, err
}

// UpdateIndicator changes an indicator, refusing a stale version. Values
// and breaches already recorded stay as they were judged.
func (db *DB) UpdateIndicator(ctx context.Context, orgID, id int64, in isms.IndicatorInput) (*isms.Indicator, error) {
	var ind *isms.Indicator
	err := db.write(ctx, "UpdateIndicator", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.indicator(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateIndicator(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE indicators SET title = ?, definition = ?, method = ?, source = ?, computation = ?, unit = ?, direction = ?,
			target = ?, warning = ?, breach = ?, frequency = ?, owner_id = ?, measured_by = ?, evaluates = ?, objective_id = ?, control = ?,
			process = ?, active = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, in.Definition, in.Method, string(in.Source), in.Computation, in.Unit, string(in.Direction), nullFloat(in.Target),
			nullFloat(in.Warning), nullFloat(in.Breach), string(in.Frequency), nullInt(in.OwnerID), in.MeasuredBy, string(in.Evaluates),
			nullInt(in.ObjectiveID), in.Control, in.Process, b2i(in.Active), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if ind, err = tx.indicator(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeIndicator, id, indRecord(before), indRecord(ind))
	})
	return ind, err
}

// DeleteIndicator removes an indicator with its values and breaches. A
// nonconformity raised from a breach stays: it is a record of its own.
func (db *DB) DeleteIndicator(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteIndicator", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.indicator(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		for _, table := range []string{"indicator_breaches", "indicator_values"} {
			if _, err := tx.exec("DELETE FROM "+table+" WHERE organisation_id = ? AND indicator_id = ?", orgID, id); err != nil {
				return err
			}
		}
		return tx.deleteRecord(orgID, "indicators", typeIndicator, id, indRecord(before))
	})
}

const valColumns = `v.id, v.indicator_id, v.measured_on, v.value, v.note, v.source, v.recorded_by, COALESCE(u.name, ''), v.created_at`

const valFrom = ` FROM indicator_values v LEFT JOIN users u ON u.id = v.recorded_by`

func scanIndicatorValue(row scanner) (*isms.IndicatorValue, error) {
	var v isms.IndicatorValue
	var by sql.NullInt64
	if err := row.Scan(&v.ID, &v.IndicatorID, scanDate{&v.MeasuredOn}, &v.Value, &v.Note, &v.Source, &by, &v.RecordedName, scanTime{&v.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("value")
		}
		return nil, err
	}
	v.RecordedBy = int64Ptr(by)
	return &v, nil
}

func (tx *Tx) indicatorValues(orgID, id int64, where string, args ...any) ([]*isms.IndicatorValue, error) {
	return queryAll(tx, scanIndicatorValue, "SELECT "+valColumns+valFrom+" WHERE v.organisation_id = ? AND v.indicator_id = ?"+where+
		" ORDER BY v.measured_on, v.id", append([]any{orgID, id}, args...)...)
}

// IndicatorValues lists an indicator's values, oldest first, each with its
// level against the indicator's present thresholds.
func (db *DB) IndicatorValues(ctx context.Context, orgID, id int64) ([]*isms.IndicatorValue, error) {
	return view(db, ctx, "IndicatorValues", orgID, func(tx *Tx) ([]*isms.IndicatorValue, error) {
		ind, err := tx.indicator(orgID, id)
		if err != nil {
			return nil, err
		}
		vals, err := tx.indicatorValues(orgID, id, "")
		for _, v := range vals {
			v.Level = ind.Level(v.Value)
		}
		return vals, err
	})
}

func valueRecord(ind *isms.Indicator, v *isms.IndicatorValue) map[string]any {
	return map[string]any{"indicator": ind.Title, "measured_on": v.MeasuredOn.String(), "value": v.Value, "unit": ind.Unit, "note": v.Note, "source": v.Source}
}

// checkValue checks one value entered by hand or imported; prefix names
// the row of an import ("" for a single value).
func (tx *Tx) checkValue(v *isms.Validation, prefix string, in *isms.IndicatorValueInput) {
	if in.MeasuredOn == nil {
		v.Add(prefix+"measured_on", "err.required")
	} else if in.MeasuredOn.After(tx.now) {
		v.Add(prefix+"measured_on", "obj.err.future")
	}
	if in.Value == nil {
		v.Add(prefix+"value", "err.required")
	} else if badNumber(in.Value) {
		v.Add(prefix+"value", "obj.err.number")
	}
	in.Note = strings.TrimSpace(in.Note)
	checkText(v, prefix+"note", in.Note, 2000)
}

// mayMeasure checks that the caller may record values of an indicator
// measured by hand: whoever may edit it. A computed indicator takes no
// values by hand, so the product's computation is not overwritten.
func (tx *Tx) mayMeasure(orgID, id int64) (*isms.Indicator, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	ind, err := tx.indicator(orgID, id)
	if err != nil {
		return nil, err
	}
	if _, err := tx.requireEdit(orgID, ind.OwnerID); err != nil {
		return nil, err
	}
	if ind.Source == isms.SourceComputed {
		return nil, isms.Errorf(isms.EInvalid, "meas.err.computed_by_hand")
	}
	return ind, nil
}

// insertValue stores a value entered by hand or imported and records the
// period's breach it makes, if any. A second value of the same day is
// refused by field.
func (tx *Tx) insertValue(orgID int64, ind *isms.Indicator, in isms.IndicatorValueInput, source, field string) (*isms.IndicatorValue, error) {
	n, err := tx.count("SELECT COUNT(*) FROM indicator_values WHERE indicator_id = ? AND measured_on = ?", ind.ID, in.MeasuredOn.String())
	if err != nil {
		return nil, err
	}
	if n > 0 {
		var v isms.Validation
		v.Add(field, "meas.err.day_taken", in.MeasuredOn.String())
		return nil, v.Err()
	}
	vid, err := tx.insert(`INSERT INTO indicator_values (organisation_id, indicator_id, measured_on, value, note, source, recorded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, ind.ID, in.MeasuredOn.String(), *in.Value, in.Note, source, tx.actor.UserID, ts(tx.now))
	if err != nil {
		return nil, err
	}
	v, err := scanIndicatorValue(tx.queryRow("SELECT "+valColumns+valFrom+" WHERE v.organisation_id = ? AND v.id = ?", orgID, vid))
	if err != nil {
		return nil, err
	}
	v.Level = ind.Level(v.Value)
	if err := tx.audit(orgID, "create", typeIndicatorValue, vid, nil, valueRecord(ind, v)); err != nil {
		return nil, err
	}
	return v, tx.recordBreach(orgID, ind, v.MeasuredOn, v.Value)
}

// AddIndicatorValue records a value measured by hand.
func (db *DB) AddIndicatorValue(ctx context.Context, orgID, id int64, in isms.IndicatorValueInput) (*isms.IndicatorValue, error) {
	var out *isms.IndicatorValue
	err := db.write(ctx, "AddIndicatorValue", func(tx *Tx) error {
		ind, err := tx.mayMeasure(orgID, id)
		if err != nil {
			return err
		}
		var v isms.Validation
		tx.checkValue(&v, "", &in)
		if err := v.Err(); err != nil {
			return err
		}
		out, err = tx.insertValue(orgID, ind, in, "manual", "measured_on")
		return err
	})
	return out, err
}

// ImportIndicatorValues records several values at once (from a
// spreadsheet or another system): every row is checked first, each error
// names its row ("rows.3.value"), and either all are recorded or none.
func (db *DB) ImportIndicatorValues(ctx context.Context, orgID, id int64, imp isms.IndicatorValueImport) (*isms.ImportResult, error) {
	n, in := 0, imp.Rows
	err := db.write(ctx, "ImportIndicatorValues", func(tx *Tx) error {
		ind, err := tx.mayMeasure(orgID, id)
		if err != nil {
			return err
		}
		var v isms.Validation
		if len(in) == 0 {
			v.Add("rows", "meas.err.import_empty")
		}
		if len(in) > 1000 {
			v.Add("rows", "meas.err.import_too_many", 1000)
		}
		seen := map[string]int{}
		for k := range in {
			prefix := "rows." + strconv.Itoa(k+1) + "."
			tx.checkValue(&v, prefix, &in[k])
			if in[k].MeasuredOn != nil {
				day := in[k].MeasuredOn.String()
				if first, dup := seen[day]; dup {
					v.Add(prefix+"measured_on", "meas.err.import_dup", first)
				}
				seen[day] = k + 1
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		for k := range in {
			if _, err := tx.insertValue(orgID, ind, in[k], "import", "rows."+strconv.Itoa(k+1)+".measured_on"); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &isms.ImportResult{Recorded: n}, nil
}

// DeleteIndicatorValue removes a value recorded in error. A breach it
// made stays: someone has been told of it and answers it.
func (db *DB) DeleteIndicatorValue(ctx context.Context, orgID, id, valueID int64) error {
	return db.write(ctx, "DeleteIndicatorValue", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		ind, err := tx.indicator(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, ind.OwnerID); err != nil {
			return err
		}
		v, err := scanIndicatorValue(tx.queryRow("SELECT "+valColumns+valFrom+" WHERE v.organisation_id = ? AND v.indicator_id = ? AND v.id = ?", orgID, id, valueID))
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "indicator_values", typeIndicatorValue, valueID, valueRecord(ind, v))
	})
}

// recordBreach records the breach a value makes in its period: a new row
// when the period has none, a warning raised to a breach when the value is
// worse than the breach threshold, nothing otherwise. The unique index on
// (indicator, period) keeps it once however many writers record values of
// the period at once.
func (tx *Tx) recordBreach(orgID int64, ind *isms.Indicator, on isms.Date, value float64) error {
	level := ind.Level(value)
	var threshold float64
	switch level {
	case isms.LevelBreach:
		threshold = *ind.Breach
	case isms.LevelWarning:
		threshold = *ind.Warning
	default:
		return nil
	}
	period := ind.Frequency.Period(on)
	before, err := tx.breachOf(orgID, ind.ID, period)
	if err != nil && isms.ErrorCode(err) != isms.ENotFound {
		return err
	}
	if before != nil && !(before.Level == isms.LevelWarning && level == isms.LevelBreach) {
		return nil
	}
	if _, err := tx.exec(`INSERT INTO indicator_breaches (organisation_id, indicator_id, period, measured_on, value, level, threshold, version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
		ON CONFLICT (indicator_id, period) DO UPDATE SET measured_on = excluded.measured_on, value = excluded.value, level = excluded.level,
			threshold = excluded.threshold, version = indicator_breaches.version + 1
		WHERE indicator_breaches.level = 'warning' AND excluded.level = 'breach'`,
		orgID, ind.ID, period, on.String(), value, string(level), threshold, ts(tx.now)); err != nil {
		return err
	}
	after, err := tx.breachOf(orgID, ind.ID, period)
	if err != nil {
		return err
	}
	action := "create"
	var was any
	if before != nil {
		action, was = "update", breachRecord(before)
	}
	return tx.audit(orgID, action, typeIndicatorBreach, after.ID, was, breachRecord(after))
}

const breachColumns = `b.id, b.organisation_id, b.indicator_id, i.title, i.unit, i.owner_id, COALESCE(u.name, ''), b.period, b.measured_on, b.value,
	b.level, b.threshold, b.nonconformity_id, COALESCE(n.title, ''), b.handled_note, b.handled_by, COALESCE(h.name, ''), b.handled_at,
	b.version, b.created_at`

const breachFrom = ` FROM indicator_breaches b JOIN indicators i ON i.id = b.indicator_id LEFT JOIN users u ON u.id = i.owner_id
	LEFT JOIN nonconformities n ON n.id = b.nonconformity_id LEFT JOIN users h ON h.id = b.handled_by`

func scanBreach(row scanner) (*isms.IndicatorBreach, error) {
	var b isms.IndicatorBreach
	var owner, nc, by sql.NullInt64
	var level string
	if err := row.Scan(&b.ID, &b.OrganisationID, &b.IndicatorID, &b.IndicatorTitle, &b.Unit, &owner, &b.OwnerName, &b.Period,
		scanDate{&b.MeasuredOn}, &b.Value, &level, &b.Threshold, &nc, &b.NonconformityTitle, &b.HandledNote, &by, &b.HandledByName,
		scanTimePtr{&b.HandledAt}, &b.Version, scanTime{&b.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("breach")
		}
		return nil, err
	}
	b.Level = isms.IndicatorLevel(level)
	b.OwnerID, b.NonconformityID, b.HandledBy = int64Ptr(owner), int64Ptr(nc), int64Ptr(by)
	return &b, nil
}

func (tx *Tx) breachOf(orgID, indicatorID int64, period string) (*isms.IndicatorBreach, error) {
	return scanBreach(tx.queryRow("SELECT "+breachColumns+breachFrom+" WHERE b.organisation_id = ? AND b.indicator_id = ? AND b.period = ?", orgID, indicatorID, period))
}

func (tx *Tx) breach(orgID, id int64) (*isms.IndicatorBreach, error) {
	return scanBreach(tx.queryRow("SELECT "+breachColumns+breachFrom+" WHERE b.organisation_id = ? AND b.id = ?", orgID, id))
}

func breachRecord(b *isms.IndicatorBreach) map[string]any {
	return map[string]any{"indicator": b.IndicatorTitle, "period": b.Period, "measured_on": b.MeasuredOn.String(), "value": b.Value,
		"unit": b.Unit, "level": b.Level, "threshold": b.Threshold, "nonconformity_id": b.NonconformityID, "handled_note": b.HandledNote}
}

const breachOpenSQL = " AND b.nonconformity_id IS NULL AND b.handled_at IS NULL"

// IndicatorBreaches lists the breaches, newest first.
func (db *DB) IndicatorBreaches(ctx context.Context, orgID int64, f isms.BreachFilter) ([]*isms.IndicatorBreach, int, error) {
	var out []*isms.IndicatorBreach
	var total int
	err := db.read(ctx, "IndicatorBreaches", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE b.organisation_id = ?"
		args := []any{orgID}
		if f.Open {
			where += breachOpenSQL
		}
		if f.IndicatorID != 0 {
			where += " AND b.indicator_id = ?"
			args = append(args, f.IndicatorID)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+breachFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		out, err = queryAll(tx, scanBreach, "SELECT "+breachColumns+breachFrom+where+" ORDER BY b.measured_on DESC, b.id DESC LIMIT ? OFFSET ?",
			append(args, limit, f.Offset)...)
		return err
	})
	return out, total, err
}

// OpenMeasurementBreaches lists the breaches no one has responded to,
// oldest first, with the indicator's owner and the day measured: the
// notifications tell each owner of theirs.
func (db *DB) OpenMeasurementBreaches(ctx context.Context, orgID int64) ([]*isms.IndicatorBreach, error) {
	return view(db, ctx, "OpenMeasurementBreaches", orgID, func(tx *Tx) ([]*isms.IndicatorBreach, error) {
		return tx.openBreaches(orgID)
	})
}

func (tx *Tx) openBreaches(orgID int64) ([]*isms.IndicatorBreach, error) {
	return queryAll(tx, scanBreach, "SELECT "+breachColumns+breachFrom+" WHERE b.organisation_id = ?"+breachOpenSQL+" ORDER BY b.measured_on, b.id", orgID)
}

// openBreach reads a breach for a response: the caller may edit the
// indicator, sent the version read, and no one has answered it yet.
func (tx *Tx) openBreach(orgID, id, version int64) (*isms.IndicatorBreach, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	b, err := tx.breach(orgID, id)
	if err != nil {
		return nil, err
	}
	if err := tx.mayEdit(orgID, b.Version, version, b.OwnerID); err != nil {
		return nil, err
	}
	if !b.Open() {
		return nil, isms.Errorf(isms.EConflict, "meas.err.breach_answered")
	}
	return b, nil
}

// BreachNonconformity turns an open breach into a nonconformity in one
// step: source "measurement", the requirement the indicator evaluates (its
// Annex A control, or the organisation's own target), owned by the
// indicator's owner, detected on the day measured, linked to the breach.
func (db *DB) BreachNonconformity(ctx context.Context, orgID, breachID, version int64) (*isms.Nonconformity, error) {
	var n *isms.Nonconformity
	err := db.write(ctx, "BreachNonconformity", func(tx *Tx) error {
		b, err := tx.openBreach(orgID, breachID, version)
		if err != nil {
			return err
		}
		ind, err := tx.indicator(orgID, b.IndicatorID)
		if err != nil {
			return err
		}
		lang := tx.lang
		if lang == "" {
			lang = i18n.DA
		}
		in := isms.NonconformityInput{
			Title:       i18n.T(lang, "meas.nc.title", ind.Title, b.Period),
			Source:      isms.NCSourceMeasurement,
			SourceRef:   i18n.T(lang, "meas.nc.ref", ind.Title, b.Period),
			Description: i18n.T(lang, "meas.nc.description", b.ValueText(), ind.Unit, b.MeasuredOn.String(), i18n.T(lang, i18n.Key("meas.level."+string(b.Level))), b.ThresholdText(), ind.TargetText()),
			DetectedOn:  &b.MeasuredOn, ReportedBy: i18n.T(lang, "meas.nc.reported_by"), OwnerID: ind.OwnerID,
			RequirementKind: isms.NCReqOwn, Requirement: i18n.T(lang, "meas.nc.requirement", ind.Title, ind.TargetText(), ind.Unit),
		}
		if ind.Evaluates == isms.EvaluatesControl && ind.Control != "" {
			in.RequirementKind, in.Requirement = isms.NCReqControl, ind.Control
		}
		if n, err = tx.createNonconformity(orgID, in); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE indicator_breaches SET nonconformity_id = ?, version = version + 1 WHERE organisation_id = ? AND id = ?", n.ID, orgID, b.ID); err != nil {
			return err
		}
		after, err := tx.breach(orgID, b.ID)
		if err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeIndicatorBreach, b.ID, breachRecord(b), breachRecord(after))
	})
	return n, err
}

// HandleBreach closes an open breach with a note on how it was handled
// (a measurement error, a known cause already being dealt with).
func (db *DB) HandleBreach(ctx context.Context, orgID, breachID int64, in isms.BreachHandling) (*isms.IndicatorBreach, error) {
	var out *isms.IndicatorBreach
	err := db.write(ctx, "HandleBreach", func(tx *Tx) error {
		b, err := tx.openBreach(orgID, breachID, in.Version)
		if err != nil {
			return err
		}
		in.Note = strings.TrimSpace(in.Note)
		var v isms.Validation
		requireText(&v, "note", in.Note, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE indicator_breaches SET handled_note = ?, handled_by = ?, handled_at = ?, version = version + 1 WHERE organisation_id = ? AND id = ?",
			in.Note, tx.actor.UserID, ts(tx.now), orgID, b.ID); err != nil {
			return err
		}
		if out, err = tx.breach(orgID, b.ID); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeIndicatorBreach, b.ID, breachRecord(b), breachRecord(out))
	})
	return out, err
}

const guidelineColumns = `g.organisation_id, g.scope, g.methods, g.analysis, g.forum_id, COALESCE(f.name, ''), g.report_to, g.report_months,
	g.updated_by, COALESCE(u.name, ''), g.updated_at, g.version`

func scanGuideline(row scanner) (*isms.MonitoringGuideline, error) {
	var g isms.MonitoringGuideline
	var forum, by sql.NullInt64
	if err := row.Scan(&g.OrganisationID, &g.Scope, &g.Methods, &g.Analysis, &forum, &g.ForumName, &g.ReportTo, &g.ReportMonths,
		&by, &g.UpdatedByName, scanTimePtr{&g.UpdatedAt}, &g.Version); err != nil {
		return nil, err
	}
	g.ForumID, g.UpdatedBy = int64Ptr(forum), int64Ptr(by)
	return &g, nil
}

// guideline reads the organisation's guideline; one never written is
// empty, at version 0.
func (tx *Tx) guideline(orgID int64) (*isms.MonitoringGuideline, error) {
	g, err := scanGuideline(tx.queryRow("SELECT "+guidelineColumns+` FROM monitoring_guidelines g LEFT JOIN forums f ON f.id = g.forum_id
		LEFT JOIN users u ON u.id = g.updated_by WHERE g.organisation_id = ?`, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return &isms.MonitoringGuideline{OrganisationID: orgID}, nil
	}
	return g, err
}

// MonitoringGuideline reads the organisation's monitoring guideline.
func (db *DB) MonitoringGuideline(ctx context.Context, orgID int64) (*isms.MonitoringGuideline, error) {
	return view(db, ctx, "MonitoringGuideline", orgID, func(tx *Tx) (*isms.MonitoringGuideline, error) { return tx.guideline(orgID) })
}

func guidelineRecord(g *isms.MonitoringGuideline) map[string]any {
	return map[string]any{"scope": g.Scope, "methods": g.Methods, "analysis": g.Analysis, "forum": g.ForumName, "report_to": g.ReportTo,
		"report_months": g.ReportMonths}
}

// SaveMonitoringGuideline sets the guideline, refusing a stale version
// (0 for the first).
func (db *DB) SaveMonitoringGuideline(ctx context.Context, orgID int64, in isms.MonitoringGuidelineInput) (*isms.MonitoringGuideline, error) {
	var g *isms.MonitoringGuideline
	err := db.write(ctx, "SaveMonitoringGuideline", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.guideline(orgID)
		if err != nil {
			return err
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		for _, s := range []*string{&in.Scope, &in.Methods, &in.Analysis, &in.ReportTo} {
			*s = strings.TrimSpace(*s)
		}
		var v isms.Validation
		requireText(&v, "scope", in.Scope, 10000)
		requireText(&v, "methods", in.Methods, 10000)
		requireText(&v, "analysis", in.Analysis, 10000)
		checkText(&v, "report_to", in.ReportTo, 300)
		if in.ForumID == nil && in.ReportTo == "" {
			v.Add("forum_id", "meas.err.audience_required")
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
		if in.ReportMonths < 1 || in.ReportMonths > 12 {
			v.Add("report_months", "meas.err.report_months")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO monitoring_guidelines (organisation_id, scope, methods, analysis, forum_id, report_to, report_months, updated_by, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT (organisation_id) DO UPDATE SET scope = excluded.scope, methods = excluded.methods, analysis = excluded.analysis,
				forum_id = excluded.forum_id, report_to = excluded.report_to, report_months = excluded.report_months, updated_by = excluded.updated_by,
				updated_at = excluded.updated_at, version = monitoring_guidelines.version + 1`,
			orgID, in.Scope, in.Methods, in.Analysis, nullInt(in.ForumID), in.ReportTo, in.ReportMonths, tx.actor.UserID, ts(tx.now)); err != nil {
			return err
		}
		if g, err = tx.guideline(orgID); err != nil {
			return err
		}
		action := "update"
		var was any = guidelineRecord(before)
		if before.Version == 0 {
			action, was = "create", nil
		}
		return tx.audit(orgID, action, typeMonitoringGuideline, orgID, was, guidelineRecord(g))
	})
	return g, err
}
