package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// A checklistRule answers one question of the guide's checklist from the
// records. Each element of the guide registers the rules for its own
// questions in its own file (checklist_overview.go, …), so adding an
// element never touches another element's rules. A rule returns the status,
// the reasons in words and the evidence; its readable statement is the
// catalogue key "rule.<question id>", filled with the arguments its text
// function gives (registerRuleText), if any.
type checklistRule func(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error)

var checklistRules = map[string]checklistRule{}

// registerRule adds the rule for a question; two rules for one question is
// a programming error.
func registerRule(questionID string, r checklistRule) {
	if _, ok := catalog.QuestionByID(questionID); !ok {
		panic("checklist rule for unknown question " + questionID)
	}
	if _, dup := checklistRules[questionID]; dup {
		panic("two checklist rules for question " + questionID)
	}
	checklistRules[questionID] = r
}

// ruleTexts gives, per question, the arguments of the rule's readable
// statement, for a statement that lists what the rule counts from a
// declaration the rule itself reads (see checklist_topics.go).
var ruleTexts = map[string]func() []any{}

func registerRuleText(questionID string, args func() []any) {
	if _, dup := ruleTexts[questionID]; dup {
		panic("two rule texts for question " + questionID)
	}
	ruleTexts[questionID] = args
}

// ruleStatement is the readable statement of a question's rule.
func ruleStatement(questionID string) isms.Message {
	if args, ok := ruleTexts[questionID]; ok {
		return isms.Msg("rule."+questionID, args()...)
	}
	return isms.Msg("rule." + questionID)
}

// HasRule reports whether the records answer a question.
func HasRule(questionID string) bool {
	_, ok := checklistRules[questionID]
	return ok
}

// Checklist answers every question: by its rule where one exists (the
// records win over a person's answer, which is still shown beside), by the
// person's answer otherwise. It only reads: the history of the answers is
// taken by a daily job (TakeChecklistSnapshots), not by page views. The
// answers are computed once per change of the records (derived.go) and
// shared by every reader: callers must not change them.
func (db *DB) Checklist(ctx context.Context, orgID int64) ([]*isms.ChecklistAnswer, error) {
	var out []*isms.ChecklistAnswer
	err := db.read(ctx, "Checklist", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		var err error
		out, err = keep(tx, orgID, "checklist", func() ([]*isms.ChecklistAnswer, error) { return tx.checklist(orgID) })
		return err
	})
	return out, err
}

func (tx *Tx) checklist(orgID int64) ([]*isms.ChecklistAnswer, error) {
	// Several rules read the same things (the registers' counts, the
	// topics, the SoA's lines); within this read they are read once.
	tx.memo = map[string]any{}
	defer func() { tx.memo = nil }()
	manual, err := tx.manualAnswers(orgID)
	if err != nil {
		return nil, err
	}
	out := make([]*isms.ChecklistAnswer, 0, len(catalog.Checklist))
	for _, q := range catalog.Checklist {
		var a *isms.ChecklistAnswer
		if rule, ok := checklistRules[q.ID]; ok {
			if a, err = rule(tx, orgID); err != nil {
				return nil, fmt.Errorf("checklist rule %s: %w", q.ID, err)
			}
			a.Source, a.Rule = isms.SourceRecords, ruleStatement(q.ID)
		} else {
			a = &isms.ChecklistAnswer{Status: isms.AnswerUnanswered, Source: isms.SourceManual}
			if m := manual[q.ID]; m != nil {
				a.Status = m.Status
			}
		}
		a.QuestionID, a.Manual = q.ID, manual[q.ID]
		out = append(out, a)
	}
	return out, nil
}

func (tx *Tx) manualAnswers(orgID int64) (map[string]*isms.ManualAnswer, error) {
	return queryMap(tx, scanManualAnswer, `SELECT c.question_id, c.status, c.reason, u.name, c.answered_at, c.version
		FROM checklist_manual c JOIN users u ON u.id = c.answered_by WHERE c.organisation_id = ?`, orgID)
}

func scanManualAnswer(row scanner) (string, *isms.ManualAnswer, error) {
	var id, status string
	var m isms.ManualAnswer
	err := row.Scan(&id, &status, &m.Reason, &m.AnsweredBy, scanTime{&m.AnsweredAt}, &m.Version)
	m.Status = isms.AnswerStatus(status)
	return id, &m, err
}

// AnswerManually records a person's answer and reason. Version 0 means
// "no answer yet"; a stale version is refused.
func (db *DB) AnswerManually(ctx context.Context, orgID int64, questionID string, status isms.AnswerStatus, reason string, version int64) error {
	var v isms.Validation
	if _, ok := catalog.QuestionByID(questionID); !ok {
		v.Add("question", "err.choice")
	}
	if !status.Valid() {
		v.Add("status", "err.choice")
	}
	if status != isms.AnswerUnanswered {
		requireText(&v, "reason", reason, 5000)
	} else {
		checkText(&v, "reason", reason, 5000)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return db.write(ctx, "AnswerManually", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermAnswer); err != nil {
			return err
		}
		manual, err := tx.manualAnswers(orgID)
		if err != nil {
			return err
		}
		before := manual[questionID]
		var have int64
		if before != nil {
			have = before.Version
		}
		if err := checkUpsertVersion(have, version); err != nil {
			return err
		}
		if before == nil {
			_, err = tx.exec(`INSERT INTO checklist_manual (organisation_id, question_id, status, reason, answered_by, answered_at, version)
				VALUES (?, ?, ?, ?, ?, ?, 1)`, orgID, questionID, status, strings.TrimSpace(reason), tx.actor.UserID, ts(tx.now))
		} else {
			_, err = tx.exec(`UPDATE checklist_manual SET status = ?, reason = ?, answered_by = ?, answered_at = ?, version = version + 1
				WHERE organisation_id = ? AND question_id = ?`, status, strings.TrimSpace(reason), tx.actor.UserID, ts(tx.now), orgID, questionID)
		}
		if err != nil {
			return err
		}
		after := map[string]any{"question": questionID, "status": status, "reason": strings.TrimSpace(reason)}
		var b any
		if before != nil {
			b = map[string]any{"question": questionID, "status": before.Status, "reason": before.Reason}
		}
		return tx.audit(orgID, "answer", "checklist_answer", 0, b, after)
	})
}

// grade turns "how many of the required things are there" into an answer:
// all of them yes, some partly, none no.
func grade(have, want int) isms.AnswerStatus {
	switch {
	case want > 0 && have >= want:
		return isms.AnswerYes
	case have > 0:
		return isms.AnswerPartly
	}
	return isms.AnswerNo
}
