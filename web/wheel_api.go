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

// orgYear reads {org} and {year}.
func orgYear(r *http.Request) (int64, int, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return 0, 0, err
	}
	year, err := pathYear(r)
	return org, year, err
}

// pathYear reads {year}.
func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, isms.Errorf(isms.ENotFound, "err.not_found", "year")
	}
	return y, nil
}

var (
	wheelActivityQuery = []apiParam{{"status", "string", "active, retired"}, {"owner", "integer", "owner's user id"}, {"topic", "string", "management topic"},
		{"q", "string", "text in title, description or record"}, {"sort", "string", "title, recurrence, owner, status, start_date; prefix - for descending"},
		{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}
	occurrenceQuery = []apiParam{{"year", "integer", "due in this year"}, {"from", "string", "due on or after (YYYY-MM-DD)"},
		{"to", "string", "due on or before (YYYY-MM-DD)"}, {"status", "string", "planned, in_progress, done, skipped, open or overdue"},
		{"activity", "integer", "activity id"}, {"owner", "integer", "owner's user id"}, {"topic", "string", "management topic"},
		{"sort", "string", "due_date, activity, owner, status; prefix - for descending"}, {"offset", "integer", ""}, {"limit", "integer", "at most 2000"}}
)

const calendarSummary = "A year of the wheel: its occurrences and the dated obligations of the other elements. Reading writes nothing: laid_out says whether the year's occurrences are laid out (this year and the next always are); POST …/wheel/years/{year}/open lays out another"

// openWheelYearAPI lays out {year} and says how many occurrences were new.
func (s *Server) openWheelYearAPI(r *http.Request) (any, error) {
	org, year, err := orgYear(r)
	if err != nil {
		return nil, err
	}
	n, err := s.Wheel.OpenWheelYear(r.Context(), org, year)
	return wheelOpenResponse{Year: year, Added: n}, err
}

// rescheduleOccurrenceAPI moves an occurrence; the new due date is
// required.
func (s *Server) rescheduleOccurrenceAPI(r *http.Request) (any, error) {
	org, id, b, err := recordBody[wheelRescheduleBody](r)
	if err != nil {
		return nil, err
	}
	if b.DueDate == nil {
		return nil, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "due_date", Key: "err.required"}}}
	}
	return s.Wheel.RescheduleOccurrence(r.Context(), org, id, *b.DueDate, b.Version)
}

// wheelCalendarAPI answers the calendar of ?year= (this year when absent).
func (s *Server) wheelCalendarAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	year, err := s.wheelYear(r)
	if err != nil {
		return nil, err
	}
	return s.wheelCalendar(r, org, year)
}

// yearPlanVersionAPI answers version {number} of {year}'s plan.
func (s *Server) yearPlanVersionAPI(r *http.Request) (any, error) {
	org, year, err := orgYear(r)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		return nil, isms.Errorf(isms.ENotFound, "err.not_found", "year plan")
	}
	return s.Wheel.YearPlanVersion(r.Context(), org, year, n)
}

// createFeedTokenAPI makes a new feed secret and answers it with the
// feed's address, the one time it is shown.
func (s *Server) createFeedTokenAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	token, st, err := s.Wheel.CreateFeedToken(r.Context(), org)
	if err != nil {
		return nil, err
	}
	return wheelFeedResponse{Token: token, URL: s.baseURL(r) + "/feeds/wheel/" + token + ".ics", State: st}, nil
}

// mailLogAPI answers a page of the reminder mail log.
func (s *Server) mailLogAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	offset, limit, err := pageFrom(r, 100)
	if err != nil {
		return nil, err
	}
	items, total, err := s.Wheel.MailLog(r.Context(), org, offset, limit)
	return listResponse[*isms.MailLogEntry]{Items: nonNil(items), Total: total, Offset: offset, Limit: limit}, err
}

// mailPreferencesAPI answers the caller's mail language; the preference
// is the caller's own, but the route is the organisation's, so the caller
// must be a member.
func (s *Server) mailPreferencesAPI(r *http.Request) (any, error) {
	org, err := pathID(r, "org")
	if err != nil {
		return nil, err
	}
	if _, err := s.Orgs.Access(r.Context(), org); err != nil {
		return nil, err
	}
	lang, err := s.Wheel.MailLanguage(r.Context())
	return wheelPreferences{MailLanguage: lang}, err
}

// setMailPreferencesAPI sets the caller's mail language (da or en).
func (s *Server) setMailPreferencesAPI(r *http.Request) (any, error) {
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
}
