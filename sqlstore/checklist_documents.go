package sqlstore

import (
	"database/sql"
	"fmt"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// Rules for checklist questions 2.3 and 2.4 (the management-approved
// information security policy and list of roles and responsibilities,
// guide 2.2) and 6.1, 6.3 and 6.4 (documentation, guide 2.8), answered
// from the register of documents. Their readable statements are the
// catalogue keys rule.2.3, rule.2.4, rule.6.1, rule.6.3 and rule.6.4.
// Rules look at every document, whoever asks; only the evidence labels
// hide the titles of documents the asker may not read.
func init() {
	registerRule("2.3", ruleManagementApproved(isms.DocInformationSecurityPolicy))
	registerRule("2.4", ruleRolesResponsibilities)
	registerRule("6.1", ruleMandatoryDocumentation)
	registerRule("6.3", ruleFormRules)
	registerRule("6.4", ruleDocumentControl)
	registerScheduleSource(documentReviews)
	registerTopicSource("topic.source.documents", "topic.source.documents.planned", documentTopics)
}

// allDocs reads every document of the organisation with its
// approvers, whoever may read them.
func (tx *Tx) allDocs(orgID int64, kind isms.DocumentKind) ([]*isms.Document, error) {
	q := "SELECT " + docColumns + docFrom + " WHERE d.organisation_id = ?"
	args := []any{orgID}
	if kind != "" {
		q += " AND d.kind = ?"
		args = append(args, kind)
	}
	rows, err := tx.query(q+" ORDER BY d.title, d.id", args...)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, scanDocument)
	if err != nil {
		return nil, err
	}
	return out, tx.fillDocApprovers(out)
}

// docEvidenceReader is the asker for labelling evidence. Without an asker
// (e.g. a calendar feed read with its secret address) only the titles of
// public and internal documents are shown.
func (tx *Tx) docEvidenceReader(orgID int64) *docReader {
	if tx.actor == nil {
		return &docReader{}
	}
	a, err := tx.access(orgID)
	if err != nil {
		return &docReader{}
	}
	return &docReader{access: a, userID: tx.actor.UserID}
}

// docItemLabel is a document's title for a calendar or topic entry, empty
// when the asker may not read it (the entry then shows only what it is).
func docItemLabel(ev isms.Evidence) string {
	if ev.Label == "doc_restricted" {
		return ""
	}
	return ev.Label
}

func docEvidence(rd *docReader, d *isms.Document) isms.Evidence {
	label := d.Title
	if !rd.canRead(d) {
		label = "doc_restricted"
	}
	return isms.Evidence{RecordType: typeDocument, RecordID: d.ID, Label: label, Path: fmt.Sprintf("/documents/%d", d.ID)}
}

// docApproveRoles are the roles that carry the management's approval.
func docApproveRoles() []any {
	var out []any
	for _, r := range isms.Roles {
		if r.Can(isms.PermApprove) {
			out = append(out, string(r))
		}
	}
	return out
}

// docManagementApproved returns, per document, the newest approved or
// published version that a holder of the management role approved with
// the docChecksum of its content, and when.
type docApprovedVersion struct {
	number int
	state  isms.VersionState
	at     string
}

func (tx *Tx) docManagementApproved(orgID int64) (map[int64]docApprovedVersion, error) {
	roles := docApproveRoles()
	// Ordered by number, so the newest version of a document wins.
	return queryMap(tx, scanDocApprovedVersion, `SELECT v.document_id, v.number, v.state, MAX(a.at) FROM document_versions v
		JOIN document_approvals a ON a.version_id = v.id AND a.decision = 'approve' AND a.sha256 = v.sha256
		WHERE v.organisation_id = ? AND v.state IN ('approved', 'published') AND a.role IN (`+placeholders(len(roles))+`)
		GROUP BY v.document_id, v.number, v.state ORDER BY v.document_id, v.number`, append([]any{orgID}, roles...)...)
}

func scanDocApprovedVersion(row scanner) (int64, docApprovedVersion, error) {
	var doc int64
	var av docApprovedVersion
	var state string
	err := row.Scan(&doc, &av.number, &state, &av.at)
	av.state = isms.VersionState(state)
	return doc, av, err
}

// 2.3 and 2.4: yes when a document of the kind has an approved or
// published version approved by a holder of the management role and its
// review date has not passed; partly when one exists but is unapproved,
// without a review date or overdue; no otherwise.
func ruleManagementApproved(kind isms.DocumentKind) checklistRule {
	return func(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
		docs, err := tx.allDocs(orgID, kind)
		if err != nil {
			return nil, err
		}
		a := &isms.ChecklistAnswer{Status: isms.AnswerNo}
		kindKey := "doc.kind." + string(kind)
		if len(docs) == 0 {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_kind_missing", kindKey))
			return a, nil
		}
		approved, err := tx.docManagementApproved(orgID)
		if err != nil {
			return nil, err
		}
		rd := tx.docEvidenceReader(orgID)
		today := tx.Today()
		a.Status = isms.AnswerPartly
		var partlyReasons []isms.Message
		for _, d := range docs {
			a.Evidence = append(a.Evidence, docEvidence(rd, d))
			av, ok := approved[d.ID]
			switch {
			case !ok:
				partlyReasons = append(partlyReasons, isms.Msg("reason.doc_not_management_approved", kindKey))
			case d.NextReview == nil:
				partlyReasons = append(partlyReasons, isms.Msg("reason.doc_no_review_date", kindKey))
			case d.NextReview.Before(today):
				partlyReasons = append(partlyReasons, isms.Msg("reason.doc_review_overdue", kindKey, d.NextReview.String()))
			default:
				a.Status = isms.AnswerYes
				a.Reasons = []isms.Message{isms.Msg("reason.doc_management_approved", kindKey, av.number, parseTS(av.at).Format(isms.DateLayout), d.NextReview.String())}
				if av.state != isms.VersionPublished {
					a.Reasons = append(a.Reasons, isms.Msg("reason.doc_not_published", av.number))
				}
				a.Evidence = []isms.Evidence{docEvidence(rd, d)}
				return a, nil
			}
		}
		a.Reasons = docUniqueMessages(partlyReasons)
		return a, nil
	}
}

func docUniqueMessages(ms []isms.Message) []isms.Message {
	seen := map[string]bool{}
	var out []isms.Message
	for _, m := range ms {
		k := fmt.Sprint(m.Key, m.Args)
		if !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out
}

// 6.1: every mandatory documentation requirement is named by at least one
// document with an approved or published version.
func ruleMandatoryDocumentation(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	reqs, err := tx.docRequirements(orgID, nil)
	if err != nil {
		return nil, err
	}
	fulfilled, err := tx.docFulfilled(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	rd := tx.docEvidenceReader(orgID)
	docs := map[int64]*isms.Document{}
	if all, err := tx.allDocs(orgID, ""); err != nil {
		return nil, err
	} else {
		for _, d := range all {
			docs[d.ID] = d
		}
	}
	total, have := 0, 0
	seen := map[string]bool{}
	for _, q := range reqs {
		if q.Kind != "mandatory" {
			continue
		}
		seen[q.Key] = true
		total++
		if fulfilled[q.ID] {
			have++
			for _, ref := range q.Documents {
				if d := docs[ref.ID]; d != nil && (ref.State == isms.VersionApproved || ref.State == isms.VersionPublished || d.Published != nil) {
					a.Evidence = append(a.Evidence, docEvidence(rd, d))
					break
				}
			}
			continue
		}
		if len(q.Documents) > 0 {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_mandatory_unapproved", "doc.req."+q.Key, docClause(q.Clause2013, q.Clause2022)))
		} else {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_mandatory_missing", "doc.req."+q.Key, docClause(q.Clause2013, q.Clause2022)))
		}
	}
	// An organisation whose register was never opened has no rows yet;
	// the guide's list still applies to it.
	for _, r := range catalog.DocumentationRequirements() {
		if r.Kind == "mandatory" && !seen[r.Key] {
			total++
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_mandatory_missing", "doc.req."+r.Key, docClause(r.Clause2013, r.Clause2022)))
		}
	}
	a.Status = grade(have, total)
	if a.Status == isms.AnswerYes {
		a.Reasons = append([]isms.Message{isms.Msg("reason.doc_mandatory_complete", total)}, a.Reasons...)
	}
	return a, nil
}

func docClause(c2013, c2022 string) string {
	if c2013 == c2022 {
		return c2013
	}
	return c2013 + " / " + c2022
}

// 6.3: the form rules are recorded: a naming standard (or pattern), a
// format standard, a media standard, the required metadata and the
// accepted file formats.
func ruleFormRules(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	r, err := tx.docFormRules(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	checks := []struct {
		key string
		ok  bool
	}{
		{"naming", r.NamingStandard != "" || r.NamingPattern != ""},
		{"format", r.FormatStandard != ""},
		{"media", r.MediaStandard != ""},
		{"metadata", len(r.RequiredMetadata) > 0},
		{"formats", len(r.AcceptedFormats) > 0},
	}
	have := 0
	for _, c := range checks {
		if c.ok {
			have++
		} else {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_form_rule_missing", "doc.formrule."+c.key))
		}
	}
	a.Status = grade(have, len(checks))
	if have > 0 {
		a.Evidence = append(a.Evidence, isms.Evidence{RecordType: typeDocFormRules, RecordID: orgID, Label: "doc_form_rules", Path: "/documents/rules"})
	}
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.doc_form_rules_complete"))
	}
	return a, nil
}

// 6.4: document control is established: every kind of document in use has
// a retention period and a deletion procedure, every document is
// classified, has a review interval and named approvers, and no review is
// overdue.
func ruleDocumentControl(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	docs, err := tx.allDocs(orgID, "")
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	if len(docs) == 0 {
		a.Status = isms.AnswerNo
		a.Reasons = append(a.Reasons, isms.Msg("reason.doc_none"))
		return a, nil
	}
	rules, err := tx.docRetentionRules(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	var noRule []string
	ruleMissing := map[isms.DocumentKind]bool{}
	unclassified, noInterval, noApprovers, overdue := 0, 0, 0, 0
	for _, d := range docs {
		if r := rules[d.Kind]; (r == nil || r.RetentionMonths <= 0 || r.DeletionProcedure == "") && !ruleMissing[d.Kind] {
			ruleMissing[d.Kind] = true
			noRule = append(noRule, "doc.kind."+string(d.Kind))
		}
		if d.Classification == isms.ClassUnset {
			unclassified++
		}
		if d.ReviewIntervalMonths <= 0 {
			noInterval++
		}
		if len(d.Approvers) == 0 {
			noApprovers++
		}
		if d.ReviewOverdue(today) {
			overdue++
		}
	}
	have := 0
	if len(noRule) == 0 {
		have++
	} else {
		for _, k := range noRule {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_retention_missing", k))
		}
	}
	if unclassified == 0 {
		have++
	} else {
		a.Reasons = append(a.Reasons, isms.Msg("reason.doc_unclassified", unclassified))
	}
	if noInterval == 0 && noApprovers == 0 {
		have++
	} else {
		if noInterval > 0 {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_no_interval", noInterval))
		}
		if noApprovers > 0 {
			a.Reasons = append(a.Reasons, isms.Msg("reason.doc_no_approvers", noApprovers))
		}
	}
	if overdue == 0 {
		have++
	} else {
		a.Reasons = append(a.Reasons, isms.Msg("reason.doc_reviews_overdue", overdue))
	}
	a.Status = grade(have, 4)
	a.Evidence = append(a.Evidence,
		isms.Evidence{RecordType: "register", RecordID: int64(len(docs)), Label: "doc_register", Path: "/documents"},
		isms.Evidence{RecordType: typeDocRetention, RecordID: orgID, Label: "doc_retention", Path: "/documents/retention"})
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.doc_control_complete", len(docs)))
	}
	return a, nil
}

// documentReviews puts the documents' next reviews in the annual wheel's
// calendar.
func documentReviews(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	rows, err := tx.query("SELECT "+docColumns+docFrom+" WHERE d.organisation_id = ? AND d.next_review >= ? AND d.next_review <= ? ORDER BY d.next_review, d.id",
		orgID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	docs, err := collect(rows, scanDocument)
	if err != nil {
		return nil, err
	}
	if err := tx.fillDocApprovers(docs); err != nil {
		return nil, err
	}
	rd := tx.docEvidenceReader(orgID)
	out := make([]isms.ScheduledItem, 0, len(docs))
	for _, d := range docs {
		ev := docEvidence(rd, d)
		out = append(out, isms.ScheduledItem{Day: *d.NextReview, Label: docItemLabel(ev), Kind: "doc.schedule_review", Evidence: ev})
	}
	return out, nil
}

// documentTopics reports management's approvals of the information
// security policy (topic "policies") and of the roles and
// responsibilities (topic "roles"), and their next reviews as planned
// occasions.
func documentTopics(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	topics := map[isms.DocumentKind]string{isms.DocInformationSecurityPolicy: "policies", isms.DocRolesResponsibilities: "roles"}
	roles := docApproveRoles()
	rows, err := tx.query(`SELECT d.id, d.kind, d.title, d.classification, d.owner_id, a.at FROM document_approvals a
		JOIN document_versions v ON v.id = a.version_id JOIN documents d ON d.id = v.document_id
		WHERE d.organisation_id = ? AND d.kind IN (?, ?) AND a.decision = 'approve' AND a.role IN (`+placeholders(len(roles))+`)`,
		append([]any{orgID, isms.DocInformationSecurityPolicy, isms.DocRolesResponsibilities}, roles...)...)
	if err != nil {
		return nil, err
	}
	type row struct {
		d  isms.Document
		at string
	}
	got, err := collect(rows, func(sc scanner) (row, error) {
		var r row
		var kind, class string
		var owner sql.NullInt64
		if err := sc.Scan(&r.d.ID, &kind, &r.d.Title, &class, &owner, &r.at); err != nil {
			return row{}, err
		}
		r.d.Kind, r.d.Classification, r.d.OwnerID = isms.DocumentKind(kind), isms.Classification(class), int64Ptr(owner)
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	rd := tx.docEvidenceReader(orgID)
	var out []isms.TopicActivity
	for _, r := range got {
		d := r.d
		if err := tx.fillDocApprovers([]*isms.Document{&d}); err != nil {
			return nil, err
		}
		ev := docEvidence(rd, &d)
		out = append(out, isms.TopicActivity{Topic: topics[d.Kind], Day: isms.DateOf(parseTS(r.at)), Done: true, Label: docItemLabel(ev), Evidence: ev})
	}
	for kind, topic := range topics {
		docs, err := tx.allDocs(orgID, kind)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if d.NextReview == nil {
				continue
			}
			ev := docEvidence(rd, d)
			out = append(out, isms.TopicActivity{Topic: topic, Day: *d.NextReview, Done: false, Label: docItemLabel(ev), Evidence: ev})
		}
	}
	return out, nil
}
