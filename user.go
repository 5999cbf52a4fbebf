package isms

import (
	"context"
	"time"
)

// User is a person with a local account.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	SiteAdmin bool      `json:"site_admin"`
	CreatedAt time.Time `json:"created_at"`
	// Active is false once a site administrator has deactivated the
	// account: it cannot log in, and its name is shown as a former user's.
	Active        bool       `json:"active"`
	DeactivatedAt *time.Time `json:"deactivated_at"`
	Version       int64      `json:"version"`
}

// MinPasswordLength is the shortest password the product accepts. The
// forms say so next to the field, before the user submits.
const MinPasswordLength = 10

// SessionLifetime is how long a login lasts.
const SessionLifetime = 12 * time.Hour

// Session is a logged-in browser. Only the token's hash is stored.
type Session struct {
	UserID    int64
	ExpiresAt time.Time
}

// APIToken is a bearer token for the JSON API. Only its hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// ReadOnly limits the token to reading (GET and HEAD); ExpiresAt,
	// when set, is when it stops working.
	ReadOnly  bool       `json:"read_only"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// APITokenLimits limit what a new API token may do: only read, and only
// until a time.
type APITokenLimits struct {
	ReadOnly  bool
	ExpiresAt *time.Time
}

// UserService keeps accounts, sessions and tokens.
type UserService interface {
	// CreateUser makes an account; only site administrators may, except for
	// the very first account (from the command line or the first-run page).
	CreateUser(ctx context.Context, email, name, password string, siteAdmin bool) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	User(ctx context.Context, id int64) (*User, error)
	CountUsers(ctx context.Context) (int, error)

	// Authenticate checks a password, slowing repeated failures per
	// account and client address and per client address.
	Authenticate(ctx context.Context, email, password, client string) (*User, error)
	// ChangePassword changes the caller's own password after checking the
	// old one (throttled like a login from client). It ends every session
	// of the user and revokes their API tokens.
	ChangePassword(ctx context.Context, oldPassword, newPassword, client string) error

	CreateSession(ctx context.Context, userID int64) (token string, err error)
	SessionUser(ctx context.Context, token string) (*User, error)
	DeleteSession(ctx context.Context, token string) error

	CreateAPIToken(ctx context.Context, userID int64, name string) (token string, t *APIToken, err error)
	// CreateLimitedAPIToken is CreateAPIToken with limits: read-only, an
	// expiry (which must lie in the future).
	CreateLimitedAPIToken(ctx context.Context, userID int64, name string, limits APITokenLimits) (token string, t *APIToken, err error)
	APITokens(ctx context.Context) ([]*APIToken, error)
	DeleteAPIToken(ctx context.Context, id int64) error
	TokenUser(ctx context.Context, token string) (*User, error)
	// TokenAccess is TokenUser with the token itself, whose limits the
	// caller enforces (read-only); an expired token is refused.
	TokenAccess(ctx context.Context, token string) (*User, *APIToken, error)
}
