package sqlstore

import (
	"path"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// Evidence of a competence uploaded as a file (guide 2.5: "with evidence:
// a document from the register, or a file"). The file becomes a document
// of the register of its own, of kind competence_records, owned by the
// person whose competence it shows, with the file as its one version; the
// competence links it as its evidence. The document, its version, the
// file's content and the competence are written in ONE transaction (the
// competence's write), so a refused competence leaves no document behind
// and a refused file no competence. The version is kept as published:
// evidence is a record of what happened, kept as received, not a document
// that is reviewed and approved. For the same reason the register's
// checks of files apply to it (the accepted formats, content that is what
// its name says), but not the form rules for the documents people write
// (the naming pattern, the metadata required before review): it is filed
// by the product, titled after the competence and the person.

// evidenceReviewMonths is how often an evidence document is reviewed.
const evidenceReviewMonths = 12

// evidenceFile is an uploaded evidence file that passed its checks.
type evidenceFile struct {
	upload         *isms.Upload
	name, media    string
	classification isms.Classification
}

// checkEvidenceFile checks an uploaded evidence file into v: one of the
// evidence formats that the organisation's form rules also accept, whose
// content is what its name says, not empty, and not given together with a
// document of the register. It returns nil when there is none or it is
// refused.
func (tx *Tx) checkEvidenceFile(orgID int64, v *isms.Validation, in *isms.CompetenceInput) (*evidenceFile, error) {
	ev := in.EvidenceFile
	if ev == nil {
		return nil, nil
	}
	if in.EvidenceID != nil {
		v.Add("evidence_file", "competence.err.evidence_both")
		return nil, nil
	}
	f := ev.File
	if f == nil {
		f = isms.UploadBytes(ev.Content)
	}
	class := ev.Classification
	if class == isms.ClassUnset {
		class = isms.ClassInternal
	}
	if class != isms.ClassInternal && class != isms.ClassConfidential {
		v.Add("evidence_classification", "err.choice")
	}
	if f.Size() == 0 {
		v.Add("evidence_file", "doc.err.file_empty")
		return nil, nil
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(ev.FileName), "."))
	if !slices.Contains(isms.EvidenceFormats, ext) {
		v.Add("evidence_file", "competence.err.evidence_format", ext, strings.Join(isms.EvidenceFormats, ", "))
		return nil, nil
	}
	rules, err := tx.docFormRules(orgID)
	if err != nil {
		return nil, err
	}
	var fv isms.Validation
	name, media := checkDocFile(&fv, rules, ev.FileName, f)
	if e := isms.AsError(fv.Err()); e != nil {
		for _, fe := range e.Fields {
			v.Add("evidence_file", fe.Key, fe.Args...)
		}
		return nil, nil
	}
	return &evidenceFile{upload: f, name: name, media: media, classification: class}, nil
}

// storeEvidence adds the evidence document with its file, after every
// check of the competence has passed, and returns the document's id.
func (tx *Tx) storeEvidence(orgID int64, in *isms.CompetenceInput, ev *evidenceFile) (int64, error) {
	if err := tx.ensureDocumentationRequirements(orgID); err != nil {
		return 0, err
	}
	var person string
	if err := tx.queryRow("SELECT name FROM users WHERE id = ?", in.UserID).Scan(&person); err != nil {
		return 0, err
	}
	title := in.Subject + " – " + person
	if r := []rune(title); len(r) > 300 {
		title = string(r[:300])
	}
	ext := strings.ToUpper(strings.TrimPrefix(path.Ext(ev.name), "."))
	doc := isms.DocumentInput{Kind: isms.DocCompetenceRecords, Title: title, OwnerID: &in.UserID, Classification: ev.classification,
		Format: ext, Medium: "electronic", Clause: "7.2", Description: ev.name}
	var req *int64
	if id, err := tx.count("SELECT COALESCE(MIN(id), 0) FROM documentation_requirements WHERE organisation_id = ? AND doc_kind = ?",
		orgID, string(isms.DocCompetenceRecords)); err != nil {
		return 0, err
	} else if id > 0 {
		id64 := int64(id)
		req = &id64
		doc.RequirementID = req
	}
	// Under document control like every document of the register (rule
	// 6.4): reviewed yearly (is it still needed, is the competence still
	// current?), with the organisation's coordinators, who keep the
	// competence records, as its approvers (the recorder when there are
	// none).
	approvers, err := queryAll(tx, func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, "SELECT user_id FROM memberships WHERE organisation_id = ? AND role = ? ORDER BY user_id LIMIT 20", orgID, string(isms.RoleCoordinator))
	if err != nil {
		return 0, err
	}
	if len(approvers) == 0 {
		approvers = []int64{tx.actor.UserID}
	}
	now := ts(tx.now)
	id, err := tx.insert(`INSERT INTO documents (organisation_id, kind, title, description, owner_id, classification, language, format,
		medium, storage_location, clause, requirement_id, review_interval_months, next_review, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, '', ?, ?, ?, ?, 1, ?, ?)`,
		orgID, doc.Kind, doc.Title, doc.Description, in.UserID, doc.Classification, doc.Format, doc.Medium, doc.Clause, nullInt(req),
		evidenceReviewMonths, docAddMonths(tx.Today(), evidenceReviewMonths).String(), now, now)
	if err != nil {
		return 0, err
	}
	if err := tx.setDocApprovers(orgID, id, approvers); err != nil {
		return 0, err
	}
	if _, err := audited(tx, tx.document, orgID, "create", typeDocument, id, nil); err != nil {
		return 0, err
	}
	vid, err := tx.insert(`INSERT INTO document_versions (organisation_id, document_id, number, state, source, file_name, media_type, size,
		sha256, change_note, created_by, created_at, published_at, published_by) VALUES (?, ?, 1, 'published', 'file', ?, ?, ?, ?, '', ?, ?, ?, ?)`,
		orgID, id, ev.name, ev.media, ev.upload.Size(), ev.upload.SHA256(), tx.actor.UserID, now, now, tx.actor.UserID)
	if err != nil {
		return 0, err
	}
	if err := tx.storeDocChunks(orgID, vid, ev.upload); err != nil {
		return 0, err
	}
	v, err := tx.docVersion(id, 1)
	if err != nil {
		return 0, err
	}
	return id, tx.audit(orgID, "doc_add_version", typeDocument, id, nil, docVersionRecord(v))
}
