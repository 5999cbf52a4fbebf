package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// Threat catalogues: the one that ships with the product, shared by every
// organisation and read-only, and each organisation's own. A threat added
// to an organisation's catalogue may apply to assets already assessed, so
// their assessments are marked for ad-hoc reassessment in the same
// transaction.

const threatCatalogueColumns = `c.id, c.organisation_id, c.builtin_key, c.name, c.name_en, c.description, c.version, c.created_at,
	(SELECT COUNT(*) FROM threats t WHERE t.catalogue_id = c.id)`

func scanThreatCatalogue(row scanner) (*isms.ThreatCatalogue, error) {
	var c isms.ThreatCatalogue
	var org sql.NullInt64
	var key sql.NullString
	if err := row.Scan(&c.ID, &org, &key, &c.Name, &c.NameEN, &c.Description, &c.Version, scanTime{&c.CreatedAt}, &c.ThreatCount); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("threat catalogue")
		}
		return nil, err
	}
	c.OrganisationID, c.Builtin = int64Ptr(org), key.Valid
	return &c, nil
}

func (tx *Tx) threatCatalogue(orgID, id int64) (*isms.ThreatCatalogue, error) {
	return scanThreatCatalogue(tx.queryRow("SELECT "+threatCatalogueColumns+
		" FROM threat_catalogues c WHERE c.id = ? AND (c.organisation_id IS NULL OR c.organisation_id = ?)", id, orgID))
}

// ThreatCatalogues lists the shipped catalogue and the organisation's own.
func (db *DB) ThreatCatalogues(ctx context.Context, orgID int64) ([]*isms.ThreatCatalogue, error) {
	var out []*isms.ThreatCatalogue
	err := db.read(ctx, "ThreatCatalogues", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		rows, err := tx.query("SELECT "+threatCatalogueColumns+` FROM threat_catalogues c
			WHERE c.organisation_id IS NULL OR c.organisation_id = ? ORDER BY c.organisation_id IS NOT NULL, c.name, c.id`, orgID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanThreatCatalogue)
		return err
	})
	return out, err
}

func validateThreatCatalogue(in *isms.ThreatCatalogueInput) error {
	var v isms.Validation
	in.Name = strings.TrimSpace(in.Name)
	requireText(&v, "catalogue_name", in.Name, 200)
	checkText(&v, "description", in.Description, 5000)
	return v.Err()
}

// CreateThreatCatalogue adds a catalogue of the organisation's own.
func (db *DB) CreateThreatCatalogue(ctx context.Context, orgID int64, in isms.ThreatCatalogueInput) (*isms.ThreatCatalogue, error) {
	var c *isms.ThreatCatalogue
	err := db.write(ctx, "CreateThreatCatalogue", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := validateThreatCatalogue(&in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO threat_catalogues (organisation_id, name, description, version, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?)`, orgID, in.Name, strings.TrimSpace(in.Description), now, now)
		if err != nil {
			return err
		}
		c, err = audited(tx, tx.threatCatalogue, orgID, "create", typeThreatCatalogue, id, nil)
		return err
	})
	return c, err
}

// UpdateThreatCatalogue renames one of the organisation's own catalogues.
func (db *DB) UpdateThreatCatalogue(ctx context.Context, orgID, id int64, in isms.ThreatCatalogueInput) (*isms.ThreatCatalogue, error) {
	var c *isms.ThreatCatalogue
	err := db.write(ctx, "UpdateThreatCatalogue", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.threatCatalogue(orgID, id)
		if err != nil {
			return err
		}
		if before.Builtin {
			return isms.Errorf(isms.EForbidden, "risk.err.builtin_readonly")
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := validateThreatCatalogue(&in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE threat_catalogues SET name = ?, description = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, in.Name, strings.TrimSpace(in.Description), ts(tx.now), orgID, id); err != nil {
			return err
		}
		c, err = audited(tx, tx.threatCatalogue, orgID, "update", typeThreatCatalogue, id, before)
		return err
	})
	return c, err
}

const threatColumns = `t.id, t.catalogue_id, c.name, t.organisation_id, t.threat_key, t.threat_group, t.name_da, t.name_en, t.description_da,
	t.description_en, t.affects_c, t.affects_i, t.affects_a, t.asset_kinds, t.status, t.version, t.created_at`

const threatFrom = " FROM threats t JOIN threat_catalogues c ON c.id = t.catalogue_id"

func scanThreat(row scanner) (*isms.Threat, error) {
	var t isms.Threat
	var org sql.NullInt64
	var ac, ai, aa int
	var kinds, status string
	if err := row.Scan(&t.ID, &t.CatalogueID, &t.CatalogueName, &org, &t.Key, &t.Group, &t.NameDA, &t.NameEN, &t.DescriptionDA,
		&t.DescriptionEN, &ac, &ai, &aa, &kinds, &status, &t.Version, scanTime{&t.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("threat")
		}
		return nil, err
	}
	t.OrganisationID, t.Builtin, t.Status = int64Ptr(org), !org.Valid, isms.EntryStatus(status)
	t.Affects = isms.Affects{Confidentiality: ac == 1, Integrity: ai == 1, Availability: aa == 1}
	for _, k := range strings.Fields(kinds) {
		t.AssetKinds = append(t.AssetKinds, isms.AssetKind(k))
	}
	return &t, nil
}

// threat reads a threat the organisation may use: a shipped one or its own.
func (tx *Tx) threat(orgID, id int64) (*isms.Threat, error) {
	return scanThreat(tx.queryRow("SELECT "+threatColumns+threatFrom+" WHERE t.id = ? AND (t.organisation_id IS NULL OR t.organisation_id = ?)", id, orgID))
}

func (tx *Tx) threats(orgID int64, f isms.ThreatFilter) ([]*isms.Threat, error) {
	where := " WHERE (t.organisation_id IS NULL OR t.organisation_id = ?)"
	args := []any{orgID}
	if f.CatalogueID != 0 {
		where += " AND t.catalogue_id = ?"
		args = append(args, f.CatalogueID)
	}
	if f.Group != "" {
		where += " AND t.threat_group = ?"
		args = append(args, f.Group)
	}
	if f.Status != "" {
		where += " AND t.status = ?"
		args = append(args, f.Status)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where += " AND (LOWER(t.name_da) LIKE ? OR LOWER(t.name_en) LIKE ? OR LOWER(t.description_da) LIKE ? OR LOWER(t.description_en) LIKE ?)"
		like := "%" + strings.ToLower(q) + "%"
		args = append(args, like, like, like, like)
	}
	// Shipped threats first in the catalogue's order, then the
	// organisation's own by name.
	return queryAll(tx, scanThreat, "SELECT "+threatColumns+threatFrom+where+" ORDER BY t.organisation_id IS NOT NULL, c.name, t.threat_group, CASE WHEN t.organisation_id IS NULL THEN t.id ELSE 0 END, LOWER(t.name_da), t.id", args...)
}

// Threats lists the threats the organisation can assess: the shipped
// catalogue's and its own.
func (db *DB) Threats(ctx context.Context, orgID int64, f isms.ThreatFilter) ([]*isms.Threat, error) {
	return view(db, ctx, "Threats", orgID, func(tx *Tx) ([]*isms.Threat, error) { return tx.threats(orgID, f) })
}

// Threat reads one threat.
func (db *DB) Threat(ctx context.Context, orgID, id int64) (*isms.Threat, error) {
	return view(db, ctx, "Threat", orgID, func(tx *Tx) (*isms.Threat, error) { return tx.threat(orgID, id) })
}

func (tx *Tx) validateThreat(orgID int64, in *isms.ThreatInput) error {
	var v isms.Validation
	in.NameDA, in.NameEN = strings.TrimSpace(in.NameDA), strings.TrimSpace(in.NameEN)
	if !isms.ValidThreatGroup(in.Group) {
		v.Add("threat_group", "err.choice")
	}
	if in.NameDA == "" && in.NameEN == "" {
		v.Add("threat_name_da", "risk.err.threat_name")
	}
	checkText(&v, "threat_name_da", in.NameDA, 300)
	checkText(&v, "threat_name_en", in.NameEN, 300)
	checkText(&v, "threat_description_da", in.DescriptionDA, 5000)
	checkText(&v, "threat_description_en", in.DescriptionEN, 5000)
	if !in.Affects.Confidentiality && !in.Affects.Integrity && !in.Affects.Availability {
		v.Add("affects", "risk.err.affects")
	}
	seen := map[isms.AssetKind]bool{}
	kinds := in.AssetKinds[:0:0]
	for _, k := range in.AssetKinds {
		if !k.Valid() {
			v.Add("asset_kinds", "err.choice")
			break
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	in.AssetKinds = kinds
	if in.Status == "" {
		in.Status = isms.StatusActive
	}
	if !slices.Contains(isms.EntryStatuses, in.Status) {
		v.Add("status", "err.choice")
	}
	c, err := tx.threatCatalogue(orgID, in.CatalogueID)
	switch {
	case isms.ErrorCode(err) == isms.ENotFound:
		v.Add("catalogue_id", "err.unknown_reference")
	case err != nil:
		return err
	case c.Builtin:
		v.Add("catalogue_id", "risk.err.builtin_catalogue")
	}
	return v.Err()
}

func threatKindsArg(kinds []isms.AssetKind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, " ")
}

// CreateThreat adds a threat to one of the organisation's own catalogues
// and marks the completed assessments it may apply to for ad-hoc
// reassessment: those of assets of the kinds it applies to that do not
// assess this threat yet.
func (db *DB) CreateThreat(ctx context.Context, orgID int64, in isms.ThreatInput) (*isms.Threat, error) {
	var t *isms.Threat
	err := db.write(ctx, "CreateThreat", func(tx *Tx) (err error) {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		t, err = tx.createThreat(orgID, in)
		return err
	})
	return t, err
}

// createThreat adds a threat to an own catalogue with its audit event and
// marks the assessments it may apply to; the caller checked the role.
// An incident that shows a new threat adds it through here too.
func (tx *Tx) createThreat(orgID int64, in isms.ThreatInput) (*isms.Threat, error) {
	if err := tx.validateThreat(orgID, &in); err != nil {
		return nil, err
	}
	now := ts(tx.now)
	a := in.Affects
	id, err := tx.insert(`INSERT INTO threats (catalogue_id, organisation_id, threat_key, threat_group, name_da, name_en, description_da,
		description_en, affects_c, affects_i, affects_a, asset_kinds, status, version, created_at, updated_at)
		VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		in.CatalogueID, orgID, in.Group, in.NameDA, in.NameEN, strings.TrimSpace(in.DescriptionDA), strings.TrimSpace(in.DescriptionEN),
		b2i(a.Confidentiality), b2i(a.Integrity), b2i(a.Availability), threatKindsArg(in.AssetKinds), in.Status, now, now)
	if err != nil {
		return nil, err
	}
	t, err := tx.threat(orgID, id)
	if err != nil {
		return nil, err
	}
	if err := tx.audit(orgID, "create", typeThreat, id, nil, t); err != nil {
		return nil, err
	}
	if t.Status == isms.StatusActive {
		return t, tx.riskMarkForNewThreat(orgID, t)
	}
	return t, nil
}

// riskMarkForNewThreat marks the assessments a new threat may apply to.
func (tx *Tx) riskMarkForNewThreat(orgID int64, t *isms.Threat) error {
	q := `SELECT ra.id FROM risk_assessments ra JOIN assets a ON a.id = ra.asset_id
		WHERE ra.organisation_id = ? AND ra.status = 'completed' AND ra.mark_reason IS NULL
		AND NOT EXISTS (SELECT 1 FROM risks r WHERE r.organisation_id = ra.organisation_id AND r.assessment_id = ra.id AND r.threat_id = ?)`
	args := []any{orgID, t.ID}
	if len(t.AssetKinds) > 0 {
		q += " AND a.kind IN (" + placeholders(len(t.AssetKinds)) + ")"
		for _, k := range t.AssetKinds {
			args = append(args, string(k))
		}
	}
	rows, err := tx.query(q+" ORDER BY ra.id", args...)
	if err != nil {
		return err
	}
	ids, err := collect(rows, scanInt64)
	if err != nil {
		return err
	}
	name := t.NameDA
	if name == "" {
		name = t.NameEN
	}
	for _, id := range ids {
		before, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE risk_assessments SET mark_reason = ?, mark_note = ?, mark_threat_id = ?, mark_at = ?, mark_by = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			isms.ReassessNewThreat, name, t.ID, ts(tx.now), tx.riskActorID(), ts(tx.now), orgID, id); err != nil {
			return err
		}
		after, err := tx.riskAssessment(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.audit(orgID, "mark_reassessment", typeRiskAssessment, id, before, after); err != nil {
			return err
		}
	}
	return nil
}

// UpdateThreat changes one of the organisation's own threats; the shipped
// ones are read-only.
func (db *DB) UpdateThreat(ctx context.Context, orgID, id int64, in isms.ThreatInput) (*isms.Threat, error) {
	var t *isms.Threat
	err := db.write(ctx, "UpdateThreat", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.threat(orgID, id)
		if err != nil {
			return err
		}
		if before.Builtin {
			return isms.Errorf(isms.EForbidden, "risk.err.builtin_readonly")
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateThreat(orgID, &in); err != nil {
			return err
		}
		a := in.Affects
		if _, err := tx.exec(`UPDATE threats SET catalogue_id = ?, threat_group = ?, name_da = ?, name_en = ?, description_da = ?,
			description_en = ?, affects_c = ?, affects_i = ?, affects_a = ?, asset_kinds = ?, status = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`,
			in.CatalogueID, in.Group, in.NameDA, in.NameEN, strings.TrimSpace(in.DescriptionDA), strings.TrimSpace(in.DescriptionEN),
			b2i(a.Confidentiality), b2i(a.Integrity), b2i(a.Availability), threatKindsArg(in.AssetKinds), in.Status, ts(tx.now), orgID, id); err != nil {
			return err
		}
		t, err = audited(tx, tx.threat, orgID, "update", typeThreat, id, before)
		return err
	})
	return t, err
}
