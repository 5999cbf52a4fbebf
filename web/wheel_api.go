package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// The annual wheel's JSON API, under /api/v1/organisations/{org}/wheel.

type wheelStatusBody struct {
	Version int64 `json:"version"`
}

type wheelSkipBody struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

type wheelRescheduleBody struct {
	DueDate *isms.Date `json:"due_date"`
	Version int64      `json:"version"`
}

type wheelSubmitBody struct {
	Note string `json:"note"`
}

type wheelApproveBody struct {
	Number   int    `json:"number"`
	Checksum string `json:"checksum"`
}

type wheelOpenResponse struct {
	Year  int `json:"year"`
	Added int `json:"added"`
}

type wheelFeedResponse struct {
	Token string          `json:"token"` // shown once
	URL   string          `json:"url"`
	State *isms.FeedToken `json:"state"`
}

type wheelPreferences struct {
	MailLanguage string `json:"mail_language"`
}

// pathYear reads {year}.
func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, isms.Errorf(isms.ENotFound, "err.not_found", "year")
	}
	return y, nil
}

func (s *Server) wheelAPI(mux *http.ServeMux) {
	const tag = "annual wheel"
	base := "/api/v1/organisations/{org}/wheel"
	occurrenceParams := []apiParam{{"year", "integer", "due in this year"}, {"from", "string", "due on or after (YYYY-MM-DD)"},
		{"to", "string", "due on or before (YYYY-MM-DD)"}, {"status", "string", "planned, in_progress, done, skipped, open or overdue"},
		{"activity", "integer", "activity id"}, {"owner", "integer", "owner's user id"}, {"topic", "string", "management topic"},
		{"sort", "string", "due_date, activity, owner, status; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 2000"}}

	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/activities", Tag: tag,
		Summary: "List the annual wheel's activities, filtered, sorted and paginated",
		Query: []apiParam{{"status", "string", "active, retired"}, {"owner", "integer", "owner's user id"}, {"topic", "string", "management topic"},
			{"q", "string", "text in title, description or record"}, {"sort", "string", "title, recurrence, owner, status, start_date; prefix - for descending"},
			{"offset", "integer", ""}, {"limit", "integer", "at most 500"}},
		Response: listResponse[*isms.Activity]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := activityFilterFrom(r, 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Wheel.WheelActivities(r.Context(), org, f)
			return listResponse[*isms.Activity]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/activities", Tag: tag, Status: http.StatusCreated,
		Summary: "Add a recurring activity; its occurrences are laid out at once", Request: isms.ActivityInput{}, Response: &isms.Activity{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			var in isms.ActivityInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Wheel.CreateWheelActivity(r.Context(), org, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/activities/{id}", Tag: tag, Summary: "Read an activity", Response: &isms.Activity{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Wheel.WheelActivity(r.Context(), org, id)
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/activities/{id}", Tag: tag,
		Summary: "Change an activity (send the version you read); open occurrences follow the new rule", Request: isms.ActivityInput{}, Response: &isms.Activity{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var in isms.ActivityInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Wheel.UpdateWheelActivity(r.Context(), org, id, in)
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/activities/{id}", Tag: tag,
		Summary: "Delete an activity without records (one with done or skipped occurrences is retired instead)", Request: versionBody{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			var b versionBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return nil, s.Wheel.DeleteWheelActivity(r.Context(), org, id, b.Version)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/years/{year}/open", Tag: tag,
		Summary: "Lay out a year's occurrences (coordinators and administrators; idempotent; returns how many were new)", Response: wheelOpenResponse{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := pathYear(r)
			if err != nil {
				return nil, err
			}
			n, err := s.Wheel.OpenWheelYear(r.Context(), org, year)
			return wheelOpenResponse{Year: year, Added: n}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/occurrences", Tag: tag,
		Summary: "List occurrences, filtered, sorted and paginated (overdue is derived from the due date)", Query: occurrenceParams,
		Response: listResponse[*isms.Occurrence]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			f, err := occurrenceFilterFrom(r, 500)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Wheel.WheelOccurrences(r.Context(), org, f)
			return listResponse[*isms.Occurrence]{Items: nonNil(items), Total: total, Offset: f.Offset, Limit: f.Limit}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/occurrences/{id}", Tag: tag, Summary: "Read an occurrence", Response: &isms.Occurrence{},
		Handle: func(r *http.Request) (any, error) {
			org, id, err := pathIDs(r)
			if err != nil {
				return nil, err
			}
			return s.Wheel.WheelOccurrence(r.Context(), org, id)
		}})
	occAction := func(pattern, summary string, req any, do func(r *http.Request, org, id int64) (*isms.Occurrence, error)) {
		s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/occurrences/{id}/" + pattern, Tag: tag, Summary: summary, Request: req,
			Response: &isms.Occurrence{},
			Handle: func(r *http.Request) (any, error) {
				org, id, err := pathIDs(r)
				if err != nil {
					return nil, err
				}
				return do(r, org, id)
			}})
	}
	occAction("start", "Mark a planned occurrence as in progress", wheelStatusBody{}, func(r *http.Request, org, id int64) (*isms.Occurrence, error) {
		var b wheelStatusBody
		if err := decodeJSON(r, &b); err != nil {
			return nil, err
		}
		return s.Wheel.StartOccurrence(r.Context(), org, id, b.Version)
	})
	occAction("complete", "Complete an occurrence with its result, comment, day and evidence; on a completed one, amend the record (audited)",
		isms.CompletionInput{}, func(r *http.Request, org, id int64) (*isms.Occurrence, error) {
			var in isms.CompletionInput
			if err := decodeJSON(r, &in); err != nil {
				return nil, err
			}
			return s.Wheel.CompleteOccurrence(r.Context(), org, id, in)
		})
	occAction("skip", "Skip an open occurrence, with the reason", wheelSkipBody{}, func(r *http.Request, org, id int64) (*isms.Occurrence, error) {
		var b wheelSkipBody
		if err := decodeJSON(r, &b); err != nil {
			return nil, err
		}
		return s.Wheel.SkipOccurrence(r.Context(), org, id, b.Reason, b.Version)
	})
	occAction("reopen", "Put a started, done or skipped occurrence back to planned (coordinators)", wheelStatusBody{},
		func(r *http.Request, org, id int64) (*isms.Occurrence, error) {
			var b wheelStatusBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return s.Wheel.ReopenOccurrence(r.Context(), org, id, b.Version)
		})
	occAction("reschedule", "Move an open occurrence's due date", wheelRescheduleBody{}, func(r *http.Request, org, id int64) (*isms.Occurrence, error) {
		var b wheelRescheduleBody
		if err := decodeJSON(r, &b); err != nil {
			return nil, err
		}
		if b.DueDate == nil {
			return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "due_date", Key: "err.required"}}}
		}
		return s.Wheel.RescheduleOccurrence(r.Context(), org, id, *b.DueDate, b.Version)
	})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/calendar", Tag: tag,
		Summary:  "A year of the wheel: its occurrences and the dated obligations of the other elements (laid out first if need be when the caller may lay out years)",
		Query:    []apiParam{{"year", "integer", "this year when absent"}},
		Response: &isms.WheelCalendar{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := s.wheelYear(r)
			if err != nil {
				return nil, err
			}
			return s.wheelCalendar(r, org, year)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/plans/{year}", Tag: tag,
		Summary:  "Where a year's plan stands: the approved and pending versions, whether the wheel changed since approval, every version",
		Response: &isms.YearPlanState{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := pathYear(r)
			if err != nil {
				return nil, err
			}
			return s.Wheel.YearPlan(r.Context(), org, year)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/plans/{year}/versions/{number}", Tag: tag,
		Summary: "One submitted version of a year's plan with its frozen snapshot", Response: &isms.YearPlan{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := pathYear(r)
			if err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(r.PathValue("number"))
			if err != nil {
				return nil, isms.Errorf(isms.ENotFound, "err.not_found", "year plan")
			}
			return s.Wheel.YearPlanVersion(r.Context(), org, year, n)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/plans/{year}/submit", Tag: tag, Status: http.StatusCreated,
		Summary: "Submit the year's wheel as a plan for management's approval (coordinators)", Request: wheelSubmitBody{}, Response: &isms.YearPlan{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := pathYear(r)
			if err != nil {
				return nil, err
			}
			var b wheelSubmitBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return s.Wheel.SubmitYearPlan(r.Context(), org, year, b.Note)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/plans/{year}/approve", Tag: tag,
		Summary: "Approve a submitted version (management); send its number and the checksum you saw", Request: wheelApproveBody{}, Response: &isms.YearPlan{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := pathYear(r)
			if err != nil {
				return nil, err
			}
			var b wheelApproveBody
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			return s.Wheel.ApproveYearPlan(r.Context(), org, year, b.Number, b.Checksum)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/plans/{year}/progress", Tag: tag,
		Summary:  "How the year is going against the approved plan, per month and per topic, with activities added and removed since",
		Response: &isms.PlanProgress{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			year, err := pathYear(r)
			if err != nil {
				return nil, err
			}
			return s.Wheel.PlanProgress(r.Context(), org, year)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/feed", Tag: tag,
		Summary: "Whether the calendar feed is published (coordinators; the secret is never shown again)", Response: &isms.FeedToken{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			return s.Wheel.FeedTokenState(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "POST", Pattern: base + "/feed", Tag: tag, Status: http.StatusCreated,
		Summary:  "Make a new secret address for the iCalendar feed, revoking the old (coordinators); the token is in this response only",
		Response: wheelFeedResponse{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			token, st, err := s.Wheel.CreateFeedToken(r.Context(), org)
			if err != nil {
				return nil, err
			}
			return wheelFeedResponse{Token: token, URL: s.baseURL(r) + "/feeds/wheel/" + token + ".ics", State: st}, nil
		}})
	s.handleAPI(mux, apiRoute{Method: "DELETE", Pattern: base + "/feed", Tag: tag, Summary: "Revoke the calendar feed (coordinators)",
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			return nil, s.Wheel.RevokeFeedToken(r.Context(), org)
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/reminders", Tag: tag,
		Summary: "The reminder mail log, newest first (coordinators and auditors)", Query: []apiParam{{"offset", "integer", ""}, {"limit", "integer", "at most 500"}},
		Response: listResponse[*isms.MailLogEntry]{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			offset, err := queryInt(r, "offset", 0)
			if err != nil {
				return nil, err
			}
			limit, err := queryInt(r, "limit", 100)
			if err != nil {
				return nil, err
			}
			items, total, err := s.Wheel.MailLog(r.Context(), org, offset, limit)
			return listResponse[*isms.MailLogEntry]{Items: nonNil(items), Total: total, Offset: offset, Limit: limit}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "GET", Pattern: base + "/preferences", Tag: tag,
		Summary: "The caller's language for reminder mails (da unless chosen)", Response: wheelPreferences{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			if _, err := s.Orgs.Access(r.Context(), org); err != nil {
				return nil, err
			}
			lang, err := s.Wheel.MailLanguage(r.Context())
			return wheelPreferences{MailLanguage: lang}, err
		}})
	s.handleAPI(mux, apiRoute{Method: "PUT", Pattern: base + "/preferences", Tag: tag,
		Summary: "Set the caller's language for reminder mails (da or en)", Request: wheelPreferences{}, Response: wheelPreferences{},
		Handle: func(r *http.Request) (any, error) {
			org, err := pathID(r, "org")
			if err != nil {
				return nil, err
			}
			if _, err := s.Orgs.Access(r.Context(), org); err != nil {
				return nil, err
			}
			var b wheelPreferences
			if err := decodeJSON(r, &b); err != nil {
				return nil, err
			}
			if b.MailLanguage != i18n.DA && b.MailLanguage != i18n.EN {
				return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "mail_language", Key: "err.choice"}}}
			}
			return b, s.Wheel.SetMailLanguage(r.Context(), b.MailLanguage)
		}})
}
