package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// The communication plan's API (guide 2.7): the operations are listed in
// routes.go; these are the parts that do more than pass through.

var communicationQuery = []apiParam{{"direction", "string", "internal, external"}, {"status", "string", "draft, active, retired"},
	{"case_key", "string", "the guide's case an entry covers"}, {"responsible", "integer", "responsible person's user id"},
	{"pending", "boolean", "only entries waiting for the caller's acknowledgement"}, {"q", "string", "text in what, key points or audience"},
	{"sort", "string", "what, direction, timing, responsible, status, audience, sensitivity; prefix - for descending"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

const commTemplatesSummary = "Add a draft entry from one of the guide's typical cases (supplier_exchange, breach_notice, breach_authority, emergency_notice, management_reporting, risk_consultation, staff_notice)"

// addCommunicationTemplateAPI adds a draft entry written from one of the
// guide's cases in the language asked for.
func (s *Server) addCommunicationTemplateAPI(r *http.Request) (any, error) {
	org, b, err := orgBody[commTemplateBody](r)
	if err != nil {
		return nil, err
	}
	lang, err := templatesBody{Lang: b.Lang}.lang(r)
	if err != nil {
		return nil, err
	}
	c, ok := isms.CommunicationCaseByKey(b.CaseKey)
	if !ok {
		return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "case_key", Key: "err.choice"}}}
	}
	return s.Communication.CreateCommunicationEntry(r.Context(), org, commTemplateInput(lang, c))
}
