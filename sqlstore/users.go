package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// Limits for accounts and logins.
const (
	MinPasswordLength = isms.MinPasswordLength
	maxPasswordLength = 200
)

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func validatePassword(v *isms.Validation, field, pw string) {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		v.Add(field, "err.password_short", MinPasswordLength)
	} else if len(pw) > maxPasswordLength {
		v.Add(field, "err.too_long", maxPasswordLength)
	}
}

// CreateUser makes an account. Site administrators may always; when there
// are no users yet, the first account may be made by anyone (the command
// line or the first-run page), and it must be a site administrator.
func (db *DB) CreateUser(ctx context.Context, email, name, password string, siteAdmin bool) (*isms.User, error) {
	// Refuse anyone else before looking at what they sent, so that only a
	// site administrator learns whether an address is taken. The write
	// below checks again under the site's lock.
	if refuseNonSiteAdmin(isms.ActorFrom(ctx)) != nil {
		if n, err := db.CountUsers(ctx); err != nil {
			return nil, err
		} else if n > 0 {
			return nil, isms.Errorf(isms.EForbidden, "err.forbidden_site_admin")
		}
	}
	email, name = normEmail(email), strings.TrimSpace(name)
	var v isms.Validation
	checkEmail(&v, "email", email)
	requireText(&v, "name", name, 200)
	validatePassword(&v, "password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	var u *isms.User
	err = db.write(ctx, "CreateUser", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		n, err := tx.count("SELECT COUNT(*) FROM users")
		if err != nil {
			return err
		}
		if n == 0 {
			siteAdmin = true
		} else if err := tx.requireSiteAdmin(); err != nil {
			return err
		}
		if c, _ := tx.count("SELECT COUNT(*) FROM users WHERE email = ?", email); c > 0 {
			var v isms.Validation
			v.Add("email", "err.email_taken")
			return v.Err()
		}
		now := ts(tx.now)
		id, err := tx.insert("INSERT INTO users (email, name, password_hash, site_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			email, name, hash, b2i(siteAdmin), now, now)
		if err != nil {
			return err
		}
		u = &isms.User{ID: id, Email: email, Name: name, SiteAdmin: siteAdmin, CreatedAt: tx.now, Active: true, Version: 1}
		return tx.audit(0, "create", "user", id, nil, u)
	})
	return u, err
}

// checkEmail checks an e-mail address as accounts and invitations need it:
// normalised (lower case, trimmed) by the caller.
func checkEmail(v *isms.Validation, field, email string) {
	if _, err := mail.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
		v.Add(field, "err.email")
	} else if len(email) > 254 {
		v.Add(field, "err.too_long", 254)
	}
}

const userColumns = "id, email, name, site_admin, created_at, deactivated_at, version"

// userColumnsOf is userColumns of the users table under an alias.
func userColumnsOf(alias string) string {
	return alias + ".id, " + alias + ".email, " + alias + ".name, " + alias + ".site_admin, " + alias + ".created_at, " +
		alias + ".deactivated_at, " + alias + ".version"
}

func scanUser(row scanner) (*isms.User, error) {
	var u isms.User
	var admin int
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &admin, scanTime{&u.CreatedAt}, scanTimePtr{&u.DeactivatedAt}, &u.Version); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("user")
		}
		return nil, err
	}
	u.SiteAdmin = admin == 1
	u.Active = u.DeactivatedAt == nil
	return &u, nil
}

// UserByEmail finds an account (for the command line and the login).
func (db *DB) UserByEmail(ctx context.Context, email string) (*isms.User, error) {
	var u *isms.User
	err := db.read(ctx, "UserByEmail", func(tx *Tx) (err error) {
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE email = ?", normEmail(email)))
		return err
	})
	return u, err
}

// User finds an account by id.
func (db *DB) User(ctx context.Context, id int64) (*isms.User, error) {
	var u *isms.User
	err := db.read(ctx, "User", func(tx *Tx) (err error) {
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE id = ?", id))
		return err
	})
	return u, err
}

// CountUsers tells whether the first-run set-up is still open.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, "CountUsers", func(tx *Tx) (err error) {
		n, err = tx.count("SELECT COUNT(*) FROM users")
		return err
	})
	return n, err
}

// CreateSession logs a user in and returns the cookie's secret.
func (db *DB) CreateSession(ctx context.Context, userID int64) (string, error) {
	token, hash, err := newToken("")
	if err != nil {
		return "", err
	}
	err = db.write(ctx, "CreateSession", func(tx *Tx) error {
		_, err := tx.exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			hash, userID, ts(tx.now), ts(tx.now.Add(isms.SessionLifetime)))
		if err != nil {
			return err
		}
		_, err = tx.exec("DELETE FROM sessions WHERE expires_at < ?", ts(tx.now))
		return err
	})
	return token, err
}

// SessionUser returns the user of a live session. A deactivated user has
// none: deactivation deletes their sessions, and a session that a login
// made in the same moment is refused here.
func (db *DB) SessionUser(ctx context.Context, token string) (*isms.User, error) {
	var u *isms.User
	err := db.read(ctx, "SessionUser", func(tx *Tx) (err error) {
		u, err = scanUser(tx.queryRow("SELECT "+userColumnsOf("u")+" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.deactivated_at IS NULL",
			tokenHash(token), ts(tx.now)))
		return err
	})
	return u, err
}

// DeleteSession logs a browser out.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.write(ctx, "DeleteSession", func(tx *Tx) error {
		_, err := tx.exec("DELETE FROM sessions WHERE token_hash = ?", tokenHash(token))
		return err
	})
}

// CreateAPIToken makes a bearer token for the JSON API. A user makes their
// own; a site administrator (or the command line) may make one for anyone.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string) (string, *isms.APIToken, error) {
	return db.CreateLimitedAPIToken(ctx, userID, name, isms.APITokenLimits{})
}

// CreateLimitedAPIToken is CreateAPIToken with limits: a read-only token
// may only read, and a token with an expiry is refused after it.
func (db *DB) CreateLimitedAPIToken(ctx context.Context, userID int64, name string, limits isms.APITokenLimits) (string, *isms.APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API"
	}
	var v isms.Validation
	requireText(&v, "name", name, 100)
	if limits.ExpiresAt != nil && !limits.ExpiresAt.After(db.Now()) {
		v.Add("expires", "err.token_expiry_past")
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	token, hash, err := newToken("isms_")
	if err != nil {
		return "", nil, err
	}
	var t *isms.APIToken
	err = db.write(ctx, "CreateAPIToken", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if tx.actor == nil || (tx.actor.UserID != userID && !tx.actor.SiteAdmin) {
			return isms.Errorf(isms.EForbidden, "err.forbidden")
		}
		if active, err := tx.userActive(userID); err != nil {
			return err
		} else if !active {
			return isms.Errorf(isms.EConflict, "err.user_deactivated")
		}
		var expires any
		if limits.ExpiresAt != nil {
			expires = ts(*limits.ExpiresAt)
		}
		id, err := tx.insert("INSERT INTO api_tokens (user_id, name, token_hash, created_at, read_only, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			userID, name, hash, ts(tx.now), b2i(limits.ReadOnly), expires)
		if err != nil {
			return err
		}
		t = &isms.APIToken{ID: id, Name: name, CreatedAt: tx.now, ReadOnly: limits.ReadOnly, ExpiresAt: limits.ExpiresAt}
		return tx.audit(0, "create", "api_token", id, nil, map[string]any{"user_id": userID, "name": name, "read_only": limits.ReadOnly, "expires_at": limits.ExpiresAt})
	})
	return token, t, err
}

// APITokens lists the actor's own tokens.
func (db *DB) APITokens(ctx context.Context) ([]*isms.APIToken, error) {
	var out []*isms.APIToken
	err := db.read(ctx, "APITokens", func(tx *Tx) error {
		if tx.actor == nil {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		rows, err := tx.query("SELECT id, name, created_at, last_used_at, read_only, expires_at FROM api_tokens WHERE user_id = ? ORDER BY id", tx.actor.UserID)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(row scanner) (*isms.APIToken, error) {
			var t isms.APIToken
			var ro int
			if err := row.Scan(&t.ID, &t.Name, scanTime{&t.CreatedAt}, scanTimePtr{&t.LastUsedAt}, &ro, scanTimePtr{&t.ExpiresAt}); err != nil {
				return nil, err
			}
			t.ReadOnly = ro == 1
			return &t, nil
		})
		return err
	})
	return out, err
}

// DeleteAPIToken revokes one of the actor's tokens.
func (db *DB) DeleteAPIToken(ctx context.Context, id int64) error {
	return db.write(ctx, "DeleteAPIToken", func(tx *Tx) error {
		if err := tx.lockSite(); err != nil {
			return err
		}
		if tx.actor == nil {
			return isms.Errorf(isms.EUnauthorized, "err.unauthorized")
		}
		r, err := tx.exec("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", id, tx.actor.UserID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return notFound("token")
		}
		return tx.audit(0, "delete", "api_token", id, nil, nil)
	})
}

// TokenUser returns the owner of a bearer token. The last-used time is
// updated at most once a minute, and after the read rather than in it
// (noteUse), so an API read stays a read: it never waits on a writer.
func (db *DB) TokenUser(ctx context.Context, token string) (*isms.User, error) {
	u, _, err := db.TokenAccess(ctx, token)
	return u, err
}

// TokenAccess returns the owner of a bearer token and the token with its
// limits. A token past its expiry is refused like an unknown one, with
// its own message so that its owner knows to make a new one.
func (db *DB) TokenAccess(ctx context.Context, token string) (*isms.User, *isms.APIToken, error) {
	var u *isms.User
	var t isms.APIToken
	err := db.read(ctx, "TokenUser", func(tx *Tx) error {
		var ro int
		err := tx.queryRow("SELECT t.id, t.name, t.created_at, t.last_used_at, t.read_only, t.expires_at FROM api_tokens t WHERE t.token_hash = ?", tokenHash(token)).
			Scan(&t.ID, &t.Name, scanTime{&t.CreatedAt}, scanTimePtr{&t.LastUsedAt}, &ro, scanTimePtr{&t.ExpiresAt})
		if errors.Is(err, sql.ErrNoRows) {
			return isms.Errorf(isms.EUnauthorized, "err.bad_token")
		}
		if err != nil {
			return err
		}
		t.ReadOnly = ro == 1
		if t.ExpiresAt != nil && !tx.now.Before(*t.ExpiresAt) {
			return isms.Errorf(isms.EUnauthorized, "err.token_expired")
		}
		u, err = scanUser(tx.queryRow("SELECT "+userColumnsOf("u")+" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ? AND u.deactivated_at IS NULL", t.ID))
		if isms.ErrorCode(err) == isms.ENotFound {
			// The owner is deactivated; the token stops working at once.
			return isms.Errorf(isms.EUnauthorized, "err.bad_token")
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if last := t.LastUsedAt; last == nil || db.Now().Sub(*last) > time.Minute {
		db.noteUse("TokenUser", "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", t.ID)
	}
	return u, &t, nil
}

// noteUse records when something was last used (q sets the time, bound
// first, for the row id): bookkeeping, not a change of the ISMS, so no
// audit event. It runs apart from the request that noticed the use, which
// neither waits for it nor fails with it: a read that had to write would
// wait behind any write in progress (SQLite's one writer, a row another
// PostgreSQL transaction holds). One runs at a time; a use noticed while
// one runs is recorded by a later request, as the time is still old then.
// Close waits for one under way.
func (db *DB) noteUse(op, q string, id int64) {
	if !db.noting.CompareAndSwap(false, true) {
		return
	}
	db.background.Add(1)
	go func() {
		defer db.background.Done()
		defer db.noting.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = db.write(ctx, op, func(tx *Tx) error {
			_, err := tx.exec(q, ts(tx.now), id)
			return err
		})
	}()
}

// requireText checks a required single-line or short text.
func requireText(v *isms.Validation, field, s string, max int) { v.RequireText(field, s, max) }

// checkText checks an optional text's length and that it is valid UTF-8.
func checkText(v *isms.Validation, field, s string, max int) { v.CheckText(field, s, max) }
