package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// Participation in the awareness programme (guide 2.6): who took part in
// which activity on which day, with a score where the activity gives one.
// It is entered one at a time or imported from a file an e-learning system
// or HR exports. An import is checked row by row against the records
// (unit, activity, date, score, the person) and previewed; its
// confirmation stores every good row in one transaction, skipping those
// already recorded, and records the import (file name, SHA-256, count)
// with an audit event. An import can be undone as a whole.

const (
	typeParticipation   = "awareness_participation"
	typeAwarenessImport = "awareness_import"
)

const partColumns = `p.id, p.activity_id, a.title, p.person, p.unit_id, COALESCE(u.name, ''), p.taken_on, p.score, p.import_id, p.person_key`

const partFrom = ` FROM awareness_participations p JOIN awareness_activities a ON a.id = p.activity_id
	LEFT JOIN org_units u ON u.id = p.unit_id`

func scanParticipation(row scanner) (*isms.Participation, error) {
	var p isms.Participation
	var unit, imp sql.NullInt64
	var score sql.NullFloat64
	var key string
	if err := row.Scan(&p.ID, &p.ActivityID, &p.ActivityTitle, &p.Person, &unit, &p.UnitName, scanDate{&p.TakenOn}, &score, &imp, &key); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("participation")
		}
		return nil, err
	}
	p.UnitID, p.ImportID, p.Score = int64Ptr(unit), int64Ptr(imp), floatPtr(score)
	// A person recorded with an e-mail address is known by it (see
	// isms.PersonKey); a name is never one.
	if strings.Contains(key, "@") {
		p.Email = key
	}
	return &p, nil
}

func (tx *Tx) participation(orgID, id int64) (*isms.Participation, error) {
	return scanParticipation(tx.queryRow("SELECT "+partColumns+partFrom+" WHERE p.organisation_id = ? AND p.id = ?", orgID, id))
}

func partRecord(p *isms.Participation) map[string]any {
	return map[string]any{"activity": p.ActivityTitle, "person": p.Person, "unit": p.UnitName, "taken_on": p.TakenOn.String(), "score": p.Score}
}

// partWhere is the filter's condition.
func partWhere(orgID int64, f isms.ParticipationFilter) (string, []any) {
	where := " WHERE p.organisation_id = ?"
	args := []any{orgID}
	if f.ActivityID != 0 {
		where += " AND p.activity_id = ?"
		args = append(args, f.ActivityID)
	}
	if f.UnitID != 0 {
		where += " AND p.unit_id = ?"
		args = append(args, f.UnitID)
	}
	if f.Theme != "" {
		where += " AND EXISTS (SELECT 1 FROM awareness_activity_themes t WHERE t.activity_id = p.activity_id AND t.theme = ?)"
		args = append(args, f.Theme)
	}
	if f.From != nil {
		where += " AND p.taken_on >= ?"
		args = append(args, f.From.String())
	}
	if f.To != nil {
		where += " AND p.taken_on <= ?"
		args = append(args, f.To.String())
	}
	return where, args
}

// Participations lists participation, newest first, filtered and
// paginated, with the total.
func (db *DB) Participations(ctx context.Context, orgID int64, f isms.ParticipationFilter) ([]*isms.Participation, int, error) {
	var out []*isms.Participation
	var total int
	err := db.read(ctx, "Participations", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where, args := partWhere(orgID, f)
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM awareness_participations p"+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 5000 {
			limit = 100
		}
		out, err = queryAll(tx, scanParticipation, "SELECT "+partColumns+partFrom+where+" ORDER BY p.taken_on DESC, p.id DESC LIMIT ? OFFSET ?",
			append(args, limit, max(f.Offset, 0))...)
		return err
	})
	return out, total, err
}

// partLookups are the records a participation is checked against, read
// once per file.
type partLookups struct {
	units      map[string]*isms.OrgUnit // by name as compared
	unitIDs    map[int64]*isms.OrgUnit
	activities map[string][]partActivity // by title as compared
	byID       map[int64]partActivity
	existing   map[partKey]bool
}

type partActivity struct {
	id    int64
	title string
}

// partKey is what makes a participation one: the same person in the same
// activity on the same day.
type partKey struct {
	activity int64
	person   string
	day      string
}

func (tx *Tx) partLookups(orgID int64) (*partLookups, error) {
	l := &partLookups{units: map[string]*isms.OrgUnit{}, unitIDs: map[int64]*isms.OrgUnit{}, activities: map[string][]partActivity{},
		byID: map[int64]partActivity{}, existing: map[partKey]bool{}}
	units, err := tx.orgUnits(orgID)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		l.units[isms.CompareKey(u.Name)], l.unitIDs[u.ID] = u, u
	}
	if err := tx.queryEach("SELECT id, title, title_key FROM awareness_activities WHERE organisation_id = ? ORDER BY id", []any{orgID}, func(row scanner) error {
		var a partActivity
		var key string
		if err := row.Scan(&a.id, &a.title, &key); err != nil {
			return err
		}
		l.activities[key] = append(l.activities[key], a)
		l.byID[a.id] = a
		return nil
	}); err != nil {
		return nil, err
	}
	err = tx.queryEach("SELECT activity_id, person_key, taken_on FROM awareness_participations WHERE organisation_id = ?", []any{orgID}, func(row scanner) error {
		var k partKey
		if err := row.Scan(&k.activity, &k.person, &k.day); err != nil {
			return err
		}
		l.existing[k] = true
		return nil
	})
	return l, err
}

// validEmail reports whether s is one plain e-mail address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at:], ".")
}

// partRow is a checked participation, ready to store.
type partRow struct {
	row       *isms.ParticipationPreviewRow
	personKey string
}

// check checks one row's cells, given by field as the file has them; the
// activity is the row's own or, when the file has no activity column,
// chosen. Problems are added to the row.
func (l *partLookups) check(today isms.Date, cells map[string]string, chosen *int64, hasActivityColumn bool) *partRow {
	r := &isms.ParticipationPreviewRow{Status: isms.RowNew}
	problem := func(key string, args ...any) { r.Problems = append(r.Problems, isms.Msg(key, args...)) }
	for _, f := range isms.ParticipationSheetFields {
		if isms.HasNUL(cells[f]) {
			problem("err.nul_character")
			r.Status = isms.RowProblem
			return &partRow{row: r}
		}
	}
	r.Person = strings.Join(strings.Fields(cells["name"]), " ")
	r.Email = strings.TrimSpace(cells["email"])
	switch {
	case r.Person == "" && r.Email == "":
		problem("awp.err.no_person")
	case len([]rune(r.Person)) > 200:
		problem("awp.err.name_long")
	}
	if r.Email != "" && (len(r.Email) > 254 || !validEmail(r.Email)) {
		problem("awp.err.bad_email", r.Email)
	}
	if name := strings.TrimSpace(cells["unit"]); name != "" {
		r.Unit = name
		if u := l.units[isms.CompareKey(name)]; u != nil {
			r.UnitID, r.Unit = &u.ID, u.Name
		} else {
			problem("awp.err.unknown_unit", name)
		}
	}
	title := strings.TrimSpace(cells["activity"])
	switch {
	case title != "":
		r.Activity = title
		switch as := l.activities[isms.CompareKey(title)]; len(as) {
		case 0:
			problem("awp.err.unknown_activity", title)
		case 1:
			r.ActivityID, r.Activity = as[0].id, as[0].title
		default:
			problem("awp.err.ambiguous_activity", title, len(as))
		}
	case chosen != nil && !hasActivityColumn:
		if a, ok := l.byID[*chosen]; ok {
			r.ActivityID, r.Activity = a.id, a.title
		} else {
			problem("awp.err.unknown_activity", "")
		}
	default:
		problem("awp.err.no_activity")
	}
	if s := strings.TrimSpace(cells["date"]); s == "" {
		problem("awp.err.no_date")
	} else if d, ok := riskParseDate(s); !ok {
		problem("awp.err.bad_date", s)
	} else if today.Before(d) {
		problem("awp.err.future_date", d.String())
	} else {
		r.TakenOn = &d
	}
	if s := strings.TrimSpace(cells["score"]); s != "" {
		f, ok := isms.ParseScore(s)
		switch {
		case !ok:
			problem("awp.err.bad_score", s)
		case f < 0 || f > 100:
			problem("awp.err.score_range", s)
		default:
			r.Score = &f
		}
	}
	pr := &partRow{row: r, personKey: isms.PersonKey(r.Person, r.Email)}
	if r.Person == "" {
		r.Person = r.Email
	}
	if len(r.Problems) > 0 {
		r.Status = isms.RowProblem
	} else if l.existing[pr.key()] {
		r.Status = isms.RowExisting
	}
	return pr
}

func (p *partRow) key() partKey {
	day := ""
	if p.row.TakenOn != nil {
		day = p.row.TakenOn.String()
	}
	return partKey{p.row.ActivityID, p.personKey, day}
}

// resolveSheet checks every row of a file and says what its import would
// do.
func (tx *Tx) resolveParticipation(orgID int64, s *isms.ParticipationSheet, chosen *int64) (*isms.ParticipationPreview, []*partRow, error) {
	l, err := tx.partLookups(orgID)
	if err != nil {
		return nil, nil, err
	}
	pv := &isms.ParticipationPreview{Filename: s.Filename, SHA256: s.SHA256, ActivityID: chosen, Columns: s.Columns, Ignored: s.Ignored,
		Rows: []*isms.ParticipationPreviewRow{}, Problems: []isms.ImportProblem{}}
	hasActivity := s.Has("activity")
	if !hasActivity && chosen == nil {
		pv.Problems = append(pv.Problems, isms.ImportProblem{Field: "activity", Message: isms.Msg("awp.err.choose_activity")})
	}
	seen := map[partKey]int{}
	var rows []*partRow
	for _, sr := range s.Rows {
		pr := l.check(tx.Today(), sr.Cells, chosen, hasActivity)
		pr.row.Row = sr.Row
		if pr.row.Status != isms.RowProblem {
			if first, dup := seen[pr.key()]; dup {
				pr.row.Problems = append(pr.row.Problems, isms.Msg("awp.err.duplicate_row", first))
				pr.row.Status = isms.RowProblem
			} else {
				seen[pr.key()] = sr.Row
			}
		}
		for _, m := range pr.row.Problems {
			pv.Problems = append(pv.Problems, isms.ImportProblem{Row: sr.Row, Field: problemField(m.Key), Message: m})
		}
		switch pr.row.Status {
		case isms.RowNew:
			pv.New++
		case isms.RowExisting:
			pv.Existing++
		}
		pv.Rows = append(pv.Rows, pr.row)
		rows = append(rows, pr)
	}
	return pv, rows, nil
}

// problemField is the field a row's problem is about.
func problemField(key string) string {
	switch key {
	case "awp.err.no_person", "awp.err.name_long":
		return "name"
	case "awp.err.bad_email":
		return "email"
	case "awp.err.unknown_unit":
		return "unit"
	case "awp.err.unknown_activity", "awp.err.ambiguous_activity", "awp.err.no_activity":
		return "activity"
	case "awp.err.no_date", "awp.err.bad_date", "awp.err.future_date":
		return "date"
	case "awp.err.bad_score", "awp.err.score_range":
		return "score"
	}
	return ""
}

// insertParticipation stores one checked row.
func (tx *Tx) insertParticipation(orgID int64, pr *partRow, importID *int64) (int64, error) {
	r := pr.row
	return tx.insert(`INSERT INTO awareness_participations (organisation_id, activity_id, person, person_key, unit_id, taken_on, score,
		import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, orgID, r.ActivityID, r.Person, pr.personKey, nullInt(r.UnitID),
		dateArg(r.TakenOn), nullFloat(r.Score), nullInt(importID), ts(tx.now))
}

// importParticipation stores a file's good rows in the caller's
// transaction: an awareness_imports row, the new participations, and the
// audit event. A file without a good new row is refused.
func (tx *Tx) importParticipation(orgID int64, s *isms.ParticipationSheet, chosen *int64) (*isms.ParticipationPreview, error) {
	pv, rows, err := tx.resolveParticipation(orgID, s, chosen)
	if err != nil {
		return nil, err
	}
	if pv.New == 0 {
		return nil, isms.Errorf(isms.EInvalid, "awp.err.import_nothing_new", len(pv.Problems), pv.Existing)
	}
	id, err := tx.insert(`INSERT INTO awareness_imports (organisation_id, filename, sha256, row_count, imported_by, imported_at)
		VALUES (?, ?, ?, ?, ?, ?)`, orgID, s.Filename, s.SHA256, pv.New, tx.actor.UserID, ts(tx.now))
	if err != nil {
		return nil, err
	}
	for _, pr := range rows {
		if pr.row.Status != isms.RowNew {
			continue
		}
		if _, err := tx.insertParticipation(orgID, pr, &id); err != nil {
			return nil, err
		}
	}
	pv.Imported, pv.ImportID = true, &id
	return pv, tx.audit(orgID, "import_participation", typeAwarenessImport, id, nil, map[string]any{"filename": s.Filename,
		"sha256": s.SHA256, "stored": pv.New, "already_recorded": pv.Existing, "refused_rows": len(pv.Rows) - pv.New - pv.Existing})
}

// checkChosen refuses a chosen activity that is not the organisation's.
func (tx *Tx) checkChosen(orgID int64, chosen *int64) error {
	if chosen == nil {
		return nil
	}
	n, err := tx.count("SELECT COUNT(*) FROM awareness_activities WHERE organisation_id = ? AND id = ?", orgID, *chosen)
	if err != nil {
		return err
	}
	if n == 0 {
		var v isms.Validation
		v.Add("activity_id", "err.unknown_reference")
		return v.Err()
	}
	return nil
}

// PreviewParticipation checks a file and says what its import would do,
// storing nothing.
func (db *DB) PreviewParticipation(ctx context.Context, orgID int64, s *isms.ParticipationSheet, chosen *int64) (*isms.ParticipationPreview, error) {
	var pv *isms.ParticipationPreview
	err := db.read(ctx, "PreviewParticipation", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err = tx.checkChosen(orgID, chosen); err != nil {
			return err
		}
		pv, _, err = tx.resolveParticipation(orgID, s, chosen)
		return err
	})
	return pv, err
}

// ImportParticipation imports a file's good rows in one transaction.
func (db *DB) ImportParticipation(ctx context.Context, orgID int64, s *isms.ParticipationSheet, chosen *int64) (*isms.ParticipationPreview, error) {
	var pv *isms.ParticipationPreview
	err := db.write(ctx, "ImportParticipation", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err = tx.checkChosen(orgID, chosen); err != nil {
			return err
		}
		pv, err = tx.importParticipation(orgID, s, chosen)
		return err
	})
	return pv, err
}

// stagedKeep is how long an upload waits for its confirmation.
const stagedKeep = 7 * 24 * time.Hour

// StageParticipation keeps a read file, named by its SHA-256, for the user
// to confirm or refuse after the preview, and returns the preview. The
// same file uploaded again replaces the waiting copy (and the activity
// chosen for it).
func (db *DB) StageParticipation(ctx context.Context, orgID int64, s *isms.ParticipationSheet, chosen *int64) (*isms.ParticipationPreview, error) {
	var pv *isms.ParticipationPreview
	err := db.write(ctx, "StageParticipation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.checkChosen(orgID, chosen); err != nil {
			return err
		}
		if len(s.SHA256) != 64 {
			return isms.Errorf(isms.EInvalid, "awp.err.import_unreadable")
		}
		if _, err := tx.exec("DELETE FROM awareness_import_uploads WHERE organisation_id = ? AND (sha256 = ? OR created_at < ?)",
			orgID, s.SHA256, ts(tx.now.Add(-stagedKeep))); err != nil {
			return err
		}
		data, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO awareness_import_uploads (organisation_id, sha256, filename, activity_id, data, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, s.SHA256, s.Filename, nullInt(chosen), data, tx.actor.UserID, ts(tx.now)); err != nil {
			return err
		}
		pv, _, err = tx.resolveParticipation(orgID, s, chosen)
		return err
	})
	return pv, err
}

// staged reads a waiting upload.
func (tx *Tx) stagedParticipation(orgID int64, sha string) (*isms.ParticipationSheet, *int64, error) {
	var data []byte
	var chosen sql.NullInt64
	err := tx.queryRow("SELECT data, activity_id FROM awareness_import_uploads WHERE organisation_id = ? AND sha256 = ?", orgID, sha).Scan(&data, &chosen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("import")
	}
	if err != nil {
		return nil, nil, err
	}
	var s isms.ParticipationSheet
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, nil, err
	}
	return &s, int64Ptr(chosen), nil
}

// StagedParticipation checks a waiting upload again (the records may have
// changed since) and says what its import would do.
func (db *DB) StagedParticipation(ctx context.Context, orgID int64, sha string) (*isms.ParticipationPreview, error) {
	var pv *isms.ParticipationPreview
	err := db.read(ctx, "StagedParticipation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, chosen, err := tx.stagedParticipation(orgID, sha)
		if err != nil {
			return err
		}
		pv, _, err = tx.resolveParticipation(orgID, s, chosen)
		return err
	})
	return pv, err
}

// ImportStagedParticipation imports a waiting upload's good rows in one
// transaction and lets the upload go.
func (db *DB) ImportStagedParticipation(ctx context.Context, orgID int64, sha string) (*isms.ParticipationPreview, error) {
	var pv *isms.ParticipationPreview
	err := db.write(ctx, "ImportStagedParticipation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, chosen, err := tx.stagedParticipation(orgID, sha)
		if err != nil {
			return err
		}
		if chosen != nil {
			if err := tx.checkChosen(orgID, chosen); err != nil {
				return err
			}
		}
		if pv, err = tx.importParticipation(orgID, s, chosen); err != nil {
			return err
		}
		_, err = tx.exec("DELETE FROM awareness_import_uploads WHERE organisation_id = ? AND sha256 = ?", orgID, sha)
		return err
	})
	return pv, err
}

// DiscardStagedParticipation refuses a waiting upload: nothing of it is
// stored.
func (db *DB) DiscardStagedParticipation(ctx context.Context, orgID int64, sha string) error {
	return db.write(ctx, "DiscardStagedParticipation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		s, _, err := tx.stagedParticipation(orgID, sha)
		if err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM awareness_import_uploads WHERE organisation_id = ? AND sha256 = ?", orgID, sha); err != nil {
			return err
		}
		return tx.audit(orgID, "refuse_participation_import", typeAwarenessImport, 0, nil, map[string]any{"filename": s.Filename, "sha256": sha,
			"rows": len(s.Rows)})
	})
}

// AwarenessImports lists the imports, newest first, with how many of
// their participations are still recorded.
func (db *DB) AwarenessImports(ctx context.Context, orgID int64) ([]*isms.AwarenessImport, error) {
	return view(db, ctx, "AwarenessImports", orgID, func(tx *Tx) ([]*isms.AwarenessImport, error) {
		return queryAll(tx, func(row scanner) (*isms.AwarenessImport, error) {
			var i isms.AwarenessImport
			var by sql.NullInt64
			err := row.Scan(&i.ID, &i.Filename, &i.SHA256, &i.RowCount, &by, &i.ImportedBy, scanTime{&i.ImportedAt}, &i.Remaining)
			i.ImportedByID = int64Ptr(by)
			return &i, err
		}, `SELECT i.id, i.filename, i.sha256, i.row_count, i.imported_by, COALESCE(u.name, ''), i.imported_at,
			(SELECT COUNT(*) FROM awareness_participations p WHERE p.import_id = i.id)
			FROM awareness_imports i LEFT JOIN users u ON u.id = i.imported_by WHERE i.organisation_id = ? ORDER BY i.imported_at DESC, i.id DESC`, orgID)
	})
}

// UndoAwarenessImport deletes an import's participations and the import,
// in one transaction.
func (db *DB) UndoAwarenessImport(ctx context.Context, orgID, id int64) error {
	return db.write(ctx, "UndoAwarenessImport", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		var filename, sha string
		var count int
		err := tx.queryRow("SELECT filename, sha256, row_count FROM awareness_imports WHERE organisation_id = ? AND id = ?", orgID, id).Scan(&filename, &sha, &count)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("import")
		}
		if err != nil {
			return err
		}
		res, err := tx.exec("DELETE FROM awareness_participations WHERE organisation_id = ? AND import_id = ?", orgID, id)
		if err != nil {
			return err
		}
		deleted, _ := res.RowsAffected()
		if _, err := tx.exec("DELETE FROM awareness_imports WHERE organisation_id = ? AND id = ?", orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "undo_import", typeAwarenessImport, id, map[string]any{"filename": filename, "sha256": sha, "stored": count},
			map[string]any{"deleted": deleted})
	})
}

// CreateParticipation records one participation entered by hand, checked
// as an imported row is.
func (db *DB) CreateParticipation(ctx context.Context, orgID int64, in isms.ParticipationInput) (*isms.Participation, error) {
	var p *isms.Participation
	err := db.write(ctx, "CreateParticipation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		l, err := tx.partLookups(orgID)
		if err != nil {
			return err
		}
		var v isms.Validation
		cells := map[string]string{"name": in.Name, "email": in.Email}
		if in.UnitID != nil {
			if u := l.unitIDs[*in.UnitID]; u != nil {
				cells["unit"] = u.Name
			} else {
				v.Add("unit_id", "err.unknown_reference")
			}
		}
		if a, ok := l.byID[in.ActivityID]; ok {
			cells["activity"] = a.title
			if len(l.activities[isms.CompareKey(a.title)]) > 1 {
				delete(cells, "activity") // two activities share the title: the id decides
			}
		} else {
			v.Add("activity_id", "err.required")
		}
		if in.TakenOn != nil {
			cells["date"] = in.TakenOn.String()
		}
		if in.Score != nil {
			cells["score"] = formatScore(*in.Score)
		}
		chosen := &in.ActivityID
		pr := l.check(tx.Today(), cells, chosen, cells["activity"] != "")
		for _, m := range pr.row.Problems {
			field := map[string]string{"": "name", "name": "name", "email": "email", "unit": "unit_id", "activity": "activity_id",
				"date": "taken_on", "score": "score"}[problemField(m.Key)]
			if !v.Has(field) {
				v.Add(field, m.Key, m.Args...)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if pr.row.Status == isms.RowExisting {
			return isms.Errorf(isms.EConflict, "awp.err.already_recorded")
		}
		id, err := tx.insertParticipation(orgID, pr, nil)
		if err != nil {
			return err
		}
		if p, err = tx.participation(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeParticipation, id, nil, partRecord(p))
	})
	return p, err
}

// formatScore writes a score so that ParseScore reads it back.
func formatScore(f float64) string {
	b, _ := json.Marshal(f)
	return string(b) + " %"
}

// DeleteParticipation removes one participation recorded in error.
func (db *DB) DeleteParticipation(ctx context.Context, orgID, id int64) error {
	return db.write(ctx, "DeleteParticipation", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.participation(orgID, id)
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "awareness_participations", typeParticipation, id, partRecord(before))
	})
}

// The reach (guide 2.6): distinct people reached in the last twelve
// months, per unit and theme against the unit's staff, and per theme
// against all staff. It reads every participation of the period, so it is
// kept until the records change.

func (tx *Tx) awarenessReach(orgID int64) (*isms.AwarenessReach, error) {
	return keep(tx, orgID, "awareness_reach", func() (*isms.AwarenessReach, error) { return tx.computeReach(orgID) })
}

// reachFrom is the first day of the twelve months that end today.
func reachFrom(today isms.Date) isms.Date { return isms.Date{Time: today.Time.AddDate(-1, 0, 1)} }

func (tx *Tx) computeReach(orgID int64) (*isms.AwarenessReach, error) {
	today := tx.Today()
	set, err := tx.awarenessSettings(orgID)
	if err != nil {
		return nil, err
	}
	units, err := tx.orgUnits(orgID)
	if err != nil {
		return nil, err
	}
	r := &isms.AwarenessReach{From: reachFrom(today), To: today, Threshold: set.ReachThreshold, Units: []*isms.UnitReach{}, Totals: []isms.ReachCell{}}
	for _, u := range units {
		r.TotalStaff += u.StaffCount
	}
	type cellKey struct {
		unit  int64
		theme string
	}
	people := map[cellKey]map[string]bool{} // unit 0: the whole organisation
	themes := map[string]bool{}
	add := func(k cellKey, person string) {
		if people[k] == nil {
			people[k] = map[string]bool{}
		}
		people[k][person] = true
	}
	if err := tx.queryEach(`SELECT p.person_key, p.unit_id, t.theme FROM awareness_participations p
		JOIN awareness_activity_themes t ON t.activity_id = p.activity_id
		WHERE p.organisation_id = ? AND p.taken_on >= ? AND p.taken_on <= ?`, []any{orgID, r.From.String(), today.String()}, func(row scanner) error {
		var person, theme string
		var unit sql.NullInt64
		if err := row.Scan(&person, &unit, &theme); err != nil {
			return err
		}
		themes[theme] = true
		add(cellKey{0, theme}, person)
		if unit.Valid {
			add(cellKey{unit.Int64, theme}, person)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if r.Participations, err = tx.count("SELECT COUNT(*) FROM awareness_participations WHERE organisation_id = ? AND taken_on >= ? AND taken_on <= ?",
		orgID, r.From.String(), today.String()); err != nil {
		return nil, err
	}
	r.Themes = slices.Clone(isms.GuideThemes)
	var rest []string
	for t := range themes {
		if !slices.Contains(r.Themes, t) {
			rest = append(rest, t)
		}
	}
	r.Themes = append(r.Themes, orderThemes(rest)...)
	cell := func(k cellKey, staff int) isms.ReachCell {
		n := len(people[k])
		c := isms.ReachCell{Theme: k.theme, People: n, Staff: staff, Percent: isms.ReachPercent(n, staff)}
		c.Met = staff > 0 && n*100 >= set.ReachThreshold*staff
		return c
	}
	for _, u := range units {
		ur := &isms.UnitReach{Unit: u}
		for _, t := range r.Themes {
			ur.Cells = append(ur.Cells, cell(cellKey{u.ID, t}, u.StaffCount))
		}
		r.Units = append(r.Units, ur)
	}
	for _, t := range r.Themes {
		r.Totals = append(r.Totals, cell(cellKey{0, t}, r.TotalStaff))
	}
	return r, nil
}

// AwarenessReach reads the reach of the last twelve months.
func (db *DB) AwarenessReach(ctx context.Context, orgID int64) (*isms.AwarenessReach, error) {
	return view(db, ctx, "AwarenessReach", orgID, func(tx *Tx) (*isms.AwarenessReach, error) { return tx.awarenessReach(orgID) })
}

// AwarenessEffect reads the phishing exercises' results and the average
// scores per activity, oldest first.
func (db *DB) AwarenessEffect(ctx context.Context, orgID int64) (*isms.AwarenessEffect, error) {
	return view(db, ctx, "AwarenessEffect", orgID, func(tx *Tx) (*isms.AwarenessEffect, error) {
		e := &isms.AwarenessEffect{Exercises: []isms.ExerciseResult{}, Scores: []isms.ScoreResult{}}
		err := tx.queryEach(`SELECT id, title, COALESCE(held_on, ends_on, starts_on), exercise_sent, exercise_clicked, exercise_reported
			FROM awareness_activities WHERE organisation_id = ? AND channel = ? AND exercise_sent IS NOT NULL AND exercise_sent > 0
			ORDER BY COALESCE(held_on, ends_on, starts_on), id`, []any{orgID, isms.ChannelPhishing}, func(row scanner) error {
			var x isms.ExerciseResult
			var clicked, reported sql.NullInt64
			if err := row.Scan(&x.ActivityID, &x.Title, scanDate{&x.On}, &x.Sent, &clicked, &reported); err != nil {
				return err
			}
			x.Clicked, x.Reported, x.ClickedKnown = int(clicked.Int64), int(reported.Int64), clicked.Valid
			x.ClickRate = float64(x.Clicked) * 100 / float64(x.Sent)
			x.ReportRate = float64(x.Reported) * 100 / float64(x.Sent)
			e.Exercises = append(e.Exercises, x)
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = tx.queryEach(`SELECT a.id, a.title, a.channel, MAX(p.taken_on), AVG(p.score), COUNT(p.score)
			FROM awareness_participations p JOIN awareness_activities a ON a.id = p.activity_id
			WHERE p.organisation_id = ? AND p.score IS NOT NULL GROUP BY a.id, a.title, a.channel ORDER BY MAX(p.taken_on), a.id`,
			[]any{orgID}, func(row scanner) error {
				var s isms.ScoreResult
				if err := row.Scan(&s.ActivityID, &s.Title, &s.Channel, scanDate{&s.On}, &s.Average, &s.Scores); err != nil {
					return err
				}
				e.Scores = append(e.Scores, s)
				return nil
			})
		return e, err
	})
}
