package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
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

// level is what the caller may read regardless of being owner or
// approver: 3 everything, 2 up to confidential, 1 public and internal.
// Site administrators run the installation and read everything, as
// administrators of the organisation do.
func (r docReader) level() int {
	if r.access.SiteAdmin {
		return 3
	}
	switch r.access.Role {
	case isms.RoleAdministrator, isms.RoleCoordinator, isms.RoleManagement:
		return 3
	case isms.RoleContributor, isms.RoleAuditor:
		return 2
	}
	return 1 // readers, and members of a parent organisation with oversight
}

// docClassLevel is the level a classification needs.
func docClassLevel(c isms.Classification) int {
	switch c {
	case isms.ClassSecret:
		return 3
	case isms.ClassConfidential:
		return 2
	}
	return 1
}

// canRead reports whether the caller may see a document: by level, or as
// its owner or one of its approvers.
func (r docReader) canRead(d *isms.Document) bool {
	if r.level() >= docClassLevel(d.Classification) {
		return true
	}
	if d.OwnerID != nil && *d.OwnerID == r.userID {
		return true
	}
	return slices.Contains(d.ApproverIDs(), r.userID)
}

// where is the same rule as SQL over documents aliased d, so listings,
// counts and pages never hold a document the caller may not see.
func (r docReader) where() (string, []any) {
	switch r.level() {
	case 3:
		return "", nil
	case 2:
		return ` AND (d.classification <> 'secret' OR d.owner_id = ? OR EXISTS (SELECT 1 FROM document_approvers a WHERE a.document_id = d.id AND a.user_id = ?))`,
			[]any{r.userID, r.userID}
	}
	return ` AND (d.classification IN ('', 'public', 'internal') OR d.owner_id = ? OR EXISTS (SELECT 1 FROM document_approvers a WHERE a.document_id = d.id AND a.user_id = ?))`,
		[]any{r.userID, r.userID}
}

// ---------------------------------------------------------------------
// The register of documented information.

const docReqColumns = `r.id, r.organisation_id, r.key, r.kind, r.doc_kind, r.clause_2013, r.clause_2022, r.annex_a, r.title_da, r.title_en,
	r.decision, r.reason, COALESCE(u.name, ''), r.decided_at, r.version`

func scanDocRequirement(row interface{ Scan(...any) error }) (*isms.DocumentationRequirement, error) {
	var q isms.DocumentationRequirement
	var decided sql.NullString
	if err := row.Scan(&q.ID, &q.OrganisationID, &q.Key, &q.Kind, &q.DocKind, &q.Clause2013, &q.Clause2022, &q.AnnexA,
		&q.TitleDA, &q.TitleEN, &q.Decision, &q.Reason, &q.DecidedBy, &decided, &q.Version); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("documentation_requirement")
		}
		return nil, err
	}
	q.DecidedAt = parseTSPtr(decided)
	q.Documents = []isms.DocumentRef{}
	return &q, nil
}

// ensureDocumentationRequirements copies the guide's lists into the
// organisation's register where rows are missing, so every organisation
// starts with them and a later product version's additions arrive too.
// It must run in a write transaction; other elements that read the
// register in their own writes may call it first.
func (tx *Tx) ensureDocumentationRequirements(orgID int64) error {
	have := map[string]bool{}
	rows, err := tx.query("SELECT key FROM documentation_requirements WHERE organisation_id = ?", orgID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		have[k] = true
	}
	rows.Close()
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
	// The pre-filling is the product's act, whoever happened to open the
	// register first.
	actor := tx.actor
	tx.actor = nil
	err = tx.audit(orgID, "doc_prefill", typeDocRequirement, 0, nil, map[string]any{"keys": added})
	tx.actor = actor
	return err
}

// docRequirementsMissing reports whether the organisation's register lacks
// rows of the guide's lists, without writing.
func (db *DB) docRequirementsMissing(ctx context.Context, orgID int64) (bool, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		n, err = tx.count("SELECT COUNT(*) FROM documentation_requirements WHERE organisation_id = ?", orgID)
		return err
	})
	return n < len(catalog.DocumentationRequirements()), err
}

// DocumentationRequirements lists the register, pre-filling it the first
// time. The documents that fulfil each row are those the caller may read;
// whether a row is fulfilled is worked out over all documents.
func (db *DB) DocumentationRequirements(ctx context.Context, orgID int64) ([]*isms.DocumentationRequirement, error) {
	missing, err := db.docRequirementsMissing(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if missing {
		if err := db.write(ctx, func(tx *Tx) error {
			if _, err := tx.require(orgID, isms.PermView); err != nil {
				return err
			}
			return tx.ensureDocumentationRequirements(orgID)
		}); err != nil {
			return nil, err
		}
	}
	var out []*isms.DocumentationRequirement
	err = db.read(ctx, func(tx *Tx) (err error) {
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
	rows, err := tx.query(`SELECT DISTINCT d.requirement_id FROM documents d JOIN document_versions v ON v.document_id = d.id
		WHERE d.organisation_id = ? AND d.requirement_id IS NOT NULL AND v.state IN ('approved', 'published')`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
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
	err := db.write(ctx, func(tx *Tx) error {
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
		if out, err = tx.docRequirement(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "doc_decide", typeDocRequirement, id, before, out)
	})
	return out, err
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

func scanDocument(row interface{ Scan(...any) error }) (*isms.Document, error) {
	var d isms.Document
	var owner, req, curNum, pubNum sql.NullInt64
	var next, curState, pubAt sql.NullString
	var kind, class, created, updated string
	if err := row.Scan(&d.ID, &d.OrganisationID, &kind, &d.Title, &d.Description, &owner, &d.OwnerName, &class,
		&d.Language, &d.Format, &d.Medium, &d.StorageLocation, &d.Clause, &req, &d.RequirementKey, &d.ReviewIntervalMonths,
		&next, &d.Version, &created, &updated, &curNum, &curState, &pubNum, &pubAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("document")
		}
		return nil, err
	}
	d.Kind, d.Classification = isms.DocumentKind(kind), isms.Classification(class)
	d.OwnerID, d.RequirementID, d.NextReview = int64Ptr(owner), int64Ptr(req), parseDatePtr(next)
	d.CreatedAt, d.UpdatedAt = parseTS(created), parseTS(updated)
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
	rows, err := tx.query(`SELECT a.document_id, a.user_id, u.name FROM document_approvers a JOIN users u ON u.id = a.user_id
		WHERE a.document_id IN (`+placeholders(len(ids))+`) ORDER BY u.name, u.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		var a isms.Approver
		if err := rows.Scan(&doc, &a.UserID, &a.Name); err != nil {
			return err
		}
		byID[doc].Approvers = append(byID[doc].Approvers, a)
	}
	return rows.Err()
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
	err := db.read(ctx, func(tx *Tx) (err error) {
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
	err := db.read(ctx, func(tx *Tx) error {
		rd, err := tx.docReader(orgID)
		if err != nil {
			return err
		}
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
			args = append(args, tx.Today().String())
		}
		if total, err = tx.count("SELECT COUNT(*)"+docFrom+where, args...); err != nil {
			return err
		}
		order := orderBy(f.Sort, docSorts, "d.title")
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		rows, err := tx.query("SELECT "+docColumns+docFrom+where+" ORDER BY "+order+", d.id LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			d, err := scanDocument(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.fillDocApprovers(out)
	})
	return out, total, err
}

// ---------------------------------------------------------------------
// Form rules.

func (tx *Tx) docFormRules(orgID int64) (*isms.DocumentFormRules, error) {
	var r isms.DocumentFormRules
	var meta, formats, updated string
	err := tx.queryRow(`SELECT naming_standard, naming_pattern, format_standard, media_standard, required_metadata, accepted_formats, version, updated_at
		FROM document_form_rules WHERE organisation_id = ?`, orgID).Scan(&r.NamingStandard, &r.NamingPattern, &r.FormatStandard,
		&r.MediaStandard, &meta, &formats, &r.Version, &updated)
	r.OrganisationID = orgID
	r.RequiredMetadata, r.AcceptedFormats = []string{}, []string{}
	if errors.Is(err, sql.ErrNoRows) {
		return &r, nil
	}
	if err != nil {
		return nil, err
	}
	r.RequiredMetadata, r.AcceptedFormats = strings.Fields(meta), strings.Fields(formats)
	t := parseTS(updated)
	r.UpdatedAt = &t
	return &r, nil
}

// docAcceptedFormats are the organisation's, or the defaults until it
// records its own.
func docAcceptedFormats(r *isms.DocumentFormRules) []string {
	if len(r.AcceptedFormats) > 0 {
		return r.AcceptedFormats
	}
	return isms.DefaultAcceptedFormats
}

// docNamingRegexp compiles the naming pattern: /…/ or ^… is a regular
// expression; anything else a simple pattern for the whole title where *
// is any text, ? one character and # one digit.
func docNamingRegexp(p string) (*regexp.Regexp, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return nil, nil
	case len(p) >= 2 && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/"):
		return regexp.Compile(p[1 : len(p)-1])
	case strings.HasPrefix(p, "^"):
		return regexp.Compile(p)
	}
	var b strings.Builder
	b.WriteString("^")
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '#':
			b.WriteString("[0-9]")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

var docFormatName = regexp.MustCompile(`^[a-z0-9]{1,10}$`)

// DocumentFormRules reads the form rules (version 0 when none are recorded).
func (db *DB) DocumentFormRules(ctx context.Context, orgID int64) (*isms.DocumentFormRules, error) {
	var r *isms.DocumentFormRules
	err := db.read(ctx, func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		r, err = tx.docFormRules(orgID)
		return err
	})
	return r, err
}

// SaveDocumentFormRules records the form rules. A naming pattern that does
// not compile, an unknown metadata field or a malformed file format is
// refused.
func (db *DB) SaveDocumentFormRules(ctx context.Context, orgID int64, in isms.DocumentFormRulesInput) (*isms.DocumentFormRules, error) {
	var out *isms.DocumentFormRules
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.docFormRules(orgID)
		if err != nil {
			return err
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		in.NamingStandard, in.NamingPattern = strings.TrimSpace(in.NamingStandard), strings.TrimSpace(in.NamingPattern)
		in.FormatStandard, in.MediaStandard = strings.TrimSpace(in.FormatStandard), strings.TrimSpace(in.MediaStandard)
		checkText(&v, "naming_standard", in.NamingStandard, 5000)
		checkText(&v, "naming_pattern", in.NamingPattern, 300)
		checkText(&v, "format_standard", in.FormatStandard, 5000)
		checkText(&v, "media_standard", in.MediaStandard, 5000)
		if !v.Has("naming_pattern") {
			if _, err := docNamingRegexp(in.NamingPattern); err != nil {
				v.Add("naming_pattern", "doc.err.bad_pattern", err.Error())
			}
		}
		var meta []string
		for _, m := range in.RequiredMetadata {
			if !slices.Contains(isms.DocumentMetadataFields, m) {
				v.Add("required_metadata", "err.choice")
				break
			}
			if !slices.Contains(meta, m) {
				meta = append(meta, m)
			}
		}
		var formats []string
		for _, f := range in.AcceptedFormats {
			f = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f), "."))
			if f == "" {
				continue
			}
			if !docFormatName.MatchString(f) {
				v.Add("accepted_formats", "doc.err.bad_format_name", f)
				break
			}
			if !slices.Contains(formats, f) {
				formats = append(formats, f)
			}
		}
		if len(formats) > 50 {
			v.Add("accepted_formats", "err.too_many_links", 50)
		}
		if err := v.Err(); err != nil {
			return err
		}
		args := []any{in.NamingStandard, in.NamingPattern, in.FormatStandard, in.MediaStandard, strings.Join(meta, " "),
			strings.Join(formats, " "), ts(tx.now), orgID}
		if before.Version == 0 {
			_, err = tx.exec(`INSERT INTO document_form_rules (naming_standard, naming_pattern, format_standard, media_standard,
				required_metadata, accepted_formats, updated_at, organisation_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
		} else {
			_, err = tx.exec(`UPDATE document_form_rules SET naming_standard = ?, naming_pattern = ?, format_standard = ?, media_standard = ?,
				required_metadata = ?, accepted_formats = ?, updated_at = ?, version = version + 1 WHERE organisation_id = ?`, args...)
		}
		if err != nil {
			return err
		}
		if out, err = tx.docFormRules(orgID); err != nil {
			return err
		}
		var b any
		if before.Version > 0 {
			b = before
		}
		return tx.audit(orgID, "update", typeDocFormRules, orgID, b, out)
	})
	return out, err
}

// checkDocFormRules applies the organisation's naming pattern and required
// metadata to a document, naming the rule in each refusal.
func checkDocFormRules(v *isms.Validation, rules *isms.DocumentFormRules, in *isms.DocumentInput) error {
	re, err := docNamingRegexp(rules.NamingPattern)
	if err != nil {
		// A stored pattern compiled when it was saved; a later Go
		// version refusing it is our fault, not the user's.
		return fmt.Errorf("naming pattern %q: %w", rules.NamingPattern, err)
	}
	if re != nil && !v.Has("title") && !re.MatchString(in.Title) {
		v.Add("title", "doc.err.naming", rules.NamingPattern)
	}
	for _, m := range rules.RequiredMetadata {
		field, missing := "", false
		switch m {
		case "owner":
			field, missing = "owner_id", in.OwnerID == nil
		case "classification":
			field, missing = "classification", in.Classification == ""
		case "language":
			field, missing = "language", in.Language == ""
		case "format":
			field, missing = "format", in.Format == ""
		case "medium":
			field, missing = "medium", in.Medium == ""
		case "storage_location":
			field, missing = "storage_location", in.StorageLocation == ""
		case "clause":
			field, missing = "clause", in.Clause == ""
		case "requirement":
			field, missing = "requirement_id", in.RequirementID == nil
		case "approvers":
			field, missing = "approver_ids", len(in.ApproverIDs) == 0
		case "review_interval":
			field, missing = "review_interval_months", in.ReviewIntervalMonths == 0
		case "description":
			field, missing = "description", in.Description == ""
		}
		if missing && !v.Has(field) {
			v.Add(field, "doc.err.required_by_rules", "doc.meta."+m)
		}
	}
	return nil
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
		rows, err := tx.query("SELECT user_id, role FROM memberships WHERE organisation_id = ? AND user_id IN ("+placeholders(len(in.ApproverIDs))+")",
			append([]any{orgID}, int64sToAny(in.ApproverIDs)...)...)
		if err != nil {
			return err
		}
		roles := map[int64]isms.Role{}
		for rows.Next() {
			var id int64
			var role string
			if err := rows.Scan(&id, &role); err != nil {
				rows.Close()
				return err
			}
			roles[id] = isms.Role(role)
		}
		rows.Close()
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
	err := db.write(ctx, func(tx *Tx) error {
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
		if d, err = tx.document(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeDocument, id, nil, d)
	})
	return d, err
}

// UpdateDocument changes a document's metadata, refusing a stale version.
// A contributor must own the document before and after the change.
func (db *DB) UpdateDocument(ctx context.Context, orgID, id int64, in isms.DocumentInput) (*isms.Document, error) {
	var d *isms.Document
	err := db.write(ctx, func(tx *Tx) error {
		before, _, err := tx.visibleDocument(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, before.OwnerID); err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, in.OwnerID); err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
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
		if d, err = tx.document(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeDocument, id, before, d)
	})
	return d, err
}

// RecordDocumentReview records a review that left the document as it is:
// the next review moves one interval on from today.
func (db *DB) RecordDocumentReview(ctx context.Context, orgID, id, version int64) (*isms.Document, error) {
	var d *isms.Document
	err := db.write(ctx, func(tx *Tx) error {
		before, _, err := tx.visibleDocument(orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, before.OwnerID); err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
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
		if d, err = tx.document(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "doc_review", typeDocument, id, before, d)
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

// ---------------------------------------------------------------------
// Versions.

const docVersionColumns = `v.id, v.document_id, v.number, v.state, v.source, v.file_name, v.media_type, v.size, v.sha256, v.change_note,
	COALESCE(cb.name, ''), v.created_at, v.submitted_at, v.approved_at, v.published_at, COALESCE(pb.name, ''), v.closed_at,
	COALESCE(xb.name, ''), v.close_comment, v.content_deleted_at, COALESCE(db.name, ''), v.deletion_rule`

const docVersionFrom = ` FROM document_versions v LEFT JOIN users cb ON cb.id = v.created_by LEFT JOIN users pb ON pb.id = v.published_by
	LEFT JOIN users xb ON xb.id = v.closed_by LEFT JOIN users db ON db.id = v.content_deleted_by`

func scanDocVersion(row interface{ Scan(...any) error }) (*isms.DocumentVersion, error) {
	var v isms.DocumentVersion
	var state, created string
	var submitted, approved, published, closed, deleted sql.NullString
	if err := row.Scan(&v.ID, &v.DocumentID, &v.Number, &state, &v.Source, &v.FileName, &v.MediaType, &v.Size, &v.SHA256, &v.ChangeNote,
		&v.CreatedBy, &created, &submitted, &approved, &published, &v.PublishedBy, &closed, &v.ClosedBy, &v.CloseComment,
		&deleted, &v.DeletedBy, &v.DeletionRule); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("document_version")
		}
		return nil, err
	}
	v.State, v.CreatedAt = isms.VersionState(state), parseTS(created)
	v.SubmittedAt, v.ApprovedAt, v.PublishedAt = parseTSPtr(submitted), parseTSPtr(approved), parseTSPtr(published)
	v.ClosedAt, v.ContentDeleted = parseTSPtr(closed), parseTSPtr(deleted)
	v.Approvals = []isms.Approval{}
	return &v, nil
}

func (tx *Tx) fillDocApprovals(vs []*isms.DocumentVersion) error {
	if len(vs) == 0 {
		return nil
	}
	byID := map[int64]*isms.DocumentVersion{}
	ids := make([]any, 0, len(vs))
	for _, v := range vs {
		byID[v.ID] = v
		ids = append(ids, v.ID)
	}
	rows, err := tx.query(`SELECT a.version_id, a.user_id, u.name, a.role, a.decision, a.comment, a.sha256, a.at
		FROM document_approvals a JOIN users u ON u.id = a.user_id WHERE a.version_id IN (`+placeholders(len(ids))+`) ORDER BY a.at, a.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var vid int64
		var a isms.Approval
		var role, at string
		if err := rows.Scan(&vid, &a.UserID, &a.Name, &role, &a.Decision, &a.Comment, &a.SHA256, &at); err != nil {
			return err
		}
		a.Role, a.At = isms.Role(role), parseTS(at)
		byID[vid].Approvals = append(byID[vid].Approvals, a)
	}
	return rows.Err()
}

func (tx *Tx) docVersion(docID int64, number int) (*isms.DocumentVersion, error) {
	v, err := scanDocVersion(tx.queryRow("SELECT "+docVersionColumns+docVersionFrom+" WHERE v.document_id = ? AND v.number = ?", docID, number))
	if err != nil {
		return nil, err
	}
	return v, tx.fillDocApprovals([]*isms.DocumentVersion{v})
}

func (tx *Tx) docVersions(docID int64) ([]*isms.DocumentVersion, error) {
	rows, err := tx.query("SELECT "+docVersionColumns+docVersionFrom+" WHERE v.document_id = ? ORDER BY v.number DESC", docID)
	if err != nil {
		return nil, err
	}
	var out []*isms.DocumentVersion
	for rows.Next() {
		v, err := scanDocVersion(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, tx.fillDocApprovals(out)
}

// DocumentVersions lists a document's versions, newest first.
func (db *DB) DocumentVersions(ctx context.Context, orgID, docID int64) ([]*isms.DocumentVersion, error) {
	var out []*isms.DocumentVersion
	err := db.read(ctx, func(tx *Tx) error {
		if _, _, err := tx.visibleDocument(orgID, docID); err != nil {
			return err
		}
		var err error
		out, err = tx.docVersions(docID)
		return err
	})
	return out, err
}

// DocumentVersion reads one version; a text version comes with its text.
func (db *DB) DocumentVersion(ctx context.Context, orgID, docID int64, number int) (*isms.DocumentVersion, error) {
	var v *isms.DocumentVersion
	err := db.read(ctx, func(tx *Tx) error {
		if _, _, err := tx.visibleDocument(orgID, docID); err != nil {
			return err
		}
		var err error
		if v, err = tx.docVersion(docID, number); err != nil {
			return err
		}
		if v.Source == "text" && v.ContentDeleted == nil {
			var text sql.NullString
			if err := tx.queryRow("SELECT text_content FROM document_versions WHERE id = ?", v.ID).Scan(&text); err != nil {
				return err
			}
			v.Text = text.String
		}
		return nil
	})
	return v, err
}

// docMediaTypes are the canonical media types of the file formats the
// product knows, and docSniffed are what content sniffing (the WHATWG
// algorithm in net/http) may say about a genuine file of that format. A
// format the product does not know is stored as application/octet-stream
// and not docSniffed.
var docMediaTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt":  "application/vnd.oasis.opendocument.text",
	"ods":  "application/vnd.oasis.opendocument.spreadsheet",
	"odp":  "application/vnd.oasis.opendocument.presentation",
	"doc":  "application/msword",
	"xls":  "application/vnd.ms-excel",
	"ppt":  "application/vnd.ms-powerpoint",
	"txt":  "text/plain; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"png":  "image/png",
	"jpg":  "image/jpeg",
	"jpeg": "image/jpeg",
	"gif":  "image/gif",
	"zip":  "application/zip",
	"xml":  "application/xml",
	"html": "text/html; charset=utf-8",
	"json": "application/json",
	"svg":  "image/svg+xml",
	"msg":  "application/vnd.ms-outlook",
	"eml":  "message/rfc822",
}

var docSniffed = map[string][]string{
	"pdf":  {"application/pdf"},
	"docx": {"application/zip"},
	"xlsx": {"application/zip"},
	"pptx": {"application/zip"},
	"odt":  {"application/zip"},
	"ods":  {"application/zip"},
	"odp":  {"application/zip"},
	"zip":  {"application/zip"},
	"doc":  {"application/octet-stream"},
	"xls":  {"application/octet-stream"},
	"ppt":  {"application/octet-stream"},
	"msg":  {"application/octet-stream"},
	"txt":  {"text/plain"},
	"md":   {"text/plain"},
	"csv":  {"text/plain"},
	"json": {"text/plain"},
	"eml":  {"text/plain"},
	"xml":  {"text/xml", "text/plain"},
	"svg":  {"text/xml", "text/plain"},
	"html": {"text/html", "text/plain"},
	"png":  {"image/png"},
	"jpg":  {"image/jpeg"},
	"jpeg": {"image/jpeg"},
	"gif":  {"image/gif"},
}

// checkDocFile checks an uploaded file's name and content against the
// accepted formats: by its extension and by what its content turns out
// to be. It returns the cleaned name and the media type to store.
func checkDocFile(v *isms.Validation, rules *isms.DocumentFormRules, name string, content *isms.Upload) (string, string) {
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "." || name == "/" {
		name = ""
	}
	if name == "" {
		v.Add("file", "doc.err.file_name")
		return "", ""
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 255 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		v.Add("file", "doc.err.file_name")
		return "", ""
	}
	if content == nil || content.Size() == 0 {
		v.Add("file", "doc.err.file_empty")
		return "", ""
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	accepted := docAcceptedFormats(rules)
	if ext == "" || !slices.Contains(accepted, ext) {
		v.Add("file", "doc.err.format_refused", ext, strings.Join(accepted, ", "))
		return "", ""
	}
	if want, ok := docSniffed[ext]; ok {
		got, _, _ := strings.Cut(http.DetectContentType(content.Head()), ";")
		if !slices.Contains(want, got) {
			v.Add("file", "doc.err.content_mismatch", ext, got)
			return "", ""
		}
		if strings.HasPrefix(got, "text/") && !content.ValidUTF8() && ext != "txt" && ext != "csv" {
			v.Add("file", "doc.err.content_mismatch", ext, got)
			return "", ""
		}
	}
	mt, ok := docMediaTypes[ext]
	if !ok {
		mt = "application/octet-stream"
	}
	return name, mt
}

func docChecksum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// docVersionRecord is what the audit trail keeps of a version: its
// metadata and docChecksum, never its content.
func docVersionRecord(v *isms.DocumentVersion) map[string]any {
	m := map[string]any{"number": v.Number, "state": v.State, "source": v.Source, "sha256": v.SHA256, "size": v.Size}
	if v.FileName != "" {
		m["file_name"], m["media_type"] = v.FileName, v.MediaType
	}
	if v.ChangeNote != "" {
		m["change_note"] = v.ChangeNote
	}
	if v.CloseComment != "" {
		m["comment"] = v.CloseComment
	}
	return m
}

func (tx *Tx) openDocVersion(docID int64) (int, error) {
	var n sql.NullInt64
	err := tx.queryRow("SELECT MAX(number) FROM document_versions WHERE document_id = ? AND state IN ('draft', 'in_review', 'approved')", docID).Scan(&n)
	return int(n.Int64), err
}

// AddDocumentVersion adds a draft version: an uploaded file or text
// written in the product. A document has one open version at a time, so
// reviewers always know which content they approve.
//
// A file was measured (size, checksum, what it is) while it was read, so
// the write transaction checks it without reading it, and copies it into
// the database a piece at a time only once every check has passed: a
// refused upload writes nothing.
func (db *DB) AddDocumentVersion(ctx context.Context, orgID, docID int64, in isms.VersionInput) (*isms.DocumentVersion, error) {
	file := in.File
	if file == nil && len(in.Content) > 0 {
		file = isms.UploadBytes(in.Content)
	}
	hasFile := file != nil && file.Size() > 0
	var out *isms.DocumentVersion
	err := db.write(ctx, func(tx *Tx) error {
		d, _, err := tx.visibleDocument(orgID, docID)
		if err != nil {
			return err
		}
		if _, err := tx.requireEdit(orgID, d.OwnerID); err != nil {
			return err
		}
		if err := checkVersion(d.Version, in.Version); err != nil {
			return err
		}
		if open, err := tx.openDocVersion(docID); err != nil {
			return err
		} else if open > 0 {
			return isms.Errorf(isms.EInvalid, "doc.err.open_version", open)
		}
		rules, err := tx.docFormRules(orgID)
		if err != nil {
			return err
		}
		var v isms.Validation
		in.ChangeNote = strings.TrimSpace(in.ChangeNote)
		checkText(&v, "change_note", in.ChangeNote, 5000)
		var source, name, mt, sum string
		var size int64
		var text any
		switch {
		case hasFile && strings.TrimSpace(in.Text) != "":
			v.Add("file", "doc.err.file_or_text")
		case strings.TrimSpace(in.Text) != "":
			source, mt = "text", "text/markdown; charset=utf-8"
			if !utf8.ValidString(in.Text) {
				v.Add("text", "err.bad_text")
			} else if len(in.Text) > isms.MaxVersionText {
				v.Add("text", "doc.err.text_too_long", isms.MaxVersionText)
			}
			sum, size, text = docChecksum([]byte(in.Text)), int64(len(in.Text)), in.Text
		case hasFile || in.FileName != "":
			source = "file"
			name, mt = checkDocFile(&v, rules, in.FileName, file)
			if hasFile {
				sum, size = file.SHA256(), file.Size()
			}
		default:
			v.Add("file", "doc.err.file_or_text")
		}
		if err := v.Err(); err != nil {
			return err
		}
		var last sql.NullInt64
		if err := tx.queryRow("SELECT MAX(number) FROM document_versions WHERE document_id = ?", docID).Scan(&last); err != nil {
			return err
		}
		number := int(last.Int64) + 1
		id, err := tx.insert(`INSERT INTO document_versions (organisation_id, document_id, number, state, source, file_name, media_type, size,
			sha256, text_content, change_note, created_by, created_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, docID, number, source, name, mt, size, sum, text, in.ChangeNote, tx.actor.UserID, ts(tx.now))
		if err != nil {
			return err
		}
		if source == "file" {
			if err := tx.storeDocChunks(orgID, id, file); err != nil {
				return err
			}
		}
		if err := tx.touchDocument(orgID, docID); err != nil {
			return err
		}
		if out, err = tx.docVersion(docID, number); err != nil {
			return err
		}
		return tx.audit(orgID, "doc_add_version", typeDocument, docID, nil, docVersionRecord(out))
	})
	return out, err
}

// touchDocument moves the document's version on, so a page read before a
// change of its versions is stale.
func (tx *Tx) touchDocument(orgID, docID int64) error {
	_, err := tx.exec("UPDATE documents SET version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?", ts(tx.now), orgID, docID)
	return err
}

// TransitionDocumentVersion moves a version on in review and approval.
func (db *DB) TransitionDocumentVersion(ctx context.Context, orgID, docID int64, number int, in isms.TransitionInput) (*isms.DocumentVersion, error) {
	var out *isms.DocumentVersion
	err := db.write(ctx, func(tx *Tx) error {
		d, rd, err := tx.visibleDocument(orgID, docID)
		if err != nil {
			return err
		}
		v, err := tx.docVersion(docID, number)
		if err != nil {
			return err
		}
		// Who may act is checked before the version, so a caller without
		// the right learns nothing from a stale page.
		switch in.Action {
		case isms.TransitionSubmit, isms.TransitionPublish, isms.TransitionWithdraw:
			if _, err := tx.requireEdit(orgID, d.OwnerID); err != nil {
				return err
			}
		case isms.TransitionApprove, isms.TransitionSendBack:
			if !slices.Contains(d.ApproverIDs(), tx.actor.UserID) {
				return isms.Errorf(isms.EForbidden, "doc.err.not_approver")
			}
			if in.Action == isms.TransitionApprove && d.Kind.NeedsManagementApproval() && !rd.access.Role.Can(isms.PermApprove) {
				return isms.Errorf(isms.EForbidden, "doc.err.needs_management")
			}
		default:
			var val isms.Validation
			val.Add("action", "err.choice")
			return val.Err()
		}
		if err := checkVersion(d.Version, in.Version); err != nil {
			return err
		}
		in.Comment = strings.TrimSpace(in.Comment)
		var val isms.Validation
		checkText(&val, "comment", in.Comment, 5000)
		if (in.Action == isms.TransitionSendBack || in.Action == isms.TransitionWithdraw) && in.Comment == "" {
			val.Add("comment", "err.required")
		}
		if err := val.Err(); err != nil {
			return err
		}
		// The number is left out of "before" so the history shows which
		// version each event concerns.
		before := docVersionRecord(v)
		delete(before, "number")
		now := ts(tx.now)
		wrongState := func() error {
			return isms.Errorf(isms.EInvalid, "doc.err.transition", "doc.action."+in.Action, "doc.state."+string(v.State))
		}
		action := "doc_" + in.Action
		switch in.Action {
		case isms.TransitionSubmit:
			if v.State != isms.VersionDraft {
				return wrongState()
			}
			if len(d.Approvers) == 0 {
				return isms.Errorf(isms.EInvalid, "doc.err.no_approvers")
			}
			// The form rules may have changed since the document was
			// saved; what goes to review must meet them now.
			if err := tx.checkStoredDocument(orgID, d); err != nil {
				return err
			}
			_, err = tx.exec("UPDATE document_versions SET state = 'in_review', submitted_at = ? WHERE id = ?", now, v.ID)
		case isms.TransitionApprove, isms.TransitionSendBack:
			if v.State != isms.VersionInReview {
				return wrongState()
			}
			if in.SHA256 != "" && !strings.EqualFold(in.SHA256, v.SHA256) {
				return isms.Errorf(isms.EConflict, "doc.err.checksum_changed")
			}
			for _, a := range v.Approvals {
				if a.UserID == tx.actor.UserID && a.Decision == "approve" && v.SubmittedAt != nil && !a.At.Before(*v.SubmittedAt) {
					return isms.Errorf(isms.EConflict, "doc.err.already_approved")
				}
			}
			decision := "approve"
			if in.Action == isms.TransitionSendBack {
				decision = "send_back"
			}
			if _, err := tx.exec(`INSERT INTO document_approvals (organisation_id, version_id, user_id, role, decision, comment, sha256, at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, v.ID, tx.actor.UserID, string(rd.access.Role), decision, in.Comment, v.SHA256, now); err != nil {
				return err
			}
			if in.Action == isms.TransitionSendBack {
				_, err = tx.exec("UPDATE document_versions SET state = 'returned', closed_at = ?, closed_by = ?, close_comment = ? WHERE id = ?",
					now, tx.actor.UserID, in.Comment, v.ID)
				break
			}
			action = "approve"
			// Approved once every named approver has approved this
			// content.
			n, err := tx.count(`SELECT COUNT(DISTINCT a.user_id) FROM document_approvals a JOIN document_approvers p
				ON p.document_id = ? AND p.user_id = a.user_id WHERE a.version_id = ? AND a.decision = 'approve' AND a.sha256 = ?`,
				docID, v.ID, v.SHA256)
			if err != nil {
				return err
			}
			if n >= len(d.Approvers) {
				_, err = tx.exec("UPDATE document_versions SET state = 'approved', approved_at = ? WHERE id = ?", now, v.ID)
				if err != nil {
					return err
				}
			}
		case isms.TransitionPublish:
			if v.State != isms.VersionApproved {
				return wrongState()
			}
			if _, err := tx.exec("UPDATE document_versions SET state = 'superseded', closed_at = ?, closed_by = ? WHERE document_id = ? AND state = 'published'",
				now, tx.actor.UserID, docID); err != nil {
				return err
			}
			if _, err := tx.exec("UPDATE document_versions SET state = 'published', published_at = ?, published_by = ? WHERE id = ?",
				now, tx.actor.UserID, v.ID); err != nil {
				return err
			}
			if d.ReviewIntervalMonths > 0 {
				_, err = tx.exec("UPDATE documents SET next_review = ? WHERE id = ?", docAddMonths(tx.Today(), d.ReviewIntervalMonths).String(), docID)
			}
		case isms.TransitionWithdraw:
			if !v.State.Open() && v.State != isms.VersionPublished {
				return wrongState()
			}
			_, err = tx.exec("UPDATE document_versions SET state = 'withdrawn', closed_at = ?, closed_by = ?, close_comment = ? WHERE id = ?",
				now, tx.actor.UserID, in.Comment, v.ID)
		}
		if err != nil {
			return err
		}
		if err := tx.touchDocument(orgID, docID); err != nil {
			return err
		}
		if out, err = tx.docVersion(docID, number); err != nil {
			return err
		}
		after := docVersionRecord(out)
		if in.Action == isms.TransitionApprove || in.Action == isms.TransitionSendBack {
			after["approver_role"] = rd.access.Role
			if in.Comment != "" {
				after["comment"] = in.Comment
			}
		}
		return tx.audit(orgID, action, typeDocument, docID, before, after)
	})
	return out, err
}

// checkStoredDocument applies the current form rules to a stored document.
func (tx *Tx) checkStoredDocument(orgID int64, d *isms.Document) error {
	in := docInputOf(d)
	rules, err := tx.docFormRules(orgID)
	if err != nil {
		return err
	}
	var v isms.Validation
	if err := checkDocFormRules(&v, rules, &in); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		e := isms.AsError(err)
		e.Key = "doc.err.rules_not_met"
		return e
	}
	return nil
}

func docInputOf(d *isms.Document) isms.DocumentInput {
	return isms.DocumentInput{Kind: d.Kind, Title: d.Title, Description: d.Description, OwnerID: d.OwnerID, Classification: d.Classification,
		Language: d.Language, Format: d.Format, Medium: d.Medium, StorageLocation: d.StorageLocation, Clause: d.Clause,
		RequirementID: d.RequirementID, ApproverIDs: d.ApproverIDs(), ReviewIntervalMonths: d.ReviewIntervalMonths,
		NextReview: d.NextReview, Version: d.Version}
}

// docTextFileName names the download of a text version after the document.
func docTextFileName(title string, number int) string {
	var b strings.Builder
	for _, r := range title {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteRune('-')
		}
	}
	name := strings.Trim(b.String(), "-.")
	if name == "" {
		name = "document"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	return fmt.Sprintf("%s-v%d.md", name, number)
}

// ---------------------------------------------------------------------
// Retention and deletion.

func (tx *Tx) docRetentionRules(orgID int64) (map[isms.DocumentKind]*isms.RetentionRule, error) {
	rows, err := tx.query("SELECT kind, retention_months, deletion_procedure, version FROM document_retention_rules WHERE organisation_id = ?", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[isms.DocumentKind]*isms.RetentionRule{}
	for rows.Next() {
		var r isms.RetentionRule
		var kind string
		if err := rows.Scan(&kind, &r.RetentionMonths, &r.DeletionProcedure, &r.Version); err != nil {
			return nil, err
		}
		r.Kind = isms.DocumentKind(kind)
		out[r.Kind] = &r
	}
	return out, rows.Err()
}

// docKindsInUse counts the documents of each kind.
func (tx *Tx) docKindsInUse(orgID int64) (map[isms.DocumentKind]int, error) {
	rows, err := tx.query("SELECT kind, COUNT(*) FROM documents WHERE organisation_id = ? GROUP BY kind", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[isms.DocumentKind]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[isms.DocumentKind(k)] = n
	}
	return out, rows.Err()
}

// RetentionRules lists every document kind with its retention rule (version
// 0 where none is set) and how many documents of it there are.
func (db *DB) RetentionRules(ctx context.Context, orgID int64) ([]*isms.RetentionRule, error) {
	var out []*isms.RetentionRule
	err := db.read(ctx, func(tx *Tx) error {
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
	err := db.write(ctx, func(tx *Tx) error {
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
		var kind, state, closed string
		if err := rows.Scan(&c.DocumentID, &c.DocumentTitle, &kind, &c.Number, &state, &closed); err != nil {
			return nil, err
		}
		c.Kind, c.State, c.ClosedAt = isms.DocumentKind(kind), isms.VersionState(state), parseTS(closed)
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
	err := db.read(ctx, func(tx *Tx) error {
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
	return db.write(ctx, func(tx *Tx) error {
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
