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

func init() {
	elementRoutes = append(elementRoutes, func(s *Server, mux *http.ServeMux) { s.accountRoutes(mux) })
}

func (s *Server) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /users", s.requireUser(s.usersPage))
	mux.HandleFunc("POST /users", s.requireUser(s.createUserSubmit))
	mux.HandleFunc("GET /users/{id}", s.requireUser(s.userPage))
	mux.HandleFunc("POST /users/{id}", s.requireUser(s.updateUserSubmit))
	mux.HandleFunc("POST /users/{id}/active", s.requireUser(s.userActiveSubmit))
	mux.HandleFunc("POST /users/{id}/password", s.requireUser(s.resetPasswordSubmit))
}

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
	if f.Offset, err = queryInt(r, "offset", 0); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(r, "limit", limit); err != nil {
		return f, err
	}
	return f, nil
}

type usersData struct {
	Users  []*isms.User
	Filter isms.UserFilter
	Pager  pager
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, s.newPage(r, "title.users"), http.StatusOK)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, p *page, status int) {
	f, err := userFilterFrom(r, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, total, err := s.Accounts.Users(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = usersData{Users: users, Filter: f, Pager: newPager(r, total, f.Offset, f.Limit)}
	s.render(w, status, "users", p)
}

// passwordsDiffer is the refusal of a form whose two password fields differ.
func passwordsDiffer(field string) error {
	return &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: field, Key: "err.passwords_differ"}}}
}

func (s *Server) createUserSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	var u *isms.User
	var err error
	if f.Get("password") != f.Get("password2") {
		err = passwordsDiffer("password2")
	} else {
		u, err = s.Users.CreateUser(r.Context(), f.Get("email"), f.Get("name"), f.Get("password"), f.Get("site_admin") == "on")
	}
	if err != nil {
		switch isms.ErrorCode(err) {
		case isms.EInvalid, isms.EConflict:
			p := s.newPage(r, "title.users")
			p.setError(err)
			p.Form = r.PostForm
			s.renderUsers(w, r, p, s.status(r, err))
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), "flash.user_created")
}

type userData struct {
	Account *isms.User
	History []historyItem
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	s.renderUser(w, r, s.newPage(r, "title.user"), http.StatusOK)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, p *page, status int) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Accounts.Account(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.Accounts.UserHistory(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]historyItem, 0, len(events))
	for _, e := range events {
		items = append(items, historyItem{Event: e, Changes: diffJSON(e.Before, e.After)})
	}
	p.Data = userData{Account: u, History: items}
	s.render(w, status, "user", p)
}

// userFormError shows the account's page again with a refused form's
// problems, or the error page for anything else.
func (s *Server) userFormError(w http.ResponseWriter, r *http.Request, err error) {
	switch isms.ErrorCode(err) {
	case isms.EInvalid, isms.EConflict:
		p := s.newPage(r, "title.user")
		p.setError(err)
		p.Form = r.PostForm
		s.renderUser(w, r, p, s.status(r, err))
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) updateUserSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	id, err := pathID(r, "id")
	if err == nil {
		name, admin := f.Get("name"), f.Get("site_admin") == "on"
		_, err = s.Accounts.UpdateUser(r.Context(), id, isms.UserUpdate{Name: &name, SiteAdmin: &admin, Version: parseVersion(f.Get("version"))})
	}
	if err != nil {
		s.userFormError(w, r, err)
		return
	}
	s.redirect(w, r, r.URL.Path, "flash.saved")
}

func (s *Server) userActiveSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	id, err := pathID(r, "id")
	active := f.Get("active") == "1"
	if err == nil {
		_, err = s.Accounts.UpdateUser(r.Context(), id, isms.UserUpdate{Active: &active, Version: parseVersion(f.Get("version"))})
	}
	if err != nil {
		s.userFormError(w, r, err)
		return
	}
	flash := "flash.user_deactivated"
	if active {
		flash = "flash.user_reactivated"
	}
	s.redirect(w, r, strings.TrimSuffix(r.URL.Path, "/active"), flash)
}

func (s *Server) resetPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
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
		s.userFormError(w, r, err)
		return
	}
	s.redirect(w, r, strings.TrimSuffix(r.URL.Path, "/password"), "flash.password_reset")
}
