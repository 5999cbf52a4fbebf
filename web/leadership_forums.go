package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/ismsdk/isms"
)

// The security committee and other forums (guide 2.2): members and chair,
// meetings with agenda and minutes, decisions and their follow-up.

// Forums.

type forumsData struct {
	Forums []forumSummary
	Today  isms.Date
}

// forumSummary is a forum with its latest held and next planned meeting.
type forumSummary struct {
	Forum    *isms.Forum
	LastHeld *isms.Meeting
	Next     *isms.Meeting
	Meetings int
}

func (s *Server) forumsPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	forums, err := s.Leadership.Forums(r.Context(), org.ID)
	if err != nil {
		return err
	}
	meetings, _, err := s.Leadership.Meetings(r.Context(), org.ID, isms.MeetingFilter{Limit: 500})
	if err != nil {
		return err
	}
	today := isms.DateOf(s.cfg.Now())
	d := forumsData{Today: today}
	for _, f := range forums {
		sum := forumSummary{Forum: f}
		// Meetings come newest first.
		for _, m := range meetings {
			if m.ForumID != f.ID {
				continue
			}
			sum.Meetings++
			if m.Status == isms.MeetingHeld && sum.LastHeld == nil {
				sum.LastHeld = m
			}
			if m.Status == isms.MeetingPlanned && !m.Date.Before(today) {
				sum.Next = m
			}
		}
		d.Forums = append(d.Forums, sum)
	}
	p := s.newPage(r, "title.lead_forums")
	p.Data = d
	s.render(w, http.StatusOK, "leadership_forums", p)
	return nil
}

func (s *Server) loadForum(r *http.Request) (*isms.Forum, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Leadership.Forum(r.Context(), orgFrom(r.Context()).ID, id)
}

type forumPageData struct {
	Forum    *isms.Forum
	Meetings []*isms.Meeting
	Today    isms.Date
	History  []historyItem
}

func (s *Server) forumPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadForum(r)
	if err != nil {
		return err
	}
	ms, _, err := s.Leadership.Meetings(r.Context(), f.OrganisationID, isms.MeetingFilter{ForumID: f.ID, Limit: 500})
	if err != nil {
		return err
	}
	hist, err := s.history(r, "forum", f.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.lead_forum")
	p.Data = forumPageData{Forum: f, Meetings: ms, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, http.StatusOK, "leadership_forum", p)
	return nil
}

type forumFormData struct {
	Forum   *isms.Forum
	Members []*isms.Membership
}

func (d forumFormData) MemberIDs() []int64 {
	if d.Forum == nil {
		return nil
	}
	return d.Forum.MemberIDs()
}

func (s *Server) forumForm(w http.ResponseWriter, r *http.Request, p *page, f *isms.Forum, status int) error {
	members, err := s.Orgs.Memberships(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p.Data = forumFormData{Forum: f, Members: members}
	s.render(w, status, "leadership_forum_form", p)
	return nil
}

func (s *Server) forumNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.forumForm(w, r, s.newPage(r, "title.lead_forum_new"), nil, http.StatusOK)
}

func (s *Server) forumEditPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadForum(r)
	if err != nil {
		return err
	}
	return s.forumForm(w, r, s.newPage(r, "title.lead_forum_edit"), f, http.StatusOK)
}

func forumInputFromForm(r *http.Request) (isms.ForumInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.ForumInput{Name: f.Get("name"), Mandate: f.Get("mandate"), ChairID: parseOptionalID(&v, "chair_id", f.Get("chair_id")),
		MemberIDs: parseIDs(&v, "member_ids", f["member_ids"]), Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) forumFormError(w http.ResponseWriter, r *http.Request, f *isms.Forum, err error) error {
	title, current := "title.lead_forum_new", func() int64 { return 0 }
	if f != nil {
		title = "title.lead_forum_edit"
		if cur, e := s.Leadership.Forum(r.Context(), f.OrganisationID, f.ID); e == nil {
			f = cur
		}
		current = func() int64 { return f.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.forumForm(w, r, p, f, status) })
}

func (s *Server) forumCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, forumInputFromForm, s.Leadership.CreateForum,
		func(f *isms.Forum) string { return idPath("/leadership/forums/", f.ID) },
		func(_ isms.ForumInput, err error) error { return s.forumFormError(w, r, nil, err) })
}

func (s *Server) forumUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadForum(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, forumInputFromForm, s.Leadership.UpdateForum, f.OrganisationID, f.ID,
		idPath("/leadership/forums/", f.ID), func(err error) error { return s.forumFormError(w, r, f, err) })
}

func (s *Server) forumDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadForum(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Leadership.DeleteForum(r.Context(), f.OrganisationID, f.ID, formVersion(r)), "/leadership/forums")
}

// Meetings.

// blankAgendaRows is how many empty agenda rows the meeting form offers
// beyond the items there are.
const blankAgendaRows = 3

type agendaRow struct {
	Index  int
	Title  string
	Notes  string
	Topics []topicOption
}

type meetingFormData struct {
	Forum   *isms.Forum
	Meeting *isms.Meeting
	Rows    []agendaRow
}

func agendaField(name string, i int) string { return "agenda_" + name + "_" + strconv.Itoa(i) }

// agendaRows lays out the agenda for the form: the submitted rows after a
// refused save, else the meeting's items; and a few empty rows.
func agendaRows(m *isms.Meeting, p *page) []agendaRow {
	var rows []agendaRow
	if p.Form != nil {
		for i := 0; p.Form.Has(agendaField("title", i)); i++ {
			rows = append(rows, agendaRow{Index: i, Title: p.Form.Get(agendaField("title", i)), Notes: p.Form.Get(agendaField("notes", i)),
				Topics: topicOptions(p.Form[agendaField("topics", i)])})
		}
	} else if m != nil {
		for i, a := range m.Agenda {
			rows = append(rows, agendaRow{Index: i, Title: a.Title, Notes: a.Notes, Topics: topicOptions(a.Topics)})
		}
	}
	for i := 0; i < blankAgendaRows; i++ {
		rows = append(rows, agendaRow{Index: len(rows), Topics: topicOptions(nil)})
	}
	return rows
}

func (s *Server) meetingForm(w http.ResponseWriter, r *http.Request, p *page, f *isms.Forum, m *isms.Meeting, status int) error {
	p.Data = meetingFormData{Forum: f, Meeting: m, Rows: agendaRows(m, p)}
	s.render(w, status, "leadership_meeting_form", p)
	return nil
}

func (s *Server) meetingNewPage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadForum(r)
	if err != nil {
		return err
	}
	return s.meetingForm(w, r, s.newPage(r, "title.lead_meeting_new"), f, nil, http.StatusOK)
}

// meetingInputFromForm reads the meeting form. Agenda rows left wholly
// empty are the spare rows and are skipped.
func meetingInputFromForm(r *http.Request) (isms.MeetingInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.MeetingInput{Date: parseOptionalDate(&v, "meeting_date", f.Get("meeting_date")), Status: isms.MeetingStatus(f.Get("status")),
		Venue: f.Get("venue"), Minutes: f.Get("minutes"), Version: parseVersion(f.Get("version")), Agenda: []isms.AgendaItemInput{}}
	for i := 0; f.Has(agendaField("title", i)); i++ {
		a := isms.AgendaItemInput{Title: f.Get(agendaField("title", i)), Notes: f.Get(agendaField("notes", i)), Topics: f[agendaField("topics", i)]}
		if a.Title == "" && a.Notes == "" && len(a.Topics) == 0 {
			continue
		}
		in.Agenda = append(in.Agenda, a)
	}
	return in, v.Err()
}

func (s *Server) meetingFormError(w http.ResponseWriter, r *http.Request, f *isms.Forum, m *isms.Meeting, err error) error {
	title, current := "title.lead_meeting_new", func() int64 { return 0 }
	if m != nil {
		title = "title.lead_meeting_edit"
		if cur, e := s.Leadership.Meeting(r.Context(), m.OrganisationID, m.ID); e == nil {
			m = cur
		}
		current = func() int64 { return m.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.meetingForm(w, r, p, f, m, status) })
}

func (s *Server) meetingCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadForum(r)
	if err != nil {
		return err
	}
	return saveForm(s, w, r, meetingInputFromForm,
		func(ctx context.Context, in isms.MeetingInput) (*isms.Meeting, error) {
			return s.Leadership.CreateMeeting(ctx, f.OrganisationID, f.ID, in)
		},
		func(m *isms.Meeting) string { return idPath("/leadership/meetings/", m.ID) },
		func(_ isms.MeetingInput, err error) error { return s.meetingFormError(w, r, f, nil, err) })
}

func (s *Server) loadMeeting(r *http.Request) (*isms.Meeting, *isms.Forum, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	m, err := s.Leadership.Meeting(r.Context(), orgFrom(r.Context()).ID, id)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Leadership.Forum(r.Context(), m.OrganisationID, m.ForumID)
	return m, f, err
}

type meetingPageData struct {
	Meeting  *isms.Meeting
	Forum    *isms.Forum
	Members  []*isms.Membership
	Topics   []topicOption // of the form for a new decision
	Statuses []isms.FollowUp
	Today    isms.Date
	History  []historyItem
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMeeting(w, r, s.newPage(r, "title.lead_meeting"), http.StatusOK)
}

func (s *Server) renderMeeting(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	m, f, err := s.loadMeeting(r)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), m.OrganisationID)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "forum_meeting", m.ID)
	if err != nil {
		return err
	}
	var chosen []string
	if p.Form != nil {
		chosen = p.Form["management_topics"]
	}
	p.Data = meetingPageData{Meeting: m, Forum: f, Members: members, Topics: topicOptions(chosen), Statuses: isms.FollowUps,
		Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "leadership_meeting", p)
	return nil
}

func (s *Server) meetingEditPage(w http.ResponseWriter, r *http.Request) error {
	m, f, err := s.loadMeeting(r)
	if err != nil {
		return err
	}
	return s.meetingForm(w, r, s.newPage(r, "title.lead_meeting_edit"), f, m, http.StatusOK)
}

func (s *Server) meetingUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	m, f, err := s.loadMeeting(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, meetingInputFromForm, s.Leadership.UpdateMeeting, m.OrganisationID, m.ID,
		idPath("/leadership/meetings/", m.ID), func(err error) error { return s.meetingFormError(w, r, f, m, err) })
}

func (s *Server) meetingDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	m, _, err := s.loadMeeting(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Leadership.DeleteMeeting(r.Context(), m.OrganisationID, m.ID, formVersion(r)), idPath("/leadership/forums/", m.ForumID))
}

// Decisions.

func decisionInputFromForm(r *http.Request) (isms.DecisionInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.DecisionInput{Text: f.Get("decision"), OwnerID: parseOptionalID(&v, "owner_id", f.Get("owner_id")),
		FollowUpBy: parseOptionalDate(&v, "follow_up_by", f.Get("follow_up_by")), Status: isms.FollowUp(f.Get("status")),
		FollowUpNote: f.Get("follow_up_note"), Topics: f["management_topics"], Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

// decisionCreateSubmit records a decision from the form on the meeting
// page; a refused one shows the meeting page again with the form filled.
func (s *Server) decisionCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decisionInputFromForm(r)
	if err == nil {
		_, err = s.Leadership.CreateDecision(r.Context(), orgFrom(r.Context()).ID, id, in)
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.lead_meeting"), nil,
			func(p *page, status int) error { return s.renderMeeting(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/leadership/meetings/"+strconv.FormatInt(id, 10)+"#decisions"), "flash.saved")
	return nil
}

type decisionsData struct {
	Decisions []*isms.Decision
	Filter    isms.DecisionFilter
	Members   []*isms.Membership
	Statuses  []isms.FollowUp
	Pager     pager
	Today     isms.Date
}

func decisionFilterFrom(r *http.Request, limit int) (isms.DecisionFilter, error) {
	q := r.URL.Query()
	f := isms.DecisionFilter{Status: isms.FollowUp(q.Get("status")), Open: parseFlag(q.Get("open")),
		Overdue: parseFlag(q.Get("overdue"))}
	var v isms.Validation
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", "err.choice")
	}
	f.OwnerID = queryID(&v, q, "owner", "owner")
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, v.Err()
}

func (s *Server) decisionsPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := decisionFilterFrom(r, 50)
	if err != nil {
		return err
	}
	ds, total, err := s.Leadership.Decisions(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.lead_decisions")
	p.Data = decisionsData{Decisions: ds, Filter: f, Members: members, Statuses: isms.FollowUps, Pager: newPager(r, total, f.Offset, f.Limit),
		Today: isms.DateOf(s.cfg.Now())}
	s.render(w, http.StatusOK, "leadership_decisions", p)
	return nil
}

func (s *Server) loadDecision(r *http.Request) (*isms.Decision, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Leadership.Decision(r.Context(), orgFrom(r.Context()).ID, id)
}

type decisionPageData struct {
	Decision  *isms.Decision
	Statuses  []isms.FollowUp
	CanFollow bool // the caller may record the follow-up
	Today     isms.Date
	History   []historyItem
}

func (s *Server) decisionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDecision(w, r, s.newPage(r, "title.lead_decision"), http.StatusOK)
}

func (s *Server) renderDecision(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	d, err := s.loadDecision(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "forum_decision", d.ID)
	if err != nil {
		return err
	}
	org := orgFrom(r.Context())
	can := org.Access.Can(isms.PermEdit) || (p.User != nil && org.Access.AssignedTo(p.User.ID, &d.OwnerID))
	p.Data = decisionPageData{Decision: d, Statuses: isms.FollowUps, CanFollow: can, Today: isms.DateOf(s.cfg.Now()), History: hist}
	s.render(w, status, "leadership_decision", p)
	return nil
}

type decisionFormData struct {
	Decision *isms.Decision
	Members  []*isms.Membership
	Topics   []topicOption
	Statuses []isms.FollowUp
}

// topicOption is one management topic's checkbox.
type topicOption struct {
	Key     string
	Checked bool
}

func topicOptions(chosen []string) []topicOption {
	out := make([]topicOption, 0, len(isms.ManagementTopics))
	for _, t := range isms.ManagementTopics {
		out = append(out, topicOption{t, slices.Contains(chosen, t)})
	}
	return out
}

func (s *Server) decisionForm(w http.ResponseWriter, r *http.Request, p *page, d *isms.Decision, status int) error {
	members, err := s.Orgs.Memberships(r.Context(), d.OrganisationID)
	if err != nil {
		return err
	}
	chosen := d.Topics
	if p.Form != nil {
		chosen = p.Form["management_topics"]
	}
	p.Data = decisionFormData{Decision: d, Members: members, Topics: topicOptions(chosen), Statuses: isms.FollowUps}
	s.render(w, status, "leadership_decision_form", p)
	return nil
}

func (s *Server) decisionEditPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDecision(r)
	if err != nil {
		return err
	}
	return s.decisionForm(w, r, s.newPage(r, "title.lead_decision_edit"), d, http.StatusOK)
}

func (s *Server) decisionUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDecision(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, decisionInputFromForm, s.Leadership.UpdateDecision, d.OrganisationID, d.ID,
		idPath("/leadership/decisions/", d.ID), func(err error) error {
			return s.formRefused(r, err, s.newPage(r, "title.lead_decision_edit"), func() int64 { return d.Version },
				func(p *page, status int) error { return s.decisionForm(w, r, p, d, status) })
		})
}

func (s *Server) followUpSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDecision(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	_, err = s.Leadership.RecordFollowUp(r.Context(), d.OrganisationID, d.ID, isms.FollowUpInput{Status: isms.FollowUp(f.Get("status")),
		FollowUpNote: f.Get("follow_up_note"), Version: parseVersion(f.Get("version"))})
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.lead_decision"), func() int64 { return d.Version },
			func(p *page, status int) error { return s.renderDecision(w, r, p, status) })
	}
	s.redirect(w, r, p0(r, "/leadership/decisions/"+strconv.FormatInt(d.ID, 10)), "flash.lead_follow_up")
	return nil
}

func (s *Server) decisionDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDecision(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Leadership.DeleteDecision(r.Context(), d.OrganisationID, d.ID, formVersion(r)),
		idPath("/leadership/meetings/", d.MeetingID))
}
