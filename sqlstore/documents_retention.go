package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// ---------------------------------------------------------------------
// Retention and deletion.

func (tx *Tx) docRetentionRules(orgID int64) (map[isms.DocumentKind]*isms.RetentionRule, error) {
	return queryMap(tx, func(row scanner) (isms.DocumentKind, *isms.RetentionRule, error) {
		var r isms.RetentionRule
		var kind string
		err := row.Scan(&kind, &r.RetentionMonths, &r.DeletionProcedure, &r.Version)
		r.Kind = isms.DocumentKind(kind)
		return r.Kind, &r, err
	}, "SELECT kind, retention_months, deletion_procedure, version FROM document_retention_rules WHERE organisation_id = ?", orgID)
}

// docKindsInUse counts the documents of each kind.
func (tx *Tx) docKindsInUse(orgID int64) (map[isms.DocumentKind]int, error) {
	return queryMap(tx, func(row scanner) (isms.DocumentKind, int, error) {
		var k string
		var n int
		err := row.Scan(&k, &n)
		return isms.DocumentKind(k), n, err
	}, "SELECT kind, COUNT(*) FROM documents WHERE organisation_id = ? GROUP BY kind", orgID)
}

// RetentionRules lists every document kind with its retention rule (version
// 0 where none is set) and how many documents of it there are.
func (db *DB) RetentionRules(ctx context.Context, orgID int64) ([]*isms.RetentionRule, error) {
	var out []*isms.RetentionRule
	err := db.read(ctx, "RetentionRules", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		rules, err := tx.docRetentionRules(orgID)
		if err != nil {
			return err
		}
		inUse, err := tx.docKindsInUse(orgID)
		if err != nil {
			return err
		}
		for _, k := range isms.DocumentKinds {
			r := rules[k]
			if r == nil {
				r = &isms.RetentionRule{Kind: k}
			}
			r.InUse = inUse[k]
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// SaveRetentionRule sets how long a kind of document is kept after a
// version goes out of use, and how its content is deleted.
func (db *DB) SaveRetentionRule(ctx context.Context, orgID int64, in isms.RetentionRuleInput) (*isms.RetentionRule, error) {
	var out *isms.RetentionRule
	err := db.write(ctx, "SaveRetentionRule", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		var v isms.Validation
		if !in.Kind.Valid() {
			v.Add("kind", "err.choice")
			return v.Err()
		}
		rules, err := tx.docRetentionRules(orgID)
		if err != nil {
			return err
		}
		before := rules[in.Kind]
		var have int64
		if before != nil {
			have = before.Version
		}
		if err := checkUpsertVersion(have, in.Version); err != nil {
			return err
		}
		in.DeletionProcedure = strings.TrimSpace(in.DeletionProcedure)
		if in.RetentionMonths < 1 || in.RetentionMonths > 1200 {
			v.Add("retention_months", "doc.err.retention", 1200)
		}
		requireText(&v, "deletion_procedure", in.DeletionProcedure, 5000)
		if err := v.Err(); err != nil {
			return err
		}
		if before == nil {
			_, err = tx.exec(`INSERT INTO document_retention_rules (organisation_id, kind, retention_months, deletion_procedure, version, updated_at)
				VALUES (?, ?, ?, ?, 1, ?)`, orgID, in.Kind, in.RetentionMonths, in.DeletionProcedure, ts(tx.now))
		} else {
			_, err = tx.exec(`UPDATE document_retention_rules SET retention_months = ?, deletion_procedure = ?, version = version + 1, updated_at = ?
				WHERE organisation_id = ? AND kind = ?`, in.RetentionMonths, in.DeletionProcedure, ts(tx.now), orgID, in.Kind)
		}
		if err != nil {
			return err
		}
		if rules, err = tx.docRetentionRules(orgID); err != nil {
			return err
		}
		out = rules[in.Kind]
		var b any
		if before != nil {
			b = before
		}
		return tx.audit(orgID, "update", typeDocRetention, 0, b, out)
	})
	return out, err
}

// docDeletionQueue lists versions out of use whose retention has passed and
// whose content is still stored.
func (tx *Tx) docDeletionQueue(orgID int64, rd *docReader) ([]*isms.DeletionCandidate, error) {
	rules, err := tx.docRetentionRules(orgID)
	if err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if rd != nil {
		where, args = rd.where()
	}
	rows, err := tx.query(`SELECT d.id, d.title, d.kind, v.number, v.state, v.closed_at FROM document_versions v JOIN documents d ON d.id = v.document_id
		WHERE v.organisation_id = ? AND v.closed_at IS NOT NULL AND v.content_deleted_at IS NULL AND v.state IN ('superseded', 'returned', 'withdrawn')`+where+
		` ORDER BY v.closed_at, v.id`, append([]any{orgID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := tx.Today()
	var out []*isms.DeletionCandidate
	for rows.Next() {
		var c isms.DeletionCandidate
		var kind, state string
		if err := rows.Scan(&c.DocumentID, &c.DocumentTitle, &kind, &c.Number, &state, scanTime{&c.ClosedAt}); err != nil {
			return nil, err
		}
		c.Kind, c.State = isms.DocumentKind(kind), isms.VersionState(state)
		r := rules[c.Kind]
		if r == nil {
			continue
		}
		c.RetentionMonths, c.Procedure = r.RetentionMonths, r.DeletionProcedure
		c.DueAt = docAddMonths(isms.DateOf(c.ClosedAt), r.RetentionMonths)
		if today.Before(c.DueAt) {
			continue
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// DeletionQueue lists the versions whose content is due for deletion, of
// the documents the caller may see.
func (db *DB) DeletionQueue(ctx context.Context, orgID int64) ([]*isms.DeletionCandidate, error) {
	var out []*isms.DeletionCandidate
	err := db.read(ctx, "DeletionQueue", func(tx *Tx) error {
		rd, err := tx.docReader(orgID)
		if err != nil {
			return err
		}
		out, err = tx.docDeletionQueue(orgID, &rd)
		return err
	})
	return out, err
}

// DeleteDocumentContent removes the content of a version whose retention
// has passed, as a coordinator confirms it. The version's metadata and
// docChecksum stay, and the deletion (what, when, by whom, under which rule)
// is recorded in the audit trail.
func (db *DB) DeleteDocumentContent(ctx context.Context, orgID, docID int64, number int) error {
	return db.write(ctx, "DeleteDocumentContent", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		d, _, err := tx.visibleDocument(orgID, docID)
		if err != nil {
			return err
		}
		v, err := tx.docVersion(docID, number)
		if err != nil {
			return err
		}
		if v.ContentDeleted != nil {
			return isms.Errorf(isms.EConflict, "doc.err.already_deleted")
		}
		if !v.State.Closed() || v.ClosedAt == nil {
			return isms.Errorf(isms.EInvalid, "doc.err.not_closed")
		}
		rules, err := tx.docRetentionRules(orgID)
		if err != nil {
			return err
		}
		r := rules[d.Kind]
		if r == nil {
			return isms.Errorf(isms.EInvalid, "doc.err.no_retention_rule")
		}
		due := docAddMonths(isms.DateOf(*v.ClosedAt), r.RetentionMonths)
		if tx.Today().Before(due) {
			return isms.Errorf(isms.EInvalid, "doc.err.not_due", due.String())
		}
		rule := fmt.Sprintf("%d: %s", r.RetentionMonths, r.DeletionProcedure)
		if _, err := tx.exec(`UPDATE document_versions SET content = NULL, text_content = NULL, content_deleted_at = ?, content_deleted_by = ?,
			deletion_rule = ? WHERE id = ?`, ts(tx.now), tx.actor.UserID, rule, v.ID); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM document_chunks WHERE version_id = ?", v.ID); err != nil {
			return err
		}
		if err := tx.touchDocument(orgID, docID); err != nil {
			return err
		}
		after := docVersionRecord(v)
		after["content_deleted"] = true
		after["retention_months"] = r.RetentionMonths
		after["deletion_procedure"] = r.DeletionProcedure
		after["retention_ended"] = due.String()
		before := docVersionRecord(v)
		delete(before, "number")
		return tx.audit(orgID, "delete_content", typeDocument, docID, before, after)
	})
}
