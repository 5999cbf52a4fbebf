package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The supplier questionnaire of a supervision (guide 2.9, Annex A 5.22).
// The coordinator (or the supplier's owner, who may record its
// supervisions) makes it from the questions they edited and gets a secret
// link, of which only the hash is kept, valid to a last day. The supplier
// answers through the link without an account: drafts as often as they
// like, then one submission, after which the link shows the answers only.
// The coordinator may reopen a submitted questionnaire or revoke the link.
//
// The writes through the link find the organisation by the token, take
// its write lock and read the questionnaire again under it (lock.go), so
// of two submissions at once exactly one lands, on either database and
// across instances; the other meets "already submitted".

const (
	typeQuestionnaire      = "supplier_questionnaire"
	questionnaireTokPrefix = "ismsq_"
	// questionnaireMaxDays is how far ahead a link's last day may lie.
	questionnaireMaxDays = 366
)

const qnColumns = `q.id, q.organisation_id, o.name, q.supervision_id, v.supplier_id, s.name, q.status, q.expires_on, q.sent_to,
	q.respondent_name, q.respondent_email, q.draft_saved_at, q.submitted_at, COALESCE(u.name, ''), q.version, q.created_at, q.updated_at`

const qnFrom = ` FROM supplier_questionnaires q JOIN organisations o ON o.id = q.organisation_id
	JOIN supplier_supervisions v ON v.id = q.supervision_id JOIN suppliers s ON s.id = v.supplier_id LEFT JOIN users u ON u.id = q.created_by`

func scanQuestionnaire(row scanner) (*isms.SupplierQuestionnaire, error) {
	var q isms.SupplierQuestionnaire
	var status string
	if err := row.Scan(&q.ID, &q.OrganisationID, &q.OrganisationName, &q.SupervisionID, &q.SupplierID, &q.SupplierName, &status,
		scanDate{&q.ExpiresOn}, &q.SentTo, &q.RespondentName, &q.RespondentEmail, scanTimePtr{&q.DraftSavedAt}, scanTimePtr{&q.SubmittedAt},
		&q.CreatedByName, &q.Version, scanTime{&q.CreatedAt}, scanTime{&q.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("questionnaire")
		}
		return nil, err
	}
	q.Status = isms.QuestionnaireStatus(status)
	return &q, nil
}

// fillQuestions reads a questionnaire's questions in order.
func (tx *Tx) fillQuestions(q *isms.SupplierQuestionnaire) error {
	var err error
	q.Questions, err = queryAll(tx, func(row scanner) (isms.QuestionnaireQuestion, error) {
		var x isms.QuestionnaireQuestion
		var answer string
		err := row.Scan(&x.ID, &x.Position, &x.Text, &answer, &x.Comment)
		x.Answer = isms.QuestionnaireAnswer(answer)
		return x, err
	}, "SELECT id, position, text, answer, comment FROM supplier_questionnaire_questions WHERE questionnaire_id = ? ORDER BY position, id", q.ID)
	if q.Questions == nil {
		q.Questions = []isms.QuestionnaireQuestion{}
	}
	return err
}

// questionnaire reads the questionnaire of a supervision with its
// questions.
func (tx *Tx) questionnaire(orgID, supervisionID int64) (*isms.SupplierQuestionnaire, error) {
	q, err := scanQuestionnaire(tx.queryRow("SELECT "+qnColumns+qnFrom+" WHERE q.organisation_id = ? AND q.supervision_id = ?", orgID, supervisionID))
	if err != nil {
		return nil, err
	}
	return q, tx.fillQuestions(q)
}

// qnRecord is a questionnaire as the audit trail keeps it: never the
// token or its hash.
func qnRecord(q *isms.SupplierQuestionnaire) map[string]any {
	if q == nil {
		return nil
	}
	qs := make([]map[string]any, len(q.Questions))
	for i, x := range q.Questions {
		qs[i] = map[string]any{"text": x.Text, "answer": x.Answer, "comment": x.Comment}
	}
	var submitted any
	if q.SubmittedAt != nil {
		submitted = ts(*q.SubmittedAt)
	}
	return map[string]any{"supplier": q.SupplierName, "supervision_id": q.SupervisionID, "status": q.Status, "expires_on": q.ExpiresOn.String(),
		"sent_to": q.SentTo, "respondent_name": q.RespondentName, "respondent_email": q.RespondentEmail, "submitted_at": submitted, "questions": qs}
}

// checkExpiry checks a link's last day: given, not past, within a year.
func (tx *Tx) checkExpiry(v *isms.Validation, d *isms.Date) {
	today := tx.Today()
	switch {
	case d == nil:
		v.Add("expires_on", "err.required")
	case d.Before(today):
		v.Add("expires_on", "pub.err.expiry_past")
	case today.AddDays(questionnaireMaxDays).Before(*d):
		v.Add("expires_on", "pub.err.expiry_far", questionnaireMaxDays)
	}
}

// SupervisionQuestionnaire reads the questionnaire of a supervision.
func (db *DB) SupervisionQuestionnaire(ctx context.Context, orgID, supervisionID int64) (*isms.SupplierQuestionnaire, error) {
	return view(db, ctx, "SupervisionQuestionnaire", orgID, func(tx *Tx) (*isms.SupplierQuestionnaire, error) {
		if _, err := tx.supervision(orgID, supervisionID); err != nil {
			return nil, err
		}
		return tx.questionnaire(orgID, supervisionID)
	})
}

// editableSupervision reads a supervision for a change to its
// questionnaire: whoever may edit the supplier may.
func (tx *Tx) editableSupervision(orgID, supervisionID int64) (*isms.Supervision, error) {
	sv, err := tx.supervision(orgID, supervisionID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.requireEdit(orgID, sv.SupplierOwner); err != nil {
		return nil, err
	}
	return sv, nil
}

// CreateQuestionnaire makes the questionnaire of a supervision by
// questionnaire and returns its token this once.
func (db *DB) CreateQuestionnaire(ctx context.Context, orgID, supervisionID int64, in isms.QuestionnaireInput) (string, *isms.SupplierQuestionnaire, error) {
	var token string
	var q *isms.SupplierQuestionnaire
	err := db.write(ctx, "CreateQuestionnaire", func(tx *Tx) error {
		sv, err := tx.editableSupervision(orgID, supervisionID)
		if err != nil {
			return err
		}
		if sv.Method != isms.SupervisionQuestionnaire {
			return isms.Errorf(isms.EConflict, "pub.err.not_questionnaire")
		}
		before, err := tx.questionnaire(orgID, supervisionID)
		if err != nil && isms.ErrorCode(err) != isms.ENotFound {
			return err
		}
		if before != nil && before.Status != isms.QuestionnaireRevoked {
			return isms.Errorf(isms.EConflict, "pub.err.questionnaire_exists")
		}
		var v isms.Validation
		questions := make([]string, 0, len(in.Questions))
		for _, text := range in.Questions {
			for _, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					questions = append(questions, line)
				}
			}
		}
		switch {
		case len(questions) == 0:
			v.Add("questions", "err.required")
		case len(questions) > isms.MaxQuestionnaireQuestions:
			v.Add("questions", "pub.err.too_many_questions", isms.MaxQuestionnaireQuestions)
		}
		for _, text := range questions {
			checkText(&v, "questions", text, isms.MaxQuestionText)
		}
		tx.checkExpiry(&v, in.ExpiresOn)
		in.SendTo = strings.TrimSpace(in.SendTo)
		if in.SendTo != "" {
			checkEmail(&v, "send_to", in.SendTo)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before != nil {
			// A revoked questionnaire gives way to the new one; the
			// audit event of the new one keeps the old as "before".
			if _, err := tx.exec("DELETE FROM supplier_questionnaire_questions WHERE questionnaire_id = ?", before.ID); err != nil {
				return err
			}
			if _, err := tx.exec("DELETE FROM supplier_questionnaires WHERE id = ?", before.ID); err != nil {
				return err
			}
		}
		var hash string
		if token, hash, err = newToken(questionnaireTokPrefix); err != nil {
			return err
		}
		var by any
		if tx.actor != nil && tx.actor.UserID != 0 {
			by = tx.actor.UserID
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO supplier_questionnaires (organisation_id, supervision_id, token_hash, status, expires_on, sent_to,
			created_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, orgID, supervisionID, hash,
			string(isms.QuestionnaireOpen), in.ExpiresOn.String(), in.SendTo, by, now, now)
		if err != nil {
			return err
		}
		for i, text := range questions {
			if _, err := tx.exec("INSERT INTO supplier_questionnaire_questions (organisation_id, questionnaire_id, position, text) VALUES (?, ?, ?, ?)",
				orgID, id, i+1, text); err != nil {
				return err
			}
		}
		if q, err = tx.questionnaire(orgID, supervisionID); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeQuestionnaire, id, qnRecord(before), qnRecord(q))
	})
	return token, q, err
}

// ReopenQuestionnaire opens a submitted questionnaire, or one whose last
// day passed unanswered, to the supplier again until a new last day; the
// answers stay for the supplier to amend.
func (db *DB) ReopenQuestionnaire(ctx context.Context, orgID, supervisionID int64, in isms.QuestionnaireReopenInput) (*isms.SupplierQuestionnaire, error) {
	var q *isms.SupplierQuestionnaire
	err := db.write(ctx, "ReopenQuestionnaire", func(tx *Tx) error {
		if _, err := tx.editableSupervision(orgID, supervisionID); err != nil {
			return err
		}
		before, err := tx.questionnaire(orgID, supervisionID)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if before.Status == isms.QuestionnaireRevoked || before.Answerable(tx.Today()) {
			return isms.Errorf(isms.EConflict, "pub.err.not_reopenable")
		}
		var v isms.Validation
		tx.checkExpiry(&v, in.ExpiresOn)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE supplier_questionnaires SET status = ?, expires_on = ?, submitted_at = NULL, version = version + 1, updated_at = ?
			WHERE id = ?`, string(isms.QuestionnaireOpen), in.ExpiresOn.String(), ts(tx.now), before.ID); err != nil {
			return err
		}
		if q, err = tx.questionnaire(orgID, supervisionID); err != nil {
			return err
		}
		return tx.audit(orgID, "reopen", typeQuestionnaire, q.ID, qnRecord(before), qnRecord(q))
	})
	return q, err
}

// RevokeQuestionnaire stops the link working; the answers given stay
// with the supervision.
func (db *DB) RevokeQuestionnaire(ctx context.Context, orgID, supervisionID, version int64) error {
	return db.write(ctx, "RevokeQuestionnaire", func(tx *Tx) error {
		if _, err := tx.editableSupervision(orgID, supervisionID); err != nil {
			return err
		}
		before, err := tx.questionnaire(orgID, supervisionID)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if before.Status == isms.QuestionnaireRevoked {
			return isms.Errorf(isms.EConflict, "pub.err.questionnaire_revoked_already")
		}
		if _, err := tx.exec("UPDATE supplier_questionnaires SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
			string(isms.QuestionnaireRevoked), ts(tx.now), before.ID); err != nil {
			return err
		}
		after, err := tx.questionnaire(orgID, supervisionID)
		if err != nil {
			return err
		}
		return tx.audit(orgID, "revoke", typeQuestionnaire, before.ID, qnRecord(before), qnRecord(after))
	})
}

// questionnaireByToken finds the questionnaire a token opens, refusing a
// wrong token, a revoked link and one past its last day, each with a
// message the supplier can act on.
func (tx *Tx) questionnaireByToken(token string) (*isms.SupplierQuestionnaire, error) {
	if !strings.HasPrefix(token, questionnaireTokPrefix) || len(token) > 200 {
		return nil, isms.Errorf(isms.ENotFound, "pub.err.questionnaire_link")
	}
	q, err := scanQuestionnaire(tx.queryRow("SELECT "+qnColumns+qnFrom+" WHERE q.token_hash = ?", tokenHash(token)))
	if isms.ErrorCode(err) == isms.ENotFound {
		return nil, isms.Errorf(isms.ENotFound, "pub.err.questionnaire_link")
	}
	if err != nil {
		return nil, err
	}
	if q.Status == isms.QuestionnaireRevoked {
		return nil, isms.Errorf(isms.ENotFound, "pub.err.questionnaire_revoked", q.OrganisationName)
	}
	if q.Expired(tx.Today()) {
		return nil, isms.Errorf(isms.ENotFound, "pub.err.questionnaire_expired", q.ExpiresOn.String(), q.OrganisationName)
	}
	return q, tx.fillQuestions(q)
}

// QuestionnaireByToken reads the questionnaire the link opens.
func (db *DB) QuestionnaireByToken(ctx context.Context, token string) (*isms.SupplierQuestionnaire, error) {
	var q *isms.SupplierQuestionnaire
	err := db.read(ctx, "QuestionnaireByToken", func(tx *Tx) (err error) {
		q, err = tx.questionnaireByToken(token)
		return err
	})
	return q, err
}

// AnswerQuestionnaire saves the supplier's answers as a draft, or
// submits them: a submission needs every question answered and the
// respondent's name and e-mail address. The link is the actor of the
// audit event, with the name the respondent gave.
func (db *DB) AnswerQuestionnaire(ctx context.Context, token string, in isms.QuestionnaireAnswersInput) (*isms.SupplierQuestionnaire, error) {
	var q *isms.SupplierQuestionnaire
	err := db.write(ctx, "AnswerQuestionnaire", func(tx *Tx) error {
		first, err := tx.questionnaireByToken(token)
		if err != nil {
			return err
		}
		orgID := first.OrganisationID
		if err := tx.lockOrganisation(orgID); err != nil {
			return err
		}
		before, err := tx.questionnaireByToken(token)
		if err != nil {
			return err
		}
		if before.Status == isms.QuestionnaireSubmitted {
			return isms.Errorf(isms.EConflict, "pub.err.already_submitted")
		}
		in.RespondentName = strings.TrimSpace(in.RespondentName)
		in.RespondentEmail = strings.ToLower(strings.TrimSpace(in.RespondentEmail))
		var v isms.Validation
		if in.Submit {
			requireText(&v, "respondent_name", in.RespondentName, 200)
		} else {
			checkText(&v, "respondent_name", in.RespondentName, 200)
		}
		if in.RespondentEmail != "" {
			checkEmail(&v, "respondent_email", in.RespondentEmail)
		} else if in.Submit {
			v.Add("respondent_email", "err.required")
		}
		given := map[int64]isms.QuestionnaireResponse{}
		known := map[int64]bool{}
		for _, x := range before.Questions {
			known[x.ID] = true
		}
		for _, a := range in.Answers {
			if !known[a.QuestionID] {
				v.Add("answers", "err.unknown_reference")
				break
			}
			a.Comment = strings.TrimSpace(a.Comment)
			field := "answer_" + strconv.FormatInt(a.QuestionID, 10)
			if a.Answer != "" && !a.Answer.Valid() {
				v.Add(field, "err.choice")
			}
			checkText(&v, "comment_"+strconv.FormatInt(a.QuestionID, 10), a.Comment, isms.MaxAnswerComment)
			given[a.QuestionID] = a
		}
		if in.Submit {
			// A question answered in an earlier draft and not sent again
			// keeps that answer.
			for _, x := range before.Questions {
				if a, ok := given[x.ID]; (ok && a.Answer == "") || (!ok && x.Answer == "") {
					v.Add("answer_"+strconv.FormatInt(x.ID, 10), "pub.err.answer_required")
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, x := range before.Questions {
			a, ok := given[x.ID]
			if !ok {
				continue
			}
			if _, err := tx.exec("UPDATE supplier_questionnaire_questions SET answer = ?, comment = ? WHERE id = ?",
				string(a.Answer), a.Comment, x.ID); err != nil {
				return err
			}
		}
		now := ts(tx.now)
		action := "answer"
		if in.Submit {
			action = "submit_answers"
			_, err = tx.exec(`UPDATE supplier_questionnaires SET respondent_name = ?, respondent_email = ?, status = ?, submitted_at = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, in.RespondentName, in.RespondentEmail, string(isms.QuestionnaireSubmitted), now, now, before.ID)
		} else {
			_, err = tx.exec(`UPDATE supplier_questionnaires SET respondent_name = ?, respondent_email = ?, draft_saved_at = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, in.RespondentName, in.RespondentEmail, now, now, before.ID)
		}
		if err != nil {
			return err
		}
		if q, err = tx.questionnaire(orgID, before.SupervisionID); err != nil {
			return err
		}
		name := "supplier questionnaire link " + strconv.FormatInt(q.ID, 10)
		if in.RespondentName != "" {
			name += " (" + in.RespondentName + ")"
		}
		tx.actor = &isms.Actor{Name: name}
		return tx.audit(orgID, action, typeQuestionnaire, q.ID, qnRecord(before), qnRecord(q))
	})
	return q, err
}
