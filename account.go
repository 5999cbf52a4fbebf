package isms

import "context"

// Accounts are the site's, not an organisation's: a site administrator
// creates them, changes their names and rights, deactivates and
// reactivates them and resets their passwords. Every change is audited in
// the site's chain (organisation 0).

// UserInput is a new account as a site administrator creates it.
type UserInput struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	SiteAdmin bool   `json:"site_admin"`
}

// UserUpdate changes an account; a field left out stays as it is. Active
// false deactivates (the person's sessions and API tokens end at once),
// true reactivates.
type UserUpdate struct {
	Name      *string `json:"name,omitempty"`
	SiteAdmin *bool   `json:"site_admin,omitempty"`
	Active    *bool   `json:"active,omitempty"`
	Version   int64   `json:"version"` // the version the change was based on
}

// PasswordReset is a new password a site administrator sets for someone
// who has lost theirs; the person's sessions end and their API tokens are
// revoked, so nothing made with the old password outlives it.
type PasswordReset struct {
	Password string `json:"password"`
	Version  int64  `json:"version"`
}

// User states a list of accounts may be filtered by.
const (
	UserStateActive      = "active"
	UserStateDeactivated = "deactivated"
)

// UserFilter narrows and orders the list of accounts.
type UserFilter struct {
	Query     string // matched against name and e-mail address
	State     string // "", UserStateActive or UserStateDeactivated
	SiteAdmin bool   // only site administrators
	Sort      string // name, email, created (prefix "-" for descending)
	Offset    int
	Limit     int
}

// AccountService is the site administrators' management of accounts
// (creation is UserService.CreateUser). Everyone else is refused.
type AccountService interface {
	Users(ctx context.Context, f UserFilter) ([]*User, int, error)
	Account(ctx context.Context, id int64) (*User, error)
	UpdateUser(ctx context.Context, id int64, in UserUpdate) (*User, error)
	ResetPassword(ctx context.Context, id int64, in PasswordReset) (*User, error)
	// UserHistory is the site's audit events about one account.
	UserHistory(ctx context.Context, id int64) ([]*AuditEvent, error)
}

type languageKey struct{}

// WithLanguage returns a context that carries the reader's language, so
// that what the store words itself (a former user's name) reads in it.
func WithLanguage(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, languageKey{}, lang)
}

// LanguageFrom returns the reader's language in the context, or "".
func LanguageFrom(ctx context.Context) string {
	l, _ := ctx.Value(languageKey{}).(string)
	return l
}
