package demo_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo municipality's leadership and communication plan answer
// checklist questions 2.1, 2.2, 5.1 and 5.2 yes from the records, and the
// records behind them are complete.
func TestFillAnswersTheLeadershipAndCommunicationQuestions(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		answers, err := db.Checklist(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range answers {
			switch a.QuestionID {
			case "2.1", "2.2", "5.1", "5.2":
				if a.Status != isms.AnswerYes || a.Source != isms.SourceRecords || len(a.Evidence) == 0 {
					t.Errorf("question %s: %s from %s, reasons %v", a.QuestionID, a.Status, a.Source, a.Reasons)
				}
			}
		}

		// Every offered role is there and held by a member; the matrix is
		// complete and approved by management.
		l, err := db.RolesList(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		own := 0
		for _, r := range l.Roles {
			have[r.TemplateKey] = true
			if r.TemplateKey == "" {
				own++
			}
			if r.Vacant() || r.Description == "" {
				t.Errorf("role %q: vacant %v, description %q", r.Name, r.Vacant(), r.Description)
			}
			if r.TemplateKey == "system_owner" && len(r.SystemIDs) < 4 {
				t.Errorf("system owners own %d systems", len(r.SystemIDs))
			}
		}
		for _, k := range isms.RoleTemplates {
			if !have[k] {
				t.Errorf("no role %s", k)
			}
		}
		if own == 0 {
			t.Error("no role of the municipality's own")
		}
		if len(l.Activities) != len(isms.ActivityTemplates) || !l.Complete() || !l.Approved() || l.ApprovedBy == nil ||
			*l.ApprovedBy != d.Users[isms.RoleManagement].ID {
			t.Errorf("matrix: %d activities, complete %v, approved %v", len(l.Activities), l.Complete(), l.Approved())
		}
		for _, a := range l.Activities {
			responsible := false
			for _, r := range l.Roles {
				responsible = responsible || l.Cell(a.ID, r.ID).Responsible()
			}
			if !responsible {
				t.Errorf("no role does the work of %q", a.Name)
			}
		}

		// The committee: members and chair, held meetings with minutes and
		// decisions in the past year covering the seven topics, planned
		// meetings covering them in the year ahead.
		forums, err := db.Forums(reader, d.Org.ID)
		if err != nil || len(forums) != 1 || forums[0].Name != "Informationssikkerhedsudvalget" || forums[0].ChairID == nil ||
			len(forums[0].Members) < 4 || forums[0].Mandate == "" {
			t.Fatalf("forums %+v %v", forums, err)
		}
		meetings, _, err := db.Meetings(reader, d.Org.ID, isms.MeetingFilter{ForumID: forums[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		yearAgo, yearAhead := d.Today.AddDays(-365), d.Today.AddDays(365)
		heldTopics, plannedTopics := map[string]bool{}, map[string]bool{}
		held, planned := 0, 0
		for _, m := range meetings {
			switch m.Status {
			case isms.MeetingHeld:
				held++
				if m.Date.Before(yearAgo) || d.Today.Before(m.Date) || m.Minutes == "" || len(m.Decisions) == 0 {
					t.Errorf("held meeting %s: minutes %d chars, %d decisions", m.Date, len(m.Minutes), len(m.Decisions))
				}
				for _, dec := range m.Decisions {
					for _, tp := range dec.Topics {
						heldTopics[tp] = true
					}
				}
			case isms.MeetingPlanned:
				planned++
				if m.Date.Before(d.Today) || yearAhead.Before(m.Date) {
					t.Errorf("planned meeting %s outside the coming year", m.Date)
				}
				for _, tp := range m.Topics() {
					plannedTopics[tp] = true
				}
			}
		}
		if held < 4 || planned < 4 {
			t.Errorf("%d held and %d planned meetings", held, planned)
		}
		for _, tp := range isms.ManagementTopics {
			if !heldTopics[tp] || !plannedTopics[tp] {
				t.Errorf("topic %s: decided on %v, planned %v", tp, heldTopics[tp], plannedTopics[tp])
			}
		}
		status, err := db.ManagementTopicStatus(reader, d.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range status {
			if s.Last == nil || s.Next == nil {
				t.Errorf("topic %s: last %v next %v", s.Topic, s.Last, s.Next)
			}
		}
		// Decisions were followed up by their owners, and none is overdue.
		if _, n, err := db.Decisions(reader, d.Org.ID, isms.DecisionFilter{Overdue: true}); err != nil || n != 0 {
			t.Errorf("%d overdue decisions (%v)", n, err)
		}
		if _, n, _ := db.Decisions(reader, d.Org.ID, isms.DecisionFilter{Status: isms.FollowUpDone}); n < 5 {
			t.Errorf("%d decisions done", n)
		}

		// The plan covers every typical case, internal and external, all
		// active and acknowledged by the person responsible.
		entries, total, err := db.CommunicationEntries(reader, d.Org.ID, isms.CommunicationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		cases, dirs := map[string]bool{}, map[isms.Direction]bool{}
		for _, e := range entries {
			cases[e.CaseKey] = true
			dirs[e.Direction] = true
			if e.Status != isms.StatusActive || !e.Acknowledged() || e.Audience == "" || e.Channel == "" || e.SenderRoleID == nil {
				t.Errorf("entry %q: %+v", e.What, e)
			}
		}
		for _, c := range isms.CommunicationCases {
			if !cases[c.Key] {
				t.Errorf("the plan lacks the case %s", c.Key)
			}
		}
		if total < len(isms.CommunicationCases) || !dirs[isms.DirectionInternal] || !dirs[isms.DirectionExternal] {
			t.Errorf("%d entries, directions %v", total, dirs)
		}
		// Each acknowledgement was made by the responsible person.
		for _, e := range entries {
			events, _, err := db.AuditEvents(d.As(isms.RoleAuditor), d.Org.ID, isms.AuditFilter{RecordType: "communication_entry", RecordID: e.ID})
			if err != nil || len(events) == 0 || events[0].Action != "acknowledge_responsibility" || events[0].ActorID != *e.ResponsibleID {
				t.Errorf("acknowledgement of %q: %+v %v", e.What, events, err)
			}
		}
		if _, breaks, err := db.VerifyAudit(context.Background()); err != nil || len(breaks) > 0 {
			t.Fatalf("audit: %v %v", breaks, err)
		}
	})
}
