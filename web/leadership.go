package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/i18n"
)

// Leadership (guide 2.2): the security roles and who holds them, the
// responsibility matrix with management's approval, the seven management
// topics. The forums, meetings and decisions are in leadership_forums.go,
// the API in leadership_api.go.

// Roles.

type rolesData struct {
	List       *isms.RolesList
	Offered    []string // templates not yet added
	Systems    map[int64]string
	Vacant     int
	Incomplete []string // activities without exactly one accountable role
}

func (s *Server) rolesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRoles(w, r, s.newPage(r, "title.lead_roles"), http.StatusOK)
}

func (s *Server) renderRoles(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	org := orgFrom(r.Context())
	l, err := s.Leadership.RolesList(r.Context(), org.ID)
	if err != nil {
		return err
	}
	systems, err := s.systemNames(r)
	if err != nil {
		return err
	}
	d := rolesData{List: l, Systems: systems}
	used := map[string]bool{}
	for _, x := range l.Roles {
		used[x.TemplateKey] = true
		if x.Vacant() {
			d.Vacant++
		}
	}
	for _, k := range isms.RoleTemplates {
		if !used[k] {
			d.Offered = append(d.Offered, k)
		}
	}
	for _, a := range l.Activities {
		if l.Accountable(a.ID) != 1 {
			d.Incomplete = append(d.Incomplete, a.Name)
		}
	}
	p.Data = d
	s.render(w, status, "leadership_roles", p)
	return nil
}

// systemNames are the IT systems of the business overview by id.
func (s *Server) systemNames(r *http.Request) (map[int64]string, error) {
	sys, _, err := s.Overview.OverviewEntries(r.Context(), orgFrom(r.Context()).ID, isms.EntryFilter{Kind: isms.KindSystem, Limit: 500})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, e := range sys {
		out[e.ID] = e.Name
	}
	return out, nil
}

// roleTemplateInput is an offered role in the reader's language.
func roleTemplateInput(lang, key string) isms.SecurityRoleInput {
	return isms.SecurityRoleInput{TemplateKey: key, Name: i18n.T(lang, i18n.Key("lead.role."+key)), Description: i18n.T(lang, i18n.Key("lead.role."+key+".desc"))}
}

func activityTemplateInput(lang, key string) isms.ISMSActivityInput {
	return isms.ISMSActivityInput{TemplateKey: key, Name: i18n.T(lang, i18n.Key("lead.activity."+key)), Description: i18n.T(lang, i18n.Key("lead.activity."+key+".desc"))}
}

// chosenTemplates reads which templates a form asks for: one by key, or
// every one not yet used when the key is "all".
func chosenTemplates(key string, all, used []string) []string {
	if key != "all" {
		return []string{key}
	}
	var out []string
	for _, k := range all {
		if !slices.Contains(used, k) {
			out = append(out, k)
		}
	}
	return out
}

func (s *Server) roleTemplatesSubmit(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	roles, err := s.Leadership.SecurityRoles(r.Context(), org.ID)
	if err != nil {
		return err
	}
	var used []string
	for _, x := range roles {
		used = append(used, x.TemplateKey)
	}
	lang := i18n.Negotiate(r)
	var in []isms.SecurityRoleInput
	for _, k := range chosenTemplates(r.PostForm.Get("template_key"), isms.RoleTemplates, used) {
		in = append(in, roleTemplateInput(lang, k))
	}
	if _, err := s.Leadership.CreateSecurityRoles(r.Context(), org.ID, in); err != nil {
		return s.rolesError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/leadership/roles"), "flash.lead_added")
	return nil
}

// rolesError shows the roles page again with the reason a change of the
// list was refused.
func (s *Server) rolesError(w http.ResponseWriter, r *http.Request, err error) error {
	return s.formRefused(r, err, s.newPage(r, "title.lead_roles"), nil,
		func(p *page, status int) error { return s.renderRoles(w, r, p, status) })
}

func (s *Server) rolesApproveSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Leadership.ApproveRolesList(r.Context(), orgFrom(r.Context()).ID, formVersion(r)); err != nil {
		return s.rolesError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/leadership/roles"), "flash.approved")
	return nil
}

type rolePageData struct {
	Role    *isms.SecurityRole
	Systems map[int64]string
	Parts   []rolePart
	History []historyItem
}

// rolePart is what a role is for one activity of the matrix.
type rolePart struct {
	Activity *isms.ISMSActivity
	Value    isms.RACI
}

func (s *Server) loadRole(r *http.Request) (*isms.SecurityRole, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Leadership.SecurityRole(r.Context(), orgFrom(r.Context()).ID, id)
}

func (s *Server) rolePage(w http.ResponseWriter, r *http.Request) error {
	role, err := s.loadRole(r)
	if err != nil {
		return err
	}
	l, err := s.Leadership.RolesList(r.Context(), role.OrganisationID)
	if err != nil {
		return err
	}
	var parts []rolePart
	for _, a := range l.Activities {
		if v := l.Cell(a.ID, role.ID); v != "" {
			parts = append(parts, rolePart{a, v})
		}
	}
	systems, err := s.systemNames(r)
	if err != nil {
		return err
	}
	hist, err := s.history(r, "security_role", role.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.lead_role")
	p.Data = rolePageData{Role: role, Systems: systems, Parts: parts, History: hist}
	s.render(w, http.StatusOK, "leadership_role", p)
	return nil
}

type roleFormData struct {
	Role    *isms.SecurityRole
	Members []*isms.Membership
	Systems []*isms.OverviewEntry
}

func (d roleFormData) Holders() []int64 {
	if d.Role == nil {
		return nil
	}
	return d.Role.HolderIDs()
}

func (d roleFormData) Deputies() []int64 {
	if d.Role == nil {
		return nil
	}
	return d.Role.DeputyIDs()
}

func (d roleFormData) SystemIDs() []int64 {
	if d.Role == nil {
		return nil
	}
	return d.Role.SystemIDs
}

func (s *Server) roleForm(w http.ResponseWriter, r *http.Request, p *page, role *isms.SecurityRole, status int) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	systems, _, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Kind: isms.KindSystem, Limit: 500})
	if err != nil {
		return err
	}
	p.Data = roleFormData{Role: role, Members: members, Systems: systems}
	s.render(w, status, "leadership_role_form", p)
	return nil
}

func (s *Server) roleNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.roleForm(w, r, s.newPage(r, "title.lead_role_new"), nil, http.StatusOK)
}

func (s *Server) roleEditPage(w http.ResponseWriter, r *http.Request) error {
	role, err := s.loadRole(r)
	if err != nil {
		return err
	}
	return s.roleForm(w, r, s.newPage(r, "title.lead_role_edit"), role, http.StatusOK)
}

func roleInputFromForm(r *http.Request) (isms.SecurityRoleInput, error) {
	f := r.PostForm
	var v isms.Validation
	in := isms.SecurityRoleInput{Name: f.Get("name"), Description: f.Get("description"), Version: parseVersion(f.Get("version")),
		HolderIDs: parseIDs(&v, "holder_ids", f["holder_ids"]), DeputyIDs: parseIDs(&v, "deputy_ids", f["deputy_ids"]),
		SystemIDs: parseIDs(&v, "system_ids", f["system_ids"])}
	return in, v.Err()
}

// roleFormError shows the role form again after a refused submission,
// with the role as it now is.
func (s *Server) roleFormError(w http.ResponseWriter, r *http.Request, role *isms.SecurityRole, err error) error {
	title, current := "title.lead_role_new", func() int64 { return 0 }
	if role != nil {
		title = "title.lead_role_edit"
		if cur, e := s.Leadership.SecurityRole(r.Context(), role.OrganisationID, role.ID); e == nil {
			role = cur
		}
		current = func() int64 { return role.Version }
	}
	return s.formRefused(r, err, s.newPage(r, title), current,
		func(p *page, status int) error { return s.roleForm(w, r, p, role, status) })
}

func (s *Server) roleCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	return createFromForm(s, w, r, roleInputFromForm, s.Leadership.CreateSecurityRole,
		func(role *isms.SecurityRole) string { return idPath("/leadership/roles/", role.ID) },
		func(_ isms.SecurityRoleInput, err error) error { return s.roleFormError(w, r, nil, err) })
}

func (s *Server) roleUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	role, err := s.loadRole(r)
	if err != nil {
		return err
	}
	return updateFromForm(s, w, r, roleInputFromForm, s.Leadership.UpdateSecurityRole, role.OrganisationID, role.ID,
		idPath("/leadership/roles/", role.ID), func(err error) error { return s.roleFormError(w, r, role, err) })
}

func (s *Server) roleDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	role, err := s.loadRole(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Leadership.DeleteSecurityRole(r.Context(), role.OrganisationID, role.ID, formVersion(r)), "/leadership/roles")
}

// The responsibility matrix.

type matrixData struct {
	List    *isms.RolesList
	Version int64
	Rows    []matrixRow
	Values  []isms.RACI
	Offered []string // activity templates not yet added
}

// matrixRow is one activity of the grid as shown: the stored values, or
// the submitted ones after a refused save, with its problem if any.
type matrixRow struct {
	Activity *isms.ISMSActivity
	Cells    []matrixCell
	Problem  string // catalogue key: no accountable role, or several
	NoOneR   bool   // no role does the work (a hint, not a refusal)
}

type matrixCell struct {
	Name  string // form field
	Role  *isms.SecurityRole
	Value string
}

func cellField(activityID, roleID int64) string {
	return "cell_" + strconv.FormatInt(activityID, 10) + "_" + strconv.FormatInt(roleID, 10)
}

// matrixRows lays out the grid from the stored list, or from a submitted
// form when there is one.
func matrixRows(l *isms.RolesList, form url.Values) []matrixRow {
	rows := make([]matrixRow, 0, len(l.Activities))
	for _, a := range l.Activities {
		row := matrixRow{Activity: a}
		accountable, responsible := 0, 0
		for _, role := range l.Roles {
			c := matrixCell{Name: cellField(a.ID, role.ID), Role: role, Value: string(l.Cell(a.ID, role.ID))}
			if form != nil {
				c.Value = form.Get(c.Name)
			}
			v := isms.RACI(c.Value)
			if v.Accountable() {
				accountable++
			}
			if v.Responsible() {
				responsible++
			}
			row.Cells = append(row.Cells, c)
		}
		switch {
		case accountable == 0:
			row.Problem = "lead.matrix.no_accountable"
		case accountable > 1:
			row.Problem = "lead.matrix.several_accountable"
		}
		row.NoOneR = responsible == 0 && accountable == 1
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) matrixPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMatrix(w, r, s.newPage(r, "title.lead_matrix"), http.StatusOK)
}

func (s *Server) renderMatrix(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	l, err := s.Leadership.RolesList(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	var form url.Values
	if p.Form != nil && p.Form.Get("matrix") == "1" {
		form = p.Form
	}
	// The grid's version is the one it was shown with: after a refused
	// save, the submitted one (the current one after a stale save).
	version := l.Version
	if form != nil {
		version = parseVersion(form.Get("version"))
	}
	d := matrixData{List: l, Rows: matrixRows(l, form), Values: isms.RACIValues, Version: version}
	used := map[string]bool{}
	for _, a := range l.Activities {
		used[a.TemplateKey] = true
	}
	for _, k := range isms.ActivityTemplates {
		if !used[k] {
			d.Offered = append(d.Offered, k)
		}
	}
	p.Data = d
	s.render(w, status, "leadership_matrix", p)
	return nil
}

// matrixInputFromForm reads the grid: one select per activity and role.
func matrixInputFromForm(r *http.Request) (isms.MatrixInput, error) {
	f := r.PostForm
	in := isms.MatrixInput{Version: parseVersion(f.Get("version")), Cells: []isms.MatrixCell{}}
	var v isms.Validation
	for name, vals := range f {
		rest, ok := strings.CutPrefix(name, "cell_")
		if !ok || len(vals) == 0 || vals[0] == "" {
			continue
		}
		a, role, ok := strings.Cut(rest, "_")
		aid, err1 := strconv.ParseInt(a, 10, 64)
		rid, err2 := strconv.ParseInt(role, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			if !v.Has("raci") {
				v.Add("raci", "err.unknown_reference")
			}
			continue
		}
		in.Cells = append(in.Cells, isms.MatrixCell{ActivityID: aid, RoleID: rid, Value: isms.RACI(vals[0])})
	}
	return in, v.Err()
}

func (s *Server) matrixSubmit(w http.ResponseWriter, r *http.Request) error {
	in, err := matrixInputFromForm(r)
	if err == nil {
		_, err = s.Leadership.SaveMatrix(r.Context(), orgFrom(r.Context()).ID, in)
	}
	if err != nil {
		return s.matrixError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/leadership/matrix"), "flash.saved")
	return nil
}

// matrixError shows the matrix page again with the problem. After a
// refused save of the grid the submitted values stay in it.
func (s *Server) matrixError(w http.ResponseWriter, r *http.Request, err error) error {
	current := func() int64 {
		if l, e := s.Leadership.RolesList(r.Context(), orgFrom(r.Context()).ID); e == nil {
			return l.Version
		}
		return formVersion(r)
	}
	return s.formRefused(r, err, s.newPage(r, "title.lead_matrix"), current,
		func(p *page, status int) error { return s.renderMatrix(w, r, p, status) })
}

// Activities of the matrix.

func (s *Server) activityCreateSubmit(w http.ResponseWriter, r *http.Request) error {
	_, err := s.Leadership.CreateISMSActivity(r.Context(), orgFrom(r.Context()).ID, isms.ISMSActivityInput{
		Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description")})
	if err != nil {
		return s.matrixError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/leadership/matrix"), "flash.lead_added")
	return nil
}

func (s *Server) activityTemplatesSubmit(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	acts, err := s.Leadership.ISMSActivities(r.Context(), org.ID)
	if err != nil {
		return err
	}
	var used []string
	for _, a := range acts {
		used = append(used, a.TemplateKey)
	}
	lang := i18n.Negotiate(r)
	var in []isms.ISMSActivityInput
	for _, k := range chosenTemplates(r.PostForm.Get("template_key"), isms.ActivityTemplates, used) {
		in = append(in, activityTemplateInput(lang, k))
	}
	if _, err := s.Leadership.CreateISMSActivities(r.Context(), org.ID, in); err != nil {
		return s.matrixError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/leadership/matrix"), "flash.lead_added")
	return nil
}

type activityFormData struct {
	Activity *isms.ISMSActivity
	History  []historyItem
}

func (s *Server) loadActivity(r *http.Request) (*isms.ISMSActivity, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	acts, err := s.Leadership.ISMSActivities(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, isms.Errorf(isms.ENotFound, "err.not_found", "activity")
}

func (s *Server) activityForm(w http.ResponseWriter, r *http.Request, p *page, a *isms.ISMSActivity, status int) error {
	hist, err := s.history(r, "isms_activity", a.ID)
	if err != nil {
		return err
	}
	p.Data = activityFormData{Activity: a, History: hist}
	s.render(w, status, "leadership_activity_form", p)
	return nil
}

func (s *Server) activityEditPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadActivity(r)
	if err != nil {
		return err
	}
	return s.activityForm(w, r, s.newPage(r, "title.lead_activity_edit"), a, http.StatusOK)
}

func (s *Server) activityUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadActivity(r)
	if err != nil {
		return err
	}
	_, err = s.Leadership.UpdateISMSActivity(r.Context(), a.OrganisationID, a.ID, isms.ISMSActivityInput{
		Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description"), Version: formVersion(r)})
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.lead_activity_edit"), func() int64 { return a.Version },
			func(p *page, status int) error { return s.activityForm(w, r, p, a, status) })
	}
	s.redirect(w, r, p0(r, "/leadership/matrix"), "flash.saved")
	return nil
}

func (s *Server) activityDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.loadActivity(r)
	if err != nil {
		return err
	}
	return s.deleted(w, r, s.Leadership.DeleteISMSActivity(r.Context(), a.OrganisationID, a.ID, formVersion(r)), "/leadership/matrix")
}

// The seven management topics.

type topicsData struct {
	Topics    []topicRow
	Today     isms.Date
	YearAgo   isms.Date
	YearAhead isms.Date
}

// topicRow is one topic with its last and next occasion and whether they
// fall within the twelve months checklist questions 2.1 and 2.2 look at.
type topicRow struct {
	isms.TopicStatus
	Recent  bool // dealt with within the last 12 months
	Planned bool // planned within the coming 12 months
}

func (s *Server) topicsPage(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Topics.ManagementTopicStatus(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	d := topicsData{Today: isms.DateOf(now), YearAgo: isms.DateOf(now.AddDate(-1, 0, 0)), YearAhead: isms.DateOf(now.AddDate(1, 0, 0))}
	for _, t := range st {
		row := topicRow{TopicStatus: t}
		row.Recent = t.Last != nil && !t.Last.Day.Before(d.YearAgo)
		row.Planned = t.Next != nil && !d.YearAhead.Before(t.Next.Day)
		d.Topics = append(d.Topics, row)
	}
	p := s.newPage(r, "title.lead_topics")
	p.Data = d
	s.render(w, http.StatusOK, "leadership_topics", p)
	return nil
}

// leadershipDue puts on the dashboard the decisions whose follow-up falls
// due, the meetings coming up, and the meetings whose day has passed
// without being recorded as held or cancelled.
func leadershipDue(s *Server, r *http.Request, orgID int64, until isms.Date) ([]dueItem, error) {
	today := isms.DateOf(s.cfg.Now())
	var out []dueItem
	ds, _, err := s.Leadership.Decisions(r.Context(), orgID, isms.DecisionFilter{DueBefore: &until, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		out = append(out, dueItem{Label: clipText(d.Text, 100), Kind: "lead.due.decision", Due: *d.FollowUpBy, Overdue: d.Overdue(today),
			Path: "/leadership/decisions/" + strconv.FormatInt(d.ID, 10)})
	}
	ms, _, err := s.Leadership.Meetings(r.Context(), orgID, isms.MeetingFilter{Status: isms.MeetingPlanned, To: &until, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		kind := "lead.due.meeting"
		if m.Overdue(today) {
			kind = "lead.due.meeting_unrecorded"
		}
		out = append(out, dueItem{Label: m.ForumName, Kind: kind, Due: m.Date, Overdue: m.Overdue(today),
			Path: "/leadership/meetings/" + strconv.FormatInt(m.ID, 10)})
	}
	return out, nil
}

// clipText shortens a text for a list.
func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
