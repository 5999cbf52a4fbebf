package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// The forums through which management deals with information security
// (guide 2.2): the security committee and others, their members and
// chair, their meetings with agenda and minutes, and the decisions made
// at held meetings with their follow-up. Agenda items and decisions carry
// the management topics they concern, and report them to the topic
// registry (sources.go): that is how the committee's work answers
// checklist questions 2.1 and 2.2.

const (
	typeForum    = "forum"
	typeMeeting  = "forum_meeting"
	typeDecision = "forum_decision"
)

const maxAgendaItems = 100

func init() {
	registerTopicSource("topic.source.forums", "topic.source.forums.planned", forumTopicActivities)
	registerScheduleSource(forumScheduledItems)
}

// Topics are kept as comma-separated keys of the seven management topics.

func joinTopics(ts []string) string { return strings.Join(ts, ",") }

func splitTopics(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// normTopics checks topics against the seven, drops repeats and puts them
// in the guide's order. It returns the first unknown topic, if any.
func normTopics(ts []string) ([]string, string) {
	seen := map[string]bool{}
	for _, t := range ts {
		t = strings.TrimSpace(t)
		if !isms.ValidTopic(t) {
			return nil, t
		}
		seen[t] = true
	}
	out := []string{}
	for _, t := range isms.ManagementTopics {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out, ""
}

// Forums.

func (tx *Tx) forums(orgID, id int64) ([]*isms.Forum, error) {
	q := `SELECT f.id, f.organisation_id, f.name, f.mandate, f.chair_id, COALESCE(u.name, ''), f.version, f.created_at, f.updated_at
		FROM forums f LEFT JOIN users u ON u.id = f.chair_id WHERE f.organisation_id = ?`
	args := []any{orgID}
	if id != 0 {
		q += " AND f.id = ?"
		args = append(args, id)
	}
	out, err := queryAll(tx, scanForum, q+" ORDER BY f.name, f.id", args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byID := make(map[int64]*isms.Forum, len(out))
	for _, f := range out {
		byID[f.ID] = f
	}
	err = tx.queryEach(`SELECT fm.forum_id, fm.user_id, u.name, CASE WHEN m.id IS NULL THEN 0 ELSE 1 END
		FROM forum_members fm JOIN users u ON u.id = fm.user_id
		LEFT JOIN memberships m ON m.organisation_id = fm.organisation_id AND m.user_id = fm.user_id
		WHERE fm.organisation_id = ? ORDER BY u.name, u.id`, []any{orgID}, func(row scanner) error {
		var forumID int64
		var p isms.RolePerson
		var member int
		if err := row.Scan(&forumID, &p.UserID, &p.Name, &member); err != nil {
			return err
		}
		p.Member = member == 1
		if f := byID[forumID]; f != nil {
			f.Members = append(f.Members, p)
		}
		return nil
	})
	return out, err
}

func scanForum(row scanner) (*isms.Forum, error) {
	var f isms.Forum
	var chair sql.NullInt64
	if err := row.Scan(&f.ID, &f.OrganisationID, &f.Name, &f.Mandate, &chair, &f.ChairName, &f.Version, scanTime{&f.CreatedAt}, scanTime{&f.UpdatedAt}); err != nil {
		return nil, err
	}
	f.ChairID, f.Members = int64Ptr(chair), []isms.RolePerson{}
	return &f, nil
}

func (tx *Tx) forum(orgID, id int64) (*isms.Forum, error) {
	fs, err := tx.forums(orgID, id)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, notFound("forum")
	}
	return fs[0], nil
}

func (tx *Tx) validateForum(orgID, id int64, in *isms.ForumInput) error {
	in.Name = strings.TrimSpace(in.Name)
	in.MemberIDs = uniq(in.MemberIDs)
	// The chair is one of the members; naming a chair makes them one.
	if in.ChairID != nil && !slices.Contains(in.MemberIDs, *in.ChairID) {
		in.MemberIDs = append(in.MemberIDs, *in.ChairID)
	}
	var v isms.Validation
	requireText(&v, "name", in.Name, 200)
	checkText(&v, "mandate", in.Mandate, 10000)
	if in.Name != "" && !v.Has("name") {
		taken, err := tx.nameTaken("forums", orgID, id, in.Name)
		if err != nil {
			return err
		}
		if taken {
			v.Add("name", "err.name_taken")
		}
	}
	tx.checkMember(&v, "chair_id", orgID, in.ChairID)
	if !v.Has("chair_id") {
		if err := tx.checkMembers(&v, "member_ids", orgID, in.MemberIDs); err != nil {
			return err
		}
	}
	return v.Err()
}

func (tx *Tx) setForumMembers(orgID, forumID int64, ids []int64) error {
	if _, err := tx.exec("DELETE FROM forum_members WHERE organisation_id = ? AND forum_id = ?", orgID, forumID); err != nil {
		return err
	}
	for _, u := range ids {
		if _, err := tx.exec("INSERT INTO forum_members (forum_id, user_id, organisation_id) VALUES (?, ?, ?)", forumID, u, orgID); err != nil {
			return err
		}
	}
	return nil
}

// Forums lists the forums by name.
func (db *DB) Forums(ctx context.Context, orgID int64) ([]*isms.Forum, error) {
	return view(db, ctx, "Forums", orgID, func(tx *Tx) ([]*isms.Forum, error) { return tx.forums(orgID, 0) })
}

// Forum reads one forum.
func (db *DB) Forum(ctx context.Context, orgID, id int64) (*isms.Forum, error) {
	return view(db, ctx, "Forum", orgID, func(tx *Tx) (*isms.Forum, error) { return tx.forum(orgID, id) })
}

// CreateForum sets up a forum with its mandate, members and chair.
func (db *DB) CreateForum(ctx context.Context, orgID int64, in isms.ForumInput) (*isms.Forum, error) {
	var f *isms.Forum
	err := db.write(ctx, "CreateForum", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if err := tx.validateForum(orgID, 0, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert("INSERT INTO forums (organisation_id, name, mandate, chair_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
			orgID, in.Name, in.Mandate, nullInt(in.ChairID), now, now)
		if err != nil {
			return err
		}
		if err := tx.setForumMembers(orgID, id, in.MemberIDs); err != nil {
			return err
		}
		if f, err = tx.forum(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeForum, id, nil, forumRecord(f))
	})
	return f, err
}

// UpdateForum changes a forum, refusing a stale version.
func (db *DB) UpdateForum(ctx context.Context, orgID, id int64, in isms.ForumInput) (*isms.Forum, error) {
	var f *isms.Forum
	err := db.write(ctx, "UpdateForum", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.forum(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateForum(orgID, id, &in); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE forums SET name = ?, mandate = ?, chair_id = ?, version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?",
			in.Name, in.Mandate, nullInt(in.ChairID), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setForumMembers(orgID, id, in.MemberIDs); err != nil {
			return err
		}
		if f, err = tx.forum(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeForum, id, forumRecord(before), forumRecord(f))
	})
	return f, err
}

// DeleteForum removes a forum that has no meetings: the meetings of a
// forum are evidence of management's involvement and are not removed in
// passing.
func (db *DB) DeleteForum(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteForum", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.forum(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM forum_meetings WHERE organisation_id = ? AND forum_id = ?", orgID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Errorf(isms.EConflict, "lead.err.forum_has_meetings", n)
		}
		if _, err := tx.exec("DELETE FROM forum_members WHERE organisation_id = ? AND forum_id = ?", orgID, id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "forums", typeForum, id, forumRecord(before))
	})
}

// Meetings.

const meetingColumns = `m.id, m.organisation_id, m.forum_id, f.name, m.meeting_date, m.status, m.venue, m.minutes, m.version, m.created_at, m.updated_at`

const meetingFrom = " FROM forum_meetings m JOIN forums f ON f.id = m.forum_id"

func scanMeeting(row scanner) (*isms.Meeting, error) {
	var m isms.Meeting
	var day, status string
	if err := row.Scan(&m.ID, &m.OrganisationID, &m.ForumID, &m.ForumName, &day, &status, &m.Venue, &m.Minutes, &m.Version, scanTime{&m.CreatedAt}, scanTime{&m.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("meeting")
		}
		return nil, err
	}
	m.Date, _ = isms.ParseDate(day)
	m.Status = isms.MeetingStatus(status)
	m.Agenda, m.Decisions = []isms.AgendaItem{}, []*isms.Decision{}
	return &m, nil
}

// fillMeetings reads the agenda items and decisions of the meetings.
func (tx *Tx) fillMeetings(orgID int64, ms []*isms.Meeting) error {
	if len(ms) == 0 {
		return nil
	}
	byID := map[int64]*isms.Meeting{}
	ids := make([]int64, 0, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
		ids = append(ids, m.ID)
	}
	in := "(" + placeholders(len(ids)) + ")"
	args := append([]any{orgID}, int64sToAny(ids)...)
	err := tx.queryEach("SELECT meeting_id, id, title, notes, topics FROM meeting_agenda_items WHERE organisation_id = ? AND meeting_id IN "+in+
		" ORDER BY meeting_id, position", args, func(row scanner) error {
		var mid int64
		var a isms.AgendaItem
		var topics string
		if err := row.Scan(&mid, &a.ID, &a.Title, &a.Notes, &topics); err != nil {
			return err
		}
		a.Topics = splitTopics(topics)
		byID[mid].Agenda = append(byID[mid].Agenda, a)
		return nil
	})
	if err != nil {
		return err
	}
	ds, err := tx.queryDecisions(" WHERE d.organisation_id = ? AND d.meeting_id IN "+in, args, " ORDER BY d.meeting_id, d.id", 0, 0)
	if err != nil {
		return err
	}
	for _, d := range ds {
		byID[d.MeetingID].Decisions = append(byID[d.MeetingID].Decisions, d)
	}
	return nil
}

func (tx *Tx) meeting(orgID, id int64) (*isms.Meeting, error) {
	m, err := scanMeeting(tx.queryRow("SELECT "+meetingColumns+meetingFrom+" WHERE m.organisation_id = ? AND m.id = ?", orgID, id))
	if err != nil {
		return nil, err
	}
	return m, tx.fillMeetings(orgID, []*isms.Meeting{m})
}

// validateMeeting checks a meeting's input and puts each agenda item's
// topics in the guide's order. hasDecisions tells whether the meeting has
// decisions, which keep it held.
func (tx *Tx) validateMeeting(in *isms.MeetingInput, hasDecisions bool) error {
	var v isms.Validation
	if in.Date == nil {
		v.Add("meeting_date", "err.required")
	}
	if in.Status == "" {
		in.Status = isms.MeetingPlanned
	}
	switch {
	case !in.Status.Valid():
		v.Add("status", "err.choice")
	case in.Status == isms.MeetingHeld && in.Date != nil && tx.Today().Before(*in.Date):
		v.Add("status", "lead.err.held_in_future")
	case in.Status != isms.MeetingHeld && hasDecisions:
		v.Add("status", "lead.err.meeting_has_decisions")
	}
	in.Venue = strings.TrimSpace(in.Venue)
	checkText(&v, "venue", in.Venue, 300)
	checkText(&v, "minutes", in.Minutes, 100000)
	if len(in.Agenda) > maxAgendaItems {
		v.Add("agenda", "lead.err.agenda_too_long", maxAgendaItems)
		return v.Err()
	}
	for i := range in.Agenda {
		a := &in.Agenda[i]
		a.Title = strings.TrimSpace(a.Title)
		n := i + 1
		switch {
		case v.Has("agenda"):
			// One problem at a time is shown for the agenda.
		case a.Title == "":
			v.Add("agenda", "lead.err.agenda_title", n)
		case !utf8.ValidString(a.Title) || !utf8.ValidString(a.Notes):
			v.Add("agenda", "err.bad_text")
		case utf8.RuneCountInString(a.Title) > 500 || utf8.RuneCountInString(a.Notes) > 10000:
			v.Add("agenda", "lead.err.agenda_item_long", n)
		}
		topics, bad := normTopics(a.Topics)
		if bad != "" {
			if !v.Has("agenda") {
				v.Add("agenda", "lead.err.unknown_topic", bad)
			}
			continue
		}
		a.Topics = topics
	}
	return v.Err()
}

func (tx *Tx) setAgenda(orgID, meetingID int64, items []isms.AgendaItemInput) error {
	if _, err := tx.exec("DELETE FROM meeting_agenda_items WHERE organisation_id = ? AND meeting_id = ?", orgID, meetingID); err != nil {
		return err
	}
	for i, a := range items {
		if _, err := tx.exec("INSERT INTO meeting_agenda_items (organisation_id, meeting_id, position, title, notes, topics) VALUES (?, ?, ?, ?, ?, ?)",
			orgID, meetingID, i+1, a.Title, a.Notes, joinTopics(a.Topics)); err != nil {
			return err
		}
	}
	return nil
}

// forumRecord is a forum as the audit trail keeps it.
func forumRecord(f *isms.Forum) map[string]any {
	return map[string]any{"name": f.Name, "mandate": f.Mandate, "chair": f.ChairName, "members": peopleNames(f.Members)}
}

// meetingRecord is a meeting as the audit trail keeps it: the agenda as
// its items in words (they get new ids when the agenda is saved), and
// without the decisions, which are records of their own.
func meetingRecord(m *isms.Meeting) map[string]any {
	agenda := make([]string, 0, len(m.Agenda))
	for _, a := range m.Agenda {
		item := a.Title
		if len(a.Topics) > 0 {
			item += " [" + strings.Join(a.Topics, ", ") + "]"
		}
		if a.Notes != "" {
			item += ": " + a.Notes
		}
		agenda = append(agenda, item)
	}
	return map[string]any{"forum": m.ForumName, "meeting_date": m.Date, "status": m.Status, "venue": m.Venue,
		"minutes": m.Minutes, "agenda": agenda}
}

// Meetings lists meetings, newest first, with their agendas and decisions.
func (db *DB) Meetings(ctx context.Context, orgID int64, f isms.MeetingFilter) ([]*isms.Meeting, int, error) {
	var out []*isms.Meeting
	var total int
	err := db.read(ctx, "Meetings", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE m.organisation_id = ?"
		args := []any{orgID}
		if f.ForumID != 0 {
			where += " AND m.forum_id = ?"
			args = append(args, f.ForumID)
		}
		if f.Status != "" {
			where += " AND m.status = ?"
			args = append(args, string(f.Status))
		}
		if f.From != nil {
			where += " AND m.meeting_date >= ?"
			args = append(args, f.From.String())
		}
		if f.To != nil {
			where += " AND m.meeting_date <= ?"
			args = append(args, f.To.String())
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+meetingFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		rows, err := tx.query("SELECT "+meetingColumns+meetingFrom+where+" ORDER BY m.meeting_date DESC, m.id DESC LIMIT ? OFFSET ?",
			append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanMeeting)
		if err != nil {
			return err
		}
		return tx.fillMeetings(orgID, out)
	})
	return out, total, err
}

// Meeting reads one meeting with its agenda and decisions.
func (db *DB) Meeting(ctx context.Context, orgID, id int64) (*isms.Meeting, error) {
	return view(db, ctx, "Meeting", orgID, func(tx *Tx) (*isms.Meeting, error) { return tx.meeting(orgID, id) })
}

// CreateMeeting plans (or records) a meeting of a forum with its agenda.
func (db *DB) CreateMeeting(ctx context.Context, orgID, forumID int64, in isms.MeetingInput) (*isms.Meeting, error) {
	var m *isms.Meeting
	err := db.write(ctx, "CreateMeeting", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		if _, err := tx.forum(orgID, forumID); err != nil {
			return err
		}
		if err := tx.validateMeeting(&in, false); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO forum_meetings (organisation_id, forum_id, meeting_date, status, venue, minutes, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, orgID, forumID, in.Date.String(), string(in.Status), in.Venue, in.Minutes, now, now)
		if err != nil {
			return err
		}
		if err := tx.setAgenda(orgID, id, in.Agenda); err != nil {
			return err
		}
		if m, err = tx.meeting(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeMeeting, id, nil, meetingRecord(m))
	})
	return m, err
}

// UpdateMeeting changes a meeting and replaces its agenda, refusing a
// stale version. A meeting with decisions stays held.
func (db *DB) UpdateMeeting(ctx context.Context, orgID, id int64, in isms.MeetingInput) (*isms.Meeting, error) {
	var m *isms.Meeting
	err := db.write(ctx, "UpdateMeeting", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.meeting(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateMeeting(&in, len(before.Decisions) > 0); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE forum_meetings SET meeting_date = ?, status = ?, venue = ?, minutes = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, in.Date.String(), string(in.Status), in.Venue, in.Minutes, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if err := tx.setAgenda(orgID, id, in.Agenda); err != nil {
			return err
		}
		if m, err = tx.meeting(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeMeeting, id, meetingRecord(before), meetingRecord(m))
	})
	return m, err
}

// DeleteMeeting removes a meeting without decisions and its agenda.
func (db *DB) DeleteMeeting(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteMeeting", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.meeting(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		if len(before.Decisions) > 0 {
			return isms.Errorf(isms.EConflict, "lead.err.meeting_delete_decisions", len(before.Decisions))
		}
		if _, err := tx.exec("DELETE FROM meeting_agenda_items WHERE organisation_id = ? AND meeting_id = ?", orgID, id); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "forum_meetings", typeMeeting, id, meetingRecord(before))
	})
}

// Decisions.

const decisionColumns = `d.id, d.organisation_id, d.meeting_id, m.meeting_date, f.name, d.text, d.owner_id, u.name, d.follow_up_by,
	d.status, d.follow_up_note, d.topics, d.version, d.created_at, d.updated_at`

const decisionFrom = ` FROM forum_decisions d JOIN forum_meetings m ON m.id = d.meeting_id JOIN forums f ON f.id = m.forum_id
	JOIN users u ON u.id = d.owner_id`

func scanDecision(row scanner) (*isms.Decision, error) {
	var d isms.Decision
	var day, status, topics string
	if err := row.Scan(&d.ID, &d.OrganisationID, &d.MeetingID, &day, &d.ForumName, &d.Text, &d.OwnerID, &d.OwnerName, scanDatePtr{&d.FollowUpBy},
		&status, &d.FollowUpNote, &topics, &d.Version, scanTime{&d.CreatedAt}, scanTime{&d.UpdatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("decision")
		}
		return nil, err
	}
	d.MeetingDate, _ = isms.ParseDate(day)
	d.Status, d.Topics = isms.FollowUp(status), splitTopics(topics)
	return &d, nil
}

func (tx *Tx) queryDecisions(where string, args []any, order string, limit, offset int) ([]*isms.Decision, error) {
	q := "SELECT " + decisionColumns + decisionFrom + where + order
	if limit > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, limit, offset)
	}
	return queryAll(tx, scanDecision, q, args...)
}

func (tx *Tx) decision(orgID, id int64) (*isms.Decision, error) {
	return scanDecision(tx.queryRow("SELECT "+decisionColumns+decisionFrom+" WHERE d.organisation_id = ? AND d.id = ?", orgID, id))
}

// validateDecision checks a decision's input: a decision always has an
// owner who is a member, and its topics are among the seven.
func (tx *Tx) validateDecision(orgID int64, in *isms.DecisionInput) error {
	in.Text = strings.TrimSpace(in.Text)
	var v isms.Validation
	requireText(&v, "decision", in.Text, 5000)
	if in.OwnerID == nil {
		v.Add("owner_id", "lead.err.owner_required")
	} else {
		tx.checkMember(&v, "owner_id", orgID, in.OwnerID)
	}
	if in.Status == "" {
		in.Status = isms.FollowUpOpen
	}
	if !in.Status.Valid() {
		v.Add("status", "err.choice")
	}
	checkText(&v, "follow_up_note", in.FollowUpNote, 5000)
	topics, bad := normTopics(in.Topics)
	if bad != "" {
		v.Add("management_topics", "lead.err.unknown_topic", bad)
	}
	in.Topics = topics
	return v.Err()
}

// decisionRecord is a decision as the audit trail keeps it.
func decisionRecord(d *isms.Decision) map[string]any {
	return map[string]any{"decision": d.Text, "owner": d.OwnerName, "follow_up_by": d.FollowUpBy, "status": d.Status,
		"follow_up_note": d.FollowUpNote, "management_topics": d.Topics, "meeting_id": d.MeetingID}
}

// Decisions lists decisions by follow-up date (those without one last),
// filtered.
func (db *DB) Decisions(ctx context.Context, orgID int64, f isms.DecisionFilter) ([]*isms.Decision, int, error) {
	var out []*isms.Decision
	var total int
	err := db.read(ctx, "Decisions", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		where := " WHERE d.organisation_id = ?"
		args := []any{orgID}
		if f.Status != "" {
			where += " AND d.status = ?"
			args = append(args, string(f.Status))
		}
		if f.Open || f.Overdue || f.DueBefore != nil {
			where += " AND d.status <> 'done'"
		}
		if f.Overdue {
			where += " AND d.follow_up_by < ?"
			args = append(args, tx.Today().String())
		}
		if f.DueBefore != nil {
			where += " AND d.follow_up_by <= ?"
			args = append(args, f.DueBefore.String())
		}
		if f.OwnerID != 0 {
			where += " AND d.owner_id = ?"
			args = append(args, f.OwnerID)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*)"+decisionFrom+where, args...); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		out, err = tx.queryDecisions(where, args, " ORDER BY CASE WHEN d.follow_up_by IS NULL THEN 1 ELSE 0 END, d.follow_up_by, m.meeting_date DESC, d.id",
			limit, f.Offset)
		return err
	})
	return out, total, err
}

// Decision reads one decision.
func (db *DB) Decision(ctx context.Context, orgID, id int64) (*isms.Decision, error) {
	return view(db, ctx, "Decision", orgID, func(tx *Tx) (*isms.Decision, error) { return tx.decision(orgID, id) })
}

// CreateDecision records a decision of a held meeting.
func (db *DB) CreateDecision(ctx context.Context, orgID, meetingID int64, in isms.DecisionInput) (*isms.Decision, error) {
	var d *isms.Decision
	err := db.write(ctx, "CreateDecision", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		m, err := scanMeeting(tx.queryRow("SELECT "+meetingColumns+meetingFrom+" WHERE m.organisation_id = ? AND m.id = ?", orgID, meetingID))
		if err != nil {
			return err
		}
		if m.Status != isms.MeetingHeld {
			return isms.Errorf(isms.EInvalid, "lead.err.decision_needs_held")
		}
		if err := tx.validateDecision(orgID, &in); err != nil {
			return err
		}
		now := ts(tx.now)
		id, err := tx.insert(`INSERT INTO forum_decisions (organisation_id, meeting_id, text, owner_id, follow_up_by, status, follow_up_note, topics,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			orgID, meetingID, in.Text, *in.OwnerID, dateArg(in.FollowUpBy), string(in.Status), in.FollowUpNote, joinTopics(in.Topics), now, now)
		if err != nil {
			return err
		}
		if d, err = tx.decision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "create", typeDecision, id, nil, decisionRecord(d))
	})
	return d, err
}

// UpdateDecision changes a decision as recorded, refusing a stale version.
func (db *DB) UpdateDecision(ctx context.Context, orgID, id int64, in isms.DecisionInput) (*isms.Decision, error) {
	var d *isms.Decision
	err := db.write(ctx, "UpdateDecision", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.decision(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		if err := tx.validateDecision(orgID, &in); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE forum_decisions SET text = ?, owner_id = ?, follow_up_by = ?, status = ?, follow_up_note = ?, topics = ?,
			version = version + 1, updated_at = ? WHERE organisation_id = ? AND id = ?`,
			in.Text, *in.OwnerID, dateArg(in.FollowUpBy), string(in.Status), in.FollowUpNote, joinTopics(in.Topics), ts(tx.now), orgID, id); err != nil {
			return err
		}
		if d, err = tx.decision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "update", typeDecision, id, decisionRecord(before), decisionRecord(d))
	})
	return d, err
}

// RecordFollowUp records how a decision stands. The coordinator may, and
// so may the decision's owner whatever their role: the owner answers for
// carrying it out and is the one who knows.
func (db *DB) RecordFollowUp(ctx context.Context, orgID, id int64, in isms.FollowUpInput) (*isms.Decision, error) {
	var d *isms.Decision
	err := db.write(ctx, "RecordFollowUp", func(tx *Tx) error {
		a, err := tx.require(orgID, isms.PermView)
		if err != nil {
			return err
		}
		before, err := tx.decision(orgID, id)
		if err != nil {
			return err
		}
		owner := a.AssignedTo(tx.actor.UserID, &before.OwnerID)
		if !a.Can(isms.PermEdit) && !owner {
			return isms.Errorf(isms.EForbidden, "lead.err.not_decision_owner")
		}
		if err := checkVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		if !in.Status.Valid() {
			v.Add("status", "err.choice")
		}
		checkText(&v, "follow_up_note", in.FollowUpNote, 5000)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE forum_decisions SET status = ?, follow_up_note = ?, version = version + 1, updated_at = ?
			WHERE organisation_id = ? AND id = ?`, string(in.Status), in.FollowUpNote, ts(tx.now), orgID, id); err != nil {
			return err
		}
		if d, err = tx.decision(orgID, id); err != nil {
			return err
		}
		return tx.audit(orgID, "record_follow_up", typeDecision, id, decisionRecord(before), decisionRecord(d))
	})
	return d, err
}

// DeleteDecision removes a decision recorded by mistake.
func (db *DB) DeleteDecision(ctx context.Context, orgID, id, version int64) error {
	return db.write(ctx, "DeleteDecision", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.decision(orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, version); err != nil {
			return err
		}
		return tx.deleteRecord(orgID, "forum_decisions", typeDecision, id, decisionRecord(before))
	})
}

// Reports to the other elements.

func meetingPath(id int64) string { return "/leadership/meetings/" + strconv.FormatInt(id, 10) }

func decisionPath(id int64) string { return "/leadership/decisions/" + strconv.FormatInt(id, 10) }

// clip shortens a text for a label.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// forumTopicActivities reports the committee's dealings with the seven
// topics: each decision of a held meeting and each agenda item of a held
// meeting as dealt with on the meeting day, each agenda item of a planned
// meeting as planned for that day. Cancelled meetings report nothing.
func forumTopicActivities(tx *Tx, orgID int64) ([]isms.TopicActivity, error) {
	var out []isms.TopicActivity
	// Each query reads (meeting, day, meeting status, forum, text, topics).
	for _, q := range []string{`SELECT m.id, m.meeting_date, m.status, f.name, a.title, a.topics
		FROM meeting_agenda_items a JOIN forum_meetings m ON m.id = a.meeting_id JOIN forums f ON f.id = m.forum_id
		WHERE a.organisation_id = ? AND m.status IN ('held', 'planned') AND a.topics <> '' ORDER BY m.meeting_date, a.position`,
		`SELECT m.id, m.meeting_date, m.status, f.name, d.text, d.topics
		FROM forum_decisions d JOIN forum_meetings m ON m.id = d.meeting_id JOIN forums f ON f.id = m.forum_id
		WHERE d.organisation_id = ? AND m.status = 'held' AND d.topics <> '' ORDER BY m.meeting_date, d.id`,
	} {
		err := tx.queryEach(q, []any{orgID}, func(row scanner) error {
			var mid int64
			var day, status, forum, text, topics string
			if err := row.Scan(&mid, &day, &status, &forum, &text, &topics); err != nil {
				return err
			}
			out = append(out, meetingTopicActivities(mid, day, status == string(isms.MeetingHeld), fmt.Sprintf("%s: %s", forum, clip(text, 120)), topics)...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func meetingTopicActivities(meetingID int64, day string, done bool, label, topics string) []isms.TopicActivity {
	d, err := isms.ParseDate(day)
	if err != nil {
		return nil
	}
	var out []isms.TopicActivity
	for _, t := range splitTopics(topics) {
		out = append(out, isms.TopicActivity{Topic: t, Day: d, Done: done, Label: label,
			Evidence: isms.Evidence{RecordType: typeMeeting, RecordID: meetingID, Label: label, Path: meetingPath(meetingID)}})
	}
	return out
}

// forumScheduledItems puts the forums' meetings (held and planned) and the
// decisions' follow-up dates in the annual wheel's calendar.
func forumScheduledItems(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	var out []isms.ScheduledItem
	err := tx.queryEach(`SELECT m.id, m.meeting_date, m.status, f.name FROM forum_meetings m JOIN forums f ON f.id = m.forum_id
		WHERE m.organisation_id = ? AND m.status <> 'cancelled' AND m.meeting_date >= ? AND m.meeting_date <= ? ORDER BY m.meeting_date`,
		[]any{orgID, from.String(), to.String()}, func(row scanner) error {
			var id int64
			var day, status, forum string
			if err := row.Scan(&id, &day, &status, &forum); err != nil {
				return err
			}
			d, _ := isms.ParseDate(day)
			out = append(out, isms.ScheduledItem{Day: d, Label: forum, Kind: "lead.schedule.meeting", Done: status == string(isms.MeetingHeld),
				Evidence: isms.Evidence{RecordType: typeMeeting, RecordID: id, Label: forum, Path: meetingPath(id)}})
			return nil
		})
	if err != nil {
		return nil, err
	}
	ds, err := tx.queryDecisions(" WHERE d.organisation_id = ? AND d.follow_up_by >= ? AND d.follow_up_by <= ?",
		[]any{orgID, from.String(), to.String()}, " ORDER BY d.follow_up_by, d.id", 0, 0)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		label := clip(d.Text, 120)
		out = append(out, isms.ScheduledItem{Day: *d.FollowUpBy, Label: label, Kind: "lead.schedule.decision", Done: d.Status == isms.FollowUpDone,
			Evidence: isms.Evidence{RecordType: typeDecision, RecordID: d.ID, Label: label, Path: decisionPath(d.ID)}})
	}
	return out, nil
}
