package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// untranslatedLead also catches this element's own catalogue families.
var untranslatedLead = regexp.MustCompile(`\b(lead|comm|topic|ui|title|nav|field|status|role|answer|phase|action|record|err|flash|reason|rule)\.[a-z_0-9.]+[a-z]\b`)

// leadRecords is what leadFill made.
type leadRecords struct {
	coord, mgmt, contrib, reader *isms.User
	roles                        []*isms.SecurityRole
	acts                         []*isms.ISMSActivity
	list                         *isms.RolesList
	forum                        *isms.Forum
	held, planned                *isms.Meeting
	decision                     *isms.Decision
	comm                         *isms.CommunicationEntry
}

// leadFill records roles, a complete matrix, a committee with a held and a
// planned meeting, a decision and an entry of the communication plan.
func (e *env) leadFill() *leadRecords {
	e.t.Helper()
	l := &leadRecords{coord: e.member("coord@example.org", e.org, isms.RoleCoordinator), mgmt: e.member("mgmt@example.org", e.org, isms.RoleManagement),
		contrib: e.member("contrib@example.org", e.org, isms.RoleContributor), reader: e.member("reader@example.org", e.org, isms.RoleReader)}
	ctx := e.as(l.coord)
	sys, err := e.db.CreateOverviewEntry(ctx, e.org.ID, isms.OverviewEntryInput{Kind: isms.KindSystem, Name: "ESDH"})
	if err != nil {
		e.t.Fatal(err)
	}
	if l.roles, err = e.db.CreateSecurityRoles(ctx, e.org.ID, []isms.SecurityRoleInput{
		{TemplateKey: "top_management", Name: "Direktionen", HolderIDs: []int64{l.mgmt.ID}},
		{TemplateKey: "coordinator", Name: "Koordinator", HolderIDs: []int64{l.coord.ID}, DeputyIDs: []int64{l.contrib.ID}},
		{TemplateKey: "system_owner", Name: "Systemejer", HolderIDs: []int64{l.contrib.ID}, SystemIDs: []int64{sys.ID}},
	}); err != nil {
		e.t.Fatal(err)
	}
	if l.acts, err = e.db.CreateISMSActivities(ctx, e.org.ID, []isms.ISMSActivityInput{
		{TemplateKey: "policy", Name: "Politik"}, {TemplateKey: "risk_assessment", Name: "Risikovurdering"}}); err != nil {
		e.t.Fatal(err)
	}
	cell := func(a, r int, v isms.RACI) isms.MatrixCell {
		return isms.MatrixCell{ActivityID: l.acts[a].ID, RoleID: l.roles[r].ID, Value: v}
	}
	if l.list, err = e.db.SaveMatrix(ctx, e.org.ID, isms.MatrixInput{Version: 5, Cells: []isms.MatrixCell{
		cell(0, 0, isms.RACIAccountable), cell(0, 1, isms.RACIResponsible), cell(1, 1, isms.RACIAccountableResponsible), cell(1, 2, isms.RACIConsulted)}}); err != nil {
		e.t.Fatal(err)
	}
	if l.forum, err = e.db.CreateForum(ctx, e.org.ID, isms.ForumInput{Name: "Informationssikkerhedsudvalget", Mandate: "Koordinerer",
		ChairID: &l.mgmt.ID, MemberIDs: []int64{l.coord.ID}}); err != nil {
		e.t.Fatal(err)
	}
	today := isms.DateOf(e.db.Now())
	past, future, overdue := today.AddDays(-20), today.AddDays(40), today.AddDays(-2)
	if l.held, err = e.db.CreateMeeting(ctx, e.org.ID, l.forum.ID, isms.MeetingInput{Date: &past, Status: isms.MeetingHeld, Minutes: "Referat",
		Agenda: []isms.AgendaItemInput{{Title: "Risikoaccept", Topics: []string{"objectives"}}}}); err != nil {
		e.t.Fatal(err)
	}
	if l.planned, err = e.db.CreateMeeting(ctx, e.org.ID, l.forum.ID, isms.MeetingInput{Date: &future,
		Agenda: []isms.AgendaItemInput{{Title: "Politikrevision", Topics: []string{"policies"}}}}); err != nil {
		e.t.Fatal(err)
	}
	if l.decision, err = e.db.CreateDecision(ctx, e.org.ID, l.held.ID, isms.DecisionInput{Text: "Restrisici accepteres", OwnerID: &l.contrib.ID,
		FollowUpBy: &overdue, Topics: []string{"objectives"}}); err != nil {
		e.t.Fatal(err)
	}
	if l.comm, err = e.db.CreateCommunicationEntry(ctx, e.org.ID, isms.CommunicationEntryInput{CaseKey: "staff_notice", What: "Phishingvarsel",
		Timing: isms.TimingEvent, TriggerEvent: "Ny phishingkampagne", Audience: "Alle medarbejdere", Channel: "Intranet",
		Direction: isms.DirectionInternal, Sensitivity: isms.SensitivityInternal, ResponsibleID: &l.contrib.ID, Status: isms.StatusActive}); err != nil {
		e.t.Fatal(err)
	}
	return l
}

func TestLeadershipPagesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	pages := []string{o + "/leadership/roles", o + "/leadership/roles/new", fmt.Sprintf("%s/leadership/roles/%d", o, l.roles[2].ID),
		fmt.Sprintf("%s/leadership/roles/%d/edit", o, l.roles[2].ID), o + "/leadership/matrix",
		fmt.Sprintf("%s/leadership/activities/%d/edit", o, l.acts[0].ID), o + "/leadership/topics", o + "/leadership/forums",
		o + "/leadership/forums/new", fmt.Sprintf("%s/leadership/forums/%d", o, l.forum.ID), fmt.Sprintf("%s/leadership/forums/%d/edit", o, l.forum.ID),
		fmt.Sprintf("%s/leadership/forums/%d/meetings/new", o, l.forum.ID), fmt.Sprintf("%s/leadership/meetings/%d", o, l.held.ID),
		fmt.Sprintf("%s/leadership/meetings/%d", o, l.planned.ID), fmt.Sprintf("%s/leadership/meetings/%d/edit", o, l.held.ID),
		o + "/leadership/decisions", o + "/leadership/decisions?open=1&overdue=1", fmt.Sprintf("%s/leadership/decisions/%d", o, l.decision.ID),
		fmt.Sprintf("%s/leadership/decisions/%d/edit", o, l.decision.ID),
		o + "/communication", o + "/communication?direction=internal&sort=-what", o + "/communication/new",
		fmt.Sprintf("%s/communication/entries/%d", o, l.comm.ID), fmt.Sprintf("%s/communication/entries/%d/edit", o, l.comm.ID), o}
	for _, who := range []string{"admin@example.org", "contrib@example.org", "reader@example.org"} {
		b := e.login(who)
		b.pagesRender(t, pages, untranslatedLead)
	}
	// The navigation offers 2.2 and 2.7 as elements, and 2.2's pages as
	// its tabs.
	reader := e.login("reader@example.org")
	html := body(reader.get(o))
	for _, p := range []string{`href="` + o + `/documents/leadership" data-element="leadership"`, `href="` + o + `/communication" data-element="communication"`} {
		if !strings.Contains(html, p) {
			t.Errorf("navigation lacks %s", p)
		}
	}
	html = body(reader.get(o + "/leadership/forums"))
	for _, p := range []string{"/documents/leadership", "/leadership/roles", "/leadership/matrix", "/leadership/forums", "/leadership/decisions", "/leadership/topics"} {
		if !strings.Contains(html, `href="`+o+p+`" data-tab="`+p+`"`) {
			t.Errorf("leadership's tabs lack %s", p)
		}
	}
}

// Keys built from domain values exist in both languages.
func TestLeadershipCatalogueComplete(t *testing.T) {
	var keys []string
	for _, k := range isms.RoleTemplates {
		keys = append(keys, "lead.role."+k, "lead.role."+k+".desc")
	}
	for _, k := range isms.ActivityTemplates {
		keys = append(keys, "lead.activity."+k, "lead.activity."+k+".desc")
	}
	for _, v := range isms.RACIValues {
		keys = append(keys, "lead.raci."+string(v))
	}
	for _, s := range isms.MeetingStatuses {
		keys = append(keys, "lead.meeting."+string(s))
	}
	for _, s := range isms.FollowUps {
		keys = append(keys, "lead.follow_up."+string(s))
	}
	for _, tp := range isms.ManagementTopics {
		keys = append(keys, "lead.topic."+tp+".help")
	}
	for _, c := range isms.CommunicationCases {
		for _, part := range []string{"", ".help", ".key_points", ".trigger", ".response_time", ".audience", ".channel"} {
			keys = append(keys, "comm.case."+c.Key+part)
		}
	}
	for _, d := range isms.Directions {
		keys = append(keys, "comm.direction."+string(d), "comm.dir."+string(d))
	}
	for _, s := range isms.Sensitivities {
		keys = append(keys, "comm.sensitivity."+string(s))
	}
	for _, tm := range isms.Timings {
		keys = append(keys, "comm.timing."+string(tm))
	}
	for _, c := range []string{"email", "intranet", "digital_post", "meeting", "website", "phone", "press", "report"} {
		keys = append(keys, "comm.channel."+c)
	}
	for _, r := range []string{"security_role", "isms_activity", "raci_matrix", "roles_list", "forum", "forum_meeting", "forum_decision", "communication_entry"} {
		keys = append(keys, "record."+r)
	}
	keys = append(keys, "action.record_follow_up", "action.acknowledge_responsibility", "rule.5.1", "rule.5.2",
		"lead.schedule.meeting", "lead.schedule.decision")
	for _, k := range keys {
		da, en := i18n.Raw(i18n.Key(k))
		if da == "" || en == "" {
			t.Errorf("catalogue lacks %s (da %q, en %q)", k, da, en)
		}
	}
}

// The matrix is edited in one form, saved in one transaction; an activity
// without an accountable role, or with two, is refused with the activity
// named, the submitted grid kept, and nothing stored.
func TestMatrixFormRefusesAndKeepsInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	b := e.login("coord@example.org")
	b.lang = "en"
	path := fmt.Sprintf("/orgs/%d/leadership/matrix", e.org.ID)
	cellName := func(a, r int) string { return fmt.Sprintf("cell_%d_%d", l.acts[a].ID, l.roles[r].ID) }
	form := func(version int64, cells map[string]string) url.Values {
		v := url.Values{"matrix": {"1"}, "version": {strconv.FormatInt(version, 10)}}
		for k, x := range cells {
			v.Set(k, x)
		}
		return v
	}
	events := leadAuditTotal(e)
	two := form(l.list.Version, map[string]string{cellName(0, 0): "A", cellName(0, 1): "A", cellName(1, 1): "AR"})
	res := b.post(path, two)
	html := body(res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "More than one role is accountable (A) for: Politik") {
		t.Fatalf("two accountable: %d\n%s", res.StatusCode, html)
	}
	// The submitted values are kept in the grid.
	if !regexp.MustCompile(`name="` + cellName(0, 1) + `">\s*<option value="">–</option>\s*(<option[^>]*>[A-Z]+</option>)*<option value="A" selected>`).MatchString(html) {
		t.Errorf("the submitted A of the coordinator is not kept")
	}
	none := form(l.list.Version, map[string]string{cellName(0, 0): "A", cellName(1, 1): "R"})
	res = b.post(path, none)
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "No role is accountable (A) for: Risikovurdering") {
		t.Fatalf("no accountable: %d\n%s", res.StatusCode, html)
	}
	stale := form(l.list.Version-1, map[string]string{cellName(0, 0): "A", cellName(1, 1): "A"})
	if res := b.post(path, stale); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	if got, _ := e.db.RolesList(e.as(e.admin), e.org.ID); got.Version != l.list.Version || len(got.Cells) != len(l.list.Cells) {
		t.Fatalf("refused saves changed the matrix: %+v", got)
	}
	if n := leadAuditTotal(e); n != events {
		t.Fatalf("refused saves wrote %d audit events", n-events)
	}
	// A refused new activity shows the grid again with its own version, so
	// the grid can still be saved.
	res = b.post(fmt.Sprintf("/orgs/%d/leadership/activities", e.org.ID), url.Values{"name": {" "}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(html, fmt.Sprintf(`name="version" value="%d"`, l.list.Version)) {
		t.Fatalf("refused activity: %d\n%s", res.StatusCode, html)
	}
	ok := form(l.list.Version, map[string]string{cellName(0, 0): "A", cellName(0, 2): "I", cellName(1, 1): "A", cellName(1, 2): "R"})
	if res := b.post(path, ok); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, body(res))
	}
	got, _ := e.db.RolesList(e.as(e.admin), e.org.ID)
	if got.Cell(l.acts[0].ID, l.roles[2].ID) != isms.RACIInformed || got.Cell(l.acts[0].ID, l.roles[1].ID) != "" || len(got.Cells) != 4 {
		t.Fatalf("saved %+v", got.Cells)
	}
	if n := leadAuditTotal(e); n != events+1 {
		t.Fatalf("one save wrote %d audit events", n-events)
	}
	// Readers and management see the grid without selects and cannot save.
	for _, who := range []string{"reader@example.org", "mgmt@example.org"} {
		rb := e.login(who)
		if html := body(rb.get(path)); strings.Contains(html, "<select") {
			t.Errorf("%s is offered the editable grid", who)
		}
		if res := rb.post(path, ok); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s saved the matrix: %d", who, res.StatusCode)
		}
	}
}

func leadAuditTotal(e *env) int {
	_, n, err := e.db.AuditEvents(e.as(e.admin), e.org.ID, isms.AuditFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// Management approves the list from the roles page; the coordinator is
// not offered the button and is refused.
func TestRolesApprovalThroughTheUI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	path := fmt.Sprintf("/orgs/%d/leadership/roles", e.org.ID)
	cb := e.login("coord@example.org")
	if strings.Contains(body(cb.get(path)), "/leadership/roles/approve") {
		t.Error("the coordinator is offered approval")
	}
	if res := cb.post(path+"/approve", url.Values{"version": {strconv.FormatInt(l.list.Version, 10)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator approval: %d", res.StatusCode)
	}
	mb := e.login("mgmt@example.org")
	mb.lang = "en"
	if !strings.Contains(body(mb.get(path)), "/leadership/roles/approve") {
		t.Fatal("management is not offered approval")
	}
	if res := mb.post(path+"/approve", url.Values{"version": {strconv.FormatInt(l.list.Version-1, 10)}}); res.StatusCode != http.StatusConflict {
		t.Errorf("stale approval: %d", res.StatusCode)
	}
	if res := mb.post(path+"/approve", url.Values{"version": {strconv.FormatInt(l.list.Version, 10)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approval: %d", res.StatusCode)
	}
	if html := body(mb.get(path)); !strings.Contains(html, "Approved by User mgmt@example.org") {
		t.Errorf("approval not shown:\n%s", html)
	}
}

// Offered roles and activities are added with one click, in the reader's
// language.
func TestTemplatesAddedWithOneClick(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("coord@example.org", e.org, isms.RoleCoordinator)
	b := e.login("coord@example.org")
	b.lang = "da"
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	if res := b.post(o+"/leadership/roles/templates", url.Values{"template_key": {"dpo"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("one role: %d %s", res.StatusCode, body(res))
	}
	if res := b.post(o+"/leadership/roles/templates", url.Values{"template_key": {"all"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("all roles: %d", res.StatusCode)
	}
	roles, _ := e.db.SecurityRoles(e.as(e.admin), e.org.ID)
	if len(roles) != len(isms.RoleTemplates) || roles[0].Name != "Den øverste ledelse" || roles[0].Description == "" {
		t.Fatalf("roles %d, first %+v", len(roles), roles[0])
	}
	// A second click on an added one is refused, nothing added.
	if res := b.post(o+"/leadership/roles/templates", url.Values{"template_key": {"dpo"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("again: %d", res.StatusCode)
	}
	b.lang = "en"
	if res := b.post(o+"/leadership/activities/templates", url.Values{"template_key": {"all"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("activities: %d", res.StatusCode)
	}
	acts, _ := e.db.ISMSActivities(e.as(e.admin), e.org.ID)
	if len(acts) != len(isms.ActivityTemplates) || acts[0].Name != "Information security policy" {
		t.Fatalf("activities %d %+v", len(acts), acts[0])
	}
}

// The meeting form saves the agenda with its topics in one go; a decision
// without owner is refused on the meeting page with the form kept.
func TestMeetingAndDecisionForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	b := e.login("coord@example.org")
	b.lang = "en"
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	today := isms.DateOf(e.db.Now())
	res := b.post(fmt.Sprintf("%s/leadership/forums/%d/meetings", o, l.forum.ID), url.Values{"version": {"0"},
		"meeting_date": {today.AddDays(90).String()}, "status": {"planned"}, "venue": {"Rådhuset"},
		"agenda_title_0": {"Ressourcer 2027"}, "agenda_topics_0": {"resources", "objectives"},
		"agenda_title_1": {""}, "agenda_notes_1": {""},
		"agenda_title_2": {"Roller"}, "agenda_topics_2": {"roles"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new meeting: %d %s", res.StatusCode, body(res))
	}
	id, _ := strconv.ParseInt(res.Header.Get("Location")[strings.LastIndex(res.Header.Get("Location"), "/")+1:], 10, 64)
	m, err := e.db.Meeting(e.as(e.admin), e.org.ID, id)
	if err != nil || len(m.Agenda) != 2 || strings.Join(m.Agenda[0].Topics, ",") != "objectives,resources" || m.Venue != "Rådhuset" {
		t.Fatalf("meeting %+v %v", m, err)
	}
	// An unknown topic is refused with the form kept.
	res = b.post(fmt.Sprintf("%s/leadership/meetings/%d", o, id), url.Values{"version": {strconv.FormatInt(m.Version, 10)},
		"meeting_date": {m.Date.String()}, "status": {"planned"}, "agenda_title_0": {"Budget"}, "agenda_topics_0": {"budget"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "“budget” is not one of management") ||
		!strings.Contains(html, `value="Budget"`) {
		t.Fatalf("unknown topic: %d\n%s", res.StatusCode, html)
	}
	// Held in the future is refused.
	res = b.post(fmt.Sprintf("%s/leadership/meetings/%d", o, id), url.Values{"version": {strconv.FormatInt(m.Version, 10)},
		"meeting_date": {m.Date.String()}, "status": {"held"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "day still to come") {
		t.Fatalf("held in future: %d", res.StatusCode)
	}
	before := leadAuditTotal(e)
	res = b.post(fmt.Sprintf("%s/leadership/meetings/%d/decisions", o, l.held.ID), url.Values{"decision": {"Ny beredskabsplan"},
		"owner_id": {""}, "management_topics": {"organisation"}})
	if html := body(res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "A decision needs an owner") ||
		!strings.Contains(html, "Ny beredskabsplan") {
		t.Fatalf("decision without owner: %d\n%s", res.StatusCode, html)
	}
	if leadAuditTotal(e) != before {
		t.Fatal("a refused decision was stored")
	}
	res = b.post(fmt.Sprintf("%s/leadership/meetings/%d/decisions", o, l.held.ID), url.Values{"decision": {"Ny beredskabsplan"},
		"owner_id": {strconv.FormatInt(l.coord.ID, 10)}, "follow_up_by": {today.AddDays(30).String()}, "management_topics": {"organisation"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decision: %d %s", res.StatusCode, body(res))
	}
	held, _ := e.db.Meeting(e.as(e.admin), e.org.ID, l.held.ID)
	if len(held.Decisions) != 2 {
		t.Fatalf("decisions %+v", held.Decisions)
	}

	// The decision's owner, a contributor, records the follow-up; a
	// reader may not.
	path := fmt.Sprintf("%s/leadership/decisions/%d/follow-up", o, l.decision.ID)
	rb := e.login("reader@example.org")
	if !strings.Contains(body(e.login("contrib@example.org").get(fmt.Sprintf("%s/leadership/decisions/%d", o, l.decision.ID))), "/follow-up") {
		t.Error("the owner is not offered the follow-up form")
	}
	if strings.Contains(body(rb.get(fmt.Sprintf("%s/leadership/decisions/%d", o, l.decision.ID))), "/follow-up") {
		t.Error("a reader is offered the follow-up form")
	}
	if res := rb.post(path, url.Values{"status": {"done"}, "version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("reader follow-up: %d", res.StatusCode)
	}
	cb := e.login("contrib@example.org")
	if res := cb.post(path, url.Values{"status": {"done"}, "follow_up_note": {"Accepteret i referat"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner follow-up: %d %s", res.StatusCode, body(res))
	}
	if res := cb.post(path, url.Values{"status": {"open"}, "version": {"1"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("stale follow-up: %d", res.StatusCode)
	}
	d, _ := e.db.Decision(e.as(e.admin), e.org.ID, l.decision.ID)
	if d.Status != isms.FollowUpDone || d.FollowUpNote != "Accepteret i referat" {
		t.Fatalf("decision %+v", d)
	}
}

// The topics page shows when management last dealt with and next plans
// each topic, with links to the meetings.
func TestTopicsPageAndDashboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	b := e.login("contrib@example.org")
	b.lang = "en"
	o := fmt.Sprintf("/orgs/%d", e.org.ID)
	html := body(b.get(o + "/leadership/topics"))
	if !strings.Contains(html, fmt.Sprintf(`href="%s/leadership/meetings/%d"`, o, l.held.ID)) ||
		!strings.Contains(html, fmt.Sprintf(`href="%s/leadership/meetings/%d"`, o, l.planned.ID)) || !strings.Contains(html, "Not planned") {
		t.Fatalf("topics page:\n%s", html)
	}
	// The contributor's dashboard shows their overdue decision and the
	// entry waiting for their acknowledgement; the reader's shows the
	// decision only.
	dash := body(b.get(o))
	for _, want := range []string{"Decision to follow up", "Restrisici accepteres", "Communication responsibility to acknowledge", "Phishingvarsel"} {
		if !strings.Contains(dash, want) {
			t.Errorf("contributor's dashboard lacks %q", want)
		}
	}
	rdash := body(e.login("reader@example.org").get(o))
	if !strings.Contains(rdash, "Restrisici accepteres") || strings.Contains(rdash, "Phishingvarsel") {
		t.Errorf("reader's dashboard is wrong")
	}
}

// A member of another organisation gets 404 from every leadership and
// communication page and API operation, and changes nothing.
func TestLeadershipCrossOrganisationRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := e.leadFill()
	other := mustOrgFor(t, e, "Nabokommune")
	e.member("alice@a.example", other, isms.RoleAdministrator)
	alice, _ := e.db.UserByEmail(e.as(e.admin), "alice@a.example")
	b := e.login("alice@a.example")
	tok := e.token(alice)
	B := e.org.ID
	events := leadAuditTotal(e)
	records := []string{fmt.Sprintf("/leadership/roles/%d", l.roles[0].ID), fmt.Sprintf("/leadership/forums/%d", l.forum.ID),
		fmt.Sprintf("/leadership/meetings/%d", l.held.ID), fmt.Sprintf("/leadership/decisions/%d", l.decision.ID),
		fmt.Sprintf("/communication/entries/%d", l.comm.ID), fmt.Sprintf("/leadership/activities/%d/edit", l.acts[0].ID)}
	for _, p := range append([]string{"/leadership/roles", "/leadership/matrix", "/leadership/topics", "/leadership/forums",
		"/leadership/decisions", "/communication", "/communication/export.xlsx"}, records...) {
		if res := b.get(fmt.Sprintf("/orgs/%d%s", B, p)); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
	}
	// B's records under alice's own organisation's address.
	for _, p := range records {
		if res := b.get(fmt.Sprintf("/orgs/%d%s", other.ID, p)); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s under her own organisation: %d", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/leadership/roles", "/leadership/roles/templates", "/leadership/roles/approve", "/leadership/matrix",
		fmt.Sprintf("/leadership/roles/%d/delete", l.roles[0].ID), fmt.Sprintf("/leadership/forums/%d/meetings", l.forum.ID),
		fmt.Sprintf("/leadership/meetings/%d/decisions", l.held.ID), fmt.Sprintf("/leadership/decisions/%d/follow-up", l.decision.ID),
		"/communication", fmt.Sprintf("/communication/entries/%d/acknowledge", l.comm.ID), fmt.Sprintf("/communication/entries/%d/delete", l.comm.ID)} {
		if res := b.post(fmt.Sprintf("/orgs/%d%s", B, p), url.Values{"version": {"1"}, "name": {"x"}, "template_key": {"all"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: %d", p, res.StatusCode)
		}
	}
	base := fmt.Sprintf("/api/v1/organisations/%d", B)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/security-roles", nil}, {"POST", "/security-roles", map[string]any{"name": "x"}},
		{"PUT", fmt.Sprintf("/security-roles/%d/holders", l.roles[0].ID), map[string]any{"version": 1}},
		{"GET", "/responsibility-matrix", nil}, {"PUT", "/responsibility-matrix", map[string]any{"version": l.list.Version}},
		{"POST", "/responsibility-matrix/approve", map[string]any{"version": l.list.Version}},
		{"GET", "/forums", nil}, {"GET", fmt.Sprintf("/forums/%d/meetings", l.forum.ID), nil},
		{"GET", fmt.Sprintf("/meetings/%d", l.held.ID), nil}, {"GET", "/decisions", nil},
		{"POST", fmt.Sprintf("/decisions/%d/follow-up", l.decision.ID), map[string]any{"status": "done", "version": 1}},
		{"GET", "/management-topics", nil}, {"GET", "/communication-plan", nil},
		{"POST", fmt.Sprintf("/communication-plan/%d/acknowledge", l.comm.ID), map[string]any{"version": 1}},
	} {
		if res, out := e.api(tok, c.method, base+c.path, c.body); res.StatusCode != http.StatusNotFound {
			t.Errorf("API %s %s: %d %v", c.method, c.path, res.StatusCode, out)
		}
	}
	if n := leadAuditTotal(e); n != events {
		t.Fatalf("the other organisation's member changed %d things", n-events)
	}
}
