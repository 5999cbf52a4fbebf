package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// ---------------------------------------------------------------------
// The register of documented information.

const docReqColumns = `r.id, r.organisation_id, r.key, r.kind, r.doc_kind, r.clause_2013, r.clause_2022, r.annex_a, r.title_da, r.title_en,
	r.decision, r.reason, COALESCE(u.name, ''), r.decided_at, r.version`

func scanDocRequirement(row scanner) (*isms.DocumentationRequirement, error) {
	var q isms.DocumentationRequirement
	if err := row.Scan(&q.ID, &q.OrganisationID, &q.Key, &q.Kind, &q.DocKind, &q.Clause2013, &q.Clause2022, &q.AnnexA,
		&q.TitleDA, &q.TitleEN, &q.Decision, &q.Reason, &q.DecidedBy, scanTimePtr{&q.DecidedAt}, &q.Version); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("documentation_requirement")
		}
		return nil, err
	}
	q.Documents = []isms.DocumentRef{}
	return &q, nil
}

// ensureDocumentationRequirements copies the guide's lists into the
// organisation's register where rows are missing, so every organisation
// starts with them and a later product version's additions arrive too.
// It must run in a write transaction; other elements that read the
// register in their own writes may call it first.
func (tx *Tx) ensureDocumentationRequirements(orgID int64) error {
	have, err := querySet[string](tx, "SELECT key FROM documentation_requirements WHERE organisation_id = ?", orgID)
	if err != nil {
		return err
	}
	var added []string
	now := ts(tx.now)
	for i, r := range catalog.DocumentationRequirements() {
		if have[r.Key] {
			continue
		}
		if _, err := tx.exec(`INSERT INTO documentation_requirements (organisation_id, key, kind, doc_kind, clause_2013, clause_2022, annex_a,
			title_da, title_en, sort_order, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, r.Key, r.Kind, r.DocKind, r.Clause2013, r.Clause2022, r.AnnexA, r.TitleDA, r.TitleEN, i+1, now, now); err != nil {
			return err
		}
		added = append(added, r.Key)
	}
	if len(added) == 0 {
		return nil
	}
	// The pre-filling is the product's act, whoever's write brought it.
	actor := tx.actor
	tx.actor = nil
	err = tx.audit(orgID, "doc_prefill", typeDocRequirement, 0, nil, map[string]any{"keys": added})
	tx.actor = actor
	return err
}

// FillDocumentationRequirements copies the guide's lists into every
// organisation's register where rows are missing, and reports in how many
// organisations it did. A new organisation's register is filled when it is
// created; this brings the rows a later product version adds, and fills
// the registers an older version left to be filled when first read. It
// acts for no user, under each organisation's write lock, so it is safe
// from several instances at once.
func (db *DB) FillDocumentationRequirements(ctx context.Context) (int, error) {
	var ids []int64
	err := db.read(ctx, "FillDocumentationRequirements", func(tx *Tx) (err error) {
		ids, err = queryAll(tx, scanInt64, "SELECT id FROM organisations ORDER BY id")
		return err
	})
	if err != nil {
		return 0, err
	}
	filled := 0
	for _, orgID := range ids {
		// Most runs find every row there: a read says so without waiting
		// for the organisation's writers.
		var n int
		err := db.read(ctx, "FillDocumentationRequirements", func(tx *Tx) (err error) {
			n, err = tx.count("SELECT COUNT(*) FROM documentation_requirements WHERE organisation_id = ?", orgID)
			return err
		})
		if err != nil {
			return filled, err
		}
		if n >= len(catalog.DocumentationRequirements()) {
			continue
		}
		err = db.write(ctx, "FillDocumentationRequirements", func(tx *Tx) error {
			if err := tx.lockOrganisation(orgID); err != nil {
				return err
			}
			return tx.ensureDocumentationRequirements(orgID)
		})
		if err != nil {
			return filled, err
		}
		filled++
	}
	return filled, nil
}

// DocumentationRequirements lists the register. The documents that fulfil
// each row are those the caller may read; whether a row is fulfilled is
// worked out over all documents.
func (db *DB) DocumentationRequirements(ctx context.Context, orgID int64) ([]*isms.DocumentationRequirement, error) {
	var out []*isms.DocumentationRequirement
	err := db.read(ctx, "DocumentationRequirements", func(tx *Tx) (err error) {
		rd, err := tx.docReader(orgID)
		if err != nil {
			return err
		}
		out, err = tx.docRequirements(orgID, &rd)
		return err
	})
	return out, err
}

// requirements reads the register with the documents of each row; with a
// nil reader every document is listed (for rules and exports of counts).
func (tx *Tx) docRequirements(orgID int64, rd *docReader) ([]*isms.DocumentationRequirement, error) {
	rows, err := tx.query("SELECT "+docReqColumns+` FROM documentation_requirements r LEFT JOIN users u ON u.id = r.decided_by
		WHERE r.organisation_id = ? ORDER BY r.sort_order, r.id`, orgID)
	if err != nil {
		return nil, err
	}
	var out []*isms.DocumentationRequirement
	byID := map[int64]*isms.DocumentationRequirement{}
	for rows.Next() {
		q, err := scanDocRequirement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, q)
		byID[q.ID] = q
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if rd != nil {
		where, args = rd.where()
	}
	drows, err := tx.query(`SELECT d.id, d.title, d.requirement_id,
		(SELECT v.state FROM document_versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1)
		FROM documents d WHERE d.organisation_id = ? AND d.requirement_id IS NOT NULL`+where+` ORDER BY d.title, d.id`,
		append([]any{orgID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	for drows.Next() {
		var ref isms.DocumentRef
		var req int64
		var state sql.NullString
		if err := drows.Scan(&ref.ID, &ref.Title, &req, &state); err != nil {
			return nil, err
		}
		ref.State = isms.VersionState(state.String)
		if q := byID[req]; q != nil {
			q.Documents = append(q.Documents, ref)
		}
	}
	if err := drows.Err(); err != nil {
		return nil, err
	}
	fulfilled, err := tx.docFulfilled(orgID)
	if err != nil {
		return nil, err
	}
	for _, q := range out {
		q.Fulfilled = fulfilled[q.ID]
	}
	return out, nil
}

// docFulfilled are the requirement rows named by a document with
// an approved or published version.
func (tx *Tx) docFulfilled(orgID int64) (map[int64]bool, error) {
	return querySet[int64](tx, `SELECT DISTINCT d.requirement_id FROM documents d JOIN document_versions v ON v.document_id = d.id
		WHERE d.organisation_id = ? AND d.requirement_id IS NOT NULL AND v.state IN ('approved', 'published')`, orgID)
}

func (tx *Tx) docRequirement(orgID, id int64) (*isms.DocumentationRequirement, error) {
	return scanDocRequirement(tx.queryRow("SELECT "+docReqColumns+` FROM documentation_requirements r LEFT JOIN users u ON u.id = r.decided_by
		WHERE r.organisation_id = ? AND r.id = ?`, orgID, id))
}

// DecideDocumentationRequirement records whether the organisation needs
// an optional type of documentation, and why; the reason shows in the
// Statement of Applicability beside the controls.
func (db *DB) DecideDocumentationRequirement(ctx context.Context, orgID, id int64, in isms.RequirementDecisionInput) (*isms.DocumentationRequirement, error) {
	var out *isms.DocumentationRequirement
	err := db.write(ctx, "DecideDocumentationRequirement", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.ensureDocumentationRequirements(orgID); err != nil {
			return err
		}
		before, err := tx.docRequirement(orgID, id)
		if err != nil {
			return err
		}
		if before.Kind != "optional" {
			return isms.Errorf(isms.EInvalid, "doc.err.mandatory_no_decision")
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		in.Reason = strings.TrimSpace(in.Reason)
		var v isms.Validation
		switch in.Decision {
		case "chosen", "declined":
			requireText(&v, "reason", in.Reason, 5000)
		case "":
			checkText(&v, "reason", in.Reason, 5000)
		default:
			v.Add("decision", "err.choice")
		}
		if err := v.Err(); err != nil {
			return err
		}
		var by any
		var at any
		if in.Decision != "" {
			by, at = tx.actor.UserID, ts(tx.now)
		}
		if _, err := tx.exec(`UPDATE documentation_requirements SET decision = ?, reason = ?, decided_by = ?, decided_at = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Decision, in.Reason, by, at, ts(tx.now), orgID, id); err != nil {
			return err
		}
		out, err = audited(tx, tx.docRequirement, orgID, "doc_decide", typeDocRequirement, id, before)
		return err
	})
	return out, err
}
