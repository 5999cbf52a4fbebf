package web

import (
	"net/http"
	"strconv"

	"github.com/ismsdk/isms"
)

// homePage lists the organisations the user may see, with a form to
// create one for those allowed to.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.Orgs.Organisations(r.Context())
	if err != nil {
		return err
	}
	// A user with exactly one organisation goes straight to it.
	if len(orgs) == 1 && !userFrom(r.Context()).SiteAdmin && r.URL.Query().Get("all") == "" {
		http.Redirect(w, r, "/orgs/"+strconv.FormatInt(orgs[0].ID, 10), http.StatusSeeOther)
		return nil
	}
	p := s.newPage(r, "title.home")
	p.Data = orgs
	s.render(w, http.StatusOK, "home", p)
	return nil
}

func (s *Server) createOrgSubmit(w http.ResponseWriter, r *http.Request) error {
	var v isms.Validation
	in := isms.OrganisationInput{Name: r.PostForm.Get("name"), ParentID: parseOptionalID(&v, "parent_id", r.PostForm.Get("parent_id"))}
	err := v.Err()
	var o *isms.Organisation
	if err == nil {
		o, err = s.Orgs.CreateOrganisation(r.Context(), in)
	}
	if err != nil {
		orgs, _ := s.Orgs.Organisations(r.Context())
		p := s.newPage(r, "title.home")
		p.Data = orgs
		return s.formRefused(r, err, p, nil, s.show(w, "home"))
	}
	s.redirect(w, r, "/orgs/"+strconv.FormatInt(o.ID, 10), "flash.org_created")
	return nil
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.settings")
	return s.renderSettings(w, r, p, http.StatusOK)
}

type settingsData struct {
	Orgs []*isms.Organisation // candidates for parent
	// SecondFactorRequired says members must have a second factor.
	SecondFactorRequired bool
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	orgs, err := s.Orgs.Organisations(r.Context())
	if err != nil {
		return err
	}
	d := settingsData{Orgs: orgs}
	if s.SecondFactors != nil {
		if d.SecondFactorRequired, err = s.SecondFactors.OrganisationRequiresSecondFactor(r.Context(), orgFrom(r.Context()).ID); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, status, "settings", p)
	return nil
}

func (s *Server) settingsSubmit(w http.ResponseWriter, r *http.Request) error {
	o := orgFrom(r.Context())
	f := r.PostForm
	var v isms.Validation
	in := isms.OrganisationInput{Name: f.Get("name"), Purpose: o.Purpose, ParentID: o.ParentID, Version: parseVersion(f.Get("version"))}
	if f.Has("purpose") {
		in.Purpose = f.Get("purpose")
	}
	if f.Has("parent_id") {
		in.ParentID = parseOptionalID(&v, "parent_id", f.Get("parent_id"))
	}
	if !f.Has("name") {
		in.Name = o.Name
	}
	err := v.Err()
	if err == nil {
		_, err = s.Orgs.UpdateOrganisation(r.Context(), o.ID, in)
	}
	back := f.Get("back")
	if err != nil {
		p := s.newPage(r, "title.settings")
		if back == "overview" {
			return s.formErrorOverview(w, r, p, err)
		}
		p.setError(err)
		p.Form = r.PostForm
		return s.renderSettings(w, r, p, s.status(r, err))
	}
	if back == "overview" {
		s.redirect(w, r, p0(r, "/overview"), "flash.saved")
		return nil
	}
	s.redirect(w, r, p0(r, "/settings"), "flash.saved")
	return nil
}

// p0 is a path below the request's organisation.
func p0(r *http.Request, suffix string) string {
	return "/orgs/" + strconv.FormatInt(orgFrom(r.Context()).ID, 10) + suffix
}

type membersData struct {
	Members []*isms.Membership
	Roles   []isms.Role
	// The invitations to the organisation, what was just sent, and the
	// accounts a site administrator may add directly (invitations.go).
	People invitePeople
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderMembers(w, r, s.newPage(r, "title.members"), http.StatusOK)
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	ms, err := s.Orgs.Memberships(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	people, err := s.invitePeople(r, ms)
	if err != nil {
		return err
	}
	p.Data = membersData{Members: ms, Roles: isms.Roles, People: people}
	s.render(w, status, "members", p)
	return nil
}

// addMemberSubmit gives an existing account a role: a site
// administrator's shortcut. Everyone else invites (invitations.go).
func (s *Server) addMemberSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	_, err := s.Orgs.AddMembership(r.Context(), orgFrom(r.Context()).ID, isms.MembershipInput{
		Email: f.Get("email"), Role: isms.Role(f.Get("role")), Oversight: parseFlag(f.Get("oversight"))})
	if err != nil {
		return s.memberError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/members"), "flash.member_added")
	return nil
}

func (s *Server) memberError(w http.ResponseWriter, r *http.Request, err error) error {
	return s.formRefused(r, err, s.newPage(r, "title.members"), nil,
		func(p *page, status int) error { return s.renderMembers(w, r, p, status) })
}

func (s *Server) updateMemberSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	id, err := pathID(r, "id")
	if err == nil {
		_, err = s.Orgs.UpdateMembership(r.Context(), orgFrom(r.Context()).ID, id, isms.MembershipInput{
			Role: isms.Role(f.Get("role")), Oversight: parseFlag(f.Get("oversight")), Version: parseVersion(f.Get("version"))})
	}
	if err != nil {
		return s.memberError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/members"), "flash.saved")
	return nil
}

func (s *Server) removeMemberSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.Orgs.RemoveMembership(r.Context(), orgFrom(r.Context()).ID, id)
	}
	if err != nil {
		return s.memberError(w, r, err)
	}
	s.redirect(w, r, p0(r, "/members"), "flash.member_removed")
	return nil
}

type auditData struct {
	Events []*isms.AuditEvent
	Pager  pager
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "title.audit")
	offset, _ := queryInt(r, "offset", 0)
	f := isms.AuditFilter{Offset: offset, Limit: 50, RecordType: r.URL.Query().Get("type")}
	f.RecordID, _ = strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	events, total, err := s.Audit.AuditEvents(r.Context(), orgFrom(r.Context()).ID, f)
	if err != nil {
		return err
	}
	p.Data = auditData{Events: events, Pager: newPager(r, total, offset, 50)}
	s.render(w, http.StatusOK, "audit", p)
	return nil
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// pager is the state of a paginated list.
type pager struct {
	Total, Offset, Limit int
	Prev, Next           string // URLs, empty when there is none
}

func newPager(r *http.Request, total, offset, limit int) pager {
	p := pager{Total: total, Offset: offset, Limit: limit}
	q := r.URL.Query()
	if offset > 0 {
		q.Set("offset", strconv.Itoa(max(0, offset-limit)))
		p.Prev = r.URL.Path + "?" + q.Encode()
	}
	if offset+limit < total {
		q.Set("offset", strconv.Itoa(offset+limit))
		p.Next = r.URL.Path + "?" + q.Encode()
	}
	return p
}

// From and To are the 1-based positions shown.
func (p pager) From() int {
	if p.Total == 0 {
		return 0
	}
	return p.Offset + 1
}
func (p pager) To() int { return min(p.Total, p.Offset+p.Limit) }
