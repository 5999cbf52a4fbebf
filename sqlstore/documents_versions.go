package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// ---------------------------------------------------------------------
// Versions.

const docVersionColumns = `v.id, v.document_id, v.number, v.state, v.source, v.file_name, v.media_type, v.size, v.sha256, v.change_note,
	COALESCE(cb.name, ''), v.created_at, v.submitted_at, v.approved_at, v.published_at, COALESCE(pb.name, ''), v.closed_at,
	COALESCE(xb.name, ''), v.close_comment, v.content_deleted_at, COALESCE(db.name, ''), v.deletion_rule`

const docVersionFrom = ` FROM document_versions v LEFT JOIN users cb ON cb.id = v.created_by LEFT JOIN users pb ON pb.id = v.published_by
	LEFT JOIN users xb ON xb.id = v.closed_by LEFT JOIN users db ON db.id = v.content_deleted_by`

func scanDocVersion(row scanner) (*isms.DocumentVersion, error) {
	var v isms.DocumentVersion
	var state string
	if err := row.Scan(&v.ID, &v.DocumentID, &v.Number, &state, &v.Source, &v.FileName, &v.MediaType, &v.Size, &v.SHA256, &v.ChangeNote,
		&v.CreatedBy, scanTime{&v.CreatedAt}, scanTimePtr{&v.SubmittedAt}, scanTimePtr{&v.ApprovedAt}, scanTimePtr{&v.PublishedAt}, &v.PublishedBy, scanTimePtr{&v.ClosedAt}, &v.ClosedBy, &v.CloseComment,
		scanTimePtr{&v.ContentDeleted}, &v.DeletedBy, &v.DeletionRule); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("document_version")
		}
		return nil, err
	}
	v.State = isms.VersionState(state)
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
	return tx.queryEach(`SELECT a.version_id, a.user_id, u.name, a.role, a.decision, a.comment, a.sha256, a.at
		FROM document_approvals a JOIN users u ON u.id = a.user_id WHERE a.version_id IN (`+placeholders(len(ids))+`) ORDER BY a.at, a.id`, ids, func(row scanner) error {
		var vid int64
		var a isms.Approval
		var role string
		if err := row.Scan(&vid, &a.UserID, &a.Name, &role, &a.Decision, &a.Comment, &a.SHA256, scanTime{&a.At}); err != nil {
			return err
		}
		a.Role = isms.Role(role)
		byID[vid].Approvals = append(byID[vid].Approvals, a)
		return nil
	})
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
	out, err := collect(rows, scanDocVersion)
	if err != nil {
		return nil, err
	}
	return out, tx.fillDocApprovals(out)
}

// DocumentVersions lists a document's versions, newest first.
func (db *DB) DocumentVersions(ctx context.Context, orgID, docID int64) ([]*isms.DocumentVersion, error) {
	var out []*isms.DocumentVersion
	err := db.read(ctx, "DocumentVersions", func(tx *Tx) error {
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
	err := db.read(ctx, "DocumentVersion", func(tx *Tx) error {
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
	err := db.write(ctx, "AddDocumentVersion", func(tx *Tx) error {
		d, _, err := tx.visibleDocument(orgID, docID)
		if err != nil {
			return err
		}
		if err := tx.mayEdit(orgID, d.Version, in.Version, d.OwnerID); err != nil {
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
	err := db.write(ctx, "TransitionDocumentVersion", func(tx *Tx) error {
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
		if err := d.CheckTransitionBy(in.Action, rd.access, tx.actor.UserID); err != nil {
			return err
		}
		if err := checkVersion(d.Version, in.Version); err != nil {
			return err
		}
		if err := in.CheckComment(); err != nil {
			return err
		}
		if _, err := v.State.Next(in.Action); err != nil {
			return err
		}
		// The number is left out of "before" so the history shows which
		// version each event concerns.
		before := docVersionRecord(v)
		delete(before, "number")
		now := ts(tx.now)
		action := "doc_" + in.Action
		switch in.Action {
		case isms.TransitionSubmit:
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
