package web

import (
	"net/http"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/i18n"
)

// The live checklist's API: the answers are worked out from the records
// in the request's language, as the page shows them.

// checklistAPI answers every question as it stands now.
func (s *Server) checklistAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	return s.checklistItems(r, org, i18n.Negotiate(r))
}

// answerManuallyAPI records a manual answer to {question} and answers the
// question as it now stands (the records win where a rule answers).
func (s *Server) answerManuallyAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	var b manualAnswerBody
	if err := decodeJSON(r, &b); err != nil {
		return nil, err
	}
	q := r.PathValue("question")
	if _, ok := catalog.QuestionByID(q); !ok {
		return nil, isms.Errorf(isms.ENotFound, "err.not_found", "question "+q)
	}
	if err := s.Checklist.AnswerManually(r.Context(), org, q, b.Status, b.Reason, b.Version); err != nil {
		return nil, err
	}
	items, err := s.checklistItems(r, org, i18n.Negotiate(r))
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.ID == q {
			return &it, nil
		}
	}
	return nil, isms.Errorf(isms.ENotFound, "err.not_found", "question "+q) // the catalogue lists every question, so not reached
}

// checklistAnswerHistoryAPI answers each question's path over ?days=.
func (s *Server) checklistAnswerHistoryAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	days, err := queryInt(r, "days", checklistPathDays)
	if err != nil {
		return nil, err
	}
	if days < 1 || days > 366 {
		var v isms.Validation
		v.Add("days", "err.checklist_days", 366)
		return nil, v.Err()
	}
	from := isms.DateOf(s.cfg.Now()).AddDays(1 - days)
	h, err := s.Checklist.ChecklistAnswerHistory(r.Context(), org, from)
	return nonNil(h), err
}
