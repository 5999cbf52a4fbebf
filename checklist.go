package isms

import (
	"context"
	"time"
)

// The live checklist (guide section 3): the guide's 29 questions, each
// answered from the records where a rule can tell, or by a person.

// AnswerStatus is a checklist answer.
type AnswerStatus string

const (
	AnswerYes        AnswerStatus = "yes"
	AnswerPartly     AnswerStatus = "partly"
	AnswerNo         AnswerStatus = "no"
	AnswerUnanswered AnswerStatus = "unanswered"
)

// AnswerStatuses lists the statuses in order.
var AnswerStatuses = []AnswerStatus{AnswerYes, AnswerPartly, AnswerNo, AnswerUnanswered}

// Valid reports whether s is a known status.
func (s AnswerStatus) Valid() bool {
	for _, x := range AnswerStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Where an answer comes from.
const (
	SourceRecords = "records"
	SourceManual  = "manual"
)

// Message is a catalogue key with its arguments, translated when shown.
type Message struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Msg builds a Message.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Evidence is a record that supports an answer.
type Evidence struct {
	RecordType string `json:"record_type"`
	RecordID   int64  `json:"record_id"`
	Label      string `json:"label"`
	Path       string `json:"path"` // below the organisation, e.g. "/overview/entries/7"
}

// ManualAnswer is a person's own answer to a question, with the reason.
type ManualAnswer struct {
	Status     AnswerStatus `json:"status"`
	Reason     string       `json:"reason"`
	AnsweredBy string       `json:"answered_by"`
	AnsweredAt time.Time    `json:"answered_at"`
	Version    int64        `json:"version"`
}

// ChecklistAnswer is the current answer to one question.
type ChecklistAnswer struct {
	QuestionID string        `json:"id"`
	Status     AnswerStatus  `json:"status"`
	Source     string        `json:"source"` // "records" or "manual"
	Reasons    []Message     `json:"-"`      // why, in words, from the rule
	Rule       Message       `json:"-"`      // the rule's readable statement: catalogue key "rule.<id>", and what it lists
	Evidence   []Evidence    `json:"evidence"`
	Manual     *ManualAnswer `json:"manual,omitempty"`
}

// ChecklistSnapshot is the count of answers on one day, for the progress
// chart: counted from the day's snapshot of every question's answer.
type ChecklistSnapshot struct {
	Day        Date `json:"day"`
	Yes        int  `json:"yes"`
	Partly     int  `json:"partly"`
	No         int  `json:"no"`
	Unanswered int  `json:"unanswered"`
}

// ChecklistDayAnswer is one question's answer on one day, as the daily
// snapshot took it; a question's answers day by day are its path.
type ChecklistDayAnswer struct {
	QuestionID string       `json:"id"`
	Day        Date         `json:"day"`
	Status     AnswerStatus `json:"status"`
	Source     string       `json:"source"` // "records" or "manual"
}

// ChecklistService answers the checklist.
type ChecklistService interface {
	// Checklist answers all questions now; it only reads.
	Checklist(ctx context.Context, orgID int64) ([]*ChecklistAnswer, error)
	AnswerManually(ctx context.Context, orgID int64, questionID string, status AnswerStatus, reason string, version int64) error
	// ChecklistHistory counts the answers of each status per day, oldest
	// first, from the daily snapshots.
	ChecklistHistory(ctx context.Context, orgID int64) ([]ChecklistSnapshot, error)
	// ChecklistAnswerHistory lists each question's answer per day from a
	// day on, by question in the checklist's order and then by day.
	ChecklistAnswerHistory(ctx context.Context, orgID int64, from Date) ([]ChecklistDayAnswer, error)
}
