package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// Assets (guide 2.3 on the ground of 2.1). The business-critical
// processes, information and IT systems of the business overview are the
// primary assets: each gets a row here the first time risk management
// looks at it, holding only what risk management adds (an owner of its
// own, criticality and needs set by hand). Name, description, status and
// the derived needs are always read from the entry, so the two registers
// cannot disagree. Supporting assets live here alone, linked to the
// primary assets they serve (record_links from 'asset' to 'asset').

// riskNeedSQL is the SQL for an asset's effective need in one dimension
// (c, i or a) for the asset aliased a with its entry aliased e: set by
// hand, or derived from the entry's requirement level, or for a
// supporting asset from the highest need of the primary assets it serves.
func riskNeedSQL(dim string) string {
	return "COALESCE(a.need_" + dim + ", " + riskDerivedSQL(dim) + ")"
}

func riskDerivedSQL(dim string) string {
	col := map[string]string{"c": "req_confidentiality", "i": "req_integrity", "a": "req_availability"}[dim]
	return `(CASE WHEN a.entry_id IS NOT NULL THEN COALESCE(e.` + col + `, 0) ELSE COALESCE((SELECT MAX(COALESCE(p.need_` + dim + `, pe.` + col + `, 0))
		FROM record_links l JOIN assets p ON p.id = l.to_id LEFT JOIN overview_entries pe ON pe.id = p.entry_id AND pe.organisation_id = p.organisation_id
		WHERE l.organisation_id = a.organisation_id AND l.from_type = 'asset' AND l.from_id = a.id AND l.to_type = 'asset'), 0) END)`
}

// riskMax3SQL is the greatest of three SQL expressions, written with CASE
// because SQLite and PostgreSQL spell "greatest" differently.
func riskMax3SQL(x, y, z string) string {
	return "(CASE WHEN " + x + " >= " + y + " AND " + x + " >= " + z + " THEN " + x + " WHEN " + y + " >= " + z + " THEN " + y + " ELSE " + z + " END)"
}

// riskCriticalitySQL is an asset's effective criticality.
func riskCriticalitySQL() string {
	return "COALESCE(a.criticality, " + riskMax3SQL(riskNeedSQL("c"), riskNeedSQL("i"), riskNeedSQL("a")) + ")"
}

const assetFrom = ` FROM assets a LEFT JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id
	LEFT JOIN users u ON u.id = COALESCE(a.owner_id, e.owner_id)`

// assetStatusSQL: a primary asset has its entry's status; one whose entry
// was deleted from the business overview is retired.
const assetStatusSQL = `(CASE WHEN a.entry_id IS NULL THEN a.status WHEN e.id IS NULL THEN 'retired' ELSE e.status END)`

func assetColumns() string {
	return `a.id, a.organisation_id, a.kind, a.entry_id, COALESCE(e.name, a.name), COALESCE(e.description, a.description),
	COALESCE(a.owner_id, e.owner_id), COALESCE(u.name, ''), ` + assetStatusSQL + `, a.criticality, a.need_c, a.need_i, a.need_a,
	` + riskDerivedSQL("c") + `, ` + riskDerivedSQL("i") + `, ` + riskDerivedSQL("a") + `, a.version, a.created_at, a.updated_at`
}

func scanAsset(row scanner) (*isms.Asset, error) {
	var a isms.Asset
	var entry, owner, crit, nc, ni, na sql.NullInt64
	var kind, status string
	var dc, di, da int
	if err := row.Scan(&a.ID, &a.OrganisationID, &kind, &entry, &a.Name, &a.Description, &owner, &a.OwnerName, &status,
		&crit, &nc, &ni, &na, &dc, &di, &da, &a.Version, scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("asset")
		}
		return nil, err
	}
	a.Kind, a.Status, a.EntryID, a.OwnerID = isms.AssetKind(kind), isms.EntryStatus(status), int64Ptr(entry), int64Ptr(owner)
	a.Derived = isms.CIA{Confidentiality: isms.Level(dc), Integrity: isms.Level(di), Availability: isms.Level(da)}
	a.Needs = a.Derived
	if nc.Valid {
		a.Needs.Confidentiality, a.Overridden.Confidentiality = isms.Level(nc.Int64), true
	}
	if ni.Valid {
		a.Needs.Integrity, a.Overridden.Integrity = isms.Level(ni.Int64), true
	}
	if na.Valid {
		a.Needs.Availability, a.Overridden.Availability = isms.Level(na.Int64), true
	}
	a.Criticality = a.Needs.Max()
	if crit.Valid {
		a.Criticality, a.CriticalityOverridden = isms.Level(crit.Int64), true
	}
	return &a, nil
}

// riskUnadopted counts the business-critical entries without an asset
// row, and the asset rows whose copy of the entry's name is out of date.
func (tx *Tx) riskUnadopted(orgID int64) (int, error) {
	n, err := tx.count(`SELECT COUNT(*) FROM overview_entries e WHERE e.organisation_id = ? AND e.kind IN ('process', 'information', 'system')
		AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.organisation_id = e.organisation_id AND a.entry_id = e.id)`, orgID)
	if err != nil || n > 0 {
		return n, err
	}
	return tx.count(`SELECT COUNT(*) FROM assets a JOIN overview_entries e ON e.id = a.entry_id AND e.organisation_id = a.organisation_id
		WHERE a.organisation_id = ? AND e.name <> a.name`, orgID)
}

// riskAdoptEntries gives every business-critical entry its asset row and
// brings the rows' copies of the entries' names up to date (the register
// sorts by the copy, without joining the business overview). The row
// starts empty of anything of its own (everything is read from the
// entry), so making it is bookkeeping, not a change anyone made: it is
// not an audited event. Every later change to the row is.
func (tx *Tx) riskAdoptEntries(orgID int64) error {
	now := ts(tx.now)
	if _, err := tx.exec(`INSERT INTO assets (organisation_id, kind, entry_id, name, description, status, version, created_at, updated_at)
		SELECT e.organisation_id, e.kind, e.id, e.name, '', 'active', 1, ?, ? FROM overview_entries e
		WHERE e.organisation_id = ? AND e.kind IN ('process', 'information', 'system')
		AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.organisation_id = e.organisation_id AND a.entry_id = e.id)`, now, now, orgID); err != nil {
		return err
	}
	_, err := tx.exec(`UPDATE assets SET name = (SELECT e.name FROM overview_entries e WHERE e.id = assets.entry_id AND e.organisation_id = assets.organisation_id)
		WHERE organisation_id = ? AND entry_id IS NOT NULL AND EXISTS (SELECT 1 FROM overview_entries e
		WHERE e.id = assets.entry_id AND e.organisation_id = assets.organisation_id AND e.name <> assets.name)`, orgID)
	return err
}

// AdoptAssets brings the business-critical entries that have no asset row
// yet into each organisation's asset register, and reports in how many
// organisations it did. Entries are adopted in the write that creates or
// renames them; this catches up the entries an older version left to be
// adopted when the register was first read, and those of a restored
// archive of such a version. It acts for no user, under each
// organisation's write lock, so it is safe from several instances at once.
func (db *DB) AdoptAssets(ctx context.Context) (int, error) {
	var ids []int64
	err := db.read(ctx, "AdoptAssets", func(tx *Tx) (err error) {
		ids, err = queryAll(tx, scanInt64, "SELECT id FROM organisations ORDER BY id")
		return err
	})
	if err != nil {
		return 0, err
	}
	adopted := 0
	for _, orgID := range ids {
		// Most runs find nothing to adopt: a read says so without waiting
		// for the organisation's writers.
		n := 0
		err := db.read(ctx, "AdoptAssets", func(tx *Tx) (err error) {
			n, err = tx.riskUnadopted(orgID)
			return err
		})
		if err != nil {
			return adopted, err
		}
		if n == 0 {
			continue
		}
		err = db.write(ctx, "AdoptAssets", func(tx *Tx) error {
			if err := tx.lockOrganisation(orgID); err != nil {
				return err
			}
			return tx.riskAdoptEntries(orgID)
		})
		if err != nil {
			return adopted, err
		}
		adopted++
	}
	return adopted, nil
}

func (tx *Tx) asset(orgID, id int64) (*isms.Asset, error) {
	a, err := scanAsset(tx.queryRow("SELECT "+assetColumns()+assetFrom+" WHERE a.organisation_id = ? AND a.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	if a.Supports, err = tx.links(orgID, typeAsset, id, typeAsset, false); err != nil {
		return nil, err
	}
	supportedBy, err := queryAll(tx, scanInt64, "SELECT from_id FROM record_links WHERE organisation_id = ? AND to_type = 'asset' AND to_id = ? AND from_type = 'asset' ORDER BY from_id", orgID, id)
	if err != nil {
		return nil, err
	}
	a.SupportedBy = append(a.SupportedBy, supportedBy...)
	if err := tx.riskAssetAssessments(orgID, []*isms.Asset{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// riskAssetAssessments fills in where each asset stands with its risk
// assessments: current if any assessment of it is current; due or ad hoc
// if it was assessed but that no longer holds; in progress if only begun.
func (tx *Tx) riskAssetAssessments(orgID int64, assets []*isms.Asset) error {
	if len(assets) == 0 {
		return nil
	}
	byID := map[int64]*isms.Asset{}
	ids := make([]any, 0, len(assets)+1)
	ids = append(ids, orgID)
	for _, a := range assets {
		byID[a.ID] = a
		a.AssessmentStatus = isms.AssetUnassessed
		ids = append(ids, a.ID)
	}
	today := tx.Today()
	rows, err := tx.query(`SELECT ra.id, ra.asset_id, ra.status, ra.next_reassessment, ra.basis_c, ra.basis_i, ra.basis_a, ra.mark_reason,
		(SELECT COUNT(*) FROM risks r WHERE r.organisation_id = ra.organisation_id AND r.assessment_id = ra.id)
		FROM risk_assessments ra WHERE ra.organisation_id = ? AND ra.asset_id IN (`+placeholders(len(assets))+`) ORDER BY ra.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	rank := map[isms.AssetAssessment]int{isms.AssetUnassessed: 0, isms.AssetInProgress: 1, isms.AssetReassessDue: 2,
		isms.AssetReassessAdHoc: 2, isms.AssetCurrent: 3}
	for rows.Next() {
		var id, assetID int64
		var status string
		var next, mark sql.NullString
		var bc, bi, ba, risks int
		if err := rows.Scan(&id, &assetID, &status, &next, &bc, &bi, &ba, &mark, &risks); err != nil {
			return err
		}
		a := byID[assetID]
		ra := isms.RiskAssessment{Status: isms.AssessmentStatus(status), NextReassessment: parseDatePtr(next), AssetID: &assetID,
			Basis: isms.CIA{Confidentiality: isms.Level(bc), Integrity: isms.Level(bi), Availability: isms.Level(ba)}, CurrentNeeds: a.Needs}
		if mark.Valid {
			ra.Mark = &isms.ReassessMark{Reason: mark.String}
		}
		st := isms.AssetInProgress
		switch {
		case ra.Current(today):
			st = isms.AssetCurrent
		case ra.Status == isms.AssessmentCompleted && (ra.Mark != nil || ra.NeedsChanged()):
			st = isms.AssetReassessAdHoc
		case ra.Status == isms.AssessmentCompleted:
			st = isms.AssetReassessDue
		}
		a.RiskCount += risks
		if rank[st] >= rank[a.AssessmentStatus] {
			a.AssessmentStatus = st
			aid := id
			a.AssessmentID = &aid
		}
	}
	return rows.Err()
}

// riskCurrentAssessmentSQL holds for an asset (aliased a, entry e) that
// has a current assessment; today is bound as the one parameter.
func riskCurrentAssessmentSQL() string {
	return `EXISTS (SELECT 1 FROM risk_assessments ra WHERE ra.organisation_id = a.organisation_id AND ra.asset_id = a.id
		AND ra.status = 'completed' AND ra.next_reassessment >= ? AND ra.mark_reason IS NULL
		AND ra.basis_c = ` + riskNeedSQL("c") + ` AND ra.basis_i = ` + riskNeedSQL("i") + ` AND ra.basis_a = ` + riskNeedSQL("a") + `)`
}

var assetSorts = map[string]string{"name": "LOWER(COALESCE(e.name, a.name))", "kind": "a.kind", "owner": "u.name", "status": assetStatusSQL}

// Assets lists the asset register, filtered, sorted and paginated in the
// database. The business-critical entries are in it already: the write
// that creates or renames an entry adopts it (riskAdoptEntries).
func (db *DB) Assets(ctx context.Context, orgID int64, f isms.AssetFilter) ([]*isms.Asset, int, error) {
	var out []*isms.Asset
	var total int
	err := db.read(ctx, "Assets", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE a.organisation_id = ?"
		args := []any{orgID}
		if f.Kind != "" {
			where += " AND a.kind = ?"
			args = append(args, f.Kind)
		}
		switch f.Primary {
		case "primary":
			where += " AND a.entry_id IS NOT NULL"
		case "supporting":
			where += " AND a.entry_id IS NULL"
		}
		if f.OwnerID != 0 {
			where += " AND COALESCE(a.owner_id, e.owner_id) = ?"
			args = append(args, f.OwnerID)
		}
		if f.Status != "" {
			where += " AND " + assetStatusSQL + " = ?"
			args = append(args, f.Status)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND LOWER(COALESCE(e.name, a.name)) LIKE ?"
			args = append(args, "%"+strings.ToLower(q)+"%")
		}
		if f.Unassessed {
			where += " AND " + assetStatusSQL + " = 'active' AND NOT " + riskCurrentAssessmentSQL()
			args = append(args, tx.Today().String())
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+assetFrom+where, args...); err != nil {
			return err
		}
		sorts := map[string]string{"criticality": riskCriticalitySQL()}
		for k, v := range assetSorts {
			sorts[k] = v
		}
		order := orderBy(f.Sort, sorts, "a.entry_id IS NULL, "+assetSorts["name"])
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		rows, err := tx.query("SELECT "+assetColumns()+assetFrom+where+" ORDER BY "+order+", a.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanAsset)
		if err != nil {
			return err
		}
		return tx.riskAssetAssessments(orgID, out)
	})
	return out, total, err
}

// Asset reads one asset.
func (db *DB) Asset(ctx context.Context, orgID, id int64) (*isms.Asset, error) {
	return view(db, ctx, "Asset", orgID, func(tx *Tx) (*isms.Asset, error) { return tx.asset(orgID, id) })
}

// AssetForEntry reads the asset of a business-critical entry.
func (db *DB) AssetForEntry(ctx context.Context, orgID, entryID int64) (*isms.Asset, error) {
	var a *isms.Asset
	err := db.read(ctx, "AssetForEntry", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		var id int64
		if err := tx.queryRow("SELECT id FROM assets WHERE organisation_id = ? AND entry_id = ?", orgID, entryID).Scan(&id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("asset")
			}
			return err
		}
		var err error
		a, err = tx.asset(orgID, id)
		return err
	})
	return a, err
}

// validateAsset checks an asset's input; for a primary asset only what
// risk management adds is looked at.
func (tx *Tx) validateAsset(orgID int64, primary bool, in *isms.AssetInput) error {
	var v isms.Validation
	if !primary {
		in.Name = strings.TrimSpace(in.Name)
		if !in.Kind.Valid() || in.Kind.Primary() {
			v.Add("asset_kind", "risk.err.supporting_kind")
		}
		requireText(&v, "name", in.Name, 300)
		checkText(&v, "description", in.Description, 10000)
		if in.Status == "" {
			in.Status = isms.StatusActive
		}
		if !slices.Contains(isms.EntryStatuses, in.Status) {
			v.Add("status", "err.choice")
		}
	}
	for field, l := range map[string]*isms.Level{"criticality": in.Criticality, "need_confidentiality": in.Confidentiality,
		"need_integrity": in.Integrity, "need_availability": in.Availability} {
		if l != nil && (*l < 1 || *l > isms.MaxLevel) {
			v.Add(field, "risk.err.need_level", int(isms.MaxLevel))
		}
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if primary {
		in.Supports = nil
	}
	if len(in.Supports) > 200 {
		v.Add("supports", "err.too_many_links", 200)
	} else if len(in.Supports) > 0 {
		n, err := tx.count("SELECT COUNT(*) FROM assets WHERE organisation_id = ? AND entry_id IS NOT NULL AND id IN ("+placeholders(len(in.Supports))+")",
			append([]any{orgID}, int64sToAny(in.Supports)...)...)
		if err != nil {
			return err
		}
		if n != len(uniq(in.Supports)) {
			v.Add("supports", "risk.err.supports_primary")
		}
	}
	return v.Err()
}

func riskLevelArg(l *isms.Level) any {
	if l == nil {
		return nil
	}
	return int(*l)
}

// CreateAsset adds a supporting asset. Contributors may add assets they own.
func (db *DB) CreateAsset(ctx context.Context, orgID int64, in isms.AssetInput) (*isms.Asset, error) {
	var a *isms.Asset
	err := db.write(ctx, "CreateAsset", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateAsset(orgID, false, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO assets (organisation_id, kind, entry_id, name, description, owner_id, status, criticality,
			need_c, need_i, need_a, version, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Kind, in.Name, strings.TrimSpace(in.Description), nullInt(in.OwnerID), in.Status, riskLevelArg(in.Criticality),
			riskLevelArg(in.Confidentiality), riskLevelArg(in.Integrity), riskLevelArg(in.Availability), now, now)
		if err != nil {
			return err
		}
		if err := tx.setLinks(orgID, typeAsset, id, typeAsset, in.Supports, false); err != nil {
			return err
		}
		a, err = audited(tx, tx.asset, orgID, "create", typeAsset, id, nil)
		return err
	})
	return a, err
}

// UpdateAsset changes an asset, refusing a stale version. Of a primary
// asset only the owner, criticality and needs are risk management's to
// change; the rest is changed in the business overview.
func (db *DB) UpdateAsset(ctx context.Context, orgID, id int64, in isms.AssetInput) (*isms.Asset, error) {
	var a *isms.Asset
	err := db.write(ctx, "UpdateAsset", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.asset(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, before.OwnerID); err != nil {
			return err
		}
		owner := in.OwnerID
		if owner == nil && before.EntryID != nil {
			owner = before.OwnerID // the entry's owner stays the owner
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, owner); err != nil {
			return err
		}
		primary := before.EntryID != nil
		if err := tx.validateAsset(orgID, primary, &in); err != nil {
			return err
		}
		if primary {
			_, err = tx.exec(`UPDATE assets SET name = ?, owner_id = ?, criticality = ?, need_c = ?, need_i = ?, need_a = ?, version = version + 1,
				updated_at = ? WHERE organisation_id = ? AND id = ?`, before.Name, nullInt(in.OwnerID), riskLevelArg(in.Criticality),
				riskLevelArg(in.Confidentiality), riskLevelArg(in.Integrity), riskLevelArg(in.Availability), ts(tx.now), orgID, id)
		} else {
			_, err = tx.exec(`UPDATE assets SET kind = ?, name = ?, description = ?, owner_id = ?, status = ?, criticality = ?, need_c = ?,
				need_i = ?, need_a = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
				in.Kind, in.Name, strings.TrimSpace(in.Description), nullInt(in.OwnerID), in.Status, riskLevelArg(in.Criticality),
				riskLevelArg(in.Confidentiality), riskLevelArg(in.Integrity), riskLevelArg(in.Availability), ts(tx.now), orgID, id)
		}
		if err != nil {
			return err
		}
		if !primary {
			if err := tx.setLinks(orgID, typeAsset, id, typeAsset, in.Supports, false); err != nil {
				return err
			}
		}
		a, err = audited(tx, tx.asset, orgID, "update", typeAsset, id, before)
		return err
	})
	return a, err
}

// DeleteAsset removes a supporting asset that no assessment covers. A
// primary asset goes when its entry is retired in the business overview.
func (db *DB) DeleteAsset(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteAsset", func(tx *Tx) error {
		if _, err := tx.access(orgID); err != nil {
			return err
		}
		before, err := tx.asset(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if before.EntryID != nil {
			return isms.Errorf(isms.EInvalid, "risk.err.primary_asset_delete")
		}
		n, err := tx.count("SELECT COUNT(*) FROM risk_assessments WHERE organisation_id = ? AND asset_id = ?", orgID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EConflict, "risk.err.asset_in_use", n)
		}
		if err := tx.deleteLinks(orgID, typeAsset, id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "assets", typeAsset, id, before)
	})
}
