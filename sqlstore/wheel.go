package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// The annual wheel (guide 2.2 and 2.9): activities and their occurrences.
// Year plans are in wheel_plan.go, the feed in wheel_feed.go, reminders in
// reminders.go and the topic source in wheel_sources.go.

// Record types of the annual wheel in the audit trail.
const (
	typeWheelActivity   = "wheel_activity"
	typeWheelOccurrence = "wheel_occurrence"
	typeWheelYear       = "wheel_year"
	typeYearPlan        = "wheel_year_plan"
	typeWheelFeed       = "wheel_feed"
)

// Years outside this distance from today cannot be laid out: a wheel is
// about the years around now, and the bound keeps a stray request from
// filling the database.
const wheelYearReach = 5

const wheelActivityColumns = `a.id, a.organisation_id, a.title, a.description, a.owner_id, COALESCE(u.name, ''), a.recurrence, a.interval_months,
	a.start_date, a.due_day, a.end_date, a.adhoc_dates, a.serves, a.record_text, a.remind_days, a.status, a.version, a.created_at, a.updated_at`

const wheelActivityFrom = " FROM wheel_activities a LEFT JOIN users u ON u.id = a.owner_id"

func scanWheelActivity(row scanner) (*isms.Activity, error) {
	var a isms.Activity
	var owner sql.NullInt64
	var rec, start, dates, status string
	if err := row.Scan(&a.ID, &a.OrganisationID, &a.Title, &a.Description, &owner, &a.OwnerName, &rec, &a.IntervalMonths,
		&start, &a.DueDay, scanDatePtr{&a.EndDate}, &dates, &a.Serves, &a.RecordText, &a.RemindDays, &status, &a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("activity")
		}
		return nil, err
	}
	a.OwnerID, a.Recurrence, a.Status = int64Ptr(owner), isms.Recurrence(rec), isms.ActivityStatus(status)
	a.StartDate, _ = isms.ParseDate(start)
	a.Dates = []isms.Date{}
	for _, s := range strings.Split(dates, ",") {
		if d, err := isms.ParseDate(s); err == nil {
			a.Dates = append(a.Dates, d)
		}
	}
	a.Topics = []string{}
	return &a, nil
}

// wheelActivityTopics returns the topics of every activity of an organisation,
// in the order of isms.ManagementTopics.
func (tx *Tx) wheelActivityTopics(orgID int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := tx.queryEach("SELECT activity_id, topic FROM wheel_activity_topics WHERE organisation_id = ?", []any{orgID}, func(row scanner) error {
		var id int64
		var t string
		if err := row.Scan(&id, &t); err != nil {
			return err
		}
		out[id] = append(out[id], t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id := range out {
		out[id] = orderWheelTopics(out[id])
	}
	return out, nil
}

func orderWheelTopics(ts []string) []string {
	out := []string{}
	for _, t := range isms.ManagementTopics {
		if slices.Contains(ts, t) {
			out = append(out, t)
		}
	}
	return out
}

func (tx *Tx) wheelActivity(orgID, id int64) (*isms.Activity, error) {
	a, err := scanWheelActivity(tx.queryRow("SELECT "+wheelActivityColumns+wheelActivityFrom+" WHERE a.organisation_id = ? AND a.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	ts, err := tx.texts("SELECT topic FROM wheel_activity_topics WHERE activity_id = ?", id)
	if err != nil {
		return nil, err
	}
	a.Topics = orderWheelTopics(ts)
	return a, nil
}

// wheelAnnexRefs is the set of Annex A 2022 control ids an activity may serve.
var wheelAnnexRefs = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range catalog.AnnexA2022() {
		m[c.ID] = true
	}
	return m
})

// ValidWheelServes reports whether s names a guide element, a clause of the
// standard or an Annex A control (or is empty).
func ValidWheelServes(s string) bool {
	if s == "" {
		return true
	}
	kind, ref := isms.ServesKind(s)
	switch kind {
	case "guide":
		return slices.Contains(isms.GuideSections, ref)
	case "clause":
		return slices.Contains(isms.StandardClauses, ref)
	case "annex":
		return wheelAnnexRefs()[ref]
	}
	return false
}

func wheelValidYear(y int) bool { return y >= 2000 && y <= 2100 }

// validateWheelActivity checks an activity's input and fills in the defaults.
func (tx *Tx) validateWheelActivity(orgID int64, in *isms.ActivityInput) error {
	in.Title = strings.TrimSpace(in.Title)
	in.RecordText = strings.TrimSpace(in.RecordText)
	var v isms.Validation
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	requireText(&v, "record_text", in.RecordText, 2000)
	if !in.Recurrence.Valid() {
		v.Add("recurrence", "err.choice")
	}
	switch in.Recurrence {
	case isms.RecurMonths:
		if in.IntervalMonths < 1 || in.IntervalMonths > isms.MaxIntervalMonths {
			v.Add("interval_months", "wheel.err.interval", isms.MaxIntervalMonths)
		}
	case isms.RecurMonthly:
		in.IntervalMonths = 1
	case isms.RecurQuarterly:
		in.IntervalMonths = 3
	case isms.RecurYearly:
		in.IntervalMonths = 12
	default:
		in.IntervalMonths = 0
	}
	if in.Recurrence == isms.RecurAdHoc {
		if len(in.Dates) == 0 {
			v.Add("dates", "wheel.err.dates_required")
		} else if len(in.Dates) > 100 {
			v.Add("dates", "wheel.err.too_many_dates", 100)
		}
		seen := map[string]bool{}
		var kept []isms.Date
		for _, d := range in.Dates {
			if !wheelValidYear(d.Year()) {
				v.Add("dates", "wheel.err.date_range")
				break
			}
			if !seen[d.String()] {
				seen[d.String()] = true
				kept = append(kept, d)
			}
		}
		sort.Slice(kept, func(i, j int) bool { return kept[i].Before(kept[j]) })
		in.Dates = kept
		if len(kept) > 0 && in.StartDate == nil {
			first := kept[0]
			in.StartDate = &first
		}
		in.DueDay = 0
	} else {
		in.Dates = nil
	}
	if in.StartDate == nil {
		if !v.Has("dates") {
			v.Add("start_date", "err.required")
		}
	} else if !wheelValidYear(in.StartDate.Year()) {
		v.Add("start_date", "wheel.err.date_range")
	}
	if in.DueDay < 0 || in.DueDay > 31 {
		v.Add("due_day", "wheel.err.due_day")
	}
	if in.EndDate != nil {
		if !wheelValidYear(in.EndDate.Year()) {
			v.Add("end_date", "wheel.err.date_range")
		} else if in.StartDate != nil && in.EndDate.Before(*in.StartDate) {
			v.Add("end_date", "wheel.err.end_before_start")
		}
	}
	if !ValidWheelServes(in.Serves) {
		v.Add("serves", "err.choice")
	}
	seen := map[string]bool{}
	for _, t := range in.Topics {
		if !isms.ValidTopic(t) {
			v.Add("topics", "wheel.err.topic", t)
			break
		}
		seen[t] = true
	}
	var topics []string
	for t := range seen {
		topics = append(topics, t)
	}
	in.Topics = orderWheelTopics(topics)
	if in.RemindDays == nil {
		d := isms.DefaultRemindDays
		in.RemindDays = &d
	} else if *in.RemindDays < 0 || *in.RemindDays > 90 {
		v.Add("remind_days", "wheel.err.remind_days", 90)
	}
	if in.Status == "" {
		in.Status = isms.ActivityActive
	}
	if !slices.Contains(isms.ActivityStatuses, in.Status) {
		v.Add("status", "err.choice")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	return v.Err()
}

func wheelJoinDates(ds []isms.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, ",")
}

func (tx *Tx) setWheelActivityTopics(orgID, id int64, topics []string) error {
	if _, err := tx.exec("DELETE FROM wheel_activity_topics WHERE activity_id = ?", id); err != nil {
		return err
	}
	for _, t := range topics {
		if _, err := tx.exec("INSERT INTO wheel_activity_topics (organisation_id, activity_id, topic) VALUES (?, ?, ?)", orgID, id, t); err != nil {
			return err
		}
	}
	return nil
}

// CreateWheelActivity adds an activity to the wheel and lays out its
// occurrences in this year, the next and every year already laid out.
// Contributors may add activities they own.
func (db *DB) CreateWheelActivity(ctx context.Context, orgID int64, in isms.ActivityInput) (*isms.Activity, error) {
	var a *isms.Activity
	err := db.write(ctx, "CreateWheelActivity", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		var err error
		a, err = tx.createWheelActivity(orgID, in)
		return err
	})
	return a, err
}

// createWheelActivity validates, inserts, lays out and audits a new
// activity; the caller has checked the caller's right to add it.
func (tx *Tx) createWheelActivity(orgID int64, in isms.ActivityInput) (*isms.Activity, error) {
	if err := tx.validateWheelActivity(orgID, &in); err != nil {
		return nil, err
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO wheel_activities (organisation_id, title, description, owner_id, recurrence, interval_months,
		start_date, due_day, end_date, adhoc_dates, serves, record_text, remind_days, status, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		orgID, in.Title, in.Description, nullInt(in.OwnerID), in.Recurrence, in.IntervalMonths, in.StartDate.String(), in.DueDay,
		dateArg(in.EndDate), wheelJoinDates(in.Dates), in.Serves, in.RecordText, *in.RemindDays, in.Status, now, now)
	if err != nil {
		return nil, err
	}
	if err := tx.setWheelActivityTopics(orgID, id, in.Topics); err != nil {
		return nil, err
	}
	a, err := tx.wheelActivity(orgID, id)
	if err != nil {
		return nil, err
	}
	if err := tx.wheelLayOutActivity(orgID, a); err != nil {
		return nil, err
	}
	return a, tx.audit(orgID, "create", typeWheelActivity, id, nil, a)
}

// UpdateWheelActivity changes an activity, refusing a stale version. Open
// occurrences that the new rule no longer gives are removed; new ones are
// laid out; occurrences already started, done or skipped stay as they are.
func (db *DB) UpdateWheelActivity(ctx context.Context, orgID, id int64, in isms.ActivityInput) (*isms.Activity, error) {
	var a *isms.Activity
	err := db.write(ctx, "UpdateWheelActivity", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.wheelActivity(orgID, id)
		if err != nil {
			return err
		}
		// A contributor must own the activity before and after the change.
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateWheelActivity(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE wheel_activities SET title = ?, description = ?, owner_id = ?, recurrence = ?, interval_months = ?,
			start_date = ?, due_day = ?, end_date = ?, adhoc_dates = ?, serves = ?, record_text = ?, remind_days = ?, status = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Title, in.Description, nullInt(in.OwnerID), in.Recurrence, in.IntervalMonths, in.StartDate.String(), in.DueDay,
			dateArg(in.EndDate), wheelJoinDates(in.Dates), in.Serves, in.RecordText, *in.RemindDays, in.Status, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setWheelActivityTopics(orgID, id, in.Topics); err != nil {
			return err
		}
		if a, err = tx.wheelActivity(orgID, id); err != nil {
			return err
		}
		if err := tx.wheelLayOutActivity(orgID, a); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeWheelActivity, id, before, a)
	})
	return a, err
}

// DeleteWheelActivity removes an activity with its open occurrences. One
// with done or skipped occurrences holds records and is retired instead.
func (db *DB) DeleteWheelActivity(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteWheelActivity", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.wheelActivity(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM wheel_occurrences WHERE activity_id = ? AND status IN ('done', 'skipped')", id)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EInvalid, "wheel.err.has_records", n)
		}
		// An awareness activity that the wheel brings round names the
		// wheel's activity: deleting it would silently take the programme's
		// recurrence (and checklist 4.7's evidence) with it, so the link is
		// removed in the programme first.
		var uses []string
		if err := tx.queryEach("SELECT title FROM awareness_activities WHERE organisation_id = ? AND wheel_activity_id = ? ORDER BY title",
			[]any{orgID, id}, func(row scanner) error {
				var t string
				if err := row.Scan(&t); err != nil {
					return err
				}
				uses = append(uses, t)
				return nil
			}); err != nil {
			return err
		}
		if len(uses) > 0 {
			return isms.Errorf(isms.EConflict, "wheel.err.used_by_awareness", strings.Join(uses, ", "))
		}
		for _, q := range []string{"DELETE FROM wheel_occurrences WHERE activity_id = ?", "DELETE FROM wheel_activity_topics WHERE activity_id = ?",
			"DELETE FROM wheel_activities WHERE id = ?"} {
			if _, err := tx.exec(q, id); err != nil {
				return err
			}
		}
		return tx.audit(orgID, "delete", typeWheelActivity, id, before, nil)
	})
}

// WheelActivity reads one activity.
func (db *DB) WheelActivity(ctx context.Context, orgID, id int64) (*isms.Activity, error) {
	return view(db, ctx, "WheelActivity", orgID, func(tx *Tx) (*isms.Activity, error) { return tx.wheelActivity(orgID, id) })
}

var wheelActivitySorts = map[string]string{
	"title": "a.title", "recurrence": "a.recurrence", "owner": "u.name", "status": "a.status", "start_date": "a.start_date",
}

// WheelActivities lists the activities, filtered, sorted and paginated.
func (db *DB) WheelActivities(ctx context.Context, orgID int64, f isms.ActivityFilter) ([]*isms.Activity, int, error) {
	var out []*isms.Activity
	var total int
	err := db.read(ctx, "WheelActivities", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE a.organisation_id = ?"
		args := []any{orgID}
		if f.Status != "" {
			where += " AND a.status = ?"
			args = append(args, f.Status)
		}
		if f.OwnerID != 0 {
			where += " AND a.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		if f.Topic != "" {
			where += " AND EXISTS (SELECT 1 FROM wheel_activity_topics t WHERE t.activity_id = a.id AND t.topic = ?)"
			args = append(args, f.Topic)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(a.title) LIKE ? OR LOWER(a.description) LIKE ? OR LOWER(a.record_text) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+wheelActivityFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		out, err = tx.wheelQueryActivities(orgID, where+" ORDER BY "+orderBy(f.Sort, wheelActivitySorts, "a.title")+", a.id LIMIT ? OFFSET ?",
			append(args, limit, f.Offset)...)
		return err
	})
	return out, total, err
}

// Laying out occurrences.

// wheelOpenYears returns the years laid out for an organisation.
// WheelYearLaidOut says whether a year's occurrences are laid out (see
// OpenWheelYear), for the pages that offer to lay it out.
func (db *DB) WheelYearLaidOut(ctx context.Context, orgID int64, year int) (bool, error) {
	var laidOut bool
	err := db.read(ctx, "WheelYearLaidOut", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		years, err := tx.wheelOpenYears(orgID)
		laidOut = years[year]
		return err
	})
	return laidOut, err
}

func (tx *Tx) wheelOpenYears(orgID int64) (map[int]bool, error) {
	return querySet[int](tx, "SELECT year FROM wheel_years WHERE organisation_id = ?", orgID)
}

// wheelMarkYearOpen records that a year is laid out; it reports whether it was
// new.
func (tx *Tx) wheelMarkYearOpen(orgID int64, year int) (bool, error) {
	r, err := tx.exec("INSERT INTO wheel_years (organisation_id, year, opened_at) VALUES (?, ?, ?) ON CONFLICT (organisation_id, year) DO NOTHING",
		orgID, year, ts(tx.now))
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

func wheelYearBounds(y int) (isms.Date, isms.Date) {
	return isms.MonthDay(y, 1, 1), isms.MonthDay(y, 12, 31)
}

// wheelLayOutActivity brings one activity's occurrences in line with its rule
// in this year, the next and every year already laid out: missing ones are
// added and open ones the rule no longer gives are removed. Started, done
// and skipped occurrences are records of work and stay.
func (tx *Tx) wheelLayOutActivity(orgID int64, a *isms.Activity) error {
	years, err := tx.wheelOpenYears(orgID)
	if err != nil {
		return err
	}
	this := tx.Today().Year()
	for _, y := range []int{this, this + 1} {
		if !years[y] {
			if _, err := tx.wheelMarkYearOpen(orgID, y); err != nil {
				return err
			}
			// A year laid out for the first time gets every activity.
			if _, err := tx.wheelLayOutYear(orgID, y); err != nil {
				return err
			}
			years[y] = true
		}
	}
	for y := range years {
		if _, err := tx.wheelLayOutActivityYear(orgID, a, y); err != nil {
			return err
		}
	}
	return nil
}

// wheelLayOutActivityYear adds the activity's missing occurrences in a year
// and removes its planned ones the rule no longer gives; it returns how
// many it added.
func (tx *Tx) wheelLayOutActivityYear(orgID int64, a *isms.Activity, year int) (int, error) {
	from, to := wheelYearBounds(year)
	dates := a.DueDates(from, to)
	want := map[string]bool{}
	added := 0
	now := ts(tx.now)
	for _, d := range dates {
		want[d.String()] = true
		r, err := tx.exec(`INSERT INTO wheel_occurrences (organisation_id, activity_id, planned_date, due_date, status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'planned', 1, ?, ?) ON CONFLICT (activity_id, planned_date) DO NOTHING`, orgID, a.ID, d.String(), d.String(), now, now)
		if err != nil {
			return 0, err
		}
		if n, _ := r.RowsAffected(); n > 0 {
			added++
		}
	}
	rows, err := tx.query(`SELECT id, planned_date FROM wheel_occurrences WHERE activity_id = ? AND status = 'planned'
		AND planned_date >= ? AND planned_date <= ?`, a.ID, from.String(), to.String())
	if err != nil {
		return 0, err
	}
	var stale []int64
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			rows.Close()
			return 0, err
		}
		if !want[d] {
			stale = append(stale, id)
		}
	}
	rows.Close()
	for _, id := range stale {
		if _, err := tx.exec("DELETE FROM wheel_occurrences WHERE id = ?", id); err != nil {
			return 0, err
		}
	}
	return added, rows.Err()
}

// wheelLayOutYear lays out every activity's occurrences in a year.
func (tx *Tx) wheelLayOutYear(orgID int64, year int) (int, error) {
	acts, err := queryAll(tx, scanWheelActivity, "SELECT "+wheelActivityColumns+wheelActivityFrom+" WHERE a.organisation_id = ? AND a.status = 'active'", orgID)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, a := range acts {
		n, err := tx.wheelLayOutActivityYear(orgID, a, year)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func checkWheelYear(today isms.Date, year int) error {
	if year < today.Year()-wheelYearReach || year > today.Year()+wheelYearReach {
		var v isms.Validation
		v.Add("year", "wheel.err.year", today.Year()-wheelYearReach, today.Year()+wheelYearReach)
		return v.Err()
	}
	return nil
}

// OpenWheelYear lays out a year's occurrences. It writes occurrences of
// every activity, whoever owns them, so it takes the right to edit every
// record (coordinators and administrators), like any other write. Reading
// a year never lays it out: the pages and the API show it as it stands and
// say whether it is laid out (WheelYearLaidOut, WheelCalendar.LaidOut). This year and the next are laid out whenever an
// activity changes and by the daily job of serve (LayOutWheelYears). A year
// already laid out is left alone (activities keep their own years up to
// date), so this is idempotent and writes nothing the second time.
func (db *DB) OpenWheelYear(ctx context.Context, orgID int64, year int) (int, error) {
	open := false
	err := db.read(ctx, "OpenWheelYear", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := checkWheelYear(tx.Today(), year); err != nil {
			return err
		}
		years, err := tx.wheelOpenYears(orgID)
		open = years[year]
		return err
	})
	if err != nil || open {
		return 0, err
	}
	added := 0
	err = db.write(ctx, "OpenWheelYear", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		isNew, err := tx.wheelMarkYearOpen(orgID, year)
		if err != nil || !isNew {
			return err // another request laid it out meanwhile
		}
		if added, err = tx.wheelLayOutYear(orgID, year); err != nil {
			return err
		}
		return tx.audit(orgID, "wheel_generate", typeWheelYear, int64(year), nil, map[string]any{"year": year, "occurrences": added})
	})
	return added, err
}

// Occurrences.

const wheelOccurrenceColumns = `o.id, o.organisation_id, o.activity_id, a.title, a.owner_id, COALESCE(u.name, ''), a.record_text,
	o.planned_date, o.due_date, o.status, o.skip_reason, o.result, o.comment, o.completed_on, o.completed_by, COALESCE(c.name, ''),
	o.completed_at, o.evidence_path, o.evidence_ref, o.version, o.created_at, o.updated_at`

const wheelOccurrenceFrom = ` FROM wheel_occurrences o JOIN wheel_activities a ON a.id = o.activity_id
	LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN users c ON c.id = o.completed_by`

func scanWheelOccurrence(row scanner, today isms.Date) (*isms.Occurrence, error) {
	var o isms.Occurrence
	var owner, by sql.NullInt64
	var planned, due, status string
	if err := row.Scan(&o.ID, &o.OrganisationID, &o.ActivityID, &o.ActivityTitle, &owner, &o.OwnerName, &o.RecordText,
		&planned, &due, &status, &o.SkipReason, &o.Result, &o.Comment, scanDatePtr{&o.CompletedOn}, &by, &o.CompletedByName,
		scanTimePtr{&o.CompletedAt}, &o.EvidencePath, &o.EvidenceRef, &o.Version, scanTime{&o.CreatedAt}, scanTime{&o.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("occurrence")
		}
		return nil, err
	}
	o.OwnerID, o.CompletedBy = int64Ptr(owner), int64Ptr(by)
	o.PlannedDate, _ = isms.ParseDate(planned)
	o.DueDate, _ = isms.ParseDate(due)
	o.Status = isms.OccurrenceStatus(status)
	o.Overdue = o.Status.Open() && o.DueDate.Before(today)
	o.Topics = []string{}
	return &o, nil
}

func (tx *Tx) wheelOccurrence(orgID, id int64) (*isms.Occurrence, error) {
	o, err := scanWheelOccurrence(tx.queryRow("SELECT "+wheelOccurrenceColumns+wheelOccurrenceFrom+" WHERE o.organisation_id = ? AND o.id = ?", orgID, id), tx.Today())
	if err != nil {
		return nil, err
	}
	a, err := tx.wheelActivity(orgID, o.ActivityID)
	if err != nil {
		return nil, err
	}
	o.Topics = a.Topics
	return o, nil
}

var wheelOccurrenceSorts = map[string]string{
	"due_date": "o.due_date", "activity": "a.title", "owner": "u.name", "status": "o.status",
}

// occurrences lists occurrences matching a filter (no role check).
func (tx *Tx) wheelOccurrences(orgID int64, f isms.OccurrenceFilter) ([]*isms.Occurrence, int, error) {
	where := " WHERE o.organisation_id = ?"
	args := []any{orgID}
	if f.Year != 0 {
		from, to := wheelYearBounds(f.Year)
		where += " AND o.due_date >= ? AND o.due_date <= ?"
		args = append(args, from.String(), to.String())
	}
	if f.From != nil {
		where += " AND o.due_date >= ?"
		args = append(args, f.From.String())
	}
	if f.To != nil {
		where += " AND o.due_date <= ?"
		args = append(args, f.To.String())
	}
	switch f.Status {
	case "":
	case "open":
		where += " AND o.status IN ('planned', 'in_progress')"
	case "overdue":
		where += " AND o.status IN ('planned', 'in_progress') AND o.due_date < ?"
		args = append(args, tx.Today().String())
	default:
		where += " AND o.status = ?"
		args = append(args, f.Status)
	}
	if f.ActivityID != 0 {
		where += " AND o.activity_id = ?"
		args = append(args, f.ActivityID)
	}
	if f.OwnerID != 0 {
		where += " AND a.owner_id = ?"
		args = append(args, f.OwnerID)
	}
	if f.Topic != "" {
		where += " AND EXISTS (SELECT 1 FROM wheel_activity_topics t WHERE t.activity_id = o.activity_id AND t.topic = ?)"
		args = append(args, f.Topic)
	}
	total, err := tx.count("SELECT COUNT(*)"+wheelOccurrenceFrom+where, args...)
	if err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 2000 {
		limit = 2000
	}
	out, err := tx.wheelQueryOccurrences(orgID, where+" ORDER BY "+orderBy(f.Sort, wheelOccurrenceSorts, "o.due_date")+", a.title, o.id LIMIT ? OFFSET ?",
		append(args, limit, f.Offset)...)
	return out, total, err
}

// wheelQueryOccurrences reads occurrences with their activities' topics; rest
// is the WHERE clause and what follows it, over wheelOccurrenceFrom.
func (tx *Tx) wheelQueryOccurrences(orgID int64, rest string, args ...any) ([]*isms.Occurrence, error) {
	today := tx.Today()
	out, err := queryAll(tx, func(row scanner) (*isms.Occurrence, error) { return scanWheelOccurrence(row, today) },
		"SELECT "+wheelOccurrenceColumns+wheelOccurrenceFrom+rest, args...)
	if err != nil {
		return nil, err
	}
	out = nonNilSlice(out)
	topics, err := tx.wheelActivityTopics(orgID)
	if err != nil {
		return nil, err
	}
	for _, o := range out {
		if t := topics[o.ActivityID]; t != nil {
			o.Topics = t
		}
	}
	return out, nil
}

func validWheelOccurrenceFilter(f isms.OccurrenceFilter) error {
	var v isms.Validation
	if f.Status != "" && f.Status != "open" && f.Status != "overdue" && !slices.Contains(isms.OccurrenceStatuses, isms.OccurrenceStatus(f.Status)) {
		v.Add("status", "err.choice")
	}
	if f.Topic != "" && !isms.ValidTopic(f.Topic) {
		v.Add("topic", "err.choice")
	}
	if f.Year != 0 && !wheelValidYear(f.Year) {
		v.Add("year", "wheel.err.date_range")
	}
	return v.Err()
}

// WheelOccurrences lists occurrences, filtered, sorted and paginated.
func (db *DB) WheelOccurrences(ctx context.Context, orgID int64, f isms.OccurrenceFilter) ([]*isms.Occurrence, int, error) {
	if err := validWheelOccurrenceFilter(f); err != nil {
		return nil, 0, err
	}
	var out []*isms.Occurrence
	var total int
	err := db.read(ctx, "WheelOccurrences", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		out, total, err = tx.wheelOccurrences(orgID, f)
		return err
	})
	return out, total, err
}

// WheelOccurrence reads one occurrence.
func (db *DB) WheelOccurrence(ctx context.Context, orgID, id int64) (*isms.Occurrence, error) {
	return view(db, ctx, "WheelOccurrence", orgID, func(tx *Tx) (*isms.Occurrence, error) { return tx.wheelOccurrence(orgID, id) })
}

// changeWheelOccurrence runs one change of an occurrence: the role check (the
// activity's owner or anyone who may edit; only editors when editorOnly),
// the version check, the change and its audit event.
func (db *DB) changeWheelOccurrence(ctx context.Context, orgID, id, version int64, action string, editorOnly bool,
	change func(tx *Tx, before *isms.Occurrence) error) (*isms.Occurrence, error) {
	var o *isms.Occurrence
	err := db.write(ctx, "changeWheelOccurrence", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.wheelOccurrence(orgID, id)
		if err != nil {
			return err
		}
		if editorOnly {
			if _, err := tx.require(orgID, isms.PermEdit); err != nil {
				return err
			}
		} else if _, err := tx.requireEdit(orgID, before.OwnerID); err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if err := change(tx, before); err != nil {
			return err
		}
		if o, err = tx.wheelOccurrence(orgID, id); err != nil {
			return err
		}
		act := action
		if action == "wheel_complete" && before.Status == isms.OccDone {
			act = "wheel_amend" // a completed record edited afterwards
		}
		return tx.audit(orgID, act, typeWheelOccurrence, id, before, o)
	})
	return o, err
}

// StartOccurrence marks a planned occurrence as in progress.
func (db *DB) StartOccurrence(ctx context.Context, orgID, id, version int64) (*isms.Occurrence, error) {
	return db.changeWheelOccurrence(ctx, orgID, id, version, "wheel_start", false, func(tx *Tx, before *isms.Occurrence) error {
		if before.Status != isms.OccPlanned {
			return isms.Errorf(isms.EInvalid, "wheel.err.not_planned")
		}
		_, err := tx.exec("UPDATE wheel_occurrences SET status = 'in_progress', version = version + 1, updated_at = ? WHERE id = ?", ts(tx.now), id)
		return err
	})
}

// CompleteOccurrence records an occurrence's outcome: the result, a
// comment, the day it was done and the evidence. For an occurrence that is
// done already it amends the record, which the audit trail shows as such.
func (db *DB) CompleteOccurrence(ctx context.Context, orgID, id int64, in isms.CompletionInput) (*isms.Occurrence, error) {
	return db.changeWheelOccurrence(ctx, orgID, id, in.Version, "wheel_complete", false, func(tx *Tx, before *isms.Occurrence) error {
		if before.Status == isms.OccSkipped {
			return isms.Errorf(isms.EInvalid, "wheel.err.skipped")
		}
		in.Result, in.Comment, in.EvidenceRef = strings.TrimSpace(in.Result), strings.TrimSpace(in.Comment), strings.TrimSpace(in.EvidenceRef)
		var v isms.Validation
		requireText(&v, "result", in.Result, 5000)
		checkText(&v, "comment", in.Comment, 5000)
		checkText(&v, "evidence_ref", in.EvidenceRef, 500)
		day := tx.Today()
		if in.CompletedOn != nil {
			day = *in.CompletedOn
			if tx.Today().Before(day) {
				v.Add("completed_on", "wheel.err.completed_future")
			} else if !wheelValidYear(day.Year()) {
				v.Add("completed_on", "wheel.err.date_range")
			}
		}
		path, key := wheelEvidencePath(orgID, in.EvidencePath)
		if key != "" {
			v.Add("evidence_path", key)
		}
		if err := v.Err(); err != nil {
			return err
		}
		completedBy, completedAt := any(tx.actor.UserID), ts(tx.now)
		if before.Status == isms.OccDone && before.CompletedBy != nil && before.CompletedAt != nil {
			// An amendment keeps who completed it and when; the audit
			// trail says who amended it.
			completedBy, completedAt = *before.CompletedBy, ts(*before.CompletedAt)
		}
		if before.Status != isms.OccDone && tx.actor.UserID == 0 {
			completedBy = nil // the command line acts for no user
		}
		_, err := tx.exec(`UPDATE wheel_occurrences SET status = 'done', result = ?, comment = ?, completed_on = ?, completed_by = ?, completed_at = ?,
			evidence_path = ?, evidence_ref = ?, skip_reason = '', version = version + 1, updated_at = ? WHERE id = ?`,
			in.Result, in.Comment, day.String(), completedBy, completedAt, path, in.EvidenceRef, ts(tx.now), id)
		return err
	})
}

// SkipOccurrence records that an open occurrence will not be done, and why.
func (db *DB) SkipOccurrence(ctx context.Context, orgID, id int64, reason string, version int64) (*isms.Occurrence, error) {
	return db.changeWheelOccurrence(ctx, orgID, id, version, "wheel_skip", false, func(tx *Tx, before *isms.Occurrence) error {
		if !before.Status.Open() {
			return isms.Errorf(isms.EInvalid, "wheel.err.not_open")
		}
		reason = strings.TrimSpace(reason)
		var v isms.Validation
		requireText(&v, "reason", reason, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		_, err := tx.exec("UPDATE wheel_occurrences SET status = 'skipped', skip_reason = ?, version = version + 1, updated_at = ? WHERE id = ?",
			reason, ts(tx.now), id)
		return err
	})
}

// ReopenOccurrence puts a started, done or skipped occurrence back to
// planned. Undoing a record of work is for those who may edit everything;
// the audit trail keeps what it said.
func (db *DB) ReopenOccurrence(ctx context.Context, orgID, id, version int64) (*isms.Occurrence, error) {
	return db.changeWheelOccurrence(ctx, orgID, id, version, "wheel_reopen", true, func(tx *Tx, before *isms.Occurrence) error {
		if before.Status == isms.OccPlanned {
			return isms.Errorf(isms.EInvalid, "wheel.err.already_planned")
		}
		_, err := tx.exec(`UPDATE wheel_occurrences SET status = 'planned', skip_reason = '', result = '', comment = '', completed_on = NULL,
			completed_by = NULL, completed_at = NULL, evidence_path = '', evidence_ref = '', version = version + 1, updated_at = ? WHERE id = ?`,
			ts(tx.now), id)
		return err
	})
}

// RescheduleOccurrence moves an open occurrence's due date.
func (db *DB) RescheduleOccurrence(ctx context.Context, orgID, id int64, due isms.Date, version int64) (*isms.Occurrence, error) {
	return db.changeWheelOccurrence(ctx, orgID, id, version, "wheel_reschedule", false, func(tx *Tx, before *isms.Occurrence) error {
		if !before.Status.Open() {
			return isms.Errorf(isms.EInvalid, "wheel.err.not_open")
		}
		if due.IsZero() || !wheelValidYear(due.Year()) {
			var v isms.Validation
			v.Add("due_date", "wheel.err.date_range")
			return v.Err()
		}
		_, err := tx.exec("UPDATE wheel_occurrences SET due_date = ?, version = version + 1, updated_at = ? WHERE id = ?", due.String(), ts(tx.now), id)
		return err
	})
}

// wheelEvidencePath checks that an evidence link is a path of this
// organisation in the product and returns it below the organisation
// ("/documents/12"), or the catalogue key of what is wrong with it. It
// takes "/orgs/{id}/documents/12" (the address bar's path) and
// "/documents/12" alike.
func wheelEvidencePath(orgID int64, p string) (string, string) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", ""
	}
	if len(p) > 500 {
		return "", "wheel.err.evidence_path"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Fragment != "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsAny(p, "\\ \t\r\n") || u.User != nil {
		return "", "wheel.err.evidence_path"
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." || seg == "." {
			return "", "wheel.err.evidence_path"
		}
	}
	path := u.Path
	if rest, ok := strings.CutPrefix(path, "/orgs/"); ok {
		id, tail, _ := strings.Cut(rest, "/")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return "", "wheel.err.evidence_path"
		}
		if n != orgID {
			return "", "wheel.err.evidence_other_org"
		}
		path = "/" + tail
	}
	if path == "/" || path == "" {
		return "", "wheel.err.evidence_path"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return path, ""
}

// WheelCalendar is one year of the wheel with the other elements' dated
// obligations beside it. The year must be laid out (OpenWheelYear) for
// its occurrences to show.
func (db *DB) WheelCalendar(ctx context.Context, orgID int64, year int) (*isms.WheelCalendar, error) {
	cal := &isms.WheelCalendar{Year: year, Occurrences: []*isms.Occurrence{}, Scheduled: []isms.ScheduledItem{}}
	err := db.read(ctx, "WheelCalendar", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		if !wheelValidYear(year) {
			var v isms.Validation
			v.Add("year", "wheel.err.date_range")
			return v.Err()
		}
		occ, _, err := tx.wheelOccurrences(orgID, isms.OccurrenceFilter{Year: year})
		if err != nil {
			return err
		}
		cal.Occurrences = append(cal.Occurrences, occ...)
		years, err := tx.wheelOpenYears(orgID)
		if err != nil {
			return err
		}
		cal.LaidOut = years[year]
		from, to := wheelYearBounds(year)
		items, err := tx.wheelScheduledItems(orgID, from, to)
		if err != nil {
			return err
		}
		cal.Scheduled = append(cal.Scheduled, items...)
		return nil
	})
	return cal, err
}

// wheelScheduledItems gathers the other elements' dated obligations inside a
// transaction (the feed has no caller to check; ScheduledItems does the
// same for a caller).
func (tx *Tx) wheelScheduledItems(orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	var out []isms.ScheduledItem
	for _, src := range scheduleSources {
		items, err := src(tx, orgID, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out, nil
}
