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

// The supplier register and the supervision of suppliers (guide 2.9,
// Annex A 5.19–5.23). A supplier's links — the business-overview entries
// that depend on it, the controls and the risks whose treatment it
// carries — are rows of supplier_links, replaced whole on each change as
// a resource line's are. Agreements and supervisions hang on the supplier:
// whoever may edit the supplier may record them.

const (
	typeSupplier          = "supplier"
	typeSupplierAgreement = "supplier_agreement"
	typeSupervision       = "supplier_supervision"
)

const supColumns = `s.id, s.organisation_id, s.name, s.cvr, s.contact, s.delivers, s.criticality, s.status, s.owner_id, COALESCE(u.name, ''), s.note,
	(SELECT MIN(v.planned_on) FROM supplier_supervisions v WHERE v.supplier_id = s.id AND v.done_on IS NULL),
	(SELECT MAX(v.done_on) FROM supplier_supervisions v WHERE v.supplier_id = s.id),
	s.version, s.created_at, s.updated_at`

const supFrom = ` FROM suppliers s LEFT JOIN users u ON u.id = s.owner_id`

func scanSupplier(row scanner) (*isms.Supplier, error) {
	var s isms.Supplier
	var owner sql.NullInt64
	var crit, status string
	if err := row.Scan(&s.ID, &s.OrganisationID, &s.Name, &s.CVR, &s.Contact, &s.Delivers, &crit, &status, &owner, &s.OwnerName, &s.Note,
		scanDatePtr{&s.PlannedSupervision}, scanDatePtr{&s.LastSupervision}, &s.Version, scanTime{&s.CreatedAt}, scanTime{&s.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("supplier")
		}
		return nil, err
	}
	s.Criticality, s.Status, s.OwnerID = isms.SupplierCriticality(crit), isms.SupplierStatus(status), int64Ptr(owner)
	s.Dependencies, s.Controls, s.Risks = []isms.SupplierLink{}, []isms.SupplierLink{}, []isms.SupplierLink{}
	s.SetNextSupervision()
	return &s, nil
}

// The queries that read each kind of link with its label.
var supLinkQueries = map[string]string{
	"entry": `SELECT k.supplier_id, e.id, e.name, '', e.kind FROM supplier_links k
		JOIN overview_entries e ON e.id = k.target_id AND e.organisation_id = k.organisation_id
		WHERE k.organisation_id = ? AND k.kind = 'entry' AND k.supplier_id IN (%s) ORDER BY e.kind, e.name, e.id`,
	"control": `SELECT k.supplier_id, c.id, c.ref || ' ' || c.title_da, c.ref || ' ' || c.title_en, '' FROM supplier_links k
		JOIN controls c ON c.id = k.target_id WHERE k.organisation_id = ? AND k.kind = 'control' AND k.supplier_id IN (%s) ORDER BY c.sort_key, c.id`,
	"risk": `SELECT k.supplier_id, r.id, r.title, '', '' FROM supplier_links k
		JOIN risks r ON r.id = k.target_id AND r.organisation_id = k.organisation_id
		WHERE k.organisation_id = ? AND k.kind = 'risk' AND k.supplier_id IN (%s) ORDER BY r.title, r.id`,
}

// fillSupplierLinks reads the links of the suppliers.
func (tx *Tx) fillSupplierLinks(orgID int64, sups []*isms.Supplier) error {
	if len(sups) == 0 {
		return nil
	}
	byID := map[int64]*isms.Supplier{}
	ids := make([]string, 0, len(sups))
	for _, s := range sups {
		byID[s.ID] = s
		ids = append(ids, strconv.FormatInt(s.ID, 10))
	}
	in := strings.Join(ids, ",")
	for _, kind := range []string{"entry", "control", "risk"} {
		rows, err := tx.query(strings.Replace(supLinkQueries[kind], "%s", in, 1), orgID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sid int64
			var l isms.SupplierLink
			if err := rows.Scan(&sid, &l.ID, &l.Label, &l.LabelEN, &l.Kind); err != nil {
				rows.Close()
				return err
			}
			s := byID[sid]
			switch kind {
			case "entry":
				s.Dependencies = append(s.Dependencies, l)
			case "control":
				s.Controls = append(s.Controls, l)
			default:
				s.Risks = append(s.Risks, l)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) supplier(orgID, id int64) (*isms.Supplier, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	s, err := scanSupplier(tx.queryRow("SELECT "+supColumns+supFrom+" WHERE s.organisation_id = ? AND s.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	return s, tx.fillSupplierLinks(orgID, []*isms.Supplier{s})
}

// supRecord is a supplier as the audit trail keeps it.
func supRecord(s *isms.Supplier) map[string]any {
	labels := func(ls []isms.SupplierLink) []string {
		out := make([]string, 0, len(ls))
		for _, l := range ls {
			out = append(out, l.Label)
		}
		return out
	}
	return map[string]any{"name": s.Name, "cvr": s.CVR, "contact": s.Contact, "delivers": s.Delivers, "criticality": s.Criticality,
		"status": s.Status, "owner": s.OwnerName, "note": s.Note, "dependencies": labels(s.Dependencies), "controls": labels(s.Controls),
		"risks": labels(s.Risks)}
}

// supLinkChecks are the queries that find a link's target in the
// organisation: the business-critical systems, information and processes
// of the overview, the Annex A and own controls, and the risks.
var supLinkChecks = []struct{ field, kind, query string }{
	{"dependencies", "entry", "SELECT COUNT(*) FROM overview_entries WHERE organisation_id = ? AND id = ? AND kind IN ('system', 'information', 'process')"},
	{"controls", "control", "SELECT COUNT(*) FROM controls WHERE (organisation_id IS NULL OR organisation_id = ?) AND id = ? AND catalogue IN ('iso27001:2022', 'own')"},
	{"risks", "risk", "SELECT COUNT(*) FROM risks WHERE organisation_id = ? AND id = ?"},
}

func supLinkIDs(in *isms.SupplierInput, kind string) *[]int64 {
	switch kind {
	case "entry":
		return &in.Dependencies
	case "control":
		return &in.Controls
	}
	return &in.Risks
}

// validateSupplier checks a supplier's input; an active supplier must
// have an owner.
func (tx *Tx) validateSupplier(orgID int64, in *isms.SupplierInput) error {
	in.Name, in.Contact, in.CVR = strings.TrimSpace(in.Name), strings.TrimSpace(in.Contact), isms.NormaliseCVR(in.CVR)
	var v isms.Validation
	requireText(&v, "name", in.Name, 300)
	if in.CVR != "" && !isms.ValidCVR(in.CVR) {
		v.Add("cvr", "sup.err.cvr")
	}
	checkText(&v, "contact", in.Contact, 1000)
	checkText(&v, "delivers", in.Delivers, 5000)
	checkText(&v, "note", in.Note, 10000)
	if !in.Criticality.Valid() {
		v.Add("criticality", "err.choice")
	}
	if in.Status == "" {
		in.Status = isms.SupplierActive
	}
	if !in.Status.Valid() {
		v.Add("status", "err.choice")
	}
	if in.OwnerID == nil && in.Status == isms.SupplierActive {
		v.Add("owner_id", "sup.err.owner_required")
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	for _, c := range supLinkChecks {
		ids := supLinkIDs(in, c.kind)
		slices.Sort(*ids)
		*ids = slices.Compact(*ids)
		if len(*ids) > 200 {
			v.Add(c.field, "sup.err.too_many")
			continue
		}
		for _, id := range *ids {
			n, err := tx.count(c.query, orgID, id)
			if err != nil {
				return err
			}
			if n == 0 {
				v.Add(c.field, "err.unknown_reference")
				break
			}
		}
	}
	return v.Err()
}

func (tx *Tx) setSupplierLinks(orgID, id int64, in *isms.SupplierInput) error {
	if _, err := tx.exec("DELETE FROM supplier_links WHERE organisation_id = ? AND supplier_id = ?", orgID, id); err != nil {
		return err
	}
	for _, c := range supLinkChecks {
		for _, target := range *supLinkIDs(in, c.kind) {
			if _, err := tx.exec("INSERT INTO supplier_links (organisation_id, supplier_id, kind, target_id) VALUES (?, ?, ?, ?)",
				orgID, id, c.kind, target); err != nil {
				return err
			}
		}
	}
	return nil
}

var supSorts = map[string]string{"name": "s.name", "owner": "u.name", "status": "s.status", "updated": "s.updated_at",
	"criticality": "CASE s.criticality WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END"}

// Suppliers lists the register, filtered, sorted and paginated. The
// overdue filter works on the next supervision, which is worked out from
// the criticality and the supervisions, so it is applied after reading.
func (db *DB) Suppliers(ctx context.Context, orgID int64, f isms.SupplierFilter) ([]*isms.Supplier, int, error) {
	var out []*isms.Supplier
	var total int
	err := db.read(ctx, "Suppliers", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE s.organisation_id = ?"
		args := []any{orgID}
		if f.Criticality != "" {
			where += " AND s.criticality = ?"
			args = append(args, string(f.Criticality))
		}
		if f.Status != "" {
			where += " AND s.status = ?"
			args = append(args, string(f.Status))
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			where += " AND (LOWER(s.name) LIKE ? OR s.cvr LIKE ? OR LOWER(s.delivers) LIKE ?)"
			like := "%" + strings.ToLower(q) + "%"
			args = append(args, like, like, like)
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		order := orderBy(f.Sort, supSorts, "s.name")
		q := "SELECT " + supColumns + supFrom + where + " ORDER BY " + order + ", s.id"
		if !f.Overdue {
			var err error
			if total, err = tx.count("SELECT COUNT(*)"+supFrom+where, args...); err != nil {
				return err
			}
			if out, err = queryAll(tx, scanSupplier, q+" LIMIT ? OFFSET ?", append(args, limit, f.Offset)...); err != nil {
				return err
			}
			return tx.fillSupplierLinks(orgID, out)
		}
		all, err := queryAll(tx, scanSupplier, q, args...)
		if err != nil {
			return err
		}
		today := isms.DateOf(tx.now)
		all = slices.DeleteFunc(all, func(s *isms.Supplier) bool { return !s.SupervisionOverdue(today) })
		total = len(all)
		out = all[min(f.Offset, total):min(f.Offset+limit, total)]
		return tx.fillSupplierLinks(orgID, out)
	})
	return out, total, err
}

// Supplier reads one supplier with its links.
func (db *DB) Supplier(ctx context.Context, orgID, id int64) (*isms.Supplier, error) {
	return view(db, ctx, "Supplier", orgID, func(tx *Tx) (*isms.Supplier, error) { return tx.supplier(orgID, id) })
}

// CreateSupplier adds a supplier. Contributors may add suppliers they own.
func (db *DB) CreateSupplier(ctx context.Context, orgID int64, in isms.SupplierInput) (*isms.Supplier, error) {
	var s *isms.Supplier
	err := db.write(ctx, "CreateSupplier", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateSupplier(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO suppliers (organisation_id, name, cvr, contact, delivers, criticality, status, owner_id, note, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, orgID, in.Name, in.CVR, in.Contact, in.Delivers, string(in.Criticality), string(in.Status),
			nullInt(in.OwnerID), in.Note, now, now)
		if err != nil {
			return err
		}
		if err := tx.setSupplierLinks(orgID, id, &in); err != nil {
			return err
		}
		if s, err = tx.supplier(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeSupplier, id, nil, supRecord(s))
	})
	return s, err
}

// UpdateSupplier changes a supplier, refusing a stale version.
func (db *DB) UpdateSupplier(ctx context.Context, orgID, id int64, in isms.SupplierInput) (*isms.Supplier, error) {
	var s *isms.Supplier
	err := db.write(ctx, "UpdateSupplier", func(tx *Tx) error {
		before, err := tx.supplier(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateSupplier(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE suppliers SET name = ?, cvr = ?, contact = ?, delivers = ?, criticality = ?, status = ?, owner_id = ?, note = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`, in.Name, in.CVR, in.Contact, in.Delivers,
			string(in.Criticality), string(in.Status), nullInt(in.OwnerID), in.Note, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setSupplierLinks(orgID, id, &in); err != nil {
			return err
		}
		if s, err = tx.supplier(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeSupplier, id, supRecord(before), supRecord(s))
	})
	return s, err
}

// DeleteSupplier removes a supplier with its links, agreements and
// supervisions, each kept in the audit trail.
func (db *DB) DeleteSupplier(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteSupplier", func(tx *Tx) error {
		before, err := tx.supplier(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		ags, err := tx.agreements(orgID, id)
		if err != nil {
			return err
		}
		for _, a := range ags {
			if err := tx.deleteRecord(orgID, "supplier_agreements", typeSupplierAgreement, a.ID, agreementRecord(a)); err != nil {
				return err
			}
		}
		sups, err := tx.supervisions(orgID, " AND v.supplier_id = ?", id)
		if err != nil {
			return err
		}
		for _, v := range sups {
			if err := tx.deleteRecord(orgID, "supplier_supervisions", typeSupervision, v.ID, supervisionRecord(v)); err != nil {
				return err
			}
		}
		if _, err := tx.exec("DELETE FROM supplier_links WHERE organisation_id = ? AND supplier_id = ?", orgID, id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "suppliers", typeSupplier, id, supRecord(before))
	})
}

// SupplierChoices lists what a supplier may be linked to.
func (db *DB) SupplierChoices(ctx context.Context, orgID int64) (*isms.SupplierChoices, error) {
	return view(db, ctx, "SupplierChoices", orgID, func(tx *Tx) (*isms.SupplierChoices, error) {
		if _, err := tx.access(orgID); err != nil {
			return nil, err
		}
		link := func(row scanner) (isms.SupplierLink, error) {
			var l isms.SupplierLink
			return l, row.Scan(&l.ID, &l.Label, &l.LabelEN, &l.Kind)
		}
		c := &isms.SupplierChoices{}
		var err error
		if c.Entries, err = queryAll(tx, link, `SELECT id, name, '', kind FROM overview_entries WHERE organisation_id = ?
			AND kind IN ('system', 'information', 'process') AND status <> 'retired' ORDER BY kind, name, id`, orgID); err != nil {
			return nil, err
		}
		if c.Controls, err = queryAll(tx, link, `SELECT id, ref || ' ' || title_da, ref || ' ' || title_en, '' FROM controls
			WHERE (organisation_id IS NULL OR organisation_id = ?) AND catalogue IN ('iso27001:2022', 'own') ORDER BY sort_key, id`, orgID); err != nil {
			return nil, err
		}
		if c.Risks, err = queryAll(tx, link, "SELECT id, title, '', '' FROM risks WHERE organisation_id = ? ORDER BY title, id", orgID); err != nil {
			return nil, err
		}
		return c, nil
	})
}

// Agreements.

const agrColumns = `a.id, a.supplier_id, s.name, a.kind, a.title, a.starts_on, a.ends_on, a.review_on, a.document_id, COALESCE(d.title, ''),
	COALESCE(d.classification, ''), a.note, a.version, a.created_at`

const agrFrom = ` FROM supplier_agreements a JOIN suppliers s ON s.id = a.supplier_id LEFT JOIN documents d ON d.id = a.document_id`

func scanAgreement(acc isms.Access) func(row scanner) (*isms.SupplierAgreement, error) {
	return func(row scanner) (*isms.SupplierAgreement, error) {
		var a isms.SupplierAgreement
		var doc sql.NullInt64
		var kind, class string
		if err := row.Scan(&a.ID, &a.SupplierID, &a.SupplierName, &kind, &a.Title, scanDatePtr{&a.StartsOn}, scanDatePtr{&a.EndsOn},
			scanDatePtr{&a.ReviewOn}, &doc, &a.DocumentTitle, &class, &a.Note, &a.Version, scanTime{&a.CreatedAt}); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, notFound("agreement")
			}
			return nil, err
		}
		a.Kind, a.DocumentID = isms.AgreementKind(kind), int64Ptr(doc)
		if a.DocumentID != nil && !isms.Classification(class).ReadableBy(acc) {
			a.DocumentTitle = ""
		}
		return &a, nil
	}
}

// agreements reads the agreements of a supplier, or all when supplierID is 0.
func (tx *Tx) agreements(orgID, supplierID int64) ([]*isms.SupplierAgreement, error) {
	acc, err := tx.access(orgID)
	if err != nil {
		return nil, err
	}
	where, args := " WHERE a.organisation_id = ?", []any{orgID}
	if supplierID != 0 {
		where += " AND a.supplier_id = ?"
		args = append(args, supplierID)
	}
	return queryAll(tx, scanAgreement(acc), "SELECT "+agrColumns+agrFrom+where+
		" ORDER BY CASE WHEN a.ends_on IS NULL THEN 1 ELSE 0 END, a.ends_on, s.name, a.id", args...)
}

func agreementRecord(a *isms.SupplierAgreement) map[string]any {
	date := func(d *isms.Date) any {
		if d == nil {
			return nil
		}
		return d.String()
	}
	return map[string]any{"supplier": a.SupplierName, "kind": a.Kind, "title": a.Title, "starts_on": date(a.StartsOn), "ends_on": date(a.EndsOn),
		"review_on": date(a.ReviewOn), "document_id": a.DocumentID, "note": a.Note}
}

// SupplierAgreements lists agreements, those ending first.
func (db *DB) SupplierAgreements(ctx context.Context, orgID, supplierID int64) ([]*isms.SupplierAgreement, error) {
	return view(db, ctx, "SupplierAgreements", orgID, func(tx *Tx) ([]*isms.SupplierAgreement, error) {
		if supplierID != 0 {
			if _, err := tx.supplier(orgID, supplierID); err != nil {
				return nil, err
			}
		}
		return tx.agreements(orgID, supplierID)
	})
}

// AddSupplierAgreement records a contract or data processing agreement.
func (db *DB) AddSupplierAgreement(ctx context.Context, orgID, supplierID int64, in isms.SupplierAgreementInput) (*isms.SupplierAgreement, error) {
	var a *isms.SupplierAgreement
	err := db.write(ctx, "AddSupplierAgreement", func(tx *Tx) error {
		s, err := tx.supplier(orgID, supplierID)
		if err != nil {
			return err
		}
		acc, err := tx.requireEdit(orgID, s.OwnerID)
		if err != nil {
			return err
		}
		if err := tx.validateAgreement(orgID, &in); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO supplier_agreements (organisation_id, supplier_id, kind, title, starts_on, ends_on, review_on, document_id, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, orgID, supplierID, string(in.Kind), in.Title, dateArg(in.StartsOn), dateArg(in.EndsOn),
			dateArg(in.ReviewOn), nullInt(in.DocumentID), in.Note, ts(tx.now))
		if err != nil {
			return err
		}
		if a, err = scanAgreement(acc)(tx.queryRow("SELECT "+agrColumns+agrFrom+" WHERE a.organisation_id = ? AND a.id = ?", orgID, id)); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeSupplierAgreement, id, nil, agreementRecord(a))
	})
	return a, err
}

// validateAgreement checks an agreement's input, for adding and changing
// alike: its kind and title, its days in order, and a document of the
// organisation.
func (tx *Tx) validateAgreement(orgID int64, in *isms.SupplierAgreementInput) error {
	in.Title, in.Note = strings.TrimSpace(in.Title), strings.TrimSpace(in.Note)
	var v isms.Validation
	if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "note", in.Note, 5000)
	if in.StartsOn != nil && in.EndsOn != nil && in.EndsOn.Before(*in.StartsOn) {
		v.Add("ends_on", "sup.err.ends_before_start")
	}
	if in.DocumentID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM documents WHERE organisation_id = ? AND id = ?", orgID, *in.DocumentID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("document_id", "err.unknown_reference")
		}
	}
	return v.Err()
}

// UpdateSupplierAgreement changes an agreement, refusing a stale
// version; whoever may edit the supplier may.
func (db *DB) UpdateSupplierAgreement(ctx context.Context, orgID, supplierID, agreementID int64, in isms.SupplierAgreementInput) (*isms.SupplierAgreement, error) {
	var a *isms.SupplierAgreement
	err := db.write(ctx, "UpdateSupplierAgreement", func(tx *Tx) error {
		s, err := tx.supplier(orgID, supplierID)
		if err != nil {
			return err
		}
		acc, err := tx.requireEdit(orgID, s.OwnerID)
		if err != nil {
			return err
		}
		read := func() (*isms.SupplierAgreement, error) {
			return scanAgreement(acc)(tx.queryRow("SELECT "+agrColumns+agrFrom+" WHERE a.organisation_id = ? AND a.supplier_id = ? AND a.id = ?",
				orgID, supplierID, agreementID))
		}
		before, err := read()
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateAgreement(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE supplier_agreements SET kind = ?, title = ?, starts_on = ?, ends_on = ?, review_on = ?, document_id = ?, note = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`, string(in.Kind), in.Title, dateArg(in.StartsOn),
			dateArg(in.EndsOn), dateArg(in.ReviewOn), nullInt(in.DocumentID), in.Note, ts(tx.now), orgID, agreementID); err != nil {
			return err
		}
		if a, err = read(); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeSupplierAgreement, agreementID, agreementRecord(before), agreementRecord(a))
	})
	return a, err
}

// DeleteSupplierAgreement removes an agreement.
func (db *DB) DeleteSupplierAgreement(ctx context.Context, orgID, supplierID, agreementID int64) error {
	return db.write(ctx, "DeleteSupplierAgreement", func(tx *Tx) error {
		s, err := tx.supplier(orgID, supplierID)
		if err != nil {
			return err
		}
		acc, err := tx.requireEdit(orgID, s.OwnerID)
		if err != nil {
			return err
		}
		a, err := scanAgreement(acc)(tx.queryRow("SELECT "+agrColumns+agrFrom+" WHERE a.organisation_id = ? AND a.supplier_id = ? AND a.id = ?",
			orgID, supplierID, agreementID))
		if err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "supplier_agreements", typeSupplierAgreement, agreementID, agreementRecord(a))
	})
}

// Supervisions.

const svColumns = `v.id, v.organisation_id, v.supplier_id, s.name, s.owner_id, v.method, v.planned_on, v.done_on, v.result, v.findings,
	v.period_from, v.period_to, v.follow_up, v.follow_up_due, v.follow_up_done, v.version, v.created_at, v.updated_at`

const svFrom = ` FROM supplier_supervisions v JOIN suppliers s ON s.id = v.supplier_id`

func scanSupervision(row scanner) (*isms.Supervision, error) {
	var v isms.Supervision
	var owner sql.NullInt64
	var method, result, findings string
	var done int
	if err := row.Scan(&v.ID, &v.OrganisationID, &v.SupplierID, &v.SupplierName, &owner, &method, scanDate{&v.PlannedOn}, scanDatePtr{&v.DoneOn},
		&result, &findings, scanDatePtr{&v.PeriodFrom}, scanDatePtr{&v.PeriodTo}, &v.FollowUp, scanDatePtr{&v.FollowUpDue}, &done,
		&v.Version, scanTime{&v.CreatedAt}, scanTime{&v.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("supervision")
		}
		return nil, err
	}
	v.SupplierOwner, v.Method, v.Result, v.FollowUpDone = int64Ptr(owner), isms.SupervisionMethod(method), isms.SupervisionResult(result), done != 0
	v.Findings = []string{}
	if findings != "" {
		v.Findings = strings.Split(findings, "\n")
	}
	return &v, nil
}

func (tx *Tx) supervisions(orgID int64, where string, args ...any) ([]*isms.Supervision, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	return queryAll(tx, scanSupervision, "SELECT "+svColumns+svFrom+" WHERE v.organisation_id = ?"+where+" ORDER BY v.planned_on DESC, v.id DESC",
		append([]any{orgID}, args...)...)
}

func (tx *Tx) supervision(orgID, id int64) (*isms.Supervision, error) {
	if _, err := tx.access(orgID); err != nil {
		return nil, err
	}
	return scanSupervision(tx.queryRow("SELECT "+svColumns+svFrom+" WHERE v.organisation_id = ? AND v.id = ?", orgID, id))
}

func supervisionRecord(v *isms.Supervision) map[string]any {
	date := func(d *isms.Date) any {
		if d == nil {
			return nil
		}
		return d.String()
	}
	return map[string]any{"supplier": v.SupplierName, "method": v.Method, "planned_on": v.PlannedOn.String(), "done_on": date(v.DoneOn),
		"result": v.Result, "findings": v.Findings, "period_from": date(v.PeriodFrom), "period_to": date(v.PeriodTo), "follow_up": v.FollowUp,
		"follow_up_due": date(v.FollowUpDue), "follow_up_done": v.FollowUpDone}
}

// validateSupervision checks a supervision's input: a done supervision
// has its result; a result is only given to one done; an ISAE statement's
// period is whole and in order; a follow-up due day needs a follow-up.
func validateSupervision(in *isms.SupervisionInput) error {
	var v isms.Validation
	if !in.Method.Valid() {
		v.Add("method", "err.choice")
	}
	if in.PlannedOn == nil {
		v.Add("planned_on", "err.required")
	}
	if in.DoneOn != nil && in.Result == "" {
		v.Add("result", "sup.err.result_required")
	}
	if in.Result != "" && !in.Result.Valid() {
		v.Add("result", "err.choice")
	} else if in.Result != "" && in.DoneOn == nil {
		v.Add("done_on", "sup.err.done_required")
	}
	findings := make([]string, 0, len(in.Findings))
	for _, f := range in.Findings {
		for _, line := range strings.Split(f, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				findings = append(findings, line)
			}
		}
	}
	in.Findings = findings
	if len(findings) > 100 {
		v.Add("findings", "sup.err.too_many")
	}
	for _, f := range findings {
		checkText(&v, "findings", f, 2000)
	}
	if (in.PeriodFrom == nil) != (in.PeriodTo == nil) {
		v.Add("period_to", "sup.err.period_whole")
	} else if in.PeriodFrom != nil {
		if !in.Method.Statement() {
			v.Add("period_from", "sup.err.period_statement")
		} else if in.PeriodTo.Before(*in.PeriodFrom) {
			v.Add("period_to", "sup.err.period_order")
		}
	}
	in.FollowUp = strings.TrimSpace(in.FollowUp)
	checkText(&v, "follow_up", in.FollowUp, 10000)
	if in.FollowUp == "" && (in.FollowUpDue != nil || in.FollowUpDone) {
		v.Add("follow_up", "sup.err.follow_up_required")
	}
	return v.Err()
}

// Supervisions lists supervisions, newest planned first.
func (db *DB) Supervisions(ctx context.Context, orgID, supplierID int64) ([]*isms.Supervision, error) {
	return view(db, ctx, "Supervisions", orgID, func(tx *Tx) ([]*isms.Supervision, error) {
		if supplierID == 0 {
			return tx.supervisions(orgID, "")
		}
		if _, err := tx.supplier(orgID, supplierID); err != nil {
			return nil, err
		}
		return tx.supervisions(orgID, " AND v.supplier_id = ?", supplierID)
	})
}

// Supervision reads one supervision.
func (db *DB) Supervision(ctx context.Context, orgID, id int64) (*isms.Supervision, error) {
	return view(db, ctx, "Supervision", orgID, func(tx *Tx) (*isms.Supervision, error) { return tx.supervision(orgID, id) })
}

// CreateSupervision plans or records a supervision of a supplier; whoever
// may edit the supplier may.
func (db *DB) CreateSupervision(ctx context.Context, orgID, supplierID int64, in isms.SupervisionInput) (*isms.Supervision, error) {
	var v *isms.Supervision
	err := db.write(ctx, "CreateSupervision", func(tx *Tx) error {
		s, err := tx.supplier(orgID, supplierID)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, s.OwnerID); err != nil {
			return err
		}
		if err := validateSupervision(&in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO supplier_supervisions (organisation_id, supplier_id, method, planned_on, done_on, result, findings,
			period_from, period_to, follow_up, follow_up_due, follow_up_done, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, orgID, supplierID, string(in.Method), in.PlannedOn.String(), dateArg(in.DoneOn),
			string(in.Result), strings.Join(in.Findings, "\n"), dateArg(in.PeriodFrom), dateArg(in.PeriodTo), in.FollowUp, dateArg(in.FollowUpDue),
			supBool(in.FollowUpDone), now, now)
		if err != nil {
			return err
		}
		if v, err = tx.supervision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeSupervision, id, nil, supervisionRecord(v))
	})
	return v, err
}

// UpdateSupervision changes a supervision, refusing a stale version.
func (db *DB) UpdateSupervision(ctx context.Context, orgID, id int64, in isms.SupervisionInput) (*isms.Supervision, error) {
	var v *isms.Supervision
	err := db.write(ctx, "UpdateSupervision", func(tx *Tx) error {
		before, err := tx.supervision(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.SupplierOwner); err != nil {
			return err
		}
		if err := validateSupervision(&in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE supplier_supervisions SET method = ?, planned_on = ?, done_on = ?, result = ?, findings = ?, period_from = ?,
			period_to = ?, follow_up = ?, follow_up_due = ?, follow_up_done = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, string(in.Method), in.PlannedOn.String(), dateArg(in.DoneOn), string(in.Result),
			strings.Join(in.Findings, "\n"), dateArg(in.PeriodFrom), dateArg(in.PeriodTo), in.FollowUp, dateArg(in.FollowUpDue),
			supBool(in.FollowUpDone), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if v, err = tx.supervision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeSupervision, id, supervisionRecord(before), supervisionRecord(v))
	})
	return v, err
}

// DeleteSupervision removes a supervision.
func (db *DB) DeleteSupervision(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteSupervision", func(tx *Tx) error {
		before, err := tx.supervision(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.SupplierOwner); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "supplier_supervisions", typeSupervision, id, supervisionRecord(before))
	})
}

func init() { registerScheduleSource(supervisionSchedule) }

// supervisionSchedule puts on the annual wheel's calendar each active
// supplier's next supervision and the open follow-ups' due days.
func supervisionSchedule(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	sups, err := queryAll(tx, scanSupplier, "SELECT "+supColumns+supFrom+" WHERE s.organisation_id = ? AND s.status = 'active' ORDER BY s.name, s.id", orgID)
	if err != nil {
		return nil, err
	}
	var out []isms.ScheduledItem
	for _, s := range sups {
		if d := s.NextSupervision; d != nil && !d.Before(from) && !to.Before(*d) {
			out = append(out, isms.ScheduledItem{Day: *d, Label: s.Name, Kind: "sup.schedule_supervision",
				Evidence: isms.Evidence{RecordType: typeSupplier, RecordID: s.ID, Label: s.Name, Path: "/suppliers/" + strconv.FormatInt(s.ID, 10)}})
		}
	}
	follow, err := queryAll(tx, scanSupervision, "SELECT "+svColumns+svFrom+` WHERE v.organisation_id = ? AND v.follow_up <> '' AND v.follow_up_done = 0
		AND v.follow_up_due >= ? AND v.follow_up_due <= ? ORDER BY v.follow_up_due, v.id`, orgID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	for _, v := range follow {
		out = append(out, isms.ScheduledItem{Day: *v.FollowUpDue, Label: v.SupplierName, Kind: "sup.schedule_follow_up",
			Evidence: isms.Evidence{RecordType: typeSupervision, RecordID: v.ID, Label: v.SupplierName, Path: "/supplier-supervisions/" + strconv.FormatInt(v.ID, 10)}})
	}
	return out, nil
}

// supBool stores a flag as 0 or 1.
func supBool(b bool) int {
	if b {
		return 1
	}
	return 0
}
