package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// Resources (guide 2.4): the lines of the year's budget, per objective or
// for the ISMS as a whole, planned against granted. Who may change a line:
// anyone with the edit permission, or a contributor who owns the objective
// the line belongs to (for a line of the ISMS as a whole, the line's own
// owner). Granting is management's act (PermApprove), kept with who and
// when and the version of the line it was given for; a line changed after
// its grant keeps the grant as it was given.

const typeResourceLine = "resource_line"

const resColumns = `l.id, l.organisation_id, l.year, l.objective_id, COALESCE(o.title, ''), o.owner_id, l.kind, l.title,
	l.role_id, COALESCE(r.name, ''), l.role_text, l.supplier,
	l.planned_operating, l.planned_one_off, l.planned_fte, l.planned_hours,
	l.granted_operating, l.granted_one_off, l.granted_fte, l.granted_hours,
	l.granted_by, COALESCE(g.name, ''), l.granted_at, l.granted_version, l.grant_note,
	l.owner_id, COALESCE(u.name, ''), l.note, l.version, l.created_at, l.updated_at`

const resFrom = ` FROM resource_lines l LEFT JOIN objectives o ON o.id = l.objective_id LEFT JOIN security_roles r ON r.id = l.role_id
	LEFT JOIN users g ON g.id = l.granted_by LEFT JOIN users u ON u.id = l.owner_id`

func scanResourceLine(row scanner) (*isms.ResourceLine, error) {
	var l isms.ResourceLine
	var obj, objOwner, role, grantedBy, owner sql.NullInt64
	var p, g [4]sql.NullFloat64
	var kind string
	if err := row.Scan(&l.ID, &l.OrganisationID, &l.Year, &obj, &l.ObjectiveTitle, &objOwner, &kind, &l.Title,
		&role, &l.RoleName, &l.RoleText, &l.Supplier, &p[0], &p[1], &p[2], &p[3], &g[0], &g[1], &g[2], &g[3],
		&grantedBy, &l.GrantedByName, scanTimePtr{&l.GrantedAt}, &l.GrantedVersion, &l.GrantNote,
		&owner, &l.OwnerName, &l.Note, &l.Version, scanTime{&l.CreatedAt}, scanTime{&l.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("resource line")
		}
		return nil, err
	}
	l.Kind = isms.ResourceKind(kind)
	l.ObjectiveID, l.ObjectiveOwner, l.RoleID, l.GrantedBy, l.OwnerID = int64Ptr(obj), int64Ptr(objOwner), int64Ptr(role), int64Ptr(grantedBy), int64Ptr(owner)
	l.Planned = isms.ResourceAmounts{Operating: floatPtr(p[0]), OneOff: floatPtr(p[1]), FTE: floatPtr(p[2]), Hours: floatPtr(p[3])}
	l.Granted = isms.ResourceAmounts{Operating: floatPtr(g[0]), OneOff: floatPtr(g[1]), FTE: floatPtr(g[2]), Hours: floatPtr(g[3])}
	l.Links = []isms.ResourceLink{}
	return &l, nil
}

// resourceLines reads lines with their links; where is added after
// "WHERE l.organisation_id = ?".
func (tx *Tx) resourceLines(orgID int64, where string, args ...any) ([]*isms.ResourceLine, error) {
	lines, err := queryAll(tx, scanResourceLine, "SELECT "+resColumns+resFrom+" WHERE l.organisation_id = ?"+where+
		" ORDER BY l.year, o.title, l.objective_id, l.kind, l.title, l.id", append([]any{orgID}, args...)...)
	if err != nil || len(lines) == 0 {
		return lines, err
	}
	byID := make(map[int64]*isms.ResourceLine, len(lines))
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		byID[l.ID] = l
		ids = append(ids, l.ID)
	}
	// The links' targets, read with their labels; a target deleted since
	// is no longer shown.
	for _, q := range []string{
		`SELECT k.line_id, k.kind, k.target_id, c.ref || ' ' || c.title_da, c.ref || ' ' || c.title_en FROM resource_links k
			JOIN controls c ON c.id = k.target_id WHERE k.organisation_id = ? AND k.kind = 'control' AND k.line_id IN (%s) ORDER BY c.sort_key`,
		`SELECT k.line_id, k.kind, k.target_id, a.title, '' FROM resource_links k
			JOIN wheel_activities a ON a.id = k.target_id AND a.organisation_id = k.organisation_id WHERE k.organisation_id = ? AND k.kind = 'activity' AND k.line_id IN (%s) ORDER BY a.title`,
		`SELECT k.line_id, k.kind, k.target_id, t.title, '' FROM resource_links k
			JOIN risk_tasks t ON t.id = k.target_id AND t.organisation_id = k.organisation_id WHERE k.organisation_id = ? AND k.kind = 'task' AND k.line_id IN (%s) ORDER BY t.title`,
	} {
		err := tx.queryEach(strings.Replace(q, "%s", placeholders(len(ids)), 1), append([]any{orgID}, int64sToAny(ids)...), func(row scanner) error {
			var lineID int64
			var k isms.ResourceLink
			if err := row.Scan(&lineID, &k.Kind, &k.ID, &k.Label, &k.LabelEN); err != nil {
				return err
			}
			byID[lineID].Links = append(byID[lineID].Links, k)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return lines, nil
}

func (tx *Tx) resourceLine(orgID, id int64) (*isms.ResourceLine, error) {
	lines, err := tx.resourceLines(orgID, " AND l.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, notFound("resource line")
	}
	return lines[0], nil
}

// resourceLinesOfYear reads the year's lines, once per transaction.
func (tx *Tx) resourceLinesOfYear(orgID int64, year int) ([]*isms.ResourceLine, error) {
	return remember(tx, "resourceLines:"+strconv.FormatInt(orgID, 10)+":"+strconv.Itoa(year), func() ([]*isms.ResourceLine, error) {
		return tx.resourceLines(orgID, " AND l.year = ?", year)
	})
}

// allObjectives reads every objective of the organisation, once per
// transaction. It is read by rules, which run for no one in particular, so
// a linked document's title is kept only where anyone may read it.
func (tx *Tx) allObjectives(orgID int64) ([]*isms.Objective, error) {
	return remember(tx, "objectives:"+strconv.FormatInt(orgID, 10), func() ([]*isms.Objective, error) {
		return queryAll(tx, scanObjective(isms.Access{}), "SELECT "+objColumns+objFrom+" WHERE o.organisation_id = ? ORDER BY o.due_date, o.title, o.id", orgID)
	})
}

// lineEditor is whose line it is for the edit-own check: the objective's
// owner, or for a line of the ISMS as a whole its own owner.
func lineEditor(objectiveOwner, lineOwner *int64, hasObjective bool) *int64 {
	if hasObjective {
		return objectiveOwner
	}
	return lineOwner
}

func checkAmount(v *isms.Validation, field string, p *float64) {
	if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0 || *p > 1e12) {
		v.Add(field, "res.err.amount")
	}
}

// checkAmounts checks amounts against what the kind uses; prefix is
// "planned_" or "granted_".
func checkAmounts(v *isms.Validation, prefix string, kind isms.ResourceKind, a isms.ResourceAmounts) {
	fields := []struct {
		name string
		p    *float64
		used bool
	}{
		{"operating", a.Operating, kind != isms.ResourcePeople},
		{"one_off", a.OneOff, kind != isms.ResourcePeople},
		{"fte", a.FTE, kind == isms.ResourcePeople},
		{"hours", a.Hours, kind != isms.ResourceMoney},
	}
	for _, f := range fields {
		if f.p != nil && !f.used {
			v.Add(prefix+f.name, "res.err.not_for_kind")
			continue
		}
		checkAmount(v, prefix+f.name, f.p)
	}
}

// validateResourceLine checks a line's input and returns the objective's
// owner, if it belongs to an objective.
func (tx *Tx) validateResourceLine(orgID int64, in *isms.ResourceLineInput) (objOwner *int64, err error) {
	for _, s := range []*string{&in.Title, &in.RoleText, &in.Supplier} {
		*s = strings.TrimSpace(*s)
	}
	var v isms.Validation
	if in.Year < 2000 || in.Year > 2100 {
		v.Add("year", "res.err.year")
	}
	if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "role_text", in.RoleText, 200)
	checkText(&v, "supplier", in.Supplier, 300)
	checkText(&v, "note", in.Note, 5000)
	if in.Kind.Valid() {
		checkAmounts(&v, "planned_", in.Kind, in.Planned)
		if in.Planned.Empty() {
			field := "planned_operating"
			if in.Kind == isms.ResourcePeople {
				field = "planned_fte"
			}
			v.Add(field, "res.err.amount_required")
		}
	}
	if in.Kind == isms.ResourcePeople {
		if in.RoleID == nil && in.RoleText == "" {
			v.Add("role_id", "res.err.role_required")
		}
	} else {
		in.RoleID, in.RoleText = nil, ""
	}
	if in.Kind != isms.ResourceExternal {
		in.Supplier = ""
	}
	if in.RoleID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM security_roles WHERE organisation_id = ? AND id = ?", orgID, *in.RoleID)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			v.Add("role_id", "err.unknown_reference")
		}
	}
	if in.ObjectiveID != nil {
		var owner sql.NullInt64
		err := tx.queryRow("SELECT owner_id FROM objectives WHERE organisation_id = ? AND id = ?", orgID, *in.ObjectiveID).Scan(&owner)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add("objective_id", "err.unknown_reference")
		case err != nil:
			return nil, err
		default:
			objOwner = int64Ptr(owner)
		}
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if err := tx.riskValidControls(&v, "controls", orgID, in.Controls); err != nil {
		return nil, err
	}
	for _, ref := range []struct {
		field, table string
		ids          []int64
	}{{"activities", "wheel_activities", in.Activities}, {"tasks", "risk_tasks", in.Tasks}} {
		ids := uniq(ref.ids)
		if len(ids) == 0 {
			continue
		}
		if len(ids) > 100 {
			v.Add(ref.field, "err.too_many_links", 100)
			continue
		}
		n, err := tx.count("SELECT COUNT(*) FROM "+ref.table+" WHERE organisation_id = ? AND id IN ("+placeholders(len(ids))+")",
			append([]any{orgID}, int64sToAny(ids)...)...)
		if err != nil {
			return nil, err
		}
		if n != len(ids) {
			v.Add(ref.field, "err.unknown_reference")
		}
	}
	return objOwner, v.Err()
}

func (tx *Tx) setResourceLinks(orgID, lineID int64, in isms.ResourceLineInput) error {
	if _, err := tx.exec("DELETE FROM resource_links WHERE organisation_id = ? AND line_id = ?", orgID, lineID); err != nil {
		return err
	}
	for _, set := range []struct {
		kind string
		ids  []int64
	}{{isms.LinkControl, in.Controls}, {isms.LinkActivity, in.Activities}, {isms.LinkTask, in.Tasks}} {
		for _, id := range uniq(set.ids) {
			if _, err := tx.exec("INSERT INTO resource_links (organisation_id, line_id, kind, target_id) VALUES (?, ?, ?, ?)",
				orgID, lineID, set.kind, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// addAmounts puts the amounts given into an audit record, one field each
// ("planned_dkk_operating", …).
func addAmounts(rec map[string]any, prefix string, a isms.ResourceAmounts) {
	for name, p := range map[string]*float64{"dkk_operating": a.Operating, "dkk_one_off": a.OneOff, "fte": a.FTE, "hours": a.Hours} {
		if p != nil {
			rec[prefix+name] = *p
		}
	}
}

// resRecord is a line as the audit trail keeps it.
func resRecord(l *isms.ResourceLine) map[string]any {
	links := make([]string, len(l.Links))
	for i, k := range l.Links {
		links[i] = k.Kind + ": " + k.Label
	}
	var grantedAt any
	if l.GrantedAt != nil {
		grantedAt = l.GrantedAt
	}
	rec := map[string]any{"year": l.Year, "objective": l.ObjectiveTitle, "kind": l.Kind, "title": l.Title, "role": l.RoleLabel(),
		"supplier": l.Supplier, "granted_by": l.GrantedByName, "granted_at": grantedAt, "grant_note": l.GrantNote,
		"carries": strings.Join(links, "; "), "owner": l.OwnerName, "note": l.Note}
	addAmounts(rec, "planned_", l.Planned)
	addAmounts(rec, "granted_", l.Granted)
	return rec
}

// ResourceLine reads one line.
func (db *DB) ResourceLine(ctx context.Context, orgID, id int64) (*isms.ResourceLine, error) {
	return view(db, ctx, "ResourceLine", orgID, func(tx *Tx) (*isms.ResourceLine, error) { return tx.resourceLine(orgID, id) })
}

// ObjectiveResources lists an objective's lines of a year.
func (db *DB) ObjectiveResources(ctx context.Context, orgID, objectiveID int64, year int) ([]*isms.ResourceLine, error) {
	return view(db, ctx, "ObjectiveResources", orgID, func(tx *Tx) ([]*isms.ResourceLine, error) {
		if _, err := tx.objective(orgID, objectiveID); err != nil {
			return nil, err
		}
		return tx.resourceLines(orgID, " AND l.objective_id = ? AND l.year = ?", objectiveID, year)
	})
}

// ResourceYear is the year's budget: lines, totals, the current
// objectives without resources and what the lines carry.
func (db *DB) ResourceYear(ctx context.Context, orgID int64, year int) (*isms.ResourceYear, error) {
	return view(db, ctx, "ResourceYear", orgID, func(tx *Tx) (*isms.ResourceYear, error) {
		if year < 2000 || year > 2100 {
			return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "year", Key: "res.err.year"}}}
		}
		return tx.resourceYear(orgID, year)
	})
}

func (tx *Tx) resourceYear(orgID int64, year int) (*isms.ResourceYear, error) {
	lines, err := tx.resourceLinesOfYear(orgID, year)
	if err != nil {
		return nil, err
	}
	objs, err := tx.allObjectives(orgID)
	if err != nil {
		return nil, err
	}
	y := &isms.ResourceYear{Year: year, ISMS: []*isms.ResourceLine{}, Objectives: []*isms.ObjectiveResources{}, Unresourced: []*isms.Objective{},
		Carried: []isms.ResourceLink{}}
	byObj := map[int64]*isms.ObjectiveResources{}
	seen := map[[2]any]bool{}
	for _, l := range lines {
		y.Totals.Add(l)
		for _, k := range l.Links {
			if key := [2]any{k.Kind, k.ID}; !seen[key] {
				seen[key] = true
				y.Carried = append(y.Carried, k)
			}
		}
		if l.ObjectiveID == nil {
			y.ISMS = append(y.ISMS, l)
			y.ISMSTotals.Add(l)
			continue
		}
		or := byObj[*l.ObjectiveID]
		if or == nil {
			or = &isms.ObjectiveResources{ObjectiveID: *l.ObjectiveID, Title: l.ObjectiveTitle}
			byObj[*l.ObjectiveID] = or
		}
		or.Lines = append(or.Lines, l)
		or.Totals.Add(l)
	}
	for _, o := range objs {
		if or := byObj[o.ID]; or != nil {
			or.Current = o.Status.Current()
			y.Objectives = append(y.Objectives, or)
		} else if o.Status.Current() {
			y.Unresourced = append(y.Unresourced, o)
		}
	}
	sort.SliceStable(y.Carried, func(i, j int) bool { return y.Carried[i].Kind < y.Carried[j].Kind })
	years, err := queryAll(tx, scanInt64, "SELECT DISTINCT year FROM resource_lines WHERE organisation_id = ? ORDER BY year", orgID)
	if err != nil {
		return nil, err
	}
	set := map[int]bool{year: true, tx.Today().Year(): true}
	for _, v := range years {
		set[int(v)] = true
	}
	for v := range set {
		y.Years = append(y.Years, v)
	}
	sort.Ints(y.Years)
	return y, nil
}

// CreateResourceLine adds a line.
func (db *DB) CreateResourceLine(ctx context.Context, orgID int64, in isms.ResourceLineInput) (*isms.ResourceLine, error) {
	var l *isms.ResourceLine
	err := db.write(ctx, "CreateResourceLine", func(tx *Tx) error {
		a, err := tx.access(orgID)
		if err != nil {
			return err
		}
		// A caller who may edit nothing learns nothing from a field error.
		if !a.Can(isms.PermEdit) && !a.Can(isms.PermEditOwn) {
			return isms.Errorf(isms.EForbidden, "err.forbidden")
		}
		objOwner, err := tx.validateResourceLine(orgID, &in)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, lineEditor(objOwner, in.OwnerID, in.ObjectiveID != nil)); err != nil {
			return err
		}
		now := ts(tx.now)
		p := in.Planned
		id, err := tx.insert(`INSERT INTO resource_lines (organisation_id, year, objective_id, kind, title, role_id, role_text, supplier,
			planned_operating, planned_one_off, planned_fte, planned_hours, owner_id, note, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Year, nullInt(in.ObjectiveID), string(in.Kind), in.Title, nullInt(in.RoleID), in.RoleText, in.Supplier,
			nullFloat(p.Operating), nullFloat(p.OneOff), nullFloat(p.FTE), nullFloat(p.Hours), nullInt(in.OwnerID), strings.TrimSpace(in.Note), now, now)
		if err != nil {
			return err
		}
		if err := tx.setResourceLinks(orgID, id, in); err != nil {
			return err
		}
		if l, err = tx.resourceLine(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeResourceLine, id, nil, resRecord(l))
	})
	return l, err
}

// UpdateResourceLine changes a line, refusing a stale version. A grant
// stays as it was given; the line then shows it changed since.
func (db *DB) UpdateResourceLine(ctx context.Context, orgID, id int64, in isms.ResourceLineInput) (*isms.ResourceLine, error) {
	var l *isms.ResourceLine
	err := db.write(ctx, "UpdateResourceLine", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.resourceLine(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, lineEditor(before.ObjectiveOwner, before.OwnerID, before.ObjectiveID != nil)); err != nil {
			return err
		}
		objOwner, err := tx.validateResourceLine(orgID, &in)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, lineEditor(objOwner, in.OwnerID, in.ObjectiveID != nil)); err != nil {
			return err
		}
		if in.Kind != before.Kind && before.IsGranted() {
			// The granted amounts belong to the kind they were given for.
			var v isms.Validation
			v.Add("kind", "res.err.kind_granted")
			return v.Err()
		}
		p := in.Planned
		if _, err := tx.exec(`UPDATE resource_lines SET year = ?, objective_id = ?, kind = ?, title = ?, role_id = ?, role_text = ?, supplier = ?,
			planned_operating = ?, planned_one_off = ?, planned_fte = ?, planned_hours = ?, owner_id = ?, note = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`,
			in.Year, nullInt(in.ObjectiveID), string(in.Kind), in.Title, nullInt(in.RoleID), in.RoleText, in.Supplier,
			nullFloat(p.Operating), nullFloat(p.OneOff), nullFloat(p.FTE), nullFloat(p.Hours), nullInt(in.OwnerID), strings.TrimSpace(in.Note),
			ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setResourceLinks(orgID, id, in); err != nil {
			return err
		}
		if l, err = tx.resourceLine(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeResourceLine, id, resRecord(before), resRecord(l))
	})
	return l, err
}

// DeleteResourceLine removes a line with its links.
func (db *DB) DeleteResourceLine(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteResourceLine", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.resourceLine(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, lineEditor(before.ObjectiveOwner, before.OwnerID, before.ObjectiveID != nil)); err != nil {
			return err
		}
		return tx.deleteResourceLine(orgID, before)
	})
}

func (tx *Tx) deleteResourceLine(orgID int64, l *isms.ResourceLine) error {
	if _, err := tx.exec("DELETE FROM resource_links WHERE organisation_id = ? AND line_id = ?", orgID, l.ID); err != nil {
		return err
	}
	return tx.deleteRecord(orgID, "resource_lines", typeResourceLine, l.ID, resRecord(l))
}

// GrantResourceLine records management's grant on a line as read
// (version): the amounts granted, by whom and when.
func (db *DB) GrantResourceLine(ctx context.Context, orgID, id int64, in isms.ResourceGrantInput) (*isms.ResourceLine, error) {
	var l *isms.ResourceLine
	err := db.write(ctx, "GrantResourceLine", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermApprove); err != nil {
			return err
		}
		before, err := tx.resourceLine(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		checkAmounts(&v, "granted_", before.Kind, in.Granted)
		checkText(&v, "grant_note", in.Note, 2000)
		if err := v.Err(); err != nil {
			return err
		}
		g := in.Granted
		if _, err := tx.exec(`UPDATE resource_lines SET granted_operating = ?, granted_one_off = ?, granted_fte = ?, granted_hours = ?,
			granted_by = ?, granted_at = ?, granted_version = version + 1, grant_note = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			nullFloat(g.Operating), nullFloat(g.OneOff), nullFloat(g.FTE), nullFloat(g.Hours), tx.actor.UserID, ts(tx.now),
			strings.TrimSpace(in.Note), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if l, err = tx.resourceLine(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "grant", typeResourceLine, id, resRecord(before), resRecord(l))
	})
	return l, err
}

// ResourceChoices lists what a line may belong to or carry.
func (db *DB) ResourceChoices(ctx context.Context, orgID int64) (*isms.ResourceChoices, error) {
	return view(db, ctx, "ResourceChoices", orgID, func(tx *Tx) (*isms.ResourceChoices, error) {
		c := &isms.ResourceChoices{}
		var err error
		if c.Objectives, err = tx.allObjectives(orgID); err != nil {
			return nil, err
		}
		choice := func(row scanner) (isms.ResourceChoice, error) {
			var ch isms.ResourceChoice
			return ch, row.Scan(&ch.ID, &ch.Label, &ch.LabelEN)
		}
		if c.Roles, err = queryAll(tx, choice, "SELECT id, name, '' FROM security_roles WHERE organisation_id = ? ORDER BY position, id", orgID); err != nil {
			return nil, err
		}
		if c.Controls, err = queryAll(tx, choice, `SELECT id, ref || ' ' || title_da, ref || ' ' || title_en FROM controls WHERE (organisation_id IS NULL OR organisation_id = ?)
			AND catalogue IN ('iso27001:2022', 'own') ORDER BY sort_key, id`, orgID); err != nil {
			return nil, err
		}
		if c.Activities, err = queryAll(tx, choice, "SELECT id, title, '' FROM wheel_activities WHERE organisation_id = ? ORDER BY title, id", orgID); err != nil {
			return nil, err
		}
		if c.Tasks, err = queryAll(tx, choice, "SELECT id, title, '' FROM risk_tasks WHERE organisation_id = ? AND status IN ('planned', 'in_progress') ORDER BY title, id", orgID); err != nil {
			return nil, err
		}
		return c, nil
	})
}

// resourcePath is a line's page below /orgs/{id}.
func resourcePath(id int64) string { return "/resources/" + strconv.FormatInt(id, 10) }
