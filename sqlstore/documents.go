package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// Controlled documentation (guide 2.8). Every event of a document and its
// versions is audited on the document (record type "document"), so the
// document's history tells its whole life: metadata changes, versions,
// submissions, approvals with their checksums, publications, withdrawals
// and deletions of content.

// Record types of this element in the audit trail.
const (
	typeDocument       = "document"
	typeDocRequirement = "documentation_requirement"
	typeDocFormRules   = "document_form_rules"
	typeDocRetention   = "document_retention_rule"
)

// ---------------------------------------------------------------------
// Who may read a document: its classification decides.

// docReader is the caller as far as document access goes.
type docReader struct {
	access isms.Access
	userID int64
}

func (tx *Tx) docReader(orgID int64) (docReader, error) {
	a, err := tx.require(orgID, isms.PermView)
	if err != nil {
		return docReader{}, err
	}
	return docReader{access: a, userID: tx.actor.UserID}, nil
}

// canRead reports whether the caller may see a document: by role, or as
// its owner or one of its approvers.
func (r docReader) canRead(d *isms.Document) bool { return d.ReadableBy(r.access, r.userID) }

// where is the same rule as SQL over documents aliased d, so listings,
// counts and pages never hold a document the caller may not see
// (rules_test.go runs both over the same documents).
func (r docReader) where() (string, []any) {
	switch {
	case isms.ClassSecret.ReadableBy(r.access):
		return "", nil
	case isms.ClassConfidential.ReadableBy(r.access):
		return ` AND (d.classification <> 'secret' OR d.owner_id = ? OR EXISTS (SELECT 1 FROM document_approvers a WHERE a.document_id = d.id AND a.user_id = ?))`,
			[]any{r.userID, r.userID}
	}
	return ` AND (d.classification IN ('', 'public', 'internal') OR d.owner_id = ? OR EXISTS (SELECT 1 FROM document_approvers a WHERE a.document_id = d.id AND a.user_id = ?))`,
		[]any{r.userID, r.userID}
}

// ---------------------------------------------------------------------
// Documents.

const docColumns = `d.id, d.organisation_id, d.kind, d.title, d.description, d.owner_id, COALESCE(u.name, ''), d.classification,
	d.language, d.format, d.medium, d.storage_location, d.clause, d.requirement_id, COALESCE(r.key, ''), d.review_interval_months,
	d.next_review, d.version, d.created_at, d.updated_at,
	(SELECT v.number FROM document_versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1),
	(SELECT v.state FROM document_versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1),
	(SELECT v.number FROM document_versions v WHERE v.document_id = d.id AND v.state = 'published'),
	(SELECT v.published_at FROM document_versions v WHERE v.document_id = d.id AND v.state = 'published')`

const docFrom = ` FROM documents d LEFT JOIN users u ON u.id = d.owner_id LEFT JOIN documentation_requirements r ON r.id = d.requirement_id`

// docCurrentStateSQL is the state of a document's newest version.
const docCurrentStateSQL = `(SELECT v.state FROM document_versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1)`

func scanDocument(row scanner) (*isms.Document, error) {
	var d isms.Document
	var owner, req, curNum, pubNum sql.NullInt64
	var curState, pubAt sql.NullString
	var kind, class string
	if err := row.Scan(&d.ID, &d.OrganisationID, &kind, &d.Title, &d.Description, &owner, &d.OwnerName, &class,
		&d.Language, &d.Format, &d.Medium, &d.StorageLocation, &d.Clause, &req, &d.RequirementKey, &d.ReviewIntervalMonths,
		scanDatePtr{&d.NextReview}, &d.Version, scanTime{&d.CreatedAt}, scanTime{&d.UpdatedAt}, &curNum, &curState, &pubNum, &pubAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("document")
		}
		return nil, err
	}
	d.Kind, d.Classification = isms.DocumentKind(kind), isms.Classification(class)
	d.OwnerID, d.RequirementID = int64Ptr(owner), int64Ptr(req)
	if curNum.Valid {
		d.Current = &isms.VersionSummary{Number: int(curNum.Int64), State: isms.VersionState(curState.String)}
	}
	if pubNum.Valid {
		d.Published = &isms.VersionSummary{Number: int(pubNum.Int64), State: isms.VersionPublished, PublishedAt: parseTSPtr(pubAt)}
		if d.Current != nil && d.Current.Number == d.Published.Number {
			d.Current.PublishedAt = d.Published.PublishedAt
		}
	}
	d.Approvers = []isms.Approver{}
	return &d, nil
}

// fillDocApprovers reads the approvers of the given documents.
func (tx *Tx) fillDocApprovers(docs []*isms.Document) error {
	if len(docs) == 0 {
		return nil
	}
	byID := map[int64]*isms.Document{}
	ids := make([]any, 0, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	return tx.queryEach(`SELECT a.document_id, a.user_id, u.name FROM document_approvers a JOIN users u ON u.id = a.user_id
		WHERE a.document_id IN (`+placeholders(len(ids))+`) ORDER BY u.name, u.id`, ids, func(row scanner) error {
		var doc int64
		var a isms.Approver
		if err := row.Scan(&doc, &a.UserID, &a.Name); err != nil {
			return err
		}
		byID[doc].Approvers = append(byID[doc].Approvers, a)
		return nil
	})
}

// document reads one document without checking who may see it.
func (tx *Tx) document(orgID, id int64) (*isms.Document, error) {
	d, err := scanDocument(tx.queryRow("SELECT "+docColumns+docFrom+" WHERE d.organisation_id = ? AND d.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	return d, tx.fillDocApprovers([]*isms.Document{d})
}

// visibleDocument reads a document the caller may see; any other is not
// found, so a secret document's existence does not leak.
func (tx *Tx) visibleDocument(orgID, id int64) (*isms.Document, docReader, error) {
	rd, err := tx.docReader(orgID)
	if err != nil {
		return nil, rd, err
	}
	d, err := tx.document(orgID, id)
	if err != nil {
		return nil, rd, err
	}
	if !rd.canRead(d) {
		return nil, rd, notFound("document")
	}
	return d, rd, nil
}

// Document reads one document the caller may see.
func (db *DB) Document(ctx context.Context, orgID, id int64) (*isms.Document, error) {
	var d *isms.Document
	err := db.read(ctx, "Document", func(tx *Tx) (err error) {
		d, _, err = tx.visibleDocument(orgID, id)
		return err
	})
	return d, err
}

var docSorts = map[string]string{
	"title": "d.title", "kind": "d.kind", "owner": "u.name", "classification": "d.classification",
	"next_review": "d.next_review", "updated": "d.updated_at", "clause": "d.clause",
}

// Documents lists the register of documents the caller may see, filtered,
// sorted and paginated in the database.
func (db *DB) Documents(ctx context.Context, orgID int64, f isms.DocumentFilter) ([]*isms.Document, int, error) {
	var out []*isms.Document
	var total int
	err := db.read(ctx, "Documents", func(tx *Tx) error {
		rd, err := tx.docReader(orgID)
		if err != nil {
			return err
		}
		q := docListSQL(rd, orgID, f, tx.Today())
		if total, err = tx.count(q.count, q.countArgs...); err != nil {
			return err
		}
		rows, err := tx.query(q.page, q.pageArgs...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanDocument)
		if err != nil {
			return err
		}
		return tx.fillDocApprovers(out)
	})
	return out, total, err
}

// docListSQL is the documentation register's reads for a filter, with
// the reader's rule (see docReader.where). The register's default order is
// served by the index on (organisation, title).
func docListSQL(rd docReader, orgID int64, f isms.DocumentFilter, today isms.Date) listSQL {
	where, args := rd.where()
	where = " WHERE d.organisation_id = ?" + where
	args = append([]any{orgID}, args...)
	if f.Kind != "" {
		where += " AND d.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Classification != "" {
		where += " AND d.classification = ?"
		args = append(args, f.Classification)
	}
	if f.OwnerID != 0 {
		where += " AND d.owner_id = ?"
		args = append(args, f.OwnerID)
	}
	if f.RequirementID != 0 {
		where += " AND d.requirement_id = ?"
		args = append(args, f.RequirementID)
	}
	switch f.State {
	case "":
	case "none":
		where += " AND NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id)"
	default:
		where += " AND " + docCurrentStateSQL + " = ?"
		args = append(args, f.State)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.ToLower(q) + "%"
		cond := "LOWER(d.title) LIKE ? OR LOWER(COALESCE(u.name, '')) LIKE ? OR LOWER(d.kind) LIKE ? OR LOWER(d.clause) LIKE ? OR LOWER(d.description) LIKE ?"
		args = append(args, like, like, like, like, like)
		if len(f.QueryKinds) > 0 {
			cond += " OR d.kind IN (" + placeholders(len(f.QueryKinds)) + ")"
			for _, k := range f.QueryKinds {
				args = append(args, k)
			}
		}
		where += " AND (" + cond + ")"
	}
	if f.Overdue {
		where += " AND d.next_review < ?"
		args = append(args, today.String())
	}
	order := orderBy(f.Sort, docSorts, "d.title")
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return listSQL{
		count: "SELECT COUNT(*)" + docFrom + where, countArgs: args,
		page:     "SELECT " + docColumns + docFrom + where + " ORDER BY " + order + ", d.id LIMIT ? OFFSET ?",
		pageArgs: append(slices.Clip(args), limit, f.Offset),
	}
}

// validateDocument checks a document's input against the product's rules
// and the organisation's form rules.
func (tx *Tx) validateDocument(orgID int64, in *isms.DocumentInput) error {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.Language, in.Format = strings.TrimSpace(in.Language), strings.TrimSpace(in.Format)
	in.StorageLocation, in.Clause = strings.TrimSpace(in.StorageLocation), strings.TrimSpace(in.Clause)
	var v isms.Validation
	if !in.Kind.Valid() {
		v.Add("kind", "err.choice")
	}
	requireText(&v, "title", in.Title, 300)
	checkText(&v, "description", in.Description, 10000)
	if !in.Classification.Valid() {
		v.Add("classification", "err.choice")
	}
	checkText(&v, "language", in.Language, 50)
	checkText(&v, "format", in.Format, 100)
	if in.Medium != "" && !slices.Contains(isms.DocumentMedia, in.Medium) {
		v.Add("medium", "err.choice")
	}
	checkText(&v, "storage_location", in.StorageLocation, 500)
	checkText(&v, "clause", in.Clause, 100)
	if in.ReviewIntervalMonths < 0 || in.ReviewIntervalMonths > 120 {
		v.Add("review_interval_months", "doc.err.interval", 120)
	}
	tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	if in.RequirementID != nil {
		n, err := tx.count("SELECT COUNT(*) FROM documentation_requirements WHERE organisation_id = ? AND id = ?", orgID, *in.RequirementID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("requirement_id", "err.unknown_reference")
		}
	}
	in.ApproverIDs = uniq(in.ApproverIDs)
	if len(in.ApproverIDs) > 20 {
		v.Add("approver_ids", "err.too_many_links", 20)
	} else if len(in.ApproverIDs) > 0 {
		roles, err := queryMap(tx, func(row scanner) (int64, isms.Role, error) {
			id, role, err := scanPair[int64, string](row)
			return id, isms.Role(role), err
		}, "SELECT user_id, role FROM memberships WHERE organisation_id = ? AND user_id IN ("+placeholders(len(in.ApproverIDs))+")",
			append([]any{orgID}, int64sToAny(in.ApproverIDs)...)...)
		if err != nil {
			return err
		}
		for _, id := range in.ApproverIDs {
			role, ok := roles[id]
			switch {
			case !ok:
				v.Add("approver_ids", "err.not_member")
			case in.Kind.NeedsManagementApproval() && !role.Can(isms.PermApprove):
				v.Add("approver_ids", "doc.err.approver_not_management")
			}
			if v.Has("approver_ids") {
				break
			}
		}
	}
	rules, err := tx.docFormRules(orgID)
	if err != nil {
		return err
	}
	if err := checkDocFormRules(&v, rules, in); err != nil {
		return err
	}
	return v.Err()
}

func (tx *Tx) setDocApprovers(orgID, docID int64, ids []int64) error {
	if _, err := tx.exec("DELETE FROM document_approvers WHERE document_id = ?", docID); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.exec("INSERT INTO document_approvers (organisation_id, document_id, user_id) VALUES (?, ?, ?)", orgID, docID, id); err != nil {
			return err
		}
	}
	return nil
}

// CreateDocument adds a document to the register. Contributors may add
// documents they own.
func (db *DB) CreateDocument(ctx context.Context, orgID int64, in isms.DocumentInput) (*isms.Document, error) {
	var d *isms.Document
	err := db.write(ctx, "CreateDocument", func(tx *Tx) error {
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.ensureDocumentationRequirements(orgID); err != nil {
			return err
		}
		if err := tx.validateDocument(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO documents (organisation_id, kind, title, description, owner_id, classification, language, format,
			medium, storage_location, clause, requirement_id, review_interval_months, next_review, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, in.Kind, in.Title, in.Description, nullInt(in.OwnerID), in.Classification, in.Language, in.Format, in.Medium,
			in.StorageLocation, in.Clause, nullInt(in.RequirementID), in.ReviewIntervalMonths, dateArg(in.NextReview), now, now)
		if err != nil {
			return err
		}
		if err := tx.setDocApprovers(orgID, id, in.ApproverIDs); err != nil {
			return err
		}
		d, err = audited(tx, tx.document, orgID, "create", typeDocument, id, nil)
		return err
	})
	return d, err
}

// UpdateDocument changes a document's metadata, refusing a stale version.
// A contributor must own the document before and after the change.
func (db *DB) UpdateDocument(ctx context.Context, orgID, id int64, in isms.DocumentInput) (*isms.Document, error) {
	var d *isms.Document
	err := db.write(ctx, "UpdateDocument", func(tx *Tx) error {
		before, _, err := tx.visibleDocument(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, in.Version, before.OwnerID, in.OwnerID); err != nil {
			return err
		}
		if err := tx.validateDocument(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE documents SET kind = ?, title = ?, description = ?, owner_id = ?, classification = ?, language = ?,
			format = ?, medium = ?, storage_location = ?, clause = ?, requirement_id = ?, review_interval_months = ?, next_review = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Kind, in.Title, in.Description, nullInt(in.OwnerID), in.Classification, in.Language, in.Format, in.Medium,
			in.StorageLocation, in.Clause, nullInt(in.RequirementID), in.ReviewIntervalMonths, dateArg(in.NextReview), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setDocApprovers(orgID, id, in.ApproverIDs); err != nil {
			return err
		}
		d, err = audited(tx, tx.document, orgID, "update", typeDocument, id, before)
		return err
	})
	return d, err
}

// RecordDocumentReview records a review that left the document as it is:
// the next review moves one interval on from today.
func (db *DB) RecordDocumentReview(ctx context.Context, orgID, id, version int64) (*isms.Document, error) {
	var d *isms.Document
	err := db.write(ctx, "RecordDocumentReview", func(tx *Tx) error {
		before, _, err := tx.visibleDocument(orgID, id)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, before.Version, version, before.OwnerID); err != nil {
			return err
		}
		if before.ReviewIntervalMonths <= 0 {
			return isms.Errorf(isms.EInvalid, "doc.err.no_interval")
		}
		next := docAddMonths(tx.Today(), before.ReviewIntervalMonths)
		if _, err := tx.exec("UPDATE documents SET next_review = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			next.String(), ts(tx.now), orgID, id); err != nil {
			return err
		}
		d, err = audited(tx, tx.document, orgID, "doc_review", typeDocument, id, before)
		return err
	})
	return d, err
}

// docAddMonths adds whole months, keeping to the last day of a shorter month
// (31 January + 1 month is 28 or 29 February, not 3 March).
func docAddMonths(d isms.Date, n int) isms.Date {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return isms.Date{Time: time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)}
}
