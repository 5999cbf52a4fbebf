package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The JSON API of leadership (guide 2.2): roles and holders, ISMS
// activities, the responsibility matrix and its approval, forums with
// members, meetings with agenda, decisions with follow-up, and the seven
// management topics.

// templatesBody asks for offered roles or activities to be added. No keys
// means every offered one not yet added; the texts are written in lang
// (da or en; the Accept-Language when empty).
type templatesBody struct {
	Keys []string `json:"keys"`
	Lang string   `json:"lang"`
}

func (b templatesBody) lang(r *http.Request) (string, error) {
	switch b.Lang {
	case "":
		return i18n.Negotiate(r), nil
	case i18n.DA, i18n.EN:
		return b.Lang, nil
	}
	return "", &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "lang", Key: "err.choice"}}}
}

// keys returns the templates asked for, refusing an unknown one.
func (b templatesBody) keys(all, used []string) ([]string, error) {
	if len(b.Keys) == 0 {
		return chosenTemplates("all", all, used), nil
	}
	for _, k := range b.Keys {
		if !slices.Contains(all, k) {
			return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "keys", Key: "err.choice"}}}
		}
	}
	return b.Keys, nil
}

// orgBody reads {org} and the JSON body of an operation.
func orgBody[T any](r *http.Request) (org int64, in T, err error) {
	if org, err = pathID(r, "org"); err == nil {
		err = decodeJSON(r, &in)
	}
	return org, in, err
}

// recordBody reads {org}, {id} and the JSON body of an operation.
func recordBody[T any](r *http.Request) (org, id int64, in T, err error) {
	if org, id, err = pathIDs(r); err == nil {
		err = decodeJSON(r, &in)
	}
	return org, id, in, err
}

// topicStatusJSON is one management topic with its last and next occasion.
type topicStatusJSON struct {
	Topic string         `json:"topic"`
	Title string         `json:"title"`
	Last  *topicOccasion `json:"last"`
	Next  *topicOccasion `json:"next"`
}

type topicOccasion struct {
	Day        isms.Date `json:"day"`
	Done       bool      `json:"done"`
	Label      string    `json:"label"`
	RecordType string    `json:"record_type"`
	RecordID   int64     `json:"record_id"`
	URL        string    `json:"url"`
}

func occasion(orgID int64, a *isms.TopicActivity) *topicOccasion {
	if a == nil {
		return nil
	}
	return &topicOccasion{Day: a.Day, Done: a.Done, Label: a.Label, RecordType: a.Evidence.RecordType, RecordID: a.Evidence.RecordID,
		URL: fmt.Sprintf("/orgs/%d%s", orgID, a.Evidence.Path)}
}

// meetingFilterFrom reads a meeting filter from the query string.
func meetingFilterFrom(r *http.Request) (isms.MeetingFilter, error) {
	q := r.URL.Query()
	var v isms.Validation
	f := isms.MeetingFilter{Status: isms.MeetingStatus(q.Get("status")),
		From: parseOptionalDate(&v, "from", q.Get("from")), To: parseOptionalDate(&v, "to", q.Get("to"))}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, 100); err != nil {
		return f, err
	}
	return f, v.Err()
}

var meetingQuery = []apiParam{{"status", "string", "planned, held, cancelled"}, {"from", "string", "on or after this day (YYYY-MM-DD)"},
	{"to", "string", "on or before this day (YYYY-MM-DD)"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

var decisionQuery = []apiParam{{"status", "string", "open, in_progress, done"}, {"open", "boolean", "only those not done"},
	{"overdue", "boolean", "only those past their follow-up date and not done"}, {"owner", "integer", "owner's user id"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

const roleTemplatesSummary = "Add offered roles (top_management, security_owner, coordinator, committee, system_owner, data_owner, dpo, it_operations, all_staff); no keys adds every one not yet added"

// addRoleTemplatesAPI adds the offered roles asked for.
func (s *Server) addRoleTemplatesAPI(r *http.Request) (any, error) {
	return addTemplates(r, isms.RoleTemplates, s.Leadership.SecurityRoles, func(x *isms.SecurityRole) string { return x.TemplateKey },
		roleTemplateInput, s.Leadership.CreateSecurityRoles)
}

// addActivityTemplatesAPI adds the offered ISMS activities asked for.
func (s *Server) addActivityTemplatesAPI(r *http.Request) (any, error) {
	return addTemplates(r, isms.ActivityTemplates, s.Leadership.ISMSActivities, func(x *isms.ISMSActivity) string { return x.TemplateKey },
		activityTemplateInput, s.Leadership.CreateISMSActivities)
}

// addTemplates adds offered records (roles or activities): the keys the
// body names, or every offered one the organisation has not added yet,
// written in the language the body asks for.
func addTemplates[T any, In any](r *http.Request, offered []string, have func(context.Context, int64) ([]T, error), key func(T) string,
	input func(lang, key string) In, create func(context.Context, int64, []In) ([]T, error)) (any, error) {
	org, b, err := orgBody[templatesBody](r)
	if err != nil {
		return nil, err
	}
	lang, err := b.lang(r)
	if err != nil {
		return nil, err
	}
	existing, err := have(r.Context(), org)
	if err != nil {
		return nil, err
	}
	var used []string
	for _, x := range existing {
		used = append(used, key(x))
	}
	keys, err := b.keys(offered, used)
	if err != nil {
		return nil, err
	}
	var in []In
	for _, k := range keys {
		in = append(in, input(lang, k))
	}
	out, err := create(r.Context(), org, in)
	return nonNil(out), err
}

// forumMeetingsAPI lists one forum's meetings; a forum the caller cannot
// see is not found rather than an empty list.
func (s *Server) forumMeetingsAPI(r *http.Request) (any, error) {
	org, id, err := pathIDs(r)
	if err != nil {
		return nil, err
	}
	if _, err := s.Leadership.Forum(r.Context(), org, id); err != nil {
		return nil, err
	}
	f, err := meetingFilterFrom(r)
	if err != nil {
		return nil, err
	}
	f.ForumID = id
	ms, total, err := s.Leadership.Meetings(r.Context(), org, f)
	return listResponse[*isms.Meeting]{Items: nonNil(ms), Total: total, Offset: f.Offset, Limit: f.Limit}, err
}

// managementTopicsAPI answers the seven topics with their titles in the
// request's language and links to the evidence.
func (s *Server) managementTopicsAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	st, err := s.Topics.ManagementTopicStatus(r.Context(), org)
	if err != nil {
		return nil, err
	}
	lang := i18n.Negotiate(r)
	out := make([]topicStatusJSON, 0, len(st))
	for i := range st {
		out = append(out, topicStatusJSON{Topic: st[i].Topic, Title: i18n.T(lang, i18n.Key("topic."+st[i].Topic)),
			Last: occasion(org, st[i].Last), Next: occasion(org, st[i].Next)})
	}
	return out, nil
}
