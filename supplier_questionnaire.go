package isms

import (
	"context"
	"slices"
	"time"
)

// The supplier questionnaire (guide 2.9, Annex A 5.22 "Overvågning,
// gennemgang og ændringsstyring af leverandørydelser"): a supervision by
// questionnaire sends the supplier a set of questions behind a secret
// link; the supplier answers without an account, and the answers are kept
// with the supervision record. The questions are copied onto each
// questionnaire, so a later change of the default set leaves the sent
// ones as they were asked.

// QuestionnaireAnswer is the supplier's answer to one question.
type QuestionnaireAnswer string

const (
	QuestionnaireYes    QuestionnaireAnswer = "yes"
	QuestionnaireNo     QuestionnaireAnswer = "no"
	QuestionnairePartly QuestionnaireAnswer = "partly"
)

// QuestionnaireAnswers lists the answers.
var QuestionnaireAnswers = []QuestionnaireAnswer{QuestionnaireYes, QuestionnairePartly, QuestionnaireNo}

// Valid reports whether a is a known answer.
func (a QuestionnaireAnswer) Valid() bool { return slices.Contains(QuestionnaireAnswers, a) }

// QuestionnaireStatus is where a questionnaire stands.
type QuestionnaireStatus string

const (
	// QuestionnaireOpen: sent, the supplier may answer and save drafts.
	QuestionnaireOpen QuestionnaireStatus = "open"
	// QuestionnaireSubmitted: answered; the link shows the answers only.
	QuestionnaireSubmitted QuestionnaireStatus = "submitted"
	// QuestionnaireRevoked: the coordinator withdrew the link.
	QuestionnaireRevoked QuestionnaireStatus = "revoked"
)

// QuestionnaireStatuses lists the statuses.
var QuestionnaireStatuses = []QuestionnaireStatus{QuestionnaireOpen, QuestionnaireSubmitted, QuestionnaireRevoked}

// DefaultQuestionnaireQuestions is how many questions the default set on
// supplier security holds (their texts are in the message catalogue,
// keys pub.q.1 …, so the coordinator gets them in their language).
const DefaultQuestionnaireQuestions = 10

// Limits of a questionnaire: how many questions, and how long a question
// and an answer's comment may be.
const (
	MaxQuestionnaireQuestions = 60
	MaxQuestionText           = 1000
	MaxAnswerComment          = 4000
)

// QuestionnaireQuestion is one question with the supplier's answer.
type QuestionnaireQuestion struct {
	ID       int64               `json:"id"`
	Position int                 `json:"position"`
	Text     string              `json:"text"`
	Answer   QuestionnaireAnswer `json:"answer" enum:",empty"` // empty until answered
	Comment  string              `json:"comment"`
}

// SupplierQuestionnaire is the questionnaire of one supervision.
type SupplierQuestionnaire struct {
	ID               int64                   `json:"id"`
	OrganisationID   int64                   `json:"organisation_id"`
	OrganisationName string                  `json:"organisation_name"`
	SupervisionID    int64                   `json:"supervision_id"`
	SupplierID       int64                   `json:"supplier_id"`
	SupplierName     string                  `json:"supplier_name"`
	Status           QuestionnaireStatus     `json:"status"`
	ExpiresOn        Date                    `json:"expires_on"`
	SentTo           string                  `json:"sent_to"` // the address the link was mailed to
	Questions        []QuestionnaireQuestion `json:"questions"`
	RespondentName   string                  `json:"respondent_name"`
	RespondentEmail  string                  `json:"respondent_email"`
	DraftSavedAt     *time.Time              `json:"draft_saved_at"`
	SubmittedAt      *time.Time              `json:"submitted_at"`
	CreatedByName    string                  `json:"created_by_name"`
	Version          int64                   `json:"version"`
	CreatedAt        time.Time               `json:"created_at"`
	UpdatedAt        time.Time               `json:"updated_at"`
}

// Expired reports whether the link's last day has passed.
func (q *SupplierQuestionnaire) Expired(today Date) bool { return q.ExpiresOn.Before(today) }

// Answerable reports whether the supplier may still answer through the
// link on the day given.
func (q *SupplierQuestionnaire) Answerable(today Date) bool {
	return q.Status == QuestionnaireOpen && !q.Expired(today)
}

// Answered counts the questions answered.
func (q *SupplierQuestionnaire) Answered() int {
	n := 0
	for _, x := range q.Questions {
		if x.Answer != "" {
			n++
		}
	}
	return n
}

// QuestionnaireInput makes a questionnaire: the questions as the
// coordinator edited them, the link's last day, and optionally the
// address to mail the link to.
type QuestionnaireInput struct {
	Questions []string `json:"questions"`
	ExpiresOn *Date    `json:"expires_on"`
	SendTo    string   `json:"send_to"`
}

// QuestionnaireReopenInput reopens a submitted (or expired) questionnaire
// for the supplier to amend, until the new last day.
type QuestionnaireReopenInput struct {
	ExpiresOn *Date `json:"expires_on"`
	Version   int64 `json:"version"`
}

// QuestionnaireResponse is one answer the supplier gives.
type QuestionnaireResponse struct {
	QuestionID int64               `json:"question_id"`
	Answer     QuestionnaireAnswer `json:"answer"`
	Comment    string              `json:"comment"`
}

// QuestionnaireAnswersInput is what the supplier sends through the link:
// the answers, who answers, and whether this is the final submission
// (every question answered) or a draft.
type QuestionnaireAnswersInput struct {
	Answers         []QuestionnaireResponse `json:"answers"`
	RespondentName  string                  `json:"respondent_name"`
	RespondentEmail string                  `json:"respondent_email"`
	Submit          bool                    `json:"submit"`
}

// SupplierQuestionnaireService keeps the questionnaires of supervisions
// and takes the supplier's answers through the secret link.
type SupplierQuestionnaireService interface {
	// SupervisionQuestionnaire reads the questionnaire of a supervision;
	// not found when it has none.
	SupervisionQuestionnaire(ctx context.Context, orgID, supervisionID int64) (*SupplierQuestionnaire, error)
	// CreateQuestionnaire makes the questionnaire of a supervision by
	// questionnaire and its secret link, returned this once. A revoked
	// questionnaire is replaced; an open or submitted one is a conflict.
	CreateQuestionnaire(ctx context.Context, orgID, supervisionID int64, in QuestionnaireInput) (string, *SupplierQuestionnaire, error)
	// ReopenQuestionnaire lets the supplier amend the answers again.
	ReopenQuestionnaire(ctx context.Context, orgID, supervisionID int64, in QuestionnaireReopenInput) (*SupplierQuestionnaire, error)
	// RevokeQuestionnaire stops the link working; the answers stay.
	RevokeQuestionnaire(ctx context.Context, orgID, supervisionID, version int64) error

	// QuestionnaireByToken reads the questionnaire a link opens; a wrong
	// token is not found, a revoked one gone.
	QuestionnaireByToken(ctx context.Context, token string) (*SupplierQuestionnaire, error)
	// AnswerQuestionnaire saves the supplier's answers as a draft or
	// submits them; a submitted, expired or revoked questionnaire is
	// refused.
	AnswerQuestionnaire(ctx context.Context, token string, in QuestionnaireAnswersInput) (*SupplierQuestionnaire, error)
}
