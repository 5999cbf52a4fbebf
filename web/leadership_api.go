package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

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
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(r, "limit", 100); err != nil {
		return f, err
	}
	return f, v.Err()
}

var meetingQuery = []apiParam{{"status", "string", "planned, held, cancelled"}, {"from", "string", "on or after this day (YYYY-MM-DD)"},
	{"to", "string", "on or before this day (YYYY-MM-DD)"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

func (s *Server) leadershipAPI(mux *http.ServeMux) {
	const tag = "leadership"
	base := "/api/v1/organisations/{org}"

	// Roles and holders.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/security-roles", Tag: tag,
		Summary: "List the security roles with their holders, deputies and systems (guide 2.2)", Response: []*isms.SecurityRole{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			rs, err := s.Leadership.SecurityRoles(r.Context(), org)
			return nonNil(rs), err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/security-roles", Tag: tag, Status: http.StatusCreated,
		Summary: "Add a security role (holders and deputies must be members; system_ids name IT systems of the business overview)",
		Request: isms.SecurityRoleInput{}, Response: &isms.SecurityRole{},
		Handle: func(r *http.Request) (any, error) {
			org, in, err := orgBody[isms.SecurityRoleInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.CreateSecurityRole(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/security-roles/templates", Tag: tag, Status: http.StatusCreated,
		Summary: "Add offered roles (top_management, security_owner, coordinator, committee, system_owner, data_owner, dpo, it_operations, all_staff); no keys adds every one not yet added",
		Request: templatesBody{}, Response: []*isms.SecurityRole{},
		Handle: func(r *http.Request) (any, error) {
			org, b, err := orgBody[templatesBody](r)
			if err != nil {
				return nil, err
			}
			lang, err := b.lang(r)
			if err != nil {
				return nil, err
			}
			have, err := s.Leadership.SecurityRoles(r.Context(), org)
			if err != nil {
				return nil, err
			}
			var used []string
			for _, x := range have {
				used = append(used, x.TemplateKey)
			}
			keys, err := b.keys(isms.RoleTemplates, used)
			if err != nil {
				return nil, err
			}
			var in []isms.SecurityRoleInput
			for _, k := range keys {
				in = append(in, roleTemplateInput(lang, k))
			}
			rs, err := s.Leadership.CreateSecurityRoles(r.Context(), org, in)
			return nonNil(rs), err
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/security-roles/{id}", Tag: tag,
		Summary: "Read a security role", Response: &isms.SecurityRole{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.SecurityRole(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/security-roles/{id}", Tag: tag,
		Summary: "Change a security role (send the version you read)", Request: isms.SecurityRoleInput{}, Response: &isms.SecurityRole{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.SecurityRoleInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.UpdateSecurityRole(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/security-roles/{id}/holders", Tag: tag,
		Summary: "Set who holds a role and who stands in (send the version you read)", Request: isms.RoleHoldersInput{}, Response: &isms.SecurityRole{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.RoleHoldersInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.SetRoleHolders(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/security-roles/{id}", Tag: tag,
		Summary: "Delete a security role (refused while it is accountable for an activity or sends communication)", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, b, err := recordBody[versionBody](r)
			if err != nil {
				return nil, err
			}
			return nil, s.Leadership.DeleteSecurityRole(r.Context(), org, id, b.Version)
		}})

	// Activities and the matrix.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/isms-activities", Tag: tag,
		Summary: "List the ISMS activities of the responsibility matrix", Response: []*isms.ISMSActivity{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			as, err := s.Leadership.ISMSActivities(r.Context(), org)
			return nonNil(as), err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/isms-activities", Tag: tag, Status: http.StatusCreated,
		Summary: "Add an ISMS activity", Request: isms.ISMSActivityInput{}, Response: &isms.ISMSActivity{},
		Handle: func(r *http.Request) (any, error) {
			org, in, err := orgBody[isms.ISMSActivityInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.CreateISMSActivity(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/isms-activities/templates", Tag: tag, Status: http.StatusCreated,
		Summary: "Add offered activities (" + strings.Join(isms.ActivityTemplates, ", ") + "); no keys adds every one not yet added",
		Request: templatesBody{}, Response: []*isms.ISMSActivity{},
		Handle: func(r *http.Request) (any, error) {
			org, b, err := orgBody[templatesBody](r)
			if err != nil {
				return nil, err
			}
			lang, err := b.lang(r)
			if err != nil {
				return nil, err
			}
			have, err := s.Leadership.ISMSActivities(r.Context(), org)
			if err != nil {
				return nil, err
			}
			var used []string
			for _, x := range have {
				used = append(used, x.TemplateKey)
			}
			keys, err := b.keys(isms.ActivityTemplates, used)
			if err != nil {
				return nil, err
			}
			var in []isms.ISMSActivityInput
			for _, k := range keys {
				in = append(in, activityTemplateInput(lang, k))
			}
			as, err := s.Leadership.CreateISMSActivities(r.Context(), org, in)
			return nonNil(as), err
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/isms-activities/{id}", Tag: tag,
		Summary: "Change an ISMS activity (send the version you read)", Request: isms.ISMSActivityInput{}, Response: &isms.ISMSActivity{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.ISMSActivityInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.UpdateISMSActivity(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/isms-activities/{id}", Tag: tag,
		Summary: "Delete an ISMS activity and its row of the matrix", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, b, err := recordBody[versionBody](r)
			if err != nil {
				return nil, err
			}
			return nil, s.Leadership.DeleteISMSActivity(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/responsibility-matrix", Tag: tag,
		Summary:  "The list of roles and responsibilities: roles, activities, the RACI matrix, its version and management's approval",
		Response: &isms.RolesList{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			return s.Leadership.RolesList(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/responsibility-matrix", Tag: tag,
		Summary: "Replace the whole RACI matrix (values R, A, AR, C, I; every activity exactly one accountable role; send the list's version)",
		Request: isms.MatrixInput{}, Response: &isms.RolesList{},
		Handle: func(r *http.Request) (any, error) {
			org, in, err := orgBody[isms.MatrixInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.SaveMatrix(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/responsibility-matrix/approve", Tag: tag,
		Summary: "Approve the current list of roles and responsibilities (management; send the list's version)", Request: versionBody{},
		Response: &isms.RolesList{},
		Handle: func(r *http.Request) (any, error) {
			org, b, err := orgBody[versionBody](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.ApproveRolesList(r.Context(), org, b.Version)
		}})

	// Forums and members.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/forums", Tag: tag,
		Summary: "List the forums (the security committee and others) with members and chair", Response: []*isms.Forum{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			fs, err := s.Leadership.Forums(r.Context(), org)
			return nonNil(fs), err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/forums", Tag: tag, Status: http.StatusCreated,
		Summary: "Set up a forum with its mandate, members and chair (the chair is made a member)", Request: isms.ForumInput{}, Response: &isms.Forum{},
		Handle: func(r *http.Request) (any, error) {
			org, in, err := orgBody[isms.ForumInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.CreateForum(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/forums/{id}", Tag: tag,
		Summary: "Read a forum", Response: &isms.Forum{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.Forum(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/forums/{id}", Tag: tag,
		Summary: "Change a forum, its members or chair (send the version you read)", Request: isms.ForumInput{}, Response: &isms.Forum{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.ForumInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.UpdateForum(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/forums/{id}", Tag: tag,
		Summary: "Delete a forum without meetings", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, b, err := recordBody[versionBody](r)
			if err != nil {
				return nil, err
			}
			return nil, s.Leadership.DeleteForum(r.Context(), org, id, b.Version)
		}})

	// Meetings and agenda.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/forums/{id}/meetings", Tag: tag,
		Summary: "List a forum's meetings, newest first, with agenda and decisions", Query: meetingQuery,
		Response: listResponse[*isms.Meeting]{},
		Handle: func(r *http.Request) (any, error) {
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
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/forums/{id}/meetings", Tag: tag, Status: http.StatusCreated,
		Summary: "Plan or record a meeting with its agenda (items tagged with management topics)", Request: isms.MeetingInput{}, Response: &isms.Meeting{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.MeetingInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.CreateMeeting(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/meetings", Tag: tag,
		Summary: "List the meetings of every forum, newest first", Query: meetingQuery, Response: listResponse[*isms.Meeting]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := meetingFilterFrom(r)
			if err != nil {
				return nil, err
			}
			ms, total, err := s.Leadership.Meetings(r.Context(), org, f)
			return listResponse[*isms.Meeting]{Items: nonNil(ms), Total: total, Offset: f.Offset, Limit: f.Limit}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/meetings/{id}", Tag: tag,
		Summary: "Read a meeting with its agenda, minutes and decisions", Response: &isms.Meeting{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.Meeting(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/meetings/{id}", Tag: tag,
		Summary: "Change a meeting and replace its agenda (send the version you read)", Request: isms.MeetingInput{}, Response: &isms.Meeting{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.MeetingInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.UpdateMeeting(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/meetings/{id}", Tag: tag,
		Summary: "Delete a meeting without decisions", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, b, err := recordBody[versionBody](r)
			if err != nil {
				return nil, err
			}
			return nil, s.Leadership.DeleteMeeting(r.Context(), org, id, b.Version)
		}})

	// Decisions.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/decisions", Tag: tag,
		Summary: "List the forums' decisions by follow-up date",
		Query: []apiParam{{"status", "string", "open, in_progress, done"}, {"open", "boolean", "only those not done"},
			{"overdue", "boolean", "only those past their follow-up date and not done"}, {"owner", "integer", "owner's user id"},
			{"offset", "integer", ""}, {"limit", "integer", "at most 500"}},
		Response: listResponse[*isms.Decision]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := decisionFilterFrom(r, 100)
			if err != nil {
				return nil, err
			}
			ds, total, err := s.Leadership.Decisions(r.Context(), org, f)
			return listResponse[*isms.Decision]{Items: nonNil(ds), Total: total, Offset: f.Offset, Limit: f.Limit}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/meetings/{id}/decisions", Tag: tag, Status: http.StatusCreated,
		Summary: "Record a decision of a held meeting (an owner who is a member is required)", Request: isms.DecisionInput{}, Response: &isms.Decision{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.DecisionInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.CreateDecision(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/decisions/{id}", Tag: tag,
		Summary: "Read a decision", Response: &isms.Decision{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.Decision(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/decisions/{id}", Tag: tag,
		Summary: "Change a decision (send the version you read)", Request: isms.DecisionInput{}, Response: &isms.Decision{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.DecisionInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.UpdateDecision(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/decisions/{id}/follow-up", Tag: tag,
		Summary: "Record how a decision's follow-up stands (the coordinator or the decision's owner)", Request: isms.FollowUpInput{},
		Response: &isms.Decision{},
		Handle: func(r *http.Request) (any, error) {
			org, id, in, err := recordBody[isms.FollowUpInput](r)
			if err != nil {
				return nil, err
			}
			return s.Leadership.RecordFollowUp(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/decisions/{id}", Tag: tag,
		Summary: "Delete a decision recorded by mistake", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, b, err := recordBody[versionBody](r)
			if err != nil {
				return nil, err
			}
			return nil, s.Leadership.DeleteDecision(r.Context(), org, id, b.Version)
		}})

	// The seven topics.
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/management-topics", Tag: tag,
		Summary:  "The seven management topics of guide 2.2: when management last dealt with each and when it next will, with the evidence",
		Response: []topicStatusJSON{},
		Handle: func(r *http.Request) (any, error) {
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
		}})
}
