package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
)

// The site administrators' pages and API for accounts: the list of users
// with its filter, a new account, one account with its name, rights,
// deactivation and reactivation, a password reset, and its history in the
// site's audit chain. Everyone else is refused by the store; the pages are
// linked from the top bar for site administrators only.

// PasswordRules says what a new password must be. Every form that sets a
// password shows it next to the field before the user submits.
func (p *page) PasswordRules() string { return p.T("password.rules", isms.MinPasswordLength) }

// MinPasswordLength is the shortest password, for the fields' minlength.
func (p *page) MinPasswordLength() int { return isms.MinPasswordLength }

func userFilterFrom(r *http.Request, limit int) (isms.UserFilter, error) {
	q := r.URL.Query()
	f := isms.UserFilter{Query: q.Get("q"), State: q.Get("state"), Sort: q.Get("sort")}
	switch q.Get("site_admin") {
	case "", "0", "false":
	case "1", "true", "on":
		f.SiteAdmin = true
	default:
		return f, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "site_admin", Key: "err.choice"}}}
	}
	var err error
	if f.Offset, f.Limit, err = pageFrom(r, limit); err != nil {
		return f, err
	}
	return f, nil
}

type usersData struct {
	Users  []*isms.User
	Filter isms.UserFilter
	Pager  pager
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, s.newPage(r, "title.users"), http.StatusOK)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	f, err := userFilterFrom(r, 50)
	if err != nil {
		return err
	}
	users, total, err := s.Accounts.Users(r.Context(), f)
	if err != nil {
		return err
	}
	p.Data = usersData{Users: users, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit)}
	s.render(w, status, "users", p)
	return nil
}

// passwordsDiffer is the refusal of a form whose two password fields differ.
func passwordsDiffer(field string) error {
	return &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: field, Key: "err.passwords_differ"}}}
}

func (s *Server) createUserSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	var u *isms.User
	var err error
	if f.Get("password") != f.Get("password2") {
		err = passwordsDiffer("password2")
	} else {
		u, err = s.Users.CreateUser(r.Context(), f.Get("email"), f.Get("name"), f.Get("password"), parseFlag(f.Get("site_admin")))
	}
	if err != nil {
		return s.formRefused(r, err, s.newPage(r, "title.users"), nil,
			func(p *page, status int) error { return s.renderUsers(w, r, p, status) })
	}
	s.redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), "flash.user_created")
	return nil
}

type userData struct {
	Account *isms.User
	History []historyItem
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUser(w, r, s.newPage(r, "title.user"), http.StatusOK)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.Accounts.Account(r.Context(), id)
	if err != nil {
		return err
	}
	events, err := s.Accounts.UserHistory(r.Context(), id)
	if err != nil {
		return err
	}
	items := make([]historyItem, 0, len(events))
	for _, e := range events {
		items = append(items, historyItem{Event: e, Changes: diffJSON(e.Before, e.After)})
	}
	p.Data = userData{Account: u, History: items}
	s.render(w, status, "user", p)
	return nil
}

// userFormError shows the account's page again with a refused form's
// problems, or the error page for anything else.
func (s *Server) userFormError(w http.ResponseWriter, r *http.Request, err error) error {
	return s.formRefused(r, err, s.newPage(r, "title.user"), nil,
		func(p *page, status int) error { return s.renderUser(w, r, p, status) })
}

func (s *Server) updateUserSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	id, err := pathID(r, "id")
	if err == nil {
		name, admin := f.Get("name"), parseFlag(f.Get("site_admin"))
		_, err = s.Accounts.UpdateUser(r.Context(), id, isms.UserUpdate{Name: &name, SiteAdmin: &admin, Version: parseVersion(f.Get("version"))})
	}
	if err != nil {
		return s.userFormError(w, r, err)
	}
	s.redirect(w, r, r.URL.Path, "flash.saved")
	return nil
}

func (s *Server) userActiveSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	id, err := pathID(r, "id")
	active := parseFlag(f.Get("active"))
	if err == nil {
		_, err = s.Accounts.UpdateUser(r.Context(), id, isms.UserUpdate{Active: &active, Version: parseVersion(f.Get("version"))})
	}
	if err != nil {
		return s.userFormError(w, r, err)
	}
	flash := "flash.user_deactivated"
	if active {
		flash = "flash.user_reactivated"
	}
	s.redirect(w, r, strings.TrimSuffix(r.URL.Path, "/active"), flash)
	return nil
}

func (s *Server) resetPasswordSubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	id, err := pathID(r, "id")
	if err == nil {
		if f.Get("password") != f.Get("password2") {
			err = passwordsDiffer("password2")
		} else {
			_, err = s.Accounts.ResetPassword(r.Context(), id, isms.PasswordReset{Password: f.Get("password"), Version: parseVersion(f.Get("version"))})
		}
	}
	if err != nil {
		return s.userFormError(w, r, err)
	}
	s.redirect(w, r, strings.TrimSuffix(r.URL.Path, "/password"), "flash.password_reset")
	return nil
}
